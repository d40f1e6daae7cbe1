//! Writing the demo repository: commits built in memory and signed in-process.
//!
//! The tree of each commit is kept in an in-memory index; a commit object is
//! formatted by libgit2, signed by the author's demo key exactly as
//! `git commit -S` with `gpg.format=ssh` would, and stored with the signature
//! in its `gpgsig` header. Only at the end is the branch set and the working
//! tree checked out, so the repository looks like any clone: `git status` is
//! clean and `git log --show-signature` verifies every signed commit.

use std::path::Path;

use git2::{Index, IndexEntry, IndexTime, Oid, Repository, RepositoryInitOptions, Signature, Time};

use crate::demo::signer::DemoKey;
use crate::error::{Diagnostic, Error, Result};

/// The demo repository's only branch.
pub const BRANCH: &str = "main";

/// Who a commit is by: the author (and committer) name and address.
pub struct Author<'a> {
    pub name: &'a str,
    pub email: &'a str,
}

/// A repository being filled with the demo history.
pub struct DemoRepository {
    git: Repository,
    /// The tree of the next commit.
    index: Index,
    head: Option<Oid>,
    commits: usize,
}

impl DemoRepository {
    /// A new repository at `path` (an empty or missing folder) on branch `main`.
    pub fn create(path: &Path) -> Result<DemoRepository> {
        let mut options = RepositoryInitOptions::new();
        options.initial_head(BRANCH).mkdir(true);
        let git = Repository::init_opts(path, &options).map_err(|e| git_error(path, &e))?;
        let index = Index::new().map_err(|e| git_error(path, &e))?;
        Ok(DemoRepository {
            git,
            index,
            head: None,
            commits: 0,
        })
    }

    /// An existing repository, to continue its branch's history (the
    /// benchmark's one-article change). The index starts as HEAD's tree.
    pub fn open(path: &Path) -> Result<DemoRepository> {
        let git = Repository::open(path).map_err(|e| git_error(path, &e))?;
        let mut index = Index::new().map_err(|e| git_error(path, &e))?;
        let head = {
            let head = git
                .head()
                .and_then(|head| head.peel_to_commit())
                .map_err(|e| git_error(path, &e))?;
            let tree = head.tree().map_err(|e| git_error(path, &e))?;
            index.read_tree(&tree).map_err(|e| git_error(path, &e))?;
            head.id()
        };
        Ok(DemoRepository {
            git,
            index,
            head: Some(head),
            commits: 0,
        })
    }

    /// Stage a file with these contents for the next commit.
    pub fn put_file(&mut self, path: &str, bytes: &[u8]) -> Result<()> {
        let blob = self.git.blob(bytes).map_err(|e| self.error(&e))?;
        let entry = IndexEntry {
            ctime: IndexTime::new(0, 0),
            mtime: IndexTime::new(0, 0),
            dev: 0,
            ino: 0,
            mode: 0o100_644,
            uid: 0,
            gid: 0,
            file_size: u32::try_from(bytes.len()).unwrap_or(u32::MAX),
            id: blob,
            // The low 12 bits hold the path length, capped as git caps it.
            flags: u16::try_from(path.len().min(0xfff)).unwrap_or(0xfff),
            flags_extended: 0,
            path: path.as_bytes().to_vec(),
        };
        self.index.add(&entry).map_err(|e| self.error(&e))
    }

    /// The staged contents of a file.
    pub fn staged_file(&self, path: &str) -> Result<Vec<u8>> {
        let Some(entry) = self.index.get_path(Path::new(path), 0) else {
            return Err(Error::config(Diagnostic::in_file(
                path,
                "is not in the demo repository at this point of its history",
            )));
        };
        let blob = self.git.find_blob(entry.id).map_err(|e| self.error(&e))?;
        Ok(blob.content().to_vec())
    }

    /// The object id of `path` (a file or folder) in the last commit.
    pub fn committed_object(&self, path: &str) -> Result<String> {
        let missing = || {
            Error::config(Diagnostic::in_file(
                path,
                "is not in the demo repository's last commit, so it cannot be approved yet",
            ))
        };
        let head = self.head.ok_or_else(missing)?;
        let tree = self
            .git
            .find_commit(head)
            .and_then(|commit| commit.tree())
            .map_err(|e| self.error(&e))?;
        let entry = tree.get_path(Path::new(path)).map_err(|_| missing())?;
        Ok(entry.id().to_string())
    }

    /// Commit the staged tree. `time` is seconds since the epoch, shown at
    /// `offset_minutes`; `key` signs the commit (`None`: an unsigned commit).
    pub fn commit(
        &mut self,
        author: &Author<'_>,
        time: i64,
        offset_minutes: i32,
        message: &str,
        key: Option<&DemoKey>,
    ) -> Result<Oid> {
        let tree_id = self
            .index
            .write_tree_to(&self.git)
            .map_err(|e| self.error(&e))?;
        let tree = self.git.find_tree(tree_id).map_err(|e| self.error(&e))?;
        let when = Time::new(time, offset_minutes);
        let signature =
            Signature::new(author.name, author.email, &when).map_err(|e| self.error(&e))?;
        let parent = match self.head {
            Some(id) => Some(self.git.find_commit(id).map_err(|e| self.error(&e))?),
            None => None,
        };
        let parents: Vec<&git2::Commit<'_>> = parent.iter().collect();
        let id = match key {
            None => self
                .git
                .commit(None, &signature, &signature, message, &tree, &parents)
                .map_err(|e| self.error(&e))?,
            Some(key) => {
                let object = self
                    .git
                    .commit_create_buffer(&signature, &signature, message, &tree, &parents)
                    .map_err(|e| self.error(&e))?;
                let object = object.as_str().ok_or_else(|| {
                    Error::config(Diagnostic::new("a demo commit is not UTF-8 text"))
                })?;
                let armored = key.sign_commit(object)?;
                self.git
                    .commit_signed(object, &armored, Some("gpgsig"))
                    .map_err(|e| self.error(&e))?
            }
        };
        self.head = Some(id);
        self.commits += 1;
        Ok(id)
    }

    /// How many commits were written.
    pub fn commit_count(&self) -> usize {
        self.commits
    }

    /// Point the branch at the last commit and check out its files.
    pub fn finish(self) -> Result<Oid> {
        let head = self
            .head
            .ok_or_else(|| Error::config(Diagnostic::new("the demo history wrote no commit")))?;
        self.git
            .reference(
                &format!("refs/heads/{BRANCH}"),
                head,
                true,
                "sanshen demo: scripted review history",
            )
            .map_err(|e| self.error(&e))?;
        let mut checkout = git2::build::CheckoutBuilder::new();
        checkout.force();
        self.git
            .checkout_head(Some(&mut checkout))
            .map_err(|e| self.error(&e))?;
        Ok(head)
    }

    fn error(&self, error: &git2::Error) -> Error {
        git_error(self.git.path(), error)
    }
}

fn git_error(path: &Path, error: &git2::Error) -> Error {
    Error::config(Diagnostic::in_file(
        path.display().to_string(),
        format!("writing the demo repository failed: {}", error.message()),
    ))
}
