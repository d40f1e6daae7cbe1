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

fn chromium_available() -> bool {
    Path::new("/usr/lib/chromium/chromium").exists()
        || Command::new("chromium")
            .arg("--version")
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .status()
            .is_ok_and(|s| s.success())
}

/// Whether the test can run: without Chromium it is skipped with a message,
/// except in CI (`CI` set), where a missing browser fails it.
pub fn chromium_or_skip() -> bool {
    if chromium_available() {
        return true;
    }
    assert!(
        std::env::var_os("CI").is_none(),
        "chromium is required in CI (.ci/run installs it)"
    );
    eprintln!("SKIPPED: chromium is not installed (apt-get install chromium)");
    false
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
