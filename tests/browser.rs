//! The demo site as a visitor, an inspector and an accessibility auditor see
//! it, with the tools they use:
//!
//! - a visitor in headless Chromium: the home page, an article (a bundle
//!   with an image and a PDF), the site map and a search load without console
//!   errors, failed or 4xx/5xx requests, or anything from another host
//!   (`tests/browser/smoke.py`, through `sanshen demo --serve`);
//! - axe-core over every kind of page, in normal, large-font (大, 特大) and
//!   high-contrast (高对比度) modes and at phone width: no serious or critical
//!   violation (`tests/browser/audit.py axe`);
//! - an elderly reader: the body follows the browser's default font size,
//!   大 and 特大 enlarge all text, nothing scrolls sideways at 320 px
//!   (`audit.py fonts`);
//! - the Nu HTML Checker (vnu.jar) over every page: no error.
//!
//! Chromium is driven over the DevTools pipe (Python standard library only).
//! `.ci/run` installs Debian's chromium and a Java runtime, and axe-core and
//! vnu-jar from npm, pinned by `tests/package.json` and its lock file
//! (`npm ci` in `tests/`). Outside CI a machine without one of them skips
//! the test that needs it with a message; with `CI` set, a missing tool
//! fails it.

mod common;

use std::io::{BufRead, BufReader, Write};
use std::net::{TcpListener, TcpStream};
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::sync::{Mutex, OnceLock};
use std::time::{Duration, Instant};

use common::browser::{Server, chromium_available, free_port, java_available, tools_present};

/// One Chromium at a time: the machines have two cores.
static CHROMIUM: Mutex<()> = Mutex::new(());

/// A file installed by `npm ci` in `tests/`.
fn npm_file(relative: &str) -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("tests/node_modules")
        .join(relative)
}

/// The demo site, built once for the tests of this file and served from a
/// thread of the test process (so nothing is left running after it).
struct Demo {
    public: PathBuf,
    base: String,
}

fn demo() -> &'static Demo {
    static DEMO: OnceLock<Demo> = OnceLock::new();
    DEMO.get_or_init(|| {
        let folder = Path::new(env!("CARGO_TARGET_TMPDIR"))
            .join(format!("browser-demo-{}", std::process::id()));
        let _ = std::fs::remove_dir_all(&folder);
        let output = Command::new(env!("CARGO_BIN_EXE_sanshen"))
            .args(["demo", "--out"])
            .arg(&folder)
            .output()
            .expect("run sanshen demo");
        assert!(
            output.status.success(),
            "sanshen demo failed: {}",
            String::from_utf8_lossy(&output.stderr)
        );
        let public = folder.join("public");
        let listener = TcpListener::bind("127.0.0.1:0").expect("a local port");
        let port = listener.local_addr().expect("its address").port();
        let root = public.clone();
        std::thread::spawn(move || {
            for stream in listener.incoming().flatten() {
                let root = root.clone();
                std::thread::spawn(move || serve_file(&root, stream));
            }
        });
        Demo {
            public,
            base: format!("http://127.0.0.1:{port}"),
        }
    })
}

/// Answer one GET with a file of `root` (a folder's index.html; 404.html
/// with status 404 when there is none).
fn serve_file(root: &Path, mut stream: TcpStream) {
    let mut request = String::new();
    if BufReader::new(&stream).read_line(&mut request).is_err() {
        return;
    }
    let target = request.split_whitespace().nth(1).unwrap_or("/");
    let path = percent_decode(target.split(['?', '#']).next().unwrap_or("/"));
    let relative = path.trim_start_matches('/');
    let mut file = root.join(relative);
    if relative.split('/').any(|part| part == "..") {
        file = root.join("404.html");
    } else if file.is_dir() {
        file = file.join("index.html");
    }
    let (status, bytes, file) = match std::fs::read(&file) {
        Ok(bytes) => ("200 OK", bytes, file),
        Err(_) => (
            "404 Not Found",
            std::fs::read(root.join("404.html")).unwrap_or_default(),
            root.join("404.html"),
        ),
    };
    let kind = match file.extension().and_then(|e| e.to_str()).unwrap_or("") {
        "html" => "text/html; charset=utf-8",
        "css" => "text/css; charset=utf-8",
        "js" => "text/javascript; charset=utf-8",
        "json" => "application/json",
        "xml" => "application/xml",
        "svg" => "image/svg+xml",
        "png" => "image/png",
        "jpg" | "jpeg" => "image/jpeg",
        "pdf" => "application/pdf",
        "mp4" => "video/mp4",
        "webm" => "video/webm",
        "vtt" => "text/vtt; charset=utf-8",
        _ => "application/octet-stream",
    };
    let head = format!(
        "HTTP/1.1 {status}\r\nContent-Type: {kind}\r\nContent-Length: {}\r\nConnection: close\r\n\r\n",
        bytes.len()
    );
    let _ = stream.write_all(head.as_bytes());
    let _ = stream.write_all(&bytes);
}

fn percent_decode(text: &str) -> String {
    let bytes = text.as_bytes();
    let mut decoded = Vec::with_capacity(bytes.len());
    let mut i = 0;
    while i < bytes.len() {
        match (bytes[i], text.get(i + 1..i + 3)) {
            (b'%', Some(hex)) if u8::from_str_radix(hex, 16).is_ok() => {
                decoded.push(u8::from_str_radix(hex, 16).unwrap_or(b'%'));
                i += 3;
            }
            (byte, _) => {
                decoded.push(byte);
                i += 1;
            }
        }
    }
    String::from_utf8_lossy(&decoded).into_owned()
}

impl Demo {
    /// The address of each of [`PAGE_TYPES`].
    fn page_urls(&self) -> Vec<String> {
        PAGE_TYPES
            .iter()
            .map(|page| format!("{}{page}", self.base))
            .collect()
    }
}

/// One page of every kind the demo has.
const PAGE_TYPES: &[&str] = &[
    "/",
    "/news/",
    "/news/hq/",
    "/news/hq/kepuri-2026/",
    "/xxgk/policy/wangzhan-guanli-banfa/",
    "/xxgk/interpretation/wangzhan-guanli-banfa-jiedu/",
    "/kepu/video/fanglei-bixian/",
    "/special/keji-zhuli-xiangcun/",
    "/about/jianjie/",
    "/sitemap/",
    "/search/?q=科普",
    "/no-such-page/",
];

fn run_audit(args: &[&str]) -> (bool, String) {
    let _one_at_a_time = CHROMIUM.lock().unwrap_or_else(|e| e.into_inner());
    let script = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/browser/audit.py");
    let output = Command::new("python3")
        .arg(script)
        .args(args)
        .output()
        .expect("run python3 tests/browser/audit.py");
    let report = format!(
        "{}{}",
        String::from_utf8_lossy(&output.stdout),
        String::from_utf8_lossy(&output.stderr)
    );
    (output.status.success(), report)
}

#[test]
fn demo_site_loads_cleanly_in_chromium() {
    if !tools_present(&[(chromium_available(), "chromium")]) {
        return;
    }
    let _one_at_a_time = CHROMIUM.lock().unwrap_or_else(|e| e.into_inner());
    let out = tempfile::tempdir().expect("temp dir");
    let demo_dir = out.path().join("demo");
    let port = free_port();
    let server = Server(
        Command::new(env!("CARGO_BIN_EXE_sanshen"))
            .args(["demo", "--serve", "--port", &port.to_string(), "--out"])
            .arg(&demo_dir)
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .spawn()
            .expect("start sanshen demo --serve"),
    );
    let started = Instant::now();
    while TcpStream::connect(("127.0.0.1", port)).is_err() {
        assert!(
            started.elapsed() < Duration::from_secs(60),
            "the demo server did not start"
        );
        std::thread::sleep(Duration::from_millis(100));
    }
    let base = format!("http://127.0.0.1:{port}");
    let script = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/browser/smoke.py");
    let output = Command::new("python3")
        .arg(script)
        .arg(format!("{base}/"))
        .arg(format!("{base}/news/hq/kepuri-2026/"))
        .arg(format!("{base}/sitemap/"))
        .arg(format!("{base}/search/?q=科普"))
        .output()
        .expect("run python3 tests/browser/smoke.py");
    drop(server);
    let report = String::from_utf8_lossy(&output.stdout);
    assert!(
        output.status.success(),
        "pages did not load cleanly:\n{report}{}",
        String::from_utf8_lossy(&output.stderr)
    );
    assert_eq!(
        report.lines().filter(|l| l.starts_with("ok ")).count(),
        4,
        "{report}"
    );
}

#[test]
fn axe_finds_no_serious_violation_on_any_page_type_in_any_mode() {
    let axe = npm_file("axe-core/axe.min.js");
    if !tools_present(&[
        (chromium_available(), "chromium"),
        (axe.is_file(), "axe-core (npm ci in tests/)"),
    ]) {
        return;
    }
    let demo = demo();
    let urls = demo.page_urls();
    let mut args = vec!["axe", axe.to_str().expect("a UTF-8 path")];
    args.extend(urls.iter().map(String::as_str));
    let (passed, report) = run_audit(&args);
    assert!(
        passed,
        "axe-core found serious or critical violations:\n{report}"
    );
    // Every page type in five runs: normal, 大, 特大 and 高对比度 at 1366 px, normal at 390 px.
    assert_eq!(
        report.lines().filter(|l| l.starts_with("ok ")).count(),
        PAGE_TYPES.len() * 5,
        "{report}"
    );
}

#[test]
fn the_body_follows_the_readers_font_size_and_nothing_scrolls_sideways() {
    if !tools_present(&[(chromium_available(), "chromium")]) {
        return;
    }
    let demo = demo();
    let urls = demo.page_urls();
    // The policy page first: its body, title and meta are measured.
    let mut args = vec!["fonts", "/xxgk/policy/wangzhan-guanli-banfa/"];
    let policy = format!("{}{}", demo.base, args[1]);
    args[1] = &policy;
    args.extend(urls.iter().map(String::as_str));
    let (passed, report) = run_audit(&args);
    assert!(passed, "{report}");
    // 五号 on a 16 px browser is 14 px; a reader who sets 24 px gets 21 px.
    assert!(
        report.contains("default 16 px, normal: body 14 px"),
        "{report}"
    );
    assert!(
        report.contains("default 24 px, normal: body 21 px"),
        "{report}"
    );
}

#[test]
fn the_nu_html_checker_finds_no_error_on_any_page() {
    let vnu = npm_file("vnu-jar/build/dist/vnu.jar");
    if !tools_present(&[
        (java_available(), "java (default-jre-headless)"),
        (vnu.is_file(), "vnu-jar (npm ci in tests/)"),
    ]) {
        return;
    }
    let demo = demo();
    let output = Command::new("java")
        .arg("-jar")
        .arg(&vnu)
        .args(["--errors-only", "--skip-non-html", "--format", "json"])
        .arg(&demo.public)
        .output()
        .expect("run java -jar vnu.jar");
    // The checker writes its JSON report to standard error.
    let report: serde_json::Value = serde_json::from_slice(&output.stderr).unwrap_or_else(|_| {
        panic!(
            "the Nu HTML Checker gave no report:\n{}{}",
            String::from_utf8_lossy(&output.stdout),
            String::from_utf8_lossy(&output.stderr)
        )
    });
    let messages = report["messages"].as_array().cloned().unwrap_or_default();
    let errors: Vec<String> = messages
        .iter()
        .map(|m| {
            format!(
                "{} line {}: {}",
                m["url"].as_str().unwrap_or("?"),
                m["lastLine"],
                m["message"].as_str().unwrap_or("?")
            )
        })
        .collect();
    assert!(
        errors.is_empty() && output.status.success(),
        "the Nu HTML Checker reports {} error(s):\n{}",
        errors.len(),
        errors.join("\n")
    );
    let pages = walk_html(&demo.public);
    assert!(pages > 40, "only {pages} pages were checked");
}

/// How many HTML files a folder holds, at any depth.
fn walk_html(folder: &Path) -> usize {
    std::fs::read_dir(folder)
        .map(|entries| {
            entries
                .flatten()
                .map(|entry| {
                    let path = entry.path();
                    if path.is_dir() {
                        walk_html(&path)
                    } else {
                        usize::from(path.extension().is_some_and(|e| e == "html"))
                    }
                })
                .sum()
        })
        .unwrap_or(0)
}
