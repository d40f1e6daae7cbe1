//! The demo's policy texts: the bundled `approvals/policy.yaml` with each
//! person's generated public key written into their `keys: []`.
//!
//! The text is edited line by line rather than parsed and re-serialised, so
//! the comments that explain the review chain stay in the demo repository.
//! The bundled file keeps one person per line (`- { id: …, keys: [] }`); the
//! result is parsed with the real policy parser, so a bundled file in another
//! shape is an error naming it, never a demo with silently missing keys.

use std::collections::BTreeMap;

use crate::error::{Diagnostic, Error, Result};
use crate::ledger::policy::{POLICY_FILE, Policy};

const EMPTY_KEYS: &str = "keys: []";

const GENERATED_NOTE: &str = "# The keys below were written by `sanshen demo` from fixed, published seeds:\n\
     # they are NOT secret and must never be trusted by a real site.\n";

/// `template` with `version` set and the public key lines of each person id
/// in `keys` filled in; validated with the policy parser.
pub fn with_keys(
    template: &str,
    version: u64,
    keys: &BTreeMap<String, Vec<String>>,
) -> Result<(String, Policy)> {
    let mut text = String::from(GENERATED_NOTE);
    for line in template.lines() {
        let trimmed = line.trim_start();
        if trimmed.starts_with("version:") {
            text.push_str(&format!("version: {version}\n"));
            continue;
        }
        let person = trimmed
            .strip_prefix("- { id:")
            .and_then(|rest| rest.split(',').next())
            .map(str::trim);
        match person.and_then(|id| keys.get(id)) {
            Some(lines) if line.contains(EMPTY_KEYS) => {
                let quoted: Vec<String> = lines.iter().map(|l| format!("\"{l}\"")).collect();
                text.push_str(&line.replace(EMPTY_KEYS, &format!("keys: [{}]", quoted.join(", "))));
            }
            _ => text.push_str(line),
        }
        text.push('\n');
    }
    let policy = Policy::parse(POLICY_FILE, &text).map_err(Error::config)?;
    if policy.version != version {
        return Err(unusable(format!(
            "has no top-level `version:` line to set to {version}"
        )));
    }
    for id in keys.keys() {
        if policy
            .people
            .get(id)
            .is_none_or(|person| person.keys.is_empty())
        {
            return Err(unusable(format!(
                "person `{id}` has no `{EMPTY_KEYS}` on their line for the demo's key"
            )));
        }
    }
    Ok((text, policy))
}

/// The people of the bundled policy, read before any key is filled in.
pub fn template_policy(template: &str) -> Result<Policy> {
    Policy::parse(&format!("{POLICY_FILE} (bundled demo portal)"), template).map_err(Error::config)
}

fn unusable(problem: String) -> Error {
    Error::config(
        Diagnostic::in_file(format!("{POLICY_FILE} (bundled demo portal)"), problem).with_help(
            "keep one person per line in the bundled policy, e.g. `- { id: lihua, name: 李华, unit: kepu, email: lihua@example, keys: [] }`",
        ),
    )
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::demo::signer::DemoKey;

    const TEMPLATE: &str = "\
# comment kept
version: 1
units:
  - { id: kepu, name: 科普部 }
people:
  - { id: lihua,   name: 李华, unit: kepu, email: lihua@kx.example,   keys: [] }
  - { id: zhaolei, name: 赵磊, unit: kepu, email: zhaolei@kx.example, keys: [] }
roles:
  admin: { members: [{ person: lihua }] }
  maintainer: { members: [{ person: zhaolei }] }
workflows:
  site: { stages: [{ id: site, role: maintainer }] }
  policy: { stages: [{ id: policy, role: admin }] }
";

    fn key(label: &str) -> String {
        DemoKey::derive(label).unwrap().public_line().unwrap()
    }

    #[test]
    fn fills_every_persons_keys_and_keeps_comments() {
        let keys = BTreeMap::from([
            ("lihua".to_string(), vec![key("lihua")]),
            (
                "zhaolei".to_string(),
                vec![key("zhaolei"), key("zhaolei-laptop")],
            ),
        ]);
        let (text, policy) = with_keys(TEMPLATE, 2, &keys).unwrap();
        assert!(text.contains("# comment kept"));
        assert!(text.contains("NOT secret"));
        assert_eq!(policy.version, 2);
        assert_eq!(policy.people["lihua"].keys.len(), 1);
        assert_eq!(policy.people["zhaolei"].keys.len(), 2);
    }

    #[test]
    fn a_person_without_a_placeholder_is_an_error() {
        let template = TEMPLATE.replace("zhaolei@kx.example, keys: [] }", "zhaolei@kx.example }");
        let keys = BTreeMap::from([("zhaolei".to_string(), vec![key("zhaolei")])]);
        let error = with_keys(&template, 1, &keys).unwrap_err();
        assert!(error.to_string().contains("zhaolei"), "{error}");
    }
}
