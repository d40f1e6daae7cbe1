//! Who may approve what (SPEC §5 "Signer" and "An approval counts"): each
//! test tries to get an article online by breaking one rule, and checks the
//! page, the manifest and `status --json` say it did not work — and, where
//! the rule has a legitimate way round, that doing it properly does work.

mod common;

use common::{Cast, PolicyDoc, TestRepo, article, assert_refused, trailer_message};

const A: &str = "content/news/kepu-month.md";

/// A kepu article by 王芳, committed and signed; returns its object id.
fn draft(repo: &TestRepo, cast: &Cast, path: &str) -> String {
    repo.publish_draft(
        &cast.wangfang,
        path,
        &article("科普月活动启动", "", "全市科普月活动今日启动。"),
    )
}

fn commit_time(repo: &TestRepo, commit: &str) -> String {
    repo.git(&["show", "-s", "--format=%cI", commit])
        .trim()
        .to_string()
}

#[test]
fn three_stages_by_three_people_publish_the_article_with_an_audit_trail() {
    let (repo, cast) = TestRepo::bootstrapped();
    let oid = draft(&repo, &cast, A);
    let commits = repo.review_standard(&cast, A);

    let site = repo.snapshot();
    assert!(site.online(A));
    assert!(site.page(A).contains("科普月活动启动"));
    assert_eq!(site.state(A), "published");
    assert_eq!(site.status(A)["current_oid"], oid.as_str());
    assert_eq!(site.published_oid(A), Some(oid.as_str()));
    assert_eq!(site.status(A)["workflow"], "standard");
    for (stage, person) in [
        ("unit-review", "lihua"),
        ("re-review", "zhaolei"),
        ("final", "chenjun"),
    ] {
        assert!(site.stage_done(A, stage), "{stage} done");
        assert_eq!(site.stage_by(A, stage), [person]);
    }
    assert_eq!(site.next_stage(A), None);
    assert!(site.eligible(A).is_empty());
    assert!(site.ignored(A).is_empty(), "{:?}", site.ignored(A));

    // The manifest is the audit trail: each stage's approver, commit, time.
    let entry = site
        .build
        .manifest_entry(A)
        .expect("listed in the manifest");
    assert_eq!(entry["oid"], oid.as_str());
    assert_eq!(entry["workflow"], "standard");
    let stages = entry["stages"].as_array().expect("stages");
    let expected = [
        ("unit-review", "lihua"),
        ("re-review", "zhaolei"),
        ("final", "chenjun"),
    ];
    assert_eq!(stages.len(), expected.len());
    for ((stage, (id, person)), commit) in stages.iter().zip(expected).zip(&commits) {
        assert_eq!(stage["id"], id);
        let approvals = stage["approvals"].as_array().expect("approvals");
        assert_eq!(approvals.len(), 1, "{stage:#}");
        assert_eq!(approvals[0]["person"], person);
        assert_eq!(approvals[0]["commit"], commit.as_str());
        assert_eq!(approvals[0]["time"], commit_time(&repo, commit).as_str());
    }
    // site.toml went online through the `site` workflow, approved by 钱伟.
    let manifest = site.build.manifest.as_ref().expect("manifest");
    assert_eq!(manifest["site"]["path"], "site.toml");
    assert_eq!(
        manifest["site"]["stages"][0]["approvals"][0]["person"],
        "qianwei"
    );
}

#[test]
fn an_unsigned_approval_is_ignored() {
    let (repo, cast) = TestRepo::bootstrapped();
    let oid = draft(&repo, &cast, A);
    repo.approve(&cast.lihua, "unit-review", A);
    repo.approve(&cast.zhaolei, "re-review", A);
    // 陈军's "final", but committed without a signature: anyone could write it.
    repo.commit_with(
        &cast.chenjun,
        None,
        &trailer_message("终审", &[format!("Approve: final {A} {oid}")]),
        true,
    );

    let site = repo.snapshot();
    assert!(!site.online(A));
    assert_eq!(site.state(A), "pending");
    assert_refused(&site, A, "final", "unsigned");
    assert!(!site.stage_done(A, "final"));
    assert_eq!(site.next_stage(A), Some("final"));
    assert_eq!(site.eligible(A), ["chenjun"]);
}

#[test]
fn a_signature_by_a_key_not_in_the_policy_is_ignored() {
    let (repo, cast) = TestRepo::bootstrapped();
    draft(&repo, &cast, A);
    repo.approve(&cast.lihua, "unit-review", A);
    repo.approve(&cast.zhaolei, "re-review", A);
    // Same name and address as 陈军, but a key of the impostor's own.
    let impostor = repo.impostor(&cast.chenjun);
    repo.approve(&impostor, "final", A);

    let site = repo.snapshot();
    assert!(!site.online(A));
    assert_eq!(site.state(A), "pending");
    assert_refused(&site, A, "final", "unknown-key");
    assert!(site.stage_by(A, "final").is_empty());
}

#[test]
fn a_signed_approval_rewritten_to_name_another_article_has_a_bad_signature() {
    let (repo, cast) = TestRepo::bootstrapped();
    const B: &str = "content/news/b.md";
    let oid_a = draft(&repo, &cast, A);
    let oid_b = repo.publish_draft(&cast.wangfang, B, &article("另一篇", "", "尚在审核。"));
    for path in [A, B] {
        repo.approve(&cast.lihua, "unit-review", path);
        repo.approve(&cast.zhaolei, "re-review", path);
    }
    // 陈军 signs the final approval of A; someone with push access rewrites
    // the commit to approve B instead, keeping 陈军's gpgsig header.
    repo.approve(&cast.chenjun, "final", A);
    repo.tamper_head(|raw| raw.replace(&format!("{A} {oid_a}"), &format!("{B} {oid_b}")));

    let site = repo.snapshot();
    assert!(!site.online(B), "the forged approval must not publish B");
    assert_refused(&site, B, "final", "bad-signature");
    assert!(
        !site.online(A),
        "A's final approval is no longer in history"
    );
    assert_eq!(site.next_stage(A), Some("final"));
}

#[test]
fn a_reviewer_without_the_stage_role_does_not_count() {
    let (repo, cast) = TestRepo::bootstrapped();
    draft(&repo, &cast, A);
    // 赵磊 holds publicity (复审), not unit-head.
    repo.approve(&cast.zhaolei, "unit-review", A);

    let site = repo.snapshot();
    assert!(!site.online(A));
    assert_refused(&site, A, "unit-review", "wrong-role");
    assert_eq!(site.next_stage(A), Some("unit-review"));
    assert_eq!(
        site.eligible(A),
        ["lihua"],
        "only kepu's unit head may take it"
    );
}

#[test]
fn a_unit_head_approves_only_articles_of_their_units() {
    let (repo, cast) = TestRepo::bootstrapped();
    const XUEHUI: &str = "content/news/xuehui-annual.md";
    draft(&repo, &cast, A); // unit: kepu, the news column's first unit
    repo.publish_draft(
        &cast.wangfang,
        XUEHUI,
        &article("学会年会召开", "unit: xuehui\n", "年会顺利召开。"),
    );

    // 刘强 heads xuehui: out of scope for the kepu article, in scope for his own.
    repo.approve(&cast.liuqiang, "unit-review", A);
    repo.approve(&cast.liuqiang, "unit-review", XUEHUI);
    repo.approve(&cast.zhaolei, "re-review", XUEHUI);
    repo.approve(&cast.chenjun, "final", XUEHUI);

    let site = repo.snapshot();
    assert!(!site.online(A));
    assert_refused(&site, A, "unit-review", "out-of-scope");
    assert!(site.stage_by(A, "unit-review").is_empty());
    assert!(site.online(XUEHUI));
    assert_eq!(site.stage_by(XUEHUI, "unit-review"), ["liuqiang"]);
}

#[test]
fn stages_count_only_in_order_and_an_early_stage_must_be_redone() {
    let (repo, cast) = TestRepo::bootstrapped();
    const B: &str = "content/news/b.md";
    draft(&repo, &cast, A);
    repo.publish_draft(&cast.wangfang, B, &article("另一篇", "", "尚在审核。"));

    // A: the final comes before everything else.
    repo.approve(&cast.chenjun, "final", A);
    // B: the final comes before the re-review.
    repo.approve(&cast.lihua, "unit-review", B);
    repo.approve(&cast.chenjun, "final", B);
    // Then the earlier stages are done; the early finals still do not count.
    repo.approve(&cast.lihua, "unit-review", A);
    repo.approve(&cast.zhaolei, "re-review", A);
    repo.approve(&cast.zhaolei, "re-review", B);

    let site = repo.snapshot();
    for path in [A, B] {
        assert!(!site.online(path), "{path}");
        assert_eq!(site.state(path), "pending", "{path}");
        assert_refused(&site, path, "final", "out-of-order");
        assert!(!site.stage_done(path, "final"), "{path}");
        assert_eq!(site.next_stage(path), Some("final"), "{path}");
        assert_eq!(site.eligible(path), ["chenjun"], "{path}");
    }

    // Redone in its place, the final counts.
    repo.approve(&cast.chenjun, "final", A);
    repo.approve(&cast.chenjun, "final", B);
    let site = repo.snapshot();
    assert!(site.online(A));
    assert!(site.online(B));
}

#[test]
fn one_person_may_not_sign_two_stages_of_a_version() {
    let repo = TestRepo::new();
    let cast = Cast::new(&repo);
    // 李华 also holds publicity, so only distinct_approvers stops her.
    repo.bootstrap(
        &cast,
        &PolicyDoc::standard(1, &cast).with_member("publicity", &cast.lihua, None),
    );
    draft(&repo, &cast, A);
    repo.approve(&cast.lihua, "unit-review", A);
    repo.approve(&cast.lihua, "re-review", A);
    repo.approve(&cast.chenjun, "final", A);

    let site = repo.snapshot();
    assert!(!site.online(A));
    assert_refused(&site, A, "re-review", "same-person-twice");
    assert_refused(&site, A, "final", "out-of-order");
    assert_eq!(site.next_stage(A), Some("re-review"));
    assert_eq!(
        site.eligible(A),
        ["zhaolei"],
        "李华 may not take a second stage"
    );

    repo.approve(&cast.zhaolei, "re-review", A);
    repo.approve(&cast.chenjun, "final", A);
    assert!(repo.snapshot().online(A));
}

#[test]
fn two_keys_of_one_person_count_once_toward_a_threshold() {
    let repo = TestRepo::new();
    let cast = Cast::new(&repo);
    let zhouyi_laptop = repo.second_key(&cast.zhouyi);
    repo.bootstrap(
        &cast,
        &PolicyDoc::standard(1, &cast).with_person(&zhouyi_laptop),
    );
    repo.publish_draft(
        &cast.wangfang,
        A,
        &article("重大事项", "importance: major\n", "需领导小组审批。"),
    );
    repo.approve(&cast.lihua, "unit-review", A);
    repo.approve(&cast.chenjun, "final", A);
    repo.approve(&cast.zhouyi, "group", A);
    repo.approve(&zhouyi_laptop, "group", A);
    // 陈军 is in the leading group, but already signed the final stage.
    repo.approve(&cast.chenjun, "group", A);

    let site = repo.snapshot();
    assert!(
        !site.online(A),
        "one person with two keys is still one of the two needed"
    );
    assert_eq!(site.status(A)["workflow"], "major");
    assert_eq!(site.stage_by(A, "group"), ["zhouyi"]);
    assert!(!site.stage_done(A, "group"));
    assert_refused(&site, A, "group", "duplicate");
    assert_refused(&site, A, "group", "same-person-twice");
    assert_eq!(site.eligible(A), ["wugang"]);

    repo.approve(&cast.wugang, "group", A);
    let site = repo.snapshot();
    assert!(site.online(A));
    assert_eq!(site.stage_by(A, "group"), ["wugang", "zhouyi"]);
}

#[test]
fn a_threshold_stage_needs_that_many_distinct_people() {
    let (repo, cast) = TestRepo::bootstrapped();
    repo.publish_draft(
        &cast.wangfang,
        A,
        &article("重大事项", "importance: major\n", "需领导小组审批。"),
    );
    repo.approve(&cast.lihua, "unit-review", A);
    repo.approve(&cast.chenjun, "final", A);
    repo.approve(&cast.zhouyi, "group", A);

    let site = repo.snapshot();
    assert!(!site.online(A));
    assert_eq!(site.state(A), "pending");
    assert_eq!(site.status(A)["workflow"], "major");
    assert_eq!(site.stage_by(A, "group"), ["zhouyi"]);
    assert!(!site.stage_done(A, "group"));
    assert_eq!(site.next_stage(A), Some("group"));
    assert_eq!(
        site.eligible(A),
        ["wugang"],
        "陈军 signed the final stage; 周毅 already approved"
    );

    repo.approve(&cast.wugang, "group", A);
    let site = repo.snapshot();
    assert!(site.online(A));
    assert!(site.stage_done(A, "group"));
}

#[test]
fn the_author_named_in_front_matter_may_not_approve() {
    let (repo, cast) = TestRepo::bootstrapped();
    const BY_ID: &str = "content/news/by-id.md";
    const BY_NAME: &str = "content/news/by-name.md";
    // 王芳 commits articles written by 李华, named by id and by display name.
    repo.publish_draft(
        &cast.wangfang,
        BY_ID,
        &article("李华的稿件", "author: lihua\n", "一"),
    );
    repo.publish_draft(
        &cast.wangfang,
        BY_NAME,
        &article("李华的另一篇", "author: 李华\n", "二"),
    );
    for path in [BY_ID, BY_NAME] {
        repo.approve(&cast.lihua, "unit-review", path);
        repo.approve(&cast.zhaolei, "re-review", path);
        repo.approve(&cast.chenjun, "final", path);
    }

    let site = repo.snapshot();
    for path in [BY_ID, BY_NAME] {
        assert!(!site.online(path), "{path}");
        assert_refused(&site, path, "unit-review", "author-approval");
        assert_eq!(site.next_stage(path), Some("unit-review"), "{path}");
        assert!(
            site.eligible(path).is_empty(),
            "{path}: 李华 is the only kepu unit head and wrote it"
        );
    }
}

#[test]
fn the_person_who_committed_a_version_may_not_approve_it() {
    let (repo, cast) = TestRepo::bootstrapped();
    // 李华 writes and commits (signed) the article herself; no `author` field.
    repo.publish_draft(
        &cast.lihua,
        A,
        &article("科普月活动启动", "", "全市科普月活动今日启动。"),
    );
    repo.approve(&cast.lihua, "unit-review", A);
    repo.approve(&cast.zhaolei, "re-review", A);
    repo.approve(&cast.chenjun, "final", A);

    let site = repo.snapshot();
    assert!(!site.online(A));
    assert_refused(&site, A, "unit-review", "author-approval");
    assert_eq!(site.next_stage(A), Some("unit-review"));
}

#[test]
fn a_reviewer_key_on_someone_elses_commit_approves_nothing() {
    let (repo, cast) = TestRepo::bootstrapped();
    let oid = draft(&repo, &cast, A);
    repo.approve(&cast.lihua, "unit-review", A);
    // Authored by 王芳 but signed with 赵磊's key (a re-signing amend or
    // rebase): the key is genuine, the author is not its owner.
    repo.commit_with(
        &cast.wangfang,
        Some(cast.zhaolei.signing_key()),
        &trailer_message("复审", &[format!("Approve: re-review {A} {oid}")]),
        true,
    );
    repo.approve(&cast.chenjun, "final", A);

    let site = repo.snapshot();
    assert!(!site.online(A));
    assert_refused(&site, A, "re-review", "author-mismatch");
    assert!(site.stage_by(A, "re-review").is_empty());
    assert_eq!(site.next_stage(A), Some("re-review"));
}

#[test]
fn records_that_name_nothing_approvable_or_repeat_a_stage_are_reported() {
    let repo = TestRepo::new();
    let cast = Cast::new(&repo);
    // 刘强 may also review kepu here, to reach a stage that is already complete.
    repo.bootstrap(
        &cast,
        &PolicyDoc::standard(1, &cast).with_member(
            "unit-head",
            &cast.liuqiang,
            Some(&["kepu", "xuehui"]),
        ),
    );
    let oid = draft(&repo, &cast, A);
    let tree = repo.rev_parse("HEAD^{tree}");
    repo.approve(&cast.lihua, "group", A); // the standard workflow has no such stage
    repo.approve_oid(&cast.lihua, "unit-review", A, &tree); // a folder where a file is approved
    repo.approve_oid(&cast.lihua, "unit-review", A, &"1".repeat(40)); // no such object
    repo.approve(&cast.lihua, "unit-review", A);
    repo.approve(&cast.lihua, "unit-review", A);
    repo.approve(&cast.liuqiang, "unit-review", A);

    let site = repo.snapshot();
    assert_refused(&site, A, "group", "unknown-stage");
    assert_eq!(
        site.ignored(A)
            .iter()
            .filter(|(_, r)| r == "invalid-target")
            .count(),
        2,
        "{:?}",
        site.ignored(A)
    );
    assert_refused(&site, A, "unit-review", "duplicate");
    assert_refused(&site, A, "unit-review", "already-complete");
    assert_eq!(site.stage_by(A, "unit-review"), ["lihua"]);

    // None of that stands in the way of a proper review.
    repo.approve(&cast.zhaolei, "re-review", A);
    repo.approve(&cast.chenjun, "final", A);
    let site = repo.snapshot();
    assert!(site.online(A));
    assert_eq!(site.published_oid(A), Some(oid.as_str()));
}

#[test]
fn an_approval_recorded_before_any_policy_does_not_count() {
    let repo = TestRepo::new();
    let cast = Cast::new(&repo);
    draft(&repo, &cast, A);
    repo.approve(&cast.lihua, "unit-review", A);
    repo.bootstrap(&cast, &PolicyDoc::standard(1, &cast));
    repo.approve(&cast.zhaolei, "re-review", A);

    let site = repo.snapshot();
    assert!(!site.online(A));
    assert_refused(&site, A, "unit-review", "no-policy");
    assert_refused(&site, A, "re-review", "out-of-order");
    assert_eq!(site.next_stage(A), Some("unit-review"));
}

#[test]
fn history_order_decides_never_commit_dates() {
    let (repo, cast) = TestRepo::bootstrapped();
    const B: &str = "content/news/b.md";
    draft(&repo, &cast, A);
    repo.publish_draft(&cast.wangfang, B, &article("另一篇", "", "尚在审核。"));

    // A: stages in the right order, dated backwards.
    for (date, (person, stage)) in [
        ("2026-11-01T20:00:00+08:00", (&cast.lihua, "unit-review")),
        ("2026-11-01T15:00:00+08:00", (&cast.zhaolei, "re-review")),
        ("2026-11-01T10:00:00+08:00", (&cast.chenjun, "final")),
    ] {
        repo.next_commit_dated(date);
        repo.approve(person, stage, A);
    }
    // B: the final first in history but dated last.
    for (date, (person, stage)) in [
        ("2026-11-01T23:00:00+08:00", (&cast.chenjun, "final")),
        ("2026-11-01T11:00:00+08:00", (&cast.lihua, "unit-review")),
        ("2026-11-01T12:00:00+08:00", (&cast.zhaolei, "re-review")),
    ] {
        repo.next_commit_dated(date);
        repo.approve(person, stage, B);
    }

    let site = repo.snapshot();
    assert!(
        site.online(A),
        "backwards dates do not undo a review done in order"
    );
    assert!(
        !site.online(B),
        "a late date does not put an early final after the others"
    );
    assert_refused(&site, B, "final", "out-of-order");
}

/// One full review where `replace` gives one reviewer another kind of key.
fn review_with_key_type(key_type: &str, replace: impl FnOnce(&TestRepo, &mut Cast)) {
    let repo = TestRepo::new();
    let mut cast = Cast::new(&repo);
    replace(&repo, &mut cast);
    repo.bootstrap(&cast, &PolicyDoc::standard(1, &cast));
    draft(&repo, &cast, A);
    repo.review_standard(&cast, A);
    let site = repo.snapshot();
    assert!(site.online(A), "a {key_type} key approves");
    assert!(
        site.ignored(A).is_empty(),
        "{key_type}: {:?}",
        site.ignored(A)
    );
}

#[test]
fn an_ecdsa_key_approves() {
    review_with_key_type("ecdsa", |repo, cast| {
        cast.chenjun = repo.person_with_key_type("chenjun", "陈军", None, "ecdsa");
    });
}

#[test]
fn an_rsa_key_approves() {
    review_with_key_type("rsa", |repo, cast| {
        cast.zhaolei = repo.person_with_key_type("zhaolei", "赵磊", Some("office"), "rsa");
    });
}

#[test]
fn only_what_git_shows_as_a_trailer_is_an_approval() {
    let (repo, cast) = TestRepo::bootstrapped();
    const B: &str = "content/news/b.md";
    let oid_a = draft(&repo, &cast, A);
    let oid_b = repo.publish_draft(&cast.wangfang, B, &article("另一篇", "", "尚在审核。"));
    for path in [A, B] {
        repo.approve(&cast.lihua, "unit-review", path);
        repo.approve(&cast.zhaolei, "re-review", path);
    }
    // A: the Approve line is followed by another paragraph, so it is body
    // text, not a trailer.
    let in_body = repo.sign_trailers(
        &cast.chenjun,
        "终审",
        &[format!(
            "Approve: final {A} {oid_a}\n\n同意发布，请注意排版。"
        )],
    );
    // B: a last paragraph with a plain line still is a trailer block when a
    // git-generated trailer is in it and a quarter of its lines are trailers.
    let mixed = repo.sign_trailers(
        &cast.chenjun,
        "终审",
        &[
            format!("Approve: final {B} {oid_b}"),
            "同意".to_string(),
            format!(
                "Signed-off-by: {} <{}>",
                cast.chenjun.name, cast.chenjun.email
            ),
        ],
    );
    let trailers =
        |commit: &str| repo.git(&["log", "-1", "--format=%(trailers:only,unfold)", commit]);
    assert!(
        !trailers(&in_body).contains("Approve:"),
        "git agrees it is no trailer"
    );
    assert!(
        trailers(&mixed).contains("Approve:"),
        "git agrees it is a trailer"
    );

    let site = repo.snapshot();
    assert!(!site.online(A));
    assert_eq!(site.next_stage(A), Some("final"));
    assert!(site.online(B));
}

#[test]
fn a_path_with_spaces_is_approved_with_or_without_an_object_id() {
    let (repo, cast) = TestRepo::bootstrapped();
    const SPACED: &str = "content/news/annual report 2026.md";
    let oid = draft(&repo, &cast, SPACED);
    repo.approve(&cast.lihua, "unit-review", SPACED);
    repo.approve(&cast.zhaolei, "re-review", SPACED);
    repo.sign_trailers(&cast.chenjun, "终审", &[format!("Approve: final {SPACED}")]);

    let site = repo.snapshot();
    assert!(
        site.ignored(SPACED).is_empty(),
        "{:?}",
        site.ignored(SPACED)
    );
    assert_eq!(site.published_oid(SPACED), Some(oid.as_str()));
    assert!(site.online(SPACED));
}

#[test]
fn site_toml_never_chooses_a_workflow() {
    let (repo, cast) = TestRepo::bootstrapped();
    draft(&repo, &cast, A);
    // 王芳 forces the one-stage special-column workflow on her column.
    let forced = common::site_toml(common::SITE_TITLE).replace(
        "title = \"工作动态\"\n",
        "title = \"工作动态\"\nworkflow = \"special-column\"\n",
    );
    assert!(forced.contains("special-column"));
    repo.write("site.toml", &forced);
    repo.commit_as(&cast.wangfang, "栏目设置");
    repo.approve(&cast.chenjun, "final", A);

    let site = repo.snapshot();
    assert!(!site.online(A));
    assert_eq!(site.status(A)["workflow"], "standard");
    assert_refused(&site, A, "final", "out-of-order");

    // Even approved by the maintainer, site.toml cannot choose a workflow:
    // the key is an error, that version is held back, the previous one stays.
    repo.approve(&cast.qianwei, "site", "site.toml");
    let build = repo.build();
    assert_eq!(build.code(), Some(1), "{}", build.stderr());
    assert!(
        build
            .stderr()
            .contains("`workflow` is no longer a site setting"),
        "{}",
        build.stderr()
    );
    let status = repo.status_json();
    let a = status.iter().find(|s| s["path"] == A).expect("A in status");
    assert_eq!(a["workflow"], "standard");
    assert_eq!(a["state"], "pending");
}

#[test]
fn one_commit_may_approve_many_articles_but_never_by_an_abbreviated_id() {
    let (repo, cast) = TestRepo::bootstrapped();
    const B: &str = "content/news/b.md";
    const C: &str = "content/news/c.md";
    let oid_a = draft(&repo, &cast, A);
    let oid_b = repo.publish_draft(&cast.wangfang, B, &article("第二篇", "", "二。"));
    let oid_c = repo.publish_draft(&cast.wangfang, C, &article("第三篇", "", "三。"));
    for path in [A, B, C] {
        repo.approve(&cast.lihua, "unit-review", path);
        repo.approve(&cast.zhaolei, "re-review", path);
    }
    // One signed commit, three trailers; C is named by a short id, which is
    // not an object id (40 or 64 hex digits) but part of the path.
    repo.sign_trailers(
        &cast.chenjun,
        "终审（批量）",
        &[
            format!("Approve: final {A} {oid_a}"),
            format!("Approve: final {B} {oid_b}"),
            format!("Approve: final {C} {}", &oid_c[..12]),
        ],
    );

    let site = repo.snapshot();
    assert!(site.online(A));
    assert!(site.online(B));
    assert!(!site.online(C), "an abbreviated id must not be resolved");
    assert_eq!(site.next_stage(C), Some("final"));
}

/// SPEC §5 rule 6 read literally: approving an *older* version by its id
/// completes it, which voids the approvals the newer version had collected
/// earlier; the older version is then the last approved one on the main
/// line, online while the current version is pending.
#[test]
fn completing_an_older_version_voids_the_newer_versions_earlier_approvals() {
    let (repo, cast) = TestRepo::bootstrapped();
    let v1 = repo.publish_draft(
        &cast.wangfang,
        A,
        &article("科普月活动启动", "", "第一版。"),
    );
    let v2 = repo.publish_draft(
        &cast.wangfang,
        A,
        &article("科普月活动启动", "", "第二版。"),
    );
    repo.approve(&cast.lihua, "unit-review", A); // v2, the version at HEAD
    for (person, stage) in [
        (&cast.lihua, "unit-review"),
        (&cast.zhaolei, "re-review"),
        (&cast.chenjun, "final"),
    ] {
        repo.approve_oid(person, stage, A, &v1);
    }

    let site = repo.snapshot();
    assert!(site.online(A));
    assert!(site.page(A).contains("第一版"));
    assert_eq!(site.state(A), "outdated");
    assert_eq!(site.published_oid(A), Some(v1.as_str()));
    assert_eq!(site.status(A)["current_oid"], v2.as_str());
    assert!(
        site.stage_by(A, "unit-review").is_empty(),
        "v2's unit review was voided"
    );
    assert_eq!(site.next_stage(A), Some("unit-review"));
}
