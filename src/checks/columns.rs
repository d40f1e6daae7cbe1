//! Columns as inspectors see them, as of `--now`, from what is actually
//! published (rules `stale-column`, `empty-column`, and the inspection view).
//!
//! A column is as fresh as its newest published article, its sub-columns'
//! included (a parent column lists them). Past 70% of its `update` window it
//! is reported as a warning, past the window as an error; a column with no
//! published article at all is empty (空白栏目). The home page as a whole
//! must show something new every 14 days (首页两周未更新 fails a site).
//!
//! The inspection view counts what the national indicators count (国办秘函
//! 〔2019〕19号, 栏目不更新): news columns (动态、要闻) older than 2 weeks and
//! notice and policy columns (通知公告、政策文件) older than 6 months — more
//! than 5 together fail the site —, more than 10 other columns past their
//! update window, more than 5 empty columns. Which kind a column is comes
//! from its title.

use chrono::{DateTime, Duration, FixedOffset};
use serde::Serialize;

use crate::catalog::{RuleId, Severity};
use crate::publish::PublicationSet;
use crate::rules::Finding;
use crate::rules::text::Say;
use crate::site::Column;
use crate::site::config::SITE_FILE;

/// The home page must show a new article within this many days.
pub const HOME_UPDATE_DAYS: i64 = 14;
/// Share of the update window after which a column is reported as getting stale.
const WARN_SHARE: f64 = 0.7;

/// The national thresholds and where the site stands.
#[derive(Debug, Clone, Default, Serialize)]
pub struct Inspection {
    /// Days since the newest published article (None: nothing published).
    pub home_days_since_update: Option<i64>,
    pub home_limit_days: i64,
    /// 动态要闻 columns older than 2 weeks, 通知公告 / 政策文件 columns older than 6 months.
    pub stale_news_columns: Vec<String>,
    pub stale_news_limit: usize,
    /// Other columns past their own `update` window.
    pub stale_other_columns: Vec<String>,
    pub stale_other_limit: usize,
    pub empty_columns: Vec<String>,
    pub empty_limit: usize,
}

impl Inspection {
    /// Would the site fail the inspection's 网站不更新 / 栏目不更新 items now?
    pub fn fails(&self) -> bool {
        self.home_days_since_update
            .is_none_or(|d| d > self.home_limit_days)
            || self.stale_news_columns.len() > self.stale_news_limit
            || self.stale_other_columns.len() > self.stale_other_limit
            || self.empty_columns.len() > self.empty_limit
    }
}

/// The kind of column the national indicators name, from its title.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum NationalKind {
    /// 动态、要闻: updated within 2 weeks.
    News,
    /// 通知公告、政策文件: updated within 6 months.
    NoticePolicy,
    Other,
}

fn national_kind(column: &Column) -> NationalKind {
    let title = &column.title;
    if ["动态", "要闻", "新闻", "资讯", "快讯"]
        .iter()
        .any(|w| title.contains(w))
    {
        NationalKind::News
    } else if ["通知", "公告", "公示", "文件"]
        .iter()
        .any(|w| title.contains(w))
    {
        NationalKind::NoticePolicy
    } else {
        NationalKind::Other
    }
}

pub(crate) struct ColumnReport {
    pub findings: Vec<Finding>,
    pub inspection: Inspection,
}

/// The line of a column's `path = "…"` in site.toml.
pub(crate) fn column_line(site_text: &str, path: &str) -> Option<usize> {
    site_text
        .lines()
        .position(|line| {
            let line = line.trim_start();
            line.starts_with("path") && line.contains(&format!("\"{path}\""))
        })
        .map(|i| i + 1)
}

fn days(span: Duration) -> i64 {
    span.num_days()
}

pub(crate) fn check(set: &PublicationSet, site_text: &str, say: &Say) -> ColumnReport {
    let now = set.now;
    // The newest date an article shows, never later than now.
    let newest = |column: Option<&str>| -> Option<DateTime<FixedOffset>> {
        set.articles
            .iter()
            .filter(|a| match column {
                None => true,
                Some(path) => {
                    let own = a.path.column();
                    own == path || own.starts_with(&format!("{path}/"))
                }
            })
            .map(|a| a.date.at.min(now))
            .max()
    };
    let mut findings = Vec::new();
    let mut inspection = Inspection {
        home_limit_days: HOME_UPDATE_DAYS,
        stale_news_limit: 5,
        stale_other_limit: 10,
        empty_limit: 5,
        ..Inspection::default()
    };

    for column in set.site.columns.iter() {
        let line = column_line(site_text, &column.path);
        let name = format!("{}（{}）", column.title, column.path);
        let Some(latest) = newest(Some(&column.path)) else {
            inspection.empty_columns.push(column.path.clone());
            findings.push(
                Finding::new(
                    RuleId::EmptyColumn,
                    say.pick(
                        format!("栏目 {name} 没有任何已发布稿件（空白栏目）"),
                        format!("column {name} has no published article (an empty column)"),
                    ),
                )
                .in_file(SITE_FILE)
                .at(line, None)
                .with_help(say.pick(
                    "发布该栏目的内容，或从 site.toml 中删除不再使用的栏目",
                    "publish its first article, or remove a column that is not used from site.toml",
                )),
            );
            continue;
        };
        let age = now - latest;
        let national_window = match national_kind(column) {
            NationalKind::News => Some(Duration::days(14)),
            NationalKind::NoticePolicy => Some(Duration::days(183)),
            NationalKind::Other => None,
        };
        if let Some(window) = national_window
            && age > window
        {
            inspection.stale_news_columns.push(column.path.clone());
        }
        let Some(update) = column.update else {
            continue;
        };
        let window = Duration::seconds(update.seconds);
        let last = latest.with_timezone(&set.site.timezone).date_naive();
        if age > window {
            if national_window.is_none() {
                inspection.stale_other_columns.push(column.path.clone());
            }
            findings.push(
                Finding::new(
                    RuleId::StaleColumn,
                    say.pick(
                        format!("栏目 {name} 已 {} 天未更新（最近一篇 {last}），超过更新要求 {update}", days(age)),
                        format!("column {name} has had no new article for {} days (last {last}), longer than its update window of {update}", days(age)),
                    ),
                )
                .in_file(SITE_FILE)
                .at(line, None)
                .with_help(say.pick("按更新要求发布新内容；更新要求不合理的，调整该栏目的 update", "publish something new; if the window is unrealistic, change the column's update")),
            );
        } else if age.num_seconds() as f64 > window.num_seconds() as f64 * WARN_SHARE {
            let left = days(window - age);
            findings.push(
                Finding::new(
                    RuleId::StaleColumn,
                    say.pick(
                        format!("栏目 {name} 已 {} 天未更新（最近一篇 {last}），{left} 天后超过更新要求 {update}", days(age)),
                        format!("column {name} has had no new article for {} days (last {last}): {left} day(s) left of its update window of {update}", days(age)),
                    ),
                )
                .in_file(SITE_FILE)
                .at(line, None)
                .with_help(say.pick("近期安排该栏目的新内容", "plan the column's next article soon"))
                .at_most(Severity::Warning),
            );
        }
    }

    let home_window = Duration::days(HOME_UPDATE_DAYS);
    match newest(None) {
        None => {
            findings.push(
                Finding::new(
                    RuleId::StaleColumn,
                    say.pick(
                        "首页没有任何已发布稿件",
                        "the home page has no published article",
                    ),
                )
                .in_file(SITE_FILE)
                .with_help(say.pick(
                    "发布内容后再上线网站",
                    "publish content before the site goes online",
                )),
            );
        }
        Some(latest) => {
            let age = now - latest;
            inspection.home_days_since_update = Some(days(age));
            let last = latest.with_timezone(&set.site.timezone).date_naive();
            if age > home_window {
                findings.push(
                    Finding::new(
                        RuleId::StaleColumn,
                        say.pick(
                            format!("首页已 {} 天没有新内容（最近一篇 {last}），超过两周即判为不合格网站", days(age)),
                            format!("the home page has shown nothing new for {} days (last {last}); more than two weeks fails the site", days(age)),
                        ),
                    )
                    .in_file(SITE_FILE)
                    .with_help(say.pick("立即发布新内容", "publish something new now")),
                );
            } else if age.num_seconds() as f64 > home_window.num_seconds() as f64 * WARN_SHARE {
                findings.push(
                    Finding::new(
                        RuleId::StaleColumn,
                        say.pick(
                            format!("首页已 {} 天没有新内容（最近一篇 {last}），超过 14 天即判为不合格", days(age)),
                            format!("the home page has shown nothing new for {} days (last {last}); after 14 days the site fails", days(age)),
                        ),
                    )
                    .in_file(SITE_FILE)
                    .with_help(say.pick("近期发布新内容", "publish something new soon"))
                    .at_most(Severity::Warning),
                );
            }
        }
    }
    ColumnReport {
        findings,
        inspection,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn column(title: &str) -> Column {
        Column {
            path: "x".into(),
            title: title.into(),
            description: None,
            units: Vec::new(),
            update: None,
            max_delay: crate::site::Span::days(3),
            paginate: 20,
            allow_raw_html: false,
            order: 0,
        }
    }

    #[test]
    fn national_kinds_from_titles() {
        assert_eq!(national_kind(&column("工作动态")), NationalKind::News);
        assert_eq!(national_kind(&column("科协要闻")), NationalKind::News);
        assert_eq!(
            national_kind(&column("通知公告")),
            NationalKind::NoticePolicy
        );
        assert_eq!(
            national_kind(&column("政策文件")),
            NationalKind::NoticePolicy
        );
        assert_eq!(national_kind(&column("科学普及")), NationalKind::Other);
    }

    #[test]
    fn column_lines() {
        let text = "title = \"T\"\n[[columns]]\npath = \"news\"\n[[columns]]\npath = \"news/hq\"\n";
        assert_eq!(column_line(text, "news"), Some(3));
        assert_eq!(column_line(text, "news/hq"), Some(5));
    }
}
