//! Leaf helpers that read what a site publishes besides its Markdown: the
//! files in article bundles, and the rendered body as its reader gets it.
//!
//! SPEC §3 and §5 ask two things of every published byte: that the blocking
//! rules read its *text* — "the text of every asset whatever its file
//! extension says", "the body as rendered (character references decoded)" —
//! and that nothing published can *run* in a browser from the site's origin
//! unless the column allows raw HTML. This module answers both, from the
//! bytes alone:
//!
//! - [`asset_text`]: what an asset is ([`Format`], sniffed from its content,
//!   never its name) and its text piece by piece, each labelled with where it
//!   sits ([`Place`]), with what could not be read said plainly
//!   ([`Unread`]) — "clean" must never stand for "not looked at";
//! - [`active_content`]: why an asset could run once published ([`Active`]);
//! - [`markdown_text`]: a Markdown body's rendered text;
//! - the readers behind them, also used on their own: office documents
//!   ([`office_text`]), PDF ([`pdf`]), image metadata ([`gps_position`],
//!   [`strip_metadata`]), character references ([`decode_entities`]).
//!
//! It is a leaf: it imports nothing else of the crate, so the per-version
//! rules below the publication set and the whole-site checks above render
//! can both use it without an arrow pointing the wrong way. It decides
//! nothing; the rules say what a finding means, in the site's language.
//!
//! Every reader takes untrusted bytes: nothing here panics on them, and the
//! work is bounded — sizes are capped (archive members, decoded text, entity
//! expansion), nesting depth is capped, and no loop goes back over its input.

mod active;
mod image;
mod markdown;
mod markup;
mod metadata;
mod office;
mod packages;
pub mod pdf;
mod rtf;
mod sniff;

use std::collections::BTreeSet;
use std::fmt;

pub use active::{Active, active_content, is_passive};
pub use image::{gps_position, strip_metadata};
pub use markdown::markdown_text;
pub use office::{AssetKind, OfficeText, Place, decode_entities, kind_of, office_text};
pub use sniff::{Format, TextEncoding};

use markup::{Dialect, MarkupText};

/// The text of one asset, piece by piece, and what of it could not be read.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct AssetText {
    /// What the asset is, by its content.
    pub format: Format,
    /// How a text or markup asset is encoded.
    pub encoding: Option<TextEncoding>,
    /// The text, each piece with where it sits in the file.
    pub pieces: Vec<(Place, String)>,
    /// What could not be read: content no rule has seen.
    pub unread: Vec<Unread>,
    /// Comments carried by the file (office comments, PDF annotations, RTF
    /// annotations), and tracked changes: review notes that go out with it.
    pub comments: usize,
    pub revisions: usize,
    /// Who wrote those comments and changes.
    pub reviewers: BTreeSet<String>,
}

impl AssetText {
    fn new(format: Format) -> AssetText {
        AssetText {
            format,
            encoding: None,
            pieces: Vec::new(),
            unread: Vec::new(),
            comments: 0,
            revisions: 0,
            reviewers: BTreeSet::new(),
        }
    }

    fn push(&mut self, place: Place, text: &str) {
        let text = text.trim();
        if !text.is_empty() {
            self.pieces.push((place, text.to_string()));
        }
    }

    fn take_office(&mut self, document: OfficeText) {
        self.pieces.extend(document.pieces);
        self.comments += document.comments;
        self.revisions += document.revisions;
        self.reviewers.extend(document.reviewers);
    }

    fn take_markup(&mut self, markup: MarkupText) {
        let body = markup
            .body
            .lines()
            .map(str::trim)
            .filter(|line| !line.is_empty())
            .collect::<Vec<_>>()
            .join("\n");
        self.push(Place::Text, &body);
        for (name, text) in &markup.parts {
            self.push(Place::Part(name.clone()), text);
        }
        self.push(Place::Part("entity declarations".into()), &markup.entities);
        for (name, text) in &markup.attributes {
            self.push(Place::Attribute(name.clone()), text);
        }
        self.push(Place::MarkupComment, &markup.comments);
        if markup.expansion_stopped {
            self.unread.push(Unread::EntityExpansion);
        }
    }
}

/// Why some of an asset's content was not read.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Unread {
    /// The file could not be parsed as what it is: why.
    Damaged(String),
    /// PDF pages whose text cannot be decoded (fonts without a Unicode map).
    UndecodedPages(Vec<u32>),
    /// A PDF whose pages hold no text at all: a scan.
    ImageOnly,
    /// A format whose text is not read here (97–2003 Office files, archives).
    Unsupported(Format),
    /// Binary data of no recognised type.
    Binary,
    /// Only the first `limit` bytes were read.
    Truncated { limit: usize },
    /// Metadata stored compressed (PNG `zTXt`, compressed `iTXt`).
    CompressedMetadata,
    /// The entities an XML file declares expand beyond the budget (an
    /// "entity bomb"); the rest was read unexpanded.
    EntityExpansion,
}

impl fmt::Display for Unread {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Unread::Damaged(why) => write!(f, "it cannot be read ({why})"),
            Unread::UndecodedPages(pages) => {
                let pages: Vec<String> = pages.iter().map(u32::to_string).collect();
                write!(
                    f,
                    "the text of page(s) {} cannot be decoded (a font without a Unicode map)",
                    pages.join(", ")
                )
            }
            Unread::ImageOnly => f.write_str("it has no readable text (a scan?)"),
            Unread::Unsupported(format) => write!(f, "the text of {format} is not read"),
            Unread::Binary => f.write_str("it is binary data of an unknown type"),
            Unread::Truncated { limit } => {
                write!(f, "only its first {} MiB were read", limit >> 20)
            }
            Unread::CompressedMetadata => f.write_str("it carries compressed metadata, not read"),
            Unread::EntityExpansion => {
                f.write_str("the entities it declares expand too far to be read in full")
            }
        }
    }
}

/// The text of an asset, read by what its bytes are — whatever its name
/// says. `name` (its path in the bundle) only tells a damaged Word or Excel
/// file from another ZIP archive. Pass the bytes that are published (after
/// [`strip_metadata`]) to read what goes online.
pub fn asset_text(name: &str, bytes: &[u8]) -> AssetText {
    let sniffed = sniff::sniff(bytes);
    let mut text = AssetText::new(sniffed.format);
    if sniffed.truncated {
        text.unread.push(Unread::Truncated {
            limit: sniff::TEXT_LIMIT,
        });
    }
    text.encoding = sniffed.text.as_ref().map(|(_, encoding)| *encoding);
    match sniffed.format {
        Format::Docx | Format::Xlsx => {
            let kind = if sniffed.format == Format::Docx {
                AssetKind::Docx
            } else {
                AssetKind::Xlsx
            };
            match office_text(kind, bytes) {
                Ok(document) => text.take_office(document),
                Err(why) => text.unread.push(Unread::Damaged(why)),
            }
        }
        Format::Pptx | Format::OpenDocument | Format::Ofd => {
            match packages::package_text(sniffed.format, bytes) {
                Ok(document) => text.take_office(document),
                Err(why) => text.unread.push(Unread::Damaged(why)),
            }
        }
        Format::Zip => match kind_of(name) {
            Some(kind @ (AssetKind::Docx | AssetKind::Xlsx)) => match office_text(kind, bytes) {
                Ok(document) => text.take_office(document),
                Err(why) => text.unread.push(Unread::Damaged(why)),
            },
            _ => {
                // The names of its files are published with it.
                let names = packages::member_names(bytes);
                text.push(Place::Part("file names in the archive".into()), &names);
                text.unread.push(Unread::Unsupported(Format::Zip));
            }
        },
        Format::Pdf => match pdf::pdf_text(bytes) {
            Ok(pdf) => {
                if !pdf.undecoded_pages.is_empty() {
                    text.unread
                        .push(Unread::UndecodedPages(pdf.undecoded_pages.clone()));
                } else if pdf.is_image_only() {
                    text.unread.push(Unread::ImageOnly);
                }
                text.take_office(pdf.text);
            }
            Err(why) => text.unread.push(Unread::Damaged(why)),
        },
        Format::Rtf => {
            let rtf = rtf::read(bytes);
            text.push(Place::Text, &rtf.body);
            for (field, value) in rtf.fields {
                let place = if field == "field instructions" {
                    Place::Part(field)
                } else {
                    Place::Property(field)
                };
                text.push(place, &value);
            }
            for (author, annotation) in rtf.annotations {
                text.comments += 1;
                if !author.is_empty() {
                    text.reviewers.insert(author.clone());
                }
                text.push(Place::Comment { author }, &annotation);
            }
        }
        Format::Html | Format::Svg | Format::Xml => {
            let dialect = if sniffed.format == Format::Html {
                Dialect::Html
            } else {
                Dialect::Xml
            };
            if let Some((markup, _)) = &sniffed.text {
                text.take_markup(markup::read(markup, dialect));
            }
        }
        Format::Text => {
            if let Some((plain, _)) = &sniffed.text {
                text.push(Place::Text, plain);
            }
        }
        Format::Png
        | Format::Jpeg
        | Format::Gif
        | Format::WebP
        | Format::Bmp
        | Format::Ico
        | Format::Tiff
        | Format::IsoMedia => {
            let metadata = metadata::metadata_text(sniffed.format, bytes);
            if metadata.compressed {
                text.unread.push(Unread::CompressedMetadata);
            }
            for (place, value) in metadata.pieces {
                text.push(place, &value);
            }
        }
        Format::LegacyOffice | Format::Archive | Format::Flash | Format::Wasm => {
            text.unread.push(Unread::Unsupported(sniffed.format));
        }
        Format::Binary => text.unread.push(Unread::Binary),
        Format::Empty
        | Format::Mp3
        | Format::Aac
        | Format::Ogg
        | Format::Wav
        | Format::Flac
        | Format::WebM
        | Format::Avi => {}
    }
    text
}

#[cfg(test)]
mod tests {
    use super::*;

    fn find<'t>(text: &'t AssetText, place: &Place) -> Option<&'t str> {
        text.pieces
            .iter()
            .find(|(p, _)| p == place)
            .map(|(_, t)| t.as_str())
    }

    #[test]
    fn classification_mark_in_an_svg_desc() {
        let svg = "<svg xmlns=\"http://www.w3.org/2000/svg\"><desc>秘密&#9733;1年</desc><text>公开</text></svg>";
        let text = asset_text("chart.png", svg.as_bytes());
        assert_eq!(text.format, Format::Svg);
        assert_eq!(find(&text, &Place::Part("desc".into())), Some("秘密★1年"));
        assert_eq!(find(&text, &Place::Text), Some("公开"));
        assert!(text.unread.is_empty());
    }

    #[test]
    fn numbers_hidden_by_references_in_html() {
        let html = "<!DOCTYPE html><title>名单</title><p>身份证 1101051949123100&#50;&#x58;，电话 <span>138</span>1234&#53;678</p>";
        let text = asset_text("list.txt", html.as_bytes());
        assert_eq!(text.format, Format::Html);
        assert_eq!(
            find(&text, &Place::Text),
            Some("身份证 11010519491231002X，电话 13812345678")
        );
        assert_eq!(find(&text, &Place::Part("title".into())), Some("名单"));
    }

    #[test]
    fn text_in_any_encoding_whatever_its_name() {
        let utf16: Vec<u8> = "秘密★1年\r\n电话 13812345678"
            .encode_utf16()
            .flat_map(u16::to_le_bytes)
            .collect();
        let text = asset_text("notes.txt", &utf16);
        assert_eq!(
            (text.format, text.encoding),
            (Format::Text, Some(TextEncoding::Utf16Le))
        );
        assert_eq!(
            find(&text, &Place::Text),
            Some("秘密★1年\n电话 13812345678")
        );

        let (gbk, _, _) = encoding_rs::GB18030.encode("姓名,身份证号\n张三,11010519491231002X\n");
        let text = asset_text("list.dat", &gbk);
        assert_eq!(text.encoding, Some(TextEncoding::Gb18030));
        assert_eq!(
            find(&text, &Place::Text),
            Some("姓名,身份证号\n张三,11010519491231002X")
        );
    }

    #[test]
    fn rtf_text_and_information() {
        let rtf = br"{\rtf1\ansi\ansicpg936{\fonttbl{\f0\fcharset134 SimSun;}}{\info{\author \'d5\'c5\'c8\'fd}}\f0 \'c3\'d8\'c3\'dc\'a1\'ef1\'c4\'ea\par}";
        let text = asset_text("notice.doc", rtf);
        assert_eq!(text.format, Format::Rtf);
        assert_eq!(find(&text, &Place::Text), Some("秘密★1年"));
        assert_eq!(find(&text, &Place::Property("author".into())), Some("张三"));
    }

    #[test]
    fn office_and_pdf_go_through_their_readers() {
        let docx = office::tests::docx("正文 13812345678", "请核对", "旧文字");
        let text = asset_text("a.bin", &docx);
        assert_eq!(text.format, Format::Docx);
        assert_eq!(find(&text, &Place::Paragraph(1)), Some("正文 13812345678"));
        assert_eq!((text.comments, text.revisions), (1, 1));

        let mut writer = pdf::tests::PdfWriter::new();
        let font = writer.add(pdf::tests::HELVETICA);
        writer.page(
            font,
            "BT /F1 12 Tf 72 770 Td (ID 11010519491231002X) Tj ET",
            "",
        );
        let text = asset_text("scan.jpg", &writer.finish(None));
        assert_eq!(text.format, Format::Pdf);
        assert_eq!(find(&text, &Place::Page(1)), Some("ID 11010519491231002X"));
    }

    #[test]
    fn what_is_not_read_is_said() {
        let broken = office::tests::zip_of(&[("x.xml", "<a/>")]);
        let text = asset_text("report.docx", &broken);
        assert!(
            matches!(text.unread[..], [Unread::Damaged(_)]),
            "{:?}",
            text.unread
        );

        let archive = office::tests::zip_of(&[("张三身份证.jpg", "x"), ("说明.txt", "y")]);
        let text = asset_text("files.zip", &archive);
        assert_eq!(text.unread, [Unread::Unsupported(Format::Zip)]);
        assert_eq!(
            find(&text, &Place::Part("file names in the archive".into())),
            Some("张三身份证.jpg\n说明.txt")
        );

        let binary: Vec<u8> = (0u32..600).map(|i| (i * 7919 % 251) as u8).collect();
        let text = asset_text("notes.txt", &binary);
        assert_eq!(
            (text.format, &text.unread[..]),
            (Format::Binary, &[Unread::Binary][..])
        );
        assert!(text.pieces.is_empty());

        let legacy = asset_text("old.doc", b"\xD0\xCF\x11\xE0\xA1\xB1\x1A\xE1\0\0\0\0");
        assert_eq!(legacy.unread, [Unread::Unsupported(Format::LegacyOffice)]);
        assert!(legacy.unread[0].to_string().contains("not read"));
    }

    /// Cut, hostile and random files: read, never a panic, never a long wait.
    #[test]
    fn hostile_input_is_read_without_panicking() {
        let docx = office::tests::docx("x", "y", "z");
        let big_markup = format!(
            "<svg>{}{}</svg>",
            "<a b=\"1\" c='&#x3a;' d=x>&amp;&".repeat(4_000),
            "<!--".repeat(10_000)
        );
        let samples: Vec<Vec<u8>> = vec![
            docx.clone(),
            b"{\\rtf1\\ansicpg936 \\'c3\\'d8 {\\*\\x {\\info".to_vec(),
            b"<!DOCTYPE x [<!ENTITY a \"&a;&a;\">]><x>&a;</x>".to_vec(),
            b"<!DOCTYPE x [<!ENTITY a \"]]]>".to_vec(),
            big_markup.into_bytes(),
            "&".repeat(100_000).into_bytes(),
            b"\xFF\xFE<\0s\0v\0g\0".to_vec(),
            b"%PDF-1.7\n1 0 obj".to_vec(),
            b"\x89PNG\r\n\x1a\n".to_vec(),
            b"RIFF\xFF\xFF\xFF\xFFWEBPVP8X".to_vec(),
        ];
        for sample in &samples {
            for cut in [0, 1, 7, sample.len() / 3, sample.len() / 2, sample.len()] {
                let bytes = &sample[..cut.min(sample.len())];
                for name in ["a.svg", "a.docx", "a.txt", "a"] {
                    let _ = asset_text(name, bytes);
                    let _ = active_content(name, bytes);
                }
            }
        }
    }

    proptest::proptest! {
        #[test]
        fn random_bytes_never_panic(bytes in proptest::collection::vec(proptest::num::u8::ANY, 0..512), prefix in 0usize..8) {
            let magic: [&[u8]; 8] = [
                b"", b"<svg ", b"{\\rtf1 ", b"PK\x03\x04", b"%PDF-", b"\xFF\xD8\xFF", b"<!DOCTYPE x [", b"\xFF\xFE",
            ];
            let input = [magic[prefix], &bytes].concat();
            let _ = asset_text("x", &input);
            let _ = active_content("x.svg", &input);
            let _ = markdown_text(&String::from_utf8_lossy(&input));
        }
    }
}
