//! `sanshen status`: each article's review state, for people or scripts.

use std::path::Path;

use crate::cli::StatusArgs;
use crate::error::{Diagnostic, Error, ErrorKind, Result};
use crate::ledger::Ledger;
use crate::publish;
use crate::repo::Repo;
use crate::site::Language;

pub fn run(root: &Path, args: &StatusArgs) -> Result<i32> {
    let repo = Repo::open(root)?;
    let head = repo.resolve_commit(&args.rev)?;
    let ledger = Ledger::evaluate(&repo, head, args.policy_root.as_deref())?;
    crate::commands::build::report_ledger_notices(&ledger);
    let (decisions, language) =
        match crate::pipeline::publication_set(&repo, &ledger, args.now.as_deref()) {
            Ok(set) => (set.decisions, set.site.language),
            Err(err) if err.kind == ErrorKind::Config => {
                // The site cannot be built, but the review states still stand.
                eprintln!("warning: the site does not build, so nothing is online:\n{err}");
                let why = err
                    .diagnostics
                    .first()
                    .cloned()
                    .unwrap_or_else(|| Diagnostic::new("the site does not build"));
                (
                    publish::review_states(&repo, &ledger, &why)?,
                    Language::Chinese,
                )
            }
            Err(err) => return Err(err),
        };
    let statuses = crate::status::collect(&repo, &ledger, &decisions, &args.paths)?;
    if args.json {
        let json = serde_json::to_string_pretty(&statuses)
            .map_err(|e| Error::config(Diagnostic::new(format!("cannot encode status: {e}"))))?;
        println!("{json}");
    } else {
        let chinese = language == Language::Chinese;
        print!(
            "{}",
            crate::status::render_text(&statuses, &ledger, chinese)
        );
    }
    Ok(0)
}
