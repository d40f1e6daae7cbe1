//! `sanshen status`: each article's review state, for people or scripts.

use std::path::Path;

use crate::cli::StatusArgs;
use crate::error::{Diagnostic, Error, Result};
use crate::ledger::Ledger;
use crate::publish::PublicationSet;
use crate::repo::Repo;
use crate::site::Language;

pub fn run(root: &Path, args: &StatusArgs) -> Result<i32> {
    let repo = Repo::open(root)?;
    let head = repo.resolve_commit(&args.rev)?;
    let ledger = Ledger::evaluate(&repo, head, args.policy_root.as_deref())?;
    crate::commands::build::report_ledger_notices(&ledger);
    let set = PublicationSet::decide(&repo, &ledger, args.now.as_deref())?;
    let statuses = crate::status::collect(&repo, &ledger, &set, &args.paths)?;
    if args.json {
        let json = serde_json::to_string_pretty(&statuses)
            .map_err(|e| Error::config(Diagnostic::new(format!("cannot encode status: {e}"))))?;
        println!("{json}");
    } else {
        let chinese = set.site.language == Language::Chinese;
        print!(
            "{}",
            crate::status::render_text(&statuses, &ledger, chinese)
        );
    }
    Ok(0)
}
