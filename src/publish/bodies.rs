//! Reading article bodies from the repository when a page is rendered.
//!
//! The publication set keeps only front matter; the renderer asks for a body
//! when it must render a page again (a reused page needs none). Rendering
//! runs on several threads and a libgit2 handle must not be shared between
//! threads, so handles are lent from a small pool, one per thread at most.

use std::path::Path;

use crate::content::ArticleRef;
use crate::content::article::{ArticleText, ContentLoader};
use crate::content::encoding::decode_text;
use crate::content::frontmatter;
use crate::content::source::ContentSource;
use crate::error::{Diagnostic, Error, Result};
use crate::repo::Handles;

/// Bodies read from the repository at `root`.
pub struct RepositoryBodies {
    handles: Handles,
}

impl RepositoryBodies {
    pub fn new(root: &Path) -> RepositoryBodies {
        RepositoryBodies {
            handles: Handles::new(root),
        }
    }
}

impl ContentLoader for RepositoryBodies {
    fn load(&self, version: &ArticleRef) -> Result<ArticleText> {
        self.handles.with(|repo, ()| read_text(repo, version))
    }
}

/// The body and assets of a version whose front matter was validated before.
pub fn read_text(source: &impl ContentSource, version: &ArticleRef) -> Result<ArticleText> {
    let file = version.path.markdown_path();
    // The version was read and validated when it was decided; failing now
    // means the object store changed under the build.
    let unreadable = |problem: String| {
        Error::config(
            Diagnostic::in_file(
                &file,
                format!("cannot be read again for rendering: {problem}"),
            )
            .with_help("run the build again; if it persists, check the repository with `git fsck`"),
        )
    };
    let text = decode_text(&source.read(&version.markdown_oid)?).map_err(unreadable)?;
    let parts = frontmatter::split(&text).map_err(unreadable)?;
    let mut assets = Vec::with_capacity(version.assets.len());
    for (name, oid) in &version.assets {
        assets.push((name.clone(), source.read(oid)?));
    }
    Ok(ArticleText {
        body: parts.body.to_string(),
        assets,
    })
}
