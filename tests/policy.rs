//! Trust in the policy itself (SPEC §5 rule 1 and `settings.revoked_keys`):
//! edits to `approvals/` change nothing until the admin approves a higher
//! version; no rollback, not even through a merge; revoking a key voids its
//! past signatures; `--policy-root` pins the trust root.

mod common;

use common::{Cast, PolicyDoc, TestRepo, article, assert_refused};

const A: &str = "content/news/kepu-month.md";

fn draft(repo: &TestRepo, cast: &Cast) -> String {
    repo.publish_draft(&cast.wangfang, A, &article("科普月活动启动", "", "全市科普月活动今日启动。"))
}

fn policy_version(snapshot: &common::Snapshot) -> u64 {
    let manifest = snapshot.build.manifest.as_ref().expect("manifest");
    manifest["policy"]["version"].as_u64().expect("policy.version in the manifest")
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
    adopt(&repo, &cast, &cast.wangfang, &PolicyDoc::standard(2, &cast).with_member("leader", &cast.zhouyi, None));

    let site = repo.snapshot();
    assert_eq!(policy_version(&site), 2);
    assert!(!site.online(A), "an approval made before the role was granted does not count later");
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
    adopt(&repo, &cast, &cast.zhangsan, &PolicyDoc::standard(1, &cast).with_member("leader", &cast.zhangsan, None));
    adopt(&repo, &cast, &cast.zhangsan, &v2.clone().with_member("leader", &cast.zhangsan, None));

    draft(&repo, &cast);
    repo.approve(&cast.lihua, "unit-review", A);
    repo.approve(&cast.zhaolei, "re-review", A);
    repo.approve(&cast.zhangsan, "final", A);

    let site = repo.snapshot();
    let manifest = site.build.manifest.as_ref().expect("manifest");
    assert_eq!(manifest["policy"]["version"], 2);
    assert_eq!(manifest["policy"]["oid"], v2_tree.as_str(), "the policy in force is v2 as approved");
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
    adopt(&repo, &cast, &cast.sunli, &PolicyDoc::standard(2, &cast).with_person(&chenjun_new).revoking(lost));

    let site = repo.snapshot();
    assert!(!site.online(A), "the final stage was signed with the revoked key");
    assert_eq!(site.state(A), "pending");
    assert_eq!(site.published_oid(A), None);
    assert_refused(&site, A, "final", "revoked-key");
    assert_eq!(site.next_stage(A), Some("final"));

    repo.approve(&chenjun_new, "final", A);
    assert!(repo.snapshot().online(A), "signed again with the new key");
}

/// Unlike a revoked key, a role taken away later leaves past approvals
/// valid: they counted under the policy in force then, and approvals do not
/// expire. Pinning the trust root to the later policy, they never counted.
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

    let site = repo.snapshot_with(&["--policy-root", &v2_commit]);
    assert!(!site.online(A), "under the pinned policy 陈军 never was a leader");
    assert_refused(&site, A, "final", "wrong-role");
    assert_eq!(site.eligible(A), ["zhouyi"]);
}

#[test]
fn policy_root_refuses_a_history_rewritten_with_another_first_policy() {
    let (repo, cast) = TestRepo::bootstrapped();
    draft(&repo, &cast);
    repo.review_standard(&cast, A);
    let root = repo.git(&["rev-list", "--max-parents=0", "HEAD"]).trim().to_string();

    let tofu = repo.build();
    tofu.assert_success();
    assert!(
        tofu.stderr().to_lowercase().contains("first use"),
        "trust on first use is said out loud: {}",
        tofu.stderr()
    );
    assert_eq!(tofu.manifest.as_ref().expect("manifest")["policy"]["trust_on_first_use"], true);

    let pinned = repo.build_with(&["--policy-root", &root]);
    pinned.assert_success();
    assert!(!pinned.stderr().to_lowercase().contains("first use"), "{}", pinned.stderr());
    assert!(pinned.page_file(A).exists());
    assert_eq!(pinned.manifest.as_ref().expect("manifest")["policy"]["trust_on_first_use"], false);

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
    assert!(tofu.page_file(FAKE).exists(), "trust on first use trusts the rewritten root");
    assert!(tofu.stderr().to_lowercase().contains("first use"));

    let pinned = repo.build_with(&["--policy-root", &root]);
    assert_eq!(pinned.code(), Some(2), "{}", pinned.stderr());
    assert!(pinned.stderr().contains("site.toml"), "no site.toml approved by a trusted key: {}", pinned.stderr());
}
