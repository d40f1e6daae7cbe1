//! What the renderer is given: the publication set, already decided.
//!
//! Rendering never asks *whether* something may be published — the ledger and
//! the publication set decided that — it only turns these values into pages.

use std::collections::BTreeMap;

use chrono::{DateTime, FixedOffset};

use crate::content::article::{ContentLoader, PublishedArticle};
use crate::site::SiteConfig;
use crate::site::theme::Theme;

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
    /// Reads the articles whose text is still in the repository.
    pub loader: Option<&'a dyn ContentLoader>,
}
