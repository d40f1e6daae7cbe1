//! `sanshen check`: run every inspection rule over a revision and print the
//! findings; exit 1 when any is an error, 0 with warnings only.

use std::path::Path;
use std::time::Duration;

use crate::checks::external::ExternalProbe;
use crate::checks::{self, format};
use crate::cli::CheckArgs;
use crate::error::Result;
use crate::ledger::Ledger;
use crate::repo::Repo;

pub fn run(root: &Path, args: &CheckArgs) -> Result<i32> {
    let repo = Repo::open(root)?;
    let head = repo.resolve_commit(&args.rev)?;
    let ledger = Ledger::evaluate(&repo, head, args.policy_root.as_deref())?;
    let set = crate::pipeline::publication_set(&repo, &ledger, args.now.as_deref())?;
    let external = args.external.then(|| ExternalProbe {
        timeout: Duration::from_secs_f64(args.timeout),
    });
    let report = checks::run(&repo, &ledger, &set, external)?;
    print!("{}", format::render(&report, args.format));
    Ok(report.exit_code())
}
