//! A new article (`sanshen new`): the file name it gets and the front matter
//! it starts with.
//!
//! A slug is part of the page's address, so it is made of lower-case ASCII
//! letters, digits and `-`: the words of an English title, or — since a
//! Chinese title has no such words — the article's date and a number
//! (`2026-11-23-1`). A new article never replaces a file: a slug already
//! taken moves on to the next free one, or, when the writer chose it, is
//! refused. The front matter carries only fields the strict parser accepts;
//! the optional ones are written as comments, to be filled in or left alone.

use chrono::NaiveDate;

use crate::content::{BUNDLE_INDEX, CONTENT_DIR};
use crate::scaffold::{fill, templates, yaml_scalar};
use crate::site::config::is_plain_name;
use crate::site::{Column, Language};

/// Longest slug made from a title, in characters; longer titles are cut at a word.
const MAX_TITLE_SLUG: usize = 60;

/// The slug of a title written in ASCII: its words, lower-cased, joined by
/// `-`. `None` for a title with other letters (Chinese) or no words at all.
pub fn title_slug(title: &str) -> Option<String> {
    if title.chars().any(|c| c.is_alphanumeric() && !c.is_ascii()) {
        return None;
    }
    let mut slug = String::new();
    for word in title
        .split(|c: char| !c.is_ascii_alphanumeric())
        .filter(|w| !w.is_empty())
    {
        let joined = if slug.is_empty() { 0 } else { 1 };
        if !slug.is_empty() && slug.len() + joined + word.len() > MAX_TITLE_SLUG {
            break;
        }
        if joined == 1 {
            slug.push('-');
        }
        slug.push_str(&word.to_ascii_lowercase());
    }
    (!slug.is_empty()).then_some(slug)
}

/// Why no slug could be chosen.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum SlugProblem {
    /// The slug the writer gave is not lower-case letters, digits, `-` and `_`.
    NotPlain(String),
    /// The slug the writer gave is taken.
    Taken(String),
}

/// The slug of a new article: `wanted` as given (refused when taken), else
/// the title's words or the day, made unique with `-2`, `-3` … (or, for a
/// day, `-1`, `-2` …). `taken` says whether a slug is in use in the column.
pub fn choose_slug(
    wanted: Option<&str>,
    title: &str,
    day: NaiveDate,
    taken: impl Fn(&str) -> bool,
) -> Result<String, SlugProblem> {
    if let Some(wanted) = wanted {
        let wanted = wanted.trim();
        if !is_plain_name(wanted) {
            return Err(SlugProblem::NotPlain(wanted.to_string()));
        }
        if taken(wanted) {
            return Err(SlugProblem::Taken(wanted.to_string()));
        }
        return Ok(wanted.to_string());
    }
    let candidates: Box<dyn Iterator<Item = String>> = match title_slug(title) {
        Some(base) => {
            Box::new(std::iter::once(base.clone()).chain((2..).map(move |n| format!("{base}-{n}"))))
        }
        None => {
            let base = day.format("%Y-%m-%d").to_string();
            Box::new((1..).map(move |n| format!("{base}-{n}")))
        }
    };
    // The column cannot hold more files than this; the bound keeps a broken
    // `taken` from looping for ever.
    let mut candidates = candidates.take(100_000);
    candidates
        .find(|slug| !taken(slug))
        .ok_or_else(|| SlugProblem::Taken(title.to_string()))
}

/// The repository path of a new article's Markdown file.
pub fn markdown_path(column: &str, slug: &str, bundle: bool) -> String {
    if bundle {
        format!("{CONTENT_DIR}/{column}/{slug}/{BUNDLE_INDEX}")
    } else {
        format!("{CONTENT_DIR}/{column}/{slug}.md")
    }
}

/// What goes into a new article.
#[derive(Debug, Clone)]
pub struct ArticleDraft<'a> {
    pub column: &'a Column,
    pub title: &'a str,
    /// `date` as the writer gave it (`2026-11-23` or a time); `None` leaves
    /// it out, so the page shows when review completes.
    pub date: Option<&'a str>,
    /// Today, `2026-11-23`: the example in the commented-out date fields.
    pub today: &'a str,
    /// A person id from policy.yaml or a display name.
    pub author: Option<&'a str>,
    /// The submitting unit, when known (the writer's); else the column's first.
    pub unit: Option<&'a str>,
    /// A folder holding the article and its attachments.
    pub bundle: bool,
}

/// The text of a new article: front matter and a body to replace.
pub fn article_text(language: Language, draft: &ArticleDraft<'_>) -> String {
    let chinese = language == Language::Chinese;
    let pick = |zh: &str, en: &str| if chinese { zh } else { en }.to_string();
    let unit = match draft
        .unit
        .or(draft.column.units.first().map(String::as_str))
    {
        Some(unit) => format!(
            "unit: {unit}   # {}",
            pick(
                "报送单位（必填，决定由谁审核）",
                "submitting unit (required: it decides who reviews)"
            )
        ),
        None => format!(
            "unit: ''   # {}",
            pick(
                "报送单位（必填）：填写你的部门编号（approvals/policy.yaml 的 units）",
                "submitting unit (required): give yours, an id under units in approvals/policy.yaml"
            )
        ),
    };
    let author = match draft.author {
        Some(author) => format!("author: {}", yaml_scalar(author)),
        None => format!(
            "# author: {}",
            pick(
                "你在 approvals/policy.yaml 中的人员编号，或姓名",
                "your person id in approvals/policy.yaml, or your name"
            )
        ),
    };
    let date_line = match draft.date {
        Some(date) => format!("date: {date}"),
        None => format!(
            "# date: {} 09:00   # {}",
            draft.today,
            pick(
                "发布时间：一般不填，页面显示审核完成的时间；只有须注明特定发布时间时才填写",
                "publication time: usually left out, so the page shows when review completed; give one only when a set time must be shown"
            )
        ),
    };
    let mut body = pick("在这里撰写正文。", "Write the article here.");
    if draft.bundle {
        body.push_str(&pick(
            "图片和附件放在本文件夹中，在正文中用相对路径引用，例如 `![图片说明](photo.jpg)`、`[附件名称](file.pdf)`。",
            " Put images and attachments in this folder and link them by name, e.g. `![What the picture shows](photo.jpg)`, `[Attachment](file.pdf)`.",
        ));
    }
    fill(
        templates(language).article,
        &[
            ("title", &yaml_scalar(draft.title)),
            ("date_line", &date_line),
            ("date", draft.today),
            ("unit", &unit),
            ("author", &author),
            ("max_delay", &draft.column.max_delay.to_string()),
            ("body", &body),
        ],
    )
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::content::frontmatter;
    use crate::site::SiteConfig;

    const SITE: &str = r#"title = "T"
base_url = "https://example.org/"
[[columns]]
path = "news"
title = "工作动态"
units = ["office", "kepu"]
max_delay = "3d"
[[columns]]
path = "misc"
title = "其他"
"#;

    fn day() -> NaiveDate {
        NaiveDate::from_ymd_opt(2026, 11, 23).unwrap()
    }

    #[test]
    fn english_titles_become_words() {
        assert_eq!(
            title_slug("2026 Science Week: Open Day!").as_deref(),
            Some("2026-science-week-open-day")
        );
        assert_eq!(
            title_slug("  Hello,   World  ").as_deref(),
            Some("hello-world")
        );
        assert_eq!(title_slug("!!!"), None);
        assert_eq!(title_slug("关于开展2026年科普月活动的通知"), None);
        assert_eq!(title_slug("Café opens"), None);
        let long = title_slug(&"word ".repeat(40)).unwrap();
        assert!(
            long.len() <= MAX_TITLE_SLUG && long.ends_with("word"),
            "{long}"
        );
    }

    #[test]
    fn slugs_never_reuse_a_taken_name() {
        let taken = |slug: &str| ["open-day", "open-day-2", "2026-11-23-1"].contains(&slug);
        assert_eq!(
            choose_slug(None, "Open Day", day(), taken).unwrap(),
            "open-day-3"
        );
        assert_eq!(
            choose_slug(None, "科普日", day(), taken).unwrap(),
            "2026-11-23-2"
        );
        assert_eq!(
            choose_slug(None, "科普日", day(), |_| false).unwrap(),
            "2026-11-23-1"
        );
        assert_eq!(
            choose_slug(Some("open-day"), "x", day(), taken),
            Err(SlugProblem::Taken("open-day".into()))
        );
        assert_eq!(
            choose_slug(Some("Open Day"), "x", day(), taken),
            Err(SlugProblem::NotPlain("Open Day".into()))
        );
        assert_eq!(
            choose_slug(Some("kepuri"), "x", day(), taken).unwrap(),
            "kepuri"
        );
    }

    #[test]
    fn paths_of_files_and_bundles() {
        assert_eq!(markdown_path("news/hq", "a", false), "content/news/hq/a.md");
        assert_eq!(markdown_path("news", "a", true), "content/news/a/index.md");
    }

    #[test]
    fn new_articles_pass_the_strict_parser() {
        let site = SiteConfig::parse("site.toml", SITE).unwrap();
        for language in [Language::Chinese, Language::English] {
            for (column, author, unit, title, bundle) in [
                (
                    "news",
                    Some("sunli"),
                    None,
                    "关于开展科普月活动的通知",
                    false,
                ),
                ("misc", None, Some("kepu"), "Report: #1 \"best\" year", true),
                ("news", Some("王 芳"), Some("kepu"), "2026", false),
            ] {
                let column = site.columns.get(column).unwrap();
                let draft = ArticleDraft {
                    column,
                    title,
                    date: None,
                    today: "2026-11-23",
                    author,
                    unit,
                    bundle,
                };
                let text = article_text(language, &draft);
                let parts = frontmatter::split(&text).unwrap();
                let front = frontmatter::parse("content/x.md", &parts, site.timezone)
                    .unwrap_or_else(|e| panic!("{e}\n{text}"));
                assert_eq!(front.title, title);
                assert!(front.date.is_none(), "{text}");
                assert!(text.contains("# date: 2026-11-23 09:00"), "{text}");
                assert_eq!(
                    Some(front.unit.as_str()),
                    unit.or(column.units.first().map(String::as_str))
                );
                assert_eq!(front.author.as_deref(), author);
                assert!(front.event_date.is_none() && front.source.is_none());
                assert!(text.contains("# event_date: 2026-11-23"), "{text}");
                assert!(text.contains("3d") || column.path == "misc");
                // Every commented field, uncommented, is one the parser accepts.
                let uncommented: String = parts
                    .front_matter
                    .lines()
                    .map(|l| l.strip_prefix("# ").unwrap_or(l))
                    .filter(|l| !l.starts_with("type:"))
                    .map(|l| format!("{l}\n"))
                    .collect::<String>()
                    + "type: reprint\n";
                let split = frontmatter::SplitSource {
                    front_matter: &uncommented,
                    ..parts.clone()
                };
                frontmatter::parse("content/x.md", &split, site.timezone)
                    .unwrap_or_else(|e| panic!("{e}\n{uncommented}"));
            }
        }
    }
}
