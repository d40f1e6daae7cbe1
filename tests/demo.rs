//! `sanshen demo` end to end: the real binary writes the bundled portal's
//! review history into a new repository and builds it. What a reader of the
//! README sees must hold: the build succeeds, most articles are online, and
//! every staged case — classified, withdrawn, scheduled, expired, in review,
//! an edit in review, forged approvals — shows in the site and in `status`.

use std::collections::BTreeMap;
use std::fs;
use std::path::{Path, PathBuf};
use std::process::{Command, Output};

use serde_json::Value;

const DEMO_NOW: &str = "2026-11-20T18:00:00+08:00";

fn sanshen(args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_sanshen"))
        .args(args)
        .output()
        .expect("run sanshen")
}

/// Run `sanshen demo --out <folder>` and insist it succeeded.
fn demo(folder: &Path) -> Output {
    let output = sanshen(&["demo", "--out", &folder.display().to_string()]);
    assert_eq!(
        output.status.code(),
        Some(0),
        "sanshen demo failed:\n{}\n{}",
        String::from_utf8_lossy(&output.stdout),
        String::from_utf8_lossy(&output.stderr)
    );
    output
}

fn page(site: &Path, article: &str) -> PathBuf {
    site.join(article).join("index.html")
}

/// Every file of the built site that mentions `text`.
fn files_mentioning(site: &Path, text: &str) -> Vec<PathBuf> {
    walkdir::WalkDir::new(site)
        .into_iter()
        .filter_map(Result::ok)
        .filter(|entry| entry.file_type().is_file())
        .filter(|entry| {
            fs::read(entry.path())
                .map(|bytes| String::from_utf8_lossy(&bytes).contains(text))
                .unwrap_or(false)
        })
        .map(|entry| entry.into_path())
        .collect()
}

fn status(repository: &Path) -> BTreeMap<String, Value> {
    let output = sanshen(&[
        "status",
        "--json",
        "--root",
        &repository.display().to_string(),
        "--now",
        DEMO_NOW,
    ]);
    assert!(
        output.status.success(),
        "{}",
        String::from_utf8_lossy(&output.stderr)
    );
    let list: Vec<Value> = serde_json::from_slice(&output.stdout).expect("status --json is JSON");
    list.into_iter()
        .map(|entry| {
            (
                entry["path"].as_str().unwrap_or_default().to_string(),
                entry,
            )
        })
        .collect()
}

fn refusals(entry: &Value) -> Vec<&str> {
    entry["ignored"]
        .as_array()
        .into_iter()
        .flatten()
        .filter_map(|ignored| ignored["refusal"].as_str())
        .collect()
}

#[test]
fn demo_builds_the_reviewed_portal() {
    let temp = tempfile::tempdir().unwrap();
    let folder = temp.path().join("demo");
    let output = demo(&folder);
    let stdout = String::from_utf8_lossy(&output.stdout);
    let site = folder.join("public");
    let repository = folder.join("repo");
    assert!(
        stdout.contains("NOT SECRET"),
        "the output must say the demo keys are not secret:\n{stdout}"
    );
    assert!(
        stdout.contains(&repository.display().to_string()),
        "{stdout}"
    );
    assert!(site.join("index.html").is_file());
    assert!(site.join("404.html").is_file());

    // Published, bundle assets beside the page.
    assert!(page(&site, "news/hq/kepuri-2026").is_file());
    assert!(site.join("news/hq/kepuri-2026/chart.png").is_file());
    assert!(
        page(&site, "news/hq/quanweihui-9-4").is_file(),
        "the major item passed the leading group"
    );
    assert!(page(&site, "special/keji-zhuli-xiangcun").is_file());

    // Never online, and never mentioned anywhere on the site (feeds, search index …).
    for (article, title) in [
        (
            "notices/nianmo-gongzuo-anpai",
            "市科协机关2026年年末工作安排",
        ),
        (
            "news/county/baishi-fudaoyuan",
            "白石县科协组织农村学校科技辅导员研修活动",
        ),
        (
            "notices/xueshu-nianhui-2026",
            "关于举办2026年云州市学术年会的通知",
        ),
        (
            "notices/xuehui-zizhu-shenbao",
            "关于申报2026年度市级学会学术交流活动资助项目的通知",
        ),
        (
            "news/hq/shenhua-gaige-huiyi",
            "全市科协系统深化改革工作会议召开",
        ),
        (
            "innovation/qiye-kexie-lianxi",
            "全市企业科协工作联席会议召开",
        ),
        ("academic/zhiku-zuotanhui", "市科协召开科技智库专家座谈会"),
    ] {
        assert!(
            !page(&site, article).exists(),
            "{article} must not be published"
        );
        assert_eq!(
            files_mentioning(&site, title),
            Vec::<PathBuf>::new(),
            "{title}"
        );
    }

    // The edit in review: the approved old text stays online.
    let edited = fs::read_to_string(page(&site, "news/hq/gaoxinqu-diaoyan")).unwrap();
    assert!(
        edited.contains("已建立企业科协11家"),
        "the approved version is online"
    );
    assert!(
        !edited.contains("企业科协12家"),
        "the edit in review is not"
    );
}

#[test]
fn demo_status_shows_every_staged_case() {
    let temp = tempfile::tempdir().unwrap();
    let folder = temp.path().join("demo");
    demo(&folder);
    let status = status(&folder.join("repo"));
    let state = |path: &str| {
        status[path]["state"]
            .as_str()
            .unwrap_or_default()
            .to_string()
    };
    let next = |path: &str| {
        status[path]["next_stage"]
            .as_str()
            .unwrap_or_default()
            .to_string()
    };
    let eligible = |path: &str| status[path]["eligible"].clone();

    let published = status
        .values()
        .filter(|s| s["state"] == "published")
        .count();
    assert_eq!(published, 26, "most articles are online");

    let outdated = "content/news/hq/gaoxinqu-diaoyan.md";
    assert_eq!(state(outdated), "outdated");
    assert_eq!(next(outdated), "re-review");
    assert_ne!(
        status[outdated]["published_oid"],
        status[outdated]["current_oid"]
    );

    let threshold = "content/news/hq/shenhua-gaige-huiyi.md";
    assert_eq!(state(threshold), "pending");
    assert_eq!(next(threshold), "group");
    assert_eq!(eligible(threshold), serde_json::json!(["wuxiulan"]));
    assert_eq!(refusals(&status[threshold]), ["unknown-key"]);

    let writer_signed_final = "content/news/hq/qingshaonian-keji-zuotan.md";
    assert_eq!(state(writer_signed_final), "pending");
    assert_eq!(next(writer_signed_final), "final");
    assert_eq!(refusals(&status[writer_signed_final]), ["wrong-role"]);

    let unsigned = "content/innovation/qiye-kexie-lianxi.md";
    assert_eq!(next(unsigned), "unit-review");
    assert_eq!(refusals(&status[unsigned]), ["unsigned"]);

    let returned = "content/academic/zhiku-zuotanhui.md";
    assert_eq!(state(returned), "pending");
    assert_eq!(next(returned), "re-review");
    assert_eq!(status[returned]["returns"][0]["stage"], "re-review");

    let classified = "content/notices/nianmo-gongzuo-anpai.md";
    assert_eq!(state(classified), "pending");
    assert_eq!(next(classified), "unit-review");
    assert_eq!(status[classified]["returns"][0]["person"], "wangjianping");

    assert_eq!(
        state("content/news/county/baishi-fudaoyuan.md"),
        "withdrawn"
    );
    assert_eq!(state("content/notices/xueshu-nianhui-2026.md"), "scheduled");
    assert_eq!(state("content/notices/xuehui-zizhu-shenbao.md"), "expired");
}

#[test]
fn demo_is_reproducible_and_never_overwrites() {
    let temp = tempfile::tempdir().unwrap();
    let first = temp.path().join("first");
    let second = temp.path().join("second");
    demo(&first);
    demo(&second);
    let head = |folder: &Path| {
        let repository = git2::Repository::open(folder.join("repo")).unwrap();
        repository.head().unwrap().peel_to_commit().unwrap().id()
    };
    assert_eq!(
        head(&first),
        head(&second),
        "same keys, times and signatures: same commits"
    );
    assert_eq!(
        fs::read(first.join("public/index.html")).unwrap(),
        fs::read(second.join("public/index.html")).unwrap()
    );

    let again = sanshen(&["demo", "--out", &first.display().to_string()]);
    assert_eq!(again.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&again.stderr).contains("not empty"));
}

/// git itself agrees about the signatures, given the demo's allowed_signers:
/// every commit verifies except the unsigned forgery and the approval signed
/// with a key registered only later.
#[test]
fn demo_signatures_verify_with_git() {
    let temp = tempfile::tempdir().unwrap();
    let folder = temp.path().join("demo");
    demo(&folder);
    let allowed = format!(
        "gpg.ssh.allowedSignersFile={}",
        folder.join("allowed_signers").display()
    );
    let output = Command::new("git")
        .env("GIT_CONFIG_GLOBAL", "/dev/null")
        .env("GIT_CONFIG_NOSYSTEM", "1")
        .arg("-C")
        .arg(folder.join("repo"))
        .args(["-c", &allowed, "log", "--format=%G? %s"])
        .output()
        .expect("run git");
    assert!(
        output.status.success(),
        "{}",
        String::from_utf8_lossy(&output.stderr)
    );
    let log = String::from_utf8_lossy(&output.stdout);
    let not_good: Vec<(&str, &str)> = log
        .lines()
        .filter_map(|line| line.split_once(' '))
        .filter(|(code, _)| *code != "G")
        .collect();
    let subjects: Vec<&str> = not_good.iter().map(|(_, subject)| *subject).collect();
    assert_eq!(
        subjects,
        [
            "领导小组审批同意：深化改革工作会议",
            "部门负责人审核通过：企业科协工作联席会议"
        ],
        "{log}"
    );
    assert_eq!(
        not_good[1].0, "N",
        "the forged unit-review approval is unsigned"
    );
    assert!(log.lines().count() > 100, "{log}");
}

/// What the demo suggests trying works: the two remaining reviewers of the
/// correction sign with their demo keys through `sanshen approve`, and the
/// rebuilt site shows the corrected figure.
#[test]
fn demo_try_it_publishes_the_correction() {
    let temp = tempfile::tempdir().unwrap();
    let folder = temp.path().join("demo");
    demo(&folder);
    let repository = folder.join("repo");
    let isolated = |program: &str| {
        let mut command = Command::new(program);
        command
            .env("HOME", temp.path())
            .env("GIT_CONFIG_GLOBAL", "/dev/null")
            .env("GIT_CONFIG_NOSYSTEM", "1")
            .env_remove("SSH_AUTH_SOCK");
        command
    };
    let run = |command: &mut Command| {
        let output = command.output().expect("run a command");
        assert!(
            output.status.success(),
            "{command:?}: {}{}",
            String::from_utf8_lossy(&output.stdout),
            String::from_utf8_lossy(&output.stderr)
        );
    };
    let article = "content/news/hq/gaoxinqu-diaoyan.md";
    for (stage, person, name) in [
        ("re-review", "zhaoqian", "赵倩"),
        ("final", "huangzhenhua", "黄振华"),
    ] {
        let key = folder.join("keys").join(person).display().to_string();
        let email = format!("{person}@kx.yunzhou.example");
        for (setting, value) in [
            ("gpg.format", "ssh"),
            ("user.name", name),
            ("user.email", &email),
            ("user.signingkey", &key),
        ] {
            run(isolated("git")
                .arg("-C")
                .arg(&repository)
                .args(["config", setting, value]));
        }
        run(isolated(env!("CARGO_BIN_EXE_sanshen"))
            .arg("--root")
            .arg(&repository)
            .args(["approve", "--stage", stage, article]));
    }
    run(isolated(env!("CARGO_BIN_EXE_sanshen"))
        .arg("--root")
        .arg(&repository)
        .arg("build")
        .arg("--out")
        .arg(folder.join("public")));
    let page =
        fs::read_to_string(page(&folder.join("public"), "news/hq/gaoxinqu-diaoyan")).unwrap();
    assert!(
        page.contains("已建立企业科协12家"),
        "the correction is online"
    );
}
