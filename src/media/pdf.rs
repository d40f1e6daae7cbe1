//! PDF attachments read as text, so the secrets, personal-data and word
//! rules see what a reader of the PDF sees — page by page — and what the file
//! carries besides: the document information fields (Author, Creator …) and
//! the comments of markup annotations (sticky notes, highlights).
//!
//! `lopdf` parses the file and maps font codes to Unicode; this module walks
//! the content streams itself, because where one piece of text ends and the
//! next begins matters here: two table cells joined into one run of digits
//! could hide a phone number or invent an ID number. Every move to a new line
//! ends a line, a move along the same line is a space.
//!
//! Text that cannot be turned into characters (a CJK font without a Unicode
//! map, or pages that are scanned images) is not guessed at: the caller is
//! told which pages went unread, so "clean" never stands for "not looked at".

use std::collections::BTreeMap;

use lopdf::content::Content;
use lopdf::{Dictionary, Document, Encoding, Object, ObjectId};

use super::{OfficeText, Place};

/// The most decompressed content read from one stream: a PDF bomb stops here.
const STREAM_LIMIT: usize = 64 << 20;

/// How deep form XObjects (reusable content: letterheads, stamps,
/// watermarks) are followed into each other.
const FORM_DEPTH: usize = 4;

/// A TJ adjustment (thousandths of an em) at least this far to the right is
/// a gap between words or cells, not kerning.
const WORD_GAP: f32 = 200.0;

/// The document information fields read as text.
const INFO_FIELDS: &[&str] = &[
    "Title", "Author", "Subject", "Keywords", "Creator", "Producer",
];

/// Annotation types that are not someone's remark on the text.
const NOT_COMMENTS: &[&[u8]] = &[b"Link", b"Widget", b"Popup", b"PrinterMark", b"TrapNet"];

/// A PDF's text and what could not be read of it.
#[derive(Debug, Clone, Default)]
pub struct PdfText {
    /// Page text ([`Place::Page`]), comments and information fields.
    pub text: OfficeText,
    pub pages: usize,
    /// Pages with text drawn in a font whose codes have no known characters.
    pub undecoded_pages: Vec<u32>,
}

impl PdfText {
    /// No page yielded any text: a scan, whose content no rule could see.
    pub fn is_image_only(&self) -> bool {
        self.pages > 0
            && !self
                .text
                .pieces
                .iter()
                .any(|(place, _)| matches!(place, Place::Page(_)))
    }
}

/// Read a PDF; the error says why it could not be read.
pub fn pdf_text(bytes: &[u8]) -> Result<PdfText, String> {
    let document = Document::load_mem(bytes).map_err(|e| e.to_string())?;
    if document.is_encrypted() && !document.was_encrypted() {
        return Err("it is encrypted with a password".into());
    }
    let mut result = PdfText::default();
    let pages = document.get_pages();
    if pages.is_empty() {
        // Nothing to read is not the same as nothing found.
        return Err("no page of it can be read".into());
    }
    result.pages = pages.len();
    for (&number, &page_id) in &pages {
        if document.get_dictionary(page_id).is_err() {
            return Err(format!(
                "page {number} is missing: the file is damaged or cut short"
            ));
        }
        let resources = page_resources(&document, page_id);
        let mut page = PageText::default();
        let content = document
            .get_page_content_with_limit(page_id, STREAM_LIMIT)
            .map_err(|e| format!("page {number}: {e}"))?;
        walk(&document, &content, &resources, &mut page, FORM_DEPTH);
        if page.undecoded {
            result.undecoded_pages.push(number);
        }
        let text = page.text.trim();
        if !text.is_empty() {
            result
                .text
                .pieces
                .push((Place::Page(number), text.to_string()));
        }
        annotations(&document, page_id, &mut result.text);
    }
    information(&document, &mut result.text);
    Ok(result)
}

/// The text of one page as it is being read.
#[derive(Debug, Default)]
struct PageText {
    text: String,
    /// Some shown text could not be decoded.
    undecoded: bool,
}

impl PageText {
    fn separate(&mut self, separator: char) {
        if !self.text.is_empty() && !self.text.ends_with(['\n', ' ']) {
            self.text.push(separator);
        } else if separator == '\n' && self.text.ends_with(' ') {
            self.text.pop();
            self.text.push('\n');
        }
    }
}

/// The resource dictionaries in force on a page, nearest first.
fn page_resources(document: &Document, page_id: ObjectId) -> Vec<&Dictionary> {
    let Ok((direct, referenced)) = document.get_page_resources(page_id) else {
        return Vec::new();
    };
    direct
        .into_iter()
        .chain(
            referenced
                .into_iter()
                .filter_map(|id| document.get_dictionary(id).ok()),
        )
        .collect()
}

/// The named entries of one resource category (`Font`, `XObject`), the
/// nearest dictionary winning.
fn named<'a>(
    document: &'a Document,
    resources: &[&'a Dictionary],
    category: &[u8],
) -> BTreeMap<Vec<u8>, &'a Object> {
    let mut entries = BTreeMap::new();
    for resource in resources {
        let Ok(Object::Dictionary(dictionary)) = resource
            .get_deref(category, document)
            .map(|o| resolve(document, o))
        else {
            continue;
        };
        for (name, value) in dictionary.iter() {
            entries
                .entry(name.clone())
                .or_insert_with(|| resolve(document, value));
        }
    }
    entries
}

fn resolve<'a>(document: &'a Document, object: &'a Object) -> &'a Object {
    document
        .dereference(object)
        .map(|(_, o)| o)
        .unwrap_or(object)
}

/// How the codes of one font become characters.
enum Decoder<'a> {
    /// A ToUnicode map, or a simple font's named encoding, as lopdf reads it.
    Mapped(Encoding<'a>),
    /// CID fonts whose codes are UTF-16 (UniGB-UCS2-H, UniGB-UTF16-H).
    Utf16,
    /// CID fonts whose codes are GB 2312/GBK bytes (GBK-EUC-H …), as old
    /// Chinese office software wrote them.
    Gb18030,
    /// Codes that mean nothing without the font program: not read.
    Unknown,
}

impl Decoder<'_> {
    /// Append the characters of `bytes`; false when they cannot be known.
    fn decode(&self, bytes: &[u8], out: &mut String) -> bool {
        match self {
            Decoder::Mapped(encoding) => encoding.write_to_string(bytes, out).is_ok(),
            Decoder::Utf16 => {
                out.push_str(&encoding_rs::UTF_16BE.decode_without_bom_handling(bytes).0);
                true
            }
            Decoder::Gb18030 => {
                out.push_str(&encoding_rs::GB18030.decode_without_bom_handling(bytes).0);
                true
            }
            Decoder::Unknown => false,
        }
    }
}

/// Font dictionaries reduced to their ToUnicode map, so lopdf reads the map
/// and not the (CID) encoding in front of it.
fn unicode_stubs(
    document: &Document,
    fonts: &BTreeMap<Vec<u8>, &Object>,
) -> BTreeMap<Vec<u8>, Dictionary> {
    fonts
        .iter()
        .filter_map(|(name, font)| {
            let map = font.as_dict().ok()?.get(b"ToUnicode").ok()?;
            document.dereference(map).ok()?.1.as_stream().ok()?;
            let stub = Dictionary::from_iter([
                ("Type", Object::Name(b"Font".to_vec())),
                ("ToUnicode", map.clone()),
            ]);
            Some((name.clone(), stub))
        })
        .collect()
}

fn decoder<'a>(
    document: &'a Document,
    font: &'a Object,
    stub: Option<&'a Dictionary>,
) -> Decoder<'a> {
    if let Some(stub) = stub {
        // A map that does not parse falls back to a one-byte encoding in
        // lopdf, which would read two-byte codes as Latin letters and digits.
        return match stub.get_font_encoding_with_limit(document, STREAM_LIMIT) {
            Ok(encoding @ Encoding::UnicodeMapEncoding(_)) => Decoder::Mapped(encoding),
            _ => Decoder::Unknown,
        };
    }
    let Ok(font) = font.as_dict() else {
        return Decoder::Unknown;
    };
    let subtype = font
        .get(b"Subtype")
        .and_then(Object::as_name)
        .unwrap_or(b"");
    if subtype == b"Type0" {
        let encoding = font
            .get_deref(b"Encoding", document)
            .and_then(Object::as_name)
            .unwrap_or(b"");
        return match encoding {
            b"UniGB-UCS2-H" | b"UniGB-UCS2-V" | b"UniGB-UTF16-H" | b"UniGB-UTF16-V" => {
                Decoder::Utf16
            }
            b"GB-EUC-H" | b"GB-EUC-V" | b"GBpc-EUC-H" | b"GBpc-EUC-V" | b"GBK-EUC-H"
            | b"GBK-EUC-V" | b"GBKp-EUC-H" | b"GBKp-EUC-V" | b"GBK2K-H" | b"GBK2K-V" => {
                Decoder::Gb18030
            }
            _ => Decoder::Unknown,
        };
    }
    match font.get_font_encoding_with_limit(document, STREAM_LIMIT) {
        Ok(encoding) => Decoder::Mapped(encoding),
        Err(_) => Decoder::Unknown,
    }
}

/// Read the text operators of a content stream (and of the forms it draws).
fn walk(
    document: &Document,
    content: &[u8],
    resources: &[&Dictionary],
    page: &mut PageText,
    depth: usize,
) {
    let Ok(content) = Content::decode(content) else {
        page.undecoded = true;
        return;
    };
    let fonts = named(document, resources, b"Font");
    let stubs = unicode_stubs(document, &fonts);
    let decoders: BTreeMap<&[u8], Decoder> = fonts
        .iter()
        .map(|(name, font)| (name.as_slice(), decoder(document, font, stubs.get(name))))
        .collect();
    let xobjects = named(document, resources, b"XObject");
    let mut current: Option<&Decoder> = None;
    // Where the current line is (the text matrix's y), while it is known.
    let mut line_y: Option<f32> = Some(0.0);
    for operation in &content.operations {
        let operands = operation.operands.as_slice();
        match operation.operator.as_str() {
            "Tf" => {
                current = operands
                    .first()
                    .and_then(|o| o.as_name().ok())
                    .and_then(|name| decoders.get(name));
            }
            "Tj" | "TJ" => show(operands, current, page),
            "'" => {
                page.separate('\n');
                line_y = None;
                show(operands, current, page);
            }
            "\"" => {
                page.separate('\n');
                line_y = None;
                show(operands.get(2..).unwrap_or_default(), current, page);
            }
            "Td" | "TD" => {
                let vertical = operands
                    .get(1)
                    .and_then(|o| o.as_float().ok())
                    .unwrap_or(0.0);
                page.separate(if vertical == 0.0 { ' ' } else { '\n' });
                line_y = line_y.map(|y| y + vertical);
            }
            "Tm" => {
                // Text placed run by run (as browsers print): a run on the
                // same line is the same line.
                let y = operands.get(5).and_then(|o| o.as_float().ok());
                page.separate(if y.is_some() && y == line_y {
                    ' '
                } else {
                    '\n'
                });
                line_y = y;
            }
            "BT" => line_y = Some(0.0),
            "T*" | "ET" => {
                page.separate('\n');
                line_y = None;
            }
            "Do" if depth > 0 => {
                let Some(Object::Stream(form)) = operands
                    .first()
                    .and_then(|o| o.as_name().ok())
                    .and_then(|name| xobjects.get(name))
                else {
                    continue;
                };
                if form.dict.get(b"Subtype").and_then(Object::as_name).ok() != Some(b"Form") {
                    continue;
                }
                let Ok(inner) = form.get_plain_content_with_limit(STREAM_LIMIT) else {
                    page.undecoded = true;
                    continue;
                };
                let own = form
                    .dict
                    .get_deref(b"Resources", document)
                    .and_then(Object::as_dict)
                    .ok();
                // A form without resources of its own uses the page's.
                let scope: Vec<&Dictionary> = match own {
                    Some(own) => vec![own],
                    None => resources.to_vec(),
                };
                page.separate('\n');
                walk(document, &inner, &scope, page, depth - 1);
                page.separate('\n');
            }
            _ => {}
        }
    }
}

/// The strings of a text-showing operator (Tj, TJ, ', ").
fn show(operands: &[Object], decoder: Option<&Decoder>, page: &mut PageText) {
    for operand in operands {
        match operand {
            Object::String(bytes, _) => show_string(bytes, decoder, page),
            Object::Array(items) => {
                for item in items {
                    match item {
                        Object::String(bytes, _) => show_string(bytes, decoder, page),
                        number => {
                            if number.as_float().is_ok_and(|gap| -gap >= WORD_GAP) {
                                page.separate(' ');
                            }
                        }
                    }
                }
            }
            _ => {}
        }
    }
}

fn show_string(bytes: &[u8], decoder: Option<&Decoder>, page: &mut PageText) {
    let decoded = decoder.is_some_and(|d| d.decode(bytes, &mut page.text));
    if !decoded && !bytes.is_empty() {
        page.undecoded = true;
    }
}

/// Markup annotations with a remark: the PDF's comments.
fn annotations(document: &Document, page_id: ObjectId, text: &mut OfficeText) {
    let Ok(annotations) = document.get_page_annotations(page_id) else {
        return;
    };
    for annotation in annotations {
        let subtype = annotation
            .get(b"Subtype")
            .and_then(Object::as_name)
            .unwrap_or(b"");
        if NOT_COMMENTS.contains(&subtype) {
            continue;
        }
        let field = |key: &[u8]| {
            annotation
                .get_deref(key, document)
                .ok()
                .and_then(|o| lopdf::decode_text_string(o).ok())
                .map(|s| s.trim().to_string())
                .filter(|s| !s.is_empty())
        };
        let contents = field(b"Contents");
        let author = field(b"T");
        if contents.is_none() && author.is_none() {
            continue;
        }
        text.comments += 1;
        let author = author.unwrap_or_default();
        if !author.is_empty() {
            text.reviewers.insert(author.clone());
        }
        if let Some(contents) = contents {
            text.pieces.push((Place::Comment { author }, contents));
        }
    }
}

/// The document information dictionary's text fields.
fn information(document: &Document, text: &mut OfficeText) {
    let Ok(Object::Dictionary(info)) = document
        .trailer
        .get_deref(b"Info", document)
        .map(|o| resolve(document, o))
    else {
        return;
    };
    for field in INFO_FIELDS {
        if let Ok(value) = info.get_deref(field.as_bytes(), document)
            && let Ok(value) = lopdf::decode_text_string(value)
            && !value.trim().is_empty()
        {
            text.pieces
                .push((Place::Property((*field).to_string()), value));
        }
    }
}

#[cfg(test)]
pub(crate) mod tests {
    use super::*;

    /// Writes a PDF object by object, with a correct cross-reference table:
    /// object 1 is the catalog and object 2 the page tree.
    pub(crate) struct PdfWriter {
        objects: Vec<String>,
        pages: Vec<usize>,
    }

    pub(crate) const HELVETICA: &str =
        "<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica /Encoding /WinAnsiEncoding >>";

    impl PdfWriter {
        pub(crate) fn new() -> PdfWriter {
            PdfWriter {
                objects: vec![String::new(), String::new()],
                pages: Vec::new(),
            }
        }

        pub(crate) fn add(&mut self, object: impl Into<String>) -> usize {
            self.objects.push(object.into());
            self.objects.len()
        }

        pub(crate) fn stream(&mut self, dictionary: &str, content: &str) -> usize {
            self.add(format!(
                "<< /Length {} {dictionary} >>\nstream\n{content}\nendstream",
                content.len()
            ))
        }

        /// A page drawing `content` with `font` as /F1; `extra` goes into the page dictionary.
        pub(crate) fn page(&mut self, font: usize, content: &str, extra: &str) -> usize {
            let contents = self.stream("", content);
            let page = self.add(format!(
                "<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] /Resources << /Font << /F1 {font} 0 R >> >> /Contents {contents} 0 R {extra} >>"
            ));
            self.pages.push(page);
            page
        }

        pub(crate) fn finish(mut self, info: Option<usize>) -> Vec<u8> {
            self.objects[0] = "<< /Type /Catalog /Pages 2 0 R >>".into();
            let kids: Vec<String> = self.pages.iter().map(|p| format!("{p} 0 R")).collect();
            self.objects[1] = format!(
                "<< /Type /Pages /Kids [{}] /Count {} >>",
                kids.join(" "),
                kids.len()
            );
            let mut out = b"%PDF-1.7\n%\xE2\xE3\xCF\xD3\n".to_vec();
            let mut offsets = Vec::new();
            for (index, object) in self.objects.iter().enumerate() {
                offsets.push(out.len());
                out.extend_from_slice(
                    format!("{} 0 obj\n{object}\nendobj\n", index + 1).as_bytes(),
                );
            }
            let xref = out.len();
            out.extend_from_slice(
                format!("xref\n0 {}\n0000000000 65535 f \n", offsets.len() + 1).as_bytes(),
            );
            for offset in offsets {
                out.extend_from_slice(format!("{offset:010} 00000 n \n").as_bytes());
            }
            let info = info.map(|i| format!(" /Info {i} 0 R")).unwrap_or_default();
            out.extend_from_slice(
                format!(
                    "trailer\n<< /Size {} /Root 1 0 R{info} >>\nstartxref\n{xref}\n%%EOF\n",
                    self.objects.len() + 1
                )
                .as_bytes(),
            );
            out
        }
    }

    /// A ToUnicode map: <0001> 机, <0002> 密, <0003> ★, <0004> 年, <0010>–<0019> the digits.
    pub(crate) const CJK_MAP: &str = "/CIDInit /ProcSet findresource begin\n12 dict begin\nbegincmap\n/CMapName /Test def\n1 begincodespacerange\n<0000> <FFFF>\nendcodespacerange\n4 beginbfchar\n<0001> <673A>\n<0002> <5BC6>\n<0003> <2605>\n<0004> <5E74>\nendbfchar\n1 beginbfrange\n<0010> <0019> <0030>\nendbfrange\nendcmap\nCMapName currentdict /CMap defineresource pop\nend\nend";

    /// A CID font (Identity-H) with the map above, or without any.
    pub(crate) fn cjk_font(writer: &mut PdfWriter, with_map: bool) -> usize {
        let map = if with_map {
            let map = writer.stream("", CJK_MAP);
            format!("/ToUnicode {map} 0 R")
        } else {
            String::new()
        };
        writer.add(format!(
            "<< /Type /Font /Subtype /Type0 /BaseFont /SimSun /Encoding /Identity-H /DescendantFonts [<< /Type /Font /Subtype /CIDFontType2 /BaseFont /SimSun /CIDSystemInfo << /Registry (Adobe) /Ordering (Identity) /Supplement 0 >> >>] {map} >>"
        ))
    }

    fn page_text(pdf: &PdfText, number: u32) -> Option<&str> {
        pdf.text
            .pieces
            .iter()
            .find(|(place, _)| *place == Place::Page(number))
            .map(|(_, text)| text.as_str())
    }

    #[test]
    fn pages_information_and_comments() {
        let mut writer = PdfWriter::new();
        let font = writer.add(HELVETICA);
        writer.page(
            font,
            "BT /F1 12 Tf 72 770 Td (Notice of the list) Tj ET",
            "",
        );
        let note = writer.add(
            "<< /Type /Annot /Subtype /Text /Rect [0 0 20 20] /Contents (please check 13812345678) /T (Wang) >>",
        );
        let link =
            writer.add("<< /Type /Annot /Subtype /Link /Rect [0 0 20 20] /Contents (a link) >>");
        writer.page(
            font,
            "BT /F1 12 Tf 72 770 Td (Name: Li) Tj 0 -14 Td [(ID ) -20 (11010519491231002) 10 (X)] TJ T* (next line) Tj ET",
            &format!("/Annots [{note} 0 R {link} 0 R]"),
        );
        // UTF-16BE with a byte-order mark, as writers store non-ASCII fields.
        let info = writer.add("<< /Author <FEFF5F204E09> /Creator (Writer) /Producer () >>");
        let pdf = pdf_text(&writer.finish(Some(info))).unwrap();
        assert_eq!(pdf.pages, 2);
        assert_eq!(page_text(&pdf, 1), Some("Notice of the list"));
        assert_eq!(
            page_text(&pdf, 2),
            Some("Name: Li\nID 11010519491231002X\nnext line")
        );
        assert_eq!(pdf.text.comments, 1, "links are not comments");
        assert!(pdf.text.reviewers.contains("Wang"));
        assert!(pdf.text.pieces.contains(&(
            Place::Comment {
                author: "Wang".into()
            },
            "please check 13812345678".into()
        )));
        assert!(
            pdf.text
                .pieces
                .contains(&(Place::Property("Author".into()), "张三".into()))
        );
        assert!(
            pdf.text
                .pieces
                .contains(&(Place::Property("Creator".into()), "Writer".into()))
        );
        assert!(
            !pdf.text
                .pieces
                .iter()
                .any(|(p, _)| *p == Place::Property("Producer".into()))
        );
        assert!(pdf.undecoded_pages.is_empty() && !pdf.is_image_only());
    }

    #[test]
    fn cells_side_by_side_are_not_one_number() {
        let mut writer = PdfWriter::new();
        let font = writer.add(HELVETICA);
        // Two cells of a table row, and two runs placed by absolute matrices on one line.
        writer.page(
            font,
            "BT /F1 10 Tf 72 700 Td (2026) Tj 60 0 Td (13812345678) Tj ET\nBT /F1 10 Tf 1 0 0 1 72 650 Tm (0871) Tj 1 0 0 1 120 650 Tm (65550100) Tj 1 0 0 1 72 630 Tm (end) Tj ET",
            "",
        );
        let pdf = pdf_text(&writer.finish(None)).unwrap();
        assert_eq!(
            page_text(&pdf, 1),
            Some("2026 13812345678\n0871 65550100\nend")
        );
    }

    #[test]
    fn cid_fonts_read_through_their_unicode_map_and_forms_are_followed() {
        let mut writer = PdfWriter::new();
        let mapped = cjk_font(&mut writer, true);
        // A watermark drawn by a form XObject with its own resources.
        let form = writer.stream(
            &format!("/Type /XObject /Subtype /Form /BBox [0 0 100 100] /Resources << /Font << /W {mapped} 0 R >> >>"),
            "BT /W 30 Tf 10 10 Td <00010002> Tj ET",
        );
        let content =
            "BT /F1 12 Tf 72 770 Td <0001000200030011001000040010001000100010> Tj ET q /Stamp Do Q";
        let contents = writer.stream("", content);
        let page = writer.add(format!(
            "<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] /Resources << /Font << /F1 {mapped} 0 R >> /XObject << /Stamp {form} 0 R >> >> /Contents {contents} 0 R >>"
        ));
        writer.pages.push(page);
        let pdf = pdf_text(&writer.finish(None)).unwrap();
        assert_eq!(page_text(&pdf, 1), Some("机密★10年0000\n机密"));
    }

    #[test]
    fn codes_without_characters_are_reported_not_guessed() {
        let mut writer = PdfWriter::new();
        let unmapped = cjk_font(&mut writer, false);
        let font = writer.add(HELVETICA);
        writer.page(font, "BT /F1 12 Tf 72 770 Td (Readable) Tj ET", "");
        writer.page(
            unmapped,
            "BT /F1 12 Tf 72 770 Td <0013001300130013> Tj ET",
            "",
        );
        let pdf = pdf_text(&writer.finish(None)).unwrap();
        assert_eq!(pdf.undecoded_pages, [2]);
        assert_eq!(page_text(&pdf, 2), None, "no guessed digits");
        assert!(!pdf.is_image_only());

        let mut writer = PdfWriter::new();
        let font = writer.add(HELVETICA);
        writer.page(font, "q 100 0 0 100 0 0 cm Q", "");
        let scan = pdf_text(&writer.finish(None)).unwrap();
        assert!(scan.is_image_only());
    }

    #[test]
    fn damaged_files_are_errors_not_panics() {
        assert!(pdf_text(b"%PDF-1.7\nnot really a pdf").is_err());
        assert!(pdf_text(b"").is_err());
        let mut writer = PdfWriter::new();
        let font = writer.add(HELVETICA);
        writer.page(font, "BT /F1 12 Tf (x) Tj ET", "");
        let whole = writer.finish(None);
        for cut in [10, whole.len() / 2, whole.len() - 10] {
            // A cut file either fails or reads; it never panics.
            let _ = pdf_text(&whole[..cut]);
        }
    }
}
