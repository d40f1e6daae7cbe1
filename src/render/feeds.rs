//! Atom 1.0 feeds: the whole site at `/atom.xml`, and each column at
//! `/<column>/atom.xml` (its own and its sub-columns' articles), newest
//! [`FEED_LENGTH`] items each.
//!
//! Written by hand rather than through a template: a feed is XML, where a
//! single unescaped `&` in a title makes every reader reject the whole file,
//! so every text goes through one escaping function.

use std::collections::BTreeSet;

use chrono::{DateTime, FixedOffset, SecondsFormat};

use crate::error::Result;
use crate::render::pages::{ArticleOutcome, SiteModel};
use crate::render::{OutputFolder, escape_xml};

/// Items per feed.
pub const FEED_LENGTH: usize = 20;

/// The articles that appear in at least one feed (indices into `model.articles`);
/// only their HTML is kept after rendering.
pub(crate) fn articles_in_feeds(model: &SiteModel<'_>) -> BTreeSet<usize> {
    let mut members: BTreeSet<usize> = (0..model.articles.len().min(FEED_LENGTH)).collect();
    for column in model.input.site.columns.iter() {
        members.extend(model.listing(&column.path).iter().take(FEED_LENGTH));
    }
    members
}

/// Write the site feed and one feed per column.
pub(crate) fn write_feeds(
    model: &SiteModel<'_>,
    outcomes: &[ArticleOutcome],
    output: &OutputFolder,
) -> Result<()> {
    let site = model.input.site;
    let newest: Vec<usize> = (0..model.articles.len().min(FEED_LENGTH)).collect();
    let site_feed = Feed {
        title: site.title.clone(),
        subtitle: site.description.clone(),
        self_url: site.absolute_url("/atom.xml"),
        page_url: site.base_url.clone(),
    };
    output.write(
        "atom.xml",
        site_feed.render(model, outcomes, &newest).as_bytes(),
    )?;

    for column in site.columns.iter() {
        let items: Vec<usize> = model
            .listing(&column.path)
            .iter()
            .take(FEED_LENGTH)
            .copied()
            .collect();
        let feed = Feed {
            title: format!("{} - {}", column.title, site.title),
            subtitle: column.description.clone(),
            self_url: site.absolute_url(&format!("{}atom.xml", column.url())),
            page_url: site.absolute_url(&column.url()),
        };
        output.write(
            &format!("{}/atom.xml", column.path),
            feed.render(model, outcomes, &items).as_bytes(),
        )?;
    }
    Ok(())
}

struct Feed {
    title: String,
    subtitle: Option<String>,
    self_url: String,
    page_url: String,
}

impl Feed {
    fn render(
        &self,
        model: &SiteModel<'_>,
        outcomes: &[ArticleOutcome],
        items: &[usize],
    ) -> String {
        let site = model.input.site;
        let title = if model.input.preview {
            format!("{} ({})", self.title, model.labels.preview_banner)
        } else {
            self.title.clone()
        };
        // The newest item's date; an empty feed takes the build's clock.
        let updated = items
            .first()
            .map(|&i| model.articles[i].article.date.at)
            .unwrap_or(model.input.now);
        let publisher = model
            .site
            .identity
            .organizer
            .clone()
            .unwrap_or_else(|| site.title.clone());

        let mut xml = String::new();
        xml.push_str("<?xml version=\"1.0\" encoding=\"utf-8\"?>\n");
        xml.push_str(&format!(
            "<feed xmlns=\"http://www.w3.org/2005/Atom\" xml:lang=\"{}\">\n",
            site.language.code()
        ));
        xml.push_str(&format!("  <title>{}</title>\n", escape_xml(&title)));
        if let Some(subtitle) = &self.subtitle {
            xml.push_str(&format!(
                "  <subtitle>{}</subtitle>\n",
                escape_xml(subtitle)
            ));
        }
        xml.push_str(&format!(
            "  <link rel=\"self\" type=\"application/atom+xml\" href=\"{}\"/>\n",
            escape_xml(&self.self_url)
        ));
        xml.push_str(&format!(
            "  <link rel=\"alternate\" type=\"text/html\" href=\"{}\"/>\n",
            escape_xml(&self.page_url)
        ));
        xml.push_str(&format!("  <id>{}</id>\n", escape_xml(&self.self_url)));
        xml.push_str(&format!("  <updated>{}</updated>\n", rfc3339(updated)));
        xml.push_str(&format!(
            "  <author><name>{}</name></author>\n",
            escape_xml(&publisher)
        ));
        xml.push_str("  <generator>sanshen</generator>\n");
        for &index in items {
            self.push_entry(&mut xml, model, outcomes, index);
        }
        xml.push_str("</feed>\n");
        xml
    }

    fn push_entry(
        &self,
        xml: &mut String,
        model: &SiteModel<'_>,
        outcomes: &[ArticleOutcome],
        index: usize,
    ) {
        let entry = &model.articles[index];
        let front = &entry.article.front;
        let url = escape_xml(&entry.absolute_url);
        let date = rfc3339(entry.article.date.at);
        xml.push_str("  <entry>\n");
        xml.push_str(&format!(
            "    <title>{}</title>\n",
            escape_xml(&front.title)
        ));
        xml.push_str(&format!(
            "    <link rel=\"alternate\" type=\"text/html\" href=\"{url}\"/>\n"
        ));
        xml.push_str(&format!("    <id>{url}</id>\n"));
        xml.push_str(&format!("    <published>{date}</published>\n"));
        xml.push_str(&format!("    <updated>{date}</updated>\n"));
        if let Some(author) = front.author.as_deref().filter(|a| !a.trim().is_empty()) {
            let name = model
                .input
                .person_names
                .get(author)
                .map_or(author, String::as_str);
            xml.push_str(&format!(
                "    <author><name>{}</name></author>\n",
                escape_xml(name)
            ));
        }
        if let Some(column) = entry.column {
            xml.push_str(&format!(
                "    <category term=\"{}\" label=\"{}\"/>\n",
                escape_xml(&column.path),
                escape_xml(&column.title)
            ));
        }
        if let Some(summary) = front.summary.as_deref().filter(|s| !s.trim().is_empty()) {
            xml.push_str(&format!("    <summary>{}</summary>\n", escape_xml(summary)));
        }
        if let Some(html) = outcomes.get(index).and_then(|o| o.feed_html.as_deref()) {
            // xml:base makes the bundle's relative links (photo.png) resolve in readers.
            xml.push_str(&format!(
                "    <content type=\"html\" xml:base=\"{url}\">{}</content>\n",
                escape_xml(html)
            ));
        }
        xml.push_str("  </entry>\n");
    }
}

fn rfc3339(at: DateTime<FixedOffset>) -> String {
    at.to_rfc3339_opts(SecondsFormat::Secs, true)
}
