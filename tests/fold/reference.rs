//! A deliberately simple model of SPEC §5, written for the tests and
//! sharing no code with the ledger: every commit's ancestors as a set,
//! every question answered by brute force, every commit checked for every
//! version's completion. Slow and obvious; the property tests compare the
//! ledger's published set with its own on random histories.

use std::collections::{BTreeMap, BTreeSet};

use sanshen::ledger::history::{PathKind, VersionFacts};

use crate::harness::{Pending, PolicySpec, Scenario, Sign, StageSpec, cast, key_for, oid_of};

/// What the model decided at the last commit.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Outcome {
    pub version_in_force: u64,
    /// Path → object ids complete and not voided.
    pub published: BTreeMap<String, BTreeSet<String>>,
}

#[derive(Clone)]
struct Trusted {
    spec: PolicySpec,
    oid: String,
    at: usize,
}

struct Model<'a> {
    s: &'a Scenario,
    anc: Vec<BTreeSet<usize>>,
}

/// One approval that counted when made.
struct Counted {
    oid: String,
    stage: String,
    person: String,
    at: usize,
}

struct Void {
    at: usize,
    spares: Option<String>,
}

#[derive(Default)]
struct PathState {
    approvals: Vec<Counted>,
    voids: Vec<Void>,
    completions: Vec<(String, usize)>,
}

pub fn evaluate(s: &Scenario) -> Result<Outcome, String> {
    let mut anc: Vec<BTreeSet<usize>> = Vec::new();
    for (i, node) in s.nodes.iter().enumerate() {
        let mut set = BTreeSet::from([i]);
        for &p in &node.parents {
            set.extend(anc[p].iter().copied());
        }
        anc.push(set);
    }
    let m = Model { s, anc };
    m.run()
}

impl Model<'_> {
    fn before(&self, a: usize, b: usize) -> bool {
        a != b && self.anc[b].contains(&a)
    }

    fn reaches(&self, a: usize, b: usize) -> bool {
        self.anc[b].contains(&a)
    }

    fn concurrent(&self, a: usize, b: usize) -> bool {
        a != b && !self.before(a, b) && !self.before(b, a)
    }

    fn has_policy(&self, c: usize) -> bool {
        self.s.nodes[c]
            .tree
            .get("approvals")
            .is_some_and(|e| self.s.specs.contains_key(&e.oid))
    }

    fn run(&self) -> Result<Outcome, String> {
        let n = self.s.nodes.len();
        let beginnings: Vec<usize> = (0..n)
            .filter(|&c| {
                self.has_policy(c) && !self.anc[c].iter().any(|&a| a != c && self.has_policy(a))
            })
            .collect();
        let [root] = beginnings.as_slice() else {
            return Err(format!("{} beginnings", beginnings.len()));
        };
        let root_oid = self.s.nodes[*root].tree["approvals"].oid.clone();
        let Some(Some(root_spec)) = self.s.specs.get(&root_oid) else {
            return Err("the root policy is invalid".into());
        };
        let mut trusted = vec![Trusted {
            spec: root_spec.clone(),
            oid: root_oid,
            at: *root,
        }];
        let mut decided = root_spec.version;
        loop {
            let state = self.fold("approvals", &trusted, &revocations(&trusted), false);
            let candidates: Vec<(String, usize, PolicySpec)> = state
                .completions
                .iter()
                .filter_map(|(oid, at)| {
                    let spec = self.s.specs.get(oid)?.clone()?;
                    Some((oid.clone(), *at, spec))
                })
                .collect();
            let Some(step) = candidates
                .iter()
                .map(|(_, _, spec)| spec.version)
                .filter(|&v| v > decided)
                .min()
            else {
                break;
            };
            let mut accepted = Vec::new();
            for (oid, at, spec) in candidates.iter().filter(|c| c.2.version == step) {
                let higher_before = trusted
                    .iter()
                    .any(|t| t.spec.version >= step && !self.before(*at, t.at));
                let candidate_before = candidates
                    .iter()
                    .any(|(_, other, s)| s.version >= step && self.before(*other, *at));
                if !higher_before && !candidate_before {
                    accepted.push(Trusted {
                        spec: spec.clone(),
                        oid: oid.clone(),
                        at: *at,
                    });
                }
            }
            trusted.extend(accepted);
            decided = step;
        }
        let newest: Vec<&Trusted> = trusted
            .iter()
            .filter(|t| !trusted.iter().any(|u| self.before(t.at, u.at)))
            .collect();
        let oids: BTreeSet<&str> = newest.iter().map(|t| t.oid.as_str()).collect();
        if oids.len() != 1 {
            return Err("ambiguous".into());
        }
        let revoked = revocations(&trusted);
        let mut paths: BTreeSet<String> = BTreeSet::new();
        for node in &self.s.nodes {
            paths.extend(node.tree.keys().cloned());
            for record in &node.records {
                match record {
                    Pending::Approve { path, .. }
                    | Pending::Return { path, .. }
                    | Pending::Withdraw { path } => {
                        paths.insert(path.clone());
                    }
                }
            }
        }
        let mut published = BTreeMap::new();
        for path in paths.iter().filter(|p| p.as_str() != "approvals") {
            let state = self.fold(path, &trusted, &revoked, true);
            let complete: BTreeSet<String> = state
                .completions
                .iter()
                .filter(|(oid, k)| {
                    state
                        .voids
                        .iter()
                        .all(|v| v.spares.as_ref() == Some(oid) || self.before(v.at, *k))
                })
                .map(|(oid, _)| oid.clone())
                .collect();
            if !complete.is_empty() {
                published.insert(path.clone(), complete);
            }
        }
        Ok(Outcome {
            version_in_force: newest[0].spec.version,
            published,
        })
    }

    /// The policies that judge a record in commit `c`.
    fn governing<'t>(&self, trusted: &'t [Trusted], c: usize) -> Vec<&'t Trusted> {
        if !self.before(trusted[0].at, c) {
            return Vec::new();
        }
        let before: Vec<&Trusted> = trusted.iter().filter(|t| self.before(t.at, c)).collect();
        let mut out: Vec<&Trusted> = Vec::new();
        for t in before
            .iter()
            .filter(|t| !before.iter().any(|u| self.before(t.at, u.at)))
            .copied()
            .chain(trusted.iter().filter(|t| self.concurrent(t.at, c)))
        {
            if !out.iter().any(|o| o.oid == t.oid) {
                out.push(t);
            }
        }
        out
    }

    /// Who signed commit `c` under `spec`.
    fn signer(&self, spec: &PolicySpec, revoked: &BTreeSet<String>, c: usize) -> Option<String> {
        let (fingerprint, author) = match &self.s.nodes[c].sign {
            Sign::By(person) => (key_for(person).1, person.clone()),
            Sign::Key { seed, author } => (key_for(seed).1, author.clone()),
            Sign::Unsigned(_) | Sign::Bad(_) | Sign::Pgp(_) => return None,
        };
        if revoked.contains(&fingerprint) {
            return None;
        }
        let owner = spec
            .keys
            .iter()
            .find(|(_, keys)| keys.iter().any(|(_, f)| *f == fingerprint))
            .map(|(person, _)| person.clone())?;
        (owner == author).then_some(owner)
    }

    fn key_owner(&self, spec: &PolicySpec, c: usize) -> Option<String> {
        let fingerprint = match &self.s.nodes[c].sign {
            Sign::By(person) => key_for(person).1,
            Sign::Key { seed, .. } => key_for(seed).1,
            _ => return None,
        };
        spec.keys
            .iter()
            .find(|(_, keys)| keys.iter().any(|(_, f)| *f == fingerprint))
            .map(|(person, _)| person.clone())
    }

    fn workflow<'p>(
        &self,
        spec: &'p PolicySpec,
        path: &str,
        oid: &str,
    ) -> Option<&'p Vec<StageSpec>> {
        let id = match PathKind::of_path(path)? {
            PathKind::SiteFile | PathKind::Theme => "site".to_string(),
            PathKind::Policy => "policy".to_string(),
            PathKind::ArticleFile | PathKind::ArticleBundle => {
                let Some(VersionFacts::Article(Ok(facts))) = self.s.versions.get(oid) else {
                    return None;
                };
                if !spec.units.contains(&facts.unit) {
                    return None;
                }
                spec.rules
                    .iter()
                    .find(|r| {
                        r.kind.is_none_or(|k| k == facts.kind)
                            && r.importance.is_none_or(|i| i == facts.importance)
                    })?
                    .workflow
                    .clone()
            }
        };
        spec.workflows.get(&id)
    }

    fn unit_of(&self, oid: &str) -> Option<String> {
        match self.s.versions.get(oid) {
            Some(VersionFacts::Article(Ok(facts))) => Some(facts.unit.clone()),
            _ => None,
        }
    }

    /// Commits that made `oid` the content of `path`.
    fn introductions(&self, path: &str, oid: &str) -> Vec<usize> {
        (0..self.s.nodes.len())
            .filter(|&c| {
                let node = &self.s.nodes[c];
                node.tree.get(path).is_some_and(|e| e.oid == oid)
                    && !node
                        .parents
                        .iter()
                        .any(|&p| self.s.nodes[p].tree.get(path).is_some_and(|e| e.oid == oid))
            })
            .collect()
    }

    fn voided(&self, st: &PathState, a: &Counted, view: usize) -> bool {
        st.voids.iter().any(|v| {
            self.reaches(v.at, view)
                && !self.before(v.at, a.at)
                && v.spares.as_deref() != Some(a.oid.as_str())
        })
    }

    fn people(&self, st: &PathState, oid: &str, stage: &str, view: usize) -> BTreeSet<String> {
        st.approvals
            .iter()
            .filter(|a| a.oid == oid && a.stage == stage && self.reaches(a.at, view))
            .filter(|a| !self.voided(st, a, view))
            .map(|a| a.person.clone())
            .collect()
    }

    fn fold(
        &self,
        path: &str,
        trusted: &[Trusted],
        revoked: &BTreeSet<String>,
        voiding: bool,
    ) -> PathState {
        let mut st = PathState::default();
        let people = cast();
        let is_article = PathKind::of_path(path).is_some_and(|k| k.is_article());
        for c in 0..self.s.nodes.len() {
            let node = &self.s.nodes[c];
            let gov = self.governing(trusted, c);
            let signer = || -> Option<String> {
                let mut who: Option<String> = None;
                for t in &gov {
                    let p = self.signer(&t.spec, revoked, c)?;
                    if who.as_ref().is_some_and(|w| *w != p) {
                        return None;
                    }
                    who = Some(p);
                }
                who
            };
            if voiding
                && !node.tree.contains_key(path)
                && node
                    .parents
                    .iter()
                    .any(|&p| self.s.nodes[p].tree.contains_key(path))
            {
                st.voids.push(Void {
                    at: c,
                    spares: None,
                });
            }
            for record in &node.records {
                let Pending::Withdraw { path: named } = record else {
                    continue;
                };
                if named != path || !voiding || gov.is_empty() {
                    continue;
                }
                let Some(person) = signer() else { continue };
                let allowed = gov.iter().all(|t| {
                    t.spec
                        .roles
                        .get(&t.spec.withdraw_role)
                        .and_then(|ms| ms.iter().find(|m| m.person == person))
                        .is_some_and(|m| match &m.units {
                            None => true,
                            Some(units) => {
                                !is_article
                                    || node
                                        .tree
                                        .get(path)
                                        .and_then(|e| self.unit_of(&e.oid))
                                        .is_some_and(|u| units.contains(&u))
                            }
                        })
                });
                if allowed {
                    st.voids.push(Void {
                        at: c,
                        spares: None,
                    });
                }
            }
            let mut touched = false;
            for record in &node.records {
                let Pending::Approve {
                    stage,
                    path: named,
                    label,
                } = record
                else {
                    continue;
                };
                if named != path || gov.is_empty() {
                    continue;
                }
                let Some(person) = signer() else { continue };
                let oid = match label {
                    Some(label) => {
                        let oid = oid_of(label);
                        if !self
                            .introductions(path, &oid)
                            .iter()
                            .any(|&i| self.reaches(i, c))
                        {
                            continue;
                        }
                        oid
                    }
                    None => match node.tree.get(path) {
                        Some(e) => e.oid.clone(),
                        None => continue,
                    },
                };
                let ok = gov.iter().all(|t| {
                    self.may_approve(&st, &t.spec, path, &oid, stage, &person, c, &people)
                });
                if ok {
                    st.approvals.push(Counted {
                        oid,
                        stage: stage.clone(),
                        person,
                        at: c,
                    });
                    touched = true;
                }
            }
            let _ = touched;
            // Every commit is checked for every version: no shortcut.
            let versions: BTreeSet<String> = st.approvals.iter().map(|a| a.oid.clone()).collect();
            let newly: Vec<String> = versions
                .into_iter()
                .filter(|oid| {
                    !self.done_before(&st, oid, c) && self.complete_in(&st, trusted, path, oid, c)
                })
                .collect();
            for oid in newly {
                st.completions.push((oid.clone(), c));
                if voiding {
                    st.voids.push(Void {
                        at: c,
                        spares: Some(oid),
                    });
                }
            }
        }
        st
    }

    #[allow(clippy::too_many_arguments)]
    fn may_approve(
        &self,
        st: &PathState,
        spec: &PolicySpec,
        path: &str,
        oid: &str,
        stage: &str,
        person: &str,
        c: usize,
        people: &[crate::harness::Person],
    ) -> bool {
        let Some(stages) = self.workflow(spec, path, oid) else {
            return false;
        };
        let Some(index) = stages.iter().position(|s| s.id == stage) else {
            return false;
        };
        let here = &stages[index];
        let Some(member) = spec
            .roles
            .get(&here.role)
            .and_then(|ms| ms.iter().find(|m| m.person == person))
        else {
            return false;
        };
        let is_article = PathKind::of_path(path).is_some_and(|k| k.is_article());
        if let Some(units) = &member.units
            && is_article
            && !self.unit_of(oid).is_some_and(|u| units.contains(&u))
        {
            return false;
        }
        if stages[..index]
            .iter()
            .any(|s| self.people(st, oid, &s.id, c).len() < s.threshold)
        {
            return false;
        }
        let done = self.people(st, oid, stage, c);
        if done.contains(person) || done.len() >= here.threshold {
            return false;
        }
        if spec.distinct_approvers
            && st.approvals.iter().any(|a| {
                a.oid == oid
                    && a.person == person
                    && a.stage != stage
                    && self.reaches(a.at, c)
                    && !self.voided(st, a, c)
            })
        {
            return false;
        }
        if is_article && !spec.author_may_approve {
            let name = people
                .iter()
                .find(|p| p.id == person)
                .map(|p| p.name)
                .unwrap_or("");
            let written = match self.s.versions.get(oid) {
                Some(VersionFacts::Article(Ok(f))) => f.author.clone(),
                _ => None,
            };
            if written.is_some_and(|w| w == person || w == name) {
                return false;
            }
            if self
                .introductions(path, oid)
                .into_iter()
                .filter(|&i| self.reaches(i, c))
                .any(|i| self.key_owner(spec, i).as_deref() == Some(person))
            {
                return false;
            }
        }
        true
    }

    fn done_before(&self, st: &PathState, oid: &str, c: usize) -> bool {
        st.completions.iter().any(|(o, k)| {
            o == oid
                && self.before(*k, c)
                && st.voids.iter().all(|v| {
                    v.spares.as_deref() == Some(oid)
                        || !self.reaches(v.at, c)
                        || self.before(v.at, *k)
                })
        })
    }

    fn complete_in(
        &self,
        st: &PathState,
        trusted: &[Trusted],
        path: &str,
        oid: &str,
        c: usize,
    ) -> bool {
        let gov = self.governing(trusted, c);
        !gov.is_empty()
            && gov.iter().all(|t| {
                let Some(stages) = self.workflow(&t.spec, path, oid) else {
                    return false;
                };
                stages.iter().all(|s| {
                    let mut who = self.people(st, oid, &s.id, c);
                    if t.spec.distinct_approvers {
                        who.retain(|p| {
                            !stages
                                .iter()
                                .any(|o| o.id != s.id && self.people(st, oid, &o.id, c).contains(p))
                        });
                    }
                    who.len() >= s.threshold
                })
            })
    }
}

fn revocations(trusted: &[Trusted]) -> BTreeSet<String> {
    trusted
        .iter()
        .flat_map(|t| t.spec.revoked.iter().cloned())
        .collect()
}
