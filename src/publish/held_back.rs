//! Approved versions that do not go online (SPEC §5 "held back"), and what
//! their people should do about it.
//!
//! One item never stops the others: an approved version that is invalid or
//! fails a blocking rule stays offline while the rest of the site is
//! written, and `build` exits 1 naming it. The message says what happens
//! next in the site's language: a correction already in review and the
//! stage it waits for, or how to correct or withdraw.

use serde::{Deserialize, Serialize};

use crate::catalog::RuleId;
use crate::error::Diagnostic;
use crate::i18n::Say;
use crate::ledger::Ledger;
use crate::ledger::history::{PathKind, VersionFacts};
use crate::ledger::policy::SITE_WORKFLOW;
use crate::ledger::workflow;

/// Why a version is not online.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Reason {
    /// The rule holding it back; `None` for a schedule (`publish_at`,
    /// `expires`), which holds nothing back.
    pub rule: Option<RuleId>,
    pub problem: Diagnostic,
}

impl Reason {
    pub fn rule(rule: RuleId, problem: Diagnostic) -> Reason {
        Reason {
            rule: Some(rule),
            problem,
        }
    }

    pub fn schedule(problem: Diagnostic) -> Reason {
        Reason {
            rule: None,
            problem,
        }
    }
}

/// The rule id of a site.toml or theme version that cannot be used.
pub const INVALID_SITE_RULE: &str = "site-config";

/// An approved version held back.
#[derive(Debug, Clone, Serialize)]
pub struct HeldBack {
    /// The repository path: an article, `site.toml` or `themes/<name>`.
    pub path: String,
    /// The approved version's object id.
    pub oid: String,
    /// The rule id (`backdated`, `front-matter`, `site-config` …).
    pub rule: String,
    /// What is wrong, located in the file.
    pub problem: Diagnostic,
    /// What happens next and what to do, in the site's language.
    pub advice: String,
}

impl HeldBack {
    /// The lines `build` prints for it.
    pub fn describe(&self, say: &Say) -> String {
        let headline = say.pick(
            format!(
                "{}（已审核版本 {}，规则 {}）未发布：",
                self.path,
                short(&self.oid),
                self.rule
            ),
            format!(
                "{} (approved version {}, rule {}) is held back:",
                self.path,
                short(&self.oid),
                self.rule
            ),
        );
        let mut text = format!(
            "{headline}\n  {}",
            self.problem.to_string().replace('\n', "\n  ")
        );
        text.push_str(&format!(
            "\n  {}{}",
            say.pick("下一步：", "next: "),
            self.advice
        ));
        text
    }
}

pub fn short(oid: &str) -> &str {
    &oid[..oid.len().min(10)]
}

/// An approved article version held back, with its reasons' first rule.
pub(crate) fn article(
    ledger: &Ledger,
    say: &Say,
    path: &crate::content::ArticlePath,
    approved_oid: &str,
    current_oid: &str,
    reasons: &[Reason],
) -> Vec<HeldBack> {
    let advice = article_advice(ledger, say, path, approved_oid, current_oid);
    reasons
        .iter()
        .filter_map(|reason| {
            Some(HeldBack {
                path: path.path.clone(),
                oid: approved_oid.to_string(),
                rule: reason.rule?.as_str().to_string(),
                problem: reason.problem.clone(),
                advice: advice.clone(),
            })
        })
        .collect()
}

/// "Its correction is waiting for stage …", or how to correct or withdraw.
fn article_advice(
    ledger: &Ledger,
    say: &Say,
    path: &crate::content::ArticlePath,
    approved_oid: &str,
    current_oid: &str,
) -> String {
    let markdown = path.markdown_path();
    let withdraw = say.pick(
        format!("如需立即撤下已发布的旧内容，由管理员执行 `sanshen withdraw {markdown} --reason …`"),
        format!("to take it down meanwhile, an administrator runs `sanshen withdraw {markdown} --reason …`"),
    );
    if current_oid == approved_oid {
        return say.pick(
            format!("改正后提交新版本并重新送审，审核完成后发布。{withdraw}"),
            format!("correct it, commit, and have the correction reviewed; it goes online when its review completes. {withdraw}"),
        );
    }
    let correction = short(current_oid);
    if let Some(VersionFacts::Article(Err(problem))) = ledger.history.versions.get(current_oid) {
        return say.pick(
            format!(
                "修改后的版本 {correction} 还不能送审：{}。请先改正。",
                problem.message
            ),
            format!(
                "its correction {correction} cannot be reviewed yet: {}. Fix it first.",
                problem.message
            ),
        );
    }
    match next_stage(ledger, &path.path, current_oid) {
        Some((id, name)) => say.pick(
            format!("修改后的版本 {correction} 正在等待“{name}”（{id}）审核，审核完成后即发布。"),
            format!("its correction {correction} is waiting for stage {id} ({name}); it goes online when its review completes."),
        ),
        None => say.pick(
            format!("修改后的版本 {correction} 已在仓库中，待审核完成后发布。"),
            format!("its correction {correction} is in the repository; it goes online when its review completes."),
        ),
    }
}

/// The first stage of `oid`'s workflow not yet reached: (id, name).
fn next_stage(ledger: &Ledger, path: &str, oid: &str) -> Option<(String, String)> {
    let policy = &ledger.verdict.policy;
    let version = ledger.verdict.version(path, oid);
    let workflow = match version.and_then(|v| v.workflow.as_deref()) {
        Some(name) => policy.workflows.get(name)?,
        None => {
            let kind = if path.ends_with(".md") {
                PathKind::ArticleFile
            } else {
                PathKind::ArticleBundle
            };
            workflow::choose(policy, kind, path, ledger.history.versions.get(oid))
                .ok()?
                .workflow
        }
    };
    let done: Vec<usize> = match version {
        Some(version) => version
            .stages(workflow)
            .iter()
            .map(|approvals| {
                approvals
                    .iter()
                    .map(|a| a.person.as_str())
                    .collect::<std::collections::BTreeSet<_>>()
                    .len()
            })
            .collect(),
        None => Vec::new(),
    };
    workflow
        .stages
        .iter()
        .enumerate()
        .find(|(i, stage)| done.get(*i).copied().unwrap_or(0) < stage.threshold)
        .map(|(_, stage)| (stage.id.clone(), stage.name.clone()))
}

/// A site.toml (or theme) version held back: the previous valid one is in use.
pub(crate) fn site_version(
    say: &Say,
    path: &str,
    oid: &str,
    in_use: Option<&str>,
    problem: Diagnostic,
) -> HeldBack {
    let kept = match in_use {
        Some(kept) => say.pick(
            format!("仍在使用之前审核通过的有效版本 {}。", short(kept)),
            format!(
                "the previous valid approved version {} stays in use.",
                short(kept)
            ),
        ),
        None => String::new(),
    };
    HeldBack {
        path: path.to_string(),
        oid: oid.to_string(),
        rule: INVALID_SITE_RULE.to_string(),
        problem,
        advice: say.pick(
            format!("{kept}改正 {path} 后提交，并经 {SITE_WORKFLOW} 流程审核。"),
            format!("{kept} Correct {path}, commit, and have it approved through the `{SITE_WORKFLOW}` workflow."),
        )
        .trim()
        .to_string(),
    }
}
