//! The steps every command that looks at the site takes, in the order the
//! data flows: the repository's history gives the ledger (who approved
//! what), the ledger and the approved site.toml give the clock and the
//! gate (the blocking rules), and all of them the publication set — which
//! `build` renders and `check`, `status` and `report` read.

use crate::error::Result;
use crate::ledger::Ledger;
use crate::publish::{ApprovedSite, PublicationSet};
use crate::repo::Repo;
use crate::rules::ContentRules;

/// The publication set at the ledger's head, as of `now` (`--now` as
/// written; the real clock when `None`).
pub fn publication_set(repo: &Repo, ledger: &Ledger, now: Option<&str>) -> Result<PublicationSet> {
    let site = ApprovedSite::at_head(repo, ledger)?;
    let now = crate::site::clock::parse_now(now, site.config.timezone)?;
    // The blocking rules with the policy's word lists and the site's columns.
    let gate = ContentRules::load(ledger, &site.config, now)?;
    PublicationSet::decide(repo, ledger, site, now, &gate)
}
