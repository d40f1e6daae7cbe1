//! `sanshen init [DIR]`: a new site repository — site settings, a review
//! policy, one example article per column, a CI workflow and a README (see
//! `crate::scaffold::site`) — on branch `main` of a new git repository.
//!
//! The person running it becomes the policy's administrator and maintainer,
//! with the key git signs with (or `--key`), so the site can be approved and
//! built at once. `init` does not commit: the policy of the first commit is
//! the trust root of every approval after it (SPEC §5), so its people and
//! keys deserve a look before it is made. It prints what to fill in and the
//! commands to run, in the site's language.

use std::fs;
use std::path::{Path, PathBuf};

use git2::{ErrorCode, Repository, RepositoryInitOptions};

use crate::cli::InitArgs;
use crate::error::{Diagnostic, Error, Result};
use crate::ledger::policy::{POLICY_FILE, Policy};
use crate::ledger::signature::TrustedKey;
use crate::rules::text::Say;
use crate::scaffold::site::{self, Owner, WORKFLOW_FILE};
use crate::scaffold::{templates, write_new_file};
use crate::signing::{self, git_config};
use crate::site::SiteConfig;
use crate::site::config::SITE_FILE;

/// The branch a new repository starts on, and CI publishes from.
const BRANCH: &str = "main";

/// Where the administrator's key came from, for the summary.
enum KeySource {
    Given(PathBuf),
    GitConfig,
}

pub fn run(root: &Path, args: &InitArgs) -> Result<i32> {
    let say = Say::new(args.language);
    let target = args.dir.clone().unwrap_or_else(|| root.to_path_buf());
    // A bad --key is refused before anything is created.
    let given_key = match &args.key {
        Some(path) => {
            let absolute =
                std::path::absolute(path).map_err(|e| Error::io(path, &e, "find the key"))?;
            let (line, _) = signing::public_key(Path::new("."), &absolute.display().to_string())?;
            Some(line)
        }
        None => None,
    };
    refuse_unless_empty(&target, &say)?;
    let branch = open_or_create_repository(&target, &say)?;

    let (key, source) = match given_key {
        Some(line) => (Some(line), args.key.clone().map(KeySource::Given)),
        None => match signing::configured_public_key(&target) {
            Ok(Some(line)) => (Some(line), Some(KeySource::GitConfig)),
            Ok(None) => (None, None),
            Err(err) => {
                eprintln!(
                    "{}\n{err}",
                    say.pick(
                        "注意：读取不到 git 的签名公钥（user.signingkey），审核制度中暂未填入你的公钥：",
                        "note: git's signing key (user.signingkey) cannot be read, so the policy does not list your key yet:",
                    )
                );
                (None, None)
            }
        },
    };
    let owner = Owner::from_git(
        git_config(&target, "user.name").ok().flatten(),
        git_config(&target, "user.email").ok().flatten(),
        key,
        args.language,
    );

    let site_text = templates(args.language).site;
    let timezone = SiteConfig::parse(SITE_FILE, site_text)?.timezone;
    let today = crate::site::clock::parse_now(None, timezone)?.date_naive();
    let files = site::starter_files(args.language, &owner, today, &branch);
    let policy_text = files
        .iter()
        .find(|f| f.path == POLICY_FILE)
        .map(|f| f.text.as_str())
        .unwrap_or_default();
    // The owner's name and address came from git: make sure they made a valid policy.
    Policy::parse(POLICY_FILE, policy_text).map_err(Error::config)?;
    for file in &files {
        write_new_file(&target.join(&file.path), &file.text)?;
    }

    print_summary(
        &target,
        args,
        &branch,
        &owner,
        source.as_ref(),
        policy_text,
        &say,
    );
    Ok(0)
}

/// `DIR` may not exist yet, may be empty, or may hold only an empty
/// repository's `.git` (a fresh clone of a new, empty remote).
fn refuse_unless_empty(target: &Path, say: &Say) -> Result<()> {
    let shown = target.display().to_string();
    let entries = match fs::read_dir(target) {
        Ok(entries) => entries,
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => return Ok(()),
        Err(_) if target.exists() => {
            return Err(Error::config(
                Diagnostic::in_file(shown, say.pick("不是文件夹", "is not a folder")).with_help(
                    say.pick(
                        "换一个新文件夹名：sanshen init mysite",
                        "name a new folder: sanshen init mysite",
                    ),
                ),
            ));
        }
        Err(e) => return Err(Error::io(target, &e, "read the folder")),
    };
    let mut found: Vec<String> = entries
        .flatten()
        .map(|e| e.file_name().to_string_lossy().into_owned())
        .filter(|name| name != ".git")
        .collect();
    if found.is_empty() {
        return Ok(());
    }
    found.sort();
    let more = found.len().saturating_sub(3);
    found.truncate(3);
    let listed = if more > 0 {
        say.pick(
            format!("{} 等 {} 项", found.join("、"), found.len() + more),
            format!("{} and {more} more", found.join(", ")),
        )
    } else {
        found.join(say.pick("、", ", ").as_str())
    };
    Err(Error::config(
        Diagnostic::in_file(
            shown,
            say.pick(
                format!("不是空文件夹（有 {listed}），sanshen init 只在新的或空的文件夹中建站"),
                format!("is not empty (it holds {listed}); sanshen init starts a site only in a new or empty folder"),
            ),
        )
        .with_help(say.pick(
            "换一个新文件夹名：sanshen init mysite",
            "name a new folder: sanshen init mysite",
        )),
    ))
}

/// Open the empty repository at `target`, or create one on [`BRANCH`];
/// returns the branch its first commit will be on.
fn open_or_create_repository(target: &Path, say: &Say) -> Result<String> {
    let shown = target.display().to_string();
    let git_error =
        |e: git2::Error| Error::config(Diagnostic::in_file(shown.clone(), e.message().to_string()));
    if target.join(".git").exists() {
        let repo = Repository::open(target).map_err(git_error)?;
        match repo.head() {
            Err(e) if e.code() == ErrorCode::UnbornBranch => {}
            _ => {
                return Err(Error::config(
                    Diagnostic::in_file(
                        shown,
                        say.pick(
                            "已是一个有提交的 git 仓库，sanshen init 只在新的或空的仓库中建站",
                            "is a git repository with commits already; sanshen init starts a site only in a new or empty one",
                        ),
                    )
                    .with_help(say.pick(
                        "换一个新文件夹名：sanshen init mysite",
                        "name a new folder: sanshen init mysite",
                    )),
                ));
            }
        }
        let head = repo.find_reference("HEAD").map_err(git_error)?;
        let branch = head
            .symbolic_target()
            .and_then(|r| r.strip_prefix("refs/heads/"))
            .unwrap_or(BRANCH)
            .to_string();
        return Ok(branch);
    }
    fs::create_dir_all(target).map_err(|e| Error::io(target, &e, "create the folder"))?;
    let mut options = RepositoryInitOptions::new();
    options.initial_head(BRANCH);
    Repository::init_opts(target, &options).map_err(git_error)?;
    Ok(BRANCH.to_string())
}

fn print_summary(
    target: &Path,
    args: &InitArgs,
    branch: &str,
    owner: &Owner,
    source: Option<&KeySource>,
    policy_text: &str,
    say: &Say,
) {
    let folder = target.display();
    println!(
        "{}",
        say.pick(
            format!("已在 {folder} 建立站点仓库（分支 {branch}），文件尚未提交：site.toml、approvals/policy.yaml、content/ 中的 3 篇示例稿件、{WORKFLOW_FILE}、README.md。"),
            format!("A site repository is ready in {folder} (branch {branch}), not committed yet: site.toml, approvals/policy.yaml, 3 example articles in content/, {WORKFLOW_FILE}, README.md."),
        )
    );
    println!();
    match (&owner.key, source) {
        (Some(key), Some(source)) => {
            let fingerprint = TrustedKey::parse(key)
                .map(|k| k.fingerprint())
                .unwrap_or_default();
            let from = match source {
                KeySource::Given(path) => path.display().to_string(),
                KeySource::GitConfig => say.pick("git 的 user.signingkey", "git's user.signingkey"),
            };
            println!(
                "{}",
                say.pick(
                    format!("你已登记为网站管理员和技术支持（approvals/policy.yaml 中的 {}），签名公钥 {fingerprint}，来自 {from}。", owner.id),
                    format!("You are the site's administrator and maintainer (`{}` in approvals/policy.yaml), signing with {fingerprint} from {from}.", owner.id),
                )
            );
        }
        _ => {
            let line = site::owner_keys_line(policy_text, owner)
                .map(|l| format!("{POLICY_FILE}:{l}"))
                .unwrap_or_else(|| POLICY_FILE.to_string());
            println!(
                "{}",
                say.pick(
                    format!("审核制度中还没有你的 SSH 公钥：在 {line} 的 keys 中填入公钥整行（~/.ssh/id_ed25519.pub 的内容；没有就先运行 ssh-keygen -t ed25519），并让 git 用它签名：\n  git config --global gpg.format ssh\n  git config --global user.signingkey ~/.ssh/id_ed25519.pub"),
                    format!("The policy does not list your SSH public key yet: put its whole line (the contents of ~/.ssh/id_ed25519.pub; ssh-keygen -t ed25519 makes one) into keys at {line}, and have git sign with it:\n  git config --global gpg.format ssh\n  git config --global user.signingkey ~/.ssh/id_ed25519.pub"),
                )
            );
        }
    }
    if owner.email.is_none() {
        println!(
            "{}",
            say.pick(
                "git 没有设置 user.email：在 approvals/policy.yaml 中把你的 email 改为你提交时使用的邮箱，并 git config --global user.email 该邮箱。",
                "git has no user.email: set your email in approvals/policy.yaml to the address you commit with, and git config --global user.email that address.",
            )
        );
    }
    println!();
    let cd = if args.dir.is_some() || target != Path::new(".") {
        let dir = target.display().to_string();
        if dir.contains(char::is_whitespace) {
            format!("cd \"{dir}\" && ")
        } else {
            format!("cd {dir} && ")
        }
    } else {
        String::new()
    };
    print!(
        "{}",
        crate::scaffold::fill(templates(args.language).next_steps, &[("cd", &cd)])
    );
}
