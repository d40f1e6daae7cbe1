//! Which workflow a version goes through (SPEC §5 rule 6): `site` for
//! site.toml and themes, `policy` for `approvals/`, and for an article the
//! first rule of the policy that matches *that version's own* front matter
//! and path. site.toml never takes part, so the maintainer who approves it
//! cannot weaken anyone's review.

use crate::content::ReviewFacts;
use crate::ledger::history::{PathKind, VersionFacts};
use crate::ledger::policy::{POLICY_WORKFLOW, Policy, SITE_WORKFLOW, Workflow};

/// A version's workflow under one policy, and the unit that scopes who may
/// approve it (articles only).
#[derive(Debug, Clone, Copy)]
pub struct Choice<'a> {
    pub workflow: &'a Workflow,
    pub unit: Option<&'a str>,
}

/// Why a version has no workflow under a policy.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum NoWorkflow {
    /// Its front matter cannot be read (the reason).
    Unreadable(String),
    /// Its `unit` is not a unit of the policy.
    UnknownUnit(String),
    /// No rule matches (a policy without a catch-all rule).
    NoRule,
}

/// Choose the workflow of the version of `path` (of `kind`) whose facts are
/// `facts` under `policy`.
pub fn choose<'a>(
    policy: &'a Policy,
    kind: PathKind,
    path: &str,
    facts: Option<&'a VersionFacts>,
) -> Result<Choice<'a>, NoWorkflow> {
    let fixed = |id: &str| {
        policy
            .workflows
            .get(id)
            .map(|workflow| Choice {
                workflow,
                unit: None,
            })
            .ok_or(NoWorkflow::NoRule)
    };
    match kind {
        PathKind::SiteFile | PathKind::Theme => fixed(SITE_WORKFLOW),
        PathKind::Policy => fixed(POLICY_WORKFLOW),
        PathKind::ArticleFile | PathKind::ArticleBundle => {
            let facts = match facts {
                Some(VersionFacts::Article(Ok(facts))) => facts,
                Some(VersionFacts::Article(Err(problem))) => {
                    let line = problem
                        .line
                        .map(|l| format!("line {l}: "))
                        .unwrap_or_default();
                    return Err(NoWorkflow::Unreadable(format!("{line}{}", problem.message)));
                }
                _ => {
                    return Err(NoWorkflow::Unreadable(
                        "its front matter was not read".into(),
                    ));
                }
            };
            article_choice(policy, path, facts)
        }
    }
}

fn article_choice<'a>(
    policy: &'a Policy,
    path: &str,
    facts: &'a ReviewFacts,
) -> Result<Choice<'a>, NoWorkflow> {
    let Some((unit, _)) = policy.units.get_key_value(&facts.unit) else {
        return Err(NoWorkflow::UnknownUnit(facts.unit.clone()));
    };
    let column = article_column(path);
    let rule = policy.rules.iter().find(|rule| {
        let m = &rule.matches;
        m.kind.is_none_or(|k| k == facts.kind)
            && m.importance.is_none_or(|i| i == facts.importance)
            && m.unit.as_ref().is_none_or(|u| u == unit)
            && m.column.as_ref().is_none_or(|g| glob_match(g, column))
    });
    rule.and_then(|rule| policy.workflows.get(&rule.workflow))
        .map(|workflow| Choice {
            workflow,
            unit: Some(unit.as_str()),
        })
        .ok_or(NoWorkflow::NoRule)
}

impl NoWorkflow {
    /// What is wrong, for the record's refusal.
    pub fn explain(&self, path: &str, oid: &str) -> String {
        match self {
            NoWorkflow::Unreadable(why) => format!(
                "{path} at {oid}: the front matter cannot be read ({why}), so no workflow applies; this version can never be published — correct it and approve the corrected version"
            ),
            NoWorkflow::UnknownUnit(unit) => format!(
                "{path} at {oid}: `unit: {unit}` is not a unit of the policy, so no workflow applies"
            ),
            NoWorkflow::NoRule => format!(
                "{path} at {oid}: no rule of the policy chooses a workflow for it (add a last rule without `match`)"
            ),
        }
    }
}

/// `news/notices` for `content/news/notices/a.md` or the bundle `content/news/notices/b`.
pub fn article_column(path: &str) -> &str {
    let inner = path.strip_prefix("content/").unwrap_or(path);
    inner
        .rsplit_once('/')
        .map(|(column, _)| column)
        .unwrap_or("")
}

/// Glob on column paths: `*` matches within one segment; `**` as a whole
/// segment matches zero or more segments, so `notices/**` covers `notices`
/// and everything under it.
pub fn glob_match(pattern: &str, text: &str) -> bool {
    fn segments(p: &[&str], t: &[&str]) -> bool {
        match p.split_first() {
            None => t.is_empty(),
            Some((&"**", rest)) => (0..=t.len()).any(|skip| segments(rest, &t[skip..])),
            Some((first, rest)) => {
                t.first()
                    .is_some_and(|segment| within(first.as_bytes(), segment.as_bytes()))
                    && segments(rest, &t[1..])
            }
        }
    }
    fn within(p: &[u8], t: &[u8]) -> bool {
        match p.split_first() {
            None => t.is_empty(),
            Some((b'*', rest)) => (0..=t.len()).any(|i| within(rest, &t[i..])),
            Some((c, rest)) => t.first() == Some(c) && within(rest, &t[1..]),
        }
    }
    let pattern: Vec<&str> = pattern.split('/').collect();
    let text: Vec<&str> = if text.is_empty() {
        Vec::new()
    } else {
        text.split('/').collect()
    };
    segments(&pattern, &text)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn globs() {
        assert!(glob_match("news/*", "news/hq"));
        assert!(!glob_match("news/*", "news/hq/x"));
        assert!(glob_match("news/**", "news/hq/x"));
        assert!(glob_match("news/**", "news"));
        assert!(glob_match("news", "news"));
        assert!(!glob_match("news", "newsy"));
        assert!(!glob_match("news/**", "newsy"));
        assert!(glob_match("*", "kepu"));
        assert!(!glob_match("*", "kepu/video"));
        assert!(glob_match("**/video", "kepu/video"));
        assert!(glob_match("**", "kepu/video"));
        assert!(glob_match("k*u/**", "kepu/video"));
    }
}
