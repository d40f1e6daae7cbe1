//! What an asset is, found from its bytes — never from its name, which the
//! writer chose and the server only uses to pick a `Content-Type`.
//!
//! Binary formats are known by their signatures. Everything else is tried as
//! text: UTF-8 (with or without a byte-order mark), UTF-16 with a mark or
//! without one, and GB18030 (which covers GBK and GB2312, what office PCs in
//! China save by default). Without a mark the encoding is a judgement: each
//! candidate decodes a sample and the one whose characters look most like
//! real text wins, so a BOM-less UTF-16 file is not read as GBK nonsense and
//! a GBK file is not read as Hangul. Bytes that decode as nothing plausible
//! are binary, not text. Text is then looked at once more: markup (HTML, SVG,
//! other XML) is told apart by its first element.

use std::fmt;
use std::io::Cursor;

/// What an asset is, by its content.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Format {
    /// No bytes at all.
    Empty,
    Png,
    Jpeg,
    Gif,
    WebP,
    Bmp,
    /// Windows icon or cursor.
    Ico,
    Tiff,
    /// ISO base media (`ftyp`): MP4, M4A, MOV, 3GP, HEIF and AVIF images.
    IsoMedia,
    Mp3,
    /// AAC in ADTS frames.
    Aac,
    Ogg,
    Wav,
    Flac,
    /// Matroska and WebM.
    WebM,
    Avi,
    Pdf,
    Docx,
    Xlsx,
    Pptx,
    /// OpenDocument text, spreadsheet, presentation or drawing.
    OpenDocument,
    /// OFD (GB/T 33190), the Chinese fixed-layout document format.
    Ofd,
    /// Word, Excel or PowerPoint 97–2003 (and WPS) in an OLE compound file.
    LegacyOffice,
    Rtf,
    /// Plain text: TXT, CSV, VTT captions, JSON …
    Text,
    /// An HTML or XHTML document.
    Html,
    Svg,
    /// XML that is neither SVG nor XHTML.
    Xml,
    /// A ZIP archive that is not an office document.
    Zip,
    /// Another compressed archive: gzip, 7-Zip, RAR, bzip2, xz.
    Archive,
    /// A Flash movie.
    Flash,
    /// WebAssembly.
    Wasm,
    /// Bytes of no type recognised here.
    Binary,
}

impl Format {
    /// Markup a browser parses (and may run script in).
    pub fn is_markup(self) -> bool {
        matches!(self, Format::Html | Format::Svg | Format::Xml)
    }
}

impl fmt::Display for Format {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(match self {
            Format::Empty => "an empty file",
            Format::Png => "a PNG image",
            Format::Jpeg => "a JPEG image",
            Format::Gif => "a GIF image",
            Format::WebP => "a WebP image",
            Format::Bmp => "a BMP image",
            Format::Ico => "a Windows icon",
            Format::Tiff => "a TIFF image",
            Format::IsoMedia => "an MP4/M4A/MOV media file (or HEIF/AVIF image)",
            Format::Mp3 => "MP3 audio",
            Format::Aac => "AAC audio",
            Format::Ogg => "Ogg audio or video",
            Format::Wav => "WAV audio",
            Format::Flac => "FLAC audio",
            Format::WebM => "WebM/Matroska video",
            Format::Avi => "AVI video",
            Format::Pdf => "a PDF document",
            Format::Docx => "a Word document (DOCX)",
            Format::Xlsx => "an Excel workbook (XLSX)",
            Format::Pptx => "a PowerPoint presentation (PPTX)",
            Format::OpenDocument => "an OpenDocument file",
            Format::Ofd => "an OFD document",
            Format::LegacyOffice => "a Word/Excel/PowerPoint 97–2003 or WPS file",
            Format::Rtf => "an RTF document",
            Format::Text => "plain text",
            Format::Html => "an HTML document",
            Format::Svg => "an SVG image",
            Format::Xml => "an XML document",
            Format::Zip => "a ZIP archive",
            Format::Archive => "a compressed archive",
            Format::Flash => "a Flash movie",
            Format::Wasm => "a WebAssembly module",
            Format::Binary => "binary data of an unknown type",
        })
    }
}

/// How a text asset is encoded.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum TextEncoding {
    Utf8,
    Utf16Le,
    Utf16Be,
    /// GB18030, a superset of GBK and GB2312.
    Gb18030,
}

impl TextEncoding {
    fn encoding(self) -> &'static encoding_rs::Encoding {
        match self {
            TextEncoding::Utf8 => encoding_rs::UTF_8,
            TextEncoding::Utf16Le => encoding_rs::UTF_16LE,
            TextEncoding::Utf16Be => encoding_rs::UTF_16BE,
            TextEncoding::Gb18030 => encoding_rs::GB18030,
        }
    }
}

/// The most of a text asset that is decoded and read: larger files are read
/// this far and said to be cut short.
pub(crate) const TEXT_LIMIT: usize = 64 << 20;

/// How much of a file the encoding is judged on.
const SAMPLE: usize = 64 << 10;

/// The share of characters that may be implausible (controls, private use,
/// undecodable bytes) in text: a stray control character does not turn a
/// text file into binary, a sample full of them does.
const MAX_BAD: f64 = 0.02;

/// An asset's format, and its decoded text when it is text.
pub(crate) struct Sniffed {
    pub format: Format,
    /// The text (CRLF as LF) and its encoding, for text and markup formats.
    pub text: Option<(String, TextEncoding)>,
    /// The text was cut at [`TEXT_LIMIT`].
    pub truncated: bool,
}

/// Find out what `bytes` are.
pub(crate) fn sniff(bytes: &[u8]) -> Sniffed {
    let binary = |format| Sniffed {
        format,
        text: None,
        truncated: false,
    };
    if bytes.is_empty() {
        return binary(Format::Empty);
    }
    let truncated = bytes.len() > TEXT_LIMIT;
    let head = &bytes[..bytes.len().min(TEXT_LIMIT)];
    // A UTF-16LE byte-order mark (FF FE) is also an MPEG audio frame
    // header: text that says it is text, and reads as text, is text.
    let marked = [&b"\xEF\xBB\xBF"[..], b"\xFF\xFE", b"\xFE\xFF"]
        .iter()
        .any(|mark| bytes.starts_with(mark));
    let decoded = if marked { decode_text(head) } else { None };
    if decoded.is_none()
        && let Some(format) = signature(bytes)
    {
        return binary(format);
    }
    let Some((text, encoding)) = decoded.or_else(|| decode_text(head)) else {
        return binary(Format::Binary);
    };
    let format = if text.trim_start().starts_with("{\\rtf") {
        Format::Rtf
    } else {
        markup_format(&text).unwrap_or(Format::Text)
    };
    Sniffed {
        format,
        text: Some((text, encoding)),
        truncated,
    }
}

/// Binary formats, by their signatures.
fn signature(bytes: &[u8]) -> Option<Format> {
    let at = |offset: usize, magic: &[u8]| bytes.get(offset..offset + magic.len()) == Some(magic);
    let format = if at(0, b"\x89PNG\r\n\x1a\n") {
        Format::Png
    } else if at(0, &[0xFF, 0xD8, 0xFF]) {
        Format::Jpeg
    } else if at(0, b"GIF87a") || at(0, b"GIF89a") {
        Format::Gif
    } else if at(0, b"RIFF") && at(8, b"WEBP") {
        Format::WebP
    } else if at(0, b"RIFF") && at(8, b"WAVE") {
        Format::Wav
    } else if at(0, b"RIFF") && at(8, b"AVI ") {
        Format::Avi
    } else if is_bmp(bytes) {
        Format::Bmp
    } else if (at(0, &[0, 0, 1, 0]) || at(0, &[0, 0, 2, 0]))
        && bytes.get(4..6).is_some_and(|n| n != [0, 0])
    {
        Format::Ico
    } else if at(0, b"II*\0") || at(0, b"MM\0*") {
        Format::Tiff
    } else if at(4, b"ftyp") {
        Format::IsoMedia
    } else if at(0, b"ID3") || is_mpeg_audio_frame(bytes) {
        Format::Mp3
    } else if bytes.len() >= 2 && bytes[0] == 0xFF && bytes[1] & 0xF6 == 0xF0 {
        Format::Aac
    } else if at(0, b"OggS") {
        Format::Ogg
    } else if at(0, b"fLaC") {
        Format::Flac
    } else if at(0, &[0x1A, 0x45, 0xDF, 0xA3]) {
        Format::WebM
    } else if at(0, b"%PDF-") {
        Format::Pdf
    } else if at(0, b"PK\x03\x04") || at(0, b"PK\x05\x06") {
        zip_format(bytes)
    } else if at(0, &[0xD0, 0xCF, 0x11, 0xE0, 0xA1, 0xB1, 0x1A, 0xE1]) {
        Format::LegacyOffice
    } else if at(0, &[0x1F, 0x8B])
        || at(0, b"7z\xBC\xAF\x27\x1C")
        || at(0, b"Rar!\x1A\x07")
        || at(0, b"BZh")
        || at(0, b"\xFD7zXZ\0")
    {
        Format::Archive
    } else if at(0, b"FWS") || at(0, b"CWS") || at(0, b"ZWS") {
        Format::Flash
    } else if at(0, b"\0asm") {
        Format::Wasm
    } else {
        return None;
    };
    Some(format)
}

/// `BM` alone is the start of too many words; the DIB header size behind it
/// is one of the few the format has.
fn is_bmp(bytes: &[u8]) -> bool {
    bytes.starts_with(b"BM")
        && bytes
            .get(14..18)
            .and_then(|b| <[u8; 4]>::try_from(b).ok())
            .map(u32::from_le_bytes)
            .is_some_and(|size| matches!(size, 12 | 40 | 52 | 56 | 64 | 108 | 124))
}

/// An MPEG audio frame header (MP3 without ID3 tag): sync bits, a layer,
/// and a bit-rate index that is neither free nor invalid.
fn is_mpeg_audio_frame(bytes: &[u8]) -> bool {
    let [a, b, c, ..] = *bytes else {
        return false;
    };
    a == 0xFF && b & 0xE0 == 0xE0 && b & 0x06 != 0 && c >> 4 != 0 && c >> 4 != 0xF
}

/// Which office format a ZIP archive holds, by its members.
fn zip_format(bytes: &[u8]) -> Format {
    let Ok(mut archive) = zip::ZipArchive::new(Cursor::new(bytes)) else {
        return Format::Zip;
    };
    let has = |name: &str| archive.index_for_name(name).is_some();
    if has("word/document.xml") {
        return Format::Docx;
    }
    if has("xl/workbook.xml") {
        return Format::Xlsx;
    }
    if has("ppt/presentation.xml") {
        return Format::Pptx;
    }
    if has("OFD.xml") {
        return Format::Ofd;
    }
    let mut mimetype = String::new();
    if let Ok(member) = archive.by_name("mimetype") {
        use std::io::Read;
        let _ = member.take(100).read_to_string(&mut mimetype);
    }
    if mimetype.starts_with("application/vnd.oasis.opendocument.") {
        return Format::OpenDocument;
    }
    Format::Zip
}

/// Decode text in whichever of the encodings it plausibly is; `None` when it
/// is plausibly none of them (binary data). CRLF becomes LF.
pub(crate) fn decode_text(bytes: &[u8]) -> Option<(String, TextEncoding)> {
    let (body, encoding) = if let Some(rest) = bytes.strip_prefix(b"\xEF\xBB\xBF") {
        (rest, TextEncoding::Utf8)
    } else if let Some(rest) = bytes.strip_prefix(b"\xFF\xFE") {
        (rest, TextEncoding::Utf16Le)
    } else if let Some(rest) = bytes.strip_prefix(b"\xFE\xFF") {
        (rest, TextEncoding::Utf16Be)
    } else {
        (bytes, guess_encoding(bytes)?)
    };
    let sample = &body[..body.len().min(SAMPLE)];
    // Even a byte-order mark does not make binary data text.
    if plausibility(sample, encoding).bad > MAX_BAD {
        return None;
    }
    let (text, _) = encoding.encoding().decode_without_bom_handling(body);
    let text = if text.contains('\r') {
        text.replace("\r\n", "\n")
    } else {
        text.into_owned()
    };
    Some((text, encoding))
}

/// The encoding of BOM-less text, judged on a sample.
fn guess_encoding(bytes: &[u8]) -> Option<TextEncoding> {
    let sample = &bytes[..bytes.len().min(SAMPLE)];
    // Valid UTF-8 with non-ASCII characters is almost never an accident.
    let utf8 = plausibility(sample, TextEncoding::Utf8);
    if utf8.bad <= MAX_BAD && utf8.valid {
        return Some(TextEncoding::Utf8);
    }
    // In order of preference when two read equally well (ASCII text reads
    // as CJK ideographs in UTF-16, and as itself in GB18030).
    [
        TextEncoding::Utf8,
        TextEncoding::Gb18030,
        TextEncoding::Utf16Le,
        TextEncoding::Utf16Be,
    ]
    .into_iter()
    .map(|encoding| (encoding, plausibility(sample, encoding)))
    .filter(|(_, score)| score.bad <= MAX_BAD)
    .fold(
        None,
        |best: Option<(TextEncoding, Plausibility)>, candidate| match best {
            Some(best) if best.1.quality >= candidate.1.quality => Some(best),
            _ => Some(candidate),
        },
    )
    .map(|(encoding, _)| encoding)
}

/// How much a decoding looks like text.
#[derive(Debug, Clone, Copy)]
struct Plausibility {
    /// Mean weight of the characters (1 common, 0.5 rare, 0 implausible).
    quality: f64,
    /// Share of implausible characters.
    bad: f64,
    /// Decoded without a single error.
    valid: bool,
}

fn plausibility(sample: &[u8], encoding: TextEncoding) -> Plausibility {
    let weights: Vec<f64> = match encoding {
        TextEncoding::Gb18030 => gb_weights(sample),
        TextEncoding::Utf8 => {
            // A sample cut in the middle of a character is still valid.
            let end = match std::str::from_utf8(sample) {
                Err(e) if e.error_len().is_none() => e.valid_up_to(),
                _ => sample.len(),
            };
            encoding_rs::UTF_8
                .decode_without_bom_handling(&sample[..end])
                .0
                .chars()
                .map(char_weight)
                .collect()
        }
        TextEncoding::Utf16Le | TextEncoding::Utf16Be => {
            let even = &sample[..sample.len() & !1];
            encoding
                .encoding()
                .decode_without_bom_handling(even)
                .0
                .chars()
                .map(char_weight)
                .collect()
        }
    };
    if weights.is_empty() {
        return Plausibility {
            quality: 1.0,
            bad: 0.0,
            valid: true,
        };
    }
    let count = weights.len() as f64;
    let bad = weights.iter().filter(|&&w| w == 0.0).count();
    Plausibility {
        quality: weights.iter().sum::<f64>() / count,
        bad: bad as f64 / count,
        valid: bad == 0,
    }
}

/// Weights of GB18030 characters, judged on the bytes: the GB2312 rows of
/// hanzi and punctuation are what Chinese text is made of, while the GBK
/// extension rows hold rare characters that UTF-16 read as GBK produces.
fn gb_weights(bytes: &[u8]) -> Vec<f64> {
    let mut weights = Vec::with_capacity(bytes.len());
    let mut i = 0;
    while i < bytes.len() {
        let lead = bytes[i];
        if lead < 0x80 {
            weights.push(char_weight(char::from(lead)));
            i += 1;
            continue;
        }
        let trail = bytes.get(i + 1).copied();
        let (weight, used) = match (lead, trail) {
            (0x81..=0xFE, Some(0x30..=0x39)) => {
                let four = bytes.get(i + 2..i + 4);
                match four {
                    Some([0x81..=0xFE, 0x30..=0x39]) => (0.5, 4),
                    _ => (0.0, 1),
                }
            }
            (0xB0..=0xF7 | 0xA1..=0xA9, Some(0xA1..=0xFE)) => (1.0, 2),
            (0x81..=0xFE, Some(0x40..=0x7E | 0x80..=0xFE)) => (0.3, 2),
            // A character cut at the end of the sample.
            (0x81..=0xFE, None) => (1.0, 1),
            _ => (0.0, 1),
        };
        weights.push(weight);
        i += used;
    }
    weights
}

/// How plausible a character is in the text of a Chinese portal's asset.
fn char_weight(c: char) -> f64 {
    match c {
        '\t' | '\n' | '\r' | '\x0C' => 1.0,
        '\u{FFFD}' | '\u{FFFE}' | '\u{FFFF}' => 0.0,
        c if c.is_control() => 0.0,
        '\u{E000}'..='\u{F8FF}' | '\u{F0000}'..='\u{10FFFF}' => 0.0,
        ' '..='~'
        | '\u{A0}'..='\u{24F}'
        | '\u{370}'..='\u{4FF}'
        | '\u{2000}'..='\u{2BFF}'
        | '\u{3000}'..='\u{30FF}'
        | '\u{4E00}'..='\u{9FFF}'
        | '\u{FE30}'..='\u{FE4F}'
        | '\u{FF00}'..='\u{FFEF}' => 1.0,
        _ => 0.5,
    }
}

/// HTML elements a document or fragment may start with: text starting with
/// one of them is HTML (browsers sniff it so when no type is sent).
const HTML_ELEMENTS: &[&str] = &[
    "a",
    "abbr",
    "address",
    "area",
    "article",
    "aside",
    "audio",
    "b",
    "base",
    "bdi",
    "bdo",
    "blockquote",
    "body",
    "br",
    "button",
    "canvas",
    "caption",
    "center",
    "cite",
    "code",
    "col",
    "colgroup",
    "dd",
    "del",
    "details",
    "dfn",
    "dialog",
    "div",
    "dl",
    "dt",
    "em",
    "embed",
    "fieldset",
    "figure",
    "font",
    "footer",
    "form",
    "frame",
    "frameset",
    "h1",
    "h2",
    "h3",
    "h4",
    "h5",
    "h6",
    "head",
    "header",
    "hr",
    "html",
    "i",
    "iframe",
    "img",
    "input",
    "ins",
    "kbd",
    "label",
    "li",
    "link",
    "main",
    "marquee",
    "meta",
    "nav",
    "noscript",
    "object",
    "ol",
    "p",
    "pre",
    "q",
    "s",
    "script",
    "section",
    "select",
    "small",
    "span",
    "strong",
    "style",
    "sub",
    "sup",
    "table",
    "tbody",
    "td",
    "template",
    "textarea",
    "tfoot",
    "th",
    "thead",
    "title",
    "tr",
    "u",
    "ul",
    "video",
];

/// Whether decoded text is markup, and which: the first element (after any
/// declaration, comment or DOCTYPE) decides.
pub(crate) fn markup_format(text: &str) -> Option<Format> {
    let start = text.trim_start_matches(|c: char| c.is_whitespace() || c == '\u{FEFF}');
    if !start.starts_with('<') {
        return None;
    }
    let declared_xml = start.starts_with("<?xml");
    let starts_with_comment = start.starts_with("<!--");
    let mut rest = start;
    // A bounded look at the prologue: declarations, comments and a DOCTYPE.
    for _ in 0..64 {
        rest = rest.trim_start();
        if let Some(after) = rest.strip_prefix("<!--") {
            rest = after.split_once("-->").map_or("", |(_, r)| r);
        } else if let Some(after) = rest.strip_prefix("<?") {
            rest = after.split_once("?>").map_or("", |(_, r)| r);
        } else if let Some(after) = rest
            .get(..9)
            .filter(|start| start.eq_ignore_ascii_case("<!doctype"))
            .and_then(|_| rest.get(9..))
        {
            let name: String = after
                .trim_start()
                .chars()
                .take_while(|c| !c.is_whitespace() && !matches!(c, '>' | '['))
                .collect();
            match local_name(&name.to_ascii_lowercase()) {
                "html" => return Some(Format::Html),
                "svg" => return Some(Format::Svg),
                _ => {}
            }
            rest = skip_doctype(rest);
        } else {
            break;
        }
    }
    let name: String = rest
        .strip_prefix('<')
        .unwrap_or_default()
        .chars()
        .take_while(|c| !c.is_whitespace() && !matches!(c, '>' | '/'))
        .collect::<String>()
        .to_ascii_lowercase();
    let local = local_name(&name);
    Some(if local == "svg" {
        Format::Svg
    } else if local == "html" || (!declared_xml && HTML_ELEMENTS.contains(&local)) {
        Format::Html
    } else if !local.starts_with(|c: char| c.is_ascii_alphabetic() || c == '_') {
        // `< 5`, `<<`: not a tag, so not markup.
        if starts_with_comment && !declared_xml {
            Format::Html
        } else {
            return None;
        }
    } else if starts_with_comment && !declared_xml {
        // `<!-- ` opens an HTML document for a browser sniffing the type.
        Format::Html
    } else {
        Format::Xml
    })
}

/// The part of a qualified name after its prefix (`svg:script` → `script`).
pub(crate) fn local_name(name: &str) -> &str {
    name.rsplit_once(':').map_or(name, |(_, local)| local)
}

/// What follows a DOCTYPE, its internal subset (`[…]`) included.
fn skip_doctype(text: &str) -> &str {
    let mut in_quote: Option<char> = None;
    let mut depth = 0usize;
    for (at, c) in text.char_indices() {
        match (c, in_quote) {
            ('"' | '\'', None) => in_quote = Some(c),
            (q, Some(open)) if q == open => in_quote = None,
            (_, Some(_)) => {}
            ('[', None) => depth += 1,
            (']', None) => depth = depth.saturating_sub(1),
            ('>', None) if depth == 0 => return &text[at + 1..],
            _ => {}
        }
    }
    ""
}

#[cfg(test)]
mod tests {
    use super::*;

    fn utf16(text: &str, big_endian: bool) -> Vec<u8> {
        text.encode_utf16()
            .flat_map(|unit| {
                if big_endian {
                    unit.to_be_bytes()
                } else {
                    unit.to_le_bytes()
                }
            })
            .collect()
    }

    #[test]
    fn utf8_and_utf16_with_byte_order_marks() {
        let decoded = decode_text("\u{FEFF}秘密★1年\r\n".as_bytes()).unwrap();
        assert_eq!(decoded, ("秘密★1年\n".to_string(), TextEncoding::Utf8));
        let mut le = vec![0xFF, 0xFE];
        le.extend(utf16("机密", false));
        assert_eq!(decode_text(&le).unwrap().0, "机密");
        let mut be = vec![0xFE, 0xFF];
        be.extend(utf16("机密", true));
        assert_eq!(decode_text(&be).unwrap().0, "机密");
    }

    #[test]
    fn bomless_utf16_is_told_from_gbk_by_what_it_decodes_to() {
        for (text, big_endian, encoding) in [
            ("电话 13812345678\n秘密★1年", false, TextEncoding::Utf16Le),
            ("电话 13812345678\n秘密★1年", true, TextEncoding::Utf16Be),
            // No ASCII at all, so no NUL bytes to go by.
            ("秘密★一年", false, TextEncoding::Utf16Le),
        ] {
            let bytes = utf16(text, big_endian);
            assert_eq!(
                decode_text(&bytes),
                Some((text.to_string(), encoding)),
                "{text}"
            );
        }
    }

    #[test]
    fn gb18030_text_is_read_as_chinese() {
        let (gbk, _, _) =
            encoding_rs::GBK.encode("通知：身份证号 11010519491231002X，秘密★1年\r\n");
        let (text, encoding) = decode_text(&gbk).unwrap();
        assert_eq!(encoding, TextEncoding::Gb18030);
        assert_eq!(text, "通知：身份证号 11010519491231002X，秘密★1年\n");
        // Plain ASCII is UTF-8.
        assert_eq!(decode_text(b"a,b\n1,2\n").unwrap().1, TextEncoding::Utf8);
    }

    #[test]
    fn binary_bytes_are_not_text() {
        let binary: Vec<u8> = (0u32..600).map(|i| (i * 7919 % 251) as u8).collect();
        assert_eq!(decode_text(&binary), None);
        assert_eq!(sniff(&binary).format, Format::Binary);
        assert_eq!(decode_text(b"\x00\x01\x02\x03text\x00\x00\x05\x06"), None);
        // A byte-order mark in front of binary data does not make it text.
        let mut marked = vec![0xFF, 0xFE];
        marked.extend(&binary);
        assert_eq!(decode_text(&marked), None);
    }

    #[test]
    fn signatures_decide_before_text() {
        assert_eq!(
            sniff(b"\x89PNG\r\n\x1a\n\0\0\0\x0dIHDR").format,
            Format::Png
        );
        assert_eq!(sniff(b"\xFF\xD8\xFF\xE0").format, Format::Jpeg);
        assert_eq!(sniff(b"GIF89a\x01\0").format, Format::Gif);
        assert_eq!(sniff(b"%PDF-1.7\n").format, Format::Pdf);
        assert_eq!(sniff(b"{\\rtf1\\ansi hello}").format, Format::Rtf);
        assert_eq!(sniff(b"\0\0\0\x18ftypmp42").format, Format::IsoMedia);
        assert_eq!(
            sniff(b"\xD0\xCF\x11\xE0\xA1\xB1\x1A\xE1").format,
            Format::LegacyOffice
        );
        assert_eq!(sniff(b"\x1F\x8B\x08\0").format, Format::Archive);
        // `BM` starts words as well as bitmaps.
        assert_eq!(sniff(b"BMW annual report\n").format, Format::Text);
        let mut bmp = b"BM".to_vec();
        bmp.extend([0; 12]);
        bmp.extend(40u32.to_le_bytes());
        assert_eq!(sniff(&bmp).format, Format::Bmp);
        assert_eq!(sniff(b"").format, Format::Empty);
    }

    #[test]
    fn markup_is_told_apart_by_its_first_element() {
        let cases = [
            ("<!DOCTYPE html><p>x", Some(Format::Html)),
            ("\n  <html><body>", Some(Format::Html)),
            ("<script>alert(1)</script>", Some(Format::Html)),
            ("<p>段落</p>", Some(Format::Html)),
            ("<!-- note -->\nplain", Some(Format::Html)),
            (
                "<?xml version=\"1.0\"?>\n<!-- Generator: Illustrator -->\n<svg xmlns=\"x\">",
                Some(Format::Svg),
            ),
            (
                "<!DOCTYPE svg PUBLIC \"-//W3C//DTD SVG 1.1//EN\" \"x\" [<!ENTITY a \"b\">]><svg>",
                Some(Format::Svg),
            ),
            (
                "<svg:svg xmlns:svg=\"http://www.w3.org/2000/svg\">",
                Some(Format::Svg),
            ),
            (
                "<?xml version=\"1.0\"?><html xmlns=\"http://www.w3.org/1999/xhtml\">",
                Some(Format::Html),
            ),
            (
                "<?xml version=\"1.0\"?><rss><channel/></rss>",
                Some(Format::Xml),
            ),
            ("<note>x</note>", Some(Format::Xml)),
            ("< 5 and > 3", None),
            ("<工作报告>\n正文", None),
            ("name,phone\n张三,13812345678\n", None),
            ("WEBVTT\n\n00:00.000 --> 00:01.000\n<v 张三>你好", None),
        ];
        for (text, format) in cases {
            assert_eq!(markup_format(text), format, "{text}");
        }
    }
}
