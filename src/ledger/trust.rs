//! Which policies are trusted and which govern a commit (SPEC §5 rules 1,
//! 2 and 4).
//!
//! - The trust root is the `approvals/` of the commit `--policy-root`
//!   names, or of the one commit that has a policy while none of its
//!   ancestors does (trust on first use). Two such commits — two unrelated
//!   beginnings, an orphan branch bringing its own policy — leave trust
//!   undecided: that is an error, never a guess by walk order.
//! - Trust grows step by step in increasing `version`. At each step the
//!   `policy` workflow of every `approvals/` version is folded under the
//!   policies trusted so far, with their revocations; the candidates of the
//!   lowest version not yet decided are trusted unless a policy of that
//!   version or higher was trusted before or beside them, or a candidate of
//!   higher version (or of the same version) was enacted before them. A
//!   decision is never revisited, so neither merging an old branch nor
//!   approving a lower version later rolls anything back.
//! - A record in commit C is judged under the policy in force at C (the
//!   newest enacted before C) *and* every trusted policy enacted on a
//!   branch parallel to C: a branch cut before a policy change cannot keep
//!   what the change took away.

use std::collections::BTreeSet;
use std::sync::Arc;

use crate::error::Diagnostic;
use crate::ledger::fold::{self, PathEvents, PathOutcome, Rules};
use crate::ledger::graph::{CommitIx, Graph, Placement};
use crate::ledger::history::{History, PathKind, PolicyFiles, VersionFacts};
use crate::ledger::policy::{POLICY_DIR, Policy};
use crate::ledger::verdict::PolicyRejected;

/// A trusted policy and the commit that enacted it.
#[derive(Debug, Clone)]
pub struct Trusted {
    pub policy: Arc<Policy>,
    pub files: Arc<PolicyFiles>,
    /// The `approvals/` tree it came from.
    pub oid: String,
    pub version: u64,
    /// The commit that enacted it (the trust root's commit for the root):
    /// it governs the commits after this one.
    pub enacted: CommitIx,
    pub trust_on_first_use: bool,
}

/// How the first trusted policy is chosen.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum RootChoice {
    /// `--policy-root`: the `approvals/` of this commit.
    Pinned(CommitIx),
    /// The one commit with a policy none of whose ancestors has one.
    FirstUse,
}

/// Why trust cannot be decided (exit 2).
#[derive(Debug, Clone)]
pub enum TrustError {
    /// No commit in the history has approvals/policy.yaml.
    NoPolicy,
    /// Several commits begin a policy history (their ids).
    SeveralBeginnings(Vec<String>),
    /// The pinned commit has no approvals/policy.yaml.
    PinnedWithoutPolicy(String),
    /// The root policy is invalid.
    InvalidRoot(String, Diagnostic),
    /// The trusted policies at the revision have no single newest one:
    /// (commit, version) of the newest ones.
    Ambiguous(Vec<(String, u64)>),
}

/// The policies in force over a history, and who governs each commit.
#[derive(Debug, Clone)]
pub struct Governance {
    trusted: Vec<Trusted>,
    root: CommitIx,
    /// For each trusted policy, the ones enacted after it.
    later: Vec<Vec<usize>>,
}

impl Governance {
    pub fn new(graph: &Graph, trusted: Vec<Trusted>) -> Governance {
        let root = trusted.first().map_or(CommitIx(0), |t| t.enacted);
        let later = trusted
            .iter()
            .map(|t| {
                (0..trusted.len())
                    .filter(|&other| graph.before(t.enacted, trusted[other].enacted))
                    .collect()
            })
            .collect();
        Governance {
            trusted,
            root,
            later,
        }
    }

    pub fn trusted(&self) -> &[Trusted] {
        &self.trusted
    }

    /// Commits that enacted a policy after the trust root.
    pub fn enactments(&self) -> Vec<CommitIx> {
        let mut commits: Vec<CommitIx> = self.trusted.iter().skip(1).map(|t| t.enacted).collect();
        commits.sort_unstable();
        commits.dedup();
        commits
    }

    /// The policies a record in commit `at` is judged under (rule 4): the
    /// newest enacted before it, and every one enacted beside it. Empty for
    /// the trust root's commit and every commit not after it: their records
    /// count for nothing.
    pub fn governing(&self, graph: &Graph, at: CommitIx) -> Vec<&Trusted> {
        if !graph.before(self.root, at) {
            return Vec::new();
        }
        let before: Vec<usize> = (0..self.trusted.len())
            .filter(|&t| graph.before(self.trusted[t].enacted, at))
            .collect();
        let in_force = before
            .iter()
            .filter(|&&t| !self.later[t].iter().any(|other| before.contains(other)))
            .map(|&t| &self.trusted[t]);
        let beside = self
            .trusted
            .iter()
            .filter(|t| graph.placement(t.enacted, at) == Placement::Concurrent);
        let mut governing: Vec<&Trusted> = Vec::new();
        for trusted in in_force.chain(beside) {
            if !governing.iter().any(|g| g.oid == trusted.oid) {
                governing.push(trusted);
            }
        }
        governing
    }

    /// Every key revoked by a trusted policy.
    pub fn revoked(&self) -> BTreeSet<String> {
        self.trusted
            .iter()
            .flat_map(|t| t.policy.settings.revoked_keys.iter().cloned())
            .collect()
    }

    /// The newest trusted policy at `head`: the one enacted after all the
    /// others (rule 2). Several newest ones are ambiguous trust.
    pub fn newest(&self, graph: &Graph, history: &History) -> Result<&Trusted, TrustError> {
        let newest: Vec<&Trusted> = self
            .trusted
            .iter()
            .enumerate()
            .filter(|(t, _)| self.later[*t].is_empty())
            .map(|(_, trusted)| trusted)
            .collect();
        let mut oids: Vec<&str> = newest.iter().map(|t| t.oid.as_str()).collect();
        oids.sort_unstable();
        oids.dedup();
        match newest.first() {
            Some(first) if oids.len() == 1 => Ok(first),
            _ => {
                let _ = graph;
                Err(TrustError::Ambiguous(
                    newest
                        .iter()
                        .map(|t| (history.commit(t.enacted).id.clone(), t.version))
                        .collect(),
                ))
            }
        }
    }
}

/// The `approvals/` object of every commit, derived from the changes each
/// commit records against its parents.
fn approvals_by_commit(history: &History) -> Vec<Option<&str>> {
    let mut at: Vec<Option<&str>> = Vec::with_capacity(history.commits.len());
    for (index, commit) in history.commits.iter().enumerate() {
        let changed = commit
            .changes
            .iter()
            .find(|c| c.kind == PathKind::Policy)
            .map(|c| c.oid.as_deref());
        let value = match changed {
            Some(value) => value,
            // Unchanged: every parent has the same one.
            None => history
                .graph
                .parents_of(CommitIx(index as u32))
                .first()
                .and_then(|&p| at[p as usize]),
        };
        at.push(value);
    }
    at
}

fn policy_files<'h>(history: &'h History, oid: &str) -> Option<&'h PolicyFiles> {
    match history.versions.get(oid) {
        Some(VersionFacts::Policy(files)) => Some(files),
        _ => None,
    }
}

/// Read and validate a policy from its `approvals/` files: policy.yaml,
/// and the lists its `checks:` names (they are part of the policy).
pub fn load_policy(files: &PolicyFiles, label: &str) -> Result<Policy, Diagnostic> {
    let text = match files.policy_text() {
        None => {
            return Err(Diagnostic::in_file(label, "there is no policy.yaml")
                .with_help("approvals/ must hold policy.yaml"));
        }
        Some(Err(problem)) => return Err(Diagnostic::in_file(label, problem.clone())),
        Some(Ok(text)) => text,
    };
    let policy = Policy::parse(label, text)?;
    for (key, name) in [
        ("banned_words", &policy.checks.banned_words),
        ("leaders", &policy.checks.leaders),
    ] {
        let Some(name) = name else { continue };
        match files.files.get(name) {
            None => {
                return Err(Diagnostic::in_file(
                    label,
                    format!("checks.{key} names `{name}`, which is not a file in approvals/"),
                )
                .with_help(format!(
                    "commit approvals/{name} with the policy, or remove checks.{key}"
                )));
            }
            Some(Err(problem)) => {
                return Err(Diagnostic::in_file(
                    format!("{POLICY_DIR}/{name}"),
                    problem.clone(),
                ));
            }
            Some(Ok(text)) => {
                if key == "leaders" {
                    crate::ledger::lists::Leaders::parse(&format!("{POLICY_DIR}/{name}"), text)?;
                }
            }
        }
    }
    Ok(policy)
}

/// Rule 1: the first trusted policy.
pub fn trust_root(history: &History, choice: RootChoice) -> Result<Trusted, TrustError> {
    let approvals = approvals_by_commit(history);
    let has_policy = |index: usize| {
        approvals[index]
            .and_then(|oid| policy_files(history, oid))
            .is_some_and(|files| files.policy_text().is_some())
    };
    let root = match choice {
        RootChoice::Pinned(at) => {
            if !has_policy(at.index()) {
                return Err(TrustError::PinnedWithoutPolicy(
                    history.commit(at).id.clone(),
                ));
            }
            at
        }
        RootChoice::FirstUse => {
            // A commit begins a policy history when it has a policy and no
            // ancestor does.
            let mut ancestor_has: Vec<bool> = Vec::with_capacity(history.commits.len());
            let mut beginnings = Vec::new();
            for index in 0..history.commits.len() {
                let inherited = history
                    .graph
                    .parents_of(CommitIx(index as u32))
                    .iter()
                    .any(|&p| ancestor_has[p as usize] || has_policy(p as usize));
                ancestor_has.push(inherited);
                if has_policy(index) && !inherited {
                    beginnings.push(CommitIx(index as u32));
                }
            }
            match beginnings.as_slice() {
                [] => return Err(TrustError::NoPolicy),
                [one] => *one,
                several => {
                    return Err(TrustError::SeveralBeginnings(
                        several
                            .iter()
                            .map(|&at| history.commit(at).id.clone())
                            .collect(),
                    ));
                }
            }
        }
    };
    let oid = approvals[root.index()].unwrap_or_default().to_string();
    let commit_id = history.commit(root).id.clone();
    let files = policy_files(history, &oid).cloned().unwrap_or_default();
    let policy = load_policy(
        &files,
        &format!(
            "{POLICY_DIR}/policy.yaml (trust root {})",
            short(&commit_id)
        ),
    )
    .map_err(|problem| TrustError::InvalidRoot(commit_id.clone(), problem))?;
    Ok(Trusted {
        version: policy.version,
        policy: Arc::new(policy),
        files: Arc::new(files),
        oid,
        enacted: root,
        trust_on_first_use: choice == RootChoice::FirstUse,
    })
}

/// What rule 2 decided.
pub struct TrustOutcome {
    pub governance: Governance,
    pub rejected: Vec<PolicyRejected>,
    /// The `approvals` path folded under the policies finally trusted: its
    /// ignored records and returns, for `status` and reports.
    pub approvals: PathOutcome,
}

/// An `approvals/` version whose `policy` workflow completed.
struct Candidate {
    oid: String,
    at: CommitIx,
    loaded: Result<(Arc<Policy>, Arc<PolicyFiles>), Diagnostic>,
}

impl Candidate {
    fn version(&self) -> Option<u64> {
        self.loaded.as_ref().ok().map(|(p, _)| p.version)
    }
}

/// Rule 2: grow trust from the root, step by step in increasing version.
pub fn decide(history: &History, root: Trusted, approvals: Option<&PathEvents>) -> TrustOutcome {
    let graph = &history.graph;
    let none = PathEvents::default();
    let events = approvals.unwrap_or(&none);
    let mut trusted = vec![root];
    let mut decided_up_to = trusted[0].version;
    let mut rejected: Vec<PolicyRejected> = Vec::new();
    let mut refused: BTreeSet<(String, CommitIx)> = BTreeSet::new();
    // The approvals that enacted each trusted policy, as judged at its step:
    // a later revocation never re-opens them (rule 3), so that is how they
    // are shown, not as the final policies would judge them.
    let mut enacting: Vec<crate::ledger::verdict::VersionState> = Vec::new();
    loop {
        let governance = Governance::new(graph, trusted.clone());
        let revoked = governance.revoked();
        let always = |_: &str, _: &str| true;
        let rules = Rules {
            history,
            governance: &governance,
            revoked: &revoked,
            voiding: false,
            valid_site_version: &always,
        };
        let outcome = fold::fold_path(&rules, POLICY_DIR, events);
        let candidates: Vec<Candidate> = outcome
            .versions
            .iter()
            .flat_map(|version| {
                version.completions.iter().map(|completion| {
                    let files = policy_files(history, &version.oid)
                        .cloned()
                        .unwrap_or_default();
                    let label = format!("{POLICY_DIR}/policy.yaml ({})", short(&version.oid));
                    Candidate {
                        oid: version.oid.clone(),
                        at: completion.at,
                        loaded: load_policy(&files, &label)
                            .map(|policy| (Arc::new(policy), Arc::new(files))),
                    }
                })
            })
            .collect();
        let step = candidates
            .iter()
            .filter_map(Candidate::version)
            .filter(|&v| v > decided_up_to)
            .min();
        let Some(step) = step else {
            // Nothing left to decide: say why each other completed policy changed nothing.
            for candidate in &candidates {
                let key = (candidate.oid.clone(), candidate.at);
                if trusted
                    .iter()
                    .any(|t| t.oid == candidate.oid && t.enacted == candidate.at)
                    || refused.contains(&key)
                {
                    continue;
                }
                let detail = match (&candidate.loaded, candidate.version()) {
                    (Err(problem), _) => {
                        format!("the approved policy is invalid, so it is not trusted: {problem}")
                    }
                    (Ok(_), Some(version)) => format!(
                        "policy version {version} is not higher than the versions trusted before it (up to {decided_up_to}): a rollback changes nothing"
                    ),
                    (Ok(_), None) => continue,
                };
                refused.insert(key);
                rejected.push(PolicyRejected {
                    commit: history.commit(candidate.at).id.clone(),
                    oid: candidate.oid.clone(),
                    detail,
                });
            }
            return TrustOutcome {
                governance,
                rejected,
                approvals: with_enacting(outcome, enacting),
            };
        };
        let mut accepted = Vec::new();
        for candidate in candidates.iter().filter(|c| c.version() == Some(step)) {
            let Ok((policy, files)) = &candidate.loaded else {
                continue;
            };
            let higher_before = trusted.iter().find(|t| {
                t.version >= step
                    && matches!(
                        graph.placement(t.enacted, candidate.at),
                        Placement::Before | Placement::Concurrent | Placement::Same
                    )
            });
            let candidate_before = candidates.iter().find(|other| {
                other.version().is_some_and(|v| v >= step) && graph.before(other.at, candidate.at)
            });
            let reason = match (higher_before, candidate_before) {
                (Some(t), _) => Some(format!(
                    "policy version {step} is not higher than version {} trusted before it or beside it (commit {}): a rollback changes nothing",
                    t.version,
                    short(&history.commit(t.enacted).id)
                )),
                (None, Some(other)) => Some(format!(
                    "a policy of version {} was approved before it (commit {}): a lower or equal version approved later changes nothing",
                    other.version().unwrap_or_default(),
                    short(&history.commit(other.at).id)
                )),
                (None, None) => None,
            };
            match reason {
                Some(detail) => {
                    refused.insert((candidate.oid.clone(), candidate.at));
                    rejected.push(PolicyRejected {
                        commit: history.commit(candidate.at).id.clone(),
                        oid: candidate.oid.clone(),
                        detail,
                    });
                }
                None => {
                    if let Some(state) = outcome.versions.iter().find(|v| v.oid == candidate.oid) {
                        enacting.retain(|e| e.oid != candidate.oid);
                        enacting.push(state.clone());
                    }
                    accepted.push(Trusted {
                        policy: Arc::clone(policy),
                        files: Arc::clone(files),
                        oid: candidate.oid.clone(),
                        version: step,
                        enacted: candidate.at,
                        trust_on_first_use: false,
                    })
                }
            }
        }
        trusted.extend(accepted);
        decided_up_to = step;
    }
}

/// The final fold of `approvals`, with each trusted policy's approvals and
/// completion as they were when it was trusted.
fn with_enacting(
    mut outcome: PathOutcome,
    enacting: Vec<crate::ledger::verdict::VersionState>,
) -> PathOutcome {
    for state in enacting {
        let commits: BTreeSet<CommitIx> = state.approvals.iter().map(|a| a.at).collect();
        outcome.ignored.retain(|i| {
            !(i.record == "Approve"
                && i.oid.as_deref() == Some(state.oid.as_str())
                && commits.contains(&i.at))
        });
        outcome.versions.retain(|v| v.oid != state.oid);
        outcome.versions.push(state);
    }
    outcome
}

fn short(id: &str) -> &str {
    &id[..id.len().min(12)]
}
