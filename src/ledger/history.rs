//! Reading history: the facts of each commit that the §5 rules need, in a
//! topological order, parents first.
//!
//! This is the expensive, policy-independent half of the ledger: commit
//! headers, trailers, the math of each signature (checked against the key the
//! signature itself carries; whether that key is *trusted* is decided later,
//! against the policy in force), and which tracked paths each commit changed.
//! Everything here depends only on immutable commit contents.

use std::collections::{BTreeSet, HashMap};

use git2::{ObjectType, Oid};
use rayon::prelude::*;
use serde::{Deserialize, Serialize};

use crate::content::{self, WorkflowFacts};
use crate::error::{Diagnostic, Error, Result};
use crate::ledger::cache::HistoryCache;
use crate::ledger::policy::POLICY_DIR;
use crate::ledger::signature::{self, SignatureFormat, SshSignature, Verification};
use crate::ledger::trailers::{self, Malformed, Record};
use crate::ledger::trees::Trees;
use crate::repo::{Handles, Repo};

/// What kind of path an approval or change concerns.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
pub enum PathKind {
    /// `content/<column>/<slug>.md`: a blob.
    ArticleFile,
    /// `content/<column>/<slug>`: a tree holding index.md.
    ArticleBundle,
    /// `site.toml`: a blob.
    SiteFile,
    /// `themes/<name>`: a tree.
    Theme,
    /// `approvals`: a tree.
    Policy,
}

impl PathKind {
    /// Classify a path named in a trailer; `None` for paths nothing can approve.
    pub fn of_path(path: &str) -> Option<PathKind> {
        if path == "site.toml" {
            return Some(PathKind::SiteFile);
        }
        if path == POLICY_DIR {
            return Some(PathKind::Policy);
        }
        if let Some(name) = path.strip_prefix("themes/") {
            return (!name.is_empty() && !name.contains('/')).then_some(PathKind::Theme);
        }
        let inner = path.strip_prefix("content/")?;
        if inner.is_empty() {
            return None;
        }
        Some(if inner.ends_with(".md") {
            PathKind::ArticleFile
        } else {
            PathKind::ArticleBundle
        })
    }

    pub fn is_article(self) -> bool {
        matches!(self, PathKind::ArticleFile | PathKind::ArticleBundle)
    }

    fn object_type(self) -> ObjectType {
        match self {
            PathKind::ArticleFile | PathKind::SiteFile => ObjectType::Blob,
            _ => ObjectType::Tree,
        }
    }
}

/// The state of a commit's signature, before any policy is consulted.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub enum SignatureFacts {
    Unsigned,
    /// The signature verifies (namespace `git`) with the key it carries.
    Ssh {
        fingerprint: String,
    },
    /// Signed, but the signature does not verify.
    Bad {
        reason: String,
    },
    /// A signature format sanshen does not verify yet (OpenPGP, X.509).
    Unsupported {
        format: String,
    },
}

/// A path version named by a record, resolved against the repository.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Target {
    pub path: String,
    pub kind: PathKind,
    /// The object id approved (explicit, or the approving commit's own version).
    pub oid: String,
    /// Why the target is unusable (missing object, wrong kind), if it is.
    pub problem: Option<String>,
}

#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct RecordFacts {
    pub record: Record,
    /// For Approve and Return: what is named; None for a path nothing can approve.
    /// An object named by id is looked up on every run, never cached:
    /// whether it exists can change as history is fetched.
    #[serde(skip)]
    pub target: Option<Target>,
    /// The target as last resolved, cached with the commit. One taken from
    /// the approving commit's own tree is as immutable as the commit. One
    /// named by object id is reused only while that object is present (its
    /// kind cannot change, its presence can): otherwise resolved again.
    #[serde(default)]
    resolved: Option<Target>,
}

impl RecordFacts {
    /// A record with its target resolved by [`record_target`].
    pub fn new(record: Record, target: Option<Target>) -> RecordFacts {
        let resolved = target.clone();
        RecordFacts {
            record,
            target,
            resolved,
        }
    }
}

/// Does the record name its object by id (rather than by the approving commit's tree)?
fn names_object(record: &Record) -> bool {
    match record {
        Record::Approve { object_id, .. } | Record::Return { object_id, .. } => object_id.is_some(),
        Record::Withdraw { .. } => false,
    }
}

/// A change of a tracked path between a commit and its first parent.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct TrackedChange {
    pub path: String,
    pub kind: PathKind,
    /// New object id, or None when the path was deleted.
    pub oid: Option<String>,
}

#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct CommitFacts {
    pub id: String,
    pub parents: Vec<String>,
    pub author_name: String,
    pub author_email: String,
    /// Committer time (seconds since the epoch) and offset (minutes), for display only.
    pub time: i64,
    pub time_offset_minutes: i32,
    pub summary: String,
    pub signature: SignatureFacts,
    pub records: Vec<RecordFacts>,
    pub malformed: Vec<Malformed>,
    pub changes: Vec<TrackedChange>,
}

impl CommitFacts {
    /// Holds a commit's place in the walk until it is read (never seen
    /// outside this module: reading fills every one or fails).
    fn placeholder() -> CommitFacts {
        CommitFacts {
            id: String::new(),
            parents: Vec::new(),
            author_name: String::new(),
            author_email: String::new(),
            time: 0,
            time_offset_minutes: 0,
            summary: String::new(),
            signature: SignatureFacts::Unsigned,
            records: Vec::new(),
            malformed: Vec::new(),
            changes: Vec::new(),
        }
    }
}

/// What an approved version says that matters to the rules.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub enum VersionFacts {
    /// An article version: `None` when its front matter cannot be read at all.
    Article(Option<WorkflowFacts>),
    /// An `approvals/` version: the text of its policy.yaml, if present and UTF-8.
    Policy(Option<String>),
    Other,
}

/// The facts of every commit reachable from a revision.
#[derive(Debug, Clone)]
pub struct History {
    /// Topological order, parents first.
    pub commits: Vec<CommitFacts>,
    /// Indexes into `commits` of REV's first-parent chain, oldest first.
    pub main_line: Vec<usize>,
    /// Facts of the versions named by records, by object id.
    pub versions: HashMap<String, VersionFacts>,
    /// For each tracked path changed on the main line, the versions it had
    /// there in order, oldest first (`None`: deleted).
    pub main_line_versions: HashMap<String, Vec<Option<String>>>,
    /// How long reading took, by phase.
    pub timings: crate::timings::Timings,
}

impl History {
    /// Free what only the §5 fold and the reports read — each commit's
    /// records, changed paths, signature, author and message, and the facts
    /// of approved versions — keeping each commit's id, parents and time.
    /// `build` calls this once the verdict is reached: for a large portal
    /// these details are hundreds of megabytes that rendering would
    /// otherwise hold on to. Not for a history that is still to be folded
    /// or reported on.
    pub fn drop_commit_details(&mut self) {
        self.versions = HashMap::new();
        for commit in &mut self.commits {
            commit.records = Vec::new();
            commit.malformed = Vec::new();
            commit.changes = Vec::new();
            commit.author_name = String::new();
            commit.author_email = String::new();
            commit.summary = String::new();
            commit.signature = SignatureFacts::Unsupported {
                format: "(dropped after the ledger was evaluated)".into(),
            };
        }
    }

    /// The versions `path` had on the main line, oldest first.
    pub fn main_line_versions(&self, path: &str) -> &[Option<String>] {
        self.main_line_versions
            .get(path)
            .map(Vec::as_slice)
            .unwrap_or(&[])
    }
}

/// Read the facts of every commit reachable from `head` (and from `extra`
/// tips, for a trial merge; the main line is always `head`'s).
pub fn read(repo: &Repo, head: Oid, extra: &[Oid]) -> Result<History> {
    let mut timings = crate::timings::Timings::default();
    let mut cache = timings.measure("cache load", || HistoryCache::load(repo));
    let started = std::time::Instant::now();
    let tips: Vec<Oid> = std::iter::once(head).chain(extra.iter().copied()).collect();
    let Walk {
        mut commits,
        new,
        position,
    } = walk_parents_first(repo, &mut cache, &tips)?;
    timings.add("history walk (commit graph)", started.elapsed());
    let started = std::time::Instant::now();
    let work = WorkTimes::default();
    let fresh_positions = read_new_commits(repo, &mut commits, new, &work)?;
    timings.add(
        "new commits: trailers, changes, signatures",
        started.elapsed(),
    );
    timings.add_detail("changed paths (CPU, all threads)", work.changes.total());
    timings.add_detail(
        "signature verification (CPU, all threads)",
        work.signatures.total(),
    );
    if !fresh_positions.is_empty() {
        cache.learned_commit();
    }

    let mut main_line = Vec::new();
    let mut current = Some(head);
    while let Some(id) = current {
        let Some(&index) = position.get(&id) else {
            break;
        };
        main_line.push(index);
        current = commits[index]
            .parents
            .first()
            .and_then(|p| Oid::from_str(p).ok());
    }
    main_line.reverse();
    let mut main_line_versions: HashMap<String, Vec<Option<String>>> = HashMap::new();
    for &index in &main_line {
        for change in &commits[index].changes {
            main_line_versions
                .entry(change.path.clone())
                .or_default()
                .push(change.oid.clone());
        }
    }

    let started = std::time::Instant::now();
    let mut versions = HashMap::new();
    for commit in &commits {
        for record in &commit.records {
            if let Some(target) = &record.target
                && target.problem.is_none()
                && !versions.contains_key(&target.oid)
            {
                let facts = match cache.versions.get(&target.oid) {
                    Some(known) => known.clone(),
                    None => {
                        let facts = version_facts(repo, target)?;
                        cache.remember_version(&target.oid, &facts);
                        facts
                    }
                };
                versions.insert(target.oid.clone(), facts);
            }
        }
    }
    timings.add("approved versions' front matter", started.elapsed());
    timings.measure("cache save", || {
        cache.save(repo, &commits, &fresh_positions)
    });
    Ok(History {
        commits,
        main_line,
        versions,
        main_line_versions,
        timings,
    })
}

/// A commit on the walk's stack: one the cache knew, or one to read.
enum Slot {
    /// Boxed: a linear history is on the stack whole before the first
    /// commit is done, so a slot should be small.
    Known(Box<CommitFacts>),
    New {
        tree: Oid,
    },
}

/// The walk's result: every commit in order, those to read still
/// placeholders (see [`read_new_commits`]), and each commit's position.
struct Walk {
    commits: Vec<CommitFacts>,
    new: Vec<NewCommit>,
    position: HashMap<Oid, usize>,
}

/// Every commit reachable from `tips`, parents before children: a
/// depth-first post-order visiting parents in their recorded order, so the
/// order is a function of the history alone. Commits the cache knows are
/// taken from it with their parent lists; of the others only the header is
/// read here (their parents and tree), the rest by [`read_new_commits`].
fn walk_parents_first(repo: &Repo, cache: &mut HistoryCache, tips: &[Oid]) -> Result<Walk> {
    let odb = repo.git().odb().ok();
    let git = repo.git();
    let load = |cache: &mut HistoryCache, oid: Oid| -> Result<(Slot, Vec<Oid>)> {
        match cache.take_commit(oid) {
            Some(mut facts) => {
                resolve_targets(repo, odb.as_ref(), &mut facts);
                let parents = facts
                    .parents
                    .iter()
                    .map(|p| Oid::from_str(p).map_err(|e| git_error(repo, e)))
                    .collect::<Result<_>>()?;
                Ok((Slot::Known(Box::new(facts)), parents))
            }
            None => {
                let commit = git.find_commit(oid).map_err(|e| git_error(repo, e))?;
                let parents = commit.parent_ids().collect();
                let tree = commit.tree_id();
                Ok((Slot::New { tree }, parents))
            }
        }
    };
    let mut walk = Walk {
        commits: Vec::with_capacity(cache.commit_count()),
        new: Vec::new(),
        position: HashMap::new(),
    };
    let mut seen: std::collections::HashSet<Oid> = std::collections::HashSet::new();
    // Each stacked commit with its parents and the next parent to visit.
    let mut stack: Vec<(Oid, Slot, Vec<Oid>, usize)> = Vec::new();
    for &tip in tips {
        if seen.insert(tip) {
            let (slot, parents) = load(cache, tip)?;
            stack.push((tip, slot, parents, 0));
        }
        while let Some((_, _, parents, next)) = stack.last_mut() {
            match parents.get(*next).copied() {
                Some(parent) => {
                    *next += 1;
                    if seen.insert(parent) {
                        let (slot, parents) = load(cache, parent)?;
                        stack.push((parent, slot, parents, 0));
                    }
                }
                None => {
                    if let Some((oid, slot, parents, _)) = stack.pop() {
                        walk.done(repo, oid, slot, parents.first().copied())?;
                    }
                }
            }
        }
    }
    cache.forget_taken();
    Ok(walk)
}

impl Walk {
    /// Put a commit whose parents are all done in its place.
    fn done(&mut self, repo: &Repo, oid: Oid, slot: Slot, parent: Option<Oid>) -> Result<()> {
        let index = self.commits.len();
        self.position.insert(oid, index);
        match slot {
            Slot::Known(facts) => self.commits.push(*facts),
            Slot::New { tree } => {
                // The first parent is done already: a commit read now
                // (its tree is at hand) or one the cache knew (read its tree).
                let parent_tree = match parent {
                    None => None,
                    Some(parent) => Some(match self.new_tree(parent) {
                        Some(tree) => tree,
                        None => repo.commit_tree(parent)?,
                    }),
                };
                self.new.push(NewCommit {
                    index,
                    oid,
                    tree,
                    parent_tree,
                });
                self.commits.push(CommitFacts::placeholder());
            }
        }
        Ok(())
    }

    /// The tree of a commit of this walk that is to be read.
    fn new_tree(&self, oid: Oid) -> Option<Oid> {
        let index = *self.position.get(&oid)?;
        let found = self.new.binary_search_by_key(&index, |c| c.index).ok()?;
        Some(self.new[found].tree)
    }
}

/// CPU time spent on parts of reading new commits, summed over threads.
#[derive(Default)]
struct WorkTimes {
    changes: CpuTime,
    signatures: CpuTime,
}

#[derive(Default)]
struct CpuTime(std::sync::atomic::AtomicU64);

impl CpuTime {
    fn measure<T>(&self, work: impl FnOnce() -> T) -> T {
        let started = std::time::Instant::now();
        let result = work();
        let nanos = u64::try_from(started.elapsed().as_nanos()).unwrap_or(u64::MAX);
        self.0
            .fetch_add(nanos, std::sync::atomic::Ordering::Relaxed);
        result
    }

    fn total(&self) -> std::time::Duration {
        std::time::Duration::from_nanos(self.0.load(std::sync::atomic::Ordering::Relaxed))
    }
}

/// A commit to read: its place in the order, its tree and its first parent's.
struct NewCommit {
    index: usize,
    oid: Oid,
    tree: Oid,
    parent_tree: Option<Oid>,
}

/// New commits are read in runs of this many, each run by one thread, so
/// that consecutive commits (which share most of their trees) share a
/// thread's tree cache.
const RUN: usize = 512;

/// Read the facts of the commits the cache did not know — trailers, the
/// paths they change, their signatures' math — in parallel, each thread
/// with its own repository handle, into their places in `commits`. Returns
/// the positions of the commits read.
fn read_new_commits(
    repo: &Repo,
    commits: &mut [CommitFacts],
    new: Vec<NewCommit>,
    work: &WorkTimes,
) -> Result<Vec<usize>> {
    let readers: Handles<Trees> = Handles::new(repo.root());
    let runs: Vec<Result<Vec<CommitFacts>>> = new
        .par_chunks(RUN)
        .map(|run| {
            readers.with(|handle, trees| {
                run.iter()
                    .map(|commit| read_commit(handle, trees, commit, work))
                    .collect()
            })
        })
        .collect();
    let mut jobs = new.iter();
    for run in runs {
        // Each run holds the facts of its jobs, in order.
        for (facts, job) in run?.into_iter().zip(jobs.by_ref()) {
            commits[job.index] = facts;
        }
    }
    Ok(new.iter().map(|c| c.index).collect())
}

/// Resolve the targets of a cached commit's records: those named by object
/// id against this repository's objects, the others as cached.
fn resolve_targets(repo: &Repo, odb: Option<&git2::Odb<'_>>, facts: &mut CommitFacts) {
    for record in &mut facts.records {
        let cached_still_holds = match &record.resolved {
            _ if !names_object(&record.record) => true,
            Some(target) if target.problem.is_none() => Oid::from_str(&target.oid)
                .ok()
                .zip(odb)
                .is_some_and(|(oid, odb)| odb.exists(oid)),
            _ => false,
        };
        record.target = if cached_still_holds {
            record.resolved.clone()
        } else {
            record_target(repo, None, &record.record)
        };
    }
}

type RawSignature = Option<(Vec<u8>, Vec<u8>)>;

fn read_commit(
    repo: &Repo,
    trees: &mut Trees,
    new: &NewCommit,
    work: &WorkTimes,
) -> Result<CommitFacts> {
    let git = repo.git();
    let oid = new.oid;
    let commit = git.find_commit(oid).map_err(|e| git_error(repo, e))?;
    let message = String::from_utf8_lossy(commit.message_bytes()).into_owned();
    let author = commit.author();

    let (records, malformed) = trailers::approval_records(&trailers::parse_trailers(&message));
    let records = records
        .into_iter()
        .map(|record| {
            let target = record_target(repo, Some((&mut *trees, new.tree)), &record);
            RecordFacts::new(record, target)
        })
        .collect();

    let raw: RawSignature = match git.extract_signature(&oid, None) {
        Ok((sig, data)) => Some((sig.to_vec(), data.to_vec())),
        Err(err) if err.code() == git2::ErrorCode::NotFound => None,
        Err(err) => return Err(git_error(repo, err)),
    };
    let signature = work.signatures.measure(|| check_signature(raw.as_ref()));
    let changes = work
        .changes
        .measure(|| tracked_changes(repo, trees, new.parent_tree, new.tree))?;

    Ok(CommitFacts {
        id: oid.to_string(),
        parents: commit.parent_ids().map(|p| p.to_string()).collect(),
        author_name: String::from_utf8_lossy(author.name_bytes()).into_owned(),
        author_email: String::from_utf8_lossy(author.email_bytes()).into_owned(),
        time: commit.time().seconds(),
        time_offset_minutes: commit.time().offset_minutes(),
        summary: commit.summary().unwrap_or("").to_string(),
        signature,
        records,
        malformed,
        changes,
    })
}

fn check_signature(raw: Option<&(Vec<u8>, Vec<u8>)>) -> SignatureFacts {
    let Some((armored, data)) = raw else {
        return SignatureFacts::Unsigned;
    };
    match signature::signature_format(armored) {
        SignatureFormat::Ssh => {}
        SignatureFormat::OpenPgp => {
            return SignatureFacts::Unsupported {
                format: "OpenPGP".into(),
            };
        }
        SignatureFormat::X509 => {
            return SignatureFacts::Unsupported {
                format: "X.509".into(),
            };
        }
        SignatureFormat::Unknown => {
            return SignatureFacts::Bad {
                reason: "the signature is in an unknown format".into(),
            };
        }
    }
    match SshSignature::parse(armored) {
        Err(reason) => SignatureFacts::Bad { reason },
        Ok(signature) => match signature.verify_embedded(data) {
            Verification::Valid { fingerprint } => SignatureFacts::Ssh { fingerprint },
            Verification::Invalid { reason } => SignatureFacts::Bad { reason },
        },
    }
}

/// Normalise a trailer path: no leading `./`, no trailing `/`; refuse `..` and absolute paths.
fn clean_path(path: &str) -> Option<String> {
    let path = path.trim().trim_start_matches("./").trim_end_matches('/');
    if path.is_empty()
        || path.starts_with('/')
        || path
            .split('/')
            .any(|seg| seg.is_empty() || seg == "." || seg == "..")
    {
        return None;
    }
    Some(path.to_string())
}

/// Resolve what a record names: the object id it gives, or else the path's
/// entry in `tree`, the approving commit's tree (read through `Trees`).
pub fn record_target(
    repo: &Repo,
    tree: Option<(&mut Trees, Oid)>,
    record: &Record,
) -> Option<Target> {
    let (path, explicit) = match record {
        Record::Approve {
            path, object_id, ..
        }
        | Record::Return {
            path, object_id, ..
        } => (path, object_id.as_deref()),
        Record::Withdraw { .. } => return None,
    };
    let path = clean_path(path)?;
    let kind = PathKind::of_path(&path)?;
    let git = repo.git();
    let (oid, problem) = match explicit {
        Some(hex) => match Oid::from_str(hex) {
            Err(_) => (
                hex.to_string(),
                Some(format!("`{hex}` is not an object id")),
            ),
            // The header says whether the object exists and its kind without
            // inflating (and hashing) the whole object.
            Ok(oid) => match git.odb().and_then(|odb| odb.read_header(oid)) {
                Err(_) => (
                    hex.to_string(),
                    Some(format!("object {hex} does not exist in this repository")),
                ),
                Ok((_, object_kind)) if object_kind != kind.object_type() => (
                    hex.to_string(),
                    Some(format!(
                        "object {hex} is a {}, but {path} needs a {}",
                        kind_name(Some(object_kind)),
                        kind_name(Some(kind.object_type()))
                    )),
                ),
                Ok(_) => (oid.to_string(), None),
            },
        },
        None => match tree.map(|(trees, root)| trees.entry(repo, root, &path)) {
            None => (
                String::new(),
                Some(format!(
                    "{path}: the approving commit's tree is not available"
                )),
            ),
            Some(found) => match found {
                Ok(Some(entry)) if entry.kind == kind.object_type() => {
                    (entry.oid.to_string(), None)
                }
                Ok(Some(entry)) => (
                    entry.oid.to_string(),
                    Some(format!(
                        "{path} is a {} in the approving commit, but must be a {}",
                        kind_name(Some(entry.kind)),
                        kind_name(Some(kind.object_type()))
                    )),
                ),
                Ok(None) | Err(_) => (
                    String::new(),
                    Some(format!(
                        "{path} does not exist in the approving commit; name the object id"
                    )),
                ),
            },
        },
    };
    Some(Target {
        path,
        kind,
        oid,
        problem,
    })
}

fn kind_name(kind: Option<ObjectType>) -> &'static str {
    match kind {
        Some(ObjectType::Blob) => "file (blob)",
        Some(ObjectType::Tree) => "folder (tree)",
        Some(ObjectType::Commit) => "commit",
        Some(ObjectType::Tag) => "tag",
        _ => "unknown object",
    }
}

/// Tracked paths (articles, site.toml, themes/<name>, approvals) whose object
/// differs between the first parent's tree and this tree.
pub fn tracked_changes(
    repo: &Repo,
    trees: &mut Trees,
    parent: Option<Oid>,
    tree: Oid,
) -> Result<Vec<TrackedChange>> {
    if parent == Some(tree) {
        return Ok(Vec::new());
    }
    let files = trees.changed_files(repo, parent, tree)?;
    // Whether a folder is a bundle (holds index.md) on either side; asked
    // for each folder above a changed file, so answers are kept.
    let mut bundles: HashMap<String, bool> = HashMap::new();
    let mut touched: BTreeSet<(String, PathKind)> = BTreeSet::new();
    for file in &files {
        let mut failure = None;
        let mut is_bundle = |dir: &str| -> bool {
            if let Some(&known) = bundles.get(dir) {
                return known;
            }
            let index = format!("{dir}/{}", content::BUNDLE_INDEX);
            let found = [Some(tree), parent].into_iter().flatten().any(|root| {
                match trees.entry(repo, root, &index) {
                    Ok(entry) => entry.is_some(),
                    Err(err) => {
                        failure.get_or_insert(err);
                        false
                    }
                }
            });
            bundles.insert(dir.to_string(), found);
            found
        };
        let found = tracked_path_of(file, &mut is_bundle);
        if let Some(err) = failure {
            return Err(err);
        }
        if let Some(found) = found {
            touched.insert(found);
        }
    }
    let mut changes = Vec::with_capacity(touched.len());
    for (path, kind) in touched {
        let now = trees.entry(repo, tree, &path)?.map(|e| e.oid);
        let before = match parent {
            Some(parent) => trees.entry(repo, parent, &path)?.map(|e| e.oid),
            None => None,
        };
        if now != before {
            changes.push(TrackedChange {
                path,
                kind,
                oid: now.map(|o| o.to_string()),
            });
        }
    }
    Ok(changes)
}

/// The tracked path a changed file belongs to.
fn tracked_path_of(
    file: &str,
    is_bundle: &mut impl FnMut(&str) -> bool,
) -> Option<(String, PathKind)> {
    if file == "site.toml" {
        return Some((file.to_string(), PathKind::SiteFile));
    }
    if file.starts_with("approvals/") {
        return Some((POLICY_DIR.to_string(), PathKind::Policy));
    }
    if let Some(rest) = file.strip_prefix("themes/") {
        let name = rest.split('/').next()?;
        return (rest.contains('/')).then(|| (format!("themes/{name}"), PathKind::Theme));
    }
    let article = content::article_path_of(file, is_bundle)?;
    let kind = if article.bundle {
        PathKind::ArticleBundle
    } else {
        PathKind::ArticleFile
    };
    Some((article.path, kind))
}

pub fn version_facts(repo: &Repo, target: &Target) -> Result<VersionFacts> {
    let git = repo.git();
    let Ok(oid) = Oid::from_str(&target.oid) else {
        return Ok(VersionFacts::Other);
    };
    Ok(match target.kind {
        PathKind::ArticleFile => {
            VersionFacts::Article(content::frontmatter::workflow_facts(&repo.blob(oid)?))
        }
        PathKind::ArticleBundle => {
            let tree = git.find_tree(oid).map_err(|e| git_error(repo, e))?;
            let facts = match tree.get_name(content::BUNDLE_INDEX) {
                Some(entry) if entry.kind() == Some(ObjectType::Blob) => {
                    content::frontmatter::workflow_facts(&repo.blob(entry.id())?)
                }
                _ => None,
            };
            VersionFacts::Article(facts)
        }
        PathKind::Policy => {
            let tree = git.find_tree(oid).map_err(|e| git_error(repo, e))?;
            let text = match tree.get_name("policy.yaml") {
                Some(entry) if entry.kind() == Some(ObjectType::Blob) => {
                    content::encoding::decode_text(&repo.blob(entry.id())?).ok()
                }
                _ => None,
            };
            VersionFacts::Policy(text)
        }
        PathKind::SiteFile | PathKind::Theme => VersionFacts::Other,
    })
}

fn git_error(repo: &Repo, err: git2::Error) -> Error {
    Error::config(
        Diagnostic::in_file(
            repo.root().display().to_string(),
            format!("reading history failed: {}", err.message()),
        )
        .with_help("the repository may be corrupt or incomplete: run `git fsck`; a corrupted object is never trusted"),
    )
}
