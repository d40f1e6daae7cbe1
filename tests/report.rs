//! `sanshen report` (SPEC §6): the statistics the publicity office files —
//! counts by unit, person, column and stage over a small, fully known signed
//! history, with a forged approval, a return, a withdrawal and articles
//! still in review; period bounds at midnight in the site's time zone; and
//! what each output format promises (CSV quoting, JSON keys, a self-contained
//! HTML page, exit 2 for a bad date).

mod common;

use std::collections::BTreeSet;

use serde_json::Value;

use common::{FIRST_COMMIT_TIME, NOW, SITE_TITLE, TestRepo, site_toml, trailer_message};

const A: &str = "content/news/a.md";
const B: &str = "content/news/b.md";
const C: &str = "content/notices/c.md";
const D: &str = "content/news/d.md";
const E: &str = "content/news/e.md";

fn front(title: &str, extra: &str) -> String {
    // `unit` is required (SPEC §3): kepu, the news column's, unless given.
    let unit = if extra.contains("unit:") {
        ""
    } else {
        "unit: kepu\n"
    };
    format!("---\ntitle: {title}\ndate: 2026-11-02\n{unit}{extra}---\n\n{title}的正文。\n")
}

/// The office's November, one commit a minute from 2026-11-01T09:00+08:00:
///
/// - A (news → kepu), drafted by 王芳 for an event of 20 October, passes
///   the three stages, then 孙丽 withdraws it;
/// - B (`unit: xuehui`), drafted by 张三, passes the three stages;
/// - C (notices → office), committed by 张三 with `author: 王芳`, waits at
///   unit review (no unit head covers office);
/// - D (news), drafted by 王芳, passes unit review and re-review; its
///   "final" is signed by someone with 陈军's name and address but a key of
///   their own — a forgery, which must count for nothing;
/// - E (news), drafted by 王芳, is sent back by 李华 at unit review; an
///   unsigned "return" by 张三, and one signed by 刘强 (unit head of
///   学会部, not of 科普部), must count for nothing.
struct Office {
    repo: TestRepo,
    /// The commit completing B's review.
    b_published: String,
}

fn office() -> Office {
    let (repo, cast) = TestRepo::bootstrapped();
    repo.publish_draft(
        &cast.wangfang,
        A,
        &front("科普月启动", "event_date: 2026-10-20\n"),
    );
    repo.review_standard(&cast, A);
    repo.publish_draft(&cast.zhangsan, B, &front("学会年会", "unit: xuehui\n"));
    repo.approve(&cast.liuqiang, "unit-review", B);
    repo.approve(&cast.zhaolei, "re-review", B);
    let b_published = repo.approve(&cast.chenjun, "final", B);
    repo.publish_draft(
        &cast.zhangsan,
        C,
        &front("放假通知", "unit: office\nauthor: 王芳\n"),
    );
    repo.publish_draft(&cast.wangfang, D, &front("调研活动", ""));
    repo.approve(&cast.lihua, "unit-review", D);
    repo.approve(&cast.zhaolei, "re-review", D);
    let forger = repo.impostor(&cast.chenjun);
    repo.approve(&forger, "final", D);
    repo.publish_draft(&cast.wangfang, E, &front("讲座预告", ""));
    let oid = repo.rev_parse(&format!("HEAD:{E}"));
    repo.sign_trailers(
        &cast.lihua,
        "退回",
        &[
            format!("Return: unit-review {E} {oid}"),
            "Return-Reason: 标题需修改".into(),
        ],
    );
    repo.commit_with(
        &cast.zhangsan,
        None,
        &trailer_message("退回", &[format!("Return: unit-review {E} {oid}")]),
        true,
    );
    repo.sign_trailers(
        &cast.liuqiang,
        "退回",
        &[format!("Return: unit-review {E} {oid}")],
    );
    repo.withdraw(&cast.sunli, A, "活动延期");
    Office { repo, b_published }
}

fn report(repo: &TestRepo, args: &[&str]) -> std::process::Output {
    let mut all = vec!["report", "--now", NOW];
    all.extend_from_slice(args);
    repo.sanshen(&all)
}

fn report_json(repo: &TestRepo, args: &[&str]) -> Value {
    let mut all = vec!["--format", "json"];
    all.extend_from_slice(args);
    let output = report(repo, &all);
    assert_eq!(
        output.status.code(),
        Some(0),
        "sanshen report failed:\n{}",
        String::from_utf8_lossy(&output.stderr)
    );
    serde_json::from_slice(&output.stdout).expect("report --format json prints JSON")
}

fn row<'a>(report: &'a Value, id: &str) -> &'a Value {
    report["rows"]
        .as_array()
        .expect("rows")
        .iter()
        .find(|r| r["id"] == id)
        .unwrap_or_else(|| panic!("no row `{id}` in {report:#}"))
}

fn ids(report: &Value) -> Vec<String> {
    report["rows"]
        .as_array()
        .expect("rows")
        .iter()
        .map(|r| r["id"].as_str().unwrap_or("(none)").to_string())
        .collect()
}

#[test]
fn units_are_counted_and_ranked_from_verified_history() {
    let office = office();
    let report = report_json(&office.repo, &["--by", "unit"]);
    assert_eq!(report["by"], "unit");
    assert_eq!(ids(&report), ["kepu", "xuehui", "office"]);

    let kepu = row(&report, "kepu");
    assert_eq!(kepu["name"], "科普部");
    assert_eq!(kepu["rank"], 1);
    assert_eq!(
        kepu["published"], 1,
        "A counts though withdrawn since; D's forged final does not publish it"
    );
    assert_eq!(
        kepu["late"], 1,
        "A came out 13 days after its event; the limit is 3"
    );
    assert_eq!(kepu["pending"], 2, "D and E");
    assert_eq!(
        kepu["returned"], 1,
        "neither the unsigned return nor the one from another unit's head counts"
    );
    assert_eq!(kepu["withdrawn"], 1);

    let xuehui = row(&report, "xuehui");
    assert_eq!(xuehui["rank"], 1, "the same count shares the rank");
    assert_eq!(xuehui["published"], 1);
    assert_eq!(xuehui["late"], 0);
    assert_eq!(
        xuehui["median_to_publish_seconds"], 180,
        "drafted, then three approvals a minute apart"
    );
    assert_eq!(xuehui["median_wait_seconds"], 60);

    let office_row = row(&report, "office");
    assert_eq!(office_row["rank"], 3);
    assert_eq!(
        office_row["published"], 0,
        "a unit that published nothing is listed"
    );
    assert_eq!(office_row["pending"], 1);

    let total = &report["total"];
    assert_eq!(total["published"], 2);
    assert_eq!(total["pending"], 3);
    assert_eq!(total["returned"], 1);
    assert_eq!(total["withdrawn"], 1);
    let articles: Vec<&str> = report["articles"]
        .as_array()
        .expect("articles")
        .iter()
        .map(|a| a["path"].as_str().expect("a path"))
        .collect();
    assert_eq!(articles, [A, B], "what was counted, oldest first");
    assert_eq!(
        report["articles"][0]["days_late"], 13,
        "from the event to the later of its approval and its `date: 2026-11-02`, as `check` counts"
    );
    assert_eq!(report["articles"][0]["drafter"], "wangfang");
}

#[test]
fn a_forged_approval_counts_for_nothing() {
    let office = office();
    let status = office.repo.status_json();
    let d = status.iter().find(|s| s["path"] == D).expect("D in status");
    assert!(
        d["ignored"]
            .as_array()
            .expect("ignored")
            .iter()
            .any(|i| i["refusal"] == "unknown-key" && i["stage"] == "final"),
        "the forged final is in the history and refused: {d:#}"
    );

    let by_stage = report_json(&office.repo, &["--by", "stage"]);
    let final_stage = row(&by_stage, "final");
    assert_eq!(
        final_stage["approvals"], 2,
        "陈军's real finals on A and B only"
    );
    assert_eq!(final_stage["pending"], 1, "D still waits for its final");
    let by_person = report_json(&office.repo, &["--by", "person"]);
    assert_eq!(row(&by_person, "chenjun")["approvals"], 2);
    assert_eq!(by_person["total"]["published"], 2, "D is not published");
}

#[test]
fn only_returns_by_someone_entitled_to_review_count() {
    let office = office();
    let status = office.repo.status_json();
    let e = status.iter().find(|s| s["path"] == E).expect("E in status");
    assert_eq!(
        e["returns"].as_array().map(Vec::len),
        Some(3),
        "all three returns are in the history: {e:#}"
    );
    let by_person = report_json(&office.repo, &["--by", "person"]);
    assert_eq!(row(&by_person, "wangfang")["returned"], 1);
    assert_eq!(by_person["total"]["returned"], 1);
}

#[test]
fn people_are_credited_for_what_they_drafted_and_signed() {
    let office = office();
    let report = report_json(&office.repo, &["--by", "person"]);
    let order = ids(&report);
    assert_eq!(
        order[..6],
        [
            "wangfang", "zhangsan", "zhaolei", "chenjun", "lihua", "liuqiang"
        ],
        "most published, then most approvals, then id"
    );
    let ranks: Vec<&Value> = report["rows"].as_array().expect("rows")[..6]
        .iter()
        .map(|r| &r["rank"])
        .collect();
    assert_eq!(ranks, [1, 1, 3, 4, 4, 6]);

    let wangfang = row(&report, "wangfang");
    assert_eq!(wangfang["published"], 1);
    assert_eq!(
        wangfang["pending"], 3,
        "C is hers by its front matter `author`, though 张三 committed it"
    );
    assert_eq!(wangfang["returned"], 1);
    assert_eq!(wangfang["withdrawn"], 1);
    assert_eq!(wangfang["approvals"], 0);

    let zhangsan = row(&report, "zhangsan");
    assert_eq!(zhangsan["published"], 1);
    assert_eq!(zhangsan["pending"], 0);

    let lihua = row(&report, "lihua");
    assert_eq!(lihua["approvals"], 2);
    assert_eq!(lihua["approvals_by_stage"]["unit-review"], 2);
    assert_eq!(
        lihua["median_wait_seconds"], 60,
        "each draft waited a minute for her"
    );
    assert_eq!(
        row(&report, "zhaolei")["approvals_by_stage"]["re-review"],
        3
    );
    assert_eq!(
        row(&report, "qianwei")["approvals"],
        0,
        "approving site.toml is not article review"
    );
    assert_eq!(report["total"]["approvals"], 8);
}

#[test]
fn columns_and_stages_are_counted() {
    let office = office();
    let columns = report_json(&office.repo, &["--by", "column"]);
    assert_eq!(ids(&columns), ["news", "notices"]);
    let news = row(&columns, "news");
    assert_eq!(news["name"], "工作动态");
    assert_eq!(news["published"], 2);
    assert_eq!(news["pending"], 2);
    assert_eq!(row(&columns, "notices")["pending"], 1);

    let stages = report_json(&office.repo, &["--by", "stage"]);
    assert_eq!(
        ids(&stages),
        ["unit-review", "re-review", "final", "group"],
        "stages in review order, not ranked"
    );
    let unit_review = row(&stages, "unit-review");
    assert_eq!(unit_review["rank"], Value::Null);
    assert_eq!(unit_review["published"], Value::Null);
    assert_eq!(unit_review["approvals"], 3);
    assert_eq!(unit_review["stage_passes"], 3);
    assert_eq!(unit_review["pending"], 2, "C and E wait here");
    assert_eq!(unit_review["returned"], 1);
    assert_eq!(unit_review["median_wait_seconds"], 60);
    assert_eq!(unit_review["mean_wait_seconds"], 60);
    assert_eq!(row(&stages, "re-review")["approvals"], 3);
    assert_eq!(row(&stages, "group")["approvals"], 0);
}

#[test]
fn an_earlier_revision_counts_only_its_own_history() {
    let office = office();
    let report = report_json(&office.repo, &["--rev", &office.b_published]);
    assert_eq!(report["revision"], office.b_published.as_str());
    assert_eq!(report["total"]["published"], 2);
    assert_eq!(report["total"]["withdrawn"], 0, "A's withdrawal came later");
    assert_eq!(report["total"]["returned"], 0);
    assert_eq!(report["total"]["pending"], 0);
}

/// F's review completes one second before midnight ending 20 November, G's
/// at that midnight — written as 16:00 UTC, still the 20th in UTC, but the
/// site counts in Asia/Shanghai.
#[test]
fn the_period_includes_both_days_whole_in_the_site_time_zone() {
    let (repo, cast) = TestRepo::bootstrapped();
    let text =
        |title: &str| format!("---\ntitle: {title}\ndate: 2026-11-21\nunit: kepu\n---\n\n正文。\n");
    for (path, final_at) in [
        ("content/news/f.md", "2026-11-20T23:59:59+08:00"),
        ("content/news/g.md", "2026-11-20T16:00:00+00:00"),
    ] {
        repo.publish_draft(&cast.wangfang, path, &text(path));
        repo.approve(&cast.lihua, "unit-review", path);
        repo.approve(&cast.zhaolei, "re-review", path);
        repo.next_commit_dated(final_at);
        repo.approve(&cast.chenjun, "final", path);
    }
    let counted = |from: &str, to: &str| -> Vec<String> {
        let output = repo.sanshen(&[
            "report",
            "--now",
            "2026-11-25T12:00:00+08:00",
            "--format",
            "json",
            "--from",
            from,
            "--to",
            to,
        ]);
        assert_eq!(
            output.status.code(),
            Some(0),
            "{}",
            String::from_utf8_lossy(&output.stderr)
        );
        let report: Value = serde_json::from_slice(&output.stdout).expect("JSON");
        report["articles"]
            .as_array()
            .expect("articles")
            .iter()
            .map(|a| a["path"].as_str().expect("a path").to_string())
            .collect()
    };
    assert_eq!(counted("2026-11-20", "2026-11-20"), ["content/news/f.md"]);
    assert_eq!(counted("2026-11-21", "2026-11-21"), ["content/news/g.md"]);
    assert_eq!(
        counted("2026-11-20", "2026-11-21"),
        ["content/news/f.md", "content/news/g.md"]
    );
    assert!(counted("2026-11-01", "2026-11-19").is_empty());
}

#[test]
fn csv_is_quoted_for_spreadsheets_and_starts_with_a_byte_order_mark() {
    let (repo, cast) = TestRepo::bootstrapped();
    repo.write(
        "site.toml",
        &site_toml(SITE_TITLE).replace("通知公告", "通知,\\\"公告\\\""),
    );
    repo.commit_as(&cast.sunli, "栏目改名");
    repo.approve(&cast.qianwei, "site", "site.toml");
    let output = report(&repo, &["--by", "column", "--format", "csv"]);
    assert_eq!(
        output.status.code(),
        Some(0),
        "{}",
        String::from_utf8_lossy(&output.stderr)
    );
    let csv = String::from_utf8(output.stdout).expect("UTF-8");
    let body = csv
        .strip_prefix('\u{FEFF}')
        .expect("a UTF-8 byte order mark for Excel");
    let records: Vec<&str> = body.split_terminator("\r\n").collect();
    assert!(!body.replace("\r\n", "").contains('\n'), "CRLF line ends");
    assert!(
        records[0].starts_with("名次,编号,栏目,发布,"),
        "{}",
        records[0]
    );
    assert!(
        records.contains(&"1,notices,\"通知,\"\"公告\"\"\",0,0,0,0,0,,"),
        "the title is quoted and its quotes doubled: {records:#?}"
    );
    assert_eq!(records.last().map(|r| r.starts_with(",,合计,")), Some(true));
    assert_eq!(records.len(), 4, "header, two columns, total");
}

#[test]
fn json_has_a_stable_schema() {
    let office = office();
    let report = report_json(
        &office.repo,
        &["--from", "2026-11-01", "--to", "2026-11-30"],
    );
    let keys = |value: &Value| -> BTreeSet<String> {
        value
            .as_object()
            .expect("an object")
            .keys()
            .cloned()
            .collect()
    };
    let expected =
        |names: &[&str]| -> BTreeSet<String> { names.iter().map(|s| s.to_string()).collect() };
    assert_eq!(
        keys(&report),
        expected(&[
            "schema", "site", "language", "revision", "now", "timezone", "period", "by", "stages",
            "rows", "total", "articles",
        ])
    );
    assert_eq!(report["schema"], 1);
    assert_eq!(report["site"], SITE_TITLE);
    assert_eq!(report["now"], NOW);
    assert_eq!(report["timezone"], "Asia/Shanghai");
    assert_eq!(report["period"]["from"], "2026-11-01");
    assert_eq!(report["period"]["to"], "2026-11-30");
    let row_keys = expected(&[
        "id",
        "name",
        "rank",
        "published",
        "late",
        "median_to_publish_seconds",
        "pending",
        "returned",
        "withdrawn",
        "approvals",
        "approvals_by_stage",
        "stage_passes",
        "median_wait_seconds",
        "mean_wait_seconds",
    ]);
    for row in report["rows"].as_array().expect("rows") {
        assert_eq!(keys(row), row_keys);
    }
    assert_eq!(keys(&report["total"]), row_keys);
    assert_eq!(
        keys(&report["articles"][0]),
        expected(&[
            "path",
            "title",
            "unit",
            "column",
            "drafter",
            "drafted_at",
            "published_at",
            "days_late",
        ])
    );
    let first_publication = FIRST_COMMIT_TIME + 5 * 60;
    let published = chrono::DateTime::parse_from_rfc3339(
        report["articles"][0]["published_at"]
            .as_str()
            .expect("a time"),
    )
    .expect("RFC 3339");
    assert_eq!(
        published.timestamp(),
        first_publication,
        "A's final approval"
    );
    assert_eq!(
        published.offset().local_minus_utc(),
        8 * 3600,
        "in the site's time zone"
    );

    let again = report_json(
        &office.repo,
        &["--from", "2026-11-01", "--to", "2026-11-30"],
    );
    assert_eq!(report, again, "the same inputs give the same report");
}

#[test]
fn html_is_one_self_contained_accessible_page() {
    let (repo, cast) = TestRepo::bootstrapped();
    const T: &str = "content/news/t.md";
    repo.publish_draft(&cast.wangfang, T, &front("'<b>科普</b> \"周\" & 讲座'", ""));
    repo.review_standard(&cast, T);
    let output = report(&repo, &["--format", "html"]);
    assert_eq!(
        output.status.code(),
        Some(0),
        "{}",
        String::from_utf8_lossy(&output.stderr)
    );
    let html = String::from_utf8(output.stdout).expect("UTF-8");
    assert!(html.starts_with("<!DOCTYPE html>"));
    assert!(html.contains("<html lang=\"zh-CN\">"));
    assert!(html.contains("<caption>"));
    assert!(html.contains("<th scope=\"col\">报送单位</th>"));
    assert!(html.contains("<th scope=\"row\">科普部 (kepu)</th>"));
    assert!(
        html.contains("&lt;b&gt;科普&lt;/b&gt; &quot;周&quot; &amp; 讲座"),
        "the title is escaped"
    );
    for external in [
        "http:", "https:", "//", "<script", "<link", "src=", "url(", "@import",
    ] {
        assert!(
            !html.contains(external),
            "the page must load nothing: found {external}"
        );
    }
}

#[test]
fn text_is_a_table_in_the_site_language() {
    let office = office();
    let output = report(&office.repo, &[]);
    assert_eq!(
        output.status.code(),
        Some(0),
        "{}",
        String::from_utf8_lossy(&output.stderr)
    );
    let text = String::from_utf8(output.stdout).expect("UTF-8");
    assert!(
        text.starts_with(&format!("{SITE_TITLE} 信息发布统计\n")),
        "{text}"
    );
    assert!(
        text.contains("统计期间：有记录以来 至 2026-11-20"),
        "{text}"
    );
    let kepu = text
        .lines()
        .find(|l| l.contains("科普部 (kepu)"))
        .expect("a row for 科普部");
    let numbers: Vec<&str> = kepu.split_whitespace().collect();
    assert_eq!(
        numbers[..8],
        ["1", "科普部", "(kepu)", "1", "1", "2", "1", "1"],
        "{kepu}"
    );
    assert!(text.contains("合计"));
}

#[test]
fn a_bad_date_is_a_usage_error() {
    let (repo, _cast) = TestRepo::bootstrapped();
    for (args, says) in [
        (
            vec!["--from", "2026-11-31"],
            "--from `2026-11-31` is not a date",
        ),
        (vec!["--to", "20261120"], "--to `20261120` is not a date"),
        (
            vec!["--from", "2026-11-21", "--to", "2026-11-20"],
            "is after --to",
        ),
    ] {
        let output = report(&repo, &args);
        let stderr = String::from_utf8_lossy(&output.stderr);
        assert_eq!(output.status.code(), Some(2), "{args:?}: {stderr}");
        assert!(stderr.contains(says), "{args:?}: {stderr}");
        assert!(output.stdout.is_empty(), "no half report");
    }
}
