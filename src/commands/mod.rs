//! One module per command; each only wires library pieces together and
//! returns the exit code of a successful run (0, or 1 for content problems
//! that did not stop it).

pub mod approve;
pub mod build;
pub mod check;
pub mod demo;
pub mod init;
pub mod new;
pub mod report;
pub mod serve;
pub mod status;
pub mod withdraw;

use chrono::{DateTime, FixedOffset, Utc};

use crate::error::{Diagnostic, Error, Result};

/// `--now`, or the real clock. Dates without a zone are read in `tz`.
pub fn parse_now(now: Option<&str>, tz: chrono_tz::Tz) -> Result<DateTime<FixedOffset>> {
    match now {
        None => Ok(Utc::now().with_timezone(&tz).fixed_offset()),
        Some(text) => crate::content::frontmatter::parse_date_text(text, tz)
            .map(|d| d.at)
            .map_err(|problem| {
                Error::config(
                    Diagnostic::new(format!("--now: {problem}"))
                        .with_help("write 2026-11-20 or 2026-11-20T18:00:00+08:00"),
                )
            }),
    }
}
