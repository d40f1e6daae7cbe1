//! How a report is printed: text for people (grouped by file, in the site's
//! language), JSON for scripts, SARIF 2.1.0 for CI systems that annotate
//! pull requests.

use std::collections::BTreeMap;
use std::fmt::Write as _;

use serde_json::{Value, json};

use crate::catalog::{RuleId, Severity};
use crate::checks::Report;
use crate::rules::Finding;
use crate::site::Language;

/// The `--format` of `sanshen check`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
pub enum Format {
    Text,
    Json,
    Sarif,
}

pub fn render(report: &Report, format: Format) -> String {
    match format {
        Format::Text => text(report),
        Format::Json => {
            let mut value = serde_json::to_value(report).unwrap_or(Value::Null);
            if let Value::Object(map) = &mut value {
                map.insert(
                    "summary".into(),
                    json!({
                        "errors": report.count(Severity::Error),
                        "warnings": report.count(Severity::Warning),
                        "blocking": report.findings.iter().filter(|f| f.blocking).count(),
                        "inspection_fails": report.inspection.fails(),
                    }),
                );
            }
            format!(
                "{}\n",
                serde_json::to_string_pretty(&value).unwrap_or_default()
            )
        }
        Format::Sarif => format!(
            "{}\n",
            serde_json::to_string_pretty(&sarif(report)).unwrap_or_default()
        ),
    }
}

fn text(report: &Report) -> String {
    let chinese = report.language == Language::Chinese;
    let pick = |zh: &str, en: &str| {
        if chinese {
            zh.to_string()
        } else {
            en.to_string()
        }
    };
    let mut out = String::new();
    let mut by_file: BTreeMap<(bool, String), Vec<&Finding>> = BTreeMap::new();
    for finding in &report.findings {
        let key = match &finding.file {
            Some(file) => (false, file.clone()),
            None => (true, pick("（全站）", "(site)")),
        };
        by_file.entry(key).or_default().push(finding);
    }
    for ((_, file), findings) in &by_file {
        let _ = writeln!(out, "{file}");
        for finding in findings {
            let location = match (finding.line, finding.column) {
                (Some(line), Some(column)) => format!("{line}:{column}"),
                (Some(line), None) => format!("{line}"),
                _ => "-".to_string(),
            };
            let severity = match (finding.severity, chinese) {
                (Severity::Error, true) => "错误",
                (Severity::Error, false) => "error",
                (_, true) => "警告",
                (_, false) => "warning",
            };
            let mut tags = Vec::new();
            if finding.blocking {
                tags.push(pick("阻止发布", "blocks publication"));
            }
            if let Some(version) = &finding.version {
                if version.draft {
                    tags.push(pick("草稿，未审核完成", "draft, not approved"));
                } else if version.state != "published" {
                    tags.push(version.state.clone());
                }
            }
            let tags = if tags.is_empty() {
                String::new()
            } else {
                format!(" [{}]", tags.join(", "))
            };
            let _ = writeln!(
                out,
                "  {location:>7}  {severity:<7} {:<22} {}{tags}",
                finding.rule.as_str(),
                finding.message
            );
            if let Some(help) = &finding.help {
                let _ = writeln!(out, "           {}{help}", pick("处理：", "help: "));
            }
        }
        out.push('\n');
    }
    let inspection = &report.inspection;
    let _ = writeln!(
        out,
        "{}",
        pick(
            "检查视图（对照全国政府网站检查指标）：",
            "Inspection view (national website inspection thresholds):"
        )
    );
    match inspection.home_days_since_update {
        Some(days) => {
            let _ = writeln!(
                out,
                "  {}",
                if chinese {
                    format!(
                        "首页：{days} 天未更新（上限 {} 天）",
                        inspection.home_limit_days
                    )
                } else {
                    format!(
                        "home page: {days} days since the last new article (limit {})",
                        inspection.home_limit_days
                    )
                }
            );
        }
        None => {
            let _ = writeln!(
                out,
                "  {}",
                pick("首页：没有任何已发布稿件", "home page: nothing published")
            );
        }
    }
    for (zh, en, columns, limit) in [
        (
            "动态要闻、通知公告类栏目未更新",
            "stale news / notice columns",
            &inspection.stale_news_columns,
            inspection.stale_news_limit,
        ),
        (
            "其他应更新未更新栏目",
            "other stale columns",
            &inspection.stale_other_columns,
            inspection.stale_other_limit,
        ),
        (
            "空白栏目",
            "empty columns",
            &inspection.empty_columns,
            inspection.empty_limit,
        ),
    ] {
        let left = (limit + 1).saturating_sub(columns.len());
        let names = if columns.is_empty() {
            String::new()
        } else {
            format!(" — {}", columns.join(", "))
        };
        let _ = writeln!(
            out,
            "  {}",
            if chinese {
                format!(
                    "{zh}：{} 个（超过 {limit} 个不合格，还差 {left} 个）{names}",
                    columns.len()
                )
            } else {
                format!(
                    "{en}: {} (more than {limit} fails; {left} to go){names}",
                    columns.len()
                )
            }
        );
    }
    let _ = writeln!(
        out,
        "  {}",
        match (inspection.fails(), chinese) {
            (true, true) => "结论：按当前状态检查将判为不合格",
            (true, false) => "verdict: an inspection now would fail the site",
            (false, true) => "结论：未触及单项否决指标",
            (false, false) => "verdict: no single-veto indicator is hit",
        }
    );
    out.push('\n');
    let errors = report.count(Severity::Error);
    let warnings = report.count(Severity::Warning);
    let blocking = report.findings.iter().filter(|f| f.blocking).count();
    let _ = writeln!(
        out,
        "{}",
        if chinese {
            format!("共 {errors} 个错误、{warnings} 个警告，其中 {blocking} 个阻止发布")
        } else {
            format!("{errors} error(s), {warnings} warning(s); {blocking} block publication")
        }
    );
    out
}

fn sarif_level(severity: Severity) -> &'static str {
    match severity {
        Severity::Error => "error",
        Severity::Warning => "warning",
        Severity::Off => "none",
    }
}

fn sarif(report: &Report) -> Value {
    let rules: Vec<Value> = RuleId::ALL
        .iter()
        .map(|rule| {
            json!({
                "id": rule.as_str(),
                "shortDescription": { "text": rule.summary(Language::English) },
                "fullDescription": { "text": rule.summary(report.language) },
                "defaultConfiguration": { "level": sarif_level(rule.default_severity()) },
                "properties": { "blockingByDefault": rule.default_blocking() },
            })
        })
        .collect();
    let results: Vec<Value> = report
        .findings
        .iter()
        .map(|finding| {
            let mut message = finding.message.clone();
            if let Some(help) = &finding.help {
                message = format!("{message}\n{help}");
            }
            let mut result = json!({
                "ruleId": finding.rule.as_str(),
                "ruleIndex": RuleId::ALL.iter().position(|r| *r == finding.rule).unwrap_or(0),
                "level": sarif_level(finding.severity),
                "message": { "text": message },
                "properties": {
                    "blocking": finding.blocking,
                },
            });
            if let Some(file) = &finding.file {
                let mut region = serde_json::Map::new();
                if let Some(line) = finding.line {
                    region.insert("startLine".into(), json!(line));
                }
                if let Some(column) = finding.column {
                    region.insert("startColumn".into(), json!(column));
                }
                let mut physical = json!({ "artifactLocation": { "uri": file } });
                if !region.is_empty() {
                    physical["region"] = Value::Object(region);
                }
                result["locations"] = json!([{ "physicalLocation": physical }]);
            }
            if let Some(version) = &finding.version {
                result["properties"]["oid"] = json!(version.oid);
                result["properties"]["state"] = json!(version.state);
                result["properties"]["draft"] = json!(version.draft);
            }
            result
        })
        .collect();
    json!({
        "$schema": "https://json.schemastore.org/sarif-2.1.0.json",
        "version": "2.1.0",
        "runs": [{
            "tool": {
                "driver": {
                    "name": "sanshen",
                    "semanticVersion": env!("CARGO_PKG_VERSION"),
                    "rules": rules,
                }
            },
            "columnKind": "unicodeCodePoints",
            "results": results,
        }]
    })
}
