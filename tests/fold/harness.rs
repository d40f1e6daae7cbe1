//! Histories built in memory, evaluated by the real §5 rules, rendered for
//! people.
//!
//! A [`Scenario`] is a set of named commits with parents, signers, trees
//! (path → version label) and records; the harness turns it into the same
//! facts the history reader produces from git (changed paths against every
//! parent, targets resolved against the commit's tree) and runs
//! [`sanshen::ledger::evaluate`] on them. No repository, no keys on disk:
//! a scenario runs in milliseconds. [`render`] prints what was decided per
//! path and version, with commit names instead of ids, for snapshot files
//! a reviewer reads.

use std::collections::{BTreeMap, BTreeSet, HashMap};
use std::fmt::Write as _;

use sanshen::content::{ArticleType, Importance, ReviewFacts};
use sanshen::error::Diagnostic;
use sanshen::ledger::history::{
    CommitFacts, History, PathKind, PolicyFiles, RecordFacts, SignatureFacts, Target,
    TrackedChange, VersionFacts,
};
use sanshen::ledger::trailers::Record;
use sanshen::ledger::trust::{RootChoice, TrustError};
use sanshen::ledger::verdict::Verdict;
use sha2::{Digest, Sha256};

/// A 40-hex id derived from a name: stable across runs.
pub fn hex_id(seed: &str) -> String {
    let digest = Sha256::digest(seed.as_bytes());
    digest.iter().take(20).map(|b| format!("{b:02x}")).collect()
}

/// A person of the cast: id, name, address and an SSH key derived from the id.
#[derive(Debug, Clone)]
pub struct Person {
    pub id: &'static str,
    pub name: &'static str,
    pub email: String,
    pub unit: Option<&'static str>,
    pub key_line: String,
    pub fingerprint: String,
}

/// A public key line and its fingerprint, derived from `seed` (no secret:
/// the fold never verifies a signature, it is told who signed).
pub fn key_for(seed: &str) -> (String, String) {
    let digest = Sha256::digest(format!("key:{seed}").as_bytes());
    let mut bytes = [0u8; 32];
    bytes.copy_from_slice(&digest);
    let data = ssh_key::public::KeyData::Ed25519(ssh_key::public::Ed25519PublicKey(bytes));
    let key = ssh_key::PublicKey::new(data, seed);
    let line = key.to_openssh().expect("an OpenSSH line");
    let fingerprint = key.fingerprint(ssh_key::HashAlg::Sha256).to_string();
    (line, fingerprint)
}

fn person(id: &'static str, name: &'static str, unit: Option<&'static str>) -> Person {
    let (key_line, fingerprint) = key_for(id);
    Person {
        id,
        name,
        email: format!("{id}@kx.example"),
        unit,
        key_line,
        fingerprint,
    }
}

/// The people of SPEC §4's example.
pub fn cast() -> Vec<Person> {
    vec![
        person("wangfang", "王芳", Some("kepu")),
        person("zhangsan", "张三", Some("office")),
        person("lihua", "李华", Some("kepu")),
        person("liuqiang", "刘强", Some("xuehui")),
        person("zhaolei", "赵磊", None),
        person("chenjun", "陈军", None),
        person("zhouyi", "周毅", None),
        person("wugang", "吴刚", None),
        person("sunli", "孙丽", None),
        person("heli", "何力", None),
        person("qianwei", "钱伟", None),
    ]
}

/// A role member: person and, when scoped, units.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Member {
    pub person: String,
    pub units: Option<Vec<String>>,
}

/// A stage: id, role, threshold.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct StageSpec {
    pub id: String,
    pub role: String,
    pub threshold: usize,
}

/// A rule: what it matches and the workflow it chooses.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RuleSpec {
    pub kind: Option<ArticleType>,
    pub importance: Option<Importance>,
    pub workflow: String,
}

/// A policy as data: rendered to policy.yaml for the ledger, read directly
/// by the tests' reference model.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PolicySpec {
    pub version: u64,
    pub units: Vec<String>,
    /// Person id → keys (lines and fingerprints).
    pub keys: BTreeMap<String, Vec<(String, String)>>,
    pub roles: BTreeMap<String, Vec<Member>>,
    pub workflows: BTreeMap<String, Vec<StageSpec>>,
    pub rules: Vec<RuleSpec>,
    pub distinct_approvers: bool,
    pub author_may_approve: bool,
    pub withdraw_role: String,
    /// Fingerprints.
    pub revoked: Vec<String>,
}

fn member(person: &str, units: Option<&[&str]>) -> Member {
    Member {
        person: person.to_string(),
        units: units.map(|u| u.iter().map(|s| s.to_string()).collect()),
    }
}

fn stage(id: &str, role: &str, threshold: usize) -> StageSpec {
    StageSpec {
        id: id.into(),
        role: role.into(),
        threshold,
    }
}

impl PolicySpec {
    /// The SPEC §4 example: unit heads scoped, publicity for all, 陈军 leader
    /// of kepu and xuehui, 孙丽 admin, 钱伟 maintainer, a leading group of
    /// three with threshold 2.
    pub fn standard(version: u64) -> PolicySpec {
        let keys = cast()
            .into_iter()
            .map(|p| (p.id.to_string(), vec![(p.key_line, p.fingerprint)]))
            .collect();
        let roles = BTreeMap::from([
            (
                "unit-head".to_string(),
                vec![
                    member("lihua", Some(&["kepu"])),
                    member("liuqiang", Some(&["xuehui"])),
                ],
            ),
            ("publicity".to_string(), vec![member("zhaolei", None)]),
            (
                "leader".to_string(),
                vec![member("chenjun", Some(&["kepu", "xuehui"]))],
            ),
            ("admin".to_string(), vec![member("sunli", None)]),
            ("maintainer".to_string(), vec![member("qianwei", None)]),
            (
                "leading-group".to_string(),
                vec![
                    member("chenjun", None),
                    member("zhouyi", None),
                    member("wugang", None),
                ],
            ),
        ]);
        let workflows = BTreeMap::from([
            (
                "standard".to_string(),
                vec![
                    stage("unit-review", "unit-head", 1),
                    stage("re-review", "publicity", 1),
                    stage("final", "leader", 1),
                ],
            ),
            (
                "major".to_string(),
                vec![
                    stage("unit-review", "unit-head", 1),
                    stage("final", "leader", 1),
                    stage("group", "leading-group", 2),
                ],
            ),
            (
                "special-column".to_string(),
                vec![stage("final", "leader", 1)],
            ),
            ("site".to_string(), vec![stage("site", "maintainer", 1)]),
            ("policy".to_string(), vec![stage("policy", "admin", 1)]),
        ]);
        PolicySpec {
            version,
            units: vec!["kepu".into(), "xuehui".into(), "office".into()],
            keys,
            roles,
            workflows,
            rules: vec![
                RuleSpec {
                    kind: None,
                    importance: Some(Importance::Major),
                    workflow: "major".into(),
                },
                RuleSpec {
                    kind: Some(ArticleType::Special),
                    importance: None,
                    workflow: "special-column".into(),
                },
                RuleSpec {
                    kind: None,
                    importance: None,
                    workflow: "standard".into(),
                },
            ],
            distinct_approvers: true,
            author_may_approve: false,
            withdraw_role: "admin".into(),
            revoked: Vec::new(),
        }
    }

    pub fn version(mut self, version: u64) -> PolicySpec {
        self.version = version;
        self
    }

    pub fn with_member(mut self, role: &str, person: &str, units: Option<&[&str]>) -> PolicySpec {
        let members = self.roles.entry(role.to_string()).or_default();
        members.retain(|m| m.person != person);
        members.push(member(person, units));
        self
    }

    pub fn without_member(mut self, role: &str, person: &str) -> PolicySpec {
        if let Some(members) = self.roles.get_mut(role) {
            members.retain(|m| m.person != person);
        }
        self
    }

    /// Give `person` another key, derived from `seed`.
    pub fn with_key(mut self, person: &str, seed: &str) -> PolicySpec {
        self.keys
            .entry(person.to_string())
            .or_default()
            .push(key_for(seed));
        self
    }

    /// Remove every key of `person` except those derived from `seed`.
    pub fn only_key(mut self, person: &str, seed: &str) -> PolicySpec {
        self.keys.insert(person.to_string(), vec![key_for(seed)]);
        self
    }

    pub fn revoking(mut self, fingerprint: &str) -> PolicySpec {
        self.revoked.push(fingerprint.to_string());
        self
    }

    pub fn stages(mut self, workflow: &str, stages: &[(&str, &str)]) -> PolicySpec {
        self.workflows.insert(
            workflow.to_string(),
            stages.iter().map(|(id, role)| stage(id, role, 1)).collect(),
        );
        self
    }

    pub fn author_may_approve(mut self, allowed: bool) -> PolicySpec {
        self.author_may_approve = allowed;
        self
    }

    pub fn yaml(&self) -> String {
        let mut text = format!("version: {}\nunits:\n", self.version);
        for unit in &self.units {
            let _ = writeln!(text, "  - {{ id: {unit}, name: {unit}部 }}");
        }
        text.push_str("people:\n");
        for person in cast() {
            let Some(keys) = self.keys.get(person.id) else {
                continue;
            };
            let _ = writeln!(text, "  - id: {}\n    name: {}", person.id, person.name);
            if let Some(unit) = person.unit {
                let _ = writeln!(text, "    unit: {unit}");
            }
            let _ = writeln!(text, "    email: {}\n    keys:", person.email);
            for (line, _) in keys {
                let _ = writeln!(text, "      - \"{line}\"");
            }
            if keys.is_empty() {
                text.truncate(text.len() - "    keys:\n".len());
                text.push_str("    keys: []\n");
            }
        }
        text.push_str("roles:\n");
        for (role, members) in &self.roles {
            if members.is_empty() {
                continue;
            }
            let _ = writeln!(text, "  {role}:\n    members:");
            for m in members {
                match &m.units {
                    None => {
                        let _ = writeln!(text, "      - {{ person: {} }}", m.person);
                    }
                    Some(units) => {
                        let _ = writeln!(
                            text,
                            "      - {{ person: {}, units: [{}] }}",
                            m.person,
                            units.join(", ")
                        );
                    }
                }
            }
        }
        text.push_str("workflows:\n");
        for (id, stages) in &self.workflows {
            let _ = writeln!(text, "  {id}:\n    stages:");
            for s in stages {
                let _ = writeln!(
                    text,
                    "      - {{ id: {}, role: {}, threshold: {} }}",
                    s.id, s.role, s.threshold
                );
            }
        }
        text.push_str("rules:\n");
        for rule in &self.rules {
            let mut matches = Vec::new();
            if let Some(kind) = rule.kind {
                matches.push(format!("type: {}", kind.as_str()));
            }
            if let Some(importance) = rule.importance {
                matches.push(format!("importance: {}", importance.as_str()));
            }
            if matches.is_empty() {
                let _ = writeln!(text, "  - {{ workflow: {} }}", rule.workflow);
            } else {
                let _ = writeln!(
                    text,
                    "  - {{ match: {{ {} }}, workflow: {} }}",
                    matches.join(", "),
                    rule.workflow
                );
            }
        }
        let _ = writeln!(
            text,
            "settings:\n  distinct_approvers: {}\n  author_may_approve: {}\n  withdraw_role: {}",
            self.distinct_approvers, self.author_may_approve, self.withdraw_role
        );
        if self.revoked.is_empty() {
            text.push_str("  revoked_keys: []\n");
        } else {
            text.push_str("  revoked_keys:\n");
            for fingerprint in &self.revoked {
                let _ = writeln!(text, "    - \"{fingerprint}\"");
            }
        }
        text
    }
}

/// What an article version says, as the rules read it.
#[derive(Debug, Clone)]
pub struct Facts(pub ReviewFacts);

impl Facts {
    pub fn unit(unit: &str) -> Facts {
        Facts(ReviewFacts {
            kind: ArticleType::Article,
            importance: Importance::Normal,
            unit: unit.to_string(),
            author: None,
            title: None,
        })
    }

    pub fn major(mut self) -> Facts {
        self.0.importance = Importance::Major;
        self
    }

    pub fn author(mut self, author: &str) -> Facts {
        self.0.author = Some(author.to_string());
        self
    }
}

/// How a commit is signed.
#[derive(Debug, Clone)]
pub enum Sign {
    /// By this person's first key in the cast, authored with their address.
    By(String),
    Unsigned(String),
    /// A signature that does not verify, authored by the person.
    Bad(String),
    /// An OpenPGP signature, authored by the person.
    Pgp(String),
    /// A key derived from this seed, authored as `author`.
    Key {
        seed: String,
        author: String,
    },
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Entry {
    pub kind: PathKind,
    pub oid: String,
}

/// What a record names, before it is resolved against the commit's tree.
#[derive(Debug, Clone)]
pub enum Pending {
    Approve {
        stage: String,
        path: String,
        label: Option<String>,
    },
    Return {
        stage: String,
        path: String,
    },
    Withdraw {
        path: String,
    },
}

#[derive(Debug, Clone)]
pub struct Node {
    pub name: String,
    pub parents: Vec<usize>,
    pub tree: BTreeMap<String, Entry>,
    pub sign: Sign,
    pub records: Vec<Pending>,
    pub time: i64,
}

/// A history under construction.
#[derive(Debug, Clone, Default)]
pub struct Scenario {
    pub nodes: Vec<Node>,
    by_name: HashMap<String, usize>,
    pub versions: HashMap<String, VersionFacts>,
    /// Object id → the label a scenario gave it.
    labels: HashMap<String, String>,
    invalid_sites: BTreeSet<String>,
    /// `approvals/` object id → the policy it holds (None: policy.yaml broken).
    pub specs: HashMap<String, Option<PolicySpec>>,
}

/// A commit being written; [`Draft::done`] adds it.
pub struct Draft<'a> {
    scenario: &'a mut Scenario,
    node: Node,
}

/// The object id of a version label at a path kind.
pub fn oid_of(label: &str) -> String {
    hex_id(&format!("object:{label}"))
}

impl Scenario {
    pub fn new() -> Scenario {
        Scenario::default()
    }

    /// Start a commit named `name` (unique) on `parents`, in this order.
    pub fn commit(&mut self, name: &str, parents: &[&str]) -> Draft<'_> {
        let parents: Vec<usize> = parents
            .iter()
            .map(|p| {
                *self
                    .by_name
                    .get(*p)
                    .unwrap_or_else(|| panic!("no commit `{p}` before `{name}`"))
            })
            .collect();
        let tree = parents
            .first()
            .map(|&p| self.nodes[p].tree.clone())
            .unwrap_or_default();
        let time = 1_700_000_000 + 60 * self.nodes.len() as i64;
        Draft {
            node: Node {
                name: name.to_string(),
                parents,
                tree,
                sign: Sign::Unsigned("zhangsan".into()),
                records: Vec::new(),
                time,
            },
            scenario: self,
        }
    }

    /// An object that exists in the repository without being in any
    /// commit's tree (written by `git hash-object -w`).
    pub fn object(&mut self, label: &str, facts: Facts) {
        let oid = oid_of(label);
        self.labels.insert(oid.clone(), label.to_string());
        self.versions
            .insert(oid, VersionFacts::Article(Ok(facts.0)));
    }

    /// Mark a site.toml version as invalid (it supersedes nothing).
    pub fn invalid_site(&mut self, label: &str) {
        self.invalid_sites.insert(oid_of(label));
    }

    /// The commits as the history reader would produce them, in creation
    /// order (parents first), with ids derived from the names.
    pub fn history(&self) -> History {
        let ids: Vec<String> = self.nodes.iter().map(|n| hex_id(&n.name)).collect();
        let commits = self
            .nodes
            .iter()
            .enumerate()
            .map(|(i, node)| self.facts(node, &ids[i], &ids))
            .collect();
        History::from_commits(commits, self.versions.clone()).expect("parents come first")
    }

    fn facts(&self, node: &Node, id: &str, ids: &[String]) -> CommitFacts {
        let cast = cast();
        let who = |person: &str| {
            cast.iter()
                .find(|p| p.id == person)
                .unwrap_or_else(|| panic!("no person `{person}`"))
                .clone()
        };
        let (author, signature) = match &node.sign {
            Sign::By(person) => {
                let p = who(person);
                (
                    p.email,
                    SignatureFacts::Ssh {
                        fingerprint: p.fingerprint,
                    },
                )
            }
            Sign::Unsigned(person) => (who(person).email, SignatureFacts::Unsigned),
            Sign::Bad(person) => (
                who(person).email,
                SignatureFacts::Bad {
                    reason: "the signature does not match the commit".into(),
                },
            ),
            Sign::Pgp(person) => (
                who(person).email,
                SignatureFacts::Unsupported {
                    format: "OpenPGP".into(),
                },
            ),
            Sign::Key { seed, author } => (
                who(author).email,
                SignatureFacts::Ssh {
                    fingerprint: key_for(seed).1,
                },
            ),
        };
        CommitFacts {
            id: id.to_string(),
            parents: node.parents.iter().map(|&p| ids[p].clone()).collect(),
            author_name: String::new(),
            author_email: author,
            time: node.time,
            time_offset_minutes: 480,
            summary: node.name.clone(),
            signature,
            records: node.records.iter().map(|r| self.resolve(node, r)).collect(),
            malformed: Vec::new(),
            changes: self.changes(node),
        }
    }

    fn resolve(&self, node: &Node, pending: &Pending) -> RecordFacts {
        let target = |path: &str, label: Option<&str>| -> Option<Target> {
            let kind = PathKind::of_path(path)?;
            let (oid, problem) = match label {
                Some(label) => {
                    let oid = oid_of(label);
                    let problem = (!self.versions.contains_key(&oid)
                        && !self.labels.contains_key(&oid))
                    .then(|| format!("object {oid} does not exist in this repository"));
                    (oid, problem)
                }
                None => match node.tree.get(path) {
                    Some(entry) => (entry.oid.clone(), None),
                    None => (
                        String::new(),
                        Some(format!(
                            "{path} does not exist in the approving commit; name the object id"
                        )),
                    ),
                },
            };
            Some(Target {
                path: path.to_string(),
                kind,
                oid,
                problem,
            })
        };
        match pending {
            Pending::Approve { stage, path, label } => RecordFacts::new(
                Record::Approve {
                    stage: stage.clone(),
                    path: path.clone(),
                    object_id: label.as_ref().map(|l| oid_of(l)),
                },
                target(path, label.as_deref()),
            ),
            Pending::Return { stage, path } => RecordFacts::new(
                Record::Return {
                    stage: stage.clone(),
                    path: path.clone(),
                    object_id: None,
                    reason: Some("请修改".into()),
                },
                target(path, None),
            ),
            Pending::Withdraw { path } => {
                let mut facts = RecordFacts::new(
                    Record::Withdraw {
                        path: path.clone(),
                        reason: Some("撤稿".into()),
                    },
                    None,
                );
                // The path named (a bundle's index.md names the bundle) and
                // every bundle holding it, as the history reader finds them.
                let named = path
                    .strip_suffix("/index.md")
                    .map(str::to_string)
                    .unwrap_or_else(|| path.clone());
                let mut paths = Vec::new();
                if let Some(kind) = PathKind::of_path(&named) {
                    paths.push((named.clone(), kind));
                }
                for (at, c) in path.char_indices() {
                    if c == '/' && at > "content".len() {
                        let folder = &path[..at];
                        if folder != named
                            && node
                                .tree
                                .get(folder)
                                .is_some_and(|e| e.kind == PathKind::ArticleBundle)
                        {
                            paths.push((folder.to_string(), PathKind::ArticleBundle));
                        }
                    }
                }
                facts.withdraws = paths
                    .into_iter()
                    .map(|(path, kind)| Target {
                        oid: node
                            .tree
                            .get(&path)
                            .map(|e| e.oid.clone())
                            .unwrap_or_default(),
                        path,
                        kind,
                        problem: None,
                    })
                    .collect();
                facts
            }
        }
    }

    /// Tracked paths that differ from at least one parent.
    fn changes(&self, node: &Node) -> Vec<TrackedChange> {
        let parents: Vec<&BTreeMap<String, Entry>> =
            node.parents.iter().map(|&p| &self.nodes[p].tree).collect();
        let mut paths: BTreeSet<&String> = node.tree.keys().collect();
        for parent in &parents {
            paths.extend(parent.keys());
        }
        let mut changes = Vec::new();
        for path in paths {
            let now = node.tree.get(path);
            let before: Vec<Option<&Entry>> = if parents.is_empty() {
                vec![None]
            } else {
                parents.iter().map(|t| t.get(path)).collect()
            };
            if before.iter().any(|b| *b != now) {
                let kind = now
                    .map(|e| e.kind)
                    .or_else(|| before.iter().flatten().next().map(|e| e.kind))
                    .expect("a path present somewhere");
                changes.push(TrackedChange {
                    path: path.clone(),
                    kind,
                    oid: now.map(|e| e.oid.clone()),
                    new: now.is_some() && !before.contains(&now),
                });
            }
        }
        changes
    }

    /// Evaluate the history with the trust root chosen as given.
    pub fn evaluate(&self, root: Option<&str>) -> Result<Verdict, TrustError> {
        let history = self.history();
        let choice = match root {
            None => RootChoice::FirstUse,
            Some(name) => RootChoice::Pinned(
                history
                    .position(&hex_id(name))
                    .unwrap_or_else(|| panic!("no commit `{name}`")),
            ),
        };
        let invalid = self.invalid_sites.clone();
        sanshen::ledger::evaluate(&history, choice, &move |_, path, oid| {
            !(path == "site.toml" && invalid.contains(oid))
        })
        .map(|(verdict, _)| verdict)
    }

    /// The commit name of an id.
    pub fn name_of(&self, id: &str) -> String {
        self.nodes
            .iter()
            .find(|n| hex_id(&n.name) == id)
            .map(|n| n.name.clone())
            .unwrap_or_else(|| id.chars().take(8).collect())
    }

    pub fn label_of(&self, oid: &str) -> String {
        self.labels
            .get(oid)
            .cloned()
            .unwrap_or_else(|| oid.chars().take(8).collect())
    }

    /// Names of the commits, in order.
    pub fn names(&self) -> Vec<String> {
        self.nodes.iter().map(|n| n.name.clone()).collect()
    }
}

impl Draft<'_> {
    pub fn by(mut self, person: &str) -> Self {
        self.node.sign = Sign::By(person.into());
        self
    }

    pub fn sign(mut self, sign: Sign) -> Self {
        self.node.sign = sign;
        self
    }

    fn set(&mut self, path: &str, kind: PathKind, label: &str, facts: VersionFacts) {
        let oid = oid_of(label);
        self.scenario.labels.insert(oid.clone(), label.to_string());
        self.scenario.versions.insert(oid.clone(), facts);
        self.node.tree.insert(path.to_string(), Entry { kind, oid });
    }

    /// Put the version `label` of an article at `path`.
    pub fn article(mut self, path: &str, label: &str, facts: Facts) -> Self {
        let kind = PathKind::of_path(path).expect("an article path");
        self.set(path, kind, label, VersionFacts::Article(Ok(facts.0)));
        self
    }

    /// Put an article version whose front matter cannot be read.
    pub fn unreadable(mut self, path: &str, label: &str) -> Self {
        let kind = PathKind::of_path(path).expect("an article path");
        let problem = Diagnostic::new("front matter: unknown field `bogus`").at_line(Some(4));
        self.set(path, kind, label, VersionFacts::Article(Err(problem)));
        self
    }

    pub fn site(mut self, label: &str) -> Self {
        self.set("site.toml", PathKind::SiteFile, label, VersionFacts::Other);
        self
    }

    pub fn policy(mut self, label: &str, spec: &PolicySpec) -> Self {
        let mut files = PolicyFiles::default();
        files.files.insert("policy.yaml".into(), Ok(spec.yaml()));
        self.set(
            "approvals",
            PathKind::Policy,
            label,
            VersionFacts::Policy(files),
        );
        self.scenario
            .specs
            .insert(oid_of(label), Some(spec.clone()));
        self
    }

    /// approvals/ with a policy.yaml that does not parse.
    pub fn broken_policy(mut self, label: &str) -> Self {
        let mut files = PolicyFiles::default();
        files.files.insert(
            "policy.yaml".into(),
            Ok("version: [2\npeople: 未闭合\n".into()),
        );
        self.set(
            "approvals",
            PathKind::Policy,
            label,
            VersionFacts::Policy(files),
        );
        self.scenario.specs.insert(oid_of(label), None);
        self
    }

    /// Put `entry` at `path`, or nothing (a merge's resolution).
    pub fn put(mut self, path: &str, entry: Option<Entry>) -> Self {
        match entry {
            Some(entry) => {
                self.node.tree.insert(path.to_string(), entry);
            }
            None => {
                self.node.tree.remove(path);
            }
        }
        self
    }

    /// Take the object at `path` from parent `from` (a merge's resolution).
    pub fn take(mut self, path: &str, from: &str) -> Self {
        let parent = self.scenario.by_name[from];
        match self.scenario.nodes[parent].tree.get(path) {
            Some(entry) => {
                self.node.tree.insert(path.to_string(), entry.clone());
            }
            None => {
                self.node.tree.remove(path);
            }
        }
        self
    }

    pub fn remove(mut self, path: &str) -> Self {
        self.node.tree.remove(path);
        self
    }

    /// `Approve: <stage> <path>`: the version in this commit's own tree.
    pub fn approve(mut self, stage: &str, path: &str) -> Self {
        self.node.records.push(Pending::Approve {
            stage: stage.into(),
            path: path.into(),
            label: None,
        });
        self
    }

    /// `Approve: <stage> <path> <object id of label>`.
    pub fn approve_oid(mut self, stage: &str, path: &str, label: &str) -> Self {
        self.node.records.push(Pending::Approve {
            stage: stage.into(),
            path: path.into(),
            label: Some(label.into()),
        });
        self
    }

    pub fn ret(mut self, stage: &str, path: &str) -> Self {
        self.node.records.push(Pending::Return {
            stage: stage.into(),
            path: path.into(),
        });
        self
    }

    pub fn withdraw(mut self, path: &str) -> Self {
        self.node
            .records
            .push(Pending::Withdraw { path: path.into() });
        self
    }

    /// Add the commit; returns its name.
    pub fn done(self) -> String {
        let name = self.node.name.clone();
        assert!(
            !self.scenario.by_name.contains_key(&name),
            "commit `{name}` twice"
        );
        self.scenario
            .by_name
            .insert(name.clone(), self.scenario.nodes.len());
        self.scenario.nodes.push(self.node);
        name
    }
}

/// The standard beginning: commit `root` by 孙丽 with policy v1 and a
/// site.toml, and `site-ok` approving the site.toml by 钱伟.
pub fn bootstrapped() -> Scenario {
    let mut s = Scenario::new();
    s.commit("root", &[])
        .by("sunli")
        .policy("policy-v1", &PolicySpec::standard(1))
        .site("site-v1")
        .done();
    s.commit("site-ok", &["root"])
        .by("qianwei")
        .approve("site", "site.toml")
        .done();
    s
}

/// The three stages of the standard workflow for `path`, each in a commit
/// of its own after `after`, by 李华, 赵磊 and 陈军; returns the last.
pub fn review_standard(s: &mut Scenario, after: &str, path: &str, tag: &str) -> String {
    let unit = s
        .commit(&format!("{tag}-unit-review"), &[after])
        .by("lihua")
        .approve("unit-review", path)
        .done();
    let re = s
        .commit(&format!("{tag}-re-review"), &[&unit])
        .by("zhaolei")
        .approve("re-review", path)
        .done();
    s.commit(&format!("{tag}-final"), &[&re])
        .by("chenjun")
        .approve("final", path)
        .done()
}

/// What was decided, for people: trusted policies, then per path and
/// version the approvals (and what voided them), the completions (and
/// whether they hold), and the records that did not count.
pub fn render(s: &Scenario, outcome: &Result<Verdict, TrustError>) -> String {
    let verdict = match outcome {
        Ok(verdict) => verdict,
        Err(err) => return format!("trust cannot be decided: {}\n", describe_error(s, err)),
    };
    let mut out = String::new();
    out.push_str("policies:\n");
    for event in &verdict.policies {
        let _ = writeln!(
            out,
            "  version {} enacted in {}{}",
            event.version,
            s.name_of(&event.commit),
            if event.trust_on_first_use {
                " (trust on first use)"
            } else {
                ""
            }
        );
    }
    let _ = writeln!(out, "  in force: version {}", verdict.policy.version);
    for rejected in &verdict.rejected_policies {
        let _ = writeln!(
            out,
            "  not trusted: {} in {}: {}",
            s.label_of(&rejected.oid),
            s.name_of(&rejected.commit),
            first_clause(&rejected.detail)
        );
    }
    let mut paths: BTreeSet<&String> = verdict.versions.keys().collect();
    let ignored_paths: BTreeSet<String> = verdict
        .ignored
        .iter()
        .filter_map(|i| i.path.clone())
        .collect();
    paths.extend(ignored_paths.iter());
    for path in paths {
        let _ = writeln!(out, "{path}:");
        let published: Vec<&str> = verdict
            .complete_versions(path)
            .map(|v| v.oid.as_str())
            .collect();
        let mut versions: Vec<_> = verdict.versions.get(path).into_iter().flatten().collect();
        versions.sort_by_key(|v| s.label_of(&v.oid));
        for version in versions {
            let _ = writeln!(
                out,
                "  {} ({}){}",
                s.label_of(&version.oid),
                version.workflow.as_deref().unwrap_or("no workflow"),
                if published.contains(&version.oid.as_str()) {
                    "  COMPLETE"
                } else {
                    ""
                }
            );
            for a in &version.approvals {
                let _ = writeln!(
                    out,
                    "    {} by {} in {}{}",
                    a.stage,
                    a.person,
                    s.name_of(&a.commit),
                    voided(s, a.voided.as_ref())
                );
            }
            for c in &version.completions {
                let _ = writeln!(
                    out,
                    "    completed in {}{}",
                    s.name_of(&c.commit),
                    voided(s, c.voided.as_ref())
                );
            }
        }
        if let Some(w) = verdict.withdrawn.get(path) {
            let _ = writeln!(
                out,
                "  withdrawn by {} in {}{}",
                w.person,
                s.name_of(&w.commit),
                w.named
                    .as_ref()
                    .map(|n| format!(" (named {n})"))
                    .unwrap_or_default()
            );
        }
        for r in verdict.returns.iter().filter(|r| &r.path == path) {
            let _ = writeln!(
                out,
                "  return at {} in {}: {}",
                r.stage,
                s.name_of(&r.commit),
                r.person.as_deref().unwrap_or("does not count")
            );
        }
        for i in verdict
            .ignored
            .iter()
            .filter(|i| i.path.as_deref() == Some(path.as_str()))
        {
            let _ = writeln!(
                out,
                "  ignored {} {} in {}{}: {} — {}",
                i.record,
                i.stage.as_deref().unwrap_or("-"),
                s.name_of(&i.commit),
                i.signer
                    .as_deref()
                    .map(|p| format!(" by {p}"))
                    .unwrap_or_default(),
                i.refusal.code(),
                first_clause(&scrub(s, &i.detail))
            );
        }
    }
    out
}

fn voided(s: &Scenario, voided: Option<&sanshen::ledger::verdict::Voided>) -> String {
    match voided {
        None => String::new(),
        Some(v) => format!(
            "  [void: {} in {}]",
            serde_json::to_value(v.why)
                .ok()
                .and_then(|v| v.as_str().map(str::to_string))
                .unwrap_or_default(),
            s.name_of(&v.commit)
        ),
    }
}

/// Object ids and commit ids in a message, replaced by their labels.
fn scrub(s: &Scenario, text: &str) -> String {
    let mut out = text.to_string();
    for (oid, label) in &s.labels {
        out = out.replace(oid, label);
    }
    for name in s.names() {
        out = out.replace(&hex_id(&name), &name);
    }
    out
}

fn first_clause(text: &str) -> &str {
    text.split(';').next().unwrap_or(text).trim()
}

fn describe_error(s: &Scenario, err: &TrustError) -> String {
    match err {
        TrustError::NoPolicy => "no policy in history".into(),
        TrustError::SeveralBeginnings(ids) => format!(
            "several beginnings: {}",
            ids.iter()
                .map(|i| s.name_of(i))
                .collect::<Vec<_>>()
                .join(", ")
        ),
        TrustError::PinnedWithoutPolicy(id) => format!("{} has no policy", s.name_of(id)),
        TrustError::InvalidRoot(id, problem) => {
            format!(
                "the root policy in {} is invalid: {}",
                s.name_of(id),
                problem.message
            )
        }
        TrustError::Ambiguous(newest) => format!(
            "ambiguous: {}",
            newest
                .iter()
                .map(|(id, v)| format!("version {v} in {}", s.name_of(id)))
                .collect::<Vec<_>>()
                .join(", ")
        ),
    }
}

/// The published set: path → version label, for comparisons.
pub fn published(s: &Scenario, verdict: &Verdict) -> BTreeMap<String, BTreeSet<String>> {
    verdict
        .versions
        .keys()
        .map(|path| {
            (
                path.clone(),
                verdict
                    .complete_versions(path)
                    .map(|v| s.label_of(&v.oid))
                    .collect::<BTreeSet<String>>(),
            )
        })
        .filter(|(_, v)| !v.is_empty())
        .collect()
}
