//! Which rules report and which block, where: severities from site.toml
//! `[checks.rules]` (reporting rules only), blocking from the policy
//! (`checks.allow`, SPEC §4).

use std::collections::BTreeMap;

use crate::catalog::{RuleId, Scope, Severity};
use crate::ledger::policy::PolicyChecks;
use crate::rules::finding::Finding;
use crate::site::config::ChecksConfig;

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
    pub fn settle(&self, mut finding: Finding) -> Option<Finding> {
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
