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
    // Every extension counts: some servers map each of `x.php.png`'s.
    for extension in lower.split('.').skip(1) {
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
