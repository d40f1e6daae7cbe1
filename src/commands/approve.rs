//! `sanshen approve --stage S PATH...` and `--merge BRANCH`: record an
//! approval as a signed commit, after checking it would count.

use std::path::Path;

use git2::Oid;

use crate::cli::ApproveArgs;
use crate::error::{Diagnostic, Error, ErrorKind, Result};
use crate::ledger::Ledger;
use crate::ledger::history::{self, PathKind, RecordFacts};
use crate::ledger::trailers::Record;
use crate::ledger::trees::Trees;
use crate::repo::Repo;
use crate::signing::{self, git};

pub fn run(root: &Path, args: &ApproveArgs) -> Result<i32> {
    let repo = Repo::open(root)?;
    let head = repo.resolve_commit("HEAD")?;
    match &args.merge {
        None => approve_head(root, &repo, head, args),
        Some(branch) => approve_merge(root, &repo, head, branch, args),
    }
}

/// Turn what the user typed into the path an approval names: `./a.md` →
/// `content/…/a.md`; `…/bundle/index.md` or `…/bundle/` → the bundle folder.
fn approval_path(repo: &Repo, tree: Oid, typed: &str) -> Result<String> {
    let mut path = typed
        .trim()
        .trim_start_matches("./")
        .trim_end_matches('/')
        .to_string();
    if let Some(folder) = path.strip_suffix("/index.md")
        && folder.starts_with("content/")
    {
        path = folder.to_string();
    }
    if PathKind::of_path(&path).is_none() {
        return Err(Error::config(
            Diagnostic::new(format!("`{typed}` cannot be approved"))
                .with_help("name an article (content/<column>/<slug>.md or a bundle folder), site.toml, themes/<name> or approvals"),
        ));
    }
    if repo.entry_at(tree, &path)?.is_none() {
        return Err(Error::config(
            Diagnostic::new(format!("`{path}` does not exist at HEAD"))
                .with_help("commit it first: approvals name committed versions"),
        ));
    }
    Ok(path)
}

fn records_for(
    repo: &Repo,
    commit: Oid,
    stage: &str,
    paths: &[String],
) -> Result<Vec<RecordFacts>> {
    let tree = repo.commit_tree(commit)?;
    let mut trees = Trees::new();
    paths
        .iter()
        .map(|path| {
            let record = Record::Approve {
                stage: stage.to_string(),
                path: path.clone(),
                object_id: None,
            };
            history::record_facts(repo, &mut trees, tree, record)
        })
        .collect()
}

/// The trailer lines, with explicit object ids.
fn trailers(records: &[RecordFacts]) -> String {
    records
        .iter()
        .filter_map(|r| match (&r.record, &r.target) {
            (Record::Approve { stage, .. }, Some(target)) => {
                Some(format!("Approve: {stage} {} {}", target.path, target.oid))
            }
            _ => None,
        })
        .collect::<Vec<_>>()
        .join("\n")
}

fn refuse(ignored: Vec<crate::ledger::verdict::Ignored>) -> Error {
    Error::many(
        ErrorKind::Config,
        ignored
            .into_iter()
            .map(|i| {
                Diagnostic::in_file(i.path.unwrap_or_default(), format!("this approval would not count ({}): {}", i.refusal.code(), i.detail))
                    .with_help("nothing was committed; `sanshen status <path>` shows the next stage and who may take it")
            })
            .collect(),
    )
}

fn title_of(repo: &Repo, records: &[RecordFacts]) -> Option<String> {
    let target = records.first()?.target.as_ref()?;
    match history::version_facts(repo, target.kind, &target.oid).ok()? {
        history::VersionFacts::Article(Ok(facts)) => facts.title,
        _ => None,
    }
}

fn subject(
    ledger: &Ledger,
    repo: &Repo,
    stage: &str,
    records: &[RecordFacts],
    custom: Option<&str>,
) -> String {
    if let Some(custom) = custom {
        return custom.to_string();
    }
    let stage_name = ledger
        .verdict
        .policy
        .workflows
        .values()
        .flat_map(|w| w.stages.iter())
        .find(|s| s.id == stage)
        .map(|s| s.name.clone())
        .unwrap_or_else(|| stage.to_string());
    match (records.len(), title_of(repo, records)) {
        (1, Some(title)) => format!("{stage_name}：{title}"),
        (n, _) => format!("{stage_name}：{n} 项"),
    }
}

fn approve_head(root: &Path, repo: &Repo, head: Oid, args: &ApproveArgs) -> Result<i32> {
    if args.paths.is_empty() {
        return Err(Error::config(
            Diagnostic::new("name at least one path to approve")
                .with_help("sanshen approve --stage final content/news/a.md"),
        ));
    }
    let ledger = Ledger::evaluate(repo, head, args.policy_root.as_deref())?;
    let signer = signing::identify(root, &ledger.verdict.policy)?;
    let tree = repo.commit_tree(head)?;
    let paths = args
        .paths
        .iter()
        .map(|p| approval_path(repo, tree, p))
        .collect::<Result<Vec<_>>>()?;
    let records = records_for(repo, head, &args.stage, &paths)?;
    let ignored = ledger.trial(
        repo,
        args.policy_root.as_deref(),
        (&signer.fingerprint, &signer.email),
        records.clone(),
        None,
    )?;
    if !ignored.is_empty() {
        return Err(refuse(ignored));
    }
    signing::ensure_nothing_staged(root)?;
    let message = subject(
        &ledger,
        repo,
        &args.stage,
        &records,
        args.message.as_deref(),
    );
    git(
        root,
        &[
            "commit",
            "--allow-empty",
            "-S",
            "-m",
            &message,
            "-m",
            &trailers(&records),
        ],
    )?;
    let commit = git(root, &["rev-parse", "HEAD"])?;
    println!(
        "{} approved stage `{}` of {} in commit {commit}",
        signer.person,
        args.stage,
        paths.join(", ")
    );
    Ok(0)
}

fn approve_merge(
    root: &Path,
    repo: &Repo,
    head: Oid,
    branch: &str,
    args: &ApproveArgs,
) -> Result<i32> {
    let tip = repo.resolve_commit(branch)?;
    let ledger = Ledger::evaluate(repo, head, args.policy_root.as_deref())?;
    let signer = signing::identify(root, &ledger.verdict.policy)?;
    signing::ensure_nothing_staged(root)?;
    git(root, &["merge", "--no-ff", "--no-commit", branch]).map_err(|mut err| {
        let _ = git(root, &["merge", "--abort"]);
        err.diagnostics.push(
            Diagnostic::new("the merge was abandoned")
                .with_help("resolve the branch's conflicts with main first"),
        );
        err
    })?;
    let outcome = merge_records(root, repo, head, &args.stage).and_then(|(records, merged)| {
        let ignored = ledger.trial(
            repo,
            args.policy_root.as_deref(),
            (&signer.fingerprint, &signer.email),
            records.clone(),
            Some((tip, merged)),
        )?;
        if ignored.is_empty() {
            Ok(records)
        } else {
            Err(refuse(ignored))
        }
    });
    let records = match outcome {
        Ok(records) if !records.is_empty() => records,
        Ok(_) => {
            let _ = git(root, &["merge", "--abort"]);
            return Err(Error::config(Diagnostic::new(format!(
                "{branch} changes no article"
            ))));
        }
        Err(err) => {
            let _ = git(root, &["merge", "--abort"]);
            return Err(err);
        }
    };
    let message = args
        .message
        .clone()
        .unwrap_or_else(|| format!("合并并审核 {branch}：{} 项", records.len()));
    git(
        root,
        &["commit", "-S", "-m", &message, "-m", &trailers(&records)],
    )?;
    let commit = git(root, &["rev-parse", "HEAD"])?;
    println!(
        "{} merged {branch} approving stage `{}` of {} article(s) in commit {commit}",
        signer.person,
        args.stage,
        records.len()
    );
    Ok(0)
}

/// Approval records for every article the staged merge changes against
/// HEAD, and the merged tree.
fn merge_records(
    root: &Path,
    repo: &Repo,
    head: Oid,
    stage: &str,
) -> Result<(Vec<RecordFacts>, Oid)> {
    let written = git(root, &["write-tree"])?;
    let merged = crate::repo::parse_oid(&written)?;
    let before = repo.commit_tree(head)?;
    let mut trees = Trees::new();
    let changes = history::tracked_changes(repo, &mut trees, &[before], merged)?;
    let mut records = Vec::new();
    for change in changes.into_iter().filter(|c| c.kind.is_article()) {
        let Some(oid) = change.oid else { continue };
        // A file inside a bundle is approved through its bundle.
        if history::bundle_holding(repo, &mut trees, merged, &change.path).is_some() {
            continue;
        }
        let record = Record::Approve {
            stage: stage.to_string(),
            path: change.path.clone(),
            object_id: Some(oid),
        };
        records.push(history::record_facts(repo, &mut trees, merged, record)?);
    }
    Ok((records, merged))
}
