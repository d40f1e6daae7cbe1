//! SPEC §5 rules 5–8 for one path: which approvals count, what voids them,
//! where each version completes its review, and which completion still
//! holds at the revision.
//!
//! Every question is asked of ancestry (["before"](Graph::before)), never of
//! the order the commits are visited in: a record in commit C is judged on
//! what is in C's history — the approvals before it, the withdrawals,
//! removals and completions before it — under the policies that govern C
//! ([`Governance`]). Commits are visited in a topological order only so
//! that what C depends on is decided before C.
//!
//! Voiding (rules 7 and 8): a withdrawal, a removal or another version's
//! completion in commit E voids the path's approvals in every commit that is
//! not after E — before it, concurrent with it, or E itself. An approval
//! voided in C's history does not count for C (an earlier stage voided is no
//! earlier stage), and a completion in K holds at the revision only when
//! every voiding event of the path is before K.
//!
//! A version completes in commit K when its workflow is complete on K's
//! history under the policies governing K, and was not already complete
//! there. K is usually the commit of the last approval; it can also be a
//! merge that joins approvals made on parallel branches (a threshold of two
//! met on two branches), or the first commit after a policy change whose
//! workflow the approvals already satisfy. Those commits are found as the
//! first joins of the path's approvals and the policies' enactments.

use std::collections::{BTreeMap, BTreeSet};

use crate::ledger::graph::{CommitIx, Graph, Placement};
use crate::ledger::history::{History, PathKind, VersionFacts};
use crate::ledger::policy::Policy;
use crate::ledger::signers;
use crate::ledger::trailers::Record;
use crate::ledger::trust::{Governance, Trusted};
use crate::ledger::verdict::{
    Approval, Completion, Ignored, Refusal, Returned, VersionState, Voided, Voiding, Withdrawal,
};
use crate::ledger::workflow;

/// A record of one path: the commit, the record's place in its message,
/// and for a Withdraw which of its targets is this path.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub struct RecordAt {
    pub at: CommitIx,
    pub record: u32,
    pub withdraw_target: Option<u32>,
}

/// Everything history says about one path.
#[derive(Debug, Clone, Default)]
pub struct PathEvents {
    pub kind: Option<PathKind>,
    /// Records naming the path, in history order then message order.
    pub records: Vec<RecordAt>,
    /// Commits that made a version the path's content.
    pub introduced: Vec<(String, CommitIx)>,
    /// Commits that removed the path.
    pub removed: Vec<CommitIx>,
}

/// Group every record and change of `history` by path.
pub fn index_paths(history: &History) -> BTreeMap<String, PathEvents> {
    let mut paths: BTreeMap<String, PathEvents> = BTreeMap::new();
    for (index, commit) in history.commits.iter().enumerate() {
        let at = CommitIx(index as u32);
        for (record, facts) in commit.records.iter().enumerate() {
            let record = record as u32;
            match &facts.record {
                Record::Approve { .. } | Record::Return { .. } => {
                    if let Some(target) = &facts.target {
                        let events = paths.entry(target.path.clone()).or_default();
                        events.kind = Some(target.kind);
                        events.records.push(RecordAt {
                            at,
                            record,
                            withdraw_target: None,
                        });
                    }
                }
                Record::Withdraw { .. } => {
                    for (which, target) in facts.withdraws.iter().enumerate() {
                        let events = paths.entry(target.path.clone()).or_default();
                        events.kind = Some(target.kind);
                        events.records.push(RecordAt {
                            at,
                            record,
                            withdraw_target: Some(which as u32),
                        });
                    }
                }
            }
        }
        for change in &commit.changes {
            let events = paths.entry(change.path.clone()).or_default();
            events.kind.get_or_insert(change.kind);
            match &change.oid {
                Some(oid) if change.new => events.introduced.push((oid.clone(), at)),
                Some(_) => {}
                None => events.removed.push(at),
            }
        }
    }
    paths
}

/// What the fold of a path is given besides its events.
pub struct Rules<'a> {
    pub history: &'a History,
    pub governance: &'a Governance,
    /// Keys that sign nothing.
    pub revoked: &'a BTreeSet<String>,
    /// Content voids approvals (rules 7 and 8); `approvals/` versions never
    /// are: they follow rule 2.
    pub voiding: bool,
    /// Is this approved site.toml or theme version valid? An invalid one
    /// supersedes nothing (SPEC §5 "What is published").
    pub valid_site_version: &'a (dyn Fn(&str, &str) -> bool + Sync),
}

/// What the fold decided about one path.
#[derive(Debug, Default)]
pub struct PathOutcome {
    pub versions: Vec<VersionState>,
    pub ignored: Vec<Ignored>,
    pub returns: Vec<Returned>,
    /// Withdrawals that counted, with their commit.
    pub withdrawals: Vec<(Withdrawal, CommitIx)>,
}

/// An approval that counted when made.
struct Counted {
    version: usize,
    stage: String,
    person: String,
    at: CommitIx,
}

/// An event that voids approvals of the path in commits not after it.
struct Void {
    at: CommitIx,
    why: Voiding,
    /// The version a completion spares (its own approvals).
    spares: Option<usize>,
}

struct Fold<'a> {
    rules: &'a Rules<'a>,
    graph: &'a Graph,
    path: &'a str,
    kind: PathKind,
    events: &'a PathEvents,
    /// Object ids of the versions seen in records, by index.
    versions: Vec<String>,
    approvals: Vec<Counted>,
    voids: Vec<Void>,
    completions: Vec<(usize, CommitIx)>,
    out: PathOutcome,
}

/// Fold one path's records (SPEC §5 rules 5–8).
pub fn fold_path(rules: &Rules<'_>, path: &str, events: &PathEvents) -> PathOutcome {
    let Some(kind) = events.kind else {
        return PathOutcome::default();
    };
    let mut fold = Fold {
        rules,
        graph: &rules.history.graph,
        path,
        kind,
        events,
        versions: Vec::new(),
        approvals: Vec::new(),
        voids: Vec::new(),
        completions: Vec::new(),
        out: PathOutcome::default(),
    };
    let joins = fold.joins();
    let mut points: BTreeSet<CommitIx> = events.records.iter().map(|r| r.at).collect();
    if rules.voiding {
        points.extend(events.removed.iter().copied());
    }
    points.extend(joins.iter().copied());
    let mut records = events.records.iter().peekable();
    for at in points {
        let mut here = Vec::new();
        while let Some(record) = records.next_if(|r| r.at == at) {
            here.push(*record);
        }
        fold.commit(at, &here, joins.contains(&at));
    }
    fold.finish()
}

impl<'a> Fold<'a> {
    fn commit(&mut self, at: CommitIx, records: &[RecordAt], is_join: bool) {
        if self.rules.voiding && self.events.removed.binary_search(&at).is_ok() {
            self.voids.push(Void {
                at,
                why: Voiding::Removed,
                spares: None,
            });
        }
        // A withdrawal voids the approvals of its own commit too, whatever
        // their place in the message: take it first.
        for record in records.iter().filter(|r| r.withdraw_target.is_some()) {
            self.withdraw(*record);
        }
        let mut touched = BTreeSet::new();
        for record in records.iter().filter(|r| r.withdraw_target.is_none()) {
            if let Some(version) = self.approve_or_return(*record) {
                touched.insert(version);
            }
        }
        if is_join {
            touched.extend(0..self.versions.len());
        }
        self.complete(at, touched);
    }

    fn history(&self) -> &'a History {
        self.rules.history
    }

    fn version_ix(&mut self, oid: &str) -> usize {
        match self.versions.iter().position(|v| v == oid) {
            Some(index) => index,
            None => {
                self.versions.push(oid.to_string());
                self.versions.len() - 1
            }
        }
    }

    fn facts(&self, version: usize) -> Option<&VersionFacts> {
        self.history().versions.get(&self.versions[version])
    }

    /// Is the approval `a` voided on the history of `view`?
    fn voided_in(&self, a: &Counted, view: CommitIx) -> bool {
        self.voids.iter().any(|v| {
            self.graph.reaches(v.at, view)
                && !self.graph.before(v.at, a.at)
                && v.spares != Some(a.version)
        })
    }

    /// The approvals of `version` that count on the history of `view`.
    fn counting_in(&self, version: usize, view: CommitIx) -> impl Iterator<Item = &Counted> {
        self.approvals.iter().filter(move |a| {
            a.version == version && self.graph.reaches(a.at, view) && !self.voided_in(a, view)
        })
    }

    /// Distinct people whose approval of `stage` of `version` counts on the
    /// history of `view`.
    fn people(&self, version: usize, stage: &str, view: CommitIx) -> BTreeSet<&str> {
        self.counting_in(version, view)
            .filter(|a| a.stage == stage)
            .map(|a| a.person.as_str())
            .collect()
    }

    fn ignore(
        &mut self,
        at: CommitIx,
        kind: &str,
        oid: Option<&str>,
        stage: Option<&str>,
        signer: Option<&str>,
        (refusal, detail): (Refusal, String),
    ) {
        self.out.ignored.push(Ignored {
            commit: self.history().commit(at).id.clone(),
            at,
            record: kind.to_string(),
            path: Some(self.path.to_string()),
            oid: oid.map(str::to_string),
            stage: stage.map(str::to_string),
            signer: signer.map(str::to_string),
            refusal,
            detail,
        });
    }

    /// The person who signed commit `at` under every governing policy, and
    /// those policies; or why the commit's records count for nothing.
    fn signer(&self, at: CommitIx) -> Result<(String, Vec<&'a Trusted>), (Refusal, String)> {
        let governance: &'a Governance = self.rules.governance;
        let governing = governance.governing(self.graph, at);
        if governing.is_empty() {
            return Err((
                Refusal::NoPolicy,
                "the commit is the trust root or not after it: no trusted policy governs it".into(),
            ));
        }
        let commit = self.history().commit(at);
        let mut person: Option<&str> = None;
        for trusted in &governing {
            let signer = signers::signer(&trusted.policy, self.rules.revoked, commit)?;
            match person {
                Some(known) if known != signer => {
                    return Err((
                        Refusal::SignerDiffers,
                        format!(
                            "the policies that govern this commit name different people for its key ({known}, {signer})"
                        ),
                    ));
                }
                _ => person = Some(signer),
            }
        }
        let person = person.unwrap_or_default().to_string();
        Ok((person, governing))
    }

    fn approve_or_return(&mut self, record: RecordAt) -> Option<usize> {
        let history = self.rules.history;
        let facts = &history.commit(record.at).records[record.record as usize];
        let (stage, explicit, is_return) = match &facts.record {
            Record::Approve {
                stage, object_id, ..
            } => (stage, object_id.is_some(), false),
            Record::Return {
                stage, object_id, ..
            } => (stage, object_id.is_some(), true),
            Record::Withdraw { .. } => return None,
        };
        let kind = if is_return { "Return" } else { "Approve" };
        let target = facts.target.as_ref()?;
        let oid = target.oid.as_str();
        let returned = |person: Option<String>| Returned {
            path: target.path.clone(),
            stage: stage.clone(),
            oid: Some(target.oid.clone()),
            person,
            commit: history.commit(record.at).id.clone(),
            at: record.at,
            time: history.commit(record.at).time,
            reason: match &facts.record {
                Record::Return { reason, .. } => reason.clone(),
                _ => None,
            },
        };
        let (person, governing) = match self.signer(record.at) {
            Ok(found) => found,
            Err(refusal) => {
                self.ignore(record.at, kind, Some(oid), Some(stage), None, refusal);
                if is_return {
                    self.out.returns.push(returned(None));
                }
                return None;
            }
        };
        let judged = self.judge(
            record.at, target, explicit, stage, &person, &governing, is_return,
        );
        let version = match judged {
            Ok(version) => version,
            Err(refusal) => {
                self.ignore(
                    record.at,
                    kind,
                    Some(oid),
                    Some(stage),
                    Some(&person),
                    refusal,
                );
                if is_return {
                    self.out.returns.push(returned(None));
                }
                return None;
            }
        };
        if is_return {
            self.out.returns.push(returned(Some(person)));
            return None;
        }
        self.approvals.push(Counted {
            version,
            stage: stage.clone(),
            person,
            at: record.at,
        });
        Some(version)
    }

    /// Rule 5 for an approval (or, without `settings` and repetition, a
    /// return) in commit `at`, under every governing policy.
    #[allow(clippy::too_many_arguments)]
    fn judge(
        &mut self,
        at: CommitIx,
        target: &crate::ledger::history::Target,
        explicit: bool,
        stage_id: &str,
        person: &str,
        governing: &[&Trusted],
        is_return: bool,
    ) -> Result<usize, (Refusal, String)> {
        if let Some(problem) = &target.problem {
            return Err((Refusal::InvalidTarget, problem.clone()));
        }
        // No approval in advance: the object must be the path's content in
        // this commit (named implicitly, it is) or in one before it.
        if explicit
            && !self
                .events
                .introduced
                .iter()
                .any(|(oid, made)| *oid == target.oid && self.graph.reaches(*made, at))
        {
            return Err((
                Refusal::InAdvance,
                format!(
                    "{} is not a version of {} in this commit or before it: an approval names a version that exists",
                    target.oid, self.path
                ),
            ));
        }
        let version = self.version_ix(&target.oid);
        for trusted in governing {
            self.judge_under(&trusted.policy, at, version, stage_id, person, is_return)?;
        }
        Ok(version)
    }

    fn judge_under(
        &self,
        policy: &Policy,
        at: CommitIx,
        version: usize,
        stage_id: &str,
        person: &str,
        is_return: bool,
    ) -> Result<(), (Refusal, String)> {
        let oid = &self.versions[version];
        let choice = workflow::choose(policy, self.kind, self.path, self.facts(version))
            .map_err(|why| (Refusal::NoWorkflow, why.explain(self.path, oid)))?;
        let workflow = choice.workflow;
        let Some(index) = workflow.stage_index(stage_id) else {
            let known: Vec<&str> = workflow.stages.iter().map(|s| s.id.as_str()).collect();
            return Err((
                Refusal::UnknownStage,
                format!(
                    "workflow `{}` has no stage `{stage_id}` (its stages: {})",
                    workflow.id,
                    known.join(", ")
                ),
            ));
        };
        let stage = &workflow.stages[index];
        let Some(member) = policy.membership(&stage.role, person) else {
            return Err((
                Refusal::WrongRole,
                format!(
                    "{person} does not hold role `{}` needed for stage `{stage_id}`",
                    stage.role
                ),
            ));
        };
        if !member.covers(self.kind.is_article(), choice.unit) {
            return Err((
                Refusal::OutOfScope,
                format!(
                    "{person} holds `{}` only for units {}, but this article's unit is {}",
                    stage.role,
                    member.units_listed(),
                    choice.unit.unwrap_or("not set")
                ),
            ));
        }
        if let Some(missing) = workflow.stages[..index]
            .iter()
            .find(|earlier| self.people(version, &earlier.id, at).len() < earlier.threshold)
        {
            return Err((
                Refusal::OutOfOrder,
                format!(
                    "stage `{}` must be complete, in this commit's history, before `{stage_id}`",
                    missing.id
                ),
            ));
        }
        if is_return {
            return Ok(());
        }
        let here = self.people(version, stage_id, at);
        if here.contains(person) {
            return Err((
                Refusal::Duplicate,
                format!("{person} already approved stage `{stage_id}`; one person counts once"),
            ));
        }
        if here.len() >= stage.threshold {
            return Err((
                Refusal::AlreadyComplete,
                format!("stage `{stage_id}` was already complete"),
            ));
        }
        if policy.settings.distinct_approvers
            && let Some(other) = self
                .counting_in(version, at)
                .find(|a| a.person == person && a.stage != stage_id)
        {
            return Err((
                Refusal::SamePersonTwice,
                format!(
                    "{person} already approved stage `{}` of this version; distinct_approvers requires another person",
                    other.stage
                ),
            ));
        }
        if self.kind.is_article() && !policy.settings.author_may_approve {
            let holder = &policy.people[person];
            let written = match self.facts(version) {
                Some(VersionFacts::Article(Ok(facts))) => facts.author.as_deref(),
                _ => None,
            };
            let by_front_matter =
                written.is_some_and(|a| a.trim() == holder.id || a.trim() == holder.name);
            let by_commit = self
                .events
                .introduced
                .iter()
                .filter(|(made, when)| made == oid && self.graph.reaches(*when, at))
                .any(|(_, when)| {
                    signers::key_owner(policy, self.history().commit(*when)) == Some(person)
                });
            if by_front_matter || by_commit {
                return Err((
                    Refusal::AuthorApproval,
                    format!("{person} wrote this version; author_may_approve is false"),
                ));
            }
        }
        Ok(())
    }

    /// Rule 7: a withdrawal by a holder of `withdraw_role`, in scope.
    fn withdraw(&mut self, record: RecordAt) {
        let history = self.rules.history;
        let commit = history.commit(record.at);
        let facts = &commit.records[record.record as usize];
        let Some(target) = record
            .withdraw_target
            .and_then(|which| facts.withdraws.get(which as usize))
        else {
            return;
        };
        let (written, reason) = match &facts.record {
            Record::Withdraw { path, reason } => (path, reason),
            _ => return,
        };
        let refuse = |fold: &mut Self, signer: Option<&str>, refusal: (Refusal, String)| {
            fold.ignore(record.at, "Withdraw", None, None, signer, refusal);
        };
        if !self.rules.voiding {
            refuse(
                self,
                None,
                (
                    Refusal::InvalidTarget,
                    "approvals/ cannot be withdrawn: a policy changes only when a higher version is approved".into(),
                ),
            );
            return;
        }
        let (person, governing) = match self.signer(record.at) {
            Ok(found) => found,
            Err(refusal) => {
                refuse(self, None, refusal);
                return;
            }
        };
        for trusted in &governing {
            let policy = &trusted.policy;
            let role = &policy.settings.withdraw_role;
            let Some(member) = policy.membership(role, &person) else {
                refuse(
                    self,
                    Some(&person),
                    (
                        Refusal::WrongRole,
                        format!(
                            "{person} does not hold `{role}`, the role that may withdraw (settings.withdraw_role)"
                        ),
                    ),
                );
                return;
            };
            // Scope is judged on the path's version in the withdrawing commit.
            let unit = match history.versions.get(&target.oid) {
                Some(VersionFacts::Article(Ok(facts))) => Some(facts.unit.as_str()),
                _ => None,
            };
            if !member.covers(self.kind.is_article(), unit) {
                refuse(
                    self,
                    Some(&person),
                    (
                        Refusal::OutOfScope,
                        format!(
                            "{person} may withdraw only articles of units {}, and this one's unit is {}",
                            member.units_listed(),
                            unit.unwrap_or("not known in this commit")
                        ),
                    ),
                );
                return;
            }
        }
        self.voids.push(Void {
            at: record.at,
            why: Voiding::Withdrawn,
            spares: None,
        });
        let named = written
            .trim()
            .trim_start_matches("./")
            .trim_end_matches('/');
        self.out.withdrawals.push((
            Withdrawal {
                path: target.path.clone(),
                person,
                commit: commit.id.clone(),
                time: commit.time,
                reason: reason.clone(),
                named: (named != target.path).then(|| named.to_string()),
            },
            record.at,
        ));
    }

    /// Was `version` complete before `at`, with that completion not voided
    /// on `at`'s history?
    fn done_before(&self, version: usize, at: CommitIx) -> bool {
        self.completions
            .iter()
            .filter(|(v, k)| *v == version && self.graph.before(*k, at))
            .any(|(_, k)| {
                self.voids.iter().all(|v| {
                    v.spares == Some(version)
                        || !self.graph.reaches(v.at, at)
                        || self.graph.before(v.at, *k)
                })
            })
    }

    /// Is `version`'s workflow complete on the history of `at`, under every
    /// policy that governs `at`?
    fn complete_in(&self, version: usize, at: CommitIx) -> bool {
        let governing = self.rules.governance.governing(self.graph, at);
        !governing.is_empty()
            && governing.iter().all(|trusted| {
                let policy = &trusted.policy;
                let Ok(choice) =
                    workflow::choose(policy, self.kind, self.path, self.facts(version))
                else {
                    return false;
                };
                let stages = &choice.workflow.stages;
                stages.iter().all(|stage| {
                    let mut people = self.people(version, &stage.id, at);
                    if policy.settings.distinct_approvers {
                        // One person approves at most one stage: whoever
                        // counts for two (on parallel branches) counts for none.
                        people.retain(|person| {
                            !stages.iter().any(|other| {
                                other.id != stage.id
                                    && self
                                        .counting_in(version, at)
                                        .any(|a| a.stage == other.id && a.person == *person)
                            })
                        });
                    }
                    people.len() >= stage.threshold
                })
            })
    }

    fn complete(&mut self, at: CommitIx, candidates: BTreeSet<usize>) {
        let newly: Vec<usize> = candidates
            .into_iter()
            .filter(|&v| !self.done_before(v, at) && self.complete_in(v, at))
            .collect();
        for version in newly {
            self.completions.push((version, at));
            let supersedes = self.rules.voiding
                && (self.kind.is_article()
                    || (self.rules.valid_site_version)(self.path, &self.versions[version]));
            if supersedes {
                self.voids.push(Void {
                    at,
                    why: Voiding::Superseded,
                    spares: Some(version),
                });
            }
        }
    }

    /// Commits where a version can complete without a record of this path:
    /// the first joins of approvals made on parallel branches, and of
    /// approvals with a policy enacted beside them or after them.
    fn joins(&self) -> BTreeSet<CommitIx> {
        /// Joins searched at most per path: beyond, fewer completions are
        /// found (publishing less), never more.
        const MOST: usize = 64;
        let history = self.rules.history;
        let approvals: BTreeSet<CommitIx> = self
            .events
            .records
            .iter()
            .filter(|r| {
                matches!(
                    history.commit(r.at).records[r.record as usize].record,
                    Record::Approve { .. }
                )
            })
            .map(|r| r.at)
            .collect();
        let enactments = self.rules.governance.enactments();
        let mut joins = BTreeSet::new();
        let mut pairs: Vec<(CommitIx, CommitIx)> = Vec::new();
        for &a in &approvals {
            for &b in approvals.range(..a) {
                if self.graph.placement(a, b) == Placement::Concurrent {
                    pairs.push((a, b));
                }
            }
            for &e in &enactments {
                match self.graph.placement(a, e) {
                    Placement::Concurrent => pairs.push((a, e)),
                    // A policy enacted after the approvals governs the
                    // commits after its enactment.
                    Placement::Before | Placement::Same => {
                        joins.extend(self.graph.children_of(e).iter().map(|&c| CommitIx(c)))
                    }
                    Placement::After => {}
                }
            }
        }
        let mut round = 0;
        while let Some((a, b)) = pairs.pop() {
            if joins.len() >= MOST {
                break;
            }
            for join in self.graph.first_joins(&[a, b]) {
                if joins.insert(join) && round < MOST {
                    round += 1;
                    for &other in approvals.iter().chain(&enactments) {
                        if self.graph.placement(join, other) == Placement::Concurrent {
                            pairs.push((join, other));
                        }
                    }
                }
            }
        }
        joins
    }

    /// Whether and by what an approval of `version` in `at` is voided at the
    /// revision.
    fn voided_at_head(&self, version: usize, at: CommitIx) -> Option<Voided> {
        let history = self.history();
        self.voids
            .iter()
            .filter(|v| v.spares != Some(version) && !self.graph.before(v.at, at))
            .min_by_key(|v| v.at)
            .map(|v| Voided {
                why: v.why,
                commit: history.commit(v.at).id.clone(),
                at: v.at,
            })
    }

    fn finish(mut self) -> PathOutcome {
        let history = self.rules.history;
        let mut out = std::mem::take(&mut self.out);
        out.versions = Vec::with_capacity(self.versions.len());
        for (index, oid) in self.versions.iter().enumerate() {
            let approvals: Vec<Approval> = self
                .approvals
                .iter()
                .filter(|a| a.version == index)
                .map(|a| Approval {
                    stage: a.stage.clone(),
                    person: a.person.clone(),
                    commit: history.commit(a.at).id.clone(),
                    at: a.at,
                    time: history.commit(a.at).time,
                    voided: if self.rules.voiding {
                        self.voided_at_head(index, a.at)
                    } else {
                        None
                    },
                })
                .collect();
            if approvals.is_empty() {
                continue;
            }
            let completions = self
                .completions
                .iter()
                .filter(|(v, _)| *v == index)
                .map(|&(_, at)| Completion {
                    commit: history.commit(at).id.clone(),
                    at,
                    time: history.commit(at).time,
                    voided: if self.rules.voiding {
                        self.voided_at_head(index, at)
                    } else {
                        None
                    },
                })
                .collect();
            let unit = match history.versions.get(oid) {
                Some(VersionFacts::Article(Ok(facts))) => Some(facts.unit.clone()),
                _ => None,
            };
            out.versions.push(VersionState {
                path: self.path.to_string(),
                kind: self.kind,
                oid: oid.clone(),
                workflow: None,
                unit,
                approvals,
                completions,
            });
        }
        out
    }
}
