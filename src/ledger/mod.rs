//! The approval ledger: who approved what, verified from git history.
//!
//! Read `THREAT_MODEL.md` beside this file first: it says what an attacker
//! with push access can and cannot do, and which rule stops them.
//!
//! The ledger is built in two halves. [`history`] reads the facts of every
//! commit (trailers, signature math, changed paths) — the expensive part,
//! independent of any policy. [`verdict`] folds those facts through the rules
//! of SPEC §5 — cheap and pure. This module ties them together: it finds the
//! trust root, learns the column settings of the approved site.toml (they
//! choose workflows), and repeats the fold until the set of revoked keys is
//! stable, because a revocation voids signatures made *before* it too.

pub mod cache;
pub mod history;
pub mod policy;
pub mod signature;
pub mod trailers;
pub mod trees;
pub mod verdict;

use std::collections::BTreeSet;

use git2::Oid;

use crate::content::encoding::decode_text;
use crate::error::{Diagnostic, Error, Result};
use crate::repo::Repo;
use crate::site::SiteConfig;
use history::{History, PathKind};
use policy::{POLICY_DIR, POLICY_FILE, Policy};
use verdict::{SiteFacts, TrustRoot, Verdict};

/// The evaluated ledger at a revision.
pub struct Ledger {
    pub head: Oid,
    pub history: History,
    pub root: TrustRoot,
    pub verdict: Verdict,
    /// Fingerprints void everywhere.
    pub revoked: BTreeSet<String>,
    /// Column settings of the approved site.toml that choose workflows.
    pub site: SiteFacts,
}

impl Ledger {
    /// Evaluate every approval in the history of `head`.
    /// `policy_root` pins the trust root to a commit's `approvals/`.
    pub fn evaluate(repo: &Repo, head: Oid, policy_root: Option<&str>) -> Result<Ledger> {
        Self::evaluate_with(repo, head, &[], policy_root)
    }

    /// Evaluate with the history of `extra` tips too (a branch about to be merged).
    pub fn evaluate_with(
        repo: &Repo,
        head: Oid,
        extra: &[Oid],
        policy_root: Option<&str>,
    ) -> Result<Ledger> {
        let mut history = history::read(repo, head, extra)?;
        let root = trust_root(repo, &history, policy_root)?;
        let fold_started = std::time::Instant::now();
        // A revocation voids signatures made before it too, and which policies
        // are trusted depends on which signatures count: iterate until the set
        // of revoked keys named by the trusted policies is stable.
        let mut revoked: BTreeSet<String> = BTreeSet::new();
        let mut seen: Vec<BTreeSet<String>> = Vec::new();
        let (verdict, site) = loop {
            let first = verdict::fold_scoped(
                &history,
                &root,
                &revoked,
                &SiteFacts::default(),
                verdict::Scope::SiteOnly,
            );
            let site = site_facts(repo, &history, &first);
            let verdict = verdict::fold(&history, &root, &revoked, &site);
            let named = verdict.revoked_named.clone();
            if named == revoked {
                break (verdict, site);
            }
            if seen.contains(&named) {
                // Oscillation: two policy chains each revoke the other's
                // approver. Revoke everything either names, the safe side.
                revoked.extend(named);
                break (verdict::fold(&history, &root, &revoked, &site), site);
            }
            seen.push(revoked);
            revoked = named;
        };
        history
            .timings
            .add("approval rules (§5 fold)", fold_started.elapsed());
        Ok(Ledger {
            head,
            history,
            root,
            verdict,
            revoked,
            site,
        })
    }

    /// The approved version of `path` published at the head: walking the
    /// first-parent history backwards, the first version that completed its
    /// workflow and was not voided (SPEC §5 "What is published").
    pub fn published_version(&self, path: &str) -> Option<String> {
        published_on_main_line(&self.history, &self.verdict, path)
    }
}

/// The commit id used for a trial commit that does not exist yet.
pub const TRIAL_COMMIT: &str = "0000000000000000000000000000000000000000";

impl Ledger {
    /// Would these records count if the person with this key and author
    /// address committed them on top of the head now? Runs the same fold as
    /// the build, with one more commit, and returns the records that would not
    /// count — so `sanshen approve` refuses exactly what `build` would ignore.
    pub fn trial(
        &self,
        repo: &Repo,
        fingerprint: &str,
        author_email: &str,
        records: Vec<history::RecordFacts>,
        extra_parents: &[Oid],
    ) -> Result<Vec<verdict::Ignored>> {
        let mut history = self.history.clone();
        for record in &records {
            if let Some(target) = &record.target
                && target.problem.is_none()
                && !history.versions.contains_key(&target.oid)
            {
                let facts = history::version_facts(repo, target)?;
                history.versions.insert(target.oid.clone(), facts);
            }
        }
        history.commits.push(history::CommitFacts {
            id: TRIAL_COMMIT.to_string(),
            parents: std::iter::once(self.head)
                .chain(extra_parents.iter().copied())
                .map(|p| p.to_string())
                .collect(),
            author_name: String::new(),
            author_email: author_email.to_string(),
            time: 0,
            time_offset_minutes: 0,
            summary: String::new(),
            signature: history::SignatureFacts::Ssh {
                fingerprint: fingerprint.to_string(),
            },
            records,
            malformed: Vec::new(),
            changes: Vec::new(),
        });
        let verdict = verdict::fold(&history, &self.root, &self.revoked, &self.site);
        Ok(verdict
            .ignored
            .into_iter()
            .filter(|ignored| ignored.commit == TRIAL_COMMIT)
            .collect())
    }
}

fn published_on_main_line(history: &History, verdict: &Verdict, path: &str) -> Option<String> {
    // Each version stays at `path` until a later main-line commit changes it:
    // walking backwards, the newest approved one wins.
    history
        .main_line_versions(path)
        .iter()
        .rev()
        .flatten()
        .find(|oid| verdict.is_approved(path, oid))
        .cloned()
}

/// The first trusted policy: `--policy-root`, else trust on first use.
fn trust_root(repo: &Repo, history: &History, policy_root: Option<&str>) -> Result<TrustRoot> {
    if let Some(rev) = policy_root {
        let commit = repo.resolve_commit(rev)?;
        let tree = repo.commit_tree(commit)?;
        let (policy, oid) = read_policy_at(repo, tree)?.ok_or_else(|| {
            Error::config(
                Diagnostic::new(format!(
                    "--policy-root {rev}: that commit has no {POLICY_FILE}"
                ))
                .with_help("name the commit whose approvals/ you trust"),
            )
        })?;
        return Ok(TrustRoot {
            policy,
            oid,
            commit: commit.to_string(),
            from_index: 0,
            trust_on_first_use: false,
        });
    }
    // Two unrelated histories (two root commits) that both bring a policy make
    // "the first policy" a matter of walk order, which an attacker can steer
    // by merging the real history into a fabricated one: refuse to guess.
    let roots_with_policy: Vec<&str> = history
        .commits
        .iter()
        .filter(|c| c.parents.is_empty())
        .filter(|c| {
            crate::repo::parse_oid(&c.id)
                .and_then(|oid| repo.commit_tree(oid))
                .and_then(|tree| repo.entry_at(tree, POLICY_FILE))
                .map(|entry| entry.is_some())
                .unwrap_or(false)
        })
        .map(|c| c.id.as_str())
        .collect();
    if roots_with_policy.len() > 1 {
        return Err(Error::config(
            Diagnostic::in_file(
                POLICY_FILE,
                format!(
                    "the history has {} unrelated beginnings that each bring a policy ({}); trusting the first one on first use would let the walk order decide",
                    roots_with_policy.len(),
                    roots_with_policy.iter().map(|c| &c[..12]).collect::<Vec<_>>().join(", ")
                ),
            )
            .with_help("name the commit whose approvals/ you trust: --policy-root <commit>"),
        ));
    }
    for (index, commit) in history.commits.iter().enumerate() {
        let touches_policy = index == 0
            || commit
                .changes
                .iter()
                .any(|c| c.kind == PathKind::Policy && c.oid.is_some());
        if !touches_policy {
            continue;
        }
        let oid = crate::repo::parse_oid(&commit.id)?;
        let tree = repo.commit_tree(oid)?;
        if let Some((policy, policy_oid)) = read_policy_at(repo, tree)? {
            return Ok(TrustRoot {
                policy,
                oid: policy_oid,
                commit: commit.id.clone(),
                from_index: index,
                trust_on_first_use: true,
            });
        }
    }
    Err(Error::config(
        Diagnostic::in_file(POLICY_FILE, "no commit in this history has an approval policy")
            .with_help("commit approvals/policy.yaml (people, keys, roles, workflows): see SPEC §4 or run `sanshen init`"),
    ))
}

/// Read and validate `approvals/policy.yaml` of a tree; the `approvals/` tree id beside it.
fn read_policy_at(repo: &Repo, tree: Oid) -> Result<Option<(Policy, String)>> {
    let Some((dir_oid, _)) = repo.entry_at(tree, POLICY_DIR)? else {
        return Ok(None);
    };
    let Some((file_oid, _)) = repo.entry_at(tree, POLICY_FILE)? else {
        return Ok(None);
    };
    let text = decode_text(&repo.blob(file_oid)?)
        .map_err(|problem| Error::config(Diagnostic::in_file(POLICY_FILE, problem)))?;
    let policy = Policy::parse(POLICY_FILE, &text).map_err(Error::config)?;
    Ok(Some((policy, dir_oid.to_string())))
}

/// Column settings from the approved site.toml, if there is one and it parses.
fn site_facts(repo: &Repo, history: &History, verdict: &Verdict) -> SiteFacts {
    let Some(oid) = published_on_main_line(history, verdict, crate::site::config::SITE_FILE) else {
        return SiteFacts::default();
    };
    let Some(site) = repo
        .blob_hex(&oid)
        .ok()
        .and_then(|bytes| decode_text(&bytes).ok())
        .and_then(|text| SiteConfig::parse(crate::site::config::SITE_FILE, &text).ok())
    else {
        return SiteFacts::default();
    };
    let mut facts = SiteFacts::default();
    for column in site.columns.iter() {
        if let Some(workflow) = &column.workflow {
            facts
                .column_workflow
                .insert(column.path.clone(), workflow.clone());
        }
        if let Some(unit) = column.units.first() {
            facts
                .column_first_unit
                .insert(column.path.clone(), unit.clone());
        }
    }
    facts
}
