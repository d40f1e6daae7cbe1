//! What was decided about each approved version, remembered between builds.
//!
//! Deciding whether an approved version may go online means reading its
//! file, parsing its front matter and running the blocking content rules
//! over its text and attachments — for a site of ten thousand articles,
//! most of a rebuild. The outcome is a pure function of inputs that can be
//! named exactly:
//!
//! - the version itself: path, object id, the Markdown blob and every asset
//!   blob (object ids name immutable content);
//! - the approved site.toml (time zone, columns, rule settings, language),
//!   the units of the policy in force, the word lists' blobs;
//! - when each version of the path completed its workflow (`backdated` and
//!   `late` compare the date with the first of them);
//! - this build of sanshen (its rules).
//!
//! The memo key is a SHA-256 over all of them, so any change among them
//! misses the memo and the version is judged again; nothing that depends on
//! the clock is remembered (scheduled and expired are decided on every run
//! from the remembered front matter). The memo lives in `.git/sanshen/`
//! like the history cache, is trusted like the build machine, and a missing
//! or foreign one only costs speed. `--no-cache` bypasses it.

use std::collections::HashMap;
use std::path::PathBuf;
use std::sync::Mutex;

use serde::{Deserialize, Serialize};
use sha2::{Digest, Sha256};

use crate::content::{ArticleRef, FrontMatter};
use crate::publish::Reason;
use crate::repo::Repo;

/// Bump when what a decision covers, or how it is stored, changes.
const FORMAT: &str = concat!("sanshen-versions-3/", env!("CARGO_PKG_VERSION"), "\n");

/// The decision about one approved version, before the clock is consulted.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub enum Judgement {
    /// The version cannot be read or validated: it is held back for this reason.
    Invalid(Reason),
    /// Valid front matter, and the blocking rules' findings (empty: none).
    Valid {
        front: std::sync::Arc<FrontMatter>,
        body_line: usize,
        blocking: Vec<Reason>,
    },
}

/// The remembered decisions of the previous run and those of this one.
pub struct VersionMemo {
    /// Where the memo is kept; `None` when caching is off.
    file: Option<PathBuf>,
    /// A digest of everything outside the version that decisions depend on.
    context: [u8; 32],
    previous: HashMap<String, Judgement>,
    /// Keys of the remembered decisions this run used, and the decisions it
    /// made: together, the next memo.
    used: Mutex<Vec<String>>,
    learned: Mutex<HashMap<String, Judgement>>,
}

impl VersionMemo {
    /// The memo of `repo`, for decisions made in `context` (see the module
    /// comment): the approved site.toml's id, the policy's units, the word
    /// lists' ids, each as a separate part.
    pub fn open(repo: &Repo, context: &[&str]) -> VersionMemo {
        let file = repo
            .cache_enabled()
            .then(|| repo.git().path().join("sanshen").join("versions.bin"));
        let previous = file
            .as_ref()
            .and_then(|file| crate::cache_file::read::<Vec<(String, Judgement)>>(file, FORMAT))
            .map(|entries| entries.into_iter().collect())
            .unwrap_or_default();
        let mut digest = Sha256::new();
        digest.update(FORMAT.as_bytes());
        for part in context {
            hash_part(&mut digest, part);
        }
        VersionMemo {
            file,
            context: digest.finalize().into(),
            previous,
            used: Mutex::new(Vec::new()),
            learned: Mutex::new(HashMap::new()),
        }
    }

    /// The key of `version`, whose path's versions completed their workflows
    /// at `completions` (object id, time).
    pub fn key(&self, version: &ArticleRef, completions: &[(String, i64)]) -> String {
        let mut digest = Sha256::new();
        digest.update(self.context);
        hash_part(&mut digest, &version.path.path);
        hash_part(
            &mut digest,
            if version.path.bundle {
                "bundle"
            } else {
                "file"
            },
        );
        hash_part(&mut digest, &version.oid);
        hash_part(&mut digest, &version.markdown_oid);
        for (name, oid) in &version.assets {
            hash_part(&mut digest, name);
            hash_part(&mut digest, oid);
        }
        for (oid, time) in completions {
            hash_part(&mut digest, oid);
            hash_part(&mut digest, &time.to_string());
        }
        crate::cache_file::hex(&digest.finalize())
    }

    /// The remembered decision for `key`, if any.
    pub fn recall(&self, key: &str) -> Option<Judgement> {
        self.file.as_ref()?;
        let judgement = self.previous.get(key)?.clone();
        if let Ok(mut used) = self.used.lock() {
            used.push(key.to_string());
        }
        Some(judgement)
    }

    /// Remember a decision made now.
    pub fn remember(&self, key: String, judgement: &Judgement) {
        if self.file.is_none() {
            return;
        }
        if let Ok(mut learned) = self.learned.lock() {
            learned.insert(key, judgement.clone());
        }
    }

    /// Keep this run's decisions for the next one (only those used, so the
    /// memo does not grow with every version ever built). Failure only
    /// costs speed.
    pub fn save(self) {
        let Some(file) = self.file else { return };
        let (Ok(mut used), Ok(learned)) = (self.used.into_inner(), self.learned.into_inner())
        else {
            return;
        };
        used.sort();
        used.dedup();
        if learned.is_empty() && used.len() == self.previous.len() {
            return;
        }
        let mut entries: Vec<(&String, &Judgement)> = used
            .iter()
            .filter_map(|key| self.previous.get_key_value(key))
            .chain(learned.iter())
            .collect();
        entries.sort_by(|a, b| a.0.cmp(b.0));
        entries.dedup_by(|a, b| a.0 == b.0);
        crate::cache_file::write(&file, FORMAT, &entries, "");
    }
}

/// Hash a part with its length, so parts cannot run into each other.
fn hash_part(digest: &mut Sha256, part: &str) {
    digest.update((part.len() as u64).to_le_bytes());
    digest.update(part.as_bytes());
}
