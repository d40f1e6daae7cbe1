//! The approval ledger: who approved what, verified from git history.
//!
//! Read `THREAT_MODEL.md` beside this file first: it says what an attacker
//! with push access can and cannot do, and which rule stops them.
//!
//! The ledger is built in two halves. [`history`] reads the facts of every
//! commit (trailers, signature math, changed paths) and the commit graph —
//! the expensive part, independent of any policy. The rules of SPEC §5 are
//! then pure functions of those facts, asked of ancestry only:
//!
//! - [`trust`]: the trust root, which policies become trusted (step by
//!   step in version order) and which govern each commit;
//! - [`signers`]: who signed a commit under a policy;
//! - [`workflow`]: which workflow a version goes through;
//! - [`fold`]: per path, which approvals count, what voids them, where each
//!   version completes and whether that holds at the revision;
//! - [`verdict`]: the result, read by everything downstream.
//!
//! [`evaluate`] ties them together; [`Ledger`] adds the repository.

pub mod cache;
pub mod effect;
pub mod fold;
pub mod graph;
pub mod history;
pub mod lists;
pub mod policy;
pub mod signature;
pub mod signers;
pub mod trailers;
pub mod trees;
pub mod trust;
pub mod verdict;
pub mod workflow;

use std::collections::{BTreeMap, HashMap};
use std::sync::Arc;

use git2::Oid;
use rayon::prelude::*;

use crate::error::{Diagnostic, Error, Result};
use crate::repo::Repo;
use fold::{PathOutcome, Rules};
use graph::CommitIx;
use history::{CommitFacts, History, PathKind, RecordFacts, SignatureFacts};
use policy::{POLICY_DIR, POLICY_FILE, Policy};
use trailers::Record;
use trust::{RootChoice, TrustError, Trusted};
use verdict::{Ignored, PolicyEvent, Refusal, Verdict};

/// Is this approved site.toml or theme version (path, object id) valid
/// under the newest trusted policy? An invalid one supersedes nothing: the
/// previous valid one stays in use (SPEC §5 "What is published").
pub type SiteValidity<'a> = &'a (dyn Fn(&Policy, &str, &str) -> bool + Sync);

/// Every site.toml and theme version valid (in-memory histories).
pub fn all_site_versions_valid(_: &Policy, _: &str, _: &str) -> bool {
    true
}

/// Evaluate SPEC §5 over a history: the trust root, the trusted policies,
/// and every path's records. Pure: the same facts give the same verdict,
/// whatever order merges list their parents in and whatever the dates say.
pub fn evaluate(
    history: &History,
    root: RootChoice,
    valid_site_version: SiteValidity<'_>,
) -> Result<(Verdict, Trusted), TrustError> {
    let paths = fold::index_paths(history);
    let root = trust::trust_root(history, root)?;
    let outcome = trust::decide(history, root.clone(), paths.get(POLICY_DIR));
    let governance = &outcome.governance;
    let newest = governance.newest(&history.graph, history)?.clone();
    let revoked = governance.revoked();
    let valid_site_version = |path: &str, oid: &str| valid_site_version(&newest.policy, path, oid);
    let rules = Rules {
        history,
        governance,
        revoked: &revoked,
        voiding: true,
        valid_site_version: &valid_site_version,
    };
    let content: Vec<(&String, PathOutcome)> = paths
        .par_iter()
        .filter(|(path, _)| path.as_str() != POLICY_DIR)
        .map(|(path, events)| (path, fold::fold_path(&rules, path, events)))
        .collect();

    let mut verdict = Verdict {
        policies: governance
            .trusted()
            .iter()
            .map(|t| PolicyEvent {
                commit: history.commit(t.enacted).id.clone(),
                version: t.version,
                oid: t.oid.clone(),
                trust_on_first_use: t.trust_on_first_use,
            })
            .collect(),
        rejected_policies: outcome.rejected,
        policy: Arc::clone(&newest.policy),
        policy_oid: newest.oid.clone(),
        policy_files: (*newest.files).clone(),
        revoked,
        versions: HashMap::new(),
        withdrawn: BTreeMap::new(),
        returns: Vec::new(),
        ignored: Vec::new(),
        introduced: HashMap::new(),
    };
    let mut ignored: Vec<(CommitIx, Ignored)> = Vec::new();
    let approvals = (POLICY_DIR.to_string(), outcome.approvals);
    for (path, mut outcome) in content
        .into_iter()
        .map(|(path, outcome)| (path.clone(), outcome))
        .chain(std::iter::once(approvals))
    {
        for version in &mut outcome.versions {
            version.workflow = workflow::choose(
                &verdict.policy,
                version.kind,
                &version.path,
                history.versions.get(&version.oid),
            )
            .ok()
            .map(|choice| choice.workflow.id.clone());
        }
        let published = outcome.versions.iter().any(|v| v.is_complete());
        if !published
            && let Some((withdrawal, _)) = outcome.withdrawals.iter().max_by_key(|(_, at)| *at)
        {
            verdict.withdrawn.insert(path.clone(), withdrawal.clone());
        }
        if let Some(events) = paths.get(&path)
            && events.kind.is_some_and(PathKind::is_article)
            && !events.introduced.is_empty()
        {
            verdict
                .introduced
                .insert(path.clone(), events.introduced.clone());
        }
        ignored.extend(outcome.ignored.into_iter().map(|i| (i.at, i)));
        verdict.returns.extend(outcome.returns);
        if !outcome.versions.is_empty() {
            verdict.versions.insert(path, outcome.versions);
        }
    }
    ignored.extend(unresolved_records(history));
    // History order, then the order records were read in: deterministic.
    ignored.sort_by_key(|(at, _)| *at);
    verdict.ignored = ignored.into_iter().map(|(_, i)| i).collect();
    verdict.returns.sort_by_key(|r| r.at);
    Ok((verdict, root))
}

/// Records naming nothing that can be approved or withdrawn.
fn unresolved_records(history: &History) -> Vec<(CommitIx, Ignored)> {
    let mut found = Vec::new();
    for (index, commit) in history.commits.iter().enumerate() {
        for facts in &commit.records {
            let (kind, path, stage, unresolved) = match &facts.record {
                Record::Approve { stage, path, .. } => {
                    ("Approve", path, Some(stage), facts.target.is_none())
                }
                Record::Return { stage, path, .. } => {
                    ("Return", path, Some(stage), facts.target.is_none())
                }
                Record::Withdraw { path, .. } => {
                    ("Withdraw", path, None, facts.withdraws.is_empty())
                }
            };
            if unresolved {
                found.push((
                    CommitIx(index as u32),
                    Ignored {
                        commit: commit.id.clone(),
                        at: CommitIx(index as u32),
                        record: kind.to_string(),
                        path: Some(path.clone()),
                        oid: None,
                        stage: stage.cloned(),
                        signer: None,
                        refusal: Refusal::InvalidTarget,
                        detail: format!("`{path}` names nothing that can be approved or withdrawn: name an article (.md file or bundle folder under content/), site.toml, themes/<name> or approvals"),
                    },
                ));
            }
        }
    }
    found
}

/// The evaluated ledger at a revision.
pub struct Ledger {
    pub head: Oid,
    pub history: History,
    /// The first trusted policy.
    pub root: Trusted,
    pub verdict: Verdict,
}

/// What one more commit would do: its records that would not count, and
/// the verdict with it.
pub struct Trial {
    pub ignored: Vec<Ignored>,
    pub verdict: Verdict,
}

/// The commit id used for a trial commit that does not exist yet.
pub const TRIAL_COMMIT: &str = "0000000000000000000000000000000000000000";

impl Ledger {
    /// Evaluate every approval in the history of `head`.
    /// `policy_root` pins the trust root to a commit's `approvals/`.
    pub fn evaluate(repo: &Repo, head: Oid, policy_root: Option<&str>) -> Result<Ledger> {
        let mut history = history::read(repo, &[head])?;
        let choice = root_choice(repo, &history, policy_root)?;
        let fold_started = std::time::Instant::now();
        let sites = SiteVersions::read(repo, &history)?;
        let (verdict, root) = evaluate(&history, choice, &|policy, path, oid| {
            sites.valid(policy, path, oid)
        })
        .map_err(|err| trust_error(&history, err))?;
        history
            .timings
            .add("approval rules (§5)", fold_started.elapsed());
        Ok(Ledger {
            head,
            history,
            root,
            verdict,
        })
    }

    /// The id of the trust root's commit.
    pub fn root_commit(&self) -> &str {
        &self.history.commit(self.root.enacted).id
    }

    /// The version of `path` published at the head: the one whose workflow
    /// is complete and not voided (SPEC §5 "What is published"). No parent
    /// order enters this choice. When an invalid site.toml or theme version
    /// stands beside a valid one, the caller chooses (see
    /// [`Verdict::complete_versions`]); here the one completed last.
    pub fn published_version(&self, path: &str) -> Option<String> {
        self.verdict
            .complete_versions(path)
            .max_by_key(|v| v.holding_completion().map(|c| c.at))
            .map(|v| v.oid.clone())
    }

    /// Would these records count if the person with this key and author
    /// address committed them on top of the head now (merging `merge_tip`
    /// too, with the tree `merged`)? Runs the same evaluation as the build
    /// with one more commit, and returns the records that would not count —
    /// so `sanshen approve` refuses exactly what `build` would ignore — and
    /// the verdict after it (what the commit would change).
    pub fn trial(
        &self,
        repo: &Repo,
        policy_root: Option<&str>,
        signer: (&str, &str),
        records: Vec<RecordFacts>,
        merge: Option<(Oid, Oid)>,
    ) -> Result<Trial> {
        let (fingerprint, author_email) = signer;
        let mut history = match merge {
            None => self.history.clone(),
            Some((tip, _)) => history::read(repo, &[self.head, tip])?,
        };
        let mut parents = vec![self.head.to_string()];
        let mut changes = Vec::new();
        if let Some((tip, merged)) = merge {
            parents.push(tip.to_string());
            let mut trees = trees::Trees::new();
            let parent_trees = [repo.commit_tree(self.head)?, repo.commit_tree(tip)?];
            changes = history::tracked_changes(repo, &mut trees, &parent_trees, merged)?;
        }
        for target in records
            .iter()
            .flat_map(|r| r.target.iter().chain(&r.withdraws))
        {
            if target.problem.is_none()
                && !target.oid.is_empty()
                && !history.versions.contains_key(&target.oid)
            {
                let facts = history::version_facts(repo, target.kind, &target.oid)?;
                history.versions.insert(target.oid.clone(), facts);
            }
        }
        for change in changes.iter().filter(|c| c.new) {
            if let Some(oid) = &change.oid
                && !history.versions.contains_key(oid)
            {
                let facts = history::version_facts(repo, change.kind, oid)?;
                history.versions.insert(oid.clone(), facts);
            }
        }
        let mut commits = std::mem::take(&mut history.commits);
        commits.push(CommitFacts {
            id: TRIAL_COMMIT.to_string(),
            parents,
            author_name: String::new(),
            author_email: author_email.to_string(),
            time: 0,
            time_offset_minutes: 0,
            summary: String::new(),
            signature: SignatureFacts::Ssh {
                fingerprint: fingerprint.to_string(),
            },
            records,
            malformed: Vec::new(),
            changes,
        });
        let trial = History::from_commits(commits, std::mem::take(&mut history.versions))
            .ok_or_else(|| {
                Error::config(Diagnostic::new(
                    "the trial commit's parents are not in the history",
                ))
            })?;
        let choice = root_choice(repo, &trial, policy_root)?;
        let sites = SiteVersions::read(repo, &trial)?;
        let (verdict, _) = evaluate(&trial, choice, &|policy, path, oid| {
            sites.valid(policy, path, oid)
        })
        .map_err(|err| trust_error(&trial, err))?;
        let ignored = verdict
            .ignored
            .iter()
            .filter(|ignored| ignored.commit == TRIAL_COMMIT)
            .cloned()
            .collect();
        Ok(Trial { ignored, verdict })
    }
}

/// What makes a site.toml or theme version valid, read once for every
/// version an approval names: an invalid one supersedes nothing (SPEC §5),
/// so the rules must tell them apart.
struct SiteVersions {
    texts: HashMap<String, std::result::Result<String, String>>,
    /// Theme versions (tree ids) whose files are plain and whose templates compile.
    themes: HashMap<String, bool>,
}

impl SiteVersions {
    fn read(repo: &Repo, history: &History) -> Result<SiteVersions> {
        let mut texts = HashMap::new();
        let mut themes = HashMap::new();
        for target in history
            .commits
            .iter()
            .flat_map(|c| &c.records)
            .filter_map(|r| r.target.as_ref())
            .filter(|t| t.problem.is_none())
        {
            match target.kind {
                PathKind::SiteFile if !texts.contains_key(&target.oid) => {
                    let text = crate::content::encoding::decode_text(&repo.blob_hex(&target.oid)?);
                    texts.insert(target.oid.clone(), text);
                }
                PathKind::Theme if !themes.contains_key(&target.oid) => {
                    let name = target.path.trim_start_matches("themes/");
                    let tree = crate::repo::parse_oid(&target.oid)?;
                    let valid =
                        crate::site::theme::compiled_theme(name, &repo.list_tree(tree, "")?, repo)
                            .is_ok();
                    themes.insert(target.oid.clone(), valid);
                }
                _ => {}
            }
        }
        Ok(SiteVersions { texts, themes })
    }

    /// site.toml must parse and name only units of the policy; a theme's
    /// templates must compile.
    fn valid(&self, policy: &Policy, path: &str, oid: &str) -> bool {
        if path.starts_with("themes/") {
            return self.themes.get(oid).copied().unwrap_or(false);
        }
        if path != crate::site::config::SITE_FILE {
            return true;
        }
        let Some(Ok(text)) = self.texts.get(oid) else {
            return false;
        };
        crate::site::SiteConfig::parse(path, text)
            .is_ok_and(|site| site.unknown_units(&policy.units).is_empty())
    }
}

/// `--policy-root` as a commit of the history, or trust on first use.
fn root_choice(repo: &Repo, history: &History, policy_root: Option<&str>) -> Result<RootChoice> {
    let Some(rev) = policy_root else {
        return Ok(RootChoice::FirstUse);
    };
    let commit = repo.resolve_commit(rev)?;
    match history.position(&commit.to_string()) {
        Some(at) => Ok(RootChoice::Pinned(at)),
        None => Err(Error::config(
            Diagnostic::new(format!(
                "--policy-root {rev}: commit {commit} is not in the history being built"
            ))
            .with_help("name a commit of this branch's history whose approvals/ you trust (the trust root is an ancestor of every build)"),
        )),
    }
}

fn short(id: &str) -> &str {
    &id[..id.len().min(12)]
}

/// Trust that cannot be decided, as an error for people (exit 2).
fn trust_error(history: &History, err: TrustError) -> Error {
    let _ = history;
    let diagnostic = match err {
        TrustError::NoPolicy => Diagnostic::in_file(POLICY_FILE, "no commit in this history has an approval policy")
            .with_help("commit approvals/policy.yaml (people, keys, roles, workflows): see SPEC §4 or run `sanshen init`"),
        TrustError::SeveralBeginnings(commits) => Diagnostic::in_file(
            POLICY_FILE,
            format!(
                "the history has {} commits that each begin a policy of their own ({}): trusting one on first use would let the shape of history decide",
                commits.len(),
                commits.iter().map(|c| short(c)).collect::<Vec<_>>().join(", ")
            ),
        )
        .with_help("name the commit whose approvals/ you trust: --policy-root <commit> (in CI, the SANSHEN_POLICY_ROOT setting)"),
        TrustError::PinnedWithoutPolicy(commit) => Diagnostic::new(format!(
            "--policy-root {}: that commit has no {POLICY_FILE}",
            short(&commit)
        ))
        .with_help("name the commit whose approvals/ you trust"),
        TrustError::InvalidRoot(commit, problem) => Diagnostic {
            message: format!(
                "the trust root's policy (commit {}) is invalid: {}",
                short(&commit),
                problem.message
            ),
            ..problem
        },
        TrustError::Ambiguous(newest) => Diagnostic::in_file(
            POLICY_FILE,
            format!(
                "trust is ambiguous: the trusted policies {} were enacted on parallel branches and no policy enacted after all of them is trusted",
                newest
                    .iter()
                    .map(|(commit, version)| format!("version {version} (commit {})", short(commit)))
                    .collect::<Vec<_>>()
                    .join(" and ")
            ),
        )
        .with_help("an administrator approves a new policy version on a commit that merges both branches; or name the commit you trust with --policy-root"),
    };
    Error::config(diagnostic)
}
