//! `check --external`: probe the links that leave the site (rule
//! `external-link`).
//!
//! Never run by default: `check` works offline and gives the same answer
//! twice, and another site being down for an hour is not something the
//! office can fix in its content. So a dead external link is its own rule,
//! a warning by default, apart from `broken-link` (whose targets the site
//! itself controls); an office that wants it to fail CI raises its severity
//! in `[checks.rules]`.
//!
//! Each distinct address (without its `#fragment`) is asked once: `HEAD`
//! first, and `GET` when the server answers `HEAD` with an error status —
//! many servers refuse or mishandle `HEAD` (405, 501, even 403/404) yet serve
//! the page. Up to five redirects are followed; every request has a time
//! limit; a few addresses are probed at a time. Proxy settings come from the
//! usual environment variables (`HTTPS_PROXY`, `NO_PROXY` …).

use std::collections::{BTreeMap, BTreeSet};
use std::sync::atomic::{AtomicUsize, Ordering};
use std::time::Duration;

use crate::catalog::RuleId;
use crate::checks::links::{Target, resolve};
use crate::checks::rendered::RenderedSite;
use crate::publish::PublicationSet;
use crate::render::markdown::{self, MarkdownOptions};
use crate::rules::Finding;
use crate::rules::text::Say;

/// How external links are probed.
#[derive(Debug, Clone, Copy)]
pub struct ExternalProbe {
    /// The most one request (redirects included) may take.
    pub timeout: Duration,
}

/// Requests in flight at once: enough to get through a few hundred links
/// quickly, few enough not to look like an attack to anyone's server.
const PARALLEL: usize = 4;

/// Redirects followed before a link counts as broken.
const MAX_REDIRECTS: u32 = 5;

/// What asking for an address gave.
#[derive(Debug, Clone, PartialEq, Eq)]
enum Outcome {
    Fine,
    /// The final answer was an HTTP error status.
    Status(u16),
    TimedOut,
    TooManyRedirects,
    /// No answer: the name does not resolve, the connection or TLS failed …
    Failed(String),
}

/// Where a link is written: a Markdown line, or a template and the pages it is on.
#[derive(Debug, Default)]
struct Places {
    /// (Markdown file, line)
    sources: Vec<(String, Option<usize>)>,
    /// template → pages carrying the link
    templates: BTreeMap<String, Vec<String>>,
}

/// Probe every external http(s) link of the rendered site.
pub(crate) fn check(
    set: &PublicationSet,
    output: &RenderedSite,
    say: &Say,
    probe: ExternalProbe,
) -> Vec<Finding> {
    let places = collect(set, output);
    if places.is_empty() {
        return Vec::new();
    }
    let urls: Vec<&String> = places.keys().collect();
    let outcomes = probe_all(&urls, probe);
    let mut findings = Vec::new();
    for (url, outcome) in urls.into_iter().zip(outcomes) {
        let Some(why) = describe(&outcome, probe.timeout, say) else {
            continue;
        };
        let what = say.pick(
            format!("外部链接 {url} 无法访问（{why}）"),
            format!("the external link {url} does not work ({why})"),
        );
        let help = say.pick(
            "确认对方网站的地址是否已变更：更新为现在的地址，或删除失效的链接",
            "find out whether the other site moved the page: link to its current address, or remove the link",
        );
        let Some(place) = places.get(url) else {
            continue;
        };
        for (file, line) in &place.sources {
            findings.push(
                Finding::new(RuleId::ExternalLink, what.clone())
                    .in_file(file)
                    .at(*line, None)
                    .with_help(help.clone()),
            );
        }
        for (template, pages) in &place.templates {
            findings.push(
                Finding::new(
                    RuleId::ExternalLink,
                    say.pick(
                        format!("{what}（{} 个页面，如 {}）", pages.len(), pages[0]),
                        format!("{what} (on {} page(s), e.g. {})", pages.len(), pages[0]),
                    ),
                )
                .in_file(template)
                .with_help(help.clone()),
            );
        }
    }
    findings
}

/// The address to probe for a link, when it is an http(s) link to another site.
fn probe_address(
    href: &str,
    page_dir: &str,
    set: &PublicationSet,
    output: &RenderedSite,
) -> Option<String> {
    if resolve(href, page_dir, &set.site.base_url, &output.base_path, false) != Target::Elsewhere {
        return None;
    }
    let href = href.trim();
    let href = href.split_once('#').map_or(href, |(address, _)| address);
    let lower = href.to_ascii_lowercase();
    if lower.starts_with("http://") || lower.starts_with("https://") {
        Some(href.to_string())
    } else if href.starts_with("//") {
        Some(format!("https:{href}"))
    } else {
        None
    }
}

/// Every external address and where it is written: at its Markdown line for
/// an article's own links, per template for the theme's.
fn collect(set: &PublicationSet, output: &RenderedSite) -> BTreeMap<String, Places> {
    let mut places: BTreeMap<String, Places> = BTreeMap::new();
    let mut article_of_folder = BTreeMap::new();
    for (index, article) in set.articles.iter().enumerate() {
        article_of_folder.insert(format!("{}/", article.path.url().trim_matches('/')), index);
    }
    for (file, page) in &output.pages {
        let page_dir = match file.rsplit_once('/') {
            Some((dir, _)) => format!("{dir}/"),
            None => String::new(),
        };
        // Addresses the article's Markdown writes, each at every line it is on.
        let mut from_source: BTreeSet<String> = BTreeSet::new();
        let article = article_of_folder
            .get(&page_dir)
            .map(|&index| &set.articles[index]);
        if let Some(article) = article {
            let allow_raw_html = set
                .site
                .columns
                .get(article.path.column())
                .is_some_and(|c| c.allow_raw_html);
            // Rendered from this body a moment ago: a failure to read it
            // again only loses the line, the page still lists the link.
            let body = article
                .text(Some(&set.bodies))
                .map(|text| text.into_owned().body)
                .unwrap_or_default();
            let rendered = markdown::render(&body, &MarkdownOptions { allow_raw_html });
            let references = rendered
                .links
                .iter()
                .map(|l| (l.href.as_str(), l.line))
                .chain(rendered.images.iter().map(|i| (i.src.as_str(), i.line)));
            for (href, line) in references {
                if let Some(url) = probe_address(href, &page_dir, set, output) {
                    let source = (
                        article.path.markdown_path(),
                        Some(article.body_line + line - 1),
                    );
                    let sources = &mut places.entry(url.clone()).or_default().sources;
                    if !sources.contains(&source) {
                        sources.push(source);
                    }
                    from_source.insert(url);
                }
            }
        }
        for href in &page.links {
            let Some(url) = probe_address(href, &page_dir, set, output) else {
                continue;
            };
            if from_source.contains(&url) {
                continue;
            }
            places
                .entry(url)
                .or_default()
                .templates
                .entry(output.template_of(&page.kind))
                .or_default()
                .push(format!("/{file}"));
        }
    }
    places
}

/// Probe each address once, a few at a time; outcomes in the order given.
fn probe_all(urls: &[&String], probe: ExternalProbe) -> Vec<Outcome> {
    let agent: ureq::Agent = ureq::Agent::config_builder()
        .timeout_global(Some(probe.timeout))
        .max_redirects(MAX_REDIRECTS)
        .http_status_as_error(false)
        .user_agent(format!("sanshen-check/{}", env!("CARGO_PKG_VERSION")))
        .build()
        .into();
    let next = AtomicUsize::new(0);
    let mut outcomes = vec![Outcome::Fine; urls.len()];
    let workers = PARALLEL.min(urls.len());
    let results: Vec<Vec<(usize, Outcome)>> = std::thread::scope(|scope| {
        let handles: Vec<_> = (0..workers)
            .map(|_| {
                scope.spawn(|| {
                    let mut done = Vec::new();
                    loop {
                        let index = next.fetch_add(1, Ordering::Relaxed);
                        let Some(url) = urls.get(index) else {
                            break;
                        };
                        done.push((index, probe_one(&agent, url)));
                    }
                    done
                })
            })
            .collect();
        handles
            .into_iter()
            .map(|handle| handle.join().unwrap_or_else(|_| vec![]))
            .collect()
    });
    for (index, outcome) in results.into_iter().flatten() {
        outcomes[index] = outcome;
    }
    outcomes
}

fn probe_one(agent: &ureq::Agent, url: &str) -> Outcome {
    match request(agent.head(url).call()) {
        // Asking again with GET costs little and spares servers that
        // mishandle HEAD a false report; a timeout is not asked twice.
        Outcome::Status(_) | Outcome::Failed(_) => request(agent.get(url).call()),
        outcome => outcome,
    }
}

fn request(result: Result<ureq::http::Response<ureq::Body>, ureq::Error>) -> Outcome {
    match result {
        Ok(response) if response.status().as_u16() < 400 => Outcome::Fine,
        Ok(response) => Outcome::Status(response.status().as_u16()),
        Err(ureq::Error::Timeout(_)) => Outcome::TimedOut,
        Err(ureq::Error::TooManyRedirects) => Outcome::TooManyRedirects,
        Err(error) => Outcome::Failed(error.to_string()),
    }
}

/// Why an outcome is a problem, in the report's language; `None` when it is not.
fn describe(outcome: &Outcome, timeout: Duration, say: &Say) -> Option<String> {
    let seconds = timeout.as_secs_f64();
    Some(match outcome {
        Outcome::Fine => return None,
        Outcome::Status(status) => format!("HTTP {status}"),
        Outcome::TimedOut => say.pick(
            format!("{seconds} 秒内无响应"),
            format!("no answer within {seconds} s"),
        ),
        Outcome::TooManyRedirects => say.pick(
            format!("重定向超过 {MAX_REDIRECTS} 次"),
            format!("more than {MAX_REDIRECTS} redirects"),
        ),
        Outcome::Failed(error) => error.clone(),
    })
}
