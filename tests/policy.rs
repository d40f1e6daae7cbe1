//! Trust in the policy itself (SPEC §5 rule 1 and `settings.revoked_keys`):
//! edits to `approvals/` change nothing until the admin approves a higher
//! version; no rollback, not even through a merge; revoking a key voids its
//! past signatures; `--policy-root` pins the trust root.

mod common;

use common::{Cast, PolicyDoc, TestRepo, article, assert_refused};

const A: &str = "content/news/kepu-month.md";

fn draft(repo: &TestRepo, cast: &Cast) -> String {
    repo.publish_draft(
        &cast.wangfang,
        A,
        &article("科普月活动启动", "", "全市科普月活动今日启动。"),
    )
}

fn policy_version(snapshot: &common::Snapshot) -> u64 {
    let manifest = snapshot.build.manifest.as_ref().expect("manifest");
    manifest["policy"]["version"]
        .as_u64()
        .expect("policy.version in the manifest")
}

/// Commit `policy` as `author` and have 孙丽 (admin) approve it.
fn adopt(repo: &TestRepo, cast: &Cast, author: &common::Person, policy: &PolicyDoc) -> String {
    repo.write_policy(policy);
    repo.commit_as(author, &format!("审核制度第{}版", policy.version));
    repo.approve(&cast.sunli, "policy", "approvals")
}

#[test]
fn granting_yourself_a_role_or_a_key_without_approval_changes_nothing() {
    let (repo, cast) = TestRepo::bootstrapped();
    let mallory = repo.person("mallory", "马某", Some("office"));
    // 张三 (a writer) makes himself a leader and adds an outsider with a key.
    let forged = PolicyDoc::standard(2, &cast)
        .with_member("leader", &cast.zhangsan, None)
        .with_person(&mallory)
        .with_member("leader", &mallory, None);
    repo.write_policy(&forged);
    repo.commit_as(&cast.zhangsan, "更新人员名单");
    repo.approve(&cast.zhangsan, "policy", "approvals"); // not an admin

    draft(&repo, &cast);
    repo.approve(&cast.lihua, "unit-review", A);
    repo.approve(&cast.zhaolei, "re-review", A);
    repo.approve(&cast.zhangsan, "final", A);
    repo.approve(&mallory, "final", A);

    let site = repo.snapshot();
    assert_eq!(policy_version(&site), 1);
    assert!(!site.online(A));
    assert_refused(&site, A, "final", "wrong-role");
    assert_refused(&site, A, "final", "unknown-key");
    assert_eq!(site.eligible(A), ["chenjun"]);

    repo.approve(&cast.chenjun, "final", A);
    assert!(repo.snapshot().online(A), "the trusted policy still works");
}

#[test]
fn a_higher_version_approved_by_the_admin_takes_effect_from_then_on() {
    let (repo, cast) = TestRepo::bootstrapped();
    draft(&repo, &cast);
    repo.approve(&cast.lihua, "unit-review", A);
    repo.approve(&cast.zhaolei, "re-review", A);
    repo.approve(&cast.zhouyi, "final", A); // not a leader yet

    // Anyone may propose the change; the admin's approval makes it policy.
    adopt(
        &repo,
        &cast,
        &cast.wangfang,
        &PolicyDoc::standard(2, &cast).with_member("leader", &cast.zhouyi, None),
    );

    let site = repo.snapshot();
    assert_eq!(policy_version(&site), 2);
    assert!(
        !site.online(A),
        "an approval made before the role was granted does not count later"
    );
    assert_refused(&site, A, "final", "wrong-role");
    assert_eq!(site.eligible(A), ["chenjun", "zhouyi"]);

    repo.approve(&cast.zhouyi, "final", A);
    let site = repo.snapshot();
    assert!(site.online(A));
    assert_eq!(site.stage_by(A, "final"), ["zhouyi"]);
}

#[test]
fn an_approved_policy_with_a_lower_or_equal_version_is_a_rollback_and_ignored() {
    let (repo, cast) = TestRepo::bootstrapped();
    let v2 = PolicyDoc::standard(2, &cast).with_member("leader", &cast.zhouyi, None);
    adopt(&repo, &cast, &cast.wangfang, &v2);
    let v2_tree = repo.rev_parse("HEAD:approvals");

    // 孙丽 is talked into approving two policies that make 张三 a leader:
    // one numbered lower, one numbered the same as the policy in force.
    adopt(
        &repo,
        &cast,
        &cast.zhangsan,
        &PolicyDoc::standard(1, &cast).with_member("leader", &cast.zhangsan, None),
    );
    adopt(
        &repo,
        &cast,
        &cast.zhangsan,
        &v2.clone().with_member("leader", &cast.zhangsan, None),
    );

    draft(&repo, &cast);
    repo.approve(&cast.lihua, "unit-review", A);
    repo.approve(&cast.zhaolei, "re-review", A);
    repo.approve(&cast.zhangsan, "final", A);

    let site = repo.snapshot();
    let manifest = site.build.manifest.as_ref().expect("manifest");
    assert_eq!(manifest["policy"]["version"], 2);
    assert_eq!(
        manifest["policy"]["oid"],
        v2_tree.as_str(),
        "the policy in force is v2 as approved"
    );
    assert!(!site.online(A));
    assert_refused(&site, A, "final", "wrong-role");
}

#[test]
fn merging_an_old_branch_does_not_bring_back_an_old_policy() {
    let (repo, cast) = TestRepo::bootstrapped();
    let v1_tree = repo.rev_parse("HEAD:approvals");
    repo.git(&["branch", "old"]);
    // 陈军 hands the leader role to 周毅.
    let v2 = PolicyDoc::standard(2, &cast)
        .without_member("leader", &cast.chenjun)
        .with_member("leader", &cast.zhouyi, None);
    adopt(&repo, &cast, &cast.sunli, &v2);

    repo.git(&["checkout", "-q", "old"]);
    draft(&repo, &cast);
    repo.git(&["checkout", "-q", "main"]);
    // The merge takes approvals/ from the old branch (v1, 陈军 leader) ...
    repo.git(&["merge", "-q", "--no-ff", "--no-commit", "old"]);
    repo.git(&["checkout", "old", "--", "approvals"]);
    repo.commit_as(&cast.wangfang, "合并旧分支");
    assert_eq!(repo.rev_parse("HEAD:approvals"), v1_tree);
    // ... and even an admin approval of that tree is a rollback.
    repo.approve(&cast.sunli, "policy", "approvals");

    repo.approve(&cast.lihua, "unit-review", A);
    repo.approve(&cast.zhaolei, "re-review", A);
    repo.approve(&cast.chenjun, "final", A);
    let site = repo.snapshot();
    assert_eq!(policy_version(&site), 2);
    assert!(!site.online(A));
    assert_refused(&site, A, "final", "wrong-role");

    repo.approve(&cast.zhouyi, "final", A);
    assert!(repo.snapshot().online(A));
}

#[test]
fn a_revoked_key_voids_its_past_signatures() {
    let (repo, cast) = TestRepo::bootstrapped();
    draft(&repo, &cast);
    repo.review_standard(&cast, A);
    assert!(repo.snapshot().online(A));

    // 陈军's laptop is lost: the admin revokes that key and lists a new one.
    let chenjun_new = repo.second_key(&cast.chenjun);
    let lost = cast.chenjun.signing_key();
    adopt(
        &repo,
        &cast,
        &cast.sunli,
        &PolicyDoc::standard(2, &cast)
            .with_person(&chenjun_new)
            .revoking(lost),
    );

    let site = repo.snapshot();
    assert!(
        !site.online(A),
        "the final stage was signed with the revoked key"
    );
    assert_eq!(site.state(A), "pending");
    assert_eq!(site.published_oid(A), None);
    assert_refused(&site, A, "final", "revoked-key");
    assert_eq!(site.next_stage(A), Some("final"));

    repo.approve(&chenjun_new, "final", A);
    assert!(repo.snapshot().online(A), "signed again with the new key");
}

/// Unlike a revoked key, a role taken away later leaves past approvals
/// valid: they counted under the policy in force then, and approvals do not
/// expire. Pinning the trust root to the later policy, every record in that
/// commit and before it counts for nothing (SPEC §5 rule 1): site.toml must
/// be approved again, and so must the article, by the people of the root.
#[test]
fn policy_root_pins_trust_to_a_later_policy() {
    let (repo, cast) = TestRepo::bootstrapped();
    draft(&repo, &cast);
    repo.review_standard(&cast, A);
    let v2 = PolicyDoc::standard(2, &cast)
        .without_member("leader", &cast.chenjun)
        .with_member("leader", &cast.zhouyi, None);
    let v2_commit = adopt(&repo, &cast, &cast.sunli, &v2);

    let site = repo.snapshot();
    assert!(site.online(A), "陈军 was the leader when he signed");

    let pinned = repo.build_with(&["--policy-root", &v2_commit]);
    assert_eq!(pinned.code(), Some(2), "{}", pinned.stderr());
    assert!(
        pinned
            .stderr()
            .contains("site.toml has never been approved"),
        "the site.toml approval before the root counts for nothing: {}",
        pinned.stderr()
    );

    repo.approve(&cast.qianwei, "site", "site.toml");
    let site = repo.snapshot_with(&["--policy-root", &v2_commit]);
    assert!(
        !site.online(A),
        "before the pinned root nothing counts, 陈军's signature included"
    );
    assert_refused(&site, A, "final", "no-policy");
    assert_eq!(site.next_stage(A), Some("unit-review"));
    repo.review_standard(&cast, A);
    let site = repo.snapshot_with(&["--policy-root", &v2_commit]);
    assert!(!site.online(A), "陈军 is no leader under the pinned policy");
    assert_refused(&site, A, "final", "wrong-role");
    assert_eq!(site.eligible(A), ["zhouyi"]);
    repo.approve(&cast.zhouyi, "final", A);
    assert!(repo.snapshot_with(&["--policy-root", &v2_commit]).online(A));
}

#[test]
fn policy_root_refuses_a_history_rewritten_with_another_first_policy() {
    let (repo, cast) = TestRepo::bootstrapped();
    draft(&repo, &cast);
    repo.review_standard(&cast, A);
    let root = repo
        .git(&["rev-list", "--max-parents=0", "HEAD"])
        .trim()
        .to_string();

    let tofu = repo.build();
    tofu.assert_success();
    assert!(
        tofu.stderr().to_lowercase().contains("first use"),
        "trust on first use is said out loud: {}",
        tofu.stderr()
    );
    assert_eq!(
        tofu.manifest.as_ref().expect("manifest")["policy"]["trust_on_first_use"],
        true
    );

    let pinned = repo.build_with(&["--policy-root", &root]);
    pinned.assert_success();
    assert!(
        !pinned.stderr().to_lowercase().contains("first use"),
        "{}",
        pinned.stderr()
    );
    assert!(pinned.page_file(A).exists());
    assert_eq!(
        pinned.manifest.as_ref().expect("manifest")["policy"]["trust_on_first_use"],
        false
    );

    // Someone with push access replaces the history: a new first commit with
    // a policy listing keys they made for every name, and a full review.
    repo.git(&["checkout", "-q", "--orphan", "rewritten"]);
    repo.git(&["rm", "-rfq", "."]);
    let fake = Cast::new(&repo);
    repo.bootstrap(&fake, &PolicyDoc::standard(1, &fake));
    const FAKE: &str = "content/news/fake.md";
    repo.publish_draft(&fake.wangfang, FAKE, &article("伪造的通知", "", "伪造。"));
    repo.review_standard(&fake, FAKE);

    let tofu = repo.build();
    tofu.assert_success();
    assert!(
        tofu.page_file(FAKE).exists(),
        "trust on first use trusts the rewritten root"
    );
    assert!(tofu.stderr().to_lowercase().contains("first use"));

    let pinned = repo.build_with(&["--policy-root", &root]);
    assert_eq!(pinned.code(), Some(2), "{}", pinned.stderr());
    assert!(
        pinned
            .stderr()
            .contains("is not in the history being built"),
        "the pinned root is not in the rewritten history: {}",
        pinned.stderr()
    );
}

#[test]
fn a_broken_policy_edit_neither_stops_the_build_nor_takes_effect() {
    let (repo, cast) = TestRepo::bootstrapped();
    draft(&repo, &cast);
    repo.review_standard(&cast, A);
    repo.write("approvals/policy.yaml", "version: [2\npeople: 未闭合\n");
    repo.commit_as(&cast.wangfang, "改坏了");
    repo.approve(&cast.sunli, "policy", "approvals");

    let site = repo.snapshot();
    assert_eq!(policy_version(&site), 1);
    assert!(site.online(A));
}

/// TOFU trusts "the first commit in the walk that has approvals/policy.yaml".
/// Merging an unrelated history whose root carries a policy of its own must
/// not move that root away from the main line's first policy.
#[test]
fn merging_an_unrelated_history_does_not_replace_the_trust_root() {
    let (repo, cast) = TestRepo::bootstrapped();
    draft(&repo, &cast);
    repo.review_standard(&cast, A);
    let genuine_root = repo
        .git(&["rev-list", "--max-parents=0", "HEAD"])
        .trim()
        .to_string();

    repo.git(&["checkout", "-q", "--orphan", "foreign"]);
    repo.git(&["rm", "-rfq", "."]);
    let fake = Cast::new(&repo);
    repo.next_commit_dated("2026-01-01T09:00:00+08:00");
    repo.bootstrap(&fake, &PolicyDoc::standard(1, &fake));
    const FAKE: &str = "content/news/fake.md";
    repo.publish_draft(&fake.wangfang, FAKE, &article("伪造的通知", "", "伪造。"));
    repo.review_standard(&fake, FAKE);
    repo.git(&["checkout", "-q", "main"]);
    repo.git(&[
        "merge",
        "-q",
        "--allow-unrelated-histories",
        "-X",
        "ours",
        "--no-ff",
        "--no-gpg-sign",
        "-m",
        "合并",
        "foreign",
    ]);
    assert!(repo.root.join(FAKE).exists());

    // Two unrelated beginnings each bring a policy: which one is "first" is
    // only walk order, which an attacker can steer (see the fast-forward
    // test below), so trust on first use refuses to guess.
    let build = repo.build();
    assert_eq!(build.code(), Some(2), "{}", build.stderr());
    assert!(
        build.stderr().contains("--policy-root"),
        "{}",
        build.stderr()
    );

    // Pinned to the genuine root, the foreign keys are not trusted.
    let site = repo.snapshot_with(&["--policy-root", &genuine_root]);
    let manifest = site.build.manifest.as_ref().expect("manifest");
    assert_eq!(
        manifest["policy"]["trust_root_commit"],
        genuine_root.as_str()
    );
    assert!(site.online(A));
    assert!(!site.online(FAKE), "the foreign keys are not trusted");
}

/// An admin whose key is lost signs, with that key, a policy that revokes
/// it and lists a new one (key rotation). SPEC §5 is silent on a policy
/// revoking the key that approves it; what users expect is the rotation:
/// the new key in force, the old one void.
#[test]
fn an_admin_can_rotate_their_own_key() {
    let (repo, cast) = TestRepo::bootstrapped();
    draft(&repo, &cast);
    repo.review_standard(&cast, A);
    let sunli_new = repo.second_key(&cast.sunli);
    adopt(
        &repo,
        &cast,
        &cast.sunli,
        &PolicyDoc::standard(2, &cast)
            .with_person(&sunli_new)
            .revoking(cast.sunli.signing_key()),
    );
    repo.withdraw(&sunli_new, A, "测试新密钥");

    let site = repo.snapshot();
    assert_eq!(policy_version(&site), 2, "the rotation took effect");
    assert_eq!(site.state(A), "withdrawn", "the new key acts for 孙丽");
}

/// The same foreign history, but merged the other way round: the merge's
/// first parent is the foreign history and main is its second, so `main`
/// moves to it by a fast-forward push (no force-push needed, branch
/// protection allows it). The walk now meets the foreign root first. Both
/// roots carry a policy and nothing in SPEC §5 makes the foreign one "first"
/// for this site; trusting it hands the site to whoever wrote it. Acceptable
/// outcomes: keep the main line's established root, or refuse (exit 2) and
/// ask for `--policy-root`. Publishing the foreign approvals is not.
#[test]
fn a_fast_forward_onto_an_unrelated_history_does_not_replace_the_trust_root() {
    let (repo, cast) = TestRepo::bootstrapped();
    draft(&repo, &cast);
    repo.review_standard(&cast, A);

    repo.git(&["checkout", "-q", "--orphan", "foreign"]);
    repo.git(&["rm", "-rfq", "."]);
    let fake = Cast::new(&repo);
    repo.bootstrap(&fake, &PolicyDoc::standard(1, &fake));
    const FAKE: &str = "content/news/fake.md";
    repo.publish_draft(&fake.wangfang, FAKE, &article("伪造的通知", "", "伪造。"));
    repo.review_standard(&fake, FAKE);
    repo.git(&[
        "merge",
        "-q",
        "--allow-unrelated-histories",
        "-X",
        "ours",
        "--no-ff",
        "--no-gpg-sign",
        "-m",
        "合并",
        "main",
    ]);
    repo.git(&["checkout", "-q", "-B", "main"]);

    let build = repo.build();
    match build.code() {
        Some(2) => assert!(
            build.stderr().contains("--policy-root"),
            "{}",
            build.stderr()
        ),
        _ => {
            build.assert_success();
            assert!(
                !build.page_file(FAKE).exists(),
                "the foreign policy took over the site:\n{}",
                build.stderr()
            );
            assert!(
                build.page_file(A).exists(),
                "the genuine approvals were dropped:\n{}",
                build.stderr()
            );
        }
    }
}
