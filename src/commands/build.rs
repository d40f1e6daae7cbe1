//! `sanshen build`: verify the ledger, decide the publication set, render it
//! into a staging folder, and move it into place only if everything worked.

use std::path::Path;

use crate::cli::BuildArgs;
use crate::error::Result;
use crate::i18n::Say;
use crate::ledger::Ledger;
use crate::manifest;
use crate::render::{
    self,
    output::{OutputLock, StagedOutput},
    reuse::PageReuse,
};
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
        crate::pipeline::publication_set(&repo, &ledger, args.now.as_deref())
    })?;
    for warning in &set.warnings {
        eprintln!("warning: {warning}");
    }

    let out = args.out.clone().unwrap_or_else(|| root.join("public"));
    let say = Say::new(set.site.language);
    // Held until the last file and record are written: two builds into one
    // folder never interleave.
    let lock = OutputLock::acquire(
        &out,
        &say.pick(
            format!("另一个构建正在写入 {}，等待其完成……", out.display()),
            format!(
                "another build is writing {}; waiting for it to finish…",
                out.display()
            ),
        ),
    )?;
    let staged = StagedOutput::begin(&out, &lock)?;
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
    drop(lock);
    let counts = set.state_counts();
    let reused = if report.reused > 0 {
        say.pick(
            format!("，其中 {} 个未变页面沿用上次结果", report.reused),
            format!(", {} unchanged pages reused", report.reused),
        )
    } else {
        String::new()
    };
    println!(
        "{}",
        say.pick(
            format!(
                "已生成 {} 篇稿件（{} 个页面，{} 个文件{reused}）到 {}：{}",
                set.articles.len(),
                report.pages,
                report.files,
                out.display(),
                counts
            ),
            format!(
                "built {} articles ({} pages, {} files{reused}) into {} — {}",
                set.articles.len(),
                report.pages,
                report.files,
                out.display(),
                counts
            ),
        )
    );
    // Held back: the rest of the site is online; CI must still see it.
    let held_back = !set.held_back.is_empty();
    if held_back {
        eprintln!(
            "{}",
            say.pick(
                format!(
                    "以下 {} 项已审核通过但未发布（其余内容已正常发布）：",
                    set.held_back.len()
                ),
                format!(
                    "{} approved version(s) held back (the rest of the site was published):",
                    set.held_back.len()
                ),
            )
        );
        for item in &set.held_back {
            eprintln!("{}", item.describe(&say));
        }
    }
    // Everything is written and the process ends now: freeing the history
    // and the publication set piece by piece would only add a tenth of a
    // second to a warm build of a large site.
    std::mem::forget(ledger);
    std::mem::forget(set);
    Ok(if held_back { 1 } else { 0 })
}

/// Trust-on-first-use and ignored approvals are said out loud on every build.
pub fn report_ledger_notices(ledger: &Ledger) {
    if ledger.root.trust_on_first_use {
        eprintln!(
            "notice: trusting the first policy in history (commit {}, approvals/ {}) on first use; pin it with --policy-root {}",
            &ledger.root_commit()[..12],
            &ledger.root.oid[..12],
            ledger.root_commit()
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
