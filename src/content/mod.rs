//! Articles: where they are in a tree, and what they say.
//!
//! An article is `content/<column>/<slug>.md`, or a bundle
//! `content/<column>/<slug>/index.md` whose folder also holds its assets
//! (SPEC §3). The article's *object* — what an approval names — is the blob of
//! the `.md` file or the tree of the bundle folder, so approving a bundle
//! approves every asset in it.

pub mod article;
pub mod encoding;
pub mod frontmatter;
pub mod source;

use crate::error::Diagnostic;
pub use frontmatter::{ArticleType, FrontMatter, Importance, ReviewFacts, Validity, WrittenDate};

pub const CONTENT_DIR: &str = "content";
pub const BUNDLE_INDEX: &str = "index.md";

pub use crate::repo::{EntryKind, TreeEntry};

/// An article's repository path, e.g. `content/news/a.md` or `content/news/b` (a bundle).
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct ArticlePath {
    pub path: String,
    pub bundle: bool,
}

impl ArticlePath {
    /// Column path: `news` for `content/news/a.md`.
    pub fn column(&self) -> &str {
        let inner = self.inner();
        inner
            .rsplit_once('/')
            .map(|(column, _)| column)
            .unwrap_or("")
    }

    /// URL slug: the file name without `.md`, or the bundle folder name.
    pub fn slug(&self) -> &str {
        let inner = self.inner();
        let name = inner
            .rsplit_once('/')
            .map(|(_, name)| name)
            .unwrap_or(inner);
        if self.bundle {
            name
        } else {
            name.strip_suffix(".md").unwrap_or(name)
        }
    }

    /// Site-relative URL path: `/news/a/`.
    pub fn url(&self) -> String {
        match self.column() {
            "" => format!("/{}/", self.slug()),
            column => format!("/{column}/{}/", self.slug()),
        }
    }

    /// The Markdown file's repository path.
    pub fn markdown_path(&self) -> String {
        if self.bundle {
            format!("{}/{BUNDLE_INDEX}", self.path)
        } else {
            self.path.clone()
        }
    }

    fn inner(&self) -> &str {
        self.path
            .strip_prefix(CONTENT_DIR)
            .and_then(|p| p.strip_prefix('/'))
            .unwrap_or(&self.path)
    }
}

/// An article version found in a tree: its path and object id.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ArticleRef {
    pub path: ArticlePath,
    /// Blob id of the `.md` file, or tree id of the bundle folder.
    pub oid: String,
    /// Blob id of the Markdown text (the `.md` itself, or the bundle's `index.md`).
    pub markdown_oid: String,
    /// Bundle assets: path relative to the bundle folder, and blob id.
    pub assets: Vec<(String, String)>,
}

/// Find the articles in a flattened listing of a tree (entries below `content/`,
/// sorted by path as git sorts them). `is_column` says whether a folder
/// (`news/hq`, relative to `content/`) is a column of the site: a column's
/// own `index.md` is not a bundle, so it cannot swallow the column's
/// articles. Problems (links, submodules, names that are not UTF-8, stray
/// files) are returned beside the articles: a draft of any shape is said,
/// never fatal, and one bad file does not hide the others.
pub fn discover(
    entries: &[TreeEntry],
    is_column: impl Fn(&str) -> bool,
) -> (Vec<ArticleRef>, Vec<Diagnostic>) {
    let prefix = format!("{CONTENT_DIR}/");
    let index_suffix = format!("/{BUNDLE_INDEX}");
    let mut problems = Vec::new();
    let mut bundle_dirs: std::collections::BTreeSet<&str> = Default::default();
    for entry in entries.iter().filter(|e| e.kind == EntryKind::Blob) {
        let Some(dir) = entry.path.strip_suffix(&index_suffix) else {
            continue;
        };
        let Some(folder) = dir.strip_prefix(&prefix) else {
            continue;
        };
        if is_column(folder) {
            problems.push(
                Diagnostic::in_file(
                    &entry.path,
                    format!("is an index.md directly in the folder of column `{folder}`: it is not an article and is not published"),
                )
                .with_help(format!(
                    "an article with attachments is a folder of its own: content/{folder}/<name>/index.md"
                )),
            );
        } else {
            bundle_dirs.insert(dir);
        }
    }
    let tree_oids: std::collections::BTreeMap<&str, &str> = entries
        .iter()
        .filter(|e| e.kind == EntryKind::Tree)
        .map(|e| (e.path.as_str(), e.oid.as_str()))
        .collect();

    let mut articles: Vec<ArticleRef> = Vec::new();
    let mut bundle_index: std::collections::BTreeMap<&str, usize> = Default::default();
    for entry in entries {
        if !entry.path.starts_with(&prefix) {
            continue;
        }
        match entry.kind {
            EntryKind::Symlink => {
                problems.push(
                    Diagnostic::in_file(&entry.path, "is a symbolic link; links are refused because they can point outside the repository")
                        .with_help("commit the file itself instead of a link to it"),
                );
                continue;
            }
            EntryKind::Submodule => {
                problems.push(
                    Diagnostic::in_file(
                        &entry.path,
                        "is a git submodule; content must be committed in this repository",
                    )
                    .with_help("copy the files into the repository and remove the submodule"),
                );
                continue;
            }
            EntryKind::NameNotUtf8 => {
                problems.push(
                    Diagnostic::in_file(
                        &entry.path,
                        "has a name that is not UTF-8 (shown here approximately): it is not read or published",
                    )
                    .with_help("rename it with a UTF-8 name (file names are page addresses)"),
                );
                continue;
            }
            EntryKind::Tree => continue,
            EntryKind::Blob => {}
        }
        if let Some(bundle) = enclosing_bundle(&entry.path, &bundle_dirs) {
            let index = *bundle_index.entry(bundle).or_insert_with(|| {
                articles.push(ArticleRef {
                    path: ArticlePath {
                        path: bundle.to_string(),
                        bundle: true,
                    },
                    oid: tree_oids
                        .get(bundle)
                        .map(|s| s.to_string())
                        .unwrap_or_default(),
                    markdown_oid: String::new(),
                    assets: Vec::new(),
                });
                articles.len() - 1
            });
            let relative = &entry.path[bundle.len() + 1..];
            if relative == BUNDLE_INDEX {
                articles[index].markdown_oid = entry.oid.clone();
            } else {
                articles[index]
                    .assets
                    .push((relative.to_string(), entry.oid.clone()));
            }
        } else if entry.path.ends_with(".md") && !entry.path.ends_with(&index_suffix) {
            articles.push(ArticleRef {
                path: ArticlePath {
                    path: entry.path.clone(),
                    bundle: false,
                },
                oid: entry.oid.clone(),
                markdown_oid: entry.oid.clone(),
                assets: Vec::new(),
            });
        } else if !entry.path.ends_with(&index_suffix) {
            problems.push(
                Diagnostic::in_file(&entry.path, "is not part of any article and will not be published")
                    .with_help("put an article's images and attachments in a bundle folder next to its index.md"),
            );
        }
    }
    articles.sort_by(|a, b| a.path.cmp(&b.path));
    (articles, problems)
}

/// The article path a reference names, as writers write it (`interprets`):
/// with or without `content/`, a leading `./` or `/`, a bundle's
/// `index.md` or trailing `/`.
pub fn referenced_article(reference: &str) -> String {
    let reference = reference
        .trim()
        .trim_start_matches("./")
        .trim_start_matches('/')
        .trim_end_matches('/');
    let reference = reference
        .strip_suffix(&format!("/{BUNDLE_INDEX}"))
        .unwrap_or(reference);
    if reference.starts_with("content/") {
        reference.to_string()
    } else {
        format!("{CONTENT_DIR}/{reference}")
    }
}

/// The innermost bundle folder holding `path`, if any.
fn enclosing_bundle<'a>(
    path: &str,
    bundle_dirs: &std::collections::BTreeSet<&'a str>,
) -> Option<&'a str> {
    let mut dir = path;
    let mut found = None;
    while let Some((parent, _)) = dir.rsplit_once('/') {
        if let Some(bundle) = bundle_dirs.get(parent) {
            found = Some(*bundle);
        }
        dir = parent;
    }
    // Outermost bundle wins: everything inside a bundle folder belongs to it.
    found
}

/// Map any file path under `content/` to the article path it belongs to,
/// given a way to ask whether a folder is a bundle (has `index.md`).
pub fn article_path_of(file: &str, mut is_bundle: impl FnMut(&str) -> bool) -> Option<ArticlePath> {
    let inner = file.strip_prefix(CONTENT_DIR)?.strip_prefix('/')?;
    // Outermost bundle wins: everything inside a bundle folder belongs to it.
    let outermost = inner
        .char_indices()
        .filter(|&(_, c)| c == '/')
        .map(|(i, _)| &file[..CONTENT_DIR.len() + 1 + i])
        .find(|dir| is_bundle(dir));
    match outermost {
        Some(dir) => Some(ArticlePath {
            path: dir.to_string(),
            bundle: true,
        }),
        None if file.ends_with(".md") => Some(ArticlePath {
            path: file.to_string(),
            bundle: false,
        }),
        None => None,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn blob(path: &str) -> TreeEntry {
        TreeEntry {
            path: path.into(),
            oid: format!("oid:{path}"),
            kind: EntryKind::Blob,
        }
    }

    fn tree(path: &str) -> TreeEntry {
        TreeEntry {
            path: path.into(),
            oid: format!("tree:{path}"),
            kind: EntryKind::Tree,
        }
    }

    #[test]
    fn finds_files_and_bundles() {
        let entries = vec![
            tree("content"),
            tree("content/news"),
            blob("content/news/a.md"),
            tree("content/news/b"),
            blob("content/news/b/index.md"),
            blob("content/news/b/photo.png"),
            blob("content/news/b/notes.md"),
            blob("content/news/stray.png"),
        ];
        let (articles, problems) = discover(&entries, |_| false);
        assert_eq!(articles.len(), 2);
        assert_eq!(articles[0].path.url(), "/news/a/");
        let bundle = &articles[1];
        assert!(bundle.path.bundle);
        assert_eq!(bundle.oid, "tree:content/news/b");
        assert_eq!(bundle.markdown_oid, "oid:content/news/b/index.md");
        assert_eq!(bundle.assets.len(), 2);
        assert_eq!(bundle.path.url(), "/news/b/");
        assert_eq!(problems.len(), 1);
        assert_eq!(problems[0].file.as_deref(), Some("content/news/stray.png"));
    }

    #[test]
    fn symlinks_are_refused() {
        let entries = vec![TreeEntry {
            path: "content/news/evil.md".into(),
            oid: "x".into(),
            kind: EntryKind::Symlink,
        }];
        let (articles, problems) = discover(&entries, |_| false);
        assert!(articles.is_empty());
        assert!(problems[0].message.contains("symbolic link"));
    }

    #[test]
    fn maps_files_to_articles() {
        let is_bundle = |dir: &str| dir == "content/news/b";
        assert_eq!(
            article_path_of("content/news/b/img/x.png", is_bundle).map(|p| p.path),
            Some("content/news/b".into())
        );
        assert_eq!(
            article_path_of("content/news/a.md", is_bundle).map(|p| p.path),
            Some("content/news/a.md".into())
        );
        assert_eq!(article_path_of("content/news/x.png", is_bundle), None);
        assert_eq!(article_path_of("site.toml", is_bundle), None);
    }
}
