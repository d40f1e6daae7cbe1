//! A cache of per-commit facts, keyed by commit id, so a rebuild reads and
//! verifies only the commits it has not seen.
//!
//! Safe because a commit id names immutable content: its message, its
//! signature and its trees can never change, so neither can what
//! [`history`](super::history) reads from them. What *can* change — whether
//! an object named by an approval exists yet, which policy is in force, which
//! keys are trusted or revoked — is never cached: targets are resolved and the
//! §5 rules applied on every run. The cache lives in the local `.git`
//! folder (trusted like the build machine; see THREAT_MODEL.md); a missing,
//! unreadable or foreign-version cache is ignored, never an error.

use std::collections::HashMap;
use std::path::PathBuf;

use git2::Oid;
use serde::{Deserialize, Serialize};

use crate::ledger::history::{CommitFacts, VersionFacts};
use crate::repo::Repo;

/// Bump when what is cached, or how it is computed, changes. The file starts
/// with this line; the rest is postcard (compact binary serde), which a
/// warm build reads in a fraction of the time JSON took.
const FORMAT: &str = concat!("sanshen-history-4/", env!("CARGO_PKG_VERSION"), "\n");

#[derive(Default)]
pub struct HistoryCache {
    /// Facts of commits not yet handed to a walk, by commit id.
    commits: HashMap<Oid, CommitFacts>,
    /// Facts of approved versions, by object id (immutable content too).
    pub versions: HashMap<String, VersionFacts>,
    /// The encoded chunks as read, written back unchanged when a build only
    /// adds commits (most builds: a push brings a few).
    stored_chunks: Vec<Vec<u8>>,
    stored_commits: usize,
    changed: bool,
    enabled: bool,
}

/// Commits are stored in chunks of this many, each encoded on its own, so
/// that loading decodes them in parallel and new commits are appended as a
/// chunk of their own without encoding the others again.
const CHUNK: usize = 4096;

/// Appended chunks beyond what the commits need before the file is rewritten whole.
const SPARE_CHUNKS: usize = 16;

#[derive(Serialize, Deserialize)]
struct Stored {
    /// Each a postcard `Vec<CommitFacts>`.
    chunks: Vec<Vec<u8>>,
    /// A postcard `Vec<(String, VersionFacts)>`.
    versions: Vec<u8>,
}

impl HistoryCache {
    fn path(repo: &Repo) -> PathBuf {
        repo.git().path().join("sanshen").join("history-cache.bin")
    }

    /// The repository's cache, or an empty one.
    pub fn load(repo: &Repo) -> HistoryCache {
        if !repo.cache_enabled() {
            return HistoryCache::default();
        }
        use rayon::prelude::*;
        let loaded =
            crate::cache_file::read::<Stored>(&Self::path(repo), FORMAT).and_then(|stored| {
                let chunks: Vec<Vec<CommitFacts>> = stored
                    .chunks
                    .par_iter()
                    .map(|chunk| postcard::from_bytes(chunk).ok())
                    .collect::<Option<_>>()?;
                let versions: Vec<(String, VersionFacts)> =
                    postcard::from_bytes(&stored.versions).ok()?;
                Some((chunks, versions, stored.chunks))
            });
        let mut cache = HistoryCache {
            enabled: true,
            ..HistoryCache::default()
        };
        if let Some((chunks, versions, raw)) = loaded {
            cache.stored_chunks = raw;
            cache.stored_commits = chunks.iter().map(Vec::len).sum();
            cache.commits = chunks
                .into_iter()
                .flatten()
                .filter_map(|facts| Some((Oid::from_str(&facts.id).ok()?, facts)))
                .collect();
            cache.versions = versions.into_iter().collect();
        }
        cache
    }

    /// Hand a known commit's facts to the walk (moved, not copied: a large
    /// history is held once). [`save`](Self::save) gets them back.
    pub fn take_commit(&mut self, oid: Oid) -> Option<CommitFacts> {
        self.commits.remove(&oid)
    }

    /// A commit was read and verified now: the cache must be written.
    pub fn learned_commit(&mut self) {
        self.changed = true;
    }

    pub fn remember_version(&mut self, oid: &str, facts: &VersionFacts) {
        if self.enabled {
            self.versions.insert(oid.to_string(), facts.clone());
            self.changed = true;
        }
    }

    /// Write the cache if it learned something: the commits of the history
    /// just walked (`fresh` are the positions of those read now), and those
    /// of other histories it still holds. Failure only costs speed.
    pub fn save(&mut self, repo: &Repo, walked: &[CommitFacts], fresh: &[usize]) {
        if !self.enabled || !self.changed {
            return;
        }
        use rayon::prelude::*;
        let mut versions: Vec<_> = self.versions.iter().collect();
        versions.sort_by(|a, b| a.0.cmp(b.0));
        // Every commit not read now came out of the stored chunks: append
        // the new ones, unless appending has left too many small chunks.
        let total = self.stored_commits + fresh.len();
        let appendable = !self.stored_chunks.is_empty()
            && self.stored_chunks.len() < total / CHUNK + SPARE_CHUNKS;
        let chunks: Option<Vec<Vec<u8>>> = if appendable {
            let new: Vec<&CommitFacts> = fresh.iter().filter_map(|&i| walked.get(i)).collect();
            let mut chunks = std::mem::take(&mut self.stored_chunks);
            match postcard::to_stdvec(&new) {
                Ok(chunk) if !new.is_empty() => {
                    chunks.push(chunk);
                    Some(chunks)
                }
                Ok(_) => Some(chunks),
                Err(_) => None,
            }
        } else {
            let commits: Vec<&CommitFacts> = walked.iter().chain(self.commits.values()).collect();
            commits
                .par_chunks(CHUNK)
                .map(|chunk| postcard::to_stdvec(chunk).ok())
                .collect()
        };
        let (Some(chunks), Ok(versions)) = (chunks, postcard::to_stdvec(&versions)) else {
            return;
        };
        // The JSON cache of earlier versions is dead weight now.
        let written = crate::cache_file::write(
            &Self::path(repo),
            FORMAT,
            &Stored { chunks, versions },
            "history-cache.json",
        );
        if written {
            self.changed = false;
        }
    }
}
