//! What the §5 evaluation decided: for each path and version the approvals
//! that counted (and which were voided since, by what), where the version
//! completed its review and whether that completion still holds at the
//! revision; the records that did not count, with the reason; the trusted
//! policies. Plain values: the fold ([`super::fold`]) and the trust steps
//! ([`super::trust`]) produce them, everything downstream reads them.

use std::collections::{BTreeMap, BTreeSet, HashMap};
use std::sync::Arc;

use serde::Serialize;

use crate::ledger::graph::CommitIx;
use crate::ledger::history::{PathKind, PolicyFiles};
use crate::ledger::policy::{Policy, Workflow};

/// Why a record did not count.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum Refusal {
    /// The commit is the trust root or not after it: no trusted policy governs it.
    NoPolicy,
    Unsigned,
    BadSignature,
    UnsupportedSignature,
    UnknownKey,
    RevokedKey,
    /// The key belongs to someone other than the commit's author.
    AuthorMismatch,
    /// The policies that govern the commit name different people for its key.
    SignerDiffers,
    InvalidTarget,
    /// The object named is not that path's version in the commit or before it.
    InAdvance,
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
                | Refusal::SignerDiffers
        )
    }
}

/// Why approvals that once counted no longer do (SPEC §5 rules 7 and 8).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum Voiding {
    Withdrawn,
    /// The path was removed (present in a parent, absent in the commit).
    Removed,
    /// Another version of the path completed its review.
    Superseded,
}

/// What voided an approval or a completion: the first such event in order.
#[derive(Debug, Clone, Serialize)]
pub struct Voided {
    pub why: Voiding,
    pub commit: String,
    #[serde(skip)]
    pub at: CommitIx,
}

/// One approval that counted when it was made.
#[derive(Debug, Clone, Serialize)]
pub struct Approval {
    /// The stage id as recorded.
    pub stage: String,
    pub person: String,
    pub commit: String,
    #[serde(skip)]
    pub at: CommitIx,
    /// Committer time (seconds), for display and reports only.
    pub time: i64,
    /// Set when it no longer counts at the revision.
    pub voided: Option<Voided>,
}

/// A commit in which a version completed its review.
#[derive(Debug, Clone, Serialize)]
pub struct Completion {
    pub commit: String,
    #[serde(skip)]
    pub at: CommitIx,
    pub time: i64,
    /// Set when the completion no longer holds at the revision.
    pub voided: Option<Voided>,
}

/// The review state of one (path, object id).
#[derive(Debug, Clone)]
pub struct VersionState {
    pub path: String,
    pub kind: PathKind,
    pub oid: String,
    /// Its workflow under the newest trusted policy, for display.
    pub workflow: Option<String>,
    /// The submitting unit that scopes approvals (articles only).
    pub unit: Option<String>,
    /// Every approval that counted when it was made, in history order.
    pub approvals: Vec<Approval>,
    /// Every commit where it completed its review.
    pub completions: Vec<Completion>,
}

impl VersionState {
    /// Complete and not voided at the revision.
    pub fn is_complete(&self) -> bool {
        self.completions.iter().any(|c| c.voided.is_none())
    }

    /// The approvals that count at the revision.
    pub fn counting(&self) -> impl Iterator<Item = &Approval> {
        self.approvals.iter().filter(|a| a.voided.is_none())
    }

    /// The approvals that count, by stage of `workflow`.
    pub fn stages(&self, workflow: &Workflow) -> Vec<Vec<&Approval>> {
        workflow
            .stages
            .iter()
            .map(|stage| self.counting().filter(|a| a.stage == stage.id).collect())
            .collect()
    }

    /// The completion that holds at the revision, the latest if several
    /// (SPEC §3: a `date` left out is its time).
    pub fn holding_completion(&self) -> Option<&Completion> {
        self.completions
            .iter()
            .filter(|c| c.voided.is_none())
            .max_by_key(|c| (c.time, c.at))
    }

    /// The earliest completion, whether or not it still holds: a version
    /// that went online and was later superseded or withdrawn still went
    /// online then.
    pub fn first_completion(&self) -> Option<&Completion> {
        self.completions.iter().min_by_key(|c| (c.time, c.at))
    }

    /// When each stage of `workflow` first had enough distinct approvers
    /// (committer time), counting approvals voided since; `None` for a stage
    /// never reached. For reports, which count time, not history order.
    pub fn stages_reached(&self, workflow: &Workflow) -> Vec<Option<i64>> {
        workflow
            .stages
            .iter()
            .map(|stage| {
                let mut times: Vec<(i64, &str)> = self
                    .approvals
                    .iter()
                    .filter(|a| a.stage == stage.id)
                    .map(|a| (a.time, a.person.as_str()))
                    .collect();
                times.sort();
                let mut people = BTreeSet::new();
                times
                    .iter()
                    .find(|(_, person)| {
                        people.insert(*person);
                        people.len() >= stage.threshold
                    })
                    .map(|(time, _)| *time)
            })
            .collect()
    }
}

/// A record that was read but did not count, with the reason.
#[derive(Debug, Clone, Serialize)]
pub struct Ignored {
    pub commit: String,
    #[serde(skip)]
    pub at: CommitIx,
    pub record: String,
    pub path: Option<String>,
    pub oid: Option<String>,
    pub stage: Option<String>,
    /// The person the commit's key belongs to, when known.
    pub signer: Option<String>,
    pub refusal: Refusal,
    pub detail: String,
}

/// A withdrawal that counted.
#[derive(Debug, Clone, Serialize)]
pub struct Withdrawal {
    pub path: String,
    pub person: String,
    pub commit: String,
    pub time: i64,
    pub reason: Option<String>,
    /// The path as written in the trailer, when it named a file inside the
    /// bundle it took down.
    pub named: Option<String>,
}

/// A `Return` record (退回修改): never affects publication.
#[derive(Debug, Clone, Serialize)]
pub struct Returned {
    pub path: String,
    pub stage: String,
    pub oid: Option<String>,
    /// Set when it counts: the signer could have approved that stage of
    /// that version in that commit.
    pub person: Option<String>,
    pub commit: String,
    #[serde(skip)]
    pub at: CommitIx,
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

/// An `approvals/` version whose `policy` workflow completed but that was
/// not trusted, and why (for the build's notices).
#[derive(Debug, Clone, Serialize)]
pub struct PolicyRejected {
    pub commit: String,
    pub oid: String,
    pub detail: String,
}

/// The outcome of evaluating the ledger at a revision.
#[derive(Debug, Clone)]
pub struct Verdict {
    /// The trusted policies, by version (the trust root first).
    pub policies: Vec<PolicyEvent>,
    pub rejected_policies: Vec<PolicyRejected>,
    /// The newest trusted policy at the revision.
    pub policy: Arc<Policy>,
    /// The id of its `approvals/` version.
    pub policy_oid: String,
    /// The files of its `approvals/` version (word lists, leaders' table).
    pub policy_files: PolicyFiles,
    /// Fingerprints revoked by any trusted policy: they sign nothing.
    pub revoked: BTreeSet<String>,
    /// Review state by path, of each version reviewed there.
    pub versions: HashMap<String, Vec<VersionState>>,
    /// Paths taken down by a withdrawal that no later review has lifted.
    pub withdrawn: BTreeMap<String, Withdrawal>,
    pub returns: Vec<Returned>,
    pub ignored: Vec<Ignored>,
    /// For each article path, the versions it had and the commits that made
    /// each its content (history order).
    pub introduced: HashMap<String, Vec<(String, CommitIx)>>,
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

    /// The versions of `path` complete and not voided at the revision: at
    /// most one, except that an invalid site.toml or theme version
    /// supersedes nothing and may stand beside the valid one it follows.
    pub fn complete_versions(&self, path: &str) -> impl Iterator<Item = &VersionState> {
        self.versions
            .get(path)
            .into_iter()
            .flatten()
            .filter(|v| v.is_complete())
    }

    /// The commits that made `oid` the content of `path`.
    pub fn introductions<'a>(
        &'a self,
        path: &str,
        oid: &'a str,
    ) -> impl Iterator<Item = CommitIx> + 'a {
        self.introduced
            .get(path)
            .into_iter()
            .flatten()
            .filter(move |(version, _)| version == oid)
            .map(|(_, at)| *at)
    }
}
