//! Property tests over random histories: branches, merges listed in either
//! parent order, policy changes on branches (demotions, revocations, a
//! dropped stage, lower versions), withdrawals, deletions, reverts,
//! approvals in advance, unsigned and unknown-key commits.
//!
//! Each generated history is built several ways and must give the same
//! verdict: with every merge's parents swapped (which changes the order the
//! ledger visits commits in), with other commit dates, and without the
//! records of commits that have no valid signer. The published set must
//! equal that of the reference model, and every published version must
//! carry, among its counting approvals, every stage of its workflow.
//!
//! `PROPTEST_CASES` sets how many histories are tried (default 256).

use std::collections::{BTreeMap, BTreeSet};

use proptest::prelude::*;
use sanshen::ledger::verdict::Verdict;

use crate::harness::{Entry, Facts, PolicySpec, Scenario, Sign, key_for, oid_of, render};
use crate::reference;

const PATHS: [&str; 2] = ["content/news/a.md", "content/news/c.md"];
const STAGES: [&str; 5] = ["unit-review", "re-review", "final", "group", "policy"];
const PEOPLE: [&str; 9] = [
    "lihua", "liuqiang", "zhaolei", "chenjun", "zhouyi", "wugang", "sunli", "heli", "wangfang",
];

/// One step of a random history; indexes are taken modulo what exists.
#[derive(Debug, Clone)]
enum Op {
    Write {
        tip: u8,
        path: u8,
        variant: u8,
    },
    Approve {
        tip: u8,
        path: u8,
        stage: u8,
        person: u8,
        sign: u8,
    },
    /// A major article reviewed to its leading-group stage, whose two group
    /// approvals are made on parallel branches and then merged.
    SplitGroup {
        tip: u8,
        path: u8,
        pick: u8,
    },
    /// The next `stages` stages by the people who hold them, one commit each.
    Review {
        tip: u8,
        path: u8,
        stages: u8,
        from: u8,
    },
    ApproveEarlier {
        tip: u8,
        path: u8,
        stage: u8,
        person: u8,
        label: u8,
    },
    Withdraw {
        tip: u8,
        path: u8,
        person: u8,
    },
    Delete {
        tip: u8,
        path: u8,
    },
    Revert {
        tip: u8,
        path: u8,
        label: u8,
    },
    Branch {
        tip: u8,
    },
    Merge {
        a: u8,
        b: u8,
        pick: u8,
    },
    Policy {
        tip: u8,
        change: u8,
        delta: u8,
        person: u8,
    },
    ApprovePolicy {
        tip: u8,
        person: u8,
    },
}

fn op() -> impl Strategy<Value = Op> {
    let small = || 0u8..8;
    prop_oneof![
        4 => (small(), small(), small()).prop_map(|(tip, path, variant)| Op::Write { tip, path, variant }),
        1 => (small(), small(), any::<u8>()).prop_map(|(tip, path, pick)| Op::SplitGroup { tip, path, pick }),
        4 => (small(), small(), small(), small(), 0u8..10).prop_map(|(tip, path, stage, person, sign)| Op::Approve { tip, path, stage, person, sign }),
        6 => (small(), small(), prop_oneof![3 => Just(3u8), 1 => 1u8..7], prop_oneof![3 => Just(0u8), 1 => 1u8..5])
            .prop_map(|(tip, path, stages, from)| Op::Review { tip, path, stages, from }),
        1 => (small(), small(), small(), small(), small()).prop_map(|(tip, path, stage, person, label)| Op::ApproveEarlier { tip, path, stage, person, label }),
        1 => (small(), small(), small()).prop_map(|(tip, path, person)| Op::Withdraw { tip, path, person }),
        1 => (small(), small()).prop_map(|(tip, path)| Op::Delete { tip, path }),
        1 => (small(), small(), small()).prop_map(|(tip, path, label)| Op::Revert { tip, path, label }),
        2 => small().prop_map(|tip| Op::Branch { tip }),
        3 => (small(), small(), any::<u8>()).prop_map(|(a, b, pick)| Op::Merge { a, b, pick }),
        1 => (small(), small(), small(), small()).prop_map(|(tip, change, delta, person)| Op::Policy { tip, change, delta, person }),
        1 => (small(), small()).prop_map(|(tip, person)| Op::ApprovePolicy { tip, person }),
    ]
}

/// How a generated history is built.
#[derive(Debug, Clone, Copy, Default)]
struct Variant {
    /// Every merge lists its parents the other way round.
    swapped: bool,
    /// Commit dates come from this seed instead of increasing.
    dates: Option<u64>,
    /// Commits without a valid signer carry no records.
    drop_unsigned: bool,
}

/// The root policy of every generated history: two admins.
fn root_spec() -> PolicySpec {
    PolicySpec::standard(1).with_member("admin", "heli", None)
}

fn policy_change(change: u8, version: u64) -> Option<PolicySpec> {
    let base = root_spec().version(version);
    Some(match change % 6 {
        0 => base
            .without_member("leader", "chenjun")
            .with_member("leader", "zhouyi", None),
        1 => base
            .with_key("chenjun", "chenjun-2")
            .revoking(&key_for("chenjun").1),
        2 => base.stages(
            "standard",
            &[("unit-review", "unit-head"), ("re-review", "publicity")],
        ),
        3 => base.without_member("admin", "heli"),
        4 => base.with_member("unit-head", "wangfang", Some(&["kepu"])),
        _ => return None,
    })
}

/// Build the scenario an op list describes.
fn build(ops: &[Op], variant: Variant) -> Scenario {
    let mut s = Scenario::new();
    s.commit("c0", &[])
        .by("sunli")
        .policy("policy-root", &root_spec())
        .site("site-v1")
        .done();
    s.commit("c1", &["c0"])
        .by("qianwei")
        .approve("site", "site.toml")
        .done();
    s.commit("c2", &["c1"])
        .by("wangfang")
        .article(PATHS[0], "a-c2", Facts::unit("kepu"))
        .article(PATHS[1], "c-c2", Facts::unit("kepu"))
        .done();
    let mut tips: Vec<String> = vec!["c2".into()];
    let mut labels: Vec<(usize, String)> = vec![(0, "a-c2".into()), (1, "c-c2".into())];
    let mut count = 3usize;
    let mut next_version = 2u64;
    let fresh = |count: &mut usize| {
        *count += 1;
        format!("c{}", *count - 1)
    };
    let dates = variant.dates;
    let unsigned = |sign: &Sign| {
        matches!(sign, Sign::Unsigned(_) | Sign::Bad(_) | Sign::Pgp(_))
            || matches!(sign, Sign::Key { seed, .. } if seed == "mallory")
    };
    let pick = |n: u8, len: usize| (n as usize) % len;
    for op in ops {
        let name = fresh(&mut count);
        let tip_of = |t: u8, tips: &Vec<String>| tips[pick(t, tips.len())].clone();
        match op {
            Op::Write {
                tip,
                path,
                variant: v,
            } => {
                let at = pick(*tip, tips.len());
                let path_ix = pick(*path, PATHS.len());
                let path = PATHS[path_ix];
                let label = format!("{}-{name}", &path[13..14]);
                let facts = match v % 4 {
                    0 | 1 => Facts::unit("kepu"),
                    2 => Facts::unit("kepu").major(),
                    _ => Facts::unit("kepu").author("lihua"),
                };
                let writer = if v % 5 == 0 { "lihua" } else { "wangfang" };
                s.commit(&name, &[&tips[at]])
                    .by(writer)
                    .article(path, &label, facts)
                    .done();
                labels.push((path_ix, label));
                tips[at] = name;
            }
            Op::Approve {
                tip,
                path,
                stage,
                person,
                sign,
            } => {
                let at = pick(*tip, tips.len());
                let path = PATHS[pick(*path, PATHS.len())];
                let person = PEOPLE[pick(*person, PEOPLE.len())];
                let sign = match sign {
                    7 => Sign::Unsigned(person.into()),
                    8 => Sign::Key {
                        seed: "mallory".into(),
                        author: person.into(),
                    },
                    9 => Sign::Key {
                        seed: "chenjun".into(),
                        author: person.into(),
                    },
                    _ => Sign::By(person.into()),
                };
                let drop = variant.drop_unsigned && unsigned(&sign);
                let draft = s.commit(&name, &[&tips[at]]).sign(sign);
                let draft = if drop {
                    draft
                } else {
                    draft.approve(STAGES[pick(*stage, 4)], path)
                };
                draft.done();
                tips[at] = name;
            }
            Op::SplitGroup {
                tip,
                path,
                pick: bits,
            } => {
                let at = pick(*tip, tips.len());
                let path_ix = pick(*path, PATHS.len());
                let path = PATHS[path_ix];
                let label = format!("{}-{name}", &path[13..14]);
                s.commit(&name, &[&tips[at]])
                    .by("wangfang")
                    .article(path, &label, Facts::unit("kepu").major())
                    .done();
                labels.push((path_ix, label));
                let mut last = name;
                for (stage, person) in [("unit-review", "lihua"), ("final", "chenjun")] {
                    let next = fresh(&mut count);
                    s.commit(&next, &[&last])
                        .by(person)
                        .approve(stage, path)
                        .done();
                    last = next;
                }
                let (x, y) = (fresh(&mut count), fresh(&mut count));
                s.commit(&x, &[&last])
                    .by("zhouyi")
                    .approve("group", path)
                    .done();
                s.commit(&y, &[&last])
                    .by("wugang")
                    .approve("group", path)
                    .done();
                let joined = fresh(&mut count);
                merge(&mut s, &joined, &x, &y, *bits, variant.swapped);
                tips[at] = joined;
            }
            Op::Review {
                tip,
                path,
                stages,
                from,
            } => {
                // The standard and major workflows' people, in order.
                const BY: [(&str, &str); 6] = [
                    ("unit-review", "lihua"),
                    ("re-review", "zhaolei"),
                    ("final", "chenjun"),
                    ("final", "zhouyi"),
                    ("group", "zhouyi"),
                    ("group", "wugang"),
                ];
                let path = PATHS[pick(*path, PATHS.len())];
                // Mostly a branch that has the article.
                let holding: Vec<usize> = (0..tips.len())
                    .filter(|&i| {
                        s.nodes
                            .iter()
                            .find(|n| n.name == tips[i])
                            .is_some_and(|n| n.tree.contains_key(path))
                    })
                    .collect();
                let at = match holding.len() {
                    0 => pick(*tip, tips.len()),
                    n => holding[pick(*tip, n)],
                };
                let mut last = tips[at].clone();
                for (i, (stage, person)) in BY
                    .iter()
                    .skip(*from as usize)
                    .take(*stages as usize)
                    .enumerate()
                {
                    let name = if i == 0 {
                        name.clone()
                    } else {
                        fresh(&mut count)
                    };
                    s.commit(&name, &[&last])
                        .by(person)
                        .approve(stage, path)
                        .done();
                    last = name;
                }
                tips[at] = last;
            }
            Op::ApproveEarlier {
                tip,
                path,
                stage,
                person,
                label,
            } => {
                let at = pick(*tip, tips.len());
                let path_ix = pick(*path, PATHS.len());
                let known: Vec<&String> = labels
                    .iter()
                    .filter(|(p, _)| *p == path_ix)
                    .map(|(_, l)| l)
                    .collect();
                let draft = s
                    .commit(&name, &[&tips[at]])
                    .by(PEOPLE[pick(*person, PEOPLE.len())]);
                let draft = match known.get(pick(*label, known.len().max(1))) {
                    Some(label) => {
                        draft.approve_oid(STAGES[pick(*stage, 4)], PATHS[path_ix], label)
                    }
                    None => draft,
                };
                draft.done();
                tips[at] = name;
            }
            Op::Withdraw { tip, path, person } => {
                let at = pick(*tip, tips.len());
                let person = if person % 2 == 0 {
                    "sunli"
                } else {
                    PEOPLE[pick(*person, PEOPLE.len())]
                };
                s.commit(&name, &[&tips[at]])
                    .by(person)
                    .withdraw(PATHS[pick(*path, PATHS.len())])
                    .done();
                tips[at] = name;
            }
            Op::Delete { tip, path } => {
                let at = pick(*tip, tips.len());
                s.commit(&name, &[&tips[at]])
                    .by("wangfang")
                    .remove(PATHS[pick(*path, PATHS.len())])
                    .done();
                tips[at] = name;
            }
            Op::Revert { tip, path, label } => {
                let at = pick(*tip, tips.len());
                let path_ix = pick(*path, PATHS.len());
                let known: Vec<String> = labels
                    .iter()
                    .filter(|(p, _)| *p == path_ix)
                    .map(|(_, l)| l.clone())
                    .collect();
                let draft = s.commit(&name, &[&tips[at]]).by("wangfang");
                let draft = match known.get(pick(*label, known.len().max(1))) {
                    Some(label) => draft.put(
                        PATHS[path_ix],
                        Some(Entry {
                            kind: sanshen::ledger::history::PathKind::ArticleFile,
                            oid: oid_of(label),
                        }),
                    ),
                    None => draft,
                };
                draft.done();
                tips[at] = name;
            }
            Op::Branch { tip } => {
                let from = tip_of(*tip, &tips);
                if tips.len() < 4 {
                    tips.push(from);
                }
                count -= 1;
                continue;
            }
            Op::Merge { a, b, pick: bits } => {
                let (ia, ib) = (pick(*a, tips.len()), pick(*b, tips.len()));
                if ia == ib || tips[ia] == tips[ib] {
                    count -= 1;
                    continue;
                }
                merge(
                    &mut s,
                    &name,
                    &tips[ia].clone(),
                    &tips[ib].clone(),
                    *bits,
                    variant.swapped,
                );
                tips[ia] = name;
                tips.remove(ib);
            }
            Op::Policy {
                tip,
                change,
                delta,
                person,
            } => {
                let at = pick(*tip, tips.len());
                // Mostly the next version; sometimes the same or a lower one.
                let version = match delta % 5 {
                    0 => next_version.saturating_sub(1).max(1),
                    1 => next_version.saturating_sub(2).max(1),
                    _ => {
                        next_version += 1;
                        next_version - 1
                    }
                };
                let label = format!("policy-{name}");
                let admin = if person % 2 == 0 { "sunli" } else { "heli" };
                let draft = s.commit(&name, &[&tips[at]]).by(admin);
                let draft = match policy_change(*change, version) {
                    Some(spec) => draft.policy(&label, &spec),
                    None => draft.broken_policy(&label),
                };
                let draft = if person % 3 == 0 {
                    draft
                } else {
                    draft.approve("policy", "approvals")
                };
                draft.done();
                tips[at] = name;
            }
            Op::ApprovePolicy { tip, person } => {
                let at = pick(*tip, tips.len());
                let admin = if person % 2 == 0 { "sunli" } else { "heli" };
                s.commit(&name, &[&tips[at]])
                    .by(admin)
                    .approve("policy", "approvals")
                    .done();
                tips[at] = name;
            }
        }
    }
    // One revision holds everything: merge the remaining tips.
    while tips.len() > 1 {
        let name = fresh(&mut count);
        let b = tips.pop().unwrap_or_default();
        let a = tips.pop().unwrap_or_default();
        merge(&mut s, &name, &a, &b, count as u8, variant.swapped);
        tips.push(name);
    }
    if let Some(seed) = dates {
        for (i, node) in s.nodes.iter_mut().enumerate() {
            node.time = 1_700_000_000
                + (seed
                    .wrapping_mul(6364136223846793005)
                    .wrapping_add((i as u64).wrapping_mul(1442695040888963407))
                    % 10_000_000) as i64;
        }
    }
    s
}

/// Merge `b` into `a` (parents `[a, b]`, or `[b, a]` when swapped); each
/// tracked path where they differ takes `a`'s or `b`'s object by a bit of
/// `bits` — the same whichever order the parents are listed in.
fn merge(s: &mut Scenario, name: &str, a: &str, b: &str, bits: u8, swapped: bool) {
    let tree = |n: &str| {
        s.nodes
            .iter()
            .find(|node| node.name == n)
            .map(|node| node.tree.clone())
            .unwrap_or_default()
    };
    let (ta, tb) = (tree(a), tree(b));
    let paths: BTreeSet<String> = ta.keys().chain(tb.keys()).cloned().collect();
    let mut chosen: BTreeMap<String, Option<Entry>> = BTreeMap::new();
    for (i, path) in paths.iter().enumerate() {
        let (ea, eb) = (ta.get(path).cloned(), tb.get(path).cloned());
        let take_b = bits & (1 << (i % 8)) != 0;
        chosen.insert(path.clone(), if take_b { eb } else { ea });
    }
    let parents: [&str; 2] = if swapped { [b, a] } else { [a, b] };
    let mut draft = s.commit(name, &parents).by("sunli");
    for (path, entry) in chosen {
        draft = draft.put(&path, entry);
    }
    draft.done();
}

/// Everything decided, by commit names and labels, independent of the
/// order the ledger visited commits in.
fn canonical(
    s: &Scenario,
    outcome: &Result<Verdict, sanshen::ledger::trust::TrustError>,
    with_ignored: bool,
) -> String {
    let Ok(verdict) = outcome else {
        return render(s, outcome);
    };
    let mut lines: BTreeSet<String> = BTreeSet::new();
    lines.insert(format!("in force {}", verdict.policy.version));
    for p in &verdict.policies {
        lines.insert(format!("policy {} at {}", p.version, s.name_of(&p.commit)));
    }
    for (path, versions) in &verdict.versions {
        for v in versions {
            let label = s.label_of(&v.oid);
            for a in &v.approvals {
                lines.insert(format!(
                    "{path} {label} {} {} {} void={:?}",
                    a.stage,
                    a.person,
                    s.name_of(&a.commit),
                    a.voided.as_ref().map(|x| s.name_of(&x.commit))
                ));
            }
            for c in &v.completions {
                lines.insert(format!(
                    "{path} {label} completed {} void={:?}",
                    s.name_of(&c.commit),
                    c.voided.as_ref().map(|x| s.name_of(&x.commit))
                ));
            }
        }
    }
    for (path, w) in &verdict.withdrawn {
        lines.insert(format!("withdrawn {path} {}", s.name_of(&w.commit)));
    }
    if with_ignored {
        for i in &verdict.ignored {
            lines.insert(format!(
                "ignored {} {:?} {:?} {}",
                s.name_of(&i.commit),
                i.path,
                i.stage,
                i.refusal.code()
            ));
        }
    }
    lines.into_iter().collect::<Vec<_>>().join("\n")
}

fn published_oids(verdict: &Verdict) -> BTreeMap<String, BTreeSet<String>> {
    verdict
        .versions
        .keys()
        .filter(|p| p.as_str() != "approvals")
        .map(|p| {
            (
                p.clone(),
                verdict
                    .complete_versions(p)
                    .map(|v| v.oid.clone())
                    .collect::<BTreeSet<_>>(),
            )
        })
        .filter(|(_, v)| !v.is_empty())
        .collect()
}

/// Do the counting approvals of a version fill every stage of its
/// workflow under one of the trusted policies (with distinct people per
/// stage, thresholds met)?
fn complete_chain(s: &Scenario, verdict: &Verdict, path: &str, oid: &str) -> bool {
    let Some(version) = verdict.version(path, oid) else {
        return false;
    };
    verdict.policies.iter().any(|event| {
        let Some(Some(spec)) = s.specs.get(&event.oid) else {
            return false;
        };
        let workflow = match path {
            "site.toml" => "site".to_string(),
            _ => {
                let Some(sanshen::ledger::history::VersionFacts::Article(Ok(facts))) =
                    s.versions.get(oid)
                else {
                    return false;
                };
                match spec.rules.iter().find(|r| {
                    r.kind.is_none_or(|k| k == facts.kind)
                        && r.importance.is_none_or(|i| i == facts.importance)
                }) {
                    Some(rule) => rule.workflow.clone(),
                    None => return false,
                }
            }
        };
        spec.workflows.get(&workflow).is_some_and(|stages| {
            stages.iter().all(|stage| {
                let people: BTreeSet<&str> = version
                    .counting()
                    .filter(|a| a.stage == stage.id)
                    .map(|a| a.person.as_str())
                    .collect();
                people.len() >= stage.threshold
            })
        })
    })
}

fn config() -> ProptestConfig {
    let cases = std::env::var("PROPTEST_CASES")
        .ok()
        .and_then(|c| c.parse().ok())
        .unwrap_or(256);
    ProptestConfig {
        cases,
        failure_persistence: None,
        ..ProptestConfig::default()
    }
}

proptest! {
    #![proptest_config(config())]

    /// Merge parent order and commit dates never change a verdict.
    #[test]
    fn the_verdict_ignores_parent_order_and_dates(ops in proptest::collection::vec(op(), 1..28), seed in any::<u64>()) {
        let plain = build(&ops, Variant::default());
        let swapped = build(&ops, Variant { swapped: true, ..Variant::default() });
        let dated = build(&ops, Variant { dates: Some(seed), ..Variant::default() });
        let expected = canonical(&plain, &plain.evaluate(None), true);
        prop_assert_eq!(&expected, &canonical(&swapped, &swapped.evaluate(None), true), "parents swapped");
        prop_assert_eq!(&expected, &canonical(&dated, &dated.evaluate(None), true), "other dates");
    }

    /// Records of commits without a valid signer never change the verdict.
    #[test]
    fn records_without_a_valid_signer_change_nothing(ops in proptest::collection::vec(op(), 1..28)) {
        let plain = build(&ops, Variant::default());
        let dropped = build(&ops, Variant { drop_unsigned: true, ..Variant::default() });
        prop_assert_eq!(
            canonical(&plain, &plain.evaluate(None), false),
            canonical(&dropped, &dropped.evaluate(None), false)
        );
    }

    /// The published set equals the reference model's, and every published
    /// version carries every stage of its workflow among its counting
    /// approvals.
    #[test]
    fn the_published_set_is_the_reference_models(ops in proptest::collection::vec(op(), 1..28)) {
        let s = build(&ops, Variant::default());
        let ours = s.evaluate(None);
        let theirs = reference::evaluate(&s);
        match (&ours, &theirs) {
            (Ok(verdict), Ok(model)) => {
                prop_assert_eq!(verdict.policy.version, model.version_in_force, "{}", render(&s, &ours));
                prop_assert_eq!(&published_oids(verdict), &model.published, "{}", render(&s, &ours));
                for path in verdict.versions.keys().filter(|p| p.as_str() != "approvals") {
                    for version in verdict.complete_versions(path) {
                        prop_assert!(
                            complete_chain(&s, verdict, path, &version.oid),
                            "{} {} is published without a complete chain of counting approvals\n{}",
                            path, version.oid, render(&s, &ours)
                        );
                    }
                }
            }
            (Err(_), Err(_)) => {}
            _ => prop_assert!(false, "trust decided differently: ledger {} / model {:?}", render(&s, &ours), theirs),
        }
    }
}

/// The generator reaches what the properties are about: publications,
/// merges, completions at a merge, voided approvals, trusted policy changes.
#[test]
fn the_generator_covers_what_matters() {
    use proptest::strategy::ValueTree;
    let mut runner = proptest::test_runner::TestRunner::deterministic();
    let (
        mut published_any,
        mut errors,
        mut merges,
        mut completions_at_merges,
        mut voided,
        mut policies,
    ) = (0, 0, 0, 0, 0, 0);
    let n = 2000;
    for _ in 0..n {
        let ops = proptest::collection::vec(op(), 1..28)
            .new_tree(&mut runner)
            .unwrap()
            .current();
        let s = build(&ops, Variant::default());
        merges += s
            .nodes
            .iter()
            .filter(|n| n.parents.len() > 1)
            .count()
            .min(1);
        match s.evaluate(None) {
            Err(_) => errors += 1,
            Ok(v) => {
                if published_oids(&v).keys().any(|p| p.starts_with("content")) {
                    published_any += 1;
                }
                if v.policies.len() > 1 {
                    policies += 1;
                }
                let merge_names: BTreeSet<String> = s
                    .nodes
                    .iter()
                    .filter(|n| n.parents.len() > 1)
                    .map(|n| crate::harness::hex_id(&n.name))
                    .collect();
                if v.all_versions()
                    .flat_map(|x| &x.completions)
                    .any(|c| merge_names.contains(&c.commit) && !c.commit.is_empty())
                {
                    completions_at_merges += 1;
                }
                if v.all_versions()
                    .flat_map(|x| &x.approvals)
                    .any(|a| a.voided.is_some())
                {
                    voided += 1;
                }
            }
        }
    }
    let summary = format!(
        "of {n}: published {published_any}, trust errors {errors}, with merges {merges}, completion at a merge {completions_at_merges}, voided approvals {voided}, policy changes trusted {policies}"
    );
    assert!(published_any * 100 >= n * 40, "{summary}");
    assert!(merges * 100 >= n * 50, "{summary}");
    assert!(completions_at_merges * 100 >= n * 20, "{summary}");
    assert!(voided * 100 >= n * 25, "{summary}");
    assert!(policies * 100 >= n * 10, "{summary}");
    assert!(errors > 0, "ambiguous trust is reached too: {summary}");
}
