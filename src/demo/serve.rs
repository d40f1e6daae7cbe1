//! `sanshen demo --serve`: the built demo site over HTTP on 127.0.0.1.
//!
//! A static file server for one folder, nothing more: `index.html` for
//! folders (a folder asked for without its final `/` is redirected, so the
//! pages' relative links work), a content type by file extension, and the
//! site's own `404.html` for anything missing. Every request path is decoded
//! and checked segment by segment — no `..`, no backslashes, no drive
//! prefixes — and the file found must still lie inside the folder after
//! symbolic links are resolved, so nothing outside the site can be read.

use std::fs::File;
use std::io::Read;
use std::path::{Path, PathBuf};

use tiny_http::{Header, Method, Request, Response, Server};

use crate::error::{Diagnostic, Error, Result};

/// A socket on 127.0.0.1 — never another address: what is served may be
/// unapproved — whose workers hand each request to one function. The demo
/// server below and `sanshen serve`'s preview server both answer through it.
pub(crate) struct Listener {
    server: Server,
    port: u16,
}

impl Listener {
    /// Listen on 127.0.0.1:`port` (0: any free port).
    pub(crate) fn bind(port: u16) -> Result<Listener> {
        let server = Server::http(("127.0.0.1", port)).map_err(|e| {
            Error::config(
                Diagnostic::new(format!("cannot listen on 127.0.0.1:{port}: {e}"))
                    .with_help("another program may use that port: choose one with --port"),
            )
        })?;
        let bound = server
            .server_addr()
            .to_ip()
            .map_or(port, |address| address.port());
        Ok(Listener {
            server,
            port: bound,
        })
    }

    /// The port bound (the one chosen, when 0 was asked for).
    pub(crate) fn port(&self) -> u16 {
        self.port
    }

    /// Answer GET and HEAD requests with `answer` until the process is
    /// stopped (other methods get 405). Several workers take requests, so one
    /// slow response (a browser that reads a low-priority file late) never
    /// holds up the others.
    pub(crate) fn run(&self, answer: impl Fn(Request) -> std::io::Result<()> + Sync) {
        const WORKERS: usize = 4;
        std::thread::scope(|scope| {
            for _ in 0..WORKERS {
                scope.spawn(|| {
                    for request in self.server.incoming_requests() {
                        // A browser that closes the connection early is not our problem.
                        let _ = if matches!(request.method(), Method::Get | Method::Head) {
                            answer(request)
                        } else {
                            refuse_method(request)
                        };
                    }
                });
            }
        });
    }
}

/// Only reading is served: anything but GET and HEAD gets 405.
fn refuse_method(request: Request) -> std::io::Result<()> {
    let response = Response::from_string("only GET and HEAD are served\n").with_status_code(405);
    request.respond(with_header(response, "Allow", "GET, HEAD"))
}

/// The server, bound and ready to answer.
pub struct StaticServer {
    listener: Listener,
    root: PathBuf,
    url: String,
}

impl StaticServer {
    /// Listen on 127.0.0.1:`port` (0: any free port) for the files of `root`.
    pub fn bind(root: &Path, port: u16) -> Result<StaticServer> {
        let root = root
            .canonicalize()
            .map_err(|e| Error::io(root, &e, "open the site folder"))?;
        let listener = Listener::bind(port)?;
        let url = format!("http://127.0.0.1:{}/", listener.port());
        Ok(StaticServer {
            listener,
            root,
            url,
        })
    }

    /// The address to open in a browser.
    pub fn url(&self) -> &str {
        &self.url
    }

    /// Answer requests until the process is stopped.
    pub fn run(&self) {
        self.listener.run(|request| self.answer(request));
    }

    fn answer(&self, request: Request) -> std::io::Result<()> {
        match resolve(&self.root, request.url()) {
            Target::File(path) => match File::open(&path) {
                Ok(file) => {
                    let response = with_header(
                        Response::from_file(file),
                        "Content-Type",
                        content_type(&path),
                    );
                    let response = with_header(response, "X-Content-Type-Options", "nosniff");
                    request.respond(with_header(response, "Cache-Control", "no-cache"))
                }
                Err(_) => self.not_found(request),
            },
            Target::Redirect(location) => {
                request.respond(with_header(Response::empty(301), "Location", &location))
            }
            Target::NotFound => self.not_found(request),
        }
    }

    fn not_found(&self, request: Request) -> std::io::Result<()> {
        let page = self.root.join("404.html");
        let response = match std::fs::read(&page) {
            Ok(bytes) => with_header(
                Response::from_data(bytes),
                "Content-Type",
                content_type(&page),
            ),
            Err(_) => with_header(
                Response::from_string("404 Not Found\n"),
                "Content-Type",
                "text/plain; charset=utf-8",
            ),
        };
        request.respond(response.with_status_code(404))
    }
}

/// What a request path names.
#[derive(Debug, PartialEq, Eq)]
pub(crate) enum Target {
    File(PathBuf),
    /// A folder asked for without its final `/`: send the browser there.
    Redirect(String),
    NotFound,
}

/// Map a request target (`/news/hq/?page=2`) to a file below `root`, which
/// must be canonical.
pub(crate) fn resolve(root: &Path, url: &str) -> Target {
    let path = url.split(['?', '#']).next().unwrap_or_default();
    let Some(decoded) = percent_decode(path) else {
        return Target::NotFound;
    };
    let mut relative = PathBuf::new();
    for segment in decoded.split('/').filter(|s| !s.is_empty()) {
        let unsafe_segment =
            segment == "." || segment == ".." || segment.contains(['\\', ':', '\0']);
        if unsafe_segment {
            return Target::NotFound;
        }
        relative.push(segment);
    }
    // Resolving symbolic links shows where the file really is.
    let Ok(found) = root.join(&relative).canonicalize() else {
        return Target::NotFound;
    };
    if !found.starts_with(root) {
        return Target::NotFound;
    }
    if found.is_dir() {
        if !path.ends_with('/') {
            // Rebuilt from the segments, so `//host` cannot become a link elsewhere.
            let segments: Vec<&str> = path.split('/').filter(|s| !s.is_empty()).collect();
            return Target::Redirect(format!("/{}/", segments.join("/")));
        }
        let index = found.join("index.html");
        return if index.is_file() {
            Target::File(index)
        } else {
            Target::NotFound
        };
    }
    if found.is_file() {
        Target::File(found)
    } else {
        Target::NotFound
    }
}

/// Decode `%XX` escapes; `None` for a broken escape or bytes that are not UTF-8.
pub(crate) fn percent_decode(text: &str) -> Option<String> {
    let bytes = text.as_bytes();
    let mut decoded = Vec::with_capacity(bytes.len());
    let mut index = 0;
    while index < bytes.len() {
        if bytes[index] == b'%' {
            let hex = text.get(index + 1..index + 3)?;
            decoded.push(u8::from_str_radix(hex, 16).ok()?);
            index += 3;
        } else {
            decoded.push(bytes[index]);
            index += 1;
        }
    }
    String::from_utf8(decoded).ok()
}

/// The content type of a file, by its extension.
pub(crate) fn content_type(path: &Path) -> &'static str {
    let extension = path
        .extension()
        .and_then(|e| e.to_str())
        .map(str::to_ascii_lowercase)
        .unwrap_or_default();
    match extension.as_str() {
        "html" | "htm" => "text/html; charset=utf-8",
        "css" => "text/css; charset=utf-8",
        "js" | "mjs" => "text/javascript; charset=utf-8",
        "json" => "application/json",
        "xml" => "application/xml; charset=utf-8",
        "txt" => "text/plain; charset=utf-8",
        "svg" => "image/svg+xml",
        "png" => "image/png",
        "jpg" | "jpeg" => "image/jpeg",
        "gif" => "image/gif",
        "webp" => "image/webp",
        "ico" => "image/x-icon",
        "pdf" => "application/pdf",
        "mp4" => "video/mp4",
        "webm" => "video/webm",
        "vtt" => "text/vtt; charset=utf-8",
        "woff2" => "font/woff2",
        "woff" => "font/woff",
        _ => "application/octet-stream",
    }
}

/// Add a header. tiny_http refuses only non-ASCII names and values, which
/// the fixed names here and the ASCII request paths cannot be.
pub(crate) fn with_header<R: Read>(response: Response<R>, name: &str, value: &str) -> Response<R> {
    match Header::from_bytes(name.as_bytes(), value.as_bytes()) {
        Ok(header) => response.with_header(header),
        Err(()) => response,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::io::Write;
    use std::net::TcpStream;

    fn site() -> (tempfile::TempDir, PathBuf) {
        let dir = tempfile::tempdir().unwrap();
        let root = dir.path().join("public");
        std::fs::create_dir_all(root.join("news/hq")).unwrap();
        std::fs::write(root.join("index.html"), "<h1>home</h1>").unwrap();
        std::fs::write(root.join("404.html"), "<h1>没有找到</h1>").unwrap();
        std::fs::write(root.join("news/hq/index.html"), "<h1>要闻</h1>").unwrap();
        std::fs::write(root.join("news/hq/chart.png"), [0x89, b'P', b'N', b'G']).unwrap();
        std::fs::write(dir.path().join("secret.txt"), "outside").unwrap();
        let root = root.canonicalize().unwrap();
        (dir, root)
    }

    #[test]
    fn paths_map_to_files_inside_the_folder_only() {
        let (_dir, root) = site();
        assert_eq!(resolve(&root, "/"), Target::File(root.join("index.html")));
        assert_eq!(
            resolve(&root, "/news/hq/?page=2"),
            Target::File(root.join("news/hq/index.html"))
        );
        assert_eq!(
            resolve(&root, "/news/hq"),
            Target::Redirect("/news/hq/".into())
        );
        assert_eq!(
            resolve(&root, "/news/%68q/chart.png"),
            Target::File(root.join("news/hq/chart.png"))
        );
        assert_eq!(resolve(&root, "/news"), Target::Redirect("/news/".into()));
        assert_eq!(resolve(&root, "//news"), Target::Redirect("/news/".into()));
        assert_eq!(
            resolve(&root, "/news/"),
            Target::NotFound,
            "a folder without index.html"
        );
        for escape in [
            "/../secret.txt",
            "/news/../../secret.txt",
            "/%2e%2e/secret.txt",
            "/..%2fsecret.txt",
            "/..\\secret.txt",
            "/%zz",
        ] {
            assert_eq!(resolve(&root, escape), Target::NotFound, "{escape}");
        }
    }

    #[cfg(unix)]
    #[test]
    fn symbolic_links_out_of_the_folder_are_not_followed() {
        let (dir, root) = site();
        std::os::unix::fs::symlink(dir.path().join("secret.txt"), root.join("link.txt")).unwrap();
        assert_eq!(resolve(&root, "/link.txt"), Target::NotFound);
    }

    #[test]
    fn content_types_follow_the_extension() {
        assert_eq!(
            content_type(Path::new("a/index.html")),
            "text/html; charset=utf-8"
        );
        assert_eq!(
            content_type(Path::new("static/css/site.css")),
            "text/css; charset=utf-8"
        );
        assert_eq!(
            content_type(Path::new("static/js/site.js")),
            "text/javascript; charset=utf-8"
        );
        assert_eq!(content_type(Path::new("logo.SVG")), "image/svg+xml");
        assert_eq!(content_type(Path::new("chart.png")), "image/png");
        assert_eq!(content_type(Path::new("photo.jpg")), "image/jpeg");
        assert_eq!(content_type(Path::new("tongji.pdf")), "application/pdf");
        assert_eq!(content_type(Path::new("search.json")), "application/json");
        assert_eq!(
            content_type(Path::new("atom.xml")),
            "application/xml; charset=utf-8"
        );
        assert_eq!(content_type(Path::new("blob")), "application/octet-stream");
    }

    fn get(url: &str, path: &str) -> String {
        let address = url.trim_start_matches("http://").trim_end_matches('/');
        let mut stream = TcpStream::connect(address).unwrap();
        write!(stream, "GET {path} HTTP/1.0\r\nHost: {address}\r\n\r\n").unwrap();
        let mut response = String::new();
        stream.read_to_string(&mut response).unwrap();
        response
    }

    #[test]
    fn serves_pages_redirects_and_the_sites_404() {
        let (_dir, root) = site();
        let server = StaticServer::bind(&root, 0).unwrap();
        let url = server.url().to_string();
        std::thread::spawn(move || server.run());

        let home = get(&url, "/");
        assert!(
            home.starts_with("HTTP/1.1 200") || home.starts_with("HTTP/1.0 200"),
            "{home}"
        );
        assert!(home.contains("text/html; charset=utf-8"), "{home}");
        assert!(home.ends_with("<h1>home</h1>"), "{home}");

        let folder = get(&url, "/news/hq");
        assert!(folder.contains(" 301 "), "{folder}");
        assert!(folder.contains("Location: /news/hq/"), "{folder}");

        let missing = get(&url, "/../secret.txt");
        assert!(missing.contains(" 404 "), "{missing}");
        assert!(missing.contains("没有找到"), "{missing}");
        assert!(!missing.contains("outside"), "{missing}");
    }
}
