//! The decision procedure of SPEC §5: a fold over the commits of a history,
//! parents first, deciding which approvals count.
//!
//! Pure: it reads [`History`] facts and policies and touches no repository,
//! so every rule can be tested on its own and the same facts always give the
//! same verdict. Only the order of history matters, never a commit date.

use std::collections::{BTreeMap, BTreeSet, HashMap};

use serde::Serialize;

use crate::ledger::history::{
    CommitFacts, History, PathKind, RecordFacts, SignatureFacts, Target, VersionFacts,
};
use crate::ledger::policy::{POLICY_FILE, POLICY_WORKFLOW, Policy, SITE_WORKFLOW};
use crate::ledger::trailers::Record;

/// Why an approval (or withdrawal) did not count.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum Refusal {
    /// No trusted policy yet at this point of history.
    NoPolicy,
    Unsigned,
    BadSignature,
    UnsupportedSignature,
    UnknownKey,
    RevokedKey,
    /// The key belongs to someone other than the commit's author.
    AuthorMismatch,
    InvalidTarget,
    /// The version's front matter cannot be read, so it has no workflow.
    NoWorkflow,
    UnknownStage,
    WrongRole,
    OutOfScope,
    OutOfOrder,
    SamePersonTwice,
    AuthorApproval,
    /// The same person approved this stage before: counted once.
    Duplicate,
    /// The stage already has enough approvals.
    AlreadyComplete,
}

impl Refusal {
    /// The kebab-case code used in JSON and messages.
    pub fn code(self) -> String {
        serde_json::to_value(self)
            .ok()
            .and_then(|v| v.as_str().map(str::to_string))
            .unwrap_or_default()
    }

    /// The commit has no valid signer: nothing it carries counts.
    pub fn is_signature_problem(self) -> bool {
        matches!(
            self,
            Refusal::Unsigned
                | Refusal::BadSignature
                | Refusal::UnsupportedSignature
                | Refusal::UnknownKey
                | Refusal::RevokedKey
                | Refusal::AuthorMismatch
        )
    }
}

/// One approval that counts.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Approval {
    pub person: String,
    pub commit: String,
    pub time: i64,
    #[serde(skip)]
    pub walk_index: usize,
}

/// Why approvals that once counted no longer do.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum Voiding {
    Withdrawn,
    Superseded,
    /// The policy in force now sends the version through another workflow.
    WorkflowChanged,
}

#[derive(Debug, Clone, Serialize)]
pub struct VoidedApproval {
    pub stage: String,
    pub approval: Approval,
    pub why: Voiding,
    /// The commit that voided it.
    pub by_commit: String,
}

/// The review state of one (path, object id).
#[derive(Debug, Clone)]
pub struct VersionState {
    pub path: String,
    pub kind: PathKind,
    pub oid: String,
    pub workflow: Option<String>,
    /// The submitting unit that scopes approvals (articles only).
    pub unit: Option<String>,
    /// Counting approvals per stage of `workflow`.
    pub stages: Vec<Vec<Approval>>,
    pub completed_at: Option<usize>,
    pub voided: Vec<VoidedApproval>,
}

impl VersionState {
    pub fn is_complete(&self) -> bool {
        self.completed_at.is_some()
    }

    /// Every approval that counted when it was made, with its stage's
    /// position in `workflow`: those that count now and those voided since
    /// (a superseded or withdrawn version was still reviewed).
    pub fn approvals_ever<'a>(
        &'a self,
        workflow: &'a crate::ledger::policy::Workflow,
    ) -> impl Iterator<Item = (usize, &'a Approval)> + 'a {
        let current = self
            .stages
            .iter()
            .enumerate()
            .flat_map(|(position, approvals)| approvals.iter().map(move |a| (position, a)));
        let voided = self.voided.iter().filter_map(move |v| {
            workflow
                .stage_index(&v.stage)
                .map(|position| (position, &v.approval))
        });
        current.chain(voided)
    }

    /// The walk index at which each stage of `workflow` first had enough
    /// distinct approvers, counting approvals voided since; `None` for a
    /// stage never reached.
    pub fn stages_reached(&self, workflow: &crate::ledger::policy::Workflow) -> Vec<Option<usize>> {
        let mut by_stage: Vec<Vec<(usize, &str)>> = vec![Vec::new(); workflow.stages.len()];
        for (position, approval) in self.approvals_ever(workflow) {
            if let Some(approvals) = by_stage.get_mut(position) {
                approvals.push((approval.walk_index, approval.person.as_str()));
            }
        }
        workflow
            .stages
            .iter()
            .zip(by_stage)
            .map(|(stage, mut approvals)| {
                approvals.sort();
                let mut people = BTreeSet::new();
                approvals
                    .iter()
                    .find(|(_, person)| {
                        people.insert(*person);
                        people.len() >= stage.threshold
                    })
                    .map(|(index, _)| *index)
            })
            .collect()
    }

    /// The walk index at which the version completed its workflow: recorded,
    /// or rebuilt from approvals voided since — a version that went online
    /// and was later superseded or withdrawn still went online then.
    pub fn first_completion(&self, policy: &Policy) -> Option<usize> {
        if let Some(index) = self.completed_at {
            return Some(index);
        }
        let workflow = policy.workflows.get(self.workflow.as_deref()?)?;
        self.stages_reached(workflow)
            .into_iter()
            .try_fold(0, |latest, reached| reached.map(|index| latest.max(index)))
    }

    fn has_approvals(&self) -> bool {
        self.stages.iter().any(|s| !s.is_empty())
    }

    fn void_all(
        &mut self,
        why: Voiding,
        by_commit: &str,
        workflow: Option<&crate::ledger::policy::Workflow>,
    ) {
        for (index, approvals) in self.stages.iter_mut().enumerate() {
            let stage = workflow
                .and_then(|w| w.stages.get(index))
                .map(|s| s.id.clone())
                .unwrap_or_else(|| index.to_string());
            for approval in approvals.drain(..) {
                self.voided.push(VoidedApproval {
                    stage: stage.clone(),
                    approval,
                    why,
                    by_commit: by_commit.to_string(),
                });
            }
        }
        self.completed_at = None;
    }
}

/// A record that was read but did not count, with the reason.
#[derive(Debug, Clone, Serialize)]
pub struct Ignored {
    pub commit: String,
    pub record: String,
    pub path: Option<String>,
    pub oid: Option<String>,
    pub stage: Option<String>,
    /// The person the commit's key belongs to, when known.
    pub signer: Option<String>,
    pub refusal: Refusal,
    pub detail: String,
}

#[derive(Debug, Clone, Serialize)]
pub struct Withdrawal {
    pub path: String,
    pub person: String,
    pub commit: String,
    pub time: i64,
    pub reason: Option<String>,
}

#[derive(Debug, Clone, Serialize)]
pub struct Returned {
    pub path: String,
    pub stage: String,
    pub oid: Option<String>,
    /// None when the commit has no valid signer (recorded, but not attributable).
    pub person: Option<String>,
    pub commit: String,
    pub time: i64,
    pub reason: Option<String>,
}

/// A policy that became trusted, and where.
#[derive(Debug, Clone, Serialize)]
pub struct PolicyEvent {
    pub commit: String,
    pub version: u64,
    pub oid: String,
    /// Trusted on first use rather than by approval or `--policy-root`.
    pub trust_on_first_use: bool,
}

/// A policy approval that completed but changed nothing.
#[derive(Debug, Clone, Serialize)]
pub struct PolicyRejected {
    pub commit: String,
    pub oid: String,
    pub detail: String,
}

/// The first trusted policy.
#[derive(Debug, Clone)]
pub struct TrustRoot {
    pub policy: Policy,
    /// The `approvals/` tree it came from.
    pub oid: String,
    pub commit: String,
    /// In force from this walk index on (0 for `--policy-root`).
    pub from_index: usize,
    pub trust_on_first_use: bool,
}

/// What the ledger needs from the approved site.toml: column settings that
/// decide workflows and default units.
#[derive(Debug, Clone, Default)]
pub struct SiteFacts {
    pub column_workflow: BTreeMap<String, String>,
    pub column_first_unit: BTreeMap<String, String>,
}

/// The outcome of the fold.
#[derive(Debug, Clone)]
pub struct Verdict {
    pub policies: Vec<PolicyEvent>,
    pub rejected_policies: Vec<PolicyRejected>,
    /// The policy in force at the end of the walk.
    pub policy: Policy,
    /// Review state by path, of each version reviewed there (a path has a
    /// few; a list costs a tenth of a map each, for 100,000 paths).
    pub versions: HashMap<String, Vec<VersionState>>,
    /// Paths whose last event is a valid withdrawal.
    pub withdrawn: BTreeMap<String, Withdrawal>,
    pub returns: Vec<Returned>,
    pub ignored: Vec<Ignored>,
    /// Revoked key fingerprints named by every policy trusted in this walk.
    pub revoked_named: BTreeSet<String>,
    /// Who introduced each article version (the signer of its first commit).
    pub introduced_by: HashMap<(String, String), Option<String>>,
}

impl Verdict {
    pub fn version(&self, path: &str, oid: &str) -> Option<&VersionState> {
        self.versions.get(path)?.iter().find(|v| v.oid == oid)
    }

    /// Every version that received a counting approval at some point.
    pub fn all_versions(&self) -> impl Iterator<Item = &VersionState> {
        self.versions.values().flatten()
    }

    pub fn is_approved(&self, path: &str, oid: &str) -> bool {
        self.version(path, oid)
            .is_some_and(VersionState::is_complete)
    }
}

/// Which records a fold decides.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Scope {
    /// Every record: the verdict the build and `status` use.
    Everything,
    /// Only records about site.toml, themes and approvals/. Their outcome
    /// never depends on an article record (each path's versions are its own,
    /// and policies change only through approvals/), so this is the full
    /// fold's verdict for those paths — enough to find the approved site.toml
    /// whose column settings the full fold needs, at a fraction of the cost.
    SiteOnly,
}

/// Run the fold. `revoked` are fingerprints void everywhere (retroactively).
pub fn fold(
    history: &History,
    root: &TrustRoot,
    revoked: &BTreeSet<String>,
    site: &SiteFacts,
) -> Verdict {
    fold_scoped(history, root, revoked, site, Scope::Everything)
}

/// [`fold`], deciding only the records in `scope`.
pub fn fold_scoped(
    history: &History,
    root: &TrustRoot,
    revoked: &BTreeSet<String>,
    site: &SiteFacts,
    scope: Scope,
) -> Verdict {
    let mut walk = Walk {
        history,
        revoked,
        site,
        scope,
        policy: None,
        policy_oid: String::new(),
        verdict: Verdict {
            policies: Vec::new(),
            rejected_policies: Vec::new(),
            policy: root.policy.clone(),
            versions: HashMap::new(),
            withdrawn: BTreeMap::new(),
            returns: Vec::new(),
            ignored: Vec::new(),
            revoked_named: root.policy.settings.revoked_keys.clone(),
            introduced_by: HashMap::new(),
        },
        pending_policy: None,
    };
    for (index, commit) in history.commits.iter().enumerate() {
        if index == root.from_index {
            walk.policy = Some(std::sync::Arc::new(root.policy.clone()));
            walk.policy_oid = root.oid.clone();
            walk.verdict.policies.push(PolicyEvent {
                commit: root.commit.clone(),
                version: root.policy.version,
                oid: root.oid.clone(),
                trust_on_first_use: root.trust_on_first_use,
            });
        }
        walk.commit(index, commit);
        if let Some((policy, event)) = walk.pending_policy.take() {
            walk.verdict
                .revoked_named
                .extend(policy.settings.revoked_keys.iter().cloned());
            walk.policy_oid = event.oid.clone();
            walk.verdict.policies.push(event);
            walk.policy = Some(std::sync::Arc::new(policy));
        }
    }
    if let Some(policy) = walk.policy {
        walk.verdict.policy = std::sync::Arc::unwrap_or_clone(policy);
    }
    walk.verdict
}

struct Walk<'a> {
    history: &'a History,
    revoked: &'a BTreeSet<String>,
    site: &'a SiteFacts,
    scope: Scope,
    /// Shared, not cloned: the fold consults it for every record.
    policy: Option<std::sync::Arc<Policy>>,
    policy_oid: String,
    verdict: Verdict,
    /// A policy approved in the current commit: in force from the next one.
    pending_policy: Option<(Policy, PolicyEvent)>,
}

/// The person a commit's signature stands for, or why there is none.
fn signer_of(
    policy: Option<&Policy>,
    revoked: &BTreeSet<String>,
    commit: &CommitFacts,
) -> Result<String, (Refusal, String)> {
    let Some(policy) = policy else {
        return Err((
            Refusal::NoPolicy,
            "no trusted policy yet at this point of history".into(),
        ));
    };
    let fingerprint = match &commit.signature {
        SignatureFacts::Unsigned => {
            return Err((Refusal::Unsigned, "the commit is not signed".into()));
        }
        SignatureFacts::Bad { reason } => {
            return Err((
                Refusal::BadSignature,
                format!("the signature does not verify: {reason}"),
            ));
        }
        SignatureFacts::Unsupported { format } => {
            return Err((
                Refusal::UnsupportedSignature,
                format!(
                    "{format} signatures are not verified yet; sign with an SSH key (gpg.format=ssh)"
                ),
            ));
        }
        SignatureFacts::Ssh { fingerprint } => fingerprint,
    };
    if revoked.contains(fingerprint) {
        return Err((
            Refusal::RevokedKey,
            format!("key {fingerprint} is revoked: all its signatures are void"),
        ));
    }
    let Some(person) = policy.key_owner.get(fingerprint) else {
        return Err((
            Refusal::UnknownKey,
            format!(
                "key {fingerprint} is not in the policy (a hosting service's web merge key or an unknown key)"
            ),
        ));
    };
    let holder = &policy.people[person];
    if !holder.has_email(&commit.author_email) {
        return Err((
            Refusal::AuthorMismatch,
            format!(
                "signed by {person}'s key, but authored by <{}>: re-signing someone else's commit approves nothing",
                commit.author_email
            ),
        ));
    }
    Ok(person.clone())
}

impl Walk<'_> {
    /// Is this record decided in this fold? (Returns change no version.)
    fn decides(&self, facts: &RecordFacts) -> bool {
        let kind = match &facts.record {
            _ if self.scope == Scope::Everything => return true,
            Record::Approve { .. } => facts.target.as_ref().map(|t| t.kind),
            Record::Withdraw { path, .. } => PathKind::of_path(&normal_path(path)),
            Record::Return { .. } => return false,
        };
        kind.is_some_and(|kind| !kind.is_article())
    }

    fn commit(&mut self, index: usize, commit: &CommitFacts) {
        if self.scope == Scope::SiteOnly && !commit.records.iter().any(|f| self.decides(f)) {
            return;
        }
        let signer = signer_of(self.policy.as_deref(), self.revoked, commit);
        for change in commit
            .changes
            .iter()
            .filter(|_| self.scope == Scope::Everything)
        {
            if let (true, Some(oid)) = (change.kind.is_article(), &change.oid) {
                // The first commit that brings a version introduced it.
                self.verdict
                    .introduced_by
                    .entry((change.path.clone(), oid.clone()))
                    .or_insert_with(|| signer.as_ref().ok().cloned());
            }
        }
        for facts in &commit.records {
            match &facts.record {
                _ if !self.decides(facts) => {}
                Record::Approve { stage, path, .. } => {
                    self.approve(index, commit, &signer, stage, path, facts.target.as_ref());
                }
                Record::Withdraw { path, reason } => {
                    self.withdraw(commit, &signer, path, reason.as_deref())
                }
                Record::Return {
                    stage,
                    path,
                    reason,
                    ..
                } => {
                    let path = facts
                        .target
                        .as_ref()
                        .map(|t| t.path.clone())
                        .unwrap_or_else(|| path.clone());
                    if let Err((refusal, detail)) = &signer {
                        self.ignore(
                            commit,
                            "Return",
                            Some(&path),
                            None,
                            Some(stage),
                            None,
                            *refusal,
                            detail.clone(),
                        );
                    }
                    self.verdict.returns.push(Returned {
                        path,
                        stage: stage.clone(),
                        oid: facts.target.as_ref().map(|t| t.oid.clone()),
                        person: signer.as_ref().ok().cloned(),
                        commit: commit.id.clone(),
                        time: commit.time,
                        reason: reason.clone(),
                    });
                }
            }
        }
    }

    #[allow(clippy::too_many_arguments)]
    fn ignore(
        &mut self,
        commit: &CommitFacts,
        record: &str,
        path: Option<&str>,
        oid: Option<&str>,
        stage: Option<&str>,
        signer: Option<&str>,
        refusal: Refusal,
        detail: String,
    ) {
        self.verdict.ignored.push(Ignored {
            commit: commit.id.clone(),
            record: record.to_string(),
            path: path.map(str::to_string),
            oid: oid.map(str::to_string),
            stage: stage.map(str::to_string),
            signer: signer.map(str::to_string),
            refusal,
            detail,
        });
    }

    /// The workflow and scoping unit of a version under the policy in force.
    fn workflow_of(&self, policy: &Policy, target: &Target) -> (Option<String>, Option<String>) {
        let facts = match self.history.versions.get(&target.oid) {
            Some(VersionFacts::Article(facts)) => facts.as_ref(),
            _ => None,
        };
        choose_workflow(policy, self.site, target.kind, &target.path, facts)
    }

    fn approve(
        &mut self,
        index: usize,
        commit: &CommitFacts,
        signer: &Result<String, (Refusal, String)>,
        stage_id: &str,
        written_path: &str,
        target: Option<&Target>,
    ) {
        let Some(target) = target else {
            self.ignore(
                commit,
                "Approve",
                Some(written_path),
                None,
                Some(stage_id),
                None,
                Refusal::InvalidTarget,
                format!("`{written_path}` cannot be approved: name an article (.md file or bundle folder under content/), site.toml, themes/<name> or approvals"),
            );
            return;
        };
        let (path, oid) = (target.path.as_str(), target.oid.as_str());
        let exempt = self.own_revocation_exemption(commit, target, signer);
        let person = match exempt.as_ref().unwrap_or(signer) {
            Ok(person) => person.clone(),
            Err((refusal, detail)) => {
                self.ignore(
                    commit,
                    "Approve",
                    Some(path),
                    Some(oid),
                    Some(stage_id),
                    None,
                    *refusal,
                    detail.clone(),
                );
                return;
            }
        };
        let refuse = |walk: &mut Self, refusal: Refusal, detail: String| {
            walk.ignore(
                commit,
                "Approve",
                Some(path),
                Some(oid),
                Some(stage_id),
                Some(&person),
                refusal,
                detail,
            );
        };
        if let Some(problem) = &target.problem {
            refuse(self, Refusal::InvalidTarget, problem.clone());
            return;
        }
        let Some(policy) = self.policy.clone() else {
            return;
        };
        let (workflow_id, unit) = self.workflow_of(&policy, target);
        let Some(workflow_id) = workflow_id else {
            refuse(
                self,
                Refusal::NoWorkflow,
                format!(
                    "{path} at {oid} has no readable front matter (not UTF-8 or not YAML), so no workflow applies; it can never be published"
                ),
            );
            return;
        };
        let Some(workflow) = policy.workflows.get(&workflow_id) else {
            refuse(
                self,
                Refusal::NoWorkflow,
                format!("workflow `{workflow_id}` (forced by site.toml) is not in the policy"),
            );
            return;
        };
        // Look up before inserting: most approvals find their version known,
        // and an entry() would allocate both keys every time.
        let versions = match self.verdict.versions.get_mut(path) {
            Some(versions) => versions,
            None => self.verdict.versions.entry(path.to_string()).or_default(),
        };
        if !versions.iter().any(|v| v.oid == oid) {
            versions.reserve_exact(1);
            versions.push(VersionState {
                path: path.to_string(),
                kind: target.kind,
                oid: oid.to_string(),
                workflow: Some(workflow_id.clone()),
                unit: unit.clone(),
                stages: vec![Vec::new(); workflow.stages.len()],
                completed_at: None,
                voided: Vec::new(),
            });
        }
        let Some(version) = versions.iter_mut().find(|v| v.oid == oid) else {
            return;
        };
        if version.workflow.as_deref() != Some(workflow_id.as_str()) {
            let old = version
                .workflow
                .as_ref()
                .and_then(|w| policy.workflows.get(w));
            version.void_all(Voiding::WorkflowChanged, &commit.id, old);
            version.workflow = Some(workflow_id.clone());
            version.stages = vec![Vec::new(); workflow.stages.len()];
        }
        version.unit = unit.clone();

        let Some(stage_index) = workflow.stage_index(stage_id) else {
            let known: Vec<&str> = workflow.stages.iter().map(|s| s.id.as_str()).collect();
            refuse(
                self,
                Refusal::UnknownStage,
                format!(
                    "workflow `{workflow_id}` has no stage `{stage_id}` (its stages: {})",
                    known.join(", ")
                ),
            );
            return;
        };
        let stage = &workflow.stages[stage_index];
        let Some(member) = policy.membership(&stage.role, &person) else {
            refuse(
                self,
                Refusal::WrongRole,
                format!(
                    "{person} does not hold role `{}` needed for stage `{stage_id}`",
                    stage.role
                ),
            );
            return;
        };
        if !member.covers(target.kind.is_article(), unit.as_deref()) {
            refuse(
                self,
                Refusal::OutOfScope,
                format!(
                    "{person} holds `{}` only for units {}, but this article's unit is {}",
                    stage.role,
                    member
                        .units
                        .iter()
                        .flatten()
                        .cloned()
                        .collect::<Vec<_>>()
                        .join(", "),
                    unit.as_deref().unwrap_or("not set")
                ),
            );
            return;
        }
        let Some(version) = self.verdict.version(path, oid) else {
            return;
        };
        let distinct = |approvals: &Vec<Approval>| {
            approvals
                .iter()
                .map(|a| a.person.as_str())
                .collect::<BTreeSet<_>>()
                .len()
        };
        if let Some((missing, _)) = workflow
            .stages
            .iter()
            .zip(&version.stages)
            .take(stage_index)
            .find(|(s, approvals)| distinct(approvals) < s.threshold)
        {
            let detail = format!(
                "stage `{}` must be complete before `{stage_id}`",
                missing.id
            );
            refuse(self, Refusal::OutOfOrder, detail);
            return;
        }
        if version.stages[stage_index]
            .iter()
            .any(|a| a.person == person)
        {
            refuse(
                self,
                Refusal::Duplicate,
                format!("{person} already approved stage `{stage_id}`; one person counts once"),
            );
            return;
        }
        if distinct(&version.stages[stage_index]) >= stage.threshold {
            refuse(
                self,
                Refusal::AlreadyComplete,
                format!("stage `{stage_id}` was already complete"),
            );
            return;
        }
        if policy.settings.distinct_approvers
            && let Some(other) = version.stages.iter().enumerate().find(|(i, approvals)| {
                *i != stage_index && approvals.iter().any(|a| a.person == person)
            })
        {
            let detail = format!(
                "{person} already approved stage `{}` of this version; distinct_approvers requires another person",
                workflow.stages[other.0].id
            );
            refuse(self, Refusal::SamePersonTwice, detail);
            return;
        }
        if target.kind.is_article() && !policy.settings.author_may_approve {
            let facts_author = match self.history.versions.get(oid) {
                Some(VersionFacts::Article(Some(facts))) => facts.author.clone(),
                _ => None,
            };
            let holder = &policy.people[&person];
            let by_front_matter = facts_author
                .as_deref()
                .is_some_and(|a| a.trim() == holder.id || a.trim() == holder.name);
            let by_commit = self
                .verdict
                .introduced_by
                .get(&(path.to_string(), oid.to_string()))
                .is_some_and(|p| p.as_deref() == Some(person.as_str()));
            if by_front_matter || by_commit {
                refuse(
                    self,
                    Refusal::AuthorApproval,
                    format!("{person} wrote this version; author_may_approve is false"),
                );
                return;
            }
        }

        let Some(version) = self
            .verdict
            .versions
            .get_mut(path)
            .and_then(|v| v.iter_mut().find(|v| v.oid == oid))
        else {
            return;
        };
        // Most stages get one approval: room for what is there, where a
        // first push would reserve four.
        version.stages[stage_index].reserve_exact(1);
        version.stages[stage_index].push(Approval {
            person,
            commit: commit.id.clone(),
            time: commit.time,
            walk_index: index,
        });
        let complete = workflow
            .stages
            .iter()
            .zip(&version.stages)
            .all(|(s, approvals)| distinct(approvals) >= s.threshold);
        if complete && version.completed_at.is_none() {
            version.completed_at = Some(index);
            self.complete(commit, target, &policy);
        }
    }

    /// The signer of a policy approval whose only fault is a key that the
    /// approved policy itself revokes. Revoking one's own key in the policy
    /// that replaces it is how a key is rotated; the revocation voids every
    /// other signature of that key, but not the approval that enacts it —
    /// otherwise the revocation would undo itself.
    fn own_revocation_exemption(
        &self,
        commit: &CommitFacts,
        target: &Target,
        signer: &Result<String, (Refusal, String)>,
    ) -> Option<Result<String, (Refusal, String)>> {
        let (Err((Refusal::RevokedKey, _)), PathKind::Policy, SignatureFacts::Ssh { fingerprint }) =
            (signer, target.kind, &commit.signature)
        else {
            return None;
        };
        let Some(VersionFacts::Policy(Some(text))) = self.history.versions.get(&target.oid) else {
            return None;
        };
        let approved = Policy::parse(POLICY_FILE, text).ok()?;
        if !approved.settings.revoked_keys.contains(fingerprint) {
            return None;
        }
        let mut others = self.revoked.clone();
        others.remove(fingerprint);
        Some(signer_of(self.policy.as_deref(), &others, commit))
    }

    /// A version completed its workflow: older reviews of the path are void,
    /// a withdrawal is lifted, and an approved policy may come into force.
    fn complete(&mut self, commit: &CommitFacts, target: &Target, policy: &Policy) {
        for version in self
            .verdict
            .versions
            .get_mut(&target.path)
            .into_iter()
            .flatten()
        {
            if version.oid != target.oid && version.has_approvals() {
                let workflow = version
                    .workflow
                    .as_ref()
                    .and_then(|w| policy.workflows.get(w));
                version.void_all(Voiding::Superseded, &commit.id, workflow);
            }
        }
        self.verdict.withdrawn.remove(&target.path);
        if target.kind != PathKind::Policy {
            return;
        }
        let reject = |walk: &mut Self, detail: String| {
            walk.verdict.rejected_policies.push(PolicyRejected {
                commit: commit.id.clone(),
                oid: target.oid.clone(),
                detail,
            });
        };
        let Some(VersionFacts::Policy(Some(text))) = self.history.versions.get(&target.oid) else {
            reject(
                self,
                format!(
                    "approved approvals/ {} has no readable policy.yaml",
                    target.oid
                ),
            );
            return;
        };
        match Policy::parse(&format!("{POLICY_FILE} ({})", short(&target.oid)), text) {
            Err(diagnostic) => reject(self, format!("approved policy is invalid: {diagnostic}")),
            Ok(next) if next.version <= policy.version => reject(
                self,
                format!(
                    "policy version {} is not higher than version {} in force: a rollback changes nothing",
                    next.version, policy.version
                ),
            ),
            Ok(next) => {
                let event = PolicyEvent {
                    commit: commit.id.clone(),
                    version: next.version,
                    oid: target.oid.clone(),
                    trust_on_first_use: false,
                };
                self.pending_policy = Some((next, event));
            }
        }
    }

    fn withdraw(
        &mut self,
        commit: &CommitFacts,
        signer: &Result<String, (Refusal, String)>,
        written: &str,
        reason: Option<&str>,
    ) {
        let path = normal_path(written);
        let person = match signer {
            Ok(person) => person.clone(),
            Err((refusal, detail)) => {
                self.ignore(
                    commit,
                    "Withdraw",
                    Some(&path),
                    None,
                    None,
                    None,
                    *refusal,
                    detail.clone(),
                );
                return;
            }
        };
        let Some(policy) = self.policy.clone() else {
            return;
        };
        let role = &policy.settings.withdraw_role;
        if policy.membership(role, &person).is_none() {
            let detail = format!(
                "{person} does not hold `{role}`, the role that may withdraw (settings.withdraw_role)"
            );
            self.ignore(
                commit,
                "Withdraw",
                Some(&path),
                None,
                None,
                Some(&person),
                Refusal::WrongRole,
                detail,
            );
            return;
        }
        for version in self.verdict.versions.get_mut(&path).into_iter().flatten() {
            {
                let workflow = version
                    .workflow
                    .as_ref()
                    .and_then(|w| policy.workflows.get(w));
                version.void_all(Voiding::Withdrawn, &commit.id, workflow);
            }
        }
        self.verdict.withdrawn.insert(
            path.clone(),
            Withdrawal {
                path,
                person,
                commit: commit.id.clone(),
                time: commit.time,
                reason: reason.map(str::to_string),
            },
        );
    }
}

/// A withdrawn path as written in its trailer, without `./` or a trailing `/`.
fn normal_path(written: &str) -> String {
    written
        .trim()
        .trim_start_matches("./")
        .trim_end_matches('/')
        .to_string()
}

/// The workflow (and the unit that scopes approvals) of a version: `site` for
/// site.toml and themes, `policy` for approvals/, and for an article the
/// column's forced workflow or the first matching rule of the policy, from
/// that version's own front matter. `None` when the front matter is unreadable.
pub fn choose_workflow(
    policy: &Policy,
    site: &SiteFacts,
    kind: PathKind,
    path: &str,
    facts: Option<&crate::content::WorkflowFacts>,
) -> (Option<String>, Option<String>) {
    match kind {
        PathKind::SiteFile | PathKind::Theme => (Some(SITE_WORKFLOW.into()), None),
        PathKind::Policy => (Some(POLICY_WORKFLOW.into()), None),
        PathKind::ArticleFile | PathKind::ArticleBundle => {
            let Some(facts) = facts else {
                return (None, None);
            };
            let column = article_column(path);
            let unit = facts
                .unit
                .clone()
                .or_else(|| site.column_first_unit.get(column).cloned());
            if let Some(forced) = site.column_workflow.get(column) {
                return (Some(forced.clone()), unit);
            }
            let workflow = policy.rules.iter().find(|rule| {
                let m = &rule.matches;
                m.kind.as_ref().is_none_or(|k| *k == facts.kind)
                    && m.importance.as_ref().is_none_or(|i| *i == facts.importance)
                    && m.unit.as_ref().is_none_or(|u| Some(u) == unit.as_ref())
                    && m.column.as_ref().is_none_or(|g| glob_match(g, column))
            });
            (workflow.map(|r| r.workflow.clone()), unit)
        }
    }
}

fn short(oid: &str) -> &str {
    &oid[..oid.len().min(10)]
}

/// `news/notices` for `content/news/notices/a.md` or the bundle `content/news/notices/b`.
pub fn article_column(path: &str) -> &str {
    let inner = path.strip_prefix("content/").unwrap_or(path);
    inner
        .rsplit_once('/')
        .map(|(column, _)| column)
        .unwrap_or("")
}

/// Glob on column paths: `*` matches within one segment, `**` across segments.
pub fn glob_match(pattern: &str, text: &str) -> bool {
    fn go(p: &[u8], t: &[u8]) -> bool {
        match p.split_first() {
            None => t.is_empty(),
            Some((b'*', rest)) if rest.first() == Some(&b'*') => {
                let rest = &rest[1..];
                let rest = rest.strip_prefix(b"/").unwrap_or(rest);
                (0..=t.len()).any(|i| go(rest, &t[i..]))
            }
            Some((b'*', rest)) => (0..=t.len())
                .take_while(|&i| i == 0 || t[i - 1] != b'/')
                .any(|i| go(rest, &t[i..])),
            Some((c, rest)) => t.first() == Some(c) && go(rest, &t[1..]),
        }
    }
    go(pattern.as_bytes(), text.as_bytes())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn globs() {
        assert!(glob_match("news/*", "news/hq"));
        assert!(!glob_match("news/*", "news/hq/x"));
        assert!(glob_match("news/**", "news/hq/x"));
        assert!(glob_match("news", "news"));
        assert!(!glob_match("news", "newsy"));
        assert!(glob_match("*", "kepu"));
        assert!(!glob_match("*", "kepu/video"));
    }
}
