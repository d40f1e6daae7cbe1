//! Reading history: the facts of each commit that the §5 rules need, in a
//! topological order, parents first, and the commit graph
//! ([`Graph`](crate::ledger::graph::Graph)) the rules ask "before?" of.
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

use crate::content::{self, ReviewFacts};
use crate::error::{Diagnostic, Error, Result};
use crate::ledger::cache::HistoryCache;
use crate::ledger::graph::{CommitIx, Graph};
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
    /// For Withdraw: every path it takes down, with its version in the
    /// withdrawing commit — the path named, and each bundle folder holding
    /// it (SPEC §5 rule 7: naming a file inside a bundle withdraws the
    /// bundle). Read from the commit's own tree: as immutable as the commit.
    #[serde(default)]
    pub withdraws: Vec<Target>,
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
            withdraws: Vec::new(),
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

/// A tracked path whose object in a commit differs from its object in at
/// least one parent (every tracked path of a root commit). Which parent is
/// first plays no part: the same merge lists the same changes whatever the
/// order of its parents.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct TrackedChange {
    pub path: String,
    pub kind: PathKind,
    /// The object at the path in this commit; `None`: removed here (present
    /// in a parent, absent in this commit).
    pub oid: Option<String>,
    /// No parent has this object at this path: this commit made it the
    /// path's content (SPEC §5 rules 5 and 7).
    pub new: bool,
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

/// What a version says that matters to the rules.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub enum VersionFacts {
    /// An article version: its review facts, or why its front matter is
    /// unreadable (then it has no workflow and can never be approved).
    Article(Result<ReviewFacts, crate::error::Diagnostic>),
    /// An `approvals/` version: the files directly in the folder.
    Policy(PolicyFiles),
    Other,
}

/// The files of an `approvals/` version: policy.yaml and the lists it
/// names (SPEC §4 `checks:`), which are part of the policy.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct PolicyFiles {
    /// File name → its text, or why it cannot be read (not UTF-8, too large).
    pub files: std::collections::BTreeMap<String, Result<String, String>>,
}

impl PolicyFiles {
    pub fn policy_text(&self) -> Option<&Result<String, String>> {
        self.files.get(crate::ledger::policy::POLICY_FILE_NAME)
    }
}

/// Files larger than this in `approvals/` are not read as policy text.
const POLICY_FILE_LIMIT: usize = 8 << 20;

/// The facts of every commit reachable from a revision.
#[derive(Debug, Clone)]
pub struct History {
    /// Topological order, parents first; `commits[i]` is commit `CommitIx(i)`.
    pub commits: Vec<CommitFacts>,
    /// Parents, children and ancestry of the commits.
    pub graph: Graph,
    /// The revision evaluated: every commit is in its history.
    pub head: CommitIx,
    /// Facts of the versions named by records and of every `approvals/`
    /// version in history, by object id.
    pub versions: HashMap<String, VersionFacts>,
    /// How long reading took, by phase.
    pub timings: crate::timings::Timings,
}

impl History {
    /// An in-memory history (tests, the approval trial): commits in
    /// topological order, the last one the revision evaluated. `None` when a
    /// parent is missing or comes after its child.
    pub fn from_commits(
        commits: Vec<CommitFacts>,
        versions: HashMap<String, VersionFacts>,
    ) -> Option<History> {
        let position: HashMap<&str, u32> = commits
            .iter()
            .enumerate()
            .map(|(i, c)| (c.id.as_str(), i as u32))
            .collect();
        let parents: Vec<Vec<u32>> = commits
            .iter()
            .map(|c| {
                c.parents
                    .iter()
                    .map(|p| position.get(p.as_str()).copied())
                    .collect::<Option<Vec<u32>>>()
            })
            .collect::<Option<_>>()?;
        let graph = Graph::new(&parents)?;
        let head = CommitIx(u32::try_from(commits.len().checked_sub(1)?).ok()?);
        Some(History {
            commits,
            graph,
            head,
            versions,
            timings: Default::default(),
        })
    }

    pub fn commit(&self, at: CommitIx) -> &CommitFacts {
        &self.commits[at.index()]
    }

    /// Where a commit id is, if it is in this history.
    pub fn position(&self, id: &str) -> Option<CommitIx> {
        self.commits
            .iter()
            .position(|c| c.id == id)
            .map(|i| CommitIx(i as u32))
    }

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
}

/// Read the facts of every commit reachable from `tips` (the revision, and
/// for a trial merge the branch to be merged). With one tip, it is the
/// history's head; with several, the caller adds the commit that joins them.
pub fn read(repo: &Repo, tips: &[Oid]) -> Result<History> {
    let mut timings = crate::timings::Timings::default();
    let mut cache = timings.measure("cache load", || HistoryCache::load(repo));
    let started = std::time::Instant::now();
    let Walk {
        mut commits,
        new,
        position,
    } = walk_parents_first(repo, &mut cache, tips)?;
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

    let started = std::time::Instant::now();
    let parents: Vec<Vec<u32>> = commits
        .iter()
        .map(|c| {
            c.parents
                .iter()
                .filter_map(|p| Oid::from_str(p).ok())
                .filter_map(|p| position.get(&p).map(|&i| i as u32))
                .collect()
        })
        .collect();
    drop(position);
    let graph = Graph::new(&parents).ok_or_else(|| {
        Error::config(Diagnostic::in_file(
            repo.root().display().to_string(),
            "reading history failed: a commit comes before one of its parents",
        ))
    })?;
    drop(parents);
    timings.add("ancestry labels", started.elapsed());

    let started = std::time::Instant::now();
    let mut versions = HashMap::new();
    for commit in &commits {
        let named = commit
            .records
            .iter()
            .flat_map(|r| r.target.iter().chain(&r.withdraws))
            .filter(|t| t.problem.is_none() && !t.oid.is_empty());
        // Every approvals/ version in history: the trust root and each
        // candidate policy are read from them.
        let policies = commit
            .changes
            .iter()
            .filter(|c| c.kind == PathKind::Policy && c.new)
            .filter_map(|c| c.oid.as_ref().map(|oid| (oid, PathKind::Policy)));
        let wanted = named
            .map(|t| (&t.oid, t.kind))
            .chain(policies)
            .collect::<Vec<_>>();
        for (oid, kind) in wanted {
            if versions.contains_key(oid) {
                continue;
            }
            let facts = match cache.versions.get(oid) {
                Some(known) => known.clone(),
                None => {
                    let facts = version_facts(repo, kind, oid)?;
                    cache.remember_version(oid, &facts);
                    facts
                }
            };
            versions.insert(oid.clone(), facts);
        }
    }
    timings.add("versions' front matter and policies", started.elapsed());
    timings.measure("cache save", || {
        cache.save(repo, &commits, &fresh_positions)
    });
    let head = CommitIx(u32::try_from(commits.len().saturating_sub(1)).unwrap_or(u32::MAX));
    Ok(History {
        commits,
        graph,
        head,
        versions,
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
                        walk.done(repo, oid, slot, &parents)?;
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
    fn done(&mut self, repo: &Repo, oid: Oid, slot: Slot, parents: &[Oid]) -> Result<()> {
        let index = self.commits.len();
        self.position.insert(oid, index);
        match slot {
            Slot::Known(facts) => self.commits.push(*facts),
            Slot::New { tree } => {
                // The parents are done already: commits read now (their
                // trees are at hand) or ones the cache knew (read their trees).
                let mut parent_trees = Vec::with_capacity(parents.len());
                for &parent in parents {
                    parent_trees.push(match self.new_tree(parent) {
                        Some(tree) => tree,
                        None => repo.commit_tree(parent)?,
                    });
                }
                self.new.push(NewCommit {
                    index,
                    oid,
                    tree,
                    parent_trees,
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

/// A commit to read: its place in the order, its tree and its parents'.
struct NewCommit {
    index: usize,
    oid: Oid,
    tree: Oid,
    parent_trees: Vec<Oid>,
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
    // Exactly as many as there are: a history holds hundreds of thousands of
    // records, and collecting through `Result` would reserve room for four.
    let mut facts = Vec::with_capacity(records.len());
    for record in records {
        facts.push(record_facts(repo, trees, new.tree, record)?);
    }
    let records = facts;

    let raw: RawSignature = match git.extract_signature(&oid, None) {
        Ok((sig, data)) => Some((sig.to_vec(), data.to_vec())),
        Err(err) if err.code() == git2::ErrorCode::NotFound => None,
        Err(err) => return Err(git_error(repo, err)),
    };
    let signature = work.signatures.measure(|| check_signature(raw.as_ref()));
    let changes = work
        .changes
        .measure(|| tracked_changes(repo, trees, &new.parent_trees, new.tree))?;

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

/// A record with what it names resolved against the recording commit's
/// tree `tree`.
pub fn record_facts(
    repo: &Repo,
    trees: &mut Trees,
    tree: Oid,
    record: Record,
) -> Result<RecordFacts> {
    let target = record_target(repo, Some((&mut *trees, tree)), &record);
    let withdraws = match &record {
        Record::Withdraw { path, .. } => withdraw_targets(repo, trees, tree, path)?,
        _ => Vec::new(),
    };
    let mut facts = RecordFacts::new(record, target);
    facts.withdraws = withdraws;
    Ok(facts)
}

/// Every path a `Withdraw: <written>` takes down, each with its version in
/// the withdrawing commit's tree: the path named (a bundle's `index.md`
/// names the bundle) and every bundle folder that holds it.
fn withdraw_targets(
    repo: &Repo,
    trees: &mut Trees,
    tree: Oid,
    written: &str,
) -> Result<Vec<Target>> {
    let Some(path) = clean_path(written) else {
        return Ok(Vec::new());
    };
    let mut paths: Vec<(String, PathKind)> = Vec::new();
    let named = match path.strip_suffix(&format!("/{}", content::BUNDLE_INDEX)) {
        Some(folder) if folder.starts_with("content/") => folder.to_string(),
        _ => path.clone(),
    };
    if let Some(kind) = PathKind::of_path(&named) {
        paths.push((named.clone(), kind));
    }
    if path.starts_with("content/") {
        for folder in enclosing_folders(&path) {
            if folder != named && is_bundle_in(repo, trees, tree, folder)? {
                paths.push((folder.to_string(), PathKind::ArticleBundle));
            }
        }
    }
    let mut targets = Vec::with_capacity(paths.len());
    for (path, kind) in paths {
        let oid = trees
            .entry(repo, tree, &path)?
            .filter(|item| item.kind == kind.object_type())
            .map(|item| item.oid.to_string())
            .unwrap_or_default();
        targets.push(Target {
            path,
            kind,
            oid,
            problem: None,
        });
    }
    Ok(targets)
}

/// The folders below `content/` that hold `path`: `content/a/b/c.md` →
/// `content/a`, `content/a/b`.
fn enclosing_folders(path: &str) -> impl Iterator<Item = &str> {
    path.char_indices()
        .filter(|&(i, c)| c == '/' && i > content::CONTENT_DIR.len())
        .map(move |(i, _)| &path[..i])
}

/// The outermost bundle folder (one holding `index.md`) that holds `path`
/// in the tree, if any.
pub fn bundle_holding(repo: &Repo, trees: &mut Trees, tree: Oid, path: &str) -> Option<String> {
    enclosing_folders(path)
        .find(|folder| is_bundle_in(repo, trees, tree, folder).unwrap_or(false))
        .map(str::to_string)
}

/// Does `folder` hold an `index.md` in the tree?
fn is_bundle_in(repo: &Repo, trees: &mut Trees, tree: Oid, folder: &str) -> Result<bool> {
    let index = format!("{folder}/{}", content::BUNDLE_INDEX);
    Ok(trees
        .entry(repo, tree, &index)?
        .is_some_and(|item| item.kind == ObjectType::Blob))
}

/// Resolve what a record names: the object id it gives, or else the path's
/// entry in `tree`, the approving commit's tree (read through `Trees`).
pub fn record_target(
    repo: &Repo,
    mut tree: Option<(&mut Trees, Oid)>,
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
    // A file inside a bundle is never an article of its own: the bundle
    // folder is, and its approval covers every file in it. Asked where the
    // path is looked up in the commit's tree anyway (its folders are read);
    // an approval by object id is refused at `approve` time instead.
    let inside_bundle = match &mut tree {
        Some((trees, root)) if kind.is_article() && explicit.is_none() => {
            bundle_holding(repo, trees, *root, &path)
        }
        _ => None,
    };
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
    let problem = problem.or_else(|| {
        inside_bundle.map(|bundle| {
            format!("{path} is a file inside the bundle {bundle}: approve the bundle folder, which covers every file in it")
        })
    });
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

/// Tracked paths (articles, site.toml, themes/<name>, approvals) whose
/// object in `tree` differs from their object in at least one of `parents`'
/// trees; for a root commit (no parents), every tracked path.
pub fn tracked_changes(
    repo: &Repo,
    trees: &mut Trees,
    parents: &[Oid],
    tree: Oid,
) -> Result<Vec<TrackedChange>> {
    if parents.contains(&tree) && parents.iter().all(|p| *p == tree) {
        return Ok(Vec::new());
    }
    let sides: Vec<Option<Oid>> = if parents.is_empty() {
        vec![None]
    } else {
        parents.iter().copied().map(Some).collect()
    };
    let mut files = std::collections::BTreeSet::new();
    for parent in &sides {
        files.extend(trees.changed_files(repo, *parent, tree)?);
    }
    // Whether a folder is a bundle (holds index.md) on any side; asked
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
            let found = std::iter::once(Some(tree))
                .chain(sides.iter().copied())
                .flatten()
                .any(|root| match trees.entry(repo, root, &index) {
                    Ok(entry) => entry.is_some(),
                    Err(err) => {
                        failure.get_or_insert(err);
                        false
                    }
                });
            bundles.insert(dir.to_string(), found);
            found
        };
        let found = tracked_paths_of(file, &mut is_bundle);
        if let Some(err) = failure {
            return Err(err);
        }
        touched.extend(found);
    }
    let mut changes = Vec::with_capacity(touched.len());
    for (path, kind) in touched {
        let now = trees.entry(repo, tree, &path)?.map(|e| e.oid);
        let mut before = Vec::with_capacity(sides.len());
        for parent in &sides {
            before.push(match parent {
                Some(parent) => trees.entry(repo, *parent, &path)?.map(|e| e.oid),
                None => None,
            });
        }
        if before.iter().any(|b| *b != now) {
            changes.push(TrackedChange {
                path,
                kind,
                new: now.is_some() && !before.contains(&now),
                oid: now.map(|o| o.to_string()),
            });
        }
    }
    Ok(changes)
}

/// Every tracked path a changed file may belong to. A Markdown file is an
/// article of its own *and* part of each bundle folder that holds it: which
/// reading applies is decided at publication, and a draft `index.md` put
/// into a column folder must not hide the changes (a deletion, a new
/// version) of the articles beside it.
fn tracked_paths_of(
    file: &str,
    is_bundle: &mut impl FnMut(&str) -> bool,
) -> Vec<(String, PathKind)> {
    if file == "site.toml" {
        return vec![(file.to_string(), PathKind::SiteFile)];
    }
    if file.starts_with("approvals/") {
        return vec![(POLICY_DIR.to_string(), PathKind::Policy)];
    }
    if let Some(rest) = file.strip_prefix("themes/") {
        let Some((name, _)) = rest.split_once('/') else {
            return Vec::new();
        };
        return vec![(format!("themes/{name}"), PathKind::Theme)];
    }
    if !file.starts_with("content/") {
        return Vec::new();
    }
    let mut paths: Vec<(String, PathKind)> = enclosing_folders(file)
        .filter(|folder| is_bundle(folder))
        .map(|folder| (folder.to_string(), PathKind::ArticleBundle))
        .collect();
    let name = file.rsplit('/').next().unwrap_or(file);
    if file.ends_with(".md") && name != content::BUNDLE_INDEX {
        paths.push((file.to_string(), PathKind::ArticleFile));
    }
    paths
}

/// Read what the rules need of the version `oid` of a path of `kind`.
pub fn version_facts(repo: &Repo, kind: PathKind, oid: &str) -> Result<VersionFacts> {
    let git = repo.git();
    let Ok(oid) = Oid::from_str(oid) else {
        return Ok(VersionFacts::Other);
    };
    let article = |bytes: &[u8], file: &str| content::frontmatter::review_facts(file, bytes);
    Ok(match kind {
        PathKind::ArticleFile => VersionFacts::Article(article(&repo.blob(oid)?, "")),
        PathKind::ArticleBundle => {
            let tree = git.find_tree(oid).map_err(|e| git_error(repo, e))?;
            VersionFacts::Article(match tree.get_name(content::BUNDLE_INDEX) {
                Some(entry) if entry.kind() == Some(ObjectType::Blob) => {
                    article(&repo.blob(entry.id())?, "")
                }
                _ => Err(crate::error::Diagnostic::new(
                    "the bundle folder has no index.md",
                )),
            })
        }
        PathKind::Policy => {
            let tree = git.find_tree(oid).map_err(|e| git_error(repo, e))?;
            let mut files = PolicyFiles::default();
            for entry in tree.iter() {
                let (Some(name), Some(ObjectType::Blob)) = (entry.name(), entry.kind()) else {
                    continue;
                };
                let bytes = repo.blob(entry.id())?;
                let text = if bytes.len() > POLICY_FILE_LIMIT {
                    Err(format!("is larger than {} MiB", POLICY_FILE_LIMIT >> 20))
                } else {
                    content::encoding::decode_text(&bytes)
                };
                files.files.insert(name.to_string(), text);
            }
            VersionFacts::Policy(files)
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
