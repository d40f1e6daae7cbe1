//! `sanshen serve` end to end: the real binary previews a real repository's
//! working tree over HTTP, the way a writer uses it — open the page, edit
//! the draft, break it, fix it — and stops cleanly on Ctrl-C.

mod common;

use std::io::{BufRead, BufReader, Read, Write};
use std::net::TcpStream;
use std::path::{Path, PathBuf};
use std::process::{Child, Stdio};
use std::sync::mpsc;
use std::time::{Duration, Instant};

use common::{TestRepo, article};

/// Generous: a rebuild takes well under a second, but CI machines are busy.
const DEADLINE: Duration = Duration::from_secs(30);

const DRAFT: &str = "content/news/draft.md";
const DRAFT_URL: &str = "/news/draft/";

/// The running server; killed if the test fails before stopping it.
struct Server {
    child: Child,
    /// `127.0.0.1:<port>`
    address: String,
    /// The server's TMPDIR, to see that it cleans up.
    temp: PathBuf,
}

impl Drop for Server {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

struct Page {
    status: u16,
    text: String,
}

impl Server {
    fn start(repo: &TestRepo) -> Server {
        let temp = repo.home.join("tmp");
        std::fs::create_dir_all(&temp).expect("create TMPDIR");
        let mut child = repo
            .sanshen_command(&repo.root, &["serve", "--port", "0"])
            .env("TMPDIR", &temp)
            .stdout(Stdio::piped())
            .stderr(Stdio::inherit())
            .spawn()
            .expect("start sanshen serve");
        let stdout = child.stdout.take().expect("piped stdout");
        let (sender, lines) = mpsc::channel();
        std::thread::spawn(move || {
            // Read to the end, so the server never writes into a closed pipe.
            for line in BufReader::new(stdout).lines().map_while(Result::ok) {
                let _ = sender.send(line);
            }
        });
        let started = Instant::now();
        let address = loop {
            let line = lines
                .recv_timeout(DEADLINE.saturating_sub(started.elapsed()))
                .expect("serve prints its address");
            if let Some(at) = line.find("http://127.0.0.1:") {
                let rest = &line[at + "http://".len()..];
                let end = rest.find('/').expect("the address ends in a path");
                break rest[..end].to_string();
            }
        };
        Server {
            child,
            address,
            temp,
        }
    }

    fn get(&self, path: &str) -> Page {
        self.get_as(path, &self.address)
    }

    fn get_as(&self, path: &str, host: &str) -> Page {
        let mut stream = TcpStream::connect(&self.address).expect("connect to the preview");
        stream
            .set_read_timeout(Some(DEADLINE))
            .expect("set a timeout");
        write!(
            stream,
            "GET {path} HTTP/1.1\r\nHost: {host}\r\nConnection: close\r\n\r\n"
        )
        .expect("send the request");
        let mut bytes = Vec::new();
        stream.read_to_end(&mut bytes).expect("read the response");
        let text = String::from_utf8_lossy(&bytes).into_owned();
        let status = text
            .split(' ')
            .nth(1)
            .and_then(|code| code.parse().ok())
            .unwrap_or_else(|| panic!("not an HTTP response: {text}"));
        Page { status, text }
    }

    /// Ask for `path` until `ready` holds, or fail with the last answer.
    fn wait_for(&self, path: &str, what: &str, ready: impl Fn(&Page) -> bool) -> Page {
        let started = Instant::now();
        loop {
            let page = self.get(path);
            if ready(&page) {
                return page;
            }
            assert!(
                started.elapsed() < DEADLINE,
                "{path} never showed {what}; last answer:\n{}",
                page.text
            );
            std::thread::sleep(Duration::from_millis(100));
        }
    }

    /// Ctrl-C, and the exit status once the server is gone.
    #[cfg(unix)]
    fn interrupt(&mut self) -> std::process::ExitStatus {
        let signal = std::process::Command::new("kill")
            .args(["-INT", &self.child.id().to_string()])
            .status()
            .expect("run kill");
        assert!(signal.success());
        let started = Instant::now();
        loop {
            if let Some(status) = self.child.try_wait().expect("wait for serve") {
                return status;
            }
            assert!(started.elapsed() < DEADLINE, "serve did not stop on Ctrl-C");
            std::thread::sleep(Duration::from_millis(50));
        }
    }
}

#[cfg(unix)]
fn preview_folders(temp: &Path) -> Vec<String> {
    std::fs::read_dir(temp)
        .expect("read TMPDIR")
        .filter_map(Result::ok)
        .map(|entry| entry.file_name().to_string_lossy().into_owned())
        .filter(|name| name.starts_with("sanshen-preview-"))
        .collect()
}

#[test]
fn a_writer_previews_edits_breaks_and_fixes_a_draft() {
    let (repo, cast) = TestRepo::bootstrapped();
    repo.publish_draft(
        &cast.wangfang,
        "content/news/approved.md",
        &article("已审核的文章", "unit: kepu\n", "这篇已经通过三审。"),
    );
    repo.review_standard(&cast, "content/news/approved.md");
    // Never committed: only the preview can show it.
    repo.write(
        DRAFT,
        &article("尚未提交的草稿", "unit: kepu\n", "草稿第一版正文。"),
    );
    repo.write(
        "content/news/secret.md",
        &article("涉密稿件", "unit: kepu\nclassified: true\n", "涉密正文。"),
    );

    let mut server = Server::start(&repo);

    let home = server.get("/");
    assert_eq!(home.status, 200, "{}", home.text);
    assert!(
        home.text.contains("未审核预览 · unapproved preview"),
        "every page is marked as a preview: {}",
        home.text
    );
    assert!(
        home.text
            .contains("<script src=\"/__sanshen/reload.js\" data-version=\"")
    );
    let script = server.get("/__sanshen/reload.js");
    assert!(
        script.text.contains("/__sanshen/version"),
        "{}",
        script.text
    );
    assert_eq!(server.get("/__sanshen/version").status, 200);

    let draft = server.get(DRAFT_URL);
    assert_eq!(draft.status, 200, "{}", draft.text);
    assert!(draft.text.contains("草稿第一版正文。"), "{}", draft.text);
    assert!(
        draft.text.contains("尚未提交：提交后才能送审"),
        "{}",
        draft.text
    );

    let approved = server.get("/news/approved/");
    assert!(
        approved.text.contains("审核状态：已提交的版本已审核通过"),
        "{}",
        approved.text
    );
    let secret = server.get("/news/secret/");
    assert!(
        secret
            .text
            .contains("涉密（classified: true）：本文不会发布到网站"),
        "shown to its writer, and marked: {}",
        secret.text
    );

    // The writer saves a new text: the page follows.
    repo.write(
        DRAFT,
        &article("尚未提交的草稿", "unit: kepu\n", "草稿第二版正文。"),
    );
    server.wait_for(DRAFT_URL, "the saved text", |page| {
        page.status == 200 && page.text.contains("草稿第二版正文。")
    });

    // A broken front matter: the article's page says where, the rest stays.
    repo.write(
        DRAFT,
        "---\ntitle: 尚未提交的草稿\ndate: 2026-11-02\nunit: kepu\ncolour: red\n---\n\n正文\n",
    );
    let broken = server.wait_for(DRAFT_URL, "the error", |page| page.status == 500);
    assert!(
        broken.text.contains("content/news/draft.md:5"),
        "{}",
        broken.text
    );
    assert!(broken.text.contains("colour"), "{}", broken.text);
    let home = server.get("/");
    assert_eq!(home.status, 200);
    assert!(
        home.text.contains("content/news/draft.md:5"),
        "{}",
        home.text
    );

    // A broken site.toml: no page builds, every page says why.
    let site_toml = repo.read("site.toml");
    repo.write("site.toml", &site_toml.replacen("title =", "titel =", 1));
    let failed = server.wait_for("/news/approved/", "the site.toml error", |page| {
        page.status == 500 && page.text.contains("site.toml:1")
    });
    assert!(failed.text.contains("titel"), "{}", failed.text);
    assert!(failed.text.contains("未审核预览"), "{}", failed.text);
    assert_eq!(
        server.get("/static/css/site.css").status,
        200,
        "the last good build still serves its files"
    );

    // Both fixed: the pages are back.
    repo.write("site.toml", &site_toml);
    repo.write(
        DRAFT,
        &article("尚未提交的草稿", "unit: kepu\n", "草稿第三版正文。"),
    );
    server.wait_for(DRAFT_URL, "the fixed page", |page| {
        page.status == 200 && page.text.contains("草稿第三版正文。")
    });

    // Nothing outside the preview is served, and only to this address.
    for escape in [
        "/../approvals/policy.yaml",
        "/%2e%2e/%2e%2e/approvals/policy.yaml",
        "/..%2f..%2fapprovals/policy.yaml",
        "/__sanshen/../../approvals/policy.yaml",
        "/__sanshen/%2e%2e/site.toml",
    ] {
        let page = server.get(escape);
        assert!(page.status >= 400, "{escape}: {}", page.text);
        assert!(
            !page.text.contains("ssh-ed25519"),
            "{escape}: {}",
            page.text
        );
        assert!(
            !page.text.contains("[[columns]]"),
            "{escape}: {}",
            page.text
        );
    }
    let rebound = server.get_as("/", "preview.attacker.example");
    assert_eq!(rebound.status, 403, "{}", rebound.text);

    assert!(
        !repo.root.join("public").exists(),
        "a preview never writes into the site's folder"
    );

    #[cfg(unix)]
    {
        assert_eq!(preview_folders(&server.temp).len(), 1);
        let status = server.interrupt();
        assert!(status.success(), "Ctrl-C ends serve cleanly: {status:?}");
        assert!(
            preview_folders(&server.temp).is_empty(),
            "the preview folder is removed on exit"
        );
    }
}

#[test]
fn serve_outside_a_site_folder_says_so() {
    let repo = TestRepo::new();
    let output = repo.sanshen(&["serve", "--port", "0"]);
    assert_eq!(output.status.code(), Some(2));
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert!(stderr.contains("not a site folder"), "{stderr}");
}
