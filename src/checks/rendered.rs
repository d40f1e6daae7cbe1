//! The site as readers get it: the publication set rendered by the real
//! renderer into a temporary folder, and what the link, identity and
//! accessibility rules need from each page (ids, link targets, language,
//! monitoring meta tags, the footer).
//!
//! Checking the output rather than the Markdown is what makes `broken-link`
//! trustworthy: it sees the links the theme adds, the anchors the renderer
//! gives headings, and the attachments exactly where they are written.

use std::collections::{BTreeMap, BTreeSet, HashSet};
use std::path::Path;

use crate::error::{Diagnostic, Error, Result};
use crate::media::decode_entities;
use crate::publish::PublicationSet;
use crate::render;

/// What one HTML page holds.
#[derive(Debug, Clone, Default)]
pub(crate) struct Page {
    /// `article`, `column`, `home` … from `<body class="page-…">`.
    pub kind: String,
    /// Every `id` (and `<a name>`), for fragment links.
    pub ids: HashSet<String>,
    /// Link targets in document order: `href`, `src`, `poster`, form `action`.
    pub links: Vec<String>,
    pub lang: Option<String>,
    /// `<meta name=… content=…>`
    pub meta: BTreeMap<String, String>,
    /// The `<footer>`'s HTML (the whole page when there is none).
    pub footer: String,
    /// Forms' `action`s and `<input type=search>` seen: a search box.
    pub has_search_form: bool,
}

/// The rendered site.
pub(crate) struct RenderedSite {
    _folder: tempfile::TempDir,
    /// The URL path the site lives under (`/` or `/kx/`).
    pub base_path: String,
    /// Site-relative path of every file written (`news/a/index.html`).
    pub files: BTreeSet<String>,
    /// Site-relative path of each HTML page → its facts.
    pub pages: BTreeMap<String, Page>,
    theme_root: String,
}

impl RenderedSite {
    /// Render the published articles into a temporary folder and read every page.
    pub fn render(set: &PublicationSet) -> Result<RenderedSite> {
        let folder = tempfile::Builder::new()
            .prefix("sanshen-check-")
            .tempdir()
            .map_err(|e| {
                Error::io(
                    &std::env::temp_dir(),
                    &e,
                    "create a folder to render the site into",
                )
            })?;
        render::render_publication(set, folder.path(), None)?;
        let mut files = BTreeSet::new();
        let mut pages = BTreeMap::new();
        for entry in walkdir::WalkDir::new(folder.path()).sort_by_file_name() {
            let entry = entry.map_err(|e| {
                Error::config(Diagnostic::new(format!(
                    "cannot read the rendered site: {e}"
                )))
            })?;
            if !entry.file_type().is_file() {
                continue;
            }
            let Some(relative) = relative_path(folder.path(), entry.path()) else {
                continue;
            };
            if relative.ends_with(".html") {
                let html = std::fs::read_to_string(entry.path())
                    .map_err(|e| Error::io(entry.path(), &e, "read a rendered page"))?;
                pages.insert(relative.clone(), read_page(&html));
            }
            files.insert(relative);
        }
        let theme_root = match &set.site.theme {
            Some(name) => format!("themes/{name}"),
            None => "(built-in theme)".to_string(),
        };
        Ok(RenderedSite {
            _folder: folder,
            base_path: crate::render::pages::base_path_of(&set.site.base_url),
            files,
            pages,
            theme_root,
        })
    }

    /// A theme file's repository path, for findings about the theme.
    pub fn theme_file(&self, path: &str) -> String {
        format!("{}/{path}", self.theme_root)
    }

    pub fn template_file(&self, template: &str) -> String {
        self.theme_file(&format!("templates/{template}"))
    }

    /// The template a page kind is rendered with.
    pub fn template_of(&self, kind: &str) -> String {
        let template = match kind {
            "home" => "index.html",
            "column" => "column.html",
            "article" => "article.html",
            "sitemap" => "sitemap.html",
            "search" => "search.html",
            "not-found" | "404" => "404.html",
            _ => "base.html",
        };
        self.template_file(template)
    }
}

fn relative_path(root: &Path, path: &Path) -> Option<String> {
    let relative = path.strip_prefix(root).ok()?;
    let parts: Vec<String> = relative
        .components()
        .map(|c| c.as_os_str().to_string_lossy().into_owned())
        .collect();
    Some(parts.join("/"))
}

/// Read the facts of one page with a small tag scanner (the pages are the
/// renderer's own output: well-formed, attributes quoted).
pub(crate) fn read_page(html: &str) -> Page {
    let mut page = Page::default();
    let mut footer_range: Option<(usize, usize)> = None;
    let mut position = 0;
    while let Some(found) = html[position..].find('<') {
        let start = position + found;
        let rest = &html[start..];
        if rest.starts_with("<!--") {
            position = rest
                .find("-->")
                .map(|e| start + e + 3)
                .unwrap_or(html.len());
            continue;
        }
        let Some(end) = tag_end(rest) else { break };
        let tag = &rest[1..end];
        position = start + end + 1;
        if let Some(name) = tag.strip_prefix('/') {
            if name.trim().eq_ignore_ascii_case("footer")
                && let Some((from, _)) = footer_range
            {
                footer_range = Some((from, start));
            }
            continue;
        }
        let (name, attributes) = split_tag(tag);
        let name = name.to_ascii_lowercase();
        let attribute = |wanted: &str| {
            attributes
                .iter()
                .find(|(n, _)| n == wanted)
                .map(|(_, v)| v.clone())
        };
        if let Some(id) = attribute("id") {
            page.ids.insert(id);
        }
        match name.as_str() {
            "html" => page.lang = attribute("lang"),
            "body" => {
                if let Some(class) = attribute("class") {
                    page.kind = class
                        .split_whitespace()
                        .find_map(|c| c.strip_prefix("page-"))
                        .unwrap_or_default()
                        .to_string();
                }
            }
            "meta" => {
                if let (Some(meta_name), Some(content)) = (attribute("name"), attribute("content"))
                {
                    page.meta.insert(meta_name, content);
                }
            }
            "a" => {
                if let Some(anchor) = attribute("name") {
                    page.ids.insert(anchor);
                }
            }
            "footer" if footer_range.is_none() => footer_range = Some((start, html.len())),
            "form" => page.has_search_form |= attribute("role").as_deref() == Some("search"),
            "input" => page.has_search_form |= attribute("type").as_deref() == Some("search"),
            "script" | "style" => {
                let close = format!("</{name}");
                position = html[position..]
                    .find(&close)
                    .map(|e| position + e)
                    .unwrap_or(html.len());
            }
            _ => {}
        }
        for wanted in ["href", "src", "poster", "action"] {
            if let Some(target) = attribute(wanted) {
                page.links.push(target);
            }
        }
    }
    page.footer = match footer_range {
        Some((from, to)) => html[from..to].to_string(),
        None => html.to_string(),
    };
    page
}

/// The `>` closing a tag that starts `text`, skipping quoted values.
fn tag_end(text: &str) -> Option<usize> {
    let mut quote: Option<char> = None;
    for (i, c) in text.char_indices().skip(1) {
        match (quote, c) {
            (Some(q), c) if c == q => quote = None,
            (Some(_), _) => {}
            (None, '"' | '\'') => quote = Some(c),
            (None, '>') => return Some(i),
            _ => {}
        }
    }
    None
}

/// A tag's name and its attributes (names lower-cased, values decoded).
fn split_tag(tag: &str) -> (&str, Vec<(String, String)>) {
    let tag = tag.trim_end_matches('/');
    let name_end = tag.find(|c: char| c.is_whitespace()).unwrap_or(tag.len());
    let name = &tag[..name_end];
    let mut attributes = Vec::new();
    let mut rest = &tag[name_end..];
    loop {
        rest = rest.trim_start();
        if rest.is_empty() {
            break;
        }
        let key_end = rest
            .find(|c: char| c.is_whitespace() || c == '=')
            .unwrap_or(rest.len());
        let key = rest[..key_end].to_ascii_lowercase();
        rest = rest[key_end..].trim_start();
        let value = if let Some(after) = rest.strip_prefix('=') {
            let after = after.trim_start();
            match after.chars().next() {
                Some(q @ ('"' | '\'')) => {
                    let inner = &after[1..];
                    let end = inner.find(q).unwrap_or(inner.len());
                    rest = inner.get(end + 1..).unwrap_or("");
                    inner[..end].to_string()
                }
                _ => {
                    let end = after.find(char::is_whitespace).unwrap_or(after.len());
                    rest = &after[end..];
                    after[..end].to_string()
                }
            }
        } else {
            String::new()
        };
        if key.is_empty() {
            // A stray character: skip it rather than loop forever.
            rest = rest.get(1..).unwrap_or("");
            continue;
        }
        attributes.push((key, decode_entities(&value)));
    }
    (name, attributes)
}

/// The text of an HTML fragment without tags, entities decoded.
pub(crate) fn visible_text(html: &str) -> String {
    let mut text = String::with_capacity(html.len());
    let mut in_tag = false;
    for c in html.chars() {
        match c {
            '<' => in_tag = true,
            '>' if in_tag => {
                in_tag = false;
                text.push(' ');
            }
            c if !in_tag => text.push(c),
            _ => {}
        }
    }
    decode_entities(&text)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reads_the_facts_of_a_page() {
        let html = r##"<!DOCTYPE html><html lang="zh-CN"><head><meta name="SiteName" content="云州 &amp; 科协">
<script>if (a < b) { document.write("<a href='/x/'>"); }</script></head>
<body class="page-article wide"><h2 id="第一章">一</h2><a name="top2"></a><!-- <a href="/hidden/"> -->
<a href="/news/a/#第一章" title='a > b'>x</a><img src="chart.png" alt="">
<form role="search" action="/search/"><input type="search" name="q"></form>
<footer><p>主办单位：云州</p></footer></body></html>"##;
        let page = read_page(html);
        assert_eq!(page.kind, "article");
        assert_eq!(page.lang.as_deref(), Some("zh-CN"));
        assert_eq!(
            page.meta.get("SiteName").map(String::as_str),
            Some("云州 & 科协")
        );
        assert!(page.ids.contains("第一章") && page.ids.contains("top2"));
        assert_eq!(page.links, ["/news/a/#第一章", "chart.png", "/search/"]);
        assert!(page.has_search_form);
        assert!(visible_text(&page.footer).contains("主办单位：云州"));
    }
}
