//! An article version read and validated: its front matter, the time its
//! page shows, and where its body and assets are. What the publication set
//! decides to publish, the blocking rules judge and the renderer renders
//! (and what a preview shows of the working tree).

use std::borrow::Cow;

use crate::content::{ArticlePath, ArticleRef, FrontMatter};
use crate::error::{Diagnostic, Error, Result};

/// One article version that will be published.
#[derive(Debug, Clone)]
pub struct PublishedArticle {
    pub path: ArticlePath,
    /// The approved object id (blob of the `.md`, or tree of the bundle).
    pub oid: String,
    pub front: std::sync::Arc<FrontMatter>,
    /// The publication time shown (发布时间): the front matter's `date`, or
    /// else when the version's review completed (SPEC §3).
    pub date: crate::content::WrittenDate,
    /// 1-based line in the file where the body starts (for messages).
    pub body_line: usize,
    pub content: ArticleContent,
}

/// An article's body and bundle assets: what a page is rendered from,
/// beyond the front matter.
#[derive(Debug, Clone, Default)]
pub struct ArticleText {
    /// Markdown body without front matter (decoded, LF line endings).
    pub body: String,
    /// Bundle assets: path relative to the bundle folder, and bytes.
    pub assets: Vec<(String, Vec<u8>)>,
}

/// Where an article's body and assets are.
#[derive(Debug, Clone)]
pub enum ArticleContent {
    /// Read along with the front matter (previews, tests).
    Loaded(ArticleText),
    /// Still in the repository, read when a page must be rendered. A build
    /// holds only the front matter of every article — a large site never
    /// sits in memory — and reads the bodies of the pages it renders again.
    Stored(ArticleRef),
}

/// Reads the bodies of [`ArticleContent::Stored`] articles; shared by the
/// renderer's threads.
pub trait ContentLoader: Sync {
    fn load(&self, version: &ArticleRef) -> Result<ArticleText>;
}

impl PublishedArticle {
    /// The body and assets, when they were read with the front matter.
    pub fn loaded_text(&self) -> Option<&ArticleText> {
        match &self.content {
            ArticleContent::Loaded(text) => Some(text),
            ArticleContent::Stored(_) => None,
        }
    }

    /// The body and assets, read through `loader` when they are stored.
    pub fn text<'a>(&'a self, loader: Option<&dyn ContentLoader>) -> Result<Cow<'a, ArticleText>> {
        match (&self.content, loader) {
            (ArticleContent::Loaded(text), _) => Ok(Cow::Borrowed(text)),
            (ArticleContent::Stored(version), Some(loader)) => loader.load(version).map(Cow::Owned),
            (ArticleContent::Stored(_), None) => Err(Error::config(Diagnostic::in_file(
                self.path.markdown_path(),
                "its text was not read and no repository was given to read it from",
            ))),
        }
    }
}
