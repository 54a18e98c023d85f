//! Recent results by job id, kept on disk so that a job redelivered after a crash
//! or resubmitted by a client is answered without running the model again.
//!
//! The file is JSON Lines, one serialized result per line, appended and synced
//! before the result is published. When it holds twice `capacity` lines it is
//! rewritten with the newest `capacity` (temp file, then rename). A torn last line
//! from a crash is skipped on load.

use crate::job::Status;
use serde::Deserialize;
use std::collections::{HashMap, VecDeque};
use std::fs::{File, OpenOptions};
use std::io::{BufRead, BufReader, Write};
use std::path::{Path, PathBuf};

/// Results remembered by default: a few days of jobs on a busy board, about 1 MB.
pub const DEFAULT_CAPACITY: usize = 1000;

/// File name under the state directory.
pub const FILE_NAME: &str = "results.jsonl";

/// A stored result: its status and the exact bytes that were published.
#[derive(Debug, Clone, PartialEq)]
pub struct Stored {
    pub status: Status,
    pub json: String,
}

/// The bounded, persistent map of job id to result.
pub struct ResultStore {
    path: PathBuf,
    capacity: usize,
    order: VecDeque<String>,
    by_id: HashMap<String, Stored>,
    file: File,
    lines_in_file: usize,
}

#[derive(Deserialize)]
struct Head {
    id: String,
    status: Status,
}

impl ResultStore {
    /// Opens (or creates) the store in `dir`, keeping the newest `capacity` results.
    pub fn open(dir: &Path, capacity: usize) -> std::io::Result<ResultStore> {
        std::fs::create_dir_all(dir)?;
        let path = dir.join(FILE_NAME);
        let capacity = capacity.max(1);
        let mut store = ResultStore {
            file: OpenOptions::new().create(true).append(true).open(&path)?,
            path,
            capacity,
            order: VecDeque::new(),
            by_id: HashMap::new(),
            lines_in_file: 0,
        };
        let (mut skipped, reader) = (0usize, BufReader::new(File::open(&store.path)?));
        for line in reader.lines() {
            let line = line?;
            store.lines_in_file += 1;
            match serde_json::from_str::<Head>(&line) {
                Ok(head) => store.remember(head.id, Stored { status: head.status, json: line }),
                Err(_) => skipped += 1,
            }
        }
        if skipped > 0 {
            tracing::warn!(path = %store.path.display(), skipped, "skipped unreadable lines in the result store");
        }
        if store.lines_in_file > 2 * capacity || skipped > 0 {
            store.compact()?;
        }
        Ok(store)
    }

    /// The stored result of `id`.
    pub fn get(&self, id: &str) -> Option<&Stored> {
        self.by_id.get(id)
    }

    /// Number of results held.
    pub fn len(&self) -> usize {
        self.by_id.len()
    }

    /// Whether the store is empty.
    pub fn is_empty(&self) -> bool {
        self.by_id.is_empty()
    }

    /// Appends a result and syncs it to disk; `json` must be one line.
    pub fn put(&mut self, id: &str, stored: Stored) -> std::io::Result<()> {
        debug_assert!(!stored.json.contains('\n'));
        self.file.write_all(stored.json.as_bytes())?;
        self.file.write_all(b"\n")?;
        self.file.sync_data()?;
        self.lines_in_file += 1;
        self.remember(id.to_string(), stored);
        if self.lines_in_file > 2 * self.capacity {
            self.compact()?;
        }
        Ok(())
    }

    fn remember(&mut self, id: String, stored: Stored) {
        if self.by_id.insert(id.clone(), stored).is_some() {
            self.order.retain(|o| o != &id);
        }
        self.order.push_back(id);
        while self.order.len() > self.capacity {
            if let Some(old) = self.order.pop_front() {
                self.by_id.remove(&old);
            }
        }
    }

    /// Rewrites the file with only the results held in memory, oldest first.
    fn compact(&mut self) -> std::io::Result<()> {
        let dir = self.path.parent().unwrap_or(Path::new("."));
        let mut tmp = tempfile::NamedTempFile::new_in(dir)?;
        for id in &self.order {
            if let Some(s) = self.by_id.get(id) {
                writeln!(tmp, "{}", s.json)?;
            }
        }
        tmp.as_file().sync_all()?;
        tmp.persist(&self.path).map_err(|e| e.error)?;
        self.file = OpenOptions::new().append(true).open(&self.path)?;
        self.lines_in_file = self.order.len();
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn stored(id: &str) -> Stored {
        Stored { status: Status::Ok, json: format!(r#"{{"id":"{id}","status":"ok","output":{{}}}}"#) }
    }

    #[test]
    fn results_survive_a_reopen() {
        let dir = tempfile::tempdir().unwrap();
        let mut s = ResultStore::open(dir.path(), 10).unwrap();
        s.put("a", stored("a")).unwrap();
        s.put("b", Stored { status: Status::Rejected, json: r#"{"id":"b","status":"rejected"}"#.into() }).unwrap();
        drop(s);
        let s = ResultStore::open(dir.path(), 10).unwrap();
        assert_eq!(s.get("a"), Some(&stored("a")));
        assert_eq!(s.get("b").unwrap().status, Status::Rejected);
        assert!(s.get("c").is_none());
    }

    #[test]
    fn the_store_keeps_only_the_newest_and_compacts_its_file() {
        let dir = tempfile::tempdir().unwrap();
        let mut s = ResultStore::open(dir.path(), 3).unwrap();
        for i in 0..20 {
            s.put(&format!("j{i}"), stored(&format!("j{i}"))).unwrap();
        }
        assert_eq!(s.len(), 3);
        assert!(s.get("j16").is_none() && s.get("j17").is_some() && s.get("j19").is_some());
        let lines = std::fs::read_to_string(dir.path().join(FILE_NAME)).unwrap().lines().count();
        assert!(lines <= 6, "{lines} lines");
        drop(s);
        let s = ResultStore::open(dir.path(), 3).unwrap();
        assert_eq!(s.len(), 3);
        assert!(s.get("j19").is_some());
    }

    #[test]
    fn a_torn_last_line_is_skipped() {
        let dir = tempfile::tempdir().unwrap();
        let mut s = ResultStore::open(dir.path(), 10).unwrap();
        s.put("a", stored("a")).unwrap();
        drop(s);
        let mut f = OpenOptions::new().append(true).open(dir.path().join(FILE_NAME)).unwrap();
        f.write_all(br#"{"id":"b","sta"#).unwrap();
        drop(f);
        let mut s = ResultStore::open(dir.path(), 10).unwrap();
        assert!(s.get("a").is_some() && s.get("b").is_none());
        s.put("c", stored("c")).unwrap();
        drop(s);
        let s = ResultStore::open(dir.path(), 10).unwrap();
        assert!(s.get("c").is_some(), "a line appended after a torn one must be readable");
    }
}
