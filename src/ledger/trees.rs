//! Trees as the history walk reads them: each parsed once into a small
//! cache, looked up by path, and compared with the parent's tree skipping
//! every folder whose id did not change.
//!
//! A column folder of a large portal is one tree of thousands of entries,
//! and every approval looks a path up in it. libgit2's object cache shares
//! its room with every commit read, so such trees were evicted and read (and
//! hashed) again thousands of times; its tree diff also visits every entry
//! of every changed folder through an iterator. Here a tree is read through
//! the object database (hash-verified like every read), its entries indexed
//! once, and a lookup is a binary search.

use std::cmp::Ordering;
use std::collections::HashMap;
use std::sync::Arc;

use git2::{ObjectType, Oid};

use crate::error::{Diagnostic, Error, Result};
use crate::repo::Repo;

/// Parsed trees kept at most (bytes of their raw objects) before the cache
/// is emptied. The trees a walk needs at once — the root, `content/`, the
/// columns a few commits touch — are far smaller.
const CACHE_BYTES: usize = 16 << 20;

const MODE_TREE: u32 = 0o040000;
const MODE_GITLINK: u32 = 0o160000;

/// An entry found in a tree.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Item {
    pub oid: Oid,
    pub kind: ObjectType,
}

/// One tree object and where each entry's parts are in it.
struct ParsedTree {
    data: Vec<u8>,
    entries: Vec<EntryAt>,
}

/// An entry: its name is `data[start..end]`, its id the 20 bytes after the NUL.
#[derive(Clone, Copy)]
struct EntryAt {
    start: u32,
    end: u32,
    mode: u32,
}

/// Why a tree object is refused.
#[derive(Debug, Clone, PartialEq, Eq)]
enum Malformed {
    /// Not a tree object's syntax.
    Syntax,
    /// An entry git never writes (`.`, `..`, `.git`), or two of one name.
    Entry(&'static str, Vec<u8>),
}

impl ParsedTree {
    /// Parse a tree object, refusing what git would never write: entries
    /// out of git's order, two entries of one name (a file and a folder
    /// included), names `.`, `..`, `.git` — ways to hide an unapproved
    /// file beside an approved one.
    fn parse(data: Vec<u8>) -> Result<ParsedTree, Malformed> {
        let tree = ParsedTree::parse_syntax(data).ok_or(Malformed::Syntax)?;
        for (i, entry) in tree.entries.iter().enumerate() {
            let name = tree.name(*entry);
            if crate::repo::forbidden_entry_name(name) {
                return Err(Malformed::Entry("has an entry named", name.to_vec()));
            }
            if let Some(previous) = i.checked_sub(1).map(|p| tree.entries[p]) {
                let order = git_order(
                    tree.name(previous),
                    is_tree(previous.mode),
                    name,
                    is_tree(entry.mode),
                );
                if order != Ordering::Less {
                    return Err(Malformed::Entry(
                        "has two entries named (or entries out of order at)",
                        name.to_vec(),
                    ));
                }
            }
            // A file and a folder of one name sort apart ("a" < "a-b" < "a/").
            if is_tree(entry.mode) && tree.find_kind(name, false).is_some() {
                return Err(Malformed::Entry("has two entries named", name.to_vec()));
            }
        }
        Ok(tree)
    }

    fn parse_syntax(data: Vec<u8>) -> Option<ParsedTree> {
        let mut entries = Vec::new();
        let mut at = 0;
        while at < data.len() {
            let space = at + data[at..].iter().position(|&b| b == b' ')?;
            let mut mode = 0u32;
            for &digit in &data[at..space] {
                if !(b'0'..=b'7').contains(&digit) || mode > u32::MAX >> 3 {
                    return None;
                }
                mode = mode << 3 | u32::from(digit - b'0');
            }
            let start = space + 1;
            let end = start + data[start..].iter().position(|&b| b == 0)?;
            if end + 21 > data.len() || start == end {
                return None;
            }
            entries.push(EntryAt {
                start: u32::try_from(start).ok()?,
                end: u32::try_from(end).ok()?,
                mode,
            });
            at = end + 21;
        }
        Some(ParsedTree { data, entries })
    }

    fn name(&self, entry: EntryAt) -> &[u8] {
        &self.data[entry.start as usize..entry.end as usize]
    }

    fn oid(&self, entry: EntryAt) -> Oid {
        let at = entry.end as usize + 1;
        // The parser made sure the 20 bytes are there.
        Oid::from_bytes(&self.data[at..at + 20]).unwrap_or(Oid::zero())
    }

    /// The entry named `name`, by binary search in git's order (a tree
    /// sorts as if its name ended in `/`, so look for both).
    fn find(&self, name: &[u8]) -> Option<EntryAt> {
        [false, true]
            .into_iter()
            .find_map(|as_tree| self.find_kind(name, as_tree))
    }

    /// The entry named `name` that is (or is not) a folder.
    fn find_kind(&self, name: &[u8], as_tree: bool) -> Option<EntryAt> {
        let found = self
            .entries
            .binary_search_by(|e| git_order(self.name(*e), is_tree(e.mode), name, as_tree))
            .ok()?;
        let entry = self.entries[found];
        (is_tree(entry.mode) == as_tree).then_some(entry)
    }
}

fn is_tree(mode: u32) -> bool {
    mode & 0o170000 == MODE_TREE
}

fn kind_of(mode: u32) -> ObjectType {
    match mode & 0o170000 {
        MODE_TREE => ObjectType::Tree,
        MODE_GITLINK => ObjectType::Commit,
        _ => ObjectType::Blob,
    }
}

/// git's order of tree entries: by name, a tree's name followed by `/`.
fn git_order(a: &[u8], a_tree: bool, b: &[u8], b_tree: bool) -> Ordering {
    let common = a.len().min(b.len());
    a[..common].cmp(&b[..common]).then_with(|| {
        let next_a = a.get(common).copied().or(a_tree.then_some(b'/'));
        let next_b = b.get(common).copied().or(b_tree.then_some(b'/'));
        next_a.cmp(&next_b)
    })
}

/// Parsed trees, by id. One per thread: it is not shared.
#[derive(Default)]
pub struct Trees {
    parsed: HashMap<Oid, Arc<ParsedTree>>,
    bytes: usize,
}

impl Trees {
    pub fn new() -> Trees {
        Trees::default()
    }

    /// The tree `oid`, found at `folder` (for messages).
    fn tree(&mut self, repo: &Repo, oid: Oid, folder: &str) -> Result<Arc<ParsedTree>> {
        if let Some(tree) = self.parsed.get(&oid) {
            return Ok(Arc::clone(tree));
        }
        let unreadable = |why: String| {
            Error::config(
                Diagnostic::in_file(
                    repo.root().display().to_string(),
                    format!("reading history failed: tree {oid}: {why}"),
                )
                .with_help("the repository may be corrupt or incomplete: run `git fsck`; a corrupted object is never trusted"),
            )
        };
        let odb = repo
            .git()
            .odb()
            .map_err(|e| unreadable(e.message().to_string()))?;
        let object = odb
            .read(oid)
            .map_err(|e| unreadable(e.message().to_string()))?;
        if object.kind() != ObjectType::Tree {
            return Err(unreadable(format!("is a {}, not a tree", object.kind())));
        }
        let tree = match ParsedTree::parse(object.data().to_vec()) {
            Ok(tree) => tree,
            Err(Malformed::Syntax) => {
                return Err(unreadable("the tree object is malformed".into()));
            }
            Err(Malformed::Entry(problem, name)) => {
                return Err(crate::repo::malformed_tree(oid, folder, problem, &name));
            }
        };
        if self.bytes + tree.data.len() > CACHE_BYTES {
            self.parsed.clear();
            self.bytes = 0;
        }
        self.bytes += tree.data.len();
        let tree = Arc::new(tree);
        self.parsed.insert(oid, Arc::clone(&tree));
        Ok(tree)
    }

    /// The entry at `path` (`a/b/c`) below the tree `root`, if there is one.
    pub fn entry(&mut self, repo: &Repo, root: Oid, path: &str) -> Result<Option<Item>> {
        let mut tree = self.tree(repo, root, "")?;
        let mut names = path.split('/').peekable();
        let mut folder = String::new();
        while let Some(name) = names.next() {
            let Some(entry) = tree.find(name.as_bytes()) else {
                return Ok(None);
            };
            let item = Item {
                oid: tree.oid(entry),
                kind: kind_of(entry.mode),
            };
            if names.peek().is_none() {
                return Ok(Some(item));
            }
            if item.kind != ObjectType::Tree {
                return Ok(None);
            }
            if !folder.is_empty() {
                folder.push('/');
            }
            folder.push_str(name);
            tree = self.tree(repo, item.oid, &folder)?;
        }
        Ok(None)
    }

    /// Paths of the files (every entry that is not a folder) that differ
    /// between the trees `old` and `new`: added, deleted, or with another
    /// id or mode. Folders with the same id on both sides are skipped
    /// unread. Entries whose names are not UTF-8 are left out.
    pub fn changed_files(
        &mut self,
        repo: &Repo,
        old: Option<Oid>,
        new: Oid,
    ) -> Result<Vec<String>> {
        let mut changed = Vec::new();
        self.compare(repo, old, Some(new), "", &mut changed)?;
        Ok(changed)
    }

    fn compare(
        &mut self,
        repo: &Repo,
        old: Option<Oid>,
        new: Option<Oid>,
        prefix: &str,
        changed: &mut Vec<String>,
    ) -> Result<()> {
        if old == new {
            return Ok(());
        }
        let folder = prefix.trim_end_matches('/');
        let old = old.map(|oid| self.tree(repo, oid, folder)).transpose()?;
        let new = new.map(|oid| self.tree(repo, oid, folder)).transpose()?;
        let old_entries = old.as_ref().map_or(&[][..], |t| &t.entries[..]);
        let new_entries = new.as_ref().map_or(&[][..], |t| &t.entries[..]);
        let (mut i, mut j) = (0, 0);
        loop {
            let a = old.as_ref().zip(old_entries.get(i).copied());
            let b = new.as_ref().zip(new_entries.get(j).copied());
            let order = match (a, b) {
                (None, None) => return Ok(()),
                (Some(_), None) => Ordering::Less,
                (None, Some(_)) => Ordering::Greater,
                (Some((ot, oe)), Some((nt, ne))) => {
                    git_order(ot.name(oe), is_tree(oe.mode), nt.name(ne), is_tree(ne.mode))
                }
            };
            // Which side each entry of this step comes from.
            let (from_old, from_new) = match order {
                Ordering::Less => (a, None),
                Ordering::Greater => (None, b),
                Ordering::Equal => (a, b),
            };
            if from_old.is_some() {
                i += 1;
            }
            if from_new.is_some() {
                j += 1;
            }
            let (tree, entry) = match (from_old, from_new) {
                (Some(side), _) | (None, Some(side)) => side,
                (None, None) => continue,
            };
            let Ok(name) = std::str::from_utf8(tree.name(entry)) else {
                continue;
            };
            let path = format!("{prefix}{name}");
            let old_entry = from_old.map(|(t, e)| (t.oid(e), e.mode));
            let new_entry = from_new.map(|(t, e)| (t.oid(e), e.mode));
            if old_entry == new_entry {
                continue;
            }
            if is_tree(entry.mode) {
                // Both sides of an equal step are folders (git's order keeps a
                // folder and a file of one name apart).
                let sub = format!("{path}/");
                self.compare(
                    repo,
                    old_entry.map(|e| e.0),
                    new_entry.map(|e| e.0),
                    &sub,
                    changed,
                )?;
            } else {
                changed.push(path);
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A tree holding `files` (path, content, mode), written through an index.
    fn tree_of(git: &git2::Repository, files: &[(&str, &str, u32)]) -> Oid {
        let mut index = git2::Index::new().expect("index");
        for (path, content, mode) in files {
            let id = git.blob(content.as_bytes()).expect("blob");
            let time = git2::IndexTime::new(0, 0);
            let entry = git2::IndexEntry {
                ctime: time,
                mtime: time,
                dev: 0,
                ino: 0,
                mode: *mode,
                uid: 0,
                gid: 0,
                file_size: 0,
                id,
                flags: 0,
                flags_extended: 0,
                path: path.as_bytes().to_vec(),
            };
            index.add(&entry).expect("add");
        }
        index.write_tree_to(git).expect("tree")
    }

    /// The files libgit2's own diff names, for comparison.
    fn libgit2_changed(git: &git2::Repository, old: Option<Oid>, new: Oid) -> Vec<String> {
        let old = old.map(|o| git.find_tree(o).expect("old tree"));
        let new = git.find_tree(new).expect("new tree");
        let diff = git
            .diff_tree_to_tree(old.as_ref(), Some(&new), None)
            .expect("diff");
        let mut paths: Vec<String> = diff
            .deltas()
            .flat_map(|d| [d.old_file().path(), d.new_file().path()])
            .flatten()
            .filter_map(|p| p.to_str().map(str::to_string))
            .collect();
        paths.sort();
        paths.dedup();
        paths
    }

    #[test]
    fn changed_files_and_lookups_agree_with_libgit2() {
        let folder = tempfile::tempdir().expect("temporary folder");
        let git = git2::Repository::init(folder.path()).expect("init");
        let repo = Repo::open(folder.path()).expect("open");
        const FILE: u32 = 0o100644;
        const EXEC: u32 = 0o100755;
        const LINK: u32 = 0o120000;
        let before = tree_of(
            &git,
            &[
                ("site.toml", "a", FILE),
                ("approvals/policy.yaml", "p", FILE),
                ("content/news/a.md", "a", FILE),
                ("content/news/a-b.md", "ab", FILE),
                ("content/news/b/index.md", "b", FILE),
                ("content/news/b/img.png", "png", FILE),
                ("content/news/c", "a file that becomes a folder", FILE),
                ("content/news/gone/index.md", "g", FILE),
                ("content/notices/x.md", "same", FILE),
                ("content/notices/run.sh", "#!", FILE),
                ("content/notices/link", "a.md", LINK),
                ("themes/plain/page.html", "t", FILE),
            ],
        );
        let after = tree_of(
            &git,
            &[
                ("site.toml", "a", FILE),
                ("approvals/policy.yaml", "p2", FILE),
                ("content/news/a.md", "a2", FILE),
                ("content/news/a-b.md", "ab", FILE),
                ("content/news/b/index.md", "b", FILE),
                ("content/news/b/img.png", "png2", FILE),
                ("content/news/c/index.md", "now a folder", FILE),
                ("content/news/new.md", "n", FILE),
                ("content/notices/x.md", "same", FILE),
                ("content/notices/run.sh", "#!", EXEC),
                ("content/notices/link", "b.md", LINK),
                ("themes/plain/page.html", "t", FILE),
            ],
        );
        let mut trees = Trees::new();
        for (old, new) in [
            (Some(before), after),
            (Some(after), before),
            (None, after),
            (Some(after), after),
        ] {
            let mine = trees.changed_files(&repo, old, new).expect("diff");
            let mut sorted = mine.clone();
            sorted.sort();
            assert_eq!(sorted, libgit2_changed(&git, old, new), "{old:?} -> {new}");
        }
        let tree = git.find_tree(after).expect("tree");
        for path in [
            "content/news/a.md",
            "content/news/b",
            "content/news/b/img.png",
            "content/news/c",
            "content/news/c/index.md",
            "content/notices/link",
            "content/missing.md",
            "content/news/a.md/deeper",
            "approvals",
            "site.toml",
        ] {
            let expected = tree
                .get_path(std::path::Path::new(path))
                .ok()
                .map(|e| Item {
                    oid: e.id(),
                    kind: e.kind().expect("kind"),
                });
            assert_eq!(
                trees.entry(&repo, after, path).expect("lookup"),
                expected,
                "{path}"
            );
        }
    }

    #[test]
    fn git_order_puts_a_folder_after_names_it_prefixes() {
        // git sorts "a-b" < "a/" (tree a) < "a0"; a file "a" sorts before "a-b".
        assert_eq!(git_order(b"a-b", false, b"a", true), Ordering::Less);
        assert_eq!(git_order(b"a", true, b"a0", false), Ordering::Less);
        assert_eq!(git_order(b"a", false, b"a-b", false), Ordering::Less);
        assert_eq!(git_order(b"a", true, b"a", true), Ordering::Equal);
        assert_eq!(git_order(b"a", false, b"a", true), Ordering::Less);
    }

    #[test]
    fn a_malformed_tree_is_refused() {
        let syntax = Err(Malformed::Syntax);
        let entries = |t: Result<ParsedTree, Malformed>| t.map(|t| t.entries.len());
        assert_eq!(
            entries(ParsedTree::parse(b"100644 a\0short".to_vec())),
            syntax
        );
        assert_eq!(
            entries(ParsedTree::parse(
                b"10x644 a\0aaaaaaaaaaaaaaaaaaaa".to_vec()
            )),
            syntax
        );
        assert_eq!(
            entries(ParsedTree::parse(b"100644 \0aaaaaaaaaaaaaaaaaaaa".to_vec())),
            syntax
        );
        let tree = ParsedTree::parse(
            b"100644 a\0aaaaaaaaaaaaaaaaaaaa40000 b\0bbbbbbbbbbbbbbbbbbbb".to_vec(),
        );
        assert_eq!(entries(tree), Ok(2));
        // Two of one name, a file and a folder of one name, out of order,
        // and the names git never writes.
        for bad in [
            &b"100644 a\0aaaaaaaaaaaaaaaaaaaa100644 a\0bbbbbbbbbbbbbbbbbbbb"[..],
            b"100644 a\0aaaaaaaaaaaaaaaaaaaa100644 a-b\0cccccccccccccccccccc40000 a\0bbbbbbbbbbbbbbbbbbbb",
            b"100644 b\0aaaaaaaaaaaaaaaaaaaa100644 a\0bbbbbbbbbbbbbbbbbbbb",
            b"100644 .\0aaaaaaaaaaaaaaaaaaaa",
            b"40000 ..\0aaaaaaaaaaaaaaaaaaaa",
            b"40000 .GIT\0aaaaaaaaaaaaaaaaaaaa",
        ] {
            assert!(
                matches!(ParsedTree::parse(bad.to_vec()), Err(Malformed::Entry(..))),
                "{}",
                String::from_utf8_lossy(bad)
            );
        }
    }
}
