//! `sitemap.xml` for search engines (absolute URLs, with the date of the
//! newest content as `lastmod`) and `robots.txt` pointing at it.
//!
//! The sitemap protocol allows 50,000 URLs per file; a larger site gets a
//! sitemap index in `sitemap.xml` and the URLs in `sitemap-1.xml`, … .

use crate::content::WrittenDate;
use crate::error::Result;
use crate::render::pages::SiteModel;
use crate::render::{OutputFolder, escape_xml};

/// Most URLs one sitemap file may hold (sitemaps.org).
pub const MAX_URLS_PER_SITEMAP: usize = 50_000;

struct SitemapUrl {
    location: String,
    last_modified: Option<String>,
}

/// Write `sitemap.xml` (and its parts, for a large site) and `robots.txt`.
pub(crate) fn write_sitemaps(model: &SiteModel<'_>, output: &OutputFolder) -> Result<()> {
    write_sitemaps_split(model, output, MAX_URLS_PER_SITEMAP)
}

fn write_sitemaps_split(
    model: &SiteModel<'_>,
    output: &OutputFolder,
    per_file: usize,
) -> Result<()> {
    let site = model.input.site;
    let urls = site_urls(model);
    if urls.len() <= per_file {
        output.write("sitemap.xml", url_set(&urls).as_bytes())?;
    } else {
        let mut index = String::from(
            "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<sitemapindex xmlns=\"http://www.sitemaps.org/schemas/sitemap/0.9\">\n",
        );
        for (number, part) in urls.chunks(per_file).enumerate() {
            let name = format!("sitemap-{}.xml", number + 1);
            output.write(&name, url_set(part).as_bytes())?;
            index.push_str(&format!(
                "  <sitemap><loc>{}</loc></sitemap>\n",
                escape_xml(&site.absolute_url(&name))
            ));
        }
        index.push_str("</sitemapindex>\n");
        output.write("sitemap.xml", index.as_bytes())?;
    }

    // A preview must not end up in a search engine.
    let rule = if model.input.preview {
        "Disallow: /"
    } else {
        "Allow: /"
    };
    let robots = format!(
        "User-agent: *\n{rule}\n\nSitemap: {}\n",
        site.absolute_url("sitemap.xml")
    );
    output.write("robots.txt", robots.as_bytes())
}

/// Home, columns, articles and the HTML site map, in that order.
fn site_urls(model: &SiteModel<'_>) -> Vec<SitemapUrl> {
    let site = model.input.site;
    let tz = site.timezone;
    let newest_of = |indices: &[usize]| {
        indices
            .first()
            .map(|&i| lastmod(&model.articles[i].article.front.date, tz))
    };
    let mut urls = vec![SitemapUrl {
        location: site.base_url.clone(),
        last_modified: model
            .articles
            .first()
            .map(|entry| lastmod(&entry.article.front.date, tz)),
    }];
    urls.extend(site.columns.iter().map(|column| SitemapUrl {
        location: site.absolute_url(&column.url()),
        last_modified: newest_of(model.listing(&column.path)),
    }));
    urls.extend(model.articles.iter().map(|entry| SitemapUrl {
        location: entry.absolute_url.clone(),
        last_modified: Some(lastmod(&entry.article.front.date, tz)),
    }));
    urls.push(SitemapUrl {
        location: site.absolute_url("sitemap/"),
        last_modified: None,
    });
    urls
}

fn url_set(urls: &[SitemapUrl]) -> String {
    let mut xml = String::from(
        "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<urlset xmlns=\"http://www.sitemaps.org/schemas/sitemap/0.9\">\n",
    );
    for url in urls {
        xml.push_str("  <url><loc>");
        xml.push_str(&escape_xml(&url.location));
        xml.push_str("</loc>");
        if let Some(date) = &url.last_modified {
            xml.push_str("<lastmod>");
            xml.push_str(date);
            xml.push_str("</lastmod>");
        }
        xml.push_str("</url>\n");
    }
    xml.push_str("</urlset>\n");
    xml
}

/// W3C datetime: the day alone when only a day was written.
fn lastmod(date: &WrittenDate, tz: chrono_tz::Tz) -> String {
    if date.day_only {
        date.at.format("%Y-%m-%d").to_string()
    } else {
        date.at
            .with_timezone(&tz)
            .to_rfc3339_opts(chrono::SecondsFormat::Secs, false)
    }
}
