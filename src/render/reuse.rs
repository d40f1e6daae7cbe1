//! Reusing unchanged pages of the previous build (articles and column lists).
//!
//! Rendering ten thousand articles costs seconds; a rebuild after one edit
//! should not. An article page is a pure function of its inputs: the approved
//! object (its id names the body, the front matter and every asset), the site
//! settings, the theme, the names in the policy, and the article's place in
//! the site (URL, column neighbours, linked policies). The renderer hashes
//! those inputs into a fingerprint. When the previous build wrote a page with
//! the same fingerprint into the same output folder, and the files there are
//! still the ones it wrote (same inode, size and modification time), the page
//! is not rendered: its files stay in the output, and only what changed is
//! written into the staging folder and moved over the old site once the
//! whole build succeeded ([`super::output::StagedOutput::finish_in_place`]).
//! Column list pages are fingerprinted by the whole view they are rendered
//! from.
//!
//! The record lives in `.git/sanshen/` like the history cache and is trusted
//! like the build machine; a missing or foreign record only costs speed.
//! `build --no-cache` bypasses it.

use std::collections::{HashMap, HashSet};
use std::path::{Path, PathBuf};
use std::sync::Arc;
use std::sync::Mutex;
use std::sync::atomic::{AtomicBool, AtomicUsize, Ordering};

use serde::{Deserialize, Serialize};
use sha2::{Digest, Sha256};

use crate::error::Diagnostic;

/// Bump when what a fingerprint covers, or the page layout code, changes.
/// The record file starts with this line; the rest is postcard.
const FORMAT: &str = concat!("sanshen-pages-5/", env!("CARGO_PKG_VERSION"), "\n");

/// What one article's rendering left behind, enough to skip it next time.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct ReusablePage {
    /// Files written for the article, relative to the output root.
    pub files: Vec<FileStamp>,
    /// Path in the site of the article's search document; for the search
    /// index's own entry, of its manifest.
    pub search_document: Arc<str>,
    pub feed_html: Option<Arc<str>>,
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

/// The record is a file of records (see [`crate::cache_file`]): the output
/// folder first, then pages in chunks, then the site's files — read and
/// written a few chunks at a time, so a large site's record (over a hundred
/// megabytes for 100,000 pages) is never held twice.
#[derive(Deserialize)]
enum Part {
    /// The output folder the pages were moved into.
    Output(PathBuf),
    Pages(Vec<(String, ReusablePage)>),
    /// Files the build put in the output, sorted across parts.
    SiteFiles(Vec<String>),
}

/// A [`Part`] as written (encodes exactly as it).
#[derive(Serialize)]
enum PartRef<'a> {
    Output(&'a Path),
    Pages(&'a [(&'a String, &'a ReusablePage)]),
    SiteFiles(&'a [String]),
}

/// Pages per record.
const CHUNK: usize = 4096;

#[derive(Default)]
struct Record {
    pages: HashMap<String, ReusablePage>,
    site_files: Vec<String>,
}

impl Record {
    /// The record at `path` of builds into `output`, if there is one whole.
    fn read(path: &Path, output: &Path) -> Option<Record> {
        let mut reader = crate::cache_file::RecordReader::open(path, FORMAT)?;
        let mut record = Record::default();
        let mut first = true;
        loop {
            let parts: Vec<Option<Part>> = reader.next_decoded();
            if parts.is_empty() {
                break;
            }
            for part in parts {
                match (part?, first) {
                    (Part::Output(folder), true) if folder == output => {}
                    (_, true) => return None,
                    (Part::Output(_), false) => return None,
                    (Part::Pages(pages), false) => record.pages.extend(pages),
                    (Part::SiteFiles(files), false) => record.site_files.extend(files),
                }
                first = false;
            }
        }
        reader.intact.then_some(record)
    }

    fn write(&self, path: &Path, output: &Path) -> bool {
        use crate::cache_file::{encode, encode_chunks};
        let pages: Vec<(&String, &ReusablePage)> = self.pages.iter().collect();
        let head = std::iter::once(encode(&PartRef::Output(output)));
        let pages = encode_chunks(&pages, CHUNK, PartRef::Pages);
        let files = encode_chunks(&self.site_files, CHUNK * 4, PartRef::SiteFiles);
        // The JSON record of earlier versions is dead weight now.
        crate::cache_file::write_records(path, FORMAT, head.chain(pages).chain(files), "pages.json")
    }
}

/// The previous build's pages, and what this build renders or reuses.
pub struct PageReuse {
    record_path: PathBuf,
    output: PathBuf,
    previous: HashMap<String, ReusablePage>,
    /// The files of the previous build's site, and of this one.
    previous_site: Vec<String>,
    site: Mutex<Vec<String>>,
    current: Mutex<HashMap<String, ReusablePage>>,
    reused: AtomicUsize,
    /// Files of the pages reused, relative to the output.
    kept: Mutex<Vec<String>>,
    /// A page was rendered afresh: the record must be written again.
    rendered: AtomicBool,
}

impl PageReuse {
    /// Read the record kept at `record_path` for builds into `output`.
    pub fn open(record_path: PathBuf, output: &Path) -> PageReuse {
        let output = absolute(output);
        let previous = Record::read(&record_path, &output).unwrap_or_default();
        PageReuse {
            record_path,
            output,
            previous: previous.pages,
            previous_site: previous.site_files,
            site: Mutex::new(Vec::new()),
            current: Mutex::new(HashMap::new()),
            reused: AtomicUsize::new(0),
            kept: Mutex::new(Vec::new()),
            rendered: AtomicBool::new(false),
        }
    }

    /// The previous build's page for `fingerprint`, when its files in the
    /// output are still the ones it wrote: they stay where they are and
    /// become part of the new site ([`Self::kept_files`]).
    pub fn reuse(&self, fingerprint: &str) -> Option<ReusablePage> {
        let page = self.previous.get(fingerprint)?;
        let unchanged = page
            .files
            .iter()
            .all(|stamp| FileStamp::of(&self.output, &stamp.relative).as_ref() == Some(stamp));
        if !unchanged {
            return None;
        }
        self.reused.fetch_add(1, Ordering::Relaxed);
        if let Ok(mut kept) = self.kept.lock() {
            kept.extend(page.files.iter().map(|stamp| stamp.relative.clone()));
        }
        self.keep(fingerprint.to_string(), page.clone());
        Some(page.clone())
    }

    /// The files a previous build recorded under `fingerprint`, whether or
    /// not they are still as it left them.
    pub fn previous_files(&self, fingerprint: &str) -> Vec<FileStamp> {
        self.previous
            .get(fingerprint)
            .map(|page| page.files.clone())
            .unwrap_or_default()
    }

    /// Keep one file of the previous build in the new site, when it is
    /// still as that build left it (for files named by their content, which
    /// a new build would write with the same bytes).
    pub fn keep_file(&self, stamp: &FileStamp) -> bool {
        if FileStamp::of(&self.output, &stamp.relative).as_ref() != Some(stamp) {
            return false;
        }
        if let Ok(mut kept) = self.kept.lock() {
            kept.push(stamp.relative.clone());
        }
        true
    }

    /// Whether anything of the previous build stays in the output.
    pub fn keeps_files(&self) -> bool {
        self.kept.lock().is_ok_and(|kept| !kept.is_empty())
    }

    /// The files of every page reused: already in the output, unchanged.
    pub fn kept_files(&self) -> HashSet<String> {
        self.kept
            .lock()
            .map(|kept| kept.iter().cloned().collect())
            .unwrap_or_default()
    }

    /// The output folder the previous build's files are in.
    pub fn output(&self) -> &Path {
        &self.output
    }

    /// The files the previous build put in the output.
    pub fn previous_site_files(&self) -> &[String] {
        &self.previous_site
    }

    /// The files of this build's site, for the next build to know.
    pub fn set_site_files(&self, files: Vec<String>) {
        if let Ok(mut site) = self.site.lock() {
            *site = files;
        }
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
        let (Ok(pages), Ok(site_files)) = (self.current.into_inner(), self.site.into_inner())
        else {
            return;
        };
        // Every page reused, none dropped, the same files: the record on
        // disk says it all.
        if !self.rendered.into_inner()
            && pages.len() == self.previous.len()
            && site_files == self.previous_site
        {
            return;
        }
        let record = Record { pages, site_files };
        record.write(&self.record_path, &self.output);
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

    /// Add a value by its postcard form (deterministic for the renderer's
    /// views: structs, vectors and ordered maps only; several times faster
    /// than JSON, which matters at one fingerprint per page).
    pub fn add_json<T: Serialize>(&mut self, label: &str, value: &T) -> &mut Self {
        match postcard::to_stdvec(value) {
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
        Some(crate::cache_file::hex(&digest))
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
            search_document: "search/d/0011223344556677.bin".into(),
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

        let second = PageReuse::open(record.clone(), &output);
        assert!(second.reuse("other").is_none());
        let hit = second.reuse("key").expect("unchanged page is reused");
        assert_eq!(hit.problems.len(), 1);
        assert_eq!(second.reused(), 1);
        assert_eq!(
            second.kept_files(),
            HashSet::from(["news/a/index.html".to_string()])
        );

        // Someone edits the published file: the record no longer describes it.
        std::fs::write(output.join("news/a/index.html"), "<p>edited</p>").unwrap();
        let third = PageReuse::open(record.clone(), &output);
        assert!(third.reuse("key").is_none());
        assert!(third.kept_files().is_empty());

        // A record made for another output folder is not used.
        let elsewhere = PageReuse::open(record, &dir.path().join("other"));
        assert!(elsewhere.previous.is_empty());
    }

    #[test]
    fn a_value_that_cannot_be_serialised_leaves_no_fingerprint() {
        // A sequence of unknown length: postcard, which writes lengths first, refuses it.
        struct Unsized;
        impl Serialize for Unsized {
            fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
                serializer.collect_seq([1u8, 2, 3].iter().filter(|_| true))
            }
        }
        let unserialisable = Unsized;
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
