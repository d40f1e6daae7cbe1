//! Truthfulness across articles: the same text published again under a
//! newer date (`redated`, 旧稿重发) and policies nobody explains
//! (`missing-interpretation`). The rules over one version's dates
//! (`backdated`, `late`) are per-version rules: `crate::rules::timeliness`.
//!
//! **Redated** (旧稿重发). The same body published again under a newer date:
//! at another path, or at the same path after an earlier approved version
//! carried the older date. Bodies are compared without white space and only
//! when long enough to be an article, not a one-line "详见附件".

use std::collections::{BTreeMap, BTreeSet};

use chrono::NaiveDate;

use crate::catalog::{RuleId, Severity};
use crate::checks::versions::{Summary, body_print};
use crate::content::encoding::decode_text;
use crate::content::frontmatter::{self, WrittenDate};
use crate::content::{ArticlePath, ArticleType};
use crate::i18n::Say;
use crate::repo::Repo;
use crate::rules::timeliness::day_of_date;
use crate::rules::{ContentRules, Finding};

/// Bodies shorter than this (characters without white space) are too short to call a republication.
const MIN_REDATED_BODY: usize = 80;

/// `redated` and `missing-interpretation`: rules that compare articles.
pub(crate) fn check_across(
    rules: &ContentRules,
    repo: &Repo,
    summaries: &[Summary],
) -> Vec<Finding> {
    let say = &rules.say;
    let mut findings = Vec::new();
    if rules.settings.severity(RuleId::Redated) != Severity::Off {
        findings.extend(redated_across_paths(rules, summaries));
        findings.extend(redated_in_place(rules, repo, summaries));
    }
    if rules.settings.severity(RuleId::MissingInterpretation) != Severity::Off {
        let mut published_targets = BTreeSet::new();
        let mut any_targets = BTreeSet::new();
        for summary in summaries
            .iter()
            .filter(|s| s.kind == ArticleType::Interpretation)
        {
            if let Some(target) = &summary.interprets {
                let target = crate::content::referenced_article(target);
                if !summary.label.draft {
                    published_targets.insert(target.clone());
                }
                any_targets.insert(target);
            }
        }
        for policy in summaries.iter().filter(|s| s.kind == ArticleType::Policy) {
            let targets = if policy.label.draft {
                &any_targets
            } else {
                &published_targets
            };
            let names = [policy.path.path.clone(), policy.path.markdown_path()];
            if names.iter().any(|name| targets.contains(name)) {
                continue;
            }
            findings.push(
                Finding::new(
                    RuleId::MissingInterpretation,
                    say.pick(
                        "政策文件没有已发布的解读（应同步发布解读材料）",
                        "is a policy (`type: policy`) that no published interpretation explains",
                    ),
                )
                .in_file(policy.path.markdown_path())
                .at(policy.type_line, None)
                .with_help(say.pick(
                    format!(
                        "发布一篇 `type: interpretation` 的解读，并写 `interprets: {}`",
                        policy.path.path
                    ),
                    format!(
                        "publish a `type: interpretation` article with `interprets: {}`",
                        policy.path.path
                    ),
                ))
                .labelled(&policy.label),
            );
        }
    }
    findings
}

fn redated_finding(
    say: &Say,
    summary: &Summary,
    original: &str,
    original_day: NaiveDate,
    day: NaiveDate,
) -> Finding {
    Finding::new(
        RuleId::Redated,
        say.pick(
            format!("正文与 {original}（{original_day}）相同，却以新日期 {day} 发布（旧稿重发）"),
            format!("has the same text as {original} ({original_day}) but is dated {day}: an old article published again as new"),
        ),
    )
    .in_file(summary.path.markdown_path())
    .at(summary.date_line, None)
    .with_help(say.pick(
        "旧稿保留原发布日期，不要重新发布；确有新进展的，修改正文写明更新内容",
        "keep the old article with its original date instead of publishing it again; if there is news, write what changed",
    ))
    .labelled(&summary.label)
}

/// The same body at two paths, the later one under a newer date.
fn redated_across_paths(rules: &ContentRules, summaries: &[Summary]) -> Vec<Finding> {
    let tz = rules.timezone;
    let mut groups: BTreeMap<(u64, usize), Vec<&Summary>> = BTreeMap::new();
    for summary in summaries {
        if let (Some(print), Some(_)) = (summary.body_print, summary.date)
            && print.1 >= MIN_REDATED_BODY
        {
            groups.entry(print).or_default().push(summary);
        }
    }
    let mut findings = Vec::new();
    for group in groups.values() {
        let Some(original) = group
            .iter()
            .min_by_key(|s| (s.date.map(|d| d.at), s.path.path.clone()))
        else {
            continue;
        };
        let Some(original_date) = original.date else {
            continue;
        };
        let original_day = day_of_date(&original_date, tz);
        for summary in group {
            let Some(date) = summary.date else { continue };
            let day = day_of_date(&date, tz);
            let same_version =
                summary.path == original.path && summary.label.oid == original.label.oid;
            if !same_version && day > original_day {
                findings.push(redated_finding(
                    &rules.say,
                    summary,
                    &original.path.markdown_path(),
                    original_day,
                    day,
                ));
            }
        }
    }
    findings
}

/// A path whose earlier approved version had the same body under an older date.
fn redated_in_place(rules: &ContentRules, repo: &Repo, summaries: &[Summary]) -> Vec<Finding> {
    let tz = rules.timezone;
    let mut findings = Vec::new();
    for summary in summaries {
        let (Some(print), Some(date)) = (summary.body_print, summary.date) else {
            continue;
        };
        if print.1 < MIN_REDATED_BODY {
            continue;
        }
        let day = day_of_date(&date, tz);
        for (oid, _) in rules.completions.versions(&summary.path.path) {
            // Versions still present are compared with each other across paths.
            let checked = summaries
                .iter()
                .any(|s| s.path == summary.path && s.label.oid == *oid);
            if checked {
                continue;
            }
            let Some((old_print, old_date)) = old_version_facts(repo, &summary.path, oid, tz)
            else {
                continue;
            };
            let old_day = day_of_date(&old_date, tz);
            if old_print == print && old_day < day {
                findings.push(redated_finding(
                    &rules.say,
                    summary,
                    &format!(
                        "{} @ {}",
                        summary.path.markdown_path(),
                        &oid[..oid.len().min(10)]
                    ),
                    old_day,
                    day,
                ));
                break;
            }
        }
    }
    findings
}

/// Body fingerprint and written date of an older version.
fn old_version_facts(
    repo: &Repo,
    path: &ArticlePath,
    oid: &str,
    tz: chrono_tz::Tz,
) -> Option<((u64, usize), WrittenDate)> {
    let version = crate::publish::version_ref(repo, path, oid).ok()?;
    let text = decode_text(&repo.blob_hex(&version.markdown_oid).ok()?).ok()?;
    let parts = frontmatter::split(&text).ok()?;
    // The one front-matter reader: an old version it rejects is not compared.
    let date = frontmatter::parse(&path.markdown_path(), &parts, tz)
        .ok()?
        .date?;
    Some((body_print(parts.body), date))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn references_name_repository_paths() {
        assert_eq!(
            crate::content::referenced_article("xxgk/policy/a.md"),
            "content/xxgk/policy/a.md"
        );
        assert_eq!(
            crate::content::referenced_article("/content/xxgk/policy/b/"),
            "content/xxgk/policy/b"
        );
        assert_eq!(
            crate::content::referenced_article("./content/x.md"),
            "content/x.md"
        );
    }

    #[test]
    fn same_text_however_wrapped_has_one_print() {
        assert_eq!(
            body_print("第一段\n第二段 内容"),
            body_print("第一段第二段\n\n内容")
        );
        assert_ne!(body_print("第一段"), body_print("第二段"));
    }
}
