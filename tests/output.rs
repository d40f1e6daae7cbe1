//! SPEC §7: no reader of the output folder ever sees a partly written file;
//! a build that is killed leaves the previous site whole or what the next
//! build repairs; two builds into one folder never interleave.
//! The real binary, killed at many moments of a build.

mod common;

use std::collections::BTreeMap;
use std::fs;
use std::path::{Path, PathBuf};
use std::process::Stdio;
use std::time::{Duration, Instant};

use common::*;

/// A site of `count` approved articles, reviewed in three signed commits.
fn site_with_articles(count: usize) -> (TestRepo, Cast) {
    let (repo, cast) = TestRepo::bootstrapped();
    let paths: Vec<String> = (0..count)
        .map(|i| format!("content/news/a{i:03}.md"))
        .collect();
    for (i, path) in paths.iter().enumerate() {
        repo.write(
            path,
            &article(&format!("稿件{i}"), "", &"科普活动正文。".repeat(40)),
        );
    }
    repo.commit_as(&cast.wangfang, "报送稿件");
    let paths: Vec<&str> = paths.iter().map(String::as_str).collect();
    repo.review_standard_together(&cast, &paths);
    (repo, cast)
}

fn files_of(dir: &Path) -> BTreeMap<PathBuf, Vec<u8>> {
    folder_files(dir)
}

fn build_args(repo: &TestRepo) -> Vec<String> {
    vec![
        "build".into(),
        "--out".into(),
        repo.out.display().to_string(),
        "--now".into(),
        NOW.into(),
    ]
}

#[test]
fn a_build_killed_at_any_moment_leaves_whole_files_and_the_next_build_repairs() {
    let (repo, cast) = site_with_articles(120);
    repo.build().assert_success();
    let old = files_of(&repo.out);

    // A new site.toml changes every page; the complete new site is the
    // reference for what a killed build may have put in place.
    repo.write("site.toml", &site_toml("改名后的测试科协网"));
    repo.commit_as(&cast.sunli, "改名");
    repo.approve(&cast.qianwei, "site", "site.toml");
    let reference = repo.home.join("reference");
    let args = [
        "build",
        "--out",
        reference.to_str().unwrap(),
        "--now",
        NOW,
        "--no-cache",
    ];
    assert!(repo.sanshen(&args).status.success());
    let new = files_of(&reference);

    let started = Instant::now();
    let mut killed_midway = 0;
    for delay_ms in [5u64, 20, 60, 120, 200, 300, 450, 700] {
        let args = build_args(&repo);
        let args: Vec<&str> = args.iter().map(String::as_str).collect();
        let mut child = repo
            .sanshen_command(&repo.root, &args)
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .spawn()
            .expect("start a build");
        std::thread::sleep(Duration::from_millis(delay_ms));
        let finished = child.try_wait().expect("poll the build").is_some();
        let _ = child.kill();
        let _ = child.wait();
        if !finished {
            killed_midway += 1;
        }
        // Every file there is a whole file of the old or the new site.
        if repo.out.exists() {
            for (path, bytes) in files_of(&repo.out) {
                assert!(
                    old.get(&path) == Some(&bytes) || new.get(&path) == Some(&bytes),
                    "after a kill at {delay_ms} ms, {} is neither the old nor the new file",
                    path.display()
                );
            }
        }
        // The next build repairs whatever the kill left: exactly the new site.
        repo.build().assert_success();
        assert!(
            files_of(&repo.out) == new,
            "the build after a kill at {delay_ms} ms did not repair the site"
        );
        let stray: Vec<String> = fs::read_dir(&repo.home)
            .unwrap()
            .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
            .filter(|n| n.starts_with(".public.building-"))
            .collect();
        assert!(stray.is_empty(), "left behind: {stray:?}");
        // Back to the old site for the next round: a fresh full render.
        fs::remove_dir_all(&repo.out).unwrap();
        for (path, bytes) in &old {
            let to = repo.out.join(path);
            fs::create_dir_all(to.parent().unwrap()).unwrap();
            fs::write(to, bytes).unwrap();
        }
    }
    assert!(
        killed_midway > 0,
        "no build was killed before it finished ({} ms in all): the test proves nothing",
        started.elapsed().as_millis()
    );
}

#[test]
fn a_second_build_into_the_same_folder_waits_or_gives_up() {
    let (repo, _) = site_with_articles(3);
    repo.build().assert_success();

    // Another build holds the folder (here: this test, through the lock file).
    let lock_path = repo.home.join(".public.lock");
    let lock = fs::OpenOptions::new()
        .create(true)
        .truncate(false)
        .write(true)
        .open(&lock_path)
        .expect("open the lock file");
    lock.lock().expect("take the lock");

    let args = build_args(&repo);
    let args: Vec<&str> = args.iter().map(String::as_str).collect();
    let refused = repo
        .sanshen_command(&repo.root, &args)
        .env("SANSHEN_BUILD_LOCK_WAIT", "1")
        .output()
        .expect("run a build");
    assert_eq!(refused.status.code(), Some(2));
    let said = String::from_utf8_lossy(&refused.stderr);
    assert!(said.contains("另一个构建正在写入"), "{said}");
    assert!(said.contains(".public.lock"), "{said}");

    // A build that waits goes ahead as soon as the other one is done.
    let waiting = repo
        .sanshen_command(&repo.root, &args)
        .stderr(Stdio::piped())
        .stdout(Stdio::null())
        .spawn()
        .expect("start a build");
    std::thread::sleep(Duration::from_millis(800));
    lock.unlock().expect("release the lock");
    let done = waiting.wait_with_output().expect("the waiting build ends");
    assert!(
        done.status.success(),
        "{}",
        String::from_utf8_lossy(&done.stderr)
    );
    assert!(String::from_utf8_lossy(&done.stderr).contains("等待其完成"));
}
