//! What the headless-browser tests share: Chromium found or required, a
//! free local port, and a child process (a web server) stopped when the
//! test ends.

use std::net::{TcpListener, TcpStream};
use std::path::Path;
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

/// A child process killed when dropped.
pub struct Server(pub Child);

impl Drop for Server {
    fn drop(&mut self) {
        let _ = self.0.kill();
        let _ = self.0.wait();
    }
}

pub fn chromium_available() -> bool {
    Path::new("/usr/lib/chromium/chromium").exists()
        || Command::new("chromium")
            .arg("--version")
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .status()
            .is_ok_and(|s| s.success())
}

pub fn java_available() -> bool {
    Command::new("java")
        .arg("-version")
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .status()
        .is_ok_and(|s| s.success())
}

/// Whether the tools a test needs are there: a missing one skips the test
/// with a message, except in CI (`CI` set), where it fails it.
pub fn tools_present(needs: &[(bool, &str)]) -> bool {
    let missing: Vec<&str> = needs
        .iter()
        .filter(|(present, _)| !present)
        .map(|(_, what)| *what)
        .collect();
    if missing.is_empty() {
        return true;
    }
    assert!(
        std::env::var_os("CI").is_none(),
        "required in CI (.ci/run installs them): {}",
        missing.join(", ")
    );
    eprintln!("SKIPPED: not installed: {}", missing.join(", "));
    false
}

/// Whether a test that needs Chromium can run (see [`tools_present`]).
pub fn chromium_or_skip() -> bool {
    tools_present(&[(chromium_available(), "chromium (apt-get install chromium)")])
}

pub fn free_port() -> u16 {
    TcpListener::bind("127.0.0.1:0")
        .and_then(|l| l.local_addr())
        .map(|a| a.port())
        .expect("a free local port")
}

/// Wait until something listens on `port` (at most a minute).
pub fn wait_for_port(port: u16, what: &str) {
    let started = Instant::now();
    while TcpStream::connect(("127.0.0.1", port)).is_err() {
        assert!(
            started.elapsed() < Duration::from_secs(60),
            "{what} did not start"
        );
        std::thread::sleep(Duration::from_millis(100));
    }
}
