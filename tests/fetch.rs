//! `maaza models fetch` against a real HTTP server on loopback: plain URLs, wheels
//! from a PyPI-style index, sha256 checks, and no half-written files.

mod common;

use sha2::{Digest, Sha256};
use std::collections::HashMap;
use std::io::{Read, Write};
use std::net::TcpListener;
use std::path::Path;
use std::process::Output;
use std::sync::Arc;

/// A tiny HTTP/1.1 server: GET path → body, 404 otherwise. Lives until the test ends.
fn serve(routes: HashMap<String, Vec<u8>>) -> String {
    let listener = TcpListener::bind("127.0.0.1:0").unwrap();
    let addr = listener.local_addr().unwrap();
    let routes = Arc::new(routes);
    std::thread::spawn(move || {
        for stream in listener.incoming() {
            let Ok(mut stream) = stream else { continue };
            let routes = routes.clone();
            std::thread::spawn(move || {
                let mut req = Vec::new();
                let mut buf = [0u8; 1024];
                while !req.windows(4).any(|w| w == b"\r\n\r\n") {
                    match stream.read(&mut buf) {
                        Ok(0) | Err(_) => return,
                        Ok(n) => req.extend_from_slice(&buf[..n]),
                    }
                }
                let line = String::from_utf8_lossy(&req);
                let path = line.split_whitespace().nth(1).unwrap_or("/").to_string();
                let (status, body) = match routes.get(&path) {
                    Some(b) => ("200 OK", b.clone()),
                    None => ("404 Not Found", b"not found".to_vec()),
                };
                let head = format!("HTTP/1.1 {status}\r\nContent-Length: {}\r\nConnection: close\r\n\r\n", body.len());
                let _ = stream.write_all(head.as_bytes());
                let _ = stream.write_all(&body);
            });
        }
    });
    format!("http://{addr}")
}

fn sha(bytes: &[u8]) -> String {
    hex::encode(Sha256::digest(bytes))
}

fn fake_gguf() -> Vec<u8> {
    let mut b = b"GGUF".to_vec();
    b.extend((0..200_000u32).map(|i| (i * 7 % 251) as u8));
    b
}

fn wheel_with(member: &str, content: &[u8]) -> Vec<u8> {
    let mut cursor = std::io::Cursor::new(Vec::new());
    {
        let mut zip = zip::ZipWriter::new(&mut cursor);
        let opts = zip::write::SimpleFileOptions::default().compression_method(zip::CompressionMethod::Deflated);
        zip.start_file("tiny_pkg/__init__.py", opts).unwrap();
        zip.write_all(b"").unwrap();
        zip.start_file(member, opts).unwrap();
        zip.write_all(content).unwrap();
        zip.finish().unwrap();
    }
    cursor.into_inner()
}

fn fetch(manifest: &Path, dir: &Path, index: &str, name: &str) -> Output {
    common::maaza()
        .args(["models", "fetch", name, "--manifest", manifest.to_str().unwrap(), "--dir", dir.to_str().unwrap()])
        .env("MAAZA_PYPI_INDEX", index)
        .output()
        .unwrap()
}

fn leftovers(dir: &Path) -> Vec<String> {
    std::fs::read_dir(dir)
        .map(|d| {
            d.filter_map(|e| e.ok())
                .map(|e| e.file_name().to_string_lossy().into_owned())
                .filter(|n| n.ends_with(".part"))
                .collect()
        })
        .unwrap_or_default()
}

#[test]
fn fetches_from_a_url_and_from_a_wheel_on_an_index() {
    let gguf = fake_gguf();
    let wheel = wheel_with("tiny_pkg/tiny.gguf", &gguf);
    let index_page = serde_json::json!({"files": [
        {"filename": "tiny_pkg-1.0-py3-none-any.whl", "url": "../../files/tiny_pkg-1.0-py3-none-any.whl", "hashes": {"sha256": sha(&wheel)}}
    ]});
    let base = serve(HashMap::from([
        ("/models/tiny.gguf".to_string(), gguf.clone()),
        ("/simple/tiny-pkg/".to_string(), index_page.to_string().into_bytes()),
        ("/files/tiny_pkg-1.0-py3-none-any.whl".to_string(), wheel.clone()),
    ]));
    let work = tempfile::tempdir().unwrap();
    let manifest = work.path().join("models.toml");
    std::fs::write(
        &manifest,
        format!(
            r#"
[[model]]
name = "tiny-url"
file = "tiny-url.gguf"
sha256 = "{s}"
size = {n}
quant = "F32"
source = {{ kind = "url", url = "{base}/models/tiny.gguf" }}

[[model]]
name = "tiny-wheel"
file = "tiny-wheel.gguf"
sha256 = "{s}"
size = {n}
quant = "F32"
source = {{ kind = "pypi", package = "tiny-pkg", version = "1.0", wheel = "tiny_pkg-1.0-py3-none-any.whl", sha256 = "{w}", member = "tiny_pkg/tiny.gguf" }}
"#,
            s = sha(&gguf),
            n = gguf.len(),
            w = sha(&wheel)
        ),
    )
    .unwrap();
    let dir = work.path().join("models");
    let index = format!("{base}/simple");
    for name in ["tiny-url", "tiny-wheel"] {
        let out = fetch(&manifest, &dir, &index, name);
        assert!(out.status.success(), "{name}: {}", String::from_utf8_lossy(&out.stderr));
        let path = String::from_utf8_lossy(&out.stdout).trim().to_string();
        assert_eq!(Path::new(&path), dir.join(format!("{name}.gguf")));
        assert_eq!(std::fs::read(&path).unwrap(), gguf);
        // A second fetch finds it and downloads nothing.
        let again = fetch(&manifest, &dir, &index, name);
        assert!(String::from_utf8_lossy(&again.stderr).contains("already present"));
    }
    assert!(leftovers(&dir).is_empty(), "{:?}", leftovers(&dir));

    let verify = common::maaza()
        .args([
            "models",
            "verify",
            "tiny-wheel",
            "--manifest",
            manifest.to_str().unwrap(),
            "--dir",
            dir.to_str().unwrap(),
        ])
        .output()
        .unwrap();
    assert!(verify.status.success());
}

#[test]
fn a_sha256_mismatch_leaves_no_file() {
    let gguf = fake_gguf();
    let wheel = wheel_with("tiny_pkg/tiny.gguf", &gguf);
    let base = serve(HashMap::from([
        ("/models/tiny.gguf".to_string(), gguf.clone()),
        (
            "/simple/tiny-pkg/".to_string(),
            "<a href=\"/files/tiny_pkg-1.0-py3-none-any.whl#sha256=00\">w</a>".as_bytes().to_vec(),
        ),
        ("/files/tiny_pkg-1.0-py3-none-any.whl".to_string(), wheel.clone()),
    ]));
    let work = tempfile::tempdir().unwrap();
    let manifest = work.path().join("models.toml");
    let wrong = "0".repeat(64);
    std::fs::write(
        &manifest,
        format!(
            "[[model]]\nname = \"bad-url\"\nfile = \"bad.gguf\"\nsha256 = \"{wrong}\"\nsize = 1\nquant = \"F32\"\nsource = {{ kind = \"url\", url = \"{base}/models/tiny.gguf\" }}\n\
             [[model]]\nname = \"bad-wheel\"\nfile = \"badw.gguf\"\nsha256 = \"{s}\"\nsize = 1\nquant = \"F32\"\nsource = {{ kind = \"pypi\", package = \"tiny-pkg\", version = \"1.0\", wheel = \"tiny_pkg-1.0-py3-none-any.whl\", sha256 = \"{wrong}\", member = \"tiny_pkg/tiny.gguf\" }}\n\
             [[model]]\nname = \"gone\"\nfile = \"gone.gguf\"\nsha256 = \"{wrong}\"\nsize = 1\nquant = \"F32\"\nsource = {{ kind = \"url\", url = \"{base}/models/gone.gguf\" }}\n",
            s = sha(&gguf)
        ),
    )
    .unwrap();
    let dir = work.path().join("models");
    let index = format!("{base}/simple");
    for (name, file) in [("bad-url", "bad.gguf"), ("bad-wheel", "badw.gguf")] {
        let out = fetch(&manifest, &dir, &index, name);
        let stderr = String::from_utf8_lossy(&out.stderr);
        assert_eq!(out.status.code(), Some(2), "{stderr}");
        assert!(stderr.contains("sha256_mismatch"), "{stderr}");
        assert!(!dir.join(file).exists(), "{name}: a bad file was left under its final name");
    }
    let out = fetch(&manifest, &dir, &index, "gone");
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert_eq!(out.status.code(), Some(1), "{stderr}");
    assert!(stderr.contains("/models/gone.gguf") && stderr.contains("404"), "{stderr}");
    assert!(leftovers(&dir).is_empty(), "{:?}", leftovers(&dir));
}

#[test]
fn a_model_in_parts_is_joined_and_checked_whole() {
    let gguf = fake_gguf();
    let (head, tail) = gguf.split_at(70_001);
    let wheel = wheel_with("tiny_pkg/data/tiny.gguf.part01", tail);
    let base = serve(HashMap::from([
        ("/parts/tiny.gguf.part00".to_string(), head.to_vec()),
        ("/simple/tiny-pkg/".to_string(), "<a href=\"/files/tiny_pkg-1.0-py3-none-any.whl\">w</a>".into()),
        ("/files/tiny_pkg-1.0-py3-none-any.whl".to_string(), wheel.clone()),
    ]));
    let work = tempfile::tempdir().unwrap();
    let manifest = work.path().join("models.toml");
    let entry = |name: &str, whole: &str| {
        format!(
            "[[model]]\nname = \"{name}\"\nfile = \"{name}.gguf\"\nsha256 = \"{whole}\"\nsize = {n}\nquant = \"F32\"\n\
             [model.source]\nkind = \"parts\"\n\
             [[model.source.parts]]\nkind = \"url\"\nurl = \"{base}/parts/tiny.gguf.part00\"\n\
             [[model.source.parts]]\nkind = \"pypi\"\npackage = \"tiny-pkg\"\nversion = \"1.0\"\n\
             wheel = \"tiny_pkg-1.0-py3-none-any.whl\"\nsha256 = \"{w}\"\nmember = \"tiny_pkg/data/tiny.gguf.part01\"\n",
            n = gguf.len(),
            w = sha(&wheel),
        )
    };
    let text = entry("tiny-parts", &sha(&gguf)) + &entry("tiny-parts-wrong", &"0".repeat(64));
    std::fs::write(&manifest, text).unwrap();
    let dir = work.path().join("models");
    let index = format!("{base}/simple");
    let out = fetch(&manifest, &dir, &index, "tiny-parts");
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
    assert_eq!(std::fs::read(dir.join("tiny-parts.gguf")).unwrap(), gguf);
    // Each piece matched its own source, but the whole does not match: nothing is kept.
    let out = fetch(&manifest, &dir, &index, "tiny-parts-wrong");
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert_eq!(out.status.code(), Some(2), "{stderr}");
    assert!(stderr.contains("sha256_mismatch") && stderr.contains("tiny-parts-wrong.gguf"), "{stderr}");
    assert!(!dir.join("tiny-parts-wrong.gguf").exists());
    assert!(leftovers(&dir).is_empty(), "{:?}", leftovers(&dir));
}

/// A GGUF whose header says Q8_0 (`general.file_type` 7), then filler.
fn q8_gguf() -> Vec<u8> {
    let mut b = b"GGUF".to_vec();
    b.extend(3u32.to_le_bytes());
    b.extend(0u64.to_le_bytes());
    b.extend(1u64.to_le_bytes());
    b.extend(17u64.to_le_bytes());
    b.extend(b"general.file_type");
    b.extend(4u32.to_le_bytes());
    b.extend(7u32.to_le_bytes());
    b.extend((0..100_000u32).map(|i| (i % 13) as u8));
    b
}

#[test]
fn add_pins_a_model_by_url_in_the_user_manifest() {
    let gguf = q8_gguf();
    let base = serve(HashMap::from([
        ("/hub/maaza-mlm-135m.Q8_0.gguf".to_string(), gguf.clone()),
        ("/hub/junk.gguf".to_string(), b"<html>not found</html>".to_vec()),
    ]));
    let work = tempfile::tempdir().unwrap();
    let (config_home, dir) = (work.path().join("config"), work.path().join("models"));
    let url = format!("{base}/hub/maaza-mlm-135m.Q8_0.gguf");
    let maaza = |args: &[&str]| {
        common::maaza()
            .args(args)
            .args(["--dir", dir.to_str().unwrap()])
            .env("XDG_CONFIG_HOME", &config_home)
            .env_remove("MAAZA_MANIFEST")
            .output()
            .unwrap()
    };
    // A wrong pin is refused and leaves neither a file nor an entry.
    let out = maaza(&["models", "add", "maaza-mlm", &url, "--sha256", &"0".repeat(64)]);
    assert_eq!(out.status.code(), Some(2), "{}", String::from_utf8_lossy(&out.stderr));
    assert!(!config_home.join("maaza/models.toml").exists());
    assert!(leftovers(&dir).is_empty() && !dir.join("maaza-mlm-135m.Q8_0.gguf").exists());
    // Without a pin: downloaded, hashed, and the hash printed and pinned.
    let out = maaza(&["models", "add", "maaza-mlm", &url]);
    let stdout = String::from_utf8_lossy(&out.stdout);
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
    assert!(stdout.starts_with(&sha(&gguf)), "{stdout}");
    let pinned = std::fs::read_to_string(config_home.join("maaza/models.toml")).unwrap();
    assert!(pinned.contains(&sha(&gguf)) && pinned.contains(&url) && pinned.contains("\"Q8_0\""), "{pinned}");
    // A file that is not GGUF is not pinned.
    let out = maaza(&["models", "add", "junk", &format!("{base}/hub/junk.gguf")]);
    assert!(!out.status.success());
    // The pinned name is now known: listed, verified, and not pinned twice.
    let list = String::from_utf8_lossy(&maaza(&["models", "list"]).stdout).to_string();
    assert!(list.lines().any(|l| l.starts_with("maaza-mlm\t") && l.contains("present")), "{list}");
    assert!(maaza(&["models", "verify", "maaza-mlm"]).status.success());
    let again = maaza(&["models", "add", "maaza-mlm", &url]);
    assert_eq!(again.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&again.stderr).contains("already pinned"));
}
