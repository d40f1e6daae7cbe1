//! How a report is printed (`--format`): a table for people in the site's
//! language, CSV for spreadsheets, JSON for scripts, and a self-contained
//! HTML page to file or print as the attachment of a 通报.
//!
//! Every format prints the same columns in the same order, from one list
//! ([`columns`]). CSV is RFC 4180 (CRLF, quotes doubled) with a UTF-8 byte
//! order mark, without which Excel reads Chinese as mojibake; a text cell
//! starting with `=`, `+`, `-` or `@` gets a leading `'`, so a name written
//! by a writer is never run as a spreadsheet formula. The HTML page loads
//! nothing and runs nothing: its Content-Security-Policy forbids both.

use std::fmt::Write as _;

use chrono::DateTime;
use serde::Serialize;

use super::{GroupBy, Publication, Report, Row, StageName};
use crate::site::Language;

/// The `--format` of `sanshen report`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
pub enum Format {
    Text,
    Csv,
    Json,
    Html,
}

pub fn render(report: &Report, format: Format) -> String {
    match format {
        Format::Text => text(report),
        Format::Csv => csv(report),
        Format::Json => json(report),
        Format::Html => html(report),
    }
}

/// The wording of one language.
struct Words {
    chinese: bool,
}

impl Words {
    fn pick<'a>(&self, zh: &'a str, en: &'a str) -> &'a str {
        if self.chinese { zh } else { en }
    }

    fn group(&self, by: GroupBy) -> &'static str {
        match by {
            GroupBy::Unit => self.pick("报送单位", "Unit"),
            GroupBy::Person => self.pick("人员", "Person"),
            GroupBy::Column => self.pick("栏目", "Column"),
            GroupBy::Stage => self.pick("审核环节", "Stage"),
        }
    }

    fn title(&self, report: &Report) -> String {
        if self.chinese {
            format!("{} 信息发布统计", report.site)
        } else {
            format!("{}: publication statistics", report.site)
        }
    }

    fn period(&self, report: &Report) -> String {
        let period = &report.period;
        let from = period.from.map(|d| d.to_string());
        if self.chinese {
            format!(
                "{} 至 {}（含首尾两日，时区 {}）",
                from.as_deref().unwrap_or("有记录以来"),
                period.to,
                report.timezone
            )
        } else {
            format!(
                "{} to {} (both days included, time zone {})",
                from.as_deref().unwrap_or("the beginning of history"),
                period.to,
                report.timezone
            )
        }
    }

    /// What each number means: printed under every table, so a report
    /// forwarded on its own still says how it was counted.
    fn notes(&self, by: GroupBy) -> Vec<&'static str> {
        let mut notes = vec![
            self.pick(
                "发布：稿件首个版本完成全部审核环节之时（完成最后一环的签批提交时间；设有 publish_at 且更晚的，以其为准）。此后的修订不重复计数；被拦截或尚未到发布时间的不计。",
                "Published: when the first version of an article completed every review stage (the commit time of the approval completing the last stage, or its publish_at if later). Later corrections are not counted again; versions held back by a blocking check or scheduled for later are not counted.",
            ),
            self.pick(
                "只计入签名有效、按审核制度计数的签批、退回和撤稿；伪造、未签名或无权限的记录一律不计。",
                "Only approvals, returns and withdrawals with a verified signer that count under the policy are included; forged, unsigned or unauthorised records never count.",
            ),
            self.pick(
                "在审：统计版本上当前版本仍在审核中的稿件，不受统计期间限制。超时：发布晚于 event_date 加栏目 max_delay（同 check 的 late 规则）。",
                "In review: articles whose current version is in review at the revision counted, whatever the period. Late: published later than event_date plus the column's max_delay (the late rule of check).",
            ),
        ];
        notes.push(match by {
            GroupBy::Person => self.pick(
                "人员：发布、超时、在审、退回、撤稿计入撰稿人（front matter 的 author，否则为引入该版本的提交作者）；签批计入签名人，签批用时为稿件进入该环节至其签批的时间。",
                "People: published, late, in review, returned and withdrawn count for the drafter (front matter author, else the author of the commit introducing the version); approvals count for the signer, and time to sign runs from the item reaching the stage to their approval.",
            ),
            _ => self.pick(
                "审核时长：稿件进入某一环节（提交或上一环节通过）至该环节通过的时间。时间均为提交时间（由签名人写入）。",
                "Wait: from an item reaching a stage (drafted, or the previous stage passed) to that stage passing. Times are commit times, as written by the signers.",
            ),
        });
        notes
    }

    fn not_set(&self) -> &'static str {
        self.pick("（未注明）", "(not set)")
    }

    fn total(&self) -> &'static str {
        self.pick("合计", "Total")
    }
}

/// One column of numbers.
#[derive(Debug, Clone, PartialEq, Eq)]
enum Metric {
    Published,
    Late,
    Pending,
    Returned,
    Withdrawn,
    ToPublish,
    StageApprovals(StageName),
    Approvals,
    Passes,
    MedianWait,
    MeanWait,
}

/// A cell's value, before a format writes it.
enum Value {
    Count(Option<usize>),
    Seconds(Option<i64>),
}

impl Metric {
    fn header(&self, words: &Words, by: GroupBy) -> String {
        let pick = |zh: &str, en: &str| words.pick(zh, en).to_string();
        match self {
            Metric::Published => pick("发布", "Published"),
            Metric::Late => pick("超时", "Late"),
            Metric::Pending => pick("在审", "In review"),
            Metric::Returned => pick("退回", "Returned"),
            Metric::Withdrawn => pick("撤稿", "Withdrawn"),
            Metric::ToPublish => pick("撰稿至发布（中位）", "Draft to online (median)"),
            Metric::StageApprovals(stage) => {
                if words.chinese {
                    stage.name.clone()
                } else {
                    stage.id.clone()
                }
            }
            Metric::Approvals if by == GroupBy::Person => pick("签批合计", "Approvals"),
            Metric::Approvals => pick("签批", "Approvals"),
            Metric::Passes => pick("通过", "Passed"),
            Metric::MedianWait if by == GroupBy::Person => {
                pick("签批用时（中位）", "Time to sign (median)")
            }
            Metric::MedianWait => pick("审核时长（中位）", "Wait (median)"),
            Metric::MeanWait => pick("审核时长（平均）", "Wait (mean)"),
        }
    }

    fn value(&self, row: &Row) -> Value {
        match self {
            Metric::Published => Value::Count(row.published),
            Metric::Late => Value::Count(row.late),
            Metric::Pending => Value::Count(Some(row.pending)),
            Metric::Returned => Value::Count(Some(row.returned)),
            Metric::Withdrawn => Value::Count(row.withdrawn),
            Metric::ToPublish => Value::Seconds(row.median_to_publish_seconds),
            Metric::StageApprovals(stage) => Value::Count(Some(
                row.approvals_by_stage.get(&stage.id).copied().unwrap_or(0),
            )),
            Metric::Approvals => Value::Count(Some(row.approvals)),
            Metric::Passes => Value::Count(Some(row.stage_passes)),
            Metric::MedianWait => Value::Seconds(row.median_wait_seconds),
            Metric::MeanWait => Value::Seconds(row.mean_wait_seconds),
        }
    }
}

/// The columns of numbers a grouping prints, in order.
fn columns(by: GroupBy, stages: &[StageName]) -> Vec<Metric> {
    use Metric::*;
    match by {
        GroupBy::Unit | GroupBy::Column => vec![
            Published, Late, Pending, Returned, Withdrawn, ToPublish, MedianWait,
        ],
        GroupBy::Person => [Published, Late, Pending, Returned, Withdrawn, ToPublish]
            .into_iter()
            .chain(stages.iter().cloned().map(StageApprovals))
            .chain([Approvals, MedianWait])
            .collect(),
        GroupBy::Stage => vec![Approvals, Passes, Pending, Returned, MedianWait, MeanWait],
    }
}

/// "科普部 (kepu)", or the id alone, or "(not set)".
fn label(row: &Row, words: &Words) -> String {
    match (&row.id, &row.name) {
        (Some(id), Some(name)) if name != id => format!("{name} ({id})"),
        (Some(id), _) => id.clone(),
        (None, _) => words.not_set().to_string(),
    }
}

/// "2天3小时", "2d 3h": whole minutes, the two largest units.
fn human_duration(seconds: i64, words: &Words) -> String {
    let seconds = seconds.max(0);
    let (days, hours, minutes) = (
        seconds / 86_400,
        seconds % 86_400 / 3_600,
        seconds % 3_600 / 60,
    );
    let parts: Vec<(i64, &str, &str)> = if days > 0 {
        vec![(days, "天", "d"), (hours, "小时", "h")]
    } else if hours > 0 {
        vec![(hours, "小时", "h"), (minutes, "分钟", "m")]
    } else {
        vec![(minutes, "分钟", "m")]
    };
    let shown: Vec<String> = parts
        .iter()
        .enumerate()
        .filter(|(i, (n, _, _))| *i == 0 || *n > 0)
        .map(|(_, (n, zh, en))| format!("{n}{}", words.pick(zh, en)))
        .collect();
    shown.join(words.pick("", " "))
}

fn human(value: Value, words: &Words) -> String {
    match value {
        Value::Count(Some(n)) => n.to_string(),
        Value::Seconds(Some(s)) => human_duration(s, words),
        Value::Count(None) | Value::Seconds(None) => "—".to_string(),
    }
}

/// An RFC 3339 time in the site's time zone.
fn local_time(seconds: i64, tz: chrono_tz::Tz) -> String {
    DateTime::from_timestamp(seconds, 0)
        .map(|t| t.with_timezone(&tz).fixed_offset().to_rfc3339())
        .unwrap_or_default()
}

/// The clock, to the second: `--now` as given, or the real time without its fractions.
fn generated_at(report: &Report) -> String {
    report
        .now
        .to_rfc3339_opts(chrono::SecondsFormat::Secs, false)
}

fn words_of(report: &Report) -> Words {
    Words {
        chinese: report.language == Language::Chinese,
    }
}

// ---- text -------------------------------------------------------------------

/// Columns of a terminal: CJK characters take two.
fn display_width(text: &str) -> usize {
    text.chars()
        .map(|c| {
            let wide = matches!(u32::from(c),
                0x1100..=0x115F | 0x2E80..=0x303E | 0x3041..=0x33FF | 0x3400..=0x4DBF
                | 0x4E00..=0x9FFF | 0xA000..=0xA4CF | 0xAC00..=0xD7A3 | 0xF900..=0xFAFF
                | 0xFE30..=0xFE4F | 0xFF00..=0xFF60 | 0xFFE0..=0xFFE6 | 0x20000..=0x3FFFD);
            if wide { 2 } else { 1 }
        })
        .sum()
}

fn pad(text: &str, width: usize, right_align: bool) -> String {
    let fill = " ".repeat(width.saturating_sub(display_width(text)));
    if right_align {
        format!("{fill}{text}")
    } else {
        format!("{text}{fill}")
    }
}

fn text(report: &Report) -> String {
    let words = words_of(report);
    let statistics = &report.statistics;
    let by = statistics.by;
    let metrics = columns(by, &statistics.stages);
    let ranked = by != GroupBy::Stage;

    let mut table: Vec<Vec<String>> = Vec::new();
    let mut header = Vec::new();
    if ranked {
        header.push(words.pick("名次", "Rank").to_string());
    }
    header.push(words.group(by).to_string());
    header.extend(metrics.iter().map(|m| m.header(&words, by)));
    table.push(header);
    let line = |row: &Row, name: String| {
        let mut cells = Vec::new();
        if ranked {
            cells.push(row.rank.map(|r| r.to_string()).unwrap_or_default());
        }
        cells.push(name);
        cells.extend(metrics.iter().map(|m| human(m.value(row), &words)));
        cells
    };
    for row in &statistics.rows {
        table.push(line(row, label(row, &words)));
    }
    table.push(line(&statistics.total, words.total().to_string()));

    let widths: Vec<usize> = (0..table[0].len())
        .map(|column| {
            table
                .iter()
                .map(|cells| display_width(&cells[column]))
                .max()
                .unwrap_or(0)
        })
        .collect();
    let name_column = usize::from(ranked);
    let mut out = String::new();
    let _ = writeln!(out, "{}", words.title(report));
    let _ = writeln!(
        out,
        "{}{}",
        words.pick("统计期间：", "Period: "),
        words.period(report)
    );
    let _ = writeln!(
        out,
        "{}{}{}{}{}{}",
        words.pick("分组：", "Grouped by: "),
        words.group(by),
        words.pick("；统计版本：", "; revision: "),
        report.revision,
        words.pick("；生成时间：", "; generated at: "),
        generated_at(report)
    );
    out.push('\n');
    let rule_at = table.len() - 1;
    for (index, cells) in table.iter().enumerate() {
        if index == rule_at || index == 1 {
            let total: usize = widths.iter().sum::<usize>() + 2 * (widths.len() - 1);
            let _ = writeln!(out, "{}", "-".repeat(total));
        }
        let padded: Vec<String> = cells
            .iter()
            .zip(&widths)
            .enumerate()
            .map(|(column, (cell, width))| pad(cell, *width, column != name_column))
            .collect();
        let _ = writeln!(out, "{}", padded.join("  ").trim_end());
    }
    out.push('\n');
    for note in words.notes(by) {
        let _ = writeln!(out, "* {note}");
    }
    out
}

// ---- CSV --------------------------------------------------------------------

/// One CSV field: RFC 4180 quoting, and a leading `'` for text a
/// spreadsheet would take as a formula.
fn csv_field(text: &str) -> String {
    let text = if text.starts_with(['=', '+', '-', '@']) {
        format!("'{text}")
    } else {
        text.to_string()
    };
    if text.contains([',', '"', '\r', '\n']) {
        format!("\"{}\"", text.replace('"', "\"\""))
    } else {
        text
    }
}

fn csv(report: &Report) -> String {
    let words = words_of(report);
    let statistics = &report.statistics;
    let by = statistics.by;
    let metrics = columns(by, &statistics.stages);
    let hours = words.pick("（小时）", " (hours)");
    let mut header = vec![
        words.pick("名次", "Rank").to_string(),
        words.pick("编号", "ID").to_string(),
        words.group(by).to_string(),
    ];
    header.extend(metrics.iter().map(|m| match m.value(&statistics.total) {
        Value::Seconds(_) => format!("{}{hours}", m.header(&words, by)),
        Value::Count(_) => m.header(&words, by),
    }));
    let record = |row: &Row, name: &str| -> String {
        let mut fields = vec![
            row.rank.map(|r| r.to_string()).unwrap_or_default(),
            csv_field(row.id.as_deref().unwrap_or("")),
            csv_field(name),
        ];
        fields.extend(metrics.iter().map(|m| {
            match m.value(row) {
                Value::Count(n) => n.map(|n| n.to_string()).unwrap_or_default(),
                Value::Seconds(s) => s
                    .map(|s| format!("{:.1}", s as f64 / 3_600.0))
                    .unwrap_or_default(),
            }
        }));
        fields.join(",") + "\r\n"
    };
    let mut out = String::from('\u{FEFF}');
    out.push_str(
        &header
            .iter()
            .map(|h| csv_field(h))
            .collect::<Vec<_>>()
            .join(","),
    );
    out.push_str("\r\n");
    for row in &statistics.rows {
        let name = match (&row.name, &row.id) {
            (Some(name), _) => name.clone(),
            (None, Some(id)) => id.clone(),
            (None, None) => words.not_set().to_string(),
        };
        out.push_str(&record(row, &name));
    }
    out.push_str(&record(&statistics.total, words.total()));
    out
}

// ---- JSON -------------------------------------------------------------------

/// The JSON document (schema 1; documented in docs/report.md).
#[derive(Serialize)]
struct JsonReport<'a> {
    schema: u32,
    site: &'a str,
    language: &'static str,
    revision: &'a str,
    now: String,
    timezone: String,
    period: JsonPeriod,
    by: GroupBy,
    stages: &'a [StageName],
    rows: &'a [Row],
    total: &'a Row,
    articles: Vec<JsonArticle<'a>>,
}

#[derive(Serialize)]
struct JsonPeriod {
    from: Option<String>,
    to: String,
}

#[derive(Serialize)]
struct JsonArticle<'a> {
    path: &'a str,
    title: Option<&'a str>,
    unit: Option<&'a str>,
    column: &'a str,
    drafter: Option<&'a str>,
    drafted_at: Option<String>,
    published_at: String,
    days_late: Option<i64>,
}

fn json_article(publication: &Publication, tz: chrono_tz::Tz) -> JsonArticle<'_> {
    let item = &publication.item;
    JsonArticle {
        path: &item.path,
        title: item.title.as_deref(),
        unit: item.unit.as_deref(),
        column: &item.column,
        drafter: item.drafter.as_deref(),
        drafted_at: publication.drafted_at.map(|s| local_time(s, tz)),
        published_at: local_time(publication.published_at, tz),
        days_late: publication.days_late,
    }
}

fn json(report: &Report) -> String {
    let statistics = &report.statistics;
    let document = JsonReport {
        schema: 1,
        site: &report.site,
        language: report.language.code(),
        revision: &report.revision,
        now: generated_at(report),
        timezone: report.timezone.to_string(),
        period: JsonPeriod {
            from: report.period.from.map(|d| d.to_string()),
            to: report.period.to.to_string(),
        },
        by: statistics.by,
        stages: &statistics.stages,
        rows: &statistics.rows,
        total: &statistics.total,
        articles: statistics
            .articles
            .iter()
            .map(|p| json_article(p, report.timezone))
            .collect(),
    };
    // Plain data with string keys: encoding cannot fail.
    let text = serde_json::to_string_pretty(&document).unwrap_or_default();
    format!("{text}\n")
}

// ---- HTML -------------------------------------------------------------------

fn escape(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&#39;"),
            c => out.push(c),
        }
    }
    out
}

const STYLE: &str = "body{font-family:system-ui,\"PingFang SC\",\"Microsoft YaHei\",sans-serif;margin:2rem;color:#1a1a1a;background:#fff;line-height:1.5}\
table{border-collapse:collapse;margin:1rem 0 2rem}\
caption{text-align:left;font-weight:bold;padding:.5rem 0}\
th,td{border:1px solid #767676;padding:.3rem .6rem}\
thead th{background:#eee}\
td.n{text-align:right;font-variant-numeric:tabular-nums}\
tfoot th,tfoot td{font-weight:bold}\
th[scope=row]{text-align:left;font-weight:normal}\
tfoot th[scope=row]{font-weight:bold}\
@media print{body{margin:0}}";

fn html(report: &Report) -> String {
    let words = words_of(report);
    let statistics = &report.statistics;
    let by = statistics.by;
    let metrics = columns(by, &statistics.stages);
    let ranked = by != GroupBy::Stage;
    let title = escape(&words.title(report));
    let mut out = String::new();
    let _ = write!(
        out,
        "<!DOCTYPE html>\n<html lang=\"{}\">\n<head>\n<meta charset=\"utf-8\">\n\
<meta http-equiv=\"Content-Security-Policy\" content=\"default-src 'none'; style-src 'unsafe-inline'\">\n\
<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n\
<title>{title}</title>\n<style>{STYLE}</style>\n</head>\n<body>\n<main>\n<h1>{title}</h1>\n<dl>\n",
        report.language.code()
    );
    for (term, value) in [
        (words.pick("统计期间", "Period"), words.period(report)),
        (
            words.pick("分组", "Grouped by"),
            words.group(by).to_string(),
        ),
        (words.pick("统计版本", "Revision"), report.revision.clone()),
        (words.pick("生成时间", "Generated at"), generated_at(report)),
    ] {
        let _ = writeln!(out, "<dt>{}</dt><dd>{}</dd>", escape(term), escape(&value));
    }
    out.push_str("</dl>\n<table>\n");
    let _ = writeln!(
        out,
        "<caption>{}{}</caption>",
        escape(&words.title(report)),
        escape(&if words.chinese {
            format!("（按{}）", words.group(by))
        } else {
            format!(", by {}", words.group(by).to_lowercase())
        })
    );
    out.push_str("<thead><tr>");
    if ranked {
        let _ = write!(out, "<th scope=\"col\">{}</th>", words.pick("名次", "Rank"));
    }
    let _ = write!(out, "<th scope=\"col\">{}</th>", words.group(by));
    for metric in &metrics {
        let _ = write!(
            out,
            "<th scope=\"col\">{}</th>",
            escape(&metric.header(&words, by))
        );
    }
    out.push_str("</tr></thead>\n<tbody>\n");
    let row_html = |row: &Row, name: &str| -> String {
        let mut cells = String::from("<tr>");
        if ranked {
            let _ = write!(
                cells,
                "<td class=\"n\">{}</td>",
                row.rank.map(|r| r.to_string()).unwrap_or_default()
            );
        }
        let _ = write!(cells, "<th scope=\"row\">{}</th>", escape(name));
        for metric in &metrics {
            let _ = write!(
                cells,
                "<td class=\"n\">{}</td>",
                escape(&human(metric.value(row), &words))
            );
        }
        cells.push_str("</tr>\n");
        cells
    };
    for row in &statistics.rows {
        out.push_str(&row_html(row, &label(row, &words)));
    }
    out.push_str("</tbody>\n<tfoot>\n");
    out.push_str(&row_html(&statistics.total, words.total()));
    out.push_str("</tfoot>\n</table>\n<ul>\n");
    for note in words.notes(by) {
        let _ = writeln!(out, "<li>{}</li>", escape(note));
    }
    out.push_str("</ul>\n");
    articles_table(&mut out, report, &words);
    out.push_str("</main>\n</body>\n</html>\n");
    out
}

/// The articles counted as published, so a reader can check the numbers.
fn articles_table(out: &mut String, report: &Report, words: &Words) {
    let articles = &report.statistics.articles;
    let caption = if words.chinese {
        format!("本期发布稿件（{} 篇）", articles.len())
    } else {
        format!("Articles published in the period ({})", articles.len())
    };
    let _ = writeln!(out, "<table>\n<caption>{}</caption>", escape(&caption));
    out.push_str("<thead><tr>");
    for header in [
        words.pick("发布时间", "Published"),
        words.pick("标题", "Title"),
        words.pick("栏目", "Column"),
        words.pick("报送单位", "Unit"),
        words.pick("撰稿人", "Drafted by"),
        words.pick("超时天数", "Days late"),
    ] {
        let _ = write!(out, "<th scope=\"col\">{header}</th>");
    }
    out.push_str("</tr></thead>\n<tbody>\n");
    for publication in articles {
        let item = &publication.item;
        let _ = writeln!(
            out,
            "<tr><td>{}</td><th scope=\"row\">{}</th><td>{}</td><td>{}</td><td>{}</td><td class=\"n\">{}</td></tr>",
            escape(&local_time(publication.published_at, report.timezone)),
            escape(item.title.as_deref().unwrap_or(&item.path)),
            escape(&item.column),
            escape(item.unit.as_deref().unwrap_or(words.not_set())),
            escape(item.drafter.as_deref().unwrap_or(words.not_set())),
            publication
                .days_late
                .map(|d| d.to_string())
                .unwrap_or_default()
        );
    }
    out.push_str("</tbody>\n</table>\n");
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn csv_fields_are_quoted_as_rfc_4180_says() {
        assert_eq!(csv_field("科普部"), "科普部");
        assert_eq!(
            csv_field("关于\"科普月\",活动的通知"),
            "\"关于\"\"科普月\"\",活动的通知\""
        );
        assert_eq!(csv_field("two\nlines"), "\"two\nlines\"");
    }

    #[test]
    fn csv_text_that_looks_like_a_formula_is_kept_as_text() {
        assert_eq!(csv_field("=HYPERLINK(\"x\")"), "\"'=HYPERLINK(\"\"x\"\")\"");
        assert_eq!(csv_field("@sum"), "'@sum");
    }

    #[test]
    fn durations_read_like_people_write_them() {
        let zh = Words { chinese: true };
        let en = Words { chinese: false };
        assert_eq!(human_duration(0, &zh), "0分钟");
        assert_eq!(human_duration(90 * 60, &zh), "1小时30分钟");
        assert_eq!(human_duration(2 * 86_400 + 3 * 3_600 + 59, &zh), "2天3小时");
        assert_eq!(human_duration(86_400, &en), "1d");
        assert_eq!(human_duration(3_600 + 60, &en), "1h 1m");
    }

    #[test]
    fn cjk_takes_two_columns() {
        assert_eq!(display_width("科普部 (kepu)"), 13);
        assert_eq!(pad("科普", 6, true), "  科普");
    }

    #[test]
    fn html_escapes_markup() {
        assert_eq!(
            escape("<script>\"a\" & 'b'</script>"),
            "&lt;script&gt;&quot;a&quot; &amp; &#39;b&#39;&lt;/script&gt;"
        );
    }
}
