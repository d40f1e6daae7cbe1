//! `search-index.json`: what the search page's script searches.
//!
//! One entry per article, newest first: title, URL, date, column title, and
//! `text` — title, summary and the first 300 characters of the body. The
//! script matches every query term as a case-insensitive substring, which
//! finds Chinese words without a segmenter; the index therefore holds plain
//! text, not tokens.

use serde::Serialize;

use crate::error::Result;
use crate::render::OutputFolder;
use crate::render::pages::{ArticleOutcome, SiteModel};

#[derive(Serialize)]
struct SearchEntry<'a> {
    title: &'a str,
    url: &'a str,
    date: &'a str,
    column: Option<&'a str>,
    text: &'a str,
}

pub(crate) fn write_search_index(
    model: &SiteModel<'_>,
    outcomes: &[ArticleOutcome],
    output: &OutputFolder,
) -> Result<()> {
    let entries: Vec<SearchEntry<'_>> = model
        .articles
        .iter()
        .zip(outcomes)
        .map(|(entry, outcome)| SearchEntry {
            title: &entry.card.title,
            url: &entry.url,
            date: &entry.card.date,
            column: entry.column_title.as_deref(),
            text: &outcome.search_text,
        })
        .collect();
    // Written as it is encoded: for a large site the index is over a
    // hundred megabytes, not worth holding whole.
    output.write_with("search-index.json", |file| {
        let mut out = std::io::BufWriter::new(file);
        serde_json::to_writer(&mut out, &entries)?;
        std::io::Write::flush(&mut out)
    })
}
