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
            .map(|&i| lastmod(&model.articles[i].article.date, tz))
    };
    let mut urls = vec![SitemapUrl {
        location: site.base_url.clone(),
        last_modified: model
            .articles
            .first()
            .map(|entry| lastmod(&entry.article.date, tz)),
    }];
    urls.extend(site.columns.iter().map(|column| SitemapUrl {
        location: site.absolute_url(&column.url()),
        last_modified: newest_of(model.listing(&column.path)),
    }));
    urls.extend(model.articles.iter().map(|entry| SitemapUrl {
        location: entry.absolute_url.clone(),
        last_modified: Some(lastmod(&entry.article.date, tz)),
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

#[cfg(test)]
mod tests {
    use std::collections::BTreeMap;

    use super::*;
    use crate::render::input::RenderInput;
    use crate::render::test_site::{SITE_TOML, articles, read};
    use crate::site::SiteConfig;

    fn write_with_limit(per_file: usize, preview: bool) -> tempfile::TempDir {
        let site = SiteConfig::parse("site.toml", SITE_TOML).unwrap();
        let theme = crate::site::theme::default_theme();
        let list = articles();
        let names = BTreeMap::new();
        let input = RenderInput {
            site: &site,
            theme: &theme,
            articles: &list,
            unit_names: &names,
            person_names: &names,
            preview,
            loader: None,
            now: chrono::DateTime::parse_from_rfc3339("2026-12-01T08:00:00+08:00").unwrap(),
        };
        let model = SiteModel::new(&input);
        let dir = tempfile::tempdir().unwrap();
        write_sitemaps_split(&model, &OutputFolder::new(dir.path()), per_file).unwrap();
        dir
    }

    #[test]
    fn one_file_lists_every_page_with_absolute_urls() {
        let dir = write_with_limit(MAX_URLS_PER_SITEMAP, false);
        let xml = read(dir.path(), "sitemap.xml");
        // Home, 4 columns, 8 articles, the HTML site map.
        assert_eq!(xml.matches("<url>").count(), 14);
        assert!(xml.contains("<url><loc>https://kx.example/kx/</loc><lastmod>2026-11-02T09:00:00+08:00</lastmod></url>"));
        assert!(xml.contains(
            "<url><loc>https://kx.example/kx/news/hq/b/</loc><lastmod>2026-11-01</lastmod></url>"
        ));
        assert!(xml.contains("<loc>https://kx.example/kx/sitemap/</loc>"));
        assert!(!xml.contains("<loc>/"), "every location is absolute");
        let robots = read(dir.path(), "robots.txt");
        assert_eq!(
            robots,
            "User-agent: *\nAllow: /\n\nSitemap: https://kx.example/kx/sitemap.xml\n"
        );
    }

    #[test]
    fn large_sites_get_a_sitemap_index() {
        let dir = write_with_limit(5, true);
        let index = read(dir.path(), "sitemap.xml");
        assert!(index.contains("<sitemapindex"));
        for part in 1..=3 {
            assert!(index.contains(&format!(
                "<loc>https://kx.example/kx/sitemap-{part}.xml</loc>"
            )));
        }
        assert!(!dir.path().join("sitemap-4.xml").exists());
        assert_eq!(
            read(dir.path(), "sitemap-3.xml").matches("<url>").count(),
            4
        );
        assert!(read(dir.path(), "robots.txt").contains("Disallow: /"));
    }
}
