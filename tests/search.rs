//! Site search end to end (issue 15): a signed fixture repository built by
//! the real binary, then searched the way a visitor searches — the built
//! site served on 127.0.0.1, its search page driven in headless Chromium by
//! `tests/browser/search.py` — with the expected top results for each kind
//! of query: a two-character word, a phrase deep in a long body, a 文号, an
//! index code, a phone number, Chinese mixed with digits, a query in
//! traditional characters, a one-character query, filters, and a query with
//! no results. The same script runs the pure functions of `search.js`.
//!
//! Without a browser the tests that need one say so and pass; with `CI` set
//! a missing browser fails them. The tests of what the index holds (nothing
//! unpublished) and of warm builds read the built files and need no browser.

mod common;

use std::collections::BTreeMap;
use std::io::Read;
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};

use common::browser::{Server, chromium_or_skip, free_port, wait_for_port};
use common::{Cast, TestRepo};
use serde_json::{Value, json};

const SITE: &str = r#"title = "测试科协网"
base_url = "https://kx.example/"

[[columns]]
path = "news"
title = "工作动态"
units = ["kepu"]

[[columns]]
path = "news/county"
title = "基层动态"
units = ["kepu"]

[[columns]]
path = "xxgk"
title = "信息公开"
units = ["kepu"]
"#;

/// Filler paragraphs: the planted phrases sit after thousands of characters.
fn filler(paragraphs: usize) -> String {
    (0..paragraphs)
        .map(|i| {
            format!(
                "第{i}段：全市各级各部门坚持问题导向，统筹推进重点工作，进一步压实责任、细化措施、强化督导，确保各项任务按期完成，不断提升群众的获得感和满意度。\n\n"
            )
        })
        .collect()
}

fn front(title: &str, date: &str, extra: &str) -> String {
    format!("---\ntitle: {title}\ndate: {date}\nunit: kepu\n{extra}---\n\n")
}

/// The published articles: path → text.
fn published() -> Vec<(&'static str, String)> {
    vec![
        (
            "content/news/kepu-yuekao.md",
            front(
                "全市科普月活动启动",
                "2026-11-03",
                "summary: 科普月期间将开展各类活动。\n",
            ) + "十一月是全市科普月。",
        ),
        (
            "content/news/changwen-heijinghe.md",
            front("湿地保护工作综述", "2026-11-04", "")
                + &filler(40)
                + "下一步，将重点做好黑颈鹤越冬栖息地保护，加强巡护监测。\n\n"
                + &filler(5),
        ),
        (
            "content/news/decoy-heijinghe.md",
            front("鸟类观察笔记", "2026-11-12", "")
                + "黑颈鹤是珍稀鸟类。仙鹤越过山岭。动物越冬。它们冬栖于湖畔，栖息地，息地环境，此地保全，保护工作。\n",
        ),
        (
            "content/xxgk/banfa.md",
            front(
                "云州科协信息发布审核管理办法",
                "2026-11-02",
                "type: policy\ndoc_number: 云科协发〔2026〕12号\nindex_number: 000014349/2026-00042\n",
            ) + "第一条 为规范信息发布，制定本办法。\n",
        ),
        (
            "content/news/cite-banfa.md",
            front("关于做好信息报送工作的通知", "2026-11-10", "")
                + "根据《云州科协信息发布审核管理办法》（云科协发〔2026〕12号），现就有关事项通知如下。\n",
        ),
        (
            "content/news/cite-other.md",
            front("另一份通知", "2026-11-11", "") + "参照云科协发〔2026〕120号文件执行。\n",
        ),
        (
            "content/news/county/rexian.md",
            front("青山县开通科技咨询热线", "2026-11-05", "")
                + &filler(20)
                + "咨询电话：0871-65550100，工作日接听。\n",
        ),
        (
            "content/news/county/rexian-2.md",
            front("南屏县公布服务电话", "2026-11-06", "") + "服务电话：0871-65550199。\n",
        ),
        (
            "content/news/jizhan.md",
            front("全市新建5G基站1200个", "2026-11-07", "")
                + "今年以来，全市新建５Ｇ基站1200个。\n",
        ),
        (
            "content/news/jizhan-old.md",
            front("通信网络建设情况", "2026-11-13", "") + "全市4G基站运行平稳，5G网络覆盖城区。\n",
        ),
        (
            "content/news/kejiguan.md",
            front("科技馆开放时间调整", "2026-11-01", "") + "市科技馆冬季开放时间调整。\n",
        ),
        (
            "content/news/county/shuzi.md",
            front(
                "县域数字经济发展论坛举行",
                "2026-11-08",
                "tags: [数字经济, 论坛]\n",
            ) + "论坛围绕数字经济展开研讨。\n",
        ),
    ]
}

const DRAFT: &str = "content/news/draft.md";
const OUTDATED: &str = "content/news/kepu-yuekao.md";
const WITHDRAWN: &str = "content/news/withdrawn.md";
const SCHEDULED: &str = "content/news/scheduled.md";

/// Words that only unpublished versions contain.
const SECRETS: &[&str] = &[
    "zqxdraft",
    "zqxpending",
    "zqxwithdrawn",
    "zqxscheduled",
    "鼋鼍",
];

/// The fixture: every article above published through the standard
/// workflow (one commit per stage for all of them), plus a draft nobody
/// approved, a pending edit of a published article, a withdrawn article and
/// an approved one scheduled for after the build's clock.
fn fixture() -> (TestRepo, Cast) {
    let (repo, cast) = TestRepo::bootstrapped();
    repo.write("site.toml", SITE);
    repo.commit_as(&cast.qianwei, "栏目设置");
    repo.approve(&cast.qianwei, "site", "site.toml");

    let mut paths: Vec<&str> = Vec::new();
    for (path, text) in published() {
        repo.write(path, &text);
        paths.push(path);
    }
    repo.write(
        WITHDRAWN,
        &(front("已撤稿件", "2026-11-09", "") + "zqxwithdrawn 鼋鼍 撤稿内容。\n"),
    );
    repo.write(
        SCHEDULED,
        &(front("定时发布", "2026-11-09", "publish_at: 2026-12-01\n") + "zqxscheduled 鼋鼍。\n"),
    );
    paths.extend([WITHDRAWN, SCHEDULED]);
    repo.commit_as(&cast.wangfang, "稿件");
    repo.review_standard_together(&cast, &paths);
    repo.withdraw(&cast.sunli, WITHDRAWN, "内容有误");
    repo.write(
        DRAFT,
        &(front("草稿", "2026-11-14", "") + "zqxdraft 鼋鼍 草稿内容。\n"),
    );
    let edited = published()
        .into_iter()
        .find(|(path, _)| *path == OUTDATED)
        .map(|(_, text)| text + "\nzqxpending 鼋鼍 待审新版。\n")
        .unwrap_or_default();
    repo.write(OUTDATED, &edited);
    repo.commit_as(&cast.wangfang, "草稿与修改");
    (repo, cast)
}

fn gunzip(bytes: &[u8]) -> Vec<u8> {
    if bytes.starts_with(&[0x1f, 0x8b]) {
        let mut out = Vec::new();
        flate2::read::GzDecoder::new(bytes)
            .read_to_end(&mut out)
            .expect("index files gunzip");
        out
    } else {
        bytes.to_vec()
    }
}

/// Every file under `search/`, gunzipped: path → bytes.
fn index_files(out: &Path) -> BTreeMap<String, Vec<u8>> {
    walkdir::WalkDir::new(out.join("search"))
        .into_iter()
        .filter_map(Result::ok)
        .filter(|entry| entry.file_type().is_file())
        .map(|entry| {
            let name = entry
                .path()
                .strip_prefix(out)
                .unwrap_or(entry.path())
                .display()
                .to_string();
            (
                name,
                gunzip(&std::fs::read(entry.path()).expect("readable")),
            )
        })
        .collect()
}

fn contains(haystack: &[u8], needle: &str) -> bool {
    haystack
        .windows(needle.len())
        .any(|window| window == needle.as_bytes())
}

#[test]
fn the_index_holds_published_text_only_and_is_kept_on_a_warm_build() {
    let (repo, cast) = fixture();
    let build = repo.build();
    build.assert_success();
    let files = index_files(&repo.out);
    assert!(
        files.keys().any(|f| f.contains("/t/")),
        "{:?}\n{}",
        files.keys(),
        build.stderr()
    );
    for (name, bytes) in &files {
        for secret in SECRETS {
            assert!(
                !contains(bytes, secret),
                "{name} holds `{secret}` of an unpublished version"
            );
        }
    }
    // What is published is there, deep text included.
    let all: Vec<u8> = files.values().flatten().copied().collect();
    for published in [
        "黑颈鹤越冬栖息地保护",
        "0871-65550100",
        "65550100",
        "十一月是全市科普月",
    ] {
        assert!(contains(&all, published), "`{published}` is indexed");
    }

    // An unchanged rebuild keeps every index file as it was.
    // (The search page itself is rendered anew, as the site map and 404 are.)
    let stamps = |out: &Path| -> BTreeMap<String, (u64, std::time::SystemTime)> {
        walkdir::WalkDir::new(out.join("search"))
            .into_iter()
            .filter_map(Result::ok)
            .filter(|e| e.file_type().is_file() && !e.path().ends_with("search/index.html"))
            .map(|e| {
                let meta = e.metadata().expect("metadata");
                (
                    e.path().display().to_string(),
                    (meta.len(), meta.modified().expect("mtime")),
                )
            })
            .collect()
    };
    let before = stamps(&repo.out);
    repo.build().assert_success();
    assert_eq!(
        stamps(&repo.out),
        before,
        "a warm build rewrote index files"
    );

    // Approving the pending edit changes the index: new names, new text.
    for (person, stage) in [
        (&cast.lihua, "unit-review"),
        (&cast.zhaolei, "re-review"),
        (&cast.chenjun, "final"),
    ] {
        repo.approve(person, stage, OUTDATED);
    }
    repo.build().assert_success();
    let after = index_files(&repo.out);
    let all: Vec<u8> = after.values().flatten().copied().collect();
    assert!(contains(&all, "zqxpending"), "the approved edit is indexed");
    // Files whose content did not change (the table, the other articles'
    // search documents) are kept as they were, not written again.
    let now = stamps(&repo.out);
    let kept: Vec<&String> = before
        .iter()
        .filter(|(name, stamp)| now.get(*name) == Some(stamp))
        .map(|(name, _)| name)
        .collect();
    assert!(
        kept.iter().any(|name| name.contains("/search/t2s/")),
        "{kept:?}"
    );
    assert!(
        kept.iter()
            .filter(|name| name.contains("/search/d/"))
            .count()
            >= 10,
        "{kept:?}"
    );
    assert!(kept.len() < before.len(), "something changed");
    assert!(!contains(&all, "zqxdraft"));
    let manifests = |files: &BTreeMap<String, Vec<u8>>| -> Vec<String> {
        files
            .keys()
            .filter(|f| f.starts_with("search/index-"))
            .cloned()
            .collect()
    };
    assert_eq!(
        manifests(&after).len(),
        1,
        "one manifest: old files are removed"
    );
    assert_ne!(
        manifests(&after),
        manifests(&files),
        "a changed index has a new name"
    );

    // A cold build of the same commit writes the same bytes.
    repo.build_with(&["--no-cache"]).assert_success();
    assert_eq!(index_files(&repo.out), after, "cold and warm builds agree");
}

// ---- in the browser ----------------------------------------------------

/// Serve `folder` on 127.0.0.1 with Python's static file server.
fn serve(folder: &Path) -> (Server, String) {
    let port = free_port();
    let server = Server(
        Command::new("python3")
            .args(["-m", "http.server", "--bind", "127.0.0.1", "--directory"])
            .arg(folder)
            .arg(port.to_string())
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .spawn()
            .expect("start python3 -m http.server"),
    );
    wait_for_port(port, "the file server");
    (server, format!("http://127.0.0.1:{port}"))
}

/// Run `queries` through tests/browser/search.py; one result per query.
fn run_queries(base: &str, queries: &Value, scratch: &Path) -> Vec<Value> {
    let file: PathBuf = scratch.join("queries.json");
    std::fs::write(&file, queries.to_string()).expect("write the queries");
    let script = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/browser/search.py");
    let output = Command::new("python3")
        .arg(script)
        .arg(base)
        .arg(&file)
        .output()
        .expect("run python3 tests/browser/search.py");
    let stdout = String::from_utf8_lossy(&output.stdout);
    assert!(
        output.status.success(),
        "the search driver failed:\n{stdout}{}",
        String::from_utf8_lossy(&output.stderr)
    );
    stdout
        .lines()
        .map(|line| serde_json::from_str(line).expect("the driver prints JSON lines"))
        .collect()
}

fn urls(result: &Value) -> Vec<&str> {
    result["urls"]
        .as_array()
        .map(|list| list.iter().filter_map(Value::as_str).collect())
        .unwrap_or_default()
}

#[test]
fn queries_find_the_right_articles_in_chromium() {
    if !chromium_or_skip() {
        return;
    }
    let (repo, _) = fixture();
    repo.build().assert_success();
    let (_server, base) = serve(&repo.out);
    let queries = json!([
        { "q": "!unit" },
        { "q": "科普" },
        { "q": "黑颈鹤越冬栖息地保护" },
        { "q": "云科协发〔2026〕12号" },
        { "q": "000014349/2026-00042" },
        { "q": "0871-65550100" },
        { "q": "５Ｇ基站" },
        { "q": "數字經濟" },
        { "q": "量子引力波望远镜" },
        { "q": "鹤" },
        { "q": "电话", "column": "news/county" },
        { "q": "zqxdraft" },
        { "q": "鼋鼍" },
        { "q": "动态", "page": 2 },
    ]);
    let results = run_queries(&base, &queries, &repo.home);
    assert_eq!(results.len(), queries.as_array().map_or(0, Vec::len));
    assert_eq!(results[0]["unit"], json!([]), "search.js unit checks");
    for result in &results[1..] {
        assert_eq!(result["problems"], json!([]), "{result}");
        assert_eq!(
            result["header"], result["q"],
            "the header box keeps the query"
        );
        assert_eq!(result["filters_shown"], true);
    }
    let top = |i: usize| {
        urls(&results[i])
            .first()
            .copied()
            .unwrap_or("(none)")
            .to_string()
    };

    // A two-character word: the article with it in its title comes first.
    assert_eq!(top(1), "/news/kepu-yuekao/", "{}", results[1]);
    assert!(
        results[1]["marks"][0]
            .as_array()
            .is_some_and(|m| !m.is_empty())
    );
    // A phrase deep in a long body beats a newer article with its pieces apart,
    // and its snippet shows the phrase highlighted.
    assert_eq!(
        urls(&results[2]),
        ["/news/changwen-heijinghe/", "/news/decoy-heijinghe/"],
        "{}",
        results[2]
    );
    assert!(
        results[2]["marks"][0]
            .as_array()
            .is_some_and(|marks| marks.contains(&json!("黑颈鹤越冬栖息地保护"))),
        "{}",
        results[2]
    );
    // A 文号 finds the document itself first (a meta field), then the one citing it,
    // and not the document numbered 120.
    assert_eq!(
        urls(&results[3]),
        ["/xxgk/banfa/", "/news/cite-banfa/"],
        "{}",
        results[3]
    );
    // Its snippet is the 文号 line, not a stray "2026" of its body.
    assert_eq!(
        results[3]["snippets"][0], "文号：云科协发〔2026〕12号",
        "{}",
        results[3]
    );
    // An index code.
    assert_eq!(urls(&results[4]), ["/xxgk/banfa/"], "{}", results[4]);
    // A phone number deep in a body, not its neighbour's.
    assert_eq!(
        urls(&results[5]),
        ["/news/county/rexian/"],
        "{}",
        results[5]
    );
    assert!(
        results[5]["snippets"][0]
            .as_str()
            .is_some_and(|s| s.contains("0871-65550100")),
        "{}",
        results[5]
    );
    // Chinese mixed with digits, typed full-width: the phrase first.
    assert_eq!(
        urls(&results[6]),
        ["/news/jizhan/", "/news/jizhan-old/"],
        "{}",
        results[6]
    );
    // Traditional characters find simplified text.
    assert_eq!(top(7), "/news/county/shuzi/", "{}", results[7]);
    // No results.
    assert_eq!(urls(&results[8]), Vec::<&str>::new());
    assert_eq!(results[8]["status"], "没有找到包含全部关键词的信息。");
    // One character.
    assert_eq!(urls(&results[9]).len(), 2, "{}", results[9]);
    // A column filter.
    assert_eq!(
        urls(&results[10]),
        ["/news/county/rexian-2/", "/news/county/rexian/"],
        "{}",
        results[10]
    );
    // Nothing unpublished is findable.
    assert_eq!(urls(&results[11]), Vec::<&str>::new(), "{}", results[11]);
    assert_eq!(urls(&results[12]), Vec::<&str>::new(), "{}", results[12]);
    // The second page of results.
    assert!(
        results[13]["status"]
            .as_str()
            .is_some_and(|s| s.contains("第 2 / 2 页")),
        "{}",
        results[13]
    );
    assert!(!urls(&results[13]).is_empty());
    // A query downloads a small part of the index.
    for result in &results[1..] {
        let bytes = result["index_bytes"].as_u64().unwrap_or(u64::MAX);
        assert!(bytes < 200_000, "{bytes} bytes for {}", result["q"]);
    }
}
