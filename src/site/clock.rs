//! The clock a command runs at: `--now` as written, or the real one, in the
//! site's time zone. Everything that depends on time (scheduled and
//! expired articles, stale columns, the date a page shows) reads it from
//! here, so `--now` makes a run reproducible.

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
