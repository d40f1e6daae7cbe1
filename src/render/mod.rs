//! Rendering: the publication set becomes a folder of static files (SPEC §7).
//!
//! [`render_site`] is the one entry point. It loads the theme's templates,
//! builds the site model once ([`pages::SiteModel`]: articles sorted, column
//! listings, links between policies and their interpretations), renders the
//! articles in parallel — each page is written as soon as it is rendered, so
//! a site of 100,000 articles never sits in memory as HTML — and then the
//! column pages, the home page, feeds, sitemaps and the search index.
//!
//! Everything written is a function of the input alone: no clock but
//! `RenderInput::now`, no random ids, no hash-map order. The caller gives an
//! empty folder and moves it into place when rendering succeeded
//! ([`output`]); a failure here leaves the published site untouched.

pub mod feeds;
pub mod images;
pub mod input;
pub mod markdown;
pub mod output;
pub mod pages;
pub mod reuse;
pub mod search;
pub mod sitemap;
pub mod theme;

use std::path::{Path, PathBuf};
use std::sync::Mutex;
use std::sync::atomic::{AtomicU64, AtomicUsize, Ordering};
use std::time::{Duration, Instant};

use crate::error::{Diagnostic, Result};
use input::RenderInput;

/// What a render produced, for the build's summary.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct RenderReport {
    /// HTML pages written (articles, column pages, home, search, site map, 404).
    pub pages: usize,
    /// Every file written, pages included.
    pub files: usize,
    /// Pages linked unchanged from the previous build.
    pub reused: usize,
    /// Problems that did not stop the render (an image without alt text, a
    /// link to a policy that is not published …), sorted by file and line.
    pub problems: Vec<Diagnostic>,
    /// Time spent in each part of rendering, summed over the threads.
    pub phases: Vec<(&'static str, Duration)>,
    /// Every file written into the output folder (relative, `/`-separated,
    /// sorted): with the pages kept from the previous build, the whole site.
    pub written: Vec<String>,
}

/// Render the approved site of a publication set into `out_dir`, linking
/// unchanged article pages of the previous build when `reuse` is given.
/// Bodies still in the repository are read through the set's loader.
pub fn render_publication(
    set: &crate::publish::PublicationSet,
    out_dir: &Path,
    reuse: Option<&reuse::PageReuse>,
) -> Result<RenderReport> {
    let unit_names = set.policy.unit_names();
    let person_names = set.policy.person_names();
    render_site(
        &RenderInput {
            site: &set.site,
            theme: &set.theme,
            articles: &set.articles,
            unit_names: &unit_names,
            person_names: &person_names,
            preview: false,
            now: set.now,
            loader: Some(&set.bodies),
        },
        out_dir,
        reuse,
    )
}

/// Render the whole site into `out_dir`, an existing empty folder.
pub fn render_site(
    input: &RenderInput<'_>,
    out_dir: &Path,
    reuse: Option<&reuse::PageReuse>,
) -> Result<RenderReport> {
    let templates = crate::site::theme::load_templates(input.theme)?;
    let output = OutputFolder::new(out_dir);
    theme::copy_static_files(input.theme, &output)?;

    let model = pages::SiteModel::new(input);
    let renderer = pages::PageRenderer::new(&model, &templates, &output, reuse);
    let articles = renderer.render_articles()?;
    let lists_started = Instant::now();
    renderer.render_column_pages()?;
    renderer.render_home()?;
    renderer.render_site_map_page()?;
    renderer.render_not_found_page()?;
    let lists = lists_started.elapsed();

    let indexes_started = Instant::now();
    feeds::write_feeds(&model, &articles, &output)?;
    sitemap::write_sitemaps(&model, &output)?;
    let search_started = Instant::now();
    let manifest = search::write_search_index(&model, &articles, &output, reuse)?;
    renderer.render_search_page(&manifest)?;
    let search = search_started.elapsed();
    let indexes = indexes_started.elapsed();

    let mut problems = model.problems.clone();
    problems.extend(articles.into_iter().flat_map(|outcome| outcome.problems));
    problems.sort_by(|a, b| (&a.file, a.line, &a.message).cmp(&(&b.file, b.line, &b.message)));
    let mut phases = renderer.clock.phases();
    phases.push(("lists, home and other pages (wall)", lists));
    phases.push(("feeds, sitemap, search (wall)", indexes));
    phases.push(("search index and page (wall)", search));
    let mut written = output.written.into_inner().unwrap_or_default();
    written.sort();
    written.dedup();
    Ok(RenderReport {
        written,
        pages: output.pages.load(Ordering::Relaxed),
        files: output.files.load(Ordering::Relaxed),
        reused: reuse.map_or(0, reuse::PageReuse::reused),
        problems,
        phases,
    })
}

/// The folder being filled, with counts of what went into it.
///
/// Shared by the parallel renderers, hence the atomic counters.
pub(crate) struct OutputFolder {
    root: PathBuf,
    pages: AtomicUsize,
    files: AtomicUsize,
    written: Mutex<Vec<String>>,
}

impl OutputFolder {
    fn new(root: &Path) -> Self {
        OutputFolder {
            root: root.to_path_buf(),
            pages: AtomicUsize::new(0),
            files: AtomicUsize::new(0),
            written: Mutex::new(Vec::new()),
        }
    }

    pub(crate) fn root(&self) -> &Path {
        &self.root
    }

    /// Write a file at a `/`-separated path relative to the output root,
    /// creating its folders.
    pub(crate) fn write(&self, relative: &str, bytes: &[u8]) -> Result<()> {
        self.write_with(relative, |file| std::io::Write::write_all(file, bytes))
    }

    /// [`write`](Self::write), with the content written by `fill` as it is produced.
    pub(crate) fn write_with(
        &self,
        relative: &str,
        fill: impl FnOnce(&mut std::fs::File) -> std::io::Result<()>,
    ) -> Result<()> {
        output::write_file_with(&self.root, relative, fill)?;
        self.files.fetch_add(1, Ordering::Relaxed);
        if let Ok(mut written) = self.written.lock() {
            written.push(relative.trim_start_matches('/').to_string());
        }
        Ok(())
    }

    /// Write an HTML page; counted as a page as well as a file.
    pub(crate) fn write_page(&self, relative: &str, html: &str) -> Result<()> {
        self.write(relative, html.as_bytes())?;
        self.pages.fetch_add(1, Ordering::Relaxed);
        Ok(())
    }

    /// Count a page and its files linked from the previous build.
    pub(crate) fn count_linked(&self, files: usize) {
        self.pages.fetch_add(1, Ordering::Relaxed);
        self.count_kept(files);
    }

    /// Count files, not a page, kept from the previous build.
    pub(crate) fn count_kept(&self, files: usize) {
        self.files.fetch_add(files, Ordering::Relaxed);
    }
}

/// Time spent per rendering step, summed over the threads that render
/// articles in parallel (so it can exceed the wall time).
#[derive(Default)]
pub(crate) struct StepClock {
    nanos: [AtomicU64; STEPS.len()],
}

/// The steps of rendering an article, in the order `--timings` prints them.
const STEPS: [&str; 7] = [
    "reading bodies (all threads)",
    "markdown (CPU, all threads)",
    "QR codes (CPU, all threads)",
    "templates (CPU, all threads)",
    "writing files (all threads)",
    "search documents (all threads)",
    "reusing pages (all threads)",
];

#[derive(Clone, Copy)]
pub(crate) enum Step {
    Reading = 0,
    Markdown = 1,
    QrCode = 2,
    Templates = 3,
    Writing = 4,
    SearchDocuments = 5,
    Reusing = 6,
}

impl StepClock {
    /// Run `work`, adding its time to `step`.
    pub(crate) fn time<T>(&self, step: Step, work: impl FnOnce() -> T) -> T {
        let started = Instant::now();
        let result = work();
        let nanos = u64::try_from(started.elapsed().as_nanos()).unwrap_or(u64::MAX);
        self.nanos[step as usize].fetch_add(nanos, Ordering::Relaxed);
        result
    }

    fn phases(&self) -> Vec<(&'static str, Duration)> {
        STEPS
            .iter()
            .zip(&self.nanos)
            .map(|(name, nanos)| (*name, Duration::from_nanos(nanos.load(Ordering::Relaxed))))
            .collect()
    }
}

/// Escape text for XML and HTML attribute or element content. Characters XML
/// 1.0 does not allow at all (most C0 controls) are dropped: a stray control
/// character pasted into a title must not make a whole feed unreadable.
pub(crate) fn escape_xml(text: &str) -> String {
    let mut escaped = String::with_capacity(text.len());
    for c in text.chars() {
        match c {
            '&' => escaped.push_str("&amp;"),
            '<' => escaped.push_str("&lt;"),
            '>' => escaped.push_str("&gt;"),
            '"' => escaped.push_str("&quot;"),
            '\'' => escaped.push_str("&apos;"),
            '\t' | '\n' | '\r' => escaped.push(c),
            c if (c as u32) < 0x20 || c == '\u{FFFE}' || c == '\u{FFFF}' => {}
            c => escaped.push(c),
        }
    }
    escaped
}

/// A small site in memory, rendered by the tests of this module and its children.
#[cfg(test)]
pub(crate) mod test_site {
    use std::collections::BTreeMap;
    use std::path::Path;

    use crate::content::article::{ArticleContent, ArticleText, PublishedArticle};
    use crate::content::{ArticlePath, frontmatter};
    use crate::render::input::RenderInput;
    use crate::render::{RenderReport, render_site};
    use crate::site::SiteConfig;
    use crate::site::theme::Theme;

    pub(crate) const SITE_TOML: &str = r#"
title = "云州科技网"
base_url = "https://kx.example/kx/"
description = "云州市科协门户"

[identity]
organizer = "云州市科学技术协会"
site_code = "5301000001"
icp = "云ICP备2026000001号-1"
police = ""
contact = "电话：0871-65550100"
error_report_url = "https://kx.example/kx/zhaocuo/"

[[columns]]
path = "news"
title = "工作动态"
paginate = 2

[[columns]]
path = "news/hq"
title = "科协要闻"
description = "市科协机关的重要工作"
paginate = 2

[[columns]]
path = "xxgk"
title = "信息公开"

[[columns]]
path = "special"
title = "专题专栏"
"#;

    /// An article from its repository path and full Markdown text.
    pub(crate) fn article(path: &str, text: &str) -> PublishedArticle {
        let bundle = !path.ends_with(".md");
        let parts = frontmatter::split(text).expect("test article has front matter");
        let front = frontmatter::parse(path, &parts, chrono_tz::Asia::Shanghai)
            .expect("test article front matter is valid");
        PublishedArticle {
            path: ArticlePath {
                path: path.to_string(),
                bundle,
            },
            oid: format!("oid-{path}"),
            body_line: parts.body_line,
            // Without a `date`, the test's review completed on 2026-11-05 at noon.
            date: crate::publish::shown_date(
                &front,
                chrono::DateTime::parse_from_rfc3339("2026-11-05T12:00:00+08:00")
                    .expect("fixed test time"),
            ),
            front: front.into(),
            content: ArticleContent::Loaded(ArticleText {
                body: parts.body.to_string(),
                assets: Vec::new(),
            }),
        }
    }

    pub(crate) fn articles() -> Vec<PublishedArticle> {
        let mut list = vec![
            article(
                "content/news/hq/a.md",
                "---\nunit: office\ntitle: 科协召开<全委会>&部署工作\ndate: 2026-11-02T09:00:00+08:00\nauthor: lihua\nimportance: important\nsource: 云州日报\nsource_url: https://news.example/1\ntags: [全委会, 部署]\nsummary: 会议部署年度工作。\n---\n\n会议强调……详见[通知公告](/news/)。\n",
            ),
            article(
                "content/news/hq/b.md",
                "---\ntitle: 第二条要闻\ndate: 2026-11-01\nunit: kepu\n---\n\n正文二。\n\n![](nowhere.png)\n",
            ),
            article(
                "content/news/hq/c.md",
                "---\nunit: office\ntitle: 第三条要闻\ndate: 2026-10-30\n---\n\n正文三。\n",
            ),
            article(
                "content/news/hq/d.md",
                "---\nunit: office\ntitle: 第四条要闻\ndate: 2026-10-30\n---\n\n正文四。\n",
            ),
            article(
                "content/news/e.md",
                "---\nunit: office\ntitle: 转载的消息\ndate: 2026-10-01\ntype: reprint\nsource: 科技日报\n---\n\n转载正文。\n",
            ),
            article(
                "content/xxgk/policy-1.md",
                "---\nunit: office\ntitle: 云州市科协信息公开办法\ndate: 2026-09-01\ntype: policy\ndoc_number: 云科协发〔2026〕1号\nindex_number: 0001-2026-00001\n---\n\n第一条 为了……\n",
            ),
            article(
                "content/xxgk/jiedu-1.md",
                "---\nunit: office\ntitle: 《信息公开办法》解读\ndate: 2026-09-02\ntype: interpretation\ninterprets: content/xxgk/policy-1.md\n---\n\n解读正文。\n",
            ),
            article(
                "content/special/kepuri",
                "---\nunit: office\ntitle: 2026年全国科普日专题\ndate: 2026-09-15\ntype: special\ncover: cover.png\n---\n\n![科普日海报](cover.png)\n\n[统计表](tongji.pdf)\n",
            ),
        ];
        if let ArticleContent::Loaded(text) = &mut list[7].content {
            text.assets = vec![
                ("cover.png".into(), vec![0x89, b'P', b'N', b'G']),
                ("tongji.pdf".into(), b"%PDF-1.4 test".to_vec()),
            ];
        }
        list
    }

    pub(crate) fn render(
        site: &SiteConfig,
        articles: &[PublishedArticle],
        preview: bool,
        out: &Path,
    ) -> RenderReport {
        let theme: Theme = crate::site::theme::default_theme();
        let units = BTreeMap::from([
            ("kepu".to_string(), "科学普及部".to_string()),
            ("office".to_string(), "办公室".to_string()),
        ]);
        let people = BTreeMap::from([("lihua".to_string(), "李华".to_string())]);
        let input = RenderInput {
            site,
            theme: &theme,
            articles,
            unit_names: &units,
            person_names: &people,
            preview,
            loader: None,
            now: chrono::DateTime::parse_from_rfc3339("2026-12-01T08:00:00+08:00")
                .expect("valid test time"),
        };
        render_site(&input, out, None).expect("the test site renders")
    }

    /// Render the test site into a fresh folder.
    pub(crate) fn render_default(preview: bool) -> (tempfile::TempDir, RenderReport) {
        let site = SiteConfig::parse("site.toml", SITE_TOML).expect("test site.toml is valid");
        let dir = tempfile::tempdir().expect("temporary folder");
        let report = render(&site, &articles(), preview, dir.path());
        (dir, report)
    }

    pub(crate) fn read(dir: &Path, file: &str) -> String {
        std::fs::read_to_string(dir.join(file)).unwrap_or_else(|e| panic!("{file}: {e}"))
    }
}

#[cfg(test)]
mod tests {
    use std::collections::BTreeMap;
    use std::path::Path;

    use super::search;
    use super::test_site::{SITE_TOML, article, articles, read, render, render_default};
    use crate::site::SiteConfig;

    fn all_files(root: &Path) -> BTreeMap<String, Vec<u8>> {
        let mut files = BTreeMap::new();
        let mut folders = vec![root.to_path_buf()];
        while let Some(folder) = folders.pop() {
            for entry in std::fs::read_dir(&folder).unwrap() {
                let path = entry.unwrap().path();
                if path.is_dir() {
                    folders.push(path);
                } else {
                    let name = path
                        .strip_prefix(root)
                        .unwrap()
                        .to_string_lossy()
                        .replace('\\', "/");
                    files.insert(name, std::fs::read(&path).unwrap());
                }
            }
        }
        files
    }

    #[test]
    fn writes_every_kind_of_file() {
        let (dir, report) = render_default(false);
        for file in [
            "index.html",
            "news/index.html",
            "news/hq/index.html",
            "news/hq/a/index.html",
            "news/e/index.html",
            "xxgk/policy-1/index.html",
            "special/kepuri/index.html",
            "special/kepuri/cover.png",
            "special/kepuri/tongji.pdf",
            "atom.xml",
            "news/atom.xml",
            "news/hq/atom.xml",
            "sitemap.xml",
            "robots.txt",
            "404.html",
            "sitemap/index.html",
            "search/index.html",
            "static/css/site.css",
            "static/css/print.css",
            "static/js/site.js",
            "static/img/logo.svg",
        ] {
            assert!(dir.path().join(file).is_file(), "{file} is missing");
        }
        // 8 articles, columns news (3 pages), news/hq (2), xxgk, special, home, site map, search, 404.
        assert_eq!(report.pages, 8 + 3 + 2 + 1 + 1 + 4);
        assert_eq!(report.files, all_files(dir.path()).len());
    }

    #[test]
    fn column_pages_are_paginated() {
        let (dir, _) = render_default(false);
        // news lists its own and news/hq's articles: 5 at 2 per page.
        assert!(dir.path().join("news/page/3/index.html").is_file());
        assert!(!dir.path().join("news/page/4").exists());
        assert!(!dir.path().join("news/page/1").exists());
        let first = read(dir.path(), "news/index.html");
        let second = read(dir.path(), "news/page/2/index.html");
        let third = read(dir.path(), "news/page/3/index.html");
        assert!(
            first.contains("科协召开&lt;全委会&gt;&amp;部署工作") && first.contains("第二条要闻")
        );
        // Ties on the date are ordered by path: c before d.
        assert!(second.contains("第三条要闻") && second.contains("第四条要闻"));
        assert!(third.contains("转载的消息") && !third.contains("第四条要闻"));
        assert!(second.contains(r#"<a href="/kx/news/page/2/" aria-current="page">2</a>"#));
        assert!(second.contains(r#"href="/kx/news/" rel="prev""#));
        assert!(second.contains(r#"href="/kx/news/page/3/" rel="next""#));
        assert!(first.contains(r#"href="/kx/news/atom.xml""#));
        assert!(
            first.contains(r#"<a href="/kx/news/hq/">科协要闻</a>"#),
            "sub-columns are listed"
        );
    }

    #[test]
    fn preview_banner_only_in_previews() {
        let (published, _) = render_default(false);
        let (preview, _) = render_default(true);
        for page in [
            "index.html",
            "news/hq/a/index.html",
            "404.html",
            "search/index.html",
        ] {
            let normal = read(published.path(), page);
            assert!(!normal.contains("未审核预览"), "{page}");
            assert!(!normal.contains("noindex"), "{page}");
            let marked = read(preview.path(), page);
            assert!(
                marked.contains(
                    "未审核预览 · unapproved preview — 本页内容尚未通过审核，不得作为正式发布"
                ),
                "{page}"
            );
            assert!(
                marked.contains(r#"<meta name="robots" content="noindex, nofollow">"#),
                "{page}"
            );
        }
        assert!(read(preview.path(), "robots.txt").contains("Disallow: /"));
        assert!(!read(published.path(), "robots.txt").contains("Disallow"));
    }

    #[test]
    fn footer_carries_the_identity() {
        let (dir, _) = render_default(false);
        let page = read(dir.path(), "news/hq/index.html");
        assert!(
            page.contains("<span class=\"identity-label\">主办单位：</span>云州市科学技术协会")
        );
        assert!(page.contains("<span class=\"identity-label\">网站标识码：</span>5301000001"));
        // The numbers link to the registries where an inspector checks them.
        assert!(page.contains(
            r#"<span class="identity-label">ICP备案号：</span><a href="https://beian.miit.gov.cn/">云ICP备2026000001号-1</a>"#
        ));
        assert!(
            page.contains("<span class=\"identity-label\">联系方式：</span>电话：0871-65550100")
        );
        assert!(!page.contains("公安备案号"), "an empty field is left out");
        // 找错 carries the site code and the page's own address.
        assert!(page.contains(
            r#"<a class="error-report" href="https://kx.example/kx/zhaocuo/?sitecode=5301000001&amp;url=https%3A%2F%2Fkx.example%2Fkx%2Fnews%2Fhq%2F">我为政府网站找错</a>"#
        ));
        assert!(!page.contains("conac"), "no badge_id, no 党政机关网站标识");
        assert!(page.contains(r#"<a href="/kx/sitemap/">网站地图</a>"#));
    }

    #[test]
    fn monitoring_meta_tags() {
        let (dir, _) = render_default(false);
        let home = read(dir.path(), "index.html");
        assert!(home.contains(r#"<meta name="SiteName" content="云州科技网">"#));
        assert!(home.contains(r#"<meta name="SiteDomain" content="kx.example">"#));
        assert!(home.contains(r#"<meta name="SiteIDCode" content="5301000001">"#));
        let column = read(dir.path(), "news/hq/index.html");
        assert!(column.contains(r#"<meta name="ColumnName" content="科协要闻">"#));
        assert!(
            column.contains(r#"<meta name="ColumnDescription" content="市科协机关的重要工作">"#)
        );
        assert!(column.contains(r#"<meta name="ColumnKeywords" content="工作动态,科协要闻">"#));
        assert!(column.contains(r#"<meta name="ColumnType" content="工作动态">"#));
        let article = read(dir.path(), "news/hq/a/index.html");
        for tag in [
            r#"<meta name="ArticleTitle" content="科协召开&lt;全委会&gt;&amp;部署工作">"#,
            r#"<meta name="PubDate" content="2026-11-02 09:00">"#,
            r#"<meta name="ContentSource" content="云州日报">"#,
            r#"<meta name="Keywords" content="全委会,部署">"#,
            r#"<meta name="Author" content="李华">"#,
            r#"<meta name="Description" content="会议部署年度工作。">"#,
            r#"<meta name="Url" content="https://kx.example/kx/news/hq/a/">"#,
        ] {
            assert!(article.contains(tag), "missing {tag}");
        }
        // Without a source, the unit is the content source; a day-only date
        // gets no made-up 00:00; without a summary the first paragraph
        // describes the page.
        let second = read(dir.path(), "news/hq/b/index.html");
        assert!(second.contains(r#"<meta name="ContentSource" content="科学普及部">"#));
        assert!(second.contains(r#"<meta name="PubDate" content="2026-11-01">"#));
        assert!(second.contains("<time datetime=\"2026-11-01\">2026-11-01</time>"));
        assert!(second.contains(r#"<meta name="description" content="正文二。">"#));
        assert!(second.contains(r#"<meta name="Description" content="正文二。">"#));
        // The cover is the page's image, by its absolute address.
        let special = read(dir.path(), "special/kepuri/index.html");
        assert!(special.contains(
            r#"<meta name="Image" content="https://kx.example/kx/special/kepuri/cover.png">"#
        ));
    }

    #[test]
    fn every_internal_url_has_the_base_path() {
        let (dir, _) = render_default(false);
        for (name, bytes) in all_files(dir.path()) {
            if !name.ends_with(".html") {
                continue;
            }
            let html = String::from_utf8(bytes).unwrap();
            for attribute in ["href=\"/", "src=\"/", "action=\"/", "data-index=\"/"] {
                for (at, _) in html.match_indices(attribute) {
                    let value = &html[at + attribute.len() - 1..];
                    assert!(
                        value.starts_with("/kx/"),
                        "{name}: {}",
                        &value[..value.len().min(40)]
                    );
                }
            }
        }
        let article = read(dir.path(), "news/hq/a/index.html");
        assert!(
            article.contains(r#"<a href="/kx/news/">通知公告</a>"#),
            "body links are prefixed"
        );
        let documents = search::tests::documents(dir.path());
        assert_eq!(documents[0].url, "/kx/news/hq/a/");
    }

    #[test]
    fn article_page_details() {
        let (dir, report) = render_default(false);
        let page = read(dir.path(), "news/hq/a/index.html");
        assert!(
            page.contains("<h1 class=\"article-title\">科协召开&lt;全委会&gt;&amp;部署工作</h1>")
        );
        assert!(page.contains("2026-11-02 09:00"));
        assert!(page.contains(
            r#"<a href="https://news.example/1" rel="noopener noreferrer">云州日报</a>"#
        ));
        assert!(page.contains("作者：李华"));
        // Breadcrumbs link every column above the article.
        assert!(page.contains(r#"<a href="/kx/news/">工作动态</a>"#));
        assert!(page.contains(r#"<a href="/kx/news/hq/">科协要闻</a>"#));
        // Previous is the newer neighbour (none), next the older one.
        assert!(page.contains("上一篇：没有了"));
        assert!(page.contains(r#"<a href="/kx/news/hq/b/" rel="next">第二条要闻</a>"#));
        assert!(page.contains("data-print"));

        let reprint = read(dir.path(), "news/e/index.html");
        assert!(reprint.contains("本文转载自：科技日报"));

        let policy = read(dir.path(), "xxgk/policy-1/index.html");
        assert!(policy.contains("<dl class=\"policy-meta\">"));
        assert!(policy.contains("云科协发〔2026〕1号") && policy.contains("0001-2026-00001"));
        assert!(
            policy.contains("<div><dt>发文机关</dt><dd>办公室</dd></div>"),
            "without an issuer, the submitting unit issues it"
        );
        assert!(
            policy.contains("<div><dt>有效性</dt><dd class=\"validity-value\">有效</dd></div>")
        );
        assert!(!policy.contains("validity-notice"));
        assert!(policy.contains(r#"<a href="/kx/xxgk/jiedu-1/">《信息公开办法》解读</a>"#));
        let interpretation = read(dir.path(), "xxgk/jiedu-1/index.html");
        assert!(
            interpretation.contains(r#"<a href="/kx/xxgk/policy-1/">云州市科协信息公开办法</a>"#)
        );

        let special = read(dir.path(), "special/kepuri/index.html");
        assert!(special.contains(r#"<a href="tongji.pdf" download>tongji.pdf</a>"#));
        assert!(
            !special.contains(r#"download>cover.png"#),
            "images in the body are no attachments"
        );
        assert!(special.contains("PDF, 13 B"));

        let missing_alt: Vec<_> = report
            .problems
            .iter()
            .filter(|p| p.message.contains("no alt text"))
            .collect();
        assert_eq!(missing_alt.len(), 1, "{:?}", report.problems);
        assert_eq!(missing_alt[0].file.as_deref(), Some("content/news/hq/b.md"));
        assert_eq!(missing_alt[0].line, Some(9));
    }

    #[test]
    fn a_policy_shows_its_disclosure_fields_and_whether_it_is_in_force() {
        let site = SiteConfig::parse("site.toml", SITE_TOML).unwrap();
        let mut list = articles();
        list.push(article(
            "content/xxgk/policy-2.md",
            "---\ntitle: 旧办法\ndate: 2025-03-01T10:30:00+08:00\ntype: policy\nunit: kepu\nissuer: 云州市科协办公室\nwritten_on: 2025-02-20\ntopic: 科技、教育\nvalidity: repealed\ntags: [科普, 制度]\n---\n\n现印发。\n\n云州市科协办公室\n2025年2月20日\n",
        ));
        let dir = tempfile::tempdir().unwrap();
        render(&site, &list, false, dir.path());
        let page = read(dir.path(), "xxgk/policy-2/index.html");
        for cell in [
            "<div><dt>主题分类</dt><dd>科技、教育</dd></div>",
            "<div><dt>发文机关</dt><dd>云州市科协办公室</dd></div>",
            "<div><dt>成文日期</dt><dd>2025-02-20</dd></div>",
            "<div><dt>发布日期</dt><dd>2025-03-01 10:30</dd></div>",
            "<div><dt>有效性</dt><dd class=\"validity-value\">已废止</dd></div>",
            "<div><dt>主题词</dt><dd>科普、制度</dd></div>",
            "<p class=\"validity-notice\" role=\"note\"><strong>本文件已废止，仅供查阅，不再执行。</strong></p>",
            "<p class=\"signature\">云州市科协办公室<br>2025年2月20日</p>",
            "发布时间：<time datetime=\"2025-03-01T10:30:00+08:00\">2025-03-01 10:30</time>",
            r#"<meta name="PubDate" content="2025-03-01 10:30">"#,
        ] {
            assert!(page.contains(cell), "missing {cell}");
        }
    }

    #[test]
    fn articles_offer_error_correction_and_related_articles() {
        let (dir, _) = render_default(false);
        let page = read(dir.path(), "news/hq/c/index.html");
        assert!(page.contains(
            r#"<a class="error-correction" href="https://kx.example/kx/zhaocuo/?sitecode=5301000001&amp;url=https%3A%2F%2Fkx.example%2Fkx%2Fnews%2Fhq%2Fc%2F">【我要纠错】</a>"#
        ));
        // c's neighbours (b, d) are linked as previous and next; a, the
        // nearest other article of its column, is related.
        let related = &page[page.find("相关稿件").expect("a related block")..];
        assert!(
            related.contains(r#"<a href="/kx/news/hq/a/">"#),
            "{related}"
        );
        assert!(
            !related.contains(r#"<a href="/kx/news/hq/b/">"#),
            "{related}"
        );
        // An article sharing a tag comes before the column's neighbours.
        let site = SiteConfig::parse("site.toml", SITE_TOML).unwrap();
        let mut list = articles();
        list.push(article(
            "content/special/tagged.md",
            "---\ntitle: 同标签专题\ndate: 2026-08-01\nunit: office\ntype: special\ntags: [部署]\n---\n\n正文。\n",
        ));
        let dir = tempfile::tempdir().unwrap();
        render(&site, &list, false, dir.path());
        let page = read(dir.path(), "news/hq/a/index.html");
        let related = &page[page.find("相关稿件").expect("a related block")..];
        let tagged = related
            .find("/kx/special/tagged/")
            .expect("the tagged article");
        let neighbour = related.find("/kx/news/hq/c/").expect("a column neighbour");
        assert!(tagged < neighbour, "{related}");
    }

    #[test]
    fn the_badge_links_to_its_certificate() {
        let text = SITE_TOML.replace(
            "[identity]\n",
            "[identity]\nbadge_id = \"5300000000000001\"\n",
        );
        let site = SiteConfig::parse("site.toml", &text).unwrap();
        let dir = tempfile::tempdir().unwrap();
        render(&site, &articles(), false, dir.path());
        let page = read(dir.path(), "index.html");
        assert!(page.contains(
            r#"<a class="conac-badge" href="https://bszs.conac.cn/sitename?method=show&amp;id=5300000000000001"><img src="/kx/static/img/conac-badge.svg" alt="党政机关网站标识""#
        ));
    }

    #[test]
    fn home_page_blocks() {
        let (dir, _) = render_default(false);
        let home = read(dir.path(), "index.html");
        let headlines = &home[home.find("class=\"headlines\"").unwrap()
            ..home.find("class=\"home-blocks\"").unwrap()];
        assert!(headlines.contains("要闻") && headlines.contains("科协召开"));
        assert!(
            !headlines.contains("2026年全国科普日专题"),
            "专题 are not headlines"
        );
        assert!(home.contains(r#"<a class="more" href="/kx/news/">"#));
        let special = &home[home.find("class=\"special-block\"").unwrap()..];
        assert!(special.contains("2026年全国科普日专题"));
        assert!(special.contains(r#"src="/kx/special/kepuri/cover.png""#));
        assert!(
            !home.contains(r#"id="block-special""#),
            "a column of 专题 only is the 专题专栏 block"
        );
    }

    #[test]
    fn important_items_lead_the_headlines() {
        let site = SiteConfig::parse("site.toml", SITE_TOML).unwrap();
        let list = vec![
            article(
                "content/news/new.md",
                "---\nunit: office\ntitle: 新近的普通消息\ndate: 2026-11-10\n---\n\n正文\n",
            ),
            article(
                "content/news/big.md",
                "---\nunit: office\ntitle: 较早的重大消息\ndate: 2026-10-01\nimportance: major\n---\n\n正文\n",
            ),
        ];
        let dir = tempfile::tempdir().unwrap();
        render(&site, &list, false, dir.path());
        let home = read(dir.path(), "index.html");
        let lead = &home[home.find("headline-lead").unwrap()..home.find("title-list").unwrap()];
        assert!(lead.contains("较早的重大消息"), "{lead}");
        assert!(home.find("较早的重大消息") < home.find("新近的普通消息"));
    }

    #[test]
    fn feeds_escape_and_date() {
        let (dir, _) = render_default(false);
        let feed = read(dir.path(), "atom.xml");
        assert!(feed.starts_with("<?xml version=\"1.0\" encoding=\"utf-8\"?>\n<feed xmlns=\"http://www.w3.org/2005/Atom\""));
        assert!(feed.contains("<title>科协召开&lt;全委会&gt;&amp;部署工作</title>"));
        assert!(!feed.contains("<全委会>"));
        assert!(feed.contains("<updated>2026-11-02T09:00:00+08:00</updated>"));
        assert!(feed.contains("<published>2026-11-01T00:00:00+08:00</published>"));
        assert!(feed.contains("<id>https://kx.example/kx/news/hq/a/</id>"));
        assert!(feed.contains("<link rel=\"self\" type=\"application/atom+xml\" href=\"https://kx.example/kx/atom.xml\"/>"));
        assert_eq!(feed.matches("<entry>").count(), 8);
        assert_eq!(feed.matches("</entry>").count(), 8);
        // Body HTML is escaped text inside <content>.
        assert!(feed.contains(
            "<content type=\"html\" xml:base=\"https://kx.example/kx/news/hq/a/\">&lt;p&gt;"
        ));
        let column = read(dir.path(), "news/hq/atom.xml");
        assert_eq!(column.matches("<entry>").count(), 4);
        // An empty column's feed is valid and dated by the build clock.
        let site = SiteConfig::parse("site.toml", SITE_TOML).unwrap();
        let empty = tempfile::tempdir().unwrap();
        render(&site, &[], false, empty.path());
        let feed = read(empty.path(), "xxgk/atom.xml");
        assert!(feed.contains("<updated>2026-12-01T08:00:00+08:00</updated>"));
        assert!(!feed.contains("<entry>"));
    }

    #[test]
    fn feeds_hold_the_newest_twenty() {
        let site = SiteConfig::parse("site.toml", SITE_TOML).unwrap();
        let many: Vec<_> = (1..=25)
            .map(|day| {
                article(
                    &format!("content/news/n{day:02}.md"),
                    &format!("---\nunit: office\ntitle: 消息{day:02}\ndate: 2026-10-{day:02}\n---\n\n正文\n"),
                )
            })
            .collect();
        let dir = tempfile::tempdir().unwrap();
        render(&site, &many, false, dir.path());
        let feed = read(dir.path(), "news/atom.xml");
        assert_eq!(feed.matches("<entry>").count(), 20);
        assert!(feed.contains("消息25") && feed.contains("消息06") && !feed.contains("消息05"));
        assert!(dir.path().join("news/page/13/index.html").is_file());
    }

    #[test]
    fn identical_input_gives_identical_output() {
        let (first, _) = render_default(false);
        let (second, _) = render_default(false);
        let first = all_files(first.path());
        let second = all_files(second.path());
        assert_eq!(
            first.keys().collect::<Vec<_>>(),
            second.keys().collect::<Vec<_>>()
        );
        for (name, bytes) in &first {
            assert!(bytes == &second[name], "{name} differs between two renders");
        }
    }

    #[test]
    fn colliding_urls_are_reported() {
        let site = SiteConfig::parse("site.toml", SITE_TOML).unwrap();
        let mut list = articles();
        list.push(article(
            "content/news/hq.md",
            "---\nunit: office\ntitle: 与栏目同名\ndate: 2026-11-05\n---\n\n正文\n",
        ));
        list.push(article(
            "content/elsewhere/x.md",
            "---\nunit: office\ntitle: 不在栏目里\ndate: 2026-11-05\n---\n\n正文\n",
        ));
        let dir = tempfile::tempdir().unwrap();
        let report = render(&site, &list, false, dir.path());
        let messages: Vec<String> = report.problems.iter().map(|p| p.to_string()).collect();
        assert!(
            messages
                .iter()
                .any(|m| m.starts_with("content/news/hq.md: is not published")),
            "{messages:?}"
        );
        assert!(
            messages
                .iter()
                .any(|m| m.contains("`elsewhere`, which is not a column")),
            "{messages:?}"
        );
        assert!(!read(dir.path(), "news/hq/index.html").contains("与栏目同名"));
        assert!(dir.path().join("elsewhere/x/index.html").is_file());
    }

    #[test]
    fn english_sites_get_english_labels() {
        let text = SITE_TOML.replacen("description = ", "language = \"en\"\ndescription = ", 1);
        let site = SiteConfig::parse("site.toml", &text).unwrap();
        let dir = tempfile::tempdir().unwrap();
        render(&site, &articles(), false, dir.path());
        let page = read(dir.path(), "news/hq/a/index.html");
        assert!(page.starts_with("<!DOCTYPE html>\n<html lang=\"en\">"));
        for label in [
            "Skip to main content",
            "Published: ",
            "Source: ",
            "Author: ",
            "> Print</button>",
            "Font size",
            "Site map",
            ">Home<",
        ] {
            assert!(page.contains(label), "missing {label}");
        }
        assert!(!page.contains("发布时间"));
    }

    #[test]
    fn a_failing_template_is_named() {
        let site = SiteConfig::parse("site.toml", SITE_TOML).unwrap();
        let mut theme = crate::site::theme::default_theme();
        theme.name = "custom".into();
        theme.files.insert(
            "templates/column.html".into(),
            b"{% extends \"base.html\" %}{% block content %}{{ column.no_such_field }}{% endblock content %}".to_vec(),
        );
        let names = BTreeMap::new();
        let list = articles();
        let input = crate::render::input::RenderInput {
            site: &site,
            theme: &theme,
            articles: &list,
            unit_names: &names,
            person_names: &names,
            preview: false,
            loader: None,
            now: chrono::DateTime::parse_from_rfc3339("2026-12-01T08:00:00+08:00").unwrap(),
        };
        let dir = tempfile::tempdir().unwrap();
        let err = super::render_site(&input, dir.path(), None).unwrap_err();
        let diagnostic = &err.diagnostics[0];
        assert_eq!(
            diagnostic.file.as_deref(),
            Some("themes/custom/templates/column.html")
        );
        assert!(
            diagnostic.message.contains("no_such_field"),
            "{}",
            diagnostic.message
        );
    }

    #[test]
    fn typography_reaches_the_page() {
        let text = SITE_TOML.replace(
            "[identity]",
            "[typography]\nfont = \"仿宋_GB2312\"\nsize = \"四号\"\nline_height = \"28pt\"\n\n[identity]",
        );
        let site = SiteConfig::parse("site.toml", &text).unwrap();
        let dir = tempfile::tempdir().unwrap();
        render(&site, &articles(), false, dir.path());
        let page = read(dir.path(), "index.html");
        assert!(
            page.contains("<style>:root{--body-font:\"仿宋_GB2312\", \"FangSong_GB2312\""),
            "{}",
            &page[..2000]
        );
        assert!(page.contains("--body-size:1.1667rem;--body-line-height:2}</style>"));
    }
}
