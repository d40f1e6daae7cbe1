//! Reusing unchanged pages of the previous build (articles and column lists).
//!
//! Rendering ten thousand articles costs seconds; a rebuild after one edit
//! should not. An article page is a pure function of its inputs: the approved
//! object (its id names the body, the front matter and every asset), the site
//! settings, the theme, the names in the policy, and the article's place in
//! the site (URL, column neighbours, linked policies). The renderer hashes
//! those inputs into a fingerprint. When the previous build wrote a page with
//! the same fingerprint into the same output folder, and the files there are
//! still the ones it wrote (same inode, size and modification time), they are
//! hard-linked into the new staging folder instead of rendered again. Column
//! list pages are fingerprinted by the whole view they are rendered from.
//!
//! Hard links never let a build change the site it replaces: the renderer
//! only ever creates files afresh ([`super::output::write_file`]), it never
//! writes through an existing name. The record lives in `.git/sanshen/` like
//! the history cache and is trusted like the build machine; a missing or
//! foreign record only costs speed. `build --no-cache` bypasses it.

use std::collections::HashMap;
use std::io::Write;
use std::path::{Path, PathBuf};
use std::sync::Mutex;
use std::sync::atomic::{AtomicBool, AtomicUsize, Ordering};

use serde::{Deserialize, Serialize};
use sha2::{Digest, Sha256};

use crate::error::Diagnostic;

/// Bump when what a fingerprint covers, or the page layout code, changes.
/// The record file starts with this line; the rest is postcard.
const FORMAT: &str = concat!("sanshen-pages-2/", env!("CARGO_PKG_VERSION"), "\n");

/// What one article's rendering left behind, enough to skip it next time.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct ReusablePage {
    /// Files written for the article, relative to the output root.
    pub files: Vec<FileStamp>,
    pub search_text: String,
    pub feed_html: Option<String>,
    pub problems: Vec<Diagnostic>,
}

/// A file as the build left it: if any of these differ, someone touched it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct FileStamp {
    pub relative: String,
    len: u64,
    modified_ns: i128,
    inode: u64,
}

impl FileStamp {
    /// The stamp of a file just written, or `None` if it cannot be read back.
    pub fn of(root: &Path, relative: &str) -> Option<FileStamp> {
        let metadata = std::fs::metadata(root.join(relative)).ok()?;
        let (modified_ns, inode) = identity(&metadata)?;
        Some(FileStamp {
            relative: relative.to_string(),
            len: metadata.len(),
            modified_ns,
            inode,
        })
    }
}

#[cfg(unix)]
fn identity(metadata: &std::fs::Metadata) -> Option<(i128, u64)> {
    use std::os::unix::fs::MetadataExt;
    Some((
        i128::from(metadata.mtime()) * 1_000_000_000 + i128::from(metadata.mtime_nsec()),
        metadata.ino(),
    ))
}

/// Without inode numbers a file cannot be recognised safely: never reuse.
#[cfg(not(unix))]
fn identity(_: &std::fs::Metadata) -> Option<(i128, u64)> {
    None
}

#[derive(Default, Serialize, Deserialize)]
struct Record {
    /// The output folder the pages were moved into.
    output: PathBuf,
    pages: HashMap<String, ReusablePage>,
}

/// The previous build's pages, and what this build renders or reuses.
pub struct PageReuse {
    record_path: PathBuf,
    output: PathBuf,
    previous: HashMap<String, ReusablePage>,
    current: Mutex<HashMap<String, ReusablePage>>,
    reused: AtomicUsize,
    /// A page was rendered afresh: the record must be written again.
    rendered: AtomicBool,
}

impl PageReuse {
    /// Read the record kept at `record_path` for builds into `output`.
    pub fn open(record_path: PathBuf, output: &Path) -> PageReuse {
        let output = absolute(output);
        let previous = std::fs::read(&record_path)
            .ok()
            .and_then(|bytes| {
                let payload = bytes.strip_prefix(FORMAT.as_bytes())?;
                postcard::from_bytes::<Record>(payload).ok()
            })
            .filter(|record| record.output == output)
            .map(|record| record.pages)
            .unwrap_or_default();
        PageReuse {
            record_path,
            output,
            previous,
            current: Mutex::new(HashMap::new()),
            reused: AtomicUsize::new(0),
            rendered: AtomicBool::new(false),
        }
    }

    /// Link the previous build's files for `fingerprint` into `staging`.
    /// `None` (and nothing left behind) when there is no such page or any of
    /// its files changed since it was written.
    pub fn reuse(&self, fingerprint: &str, staging: &Path) -> Option<ReusablePage> {
        let page = self.previous.get(fingerprint)?;
        let unchanged = page
            .files
            .iter()
            .all(|stamp| FileStamp::of(&self.output, &stamp.relative).as_ref() == Some(stamp));
        if !unchanged {
            return None;
        }
        let mut linked: Vec<PathBuf> = Vec::with_capacity(page.files.len());
        for stamp in &page.files {
            let to = staging.join(&stamp.relative);
            let made = to
                .parent()
                .map_or(Ok(()), std::fs::create_dir_all)
                .and_then(|()| std::fs::hard_link(self.output.join(&stamp.relative), &to));
            if made.is_err() {
                // Another file system, or a name already taken: render instead.
                for path in linked {
                    let _ = std::fs::remove_file(path);
                }
                return None;
            }
            linked.push(to);
        }
        self.reused.fetch_add(1, Ordering::Relaxed);
        self.keep(fingerprint.to_string(), page.clone());
        Some(page.clone())
    }

    /// Record a page this build rendered.
    pub fn remember(&self, fingerprint: String, page: ReusablePage) {
        self.rendered.store(true, Ordering::Relaxed);
        self.keep(fingerprint, page);
    }

    fn keep(&self, fingerprint: String, page: ReusablePage) {
        if let Ok(mut current) = self.current.lock() {
            current.insert(fingerprint, page);
        }
    }

    /// How many pages were linked rather than rendered.
    pub fn reused(&self) -> usize {
        self.reused.load(Ordering::Relaxed)
    }

    /// Keep this build's pages for the next one. Call only once the new site
    /// is in place: the stamps describe its files. Failure only costs speed.
    pub fn save(self) {
        let Ok(pages) = self.current.into_inner() else {
            return;
        };
        // Every page reused and none dropped: the record on disk says it all.
        if !self.rendered.into_inner() && pages.len() == self.previous.len() {
            return;
        }
        let record = Record {
            output: self.output,
            pages,
        };
        let Ok(payload) = postcard::to_stdvec(&record) else {
            return;
        };
        let Some(folder) = self.record_path.parent() else {
            return;
        };
        let _ = std::fs::create_dir_all(folder).ok().and_then(|()| {
            let mut file = tempfile::NamedTempFile::new_in(folder).ok()?;
            file.write_all(FORMAT.as_bytes()).ok()?;
            file.write_all(&payload).ok()?;
            file.persist(&self.record_path).ok()?;
            // The JSON record of earlier versions is dead weight now.
            std::fs::remove_file(folder.join("pages.json")).ok()
        });
    }

    /// Forget the record: the output it describes is gone or was replaced
    /// by something else.
    pub fn discard(self) {
        let _ = std::fs::remove_file(&self.record_path);
    }
}

fn absolute(path: &Path) -> PathBuf {
    std::path::absolute(path).unwrap_or_else(|_| path.to_path_buf())
}

/// A SHA-256 over serialised values, for fingerprints.
#[derive(Clone)]
pub struct Fingerprint {
    hasher: Sha256,
    /// A value could not be serialised: the fingerprint would not cover it,
    /// so there is none and the page is always rendered.
    incomplete: bool,
}

impl Fingerprint {
    pub fn new() -> Self {
        let mut hasher = Sha256::new();
        hasher.update(FORMAT.as_bytes());
        Fingerprint {
            hasher,
            incomplete: false,
        }
    }

    /// Add a labelled value; the label and a length keep fields apart.
    pub fn add(&mut self, label: &str, bytes: &[u8]) -> &mut Self {
        self.hasher.update(label.as_bytes());
        self.hasher.update((bytes.len() as u64).to_le_bytes());
        self.hasher.update(bytes);
        self
    }

    /// Add a value by its JSON form (`serde_json` is deterministic for the
    /// renderer's views: structs, vectors and ordered maps only).
    pub fn add_json<T: Serialize>(&mut self, label: &str, value: &T) -> &mut Self {
        match serde_json::to_vec(value) {
            Ok(bytes) => self.add(label, &bytes),
            Err(_) => {
                self.incomplete = true;
                self
            }
        }
    }

    /// The hex digest, or `None` when a value could not be added.
    pub fn finish(&self) -> Option<String> {
        if self.incomplete {
            return None;
        }
        let digest = self.hasher.clone().finalize();
        Some(digest.iter().map(|b| format!("{b:02x}")).collect())
    }
}

impl Default for Fingerprint {
    fn default() -> Self {
        Self::new()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn page(files: Vec<FileStamp>) -> ReusablePage {
        ReusablePage {
            files,
            search_text: "text".into(),
            feed_html: None,
            problems: vec![Diagnostic::in_file(
                "content/a.md",
                "an image has no alt text",
            )],
        }
    }

    #[test]
    fn links_unchanged_files_and_refuses_touched_ones() {
        let dir = tempfile::tempdir().unwrap();
        let output = dir.path().join("public");
        std::fs::create_dir_all(output.join("news/a")).unwrap();
        std::fs::write(output.join("news/a/index.html"), "<p>a</p>").unwrap();
        let record = dir.path().join("pages.bin");

        let first = PageReuse::open(record.clone(), &output);
        let stamp = FileStamp::of(&output, "news/a/index.html").unwrap();
        first.remember("key".into(), page(vec![stamp]));
        first.save();

        let staging = dir.path().join("staging");
        std::fs::create_dir(&staging).unwrap();
        let second = PageReuse::open(record.clone(), &output);
        assert!(second.reuse("other", &staging).is_none());
        let hit = second
            .reuse("key", &staging)
            .expect("unchanged page is reused");
        assert_eq!(hit.problems.len(), 1);
        assert_eq!(
            std::fs::read(staging.join("news/a/index.html")).unwrap(),
            b"<p>a</p>"
        );
        assert_eq!(second.reused(), 1);

        // Someone edits the published file: the record no longer describes it.
        std::fs::remove_file(staging.join("news/a/index.html")).unwrap();
        std::fs::write(output.join("news/a/index.html"), "<p>edited</p>").unwrap();
        let third = PageReuse::open(record.clone(), &output);
        assert!(third.reuse("key", &staging).is_none());
        assert!(!staging.join("news/a/index.html").exists());

        // A record made for another output folder is not used.
        let elsewhere = PageReuse::open(record, &dir.path().join("other"));
        assert!(elsewhere.previous.is_empty());
    }

    #[test]
    fn a_value_that_cannot_be_serialised_leaves_no_fingerprint() {
        let unserialisable: std::collections::BTreeMap<(u8, u8), u8> = [((1, 2), 3)].into();
        assert!(
            Fingerprint::new()
                .add_json("map", &unserialisable)
                .finish()
                .is_none()
        );
    }

    #[test]
    fn fingerprints_separate_fields() {
        let a = Fingerprint::new().add("x", b"ab").add("y", b"c").finish();
        assert!(a.is_some());
        let b = Fingerprint::new().add("x", b"a").add("y", b"bc").finish();
        assert_ne!(a, b);
        assert_eq!(
            a,
            Fingerprint::new().add("x", b"ab").add("y", b"c").finish()
        );
    }
}
