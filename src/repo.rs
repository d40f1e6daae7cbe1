//! The only place that touches git: opening the repository safely, resolving
//! revisions, reading trees and blobs, and walking history.
//!
//! Everything sanshen publishes comes from committed objects, never from the
//! working tree (which only `serve` previews read, through
//! `content::source::WorkingTree`). Objects are read with libgit2's strict hash verification on
//! (a corrupted or substituted object is an error, not silently trusted), and
//! libgit2 is built from its bundled sources, which use SHA-1 collision
//! detection.

use std::path::{Path, PathBuf};

use git2::{ObjectType, Oid, Repository, TreeWalkMode, TreeWalkResult};

use crate::error::{Diagnostic, Error, Result};

/// What kind of git object an entry is.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum EntryKind {
    Blob,
    Tree,
    Symlink,
    Submodule,
    /// An entry whose name is not UTF-8: listed (lossily) for a message,
    /// never read.
    NameNotUtf8,
}

/// One entry of a flattened tree listing: a path relative to the repository root.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TreeEntry {
    pub path: String,
    pub oid: String,
    pub kind: EntryKind,
}

/// An opened site repository.
pub struct Repo {
    git: Repository,
    root: PathBuf,
    /// Whether the ledger may keep its per-commit cache in `.git/sanshen/`.
    cache: bool,
}

impl Repo {
    /// Open the repository at `root` (its top level). Refuses shallow clones:
    /// approvals live in history, and a shallow clone hides part of it.
    pub fn open(root: &Path) -> Result<Repo> {
        configure_libgit2();
        let git = Repository::open(root).map_err(|err| {
            Error::config(
                Diagnostic::in_file(
                    root.display().to_string(),
                    format!("is not a git repository: {}", err.message()),
                )
                .with_help("run sanshen in the site repository's top folder, or pass --root DIR"),
            )
        })?;
        if git.is_shallow() {
            return Err(Error::config(
                Diagnostic::in_file(
                    root.display().to_string(),
                    "is a shallow clone: approvals are recorded in history, and part of it is missing",
                )
                .with_help("fetch the whole history: `git fetch --unshallow` (in CI: actions/checkout with fetch-depth: 0)"),
            ));
        }
        Ok(Repo {
            git,
            root: root.to_path_buf(),
            cache: true,
        })
    }

    /// Turn the ledger's history cache off (`--no-cache`).
    pub fn disable_cache(&mut self) {
        self.cache = false;
    }

    pub fn cache_enabled(&self) -> bool {
        self.cache
    }

    pub fn root(&self) -> &Path {
        &self.root
    }

    pub fn git(&self) -> &Repository {
        &self.git
    }

    /// Resolve a revision (`HEAD`, a branch, a commit id) to a commit.
    pub fn resolve_commit(&self, rev: &str) -> Result<Oid> {
        let object = self.git.revparse_single(rev).map_err(|err| {
            Error::config(
                Diagnostic::new(format!("revision `{rev}` not found: {}", err.message()))
                    .with_help(
                        "name a commit, branch or tag; an empty repository needs a first commit",
                    ),
            )
        })?;
        let commit = object.peel_to_commit().map_err(|err| {
            Error::config(Diagnostic::new(format!(
                "revision `{rev}` is not a commit: {}",
                err.message()
            )))
        })?;
        Ok(commit.id())
    }

    /// The root tree id of a commit.
    pub fn commit_tree(&self, commit: Oid) -> Result<Oid> {
        let commit = self
            .git
            .find_commit(commit)
            .map_err(|e| self.object_error(commit, e))?;
        Ok(commit.tree_id())
    }

    /// The object at `path` in a tree, with its kind.
    pub fn entry_at(&self, tree: Oid, path: &str) -> Result<Option<(Oid, EntryKind)>> {
        let tree = self
            .git
            .find_tree(tree)
            .map_err(|e| self.object_error(tree, e))?;
        match tree.get_path(Path::new(path)) {
            Ok(entry) => Ok(Some((
                entry.id(),
                entry_kind(entry.filemode(), entry.kind()),
            ))),
            Err(err) if err.code() == git2::ErrorCode::NotFound => Ok(None),
            Err(err) => Err(self.object_error(tree.id(), err)),
        }
    }

    /// Every entry below `path` in a tree (recursively, trees included),
    /// with paths relative to the repository root, in git's order.
    pub fn list_tree(&self, tree: Oid, path: &str) -> Result<Vec<TreeEntry>> {
        let root = self
            .git
            .find_tree(tree)
            .map_err(|e| self.object_error(tree, e))?;
        let (subtree, prefix) = if path.is_empty() {
            (root, String::new())
        } else {
            match root.get_path(Path::new(path)) {
                Ok(entry) if entry.kind() == Some(ObjectType::Tree) => {
                    let id = entry.id();
                    (
                        self.git
                            .find_tree(id)
                            .map_err(|e| self.object_error(id, e))?,
                        format!("{path}/"),
                    )
                }
                Ok(_) => return Ok(Vec::new()),
                Err(err) if err.code() == git2::ErrorCode::NotFound => return Ok(Vec::new()),
                Err(err) => return Err(self.object_error(tree, err)),
            }
        };
        let mut entries = Vec::new();
        // Names seen in each folder: a tree with two entries of one name, or
        // an entry git itself would never write (`.`, `..`, `.git`), is
        // malformed — someone wrote it by hand to hide a file beside another.
        let mut seen: std::collections::HashMap<String, std::collections::HashSet<Vec<u8>>> =
            Default::default();
        let mut malformed = None;
        let walked = subtree.walk(TreeWalkMode::PreOrder, |dir, entry| {
            let name = entry.name_bytes();
            let folder = format!("{prefix}{dir}");
            let folder = folder.trim_end_matches('/');
            let problem = if !seen
                .entry(dir.to_string())
                .or_default()
                .insert(name.to_vec())
            {
                Some("has two entries named")
            } else if forbidden_entry_name(name) {
                Some("has an entry named")
            } else {
                None
            };
            if let Some(problem) = problem {
                malformed = Some(malformed_tree(tree, folder, problem, name));
                return TreeWalkResult::Abort;
            }
            let kind = entry_kind(entry.filemode(), entry.kind());
            match std::str::from_utf8(name) {
                Ok(name) => {
                    entries.push(TreeEntry {
                        path: format!("{prefix}{dir}{name}"),
                        oid: entry.id().to_string(),
                        kind,
                    });
                    TreeWalkResult::Ok
                }
                Err(_) => {
                    // Listed, for a message; nothing below it is read.
                    entries.push(TreeEntry {
                        path: format!("{prefix}{dir}{}", String::from_utf8_lossy(name)),
                        oid: entry.id().to_string(),
                        kind: EntryKind::NameNotUtf8,
                    });
                    TreeWalkResult::Skip
                }
            }
        });
        if let Some(malformed) = malformed {
            return Err(malformed);
        }
        walked.map_err(|err| self.object_error(tree, err))?;
        Ok(entries)
    }

    /// The bytes of a blob.
    pub fn blob(&self, oid: Oid) -> Result<Vec<u8>> {
        let blob = self
            .git
            .find_blob(oid)
            .map_err(|e| self.object_error(oid, e))?;
        Ok(blob.content().to_vec())
    }

    /// The bytes of a blob given as hex.
    pub fn blob_hex(&self, oid: &str) -> Result<Vec<u8>> {
        self.blob(parse_oid(oid)?)
    }

    /// Whether git ignores `path` (relative to the top folder; `folder`
    /// when it names a folder). Unreadable ignore rules count as "not
    /// ignored": the file is then shown rather than silently hidden.
    pub fn is_ignored(&self, path: &str, folder: bool) -> bool {
        let path = if folder {
            format!("{path}/")
        } else {
            path.to_string()
        };
        self.git.is_path_ignored(Path::new(&path)).unwrap_or(false)
    }

    /// The files below `dir` whose working-tree or staged version differs
    /// from HEAD's, new files included (what `git status` lists), as paths
    /// relative to the top folder.
    pub fn uncommitted_files(&self, dir: &str) -> Result<std::collections::BTreeSet<String>> {
        let mut options = git2::StatusOptions::new();
        options
            .include_untracked(true)
            .recurse_untracked_dirs(true)
            .include_ignored(false)
            .pathspec(dir);
        let statuses = self.git.statuses(Some(&mut options)).map_err(|err| {
            Error::config(
                Diagnostic::in_file(
                    self.root.display().to_string(),
                    format!(
                        "cannot compare the working tree with HEAD: {}",
                        err.message()
                    ),
                )
                .with_help("check that `git status` works in this folder"),
            )
        })?;
        Ok(statuses
            .iter()
            .filter(|entry| !entry.status().is_ignored())
            .filter_map(|entry| entry.path().map(str::to_string))
            .collect())
    }

    fn object_error(&self, oid: Oid, err: git2::Error) -> Error {
        Error::config(
            Diagnostic::in_file(
                self.root.display().to_string(),
                format!("cannot read git object {oid}: {}", err.message()),
            )
            .with_help("the repository may be corrupt or incomplete: run `git fsck` and fetch the missing history"),
        )
    }
}

/// Repository handles lent to the threads of parallel work (a libgit2
/// handle is not shared between threads), each kept with per-thread state
/// `S` (a cache, say) and opened only when no idle one is left.
pub struct Handles<S = ()> {
    root: PathBuf,
    idle: std::sync::Mutex<Vec<(Repo, S)>>,
}

impl<S: Default> Handles<S> {
    /// Handles on the repository at `root`.
    pub fn new(root: &Path) -> Handles<S> {
        Handles {
            root: root.to_path_buf(),
            idle: std::sync::Mutex::new(Vec::new()),
        }
    }

    /// Run `work` with a handle (and its state) no other thread holds.
    pub fn with<T>(&self, work: impl FnOnce(&Repo, &mut S) -> Result<T>) -> Result<T> {
        let lent = self.idle.lock().ok().and_then(|mut idle| idle.pop());
        let (repo, mut state) = match lent {
            Some(handle) => handle,
            None => (Repo::open(&self.root)?, S::default()),
        };
        let result = work(&repo, &mut state);
        if let Ok(mut idle) = self.idle.lock() {
            idle.push((repo, state));
        }
        result
    }
}

/// Process-wide libgit2 settings, applied once before the first repository is opened.
fn configure_libgit2() {
    static CONFIGURE: std::sync::Once = std::sync::Once::new();
    CONFIGURE.call_once(|| {
        // Verify every object's hash as it is read (off by default in libgit2).
        git2::opts::strict_hash_verification(true);
        // SAFETY (all three calls): they write libgit2's global settings
        // without a lock. This runs once, before the first repository is
        // opened, so no other thread is using libgit2 yet.
        //
        // Cache no commits: a build reads each commit once or twice, and
        // caching 100,000 of them filled libgit2's 256 MiB cache for nothing.
        // Trees keep libgit2's default (small ones only): the history walk
        // keeps its own parsed trees (ledger::trees). Failing only costs speed.
        let _ = unsafe { git2::opts::set_cache_object_limit(ObjectType::Commit, 0) };
        let _ = unsafe { git2::opts::set_cache_object_limit(ObjectType::Tree, 4096) };
        // Map pack files in windows of 32 MiB, at most 256 MiB at a time:
        // every mapped page a build touched counts as its memory, and a
        // large portal's pack is larger than that.
        let _ = unsafe { git2::opts::set_mwindow_size(8 << 20) };
        let _ = unsafe { git2::opts::set_mwindow_mapped_limit(64 << 20) };
    });
}

pub fn parse_oid(hex: &str) -> Result<Oid> {
    Oid::from_str(hex)
        .map_err(|_| Error::config(Diagnostic::new(format!("`{hex}` is not a git object id"))))
}

/// Names git never writes into a tree: `.` and `..` would step out of the
/// folder, `.git` (in any case, as case-insensitive file systems see it)
/// would be taken for a repository.
pub fn forbidden_entry_name(name: &[u8]) -> bool {
    name == b"." || name == b".." || name.eq_ignore_ascii_case(b".git") || name.contains(&b'/')
}

/// A malformed tree, as an error (exit 2): tampering, not a draft.
pub fn malformed_tree(tree: Oid, folder: &str, problem: &str, name: &[u8]) -> Error {
    let folder = if folder.is_empty() { "/" } else { folder };
    Error::config(
        Diagnostic::in_file(
            folder,
            format!(
                "the tree of this folder (in {tree}) {problem} `{}`: git never writes such a tree, so the repository was altered by hand",
                String::from_utf8_lossy(name)
            ),
        )
        .with_help("find the commit that brought it (`git fsck` names the tree) and publish from a history without it; sanshen refuses to read it"),
    )
}

fn entry_kind(mode: i32, kind: Option<ObjectType>) -> EntryKind {
    match (mode, kind) {
        (0o120000, _) => EntryKind::Symlink,
        (0o160000, _) | (_, Some(ObjectType::Commit)) => EntryKind::Submodule,
        (_, Some(ObjectType::Tree)) => EntryKind::Tree,
        _ => EntryKind::Blob,
    }
}
