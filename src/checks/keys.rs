//! The approval policy as a working structure (rules `dormant-key`, `policy`).
//!
//! - An approver's key unused longer than `settings.dormant_after` is a key
//!   nobody watches: a left colleague's laptop, a token in a drawer. It should
//!   be confirmed or revoked.
//! - A role whose members cannot sign (no key, or only revoked ones), a unit
//!   without a unit head, or a column whose units cannot complete the
//!   workflow its articles go through means articles that can never be
//!   published — found now rather than on the day one is urgent.

use std::collections::{BTreeMap, BTreeSet};

use chrono::DateTime;

use crate::catalog::RuleId;
use crate::checks::columns::column_line;
use crate::ledger::Ledger;
use crate::ledger::history::SignatureFacts;
use crate::ledger::policy::{POLICY_FILE, Policy, SITE_WORKFLOW};
use crate::publish::PublicationSet;
use crate::repo::Repo;
use crate::rules::Finding;
use crate::rules::text::Say;
use crate::site::config::SITE_FILE;

/// The role whose members are the unit heads (部门负责人), by SPEC §4's naming.
const UNIT_HEAD_ROLE: &str = "unit-head";

pub(crate) fn check(repo: &Repo, ledger: &Ledger, set: &PublicationSet, say: &Say) -> Vec<Finding> {
    let policy = &set.policy;
    let policy_text = policy_text(ledger).unwrap_or_default();
    let site_text = crate::checks::versions::approved_site_text(repo, set);
    let person_line = |person: &str| {
        let needle = format!("id: {person}");
        policy_text
            .lines()
            .position(|l| {
                l.contains(&needle)
                    && l[l.find(&needle).unwrap_or(0) + needle.len()..]
                        .chars()
                        .next()
                        .is_none_or(|c| !(c.is_ascii_alphanumeric() || c == '-' || c == '_'))
            })
            .map(|i| i + 1)
    };
    let revoked: BTreeSet<&String> = ledger
        .verdict
        .revoked
        .iter()
        .chain(&policy.settings.revoked_keys)
        .collect();
    let can_sign = |person: &str| {
        policy
            .people
            .get(person)
            .is_some_and(|p| p.keys.iter().any(|k| !revoked.contains(&k.fingerprint())))
    };
    let mut findings = Vec::new();

    // Dormant keys of people who hold a role.
    let holders: BTreeSet<&str> = policy
        .roles
        .values()
        .flatten()
        .map(|m| m.person.as_str())
        .collect();
    let mut last_used: BTreeMap<&str, i64> = BTreeMap::new();
    for commit in &ledger.history.commits {
        if let SignatureFacts::Ssh { fingerprint } = &commit.signature {
            let entry = last_used.entry(fingerprint.as_str()).or_insert(commit.time);
            *entry = (*entry).max(commit.time);
        }
    }
    let trusted_since = ledger
        .history
        .commits
        .get(ledger.root.enacted.index())
        .map(|c| c.time);
    let dormant_after = policy.settings.dormant_after;
    let now = set.now.timestamp();
    let day = |seconds: i64| {
        DateTime::from_timestamp(seconds, 0)
            .map(|t| t.with_timezone(&set.site.timezone).date_naive().to_string())
            .unwrap_or_default()
    };
    for person in holders.iter().filter_map(|id| policy.people.get(*id)) {
        for key in &person.keys {
            let fingerprint = key.fingerprint();
            if revoked.contains(&fingerprint) {
                continue;
            }
            let (since, message) = match last_used.get(fingerprint.as_str()) {
                Some(&time) => (
                    time,
                    say.pick(
                        format!("{}（{}）的密钥 {fingerprint} 自 {} 起未再使用，超过 {dormant_after}", person.name, person.id, day(time)),
                        format!("{} ({})'s key {fingerprint} has not signed anything since {}, longer than {dormant_after}", person.name, person.id, day(time)),
                    ),
                ),
                None => {
                    let Some(since) = trusted_since else { continue };
                    (
                        since,
                        say.pick(
                            format!("{}（{}）的密钥 {fingerprint} 自审核制度生效（{}）以来从未使用", person.name, person.id, day(since)),
                            format!("{} ({})'s key {fingerprint} has never signed anything since the policy was first trusted ({})", person.name, person.id, day(since)),
                        ),
                    )
                }
            };
            if now - since > dormant_after.seconds {
                findings.push(
                    Finding::new(RuleId::DormantKey, message)
                        .in_file(POLICY_FILE)
                        .at(person_line(&person.id), None)
                        .with_help(say.pick(
                            "确认本人仍持有该密钥；人员离岗或密钥遗失的，把指纹加入 settings.revoked_keys 并经管理员批准",
                            "confirm the person still holds the key; if they left or lost it, add its fingerprint to settings.revoked_keys and have the policy approved",
                        )),
                );
            }
        }
    }

    // Roles nobody can act in.
    for (role, members) in &policy.roles {
        if !members.iter().any(|m| can_sign(&m.person)) {
            let line = policy_text
                .lines()
                .position(|l| l.trim_start().starts_with(&format!("{role}:")))
                .map(|i| i + 1);
            findings.push(
                Finding::new(
                    RuleId::Policy,
                    say.pick(
                        format!("角色 {role} 没有可以签名的成员（无密钥或密钥已吊销）"),
                        format!("role `{role}` has no member who can sign (no key, or only revoked keys)"),
                    ),
                )
                .in_file(POLICY_FILE)
                .at(line, None)
                .with_help(say.pick("为该角色的成员登记有效的 SSH 公钥", "list a valid SSH public key for a member of the role")),
            );
        }
    }

    // Units without a unit head.
    if let Some(heads) = policy.roles.get(UNIT_HEAD_ROLE) {
        for unit in policy.units.values() {
            if !heads.iter().any(|m| m.covers(true, Some(&unit.id))) {
                let line = policy_text
                    .lines()
                    .position(|l| l.contains(&format!("id: {}", unit.id)))
                    .map(|i| i + 1);
                findings.push(
                    Finding::new(
                        RuleId::Policy,
                        say.pick(
                            format!(
                                "部门 {}（{}）没有部门负责人（角色 {UNIT_HEAD_ROLE}）",
                                unit.name, unit.id
                            ),
                            format!(
                                "unit {} ({}) has no unit head (role `{UNIT_HEAD_ROLE}`)",
                                unit.name, unit.id
                            ),
                        ),
                    )
                    .in_file(POLICY_FILE)
                    .at(line, None)
                    .with_help(say.pick(
                        format!("在 roles.{UNIT_HEAD_ROLE}.members 中加入该部门的负责人"),
                        format!("add the unit's head under roles.{UNIT_HEAD_ROLE}.members"),
                    )),
                );
            }
        }
    }

    // Columns whose units cannot complete their articles' workflows.
    for column in set.site.columns.iter() {
        let units: Vec<Option<&str>> = if column.units.is_empty() {
            vec![None]
        } else {
            column.units.iter().map(|u| Some(u.as_str())).collect()
        };
        for unit in units {
            for workflow_id in possible_workflows(policy, &column.path, unit) {
                let Some(workflow) = policy.workflows.get(&workflow_id) else {
                    continue;
                };
                for stage in &workflow.stages {
                    let able = policy
                        .roles
                        .get(&stage.role)
                        .into_iter()
                        .flatten()
                        .filter(|m| m.covers(true, unit) && can_sign(&m.person))
                        .map(|m| m.person.as_str())
                        .collect::<BTreeSet<_>>()
                        .len();
                    if able < stage.threshold {
                        let unit_name = unit.unwrap_or("—");
                        findings.push(
                            Finding::new(
                                RuleId::Policy,
                                say.pick(
                                    format!(
                                        "栏目 {} 中部门 {unit_name} 的稿件无法走完审核流程 {workflow_id}：阶段 {} 需要 {} 名可签名的 {}，只有 {able} 名",
                                        column.path, stage.id, stage.threshold, stage.role
                                    ),
                                    format!(
                                        "articles of unit {unit_name} in column {} cannot complete workflow `{workflow_id}`: stage `{}` needs {} signing member(s) of `{}` for the unit, there are {able}",
                                        column.path, stage.id, stage.threshold, stage.role
                                    ),
                                ),
                            )
                            .in_file(SITE_FILE)
                            .at(column_line(&site_text, &column.path), None)
                            .with_help(say.pick(
                                format!("在 approvals/policy.yaml 的角色 {} 中加入负责部门 {unit_name} 的成员", stage.role),
                                format!("add a member covering unit {unit_name} to role `{}` in approvals/policy.yaml", stage.role),
                            )),
                        );
                    }
                }
            }
        }
    }
    findings
}

/// The workflows an article of this column and unit may go through: the
/// rules that could match before the first that matches whatever the type
/// and importance.
fn possible_workflows(policy: &Policy, column: &str, unit: Option<&str>) -> Vec<String> {
    let mut found: Vec<String> = Vec::new();
    for rule in &policy.rules {
        let m = &rule.matches;
        let place_fits = m.unit.as_deref().is_none_or(|u| Some(u) == unit)
            && m.column
                .as_deref()
                .is_none_or(|g| crate::ledger::workflow::glob_match(g, column));
        if !place_fits || rule.workflow == SITE_WORKFLOW {
            continue;
        }
        if !found.contains(&rule.workflow) {
            found.push(rule.workflow.clone());
        }
        if m.kind.is_none() && m.importance.is_none() {
            break;
        }
    }
    found
}

/// The text of the policy in force (for lines).
fn policy_text(ledger: &Ledger) -> Option<String> {
    ledger.verdict.policy_files.policy_text()?.clone().ok()
}
