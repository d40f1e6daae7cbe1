//! `sanshen approve --stage S PATH...` and `--merge BRANCH`: record an
//! approval as a signed commit, after checking it would count.

use std::path::Path;

use git2::Oid;

use crate::cli::ApproveArgs;
use crate::error::{Diagnostic, Error, ErrorKind, Result};
use crate::i18n::{Language, Say};
use crate::ledger::Ledger;
use crate::ledger::effect::PolicyEffect;
use crate::ledger::history::{self, PathKind, RecordFacts};
use crate::ledger::trailers::Record;
use crate::ledger::trees::Trees;
use crate::publish::{self, ApprovedSite};
use crate::repo::Repo;
use crate::rules::ContentRules;
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
    let trial = ledger.trial(
        repo,
        args.policy_root.as_deref(),
        (&signer.fingerprint, &signer.email),
        records.clone(),
        None,
    )?;
    if !trial.ignored.is_empty() {
        return Err(refuse(trial.ignored));
    }
    // What build would hold back is refused before anything is committed.
    let site = ApprovedSite::at_head(repo, &ledger).ok();
    let say = site_language(site.as_ref());
    let problems = would_be_held_back(repo, &ledger, site.as_ref(), &records, &say)?;
    if !problems.is_empty() {
        return Err(Error::many(ErrorKind::Content, problems));
    }
    if let Some(effect) = policy_effect(repo, &ledger, &trial, &records)? {
        confirm_policy_change(&effect, &say, args.yes)?;
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

/// The site's language for messages; Chinese until a site.toml is approved.
fn site_language(site: Option<&ApprovedSite>) -> Say {
    Say::new(site.map_or(Language::Chinese, |site| site.config.language))
}

/// Why each approved version would be held back by `build`: an article that
/// is invalid or fails a blocking rule, a site.toml or theme that is
/// invalid, a policy that would not be taken. Empty when all is well.
fn would_be_held_back(
    repo: &Repo,
    ledger: &Ledger,
    site: Option<&ApprovedSite>,
    records: &[RecordFacts],
    say: &Say,
) -> Result<Vec<Diagnostic>> {
    let policy = &ledger.verdict.policy;
    let nothing_committed = say.pick(
        "没有提交任何内容：请改正后重新送审",
        "nothing was committed: correct it and have the correction reviewed",
    );
    let mut problems = Vec::new();
    // The approval's own commit time: when the review would complete.
    let now = signing::commit_time(
        repo.root(),
        site.as_ref()
            .map_or(chrono_tz::Asia::Shanghai, |s| s.config.timezone),
    )?;
    let gate = match site {
        Some(site) => Some(ContentRules::load(ledger, &site.config, now)?),
        None => None,
    };
    let articles = match site {
        Some(site) => publish::article_paths(
            &repo.list_tree(repo.commit_tree(ledger.head)?, crate::content::CONTENT_DIR)?,
            &site.config,
        ),
        None => Default::default(),
    };
    for target in records.iter().filter_map(|r| r.target.as_ref()) {
        let found: Vec<Diagnostic> = match target.kind {
            PathKind::ArticleFile | PathKind::ArticleBundle => {
                let (Some(site), Some(gate)) = (site, &gate) else {
                    continue;
                };
                let path = crate::content::ArticlePath {
                    path: target.path.clone(),
                    bundle: target.kind == PathKind::ArticleBundle,
                };
                let version = publish::version_ref(repo, &path, &target.oid)?;
                publish::held_back_if_approved(
                    repo,
                    policy,
                    &site.config,
                    gate,
                    &version,
                    &articles,
                    now,
                )?
                .into_iter()
                .map(|reason| reason.problem)
                .collect()
            }
            PathKind::SiteFile => publish::site_version_problems(repo, policy, &target.oid)?,
            PathKind::Theme => publish::theme_version_problems(
                repo,
                target.path.trim_start_matches("themes/"),
                &target.oid,
            )?,
            PathKind::Policy => policy_problems(repo, ledger, &target.oid)?,
        };
        let policy_change = target.kind == PathKind::Policy;
        problems.extend(found.into_iter().map(|mut problem| {
            problem.message = match policy_change {
                false => say.pick(
                    format!("批准后不会发布（{}）：{}", target.path, problem.message),
                    format!(
                        "would be held back if approved ({}): {}",
                        target.path, problem.message
                    ),
                ),
                true => say.pick(
                    format!("批准后不会生效（{}）：{}", target.path, problem.message),
                    format!(
                        "would not take effect if approved ({}): {}",
                        target.path, problem.message
                    ),
                ),
            };
            if problem.help.is_none() {
                problem.help = Some(nothing_committed.clone());
            }
            problem
        }));
    }
    Ok(problems)
}

/// What is wrong with an `approvals/` version as a policy change: it must
/// read and validate, and its version must be higher than the one in force.
fn policy_problems(repo: &Repo, ledger: &Ledger, oid: &str) -> Result<Vec<Diagnostic>> {
    let proposed = match proposed_policy(repo, oid)? {
        Ok(policy) => policy,
        Err(problem) => return Ok(vec![problem]),
    };
    let in_force = ledger.verdict.policy.version;
    Ok(if proposed.version <= in_force {
        vec![
            Diagnostic::in_file(
                crate::ledger::policy::POLICY_FILE,
                format!(
                    "its version is {}, not higher than version {in_force} in force: it would change nothing",
                    proposed.version
                ),
            )
            .with_help(format!("set `version: {}`", in_force + 1)),
        ]
    } else {
        Vec::new()
    })
}

fn proposed_policy(
    repo: &Repo,
    oid: &str,
) -> Result<std::result::Result<crate::ledger::policy::Policy, Diagnostic>> {
    Ok(match history::version_facts(repo, PathKind::Policy, oid)? {
        history::VersionFacts::Policy(files) => {
            crate::ledger::trust::load_policy(&files, crate::ledger::policy::POLICY_FILE)
        }
        _ => Err(Diagnostic::in_file(
            crate::ledger::policy::POLICY_DIR,
            "is not a policy folder",
        )),
    })
}

/// The effect of approving an `approvals/` version, when one is approved.
fn policy_effect(
    repo: &Repo,
    ledger: &Ledger,
    trial: &crate::ledger::Trial,
    records: &[RecordFacts],
) -> Result<Option<PolicyEffect>> {
    let Some(target) = records
        .iter()
        .filter_map(|r| r.target.as_ref())
        .find(|t| t.kind == PathKind::Policy)
    else {
        return Ok(None);
    };
    let Ok(proposed) = proposed_policy(repo, &target.oid)? else {
        return Ok(None);
    };
    Ok(Some(PolicyEffect::of(
        &ledger.verdict.policy,
        &proposed,
        &ledger.verdict,
        &trial.verdict,
    )))
}

/// Show the effect; go on with `--yes`, or when a person at a terminal
/// says so; refuse otherwise (nothing is committed).
fn confirm_policy_change(effect: &PolicyEffect, say: &Say, yes: bool) -> Result<()> {
    use std::io::{BufRead, IsTerminal, Write};
    eprintln!("{}", effect.describe(say));
    if yes {
        return Ok(());
    }
    let stdin = std::io::stdin();
    if stdin.is_terminal() {
        eprint!(
            "{}",
            say.pick("确认批准这一变更？[y/N] ", "approve this change? [y/N] ")
        );
        let _ = std::io::stderr().flush();
        let mut answer = String::new();
        stdin
            .lock()
            .read_line(&mut answer)
            .map_err(|e| Error::io(Path::new("stdin"), &e, "read the answer"))?;
        if matches!(answer.trim(), "y" | "Y" | "yes" | "是") {
            return Ok(());
        }
    }
    Err(Error::content(
        Diagnostic::new(say.pick(
            "审核制度变更未批准：没有提交任何内容",
            "the policy change was not approved: nothing was committed",
        ))
        .with_help(say.pick(
            "核对上面列出的影响后，加 --yes 重新运行",
            "read the effect above, then run again with --yes",
        )),
    ))
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
        let ignored = ledger
            .trial(
                repo,
                args.policy_root.as_deref(),
                (&signer.fingerprint, &signer.email),
                records.clone(),
                Some((tip, merged)),
            )?
            .ignored;
        if !ignored.is_empty() {
            return Err(refuse(ignored));
        }
        let site = ApprovedSite::at_head(repo, &ledger).ok();
        let say = site_language(site.as_ref());
        let problems = would_be_held_back(repo, &ledger, site.as_ref(), &records, &say)?;
        if problems.is_empty() {
            Ok(records)
        } else {
            Err(Error::many(ErrorKind::Content, problems))
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
