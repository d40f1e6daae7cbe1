//! The history cache (`.git/sanshen/`) must never change a result: builds
//! with it cold, warm, and without it give the same site and manifest, and
//! what the cache cannot know (new commits, objects that arrive later) is
//! always evaluated afresh.

mod common;

use common::*;

const A: &str = "content/news/a.md";
const B: &str = "content/news/b.md";
const C: &str = "content/news/c.md";

/// Build and return (every output file, the manifest minus its clock-free parts).
fn build_snapshot(
    repo: &TestRepo,
    extra: &[&str],
) -> (
    std::collections::BTreeMap<std::path::PathBuf, Vec<u8>>,
    serde_json::Value,
) {
    let build = repo.build_with(extra);
    build.assert_success();
    (
        folder_files(&build.out),
        build
            .manifest
            .clone()
            .expect("a successful build writes a manifest"),
    )
}

fn cache_file(repo: &TestRepo) -> std::path::PathBuf {
    repo.root.join(".git/sanshen/history-cache.bin")
}

fn memo_file(repo: &TestRepo) -> std::path::PathBuf {
    repo.root.join(".git/sanshen/versions.bin")
}

#[test]
fn cold_warm_and_uncached_builds_agree() {
    let (repo, cast) = TestRepo::bootstrapped();
    for (path, title) in [(A, "一"), (B, "二"), (C, "三")] {
        repo.publish_draft(
            &cast.wangfang,
            path,
            &article(title, "unit: kepu\n", "正文。"),
        );
        repo.review_standard(&cast, path);
    }
    // An edit in review and a withdrawal, so the cached facts matter.
    repo.publish_draft(
        &cast.wangfang,
        A,
        &article("一（修改）", "unit: kepu\n", "新正文。"),
    );
    repo.approve(&cast.lihua, "unit-review", A);
    repo.withdraw(&cast.sunli, B, "核实");

    let uncached = build_snapshot(&repo, &["--no-cache"]);
    assert!(!cache_file(&repo).exists(), "--no-cache wrote a cache");
    assert!(!memo_file(&repo).exists(), "--no-cache wrote the decisions");
    let cold = build_snapshot(&repo, &[]);
    assert!(cache_file(&repo).exists(), "the cache was not written");
    assert!(memo_file(&repo).exists(), "the decisions were not kept");
    let warm = build_snapshot(&repo, &[]);
    assert_eq!(uncached.1, cold.1);
    assert_eq!(cold.1, warm.1);
    assert!(uncached.0 == cold.0 && cold.0 == warm.0, "outputs differ");
    let manifest = warm.1.to_string();
    assert!(manifest.contains(A) && manifest.contains(C) && !manifest.contains(B));
}

#[test]
fn new_commits_after_a_cached_build_are_evaluated() {
    let (repo, cast) = TestRepo::bootstrapped();
    repo.publish_draft(&cast.wangfang, A, &article("一", "unit: kepu\n", "正文。"));
    repo.approve(&cast.lihua, "unit-review", A);
    let before = repo.snapshot();
    assert!(!before.online(A));
    repo.approve(&cast.zhaolei, "re-review", A);
    repo.approve(&cast.chenjun, "final", A);
    assert!(repo.snapshot().online(A));
    // A later revocation voids the cached approvals' effect too.
    let policy = PolicyDoc::standard(2, &cast).revoking(cast.chenjun.signing_key());
    repo.write_policy(&policy);
    repo.commit_as(&cast.sunli, "政策：吊销密钥");
    repo.approve(&cast.sunli, "policy", "approvals");
    let after = repo.snapshot();
    assert!(
        !after.online(A),
        "a revoked key's cached approval still counted"
    );
    let uncached = repo.build_with(&["--no-cache"]);
    uncached.assert_success();
    assert_eq!(uncached.manifest, after.build.manifest);
}

#[test]
fn an_approval_of_an_object_that_arrives_later_is_resolved_afresh() {
    let (repo, cast) = TestRepo::bootstrapped();
    let text = article("后到的稿件", "unit: kepu\n", "正文。");
    repo.write("draft.md", &text);
    let oid = repo.git(&["hash-object", "draft.md"]).trim().to_string();
    repo.remove("draft.md");
    for (person, stage) in [
        (&cast.lihua, "unit-review"),
        (&cast.zhaolei, "re-review"),
        (&cast.chenjun, "final"),
    ] {
        repo.approve_oid(person, stage, A, &oid);
    }
    // The object does not exist yet: nothing counts, and the cache is warm.
    let first = repo.build_with(&[]);
    first.assert_success();
    assert!(repo.status_json().iter().all(|s| s["path"] != A));
    // The writer commits exactly that text: the object exists now, but the
    // approvals were made before it was the path's version — approvals in
    // advance count for nothing (SPEC §5 rule 5), with or without the cache.
    repo.publish_draft(&cast.wangfang, A, &text);
    let cached = repo.snapshot();
    let uncached = repo.build_with(&["--no-cache"]);
    uncached.assert_success();
    assert_eq!(cached.build.manifest, uncached.manifest);
    assert!(
        !cached.online(A),
        "an approval in advance counts for nothing"
    );
    assert_refused(&cached, A, "unit-review", "in-advance");
    assert!(uncached.page(A).is_none());
    // Approved now, after it was committed, it counts.
    repo.review_standard(&cast, A);
    assert!(repo.snapshot().online(A));
}

fn stdout(build: &Build) -> String {
    String::from_utf8_lossy(&build.output.stdout).into_owned()
}

/// Build with page reuse, then without any cache into the same folder, and
/// demand identical files. Returns the reusing build's summary line.
fn reused_equals_fresh(repo: &TestRepo) -> String {
    let warm = repo.build_with(&[]);
    warm.assert_success();
    let reused = folder_files(&warm.out);
    let fresh = repo.build_with(&["--no-cache"]);
    fresh.assert_success();
    assert!(
        reused == folder_files(&fresh.out),
        "a build reusing pages differs from a fresh render"
    );
    stdout(&warm)
}

#[test]
fn reused_pages_are_exactly_what_a_fresh_render_gives() {
    let (repo, cast) = TestRepo::bootstrapped();
    for (path, title) in [(A, "甲稿"), (B, "乙稿"), (C, "丙稿")] {
        repo.publish_draft(
            &cast.wangfang,
            path,
            &article(title, "unit: kepu\n", "正文。"),
        );
        repo.review_standard(&cast, path);
    }
    let first = repo.build_with(&[]);
    first.assert_success();
    assert!(!stdout(&first).contains("沿用"), "{}", stdout(&first));
    let second = repo.build_with(&[]);
    second.assert_success();
    assert!(
        stdout(&second).contains("未变页面沿用上次结果"),
        "{}",
        stdout(&second)
    );

    // The output was replaced by a build that kept no record: nothing of the
    // record matches the files any more, so nothing is reused.
    let summary = reused_equals_fresh(&repo);
    assert!(summary.contains("沿用"), "{summary}");
    let after_fresh = repo.build_with(&[]);
    after_fresh.assert_success();
    assert!(
        !stdout(&after_fresh).contains("沿用"),
        "{}",
        stdout(&after_fresh)
    );

    // B's new title must reach its neighbours' previous/next links.
    repo.publish_draft(
        &cast.wangfang,
        B,
        &article("乙稿（新标题）", "unit: kepu\n", "正文。"),
    );
    repo.review_standard(&cast, B);
    repo.build_with(&[]).assert_success();
    reused_equals_fresh(&repo);
    let neighbour = repo.build_with(&[]);
    let a_page = neighbour.page(A).expect("A is online");
    assert!(
        a_page.contains("乙稿（新标题）"),
        "A's neighbour link is stale"
    );

    // A published file edited in place is rendered again, not reused.
    let page_file = neighbour.page_file(A);
    let original = std::fs::read(&page_file).unwrap();
    std::fs::write(&page_file, "tampered").unwrap();
    let repaired = repo.build_with(&[]);
    repaired.assert_success();
    assert_eq!(std::fs::read(repaired.page_file(A)).unwrap(), original);

    // A withdrawn article's page leaves the site when the rest is reused
    // (the site is updated in place, not replaced).
    repo.withdraw(&cast.sunli, A, "核实");
    let summary = reused_equals_fresh(&repo);
    assert!(summary.contains("沿用"), "{summary}");
    let withdrawn = repo.build_with(&[]);
    assert!(
        withdrawn.page(A).is_none(),
        "the withdrawn page is still online"
    );

    // A new approved site.toml reaches every page.
    repo.write("site.toml", &site_toml("改名后的网站"));
    repo.commit_as(&cast.qianwei, "网站设置：改名");
    repo.approve(&cast.qianwei, "site", "site.toml");
    repo.build_with(&[]).assert_success();
    reused_equals_fresh(&repo);
    let renamed = repo.build_with(&[]);
    assert!(
        renamed
            .page(C)
            .expect("C is online")
            .contains("改名后的网站")
    );
}

#[test]
fn a_remembered_decision_is_made_again_when_a_word_list_changes() {
    let (repo, cast) = TestRepo::bootstrapped();
    // The word list is part of the policy: it takes effect with an approved
    // policy version, never from an unapproved edit.
    let with_list = |version: u64| {
        PolicyDoc::standard(version, &cast).with_checks("  banned_words: banned-words.txt\n")
    };
    repo.write("approvals/banned-words.txt", "# 禁用词\n无关词\n");
    repo.write_policy(&with_list(2));
    repo.commit_as(&cast.sunli, "审核制度：禁用词表");
    repo.approve(&cast.sunli, "policy", "approvals");
    repo.publish_draft(
        &cast.wangfang,
        A,
        &article("甲稿", "unit: kepu\n", "这是全市最高级别的科普活动。"),
    );
    repo.review_standard(&cast, A);
    let before = repo.build();
    before.assert_success();
    assert!(
        before.page(A).is_some(),
        "A is online before the list changes"
    );

    // An unapproved edit of the list changes nothing, warm or cold.
    repo.write("approvals/banned-words.txt", "# 禁用词\n最高级\n");
    repo.commit_as(&cast.qianwei, "禁用词表：增加一词（未批准）");
    repo.build().assert_success();
    repo.build_with(&["--no-cache"]).assert_success();

    // Only the word list changes (not site.toml, not the article): once the
    // policy with the new list is approved, the remembered "nothing blocks
    // it" no longer holds and must not be used.
    repo.write_policy(&with_list(3));
    repo.commit_as(&cast.sunli, "审核制度：禁用词表增加一词");
    repo.approve(&cast.sunli, "policy", "approvals");
    let warm = repo.build();
    assert_eq!(warm.code(), Some(1), "{}", warm.stderr());
    assert!(warm.stderr().contains("最高级"), "{}", warm.stderr());
    let fresh = repo.build_with(&["--no-cache"]);
    assert_eq!(fresh.code(), warm.code(), "{}", fresh.stderr());

    // And back: the version is clean again, with the memo as without it.
    repo.write("approvals/banned-words.txt", "# 禁用词\n无关词\n");
    repo.write_policy(&with_list(4));
    repo.commit_as(&cast.sunli, "审核制度：禁用词表删去");
    repo.approve(&cast.sunli, "policy", "approvals");
    let (cached, _) = build_snapshot(&repo, &[]);
    let (uncached, _) = build_snapshot(&repo, &["--no-cache"]);
    assert!(cached == uncached, "outputs differ");
}

#[test]
fn a_cache_grown_by_many_builds_is_compacted_and_still_agrees() {
    let (repo, cast) = TestRepo::bootstrapped();
    repo.publish_draft(&cast.wangfang, A, &article("一", "unit: kepu\n", "正文。"));
    repo.review_standard(&cast, A);
    // Each build appends the new commits as a chunk of their own; past
    // sixteen chunks the file is written whole again.
    for round in 0..18 {
        repo.publish_draft(
            &cast.wangfang,
            B,
            &article(&format!("二（第{round}稿）"), "unit: kepu\n", "正文。"),
        );
        repo.build_with(&[]).assert_success();
    }
    repo.review_standard(&cast, B);
    let (cached, cached_manifest) = build_snapshot(&repo, &[]);
    let (uncached, uncached_manifest) = build_snapshot(&repo, &["--no-cache"]);
    assert_eq!(cached_manifest, uncached_manifest);
    assert!(cached == uncached, "outputs differ");
    assert!(cached_manifest.to_string().contains(B));
}

#[test]
fn a_cache_cut_short_or_damaged_is_read_as_far_as_it_is_whole() {
    let (repo, cast) = TestRepo::bootstrapped();
    repo.publish_draft(&cast.wangfang, A, &article("一", "unit: kepu\n", "正文。"));
    repo.review_standard(&cast, A);
    repo.build_with(&[]).assert_success();
    // New commits are appended to the file: cut the append short, as a
    // killed build or a full disk would.
    repo.publish_draft(&cast.wangfang, B, &article("二", "unit: kepu\n", "正文。"));
    repo.review_standard(&cast, B);
    repo.build_with(&[]).assert_success();
    let file = cache_file(&repo);
    let length = std::fs::metadata(&file)
        .expect("the cache was written")
        .len();
    let cut = std::fs::OpenOptions::new()
        .write(true)
        .open(&file)
        .expect("the cache opens");
    cut.set_len(length - 5).expect("the cache is cut short");
    drop(cut);
    let uncached = repo.build_with(&["--no-cache"]);
    uncached.assert_success();
    let repaired = repo.build_with(&[]);
    repaired.assert_success();
    assert_eq!(repaired.manifest, uncached.manifest);
    assert_eq!(
        std::fs::read(&file).expect("the cache reads"),
        history_cache_written_cold(&repo),
        "the damaged cache was not written anew, whole"
    );
    // Bytes that are no record at all, after whole ones.
    let mut damaged = std::fs::read(&file).expect("the cache reads");
    damaged.extend_from_slice(&[
        9, 0, 0, 0, 0xff, 0xfe, 0xfd, 0xfc, 0xfb, 0xfa, 0xf9, 0xf8, 0xf7,
    ]);
    std::fs::write(&file, &damaged).expect("the cache is damaged");
    repo.publish_draft(&cast.wangfang, C, &article("三", "unit: kepu\n", "正文。"));
    repo.review_standard(&cast, C);
    let after_damage = repo.build_with(&[]);
    after_damage.assert_success();
    let uncached = repo.build_with(&["--no-cache"]);
    assert_eq!(after_damage.manifest, uncached.manifest);
    let again = repo.build_with(&[]);
    assert_eq!(again.manifest, uncached.manifest);
    assert_eq!(
        std::fs::read(&file).expect("the cache reads"),
        history_cache_written_cold(&repo),
        "the damaged cache was not written anew, whole"
    );
}

/// The history cache a build writes with none there (the file it finds is
/// put back afterwards).
fn history_cache_written_cold(repo: &TestRepo) -> Vec<u8> {
    let file = cache_file(repo);
    let kept = std::fs::read(&file).expect("the cache reads");
    std::fs::remove_file(&file).expect("the cache is removed");
    repo.build_with(&[]).assert_success();
    let cold = std::fs::read(&file).expect("a cold build writes the cache");
    std::fs::write(&file, kept).expect("the cache is put back");
    cold
}
