//! Truthfulness and timeliness: the date a page shows must be honest and
//! timely (rules `backdated`, `late`, `redated`, `missing-interpretation`;
//! `missing-source` is checked beside the front matter in `content`).
//!
//! **Backdating.** A page's `date` is the day it was first published. The
//! day a version went online is the day its workflow completed: the
//! committer time of the commit that completed its last stage, in the site's
//! time zone. A `date` earlier than that day is a forged publication date
//! (伪造发稿日期), an automatic failure in inspections. A corrected version
//! of an old article keeps the old article's date, so the comparison is with
//! the *first* approved version of the path: an edit approved today does not
//! make last month's date a lie. A column of imported archives may carry
//! older dates where the policy allows it (`checks.allow` for `backdated`).
//!
//! **Late.** Publication (the later of `date` and that first approval) more
//! than the column's `max_delay` after `event_date`.
//!
//! **Redated** (旧稿重发). The same body published again under a newer date:
//! at another path, or at the same path after an earlier approved version
//! carried the older date. Bodies are compared without white space and only
//! when long enough to be an article, not a one-line "详见附件".

use std::collections::{BTreeMap, BTreeSet, HashMap};

use chrono::{DateTime, NaiveDate};

use crate::checks::content::{ContentRules, Purpose, Summary, VersionView, body_print};
use crate::checks::text::Say;
use crate::checks::{Finding, RuleId, Severity};
use crate::content::encoding::decode_text;
use crate::content::frontmatter::{self, WrittenDate};
use crate::content::{ArticlePath, ArticleType, FrontMatter};
use crate::error::line_of_key;
use crate::ledger::Ledger;
use crate::repo::Repo;
use crate::site::duration::Span;

/// Bodies shorter than this (characters without white space) are too short to call a republication.
const MIN_REDATED_BODY: usize = 80;

/// When each article version completed its workflow, even versions whose
/// approvals were voided since (superseded by a correction, withdrawn).
#[derive(Debug, Clone, Default)]
pub struct Completions {
    /// Path → (object id, completion time in seconds), oldest first.
    by_path: HashMap<String, Vec<(String, i64)>>,
}

impl Completions {
    pub fn from_ledger(ledger: &Ledger) -> Completions {
        let mut by_path: HashMap<String, Vec<(String, i64)>> = HashMap::new();
        for version in ledger.verdict.all_versions() {
            if !version.kind.is_article() {
                continue;
            }
            let Some(first) = version.first_completion() else {
                continue;
            };
            by_path
                .entry(version.path.clone())
                .or_default()
                .push((version.oid.clone(), first.time));
        }
        for versions in by_path.values_mut() {
            versions.sort_by(|a, b| a.1.cmp(&b.1).then_with(|| a.0.cmp(&b.0)));
        }
        Completions { by_path }
    }

    /// When the first version of `path` completed its workflow (seconds since the epoch).
    pub fn first(&self, path: &str) -> Option<i64> {
        self.by_path.get(path).and_then(|v| v.first()).map(|v| v.1)
    }

    /// Every version of `path` that completed its workflow.
    pub fn versions(&self, path: &str) -> &[(String, i64)] {
        self.by_path.get(path).map(Vec::as_slice).unwrap_or(&[])
    }
}

fn day_of(seconds: i64, tz: chrono_tz::Tz) -> Option<NaiveDate> {
    DateTime::from_timestamp(seconds, 0).map(|t| t.with_timezone(&tz).date_naive())
}

fn day_of_date(date: &WrittenDate, tz: chrono_tz::Tz) -> NaiveDate {
    date.at.with_timezone(&tz).date_naive()
}

/// The `late` rule: when an article published on day `published` (in the
/// site's time zone) came out later than `max_delay` after its `event_date`,
/// the days from the event to publication; `None` when it was in time.
pub fn days_late(
    event: &WrittenDate,
    max_delay: Span,
    published: NaiveDate,
    tz: chrono_tz::Tz,
) -> Option<i64> {
    let deadline = day_of_date(
        &WrittenDate {
            at: event.at + chrono::Duration::seconds(max_delay.seconds),
            day_only: event.day_only,
        },
        tz,
    );
    (published > deadline).then(|| (published - day_of_date(event, tz)).num_days())
}

/// `backdated` and `late` for one version.
pub(crate) fn check_version(
    rules: &ContentRules,
    view: &VersionView<'_>,
    front: &FrontMatter,
    file: &str,
    purpose: Purpose,
) -> Vec<Finding> {
    let say = &rules.say;
    let tz = rules.timezone;
    let line = |key: &str| view.text.and_then(|text| line_of_key(text, key));
    let mut findings = Vec::new();
    // Only a date the writer wrote can be backdated; without one the page
    // shows when review completed.
    let shown = front.date.as_ref().map(|date| day_of_date(date, tz));
    let draft = view.label.is_some_and(|l| l.draft);
    // The day the article first went online: its first approved version's
    // completion; for a draft never approved before, today (if approved now).
    let first_online = rules
        .completions
        .first(&view.path.path)
        .and_then(|seconds| day_of(seconds, tz))
        .or_else(|| draft.then(|| rules.now.with_timezone(&tz).date_naive()));

    let wanted = |rule| match purpose {
        Purpose::Build => rules.settings.may_block(rule),
        Purpose::Check => rules.settings.severity(rule) != Severity::Off,
    };
    if wanted(RuleId::Backdated)
        && let Some(online) = first_online
        && let Some(shown) = shown
        && shown < online
    {
        let message = if rules.completions.first(&view.path.path).is_some() {
            say.pick(
                format!("发布日期 {shown} 早于审核完成日期 {online}（倒签发稿日期）"),
                format!("`date: {shown}` is earlier than {online}, the day its review completed (a backdated publication date)"),
            )
        } else {
            say.pick(
                format!("发布日期 {shown} 早于今天 {online}：若今天审核完成，即为倒签发稿日期"),
                format!("`date: {shown}` is earlier than today ({online}): approved today, it would be backdated"),
            )
        };
        findings.push(
            Finding::new(RuleId::Backdated, message)
                .in_file(file)
                .at(line("date"), None)
                .with_help(say.pick(
                    format!("把 date 改为 {online} 或之后，并重新送审；确属历史资料导入的栏目，可由管理员在 approvals/policy.yaml 的 checks.allow 中为该栏目放行 backdated"),
                    format!("set `date` to {online} or later and have it reviewed again; for a column of imported archives an administrator may allow `backdated` there in approvals/policy.yaml checks.allow"),
                )),
        );
    }

    if wanted(RuleId::Late)
        && let Some(event) = &front.event_date
    {
        let limit = rules.max_delay(view.path.column());
        let today = rules.now.with_timezone(&tz).date_naive();
        let published = match (first_online, shown) {
            (Some(online), Some(shown)) => online.max(shown),
            (Some(day), None) | (None, Some(day)) => day,
            (None, None) => today,
        };
        if let Some(days) = days_late(event, limit, published, tz) {
            findings.push(
                Finding::new(
                    RuleId::Late,
                    say.pick(
                        format!("事件日期 {}，{published} 才发布（{days} 天），超过栏目时限 {limit}", day_of_date(event, tz)),
                        format!("the event ended {} but the article is published {published} ({days} days), later than the column's max_delay of {limit}", day_of_date(event, tz)),
                    ),
                )
                .in_file(file)
                .at(line("event_date"), None)
                .with_help(say.pick(
                    "及时报送和审核；如栏目时限不合理，调整 site.toml 中该栏目的 max_delay",
                    "submit and review sooner; if the column's limit is unrealistic, change its max_delay in site.toml",
                )),
            );
        }
    }
    findings
}

/// `interprets` as writers write it → the repository path it names.
fn normalise_reference(reference: &str) -> String {
    let reference = reference
        .trim()
        .trim_start_matches("./")
        .trim_start_matches('/')
        .trim_end_matches('/');
    if reference.starts_with("content/") {
        reference.to_string()
    } else {
        format!("content/{reference}")
    }
}

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
                let target = normalise_reference(target);
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
            normalise_reference("xxgk/policy/a.md"),
            "content/xxgk/policy/a.md"
        );
        assert_eq!(
            normalise_reference("/content/xxgk/policy/b/"),
            "content/xxgk/policy/b"
        );
        assert_eq!(normalise_reference("./content/x.md"), "content/x.md");
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
