//! The files of a new site repository (`sanshen init`): a small site that
//! builds once its settings are approved, with one example article per
//! column, a review policy naming whoever ran `init` as administrator, the CI
//! workflow of docs/ci.md, and a README for the site's owners.
//!
//! Nothing here touches the disk: [`starter_files`] returns the files, and
//! the command writes them, so the tests below can hold every generated file
//! to the project's own parsers.

use chrono::NaiveDate;

use crate::content::CONTENT_DIR;
use crate::ledger::policy::POLICY_FILE;
use crate::scaffold::{GITIGNORE, PUBLISH_WORKFLOW, fill, quoted, templates, yaml_scalar};
use crate::site::Language;
use crate::site::config::{SITE_FILE, is_plain_name};

/// Where the CI workflow goes: GitHub reads it there, and so do Forgejo and Gitea.
pub const WORKFLOW_FILE: &str = ".github/workflows/publish.yml";

/// The person who runs `init`: the policy's administrator and maintainer.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Owner {
    /// Person id in policy.yaml.
    pub id: String,
    pub name: String,
    /// git's `user.email`; `None` leaves a marked placeholder.
    pub email: Option<String>,
    /// The OpenSSH public key line they sign with; `None` leaves `keys: []`, marked.
    pub key: Option<String>,
}

/// Person ids the starter policy uses for its example reviewers.
const EXAMPLE_PEOPLE: [&str; 3] = ["office-head", "reviewer", "leader"];

/// The address written for an owner whose git has no `user.email`.
const PLACEHOLDER_EMAIL: &str = "webmaster@example.org";

impl Owner {
    /// The owner as git knows them: a person id from the local part of
    /// their address (`li.hua@…` → `li-hua`), else `webmaster`.
    pub fn from_git(
        name: Option<String>,
        email: Option<String>,
        key: Option<String>,
        language: Language,
    ) -> Owner {
        let local_part = email
            .as_deref()
            .and_then(|e| e.split('@').next())
            .unwrap_or_default();
        let id = person_id(local_part);
        let name = name.unwrap_or_else(|| {
            match language {
                Language::Chinese => "网站管理员",
                Language::English => "Site administrator",
            }
            .to_string()
        });
        Owner {
            id,
            name,
            email,
            key,
        }
    }
}

/// A person id made of an address's local part: lower-case letters, digits,
/// `-` and `_`, clear of the example reviewers' ids.
fn person_id(local_part: &str) -> String {
    let mapped: String = local_part
        .to_ascii_lowercase()
        .chars()
        .map(|c| {
            if c.is_ascii_alphanumeric() || c == '_' {
                c
            } else {
                '-'
            }
        })
        .collect();
    let id = mapped
        .split('-')
        .filter(|part| !part.is_empty())
        .collect::<Vec<_>>()
        .join("-");
    if !is_plain_name(&id) {
        "webmaster".to_string()
    } else if EXAMPLE_PEOPLE.contains(&id.as_str()) {
        format!("{id}-admin")
    } else {
        id
    }
}

/// One file of the new repository.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct StarterFile {
    /// `/`-separated, relative to the repository's top folder.
    pub path: String,
    pub text: String,
}

/// Every file of a new site, for `language`, dated `today` (the
/// changelog), with CI publishing from `branch`.
pub fn starter_files(
    language: Language,
    owner: &Owner,
    today: NaiveDate,
    branch: &str,
) -> Vec<StarterFile> {
    let templates = templates(language);
    let date = today.format("%Y-%m-%d").to_string();
    let file = |path: &str, text: String| StarterFile {
        path: path.to_string(),
        text,
    };
    let mut files = vec![
        file(SITE_FILE, templates.site.to_string()),
        file(
            POLICY_FILE,
            fill(
                templates.policy,
                &[
                    ("owner", &owner_entry(owner, language)),
                    ("owner_id", &owner.id),
                ],
            ),
        ),
        file(
            "approvals/banned-words.txt",
            templates.banned_words.to_string(),
        ),
        file("approvals/leaders.yaml", templates.leaders.to_string()),
        file("README.md", templates.readme.to_string()),
        file(
            "CHANGELOG.md",
            fill(templates.changelog, &[("date", &date)]),
        ),
        file(".gitignore", GITIGNORE.to_string()),
        file(
            WORKFLOW_FILE,
            fill(
                PUBLISH_WORKFLOW,
                &[
                    ("branch", &quoted(branch)),
                    ("branch_ref", &shell_word(&format!("refs/heads/{branch}"))),
                ],
            ),
        ),
    ];
    for (column, slug, text) in templates.examples {
        files.push(file(
            &format!("{CONTENT_DIR}/{column}/{slug}.md"),
            fill(text, &[("date", &date)]),
        ));
    }
    files
}

/// The owner's entry under `people:`, with a note on each value still to fill in.
fn owner_entry(owner: &Owner, language: Language) -> String {
    let chinese = language == Language::Chinese;
    let pick = |zh: &'static str, en: &'static str| if chinese { zh } else { en };
    let mut lines = vec![
        format!(
            "  # {}",
            pick(
                "网站管理员兼技术支持：运行 sanshen init 的人",
                "Site administrator and maintainer: whoever ran sanshen init"
            )
        ),
        format!("  - id: {}", owner.id),
        format!("    name: {}", yaml_scalar(&owner.name)),
        "    unit: office".to_string(),
    ];
    lines.push(match &owner.email {
        Some(email) => format!("    email: {}", yaml_scalar(email)),
        None => format!(
            "    email: {PLACEHOLDER_EMAIL}   # {}",
            pick(
                "必改：你提交时使用的邮箱（git config user.email）",
                "change: the address your commits are authored with (git config user.email)"
            )
        ),
    });
    lines.push(match &owner.key {
        Some(key) => format!("    keys: [{}]", quoted(key)),
        None => format!(
            "    keys: []   # {}",
            pick(
                "必填：你的 SSH 公钥整行，如 [\"ssh-ed25519 AAAA… 姓名@单位\"]（~/.ssh/id_ed25519.pub）",
                "required: your SSH public key line, e.g. [\"ssh-ed25519 AAAA… name@unit\"] (~/.ssh/id_ed25519.pub)"
            )
        ),
    });
    lines.join("\n")
}

/// The 1-based line of the owner's `keys:` in the generated policy, for the
/// message telling them where to paste their key.
pub fn owner_keys_line(policy_text: &str, owner: &Owner) -> Option<usize> {
    let entry = policy_text
        .lines()
        .position(|line| line.trim() == format!("- id: {}", owner.id))?;
    policy_text
        .lines()
        .enumerate()
        .skip(entry)
        .find(|(_, line)| line.trim_start().starts_with("keys:"))
        .map(|(index, _)| index + 1)
}

/// `text` as one word of a POSIX shell: as it is when it is plain, else in
/// single quotes.
fn shell_word(text: &str) -> String {
    let plain = text
        .bytes()
        .all(|b| b.is_ascii_alphanumeric() || b"._/-".contains(&b));
    if plain {
        text.to_string()
    } else {
        format!("'{}'", text.replace('\'', "'\\''"))
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::content::frontmatter;
    use crate::ledger::policy::Policy;
    use crate::site::SiteConfig;

    const KEY: &str = "ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIOMqqnkVzrm0SdG6UOoqKLsabgH5C9okWi0dh2l9GKJl sunli@test";

    fn day() -> NaiveDate {
        NaiveDate::from_ymd_opt(2026, 11, 23).unwrap()
    }

    fn owner(email: Option<&str>, key: Option<&str>) -> Owner {
        Owner::from_git(
            Some("孙丽".into()),
            email.map(str::to_string),
            key.map(str::to_string),
            Language::Chinese,
        )
    }

    fn text_of<'a>(files: &'a [StarterFile], path: &str) -> &'a str {
        &files
            .iter()
            .find(|f| f.path == path)
            .unwrap_or_else(|| panic!("no {path}"))
            .text
    }

    #[test]
    fn every_language_parses_with_the_projects_own_parsers() {
        for language in [Language::Chinese, Language::English] {
            for owner in [
                owner(Some("sunli@kx.example"), Some(KEY)),
                owner(None, None),
            ] {
                let files = starter_files(language, &owner, day(), "main");
                let site = SiteConfig::parse(SITE_FILE, text_of(&files, SITE_FILE))
                    .unwrap_or_else(|e| panic!("{language:?}: {e}"));
                assert_eq!(site.language, language);
                let policy = Policy::parse(POLICY_FILE, text_of(&files, POLICY_FILE))
                    .unwrap_or_else(|e| panic!("{language:?}: {e}"));
                let admin = &policy.roles["admin"];
                assert_eq!(admin[0].person, owner.id);
                assert_eq!(
                    policy.people[&owner.id].keys.len(),
                    usize::from(owner.key.is_some())
                );
                // Every unit a column names exists in the policy, and every
                // column has an example article to keep it from being empty.
                for column in site.columns.iter() {
                    for unit in &column.units {
                        assert!(policy.units.contains_key(unit), "{unit}");
                    }
                    let prefix = format!("content/{}/", column.path);
                    assert!(
                        files.iter().any(|f| f.path.starts_with(&prefix)),
                        "column {} has no example",
                        column.path
                    );
                }
                for file in files.iter().filter(|f| f.path.starts_with("content/")) {
                    let parts = frontmatter::split(&file.text).unwrap();
                    let front = frontmatter::parse(&file.path, &parts, site.timezone)
                        .unwrap_or_else(|e| panic!("{e}"));
                    // The examples show when their review completes.
                    assert!(front.date.is_none(), "{}", file.path);
                    let column = file.path.rsplit_once('/').unwrap().0;
                    let column = site.columns.get(&column["content/".len()..]).unwrap();
                    assert_eq!(
                        Some(front.unit.as_str()),
                        column.units.first().map(|u| u.as_str())
                    );
                }
                for file in &files {
                    assert!(
                        !file.text.replace("${{", "").contains("{{"),
                        "{} keeps a placeholder",
                        file.path
                    );
                }
            }
        }
    }

    #[test]
    fn word_lists_parse_as_empty() {
        for language in [Language::Chinese, Language::English] {
            let files = starter_files(language, &owner(None, None), day(), "main");
            let leaders = crate::rules::words::Leaders::parse(
                "approvals/leaders.yaml",
                text_of(&files, "approvals/leaders.yaml"),
            )
            .unwrap();
            assert!(leaders.is_empty());
            let banned = crate::rules::words::BannedWords::parse(text_of(
                &files,
                "approvals/banned-words.txt",
            ));
            assert!(banned.is_empty());
        }
    }

    #[test]
    fn the_workflow_publishes_the_branch_with_full_history() {
        let files = starter_files(Language::Chinese, &owner(None, None), day(), "trunk");
        let workflow: serde_yaml::Value =
            serde_yaml::from_str(text_of(&files, WORKFLOW_FILE)).unwrap();
        assert_eq!(workflow["on"]["push"]["branches"][0], "trunk");
        let steps = workflow["jobs"]["publish"]["steps"].as_sequence().unwrap();
        assert_eq!(steps[0]["with"]["fetch-depth"], 0);
        let build = steps
            .iter()
            .find_map(|s| s["run"].as_str().filter(|r| r.contains("sanshen build")))
            .unwrap();
        assert!(build.contains("--policy-root") && build.contains("--manifest"));
        // The root comes from a repository setting, never from this file, and
        // an unpinned build of the published branch fails.
        assert_eq!(
            workflow["jobs"]["publish"]["env"]["SANSHEN_POLICY_ROOT"],
            "${{ vars.SANSHEN_POLICY_ROOT }}"
        );
        let pin = steps
            .iter()
            .find_map(|s| s["run"].as_str().filter(|r| r.contains("refs/heads/trunk")))
            .unwrap();
        assert!(pin.contains("exit 2") && pin.contains("git log --diff-filter=A"));
        // A build that held versions back still deploys, then fails the job.
        let last = steps.last().unwrap();
        assert_eq!(last["if"], "steps.build.outputs.code == '1'");
    }

    #[test]
    fn owner_ids_come_from_the_address() {
        assert_eq!(person_id("sunli"), "sunli");
        assert_eq!(person_id("Li.Hua"), "li-hua");
        assert_eq!(person_id("张三"), "webmaster");
        assert_eq!(person_id(""), "webmaster");
        assert_eq!(person_id("reviewer"), "reviewer-admin");
    }

    #[test]
    fn the_keys_line_is_found_for_the_message() {
        let owner = owner(None, None);
        let files = starter_files(Language::Chinese, &owner, day(), "main");
        let policy = text_of(&files, POLICY_FILE);
        let line = owner_keys_line(policy, &owner).unwrap();
        assert!(policy.lines().nth(line - 1).unwrap().contains("keys: []"));
        assert_eq!(owner.id, "webmaster");
    }
}
