//! Assets that can run in a browser from the site's own origin (SPEC §3).
//!
//! A bundle's assets are published beside the article's page, so a script
//! in any of them runs with the site's authority: it can read its pages,
//! forge its forms and speak in its name. Only passive types may go online,
//! and both what the bytes are and what the name makes the server send are
//! judged, since the browser trusts the type the server sends, and the
//! server picks it by extension:
//!
//! - the content must be of a passive type, recognised from its bytes
//!   ([`is_passive`]): images, PDF, office documents, plain text, audio and
//!   video, and SVG or XML in which nothing can run;
//! - markup is read as a browser reads it ([`super::markup`]): scripts,
//!   event handlers, `javascript:` URLs, `<foreignObject>`, frames and
//!   plug-ins, XSL stylesheets. Plain text is read that way too when it
//!   holds a tag, because a browser that sniffs it as HTML (or an old one
//!   that ignores the type) would run it;
//! - the name must not claim a type that runs (`x.html` holding a PNG is
//!   served as HTML, and a PNG can carry HTML in its text chunks), nor one
//!   the server itself runs or obeys (`.php`, `.asp`, `.htaccess`).

use std::fmt;

use super::markup::{self, Dialect};
use super::sniff::{self, Format, TEXT_LIMIT};

/// Why an asset can run in a browser (or on the server) once published.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Active {
    /// An HTML or XHTML document, whatever its name.
    Html,
    /// A script element (`<script>`; SVG 1.2's `<handler>`, `<listener>`).
    Script { element: String },
    /// An event-handler attribute (`onload=`, `onclick=` …).
    EventHandler { element: String, attribute: String },
    /// A `javascript:` or `vbscript:` URL in an attribute.
    ScriptUrl { element: String, attribute: String },
    /// HTML embedded in SVG through `<foreignObject>`.
    ForeignObject,
    /// A frame or plug-in: `<iframe>`, `<embed>`, `<object>` …
    Embedded { element: String },
    /// An `xml-stylesheet` instruction naming XSLT, which turns the
    /// document into a page.
    XslStylesheet,
    /// A name whose extension makes the server send a type that runs,
    /// whatever the content is.
    ActiveName { extension: String, content: Format },
    /// A name a web server runs or obeys itself.
    ServerName { name: String },
    /// Content that is not one of the passive types.
    NotPassive { content: Format },
    /// Markup too large to be read in full.
    TooLarge { limit: usize },
}

impl fmt::Display for Active {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Active::Html => f.write_str(
                "it is an HTML document: published on the site's own origin, it could act as the site",
            ),
            Active::Script { element } => {
                write!(f, "it contains a <{element}> element, which runs script")
            }
            Active::EventHandler { element, attribute } => write!(
                f,
                "its <{element}> element has an event handler ({attribute}=…), which runs script"
            ),
            Active::ScriptUrl { element, attribute } => write!(
                f,
                "the {attribute} attribute of its <{element}> element holds a javascript: URL"
            ),
            Active::ForeignObject => {
                f.write_str("it embeds HTML through <foreignObject>, which can run script")
            }
            Active::Embedded { element } => write!(
                f,
                "it embeds other content through <{element}>, which can run script"
            ),
            Active::XslStylesheet => f.write_str(
                "it names an XSL stylesheet, which turns it into a web page that can run script",
            ),
            Active::ActiveName { extension, content } => {
                let served = match extension.as_str() {
                    "js" | "mjs" | "cjs" => "JavaScript",
                    "svg" | "svgz" => "SVG",
                    "xml" | "xsl" | "xslt" => "XML",
                    "swf" => "Flash",
                    _ => "a web page",
                };
                write!(
                    f,
                    "its name ends in .{extension}, so it is served as {served} whatever it holds (it holds {content})"
                )
            }
            Active::ServerName { name } => write!(
                f,
                "“{name}” is a name a web server runs or obeys as configuration instead of sending it"
            ),
            Active::NotPassive { content } => write!(
                f,
                "it is {content}, not one of the passive types that may be published (images, PDF, office documents, plain text, audio, video)"
            ),
            Active::TooLarge { limit } => write!(
                f,
                "it is markup larger than {} MiB, too large to be checked for script",
                limit >> 20
            ),
        }
    }
}

/// Extensions a server sends as a type that runs in the browser.
const ACTIVE_EXTENSIONS: &[&str] = &[
    "html", "htm", "xhtml", "xht", "mht", "mhtml", "js", "mjs", "cjs", "hta", "htc", "swf", "xsl",
    "xslt", "xbl", "xul",
];

/// Extensions a server sends as markup a browser parses: the content must
/// be that markup, checked to hold nothing that runs.
const MARKUP_EXTENSIONS: &[&str] = &["svg", "svgz", "xml"];

/// Extensions a web server may run itself (PHP, ASP, JSP, CGI, server-side
/// includes), and names it reads as its own configuration.
const SERVER_EXTENSIONS: &[&str] = &[
    "php", "php3", "php4", "php5", "php7", "phtml", "phar", "asp", "aspx", "ascx", "ashx", "asmx",
    "cer", "asa", "jsp", "jspx", "cgi", "pl", "shtml", "shtm", "stm",
];
const SERVER_NAMES: &[&str] = &[
    ".htaccess",
    ".htpasswd",
    "web.config",
    ".user.ini",
    "_headers",
    "_redirects",
];

/// Whether content of this format is on the allow-list of passive types.
/// SVG and XML are, when nothing in them runs ([`active_content`] reads
/// them to find out).
pub fn is_passive(format: Format) -> bool {
    match format {
        Format::Empty
        | Format::Png
        | Format::Jpeg
        | Format::Gif
        | Format::WebP
        | Format::Bmp
        | Format::Ico
        | Format::Tiff
        | Format::IsoMedia
        | Format::Mp3
        | Format::Aac
        | Format::Ogg
        | Format::Wav
        | Format::Flac
        | Format::WebM
        | Format::Avi
        | Format::Pdf
        | Format::Docx
        | Format::Xlsx
        | Format::Pptx
        | Format::OpenDocument
        | Format::Ofd
        | Format::LegacyOffice
        | Format::Rtf
        | Format::Text
        | Format::Svg
        | Format::Xml => true,
        Format::Html
        | Format::Zip
        | Format::Archive
        | Format::Flash
        | Format::Wasm
        | Format::Binary => false,
    }
}

/// Why an asset named `name` (its path in the bundle) holding `bytes` can
/// run in a browser from the site's origin — or on the server — once
/// published; `None` when it is passive.
pub fn active_content(name: &str, bytes: &[u8]) -> Option<Active> {
    let sniffed = sniff::sniff(bytes);
    let format = sniffed.format;
    if format == Format::Html {
        return Some(Active::Html);
    }
    if let Some((text, _)) = &sniffed.text
        && (format.is_markup() || (format == Format::Text && text.contains('<')))
    {
        if sniffed.truncated && format.is_markup() {
            return Some(Active::TooLarge { limit: TEXT_LIMIT });
        }
        let dialect = if format.is_markup() {
            Dialect::Xml
        } else {
            Dialect::Html
        };
        let read = markup::read(text, dialect);
        if let Some(found) = read.active.into_iter().next() {
            return Some(found);
        }
        if read.expansion_stopped {
            return Some(Active::TooLarge { limit: TEXT_LIMIT });
        }
    }
    let file_name = name.rsplit(['/', '\\']).next().unwrap_or(name);
    let lower = file_name.to_ascii_lowercase();
    if SERVER_NAMES.contains(&lower.as_str()) {
        return Some(Active::ServerName {
            name: file_name.to_string(),
        });
    }
    // Every extension counts: some servers map each of `x.php.png`'s. What
    // follows its letters and digits some servers drop (`x.asp;.jpg`,
    // `x.html.` and `x.html ` on Windows).
    let extensions = lower.split('.').skip(1).map(|part| {
        let end = part
            .find(|c: char| !c.is_ascii_alphanumeric())
            .unwrap_or(part.len());
        &part[..end]
    });
    for extension in extensions {
        if SERVER_EXTENSIONS.contains(&extension) {
            return Some(Active::ServerName {
                name: file_name.to_string(),
            });
        }
        let claims_markup =
            MARKUP_EXTENSIONS.contains(&extension) && !matches!(format, Format::Svg | Format::Xml);
        if ACTIVE_EXTENSIONS.contains(&extension) || claims_markup {
            return Some(Active::ActiveName {
                extension: extension.to_string(),
                content: format,
            });
        }
    }
    (!is_passive(format)).then_some(Active::NotPassive { content: format })
}

#[cfg(test)]
mod tests {
    use super::*;

    const PNG: &[u8] =
        b"\x89PNG\r\n\x1a\n\0\0\0\x0dIHDR\0\0\0\x01\0\0\0\x01\x08\x06\0\0\0\x1f\x15\xc4\x89";

    fn utf16le(text: &str) -> Vec<u8> {
        text.encode_utf16().flat_map(u16::to_le_bytes).collect()
    }

    #[test]
    fn html_is_active_whatever_its_name() {
        for (name, bytes) in [
            ("page.html", &b"<!DOCTYPE html><p>hello</p>"[..]),
            ("notes.txt", b"\n<!doctype HTML>\n<title>x</title>"),
            ("data.csv", b"<html><body>a,b</body></html>"),
            ("photo.png", b"<script>alert(document.cookie)</script>"),
            (
                "page.xml",
                b"<?xml version=\"1.0\"?><html xmlns=\"http://www.w3.org/1999/xhtml\"/>",
            ),
        ] {
            assert_eq!(active_content(name, bytes), Some(Active::Html), "{name}");
        }
    }

    #[test]
    fn svg_that_runs_is_flagged() {
        let cases: [(&str, Active); 5] = [
            (
                r#"<svg xmlns="http://www.w3.org/2000/svg"><script>alert(1)</script></svg>"#,
                Active::Script {
                    element: "script".into(),
                },
            ),
            (
                r#"<svg xmlns="http://www.w3.org/2000/svg" onload="alert(1)"/>"#,
                Active::EventHandler {
                    element: "svg".into(),
                    attribute: "onload".into(),
                },
            ),
            (
                r#"<svg xmlns="http://www.w3.org/2000/svg"><foreignObject><iframe src="x"/></foreignObject></svg>"#,
                Active::ForeignObject,
            ),
            (
                r#"<svg xmlns="http://www.w3.org/2000/svg"><a href="&#106;avascript:alert(1)"><text>x</text></a></svg>"#,
                Active::ScriptUrl {
                    element: "a".into(),
                    attribute: "href".into(),
                },
            ),
            (
                r#"<svg xmlns="http://www.w3.org/2000/svg"><embed src="x.swf"/></svg>"#,
                Active::Embedded {
                    element: "embed".into(),
                },
            ),
        ];
        for (svg, expected) in cases {
            assert_eq!(
                active_content("chart.svg", svg.as_bytes()),
                Some(expected.clone()),
                "{svg}"
            );
            // The same SVG saved as UTF-16 by a Windows editor, and named .txt.
            let mut bom = vec![0xFF, 0xFE];
            bom.extend(utf16le(svg));
            assert_eq!(active_content("chart.txt", &bom), Some(expected), "{svg}");
        }
        // Messages say why, in words.
        let why = active_content("a.svg", br#"<svg onload="x"/>"#)
            .unwrap()
            .to_string();
        assert!(why.contains("onload"), "{why}");
    }

    #[test]
    fn passive_svg_is_not_flagged() {
        let svg = r##"<?xml version="1.0" encoding="UTF-8" standalone="no"?>
<!-- Generator: Adobe Illustrator 24.0.0 -->
<!DOCTYPE svg PUBLIC "-//W3C//DTD SVG 1.1//EN" "http://www.w3.org/Graphics/SVG/1.1/DTD/svg11.dtd">
<svg xmlns="http://www.w3.org/2000/svg" xmlns:xlink="http://www.w3.org/1999/xlink" viewBox="0 0 10 10">
  <title>Logo</title><desc>the online portal's logo</desc>
  <style>.a{fill:#c00;font-family:'SimSun'}</style>
  <a xlink:href="https://www.gov.cn/"><path class="a" d="M0 0h10v10z"/></a>
  <text x="1" y="5">政府网站 — information online</text>
</svg>"##;
        assert_eq!(active_content("logo.svg", svg.as_bytes()), None);
        assert_eq!(active_content("logo.xml", svg.as_bytes()), None);
    }

    #[test]
    fn a_name_that_claims_an_active_type_is_flagged_whatever_the_content() {
        assert_eq!(
            active_content("x.html", PNG),
            Some(Active::ActiveName {
                extension: "html".into(),
                content: Format::Png,
            })
        );
        assert_eq!(
            active_content("lib/app.min.js", b"console.log(1)"),
            Some(Active::ActiveName {
                extension: "js".into(),
                content: Format::Text,
            })
        );
        // A PNG named .svg is served as SVG.
        assert!(matches!(
            active_content("icon.svg", PNG),
            Some(Active::ActiveName { .. })
        ));
        assert!(matches!(
            active_content("photo.php.png", PNG),
            Some(Active::ServerName { .. })
        ));
        assert!(matches!(
            active_content("sub/.htaccess", b"AddType text/html .png\n"),
            Some(Active::ServerName { .. })
        ));
        for name in ["x.asp;.jpg", "x.HTML ", "x.html.", "x.php::$DATA"] {
            assert!(active_content(name, PNG).is_some(), "{name}");
        }
        assert_eq!(active_content("photo.PNG", PNG), None);
        assert_eq!(active_content("photo.jpg", PNG), None);
    }

    #[test]
    fn passive_types_are_passive() {
        for (name, bytes) in [
            ("list.csv", "姓名,单位\n张三,科普部\n".as_bytes()),
            (
                "talk.vtt",
                "WEBVTT\n\n00:00.000 --> 00:02.000\n<v 主持人>欢迎 <b>各位</b>".as_bytes(),
            ),
            ("notes.txt", b"if a < b then c > d"),
            ("empty.txt", b""),
            ("doc.pdf", b"%PDF-1.7\n%\xE2\xE3\xCF\xD3\n"),
            ("old.doc", b"\xD0\xCF\x11\xE0\xA1\xB1\x1A\xE1\0\0"),
            (
                "doc.rtf",
                b"{\\rtf1\\ansi <script>not markup here</script>}",
            ),
            ("clip.mp4", b"\0\0\0\x18ftypisom\0\0\x02\0"),
            ("a.mp3", b"ID3\x04\0\0\0\0\0\0"),
            ("a.webm", b"\x1A\x45\xDF\xA3\x9F\x42\x86\x81"),
            (
                "feed.xml",
                b"<?xml version=\"1.0\"?><rss><channel><title>t</title></channel></rss>",
            ),
        ] {
            assert_eq!(active_content(name, bytes), None, "{name}");
        }
    }

    #[test]
    fn what_is_not_on_the_allow_list_is_flagged() {
        let binary: Vec<u8> = (0u32..600).map(|i| (i * 7919 % 251) as u8).collect();
        assert_eq!(
            active_content("data.bin", &binary),
            Some(Active::NotPassive {
                content: Format::Binary
            })
        );
        assert_eq!(
            active_content("movie.swf", b"FWS\x0a"),
            Some(Active::ActiveName {
                extension: "swf".into(),
                content: Format::Flash
            })
        );
        assert_eq!(
            active_content("a.gz", b"\x1F\x8B\x08\0\0\0"),
            Some(Active::NotPassive {
                content: Format::Archive
            })
        );
    }

    #[test]
    fn text_holding_markup_that_runs_is_flagged() {
        assert_eq!(
            active_content("readme.txt", b"see below\n<img src=x onerror=alert(1)>"),
            Some(Active::EventHandler {
                element: "img".into(),
                attribute: "onerror".into(),
            })
        );
        assert_eq!(
            active_content(
                "doc.xml",
                b"<?xml-stylesheet type=\"text/xsl\" href=\"#s\"?><doc/>"
            ),
            Some(Active::XslStylesheet)
        );
        assert_eq!(
            active_content(
                "ns.xml",
                b"<doc xmlns:h=\"http://www.w3.org/1999/xhtml\"><h:script>x</h:script></doc>"
            ),
            Some(Active::Script {
                element: "script".into()
            })
        );
    }
}
