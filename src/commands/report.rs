//! `sanshen report`: publication statistics of a period for the office that
//! runs the site — counts, ranking and review times by unit, person, column
//! or stage (see `crate::report` for what is counted and how).

use std::path::Path;

use chrono::NaiveDate;

use crate::cli::ReportArgs;
use crate::error::{Diagnostic, Error, Result};
use crate::ledger::Ledger;
use crate::ledger::policy::{POLICY_WORKFLOW, Policy, SITE_WORKFLOW};
use crate::repo::Repo;
use crate::report::{self, Catalogue, Period, Report, StageName};
use crate::site::SiteConfig;

pub fn run(root: &Path, args: &ReportArgs) -> Result<i32> {
    // Usage errors first, before the history is read.
    let from = args
        .from
        .as_deref()
        .map(|d| parse_day("--from", d))
        .transpose()?;
    let to = args
        .to
        .as_deref()
        .map(|d| parse_day("--to", d))
        .transpose()?;
    let repo = Repo::open(root)?;
    let head = repo.resolve_commit(&args.rev)?;
    let ledger = Ledger::evaluate(&repo, head, args.policy_root.as_deref())?;
    crate::commands::build::report_ledger_notices(&ledger);
    let set = crate::pipeline::publication_set(&repo, &ledger, args.now.as_deref())?;
    let tz = set.site.timezone;
    let to = to.unwrap_or_else(|| set.now.with_timezone(&tz).date_naive());
    let period =
        Period::new(from, to, tz).map_err(|problem| {
            Error::config(Diagnostic::new(problem).with_help(
                "give --from a day on or before --to (which defaults to the day of --now)",
            ))
        })?;
    let facts = report::gather(&repo, &ledger, &set)?;
    let catalogue = catalogue(&set.policy, &set.site);
    let report = Report {
        site: set.site.title.clone(),
        language: set.site.language,
        timezone: tz,
        revision: head.to_string(),
        now: set.now,
        statistics: report::compute(&facts, &period, args.by, &catalogue),
        period,
    };
    print!("{}", report::format::render(&report, args.format));
    Ok(0)
}

/// `--from`/`--to`: a calendar day, `2026-11-20`.
fn parse_day(flag: &str, text: &str) -> Result<NaiveDate> {
    NaiveDate::parse_from_str(text.trim(), "%Y-%m-%d").map_err(|_| {
        Error::config(
            Diagnostic::new(format!("{flag} `{text}` is not a date"))
                .with_help(format!("write a day as YYYY-MM-DD, e.g. {flag} 2026-11-01")),
        )
    })
}

/// The units and people of the policy, the columns of site.toml, and the
/// stages of the article workflows in review order.
fn catalogue(policy: &Policy, site: &SiteConfig) -> Catalogue {
    Catalogue {
        units: policy
            .units
            .values()
            .map(|u| (u.id.clone(), u.name.clone()))
            .collect(),
        people: policy
            .people
            .values()
            .map(|p| (p.id.clone(), p.name.clone()))
            .collect(),
        columns: site
            .columns
            .iter()
            .map(|c| (c.path.clone(), c.title.clone()))
            .collect(),
        stages: stage_order(policy),
    }
}

/// The stages of every article workflow in one order that respects each
/// workflow's own (unit review before re-review before final …), with ties
/// broken by where a stage first appears: workflows the rules choose, in rule
/// order, then the rest. Workflows that disagree (a cycle) fall back to
/// first appearance for the stages involved.
fn stage_order(policy: &Policy) -> Vec<StageName> {
    let mut workflow_ids: Vec<&str> = policy.rules.iter().map(|r| r.workflow.as_str()).collect();
    workflow_ids.extend(policy.workflows.keys().map(String::as_str));
    let mut seen = std::collections::BTreeSet::new();
    let workflows: Vec<_> = workflow_ids
        .into_iter()
        .filter(|id| *id != SITE_WORKFLOW && *id != POLICY_WORKFLOW && seen.insert(*id))
        .filter_map(|id| policy.workflows.get(id))
        .collect();

    let mut stages: Vec<StageName> = Vec::new();
    let mut before: Vec<(usize, usize)> = Vec::new();
    for workflow in &workflows {
        let mut previous = None;
        for stage in &workflow.stages {
            let index = match stages.iter().position(|s| s.id == stage.id) {
                Some(index) => index,
                None => {
                    stages.push(StageName {
                        id: stage.id.clone(),
                        name: stage.name.clone(),
                    });
                    stages.len() - 1
                }
            };
            if let Some(previous) = previous {
                before.push((previous, index));
            }
            previous = Some(index);
        }
    }
    let mut placed = vec![false; stages.len()];
    let mut order = Vec::with_capacity(stages.len());
    while order.len() < stages.len() {
        let free =
            |i: usize| !placed[i] && !before.iter().any(|&(a, b)| b == i && a != i && !placed[a]);
        let next = (0..stages.len())
            .find(|&i| free(i))
            .or_else(|| (0..stages.len()).find(|&i| !placed[i]));
        let Some(next) = next else { break };
        placed[next] = true;
        order.push(stages[next].clone());
    }
    order
}

#[cfg(test)]
mod tests {
    use super::*;

    const POLICY: &str = "version: 1
units: [{ id: kepu, name: 科普部 }]
people:
  - { id: lihua, name: 李华, email: lihua@kx.example, keys: [\"ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIAECAwQFBgcICQoLDA0ODxAREhMUFRYXGBkaGxwdHh8g lihua\"] }
roles:
  unit-head: { members: [{ person: lihua }] }
workflows:
  standard:
    stages:
      - { id: unit-review, name: 负责人审核, role: unit-head }
      - { id: re-review,   name: 复审,       role: unit-head }
      - { id: final,       name: 终审,       role: unit-head }
  major:
    stages:
      - { id: unit-review, name: 负责人审核, role: unit-head }
      - { id: final,       name: 终审,       role: unit-head }
      - { id: group,       name: 领导小组,   role: unit-head }
  special-column: { stages: [{ id: final, name: 签字, role: unit-head }] }
  site:   { stages: [{ id: site, name: 技术审核, role: unit-head }] }
  policy: { stages: [{ id: policy, name: 批准, role: unit-head }] }
rules:
  - { match: { importance: major }, workflow: major }
  - { match: { type: special }, workflow: special-column }
  - { workflow: standard }
settings: { withdraw_role: unit-head }
";

    #[test]
    fn stages_are_listed_in_review_order_across_workflows() {
        let policy = Policy::parse("approvals/policy.yaml", POLICY).expect("a valid policy");
        let ids: Vec<String> = stage_order(&policy).into_iter().map(|s| s.id).collect();
        assert_eq!(ids, ["unit-review", "re-review", "final", "group"]);
    }

    #[test]
    fn days_must_be_calendar_days() {
        assert!(parse_day("--from", "2026-11-20").is_ok());
        for bad in ["2026-11-31", "20261120", "2026/11/20", "yesterday"] {
            let error = parse_day("--from", bad).expect_err(bad);
            assert_eq!(error.kind.exit_code(), 2);
            assert!(error.to_string().contains("YYYY-MM-DD"), "{error}");
        }
    }
}
