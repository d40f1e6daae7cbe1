//! The publication record (`build --manifest FILE`, SPEC §6–7): every
//! published path with its object id, workflow, and each stage's approvers
//! with commit and time — the audit trail (操作可查) of what went online.

use std::path::Path;

use chrono::{DateTime, FixedOffset};
use serde::Serialize;

use crate::error::{Error, Result};
use crate::ledger::Ledger;
use crate::ledger::verdict::{Approval, VersionState};
use crate::publish::PublicationSet;

#[derive(Serialize)]
struct Manifest<'a> {
    revision: String,
    now: String,
    policy: PolicyRecord,
    site: Option<Entry<'a>>,
    theme: Option<Entry<'a>>,
    articles: Vec<Entry<'a>>,
    /// Approved versions not published, with the reason (SPEC §7).
    held_back: Vec<HeldBackRecord<'a>>,
}

#[derive(Serialize)]
struct HeldBackRecord<'a> {
    path: &'a str,
    oid: &'a str,
    rule: &'a str,
    message: &'a str,
    #[serde(skip_serializing_if = "Option::is_none")]
    file: Option<&'a str>,
    #[serde(skip_serializing_if = "Option::is_none")]
    line: Option<usize>,
    #[serde(skip_serializing_if = "Option::is_none")]
    help: Option<&'a str>,
    advice: &'a str,
}

#[derive(Serialize)]
struct PolicyRecord {
    version: u64,
    trust_root_commit: String,
    trust_on_first_use: bool,
    /// The `approvals/` tree in force.
    oid: String,
}

#[derive(Serialize)]
struct Entry<'a> {
    path: String,
    oid: &'a str,
    #[serde(skip_serializing_if = "Option::is_none")]
    url: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    title: Option<&'a str>,
    workflow: Option<&'a str>,
    stages: Vec<StageRecord>,
}

#[derive(Serialize)]
pub struct StageRecord {
    pub id: String,
    pub name: String,
    pub approvals: Vec<ApprovalRecord>,
}

#[derive(Serialize)]
pub struct ApprovalRecord {
    pub person: String,
    pub name: String,
    pub commit: String,
    pub time: String,
}

/// Stage-by-stage approvals of a version, with names and times for people.
pub fn stage_records(ledger: &Ledger, version: &VersionState) -> Vec<StageRecord> {
    let policy = &ledger.verdict.policy;
    let Some(workflow) = version
        .workflow
        .as_ref()
        .and_then(|w| policy.workflows.get(w))
    else {
        return Vec::new();
    };
    workflow
        .stages
        .iter()
        .zip(version.stages(workflow))
        .map(|(stage, approvals)| StageRecord {
            id: stage.id.clone(),
            name: stage.name.clone(),
            approvals: approvals
                .iter()
                .map(|a| ApprovalRecord {
                    person: a.person.clone(),
                    name: policy
                        .people
                        .get(&a.person)
                        .map(|p| p.name.clone())
                        .unwrap_or_default(),
                    commit: a.commit.clone(),
                    time: approval_time(ledger, a),
                })
                .collect(),
        })
        .collect()
}

/// An approval's commit time in the commit's own offset, RFC 3339.
pub fn approval_time(ledger: &Ledger, approval: &Approval) -> String {
    let offset = ledger
        .history
        .commits
        .get(approval.at.index())
        .map(|c| c.time_offset_minutes)
        .unwrap_or(0);
    format_time(approval.time, offset)
}

pub fn format_time(seconds: i64, offset_minutes: i32) -> String {
    let offset = FixedOffset::east_opt(offset_minutes * 60)
        .unwrap_or_else(|| FixedOffset::east_opt(0).expect("zero offset"));
    DateTime::from_timestamp(seconds, 0)
        .map(|t| t.with_timezone(&offset).to_rfc3339())
        .unwrap_or_default()
}

fn entry<'a>(ledger: &'a Ledger, path: &str, oid: &'a str) -> Entry<'a> {
    let version = ledger.verdict.version(path, oid);
    Entry {
        path: path.to_string(),
        oid,
        url: None,
        title: None,
        workflow: version.and_then(|v| v.workflow.as_deref()),
        stages: version
            .map(|v| stage_records(ledger, v))
            .unwrap_or_default(),
    }
}

/// Write the manifest as pretty JSON.
pub fn write(path: &Path, ledger: &Ledger, set: &PublicationSet) -> Result<()> {
    let policy_oid = ledger.verdict.policy_oid.clone();
    let manifest = Manifest {
        revision: ledger.head.to_string(),
        now: set.now.to_rfc3339(),
        policy: PolicyRecord {
            version: ledger.verdict.policy.version,
            trust_root_commit: ledger.root_commit().to_string(),
            trust_on_first_use: ledger.root.trust_on_first_use,
            oid: policy_oid,
        },
        site: Some(entry(ledger, crate::site::config::SITE_FILE, &set.site_oid)),
        theme: set.theme_oid.as_deref().map(|oid| {
            let name = set.site.theme.as_deref().unwrap_or("default");
            entry(ledger, &format!("themes/{name}"), oid)
        }),
        articles: set
            .articles
            .iter()
            .map(|article| Entry {
                url: Some(set.site.absolute_url(&article.path.url())),
                title: Some(&article.front.title),
                ..entry(ledger, &article.path.path, &article.oid)
            })
            .collect(),
        held_back: set
            .held_back
            .iter()
            .map(|item| HeldBackRecord {
                path: &item.path,
                oid: &item.oid,
                rule: &item.rule,
                message: &item.problem.message,
                file: item.problem.file.as_deref(),
                line: item.problem.line,
                help: item.problem.help.as_deref(),
                advice: &item.advice,
            })
            .collect(),
    };
    let json = serde_json::to_string_pretty(&manifest).map_err(|e| {
        Error::config(crate::error::Diagnostic::new(format!(
            "cannot encode the manifest: {e}"
        )))
    })?;
    if let Some(parent) = path.parent().filter(|p| !p.as_os_str().is_empty()) {
        std::fs::create_dir_all(parent)
            .map_err(|e| Error::io(parent, &e, "create the manifest's folder"))?;
    }
    std::fs::write(path, format!("{json}\n")).map_err(|e| Error::io(path, &e, "write the manifest"))
}
