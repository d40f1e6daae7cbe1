//! Where the files of articles and themes come from.
//!
//! Everything that is published is read from committed git objects (the
//! [`Repo`] is a [`ContentSource`] whose entry ids are object ids). `sanshen
//! serve` previews the working tree instead — uncommitted drafts included —
//! through [`WorkingTree`], whose entry ids are the files' paths. Both feed
//! the same discovery ([`super::discover`]) and the same reading and
//! validation (`publish::read_article`), so a preview shows exactly what the
//! build would make of the same text.

use std::path::{Component, Path, PathBuf};

use crate::content::{EntryKind, TreeEntry};
use crate::error::{Diagnostic, Error, Result};
use crate::repo::Repo;

/// Reads the file an entry of a listing names, by the entry's `oid`.
pub trait ContentSource {
    fn read(&self, id: &str) -> Result<Vec<u8>>;
}

/// Committed content: the id is a blob's object id.
impl ContentSource for Repo {
    fn read(&self, id: &str) -> Result<Vec<u8>> {
        self.blob_hex(id)
    }
}

/// The files on disk below a repository's top folder, as a writer sees them.
///
/// Listings look like [`Repo::list_tree`]'s — paths relative to the top
/// folder with `/` separators, folders included, in git's order — and every
/// entry's id is its own path, since a file has no object id until it is
/// committed. Symbolic links are listed as links and never followed (SPEC §3:
/// discovery refuses them); a folder holding a `.git` is listed as a
/// submodule; files git ignores are left out, because they can never be
/// committed, let alone published.
pub struct WorkingTree<'a> {
    root: PathBuf,
    /// The repository, for its ignore rules; `None` outside a repository.
    repo: Option<&'a Repo>,
}

impl<'a> WorkingTree<'a> {
    pub fn new(root: &Path, repo: Option<&'a Repo>) -> WorkingTree<'a> {
        WorkingTree {
            root: root.to_path_buf(),
            repo,
        }
    }

    /// Every entry below the folder `dir` (relative to the top folder);
    /// empty when there is no such folder.
    pub fn list(&self, dir: &str) -> Result<Vec<TreeEntry>> {
        let start = self.path_of(dir)?;
        match std::fs::symlink_metadata(&start) {
            Ok(meta) if meta.is_dir() => {}
            Ok(_) => return Ok(Vec::new()),
            Err(err) if err.kind() == std::io::ErrorKind::NotFound => return Ok(Vec::new()),
            Err(err) => return Err(Error::io(&start, &err, "read the folder")),
        }
        let mut entries = Vec::new();
        let mut walk = walkdir::WalkDir::new(&start)
            .min_depth(1)
            .follow_links(false)
            .into_iter();
        while let Some(next) = walk.next() {
            let entry = next.map_err(|err| {
                let path = err.path().unwrap_or(&start).to_path_buf();
                let io = std::io::Error::other(err.to_string());
                Error::io(&path, &io, "read the working tree")
            })?;
            let relative = self.relative_name(entry.path())?;
            let file_type = entry.file_type();
            let kind = if file_type.is_symlink() {
                EntryKind::Symlink
            } else if file_type.is_dir() && entry.path().join(".git").exists() {
                EntryKind::Submodule
            } else if file_type.is_dir() {
                EntryKind::Tree
            } else {
                EntryKind::Blob
            };
            let ignored = self
                .repo
                .is_some_and(|repo| repo.is_ignored(&relative, kind == EntryKind::Tree));
            if kind == EntryKind::Submodule || ignored {
                if file_type.is_dir() {
                    walk.skip_current_dir();
                }
                if ignored {
                    continue;
                }
            }
            entries.push(TreeEntry {
                oid: relative.clone(),
                path: relative,
                kind,
            });
        }
        // Git orders a folder's entries by name as if folders ended in `/`;
        // over whole paths that is the same as comparing these keys.
        entries.sort_by_cached_key(|entry| match entry.kind {
            EntryKind::Tree | EntryKind::Submodule => format!("{}/", entry.path),
            _ => entry.path.clone(),
        });
        Ok(entries)
    }

    /// The bytes of the regular file at `path` (relative to the top folder),
    /// or `None` when there is none. A link there is refused, like in content.
    pub fn read_file(&self, path: &str) -> Result<Option<Vec<u8>>> {
        let full = self.path_of(path)?;
        match std::fs::symlink_metadata(&full) {
            Err(err) if err.kind() == std::io::ErrorKind::NotFound => Ok(None),
            Err(err) => Err(Error::io(&full, &err, "read the file")),
            Ok(meta) if meta.file_type().is_symlink() => Err(Error::config(
                Diagnostic::in_file(path, "is a symbolic link; links are refused because they can point outside the repository")
                    .with_help("put the file itself there instead of a link to it"),
            )),
            Ok(meta) if !meta.is_file() => Err(Error::config(Diagnostic::in_file(
                path,
                "is not a regular file",
            ))),
            Ok(_) => std::fs::read(&full)
                .map(Some)
                .map_err(|err| Error::io(&full, &err, "read the file")),
        }
    }

    /// The full path of a `/`-separated path below the top folder; anything
    /// that could leave it (`..`, an absolute path) is refused.
    fn path_of(&self, relative: &str) -> Result<PathBuf> {
        let path = Path::new(relative);
        if relative.is_empty()
            || path
                .components()
                .any(|c| !matches!(c, Component::Normal(_)))
        {
            return Err(Error::config(Diagnostic::in_file(
                relative,
                "is not a path inside the repository",
            )));
        }
        Ok(self.root.join(path))
    }

    fn relative_name(&self, path: &Path) -> Result<String> {
        let relative = path.strip_prefix(&self.root).unwrap_or(path);
        let mut name = String::new();
        for component in relative.components() {
            let Some(part) = component.as_os_str().to_str() else {
                return Err(Error::config(
                    Diagnostic::in_file(relative.to_string_lossy(), "has a name that is not UTF-8")
                        .with_help("rename it"),
                ));
            };
            if !name.is_empty() {
                name.push('/');
            }
            name.push_str(part);
        }
        Ok(name)
    }
}

/// In the working tree, an entry's id is its path.
impl ContentSource for WorkingTree<'_> {
    fn read(&self, id: &str) -> Result<Vec<u8>> {
        self.read_file(id)?.ok_or_else(|| {
            Error::config(
                Diagnostic::in_file(id, "disappeared while it was being read")
                    .with_help("the preview is rebuilt when the file is back"),
            )
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::content::discover;

    fn write(root: &Path, path: &str, text: &str) {
        let full = root.join(path);
        std::fs::create_dir_all(full.parent().unwrap()).unwrap();
        std::fs::write(full, text).unwrap();
    }

    fn paths(entries: &[TreeEntry]) -> Vec<&str> {
        entries.iter().map(|e| e.path.as_str()).collect()
    }

    #[test]
    fn lists_like_a_git_tree_and_feeds_discovery() {
        let dir = tempfile::tempdir().unwrap();
        let root = dir.path();
        write(root, "content/news/a.md", "---\ntitle: a\n---\n");
        write(root, "content/news/a/index.md", "---\ntitle: bundle\n---\n");
        write(root, "content/news/a/photo.png", "png");
        write(root, "content/news/a0.md", "x");
        write(root, "site.toml", "title = 'x'");
        let tree = WorkingTree::new(root, None);
        let entries = tree.list("content").unwrap();
        // Git's order: `a.md` before the folder `a/`, `a/…` before `a0.md`.
        assert_eq!(
            paths(&entries),
            [
                "content/news",
                "content/news/a.md",
                "content/news/a",
                "content/news/a/index.md",
                "content/news/a/photo.png",
                "content/news/a0.md",
            ]
        );
        let (articles, problems) = discover(&entries, |_| false);
        assert!(problems.is_empty(), "{problems:?}");
        let bundle = articles.iter().find(|a| a.path.bundle).unwrap();
        assert_eq!(bundle.markdown_oid, "content/news/a/index.md");
        assert_eq!(
            tree.read(&bundle.assets[0].1).unwrap(),
            b"png",
            "an entry's id reads its file"
        );
        assert!(tree.list("themes").unwrap().is_empty(), "no such folder");
        assert_eq!(tree.read_file("approvals/policy.yaml").unwrap(), None);
    }

    #[cfg(unix)]
    #[test]
    fn links_are_listed_not_followed_and_never_read() {
        let dir = tempfile::tempdir().unwrap();
        let root = dir.path().join("site");
        write(
            dir.path(),
            "secret/passwords.md",
            "---\ntitle: secret\n---\n",
        );
        write(&root, "content/news/a.md", "x");
        std::os::unix::fs::symlink(dir.path().join("secret"), root.join("content/news/linked"))
            .unwrap();
        std::os::unix::fs::symlink(
            dir.path().join("secret/passwords.md"),
            root.join("content/news/b.md"),
        )
        .unwrap();
        std::os::unix::fs::symlink(
            dir.path().join("secret/passwords.md"),
            root.join("site.toml"),
        )
        .unwrap();
        let tree = WorkingTree::new(&root, None);
        let entries = tree.list("content").unwrap();
        assert_eq!(
            paths(&entries),
            [
                "content/news",
                "content/news/a.md",
                "content/news/b.md",
                "content/news/linked"
            ],
            "nothing below the linked folder is listed"
        );
        let (articles, problems) = discover(&entries, |_| false);
        assert_eq!(articles.len(), 1);
        assert_eq!(problems.len(), 2, "{problems:?}");
        assert!(tree.read("content/news/b.md").is_err());
        assert!(tree.read_file("site.toml").is_err());
    }

    #[test]
    fn paths_leaving_the_folder_are_refused() {
        let dir = tempfile::tempdir().unwrap();
        write(dir.path(), "site/content/a.md", "x");
        write(dir.path(), "outside.md", "secret");
        let tree = WorkingTree::new(&dir.path().join("site"), None);
        for path in [
            "../outside.md",
            "/etc/passwd",
            "content/../../outside.md",
            "",
        ] {
            assert!(tree.read_file(path).is_err(), "{path}");
        }
        assert!(tree.list("..").is_err());
    }

    #[test]
    fn files_git_ignores_are_left_out() {
        let dir = tempfile::tempdir().unwrap();
        let root = dir.path();
        git2::Repository::init(root).unwrap();
        write(root, ".gitignore", "*.swp\nprivate/\n");
        write(root, "content/news/a.md", "x");
        write(root, "content/news/.a.md.swp", "editor state");
        write(root, "content/news/private/notes.md", "not for the site");
        let repo = Repo::open(root).unwrap();
        let listed = WorkingTree::new(root, Some(&repo)).list("content").unwrap();
        assert_eq!(paths(&listed), ["content/news", "content/news/a.md"]);
        let unfiltered = WorkingTree::new(root, None).list("content").unwrap();
        assert_eq!(unfiltered.len(), 5, "{:?}", paths(&unfiltered));
        assert_eq!(
            repo.uncommitted_files("content")
                .unwrap()
                .into_iter()
                .collect::<Vec<_>>(),
            ["content/news/a.md"],
            "new files count as uncommitted, ignored ones do not"
        );
    }

    #[test]
    fn nested_repositories_are_submodules() {
        let dir = tempfile::tempdir().unwrap();
        write(dir.path(), "content/news/vendor/.git/HEAD", "ref: x");
        write(dir.path(), "content/news/vendor/index.md", "x");
        let entries = WorkingTree::new(dir.path(), None).list("content").unwrap();
        assert_eq!(paths(&entries), ["content/news", "content/news/vendor"]);
        assert_eq!(entries[1].kind, EntryKind::Submodule);
    }
}
