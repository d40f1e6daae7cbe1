//! Honest and timely dates of one version (rules `backdated` and `late`;
//! the rules comparing articles are `crate::checks::timeliness`).
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

use std::collections::HashMap;

use chrono::{DateTime, NaiveDate};

use crate::catalog::{RuleId, Severity};
use crate::content::FrontMatter;
use crate::content::frontmatter::WrittenDate;
use crate::error::line_of_key;
use crate::ledger::Ledger;
use crate::rules::{ContentRules, Finding, Purpose, VersionView};
use crate::site::duration::Span;

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

pub(crate) fn day_of(seconds: i64, tz: chrono_tz::Tz) -> Option<NaiveDate> {
    DateTime::from_timestamp(seconds, 0).map(|t| t.with_timezone(&tz).date_naive())
}

pub(crate) fn day_of_date(date: &WrittenDate, tz: chrono_tz::Tz) -> NaiveDate {
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
    // The day the article first went online: its first approved version's
    // completion; for one never approved, today — the earliest its review
    // can complete (a draft in `check`, a version `approve` is asked for).
    let first_online = rules
        .completions
        .first(&view.path.path)
        .and_then(|seconds| day_of(seconds, tz))
        .or_else(|| Some(rules.now.with_timezone(&tz).date_naive()));

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
