//! `sanshen build`: verify the ledger, decide the publication set, render it
//! into a staging folder, and move it into place only if everything worked.

use std::path::Path;

use crate::cli::BuildArgs;
use crate::error::{Error, ErrorKind, Result};
use crate::ledger::Ledger;
use crate::manifest;
use crate::publish::PublicationSet;
use crate::render::{self, output::StagedOutput, reuse::PageReuse};
use crate::repo::Repo;

pub fn run(root: &Path, args: &BuildArgs) -> Result<i32> {
    let mut repo = Repo::open(root)?;
    if args.no_cache {
        repo.disable_cache();
    }
    let head = repo.resolve_commit(&args.rev)?;
    let mut ledger = Ledger::evaluate(&repo, head, args.policy_root.as_deref())?;
    report_ledger_notices(&ledger);
    // The verdict is reached: what follows reads commits' times, not their
    // records or signatures. Freed now, that memory serves the rendering.
    ledger.history.drop_commit_details();
    let mut timings = ledger.history.timings.clone();

    let set = timings.measure("publication set (read, parse)", || {
        PublicationSet::decide(&repo, &ledger, args.now.as_deref())
    })?;
    for warning in &set.warnings {
        eprintln!("warning: {warning}");
    }
    if !set.blocking.is_empty() {
        eprintln!(
            "approved content that cannot be published — nothing was written, the previous output is unchanged:"
        );
        return Err(Error::many(ErrorKind::Content, set.blocking.clone()));
    }

    let out = args.out.clone().unwrap_or_else(|| root.join("public"));
    let staged = StagedOutput::begin(&out)?;
    // Unchanged article pages of the previous build are linked, not rendered
    // again; the record of them is kept beside the history cache.
    let reuse = timings.measure("reusable pages: read the record", || {
        repo.cache_enabled()
            .then(|| PageReuse::open(repo.git().path().join("sanshen/pages.bin"), &out))
    });
    let report = timings.measure("render (markdown, templates, write)", || {
        render::render_publication(&set, staged.path(), reuse.as_ref())
    })?;
    for (step, elapsed) in &report.phases {
        timings.add_detail(step, *elapsed);
    }
    // Pages reused stayed in the output: move only what changed over it.
    let moved = timings.measure("move into place", || match &reuse {
        Some(reuse) if reuse.keeps_files() => {
            let kept = reuse.kept_files();
            let moved = staged.finish_in_place(&report.written, &kept, reuse.previous_site_files());
            let mut site: Vec<String> = report.written.iter().cloned().chain(kept).collect();
            site.sort();
            site.dedup();
            reuse.set_site_files(site);
            moved
        }
        Some(reuse) => {
            reuse.set_site_files(report.written.clone());
            staged.finish()
        }
        None => staged.finish(),
    });
    if let Some(reuse) = reuse {
        match moved {
            Ok(()) => timings.measure("reusable pages: save the record", || reuse.save()),
            Err(_) => reuse.discard(),
        }
    }
    moved?;
    for problem in &report.problems {
        eprintln!("warning: {problem}");
    }
    if let Some(path) = &args.manifest {
        timings.measure("manifest", || manifest::write(path, &ledger, &set))?;
    }
    if args.timings {
        eprint!("timings:\n{}", timings.report());
    }
    let counts = set.state_counts();
    let reused = if report.reused > 0 {
        format!(", {} unchanged pages reused", report.reused)
    } else {
        String::new()
    };
    println!(
        "built {} articles ({} pages, {} files{reused}) into {} — {}",
        set.articles.len(),
        report.pages,
        report.files,
        out.display(),
        counts
    );
    // Everything is written and the process ends now: freeing the history
    // and the publication set piece by piece would only add a tenth of a
    // second to a warm build of a large site.
    std::mem::forget(ledger);
    std::mem::forget(set);
    Ok(0)
}

/// Trust-on-first-use and ignored approvals are said out loud on every build.
pub fn report_ledger_notices(ledger: &Ledger) {
    if ledger.root.trust_on_first_use {
        eprintln!(
            "notice: trusting the first policy in history (commit {}, approvals/ {}) on first use; pin it with --policy-root {}",
            &ledger.root.commit[..12],
            &ledger.root.oid[..12],
            ledger.root.commit
        );
    }
    for rejected in &ledger.verdict.rejected_policies {
        eprintln!(
            "notice: policy change in commit {} not taken: {}",
            &rejected.commit[..12],
            rejected.detail
        );
    }
    let ignored = ledger
        .verdict
        .ignored
        .iter()
        .filter(|i| i.refusal.is_signature_problem())
        .count();
    if ignored > 0 {
        eprintln!(
            "notice: {ignored} approval record(s) ignored because their commit has no valid signer (unsigned, unknown or revoked key, or re-signed); see `sanshen status`"
        );
    }
}
