//! One named scenario per threat-model row, per refusal kind and per class
//! of bypass found by the adversarial review (issue 13). Each prints what
//! the rules decided into a snapshot file a reviewer reads, and asserts the
//! point of the scenario outright, so that updating snapshots blindly can
//! never hide a regression.

use crate::harness::{
    Facts, PolicySpec, Scenario, Sign, bootstrapped, key_for, published, render, review_standard,
};
use crate::snapshot;

const A: &str = "content/news/a.md";
const C: &str = "content/news/c.md";
const B: &str = "content/news/b";

/// Evaluate, snapshot, and return the published set (path → labels).
fn decide(
    s: &Scenario,
    name: &str,
    about: &str,
    root: Option<&str>,
) -> std::collections::BTreeMap<String, std::collections::BTreeSet<String>> {
    let outcome = s.evaluate(root);
    snapshot::check(name, about, &render(s, &outcome));
    match outcome {
        Ok(verdict) => published(s, &verdict),
        Err(_) => Default::default(),
    }
}

fn online(
    set: &std::collections::BTreeMap<String, std::collections::BTreeSet<String>>,
    path: &str,
) -> Option<String> {
    let versions = set.get(path)?;
    assert!(
        versions.len() <= 1,
        "{path}: more than one version complete: {versions:?}"
    );
    versions.iter().next().cloned()
}

fn drafted(s: &mut Scenario, after: &str, label: &str, facts: Facts) -> String {
    s.commit(&format!("draft-{label}"), &[after])
        .by("wangfang")
        .article(A, label, facts)
        .done()
}

#[test]
fn the_standard_workflow_publishes() {
    let mut s = bootstrapped();
    let d = drafted(&mut s, "site-ok", "a1", Facts::unit("kepu"));
    let returned = s
        .commit("returned", &[&d])
        .by("lihua")
        .ret("unit-review", A)
        .done();
    let fixed = s
        .commit("draft-a2", &[&returned])
        .by("wangfang")
        .article(A, "a2", Facts::unit("kepu"))
        .done();
    review_standard(&mut s, &fixed, A, "a2");
    let set = decide(
        &s,
        "standard_workflow",
        "王芳 drafts a1; 李华 sends it back; a2 passes unit review, re-review and final: a2 is published.",
        None,
    );
    assert_eq!(online(&set, A).as_deref(), Some("a2"));
}

#[test]
fn records_without_a_valid_signer_count_for_nothing() {
    let mut s = bootstrapped();
    let d = drafted(&mut s, "site-ok", "a1", Facts::unit("kepu"));
    let unit = s
        .commit("unit", &[&d])
        .by("lihua")
        .approve("unit-review", A)
        .done();
    let re = s
        .commit("re", &[&unit])
        .by("zhaolei")
        .approve("re-review", A)
        .done();
    let mut last = re;
    for (name, sign) in [
        ("unsigned", Sign::Unsigned("chenjun".into())),
        ("bad-signature", Sign::Bad("chenjun".into())),
        ("openpgp", Sign::Pgp("chenjun".into())),
        (
            "unknown-key",
            Sign::Key {
                seed: "mallory".into(),
                author: "chenjun".into(),
            },
        ),
        (
            "re-signed",
            Sign::Key {
                seed: "chenjun".into(),
                author: "wangfang".into(),
            },
        ),
    ] {
        last = s
            .commit(name, &[&last])
            .sign(sign)
            .approve("final", A)
            .done();
    }
    let set = decide(
        &s,
        "no_valid_signer",
        "The final stage is recorded five times without a valid signer: unsigned, a signature that does not verify, OpenPGP, an unknown key, and 陈军's key on a commit authored by 王芳 (re-signed). None counts.",
        None,
    );
    assert_eq!(online(&set, A), None);
}

#[test]
fn who_may_approve_which_stage() {
    let mut s = Scenario::new();
    let spec = PolicySpec::standard(1).with_member("leading-group", "heli", None);
    s.commit("root", &[])
        .by("sunli")
        .policy("policy-v1", &spec)
        .site("site-v1")
        .done();
    s.commit("site-ok", &["root"])
        .by("qianwei")
        .approve("site", "site.toml")
        .done();
    let d = s
        .commit("draft-a1", &["site-ok"])
        .by("wangfang")
        .article(A, "a1", Facts::unit("kepu").major())
        .done();
    let mut last = d;
    for (name, person, stage) in [
        ("wrong-role", "zhangsan", "unit-review"),
        ("out-of-scope", "liuqiang", "unit-review"),
        ("out-of-order", "chenjun", "final"),
        ("unknown-stage", "lihua", "re-review"),
        ("unit", "lihua", "unit-review"),
        ("final", "chenjun", "final"),
        ("same-person-twice", "chenjun", "group"),
        ("group-1", "zhouyi", "group"),
        ("duplicate", "zhouyi", "group"),
        ("group-2", "wugang", "group"),
        ("already-complete", "heli", "group"),
    ] {
        last = s.commit(name, &[&last]).by(person).approve(stage, A).done();
    }
    let set = decide(
        &s,
        "roles_scope_order",
        "A major article (unit review, final, leading group of two): a writer, another unit's head, a final before the unit review, a stage the workflow does not have, the leader twice, one group member twice, and a fourth group member after the group completed. Only lihua, chenjun (final), zhouyi and wugang count.",
        None,
    );
    assert_eq!(online(&set, A).as_deref(), Some("a1"));
}

#[test]
fn authors_do_not_approve_their_own_text() {
    let mut s = bootstrapped();
    let by_field = s
        .commit("draft-a1", &["site-ok"])
        .by("wangfang")
        .article(A, "a1", Facts::unit("kepu").author("lihua"))
        .done();
    let refused = s
        .commit("self-by-field", &[&by_field])
        .by("lihua")
        .approve("unit-review", A)
        .done();
    // 李华 commits a version of her own (signed): she made it the content.
    let by_commit = s
        .commit("lihua-writes-c", &[&refused])
        .by("lihua")
        .article(C, "c1", Facts::unit("kepu"))
        .done();
    s.commit("self-by-commit", &[&by_commit])
        .by("lihua")
        .approve("unit-review", C)
        .done();
    let set = decide(
        &s,
        "author_approval",
        "author_may_approve is false: 李华 may not approve a1, whose front matter names her as author, nor c1, which she committed herself.",
        None,
    );
    assert_eq!(online(&set, A), None);
    assert_eq!(online(&set, C), None);
}

#[test]
fn an_approval_made_before_the_version_exists_counts_for_nothing() {
    let mut s = bootstrapped();
    // 李华 writes a text, stores the object, approves it by id, and only
    // then commits it herself: she would escape author_may_approve.
    s.object("a-evil", Facts::unit("kepu"));
    let unit = s
        .commit("approve-in-advance", &["site-ok"])
        .by("lihua")
        .approve_oid("unit-review", A, "a-evil")
        .done();
    let written = s
        .commit("lihua-commits-it", &[&unit])
        .by("lihua")
        .article(A, "a-evil", Facts::unit("kepu"))
        .done();
    let re = s
        .commit("re", &[&written])
        .by("zhaolei")
        .approve("re-review", A)
        .done();
    s.commit("final", &[&re])
        .by("chenjun")
        .approve("final", A)
        .done();
    let set = decide(
        &s,
        "approval_in_advance",
        "An approval naming an object id that is not yet that path's version in the approving commit or before it (SPEC §5 rule 5) counts for nothing: approved in advance, the text escapes author_may_approve.",
        None,
    );
    assert_eq!(online(&set, A), None);
}

#[test]
fn unreadable_versions_and_unknown_targets_cannot_be_approved() {
    let mut s = bootstrapped();
    let d = s
        .commit("draft", &["site-ok"])
        .by("wangfang")
        .unreadable(A, "a-unreadable")
        .article(C, "c-unknown-unit", Facts::unit("nowhere"))
        .done();
    let a = s
        .commit("approve-unreadable", &[&d])
        .by("lihua")
        .approve("unit-review", A)
        .done();
    let c = s
        .commit("approve-unknown-unit", &[&a])
        .by("lihua")
        .approve("unit-review", C)
        .done();
    let missing = s
        .commit("approve-missing-path", &[&c])
        .by("lihua")
        .approve("unit-review", "content/news/missing.md")
        .done();
    s.commit("approve-missing-object", &[&missing])
        .by("lihua")
        .approve_oid("unit-review", "content/news/ghost.md", "never-written")
        .done();
    let set = decide(
        &s,
        "no_workflow_invalid_target",
        "Front matter that cannot be read, a unit the policy does not have, a path not in the approving commit, an object that does not exist: no workflow, or an invalid target.",
        None,
    );
    assert_eq!(set.keys().collect::<Vec<_>>(), ["site.toml"]);
}

#[test]
fn records_not_after_a_pinned_root_count_for_nothing() {
    let mut s = bootstrapped();
    let d = drafted(&mut s, "site-ok", "a1", Facts::unit("kepu"));
    let last = review_standard(&mut s, &d, A, "a1");
    let v2 = s
        .commit("policy-v2", &[&last])
        .by("sunli")
        .policy("policy-v2", &PolicySpec::standard(2))
        .approve("policy", "approvals")
        .done();
    s.commit("site-again", &[&v2])
        .by("qianwei")
        .approve("site", "site.toml")
        .done();
    let set = decide(
        &s,
        "pinned_root",
        "--policy-root names policy-v2's commit: every record in it and before it counts for nothing, site.toml's and a1's approvals included; site.toml approved again after it counts.",
        Some("policy-v2"),
    );
    assert_eq!(online(&set, A), None);
    assert!(set.contains_key("site.toml"));
}

#[test]
fn an_approval_binds_its_path() {
    let mut s = bootstrapped();
    let d = drafted(&mut s, "site-ok", "a1", Facts::unit("kepu"));
    let last = review_standard(&mut s, &d, A, "a1");
    s.commit("copy", &[&last])
        .by("wangfang")
        .article(C, "a1", Facts::unit("kepu"))
        .done();
    let set = decide(
        &s,
        "approval_binds_path",
        "The approved bytes of a1 copied to another path are not approved there.",
        None,
    );
    assert_eq!(online(&set, A).as_deref(), Some("a1"));
    assert_eq!(online(&set, C), None);
}

#[test]
fn a_correction_supersedes_and_a_revert_needs_review() {
    let mut s = bootstrapped();
    let d = drafted(&mut s, "site-ok", "a1", Facts::unit("kepu"));
    let a1 = review_standard(&mut s, &d, A, "a1");
    let d2 = s
        .commit("draft-a2", &[&a1])
        .by("wangfang")
        .article(A, "a2", Facts::unit("kepu"))
        .done();
    let a2 = review_standard(&mut s, &d2, A, "a2");
    s.commit("revert", &[&a2])
        .by("wangfang")
        .article(A, "a1", Facts::unit("kepu"))
        .done();
    let set = decide(
        &s,
        "supersession_and_revert",
        "a1 is published, then its correction a2; a revert brings back the text of a1, whose approvals a2's completion voided: a2 stays online until a1 is reviewed again.",
        None,
    );
    assert_eq!(online(&set, A).as_deref(), Some("a2"));
}

/// A stale branch that completed the old version beside the correction:
/// the two completions void each other, whichever way the merge is listed.
#[test]
fn a_stale_review_branch_cannot_bring_back_a_corrected_mistake() {
    for swapped in [false, true] {
        let mut s = bootstrapped();
        let d = drafted(&mut s, "site-ok", "a1", Facts::unit("kepu"));
        let unit = s
            .commit("a1-unit", &[&d])
            .by("lihua")
            .approve("unit-review", A)
            .done();
        let re = s
            .commit("a1-re", &[&unit])
            .by("zhaolei")
            .approve("re-review", A)
            .done();
        let stale = s
            .commit("stale-final-a1", &[&re])
            .by("chenjun")
            .approve("final", A)
            .done();
        let d2 = s
            .commit("draft-a2", &[&re])
            .by("wangfang")
            .article(A, "a2", Facts::unit("kepu"))
            .done();
        let a2 = review_standard(&mut s, &d2, A, "a2");
        let parents = if swapped {
            [stale.as_str(), a2.as_str()]
        } else {
            [a2.as_str(), stale.as_str()]
        };
        s.commit("merge", &parents).by("sunli").take(A, &a2).done();
        let set = decide(
            &s,
            if swapped {
                "stale_completion_merged_first"
            } else {
                "stale_completion_merged_second"
            },
            "a1's final was signed on a branch beside a2's correction; the branch is merged (stale branch as second / first parent). a1 and a2 completed in concurrent commits: they void each other, neither is published until one is approved again.",
            None,
        );
        assert_eq!(online(&set, A), None, "swapped {swapped}");
    }
}

#[test]
fn a_withdrawal_takes_down_until_a_fresh_review() {
    let mut s = bootstrapped();
    let d = drafted(&mut s, "site-ok", "a1", Facts::unit("kepu"));
    let a1 = review_standard(&mut s, &d, A, "a1");
    let w = s.commit("withdraw", &[&a1]).by("sunli").withdraw(A).done();
    let wrong = s
        .commit("writer-withdraws", &[&w])
        .by("zhangsan")
        .withdraw(A)
        .done();
    let set = decide(
        &s,
        "withdrawal",
        "孙丽 (admin) withdraws a1; 张三 (no role) tries too. a1 is offline.",
        None,
    );
    assert_eq!(online(&set, A), None);
    review_standard(&mut s, &wrong, A, "again");
    let set = decide(
        &s,
        "withdrawal_lifted",
        "After the withdrawal a1 passes all three stages again: a completion after the withdrawal lifts it.",
        None,
    );
    assert_eq!(online(&set, A).as_deref(), Some("a1"));
}

#[test]
fn a_stale_branch_cannot_undo_a_withdrawal() {
    for swapped in [false, true] {
        let mut s = bootstrapped();
        let d = drafted(&mut s, "site-ok", "a1", Facts::unit("kepu"));
        let unit = s
            .commit("a1-unit", &[&d])
            .by("lihua")
            .approve("unit-review", A)
            .done();
        let w = s
            .commit("withdraw", &[&unit])
            .by("sunli")
            .withdraw(A)
            .done();
        let re = s
            .commit("stale-re", &[&unit])
            .by("zhaolei")
            .approve("re-review", A)
            .done();
        let fin = s
            .commit("stale-final", &[&re])
            .by("chenjun")
            .approve("final", A)
            .done();
        let parents = if swapped {
            [fin.as_str(), w.as_str()]
        } else {
            [w.as_str(), fin.as_str()]
        };
        s.commit("merge", &parents).by("sunli").done();
        let set = decide(
            &s,
            if swapped {
                "withdrawal_stale_first"
            } else {
                "withdrawal_stale_second"
            },
            "a1 is withdrawn on main while a branch cut before the withdrawal completes its review; the branch is merged in either parent order. The withdrawal voids every approval not after it: a1 stays offline.",
            None,
        );
        assert_eq!(online(&set, A), None, "swapped {swapped}");
    }
}

#[test]
fn withdrawal_scope_and_bundles() {
    let mut s = Scenario::new();
    let spec = PolicySpec::standard(1).with_member("admin", "heli", Some(&["xuehui"]));
    s.commit("root", &[])
        .by("sunli")
        .policy("policy-v1", &spec)
        .site("site-v1")
        .done();
    s.commit("site-ok", &["root"])
        .by("qianwei")
        .approve("site", "site.toml")
        .done();
    let d = s
        .commit("drafts", &["site-ok"])
        .by("wangfang")
        .article(A, "a1", Facts::unit("kepu"))
        .article(B, "b1", Facts::unit("kepu"))
        .done();
    let mut last = d;
    for path in [A, B] {
        last = review_standard(&mut s, &last, path, path.rsplit('/').next().unwrap_or(path));
    }
    let scoped = s
        .commit("scoped-admin-withdraws", &[&last])
        .by("heli")
        .withdraw(A)
        .done();
    s.commit("withdraw-bundle-file", &[&scoped])
        .by("sunli")
        .withdraw("content/news/b/photo.png")
        .done();
    let set = decide(
        &s,
        "withdrawal_scope_bundle",
        "何力 holds admin for xuehui only: her withdrawal of a kepu article is out of scope. 孙丽 names a photo inside the bundle b: the bundle is withdrawn, and says what was named.",
        None,
    );
    assert_eq!(online(&set, A).as_deref(), Some("a1"));
    assert_eq!(online(&set, B), None);
}

#[test]
fn a_deleted_path_created_again_needs_a_fresh_review() {
    let mut s = bootstrapped();
    let d = drafted(&mut s, "site-ok", "a1", Facts::unit("kepu"));
    let a1 = review_standard(&mut s, &d, A, "a1");
    let gone = s.commit("delete", &[&a1]).by("wangfang").remove(A).done();
    s.commit("draft-again", &[&gone])
        .by("zhangsan")
        .article(A, "a3", Facts::unit("kepu"))
        .done();
    let set = decide(
        &s,
        "delete_then_draft",
        "a1 is approved and online; the file is deleted, and any draft committed at the same path. The removal voided a1's approvals: nothing is published until a review.",
        None,
    );
    assert_eq!(online(&set, A), None);
}

#[test]
fn a_merge_that_removes_a_path_removes_it_in_either_order() {
    for swapped in [false, true] {
        let mut s = bootstrapped();
        let d = drafted(&mut s, "site-ok", "a1", Facts::unit("kepu"));
        let a1 = review_standard(&mut s, &d, A, "a1");
        let gone = s.commit("delete", &[&a1]).by("wangfang").remove(A).done();
        let side = s
            .commit("side-work", &[&a1])
            .by("wangfang")
            .article(C, "c1", Facts::unit("kepu"))
            .done();
        let parents = if swapped {
            [side.as_str(), gone.as_str()]
        } else {
            [gone.as_str(), side.as_str()]
        };
        s.commit("merge", &parents)
            .by("sunli")
            .remove(A)
            .take(C, &side)
            .done();
        let set = decide(
            &s,
            if swapped {
                "merge_removes_swapped"
            } else {
                "merge_removes"
            },
            "A deletion on one branch and unrelated work on another are merged, in either parent order: the path stays removed and its approvals void.",
            None,
        );
        assert_eq!(online(&set, A), None, "swapped {swapped}");
    }
}

#[test]
fn an_orphan_history_with_its_own_policy_leaves_trust_undecided() {
    for swapped in [false, true] {
        let mut s = bootstrapped();
        let d = drafted(&mut s, "site-ok", "a1", Facts::unit("kepu"));
        let main = review_standard(&mut s, &d, A, "a1");
        // 张三's fabricated history: a root without a policy, then a policy
        // of his own making him leader of everything, and his article.
        let orphan = s
            .commit("orphan-root", &[])
            .by("zhangsan")
            .site("site-evil")
            .done();
        let evil = PolicySpec::standard(1)
            .with_member("unit-head", "zhangsan", None)
            .with_member("publicity", "zhangsan", None)
            .with_member("leader", "zhangsan", None)
            .with_member("maintainer", "zhangsan", None)
            .author_may_approve(true);
        let own = s
            .commit("orphan-policy", &[&orphan])
            .by("zhangsan")
            .policy("policy-evil", &evil)
            .article(C, "c-evil", Facts::unit("kepu"))
            .done();
        let parents = if swapped {
            [own.as_str(), main.as_str()]
        } else {
            [main.as_str(), own.as_str()]
        };
        s.commit("merge", &parents)
            .by("zhangsan")
            .take("approvals", &main)
            .take("site.toml", &main)
            .take(A, &main)
            .take(C, &own)
            .approve("unit-review", C)
            .done();
        let set = decide(
            &s,
            if swapped {
                "orphan_policy_first"
            } else {
                "orphan_policy_second"
            },
            "张三 merges a fabricated history whose second commit adds a policy of his own. Two commits now begin a policy history: trust cannot be decided without --policy-root (exit 2), whichever parent comes first.",
            None,
        );
        assert!(set.is_empty());
        assert!(s.evaluate(None).is_err());
        let pinned = s.evaluate(Some("root")).expect("pinned trust");
        let set = published(&s, &pinned);
        assert_eq!(online(&set, A).as_deref(), Some("a1"));
        assert_eq!(online(&set, C), None);
    }
}

/// v1 has two admins. 孙丽 demotes 何力 in v2; 何力, on a branch cut before
/// the demotion, enacts v3 giving herself the role back.
fn demotion(heli_version: u64, swapped: bool) -> Scenario {
    let mut s = Scenario::new();
    let v1 = PolicySpec::standard(1).with_member("admin", "heli", None);
    s.commit("root", &[])
        .by("sunli")
        .policy("policy-v1", &v1)
        .site("site-v1")
        .done();
    s.commit("site-ok", &["root"])
        .by("qianwei")
        .approve("site", "site.toml")
        .done();
    let demote = s
        .commit("demote-heli", &["site-ok"])
        .by("sunli")
        .policy("policy-v2", &PolicySpec::standard(2))
        .approve("policy", "approvals")
        .done();
    let hers = PolicySpec::standard(heli_version)
        .with_member("admin", "heli", None)
        .without_member("admin", "sunli")
        .with_member("leader", "heli", None);
    let back = s
        .commit("heli-takes-it-back", &["site-ok"])
        .by("heli")
        .policy("policy-heli", &hers)
        .approve("policy", "approvals")
        .done();
    let parents = if swapped {
        [back.as_str(), demote.as_str()]
    } else {
        [demote.as_str(), back.as_str()]
    };
    s.commit("merge", &parents)
        .by("heli")
        .take("approvals", &back)
        .done();
    s
}

#[test]
fn a_demoted_admin_cannot_return_through_an_old_branch() {
    for swapped in [false, true] {
        let s = demotion(3, swapped);
        let outcome = s.evaluate(None);
        snapshot::check(
            if swapped {
                "demotion_old_branch_first"
            } else {
                "demotion_old_branch_second"
            },
            "孙丽 demotes 何力 (v2); 何力, on a branch cut before, approves v3 making herself admin and leader. Decided in version order: v2 is trusted; v3's approval is judged under v2 too (enacted beside it), where 何力 is no admin. v2 stays in force, in either parent order, pinned or not.",
            &render(&s, &outcome),
        );
        let verdict = outcome.expect("trust decided");
        assert_eq!(verdict.policy.version, 2, "swapped {swapped}");
        let pinned = s.evaluate(Some("root")).expect("pinned");
        assert_eq!(pinned.policy.version, 2, "pinned, swapped {swapped}");
    }
}

#[test]
fn a_rogue_admin_can_only_force_an_ambiguity() {
    let s = demotion(2, false);
    let outcome = s.evaluate(None);
    snapshot::check(
        "demotion_same_version",
        "As above, but 何力 numbers her policy 2 as well: two policies of one version are trusted on parallel branches and no later one follows both. Trust is ambiguous: the build stops (exit 2) until an administrator enacts a policy after both, or --policy-root decides.",
        &render(&s, &outcome),
    );
    assert!(outcome.is_err());
}

#[test]
fn a_revoked_key_enacts_nothing_after_the_rotation() {
    let mut s = bootstrapped();
    let old = key_for("sunli").1;
    // 孙丽, the sole admin, rotates her key: v2 lists the new one and revokes
    // the old, approved with the old one (the first policy revoking it).
    let v2 = PolicySpec::standard(2)
        .only_key("sunli", "sunli-new")
        .revoking(&old);
    let rotate = s
        .commit("rotate", &["site-ok"])
        .by("sunli")
        .policy("policy-v2", &v2)
        .approve("policy", "approvals")
        .done();
    // The thief, holding the old key, approves v3 making 张三 a leader.
    let stolen = s
        .commit("thief-v3", &[&rotate])
        .by("sunli")
        .policy(
            "policy-v3-thief",
            &v2.clone()
                .version(3)
                .with_member("leader", "zhangsan", None),
        )
        .approve("policy", "approvals")
        .done();
    let v4 = v2.clone().version(4);
    s.commit("real-v4", &[&stolen])
        .sign(Sign::Key {
            seed: "sunli-new".into(),
            author: "sunli".into(),
        })
        .policy("policy-v4", &v4)
        .approve("policy", "approvals")
        .done();
    let outcome = s.evaluate(None);
    snapshot::check(
        "rotation_and_revoked_key",
        "A sole admin rotates her key (v2 revokes the old key, approved with it); the old key then approves v3 and is refused as revoked; the new key approves v4.",
        &render(&s, &outcome),
    );
    let verdict = outcome.expect("trust decided");
    assert_eq!(verdict.policy.version, 4);
    assert!(
        verdict.policies.iter().all(|p| p.version != 3),
        "v3 was approved with a revoked key"
    );
}

#[test]
fn a_revocation_voids_past_signatures() {
    let mut s = bootstrapped();
    let d = drafted(&mut s, "site-ok", "a1", Facts::unit("kepu"));
    let a1 = review_standard(&mut s, &d, A, "a1");
    let lost = key_for("chenjun").1;
    s.commit("revoke-chenjun", &[&a1])
        .by("sunli")
        .policy(
            "policy-v2",
            &PolicySpec::standard(2)
                .with_key("chenjun", "chenjun-new")
                .revoking(&lost),
        )
        .approve("policy", "approvals")
        .done();
    let set = decide(
        &s,
        "revocation_voids_past",
        "陈军's laptop is lost: v2 revokes his key. Every signature by it is void, the final stage of a1 made before the revocation included.",
        None,
    );
    assert_eq!(online(&set, A), None);
}

#[test]
fn no_rollback_by_merging_or_approving_a_lower_version() {
    let mut s = bootstrapped();
    let v2 = s
        .commit("policy-v2", &["site-ok"])
        .by("sunli")
        .policy(
            "policy-v2",
            &PolicySpec::standard(2)
                .without_member("leader", "chenjun")
                .with_member("leader", "zhouyi", None),
        )
        .approve("policy", "approvals")
        .done();
    let merged = s
        .commit("merge-old", &[&v2, "site-ok"])
        .by("wangfang")
        .take("approvals", "site-ok")
        .done();
    let again = s
        .commit("approve-v1-again", &[&merged])
        .by("sunli")
        .approve("policy", "approvals")
        .done();
    let d = drafted(&mut s, &again, "a1", Facts::unit("kepu"));
    review_standard(&mut s, &d, A, "a1");
    let set = decide(
        &s,
        "rollback",
        "v2 makes 周毅 the leader instead of 陈军. An old branch's approvals/ (v1) is merged back and even approved by the admin: a lower version changes nothing; 陈军's final does not count.",
        None,
    );
    assert_eq!(online(&set, A), None);
}

#[test]
fn unapproved_or_broken_policy_edits_change_nothing() {
    let mut s = bootstrapped();
    let forged = PolicySpec::standard(2)
        .with_member("leader", "zhangsan", None)
        .with_member("unit-head", "zhangsan", None)
        .with_member("publicity", "zhangsan", None);
    let edit = s
        .commit("zhangsan-edits-policy", &["site-ok"])
        .by("zhangsan")
        .policy("policy-forged", &forged)
        .article(A, "a1", Facts::unit("kepu"))
        .done();
    let mut last = edit;
    for stage in ["unit-review", "re-review", "final"] {
        last = s
            .commit(&format!("zhangsan-{stage}"), &[&last])
            .by("zhangsan")
            .approve(stage, A)
            .done();
    }
    let broken = s
        .commit("broken-policy", &[&last])
        .by("sunli")
        .broken_policy("policy-broken")
        .approve("policy", "approvals")
        .done();
    let _ = broken;
    let set = decide(
        &s,
        "unapproved_and_broken_policy",
        "张三 grants himself every role in an unapproved policy edit and approves his own article: nothing counts. The admin then approves a policy.yaml that does not parse: it is not trusted, and the build says so.",
        None,
    );
    assert_eq!(online(&set, A), None);
}

#[test]
fn a_branch_cut_before_a_demotion_cannot_keep_the_role() {
    for swapped in [false, true] {
        let mut s = bootstrapped();
        let d = drafted(&mut s, "site-ok", "a1", Facts::unit("kepu"));
        let unit = s
            .commit("unit", &[&d])
            .by("lihua")
            .approve("unit-review", A)
            .done();
        let re = s
            .commit("re", &[&unit])
            .by("zhaolei")
            .approve("re-review", A)
            .done();
        let v2 = s
            .commit("policy-v2", &[&re])
            .by("sunli")
            .policy(
                "policy-v2",
                &PolicySpec::standard(2)
                    .without_member("leader", "chenjun")
                    .with_member("leader", "zhouyi", None),
            )
            .approve("policy", "approvals")
            .done();
        let old = s
            .commit("chenjun-final-on-old-branch", &[&re])
            .by("chenjun")
            .approve("final", A)
            .done();
        let parents = if swapped {
            [old.as_str(), v2.as_str()]
        } else {
            [v2.as_str(), old.as_str()]
        };
        s.commit("merge", &parents)
            .by("wangfang")
            .take("approvals", &v2)
            .done();
        let set = decide(
            &s,
            if swapped {
                "demoted_reviewer_branch_first"
            } else {
                "demoted_reviewer_branch_second"
            },
            "v2 takes the leader role from 陈军. On a branch cut before, 陈军 signs the final stage; the branch is merged, in either order. His approval is judged under v1 (in force there) and v2 (enacted beside it): it does not count.",
            None,
        );
        assert_eq!(online(&set, A), None, "swapped {swapped}");
    }
}

#[test]
fn concurrent_policies_govern_together_until_a_later_one() {
    let mut s = Scenario::new();
    let v1 = PolicySpec::standard(1).with_member("admin", "heli", None);
    s.commit("root", &[])
        .by("sunli")
        .policy("policy-v1", &v1)
        .site("site-v1")
        .done();
    s.commit("site-ok", &["root"])
        .by("qianwei")
        .approve("site", "site.toml")
        .done();
    let x = s
        .commit("v2-by-sunli", &["site-ok"])
        .by("sunli")
        .policy(
            "policy-v2a",
            &v1.clone().version(2).with_member("leader", "zhouyi", None),
        )
        .approve("policy", "approvals")
        .done();
    let y = s
        .commit("v2-by-heli", &["site-ok"])
        .by("heli")
        .policy(
            "policy-v2b",
            &v1.clone()
                .version(2)
                .without_member("leader", "chenjun")
                .with_member("leader", "wugang", None),
        )
        .approve("policy", "approvals")
        .done();
    let m = s
        .commit("merge", &[&x, &y])
        .by("sunli")
        .take("approvals", &x)
        .done();
    let d = drafted(&mut s, &m, "a1", Facts::unit("kepu"));
    let unit = s
        .commit("unit", &[&d])
        .by("lihua")
        .approve("unit-review", A)
        .done();
    let re = s
        .commit("re", &[&unit])
        .by("zhaolei")
        .approve("re-review", A)
        .done();
    let zhouyi = s
        .commit("zhouyi-final", &[&re])
        .by("zhouyi")
        .approve("final", A)
        .done();
    let v3 = s
        .commit("v3-after-both", &[&zhouyi])
        .by("sunli")
        .policy(
            "policy-v3",
            &v1.clone().version(3).with_member("leader", "zhouyi", None),
        )
        .approve("policy", "approvals")
        .done();
    s.commit("zhouyi-final-again", &[&v3])
        .by("zhouyi")
        .approve("final", A)
        .done();
    let set = decide(
        &s,
        "concurrent_policies",
        "Two admins enact two version-2 policies on parallel branches (周毅 a leader in one, not in the other). After the merge both govern: 周毅's final counts only once v3, enacted after both, is in force.",
        None,
    );
    assert_eq!(online(&set, A).as_deref(), Some("a1"));
}

#[test]
fn a_threshold_met_on_two_branches_completes_at_the_merge() {
    for swapped in [false, true] {
        let mut s = bootstrapped();
        let d = drafted(&mut s, "site-ok", "a1", Facts::unit("kepu").major());
        let unit = s
            .commit("unit", &[&d])
            .by("lihua")
            .approve("unit-review", A)
            .done();
        let fin = s
            .commit("final", &[&unit])
            .by("chenjun")
            .approve("final", A)
            .done();
        let p = s
            .commit("group-zhouyi", &[&fin])
            .by("zhouyi")
            .approve("group", A)
            .done();
        let q = s
            .commit("group-wugang", &[&fin])
            .by("wugang")
            .approve("group", A)
            .done();
        let parents = if swapped {
            [q.as_str(), p.as_str()]
        } else {
            [p.as_str(), q.as_str()]
        };
        s.commit("merge", &parents).by("sunli").done();
        let set = decide(
            &s,
            if swapped {
                "threshold_join_swapped"
            } else {
                "threshold_join"
            },
            "The leading group (threshold 2) approves on two parallel branches; the merge joins them and completes the review.",
            None,
        );
        assert_eq!(online(&set, A).as_deref(), Some("a1"), "swapped {swapped}");
    }
}

#[test]
fn two_versions_completed_in_parallel_void_each_other() {
    let mut s = bootstrapped();
    let x0 = s
        .commit("draft-a2", &["site-ok"])
        .by("wangfang")
        .article(A, "a2", Facts::unit("kepu"))
        .done();
    let x = review_standard(&mut s, &x0, A, "a2");
    let y0 = s
        .commit("draft-a3", &["site-ok"])
        .by("wangfang")
        .article(A, "a3", Facts::unit("kepu"))
        .done();
    let unit = s
        .commit("a3-unit", &[&y0])
        .by("lihua")
        .approve("unit-review", A)
        .done();
    let re = s
        .commit("a3-re", &[&unit])
        .by("zhaolei")
        .approve("re-review", A)
        .done();
    let y = s
        .commit("a3-final", &[&re])
        .by("chenjun")
        .approve("final", A)
        .done();
    let m = s.commit("merge", &[&x, &y]).by("sunli").take(A, &y).done();
    let set = decide(
        &s,
        "concurrent_completions",
        "a2 and a3 complete their reviews on parallel branches: they void each other and neither is published.",
        None,
    );
    assert_eq!(online(&set, A), None);
    review_standard(&mut s, &m, A, "a3-again");
    let set = decide(
        &s,
        "concurrent_completions_resolved",
        "After the merge a3 is reviewed again: it completes after both and is published.",
        None,
    );
    assert_eq!(online(&set, A).as_deref(), Some("a3"));
}

#[test]
fn a_policy_that_drops_a_stage_completes_what_already_satisfies_it() {
    let mut s = bootstrapped();
    let d = drafted(&mut s, "site-ok", "a1", Facts::unit("kepu"));
    let unit = s
        .commit("unit", &[&d])
        .by("lihua")
        .approve("unit-review", A)
        .done();
    let re = s
        .commit("re", &[&unit])
        .by("zhaolei")
        .approve("re-review", A)
        .done();
    let v2 = s
        .commit("policy-v2", &[&re])
        .by("sunli")
        .policy(
            "policy-v2",
            &PolicySpec::standard(2).stages(
                "standard",
                &[("unit-review", "unit-head"), ("re-review", "publicity")],
            ),
        )
        .approve("policy", "approvals")
        .done();
    s.commit("next", &[&v2])
        .by("wangfang")
        .article(C, "c1", Facts::unit("kepu"))
        .done();
    let set = decide(
        &s,
        "policy_drops_a_stage",
        "v2's standard workflow has two stages; a1 already has both: it completes in the first commit v2 governs.",
        None,
    );
    assert_eq!(online(&set, A).as_deref(), Some("a1"));
}

#[test]
fn a_reviewer_approves_in_the_merge_commit() {
    for swapped in [false, true] {
        let mut s = bootstrapped();
        let d = s
            .commit("pr-draft", &["site-ok"])
            .by("wangfang")
            .article(A, "a1", Facts::unit("kepu"))
            .done();
        let unit = s
            .commit("pr-unit", &[&d])
            .by("lihua")
            .approve("unit-review", A)
            .done();
        let re = s
            .commit("pr-re", &[&unit])
            .by("zhaolei")
            .approve("re-review", A)
            .done();
        let elsewhere = s
            .commit("main-work", &["site-ok"])
            .by("wangfang")
            .article(C, "c1", Facts::unit("kepu"))
            .done();
        let parents = if swapped {
            [re.as_str(), elsewhere.as_str()]
        } else {
            [elsewhere.as_str(), re.as_str()]
        };
        s.commit("merge-with-final", &parents)
            .by("chenjun")
            .take(A, &re)
            .take(C, &elsewhere)
            .approve("final", A)
            .done();
        let set = decide(
            &s,
            if swapped {
                "merge_commit_approval_swapped"
            } else {
                "merge_commit_approval"
            },
            "陈军 merges the pull request and signs the final stage in the merge commit's trailer (the version in the merge's own tree): published, in either parent order; merging does not make him its author.",
            None,
        );
        assert_eq!(online(&set, A).as_deref(), Some("a1"), "swapped {swapped}");
    }
}

#[test]
fn an_invalid_site_toml_supersedes_nothing() {
    let mut s = bootstrapped();
    s.invalid_site("site-v2");
    let v2 = s
        .commit("site-v2", &["site-ok"])
        .by("qianwei")
        .site("site-v2")
        .done();
    let ok2 = s
        .commit("approve-site-v2", &[&v2])
        .by("qianwei")
        .approve("site", "site.toml")
        .done();
    let v3 = s
        .commit("site-v3", &[&ok2])
        .by("qianwei")
        .site("site-v3")
        .done();
    let _ = v3;
    let outcome = s.evaluate(None);
    snapshot::check(
        "site_held_back",
        "An approved site.toml that is invalid (v2) supersedes nothing: v1 stays complete beside it, for the publication set to keep in use; v3 is a draft.",
        &render(&s, &outcome),
    );
    let verdict = outcome.expect("trust");
    let labels = published(&s, &verdict);
    assert_eq!(
        labels.get("site.toml").cloned().unwrap_or_default(),
        ["site-v1".to_string(), "site-v2".to_string()]
            .into_iter()
            .collect()
    );
}

#[test]
fn a_key_given_to_someone_else_by_a_concurrent_policy_signs_for_nobody() {
    let mut s = Scenario::new();
    let v1 = PolicySpec::standard(1);
    s.commit("root", &[])
        .by("sunli")
        .policy("policy-v1", &v1)
        .site("site-v1")
        .done();
    s.commit("site-ok", &["root"])
        .by("qianwei")
        .approve("site", "site.toml")
        .done();
    let d = drafted(&mut s, "site-ok", "a1", Facts::unit("kepu"));
    let unit = s
        .commit("unit", &[&d])
        .by("lihua")
        .approve("unit-review", A)
        .done();
    let re = s
        .commit("re", &[&unit])
        .by("zhaolei")
        .approve("re-review", A)
        .done();
    // On a branch, v2 gives 陈军's key to 周毅 (and 陈军 a new one).
    let v2 = v1
        .clone()
        .version(2)
        .only_key("chenjun", "chenjun-2")
        .only_key("zhouyi", "chenjun")
        .with_member("leader", "zhouyi", None);
    let branch = s
        .commit("v2", &["site-ok"])
        .by("sunli")
        .policy("policy-v2", &v2)
        .approve("policy", "approvals")
        .done();
    let fin = s
        .commit("final", &[&re])
        .by("chenjun")
        .approve("final", A)
        .done();
    s.commit("merge", &[&fin, &branch])
        .by("sunli")
        .take("approvals", &branch)
        .done();
    let set = decide(
        &s,
        "key_given_away_beside",
        "The final stage is signed with a key that v1 (in force there) gives 陈军 and v2 (enacted beside it) gives 周毅: under v2 the commit, authored by 陈军, has no signer, so it counts for nobody.",
        None,
    );
    assert_eq!(online(&set, A), None);
}
