//! What a policy change would do, said before anyone approves it (SPEC §6:
//! approving a policy shows its effect). An approver of `approvals/` sees
//! who gains and loses a place, a key or a role, which keys are revoked, and
//! every published article that would go offline — a revoked key voids
//! every approval it signed, old ones included.

use std::collections::{BTreeMap, BTreeSet};

use crate::i18n::Say;
use crate::ledger::policy::Policy;
use crate::ledger::verdict::Verdict;

/// The difference a policy version makes.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct PolicyEffect {
    pub versions: (u64, u64),
    /// (person id, name).
    pub people_added: Vec<(String, String)>,
    pub people_removed: Vec<(String, String)>,
    /// (person id, key fingerprint).
    pub keys_added: Vec<(String, String)>,
    pub keys_removed: Vec<(String, String)>,
    pub revoked: Vec<String>,
    /// (role, person id) gained and lost.
    pub roles_gained: Vec<(String, String)>,
    pub roles_lost: Vec<(String, String)>,
    /// Published article paths that would go offline.
    pub offline: Vec<String>,
    /// Whether the change takes effect with this approval (its review completes).
    pub takes_effect: bool,
}

impl PolicyEffect {
    /// Compare the policy in force with `proposed`, and what is published
    /// `before` the approval with what would be `after` it (a complete
    /// version is one of a path present at the revision: deletion voids).
    pub fn of(
        in_force: &Policy,
        proposed: &Policy,
        before: &Verdict,
        after: &Verdict,
    ) -> PolicyEffect {
        let keys = |policy: &Policy| -> BTreeSet<(String, String)> {
            policy
                .people
                .values()
                .flat_map(|p| p.keys.iter().map(|k| (p.id.clone(), k.fingerprint())))
                .collect()
        };
        let roles = |policy: &Policy| -> BTreeSet<(String, String)> {
            policy
                .roles
                .iter()
                .flat_map(|(role, members)| {
                    members.iter().map(|m| (role.clone(), m.person.clone()))
                })
                .collect()
        };
        let names = |policy: &Policy| -> BTreeMap<String, String> {
            policy
                .people
                .values()
                .map(|p| (p.id.clone(), p.name.clone()))
                .collect()
        };
        let (old_names, new_names) = (names(in_force), names(proposed));
        let (old_keys, new_keys) = (keys(in_force), keys(proposed));
        let (old_roles, new_roles) = (roles(in_force), roles(proposed));
        let published: BTreeSet<&str> = before
            .all_versions()
            .filter(|v| v.kind.is_article() && v.is_complete())
            .map(|v| v.path.as_str())
            .collect();
        let offline = published
            .into_iter()
            .filter(|path| after.complete_versions(path).next().is_none())
            .map(str::to_string)
            .collect();
        PolicyEffect {
            versions: (in_force.version, proposed.version),
            people_added: new_names
                .iter()
                .filter(|(id, _)| !old_names.contains_key(*id))
                .map(|(id, name)| (id.clone(), name.clone()))
                .collect(),
            people_removed: old_names
                .iter()
                .filter(|(id, _)| !new_names.contains_key(*id))
                .map(|(id, name)| (id.clone(), name.clone()))
                .collect(),
            keys_added: new_keys.difference(&old_keys).cloned().collect(),
            keys_removed: old_keys.difference(&new_keys).cloned().collect(),
            revoked: proposed
                .settings
                .revoked_keys
                .difference(&in_force.settings.revoked_keys)
                .cloned()
                .collect(),
            roles_gained: new_roles.difference(&old_roles).cloned().collect(),
            roles_lost: old_roles.difference(&new_roles).cloned().collect(),
            offline,
            takes_effect: after.policy.version == proposed.version,
        }
    }

    /// The effect as people read it, one line each, in the site's language.
    pub fn describe(&self, say: &Say) -> String {
        let mut lines = vec![say.pick(
            format!(
                "审核制度由第 {} 版改为第 {} 版：",
                self.versions.0, self.versions.1
            ),
            format!(
                "the policy goes from version {} to version {}:",
                self.versions.0, self.versions.1
            ),
        )];
        let person = |(id, name): &(String, String)| format!("{name}（{id}）");
        let mut list = |zh: &str, en: &str, items: Vec<String>| {
            if !items.is_empty() {
                lines.push(format!("  {}{}", say.pick(zh, en), items.join(", ")));
            }
        };
        list(
            "新增人员：",
            "people added: ",
            self.people_added.iter().map(person).collect(),
        );
        list(
            "删除人员：",
            "people removed: ",
            self.people_removed.iter().map(person).collect(),
        );
        list(
            "新增密钥：",
            "keys added: ",
            self.keys_added
                .iter()
                .map(|(p, k)| format!("{p} {k}"))
                .collect(),
        );
        list(
            "删除密钥：",
            "keys removed: ",
            self.keys_removed
                .iter()
                .map(|(p, k)| format!("{p} {k}"))
                .collect(),
        );
        list(
            "吊销密钥（其全部签名作废）：",
            "keys revoked (every signature void): ",
            self.revoked.clone(),
        );
        list(
            "获得角色：",
            "roles gained: ",
            self.roles_gained
                .iter()
                .map(|(r, p)| format!("{p} → {r}"))
                .collect(),
        );
        list(
            "失去角色：",
            "roles lost: ",
            self.roles_lost
                .iter()
                .map(|(r, p)| format!("{p} → {r}"))
                .collect(),
        );
        if self.offline.is_empty() {
            lines.push(say.pick(
                "  已发布的稿件不受影响",
                "  no published article goes offline",
            ));
        } else {
            lines.push(say.pick(
                format!("  以下 {} 篇已发布稿件将下线：", self.offline.len()),
                format!("  {} published article(s) go offline:", self.offline.len()),
            ));
            lines.extend(self.offline.iter().map(|path| format!("    {path}")));
        }
        if !self.takes_effect {
            lines.push(say.pick(
                "  （本次批准后审核流程尚未完成，变更在流程完成时生效；届时下线的稿件在最后一位审批人批准时列出）",
                "  (its review is not complete after this approval: it takes effect when it is, and the final approver sees the articles it takes offline)",
            ));
        }
        lines.join("\n")
    }
}
