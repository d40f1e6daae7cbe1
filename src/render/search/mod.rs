//! Site search (站内搜索) without a server: a full-text index of the
//! published articles, built with the site and cut into small files, so a
//! visitor's browser downloads only what a query needs.
//!
//! What is written under `search/`, every file named by a hash of its
//! content (a changed file gets a new name, so a browser never combines a
//! stale file with a fresh one, and may cache every file for good):
//!
//! - `d/<h>/<ash>.bin` — one *search document* per article ([`SearchDocument`]):
//!   title, address, date, column, 文号/索引号/发文机关/tags and the whole
//!   body text, gzipped JSON. It is written with the article's page (and
//!   reused with it on a warm build); the search page fetches it to show a
//!   result's snippet, and the index is built from it, so the two always agree.
//! - `t/<h>/<ash>.bin` and `p/<h>/<ash>.bin` — the shards of the inverted
//!   index ([`shards`]), terms cut by [`tokens`] with their documents, and
//!   their positions, gzipped;
//! - `g/<hash>.bin` — the names of 128 shards' files, by shard number;
//! - `n/<hash>.bin` — which search document each document number is: eight
//!   bytes of its name per document, 512 documents a file;
//! - `t2s/<hash>.bin` — the traditional→simplified table ([`fold`]) in 16
//!   parts by code point, for folding a query as the index was folded;
//! - `index-<hash>.json` — the manifest: the names of the group, name and
//!   table files, the columns and years to filter by. The search page names it.
//!
//! The index holds only what [`super::render_site`] was given to publish —
//! the publication set, after every gate — so a draft, a withdrawn or
//! held-back version, or a classified item is never findable. When no
//! search document changed, the previous build's index files are kept as
//! they are; when some did, every file whose content is unchanged is kept
//! and only the others are written ([`super::reuse`]).

pub mod fold;
mod shards;
pub mod tokens;

use std::collections::{BTreeSet, HashMap};
use std::io::Write;
use std::path::Path;
use std::sync::Mutex;

use rayon::prelude::*;
use serde::{Deserialize, Serialize};

use crate::cache_file::hex;
use crate::content::ArticleType;
use crate::error::{Diagnostic, Error, Result};
use crate::render::OutputFolder;
use crate::render::pages::{ArticleEntry, ArticleOutcome, SiteModel};
use crate::render::reuse::{FileStamp, Fingerprint, PageReuse, ReusablePage};
use tokens::{DocumentTerms, Field};

/// The folder of the index in the site.
const FOLDER: &str = "search";
/// Documents per file of document names.
const NAMES_PER_FILE: usize = 512;
/// Bytes of a search document's hash in its name (and in the name files).
const DOCUMENT_NAME_BYTES: usize = 8;
/// Bytes of hash in the names of the other files.
const FILE_NAME_BYTES: usize = 6;
/// Shards whose file names one group file holds.
const GROUP_SIZE: usize = 128;
/// Parts of the traditional→simplified table.
const TABLE_CHUNKS: usize = 16;
/// Changes when the format of any index file does (the script reads it).
const FORMAT_VERSION: u32 = 1;

/// What the search page knows of one article: shown in a result, and the
/// text the index is built from.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct SearchDocument {
    pub title: String,
    pub url: String,
    /// `2026-11-02`, as the article's page shows it.
    pub date: String,
    /// The column's name.
    pub column: Option<String>,
    /// The column's path and its ancestors' (`news`, `news/hq`), for filters.
    pub columns: Vec<String>,
    /// (label, value): 文号, 索引号, 发文机关, tags.
    pub meta: Vec<(String, String)>,
    /// The summary, then the body as plain text, a line per block.
    pub body: String,
}

impl SearchDocument {
    /// The search document of an article being rendered.
    pub(crate) fn of(
        model: &SiteModel<'_>,
        entry: &ArticleEntry<'_>,
        plain_text: &str,
    ) -> SearchDocument {
        let front = &entry.article.front;
        let labels = model.labels;
        let mut meta = Vec::new();
        let mut add = |label: &str, value: Option<String>| {
            if let Some(value) = value.filter(|v| !v.trim().is_empty()) {
                meta.push((label.to_string(), value));
            }
        };
        add(labels.doc_number, front.doc_number.clone());
        add(labels.index_number, front.index_number.clone());
        add(labels.issuer, issuer(model, entry));
        add(
            labels.tags,
            (!front.tags.is_empty()).then(|| front.tags.join(" ")),
        );
        let mut body = String::new();
        for line in front
            .summary
            .iter()
            .map(String::as_str)
            .chain(plain_text.lines())
        {
            let words: Vec<&str> = line.split_whitespace().collect();
            if !words.is_empty() {
                if !body.is_empty() {
                    body.push('\n');
                }
                body.push_str(&words.join(" "));
            }
        }
        SearchDocument {
            title: front.title.clone(),
            url: entry.url.clone(),
            date: entry
                .card
                .date
                .get(..10)
                .unwrap_or(&entry.card.date)
                .to_string(),
            column: entry.column_title.clone(),
            columns: entry
                .column
                .map(|column| {
                    model
                        .input
                        .site
                        .columns
                        .lineage(&column.path)
                        .iter()
                        .map(|c| c.path.clone())
                        .collect()
                })
                .unwrap_or_default(),
            meta,
            body,
        }
    }

    /// Write it under `search/d/`; returns its path in the site.
    pub(crate) fn write(&self, output: &OutputFolder) -> Result<String> {
        let json = serde_json::to_vec(self).map_err(|err| {
            Error::config(Diagnostic::in_file(
                &self.url,
                format!("its search document could not be encoded: {err}"),
            ))
        })?;
        let bytes = gzip(&json);
        let name = hex(&sha256(&bytes)[..DOCUMENT_NAME_BYTES]);
        let relative = document_path(&name);
        output.write(&relative, &bytes)?;
        Ok(relative)
    }

    fn read(bytes: &[u8]) -> Option<SearchDocument> {
        let mut json = Vec::new();
        std::io::Read::read_to_end(&mut flate2::read::GzDecoder::new(bytes), &mut json).ok()?;
        serde_json::from_slice(&json).ok()
    }

    /// Its terms: title, then the 信息公开 fields and the column's name, then
    /// the body; and the columns it can be filtered by.
    fn terms(&self) -> DocumentTerms {
        let mut terms = DocumentTerms::default();
        terms.add(&self.title, Field::Title);
        for (_, value) in &self.meta {
            terms.add(value, Field::Meta);
        }
        if let Some(column) = &self.column {
            terms.add(column, Field::Meta);
        }
        terms.add(&self.body, Field::Body);
        for column in &self.columns {
            terms.add_filter(column);
        }
        terms
    }
}

/// 发文机关 of a policy document (SPEC §3): `issuer` as written, else the
/// unit's name — what its page shows.
fn issuer(model: &SiteModel<'_>, entry: &ArticleEntry<'_>) -> Option<String> {
    let front = &entry.article.front;
    if front.kind != ArticleType::Policy {
        return None;
    }
    front
        .issuer
        .clone()
        .or_else(|| model.unit_name(entry.article))
}

/// The manifest the search page starts from.
#[derive(Serialize)]
struct Manifest<'a> {
    version: u32,
    documents: usize,
    /// Shards: term `t` is in shard `fnv1a(t) % shards`.
    shards: usize,
    /// Shards per group file: the group file of shard `n` is
    /// `groups[n / group_size]`, and holds the names of its shards' files.
    group_size: usize,
    groups: Vec<String>,
    names_per_file: usize,
    name_files: Vec<String>,
    /// (year, first document, documents): documents are newest first, so a
    /// year is a range of numbers.
    years: Vec<(i32, usize, usize)>,
    /// (path, name, depth), in site-map order.
    columns: Vec<(&'a str, &'a str, usize)>,
    /// The traditional→simplified table's parts, by code point modulo their count.
    t2s: Vec<String>,
}

/// The record key of the last index's files, for keeping those of them
/// that a changed index still has.
const FILES_KEY: &str = "search-index/files";

/// Writes index files named by their content: a name already written is not
/// written again, and a file the previous build left untouched under the
/// same name is kept rather than written.
struct ContentFiles<'o> {
    output: &'o OutputFolder,
    reuse: Option<&'o PageReuse>,
    previous: HashMap<String, FileStamp>,
    written: Mutex<BTreeSet<String>>,
}

impl ContentFiles<'_> {
    /// Put `bytes` at `folder/<hash>.bin` (or `folder/<h>/<ash>.bin` when
    /// `spread`); returns the hash in the name.
    fn put(&self, folder: &str, bytes: &[u8], hash_bytes: usize, spread: bool) -> Result<String> {
        let name = hex(&sha256(bytes)[..hash_bytes]);
        let relative = if spread {
            let (first, rest) = name.split_at(2);
            format!("{folder}/{first}/{rest}.bin")
        } else {
            format!("{folder}/{name}.bin")
        };
        let fresh = self
            .written
            .lock()
            .map(|mut written| written.insert(relative.clone()))
            .unwrap_or(true);
        if fresh {
            let kept = match (self.reuse, self.previous.get(&relative)) {
                (Some(reuse), Some(stamp)) => reuse.keep_file(stamp),
                _ => false,
            };
            if kept {
                self.output.count_kept(1);
            } else {
                self.output.write(&relative, bytes)?;
            }
        }
        Ok(name)
    }
}

/// Build the index of `outcomes`' search documents (in the order of
/// `model.articles`); returns the manifest's path in the site.
pub(crate) fn write_search_index(
    model: &SiteModel<'_>,
    outcomes: &[ArticleOutcome],
    output: &OutputFolder,
    reuse: Option<&PageReuse>,
) -> Result<String> {
    let documents: Vec<&str> = outcomes.iter().map(|o| &*o.search_document).collect();
    let columns = column_order(model);
    // Everything the index is made from: the search documents (named by
    // their content), the columns, and the format (with sanshen's version,
    // which fixes the tokenizer and the table). When it is unchanged, so is
    // every index file.
    let mut identity = Fingerprint::new();
    identity
        .add("search-format", &FORMAT_VERSION.to_le_bytes())
        .add("documents", documents.join("\n").as_bytes())
        .add("columns", format!("{columns:?}").as_bytes());
    let key = identity.finish().map(|key| format!("search-index/{key}"));
    if let (Some(reuse), Some(key)) = (reuse, key.as_deref())
        && let Some(previous) = reuse.reuse(key)
    {
        output.count_kept(previous.files.len());
        // The same files stay the last index's, for the next change.
        reuse.reuse(FILES_KEY);
        return Ok(previous.search_document.to_string());
    }
    if documents.len() >= shards::MAX_DOCUMENTS {
        return Err(Error::config(Diagnostic::in_file(
            "content",
            format!(
                "{} articles are more than the search index can number",
                documents.len()
            ),
        )));
    }
    let files = ContentFiles {
        output,
        reuse,
        previous: reuse
            .map(|reuse| reuse.previous_files(FILES_KEY))
            .unwrap_or_default()
            .into_iter()
            .map(|stamp| (stamp.relative.clone(), stamp))
            .collect(),
        written: Mutex::new(BTreeSet::new()),
    };
    let index_error =
        |err: std::io::Error| Error::io(output.root(), &err, "build the search index");

    // Documents → partition files → shards.
    let beside = output.root().parent().unwrap_or(output.root());
    let spill = shards::Spill::new(documents.len(), beside).map_err(index_error)?;
    let previous_output = reuse.map(PageReuse::output);
    documents
        .par_iter()
        .enumerate()
        .chunks(64)
        .try_for_each(|chunk| -> Result<()> {
            let mut read = Vec::with_capacity(chunk.len());
            for (number, relative) in chunk {
                let document = read_document(output.root(), previous_output, relative)?;
                read.push((number as u32, document.terms()));
            }
            spill.add(read.into_iter()).map_err(index_error)
        })?;
    let names = Mutex::new(Vec::new());
    let shards = spill
        .finish(|shard, terms, positions| {
            let put = |folder: &str, bytes: &[u8]| {
                files
                    .put(folder, &gzip(bytes), DOCUMENT_NAME_BYTES, true)
                    .map_err(|err| std::io::Error::other(err.to_string()))
            };
            let named = (
                shard,
                put(&format!("{FOLDER}/t"), &terms)?,
                put(&format!("{FOLDER}/p"), &positions)?,
            );
            if let Ok(mut names) = names.lock() {
                names.push(named);
            }
            Ok(())
        })
        .map_err(index_error)?;
    let mut names = names.into_inner().unwrap_or_default();
    names.sort_unstable();
    // A shard no term falls in is empty: the page may ask for any number.
    let empty = |folder: &str| files.put(folder, &gzip(&[]), DOCUMENT_NAME_BYTES, true);
    let (empty_terms, empty_positions) = (
        empty(&format!("{FOLDER}/t"))?,
        empty(&format!("{FOLDER}/p"))?,
    );
    let mut groups = Vec::new();
    let mut next = names.iter().peekable();
    for first in (0..shards).step_by(GROUP_SIZE) {
        let mut group = Vec::with_capacity(GROUP_SIZE * 2 * DOCUMENT_NAME_BYTES);
        for shard in first..(first + GROUP_SIZE).min(shards) {
            let (terms, positions) = match next.peek() {
                Some((number, terms, positions)) if *number == shard => {
                    next.next();
                    (terms, positions)
                }
                _ => (&empty_terms, &empty_positions),
            };
            group.extend(hash_bytes(terms));
            group.extend(hash_bytes(positions));
        }
        groups.push(files.put(&format!("{FOLDER}/g"), &group, FILE_NAME_BYTES, false)?);
    }

    // Document number → search document.
    let mut name_files = Vec::new();
    for chunk in documents.chunks(NAMES_PER_FILE) {
        let mut bytes = Vec::with_capacity(chunk.len() * DOCUMENT_NAME_BYTES);
        for relative in chunk {
            bytes.extend(document_hash(relative));
        }
        name_files.push(files.put(&format!("{FOLDER}/n"), &bytes, FILE_NAME_BYTES, false)?);
    }

    let mut t2s = Vec::with_capacity(TABLE_CHUNKS);
    for part in fold::table_chunks(fold::table(), TABLE_CHUNKS) {
        t2s.push(files.put(
            &format!("{FOLDER}/t2s"),
            &gzip(part.as_bytes()),
            FILE_NAME_BYTES,
            false,
        )?);
    }

    let manifest = Manifest {
        version: FORMAT_VERSION,
        documents: documents.len(),
        shards,
        group_size: GROUP_SIZE,
        groups,
        names_per_file: NAMES_PER_FILE,
        name_files,
        years: year_ranges(model),
        columns,
        t2s,
    };
    let json = serde_json::to_vec(&manifest).map_err(|err| {
        Error::config(Diagnostic::in_file(
            FOLDER,
            format!("the search manifest could not be encoded: {err}"),
        ))
    })?;
    let manifest_path = format!(
        "{FOLDER}/index-{}.json",
        hex(&sha256(&json)[..FILE_NAME_BYTES])
    );
    output.write(&manifest_path, &json)?;

    if let Some(reuse) = reuse {
        let written = files.written.into_inner().unwrap_or_default();
        let stamps: Option<Vec<FileStamp>> = std::iter::once(&manifest_path)
            .chain(&written)
            .map(|relative| {
                FileStamp::of(output.root(), relative)
                    .or_else(|| FileStamp::of(reuse.output(), relative))
            })
            .collect();
        if let Some(stamps) = stamps {
            let page = |stamps: Vec<FileStamp>| ReusablePage {
                files: stamps,
                search_document: manifest_path.as_str().into(),
                feed_html: None,
                problems: Vec::new(),
            };
            reuse.remember(FILES_KEY.to_string(), page(stamps[1..].to_vec()));
            if let Some(key) = key {
                reuse.remember(key, page(stamps));
            }
        }
    }
    Ok(manifest_path)
}

/// (year, first document, documents), newest first as the documents are.
fn year_ranges(model: &SiteModel<'_>) -> Vec<(i32, usize, usize)> {
    let mut ranges: Vec<(i32, usize, usize)> = Vec::new();
    for (number, entry) in model.articles.iter().enumerate() {
        let year = entry
            .card
            .date
            .get(..4)
            .and_then(|y| y.parse().ok())
            .unwrap_or(0);
        match ranges.last_mut() {
            Some((last, _, count)) if *last == year => *count += 1,
            _ => ranges.push((year, number, 1)),
        }
    }
    ranges
}

/// The bytes of a hex name.
fn hash_bytes(name: &str) -> Vec<u8> {
    (0..name.len() / 2)
        .filter_map(|i| u8::from_str_radix(name.get(2 * i..2 * i + 2)?, 16).ok())
        .collect()
}

/// A search document, written by this build or kept from the previous one.
fn read_document(root: &Path, previous: Option<&Path>, relative: &str) -> Result<SearchDocument> {
    let here = root.join(relative);
    let path = match previous {
        Some(previous) if !here.exists() => previous.join(relative),
        _ => here,
    };
    let bytes =
        std::fs::read(&path).map_err(|err| Error::io(&path, &err, "read a search document"))?;
    SearchDocument::read(&bytes).ok_or_else(|| {
        Error::config(
            Diagnostic::in_file(path.display().to_string(), "is not a search document")
                .with_help("build again with --no-cache"),
        )
    })
}

/// Columns in site-map order: each followed by its sub-columns.
fn column_order<'m>(model: &'m SiteModel<'_>) -> Vec<(&'m str, &'m str, usize)> {
    fn visit<'m>(
        tree: &'m crate::site::ColumnTree,
        column: &'m crate::site::Column,
        out: &mut Vec<(&'m str, &'m str, usize)>,
    ) {
        out.push((&column.path, &column.title, column.depth()));
        for child in tree.children(&column.path) {
            visit(tree, child, out);
        }
    }
    let tree = &model.input.site.columns;
    let mut out = Vec::new();
    for root in tree.roots() {
        visit(tree, root, &mut out);
    }
    out
}

/// Where a search document is: `search/d/ab/cdef….bin` (256 folders, so
/// that no folder holds a whole site's worth of files).
fn document_path(hash: &str) -> String {
    let (folder, rest) = hash.split_at(2.min(hash.len()));
    format!("{FOLDER}/d/{folder}/{rest}.bin")
}

/// `search/d/ab/cdef.bin` → `abcdef`.
fn file_stem(relative: &str) -> String {
    let mut parts = relative.rsplit('/');
    let name = parts.next().unwrap_or(relative);
    let folder = parts.next().unwrap_or_default();
    format!("{folder}{}", name.strip_suffix(".bin").unwrap_or(name))
}

/// The hash bytes in a search document's name.
fn document_hash(relative: &str) -> Vec<u8> {
    hash_bytes(&file_stem(relative))
}

fn sha256(bytes: &[u8]) -> [u8; 32] {
    use sha2::Digest;
    sha2::Sha256::digest(bytes).into()
}

/// Gzip with a fixed header (no time, no name): equal input, equal bytes.
fn gzip(bytes: &[u8]) -> Vec<u8> {
    let mut encoder = flate2::GzBuilder::new()
        .mtime(0)
        .operating_system(255)
        .write(
            Vec::with_capacity(bytes.len() / 2 + 64),
            flate2::Compression::new(6),
        );
    // Writing to a Vec cannot fail.
    let _ = encoder.write_all(bytes);
    encoder.finish().unwrap_or_default()
}

#[cfg(test)]
pub(crate) mod tests {
    use std::collections::BTreeMap;
    use std::path::Path;

    use super::*;
    use crate::render::test_site::{read, render_default};

    fn gunzip(bytes: &[u8]) -> Vec<u8> {
        let mut out = Vec::new();
        std::io::Read::read_to_end(&mut flate2::read::GzDecoder::new(bytes), &mut out).unwrap();
        out
    }

    /// The manifest named by the search page of the site at `root`.
    fn manifest(root: &Path) -> serde_json::Value {
        let page = read(root, "search/index.html");
        let start = page.find("data-index=\"").unwrap() + "data-index=\"".len();
        let url = &page[start..start + page[start..].find('"').unwrap()];
        serde_json::from_str(&read(root, url.trim_start_matches("/kx/"))).unwrap()
    }

    fn file(root: &Path, folder: &str, name: &serde_json::Value) -> Vec<u8> {
        std::fs::read(root.join(format!("search/{folder}/{}.bin", name.as_str().unwrap()))).unwrap()
    }

    /// `search/d/ab/cdef.bin` for the hash bytes `ab cd ef`.
    fn spread(folder: &str, hash: &[u8]) -> String {
        let name = hex(hash);
        format!("search/{folder}/{}/{}.bin", &name[..2], &name[2..])
    }

    /// The search documents of the site at `root`, by document number.
    pub(crate) fn documents(root: &Path) -> Vec<SearchDocument> {
        let manifest = manifest(root);
        let mut documents = Vec::new();
        for name in manifest["name_files"].as_array().unwrap() {
            for hash in file(root, "n", name).chunks(DOCUMENT_NAME_BYTES) {
                let bytes = std::fs::read(root.join(spread("d", hash))).unwrap();
                documents.push(SearchDocument::read(&bytes).unwrap());
            }
        }
        documents
    }

    /// Every term of the site at `root`: term → postings.
    fn postings(root: &Path) -> BTreeMap<String, shards::DecodedPostings> {
        let manifest = manifest(root);
        let mut terms = BTreeMap::new();
        for group in manifest["groups"].as_array().unwrap() {
            for names in file(root, "g", group).chunks(2 * DOCUMENT_NAME_BYTES) {
                let read =
                    |folder, hash| gunzip(&std::fs::read(root.join(spread(folder, hash))).unwrap());
                let (bytes, positions) = (read("t", &names[..8]), read("p", &names[8..]));
                terms.extend(shards::decode(&bytes, &positions).unwrap());
            }
        }
        terms
    }

    #[test]
    fn every_article_is_a_search_document_newest_first() {
        let (dir, _) = render_default(false);
        let documents = documents(dir.path());
        assert_eq!(documents.len(), 8);
        let first = &documents[0];
        assert_eq!(first.title, "科协召开<全委会>&部署工作");
        assert_eq!(first.date, "2026-11-02");
        assert_eq!(first.column.as_deref(), Some("科协要闻"));
        assert_eq!(first.columns, ["news", "news/hq"]);
        assert!(
            first.body.starts_with("会议部署年度工作。\n会议强调"),
            "{}",
            first.body
        );
        assert_eq!(
            first.meta,
            [("关键词".to_string(), "全委会 部署".to_string())]
        );
        let policy = documents
            .iter()
            .find(|d| d.title == "云州市科协信息公开办法")
            .unwrap();
        assert_eq!(
            policy.meta,
            [
                ("文号".to_string(), "云科协发〔2026〕1号".to_string()),
                ("索引号".to_string(), "0001-2026-00001".to_string()),
                // No `issuer`: the submitting unit's name, as the page shows.
                ("发文机关".to_string(), "办公室".to_string()),
            ]
        );
        let page = read(dir.path(), "search/index.html");
        assert!(page.contains(r#"data-index="/kx/search/index-"#), "{page}");
        assert!(page.contains(r#"action="/kx/search/" method="get""#));
    }

    #[test]
    fn terms_carry_fields_positions_and_filters() {
        let (dir, _) = render_default(false);
        let documents = documents(dir.path());
        let policy = documents
            .iter()
            .position(|d| d.title == "云州市科协信息公开办法")
            .unwrap() as u32;
        let terms = postings(dir.path());
        // 文号 and 索引号 are meta fields of the policy.
        let both = (Field::Title as u8) | (Field::Meta as u8);
        assert!(terms["科协"].iter().any(|p| p.0 == policy && p.1 == both));
        assert_eq!(
            terms["00001"]
                .iter()
                .map(|p| (p.0, p.1))
                .collect::<Vec<_>>(),
            [(policy, Field::Meta as u8)]
        );
        // Filters: every article under news, and the ones of news/hq.
        assert_eq!(terms["\u{1}news"].len(), 5);
        assert_eq!(terms["\u{1}news/hq"].len(), 4);
        // Body text is indexed whole, not only its beginning.
        assert!(terms.contains_key("解读") && terms.contains_key("正文"));
        // A one-character query finds its unigram.
        assert!(terms["转"].iter().any(|p| p.1 & Field::Title as u8 != 0));
    }

    #[test]
    fn the_manifest_lists_years_columns_and_the_table() {
        let (dir, _) = render_default(false);
        let manifest = manifest(dir.path());
        assert_eq!(manifest["version"], FORMAT_VERSION);
        assert_eq!(manifest["documents"], 8);
        assert_eq!(manifest["years"], serde_json::json!([[2026, 0, 8]]));
        assert_eq!(
            manifest["columns"][1],
            serde_json::json!(["news/hq", "科协要闻", 1])
        );
        let part = &manifest["t2s"][u32::from('國') as usize % TABLE_CHUNKS];
        let table = gunzip(&file(dir.path(), "t2s", part));
        assert!(String::from_utf8(table).unwrap().contains("國国"));
    }

    #[test]
    fn the_index_is_byte_identical_for_identical_input() {
        let (first, _) = render_default(false);
        let (second, _) = render_default(false);
        let files = |root: &Path| -> BTreeMap<String, Vec<u8>> {
            walkdir::WalkDir::new(root.join("search"))
                .into_iter()
                .filter_map(|e| e.ok())
                .filter(|e| e.file_type().is_file())
                .map(|e| {
                    (
                        e.path().strip_prefix(root).unwrap().display().to_string(),
                        std::fs::read(e.path()).unwrap(),
                    )
                })
                .collect()
        };
        let a = files(first.path());
        assert!(a.len() > 10, "{:?}", a.keys());
        assert_eq!(a, files(second.path()));
    }
}
