//! Headless-Chromium smoke test of the demo site: load the home page, an
//! article (a bundle with an image and a PDF) and the site map as a visitor
//! would, and fail on console errors, failed or 4xx/5xx requests, or anything
//! loaded from another host. Chromium is driven by `tests/browser/smoke.py`
//! over the DevTools pipe (Python standard library only).
//!
//! `.ci/run` installs Debian's chromium. Outside CI, a machine without it
//! skips this test with a message; with `CI` set, a missing browser fails it.

mod common;

use std::path::Path;
use std::process::{Command, Stdio};

use common::browser::{Server, chromium_or_skip, free_port, wait_for_port};

#[test]
fn demo_site_loads_cleanly_in_chromium() {
    if !chromium_or_skip() {
        return;
    }
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
    wait_for_port(port, "the demo server");
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
