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

use serde::{Deserialize, Serialize};

use crate::ledger::history::{CommitFacts, VersionFacts};
use crate::repo::Repo;

/// Bump when what is cached, or how it is computed, changes.
const FORMAT: &str = concat!("sanshen-history-2/", env!("CARGO_PKG_VERSION"));

#[derive(Default, Serialize, Deserialize)]
pub struct HistoryCache {
    format: String,
    pub commits: HashMap<String, CommitFacts>,
    /// Facts of approved versions, by object id (immutable content too).
    pub versions: HashMap<String, VersionFacts>,
    #[serde(skip)]
    changed: bool,
    #[serde(skip)]
    enabled: bool,
}

impl HistoryCache {
    fn path(repo: &Repo) -> PathBuf {
        repo.git().path().join("sanshen").join("history-cache.json")
    }

    /// The repository's cache, or an empty one.
    pub fn load(repo: &Repo) -> HistoryCache {
        if !repo.cache_enabled() {
            return HistoryCache::default();
        }
        let loaded = std::fs::read(Self::path(repo))
            .ok()
            .and_then(|bytes| serde_json::from_slice::<HistoryCache>(&bytes).ok())
            .filter(|cache| cache.format == FORMAT);
        let mut cache = loaded.unwrap_or_default();
        cache.enabled = true;
        cache
    }

    pub fn remember_commit(&mut self, facts: &CommitFacts) {
        if self.enabled {
            self.commits.insert(facts.id.clone(), facts.clone());
            self.changed = true;
        }
    }

    pub fn remember_version(&mut self, oid: &str, facts: &VersionFacts) {
        if self.enabled {
            self.versions.insert(oid.to_string(), facts.clone());
            self.changed = true;
        }
    }

    /// Write the cache if it learned something. Failure only costs speed.
    pub fn save(&mut self, repo: &Repo) {
        if !self.enabled || !self.changed {
            return;
        }
        self.format = FORMAT.to_string();
        let path = Self::path(repo);
        let Some(folder) = path.parent() else { return };
        let written = std::fs::create_dir_all(folder).ok().and_then(|_| {
            let file = tempfile::NamedTempFile::new_in(folder).ok()?;
            serde_json::to_writer(std::io::BufWriter::new(file.as_file()), self).ok()?;
            file.persist(&path).ok()
        });
        if written.is_some() {
            self.changed = false;
        }
    }
}
