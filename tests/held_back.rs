//! SPEC §5 "One item never stops the others": an approved version that is
//! invalid or fails a blocking rule is held back — the rest of the site is
//! written, the manifest lists it with its reason, and `build` exits 1 —
//! while a takedown elsewhere in the same build still goes online.
//! Real git, real ssh-keygen keys, the real binary.

mod common;

use common::*;

const GOOD: &str = "content/news/good.md";
const BACKDATED: &str = "content/news/backdated.md";
const GONE: &str = "content/news/gone.md";

/// A backdated article: dated before the day its review completes.
fn backdated(title: &str) -> String {
    article(title, "", "正文。").replace(&format!("date: {ARTICLE_DATE}"), "date: 2026-10-15")
}

#[test]
fn a_held_back_version_does_not_stop_a_withdrawal_or_the_rest_of_the_site() {
    let (repo, cast) = TestRepo::bootstrapped();
    repo.publish_draft(&cast.wangfang, GOOD, &article("正常稿件", "", "正文。"));
    repo.review_standard(&cast, GOOD);
    repo.publish_draft(&cast.wangfang, GONE, &article("将被撤下", "", "正文。"));
    repo.review_standard(&cast, GONE);
    repo.build().assert_success();
    assert!(repo.build().page(GONE).is_some());

    // In one build: a backdated approved article and an urgent takedown.
    repo.publish_draft(&cast.wangfang, BACKDATED, &backdated("倒签日期"));
    repo.review_standard(&cast, BACKDATED);
    repo.withdraw(&cast.sunli, GONE, "信息有误，紧急撤稿");

    let build = repo.build();
    assert_eq!(build.code(), Some(1), "{}", build.stderr());
    assert!(
        build.page(GOOD).is_some(),
        "the rest of the site went offline"
    );
    assert!(
        build.page(GONE).is_none(),
        "the takedown did not reach the site"
    );
    assert!(
        build.page(BACKDATED).is_none(),
        "a backdated version went online"
    );
    assert!(build.manifest_entry(BACKDATED).is_none());

    let held = build.held_back(BACKDATED);
    assert_eq!(held.len(), 1, "{:#?}", build.manifest);
    assert_eq!(held[0]["rule"], "backdated");
    assert_eq!(held[0]["oid"], repo.rev_parse(&format!("HEAD:{BACKDATED}")));
    assert_eq!(held[0]["line"], 3, "the `date` line");
    // The site is Chinese: so is what it says to do.
    let advice = held[0]["advice"].as_str().unwrap_or_default();
    assert!(advice.contains("重新送审"), "{advice}");
    let stderr = build.stderr();
    assert!(
        stderr.contains(BACKDATED) && stderr.contains("backdated"),
        "{stderr}"
    );
    assert!(stderr.contains("未发布"), "{stderr}");

    // status agrees: the version is blocked, with the reason.
    let status = repo.status_json();
    let entry = status
        .iter()
        .find(|s| s["path"] == BACKDATED)
        .expect("status lists it");
    assert_eq!(entry["state"], "blocked");
    assert!(
        entry["reasons"][0]
            .as_str()
            .unwrap_or("")
            .contains("2026-10-15")
    );
}

#[test]
fn the_advice_names_the_stage_the_correction_waits_for_and_the_correction_then_goes_online() {
    let (repo, cast) = TestRepo::bootstrapped();
    repo.publish_draft(&cast.wangfang, BACKDATED, &backdated("倒签日期"));
    repo.review_standard(&cast, BACKDATED);
    let approved = repo.rev_parse(&format!("HEAD:{BACKDATED}"));

    // The writer removes the date; the unit head has approved the fix.
    let corrected = repo.publish_draft(
        &cast.wangfang,
        BACKDATED,
        &backdated("倒签日期").replace("date: 2026-10-15\n", ""),
    );
    repo.approve(&cast.lihua, "unit-review", BACKDATED);
    let build = repo.build();
    assert_eq!(build.code(), Some(1), "{}", build.stderr());
    let held = build.held_back(BACKDATED);
    assert_eq!(held.len(), 1);
    assert_eq!(held[0]["oid"], approved.as_str());
    let advice = held[0]["advice"].as_str().unwrap_or_default();
    assert!(advice.contains(&corrected[..10]), "{advice}");
    assert!(advice.contains("re-review"), "names the stage: {advice}");

    // Reviewed to the end, the correction replaces it: exit 0, online, and
    // without a `date` its page shows when the final review completed.
    repo.approve(&cast.zhaolei, "re-review", BACKDATED);
    let final_commit = repo.approve(&cast.chenjun, "final", BACKDATED);
    let build = repo.build();
    build.assert_success();
    let page = build.page(BACKDATED).expect("the correction is online");
    let completed = repo.git(&["show", "-s", "--format=%ct", &final_commit]);
    let completed: i64 = completed.trim().parse().expect("a commit time");
    let shown = chrono::DateTime::from_timestamp(completed, 0)
        .expect("a valid time")
        .with_timezone(&chrono_tz::Asia::Shanghai)
        .format("%Y-%m-%d %H:%M")
        .to_string();
    assert!(page.contains(&shown), "the page shows {shown}:\n{page}");
    assert!(build.held_back(BACKDATED).is_empty());
}

#[test]
fn classified_invalid_and_out_of_column_versions_are_held_back_and_a_schedule_is_not() {
    let (repo, cast) = TestRepo::bootstrapped();
    const SECRET: &str = "content/news/secret.md";
    const INVALID: &str = "content/news/invalid.md";
    const ELSEWHERE: &str = "content/notices/elsewhere.md";
    const LATER: &str = "content/news/later.md";
    const ORPHAN: &str = "content/news/orphan.md";
    repo.write(
        ORPHAN,
        &article(
            "解读：不存在的文件",
            "type: interpretation\ninterprets: news/missing.md\n",
            "正文。",
        ),
    );
    repo.write(SECRET, &article("涉密稿件", "classified: true\n", "正文。"));
    repo.write(
        INVALID,
        &article("日期错误", "", "正文。").replace(ARTICLE_DATE, "2026-13-45"),
    );
    // `notices` is the office's column; this is a kepu article.
    repo.write(ELSEWHERE, &article("错投栏目", "unit: kepu\n", "正文。"));
    repo.write(
        LATER,
        &article("定时发布", "publish_at: 2027-01-01\n", "正文。"),
    );
    repo.commit_as(&cast.wangfang, "报送四篇稿件");
    for path in [SECRET, INVALID, ELSEWHERE, LATER, ORPHAN] {
        repo.review_standard(&cast, path);
    }

    let build = repo.build();
    assert_eq!(build.code(), Some(1), "{}", build.stderr());
    let rule = |path: &str| {
        build
            .held_back(path)
            .first()
            .map(|h| h["rule"].as_str().unwrap_or_default().to_string())
    };
    assert_eq!(rule(SECRET).as_deref(), Some("classified"));
    assert_eq!(rule(INVALID).as_deref(), Some("front-matter"));
    assert_eq!(rule(ELSEWHERE).as_deref(), Some("unit-column"));
    assert_eq!(rule(LATER), None, "a schedule holds nothing back");
    assert_eq!(
        rule(ORPHAN).as_deref(),
        Some("front-matter"),
        "interprets names nothing"
    );
    for path in [SECRET, INVALID, ELSEWHERE, LATER] {
        assert!(build.page(path).is_none(), "{path} went online");
    }
    assert!(
        build.out.join("index.html").is_file(),
        "the site was written"
    );
}

#[test]
fn the_policy_may_lift_the_column_rule_for_a_column_but_never_classified() {
    let repo = TestRepo::new();
    let cast = Cast::new(&repo);
    repo.bootstrap(
        &cast,
        &PolicyDoc::standard(1, &cast)
            .with_checks("  allow:\n    - { rule: unit-column, column: notices }\n"),
    );
    const ELSEWHERE: &str = "content/notices/elsewhere.md";
    repo.publish_draft(
        &cast.wangfang,
        ELSEWHERE,
        &article("代发通知", "", "正文。"),
    );
    repo.review_standard(&cast, ELSEWHERE);
    let build = repo.build();
    build.assert_success();
    assert!(build.page(ELSEWHERE).is_some());

    // `classified` cannot be allowed: the policy is refused, not obeyed.
    let policy =
        PolicyDoc::standard(2, &cast).with_checks("  allow:\n    - { rule: classified }\n");
    repo.write_policy(&policy);
    repo.commit_as(&cast.sunli, "审核制度：放行涉密");
    repo.approve(&cast.sunli, "policy", "approvals");
    let build = repo.build();
    assert!(
        build.stderr().contains("classified"),
        "the refused policy is named: {}",
        build.stderr()
    );
}

#[test]
fn an_english_site_says_it_in_english() {
    let repo = TestRepo::new();
    let cast = Cast::new(&repo);
    repo.bootstrap(&cast, &PolicyDoc::standard(1, &cast));
    repo.write(
        "site.toml",
        &site_toml_with(SITE_TITLE, "language = \"en\"\n"),
    );
    repo.commit_as(&cast.sunli, "English");
    repo.approve(&cast.qianwei, "site", "site.toml");
    repo.publish_draft(&cast.wangfang, BACKDATED, &backdated("Backdated"));
    repo.review_standard(&cast, BACKDATED);
    let build = repo.build();
    assert_eq!(build.code(), Some(1));
    let stderr = build.stderr();
    assert!(stderr.contains("held back"), "{stderr}");
    let advice = build.held_back(BACKDATED)[0]["advice"]
        .as_str()
        .unwrap_or_default()
        .to_string();
    assert!(advice.contains("reviewed"), "{advice}");
}

#[test]
fn an_approved_theme_that_does_not_compile_is_held_back_and_the_previous_one_stays() {
    let (repo, cast) = TestRepo::bootstrapped();
    repo.publish_draft(&cast.wangfang, GOOD, &article("正常稿件", "", "正文。"));
    repo.review_standard(&cast, GOOD);
    // A house theme: the built-in one with a mark in the home page.
    let theme_dir = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("themes/default");
    repo.copy_folder(&theme_dir, "themes/house");
    let index = repo.read("themes/house/templates/index.html");
    repo.write(
        "themes/house/templates/index.html",
        &index.replacen(
            "{% block content %}",
            "{% block content %}<!-- house v1 -->",
            1,
        ),
    );
    repo.write(
        "site.toml",
        &site_toml_with(SITE_TITLE, "theme = \"house\"\n"),
    );
    repo.commit_as(&cast.qianwei, "本单位主题");
    repo.approve(&cast.qianwei, "site", "themes/house");
    repo.approve(&cast.qianwei, "site", "site.toml");
    let build = repo.build();
    build.assert_success();
    let home = std::fs::read_to_string(build.out.join("index.html")).unwrap();
    assert!(home.contains("house v1"), "the approved theme is in use");

    // Version 2 does not compile; approved with plain git all the same.
    repo.write("themes/house/templates/index.html", "{% if %}\n");
    repo.commit_as(&cast.qianwei, "主题：写坏了");
    repo.approve(&cast.qianwei, "site", "themes/house");
    let build = repo.build();
    assert_eq!(build.code(), Some(1), "{}", build.stderr());
    let held = build.held_back("themes/house");
    assert_eq!(held.len(), 1, "{:#?}", build.manifest);
    assert_eq!(held[0]["rule"], "site-config");
    let home = std::fs::read_to_string(build.out.join("index.html")).unwrap();
    assert!(
        home.contains("house v1"),
        "the previous valid theme stays in use"
    );
    assert!(build.page(GOOD).is_some());
}
