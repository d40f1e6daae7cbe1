//! The inverted index, cut into shards that a query downloads only when it
//! needs them.
//!
//! A term belongs to shard `fnv1a(term) % shards` (the search page's script
//! computes the same hash). The shard count grows with the index so that a
//! shard stays around [`TARGET_SHARD_BYTES`] besides its largest lists: a
//! query downloads one shard per term it looks up, whatever the size of the
//! site.
//!
//! Building runs in two passes so that memory does not grow with the site:
//! documents are read and cut into terms in parallel, and each (term,
//! document) posting is appended to one of a few *partition* files on disk
//! (by the same hash); then each partition is read alone, sorted, and encoded
//! into its shards. The shard count is a multiple of the partition count, so
//! every shard comes from exactly one partition.
//!
//! A shard is two files. The first, once gunzipped, is a sequence of terms
//! in byte order with their documents:
//!
//! ```text
//! term:     u8 length, UTF-8 bytes, u8 kind (bit 0: postings carry positions),
//!           varint postings, varint bytes of postings,
//!           [varint offset and varint bytes of its positions in the second file],
//!           postings
//! posting:  varint (gap << 1 | has_flags), [u8 flags]
//! ```
//!
//! The second holds the positions, per posting: varint count, varint deltas
//! (the first from 0). A query reads it only for words of more than one term
//! (a phrase to check): the most common query, a two-character word, needs
//! none.
//!
//! Documents are numbered in the site's display order (newest first), so a
//! smaller number is a more recent document; `gap` is the distance from the
//! previous posting's document minus one (the first: its number).

use std::collections::HashMap;
use std::fs::File;
use std::io::{BufReader, BufWriter, Read, Write};
use std::path::Path;
use std::sync::Mutex;

use rayon::prelude::*;

use super::tokens::{self, DocumentTerms, TermMap};

/// About this many bytes of postings per shard, before compression: a
/// query downloads a term's postings and, with them, about this much of
/// other terms'.
const TARGET_SHARD_BYTES: usize = 8 * 1024;
/// Most shards (files in one folder).
const MAX_SHARDS: usize = 32 * 1024;
/// Documents per partition file, roughly: a partition is held in memory
/// while it is encoded.
const DOCUMENTS_PER_PARTITION: usize = 1024;
/// A thread's buffer for one partition is written out at this size.
const SPILL_BUFFER_BYTES: usize = 32 * 1024;

/// The hash that places a term in a shard: 32-bit FNV-1a over its UTF-8
/// bytes (simple to compute the same way in JavaScript).
pub fn fnv1a(bytes: &[u8]) -> u32 {
    let mut hash: u32 = 0x811c_9dc5;
    for byte in bytes {
        hash ^= u32::from(*byte);
        hash = hash.wrapping_mul(0x0100_0193);
    }
    hash
}

pub fn write_varint(out: &mut Vec<u8>, mut value: u64) {
    while value >= 0x80 {
        out.push((value as u8) | 0x80);
        value >>= 7;
    }
    out.push(value as u8);
}

fn read_varint(bytes: &[u8], at: &mut usize) -> Option<u64> {
    let mut value = 0u64;
    let mut shift = 0;
    loop {
        let byte = *bytes.get(*at)?;
        *at += 1;
        value |= u64::from(byte & 0x7f) << shift;
        if byte & 0x80 == 0 {
            return Some(value);
        }
        shift += 7;
        if shift > 63 {
            return None;
        }
    }
}

/// Postings on their way to the shards: one file per partition.
pub struct Spill {
    partitions: Vec<Mutex<BufWriter<File>>>,
    /// Bytes the shards will hold, roughly.
    estimate: std::sync::atomic::AtomicUsize,
    _folder: tempfile::TempDir,
    paths: Vec<std::path::PathBuf>,
}

impl Spill {
    /// Partition files for `documents` documents, in a temporary folder
    /// inside `beside` (the folder the site is built in: same disk, not
    /// memory).
    pub fn new(documents: usize, beside: &Path) -> std::io::Result<Spill> {
        let count = documents
            .div_ceil(DOCUMENTS_PER_PARTITION)
            .next_power_of_two()
            .clamp(1, 256);
        let folder = tempfile::Builder::new()
            .prefix(".search-index-")
            .tempdir_in(beside)?;
        let mut partitions = Vec::with_capacity(count);
        let mut paths = Vec::with_capacity(count);
        for index in 0..count {
            let path = folder.path().join(format!("{index}"));
            partitions.push(Mutex::new(BufWriter::new(File::create(&path)?)));
            paths.push(path);
        }
        Ok(Spill {
            partitions,
            estimate: std::sync::atomic::AtomicUsize::new(0),
            _folder: folder,
            paths,
        })
    }

    /// Add documents (number, terms); called from several threads at once.
    pub fn add(
        &self,
        documents: impl Iterator<Item = (u32, DocumentTerms)>,
    ) -> std::io::Result<()> {
        let count = self.partitions.len();
        let mut buffers: Vec<Vec<u8>> = vec![Vec::new(); count];
        let mut estimate = 0;
        for (number, document) in documents {
            for (term, posting) in document.terms {
                let bytes = term.as_bytes();
                let partition = fnv1a(bytes) as usize % count;
                let buffer = &mut buffers[partition];
                write_varint(buffer, u64::from(number));
                buffer.push(posting.flags);
                // Terms are at most 32 characters of 4 bytes, plus a prefix.
                buffer.push(u8::try_from(bytes.len()).unwrap_or(u8::MAX));
                buffer.extend_from_slice(&bytes[..bytes.len().min(255)]);
                let before = buffer.len();
                encode_positions(buffer, &posting.positions);
                // In a shard: about two bytes of document and flags, and the positions.
                estimate += 2 + buffer.len() - before;
                if buffer.len() >= SPILL_BUFFER_BYTES {
                    self.flush(partition, buffer)?;
                }
            }
        }
        for (partition, buffer) in buffers.iter_mut().enumerate() {
            self.flush(partition, buffer)?;
        }
        self.estimate
            .fetch_add(estimate, std::sync::atomic::Ordering::Relaxed);
        Ok(())
    }

    fn flush(&self, partition: usize, buffer: &mut Vec<u8>) -> std::io::Result<()> {
        if buffer.is_empty() {
            return Ok(());
        }
        let mut file = self.partitions[partition]
            .lock()
            .map_err(|_| std::io::Error::other("a search index thread failed"))?;
        file.write_all(buffer)?;
        buffer.clear();
        Ok(())
    }

    /// Encode every shard, handing each to `write` (shard number, terms and
    /// documents, positions) from several threads; returns the shard count.
    pub fn finish(
        self,
        write: impl Fn(usize, Vec<u8>, Vec<u8>) -> std::io::Result<()> + Sync,
    ) -> std::io::Result<usize> {
        let partitions = self.partitions.len();
        for partition in &self.partitions {
            partition
                .lock()
                .map_err(|_| std::io::Error::other("a search index thread failed"))?
                .flush()?;
        }
        let estimate = self.estimate.into_inner();
        let per_partition = estimate
            .div_ceil(TARGET_SHARD_BYTES * partitions)
            .clamp(1, (MAX_SHARDS / partitions).max(1));
        let shards = partitions * per_partition;
        self.paths
            .par_iter()
            .enumerate()
            .try_for_each(|(index, path)| {
                encode_partition(path, index, partitions, shards, &write)
            })?;
        Ok(shards)
    }
}

/// Positions as a posting stores them: count, then deltas.
fn encode_positions(out: &mut Vec<u8>, positions: &[u32]) {
    write_varint(out, positions.len() as u64);
    let mut previous = 0;
    for &position in positions {
        write_varint(out, u64::from(position - previous));
        previous = position;
    }
}

/// Skip encoded positions; returns false when cut short.
fn skip_positions(bytes: &[u8], at: &mut usize) -> bool {
    let Some(count) = read_varint(bytes, at) else {
        return false;
    };
    (0..count).all(|_| read_varint(bytes, at).is_some())
}

/// A posting read back from a partition file, sortable as one number —
/// term rank (24 bits), document (24 bits), flags — with where its
/// positions are in the file.
fn sort_key(rank: u32, document: u32, flags: u8) -> u64 {
    (u64::from(rank) << 40) | (u64::from(document) << 16) | u64::from(flags)
}

/// Document numbers fit in 24 bits of a sort key.
pub const MAX_DOCUMENTS: usize = 1 << 24;
/// Distinct terms of one partition fit in 24 bits.
const MAX_PARTITION_TERMS: usize = 1 << 24;

fn encode_partition(
    path: &Path,
    partition: usize,
    partitions: usize,
    shards: usize,
    write: &(impl Fn(usize, Vec<u8>, Vec<u8>) -> std::io::Result<()> + Sync),
) -> std::io::Result<()> {
    let mut bytes = Vec::new();
    BufReader::new(File::open(path)?).read_to_end(&mut bytes)?;
    let corrupt = || std::io::Error::other("a search index partition file is cut short");

    // Terms of this partition, each once; postings by term id.
    let mut ids: TermMap<&[u8], u32> = TermMap::default();
    let mut terms: Vec<&[u8]> = Vec::new();
    let mut postings: Vec<(u64, u32)> = Vec::new();
    let mut at = 0;
    while at < bytes.len() {
        let document = read_varint(&bytes, &mut at).ok_or_else(corrupt)?;
        let header = bytes.get(at..at + 2).ok_or_else(corrupt)?;
        let (flags, length) = (header[0], usize::from(header[1]));
        at += 2;
        let term = bytes.get(at..at + length).ok_or_else(corrupt)?;
        at += length;
        let positions = u32::try_from(at).map_err(|_| corrupt())?;
        if !skip_positions(&bytes, &mut at) {
            return Err(corrupt());
        }
        let next = u32::try_from(terms.len()).map_err(|_| corrupt())?;
        let id = *ids.entry(term).or_insert_with(|| {
            terms.push(term);
            next
        });
        let document = u32::try_from(document).map_err(|_| corrupt())?;
        postings.push((sort_key(id, document, flags), positions));
    }
    drop(ids);
    if terms.len() > MAX_PARTITION_TERMS {
        return Err(std::io::Error::other(format!(
            "{} distinct terms in one partition of the search index, more than it can number",
            terms.len()
        )));
    }
    // Ids in first-seen order become ranks in byte order.
    let mut order: Vec<u32> = (0..terms.len() as u32).collect();
    order.sort_unstable_by_key(|&id| terms[id as usize]);
    let mut rank_of = vec![0u32; terms.len()];
    for (rank, &id) in order.iter().enumerate() {
        rank_of[id as usize] = rank as u32;
    }
    for (key, _) in &mut postings {
        let id = (*key >> 40) as usize;
        *key = (*key & ((1 << 40) - 1)) | (u64::from(rank_of[id]) << 40);
    }
    drop(rank_of);
    postings.sort_unstable();

    let mut encoded: HashMap<usize, (Vec<u8>, Vec<u8>)> = HashMap::new();
    let mut start = 0;
    while start < postings.len() {
        let rank = postings[start].0 >> 40;
        let end = start
            + postings[start..]
                .iter()
                .position(|(key, _)| key >> 40 != rank)
                .unwrap_or(postings.len() - start);
        let term = terms[order[rank as usize] as usize];
        let shard = fnv1a(term) as usize % shards;
        debug_assert_eq!(shard % partitions, partition);
        let (documents, positions) = encoded.entry(shard).or_default();
        encode_term(documents, positions, term, &postings[start..end], &bytes);
        start = end;
    }
    drop(postings);
    let mut shards_here: Vec<_> = encoded.into_iter().collect();
    shards_here.sort_unstable_by_key(|(shard, _)| *shard);
    for (shard, (documents, positions)) in shards_here {
        write(shard, documents, positions)?;
    }
    Ok(())
}

fn encode_term(
    out: &mut Vec<u8>,
    positions_out: &mut Vec<u8>,
    term: &[u8],
    postings: &[(u64, u32)],
    spill: &[u8],
) {
    let positions = std::str::from_utf8(term).is_ok_and(tokens::has_positions);
    out.push(term.len() as u8);
    out.extend_from_slice(term);
    out.push(u8::from(positions));
    let mut body = Vec::with_capacity(postings.len() * 2);
    let positions_start = positions_out.len();
    let mut previous: i64 = -1;
    for &(key, at) in postings {
        let document = i64::from(((key >> 16) & 0xff_ffff) as u32);
        let flags = (key & 0xff) as u8;
        let gap = (document - previous - 1) as u64;
        previous = document;
        write_varint(&mut body, (gap << 1) | u64::from(flags != 0));
        if flags != 0 {
            body.push(flags);
        }
        if positions {
            // Copied as the spill file has them: count, deltas.
            let start = at as usize;
            let mut end = start;
            if skip_positions(spill, &mut end) {
                positions_out.extend_from_slice(&spill[start..end]);
            }
        }
    }
    write_varint(out, postings.len() as u64);
    write_varint(out, body.len() as u64);
    if positions {
        write_varint(out, positions_start as u64);
        write_varint(out, (positions_out.len() - positions_start) as u64);
    }
    out.extend_from_slice(&body);
}

/// A term's postings read back: (document, flags, positions).
#[cfg(test)]
pub type DecodedPostings = Vec<(u32, u8, Vec<u32>)>;

/// A shard read back from its two files, for tests.
#[cfg(test)]
pub fn decode(bytes: &[u8], positions: &[u8]) -> Option<Vec<(String, DecodedPostings)>> {
    let mut terms = Vec::new();
    let mut at = 0;
    while at < bytes.len() {
        let length = usize::from(*bytes.get(at)?);
        let term = std::str::from_utf8(bytes.get(at + 1..at + 1 + length)?).ok()?;
        at += 1 + length;
        let has_positions = *bytes.get(at)? & 1 == 1;
        at += 1;
        let count = read_varint(bytes, &mut at)?;
        let _length = read_varint(bytes, &mut at)?;
        let mut position_at = 0;
        if has_positions {
            position_at = read_varint(bytes, &mut at)? as usize;
            let _length = read_varint(bytes, &mut at)?;
        }
        let mut document: i64 = -1;
        let mut postings = Vec::new();
        for _ in 0..count {
            let value = read_varint(bytes, &mut at)?;
            document += (value >> 1) as i64 + 1;
            let flags = if value & 1 == 1 {
                at += 1;
                *bytes.get(at - 1)?
            } else {
                0
            };
            let mut found = Vec::new();
            if has_positions {
                let mut position = 0;
                for _ in 0..read_varint(positions, &mut position_at)? {
                    position += read_varint(positions, &mut position_at)? as u32;
                    found.push(position);
                }
            }
            postings.push((document as u32, flags, found));
        }
        terms.push((term.to_string(), postings));
    }
    Some(terms)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::render::search::tokens::Field;

    #[test]
    fn fnv1a_matches_the_reference_values() {
        assert_eq!(fnv1a(b""), 0x811c9dc5);
        assert_eq!(fnv1a(b"a"), 0xe40c292c);
        assert_eq!(fnv1a(b"foobar"), 0xbf9cf968);
    }

    #[test]
    fn postings_come_back_sorted_by_term_and_document() {
        let dir = tempfile::tempdir().unwrap();
        let spill = Spill::new(3, dir.path()).unwrap();
        let document = |title: &str, body: &str| {
            let mut terms = DocumentTerms::default();
            terms.add(title, Field::Title);
            terms.add(body, Field::Body);
            terms
        };
        spill
            .add(
                [
                    (2, document("通知", "科技创新")),
                    (0, document("科技", "通知")),
                ]
                .into_iter(),
            )
            .unwrap();
        spill
            .add(std::iter::once((1, document("", "科技"))))
            .unwrap();
        let shards = Mutex::new(Vec::new());
        let count = spill
            .finish(|shard, bytes, positions| {
                shards.lock().unwrap().push((shard, bytes, positions));
                Ok(())
            })
            .unwrap();
        assert_eq!(count, 1);
        let shards = shards.into_inner().unwrap();
        let terms = decode(&shards[0].1, &shards[0].2).unwrap();
        let names: Vec<&str> = terms.iter().map(|(t, _)| t.as_str()).collect();
        let mut sorted = names.clone();
        sorted.sort();
        assert_eq!(names, sorted);
        let keji = &terms.iter().find(|(t, _)| t == "科技").unwrap().1;
        assert_eq!(keji, &[(0, 1, vec![0]), (1, 0, vec![1]), (2, 0, vec![3])]);
        let unigram = &terms.iter().find(|(t, _)| t == "通").unwrap().1;
        assert_eq!(unigram, &[(0, 0, vec![]), (2, 1, vec![])]);
    }
}
