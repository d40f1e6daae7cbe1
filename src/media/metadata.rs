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

/// The most of one XMP packet that is read (an unclosed one ends here).
const XMP_PACKET: usize = 4 << 20;

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
        let limit = haystack.len().min(start + XMP_PACKET);
        let end = find(&haystack[start..limit], CLOSE).map_or(limit, |at| start + at + CLOSE.len());
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

#[cfg(test)]
mod tests {
    use super::*;

    fn find<'m>(metadata: &'m ImageMetadata, place: &str) -> Option<&'m str> {
        metadata
            .pieces
            .iter()
            .find(|(p, _)| *p == Place::Property(place.into()))
            .map(|(_, t)| t.as_str())
    }

    /// A little-endian TIFF whose IFD0 holds ImageDescription (ASCII) and
    /// XPAuthor (UTF-16LE bytes).
    fn tiff_with_text(description: &str, author: &str) -> Vec<u8> {
        let description = [description.as_bytes(), b"\0"].concat();
        let author: Vec<u8> = author
            .encode_utf16()
            .flat_map(u16::to_le_bytes)
            .chain([0, 0])
            .collect();
        let data = 8 + 2 + 2 * 12 + 4;
        let mut tiff = b"II*\0\x08\0\0\0".to_vec();
        tiff.extend(2u16.to_le_bytes());
        for (tag, kind, bytes, offset) in [
            (0x010Eu16, 2u16, &description, data),
            (0x9C9D, 1, &author, data + description.len()),
        ] {
            tiff.extend(tag.to_le_bytes());
            tiff.extend(kind.to_le_bytes());
            tiff.extend((bytes.len() as u32).to_le_bytes());
            tiff.extend((offset as u32).to_le_bytes());
        }
        tiff.extend(0u32.to_le_bytes());
        tiff.extend(&description);
        tiff.extend(&author);
        tiff
    }

    #[test]
    fn exif_text_fields_of_a_tiff() {
        let tiff = tiff_with_text("会议现场 秘密★1年", "张三");
        let metadata = metadata_text(Format::Tiff, &tiff);
        assert_eq!(
            find(&metadata, "EXIF ImageDescription"),
            Some("会议现场 秘密★1年")
        );
        assert_eq!(find(&metadata, "EXIF XPAuthor"), Some("张三"));
    }

    #[test]
    fn jpeg_comments_and_xmp() {
        let xmp = r#"<x:xmpmeta xmlns:x="adobe:ns:meta/"><rdf:RDF><rdf:Description xmp:CreatorTool="Camera" photoshop:AuthorsPosition="科员"><dc:creator><rdf:Seq><rdf:li>李四 13812345678</rdf:li></rdf:Seq></dc:creator></rdf:Description></rdf:RDF></x:xmpmeta>"#;
        let mut jpeg = vec![0xFF, 0xD8];
        let comment = "拍摄者 王五".as_bytes();
        jpeg.extend([0xFF, 0xFE]);
        jpeg.extend(((comment.len() + 2) as u16).to_be_bytes());
        jpeg.extend(comment);
        let app1 = [&b"http://ns.adobe.com/xap/1.0/\0"[..], xmp.as_bytes()].concat();
        jpeg.extend([0xFF, 0xE1]);
        jpeg.extend(((app1.len() + 2) as u16).to_be_bytes());
        jpeg.extend(&app1);
        jpeg.extend([0xFF, 0xDA, 0, 2, 0x12, 0xFF, 0xD9]);
        let metadata = metadata_text(Format::Jpeg, &jpeg);
        assert_eq!(find(&metadata, "JPEG comment"), Some("拍摄者 王五"));
        let xmp = find(&metadata, "XMP").unwrap();
        assert!(
            xmp.contains("李四 13812345678") && xmp.contains("科员"),
            "{xmp}"
        );
    }

    #[test]
    fn png_text_chunks_and_gif_comments() {
        let chunk = |kind: &[u8], data: &[u8]| {
            let mut c = (data.len() as u32).to_be_bytes().to_vec();
            c.extend_from_slice(kind);
            c.extend_from_slice(data);
            c.extend_from_slice(&[0, 0, 0, 0]);
            c
        };
        let mut png = b"\x89PNG\r\n\x1a\n".to_vec();
        png.extend(chunk(b"IHDR", &[0; 13]));
        png.extend(chunk(b"tEXt", "Author\0张三".as_bytes()));
        png.extend(chunk(
            b"iTXt",
            "Comment\0\0\0zh\0\0电话 13812345678".as_bytes(),
        ));
        png.extend(chunk(b"zTXt", b"Raw\0\0x\x9c"));
        png.extend(chunk(b"IEND", &[]));
        let metadata = metadata_text(Format::Png, &png);
        assert_eq!(find(&metadata, "PNG text Author"), Some("张三"));
        assert_eq!(
            find(&metadata, "PNG text Comment"),
            Some("电话 13812345678")
        );
        assert!(metadata.compressed);

        let mut gif = b"GIF89a\x01\0\x01\0\x80\0\0".to_vec();
        gif.extend([0; 6]); // a two-colour global table
        gif.extend([0x21, 0xFE, 6]);
        gif.extend("秘密".as_bytes());
        gif.push(0);
        gif.extend([0x21, 0xFE, 0]); // an empty comment
        gif.extend([0x2C, 0, 0, 0, 0, 1, 0, 1, 0, 0, 2, 2, 0x4C, 0x01, 0]);
        gif.extend([0x3B]);
        let metadata = metadata_text(Format::Gif, &gif);
        assert_eq!(find(&metadata, "GIF comment"), Some("秘密"));
    }

    #[test]
    fn damaged_images_are_read_as_far_as_they_go() {
        for bytes in [
            &b"\xFF\xD8\xFF\xFE\xFF\xFF"[..],
            b"\x89PNG\r\n\x1a\n\xFF\xFF\xFF\xFFtEXt",
            b"GIF89a\x01\0\x01\0\xF7\0\0",
            b"II*\0\xFF\xFF\xFF\xFF",
            b"<x:xmpmeta",
        ] {
            for format in [Format::Jpeg, Format::Png, Format::Gif, Format::Tiff] {
                let _ = metadata_text(format, bytes);
            }
        }
    }
}
