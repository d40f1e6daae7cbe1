//! `sanshen check`: catch before publication what government website
//! inspections catch (SPEC §5, §6).
//!
//! Every rule has an id, a default severity and a default answer to "does it
//! stop publication?" ([`RuleId`]). `site.toml` `[checks]` may change the
//! severity of the rules that never block; which rules block, and where
//! not, is policy (`approvals/policy.yaml` `checks:`) ([`RuleSettings`]). The rules come in families, one file each:
//!
//! - per article version, from its own text and assets: [`secrets`],
//!   [`privacy`], [`words`], [`attachments`] and the per-version half of
//!   [`timeliness`] — run by [`ContentRules`], which `build` also runs on every
//!   approved version, so a version failing a *blocking* rule is never
//!   published;
//! - over the whole site: the cross-article half of [`timeliness`],
//!   [`columns`] (stale and empty columns, the inspection view), [`links`],
//!   [`identity`] and [`a11y`] over the site rendered with the real renderer,
//!   and [`keys`] over the approval policy.
//!
//! [`run`] puts them together for the command; [`format`] prints the result
//! for people, scripts and CI systems.

pub mod a11y;
pub mod attachments;
pub mod columns;
mod content;
pub mod external;
pub mod format;
pub mod identity;
pub mod keys;
pub mod links;
pub mod privacy;
mod rendered;
pub mod secrets;
pub(crate) mod text;
pub mod timeliness;
pub mod words;

use std::collections::BTreeMap;

use chrono::{DateTime, FixedOffset};
use serde::Serialize;

use crate::error::{Diagnostic, Result};
use crate::ledger::Ledger;
use crate::ledger::policy::PolicyChecks;
use crate::publish::PublicationSet;
use crate::repo::Repo;
use crate::site::Language;
use crate::site::config::ChecksConfig;

pub use columns::Inspection;
pub use content::ContentRules;

pub use crate::catalog::{RuleId, Scope, Severity};

/// A rule's severity and blocking after `[checks.rules]` overrides.
#[derive(Debug, Clone)]
pub struct RuleSettings {
    severity: BTreeMap<RuleId, Severity>,
    /// Where the policy lets a blocking rule pass (SPEC §4 `checks.allow`).
    policy: PolicyChecks,
}

impl RuleSettings {
    /// The reporting rules' severities from site.toml, which rules block
    /// from the policy. Both were validated when they were read.
    pub fn new(site: &ChecksConfig, policy: &PolicyChecks) -> RuleSettings {
        let severity = RuleId::ALL
            .iter()
            .map(|&rule| {
                let over = site.rules.get(rule.as_str()).and_then(|o| o.severity);
                (rule, over.unwrap_or(rule.default_severity()))
            })
            .collect();
        RuleSettings {
            severity,
            policy: policy.clone(),
        }
    }

    pub fn severity(&self, rule: RuleId) -> Severity {
        self.severity
            .get(&rule)
            .copied()
            .unwrap_or(rule.default_severity())
    }

    /// Can a finding of this rule stop the publication of a version?
    pub fn may_block(&self, rule: RuleId) -> bool {
        rule.scope() == Scope::Version && rule.default_blocking()
    }

    /// Does a finding of this rule stop the publication of a version of an
    /// article in `column`? `classified` and unreadable front matter always
    /// do; the others unless the policy allows them there.
    pub fn blocks(&self, rule: RuleId, column: &str) -> bool {
        self.may_block(rule) && (rule.always_blocks() || self.policy.blocks(rule.as_str(), column))
    }

    /// Give a finding its effective severity and blocking; `None` when its rule is off.
    fn settle(&self, mut finding: Finding) -> Option<Finding> {
        let effective = self.severity(finding.rule);
        if effective == Severity::Off {
            return None;
        }
        let allowed = self.may_block(finding.rule)
            && finding
                .article_column
                .as_deref()
                .is_some_and(|column| !self.blocks(finding.rule, column));
        finding.severity = match (finding.ceiling, allowed) {
            (Some(ceiling), _) => effective.min(ceiling),
            // Allowed here by the policy: worth a look, never an error.
            (None, true) => effective.min(Severity::Warning),
            (None, false) => effective,
        };
        finding.blocking = finding.ceiling.is_none()
            && finding.severity == Severity::Error
            && finding
                .article_column
                .as_deref()
                .is_some_and(|column| self.blocks(finding.rule, column));
        Some(finding)
    }
}

/// Which version of an article a finding is about.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct VersionLabel {
    /// The article's object id (blob or bundle tree).
    pub oid: String,
    /// The article's state at the revision (`published`, `pending`, …).
    pub state: String,
    /// Not (yet) approved: the findings show what review will run into.
    pub draft: bool,
}

/// One problem found.
#[derive(Debug, Clone, Serialize)]
pub struct Finding {
    pub rule: RuleId,
    pub severity: Severity,
    /// Stops the publication of this version (build exits 1 naming it).
    pub blocking: bool,
    pub file: Option<String>,
    /// 1-based.
    pub line: Option<usize>,
    /// 1-based, in characters.
    pub column: Option<usize>,
    pub message: String,
    pub help: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub version: Option<VersionLabel>,
    /// The column (栏目) of the article the finding is about: where the
    /// policy may let a blocking rule pass.
    #[serde(skip)]
    article_column: Option<String>,
    /// The most this finding may weigh (a 70% stale column is a warning
    /// even when the rule is an error).
    #[serde(skip)]
    ceiling: Option<Severity>,
}

impl Finding {
    pub fn new(rule: RuleId, message: impl Into<String>) -> Finding {
        Finding {
            rule,
            severity: rule.default_severity(),
            blocking: false,
            file: None,
            line: None,
            column: None,
            message: message.into(),
            help: None,
            version: None,
            article_column: None,
            ceiling: None,
        }
    }

    pub fn in_file(mut self, file: impl Into<String>) -> Finding {
        self.file = Some(file.into());
        self
    }

    pub fn at(mut self, line: Option<usize>, column: Option<usize>) -> Finding {
        self.line = line;
        self.column = column;
        self
    }

    pub fn with_help(mut self, help: impl Into<String>) -> Finding {
        self.help = Some(help.into());
        self
    }

    /// Never more serious than `ceiling`, whatever the rule's severity.
    pub fn at_most(mut self, ceiling: Severity) -> Finding {
        self.ceiling = Some(ceiling);
        self
    }

    /// The finding is about this version of an article.
    pub(crate) fn labelled(mut self, label: &VersionLabel) -> Finding {
        self.version = Some(label.clone());
        self
    }

    /// The finding as a build error names it.
    pub fn to_diagnostic(&self) -> Diagnostic {
        let mut diagnostic = Diagnostic::new(format!("[{}] {}", self.rule.as_str(), self.message));
        diagnostic.file = self.file.clone();
        diagnostic.line = self.line;
        diagnostic.help = self.help.clone();
        diagnostic
    }
}

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
    let say = text::Say::new(set.site.language);

    let (mut findings, summaries) = content::check_versions(repo, ledger, set, &rules)?;
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

    let site_text = content::approved_site_text(repo, set);
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
