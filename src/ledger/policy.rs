//! `approvals/policy.yaml` (SPEC §4): people, their keys, scoped roles,
//! workflows with ordered stages and thresholds, rules and settings.
//!
//! A policy is validated completely before it is trusted: a role nobody
//! holds, a stage naming an unknown role or a key listed twice would make
//! approvals silently impossible or ambiguous, so each is an error naming the
//! line and the fix.

use std::collections::{BTreeMap, BTreeSet, HashMap};

use serde::Deserialize;

use crate::catalog::RuleId;
use crate::error::{Diagnostic, line_of_key};
use crate::ledger::signature::TrustedKey;
use crate::site::Span;

pub const POLICY_DIR: &str = "approvals";
pub const POLICY_FILE: &str = "approvals/policy.yaml";
/// policy.yaml's name inside `approvals/`.
pub const POLICY_FILE_NAME: &str = "policy.yaml";

/// Workflows every policy must define.
pub const SITE_WORKFLOW: &str = "site";
pub const POLICY_WORKFLOW: &str = "policy";

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct RawPolicy {
    version: u64,
    #[serde(default)]
    units: Vec<RawUnit>,
    #[serde(default)]
    people: Vec<RawPerson>,
    #[serde(default)]
    roles: BTreeMap<String, RawRole>,
    #[serde(default)]
    workflows: BTreeMap<String, RawWorkflow>,
    #[serde(default)]
    rules: Vec<RawRule>,
    #[serde(default)]
    settings: RawSettings,
    #[serde(default)]
    checks: RawChecks,
}

#[derive(Debug, Deserialize, Default)]
#[serde(deny_unknown_fields)]
struct RawChecks {
    banned_words: Option<String>,
    leaders: Option<String>,
    #[serde(default)]
    allow: Vec<RawAllowance>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct RawAllowance {
    rule: String,
    column: Option<String>,
}

/// A key that may be absent or written with any value, `units:` left empty
/// (null) included: absent means "every unit", an empty value is an error —
/// never read as "every unit" by accident.
#[derive(Debug, Default)]
enum Written<T> {
    #[default]
    Absent,
    Value(Option<T>),
}

impl<'de, T: Deserialize<'de>> Deserialize<'de> for Written<T> {
    fn deserialize<D: serde::Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        Ok(Written::Value(Option::<T>::deserialize(deserializer)?))
    }
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct RawUnit {
    id: String,
    name: String,
}

#[derive(Debug, Deserialize)]
#[serde(untagged)]
enum OneOrMany {
    One(String),
    Many(Vec<String>),
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct RawPerson {
    id: String,
    name: String,
    unit: Option<String>,
    email: OneOrMany,
    #[serde(default)]
    keys: Vec<String>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct RawRole {
    #[serde(default)]
    members: Vec<RawMember>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct RawMember {
    person: String,
    #[serde(default)]
    units: Written<Vec<String>>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct RawWorkflow {
    stages: Vec<RawStage>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct RawStage {
    id: String,
    name: Option<String>,
    role: String,
    threshold: Option<usize>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct RawRule {
    #[serde(rename = "match", default)]
    matches: RawMatch,
    workflow: String,
}

#[derive(Debug, Deserialize, Default)]
#[serde(deny_unknown_fields)]
struct RawMatch {
    #[serde(rename = "type")]
    kind: Option<crate::content::ArticleType>,
    importance: Option<crate::content::Importance>,
    column: Option<String>,
    unit: Option<String>,
}

#[derive(Debug, Deserialize, Default)]
#[serde(deny_unknown_fields)]
struct RawSettings {
    distinct_approvers: Option<bool>,
    author_may_approve: Option<bool>,
    withdraw_role: Option<String>,
    #[serde(default)]
    revoked_keys: Vec<String>,
    dormant_after: Option<String>,
}

#[derive(Debug, Clone)]
pub struct Unit {
    pub id: String,
    pub name: String,
}

#[derive(Debug, Clone)]
pub struct Person {
    pub id: String,
    pub name: String,
    pub unit: Option<String>,
    /// Lower-cased author addresses.
    pub emails: Vec<String>,
    pub keys: Vec<TrustedKey>,
}

impl Person {
    pub fn has_email(&self, address: &str) -> bool {
        let address = address.trim().to_lowercase();
        self.emails.contains(&address)
    }
}

/// A role holder, optionally scoped to units (articles of other units are out of scope).
#[derive(Debug, Clone)]
pub struct Member {
    pub person: String,
    pub units: Option<BTreeSet<String>>,
}

impl Member {
    /// May this member act here? Scope restricts articles only (site.toml,
    /// themes and the policy have no unit); an article without a unit is out
    /// of every scoped member's scope.
    pub fn covers(&self, is_article: bool, unit: Option<&str>) -> bool {
        match (&self.units, is_article, unit) {
            (None, _, _) | (Some(_), false, _) => true,
            (Some(units), true, Some(unit)) => units.contains(unit),
            (Some(_), true, None) => false,
        }
    }

    /// The units of a scoped member, for messages (`kepu, xuehui`).
    pub fn units_listed(&self) -> String {
        self.units
            .iter()
            .flatten()
            .cloned()
            .collect::<Vec<_>>()
            .join(", ")
    }
}

#[derive(Debug, Clone)]
pub struct Stage {
    pub id: String,
    pub name: String,
    pub role: String,
    /// Distinct people needed to complete the stage.
    pub threshold: usize,
}

#[derive(Debug, Clone)]
pub struct Workflow {
    pub id: String,
    pub stages: Vec<Stage>,
}

impl Workflow {
    pub fn stage_index(&self, id: &str) -> Option<usize> {
        self.stages.iter().position(|s| s.id == id)
    }
}

#[derive(Debug, Clone, Default)]
pub struct RuleMatch {
    pub kind: Option<crate::content::ArticleType>,
    pub importance: Option<crate::content::Importance>,
    pub column: Option<String>,
    pub unit: Option<String>,
}

#[derive(Debug, Clone)]
pub struct Rule {
    pub matches: RuleMatch,
    pub workflow: String,
}

#[derive(Debug, Clone)]
pub struct Settings {
    pub distinct_approvers: bool,
    pub author_may_approve: bool,
    pub withdraw_role: String,
    /// SHA256 fingerprints whose every signature is void.
    pub revoked_keys: BTreeSet<String>,
    pub dormant_after: Span,
}

/// A blocking rule that does not block in some columns.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Allowance {
    /// The rule's id, one that [`RuleId::allowable`].
    pub rule: String,
    /// Column glob (`notices/**`); `None`: every column.
    pub column: Option<String>,
}

/// `checks:` — which rules block publication is policy (SPEC §4).
#[derive(Debug, Clone, Default)]
pub struct PolicyChecks {
    /// File names beside policy.yaml in `approvals/`.
    pub banned_words: Option<String>,
    pub leaders: Option<String>,
    pub allow: Vec<Allowance>,
}

impl PolicyChecks {
    /// Does `rule` block publication of an article in `column`?
    pub fn blocks(&self, rule: &str, column: &str) -> bool {
        !self.allow.iter().any(|allowance| {
            allowance.rule == rule
                && allowance
                    .column
                    .as_deref()
                    .is_none_or(|glob| crate::ledger::workflow::glob_match(glob, column))
        })
    }
}

/// A validated policy.
#[derive(Debug, Clone)]
pub struct Policy {
    pub version: u64,
    pub units: BTreeMap<String, Unit>,
    pub people: BTreeMap<String, Person>,
    /// Key fingerprint → person id.
    pub key_owner: HashMap<String, String>,
    pub roles: BTreeMap<String, Vec<Member>>,
    pub workflows: BTreeMap<String, Workflow>,
    pub rules: Vec<Rule>,
    pub settings: Settings,
    pub checks: PolicyChecks,
}

impl Policy {
    /// Parse and validate policy text; `file` names it in errors.
    pub fn parse(file: &str, text: &str) -> Result<Policy, Diagnostic> {
        let raw: RawPolicy = serde_yaml::from_str(text).map_err(|err| {
            let message = err.to_string();
            let message = match message.find(" at line ") {
                Some(at) => message[..at].to_string(),
                None => message,
            };
            Diagnostic::in_file(file, message)
                .at_line(err.location().map(|l| l.line()))
                .with_help("see SPEC §4 for the policy format; unknown keys are errors")
        })?;
        let line_of = |needle: &str| line_containing(text, needle);
        let fail = |needle: &str, message: String, help: &str| {
            Diagnostic::in_file(file, message)
                .at_line(line_of(needle))
                .with_help(help)
        };

        let mut units = BTreeMap::new();
        for unit in raw.units {
            if units.contains_key(&unit.id) {
                return Err(fail(
                    &unit.id,
                    format!("unit `{}` is listed twice", unit.id),
                    "keep one entry per unit id",
                ));
            }
            units.insert(
                unit.id.clone(),
                Unit {
                    id: unit.id,
                    name: unit.name,
                },
            );
        }

        let mut people = BTreeMap::new();
        let mut key_owner: HashMap<String, String> = HashMap::new();
        for person in raw.people {
            if people.contains_key(&person.id) {
                return Err(fail(
                    &format!("id: {}", person.id),
                    format!("person `{}` is listed twice", person.id),
                    "keep one entry per person; list all of their keys and addresses there",
                ));
            }
            if let Some(unit) = &person.unit
                && !units.contains_key(unit)
            {
                return Err(fail(
                    &format!("id: {}", person.id),
                    format!("person `{}` belongs to unknown unit `{unit}`", person.id),
                    "add the unit under `units:` or correct the id",
                ));
            }
            let emails: Vec<String> = match person.email {
                OneOrMany::One(e) => vec![e],
                OneOrMany::Many(list) => list,
            }
            .into_iter()
            .map(|e| e.trim().to_lowercase())
            .collect();
            if emails.iter().any(|e| !e.contains('@')) {
                return Err(fail(
                    &format!("id: {}", person.id),
                    format!("person `{}` has an email that is not an address", person.id),
                    "write the address their commits are authored with (git config user.email)",
                ));
            }
            let mut keys = Vec::new();
            for line in &person.keys {
                let key = TrustedKey::parse(line).map_err(|problem| {
                    fail(
                        key_needle(line),
                        format!("a key of `{}` cannot be read: {problem}", person.id),
                        "paste the whole line of the .pub file, e.g. `ssh-ed25519 AAAAC3Nza… name@host`",
                    )
                })?;
                let fingerprint = key.fingerprint();
                if let Some(owner) = key_owner.get(&fingerprint) {
                    return Err(fail(
                        key_needle(line),
                        format!(
                            "key {fingerprint} is listed twice (for `{owner}` and `{}`)",
                            person.id
                        ),
                        "a key belongs to exactly one person: accounts are personal",
                    ));
                }
                key_owner.insert(fingerprint, person.id.clone());
                keys.push(key);
            }
            people.insert(
                person.id.clone(),
                Person {
                    id: person.id,
                    name: person.name,
                    unit: person.unit,
                    emails,
                    keys,
                },
            );
        }

        let mut roles = BTreeMap::new();
        for (role, raw_role) in raw.roles {
            if raw_role.members.is_empty() {
                return Err(fail(
                    &format!("{role}:"),
                    format!("role `{role}` has no members"),
                    "add `members: [{ person: <id> }]` or remove the role and the stages that use it",
                ));
            }
            let mut members = Vec::new();
            for member in raw_role.members {
                if !people.contains_key(&member.person) {
                    return Err(fail(
                        &format!("person: {}", member.person),
                        format!("role `{role}` names unknown person `{}`", member.person),
                        "add the person under `people:` or correct the id",
                    ));
                }
                let scope = match member.units {
                    Written::Absent => None,
                    Written::Value(Some(units)) if !units.is_empty() => Some(units),
                    Written::Value(_) => {
                        return Err(fail(
                            &format!("person: {}", member.person),
                            format!(
                                "role `{role}`: member `{}` has `units:` with no unit",
                                member.person
                            ),
                            "list the units this member may approve for, e.g. `units: [kepu]`, or remove `units:` so the member acts for every unit",
                        ));
                    }
                };
                if let Some(scope) = &scope {
                    for unit in scope {
                        if !units.contains_key(unit) {
                            return Err(fail(
                                &format!("person: {}", member.person),
                                format!(
                                    "role `{role}`: member `{}` is scoped to unknown unit `{unit}`",
                                    member.person
                                ),
                                "add the unit under `units:` or correct the id",
                            ));
                        }
                    }
                }
                members.push(Member {
                    person: member.person,
                    units: scope.map(|u| u.into_iter().collect()),
                });
            }
            roles.insert(role, members);
        }

        let mut workflows = BTreeMap::new();
        for (id, raw_workflow) in raw.workflows {
            if raw_workflow.stages.is_empty() {
                return Err(fail(
                    &format!("{id}:"),
                    format!("workflow `{id}` has no stages"),
                    "add at least one stage",
                ));
            }
            let mut stages: Vec<Stage> = Vec::new();
            for stage in raw_workflow.stages {
                if stages.iter().any(|s| s.id == stage.id) {
                    return Err(fail(
                        &format!("id: {}", stage.id),
                        format!("workflow `{id}` has stage `{}` twice", stage.id),
                        "stage ids must be unique within a workflow",
                    ));
                }
                let Some(members) = roles.get(&stage.role) else {
                    return Err(fail(
                        &format!("role: {}", stage.role),
                        format!(
                            "stage `{}` of workflow `{id}` names unknown role `{}`",
                            stage.id, stage.role
                        ),
                        "define the role under `roles:` or correct the name",
                    ));
                };
                let threshold = stage.threshold.unwrap_or(1);
                let holders: BTreeSet<&str> = members.iter().map(|m| m.person.as_str()).collect();
                if threshold == 0 || threshold > holders.len() {
                    return Err(fail(
                        &format!("id: {}", stage.id),
                        format!(
                            "stage `{}` of workflow `{id}` needs {threshold} people but role `{}` has {}",
                            stage.id,
                            stage.role,
                            holders.len()
                        ),
                        "set threshold between 1 and the number of the role's members",
                    ));
                }
                stages.push(Stage {
                    name: stage.name.unwrap_or_else(|| stage.id.clone()),
                    id: stage.id,
                    role: stage.role,
                    threshold,
                });
            }
            workflows.insert(id.clone(), Workflow { id, stages });
        }
        for required in [SITE_WORKFLOW, POLICY_WORKFLOW] {
            if !workflows.contains_key(required) {
                return Err(Diagnostic::in_file(file, format!("workflow `{required}` is missing"))
                    .at_line(line_of_key(text, "workflows"))
                    .with_help(if required == SITE_WORKFLOW {
                        "add `site: { stages: [{ id: site, name: 技术审核, role: maintainer }] }` under workflows: it approves site.toml and themes"
                    } else {
                        "add `policy: { stages: [{ id: policy, name: 管理员批准, role: admin }] }` under workflows: it approves changes to approvals/"
                    }));
            }
        }

        let mut rules = Vec::new();
        for rule in raw.rules {
            if rule.workflow == SITE_WORKFLOW || rule.workflow == POLICY_WORKFLOW {
                return Err(fail(
                    &format!("workflow: {}", rule.workflow),
                    format!(
                        "a rule chooses workflow `{}`, which is only for {}",
                        rule.workflow,
                        if rule.workflow == SITE_WORKFLOW {
                            "site.toml and themes"
                        } else {
                            "changes to approvals/"
                        }
                    ),
                    "rules choose the workflow of articles: name an article workflow such as `standard`",
                ));
            }
            if let Some(glob) = &rule.matches.column
                && let Err(problem) = check_column_glob(glob)
            {
                return Err(fail(
                    &format!("column: {glob}"),
                    format!("a rule matches column `{glob}`: {problem}"),
                    "write a column path as in site.toml, e.g. `column: notices` or `column: \"news/**\"` (** is any depth)",
                ));
            }
            if !workflows.contains_key(&rule.workflow) {
                return Err(fail(
                    &format!("workflow: {}", rule.workflow),
                    format!("a rule names unknown workflow `{}`", rule.workflow),
                    "define the workflow under `workflows:` or correct the name",
                ));
            }
            if let Some(unit) = &rule.matches.unit
                && !units.contains_key(unit)
            {
                return Err(fail(
                    &format!("unit: {unit}"),
                    format!("a rule matches unknown unit `{unit}`"),
                    "correct the unit id",
                ));
            }
            rules.push(Rule {
                matches: RuleMatch {
                    kind: rule.matches.kind,
                    importance: rule.matches.importance,
                    column: rule.matches.column,
                    unit: rule.matches.unit,
                },
                workflow: rule.workflow,
            });
        }

        let withdraw_role = raw.settings.withdraw_role.unwrap_or_else(|| "admin".into());
        if !roles.contains_key(&withdraw_role) {
            return Err(fail(
                "withdraw_role",
                format!("settings.withdraw_role names unknown role `{withdraw_role}`"),
                "name the role allowed to withdraw articles (网站管理员), e.g. withdraw_role: admin",
            ));
        }
        let dormant_after = match raw.settings.dormant_after {
            None => Span::days(90),
            Some(text) => Span::parse(&text).map_err(|problem| {
                fail(
                    "dormant_after",
                    format!("settings.dormant_after: {problem}"),
                    "e.g. dormant_after: 30d",
                )
            })?,
        };
        let mut revoked_keys = BTreeSet::new();
        for written in &raw.settings.revoked_keys {
            let fingerprint = revoked_fingerprint(written).map_err(|problem| {
                fail(
                    written.trim().get(..written.trim().len().min(40)).unwrap_or(written),
                    format!("settings.revoked_keys: `{}` {problem}", written.trim()),
                    "write the key's fingerprint `SHA256:…` (the line `ssh-keygen -lf key.pub` prints is accepted too), or paste the public key line",
                )
            })?;
            revoked_keys.insert(fingerprint);
        }
        let mut allow = Vec::new();
        for allowance in raw.checks.allow {
            if allowance.rule == "classified" {
                return Err(fail(
                    "rule: classified",
                    "checks.allow: `classified` can never be allowed: classified content never goes online (涉密不上网)".into(),
                    "remove this entry",
                ));
            }
            let allowable: Vec<&str> = RuleId::ALL
                .iter()
                .filter(|rule| rule.allowable())
                .map(|rule| rule.as_str())
                .collect();
            if !allowable.contains(&allowance.rule.as_str()) {
                return Err(fail(
                    &format!("rule: {}", allowance.rule),
                    format!(
                        "checks.allow names `{}`, which is not a blocking rule that can be allowed",
                        allowance.rule
                    ),
                    &format!("allowable rules: {}", allowable.join(", ")),
                ));
            }
            if let Some(glob) = &allowance.column
                && let Err(problem) = check_column_glob(glob)
            {
                return Err(fail(
                    &format!("column: {glob}"),
                    format!("checks.allow column `{glob}`: {problem}"),
                    "write a column path as in site.toml, e.g. `column: \"notices/**\"`",
                ));
            }
            allow.push(Allowance {
                rule: allowance.rule,
                column: allowance.column,
            });
        }
        for (key, name) in [
            ("banned_words", &raw.checks.banned_words),
            ("leaders", &raw.checks.leaders),
        ] {
            if let Some(name) = name
                && (name.is_empty()
                    || name.contains('/')
                    || name.contains('\\')
                    || name == POLICY_FILE_NAME
                    || name.starts_with('.'))
            {
                return Err(fail(
                    key,
                    format!("checks.{key}: `{name}` is not the name of a file beside policy.yaml"),
                    &format!(
                        "name a file in approvals/, e.g. `{key}: {}`",
                        if key == "leaders" {
                            "leaders.yaml"
                        } else {
                            "banned-words.txt"
                        }
                    ),
                ));
            }
        }

        Ok(Policy {
            version: raw.version,
            units,
            people,
            key_owner,
            roles,
            workflows,
            rules,
            settings: Settings {
                distinct_approvers: raw.settings.distinct_approvers.unwrap_or(true),
                author_may_approve: raw.settings.author_may_approve.unwrap_or(false),
                withdraw_role,
                revoked_keys,
                dormant_after,
            },
            checks: PolicyChecks {
                banned_words: raw.checks.banned_words,
                leaders: raw.checks.leaders,
                allow,
            },
        })
    }

    /// The role membership of `person` for `role`, if any.
    pub fn membership(&self, role: &str, person: &str) -> Option<&Member> {
        self.roles.get(role)?.iter().find(|m| m.person == person)
    }

    pub fn unit_names(&self) -> BTreeMap<String, String> {
        self.units
            .iter()
            .map(|(id, u)| (id.clone(), u.name.clone()))
            .collect()
    }

    pub fn person_names(&self) -> BTreeMap<String, String> {
        self.people
            .iter()
            .map(|(id, p)| (id.clone(), p.name.clone()))
            .collect()
    }
}

/// A `revoked_keys` entry reduced to the fingerprint `SHA256:<base64>`:
/// the fingerprint itself (any case of the prefix), the line
/// `ssh-keygen -lf` prints (`256 SHA256:… comment (ED25519)`), or a public
/// key line. Anything else is an error: an entry that revokes nothing must
/// never look like a revocation.
pub fn revoked_fingerprint(written: &str) -> Result<String, String> {
    let text = written.trim();
    let is_fingerprint = |token: &str| -> Option<String> {
        let (prefix, digest) = token.split_once(':')?;
        if !prefix.eq_ignore_ascii_case("sha256") {
            return None;
        }
        // 32 bytes of SHA-256 in unpadded base64: 43 characters.
        let valid = digest.len() == 43
            && digest
                .bytes()
                .all(|b| b.is_ascii_alphanumeric() || b == b'+' || b == b'/')
            // 256 bits in 43 characters: the last one carries 4 bits and 2 zeros.
            && matches!(digest.as_bytes()[42], b'A' | b'E' | b'I' | b'M' | b'Q' | b'U' | b'Y' | b'c' | b'g' | b'k' | b'o' | b's' | b'w' | b'0' | b'4' | b'8');
        valid.then(|| format!("SHA256:{digest}"))
    };
    if let Some(fingerprint) = is_fingerprint(text) {
        return Ok(fingerprint);
    }
    // `ssh-keygen -lf`: bits, fingerprint, comment, (type).
    let mut tokens = text.split_whitespace();
    if let (Some(bits), Some(second)) = (tokens.next(), tokens.next())
        && bits.bytes().all(|b| b.is_ascii_digit())
        && let Some(fingerprint) = is_fingerprint(second)
    {
        return Ok(fingerprint);
    }
    if text.to_ascii_uppercase().starts_with("MD5:") {
        return Err("is an MD5 fingerprint: sanshen compares SHA256 fingerprints".into());
    }
    match TrustedKey::parse(text) {
        Ok(key) => Ok(key.fingerprint()),
        Err(_) => Err("is neither a SHA256 fingerprint nor a public key line".into()),
    }
}

/// A column glob of `match.column` or `checks.allow`: segments of a column
/// path, `*` within a segment, `**` for any depth.
fn check_column_glob(glob: &str) -> Result<(), String> {
    if glob.is_empty() {
        return Err("is empty".into());
    }
    if glob.starts_with('/') || glob.ends_with('/') || glob.starts_with("content/") {
        return Err("must be a column path as site.toml writes it, without `content/` or slashes at either end".into());
    }
    if glob
        .split('/')
        .any(|segment| segment.is_empty() || segment == "." || segment == "..")
    {
        return Err("has an empty, `.` or `..` segment".into());
    }
    if glob
        .split('/')
        .any(|segment| segment.contains("**") && segment != "**")
    {
        return Err("`**` must be a whole segment (`news/**`)".into());
    }
    Ok(())
}

/// A distinctive piece of a key line to find it in the file.
fn key_needle(line: &str) -> &str {
    line.split_whitespace()
        .nth(1)
        .map(|b64| &b64[..b64.len().min(40)])
        .unwrap_or(line)
}

fn line_containing(text: &str, needle: &str) -> Option<usize> {
    text.lines().position(|l| l.contains(needle)).map(|i| i + 1)
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A valid policy around `rules`, `settings` and `extra` (more top-level keys).
    fn policy_with(members: &str, rules: &str, settings: &str, extra: &str) -> String {
        format!(
            "version: 1
units:
  - {{ id: kepu, name: 科普部 }}
people:
  - {{ id: lihua, name: 李华, email: lihua@kx.example, keys: [] }}
  - {{ id: sunli, name: 孙丽, email: sunli@kx.example, keys: [] }}
roles:
  unit-head:
    members:
{members}
  admin:
    members: [{{ person: sunli }}]
workflows:
  standard: {{ stages: [{{ id: unit-review, role: unit-head }}] }}
  site: {{ stages: [{{ id: site, role: admin }}] }}
  policy: {{ stages: [{{ id: policy, role: admin }}] }}
rules:
{rules}
settings:
{settings}
{extra}"
        )
    }

    fn parse(text: &str) -> Result<Policy, Diagnostic> {
        Policy::parse(POLICY_FILE, text)
    }

    const MEMBERS: &str = "      - { person: lihua, units: [kepu] }";
    const RULES: &str = "  - { workflow: standard }";

    #[test]
    fn an_empty_units_list_is_an_error_not_every_unit() {
        for empty in ["units: []", "units:", "units: ~"] {
            let text = policy_with(
                &format!("      - {{ person: lihua, {empty} }}"),
                RULES,
                "  withdraw_role: admin",
                "",
            );
            let err = parse(&text).expect_err(empty);
            assert!(
                err.message.contains("`units:` with no unit"),
                "{empty}: {err}"
            );
            assert_eq!(err.line, Some(10), "{empty}: {err}");
        }
        let scoped = parse(&policy_with(MEMBERS, RULES, "  withdraw_role: admin", "")).unwrap();
        assert!(scoped.roles["unit-head"][0].units.is_some());
    }

    #[test]
    fn revoked_keys_accept_fingerprints_keygen_lines_and_key_lines_only() {
        let key = "ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIMTS3OqJ7uF2RVGoUp7JTYTcoV4n9bp0Zrrkd8jgmhkh lihua@example";
        let fingerprint = TrustedKey::parse(key).unwrap().fingerprint();
        let digest = fingerprint.strip_prefix("SHA256:").unwrap();
        for written in [
            fingerprint.clone(),
            format!("sha256:{digest}"),
            format!("256 {fingerprint} lihua@example (ED25519)"),
            key.to_string(),
        ] {
            let text = policy_with(
                MEMBERS,
                RULES,
                &format!("  withdraw_role: admin\n  revoked_keys: [\"{written}\"]"),
                "",
            );
            let policy = parse(&text).unwrap_or_else(|e| panic!("{written}: {e}"));
            assert!(
                policy.settings.revoked_keys.contains(&fingerprint),
                "{written} revokes {fingerprint}"
            );
        }
        for wrong in [
            "lihua's old key",
            "SHA256:tooshort",
            "MD5:0a:1b:2c",
            &format!("SHA1:{digest}"),
        ] {
            let text = policy_with(
                MEMBERS,
                RULES,
                &format!("  withdraw_role: admin\n  revoked_keys: [\"{wrong}\"]"),
                "",
            );
            let err = parse(&text).expect_err(wrong);
            assert!(err.message.contains("revoked_keys"), "{wrong}: {err}");
            assert!(err.line.is_some(), "{wrong}: {err}");
            assert!(
                err.help
                    .as_deref()
                    .is_some_and(|h| h.contains("ssh-keygen -lf"))
            );
        }
    }

    #[test]
    fn rules_match_only_what_an_article_can_have_and_never_choose_site_or_policy() {
        for (rule, expected) in [
            (
                "  - { match: { importance: majr }, workflow: standard }",
                "majr",
            ),
            (
                "  - { match: { type: Special }, workflow: standard }",
                "Special",
            ),
            (
                "  - { match: { unit: xuehui }, workflow: standard }",
                "xuehui",
            ),
            (
                "  - { match: { column: /news/ }, workflow: standard }",
                "/news/",
            ),
            (
                "  - { match: { column: \"news/**x\" }, workflow: standard }",
                "news/**x",
            ),
            ("  - { match: { column: notices }, workflow: site }", "site"),
            ("  - { workflow: policy }", "policy"),
        ] {
            let text = policy_with(
                MEMBERS,
                &format!("{rule}\n{RULES}"),
                "  withdraw_role: admin",
                "",
            );
            let err = parse(&text).expect_err(rule);
            assert!(err.to_string().contains(expected), "{rule}: {err}");
        }
        let ok = policy_with(
            MEMBERS,
            &format!(
                "  - {{ match: {{ column: \"notices/**\", importance: major }}, workflow: standard }}\n{RULES}"
            ),
            "  withdraw_role: admin",
            "",
        );
        parse(&ok).unwrap();
    }

    #[test]
    fn checks_name_files_beside_the_policy_and_never_allow_classified() {
        let with = |checks: &str| policy_with(MEMBERS, RULES, "  withdraw_role: admin", checks);
        let policy = parse(&with(
            "checks:\n  banned_words: banned-words.txt\n  leaders: leaders.yaml\n  allow:\n    - { rule: pii-phone, column: \"notices/**\" }\n    - { rule: backdated }",
        ))
        .unwrap();
        assert!(!policy.checks.blocks("pii-phone", "notices/a"));
        assert!(policy.checks.blocks("pii-phone", "news"));
        assert!(!policy.checks.blocks("backdated", "news"));
        for (checks, expected) in [
            ("checks:\n  allow: [{ rule: classified }]", "classified"),
            ("checks:\n  allow: [{ rule: stale-column }]", "stale-column"),
            ("checks:\n  banned_words: ../site.toml", "banned_words"),
            ("checks:\n  banned_word: x.txt", "banned_word"),
        ] {
            let err = parse(&with(checks)).expect_err(checks);
            assert!(err.to_string().contains(expected), "{checks}: {err}");
        }
    }
}
