//! `sanshen approve` and `sanshen withdraw` (SPEC §6): the reviewer's own git
//! signs the commit, and sanshen refuses before committing when the approval
//! could not count. Each test configures the repository's git as one person
//! at a time — as on that person's own machine — and runs the real binary.

mod common;

use std::process::Output;

use common::{Cast, Person, TestRepo, article};

const A: &str = "content/news/a.md";

fn draft(repo: &TestRepo, cast: &Cast, path: &str) -> String {
    repo.publish_draft(
        &cast.wangfang,
        path,
        &article("科普月活动启动", "", "正文。"),
    )
}

fn stderr(output: &Output) -> String {
    String::from_utf8_lossy(&output.stderr).into_owned()
}

/// `sanshen approve --stage STAGE ARGS…` as `person`; must succeed.
fn approve_as(repo: &TestRepo, person: &Person, stage: &str, args: &[&str]) -> String {
    repo.configure_signer(person);
    let mut command = vec!["approve", "--stage", stage];
    command.extend_from_slice(args);
    let output = repo.sanshen_committing(&command);
    assert_eq!(
        output.status.code(),
        Some(0),
        "{} could not approve {stage}: {}",
        person.id,
        stderr(&output)
    );
    repo.rev_parse("HEAD")
}

/// Run a command that must be refused: non-zero exit, the reason in the
/// message, and nothing committed, staged or left half-merged.
#[track_caller]
fn assert_refused(repo: &TestRepo, args: &[&str], reason: &str) {
    let head = repo.rev_parse("HEAD");
    let output = repo.sanshen_committing(args);
    let message = stderr(&output);
    assert_ne!(output.status.code(), Some(0), "{args:?} was accepted");
    assert!(
        message.contains(reason),
        "{args:?}: expected `{reason}` in the message:\n{message}"
    );
    assert_eq!(repo.rev_parse("HEAD"), head, "{args:?} committed something");
    assert!(
        !repo.root.join(".git/MERGE_HEAD").exists(),
        "{args:?} left a merge in progress"
    );
}

fn message_of(repo: &TestRepo, commit: &str) -> String {
    repo.git(&["log", "-1", "--format=%B", commit])
}

#[test]
fn the_unit_head_approves_with_a_signed_commit_that_counts() {
    let (repo, cast) = TestRepo::bootstrapped();
    let oid = draft(&repo, &cast, A);
    let before = repo.rev_parse("HEAD");
    let commit = approve_as(&repo, &cast.lihua, "unit-review", &[A]);

    assert_ne!(commit, before, "a new commit");
    assert_eq!(repo.rev_parse("HEAD~1"), before, "on top of HEAD");
    assert_eq!(
        repo.rev_parse("HEAD^{tree}"),
        repo.rev_parse(&format!("{before}^{{tree}}")),
        "the approval commit changes no file"
    );
    assert!(
        message_of(&repo, &commit).contains(&format!("Approve: unit-review {A} {oid}")),
        "{}",
        message_of(&repo, &commit)
    );
    assert_eq!(
        repo.git(&["log", "-1", "--format=%ae"]).trim(),
        cast.lihua.email
    );
    assert_eq!(repo.signature_status(&commit, &[&cast.lihua]), "G");

    let site = repo.snapshot();
    assert!(site.stage_done(A, "unit-review"));
    assert_eq!(site.stage_by(A, "unit-review"), ["lihua"]);
    assert_eq!(site.next_stage(A), Some("re-review"));
    assert!(repo.git(&["status", "--porcelain"]).trim().is_empty());
}

#[test]
fn approvals_that_would_not_count_are_refused_before_committing() {
    let (repo, cast) = TestRepo::bootstrapped();
    draft(&repo, &cast, A);
    let stage = |s: &'static str| ["approve", "--stage", s, A];

    // 赵磊 holds publicity, not unit-head.
    repo.configure_signer(&cast.zhaolei);
    assert_refused(&repo, &stage("unit-review"), "wrong-role");
    // The re-review before the unit review.
    assert_refused(&repo, &stage("re-review"), "out-of-order");

    // The writer names herself the author: 李华 may not approve her own work.
    const OWN: &str = "content/news/own.md";
    repo.publish_draft(
        &cast.wangfang,
        OWN,
        &article("本部门稿件", "author: lihua\n", "正文。"),
    );
    repo.configure_signer(&cast.lihua);
    assert_refused(
        &repo,
        &["approve", "--stage", "unit-review", OWN],
        "author-approval",
    );

    // 陈军 is leader and in the leading group: one person, one stage (major workflow).
    const MAJOR: &str = "content/news/major.md";
    repo.publish_draft(
        &cast.wangfang,
        MAJOR,
        &article("重大事项", "importance: major\n", "正文。"),
    );
    approve_as(&repo, &cast.lihua, "unit-review", &[MAJOR]);
    approve_as(&repo, &cast.chenjun, "final", &[MAJOR]);
    repo.configure_signer(&cast.chenjun);
    assert_refused(
        &repo,
        &["approve", "--stage", "group", MAJOR],
        "same-person-twice",
    );

    // Someone whose key the policy does not list.
    let stranger = repo.person("stranger", "路人", Some("kepu"));
    repo.configure_signer(&stranger);
    assert_refused(&repo, &stage("unit-review"), "not in the policy");
    // 李华's address with another key.
    repo.configure_signer(&repo.impostor(&cast.lihua));
    assert_refused(&repo, &stage("unit-review"), "not in the policy");

    // 李华's key, but git would sign with OpenPGP.
    repo.configure_signer(&cast.lihua);
    repo.git(&["config", "gpg.format", "openpgp"]);
    assert_refused(&repo, &stage("unit-review"), "gpg.format");

    // 李华's key, someone else's address as the author.
    repo.configure_signer(&cast.lihua);
    repo.git(&["config", "user.email", &cast.zhaolei.email]);
    assert_refused(&repo, &stage("unit-review"), "user.email");

    // After all that, the stage is still open.
    let site = repo.snapshot();
    assert!(!site.stage_done(A, "unit-review"));
    assert!(site.ignored(A).is_empty(), "nothing was recorded");
}

#[test]
fn staged_changes_stop_an_approval() {
    let (repo, cast) = TestRepo::bootstrapped();
    draft(&repo, &cast, A);
    repo.write("content/news/other.md", &article("另一篇", "", "正文。"));
    repo.git(&["add", "content/news/other.md"]);
    repo.configure_signer(&cast.lihua);
    assert_refused(
        &repo,
        &["approve", "--stage", "unit-review", A],
        "staged changes",
    );
    assert_eq!(
        repo.git(&["diff", "--cached", "--name-only"]).trim(),
        "content/news/other.md",
        "the staged change is left as it was"
    );
}

#[test]
fn the_whole_workflow_through_the_command_publishes_the_article() {
    let (repo, cast) = TestRepo::bootstrapped();
    let oid = draft(&repo, &cast, A);
    let reviewers = [&cast.lihua, &cast.zhaolei, &cast.chenjun];
    let commits: Vec<String> = reviewers
        .iter()
        .zip(["unit-review", "re-review", "final"])
        .map(|(person, stage)| approve_as(&repo, person, stage, &[A]))
        .collect();
    for commit in &commits {
        assert_eq!(repo.signature_status(commit, &reviewers), "G");
    }
    let last = &commits[2];

    let site = repo.snapshot();
    assert!(site.online(A));
    assert_eq!(site.state(A), "published");
    assert_eq!(site.published_oid(A), Some(oid.as_str()));
    assert!(site.page(A).contains("科普月活动启动"));
    let final_stage = &site.build.manifest_entry(A).expect("listed")["stages"][2];
    assert_eq!(final_stage["approvals"][0]["commit"], last.as_str());
}

#[test]
fn approving_a_bundles_index_approves_the_whole_folder() {
    let (repo, cast) = TestRepo::bootstrapped();
    const BUNDLE: &str = "content/news/b";
    repo.write(
        &format!("{BUNDLE}/index.md"),
        &article("图文稿件", "", "见附件。"),
    );
    repo.write_bytes(&format!("{BUNDLE}/notice.pdf"), b"%PDF-1.4\n%%EOF\n");
    repo.commit_as(&cast.wangfang, "图文稿件");
    let tree = repo.rev_parse(&format!("HEAD:{BUNDLE}"));

    let commit = approve_as(
        &repo,
        &cast.lihua,
        "unit-review",
        &[&format!("{BUNDLE}/index.md")],
    );
    assert!(
        message_of(&repo, &commit).contains(&format!("Approve: unit-review {BUNDLE} {tree}")),
        "the trailer names the folder and its tree: {}",
        message_of(&repo, &commit)
    );
    approve_as(&repo, &cast.zhaolei, "re-review", &[BUNDLE]);
    approve_as(&repo, &cast.chenjun, "final", &[&format!("{BUNDLE}/")]);

    let site = repo.snapshot();
    assert!(site.online(BUNDLE));
    assert_eq!(site.published_oid(BUNDLE), Some(tree.as_str()));
    assert!(site.build.out.join("news/b/notice.pdf").is_file());
}

#[test]
fn merge_approves_every_article_of_a_branch_in_one_signed_merge_commit() {
    let (repo, cast) = TestRepo::bootstrapped();
    const B: &str = "content/news/b.md";
    repo.git(&["checkout", "-q", "-b", "feature"]);
    let a = draft(&repo, &cast, A);
    let b = repo.publish_draft(&cast.wangfang, B, &article("第二篇", "", "正文。"));
    repo.git(&["checkout", "-q", "main"]);
    let before = repo.rev_parse("HEAD");

    // 赵磊 cannot take the unit review: nothing is merged.
    repo.configure_signer(&cast.zhaolei);
    assert_refused(
        &repo,
        &["approve", "--stage", "unit-review", "--merge", "feature"],
        "wrong-role",
    );
    assert!(repo.git(&["status", "--porcelain"]).trim().is_empty());
    assert!(
        !repo.root.join(A).exists(),
        "the branch's files are not left behind"
    );

    let merge = approve_as(&repo, &cast.lihua, "unit-review", &["--merge", "feature"]);
    let parents = repo.git(&["log", "-1", "--format=%P", &merge]);
    let parents: Vec<&str> = parents.split_whitespace().collect();
    assert_eq!(
        parents,
        [before.as_str(), repo.rev_parse("feature").as_str()],
        "one merge commit of main and the branch"
    );
    let message = message_of(&repo, &merge);
    assert_eq!(message.matches("Approve: ").count(), 2, "{message}");
    assert!(
        message.contains(&format!("Approve: unit-review {A} {a}")),
        "{message}"
    );
    assert!(
        message.contains(&format!("Approve: unit-review {B} {b}")),
        "{message}"
    );
    assert_eq!(repo.signature_status(&merge, &[&cast.lihua]), "G");

    let site = repo.snapshot();
    for path in [A, B] {
        assert_eq!(site.stage_by(path, "unit-review"), ["lihua"], "{path}");
        assert_eq!(site.next_stage(path), Some("re-review"), "{path}");
    }
}

#[test]
fn only_the_withdraw_role_withdraws_through_the_command() {
    let (repo, cast) = TestRepo::bootstrapped();
    draft(&repo, &cast, A);
    repo.review_standard(&cast, A);
    assert!(repo.snapshot().online(A));

    repo.configure_signer(&cast.zhaolei);
    assert_refused(
        &repo,
        &["withdraw", A, "--reason", "我觉得不妥"],
        "withdrawal would not count",
    );
    assert!(repo.snapshot().online(A));

    repo.configure_signer(&cast.sunli);
    let output = repo.sanshen_committing(&["withdraw", A, "--reason", "信息有误，撤稿"]);
    assert_eq!(output.status.code(), Some(0), "{}", stderr(&output));
    let message = message_of(&repo, "HEAD");
    assert!(message.contains(&format!("Withdraw: {A}")), "{message}");
    assert!(
        message.contains("Withdraw-Reason: 信息有误，撤稿"),
        "{message}"
    );
    assert_eq!(repo.signature_status("HEAD", &[&cast.sunli]), "G");

    let site = repo.snapshot();
    assert!(!site.online(A));
    assert_eq!(site.state(A), "withdrawn");
    assert_eq!(site.published_oid(A), None);
}

#[test]
fn what_build_would_hold_back_is_refused_before_committing() {
    let (repo, cast) = TestRepo::bootstrapped();
    repo.configure_signer(&cast.lihua);

    // An impossible date: readable, invalid — approvable in law, never published.
    const BAD_DATE: &str = "content/news/bad-date.md";
    repo.publish_draft(
        &cast.wangfang,
        BAD_DATE,
        &article("日期有误", "", "正文。").replace("date: 2026-11-02", "date: 2026-13-45"),
    );
    assert_refused(
        &repo,
        &["approve", "--stage", "unit-review", BAD_DATE],
        "content/news/bad-date.md:3",
    );

    // Dated before the day its review can complete: backdated.
    const OLD: &str = "content/news/old.md";
    repo.publish_draft(
        &cast.wangfang,
        OLD,
        &article("旧日期", "", "正文。").replace("date: 2026-11-02", "date: 2026-10-01"),
    );
    assert_refused(
        &repo,
        &["approve", "--stage", "unit-review", OLD],
        "backdated",
    );

    // A kepu article in the office's column.
    const ELSEWHERE: &str = "content/notices/elsewhere.md";
    repo.publish_draft(&cast.wangfang, ELSEWHERE, &article("错投", "", "正文。"));
    assert_refused(
        &repo,
        &["approve", "--stage", "unit-review", ELSEWHERE],
        "unit-column",
    );

    // A site.toml with a typo, for the maintainer.
    repo.write(
        "site.toml",
        &common::site_toml(common::SITE_TITLE).replace("title =", "titel ="),
    );
    repo.commit_as(&cast.sunli, "站点设置");
    repo.configure_signer(&cast.qianwei);
    assert_refused(&repo, &["approve", "--stage", "site", "site.toml"], "titel");

    // A theme whose template does not compile.
    repo.write("themes/house/templates/index.html", "{% if %}\n");
    repo.commit_as(&cast.qianwei, "主题");
    assert_refused(
        &repo,
        &["approve", "--stage", "site", "themes/house"],
        "themes/house/templates/index.html",
    );

    // A policy that does not validate, and one whose version is not higher.
    repo.configure_signer(&cast.sunli);
    repo.write("approvals/policy.yaml", "version: 2\nunits: []\n");
    repo.commit_as(&cast.sunli, "审核制度：写错了");
    assert_refused(
        &repo,
        &["approve", "--stage", "policy", "approvals", "--yes"],
        "policy.yaml",
    );
    repo.write_policy(
        &common::PolicyDoc::standard(1, &cast).without_member("leading-group", &cast.wugang),
    );
    repo.commit_as(&cast.sunli, "审核制度：版本未加一");
    assert_refused(
        &repo,
        &["approve", "--stage", "policy", "approvals", "--yes"],
        "not higher than version 1",
    );
}

#[test]
fn approving_a_policy_shows_its_effect_and_needs_a_yes() {
    let (repo, cast) = TestRepo::bootstrapped();
    repo.publish_draft(&cast.wangfang, A, &article("已发布", "", "正文。"));
    repo.review_standard(&cast, A);
    assert!(repo.build().page(A).is_some());

    // Revoking 陈军's key voids every approval it signed: A goes offline.
    let policy = common::PolicyDoc::standard(2, &cast).revoking(cast.chenjun.signing_key());
    repo.write_policy(&policy);
    repo.commit_as(&cast.sunli, "审核制度：吊销陈军的密钥");
    repo.configure_signer(&cast.sunli);
    let head = repo.rev_parse("HEAD");
    let refused = repo.sanshen_committing(&["approve", "--stage", "policy", "approvals"]);
    let said = stderr(&refused);
    assert_ne!(refused.status.code(), Some(0));
    assert_eq!(repo.rev_parse("HEAD"), head, "committed without --yes");
    assert!(
        said.contains(&cast.chenjun.signing_key().fingerprint),
        "{said}"
    );
    assert!(
        said.contains(A),
        "the article going offline is named: {said}"
    );
    assert!(said.contains("--yes"), "{said}");

    approve_as(&repo, &cast.sunli, "policy", &["approvals", "--yes"]);
    assert!(repo.build().page(A).is_none(), "the revocation took effect");
}
