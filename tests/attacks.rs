//! The bypasses the adversarial review of issue 13 found, tried again with
//! real git, real `ssh-keygen` keys and the real binary — each merge in
//! both parent orders, since whoever writes a merge chooses them. Every
//! test must end with the unapproved content offline (or trust undecided,
//! exit 2), never published.

mod common;

use common::{Cast, PolicyDoc, Snapshot, TestRepo, article, assert_refused};

const A: &str = "content/news/a.md";

fn draft(repo: &TestRepo, cast: &Cast, text: &str) -> String {
    repo.publish_draft(&cast.wangfang, A, &article("科普月活动启动", "", text))
}

fn adopt(repo: &TestRepo, cast: &Cast, approver: &common::Person, policy: &PolicyDoc) -> String {
    repo.write_policy(policy);
    repo.commit_as(&cast.sunli, &format!("审核制度第{}版", policy.version));
    repo.approve(approver, "policy", "approvals")
}

/// Merge `branch` into the current branch, its parents in the order asked.
fn merge(repo: &TestRepo, cast: &Cast, branch: &str, swapped: bool) -> String {
    let key = Some(cast.sunli.signing_key());
    if swapped {
        repo.merge_swapped(&cast.sunli, key, branch, "合并")
    } else {
        repo.merge_with(&cast.sunli, key, branch, "合并")
    }
}

fn policy_version(snapshot: &Snapshot) -> u64 {
    snapshot.build.manifest.as_ref().expect("manifest")["policy"]["version"]
        .as_u64()
        .expect("a version")
}

/// A writer merges a history of his own: a root without a policy, then a
/// commit adding a policy that makes him every reviewer. Two commits now
/// begin a policy history: trust is undecided (exit 2) in either parent
/// order; pinned to the real root, his policy and article count for nothing.
#[test]
fn an_orphan_history_adding_its_own_policy_cannot_become_the_trust_root() {
    for swapped in [false, true] {
        let (repo, cast) = TestRepo::bootstrapped();
        draft(&repo, &cast, "正文。");
        repo.review_standard(&cast, A);
        let root = repo
            .git(&["rev-list", "--max-parents=0", "HEAD"])
            .trim()
            .to_string();

        repo.git(&["checkout", "-q", "--orphan", "mine"]);
        repo.git(&["rm", "-rfq", "."]);
        repo.write("README.md", "张三的分支\n");
        repo.commit_as(&cast.zhangsan, "开始");
        let mine = PolicyDoc::standard(1, &cast)
            .with_member("unit-head", &cast.zhangsan, None)
            .with_member("publicity", &cast.zhangsan, None)
            .with_member("leader", &cast.zhangsan, None);
        repo.write_policy(&mine);
        const MINE: &str = "content/news/mine.md";
        repo.write(MINE, &article("张三的稿件", "", "未经审核。"));
        repo.commit_as(&cast.zhangsan, "我的审核制度");
        repo.git(&["checkout", "-q", "main"]);
        if swapped {
            repo.git(&["checkout", "-q", "mine"]);
            repo.git(&[
                "merge",
                "-q",
                "--allow-unrelated-histories",
                "-X",
                "theirs",
                "--no-ff",
                "--no-gpg-sign",
                "-m",
                "合并",
                "main",
            ]);
            repo.git(&["checkout", "-q", "-B", "main"]);
        } else {
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
                "mine",
            ]);
        }
        for stage in ["unit-review", "re-review", "final"] {
            repo.approve(&cast.zhangsan, stage, MINE);
        }

        let build = repo.build();
        assert_eq!(
            build.code(),
            Some(2),
            "swapped {swapped}: {}",
            build.stderr()
        );
        assert!(
            build.stderr().contains("--policy-root"),
            "{}",
            build.stderr()
        );
        let site = repo.snapshot_with(&["--policy-root", &root]);
        assert!(site.online(A), "swapped {swapped}");
        assert!(
            !site.online(MINE),
            "swapped {swapped}: his own policy is not trusted"
        );
    }
}

/// v1 has two admins; 孙丽 demotes 周毅 in v2. 周毅, on a branch cut before
/// the demotion, approves v3 giving the role back (and the leader role to
/// himself). Merged in either order, with or without --policy-root, v2
/// stays in force.
#[test]
fn a_demoted_admin_cannot_restore_himself_through_an_old_branch() {
    for swapped in [false, true] {
        let (repo, cast) = TestRepo::bootstrapped();
        let v1 = PolicyDoc::standard(2, &cast).with_member("admin", &cast.zhouyi, None);
        adopt(&repo, &cast, &cast.sunli, &v1);
        let root = repo
            .git(&["rev-list", "--max-parents=0", "HEAD"])
            .trim()
            .to_string();
        repo.git(&["branch", "old"]);
        adopt(&repo, &cast, &cast.sunli, &PolicyDoc::standard(3, &cast));
        repo.git(&["checkout", "-q", "old"]);
        let his = PolicyDoc::standard(4, &cast)
            .with_member("admin", &cast.zhouyi, None)
            .without_member("leader", &cast.chenjun)
            .with_member("leader", &cast.zhouyi, None);
        repo.write_policy(&his);
        repo.commit_as(&cast.zhouyi, "审核制度第4版");
        repo.approve(&cast.zhouyi, "policy", "approvals");
        repo.git(&["checkout", "-q", "main"]);
        // The merge takes his approvals/ (v4), whichever parent comes first.
        let parents = if swapped {
            ["old", "main"]
        } else {
            ["main", "old"]
        };
        repo.merge_commit(&cast.zhouyi, &parents, "old", "合并");
        draft(&repo, &cast, "正文。");
        repo.approve(&cast.lihua, "unit-review", A);
        repo.approve(&cast.zhaolei, "re-review", A);
        repo.approve(&cast.zhouyi, "final", A);

        for pinned in [false, true] {
            let extra: Vec<&str> = if pinned {
                vec!["--policy-root", &root]
            } else {
                vec![]
            };
            let site = repo.snapshot_with(&extra);
            assert_eq!(
                policy_version(&site),
                3,
                "swapped {swapped}, pinned {pinned}"
            );
            assert!(!site.online(A), "swapped {swapped}, pinned {pinned}");
            assert_refused(&site, A, "final", "wrong-role");
        }
    }
}

/// The sole admin rotates her key: v2 revokes the old one, approved with
/// it. Whoever holds the old key then approves v3: refused as revoked.
#[test]
fn a_key_revoked_by_the_policy_in_force_enacts_nothing() {
    let (repo, cast) = TestRepo::bootstrapped();
    let sunli_new = repo.second_key(&cast.sunli);
    let mut rotated = sunli_new.clone();
    rotated.keys.truncate(1);
    let v2 = PolicyDoc::standard(2, &cast)
        .with_person(&rotated)
        .revoking(cast.sunli.signing_key());
    adopt(&repo, &cast, &cast.sunli, &v2);
    let thief = v2
        .clone()
        .version(3)
        .with_member("leader", &cast.zhangsan, None);
    repo.write_policy(&thief);
    repo.commit_as(&cast.zhangsan, "第3版");
    repo.approve(&cast.sunli, "policy", "approvals");
    let site = repo.snapshot();
    assert_eq!(policy_version(&site), 2, "the revoked key approves nothing");

    repo.approve(&rotated, "policy", "approvals");
    assert_eq!(policy_version(&repo.snapshot()), 3, "the new key approves");
}

/// a1 is corrected by a2; a branch cut before the correction completes a1's
/// review. Merged either way, the two completions void each other: the
/// corrected mistake does not come back.
#[test]
fn a_stale_review_branch_cannot_bring_back_a_corrected_mistake() {
    for swapped in [false, true] {
        let (repo, cast) = TestRepo::bootstrapped();
        draft(&repo, &cast, "调研企业11家。");
        repo.approve(&cast.lihua, "unit-review", A);
        repo.approve(&cast.zhaolei, "re-review", A);
        repo.git(&["branch", "stale"]);
        draft(&repo, &cast, "调研企业12家。");
        repo.review_standard(&cast, A);
        let corrected = repo.rev_parse(&format!("HEAD:{A}"));
        assert!(repo.snapshot().online(A));
        repo.git(&["checkout", "-q", "stale"]);
        repo.approve(&cast.chenjun, "final", A);
        repo.git(&["checkout", "-q", "main"]);
        merge(&repo, &cast, "stale", swapped);
        assert_eq!(repo.rev_parse(&format!("HEAD:{A}")), corrected);

        let site = repo.snapshot();
        assert!(
            !site.online(A),
            "swapped {swapped}: concurrent completions void each other"
        );
        assert!(!site.build.page(A).unwrap_or_default().contains("11家"));
        repo.review_standard(&cast, A);
        let site = repo.snapshot();
        assert!(site.online(A));
        assert!(site.page(A).contains("12家"));
    }
}

/// a1 is withdrawn; a branch cut before the withdrawal completes a1's
/// review. Merged either way, the withdrawal still holds.
#[test]
fn a_stale_branch_cannot_undo_a_withdrawal() {
    for swapped in [false, true] {
        let (repo, cast) = TestRepo::bootstrapped();
        draft(&repo, &cast, "正文。");
        repo.approve(&cast.lihua, "unit-review", A);
        repo.git(&["branch", "stale"]);
        repo.withdraw(&cast.sunli, A, "内容有误");
        repo.git(&["checkout", "-q", "stale"]);
        repo.approve(&cast.zhaolei, "re-review", A);
        repo.approve(&cast.chenjun, "final", A);
        repo.git(&["checkout", "-q", "main"]);
        merge(&repo, &cast, "stale", swapped);
        let site = repo.snapshot();
        assert!(!site.online(A), "swapped {swapped}");
        assert_eq!(site.state(A), "withdrawn");
    }
}

/// 李华 approves, by object id, a text nobody has committed yet, then
/// commits it herself: approved in advance, it would escape
/// author_may_approve. It counts for nothing.
#[test]
fn an_approval_in_advance_counts_for_nothing() {
    let (repo, cast) = TestRepo::bootstrapped();
    let text = article("李华的稿件", "", "正文。");
    repo.write("draft.md", &text);
    let oid = repo
        .git(&["hash-object", "-w", "draft.md"])
        .trim()
        .to_string();
    repo.remove("draft.md");
    repo.approve_oid(&cast.lihua, "unit-review", A, &oid);
    repo.publish_draft(&cast.lihua, A, &text);
    repo.approve(&cast.zhaolei, "re-review", A);
    repo.approve(&cast.chenjun, "final", A);
    let site = repo.snapshot();
    assert!(!site.online(A));
    assert_refused(&site, A, "unit-review", "in-advance");
    // Approved after it was committed, her own text is refused as hers.
    repo.approve(&cast.lihua, "unit-review", A);
    assert_refused(&repo.snapshot(), A, "unit-review", "author-approval");
}

/// An approved article is deleted and any draft committed at its path:
/// the deletion voided the approvals; nothing comes back online.
#[test]
fn deleting_and_recreating_a_path_needs_a_fresh_review() {
    let (repo, cast) = TestRepo::bootstrapped();
    draft(&repo, &cast, "已审核的正文。");
    repo.review_standard(&cast, A);
    assert!(repo.snapshot().online(A));
    repo.remove(A);
    repo.commit_as(&cast.zhangsan, "删除");
    repo.publish_draft(&cast.zhangsan, A, &article("新稿", "", "未经审核。"));
    let site = repo.snapshot();
    assert!(!site.online(A));
    assert_eq!(site.state(A), "pending");
}

/// `revoked_keys` written as `ssh-keygen -lf` prints it, or with a
/// lower-case prefix, revokes the key.
#[test]
fn revoked_keys_as_ssh_keygen_prints_them_revoke() {
    for form in ["keygen", "lower"] {
        let (repo, cast) = TestRepo::bootstrapped();
        draft(&repo, &cast, "正文。");
        repo.review_standard(&cast, A);
        let key = cast.chenjun.signing_key();
        let line = match form {
            "keygen" => {
                let public = key.private.with_extension("pub");
                let output = std::process::Command::new("ssh-keygen")
                    .args(["-lf"])
                    .arg(&public)
                    .output()
                    .expect("ssh-keygen -lf");
                String::from_utf8_lossy(&output.stdout).trim().to_string()
            }
            _ => key.fingerprint.replacen("SHA256:", "sha256:", 1),
        };
        assert!(line.contains(&key.fingerprint[7..]), "{line}");
        let policy = PolicyDoc::standard(2, &cast).yaml().replace(
            "  revoked_keys: []\n",
            &format!("  revoked_keys: [\"{line}\"]\n"),
        );
        repo.write("approvals/policy.yaml", &policy);
        repo.commit_as(&cast.sunli, "吊销陈军的密钥");
        repo.approve(&cast.sunli, "policy", "approvals");
        let site = repo.snapshot();
        assert_eq!(policy_version(&site), 2, "{form}: the policy is valid");
        assert!(!site.online(A), "{form}: the key is revoked");
        assert_refused(&site, A, "final", "revoked-key");
    }
}

/// Policies that would silently weaken review are invalid: not trusted,
/// and the build says so.
#[test]
fn a_policy_that_would_weaken_review_silently_is_not_trusted() {
    for (mistake, edit) in [
        (
            "units:",
            (
                "{ person: lihua, units: [kepu] }",
                "{ person: lihua, units: [] }",
            ),
        ),
        (
            "majr",
            (
                "  - { match: { importance: major }, workflow: major }",
                "  - { match: { importance: majr }, workflow: major }",
            ),
        ),
        (
            "revoked_keys",
            ("  revoked_keys: []", "  revoked_keys: [\"陈军的旧密钥\"]"),
        ),
        (
            "site",
            (
                "  - { workflow: standard }",
                "  - { match: { type: special }, workflow: site }\n  - { workflow: standard }",
            ),
        ),
    ] {
        let (repo, cast) = TestRepo::bootstrapped();
        let text = PolicyDoc::standard(2, &cast).yaml();
        assert!(text.contains(edit.0), "{mistake}");
        repo.write("approvals/policy.yaml", &text.replace(edit.0, edit.1));
        repo.commit_as(&cast.sunli, "审核制度");
        repo.approve(&cast.sunli, "policy", "approvals");
        let build = repo.build();
        build.assert_success();
        assert!(
            build.stderr().contains("not trusted") || build.stderr().contains("invalid"),
            "{mistake}: {}",
            build.stderr()
        );
        assert!(
            build.stderr().contains(mistake),
            "{mistake}: {}",
            build.stderr()
        );
        assert_eq!(
            build.manifest.as_ref().expect("manifest")["policy"]["version"],
            1
        );
    }
}

/// A withdraw_role member scoped to another unit cannot take this unit's
/// article down; naming a bundle's index.md withdraws the whole bundle.
#[test]
fn withdrawals_keep_to_their_scope_and_take_whole_bundles() {
    let (repo, cast) = TestRepo::bootstrapped();
    adopt(
        &repo,
        &cast,
        &cast.sunli,
        &PolicyDoc::standard(2, &cast).with_member("admin", &cast.liuqiang, Some(&["xuehui"])),
    );
    draft(&repo, &cast, "正文。");
    repo.review_standard(&cast, A);
    const B: &str = "content/news/b";
    repo.write(&format!("{B}/index.md"), &article("图文", "", "见附件。"));
    repo.commit_as(&cast.wangfang, "图文稿件");
    repo.review_standard(&cast, B);
    assert!(repo.snapshot().online(B));

    repo.withdraw(&cast.liuqiang, A, "越权撤稿");
    repo.sign_trailers(
        &cast.sunli,
        "撤稿",
        &[
            format!("Withdraw: {B}/index.md"),
            "Withdraw-Reason: 撤下整篇".into(),
        ],
    );
    let site = repo.snapshot();
    assert!(site.online(A), "out of 刘强's scope");
    assert_refused(&site, A, "Withdraw", "out-of-scope");
    assert!(!site.online(B), "the bundle is withdrawn");
    assert_eq!(site.state(B), "withdrawn");
    assert_eq!(
        site.status(B)["withdrawn"]["named"],
        format!("{B}/index.md")
    );
}
