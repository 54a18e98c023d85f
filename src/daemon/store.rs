//! Recent results by job id, kept on disk so that a job redelivered after a crash
//! or resubmitted by a client is answered without running the model again.
//!
//! The file is JSON Lines, one serialized result per line, appended and synced
//! before the result is published. When it holds twice `capacity` lines it is
//! rewritten with the newest `capacity` (temp file, then rename). A torn last line
//! from a crash is skipped on load.
//!
//! A write that fails (a full disk, a read-only remount) does not lose the result: it
//! is kept in memory, the outage is logged once as an error, and every later result
//! tries the disk again.

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

/// Marker of the job being run: `<deaths>\t<id>`. Present at startup means the process
/// died during that job (crash, abort, kill -9, watchdog).
pub const RUNNING_FILE: &str = "running";

/// A job that was running when the daemon died this many times is not run again.
pub const MAX_DEATHS: u32 = 2;

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
    /// The job that was running when the process last died, and how many deaths it has seen.
    suspect: Option<(String, u32)>,
    /// The last write failed: results are held in memory only until one succeeds.
    degraded: bool,
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
            suspect: None,
            degraded: false,
        };
        store.suspect = std::fs::read_to_string(dir.join(RUNNING_FILE)).ok().and_then(|text| {
            let (deaths, id) = text.split_once('\t')?;
            Some((id.to_string(), deaths.parse().ok()?))
        });
        if let Some((id, deaths)) = &store.suspect {
            tracing::warn!(job_id = %id, deaths, "the daemon died while running this job");
        }
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

    /// Marks `id` as running; returns how many earlier deaths it was running for.
    /// The marker is not synced: it has to survive the process, not the power.
    /// On a full disk ([`ResultStore::is_degraded`]) the marker may fail to be written.
    pub fn begin(&mut self, id: &str) -> std::io::Result<u32> {
        let deaths = match &self.suspect {
            Some((sid, n)) if sid == id => *n,
            _ => 0,
        };
        let dir = self.path.parent().unwrap_or(Path::new("."));
        std::fs::write(dir.join(RUNNING_FILE), format!("{}\t{id}", deaths + 1))?;
        Ok(deaths)
    }

    /// The job marked by [`ResultStore::begin`] ended (its result is stored or was refused).
    pub fn end(&mut self) {
        self.suspect = None;
        let dir = self.path.parent().unwrap_or(Path::new("."));
        let _ = std::fs::remove_file(dir.join(RUNNING_FILE));
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

    /// Holds a result, and appends and syncs it to disk; `json` must be one line. When
    /// the disk write fails the result is still held (in memory only) and the error returned.
    pub fn put(&mut self, id: &str, stored: Stored) -> std::io::Result<()> {
        debug_assert!(!stored.json.contains('\n'));
        let written = self.append(&stored.json);
        self.remember(id.to_string(), stored);
        match written {
            Ok(()) if self.degraded => {
                self.degraded = false;
                tracing::warn!(path = %self.path.display(), "the result store is written to disk again");
                // The results held in memory meanwhile go to disk too.
                return self.compact_or_warn();
            }
            Ok(()) => {}
            Err(e) => {
                if !self.degraded {
                    tracing::error!(path = %self.path.display(),
                        "cannot write the result store ({e}); results are kept in memory only until the disk takes \
                         them again, and a restart would forget them");
                }
                self.degraded = true;
                return Err(e);
            }
        }
        if self.lines_in_file > 2 * self.capacity {
            return self.compact_or_warn();
        }
        Ok(())
    }

    fn compact_or_warn(&mut self) -> std::io::Result<()> {
        self.compact().inspect_err(|e| {
            tracing::warn!(path = %self.path.display(), "cannot rewrite the result store ({e}); it is appended to as before");
        })
    }

    /// Whether the last write failed and results are held in memory only.
    pub fn is_degraded(&self) -> bool {
        self.degraded
    }

    fn append(&mut self, json: &str) -> std::io::Result<()> {
        if self.degraded {
            // A failed write may have left part of a line: end it (an empty or torn line
            // is skipped on load).
            self.file.write_all(b"\n")?;
        }
        self.file.write_all(json.as_bytes())?;
        self.file.write_all(b"\n")?;
        self.file.sync_data()?;
        self.lines_in_file += 1;
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
    fn a_job_running_at_each_death_is_counted() {
        let dir = tempfile::tempdir().unwrap();
        let mut s = ResultStore::open(dir.path(), 10).unwrap();
        assert_eq!(s.begin("a").unwrap(), 0);
        s.end();
        assert_eq!(s.begin("b").unwrap(), 0);
        drop(s); // died while running b
        let mut s = ResultStore::open(dir.path(), 10).unwrap();
        assert_eq!(s.begin("c").unwrap(), 0, "another job is not a suspect");
        drop(s); // died while running c
        let mut s = ResultStore::open(dir.path(), 10).unwrap();
        assert_eq!(s.begin("c").unwrap(), 1);
        drop(s); // and again
        let mut s = ResultStore::open(dir.path(), 10).unwrap();
        assert_eq!(s.begin("c").unwrap(), 2);
        s.end();
        drop(s);
        let mut s = ResultStore::open(dir.path(), 10).unwrap();
        assert_eq!(s.begin("c").unwrap(), 0, "a clean end clears the count");
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

    #[test]
    fn a_full_disk_keeps_results_in_memory_and_recovers() {
        let dir = tempfile::tempdir().unwrap();
        let mut s = ResultStore::open(dir.path(), 10).unwrap();
        s.put("a", stored("a")).unwrap();
        // /dev/full answers every write with ENOSPC, as a full disk does.
        let file = std::mem::replace(&mut s.file, OpenOptions::new().append(true).open("/dev/full").unwrap());
        let e = s.put("b", stored("b")).unwrap_err();
        assert_eq!(e.raw_os_error(), Some(libc::ENOSPC));
        assert!(s.is_degraded());
        assert!(s.put("c", stored("c")).is_err());
        assert_eq!((s.get("b"), s.get("c")), (Some(&stored("b")), Some(&stored("c"))), "held in memory");
        // Space again: the next result goes to disk, after a line break for any torn write.
        s.file = file;
        s.put("d", stored("d")).unwrap();
        assert!(!s.is_degraded());
        drop(s);
        let s = ResultStore::open(dir.path(), 10).unwrap();
        for id in ["a", "b", "c", "d"] {
            assert_eq!(s.get(id), Some(&stored(id)), "{id}: the results held in memory went to disk on recovery");
        }
    }
}
