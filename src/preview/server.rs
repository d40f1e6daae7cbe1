//! The preview over HTTP, on 127.0.0.1 only.
//!
//! Files are found the way the demo server finds them (the same checked
//! path resolution: nothing outside the preview folder can be read), from
//! the current snapshot's folder. Every HTML page gets two additions that
//! work under any theme: in its head, a style sheet and the reload script
//! (same-origin files under `/__sanshen/`, which the themes'
//! `script-src 'self'` allows), and at its top, a panel with the page's
//! notes and the working tree's problems — and the preview banner, when the
//! theme did not render one. While the working tree does not build, pages
//! are replaced by an error page naming the file and line; the last good
//! build still provides the style sheets and images.
//!
//! Requests whose `Host` is not this server's own address are refused: a web
//! page elsewhere could otherwise point a name of its own at 127.0.0.1 (DNS
//! rebinding) and read the preview, drafts and classified items included.

use std::fs::File;
use std::path::Path;
use std::sync::Arc;

use tiny_http::{Request, Response};

use crate::demo::serve::{Listener, Target, content_type, percent_decode, resolve, with_header};
use crate::error::{Diagnostic, Result};
use crate::preview::PreviewSite;
use crate::preview::session::{SharedSnapshot, Snapshot};
use crate::render::escape_xml;
use crate::render::pages::PREVIEW_BANNER;
use crate::site::Language;

/// Where the preview's own files are served; no site page is there.
const OWN_PREFIX: &str = "/__sanshen/";
const RELOAD_SCRIPT: &str = include_str!("assets/reload.js");
const STYLE_SHEET: &str = include_str!("assets/preview.css");
/// For the pages sanshen writes itself (error pages): its own files only.
const OWN_PAGES_POLICY: &str = "default-src 'self'; script-src 'self'; style-src 'self'; object-src 'none'; base-uri 'none'; form-action 'none'";

/// The preview server, bound and ready to answer.
pub struct PreviewServer {
    listener: Listener,
    shared: Arc<SharedSnapshot>,
}

impl PreviewServer {
    /// Listen on 127.0.0.1:`port` (0: any free port).
    pub fn bind(port: u16, shared: Arc<SharedSnapshot>) -> Result<PreviewServer> {
        Ok(PreviewServer {
            listener: Listener::bind(port)?,
            shared,
        })
    }

    /// The address of the site's home page in the preview.
    pub fn url(&self) -> String {
        let base_path = self
            .shared
            .current()
            .site
            .as_ref()
            .map_or_else(|| "/".to_string(), |site| site.base_path.clone());
        format!(
            "http://127.0.0.1:{}{}",
            self.listener.port(),
            encode_path(&base_path)
        )
    }

    /// Answer requests until the process is stopped.
    pub fn run(&self) {
        self.listener.run(|request| self.answer(request));
    }

    fn answer(&self, request: Request) -> std::io::Result<()> {
        if !self.is_own_host(&request) {
            let response = Response::from_string(format!(
                "this preview answers only at http://127.0.0.1:{}/\n",
                self.listener.port()
            ))
            .with_status_code(403);
            return request.respond(response);
        }
        let url = request.url().to_string();
        let path = url.split(['?', '#']).next().unwrap_or_default();
        let snapshot = self.shared.current();
        if let Some(name) = path.strip_prefix(OWN_PREFIX) {
            return respond_own_file(request, name, &snapshot);
        }
        let Some(site) = &snapshot.site else {
            return respond_error_page(request, &snapshot, ErrorPage::Site);
        };
        if path == "/" && site.base_path != "/" {
            let location = encode_path(&site.base_path);
            return request.respond(with_header(Response::empty(302), "Location", &location));
        }
        if snapshot.failure.is_none()
            && let Some(problem) = page_key(path).and_then(|key| site.broken.get(&key))
        {
            return respond_error_page(request, &snapshot, ErrorPage::Article(problem));
        }
        match resolve(&site.folder, &url) {
            Target::File(file) if is_page(&file) => {
                if snapshot.failure.is_some() {
                    return respond_error_page(request, &snapshot, ErrorPage::Site);
                }
                let key = file_key(&site.folder, &file);
                respond_page(request, &file, &snapshot, site, &key, 200)
            }
            Target::File(file) => match File::open(&file) {
                Ok(opened) => {
                    let response = with_header(
                        Response::from_file(opened),
                        "Content-Type",
                        content_type(&file),
                    );
                    let response = with_header(response, "X-Content-Type-Options", "nosniff");
                    request.respond(with_header(response, "Cache-Control", "no-cache"))
                }
                Err(_) => respond_not_found(request, &snapshot, site),
            },
            Target::Redirect(location) => {
                request.respond(with_header(Response::empty(301), "Location", &location))
            }
            Target::NotFound if snapshot.failure.is_some() => {
                respond_error_page(request, &snapshot, ErrorPage::Site)
            }
            Target::NotFound => respond_not_found(request, &snapshot, site),
        }
    }

    /// `127.0.0.1:<port>` or `localhost:<port>`; a request without `Host`
    /// (HTTP/1.0, never a browser) is let through.
    fn is_own_host(&self, request: &Request) -> bool {
        let port = self.listener.port();
        request
            .headers()
            .iter()
            .find(|header| header.field.equiv("Host"))
            .is_none_or(|header| {
                let host = header.value.as_str().to_ascii_lowercase();
                host == format!("127.0.0.1:{port}") || host == format!("localhost:{port}")
            })
    }
}

fn respond_own_file(request: Request, name: &str, snapshot: &Snapshot) -> std::io::Result<()> {
    let (body, kind, cache) = match name {
        "reload.js" => (
            RELOAD_SCRIPT.to_string(),
            "text/javascript; charset=utf-8",
            "no-cache",
        ),
        "preview.css" => (
            STYLE_SHEET.to_string(),
            "text/css; charset=utf-8",
            "no-cache",
        ),
        "version" => (
            snapshot.version.to_string(),
            "text/plain; charset=utf-8",
            "no-store",
        ),
        _ => {
            return request.respond(Response::from_string("404 Not Found\n").with_status_code(404));
        }
    };
    let response = with_header(Response::from_string(body), "Content-Type", kind);
    let response = with_header(response, "X-Content-Type-Options", "nosniff");
    request.respond(with_header(response, "Cache-Control", cache))
}

/// A rendered page with the preview's additions.
fn respond_page(
    request: Request,
    file: &Path,
    snapshot: &Snapshot,
    site: &PreviewSite,
    key: &str,
    status: u16,
) -> std::io::Result<()> {
    let Ok(html) = std::fs::read_to_string(file) else {
        // Removed by a newer rebuild between finding and reading it.
        return respond_error_page(request, snapshot, ErrorPage::Site);
    };
    let notes = site.notes.get(key).map(Vec::as_slice).unwrap_or_default();
    let page = decorate(
        &html,
        snapshot.version,
        notes,
        &site.problems,
        site.language,
    );
    let response = with_header(
        Response::from_string(page).with_status_code(status),
        "Content-Type",
        "text/html; charset=utf-8",
    );
    request.respond(with_header(response, "Cache-Control", "no-cache"))
}

/// The site's own 404 page, decorated like every page.
fn respond_not_found(
    request: Request,
    snapshot: &Snapshot,
    site: &PreviewSite,
) -> std::io::Result<()> {
    let page = site
        .base_path
        .split('/')
        .filter(|segment| !segment.is_empty())
        .fold(site.folder.clone(), |path, segment| path.join(segment))
        .join("404.html");
    if page.is_file() {
        respond_page(request, &page, snapshot, site, "", 404)
    } else {
        request.respond(Response::from_string("404 Not Found\n").with_status_code(404))
    }
}

enum ErrorPage<'a> {
    /// The working tree does not build (or has not built yet).
    Site,
    /// One article cannot be read; the rest of the site can.
    Article(&'a Diagnostic),
}

fn respond_error_page(
    request: Request,
    snapshot: &Snapshot,
    which: ErrorPage<'_>,
) -> std::io::Result<()> {
    let html = error_page(snapshot, &which);
    let response = with_header(
        Response::from_string(html).with_status_code(500),
        "Content-Type",
        "text/html; charset=utf-8",
    );
    let response = with_header(response, "Content-Security-Policy", OWN_PAGES_POLICY);
    request.respond(with_header(response, "Cache-Control", "no-cache"))
}

fn error_page(snapshot: &Snapshot, which: &ErrorPage<'_>) -> String {
    let language = snapshot.language();
    let chinese = language == Language::Chinese;
    let (title, intro, problems): (&str, &str, Vec<&Diagnostic>) = match which {
        ErrorPage::Article(problem) => (
            if chinese {
                "本文无法预览"
            } else {
                "This article cannot be previewed"
            },
            if chinese {
                "这篇稿件有错误。改正后保存，本页会自动刷新。"
            } else {
                "This article has an error. Fix it and save: this page reloads by itself."
            },
            vec![*problem],
        ),
        ErrorPage::Site => match &snapshot.failure {
            Some(failure) => (
                if chinese {
                    "预览无法生成"
                } else {
                    "The preview does not build"
                },
                if chinese {
                    "工作区中的文件有错误。改正后保存，本页会自动刷新；终端里也列出了同样的错误。"
                } else {
                    "A file in the working tree has an error. Fix it and save: this page reloads by itself. The terminal lists the same errors."
                },
                failure.iter().collect(),
            ),
            None => (
                if chinese {
                    "正在生成预览"
                } else {
                    "Building the preview"
                },
                if chinese {
                    "请稍候，本页会自动刷新。"
                } else {
                    "One moment: this page reloads by itself."
                },
                Vec::new(),
            ),
        },
    };
    let mut items = String::new();
    for problem in problems {
        items.push_str("<li>");
        let location = problem.location();
        if !location.is_empty() {
            items.push_str(&format!("<code>{}</code> ", escape_xml(&location)));
        }
        items.push_str(&format!("<span>{}</span>", escape_xml(&problem.message)));
        if let Some(help) = &problem.help {
            items.push_str(&format!("<p class=\"help\">{}</p>", escape_xml(help)));
        }
        items.push_str("</li>\n");
    }
    let list = if items.is_empty() {
        String::new()
    } else {
        format!("<ol class=\"sanshen-errors\">\n{items}</ol>\n")
    };
    let home = match (which, &snapshot.site) {
        (ErrorPage::Article(_), Some(site)) => format!(
            "<p><a href=\"{}\">{}</a></p>\n",
            escape_xml(&encode_path(&site.base_path)),
            if chinese {
                "预览首页"
            } else {
                "Preview home page"
            }
        ),
        _ => String::new(),
    };
    format!(
        "<!DOCTYPE html>\n<html lang=\"{lang}\">\n<head>\n<meta charset=\"utf-8\">\n\
<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n\
<meta name=\"robots\" content=\"noindex, nofollow\">\n<title>{title}</title>\n{head}\n</head>\n\
<body class=\"sanshen-error-page\">\n<p class=\"sanshen-preview-banner\" role=\"note\"><strong>{banner}</strong></p>\n\
<main>\n<h1>{title}</h1>\n<p>{intro}</p>\n{list}{home}</main>\n</body>\n</html>\n",
        lang = language.code(),
        head = head_additions(snapshot.version),
        banner = escape_xml(PREVIEW_BANNER),
    )
}

/// The style sheet and the reload script, for a page's head.
fn head_additions(version: u64) -> String {
    format!(
        "<link rel=\"stylesheet\" href=\"{OWN_PREFIX}preview.css\">\
<script src=\"{OWN_PREFIX}reload.js\" data-version=\"{version}\" defer></script>"
    )
}

/// Add the preview's head additions and notes panel to a rendered page.
fn decorate(
    html: &str,
    version: u64,
    notes: &[String],
    problems: &[Diagnostic],
    language: Language,
) -> String {
    let chinese = language == Language::Chinese;
    let lower = html.to_ascii_lowercase();
    let has_banner = html.contains("class=\"preview-banner\"");

    let mut panel = String::new();
    if !has_banner {
        panel.push_str(&format!(
            "<p class=\"sanshen-preview-banner\" role=\"note\"><strong>{}</strong></p>",
            escape_xml(PREVIEW_BANNER)
        ));
    }
    if !notes.is_empty() {
        panel.push_str("<ul>");
        for note in notes {
            panel.push_str(&format!("<li>{}</li>", escape_xml(note)));
        }
        panel.push_str("</ul>");
    }
    if !problems.is_empty() {
        panel.push_str(&format!(
            "<details><summary>{}</summary><ul>",
            if chinese {
                format!("工作区中有 {} 个问题（终端里也已列出）", problems.len())
            } else {
                format!(
                    "{} problem(s) in the working tree (also listed in the terminal)",
                    problems.len()
                )
            }
        ));
        for problem in problems {
            let location = problem.location();
            panel.push_str("<li>");
            if !location.is_empty() {
                panel.push_str(&format!("<code>{}</code> ", escape_xml(&location)));
            }
            panel.push_str(&escape_xml(&problem.message));
            panel.push_str("</li>");
        }
        panel.push_str("</ul></details>");
    }
    let panel = if panel.is_empty() {
        String::new()
    } else {
        format!(
            "<aside class=\"sanshen-preview\" aria-label=\"{}\">{panel}</aside>",
            if chinese {
                "预览说明"
            } else {
                "About this preview"
            }
        )
    };

    // After the theme's banner when there is one (so the skip link stays
    // first), else right after `<body …>`; at the very start for a fragment.
    let panel_at = if has_banner {
        lower.find("class=\"preview-banner\"").and_then(|at| {
            lower[at..]
                .find("</div>")
                .map(|end| at + end + "</div>".len())
        })
    } else {
        None
    }
    .or_else(|| {
        lower
            .find("<body")
            .and_then(|at| lower[at..].find('>').map(|end| at + end + 1))
    })
    .unwrap_or(0);
    let head_at = lower.find("</head>");

    let head = head_additions(version);
    let mut page = String::with_capacity(html.len() + head.len() + panel.len());
    match head_at {
        Some(head_at) if head_at < panel_at => {
            page.push_str(&html[..head_at]);
            page.push_str(&head);
            page.push_str(&html[head_at..panel_at]);
            page.push_str(&panel);
            page.push_str(&html[panel_at..]);
        }
        _ => {
            page.push_str(&html[..panel_at]);
            page.push_str(&head);
            page.push_str(&panel);
            page.push_str(&html[panel_at..]);
        }
    }
    page
}

/// The key of a page in `PreviewSite::notes` and `broken`: its folder URL
/// path, decoded (`/kx/news/a/` for `/kx/news/a`, `/kx/news/a/index.html`).
fn page_key(request_path: &str) -> Option<String> {
    let decoded = percent_decode(request_path)?;
    let folder = decoded.strip_suffix("index.html").unwrap_or(&decoded);
    Some(if folder.ends_with('/') {
        folder.to_string()
    } else {
        format!("{folder}/")
    })
}

/// The same key for a file found in the preview folder.
fn file_key(folder: &Path, file: &Path) -> String {
    let Ok(relative) = file.strip_prefix(folder) else {
        return String::new();
    };
    let mut key = String::from("/");
    let parent = relative.parent().unwrap_or(Path::new(""));
    for part in parent.components() {
        key.push_str(&part.as_os_str().to_string_lossy());
        key.push('/');
    }
    key
}

fn is_page(file: &Path) -> bool {
    file.extension()
        .and_then(|e| e.to_str())
        .is_some_and(|e| e.eq_ignore_ascii_case("html"))
}

/// Percent-encode what is not plain ASCII in a path, for a `Location` header.
fn encode_path(path: &str) -> String {
    let mut encoded = String::with_capacity(path.len());
    for byte in path.bytes() {
        if byte.is_ascii_alphanumeric() || b"/-._~".contains(&byte) {
            encoded.push(byte as char);
        } else {
            encoded.push_str(&format!("%{byte:02X}"));
        }
    }
    encoded
}

#[cfg(test)]
mod tests {
    use super::*;

    const PAGE: &str = "<!DOCTYPE html><html><head><title>t</title></head>\n<body class=\"page-article\">\n<a class=\"skip-link\" href=\"#main\">skip</a>\n<div class=\"preview-banner\" role=\"note\"><strong>banner</strong></div>\n<main>text</main></body></html>";

    #[test]
    fn pages_get_the_script_in_the_head_and_notes_after_the_banner() {
        let notes = vec!["定时发布 <script>".to_string()];
        let page = decorate(PAGE, 7, &notes, &[], Language::Chinese);
        let script = page.find("data-version=\"7\"").unwrap();
        assert!(script < page.find("</head>").unwrap());
        let panel = page.find("<aside class=\"sanshen-preview\"").unwrap();
        assert!(
            panel > page.find("</strong></div>").unwrap(),
            "after the banner: {page}"
        );
        assert!(
            page.contains("定时发布 &lt;script&gt;"),
            "notes are escaped: {page}"
        );
        assert!(
            !page.contains("sanshen-preview-banner"),
            "the theme's banner is enough"
        );
    }

    #[test]
    fn pages_without_the_themes_banner_get_one() {
        let bare = "<html><head></head><BODY lang=en><p>x</p></BODY></html>";
        let page = decorate(bare, 1, &[], &[], Language::English);
        let banner = page.find("sanshen-preview-banner").unwrap();
        assert!(banner > page.find("<BODY lang=en>").unwrap());
        assert!(page.contains(PREVIEW_BANNER));
        // Nothing to say and the theme marks the page: no panel at all.
        let page = decorate(PAGE, 1, &[], &[], Language::English);
        assert!(!page.contains("<aside"));
        assert!(page.contains("reload.js"));
    }

    #[test]
    fn problems_are_listed_with_their_location() {
        let problem = Diagnostic::in_file("content/news/a.md", "bad <date>").at_line(Some(3));
        let page = decorate(PAGE, 1, &[], &[problem], Language::English);
        assert!(
            page.contains("<code>content/news/a.md:3</code> bad &lt;date&gt;"),
            "{page}"
        );
        assert!(page.contains("1 problem(s)"));
    }

    #[test]
    fn page_keys_are_folder_urls() {
        assert_eq!(page_key("/kx/news/a").as_deref(), Some("/kx/news/a/"));
        assert_eq!(page_key("/kx/news/a/").as_deref(), Some("/kx/news/a/"));
        assert_eq!(
            page_key("/kx/news/a/index.html").as_deref(),
            Some("/kx/news/a/")
        );
        assert_eq!(
            page_key("/news/%E9%80%9A%E7%9F%A5/").as_deref(),
            Some("/news/通知/")
        );
        assert_eq!(
            file_key(
                Path::new("/tmp/p/3"),
                Path::new("/tmp/p/3/kx/news/a/index.html")
            ),
            "/kx/news/a/"
        );
        assert_eq!(
            file_key(Path::new("/tmp/p/3"), Path::new("/tmp/p/3/index.html")),
            "/"
        );
        assert_eq!(encode_path("/科协/"), "/%E7%A7%91%E5%8D%8F/");
    }

    #[test]
    fn error_pages_name_the_file_and_line() {
        let snapshot = Snapshot {
            version: 4,
            site: None,
            failure: Some(vec![
                Diagnostic::in_file("site.toml", "unknown key `titel`")
                    .at_line(Some(2))
                    .with_help("see SPEC §2"),
            ]),
        };
        let page = error_page(&snapshot, &ErrorPage::Site);
        assert!(page.contains("<code>site.toml:2</code>"), "{page}");
        assert!(page.contains("unknown key `titel`"));
        assert!(page.contains("see SPEC §2"));
        assert!(page.contains("data-version=\"4\""));
        assert!(page.contains("预览无法生成"));
    }
}
