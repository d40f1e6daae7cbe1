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
pub mod input;
pub mod markdown;
pub mod output;
pub mod pages;
pub mod search;
pub mod sitemap;
pub mod theme;

use std::fs;
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicUsize, Ordering};

use crate::error::{Diagnostic, Error, Result};
use input::RenderInput;

/// What a render produced, for the build's summary.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct RenderReport {
    /// HTML pages written (articles, column pages, home, search, site map, 404).
    pub pages: usize,
    /// Every file written, pages included.
    pub files: usize,
    /// Problems that did not stop the render (an image without alt text, a
    /// link to a policy that is not published …), sorted by file and line.
    pub problems: Vec<Diagnostic>,
}

/// Render the whole site into `out_dir`, an existing empty folder.
pub fn render_site(input: &RenderInput<'_>, out_dir: &Path) -> Result<RenderReport> {
    let templates = theme::load_templates(input.theme)?;
    let output = OutputFolder::new(out_dir);
    theme::copy_static_files(input.theme, &output)?;

    let model = pages::SiteModel::new(input);
    let renderer = pages::PageRenderer::new(&model, &templates, &output);
    let articles = renderer.render_articles()?;
    renderer.render_column_pages()?;
    renderer.render_home()?;
    renderer.render_site_map_page()?;
    renderer.render_search_page()?;
    renderer.render_not_found_page()?;

    feeds::write_feeds(&model, &articles, &output)?;
    sitemap::write_sitemaps(&model, &output)?;
    search::write_search_index(&model, &articles, &output)?;

    let mut problems = model.problems.clone();
    problems.extend(articles.into_iter().flat_map(|outcome| outcome.problems));
    problems.sort_by(|a, b| {
        (&a.file, a.line, &a.message).cmp(&(&b.file, b.line, &b.message))
    });
    Ok(RenderReport {
        pages: output.pages.load(Ordering::Relaxed),
        files: output.files.load(Ordering::Relaxed),
        problems,
    })
}

/// The folder being filled, with counts of what went into it.
///
/// Shared by the parallel renderers, hence the atomic counters.
pub(crate) struct OutputFolder {
    root: PathBuf,
    pages: AtomicUsize,
    files: AtomicUsize,
}

impl OutputFolder {
    fn new(root: &Path) -> Self {
        OutputFolder {
            root: root.to_path_buf(),
            pages: AtomicUsize::new(0),
            files: AtomicUsize::new(0),
        }
    }

    /// Write a file at a `/`-separated path relative to the output root,
    /// creating its folders.
    pub(crate) fn write(&self, relative: &str, bytes: &[u8]) -> Result<()> {
        let path = self.root.join(relative);
        if let Some(parent) = path.parent() {
            fs::create_dir_all(parent)
                .map_err(|err| Error::io(parent, &err, "create the output folder"))?;
        }
        fs::write(&path, bytes).map_err(|err| Error::io(&path, &err, "write the output file"))?;
        self.files.fetch_add(1, Ordering::Relaxed);
        Ok(())
    }

    /// Write an HTML page; counted as a page as well as a file.
    pub(crate) fn write_page(&self, relative: &str, html: &str) -> Result<()> {
        self.write(relative, html.as_bytes())?;
        self.pages.fetch_add(1, Ordering::Relaxed);
        Ok(())
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

#[cfg(test)]
mod tests;
