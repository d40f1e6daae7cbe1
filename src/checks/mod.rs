//! `sanshen check`: catch before publication what government website
//! inspections catch (SPEC §5, §6).
//!
//! Two kinds of rule meet here. The per-version rules (`crate::rules`) run
//! over the current version of every article and over its published
//! version ([`versions`]); they are the same rules `build` applies as its
//! gate, so what `check` calls blocking is what `build` holds back. The
//! whole-site checks read what the real renderer produced and what the
//! ledger decided: the cross-article half of [`timeliness`], [`columns`]
//! (stale and empty columns, the inspection view), [`links`], [`identity`],
//! [`a11y`] and [`keys`] over the approval policy. They report; they never
//! stop a version or a build.
//!
//! [`run`] puts them together for the command; [`format`] prints the result
//! for people, scripts and CI systems.

pub mod a11y;
pub mod columns;
pub mod external;
pub mod format;
pub mod identity;
pub mod keys;
pub mod links;
mod rendered;
pub mod timeliness;
mod versions;

use chrono::{DateTime, FixedOffset};
use serde::Serialize;

use crate::error::Result;
use crate::ledger::Ledger;
use crate::publish::PublicationSet;
use crate::repo::Repo;
use crate::rules::{ContentRules, Finding};
use crate::site::Language;

pub use columns::Inspection;

pub use crate::catalog::{RuleId, Scope, Severity};

/// What `check` found at a revision.
#[derive(Debug, Clone, Serialize)]
pub struct Report {
    /// The clock the report was made at (`--now`).
    #[serde(serialize_with = "rfc3339")]
    pub now: DateTime<FixedOffset>,
    /// Sorted by file, line, column and rule; findings without a file last.
    pub findings: Vec<Finding>,
    pub inspection: Inspection,
    #[serde(skip)]
    pub language: Language,
}

fn rfc3339<S: serde::Serializer>(
    time: &DateTime<FixedOffset>,
    serializer: S,
) -> std::result::Result<S::Ok, S::Error> {
    serializer.serialize_str(&time.to_rfc3339())
}

impl Report {
    pub fn count(&self, severity: Severity) -> usize {
        self.findings
            .iter()
            .filter(|f| f.severity == severity)
            .count()
    }

    /// SPEC §6: 1 with errors, 0 with warnings only.
    pub fn exit_code(&self) -> i32 {
        if self.count(Severity::Error) > 0 {
            1
        } else {
            0
        }
    }
}

/// Run every rule over the revision the ledger was evaluated at; external
/// links are probed only when `external` says how.
pub fn run(
    repo: &Repo,
    ledger: &Ledger,
    set: &PublicationSet,
    external: Option<external::ExternalProbe>,
) -> Result<Report> {
    let rules = ContentRules::load(ledger, &set.site, set.now)?;
    let say = crate::i18n::Say::new(set.site.language);

    let (mut findings, summaries) = versions::check_versions(repo, ledger, set, &rules)?;
    // What discovery set aside: never published, never stopping a build.
    findings.extend(set.warnings.iter().map(|problem| {
        let mut finding =
            Finding::new(RuleId::StrayFile, problem.message.clone()).at(problem.line, None);
        if let Some(file) = &problem.file {
            finding = finding.in_file(file);
        }
        match &problem.help {
            Some(help) => finding.with_help(help),
            None => finding,
        }
    }));
    findings.extend(timeliness::check_across(&rules, repo, &summaries));

    let site_text = versions::approved_site_text(repo, set);
    let column_report = columns::check(set, &site_text, &say);
    findings.extend(column_report.findings);

    let output = rendered::RenderedSite::render(set)?;
    findings.extend(links::check(set, &output, &say));
    if let Some(probe) = external
        && rules.settings.severity(RuleId::ExternalLink) != Severity::Off
    {
        findings.extend(external::check(set, &output, &say, probe));
    }
    findings.extend(identity::check(set, &output, &site_text, &say));
    findings.extend(a11y::check_site(set, &output, &say));
    findings.extend(keys::check(repo, ledger, set, &say));

    let mut settled: Vec<Finding> = findings
        .into_iter()
        .filter_map(|f| rules.settings.settle(f))
        .collect();
    settled.sort_by(|a, b| {
        (
            a.file.is_none(),
            &a.file,
            a.line,
            a.column,
            a.rule,
            &a.message,
        )
            .cmp(&(
                b.file.is_none(),
                &b.file,
                b.line,
                b.column,
                b.rule,
                &b.message,
            ))
    });
    // A finding in both the draft and the published version is reported once (the draft's).
    settled.dedup_by(|later, earlier| {
        later.rule == earlier.rule
            && later.file == earlier.file
            && later.line == earlier.line
            && later.column == earlier.column
            && later.message == earlier.message
    });
    Ok(Report {
        now: set.now,
        findings: settled,
        inspection: column_report.inspection,
        language: set.site.language,
    })
}
