//! `sanshen demo`: the bundled portal (云州科技网) turned into a reviewed,
//! built site, so a reader sees the whole system work in one command.
//!
//! The demo writes a new git repository whose history is a scripted review
//! season ([`history`]): each of the policy's people signs their own commits
//! in-process with a demo key ([`signer`]), written by [`writer`]. It then
//! builds the site through the same code path as `sanshen build`, at a fixed
//! clock so the result is reproducible, and prints what happened and how to
//! explore it. Nothing is deleted afterwards: the repository, the site, the
//! keys and an `allowed_signers` file for `git log --show-signature` stay in
//! the demo folder. [`serve`] shows the site in a browser.

pub mod history;
pub mod policy;
pub mod portal;
pub mod serve;
pub mod signer;
pub mod writer;

use std::collections::BTreeMap;
use std::fs;
use std::path::{Path, PathBuf};

use crate::cli::BuildArgs;
use crate::error::{Diagnostic, Error, Result};
use crate::ledger::Ledger;
use crate::ledger::policy::POLICY_FILE;
use crate::publish::State;
use crate::repo::Repo;
use crate::site::Language;
use crate::status::{self, ArticleStatus};
use history::{DEMO_NOW, KEY_REGISTERED, Keyring, TRY_IT, UNREGISTERED_KEY};
use signer::DemoKey;
use writer::DemoRepository;

/// Where a demo was written.
#[derive(Debug, Clone)]
pub struct DemoFolder {
    pub root: PathBuf,
    pub repository: PathBuf,
    pub site: PathBuf,
    pub keys: PathBuf,
    pub allowed_signers: PathBuf,
    pub manifest: PathBuf,
}

impl DemoFolder {
    fn at(root: PathBuf) -> DemoFolder {
        DemoFolder {
            repository: root.join("repo"),
            site: root.join("public"),
            keys: root.join("keys"),
            allowed_signers: root.join("allowed_signers"),
            manifest: root.join("manifest.json"),
            root,
        }
    }
}

/// Write the demo into `out` (a new or empty folder) or a new folder under
/// the system's temporary folder, build it, and print the summary (`serving`:
/// the caller serves the site next, so no need to suggest it). Returns the
/// folder and the build's exit code.
pub fn run(out: Option<&Path>, serving: bool) -> Result<(DemoFolder, i32)> {
    let folder = DemoFolder::at(prepare_folder(out)?);
    let keyring = keyring()?;

    let mut repository = DemoRepository::create(&folder.repository)?;
    let policy_root = history::replay(&mut repository, &keyring)?;
    let commits = repository.commit_count();
    repository.finish()?;
    write_keys(&folder, &keyring)?;

    let chinese = portal_language_is_chinese();
    println!(
        "{}",
        pick(
            chinese,
            "三审演示 · 云州科技网",
            "sanshen demo · 云州科技网"
        )
    );
    println!(
        "{}  {}  {}",
        pick(chinese, "仓库", "repository"),
        shell_path(&folder.repository),
        pick(
            chinese,
            &format!("（{commits} 个提交，2026年8月至11月，均由当事人签名）"),
            &format!("({commits} commits, August to November 2026, each signed by its author)")
        )
    );
    println!(
        "{}  {}  {}",
        pick(chinese, "密钥", "keys"),
        shell_path(&folder.keys),
        pick(
            chinese,
            "（演示密钥由公开规则推导，不是机密，切勿用于真实站点 — NOT SECRET）",
            "(demo keys derived by a published rule: NOT SECRET, never use them for a real site)"
        )
    );

    let build = BuildArgs {
        rev: "HEAD".into(),
        out: Some(folder.site.clone()),
        now: Some(DEMO_NOW.into()),
        policy_root: Some(policy_root.clone()),
        manifest: Some(folder.manifest.clone()),
        timings: false,
        no_cache: false,
    };
    let code = crate::commands::build::run(&folder.repository, &build)?;
    print_summary(&folder, &policy_root, chinese, serving)?;
    Ok((folder, code))
}

/// Serve the demo's site on 127.0.0.1:`port` until the process is stopped.
pub fn serve_site(folder: &DemoFolder, port: u16) -> Result<()> {
    let server = serve::StaticServer::bind(&folder.site, port)?;
    let (serving, stop) = if portal_language_is_chinese() {
        ("站点已在以下地址提供", "按 Ctrl+C 结束")
    } else {
        ("serving the site at", "Ctrl+C stops")
    };
    println!();
    println!("{serving} {}  ({stop})", server.url());
    server.run();
    Ok(())
}

/// The keys of every person in the bundled policy, the policy texts with
/// them, and the one key that is registered only by policy version 2.
fn keyring() -> Result<Keyring> {
    let template = portal::file(POLICY_FILE)
        .ok_or_else(|| not_bundled(POLICY_FILE))
        .and_then(|bytes| {
            String::from_utf8(bytes.to_vec()).map_err(|_| {
                Error::config(Diagnostic::in_file(
                    POLICY_FILE,
                    "the bundled policy is not UTF-8",
                ))
            })
        })?;
    let people: Vec<String> = policy::template_policy(&template)?
        .people
        .into_keys()
        .collect();
    let mut keys = BTreeMap::new();
    let mut lines: BTreeMap<String, Vec<String>> = BTreeMap::new();
    for person in people {
        let key = DemoKey::derive(&person)?;
        lines.insert(person.clone(), vec![key.public_line()?]);
        keys.insert(person, key);
    }
    let (first, _) = policy::with_keys(&template, 1, &lines)?;

    let (owner, label) = UNREGISTERED_KEY;
    let extra = DemoKey::derive(label)?;
    lines
        .get_mut(owner)
        .ok_or_else(|| {
            Error::config(Diagnostic::in_file(
                POLICY_FILE,
                format!("the demo registers a second key for `{owner}`, who is not in the bundled policy"),
            ))
        })?
        .push(extra.public_line()?);
    let (second, policy) = policy::with_keys(&template, 2, &lines)?;
    Ok(Keyring {
        keys,
        unregistered: BTreeMap::from([(label.to_string(), extra)]),
        policies: BTreeMap::from([(1, first), (2, second)]),
        policy,
    })
}

/// The demo folder: `out` if it is new or empty, else `sanshen-demo-<n>`
/// under the temporary folder, the first number not taken.
fn prepare_folder(out: Option<&Path>) -> Result<PathBuf> {
    if let Some(out) = out {
        let out = std::path::absolute(out).map_err(|e| Error::io(out, &e, "find the folder"))?;
        let has_files = match fs::read_dir(&out) {
            Ok(mut entries) => entries.next().is_some(),
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => false,
            Err(e) => return Err(Error::io(&out, &e, "read the folder")),
        };
        if has_files {
            return Err(Error::config(
                Diagnostic::in_file(out.display().to_string(), "is not empty; the demo writes only into a new or empty folder")
                    .with_help("name a new folder with --out, or leave --out away to use a new temporary folder"),
            ));
        }
        fs::create_dir_all(&out).map_err(|e| Error::io(&out, &e, "create the demo folder"))?;
        return Ok(out);
    }
    let base = std::env::temp_dir();
    for number in 1..10_000 {
        let candidate = base.join(format!("sanshen-demo-{number}"));
        match fs::create_dir(&candidate) {
            Ok(()) => return Ok(candidate),
            Err(e) if e.kind() == std::io::ErrorKind::AlreadyExists => continue,
            Err(e) => return Err(Error::io(&candidate, &e, "create the demo folder")),
        }
    }
    Err(Error::config(
        Diagnostic::in_file(
            base.display().to_string(),
            "holds 9999 sanshen-demo folders already",
        )
        .with_help("remove old ones, or choose a folder with --out"),
    ))
}

/// Private keys (so a reader can sign as a demo person with plain git),
/// their public halves, and `allowed_signers` for `git log --show-signature`.
fn write_keys(folder: &DemoFolder, keyring: &Keyring) -> Result<()> {
    fs::create_dir_all(&folder.keys)
        .map_err(|e| Error::io(&folder.keys, &e, "create the key folder"))?;
    let mut allowed = String::from(
        "# Demo signing keys of sanshen demo. They are NOT secret: never trust them for a real site.\n",
    );
    for (person, key) in &keyring.keys {
        let public = key.public_line()?;
        write_private(&folder.keys.join(person), &key.private_openssh()?)?;
        let public_file = folder.keys.join(format!("{person}.pub"));
        fs::write(&public_file, format!("{public}\n"))
            .map_err(|e| Error::io(&public_file, &e, "write a public key"))?;
    }
    // git checks a signature against this list whatever the commit's date,
    // while sanshen trusts the extra key only from policy version 2 on;
    // `valid-after` makes git agree about the approval signed before that.
    let registered = chrono::DateTime::from_timestamp(KEY_REGISTERED.timestamp()?, 0)
        .map(|t| t.format("%Y%m%d%H%M%SZ").to_string())
        .unwrap_or_default();
    let owners = keyring
        .keys
        .iter()
        .map(|(person, key)| (person.as_str(), key, String::new()));
    let extra = keyring.unregistered.values().map(|key| {
        (
            UNREGISTERED_KEY.0,
            key,
            format!(",valid-after=\"{registered}\""),
        )
    });
    for (person, key, options) in owners.chain(extra) {
        let public = key.public_line()?;
        for email in keyring
            .policy
            .people
            .get(person)
            .into_iter()
            .flat_map(|p| &p.emails)
        {
            allowed.push_str(&format!("{email} namespaces=\"git\"{options} {public}\n"));
        }
    }
    fs::write(&folder.allowed_signers, allowed)
        .map_err(|e| Error::io(&folder.allowed_signers, &e, "write allowed_signers"))
}

/// Write a private key readable by its owner only, as ssh-keygen insists.
fn write_private(path: &Path, text: &str) -> Result<()> {
    use std::io::Write as _;
    let mut options = fs::OpenOptions::new();
    options.write(true).create_new(true);
    #[cfg(unix)]
    {
        use std::os::unix::fs::OpenOptionsExt as _;
        options.mode(0o600);
    }
    options
        .open(path)
        .and_then(|mut file| file.write_all(text.as_bytes()))
        .map_err(|e| Error::io(path, &e, "write a demo key"))
}

fn portal_language_is_chinese() -> bool {
    portal::file(crate::site::config::SITE_FILE)
        .and_then(|bytes| std::str::from_utf8(bytes).ok())
        .and_then(|text| crate::site::SiteConfig::parse(crate::site::config::SITE_FILE, text).ok())
        .is_none_or(|site| site.language == Language::Chinese)
}

/// Counts per state, every article not simply published, and how to explore.
fn print_summary(
    folder: &DemoFolder,
    policy_root: &str,
    chinese: bool,
    serving: bool,
) -> Result<()> {
    let repo = Repo::open(&folder.repository)?;
    let head = repo.resolve_commit("HEAD")?;
    let ledger = Ledger::evaluate(&repo, head, Some(policy_root))?;
    let set = crate::pipeline::publication_set(&repo, &ledger, Some(DEMO_NOW))?;
    let statuses = status::collect(&repo, &ledger, &set.decisions, &[])?;
    let policy = &ledger.verdict.policy;
    let name = |id: &str| {
        policy
            .people
            .get(id)
            .map_or_else(|| id.to_string(), |p| p.name.clone())
    };

    println!(
        "{}  {}",
        pick(chinese, "站点", "site"),
        shell_path(&folder.site)
    );
    println!(
        "{} {DEMO_NOW}: {}",
        pick(chinese, "演示时钟", "demo clock"),
        set.state_counts()
    );
    println!();
    println!(
        "{}",
        pick(
            chinese,
            "未上线或有新版待审的文章：",
            "Articles not online, or online with a newer version in review:"
        )
    );
    for status in statuses.iter().filter(|s| s.state != State::Published) {
        println!("  {:<9}  {}", status.state.as_str(), status.path);
        for line in explain(status, &name, chinese) {
            println!("             {line}");
        }
    }

    let repository = shell_path(&folder.repository);
    println!();
    println!("{}", pick(chinese, "查看：", "Explore:"));
    println!("  sanshen status --root {repository} --now {DEMO_NOW}");
    println!(
        "  git -C {repository} -c gpg.ssh.allowedSignersFile={} log --show-signature",
        shell_path(&folder.allowed_signers)
    );
    println!(
        "  {}  {}",
        pick(chinese, "审核记录", "audit record"),
        shell_path(&folder.manifest)
    );
    if !serving {
        println!(
            "  sanshen demo --serve   {}",
            pick(
                chinese,
                "（另生成一份演示，并在 http://127.0.0.1:8000/ 浏览站点）",
                "(writes another demo and serves its site at http://127.0.0.1:8000/)"
            )
        );
    }
    print_try_it(folder, policy, chinese);
    Ok(())
}

/// The reviews that take the edit in review online, as commands to paste:
/// each reviewer's git identity and demo key, then `sanshen approve`.
fn print_try_it(folder: &DemoFolder, policy: &crate::ledger::policy::Policy, chinese: bool) {
    let (path, reviews) = TRY_IT;
    println!();
    println!(
        "{}",
        pick(
            chinese,
            "试一试：让高新区调研稿的更正（11家→12家）通过复审和终审，再重新构建：",
            "Try it: take the correction in review (11家 → 12家) through re-review and final, then rebuild:"
        )
    );
    println!(
        "  cd {} && git config gpg.format ssh",
        shell_path(&folder.repository)
    );
    for (stage, id) in reviews {
        let Some(person) = policy.people.get(*id) else {
            continue;
        };
        println!(
            "  git config user.name {} && git config user.email {} && git config user.signingkey {}",
            person.name,
            person.emails.first().map_or("", String::as_str),
            shell_path(&folder.keys.join(id))
        );
        println!("  sanshen approve --stage {stage} {path}");
    }
    println!("  sanshen build --out {}", shell_path(&folder.site));
}

/// One or two lines on why an article is in its state and what comes next.
fn explain(status: &ArticleStatus, name: &dyn Fn(&str) -> String, chinese: bool) -> Vec<String> {
    let mut lines = Vec::new();
    if let Some(withdrawn) = &status.withdrawn {
        lines.push(format!(
            "{}{}: {}",
            if chinese { "撤稿 " } else { "withdrawn by " },
            name(&withdrawn.person),
            withdrawn.reason.as_deref().unwrap_or("")
        ));
    } else if matches!(
        status.state,
        State::Scheduled | State::Expired | State::Blocked
    ) {
        lines.extend(status.reasons.iter().cloned());
    } else if let Some(stage) = &status.next_stage {
        let eligible: Vec<String> = status.eligible.iter().map(|id| name(id)).collect();
        let done = status
            .stages
            .iter()
            .find(|s| s.id == *stage)
            .filter(|s| s.threshold > 1)
            .map(|s| format!(" ({}/{})", s.by.len(), s.threshold))
            .unwrap_or_default();
        lines.push(format!(
            "{} {stage}{done}: {}",
            if chinese { "下一环节" } else { "next" },
            eligible.join(", ")
        ));
    }
    if let Some(returned) = status.returns.last() {
        lines.push(format!(
            "{} {}: {}",
            if chinese {
                "退回修改"
            } else {
                "returned by"
            },
            returned.person.as_deref().map(name).unwrap_or_default(),
            returned.reason.as_deref().unwrap_or("")
        ));
    }
    for ignored in &status.ignored {
        lines.push(format!(
            "{} {}: {}",
            if chinese { "未计入" } else { "not counted" },
            &ignored.commit[..10.min(ignored.commit.len())],
            ignored.detail
        ));
    }
    lines
}

/// The text in the portal's language (SPEC §6: output follows site.toml).
fn pick<'a>(chinese: bool, zh: &'a str, en: &'a str) -> &'a str {
    if chinese { zh } else { en }
}

/// A path as it can be pasted into a shell.
fn shell_path(path: &Path) -> String {
    let text = path.display().to_string();
    if text
        .chars()
        .all(|c| c.is_ascii_alphanumeric() || "/._-+:@%=,".contains(c))
    {
        text
    } else {
        format!("'{}'", text.replace('\'', r"'\''"))
    }
}

fn not_bundled(path: &str) -> Error {
    Error::config(
        Diagnostic::in_file(path, "is not bundled in this sanshen binary").with_help(
            "build sanshen from its source repository, whose top level holds the demo portal",
        ),
    )
}
