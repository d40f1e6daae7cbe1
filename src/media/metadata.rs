//! The text image files carry besides their pixels: EXIF descriptions,
//! authors, copyright and comments (Windows' `XP*` fields included), JPEG
//! comments, PNG text chunks, GIF comments, and XMP packets in any of them.
//!
//! `build` removes most of it from JPEG, PNG and WebP files as it publishes
//! them ([`super::strip_metadata`]); read the published bytes to see what is
//! left — all of it, for GIF, TIFF, HEIF and the rest.

use std::io::Cursor;

use super::Place;
use super::markup::{self, Dialect};
use super::sniff::{Format, decode_text};

/// What an image's metadata says.
#[derive(Debug, Default)]
pub(crate) struct ImageMetadata {
    pub pieces: Vec<(Place, String)>,
    /// Some text is stored compressed and was not read.
    pub compressed: bool,
}

/// How far into a file XMP packets are looked for.
const XMP_SEARCH: usize = 64 << 20;

/// At most this many XMP packets, comments or text chunks are read.
const MAX_ITEMS: usize = 64;

pub(crate) fn metadata_text(format: Format, bytes: &[u8]) -> ImageMetadata {
    let mut metadata = ImageMetadata::default();
    exif_text(bytes, &mut metadata);
    match format {
        Format::Jpeg => jpeg_comments(bytes, &mut metadata),
        Format::Png => png_text(bytes, &mut metadata),
        Format::Gif => gif_comments(bytes, &mut metadata),
        _ => {}
    }
    xmp_text(bytes, &mut metadata);
    metadata
}

/// Text of any encoding a camera or an editor may have written.
fn text_of(bytes: &[u8]) -> Option<String> {
    let bytes = bytes.strip_suffix(&[0]).unwrap_or(bytes);
    let (text, _) = decode_text(bytes)?;
    let text = text.trim_matches(['\0', ' ', '\n']).to_string();
    (!text.is_empty()).then_some(text)
}

fn exif_text(bytes: &[u8], metadata: &mut ImageMetadata) {
    use exif::{Context, Tag, Value};
    let Ok(exif) = exif::Reader::new().read_from_container(&mut Cursor::new(bytes)) else {
        return;
    };
    // Windows writes these as UTF-16LE bytes.
    const XP: &[(u16, &str)] = &[
        (0x9C9B, "XPTitle"),
        (0x9C9C, "XPComment"),
        (0x9C9D, "XPAuthor"),
        (0x9C9E, "XPKeywords"),
        (0x9C9F, "XPSubject"),
    ];
    for field in exif.fields() {
        let named = [
            Tag::ImageDescription,
            Tag::Artist,
            Tag::Copyright,
            Tag::CameraOwnerName,
            Tag(Context::Tiff, 0x010D), // DocumentName
            Tag(Context::Tiff, 0x011D), // PageName
        ]
        .contains(&field.tag);
        let text = match (&field.value, field.tag) {
            (Value::Ascii(parts), _) if named => {
                let joined: Vec<u8> = parts.join(&b'\n');
                text_of(&joined)
            }
            (Value::Undefined(raw, _), Tag::UserComment) => user_comment(raw),
            (Value::Byte(raw), Tag(Context::Tiff, number))
                if XP.iter().any(|(n, _)| *n == number) =>
            {
                let (text, _) = encoding_rs::UTF_16LE.decode_without_bom_handling(raw);
                let text = text.trim_matches(['\0', ' ']).to_string();
                (!text.is_empty()).then_some(text)
            }
            _ => None,
        };
        if let Some(text) = text {
            let name = XP
                .iter()
                .find(|(n, _)| Tag(Context::Tiff, *n) == field.tag)
                .map_or_else(|| field.tag.to_string(), |(_, name)| (*name).to_string());
            metadata
                .pieces
                .push((Place::Property(format!("EXIF {name}")), text));
        }
    }
}

/// EXIF UserComment: an 8-byte character code, then the text.
fn user_comment(raw: &[u8]) -> Option<String> {
    let (code, text) = raw.split_at_checked(8)?;
    if code == b"UNICODE\0" {
        // The byte order is the file's; Chinese text reads as one of them.
        let le = encoding_rs::UTF_16LE.decode_without_bom_handling(text).0;
        let be = encoding_rs::UTF_16BE.decode_without_bom_handling(text).0;
        let plausible = |s: &str| {
            s.chars()
                .filter(|c| !c.is_control() && *c != '\u{FFFD}')
                .count()
        };
        let best = if plausible(&be) > plausible(&le) {
            be
        } else {
            le
        };
        let best = best.trim_matches(['\0', ' ']).to_string();
        return (!best.is_empty()).then_some(best);
    }
    text_of(text)
}

fn jpeg_comments(bytes: &[u8], metadata: &mut ImageMetadata) {
    let mut position = 2;
    let mut found = 0;
    while found < MAX_ITEMS {
        let Some(&[0xFF, marker]) = bytes.get(position..position + 2) else {
            return;
        };
        if marker == 0xFF {
            position += 1;
            continue;
        }
        if matches!(marker, 0xDA | 0xD9) {
            return;
        }
        if matches!(marker, 0x01 | 0xD0..=0xD7) {
            position += 2;
            continue;
        }
        let Some(&[high, low]) = bytes.get(position + 2..position + 4) else {
            return;
        };
        let length = usize::from(u16::from_be_bytes([high, low]));
        if length < 2 {
            return;
        }
        let end = position + 2 + length;
        if marker == 0xFE
            && let Some(text) = bytes.get(position + 4..end).and_then(text_of)
        {
            metadata
                .pieces
                .push((Place::Property("JPEG comment".into()), text));
            found += 1;
        }
        position = end;
    }
}

fn png_text(bytes: &[u8], metadata: &mut ImageMetadata) {
    let mut position = 8;
    let mut found = 0;
    while let Some(header) = bytes.get(position..position + 8) {
        let length = u32::from_be_bytes([header[0], header[1], header[2], header[3]]) as usize;
        let kind = &header[4..8];
        let Some(data) = position
            .checked_add(8 + length)
            .and_then(|end| bytes.get(position + 8..end))
        else {
            return;
        };
        match kind {
            b"zTXt" => metadata.compressed = true,
            b"tEXt" | b"iTXt" if found < MAX_ITEMS => {
                if let Some((keyword, text)) = png_chunk_text(kind, data, metadata)
                    && keyword != "XML:com.adobe.xmp"
                    && let Some(text) = text_of(text)
                {
                    metadata
                        .pieces
                        .push((Place::Property(format!("PNG text {keyword}")), text));
                    found += 1;
                }
            }
            b"IEND" => return,
            _ => {}
        }
        position += 12 + length;
    }
}

/// The keyword and uncompressed text of a tEXt or iTXt chunk.
fn png_chunk_text<'a>(
    kind: &[u8],
    data: &'a [u8],
    metadata: &mut ImageMetadata,
) -> Option<(String, &'a [u8])> {
    let split = data.iter().position(|&b| b == 0)?;
    let keyword = String::from_utf8_lossy(&data[..split]).into_owned();
    let rest = &data[split + 1..];
    if kind == b"tEXt" {
        return Some((keyword, rest));
    }
    // iTXt: compression flag, method, language tag\0, translated keyword\0, text.
    let (&compressed, rest) = rest.split_first()?;
    if compressed != 0 {
        metadata.compressed = true;
        return None;
    }
    let rest = rest.get(1..)?;
    let language_end = rest.iter().position(|&b| b == 0)?;
    let rest = &rest[language_end + 1..];
    let translated_end = rest.iter().position(|&b| b == 0)?;
    Some((keyword, &rest[translated_end + 1..]))
}

fn gif_comments(bytes: &[u8], metadata: &mut ImageMetadata) {
    // Header and logical screen descriptor, then the global colour table.
    let Some(&flags) = bytes.get(10) else {
        return;
    };
    let mut position = 13;
    if flags & 0x80 != 0 {
        position += 3 << ((flags & 7) + 1);
    }
    let mut found = 0;
    // Each sub-block sequence ends at a zero length; returns where it ends.
    let sub_blocks = |mut at: usize, out: &mut Vec<u8>| -> Option<usize> {
        loop {
            let length = usize::from(*bytes.get(at)?);
            at += 1;
            if length == 0 {
                return Some(at);
            }
            out.extend_from_slice(bytes.get(at..at + length)?);
            at += length;
        }
    };
    while let Some(&block) = bytes.get(position) {
        match block {
            0x21 => {
                let label = bytes.get(position + 1).copied();
                let mut data = Vec::new();
                let Some(end) = sub_blocks(position + 2, &mut data) else {
                    return;
                };
                if label == Some(0xFE)
                    && found < MAX_ITEMS
                    && let Some(text) = text_of(&data)
                {
                    metadata
                        .pieces
                        .push((Place::Property("GIF comment".into()), text));
                    found += 1;
                }
                position = end;
            }
            0x2C => {
                let Some(&local) = bytes.get(position + 9) else {
                    return;
                };
                position += 10;
                if local & 0x80 != 0 {
                    position += 3 << ((local & 7) + 1);
                }
                // LZW minimum code size, then the image data.
                let mut ignored = Vec::new();
                let Some(end) = sub_blocks(position + 1, &mut ignored) else {
                    return;
                };
                position = end;
            }
            _ => return,
        }
    }
}

/// XMP packets anywhere in the file, read as XML: their text and attributes.
fn xmp_text(bytes: &[u8], metadata: &mut ImageMetadata) {
    const OPEN: &[u8] = b"<x:xmpmeta";
    const CLOSE: &[u8] = b"</x:xmpmeta>";
    let haystack = &bytes[..bytes.len().min(XMP_SEARCH)];
    let mut position = 0;
    for _ in 0..MAX_ITEMS {
        let Some(start) = find(&haystack[position..], OPEN).map(|at| position + at) else {
            return;
        };
        let end =
            find(&haystack[start..], CLOSE).map_or(haystack.len(), |at| start + at + CLOSE.len());
        let packet = String::from_utf8_lossy(&haystack[start..end]);
        let read = markup::read(&packet, Dialect::Xml);
        let mut text = read.body;
        for value in read.attributes.values() {
            text.push('\n');
            text.push_str(value);
        }
        let text = text
            .lines()
            .map(str::trim)
            .filter(|line| !line.is_empty())
            .collect::<Vec<_>>()
            .join("\n");
        if !text.is_empty() {
            metadata.pieces.push((Place::Property("XMP".into()), text));
        }
        position = end;
    }
}

fn find(haystack: &[u8], needle: &[u8]) -> Option<usize> {
    haystack
        .windows(needle.len())
        .position(|window| window == needle)
}
