//! Review status of each article (SPEC §6 `status`): its state, the stages
//! done with approver, commit and time, the next stage and who may take it,
//! and every record that did not count with the reason why.

use std::collections::BTreeSet;

use serde::Serialize;

use crate::content::ArticleRef;
use crate::error::Result;
use crate::ledger::history::{self, PathKind, VersionFacts};
use crate::ledger::verdict::{Ignored, Returned, Voiding, Withdrawal};
use crate::ledger::{Ledger, signers, workflow};
use crate::manifest::{approval_time, format_time};
use crate::publish::{ArticleDecision, State};
use crate::repo::Repo;

#[derive(Debug, Serialize)]
pub struct StageStatus {
    pub id: String,
    pub name: String,
    pub role: String,
    pub threshold: usize,
    pub done: bool,
    /// Person ids whose approvals count.
    pub by: Vec<String>,
    /// The commit that completed the stage (or the latest approval).
    pub commit: Option<String>,
    pub time: Option<String>,
}

#[derive(Debug, Serialize)]
pub struct ArticleStatus {
    pub path: String,
    pub title: Option<String>,
    pub state: State,
    pub current_oid: String,
    pub published_oid: Option<String>,
    pub workflow: Option<String>,
    pub unit: Option<String>,
    pub stages: Vec<StageStatus>,
    pub next_stage: Option<String>,
    pub eligible: Vec<String>,
    /// Why the approved version is not online, when it is not.
    pub reasons: Vec<String>,
    pub ignored: Vec<Ignored>,
    pub returns: Vec<Returned>,
    pub withdrawn: Option<Withdrawal>,
    /// Approvals of the current version that counted and were voided since
    /// (a withdrawal, a removal, another version's completion).
    pub voided: Vec<VoidedApproval>,
}

/// An approval that no longer counts, and why.
#[derive(Debug, Serialize)]
pub struct VoidedApproval {
    pub stage: String,
    pub by: String,
    pub commit: String,
    pub why: crate::ledger::verdict::Voiding,
    /// The commit that voided it.
    pub voided_in: String,
}

/// Status of every article at the ledger's head (or only `paths`).
pub fn collect(
    repo: &Repo,
    ledger: &Ledger,
    decisions: &[ArticleDecision],
    paths: &[String],
) -> Result<Vec<ArticleStatus>> {
    let wanted: BTreeSet<String> = paths
        .iter()
        .map(|p| p.trim_start_matches("./").trim_end_matches('/').to_string())
        .collect();
    let mut statuses = Vec::new();
    for decision in decisions {
        let path = &decision.path.path;
        if !wanted.is_empty()
            && !wanted.contains(path)
            && !wanted.contains(&decision.path.markdown_path())
        {
            continue;
        }
        // The decisions were made over the same discovery of the head's tree.
        let article = ArticleRef {
            path: decision.path.clone(),
            oid: decision.current_oid.clone(),
            markdown_oid: String::new(),
            assets: Vec::new(),
        };
        statuses.push(article_status(
            repo,
            ledger,
            &article,
            decision.state,
            decision.approved_oid.clone(),
            &decision.reasons,
        )?);
    }
    Ok(statuses)
}

fn article_status(
    repo: &Repo,
    ledger: &Ledger,
    article: &ArticleRef,
    state: State,
    published_oid: Option<String>,
    reasons: &[crate::publish::Reason],
) -> Result<ArticleStatus> {
    let policy = &ledger.verdict.policy;
    let kind = if article.path.bundle {
        PathKind::ArticleBundle
    } else {
        PathKind::ArticleFile
    };
    let facts = match ledger.history.versions.get(&article.oid) {
        Some(known) => known.clone(),
        None => history::version_facts(repo, kind, &article.oid)?,
    };
    let review = match &facts {
        VersionFacts::Article(Ok(review)) => Some(review),
        _ => None,
    };
    let path = &article.path.path;
    let choice = workflow::choose(policy, kind, path, Some(&facts)).ok();
    let version = ledger.verdict.version(path, &article.oid);

    let mut stages = Vec::new();
    let mut next_stage = None;
    let mut eligible = Vec::new();
    if let Some(choice) = choice {
        let workflow = choice.workflow;
        let counting = version.map(|v| v.stages(workflow)).unwrap_or_default();
        for (index, stage) in workflow.stages.iter().enumerate() {
            let approvals = counting.get(index).cloned().unwrap_or_default();
            let by: Vec<String> = approvals
                .iter()
                .map(|a| a.person.clone())
                .collect::<BTreeSet<_>>()
                .into_iter()
                .collect();
            let done = by.len() >= stage.threshold;
            let last = approvals.iter().max_by_key(|a| a.at);
            stages.push(StageStatus {
                id: stage.id.clone(),
                name: stage.name.clone(),
                role: stage.role.clone(),
                threshold: stage.threshold,
                done,
                by: by.clone(),
                commit: last.map(|a| a.commit.clone()),
                time: last.map(|a| approval_time(ledger, a)),
            });
            if !done && next_stage.is_none() {
                next_stage = Some(stage.id.clone());
                let earlier: BTreeSet<&str> = version
                    .map(|v| v.counting().map(|a| a.person.as_str()).collect())
                    .unwrap_or_default();
                // Who made this version its path's content, by their keys.
                let makers: BTreeSet<&str> = ledger
                    .verdict
                    .introductions(path, &article.oid)
                    .filter_map(|at| signers::key_owner(policy, ledger.history.commit(at)))
                    .collect();
                let author = review.and_then(|f| f.author.as_deref());
                for member in policy.roles.get(&stage.role).into_iter().flatten() {
                    let Some(person) = policy.people.get(&member.person) else {
                        continue;
                    };
                    let barred_distinct =
                        policy.settings.distinct_approvers && earlier.contains(person.id.as_str());
                    let barred_author = !policy.settings.author_may_approve
                        && (author.is_some_and(|a| a == person.id || a == person.name)
                            || makers.contains(person.id.as_str()));
                    let has_key = person
                        .keys
                        .iter()
                        .any(|k| !ledger.verdict.revoked.contains(&k.fingerprint()));
                    if member.covers(true, choice.unit)
                        && !barred_distinct
                        && !barred_author
                        && has_key
                        && !by.contains(&person.id)
                    {
                        eligible.push(person.id.clone());
                    }
                }
                eligible.sort();
                eligible.dedup();
            }
        }
    }
    let ignored = ledger
        .verdict
        .ignored
        .iter()
        .filter(|i| i.path.as_deref() == Some(path.as_str()))
        .cloned()
        .collect();
    let returns = ledger
        .verdict
        .returns
        .iter()
        .filter(|r| r.path == *path)
        .cloned()
        .collect();
    Ok(ArticleStatus {
        path: path.clone(),
        title: review.and_then(|f| f.title.clone()),
        state,
        current_oid: article.oid.clone(),
        published_oid: match state {
            State::Published | State::Outdated => published_oid,
            _ => None,
        },
        workflow: choice.map(|c| c.workflow.id.clone()),
        unit: review.map(|f| f.unit.clone()),
        stages,
        next_stage,
        eligible,
        reasons: reasons.iter().map(|r| r.problem.message.clone()).collect(),
        ignored,
        returns,
        withdrawn: ledger.verdict.withdrawn.get(path).cloned(),
        voided: version
            .into_iter()
            .flat_map(|v| &v.approvals)
            .filter_map(|a| {
                let voided = a.voided.as_ref()?;
                Some(VoidedApproval {
                    stage: a.stage.clone(),
                    by: a.person.clone(),
                    commit: a.commit.clone(),
                    why: voided.why,
                    voided_in: voided.commit.clone(),
                })
            })
            .collect(),
    })
}

/// Text for people, in the site's language.
pub fn render_text(statuses: &[ArticleStatus], ledger: &Ledger, chinese: bool) -> String {
    let policy = &ledger.verdict.policy;
    let name = |id: &str| {
        policy
            .people
            .get(id)
            .map(|p| format!("{} ({id})", p.name))
            .unwrap_or_else(|| id.to_string())
    };
    let mut out = String::new();
    for status in statuses {
        let state = if chinese {
            status.state.label(crate::i18n::Language::Chinese)
        } else {
            status.state.as_str()
        };
        out.push_str(&format!(
            "{}  [{}]  {}\n",
            status.path,
            state,
            status.title.as_deref().unwrap_or("")
        ));
        if let Some(workflow) = &status.workflow {
            out.push_str(&format!(
                "  {} {workflow}\n",
                if chinese { "流程" } else { "workflow" }
            ));
        }
        for stage in &status.stages {
            let mark = if stage.done { "✔" } else { "·" };
            let who = stage
                .by
                .iter()
                .map(|p| name(p))
                .collect::<Vec<_>>()
                .join(", ");
            let when = match (&stage.commit, &stage.time) {
                (Some(commit), Some(time)) => {
                    format!("  {} {time}", &commit[..10.min(commit.len())])
                }
                _ => String::new(),
            };
            let line = format!("  {mark} {} {}  {who}{when}", stage.id, stage.name);
            out.push_str(line.trim_end());
            out.push('\n');
        }
        if let Some(next) = &status.next_stage {
            let who = status
                .eligible
                .iter()
                .map(|p| name(p))
                .collect::<Vec<_>>()
                .join(", ");
            out.push_str(&format!(
                "  {} {next}: {}\n",
                if chinese { "下一环节" } else { "next" },
                if who.is_empty() {
                    if chinese {
                        "无人可审".to_string()
                    } else {
                        "nobody may take it".to_string()
                    }
                } else {
                    who
                }
            ));
        }
        for reason in &status.reasons {
            out.push_str(&format!("  ! {reason}\n"));
        }
        if let Some(w) = &status.withdrawn {
            out.push_str(&format!(
                "  {} {} {}: {}\n",
                if chinese { "已撤稿" } else { "withdrawn by" },
                name(&w.person),
                format_time(w.time, 0),
                w.reason.as_deref().unwrap_or("")
            ));
        }
        for r in &status.returns {
            let earlier = r
                .oid
                .as_deref()
                .is_some_and(|oid| oid != status.current_oid);
            let which = match (earlier, chinese) {
                (false, _) => "",
                (true, true) => "（旧版本）",
                (true, false) => " (an earlier version)",
            };
            out.push_str(&format!(
                "  {}{which} {} ({}): {}\n",
                if chinese {
                    "退回修改"
                } else {
                    "returned at"
                },
                r.stage,
                r.person.as_deref().map(name).unwrap_or_else(|| "?".into()),
                r.reason.as_deref().unwrap_or("")
            ));
        }
        for voided in &status.voided {
            let why = match (voided.why, chinese) {
                (Voiding::Withdrawn, true) => "撤稿",
                (Voiding::Removed, true) => "文件被删除",
                (Voiding::Superseded, true) => "另一版本完成审核",
                (Voiding::Withdrawn, false) => "a withdrawal",
                (Voiding::Removed, false) => "the file's removal",
                (Voiding::Superseded, false) => "another version's completed review",
            };
            out.push_str(&format!(
                "  {} {} {} ({}): {} {}\n",
                if chinese { "已作废" } else { "voided" },
                voided.stage,
                name(&voided.by),
                &voided.commit[..10.min(voided.commit.len())],
                why,
                &voided.voided_in[..10.min(voided.voided_in.len())]
            ));
        }
        for ignored in &status.ignored {
            out.push_str(&format!(
                "  {} {} {}: {}\n",
                if chinese { "未计入" } else { "not counted" },
                &ignored.commit[..10.min(ignored.commit.len())],
                ignored.stage.as_deref().unwrap_or(&ignored.record),
                ignored.detail
            ));
        }
    }
    out
}
