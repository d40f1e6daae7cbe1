//! `check` over article versions: the per-version rules (`crate::rules`)
//! run over the current version of every article and over its published
//! version when that differs, and what the rules across articles need from
//! each.

use std::collections::HashMap;

use crate::catalog::RuleId;
use crate::checks::a11y;
use crate::content::encoding::decode_text;
use crate::content::{self, ArticlePath, ArticleRef, ArticleType, CONTENT_DIR, WrittenDate};
use crate::error::{Result, line_of_key};
use crate::ledger::Ledger;
use crate::publish::{PublicationSet, State};
use crate::repo::Repo;
use crate::rules::{ContentRules, Finding, Purpose, VersionLabel, VersionView};

/// What the rules across articles need from each version checked.
#[derive(Debug, Clone)]
pub(crate) struct Summary {
    pub path: ArticlePath,
    pub label: VersionLabel,
    pub date: Option<WrittenDate>,
    pub date_line: Option<usize>,
    pub type_line: Option<usize>,
    pub kind: ArticleType,
    pub interprets: Option<String>,
    /// Hash and length of the body with all white space removed.
    pub body_print: Option<(u64, usize)>,
}

/// A body's fingerprint: the same words in the same order, however wrapped.
pub(crate) fn body_print(body: &str) -> (u64, usize) {
    use std::hash::{Hash, Hasher};
    let mut hasher = std::collections::hash_map::DefaultHasher::new();
    let mut length = 0;
    for c in body.chars().filter(|c| !c.is_whitespace()) {
        c.hash(&mut hasher);
        length += 1;
    }
    (hasher.finish(), length)
}

/// Run the per-version rules over the current version of every article and
/// over its approved version when that differs. Versions are read one at a
/// time, so a large site never sits in memory.
pub(crate) fn check_versions(
    repo: &Repo,
    ledger: &Ledger,
    set: &PublicationSet,
    rules: &ContentRules,
) -> Result<(Vec<Finding>, Vec<Summary>)> {
    let head_tree = repo.commit_tree(ledger.head)?;
    let entries = repo.list_tree(head_tree, CONTENT_DIR)?;
    let (current, _) = content::discover(&entries, |folder| set.site.columns.get(folder).is_some());
    let decisions: HashMap<&str, &crate::publish::ArticleDecision> = set
        .decisions
        .iter()
        .map(|d| (d.path.path.as_str(), d))
        .collect();

    let mut findings = Vec::new();
    let mut summaries = Vec::new();
    for article in &current {
        let decision = decisions.get(article.path.path.as_str());
        let approved = decision.and_then(|d| d.approved_oid.clone());
        let state = decision.map(|d| d.state).unwrap_or(State::Pending);
        let draft = approved.as_deref() != Some(article.oid.as_str());
        let label = VersionLabel {
            oid: article.oid.clone(),
            state: match (draft, state) {
                (false, state) => state.as_str(),
                (true, State::Withdrawn) => "withdrawn",
                (true, _) => "pending",
            }
            .to_string(),
            draft,
        };
        check_one(
            repo,
            set,
            rules,
            article,
            label,
            &mut findings,
            &mut summaries,
        )?;
        if let Some(approved) = approved.filter(|oid| *oid != article.oid) {
            let version = crate::publish::version_ref(repo, &article.path, &approved)?;
            let label = VersionLabel {
                oid: approved,
                state: match state {
                    State::Outdated => "published",
                    other => other.as_str(),
                }
                .to_string(),
                draft: false,
            };
            check_one(
                repo,
                set,
                rules,
                &version,
                label,
                &mut findings,
                &mut summaries,
            )?;
        }
    }
    Ok((findings, summaries))
}

fn check_one(
    repo: &Repo,
    set: &PublicationSet,
    rules: &ContentRules,
    version: &ArticleRef,
    label: VersionLabel,
    findings: &mut Vec<Finding>,
    summaries: &mut Vec<Summary>,
) -> Result<()> {
    let file = version.path.markdown_path();
    let say = &rules.say;
    let text = if version.markdown_oid.is_empty() {
        Err(say.pick(
            "捆绑稿件文件夹中没有 index.md",
            "is missing from its bundle folder",
        ))
    } else {
        decode_text(&repo.blob_hex(&version.markdown_oid)?)
    };
    let text = match text {
        Ok(text) => Some(text),
        Err(problem) => {
            findings.push(
                Finding::new(RuleId::FrontMatter, problem)
                    .in_file(&file)
                    .with_help(say.pick(
                        "以 UTF-8 编码保存，并以 --- 开头写前置信息",
                        "save it as UTF-8, starting with a `---` front matter block",
                    ))
                    .labelled(&label),
            );
            None
        }
    };
    // Assets are read here, only those some rule looks at.
    let without_assets = ArticleRef {
        assets: Vec::new(),
        ..version.clone()
    };
    let loaded = match text {
        Some(_) => {
            match crate::publish::load_article(
                repo,
                &set.site,
                &set.policy,
                &without_assets,
                set.now,
            ) {
                Ok(article) => Some(article),
                Err(problem) => {
                    let mut finding = Finding::new(RuleId::FrontMatter, problem.message)
                        .in_file(problem.file.unwrap_or_else(|| file.clone()))
                        .at(problem.line, None)
                        .labelled(&label);
                    if let Some(help) = problem.help {
                        finding = finding.with_help(help);
                    }
                    findings.push(finding);
                    None
                }
            }
        }
        None => None,
    };
    let mut assets = Vec::new();
    for (name, oid) in &version.assets {
        // Every asset: its text is read by content, whatever its name.
        assets.push((name.clone(), repo.blob_hex(oid)?));
    }
    let view = VersionView {
        path: &version.path,
        label: Some(&label),
        text: text.as_deref(),
        front: loaded.as_ref().map(|a| &*a.front),
        body: loaded
            .as_ref()
            .and_then(|a| Some((a.loaded_text()?.body.as_str(), a.body_line))),
        assets: &assets,
    };
    findings.extend(rules.findings(&view, Purpose::Check));
    // Accessibility of the body is reported, never blocking: a check-only rule.
    if rules.settings.severity(RuleId::A11y) != crate::catalog::Severity::Off
        && let Some((body, body_line)) = view.body
    {
        let a11y = a11y::check_body(&file, body, body_line, &rules.say);
        findings.extend(a11y.into_iter().map(|finding| {
            let mut finding = finding.labelled(&label);
            finding.article_column = Some(version.path.column().to_string());
            finding
        }));
    }
    summaries.push(Summary {
        path: version.path.clone(),
        label,
        date: loaded.as_ref().and_then(|a| a.front.date),
        date_line: text.as_deref().and_then(|t| line_of_key(t, "date")),
        type_line: text.as_deref().and_then(|t| line_of_key(t, "type")),
        kind: loaded.as_ref().map(|a| a.front.kind).unwrap_or_default(),
        interprets: loaded.as_ref().and_then(|a| a.front.interprets.clone()),
        body_print: loaded
            .as_ref()
            .and_then(|a| a.loaded_text())
            .map(|t| body_print(&t.body)),
    });
    Ok(())
}

/// The text of the approved site.toml, for the lines of column and identity findings.
pub(crate) fn approved_site_text(repo: &Repo, set: &PublicationSet) -> String {
    repo.blob_hex(&set.site_oid)
        .ok()
        .and_then(|bytes| decode_text(&bytes).ok())
        .unwrap_or_default()
}
