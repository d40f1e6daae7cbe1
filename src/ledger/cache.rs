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
/// with this line; then come records (see [`crate::cache_file`]), each a
/// postcard [`Part`]: a chunk of commits or a batch of version facts. A
/// build that read a few new commits appends a record or two; the file is
/// written anew only when appends have left too many small chunks.
const FORMAT: &str = concat!("sanshen-history-7/", env!("CARGO_PKG_VERSION"), "\n");

#[derive(Default)]
pub struct HistoryCache {
    /// Facts of commits not yet handed to a walk, by commit id.
    commits: HashMap<Oid, CommitFacts>,
    /// Facts of approved versions, by object id (immutable content too).
    pub versions: HashMap<String, VersionFacts>,
    /// Versions learned by this run, to be appended.
    new_versions: Vec<String>,
    /// Commit chunks in the file, and the commits in them; `None` when the
    /// file cannot be appended to (missing, another format, or damaged).
    stored: Option<(usize, usize)>,
    changed: bool,
    enabled: bool,
}

/// Commits are stored in chunks of this many, each a record of its own, so
/// that loading decodes them in parallel.
const CHUNK: usize = 4096;

/// Appended chunks beyond what the commits need before the file is rewritten whole.
const SPARE_CHUNKS: usize = 16;

/// One record of the file, as read.
#[derive(Deserialize)]
enum Part {
    Commits(Vec<CommitFacts>),
    Versions(Vec<(String, VersionFacts)>),
}

/// One record of the file, as written (encodes exactly as [`Part`]).
#[derive(Serialize)]
enum PartRef<'a> {
    Commits(&'a [&'a CommitFacts]),
    Versions(Vec<(&'a String, &'a VersionFacts)>),
}

impl HistoryCache {
    fn path(repo: &Repo) -> PathBuf {
        repo.git().path().join("sanshen").join("history-cache.bin")
    }

    /// The repository's cache, or an empty one.
    pub fn load(repo: &Repo) -> HistoryCache {
        let mut cache = HistoryCache {
            enabled: repo.cache_enabled(),
            ..HistoryCache::default()
        };
        if !cache.enabled {
            return cache;
        }
        let Some(mut reader) = crate::cache_file::RecordReader::open(&Self::path(repo), FORMAT)
        else {
            return cache;
        };
        let (mut chunks, mut stored_commits, mut intact) = (0, 0, true);
        loop {
            let parts: Vec<Option<Part>> = reader.next_decoded();
            if parts.is_empty() {
                break;
            }
            for part in parts {
                match part {
                    Some(Part::Commits(commits)) => {
                        chunks += 1;
                        stored_commits += commits.len();
                        cache.commits.extend(
                            commits
                                .into_iter()
                                .filter_map(|facts| Some((Oid::from_str(&facts.id).ok()?, facts))),
                        );
                    }
                    Some(Part::Versions(versions)) => cache.versions.extend(versions),
                    // A record that does not decode is skipped (its commits
                    // are read again), and the file is written anew.
                    None => intact = false,
                }
            }
        }
        if intact && reader.intact {
            cache.stored = Some((chunks, stored_commits));
        }
        cache
    }

    /// Hand a known commit's facts to the walk (moved, not copied: a large
    /// history is held once). [`save`](Self::save) gets them back.
    pub fn take_commit(&mut self, oid: Oid) -> Option<CommitFacts> {
        self.commits.remove(&oid)
    }

    /// How many commits the cache holds (not yet taken).
    pub fn commit_count(&self) -> usize {
        self.commits.len()
    }

    /// Free the room of the commits taken by a walk.
    pub fn forget_taken(&mut self) {
        self.commits.shrink_to_fit();
    }

    /// A commit was read and verified now: the cache must be written.
    pub fn learned_commit(&mut self) {
        self.changed = true;
    }

    pub fn remember_version(&mut self, oid: &str, facts: &VersionFacts) {
        if self.enabled {
            self.versions.insert(oid.to_string(), facts.clone());
            self.new_versions.push(oid.to_string());
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
        let path = Self::path(repo);
        // Every commit not read now is in the file already: append the new
        // ones, unless appending has left too many small chunks.
        let appendable = self.stored.is_some_and(|(chunks, commits)| {
            chunks < (commits + fresh.len()) / CHUNK + SPARE_CHUNKS
        });
        let written = if appendable {
            let new: Vec<&CommitFacts> = fresh.iter().filter_map(|&i| walked.get(i)).collect();
            let versions = self
                .new_versions
                .iter()
                .filter_map(|oid| self.versions.get_key_value(oid))
                .collect::<Vec<_>>();
            let records: Option<Vec<Vec<u8>>> =
                crate::cache_file::encode_chunks(&new, CHUNK, PartRef::Commits)
                    .chain(
                        (!versions.is_empty())
                            .then(|| crate::cache_file::encode(&PartRef::Versions(versions))),
                    )
                    .collect();
            records.is_some_and(|records| crate::cache_file::append_records(&path, &records))
        } else {
            self.write_whole(&path, walked)
        };
        if written {
            self.changed = false;
            self.new_versions.clear();
        }
    }

    /// Write the file anew from every commit known: encoded a few chunks at
    /// a time (in parallel) and written as they come.
    fn write_whole(&self, path: &std::path::Path, walked: &[CommitFacts]) -> bool {
        let commits: Vec<&CommitFacts> = walked.iter().chain(self.commits.values()).collect();
        let mut versions: Vec<(&String, &VersionFacts)> = self.versions.iter().collect();
        versions.sort_by(|a, b| a.0.cmp(b.0));
        let commit_records = crate::cache_file::encode_chunks(&commits, CHUNK, PartRef::Commits);
        let version_records = crate::cache_file::encode_chunks(&versions, CHUNK * 4, |batch| {
            PartRef::Versions(batch.to_vec())
        });
        // The JSON cache of earlier versions is dead weight now.
        crate::cache_file::write_records(
            path,
            FORMAT,
            commit_records.chain(version_records),
            "history-cache.json",
        )
    }
}
