//! Starting points: the files of a new site repository (`sanshen init`,
//! [`site`]) and of a new article (`sanshen new`, [`article`]).
//!
//! The generated files are written as files under `templates/` — one set per
//! site language, plus the few that do not depend on it — embedded in the
//! binary and filled in by [`fill`]. They must be valid as written: the
//! starter site.toml, policy.yaml and articles pass the project's own parsers,
//! which the tests of [`site`] and [`article`] check, so a template cannot
//! drift from the formats it writes.

pub mod article;
pub mod site;

use std::fs;
use std::io::Write as _;
use std::path::Path;

use crate::error::{Error, Result};
use crate::site::Language;

/// The templates of one site language.
pub(crate) struct Templates {
    pub site: &'static str,
    pub policy: &'static str,
    pub banned_words: &'static str,
    pub leaders: &'static str,
    pub readme: &'static str,
    pub changelog: &'static str,
    /// The example articles: (column, slug, text).
    pub examples: [(&'static str, &'static str, &'static str); 3],
    /// What `init` prints after the summary.
    pub next_steps: &'static str,
    /// The front matter and body of a new article.
    pub article: &'static str,
}

const CHINESE: Templates = Templates {
    site: include_str!("templates/zh-CN/site.toml"),
    policy: include_str!("templates/zh-CN/policy.yaml"),
    banned_words: include_str!("templates/zh-CN/banned-words.txt"),
    leaders: include_str!("templates/zh-CN/leaders.yaml"),
    readme: include_str!("templates/zh-CN/README.md"),
    changelog: include_str!("templates/zh-CN/CHANGELOG.md"),
    examples: [
        ("about", "jianjie", include_str!("templates/zh-CN/about.md")),
        (
            "news",
            "wangzhan-kaitong",
            include_str!("templates/zh-CN/news.md"),
        ),
        (
            "notices",
            "xinxi-baosong",
            include_str!("templates/zh-CN/notices.md"),
        ),
    ],
    next_steps: include_str!("templates/zh-CN/next-steps.txt"),
    article: include_str!("templates/zh-CN/article.md"),
};

const ENGLISH: Templates = Templates {
    site: include_str!("templates/en/site.toml"),
    policy: include_str!("templates/en/policy.yaml"),
    banned_words: include_str!("templates/en/banned-words.txt"),
    leaders: include_str!("templates/en/leaders.yaml"),
    readme: include_str!("templates/en/README.md"),
    changelog: include_str!("templates/en/CHANGELOG.md"),
    examples: [
        (
            "about",
            "about-this-site",
            include_str!("templates/en/about.md"),
        ),
        ("news", "portal-opens", include_str!("templates/en/news.md")),
        (
            "notices",
            "submitting-articles",
            include_str!("templates/en/notices.md"),
        ),
    ],
    next_steps: include_str!("templates/en/next-steps.txt"),
    article: include_str!("templates/en/article.md"),
};

/// Files that read the same in every site language.
const GITIGNORE: &str = include_str!("templates/common/gitignore");
const PUBLISH_WORKFLOW: &str = include_str!("templates/common/publish.yml");

pub(crate) fn templates(language: Language) -> &'static Templates {
    match language {
        Language::Chinese => &CHINESE,
        Language::English => &ENGLISH,
    }
}

/// Replace every `{{name}}` of `template` by its value. Only the names given
/// are replaced, so other double braces (a CI expression, say) stay as written.
pub(crate) fn fill(template: &str, values: &[(&str, &str)]) -> String {
    values
        .iter()
        .fold(template.to_string(), |text, (name, value)| {
            text.replace(&format!("{{{{{name}}}}}"), value)
        })
}

/// `text` as a YAML scalar: as it is when YAML reads it back unchanged (most
/// titles and names), double-quoted otherwise (`a: b`, `#1`, `2026`, `yes`).
pub(crate) fn yaml_scalar(text: &str) -> String {
    let plain_reads_back = serde_yaml::from_str::<serde_yaml::Value>(text)
        .is_ok_and(|value| value.as_str() == Some(text));
    if plain_reads_back && !text.contains(['\'', '"', '\\']) {
        text.to_string()
    } else {
        quoted(text)
    }
}

/// A double-quoted string that TOML and YAML read alike (JSON's escapes are
/// valid in both).
pub(crate) fn quoted(text: &str) -> String {
    serde_json::Value::String(text.to_string()).to_string()
}

/// Write a file that must not exist yet, creating its folders: whatever
/// `init` and `new` write, they never replace.
pub fn write_new_file(file: &Path, text: &str) -> Result<()> {
    if let Some(folder) = file.parent() {
        fs::create_dir_all(folder).map_err(|e| Error::io(folder, &e, "create the folder"))?;
    }
    let mut handle = fs::OpenOptions::new()
        .write(true)
        .create_new(true)
        .open(file)
        .map_err(|e| Error::io(file, &e, "create the file"))?;
    handle
        .write_all(text.as_bytes())
        .map_err(|e| Error::io(file, &e, "write the file"))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn fill_replaces_only_named_placeholders() {
        let text = fill("a {{x}} b {{x}} ${{ vars.Y }}", &[("x", "1")]);
        assert_eq!(text, "a 1 b 1 ${{ vars.Y }}");
    }

    #[test]
    fn yaml_scalars_read_back_as_written() {
        for text in [
            "关于开展科普月活动的通知",
            "Annual report: 2026",
            "#1 in the region",
            "2026",
            "true",
            "say \"hi\"",
            "- not a list",
            "[x]",
            "{x}",
            "a # b",
            "ssh-ed25519 AAAAC3Nza name@host",
            "*alias",
            "&anchor",
            "!tag",
            "%directive",
            "@at",
            "`tick",
            "…省略",
        ] {
            let written = yaml_scalar(text);
            let read: serde_yaml::Value = serde_yaml::from_str(&format!("key: {written}")).unwrap();
            assert_eq!(read["key"].as_str(), Some(text), "{written}");
        }
        assert_eq!(
            yaml_scalar("关于开展科普月活动的通知"),
            "关于开展科普月活动的通知"
        );
    }
}
