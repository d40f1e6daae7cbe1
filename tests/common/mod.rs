//! The shared helper of the end-to-end tests: a throw-away site repository
//! driven the way its users drive it — real `git`, real `ssh-keygen`, real
//! signed commits with `Approve:` trailers — and the real `sanshen` binary
//! run over it.
//!
//! A test reads like a session in an office: the writer commits an article,
//! three reviewers sign their stages, and the test then looks at what came
//! out — the page on disk, the manifest, and `status --json` — the three
//! things people outside the code rely on (SPEC §5–7).
//!
//! Everything runs in a temporary folder that is also `HOME`, with git's
//! global and system configuration switched off, so nothing on the machine
//! (a signing key, `commit.gpgsign`, a hook path) leaks into a test.

// Each test file uses a different part of this helper; the rest is not dead.
#![allow(dead_code)]

use std::cell::{Cell, RefCell};
use std::fs;
use std::path::{Path, PathBuf};
use std::process::{Command, Output, Stdio};

use serde_json::Value;
use tempfile::TempDir;

pub mod browser;

/// The clock every build and status runs at: after all commits of a test
/// (which start at [`FIRST_COMMIT_TIME`]), before any article is stale.
pub const NOW: &str = "2026-11-20T12:00:00+08:00";

/// 2026-11-01T09:00:00+08:00. Commits are one minute apart from here, so
/// approvals always come before the `date: 2026-11-02` of the test articles
/// (an article dated before its approval would be backdating, SPEC §5).
pub const FIRST_COMMIT_TIME: i64 = 1_793_494_800;

/// The title of the bootstrapped site.
pub const SITE_TITLE: &str = "测试科协网";

/// The date written into test articles.
pub const ARTICLE_DATE: &str = "2026-11-02";

/// An SSH key pair made by `ssh-keygen`.
#[derive(Debug, Clone)]
pub struct Key {
    /// The private key file, as `user.signingkey` for `gpg.format=ssh`.
    pub private: PathBuf,
    /// The `.pub` line, as it goes into policy.yaml.
    pub public_line: String,
    /// `SHA256:…`, as `settings.revoked_keys` names it.
    pub fingerprint: String,
}

/// Someone in the policy (or pretending to be): their identity and keys.
/// Commits are signed with the first key; all keys go into the policy.
#[derive(Debug, Clone)]
pub struct Person {
    pub id: String,
    pub name: String,
    pub email: String,
    pub unit: Option<String>,
    pub keys: Vec<Key>,
}

impl Person {
    pub fn signing_key(&self) -> &Key {
        &self.keys[0]
    }
}

/// The people of the SPEC §4 example, one field per person id, so a test
/// says `cast.lihua` where the office would say 李华.
#[derive(Debug, Clone)]
pub struct Cast {
    /// 王芳, writer (信息员) of 科普部; holds no role.
    pub wangfang: Person,
    /// 张三, writer of 办公室; holds no role (the would-be attacker).
    pub zhangsan: Person,
    /// 李华, unit-head of 科普部 (scoped to kepu).
    pub lihua: Person,
    /// 刘强, unit-head of 学会部 (scoped to xuehui).
    pub liuqiang: Person,
    /// 赵磊, publicity (复审), every unit.
    pub zhaolei: Person,
    /// 陈军, leader (终审) for kepu and xuehui; also in the leading group.
    pub chenjun: Person,
    /// 孙丽, admin: policy changes and withdrawals.
    pub sunli: Person,
    /// 钱伟, maintainer: site.toml and themes.
    pub qianwei: Person,
    /// 周毅, leading group.
    pub zhouyi: Person,
    /// 吴刚, leading group.
    pub wugang: Person,
}

impl Cast {
    pub fn new(repo: &TestRepo) -> Cast {
        Cast {
            wangfang: repo.person("wangfang", "王芳", Some("kepu")),
            zhangsan: repo.person("zhangsan", "张三", Some("office")),
            lihua: repo.person("lihua", "李华", Some("kepu")),
            liuqiang: repo.person("liuqiang", "刘强", Some("xuehui")),
            zhaolei: repo.person("zhaolei", "赵磊", Some("office")),
            chenjun: repo.person("chenjun", "陈军", None),
            sunli: repo.person("sunli", "孙丽", Some("office")),
            qianwei: repo.person("qianwei", "钱伟", None),
            zhouyi: repo.person("zhouyi", "周毅", None),
            wugang: repo.person("wugang", "吴刚", None),
        }
    }

    pub fn everyone(&self) -> Vec<&Person> {
        vec![
            &self.wangfang,
            &self.zhangsan,
            &self.lihua,
            &self.liuqiang,
            &self.zhaolei,
            &self.chenjun,
            &self.sunli,
            &self.qianwei,
            &self.zhouyi,
            &self.wugang,
        ]
    }
}

/// One role member: a person id and, when scoped, the units they cover.
#[derive(Debug, Clone)]
struct Member {
    person: String,
    units: Option<Vec<String>>,
}

/// `approvals/policy.yaml` in SPEC §4 form, built from people and their keys.
/// [`PolicyDoc::standard`] is the SPEC example; the `with_*` methods change
/// one thing at a time.
#[derive(Debug, Clone)]
pub struct PolicyDoc {
    pub version: u64,
    people: Vec<Person>,
    roles: Vec<(String, Vec<Member>)>,
    revoked: Vec<String>,
    author_may_approve: bool,
    /// The `checks:` section, as YAML lines (word lists, allowances).
    checks: String,
}

impl PolicyDoc {
    /// The SPEC §4 example with the cast's keys: unit heads scoped to their
    /// units, publicity for every unit, 陈军 leader for kepu and xuehui,
    /// 孙丽 admin, 钱伟 maintainer, a leading group of three with threshold 2.
    pub fn standard(version: u64, cast: &Cast) -> PolicyDoc {
        let member = |person: &Person, units: Option<&[&str]>| Member {
            person: person.id.clone(),
            units: units.map(|u| u.iter().map(|s| s.to_string()).collect()),
        };
        PolicyDoc {
            version,
            people: cast.everyone().into_iter().cloned().collect(),
            roles: vec![
                (
                    "unit-head".into(),
                    vec![
                        member(&cast.lihua, Some(&["kepu"])),
                        member(&cast.liuqiang, Some(&["xuehui"])),
                    ],
                ),
                ("publicity".into(), vec![member(&cast.zhaolei, None)]),
                (
                    "leader".into(),
                    vec![member(&cast.chenjun, Some(&["kepu", "xuehui"]))],
                ),
                ("admin".into(), vec![member(&cast.sunli, None)]),
                ("maintainer".into(), vec![member(&cast.qianwei, None)]),
                (
                    "leading-group".into(),
                    vec![
                        member(&cast.chenjun, None),
                        member(&cast.zhouyi, None),
                        member(&cast.wugang, None),
                    ],
                ),
            ],
            revoked: Vec::new(),
            author_may_approve: false,
            checks: String::new(),
        }
    }

    /// Set the `checks:` section: `lines` are its entries, indented by two
    /// spaces (`  banned_words: banned-words.txt`).
    pub fn with_checks(mut self, lines: &str) -> PolicyDoc {
        self.checks = lines.to_string();
        self
    }

    pub fn version(mut self, version: u64) -> PolicyDoc {
        self.version = version;
        self
    }

    /// Add a person, or replace the one with the same id (say, with more keys).
    pub fn with_person(mut self, person: &Person) -> PolicyDoc {
        match self.people.iter_mut().find(|p| p.id == person.id) {
            Some(existing) => *existing = person.clone(),
            None => self.people.push(person.clone()),
        }
        self
    }

    /// Give `person` the role, scoped to `units` (None: every unit).
    pub fn with_member(mut self, role: &str, person: &Person, units: Option<&[&str]>) -> PolicyDoc {
        let member = Member {
            person: person.id.clone(),
            units: units.map(|u| u.iter().map(|s| s.to_string()).collect()),
        };
        match self.roles.iter_mut().find(|(name, _)| name == role) {
            Some((_, members)) => {
                members.retain(|m| m.person != person.id);
                members.push(member);
            }
            None => self.roles.push((role.to_string(), vec![member])),
        }
        self
    }

    /// Take the role away from `person`.
    pub fn without_member(mut self, role: &str, person: &Person) -> PolicyDoc {
        for (name, members) in &mut self.roles {
            if name == role {
                members.retain(|m| m.person != person.id);
            }
        }
        self
    }

    /// List a key in `settings.revoked_keys`.
    pub fn revoking(mut self, key: &Key) -> PolicyDoc {
        self.revoked.push(key.fingerprint.clone());
        self
    }

    pub fn yaml(&self) -> String {
        let mut text = format!(
            "version: {}\nunits:\n  - {{ id: kepu, name: 科普部 }}\n  - {{ id: xuehui, name: 学会部 }}\n  - {{ id: office, name: 办公室 }}\npeople:\n",
            self.version
        );
        for person in &self.people {
            text.push_str(&format!(
                "  - id: {}\n    name: {}\n",
                person.id, person.name
            ));
            if let Some(unit) = &person.unit {
                text.push_str(&format!("    unit: {unit}\n"));
            }
            text.push_str(&format!("    email: {}\n    keys:\n", person.email));
            for key in &person.keys {
                text.push_str(&format!("      - \"{}\"\n", key.public_line));
            }
        }
        text.push_str("roles:\n");
        for (role, members) in &self.roles {
            text.push_str(&format!("  {role}:\n    members:\n"));
            for member in members {
                match &member.units {
                    None => text.push_str(&format!("      - {{ person: {} }}\n", member.person)),
                    Some(units) => text.push_str(&format!(
                        "      - {{ person: {}, units: [{}] }}\n",
                        member.person,
                        units.join(", ")
                    )),
                }
            }
        }
        text.push_str(
            "workflows:
  standard:
    stages:
      - { id: unit-review, name: 负责人审核, role: unit-head }
      - { id: re-review,   name: 复审,       role: publicity }
      - { id: final,       name: 分管领导终审, role: leader }
  major:
    stages:
      - { id: unit-review, name: 负责人审核, role: unit-head }
      - { id: final,       name: 分管领导终审, role: leader }
      - { id: group,       name: 领导小组审批, role: leading-group, threshold: 2 }
  special-column:
    stages: [{ id: final, name: 分管领导签字, role: leader }]
  site:   { stages: [{ id: site,   name: 技术审核, role: maintainer }] }
  policy: { stages: [{ id: policy, name: 管理员批准, role: admin }] }
rules:
  - { match: { importance: major }, workflow: major }
  - { match: { type: special },     workflow: special-column }
  - { workflow: standard }
settings:
  distinct_approvers: true
",
        );
        text.push_str(&format!(
            "  author_may_approve: {}\n",
            self.author_may_approve
        ));
        text.push_str("  withdraw_role: admin\n");
        if self.revoked.is_empty() {
            text.push_str("  revoked_keys: []\n");
        } else {
            text.push_str("  revoked_keys:\n");
            for fingerprint in &self.revoked {
                text.push_str(&format!("    - \"{fingerprint}\"\n"));
            }
        }
        text.push_str("  dormant_after: 30d\n");
        if !self.checks.is_empty() {
            text.push_str("checks:\n");
            text.push_str(&self.checks);
        }
        text
    }
}

/// A minimal valid site.toml with two columns: `news` (units kepu, xuehui)
/// and `notices` (unit office).
pub fn site_toml(title: &str) -> String {
    site_toml_with(title, "")
}

/// The same with more top-level settings (`theme = "house"\n`, say).
pub fn site_toml_with(title: &str, settings: &str) -> String {
    format!(
        r#"title = "{title}"
base_url = "https://kx.example/"
{settings}

[[columns]]
path = "news"
title = "工作动态"
units = ["kepu", "xuehui"]

[[columns]]
path = "notices"
title = "通知公告"
units = ["office"]
"#
    )
}

/// An article: front matter with `title`, `date` and the extra lines given
/// (each ending in a newline), then `body`.
pub fn article(title: &str, extra_front_matter: &str, body: &str) -> String {
    // `unit` is required (SPEC §3); the `news` column's first unit unless given.
    let unit = if extra_front_matter.contains("unit:") {
        ""
    } else {
        "unit: kepu\n"
    };
    format!("---\ntitle: {title}\ndate: {ARTICLE_DATE}\n{unit}{extra_front_matter}---\n\n{body}\n")
}

/// A site repository in a temporary folder, with its own keys and clock.
pub struct TestRepo {
    _temp: TempDir,
    /// The repository's top folder.
    pub root: PathBuf,
    /// `HOME` for git and sanshen; keys, messages and outputs live here.
    pub home: PathBuf,
    /// Where `build` writes the site.
    pub out: PathBuf,
    clock: Cell<i64>,
    next_date: RefCell<Option<String>>,
    keys_made: Cell<usize>,
}

impl TestRepo {
    /// `git init -b main` in a fresh temporary folder, configured for SSH
    /// signing and isolated from the machine's git configuration.
    pub fn new() -> TestRepo {
        let temp = tempfile::Builder::new()
            .prefix("sanshen-test-")
            .tempdir()
            .expect("a temporary folder");
        let home = temp.path().to_path_buf();
        let root = home.join("site");
        fs::create_dir_all(&root).expect("create the repository folder");
        fs::create_dir_all(home.join("keys")).expect("create the keys folder");
        let repo = TestRepo {
            out: home.join("public"),
            root,
            home,
            _temp: temp,
            clock: Cell::new(FIRST_COMMIT_TIME),
            next_date: RefCell::new(None),
            keys_made: Cell::new(0),
        };
        repo.git(&["init", "-q", "-b", "main"]);
        for (key, value) in [
            ("user.name", "测试"),
            ("user.email", "nobody@kx.example"),
            ("commit.gpgsign", "false"),
            ("tag.gpgsign", "false"),
            ("gpg.format", "ssh"),
            ("core.autocrlf", "false"),
        ] {
            repo.git(&["config", key, value]);
        }
        repo
    }

    /// A repository with the standard policy (version 1) and site.toml
    /// committed by the admin, and site.toml approved by the maintainer: a
    /// publishable site with no articles yet.
    pub fn bootstrapped() -> (TestRepo, Cast) {
        let repo = TestRepo::new();
        let cast = Cast::new(&repo);
        repo.bootstrap(&cast, &PolicyDoc::standard(1, &cast));
        (repo, cast)
    }

    /// Commit `policy` and the minimal site.toml as 孙丽 (admin), and have
    /// 钱伟 (maintainer) approve site.toml. Returns the first commit.
    pub fn bootstrap(&self, cast: &Cast, policy: &PolicyDoc) -> String {
        self.write_policy(policy);
        self.write("site.toml", &site_toml(SITE_TITLE));
        let first = self.commit_as(&cast.sunli, "建站：审核制度与站点设置");
        self.approve(&cast.qianwei, "site", "site.toml");
        first
    }

    // ---- people and keys -------------------------------------------------

    /// A person with a fresh ed25519 key and the address `<id>@kx.example`.
    pub fn person(&self, id: &str, name: &str, unit: Option<&str>) -> Person {
        self.person_with_key_type(id, name, unit, "ed25519")
    }

    /// A person whose key is of another type: `ed25519`, `ecdsa` or `rsa`.
    pub fn person_with_key_type(
        &self,
        id: &str,
        name: &str,
        unit: Option<&str>,
        key_type: &str,
    ) -> Person {
        Person {
            id: id.to_string(),
            name: name.to_string(),
            email: format!("{id}@kx.example"),
            unit: unit.map(str::to_string),
            keys: vec![self.new_key(id, key_type)],
        }
    }

    /// The same person, signing with a second key of theirs (listed in the
    /// policy beside the first when this `Person` is given to it).
    pub fn second_key(&self, person: &Person) -> Person {
        let mut twin = person.clone();
        twin.keys.insert(0, self.new_key(&person.id, "ed25519"));
        twin
    }

    /// Someone claiming `person`'s name and address with a key of their own.
    pub fn impostor(&self, person: &Person) -> Person {
        let mut fake = person.clone();
        fake.keys = vec![self.new_key(&format!("{}-impostor", person.id), "ed25519")];
        fake
    }

    /// `ssh-keygen -t <type> -N ''` into the keys folder.
    pub fn new_key(&self, owner: &str, key_type: &str) -> Key {
        let n = self.keys_made.get();
        self.keys_made.set(n + 1);
        let private = self.home.join("keys").join(format!("{owner}-{n}"));
        let mut args = vec!["-q", "-t", key_type, "-N", "", "-C"];
        let comment = format!("{owner}@test");
        args.push(&comment);
        match key_type {
            "ecdsa" => args.extend(["-b", "256"]),
            "rsa" => args.extend(["-b", "2048"]),
            _ => {}
        }
        let path = private.to_str().expect("a UTF-8 temporary path");
        args.extend(["-f", path]);
        run(Command::new("ssh-keygen").args(&args), "ssh-keygen");
        let public_line = fs::read_to_string(format!("{path}.pub"))
            .expect("the .pub file ssh-keygen wrote")
            .trim()
            .to_string();
        let listing = run(
            Command::new("ssh-keygen").args(["-l", "-E", "sha256", "-f", &format!("{path}.pub")]),
            "ssh-keygen -l",
        );
        let fingerprint = listing
            .split_whitespace()
            .nth(1)
            .expect("ssh-keygen -l prints `bits SHA256:… comment (TYPE)`")
            .to_string();
        Key {
            private,
            public_line,
            fingerprint,
        }
    }

    // ---- files -------------------------------------------------------------

    /// Write a file of the working tree (creating folders).
    pub fn write(&self, path: &str, text: &str) {
        self.write_bytes(path, text.as_bytes());
    }

    pub fn write_bytes(&self, path: &str, bytes: &[u8]) {
        let file = self.root.join(path);
        if let Some(parent) = file.parent() {
            fs::create_dir_all(parent).expect("create folders");
        }
        fs::write(&file, bytes).expect("write a file of the working tree");
    }

    /// Copy a folder from outside into the working tree at `dest`.
    pub fn copy_folder(&self, source: &Path, dest: &str) {
        for entry in fs::read_dir(source).expect("read a folder to copy") {
            let entry = entry.expect("a folder entry");
            let name = entry.file_name().to_string_lossy().into_owned();
            let target = format!("{dest}/{name}");
            if entry.file_type().expect("a file type").is_dir() {
                self.copy_folder(&entry.path(), &target);
            } else {
                self.write_bytes(
                    &target,
                    &fs::read(entry.path()).expect("read a file to copy"),
                );
            }
        }
    }

    pub fn read(&self, path: &str) -> String {
        fs::read_to_string(self.root.join(path)).expect("read a file of the working tree")
    }

    pub fn remove(&self, path: &str) {
        let file = self.root.join(path);
        if file.is_dir() {
            fs::remove_dir_all(file).expect("remove a folder");
        } else {
            fs::remove_file(file).expect("remove a file");
        }
    }

    pub fn write_policy(&self, policy: &PolicyDoc) {
        self.write("approvals/policy.yaml", &policy.yaml());
    }

    // ---- commits -----------------------------------------------------------

    /// The next commit gets this date (author and committer) instead of the
    /// test clock's, e.g. `2026-11-01T08:00:00+08:00`.
    pub fn next_commit_dated(&self, date: &str) {
        *self.next_date.borrow_mut() = Some(date.to_string());
    }

    /// Stage everything and commit, authored by `author`, signed with `key`
    /// (unsigned when None). Returns the commit id.
    pub fn commit_with(
        &self,
        author: &Person,
        key: Option<&Key>,
        message: &str,
        allow_empty: bool,
    ) -> String {
        self.git(&["add", "-A"]);
        let message_file = self.message_file(message);
        let mut args: Vec<String> = Vec::new();
        if let Some(key) = key {
            args.extend([
                "-c".into(),
                format!("user.signingkey={}", key.private.display()),
            ]);
        }
        args.extend(["commit".into(), "-q".into(), "-F".into(), message_file]);
        if allow_empty {
            args.push("--allow-empty".into());
        }
        args.push(if key.is_some() {
            "-S".into()
        } else {
            "--no-gpg-sign".into()
        });
        let args: Vec<&str> = args.iter().map(String::as_str).collect();
        self.git_as(author, &args);
        self.rev_parse("HEAD")
    }

    /// Commit the working tree, authored and signed by `person`.
    pub fn commit_as(&self, person: &Person, message: &str) -> String {
        self.commit_with(person, Some(person.signing_key()), message, false)
    }

    /// Commit the working tree without a signature.
    pub fn commit_unsigned(&self, author: &Person, message: &str) -> String {
        self.commit_with(author, None, message, false)
    }

    /// An empty commit signed by `person` whose trailer block holds `trailers`.
    pub fn sign_trailers(&self, person: &Person, subject: &str, trailers: &[String]) -> String {
        self.commit_with(
            person,
            Some(person.signing_key()),
            &trailer_message(subject, trailers),
            true,
        )
    }

    /// `Approve: <stage> <path> <oid>` for the version of `path` at HEAD,
    /// signed by `person` — what `sanshen approve` or plain git would record.
    pub fn approve(&self, person: &Person, stage: &str, path: &str) -> String {
        let oid = self.rev_parse(&format!("HEAD:{path}"));
        self.approve_oid(person, stage, path, &oid)
    }

    /// The same, naming the object id explicitly.
    pub fn approve_oid(&self, person: &Person, stage: &str, path: &str, oid: &str) -> String {
        self.sign_trailers(
            person,
            &format!("审核 {stage}"),
            &[format!("Approve: {stage} {path} {oid}")],
        )
    }

    /// Unit review, re-review and final by 李华, 赵磊 and 陈军: the standard
    /// workflow for a kepu article. Returns the three approving commits.
    pub fn review_standard(&self, cast: &Cast, path: &str) -> [String; 3] {
        [
            self.approve(&cast.lihua, "unit-review", path),
            self.approve(&cast.zhaolei, "re-review", path),
            self.approve(&cast.chenjun, "final", path),
        ]
    }

    /// The standard workflow for many articles at once: one signed commit
    /// per stage, each carrying one `Approve:` trailer per path.
    pub fn review_standard_together(&self, cast: &Cast, paths: &[&str]) {
        for (person, stage) in [
            (&cast.lihua, "unit-review"),
            (&cast.zhaolei, "re-review"),
            (&cast.chenjun, "final"),
        ] {
            let trailers: Vec<String> = paths
                .iter()
                .map(|path| {
                    let oid = self.rev_parse(&format!("HEAD:{path}"));
                    format!("Approve: {stage} {path} {oid}")
                })
                .collect();
            self.sign_trailers(person, &format!("审核 {stage}"), &trailers);
        }
    }

    /// `Withdraw: <path>` with a reason, signed by `person`.
    pub fn withdraw(&self, person: &Person, path: &str, reason: &str) -> String {
        self.sign_trailers(
            person,
            "撤稿",
            &[
                format!("Withdraw: {path}"),
                format!("Withdraw-Reason: {reason}"),
            ],
        )
    }

    /// Write an article, commit it as `writer` (signed), return its object id.
    pub fn publish_draft(&self, writer: &Person, path: &str, text: &str) -> String {
        self.write(path, text);
        self.commit_as(writer, &format!("稿件 {path}"));
        self.rev_parse(&format!("HEAD:{path}"))
    }

    /// `git merge --no-ff` of `branch` into the current branch, authored by
    /// `author`, signed with `key` (unsigned when None), with `message`.
    /// A signed merge commit with exactly these parents, in this order, and
    /// the tree of `tree_of`; the current branch moves to it. Whoever can
    /// push can write any such commit: the order is theirs to choose.
    pub fn merge_commit(
        &self,
        author: &Person,
        parents: &[&str],
        tree_of: &str,
        message: &str,
    ) -> String {
        let tree = self.rev_parse(&format!("{tree_of}^{{tree}}"));
        let message_file = self.message_file(message);
        let key = format!("user.signingkey={}", author.signing_key().private.display());
        let mut args: Vec<String> = vec!["-c".into(), key, "commit-tree".into(), tree];
        for parent in parents {
            args.push("-p".into());
            args.push(self.rev_parse(parent));
        }
        args.extend(["-S".into(), "-F".into(), message_file]);
        let args: Vec<&str> = args.iter().map(String::as_str).collect();
        let commit = self.git_as(author, &args).trim().to_string();
        self.git(&["reset", "-q", "--hard", &commit]);
        commit
    }

    /// Merge `branch` into the current branch with the parents the other
    /// way round — `branch` first, as whoever can push may arrange by
    /// merging the current branch into `branch` and fast-forwarding to it.
    pub fn merge_swapped(
        &self,
        author: &Person,
        key: Option<&Key>,
        branch: &str,
        message: &str,
    ) -> String {
        let current = self
            .git(&["rev-parse", "--abbrev-ref", "HEAD"])
            .trim()
            .to_string();
        self.git(&["checkout", "-q", branch]);
        let merge = self.merge_with(author, key, &current, message);
        self.git(&["checkout", "-q", &current]);
        self.git(&["merge", "-q", "--ff-only", branch]);
        assert_eq!(self.rev_parse("HEAD"), merge);
        assert_eq!(
            self.rev_parse("HEAD^1"),
            self.rev_parse(&format!("{merge}^1")),
            "the branch is the first parent"
        );
        merge
    }

    pub fn merge_with(
        &self,
        author: &Person,
        key: Option<&Key>,
        branch: &str,
        message: &str,
    ) -> String {
        let message_file = self.message_file(message);
        let mut args: Vec<String> = Vec::new();
        if let Some(key) = key {
            args.extend([
                "-c".into(),
                format!("user.signingkey={}", key.private.display()),
            ]);
        }
        args.extend([
            "merge".into(),
            "-q".into(),
            "--no-ff".into(),
            "-F".into(),
            message_file,
            if key.is_some() {
                "-S".into()
            } else {
                "--no-gpg-sign".into()
            },
            branch.into(),
        ]);
        let args: Vec<&str> = args.iter().map(String::as_str).collect();
        self.git_as(author, &args);
        self.rev_parse("HEAD")
    }

    /// Rewrite HEAD's commit object with `edit` applied to its raw text
    /// (headers, `gpgsig` included, and message), and point the branch at
    /// the result: what someone with push access but no key can forge.
    pub fn tamper_head(&self, edit: impl FnOnce(&str) -> String) -> String {
        let raw = self.git(&["cat-file", "commit", "HEAD"]);
        let forged = edit(&raw);
        assert_ne!(raw, forged, "the tampering must change the commit");
        let mut child = self
            .git_command()
            .args(["hash-object", "-t", "commit", "-w", "--stdin"])
            .stdin(Stdio::piped())
            .stdout(Stdio::piped())
            .stderr(Stdio::piped())
            .spawn()
            .expect("run git hash-object");
        {
            use std::io::Write;
            let stdin = child.stdin.as_mut().expect("stdin of git hash-object");
            stdin
                .write_all(forged.as_bytes())
                .expect("feed git hash-object");
        }
        let output = child.wait_with_output().expect("git hash-object finishes");
        assert!(
            output.status.success(),
            "git hash-object failed: {}",
            String::from_utf8_lossy(&output.stderr)
        );
        let id = String::from_utf8_lossy(&output.stdout).trim().to_string();
        self.git(&["update-ref", "HEAD", &id]);
        id
    }

    /// Write an object of `kind` holding exactly `bytes` (`--literally`:
    /// git checks nothing, as a forger's tools would not), return its id.
    pub fn write_object(&self, kind: &str, bytes: &[u8]) -> String {
        let mut child = self
            .git_command()
            .args(["hash-object", "--literally", "-t", kind, "-w", "--stdin"])
            .stdin(Stdio::piped())
            .stdout(Stdio::piped())
            .stderr(Stdio::piped())
            .spawn()
            .expect("run git hash-object");
        {
            use std::io::Write;
            let stdin = child.stdin.as_mut().expect("stdin of git hash-object");
            stdin.write_all(bytes).expect("feed git hash-object");
        }
        let output = child.wait_with_output().expect("git hash-object finishes");
        assert!(
            output.status.success(),
            "git hash-object failed: {}",
            String::from_utf8_lossy(&output.stderr)
        );
        String::from_utf8_lossy(&output.stdout).trim().to_string()
    }

    /// Commit `tree` (an id) on top of HEAD, signed by `person`, and move
    /// the branch to it (the working tree stays: git may refuse to check
    /// out what a forger wrote).
    pub fn commit_tree_as(&self, person: &Person, tree: &str, message: &str) -> String {
        let head = self.rev_parse("HEAD");
        let signing = format!("user.signingkey={}", person.signing_key().private.display());
        let commit = self.git_as(
            person,
            &[
                "-c",
                &signing,
                "commit-tree",
                tree,
                "-p",
                &head,
                "-S",
                "-m",
                message,
            ],
        );
        let commit = commit.trim().to_string();
        self.git(&["update-ref", "HEAD", &commit]);
        commit
    }

    // ---- git ----------------------------------------------------------------

    pub fn rev_parse(&self, rev: &str) -> String {
        self.git(&["rev-parse", rev]).trim().to_string()
    }

    /// Run git in the repository; panics with its stderr when it fails.
    pub fn git(&self, args: &[&str]) -> String {
        run(
            self.git_command().args(args),
            &format!("git {}", args.join(" ")),
        )
    }

    fn git_as(&self, author: &Person, args: &[&str]) -> String {
        let date = self.next_date.borrow_mut().take().unwrap_or_else(|| {
            let time = self.clock.get();
            self.clock.set(time + 60);
            format!("@{time} +0800")
        });
        let mut command = self.git_command();
        command
            .args(args)
            .env("GIT_AUTHOR_NAME", &author.name)
            .env("GIT_AUTHOR_EMAIL", &author.email)
            .env("GIT_COMMITTER_NAME", &author.name)
            .env("GIT_COMMITTER_EMAIL", &author.email)
            .env("GIT_AUTHOR_DATE", &date)
            .env("GIT_COMMITTER_DATE", &date);
        run(&mut command, &format!("git {}", args.join(" ")))
    }

    fn git_command(&self) -> Command {
        let mut command = Command::new("git");
        command.current_dir(&self.root);
        self.isolate(&mut command);
        command
    }

    /// Keep the machine's git configuration and environment out.
    fn isolate(&self, command: &mut Command) {
        for variable in [
            "GIT_DIR",
            "GIT_WORK_TREE",
            "GIT_INDEX_FILE",
            "GIT_OBJECT_DIRECTORY",
            "GIT_CEILING_DIRECTORIES",
            // `check --external` must reach the tests' own local servers.
            "HTTP_PROXY",
            "HTTPS_PROXY",
            "ALL_PROXY",
            "http_proxy",
            "https_proxy",
            "all_proxy",
        ] {
            command.env_remove(variable);
        }
        command
            .env("HOME", &self.home)
            .env("GIT_CONFIG_GLOBAL", "/dev/null")
            .env("GIT_CONFIG_NOSYSTEM", "1")
            .env("GIT_TERMINAL_PROMPT", "0")
            .env("LC_ALL", "C.UTF-8");
    }

    /// Commits are made one at a time, so one message file serves them all.
    fn message_file(&self, message: &str) -> String {
        let file = self.home.join("message.txt");
        fs::write(&file, message).expect("write the commit message");
        file.display().to_string()
    }

    // ---- sanshen ------------------------------------------------------------

    /// Run the real `sanshen` binary with `--root` this repository.
    pub fn sanshen(&self, args: &[&str]) -> Output {
        self.sanshen_at(&self.root, args)
    }

    /// Run `sanshen` with `--root root` (another clone, say).
    pub fn sanshen_at(&self, root: &Path, args: &[&str]) -> Output {
        self.sanshen_command(root, args)
            .output()
            .expect("run sanshen")
    }

    /// The `sanshen` command with `--root root`, isolated like every run,
    /// for a test that starts it itself (a server that keeps running).
    pub fn sanshen_command(&self, root: &Path, args: &[&str]) -> Command {
        let mut command = Command::new(env!("CARGO_BIN_EXE_sanshen"));
        command.arg("--root").arg(root).args(args);
        self.isolate(&mut command);
        command
    }

    /// `build --out <out> --now NOW --manifest <file>` plus `extra` arguments.
    pub fn build_with(&self, extra: &[&str]) -> Build {
        let manifest = self.home.join("manifest.json");
        let _ = fs::remove_file(&manifest);
        let out = self.out.display().to_string();
        let manifest_arg = manifest.display().to_string();
        let mut args = vec![
            "build",
            "--out",
            &out,
            "--now",
            NOW,
            "--manifest",
            &manifest_arg,
        ];
        args.extend_from_slice(extra);
        let output = self.sanshen(&args);
        let manifest = fs::read_to_string(&manifest)
            .ok()
            .map(|text| serde_json::from_str(&text).expect("the manifest is JSON"));
        Build {
            output,
            out: self.out.clone(),
            manifest,
        }
    }

    pub fn build(&self) -> Build {
        self.build_with(&[])
    }

    /// The parsed JSON of `build --manifest`; the build must succeed.
    pub fn build_manifest(&self) -> Value {
        let build = self.build();
        build.assert_success();
        build
            .manifest
            .expect("a successful build writes the manifest")
    }

    /// `status --json --now NOW`, parsed; the command must succeed.
    pub fn status_json(&self) -> Vec<Value> {
        self.status_json_with(&[])
    }

    pub fn status_json_with(&self, extra: &[&str]) -> Vec<Value> {
        let mut args = vec!["status", "--json", "--now", NOW];
        args.extend_from_slice(extra);
        let output = self.sanshen(&args);
        assert!(
            output.status.success(),
            "sanshen status failed ({:?}):\n{}",
            output.status.code(),
            String::from_utf8_lossy(&output.stderr)
        );
        match serde_json::from_slice(&output.stdout) {
            Ok(Value::Array(items)) => items,
            other => panic!("status --json must print an array, got {other:?}"),
        }
    }

    /// Build (which must succeed) and read the status: what is online now.
    pub fn snapshot(&self) -> Snapshot {
        self.snapshot_with(&[])
    }

    pub fn snapshot_with(&self, extra: &[&str]) -> Snapshot {
        let build = self.build_with(extra);
        build.assert_success();
        let status = self.status_json_with(extra);
        Snapshot { build, status }
    }
}

/// A raw tree object: `(mode, name, hex id)` entries in the order given
/// (git's own order is the caller's business: a forger need not keep it).
pub fn raw_tree(entries: &[(&str, &[u8], &str)]) -> Vec<u8> {
    let mut bytes = Vec::new();
    for (mode, name, oid) in entries {
        bytes.extend_from_slice(mode.as_bytes());
        bytes.push(b' ');
        bytes.extend_from_slice(name);
        bytes.push(0);
        for pair in oid.as_bytes().chunks(2) {
            let hex = std::str::from_utf8(pair).expect("hex");
            bytes.push(u8::from_str_radix(hex, 16).expect("a hex object id"));
        }
    }
    bytes
}

/// A message whose last paragraph is the trailer block.
pub fn trailer_message(subject: &str, trailers: &[String]) -> String {
    format!("{subject}\n\n{}\n", trailers.join("\n"))
}

fn run(command: &mut Command, what: &str) -> String {
    let output = command
        .output()
        .unwrap_or_else(|e| panic!("cannot run {what}: {e}"));
    assert!(
        output.status.success(),
        "{what} failed ({:?}):\n{}{}",
        output.status.code(),
        String::from_utf8_lossy(&output.stdout),
        String::from_utf8_lossy(&output.stderr)
    );
    String::from_utf8_lossy(&output.stdout).into_owned()
}

/// The outcome of one `sanshen build`.
pub struct Build {
    pub output: Output,
    pub out: PathBuf,
    pub manifest: Option<Value>,
}

impl Build {
    pub fn code(&self) -> Option<i32> {
        self.output.status.code()
    }

    pub fn stderr(&self) -> String {
        String::from_utf8_lossy(&self.output.stderr).into_owned()
    }

    pub fn assert_success(&self) {
        assert_eq!(
            self.code(),
            Some(0),
            "sanshen build failed:\n{}{}",
            String::from_utf8_lossy(&self.output.stdout),
            self.stderr()
        );
    }

    /// The output file of an article path: `content/news/a.md` and the
    /// bundle `content/news/a` both become `news/a/index.html`.
    pub fn page_file(&self, article: &str) -> PathBuf {
        let inner = article
            .strip_prefix("content/")
            .expect("an article path under content/");
        let slug_path = inner.strip_suffix(".md").unwrap_or(inner);
        self.out.join(slug_path).join("index.html")
    }

    pub fn page(&self, article: &str) -> Option<String> {
        fs::read_to_string(self.page_file(article)).ok()
    }

    /// The manifest's `held_back` entries for a path (an article,
    /// `site.toml`, `themes/<name>`).
    pub fn held_back(&self, path: &str) -> Vec<&Value> {
        self.manifest
            .as_ref()
            .and_then(|m| m.get("held_back"))
            .and_then(Value::as_array)
            .map(|items| items.iter().filter(|h| h["path"] == path).collect())
            .unwrap_or_default()
    }

    /// The manifest's entry for an article path.
    pub fn manifest_entry(&self, article: &str) -> Option<&Value> {
        self.manifest
            .as_ref()?
            .get("articles")?
            .as_array()?
            .iter()
            .find(|a| a["path"] == article)
    }
}

/// What a build put online and what `status --json` says, at one revision.
pub struct Snapshot {
    pub build: Build,
    pub status: Vec<Value>,
}

impl Snapshot {
    /// Is the article online? The page and the manifest must agree.
    pub fn online(&self, article: &str) -> bool {
        let page = self.build.page_file(article).exists();
        let listed = self.build.manifest_entry(article).is_some();
        assert_eq!(
            page, listed,
            "{article}: page on disk ({page}) and manifest entry ({listed}) disagree"
        );
        page
    }

    pub fn page(&self, article: &str) -> String {
        self.build
            .page(article)
            .unwrap_or_else(|| panic!("{article} has no page in the output"))
    }

    /// The `status --json` object of an article path.
    pub fn status(&self, article: &str) -> &Value {
        self.status
            .iter()
            .find(|s| s["path"] == article)
            .unwrap_or_else(|| {
                panic!(
                    "status --json has no entry for {article}: {:#?}",
                    self.status
                )
            })
    }

    pub fn state(&self, article: &str) -> &str {
        self.status(article)["state"]
            .as_str()
            .unwrap_or("<no state>")
    }

    pub fn published_oid(&self, article: &str) -> Option<&str> {
        self.status(article)["published_oid"].as_str()
    }

    pub fn next_stage(&self, article: &str) -> Option<&str> {
        self.status(article)["next_stage"].as_str()
    }

    pub fn eligible(&self, article: &str) -> Vec<String> {
        strings(&self.status(article)["eligible"])
    }

    /// `by` of one stage in `status --json`.
    pub fn stage_by(&self, article: &str, stage: &str) -> Vec<String> {
        strings(&self.stage(article, stage)["by"])
    }

    pub fn stage_done(&self, article: &str, stage: &str) -> bool {
        self.stage(article, stage)["done"] == true
    }

    fn stage(&self, article: &str, stage: &str) -> &Value {
        self.status(article)["stages"]
            .as_array()
            .and_then(|stages| stages.iter().find(|s| s["id"] == stage))
            .unwrap_or_else(|| panic!("{article} has no stage {stage}: {:#}", self.status(article)))
    }

    /// The `ignored` records of an article: (stage or record, refusal code).
    pub fn ignored(&self, article: &str) -> Vec<(String, String)> {
        self.status(article)["ignored"]
            .as_array()
            .map(|items| {
                items
                    .iter()
                    .map(|i| {
                        let stage = i["stage"]
                            .as_str()
                            .or(i["record"].as_str())
                            .unwrap_or("")
                            .to_string();
                        (stage, i["refusal"].as_str().unwrap_or("").to_string())
                    })
                    .collect()
            })
            .unwrap_or_default()
    }

    /// Is `(stage, refusal)` among the ignored records of the article?
    pub fn refused(&self, article: &str, stage: &str, refusal: &str) -> bool {
        self.ignored(article)
            .iter()
            .any(|(s, r)| s == stage && r == refusal)
    }
}

fn strings(value: &Value) -> Vec<String> {
    value
        .as_array()
        .map(|items| {
            items
                .iter()
                .filter_map(|v| v.as_str().map(str::to_string))
                .collect()
        })
        .unwrap_or_default()
}

/// Assert that `refusal` was recorded for `stage` of `article`, showing the
/// status on failure.
#[track_caller]
pub fn assert_refused(snapshot: &Snapshot, article: &str, stage: &str, refusal: &str) {
    assert!(
        snapshot.refused(article, stage, refusal),
        "{article}: expected `{stage}` to be ignored as `{refusal}`; status says:\n{:#}",
        snapshot.status(article)
    );
}

// ---- reviewers at their own machines ---------------------------------------

impl TestRepo {
    /// Configure this repository's git as `person` configures it on their
    /// own machine to sign with SSH: `user.name`, `user.email`,
    /// `gpg.format=ssh` and `user.signingkey` (the private key file, so no
    /// ssh-agent is needed). What `sanshen approve` and `withdraw` sign with.
    pub fn configure_signer(&self, person: &Person) {
        let key = person.signing_key().private.display().to_string();
        for (name, value) in [
            ("user.name", person.name.as_str()),
            ("user.email", person.email.as_str()),
            ("gpg.format", "ssh"),
            ("user.signingkey", key.as_str()),
        ] {
            self.git(&["config", name, value]);
        }
    }

    /// Run `sanshen` for a command that commits (`approve`, `withdraw`), with
    /// the commit dated by the test clock like every other commit of the test,
    /// so an approval never lands after the articles' `date` (which would be
    /// backdating) whatever day the tests run.
    pub fn sanshen_committing(&self, args: &[&str]) -> Output {
        let date = self.next_date.borrow_mut().take().unwrap_or_else(|| {
            let time = self.clock.get();
            self.clock.set(time + 60);
            format!("@{time} +0800")
        });
        let mut command = Command::new(env!("CARGO_BIN_EXE_sanshen"));
        command.arg("--root").arg(&self.root).args(args);
        self.isolate(&mut command);
        command
            .env("GIT_AUTHOR_DATE", &date)
            .env("GIT_COMMITTER_DATE", &date);
        command.output().expect("run sanshen")
    }

    /// `%G?` of a commit as git shows it, with an allowed-signers file
    /// listing `people` by their addresses: `G` is a good signature.
    pub fn signature_status(&self, commit: &str, people: &[&Person]) -> String {
        let signers = self.home.join("allowed_signers");
        let lines: String = people
            .iter()
            .flat_map(|person| {
                person
                    .keys
                    .iter()
                    .map(move |key| format!("{} {}\n", person.email, key.public_line))
            })
            .collect();
        fs::write(&signers, lines).expect("write the allowed signers file");
        let setting = format!("gpg.ssh.allowedSignersFile={}", signers.display());
        self.git(&["-c", &setting, "log", "-1", "--format=%G?", commit])
            .trim()
            .to_string()
    }
}

/// Every file under `dir` with its bytes, by path relative to `dir`: two
/// outputs are identical when these maps are equal.
pub fn folder_files(dir: &Path) -> std::collections::BTreeMap<PathBuf, Vec<u8>> {
    let mut found = std::collections::BTreeMap::new();
    let mut pending = vec![dir.to_path_buf()];
    while let Some(folder) = pending.pop() {
        for entry in fs::read_dir(&folder).expect("read an output folder") {
            let path = entry.expect("a folder entry").path();
            if path.is_dir() {
                pending.push(path);
            } else {
                let bytes = fs::read(&path).expect("read an output file");
                let relative = path.strip_prefix(dir).expect("inside the folder");
                found.insert(relative.to_path_buf(), bytes);
            }
        }
    }
    found
}
