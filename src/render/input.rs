//! What the renderer is given: the publication set, already decided.
//!
//! Rendering never asks *whether* something may be published — the ledger and
//! the publication set decided that — it only turns these values into pages.

use std::collections::BTreeMap;

use chrono::{DateTime, FixedOffset};

use crate::content::{ArticlePath, FrontMatter};
use crate::site::SiteConfig;

/// One article version that will be published.
#[derive(Debug, Clone)]
pub struct PublishedArticle {
    pub path: ArticlePath,
    /// The approved object id (blob of the `.md`, or tree of the bundle).
    pub oid: String,
    pub front: FrontMatter,
    /// Markdown body without front matter (decoded, LF line endings).
    pub body: String,
    /// 1-based line in the file where `body` starts (for messages).
    pub body_line: usize,
    /// Bundle assets: path relative to the bundle folder, and bytes.
    pub assets: Vec<(String, Vec<u8>)>,
}

/// A theme: Tera templates and static files, by path relative to the theme folder
/// (`templates/article.html`, `static/css/site.css`).
#[derive(Debug, Clone, Default)]
pub struct Theme {
    pub name: String,
    pub files: BTreeMap<String, Vec<u8>>,
}

/// Everything needed to render a site.
pub struct RenderInput<'a> {
    pub site: &'a SiteConfig,
    pub theme: &'a Theme,
    pub articles: &'a [PublishedArticle],
    /// Unit id → unit name (报送单位), from the policy in force.
    pub unit_names: &'a BTreeMap<String, String>,
    /// Person id → display name, for `author` fields holding a person id.
    pub person_names: &'a BTreeMap<String, String>,
    /// Mark every page as an unapproved preview (未审核预览).
    pub preview: bool,
    /// The build's clock (`--now`); pages show nothing that depends on the real clock.
    pub now: DateTime<FixedOffset>,
}
