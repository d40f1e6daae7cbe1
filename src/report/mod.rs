//! Publication statistics for the office that runs the site (`sanshen
//! report`, SPEC §6): how many articles each unit, person or column put
//! online in a period, how long reviews took at each stage, what was sent
//! back, taken down or is still waiting — the quarterly 信息报送 count and
//! ranking (通报/排名) the regulations ask the office for.
//!
//! Three steps, so the arithmetic can be tested without a repository:
//! [`gather`] turns the evaluated ledger into plain [`Facts`] (only records
//! the §5 fold counted: a forged or unsigned approval never becomes a fact);
//! [`compute`] counts them for a [`Period`] and a grouping, purely; and
//! [`format`] prints the result as text, CSV, JSON or HTML.
//!
//! Definitions (also printed in every report, and in docs/report.md):
//! an article is **published** when the first version of its path completed
//! its workflow — the committer time of the approval that completed the last
//! stage, or the version's `publish_at` if later. That is the same day the
//! `backdated` and `late` rules of `check` call "went online". Later
//! approved corrections of the same path are not new articles; an approved
//! version a blocking check holds back at the revision, or one scheduled
//! after the clock, is not counted.

pub mod format;
mod gather;

use std::collections::BTreeMap;

use chrono::{DateTime, FixedOffset, NaiveDate, TimeZone};
use serde::Serialize;

use crate::site::Language;

pub use gather::gather;

/// A report ready to print: the statistics and what they were counted from.
#[derive(Debug, Clone)]
pub struct Report {
    /// The site's title.
    pub site: String,
    pub language: Language,
    pub timezone: chrono_tz::Tz,
    /// The commit whose history was counted.
    pub revision: String,
    /// The clock (`--now`) for what is in review.
    pub now: DateTime<FixedOffset>,
    pub period: Period,
    pub statistics: Statistics,
}

/// What the rows of a report are (`--by`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, clap::ValueEnum)]
#[serde(rename_all = "lowercase")]
pub enum GroupBy {
    /// Submitting unit (报送单位): front matter `unit`, else the column's first unit.
    Unit,
    /// The person who drafted an article, or who signed an approval.
    Person,
    /// Column (栏目).
    Column,
    /// Review stage (审核环节), in workflow order.
    Stage,
}

/// The article an event concerns, with what a report groups it by.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Item {
    pub path: String,
    pub title: Option<String>,
    pub unit: Option<String>,
    pub column: String,
    /// Who drafted the version: a person id, or a name as written.
    pub drafter: Option<String>,
}

/// An article that went online (its first approved version).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Publication {
    pub item: Item,
    /// Committer time of the commit that introduced the published version.
    pub drafted_at: Option<i64>,
    pub published_at: i64,
    /// Days from `event_date` to publication, when later than the column's `max_delay`.
    pub days_late: Option<i64>,
}

/// One approval that counted when it was signed.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct StageApproval {
    pub item: Item,
    pub stage: String,
    pub person: String,
    pub at: i64,
    /// Seconds from the version being ready for this stage to this approval.
    pub waited: Option<i64>,
}

/// A version passing one stage (enough distinct approvers).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct StagePass {
    pub item: Item,
    pub stage: String,
    /// When the version became ready for the stage: introduced, or the
    /// previous stage passed.
    pub ready_at: Option<i64>,
    pub done_at: i64,
}

/// A `Return:` (退回修改) signed by a verified person.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Return {
    pub item: Item,
    pub stage: String,
    pub person: String,
    pub at: i64,
}

/// A withdrawal (撤稿) that counted.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Withdrawal {
    pub item: Item,
    pub at: i64,
}

/// An article whose current version is in review at the revision.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct InReview {
    pub item: Item,
    /// The stage it waits at; `None` when no workflow applies.
    pub stage: Option<String>,
}

/// Everything a report counts, already verified by the ledger.
#[derive(Debug, Clone, Default)]
pub struct Facts {
    pub publications: Vec<Publication>,
    pub approvals: Vec<StageApproval>,
    pub passes: Vec<StagePass>,
    pub returns: Vec<Return>,
    pub withdrawals: Vec<Withdrawal>,
    pub in_review: Vec<InReview>,
}

/// The days counted, both ends included, in the site's time zone.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Period {
    /// `None`: from the beginning of the history.
    pub from: Option<NaiveDate>,
    pub to: NaiveDate,
    /// Seconds since the epoch: midnight starting `from`, midnight ending `to` (exclusive).
    start: Option<i64>,
    end: i64,
}

impl Period {
    /// The period of the days `from`..=`to` in `tz`; the message says what is wrong.
    pub fn new(
        from: Option<NaiveDate>,
        to: NaiveDate,
        tz: chrono_tz::Tz,
    ) -> Result<Period, String> {
        if let Some(from) = from
            && from > to
        {
            return Err(format!("--from {from} is after --to {to}"));
        }
        let midnight = |day: NaiveDate| -> Result<i64, String> {
            let naive = day.and_hms_opt(0, 0, 0).ok_or("invalid day")?;
            tz.from_local_datetime(&naive)
                .earliest()
                .map(|t| t.timestamp())
                .ok_or_else(|| format!("midnight of {day} does not exist in time zone {tz}"))
        };
        let after_to = to
            .succ_opt()
            .ok_or_else(|| format!("{to} is too far in the future"))?;
        Ok(Period {
            from,
            to,
            start: from.map(midnight).transpose()?,
            end: midnight(after_to)?,
        })
    }

    pub fn contains(&self, seconds: i64) -> bool {
        self.start.is_none_or(|start| seconds >= start) && seconds < self.end
    }
}

/// A review stage's id and display name.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct StageName {
    pub id: String,
    pub name: String,
}

/// The groups a report always lists, with their display names, so that a
/// unit that published nothing shows up with zeros (the office reports those
/// too: 对更新缓慢的予以通报).
#[derive(Debug, Clone, Default)]
pub struct Catalogue {
    pub units: Vec<(String, String)>,
    pub people: Vec<(String, String)>,
    pub columns: Vec<(String, String)>,
    /// Article workflow stages, in review order.
    pub stages: Vec<StageName>,
}

impl Catalogue {
    fn groups(&self, by: GroupBy) -> Vec<(String, String)> {
        match by {
            GroupBy::Unit => self.units.clone(),
            GroupBy::Person => self.people.clone(),
            GroupBy::Column => self.columns.clone(),
            GroupBy::Stage => self
                .stages
                .iter()
                .map(|s| (s.id.clone(), s.name.clone()))
                .collect(),
        }
    }
}

/// One row of a report. Counts that mean nothing for the grouping (what a
/// stage "published") are `None`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Row {
    /// The group's id; `None` for items without one (no unit, no known drafter).
    pub id: Option<String>,
    pub name: Option<String>,
    /// Competition rank (1, 2, 2, 4); `None` for stages and the total.
    pub rank: Option<usize>,
    pub published: Option<usize>,
    /// Published later than `event_date` + the column's `max_delay`.
    pub late: Option<usize>,
    /// Median seconds from the commit drafting the version to publication.
    pub median_to_publish_seconds: Option<i64>,
    /// In review now (not bound to the period).
    pub pending: usize,
    pub returned: usize,
    pub withdrawn: Option<usize>,
    pub approvals: usize,
    pub approvals_by_stage: BTreeMap<String, usize>,
    pub stage_passes: usize,
    /// Waiting time at a stage: per pass for units, columns and stages; per
    /// approval signed for people (how long items waited for them).
    pub median_wait_seconds: Option<i64>,
    pub mean_wait_seconds: Option<i64>,
}

/// The counted report.
#[derive(Debug, Clone)]
pub struct Statistics {
    pub by: GroupBy,
    pub stages: Vec<StageName>,
    pub rows: Vec<Row>,
    pub total: Row,
    /// The articles published in the period, oldest first: what was counted.
    pub articles: Vec<Publication>,
}

/// Running counts of one group.
#[derive(Debug, Default)]
struct Tally {
    published: usize,
    late: usize,
    to_publish: Vec<i64>,
    pending: usize,
    returned: usize,
    withdrawn: usize,
    approvals: usize,
    approvals_by_stage: BTreeMap<String, usize>,
    stage_passes: usize,
    waits: Vec<i64>,
}

impl Tally {
    fn row(mut self, id: Option<String>, name: Option<String>, by: GroupBy) -> Row {
        let applies = by != GroupBy::Stage;
        Row {
            id,
            name,
            rank: None,
            published: applies.then_some(self.published),
            late: applies.then_some(self.late),
            median_to_publish_seconds: if applies {
                median(&mut self.to_publish)
            } else {
                None
            },
            pending: self.pending,
            returned: self.returned,
            withdrawn: applies.then_some(self.withdrawn),
            approvals: self.approvals,
            approvals_by_stage: self.approvals_by_stage,
            stage_passes: self.stage_passes,
            median_wait_seconds: median(&mut self.waits),
            mean_wait_seconds: mean(&self.waits),
        }
    }
}

/// The group an event about `item` belongs to; `person` is who acted, for
/// events that are a person's own work (an approval). The outer `None`: the
/// event does not count under this grouping.
fn group_of(
    by: GroupBy,
    item: &Item,
    stage: Option<&str>,
    actor: Option<&str>,
) -> Option<Option<String>> {
    match by {
        GroupBy::Unit => Some(item.unit.clone()),
        GroupBy::Column => Some(Some(item.column.clone())),
        GroupBy::Person => Some(actor.map(str::to_string).or_else(|| item.drafter.clone())),
        GroupBy::Stage => stage.map(|s| Some(s.to_string())),
    }
}

/// Count `facts` in `period`, one row per group of `by`. Items in review are
/// counted as they stand at the revision, whatever the period.
pub fn compute(facts: &Facts, period: &Period, by: GroupBy, catalogue: &Catalogue) -> Statistics {
    let mut tallies: BTreeMap<Option<String>, Tally> = catalogue
        .groups(by)
        .into_iter()
        .map(|(id, _)| (Some(id), Tally::default()))
        .collect();
    let mut total = Tally::default();
    let mut count = |key: Option<Option<String>>, add: &dyn Fn(&mut Tally)| {
        if let Some(key) = key {
            add(tallies.entry(key).or_default());
            add(&mut total);
        }
    };

    let mut articles = Vec::new();
    for publication in facts
        .publications
        .iter()
        .filter(|p| period.contains(p.published_at))
    {
        articles.push(publication.clone());
        count(group_of(by, &publication.item, None, None), &|t| {
            t.published += 1;
            t.late += usize::from(publication.days_late.is_some());
            if let Some(drafted) = publication.drafted_at {
                t.to_publish
                    .push((publication.published_at - drafted).max(0));
            }
        });
    }
    for approval in facts.approvals.iter().filter(|a| period.contains(a.at)) {
        let key = group_of(
            by,
            &approval.item,
            Some(&approval.stage),
            Some(&approval.person),
        );
        count(key, &|t| {
            t.approvals += 1;
            *t.approvals_by_stage
                .entry(approval.stage.clone())
                .or_default() += 1;
            if by == GroupBy::Person
                && let Some(waited) = approval.waited
            {
                t.waits.push(waited.max(0));
            }
        });
    }
    for pass in facts.passes.iter().filter(|p| period.contains(p.done_at)) {
        // A pass is the stage's work, not one person's: people are timed by their own approvals.
        let key = (by != GroupBy::Person)
            .then(|| group_of(by, &pass.item, Some(&pass.stage), None))
            .flatten();
        count(key, &|t| {
            t.stage_passes += 1;
            if let Some(ready) = pass.ready_at {
                t.waits.push((pass.done_at - ready).max(0));
            }
        });
    }
    for returned in facts.returns.iter().filter(|r| period.contains(r.at)) {
        count(
            group_of(by, &returned.item, Some(&returned.stage), None),
            &|t| t.returned += 1,
        );
    }
    for withdrawal in facts.withdrawals.iter().filter(|w| period.contains(w.at)) {
        count(group_of(by, &withdrawal.item, None, None), &|t| {
            t.withdrawn += 1
        });
    }
    for waiting in &facts.in_review {
        count(
            group_of(by, &waiting.item, waiting.stage.as_deref(), None),
            &|t| t.pending += 1,
        );
    }

    let names: BTreeMap<String, String> = catalogue.groups(by).into_iter().collect();
    let mut rows: Vec<Row> = tallies
        .into_iter()
        .map(|(id, tally)| {
            let name = id.as_ref().and_then(|id| names.get(id).cloned());
            tally.row(id, name, by)
        })
        .collect();
    order(&mut rows, by, &catalogue.stages);
    articles.sort_by(|a, b| {
        a.published_at
            .cmp(&b.published_at)
            .then_with(|| a.item.path.cmp(&b.item.path))
    });
    Statistics {
        by,
        stages: catalogue.stages.clone(),
        rows,
        total: total.row(None, None, by),
        articles,
    }
}

/// A ranking for units, columns and people — most published first (for
/// people, then most approvals signed), ties by id, a missing id last —
/// with competition ranks; stages keep the order of the review.
fn order(rows: &mut [Row], by: GroupBy, stages: &[StageName]) {
    if by == GroupBy::Stage {
        let position = |row: &Row| {
            stages
                .iter()
                .position(|s| Some(&s.id) == row.id.as_ref())
                .unwrap_or(stages.len())
        };
        rows.sort_by(|a, b| position(a).cmp(&position(b)).then_with(|| a.id.cmp(&b.id)));
        return;
    }
    let score = |row: &Row| {
        let approvals = if by == GroupBy::Person {
            row.approvals
        } else {
            0
        };
        (row.published.unwrap_or(0), approvals)
    };
    rows.sort_by(|a, b| {
        score(b)
            .cmp(&score(a))
            .then_with(|| a.id.is_none().cmp(&b.id.is_none()))
            .then_with(|| a.id.cmp(&b.id))
    });
    let scores: Vec<_> = rows.iter().map(score).collect();
    for (row, own) in rows.iter_mut().zip(&scores) {
        row.rank = Some(1 + scores.iter().filter(|other| *other > own).count());
    }
}

/// The median, the lower-middle mean for an even count; `None` when empty.
fn median(values: &mut [i64]) -> Option<i64> {
    if values.is_empty() {
        return None;
    }
    values.sort_unstable();
    let middle = values.len() / 2;
    Some(if values.len() % 2 == 1 {
        values[middle]
    } else {
        (values[middle - 1] + values[middle]) / 2
    })
}

/// The mean, rounded to the nearest second; `None` when empty.
fn mean(values: &[i64]) -> Option<i64> {
    let count = i64::try_from(values.len()).ok().filter(|n| *n > 0)?;
    let sum: i64 = values.iter().sum();
    Some((sum + count / 2).div_euclid(count))
}

#[cfg(test)]
mod tests {
    use super::*;

    const DAY: i64 = 86_400;
    /// 2026-11-01T00:00:00+08:00.
    const NOV_1: i64 = 1_793_462_400;

    fn item(path: &str, unit: Option<&str>, column: &str, drafter: Option<&str>) -> Item {
        Item {
            path: path.into(),
            title: None,
            unit: unit.map(str::to_string),
            column: column.into(),
            drafter: drafter.map(str::to_string),
        }
    }

    fn published(item: Item, drafted: i64, at: i64, late: bool) -> Publication {
        Publication {
            item,
            drafted_at: Some(drafted),
            published_at: at,
            days_late: late.then_some(5),
        }
    }

    fn catalogue() -> Catalogue {
        Catalogue {
            units: vec![
                ("kepu".into(), "科普部".into()),
                ("office".into(), "办公室".into()),
                ("xuehui".into(), "学会部".into()),
            ],
            people: vec![
                ("lihua".into(), "李华".into()),
                ("wangfang".into(), "王芳".into()),
            ],
            columns: vec![("news".into(), "工作动态".into())],
            stages: vec![
                StageName {
                    id: "unit-review".into(),
                    name: "负责人审核".into(),
                },
                StageName {
                    id: "final".into(),
                    name: "终审".into(),
                },
            ],
        }
    }

    fn november() -> Period {
        Period::new(
            NaiveDate::from_ymd_opt(2026, 11, 1),
            NaiveDate::from_ymd_opt(2026, 11, 30).expect("a day"),
            chrono_tz::Asia::Shanghai,
        )
        .expect("a period")
    }

    fn row<'a>(statistics: &'a Statistics, id: &str) -> &'a Row {
        statistics
            .rows
            .iter()
            .find(|r| r.id.as_deref() == Some(id))
            .unwrap_or_else(|| panic!("no row {id}"))
    }

    #[test]
    fn the_period_takes_whole_days_in_the_site_time_zone() {
        let period = november();
        assert!(!period.contains(NOV_1 - 1), "23:59:59 on 31 October");
        assert!(period.contains(NOV_1), "midnight starting 1 November");
        assert!(
            period.contains(NOV_1 + 30 * DAY - 1),
            "23:59:59 on 30 November"
        );
        assert!(
            !period.contains(NOV_1 + 30 * DAY),
            "midnight ending 30 November"
        );
        let open = Period::new(
            None,
            NaiveDate::from_ymd_opt(2026, 11, 1).expect("a day"),
            chrono_tz::Asia::Shanghai,
        )
        .expect("a period");
        assert!(open.contains(0), "no --from: from the beginning");
        assert!(!open.contains(NOV_1 + DAY));
    }

    #[test]
    fn a_period_ending_before_it_starts_is_refused() {
        let error = Period::new(
            NaiveDate::from_ymd_opt(2026, 12, 1),
            NaiveDate::from_ymd_opt(2026, 11, 1).expect("a day"),
            chrono_tz::Asia::Shanghai,
        )
        .expect_err("from after to");
        assert!(error.contains("after"), "{error}");
    }

    #[test]
    fn units_are_ranked_by_articles_published_in_the_period_with_shared_ranks() {
        let facts = Facts {
            publications: vec![
                published(
                    item("a", Some("kepu"), "news", None),
                    NOV_1,
                    NOV_1 + DAY,
                    true,
                ),
                published(
                    item("b", Some("kepu"), "news", None),
                    NOV_1,
                    NOV_1 + 3 * DAY,
                    false,
                ),
                published(
                    item("c", Some("xuehui"), "news", None),
                    NOV_1,
                    NOV_1 + 2 * DAY,
                    false,
                ),
                published(
                    item("d", Some("office"), "news", None),
                    NOV_1,
                    NOV_1 + 2 * DAY,
                    false,
                ),
                // Outside the period: not counted.
                published(
                    item("e", Some("office"), "news", None),
                    NOV_1,
                    NOV_1 - DAY,
                    false,
                ),
                published(item("f", None, "news", None), NOV_1, NOV_1 + DAY, false),
            ],
            ..Facts::default()
        };
        let statistics = compute(&facts, &november(), GroupBy::Unit, &catalogue());
        let ids: Vec<Option<&str>> = statistics.rows.iter().map(|r| r.id.as_deref()).collect();
        assert_eq!(
            ids,
            [Some("kepu"), Some("office"), Some("xuehui"), None],
            "most published first, ties by id, items without a unit last"
        );
        let ranks: Vec<Option<usize>> = statistics.rows.iter().map(|r| r.rank).collect();
        assert_eq!(ranks, [Some(1), Some(2), Some(2), Some(2)]);
        let kepu = row(&statistics, "kepu");
        assert_eq!(kepu.published, Some(2));
        assert_eq!(kepu.late, Some(1));
        assert_eq!(kepu.name.as_deref(), Some("科普部"));
        assert_eq!(
            kepu.median_to_publish_seconds,
            Some(2 * DAY),
            "median of 1 and 3 days"
        );
        assert_eq!(statistics.total.published, Some(5));
        assert_eq!(statistics.total.late, Some(1));
        assert_eq!(statistics.articles.len(), 5);
        assert_eq!(statistics.articles[0].item.path, "a", "oldest first");
    }

    #[test]
    fn a_unit_that_published_nothing_is_listed_with_zeros() {
        let statistics = compute(&Facts::default(), &november(), GroupBy::Unit, &catalogue());
        assert_eq!(statistics.rows.len(), 3);
        assert!(statistics.rows.iter().all(|r| r.published == Some(0)));
        assert!(statistics.rows.iter().all(|r| r.rank == Some(1)));
        assert_eq!(statistics.total.median_to_publish_seconds, None);
    }

    #[test]
    fn people_are_credited_for_drafting_and_for_each_approval_they_signed() {
        let news = item("a", Some("kepu"), "news", Some("wangfang"));
        let approval = |person: &str, stage: &str, waited: i64| StageApproval {
            item: news.clone(),
            stage: stage.into(),
            person: person.into(),
            at: NOV_1 + DAY,
            waited: Some(waited),
        };
        let facts = Facts {
            publications: vec![published(news.clone(), NOV_1, NOV_1 + DAY, false)],
            approvals: vec![
                approval("lihua", "unit-review", 3_600),
                approval("lihua", "final", 7_200),
                approval("zhaolei", "final", 60),
            ],
            returns: vec![Return {
                item: news.clone(),
                stage: "unit-review".into(),
                person: "lihua".into(),
                at: NOV_1 + DAY,
            }],
            in_review: vec![InReview {
                item: news.clone(),
                stage: Some("final".into()),
            }],
            ..Facts::default()
        };
        let statistics = compute(&facts, &november(), GroupBy::Person, &catalogue());
        let wangfang = row(&statistics, "wangfang");
        assert_eq!(wangfang.published, Some(1));
        assert_eq!(wangfang.approvals, 0);
        assert_eq!(
            wangfang.returned, 1,
            "returns count against the drafter's items"
        );
        assert_eq!(wangfang.pending, 1);
        let lihua = row(&statistics, "lihua");
        assert_eq!(lihua.published, Some(0));
        assert_eq!(lihua.approvals, 2);
        assert_eq!(lihua.approvals_by_stage.get("unit-review"), Some(&1));
        assert_eq!(lihua.approvals_by_stage.get("final"), Some(&1));
        assert_eq!(lihua.median_wait_seconds, Some(5_400));
        let zhaolei = row(&statistics, "zhaolei");
        assert_eq!(zhaolei.name, None, "not in the catalogue: listed by id");
        assert_eq!(zhaolei.approvals, 1);
        assert_eq!(
            statistics.rows[0].id.as_deref(),
            Some("wangfang"),
            "the one who published ranks first"
        );
        assert_eq!(
            statistics.rows[1].id.as_deref(),
            Some("lihua"),
            "then by approvals"
        );
        assert_eq!(statistics.total.approvals, 3);
    }

    #[test]
    fn stages_keep_review_order_and_time_each_pass() {
        let news = item("a", Some("kepu"), "news", None);
        let pass = |stage: &str, ready: i64, done: i64| StagePass {
            item: news.clone(),
            stage: stage.into(),
            ready_at: Some(ready),
            done_at: done,
        };
        let facts = Facts {
            publications: vec![published(news.clone(), NOV_1, NOV_1 + DAY, false)],
            passes: vec![
                pass("unit-review", NOV_1, NOV_1 + 3_600),
                pass("unit-review", NOV_1, NOV_1 + 3 * 3_600),
                pass("unit-review", NOV_1, NOV_1 + 8 * 3_600),
                pass("final", NOV_1 + 3_600, NOV_1 + 2 * 3_600),
            ],
            withdrawals: vec![Withdrawal {
                item: news.clone(),
                at: NOV_1 + DAY,
            }],
            ..Facts::default()
        };
        let statistics = compute(&facts, &november(), GroupBy::Stage, &catalogue());
        let ids: Vec<Option<&str>> = statistics.rows.iter().map(|r| r.id.as_deref()).collect();
        assert_eq!(ids, [Some("unit-review"), Some("final")]);
        let first = &statistics.rows[0];
        assert_eq!(first.stage_passes, 3);
        assert_eq!(first.median_wait_seconds, Some(3 * 3_600));
        assert_eq!(first.mean_wait_seconds, Some(4 * 3_600));
        assert_eq!(first.rank, None);
        assert_eq!(first.published, None, "a stage publishes nothing");
        assert_eq!(first.withdrawn, None);
        assert_eq!(statistics.total.stage_passes, 4);
        assert_eq!(statistics.total.published, None);
    }

    #[test]
    fn medians_and_means() {
        assert_eq!(median(&mut []), None);
        assert_eq!(median(&mut [5]), Some(5));
        assert_eq!(median(&mut [9, 1, 5]), Some(5));
        assert_eq!(median(&mut [4, 1, 3, 2]), Some(2));
        assert_eq!(mean(&[]), None);
        assert_eq!(mean(&[1, 2]), Some(2), "1.5 rounds to 2");
        assert_eq!(mean(&[1, 1, 2]), Some(1));
    }
}
