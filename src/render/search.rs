//! `search-index.json`: what the search page's script searches.
//!
//! One entry per article, newest first: title, URL, date, column title, and
//! `text` — title, summary and the first 300 characters of the body. The
//! script matches every query term as a case-insensitive substring, which
//! finds Chinese words without a segmenter; the index therefore holds plain
//! text, not tokens.

use serde::Serialize;

use crate::error::{Diagnostic, Error, Result};
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
    let json = serde_json::to_vec(&entries).map_err(|err| {
        Error::config(Diagnostic::new(format!(
            "could not write the search index: {err}"
        )))
    })?;
    output.write("search-index.json", &json)
}
