//! Broken links (rule `broken-link`): internal links, anchors and attachment
//! links that do not resolve in the rendered site.
//!
//! Every `href`, `src`, `poster` and form `action` of every page is resolved
//! the way a browser would, against the page's own address: relative paths,
//! root-relative paths under the site's base path, and absolute addresses on
//! the site's own `base_url`. The target must be a file the build wrote (a
//! folder counts when it holds `index.html`), and a `#fragment` must be an
//! `id` on the target page. External sites are probed only on request
//! (`check --external`, rule `external-link`, in [`super::external`]).
//!
//! A broken link on an article page is reported at the line of the Markdown
//! that wrote it; one the theme wrote is reported once per template, with
//! how many pages carry it.

use std::collections::{BTreeMap, HashMap};

use crate::catalog::RuleId;
use crate::checks::rendered::RenderedSite;
use crate::publish::PublicationSet;
use crate::render::markdown::{self, MarkdownOptions};
use crate::render::pages::percent_decode;
use crate::rules::Finding;
use crate::rules::text::Say;

/// Where a link points, once resolved.
#[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub(crate) enum Target {
    /// Another site, a mail address, a script: not checked.
    Elsewhere,
    /// A path under the site root (no leading `/`, percent-decoded) and a fragment.
    Internal {
        path: String,
        fragment: Option<String>,
    },
    /// Leaves the site's folder (`../../..`).
    Outside,
}

/// Resolve `href` written on the page at `page_dir` (site-relative, ending in
/// `/` or empty). `root_is_site`: a `/`-path starts at the site root, as in
/// Markdown (the renderer adds the base path); otherwise at the server root,
/// as in the output.
pub(crate) fn resolve(
    href: &str,
    page_dir: &str,
    base_url: &str,
    base_path: &str,
    root_is_site: bool,
) -> Target {
    let href = href.trim();
    if href.is_empty() {
        return Target::Elsewhere;
    }
    let lower = href.to_ascii_lowercase();
    let base_lower = base_url.to_ascii_lowercase();
    let (mut path, fragment) = match href.split_once('#') {
        Some((path, fragment)) => (path.to_string(), Some(percent_decode(fragment))),
        None => (href.to_string(), None),
    };
    if let Some(query) = path.find('?') {
        path.truncate(query);
    }
    let joined = if lower.starts_with(&base_lower) {
        path[base_url.len().min(path.len())..].to_string()
    } else if has_scheme(&lower) || lower.starts_with("//") {
        return Target::Elsewhere;
    } else if let Some(rooted) = path.strip_prefix('/') {
        if root_is_site {
            rooted.to_string()
        } else {
            match path.strip_prefix(base_path) {
                Some(inside) => inside.to_string(),
                None if base_path.starts_with(&format!("{path}/"))
                    || format!("{path}/") == base_path =>
                {
                    String::new()
                }
                None => return Target::Outside,
            }
        }
    } else if path.is_empty() {
        page_dir.to_string()
    } else {
        format!("{page_dir}{path}")
    };
    let mut segments: Vec<String> = Vec::new();
    let trailing = joined.ends_with('/') || joined.is_empty();
    for segment in joined.split('/') {
        match segment {
            "" | "." => {}
            ".." => {
                if segments.pop().is_none() {
                    return Target::Outside;
                }
            }
            other => segments.push(percent_decode(other)),
        }
    }
    let mut path = segments.join("/");
    if trailing && !path.is_empty() {
        path.push('/');
    }
    Target::Internal { path, fragment }
}

fn has_scheme(lower: &str) -> bool {
    let Some(colon) = lower.find(':') else {
        return false;
    };
    let scheme = &lower[..colon];
    !scheme.is_empty()
        && scheme
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || matches!(c, '+' | '-' | '.'))
        && !lower[..colon].contains('/')
}

/// Why a resolved internal target is broken, if it is.
fn problem(target_path: &str, fragment: Option<&str>, output: &RenderedSite) -> Option<Problem> {
    let file = if target_path.is_empty() || target_path.ends_with('/') {
        format!("{target_path}index.html")
    } else if output.files.contains(target_path) {
        target_path.to_string()
    } else {
        format!("{target_path}/index.html")
    };
    if !output.files.contains(&file) {
        return Some(Problem::Missing);
    }
    let fragment = fragment.filter(|f| !f.is_empty() && !f.eq_ignore_ascii_case("top"))?;
    let page = output.pages.get(&file)?;
    (!page.ids.contains(fragment)).then_some(Problem::NoAnchor)
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Problem {
    Missing,
    NoAnchor,
}

/// Check every link of every page.
pub(crate) fn check(set: &PublicationSet, output: &RenderedSite, say: &Say) -> Vec<Finding> {
    let base_url = &set.site.base_url;
    let base_path = &output.base_path;

    // For article pages: the Markdown's own links, resolved, with their lines.
    let mut article_of_folder: HashMap<String, usize> = HashMap::new();
    for (index, article) in set.articles.iter().enumerate() {
        article_of_folder.insert(format!("{}/", article.path.url().trim_matches('/')), index);
    }
    let mut source_lines: HashMap<usize, HashMap<Target, Option<usize>>> = HashMap::new();

    let mut findings = Vec::new();
    // (template, target, problem) → pages carrying it.
    let mut theme_links: BTreeMap<(String, String), Vec<String>> = BTreeMap::new();
    for (file, page) in &output.pages {
        let page_dir = match file.rsplit_once('/') {
            Some((dir, _)) => format!("{dir}/"),
            None => String::new(),
        };
        let article = article_of_folder.get(&page_dir).copied();
        for href in &page.links {
            let target = resolve(href, &page_dir, base_url, base_path, false);
            let Target::Internal { path, fragment } = &target else {
                continue;
            };
            let Some(problem) = problem(path, fragment.as_deref(), output) else {
                continue;
            };
            let shown = match fragment {
                Some(fragment) => format!("/{path}#{fragment}"),
                None => format!("/{path}"),
            };
            let what = match problem {
                Problem::Missing => say.pick(
                    format!("链接的 {shown} 在网站中不存在"),
                    format!("links to {shown}, which does not exist in the built site"),
                ),
                Problem::NoAnchor => say.pick(
                    format!("链接的锚点 {shown} 在目标页面上不存在"),
                    format!("links to the anchor {shown}, which is not on the target page"),
                ),
            };
            if let Some(index) = article {
                let lines = source_lines
                    .entry(index)
                    .or_insert_with(|| source_link_lines(set, index, base_url, base_path));
                if let Some(&line) = lines.get(&target) {
                    let source = &set.articles[index];
                    findings.push(
                        Finding::new(RuleId::BrokenLink, what)
                            .in_file(source.path.markdown_path())
                            .at(line, None)
                            .with_help(say.pick(
                                "改正链接地址；链接附件时写同一文件夹中的文件名，链接标题时写其锚点",
                                "correct the address; an attachment is linked by its file name in the bundle folder, a heading by its anchor",
                            )),
                    );
                    continue;
                }
            }
            theme_links
                .entry((output.template_of(&page.kind), what))
                .or_default()
                .push(format!("/{file}"));
        }
    }
    for ((template, what), pages) in theme_links {
        findings.push(
            Finding::new(
                RuleId::BrokenLink,
                say.pick(
                    format!("{}（{} 个页面，如 {}）", what, pages.len(), pages[0]),
                    format!("{} (on {} page(s), e.g. {})", what, pages.len(), pages[0]),
                ),
            )
            .in_file(template)
            .with_help(say.pick(
                "检查主题模板中生成该链接的地方",
                "look at where the theme's template writes this link",
            )),
        );
    }
    findings
}

/// The body links and images of an article (and its `cover`), resolved as
/// they are on its page, mapped to the file's line.
fn source_link_lines(
    set: &PublicationSet,
    index: usize,
    base_url: &str,
    base_path: &str,
) -> HashMap<Target, Option<usize>> {
    let article = &set.articles[index];
    let page_dir = format!("{}/", article.path.url().trim_matches('/'));
    let allow_raw_html = set
        .site
        .columns
        .get(article.path.column())
        .is_some_and(|c| c.allow_raw_html);
    // The site was rendered from these same bodies a moment ago, so reading
    // one cannot fail short of the repository changing under the check; then
    // the link is still reported, at its page rather than its line.
    let body = article
        .text(Some(&set.bodies))
        .map(|text| text.into_owned().body)
        .unwrap_or_default();
    let rendered = markdown::render(&body, &MarkdownOptions { allow_raw_html });
    let mut lines = HashMap::new();
    let references = rendered
        .links
        .iter()
        .map(|l| (l.href.as_str(), l.line))
        .chain(rendered.images.iter().map(|i| (i.src.as_str(), i.line)));
    for (href, line) in references {
        let target = resolve(href, &page_dir, base_url, base_path, true);
        lines
            .entry(target)
            .or_insert(Some(article.body_line + line - 1));
    }
    if let Some(cover) = &article.front.cover {
        // `cover:` is in the front matter, whose text is not at hand: no line.
        lines
            .entry(resolve(cover, &page_dir, base_url, base_path, true))
            .or_insert(None);
    }
    lines
}

#[cfg(test)]
mod tests {
    use super::*;

    fn internal(path: &str, fragment: Option<&str>) -> Target {
        Target::Internal {
            path: path.into(),
            fragment: fragment.map(str::to_string),
        }
    }

    #[test]
    fn resolves_like_a_browser() {
        let base = "https://kx.example/kx/";
        let at = |href: &str| resolve(href, "news/a/", base, "/kx/", false);
        assert_eq!(at("chart.png"), internal("news/a/chart.png", None));
        assert_eq!(at("./%E5%9B%BE.png"), internal("news/a/图.png", None));
        assert_eq!(at("../b/#第二章"), internal("news/b/", Some("第二章")));
        assert_eq!(at("#%E7%AC%AC%E4%B8%80"), internal("news/a/", Some("第一")));
        assert_eq!(
            at("/kx/static/css/site.css?v=3"),
            internal("static/css/site.css", None)
        );
        assert_eq!(at("/kx/"), internal("", None));
        assert_eq!(at("/kx"), internal("", None));
        assert_eq!(at("https://kx.example/kx/about/"), internal("about/", None));
        assert_eq!(at("/other/"), Target::Outside);
        assert_eq!(at("../../../x"), Target::Outside);
        for elsewhere in [
            "https://gov.example/",
            "mailto:a@b",
            "tel:0871",
            "//cdn.example/x.js",
            "javascript:void(0)",
        ] {
            assert_eq!(at(elsewhere), Target::Elsewhere, "{elsewhere}");
        }
        // Markdown's root is the site's root.
        assert_eq!(
            resolve("/about/", "news/a/", base, "/kx/", true),
            internal("about/", None)
        );
    }
}
