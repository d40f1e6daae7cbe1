//! `sanshen withdraw PATH --reason TEXT` (撤稿): an immediate takedown,
//! recorded as a signed commit by a holder of `settings.withdraw_role`.

use std::path::Path;

use crate::cli::WithdrawArgs;
use crate::error::{Diagnostic, Error, ErrorKind, Result};
use crate::ledger::Ledger;
use crate::ledger::history;
use crate::ledger::trailers::Record;
use crate::ledger::trees::Trees;
use crate::repo::Repo;
use crate::signing::{self, git};

pub fn run(root: &Path, args: &WithdrawArgs) -> Result<i32> {
    let repo = Repo::open(root)?;
    let head = repo.resolve_commit("HEAD")?;
    let ledger = Ledger::evaluate(&repo, head, args.policy_root.as_deref())?;
    let signer = signing::identify(root, &ledger.verdict.policy)?;
    let mut path = args
        .path
        .trim()
        .trim_start_matches("./")
        .trim_end_matches('/')
        .to_string();
    if let Some(folder) = path.strip_suffix("/index.md") {
        path = folder.to_string();
    }
    let reason = args.reason.split_whitespace().collect::<Vec<_>>().join(" ");
    if reason.is_empty() {
        return Err(Error::config(
            Diagnostic::new("--reason is empty")
                .with_help("say why the article is taken down: it is kept in the record"),
        ));
    }
    let record = history::record_facts(
        &repo,
        &mut Trees::new(),
        repo.commit_tree(head)?,
        Record::Withdraw {
            path: path.clone(),
            reason: Some(reason.clone()),
        },
    )?;
    let ignored = ledger
        .trial(
            &repo,
            args.policy_root.as_deref(),
            (&signer.fingerprint, &signer.email),
            vec![record],
            None,
        )?
        .ignored;
    if !ignored.is_empty() {
        return Err(Error::many(
            ErrorKind::Config,
            ignored
                .into_iter()
                .map(|i| {
                    Diagnostic::in_file(
                        &path,
                        format!("the withdrawal would not count: {}", i.detail),
                    )
                })
                .collect(),
        ));
    }
    signing::ensure_nothing_staged(root)?;
    git(
        root,
        &[
            "commit",
            "--allow-empty",
            "-S",
            "-m",
            &format!("撤稿：{path}"),
            "-m",
            &format!("Withdraw: {path}\nWithdraw-Reason: {reason}"),
        ],
    )?;
    let commit = git(root, &["rev-parse", "HEAD"])?;
    println!("{} withdrew {path} in commit {commit}", signer.person);
    Ok(0)
}
