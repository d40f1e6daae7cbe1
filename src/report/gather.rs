//! From the evaluated ledger to the plain [`Facts`] a report counts.
//!
//! Only what the §5 fold counted becomes a fact: approvals of
//! [`VersionState`]s (those that count now and those voided since — a
//! superseded or withdrawn version was still reviewed and published),
//! returns by a verified signer holding the stage's role for the article's
//! unit, and withdrawals that took effect. Records
//! the ledger ignored (unsigned, forged, wrong role …) never appear here.
//!
//! Times are committer times, the only clock history has. The signer writes
//! them, so they never decide validity (SPEC §5); they are good enough to
//! count what happened in a quarter, and a report says it uses them.

use std::collections::{BTreeMap, BTreeSet, HashMap};

use chrono::{DateTime, NaiveDate};

use crate::content::ArticlePath;
use crate::content::encoding::decode_text;
use crate::content::frontmatter::{self, FrontMatter};
use crate::error::Result;
use crate::ledger::Ledger;
use crate::ledger::graph::CommitIx;
use crate::ledger::history::{History, PathKind, VersionFacts};
use crate::ledger::policy::{Policy, Workflow};
use crate::ledger::verdict::{VersionState, Voiding};
use crate::ledger::workflow;
use crate::publish::{ArticleDecision, PublicationSet, State, version_ref};
use crate::repo::Repo;
use crate::rules::timeliness::days_late;
use crate::site::SiteConfig;

use super::{Facts, InReview, Item, Publication, Return, StageApproval, StagePass, Withdrawal};

/// Read every fact the report counts from the ledger at its head.
pub fn gather(repo: &Repo, ledger: &Ledger, set: &PublicationSet) -> Result<Facts> {
    let mut reader = VersionReader {
        repo,
        history: &ledger.history,
        policy: &ledger.verdict.policy,
        site: &set.site,
        introduced: introductions(ledger),
        read: HashMap::new(),
    };
    let policy = &ledger.verdict.policy;
    let time_of = |at: CommitIx| ledger.history.commits.get(at.index()).map(|c| c.time);
    let decisions: HashMap<&str, &ArticleDecision> = set
        .decisions
        .iter()
        .map(|d| (d.path.path.as_str(), d))
        .collect();
    let current_oid = |path: &str| decisions.get(path).map(|d| d.current_oid.as_str());
    let mut facts = Facts::default();

    // Sorted, so that equal inputs give the facts in the same order.
    let mut versions: Vec<&VersionState> = ledger
        .verdict
        .all_versions()
        .filter(|v| v.kind.is_article())
        .collect();
    versions.sort_by(|a, b| (&a.path, &a.oid).cmp(&(&b.path, &b.oid)));

    // The first version of each path to complete its workflow: (time, oid).
    let mut first_completed: BTreeMap<&str, (i64, &str)> = BTreeMap::new();
    for version in &versions {
        let Some(workflow) = version
            .workflow
            .as_ref()
            .and_then(|w| policy.workflows.get(w))
        else {
            continue;
        };
        let item = reader.info(&version.path, &version.oid)?.item.clone();
        let introduced_at = reader
            .introduced_index(&version.path, &version.oid)
            .and_then(time_of);
        let reached = version.stages_reached(workflow);
        // When the version became ready for each stage: introduced, then each pass.
        let ready: Vec<Option<i64>> = std::iter::once(introduced_at)
            .chain(reached.iter().copied())
            .take(workflow.stages.len())
            .collect();
        for ((stage, reached), ready_at) in workflow.stages.iter().zip(&reached).zip(&ready) {
            if let Some(done_at) = *reached {
                facts.passes.push(StagePass {
                    item: item.clone(),
                    stage: stage.id.clone(),
                    ready_at: *ready_at,
                    done_at,
                });
            }
        }
        // Every approval that counted when made, voided since or not: a
        // superseded or withdrawn version was still reviewed.
        let approvals = version
            .approvals
            .iter()
            .filter_map(|a| workflow.stage_index(&a.stage).map(|position| (position, a)));
        for (position, approval) in approvals {
            facts.approvals.push(StageApproval {
                item: item.clone(),
                stage: workflow.stages[position].id.clone(),
                person: approval.person.clone(),
                at: approval.time,
                waited: ready
                    .get(position)
                    .copied()
                    .flatten()
                    .map(|ready| approval.time - ready),
            });
        }
        if let Some(first) = version.first_completion() {
            let entry = first_completed
                .entry(&version.path)
                .or_insert((first.time, &version.oid));
            if (first.time, version.oid.as_str()) < *entry {
                *entry = (first.time, &version.oid);
            }
        }
    }

    for (path, (completed_at, oid)) in &first_completed {
        let completed_at = *completed_at;
        let drafted_at = reader.introduced_index(path, oid).and_then(time_of);
        let info = reader.info(path, oid)?;
        let published_at = info
            .front
            .as_ref()
            .and_then(|f| f.publish_at.as_ref())
            .map_or(completed_at, |at| completed_at.max(at.at.timestamp()));
        // Approved but never online: held back by a blocking check at the
        // revision (classified, personal data …), or scheduled after the clock.
        let held_back = decisions
            .get(path)
            .is_some_and(|d| d.state == State::Blocked && d.approved_oid.as_deref() == Some(*oid));
        if held_back || published_at > set.now.timestamp() {
            continue;
        }
        let days_late = info.days_late(published_at, set);
        facts.publications.push(Publication {
            item: info.item.clone(),
            drafted_at,
            published_at,
            days_late,
        });
    }

    for returned in &ledger.verdict.returns {
        let Some(person) = &returned.person else {
            continue;
        };
        let oid = returned
            .oid
            .as_deref()
            .or_else(|| current_oid(&returned.path));
        let Some(oid) = oid else {
            continue;
        };
        // Like an approval, a return counts only from someone who holds the
        // stage's role for the article's unit: nobody can send back another
        // unit's articles to raise its count.
        let workflow = workflow_of(&mut reader, ledger, &returned.path, oid)?;
        let item = reader.info(&returned.path, oid)?.item.clone();
        let entitled = workflow
            .and_then(|w| w.stages.iter().find(|s| s.id == returned.stage))
            .and_then(|stage| policy.membership(&stage.role, person))
            .is_some_and(|member| member.covers(true, item.unit.as_deref()));
        if !entitled {
            continue;
        }
        facts.returns.push(Return {
            item,
            stage: returned.stage.clone(),
            person: person.clone(),
            at: returned.time,
        });
    }

    let commit_times: HashMap<&str, i64> = ledger
        .history
        .commits
        .iter()
        .map(|c| (c.id.as_str(), c.time))
        .collect();
    for (path, commit) in withdrawals(ledger, &versions) {
        let at = commit_times.get(commit.as_str()).copied();
        let oid = first_completed
            .get(path.as_str())
            .map(|(_, oid)| *oid)
            .or_else(|| current_oid(&path));
        let (Some(at), Some(oid)) = (at, oid) else {
            continue;
        };
        facts.withdrawals.push(Withdrawal {
            item: reader.info(&path, oid)?.item.clone(),
            at,
        });
    }

    for decision in &set.decisions {
        if !matches!(decision.state, State::Pending | State::Outdated) {
            continue;
        }
        let path = &decision.path.path;
        let oid = &decision.current_oid;
        let stage = waiting_stage(&mut reader, ledger, path, oid)?;
        facts.in_review.push(InReview {
            item: reader.info(path, oid)?.item.clone(),
            stage,
        });
    }
    Ok(facts)
}

/// Every withdrawal that took effect, as (path, commit): the one still in
/// force, and those whose voiding of approvals the versions remember.
fn withdrawals(ledger: &Ledger, versions: &[&VersionState]) -> BTreeSet<(String, String)> {
    let mut found: BTreeSet<(String, String)> = versions
        .iter()
        .flat_map(|v| {
            v.approvals
                .iter()
                .filter_map(|a| a.voided.as_ref())
                .filter(|voided| voided.why == Voiding::Withdrawn)
                .map(|voided| (v.path.clone(), voided.commit.clone()))
        })
        .collect();
    found.extend(
        ledger
            .verdict
            .withdrawn
            .values()
            .map(|w| (w.path.clone(), w.commit.clone())),
    );
    found
}

/// The workflow of an article version under the policy in force at the
/// head: the one its approvals went through, else the one the rules choose.
fn workflow_of<'a>(
    reader: &mut VersionReader<'_>,
    ledger: &'a Ledger,
    path: &str,
    oid: &str,
) -> Result<Option<&'a Workflow>> {
    let policy = &ledger.verdict.policy;
    let workflow_id = match ledger
        .verdict
        .version(path, oid)
        .and_then(|s| s.workflow.clone())
    {
        Some(id) => Some(id),
        None => {
            let kind = PathKind::of_path(path).unwrap_or(PathKind::ArticleFile);
            let facts = VersionFacts::Article(reader.info(path, oid)?.review.clone());
            workflow::choose(policy, kind, path, Some(&facts))
                .ok()
                .map(|choice| choice.workflow.id.clone())
        }
    };
    Ok(workflow_id.and_then(|id| policy.workflows.get(&id)))
}

/// The stage the current version of an article in review waits at.
fn waiting_stage(
    reader: &mut VersionReader<'_>,
    ledger: &Ledger,
    path: &str,
    oid: &str,
) -> Result<Option<String>> {
    let Some(workflow) = workflow_of(reader, ledger, path, oid)? else {
        return Ok(None);
    };
    let reached = ledger
        .verdict
        .version(path, oid)
        .map(|s| s.stages_reached(workflow))
        .unwrap_or_default();
    Ok(workflow
        .stages
        .iter()
        .enumerate()
        .find(|(position, _)| reached.get(*position).copied().flatten().is_none())
        .map(|(_, stage)| stage.id.clone()))
}

/// For each (path, object id) of an article, the earliest commit (by
/// committer time) that made that version the path's content: when it was
/// drafted.
fn introductions(ledger: &Ledger) -> HashMap<(String, String), CommitIx> {
    let mut introduced: HashMap<(String, String), CommitIx> = HashMap::new();
    let time = |at: CommitIx| ledger.history.commit(at).time;
    for (path, versions) in &ledger.verdict.introduced {
        for (oid, at) in versions {
            introduced
                .entry((path.clone(), oid.clone()))
                .and_modify(|known| {
                    if (time(*at), *at) < (time(*known), *known) {
                        *known = *at;
                    }
                })
                .or_insert(*at);
        }
    }
    introduced
}

/// What a report needs from one article version.
struct VersionInfo {
    item: Item,
    /// The validated front matter, when the version has one.
    front: Option<FrontMatter>,
    /// What chooses its workflow, or why its front matter is unreadable.
    review: std::result::Result<crate::content::ReviewFacts, crate::error::Diagnostic>,
}

impl VersionInfo {
    /// The `late` rule of `check`, applied to the day the article went online.
    fn days_late(&self, published_at: i64, set: &PublicationSet) -> Option<i64> {
        let front = self.front.as_ref()?;
        let event = front.event_date.as_ref()?;
        let column = set.site.columns.get(&self.item.column)?;
        let tz = set.site.timezone;
        let online = DateTime::from_timestamp(published_at, 0)?
            .with_timezone(&tz)
            .date_naive();
        // A written date later than going online is when readers saw it.
        let shown: Option<NaiveDate> = front.date.map(|d| d.at.with_timezone(&tz).date_naive());
        days_late(
            event,
            column.max_delay,
            shown.map_or(online, |s| online.max(s)),
            tz,
        )
    }
}

/// Reads article versions once each.
struct VersionReader<'a> {
    repo: &'a Repo,
    history: &'a History,
    policy: &'a Policy,
    site: &'a SiteConfig,
    introduced: HashMap<(String, String), CommitIx>,
    read: HashMap<(String, String), VersionInfo>,
}

impl VersionReader<'_> {
    fn introduced_index(&self, path: &str, oid: &str) -> Option<CommitIx> {
        self.introduced
            .get(&(path.to_string(), oid.to_string()))
            .copied()
    }

    fn info(&mut self, path: &str, oid: &str) -> Result<&VersionInfo> {
        let key = (path.to_string(), oid.to_string());
        if !self.read.contains_key(&key) {
            let info = self.load(path, oid)?;
            self.read.insert(key.clone(), info);
        }
        // Present: inserted just above when missing.
        Ok(&self.read[&key])
    }

    fn load(&self, path: &str, oid: &str) -> Result<VersionInfo> {
        let article = ArticlePath {
            path: path.to_string(),
            bundle: PathKind::of_path(path) == Some(PathKind::ArticleBundle),
        };
        let reference = version_ref(self.repo, &article, oid)?;
        let bytes = if reference.markdown_oid.is_empty() {
            None
        } else {
            Some(self.repo.blob_hex(&reference.markdown_oid)?)
        };
        let file = article.markdown_path();
        let review = match bytes.as_deref() {
            Some(bytes) => frontmatter::review_facts(&file, bytes),
            None => Err(crate::error::Diagnostic::in_file(&file, "is missing")),
        };
        let front = bytes.as_deref().and_then(|bytes| {
            let text = decode_text(bytes).ok()?;
            let parts = frontmatter::split(&text).ok()?;
            frontmatter::parse(&file, &parts, self.site.timezone).ok()
        });
        let column = article.column().to_string();
        let unit = review.as_ref().ok().map(|f| f.unit.clone());
        let written_author = review.as_ref().ok().and_then(|f| f.author.clone());
        let drafter = self.drafter(path, oid, written_author.as_deref());
        Ok(VersionInfo {
            item: Item {
                path: path.to_string(),
                title: review.as_ref().ok().and_then(|f| f.title.clone()),
                unit,
                column,
                drafter,
            },
            front,
            review,
        })
    }

    /// Who drafted a version: its front matter `author` (part of what the
    /// reviewers approved), as a person id when it names one; else the author
    /// of the commit that introduced it, as a person id when the address is
    /// one of theirs. Drafting credit decides nothing, so an unsigned
    /// commit's author is taken as written.
    fn drafter(&self, path: &str, oid: &str, written: Option<&str>) -> Option<String> {
        if let Some(written) = written.map(str::trim).filter(|w| !w.is_empty()) {
            let person = self
                .policy
                .people
                .values()
                .find(|p| p.id == written || p.name == written);
            return Some(person.map_or_else(|| written.to_string(), |p| p.id.clone()));
        }
        let commit = self
            .introduced_index(path, oid)
            .and_then(|at| self.history.commits.get(at.index()))?;
        let person = self
            .policy
            .people
            .values()
            .find(|p| p.has_email(&commit.author_email));
        match person {
            Some(person) => Some(person.id.clone()),
            None => Some(commit.author_name.clone()).filter(|n| !n.trim().is_empty()),
        }
    }
}
