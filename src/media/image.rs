//! Image metadata: the GPS position a photo carries, and the metadata
//! removed from JPEG, PNG and WebP files as they are published.

use std::borrow::Cow;
use std::io::Cursor;

use super::{AssetKind, kind_of};

/// GPS coordinates (latitude, longitude in degrees) an image's EXIF carries.
pub fn gps_position(bytes: &[u8]) -> Option<(f64, f64)> {
    let reader = exif::Reader::new();
    // A WebP EXIF chunk may or may not start with `Exif\0\0`; the exif
    // crate reads only the bare form, so the chunk is found here.
    let exif = match webp_exif(bytes) {
        Some(tiff) => reader.read_raw(tiff.to_vec()).ok()?,
        None => reader.read_from_container(&mut Cursor::new(bytes)).ok()?,
    };
    let degrees = |tag: exif::Tag, reference: exif::Tag, negative: u8| -> Option<f64> {
        let field = exif.get_field(tag, exif::In::PRIMARY)?;
        let exif::Value::Rational(parts) = &field.value else {
            return None;
        };
        let value = parts
            .iter()
            .zip([1.0, 60.0, 3600.0])
            .map(|(part, scale)| part.to_f64() / scale)
            .filter(|v| v.is_finite())
            .sum::<f64>();
        let sign = match exif
            .get_field(reference, exif::In::PRIMARY)
            .map(|f| &f.value)
        {
            Some(exif::Value::Ascii(text))
                if text.first().and_then(|t| t.first()) == Some(&negative) =>
            {
                -1.0
            }
            _ => 1.0,
        };
        Some(sign * value)
    };
    let latitude = degrees(exif::Tag::GPSLatitude, exif::Tag::GPSLatitudeRef, b'S')?;
    let longitude = degrees(exif::Tag::GPSLongitude, exif::Tag::GPSLongitudeRef, b'W')?;
    Some((latitude, longitude))
}

/// The bytes to publish for an image: JPEG, PNG and WebP without their EXIF, XMP,
/// Photoshop and text metadata (GPS position, camera owner, editing history),
/// every pixel byte untouched. A JPEG keeps its orientation (a minimal EXIF
/// block with that one tag), so phone photos do not turn sideways. Anything
/// else, or a file that does not parse, is returned as it is.
pub fn strip_metadata<'a>(name: &str, bytes: &'a [u8]) -> Cow<'a, [u8]> {
    if kind_of(name) != Some(AssetKind::Image) {
        return Cow::Borrowed(bytes);
    }
    let stripped = if bytes.starts_with(&[0xFF, 0xD8]) {
        strip_jpeg(bytes)
    } else if bytes.starts_with(b"\x89PNG\r\n\x1a\n") {
        strip_png(bytes)
    } else if is_webp(bytes) {
        strip_webp(bytes)
    } else {
        None
    };
    match stripped {
        Some(clean) => Cow::Owned(clean),
        None => Cow::Borrowed(bytes),
    }
}

const EXIF_HEADER: &[u8] = b"Exif\0\0";

fn strip_jpeg(bytes: &[u8]) -> Option<Vec<u8>> {
    let mut kept: Vec<&[u8]> = Vec::new();
    let mut orientation = None;
    let mut dropped = false;
    let mut position = 2;
    let mut after_app0 = 0;
    loop {
        if *bytes.get(position)? != 0xFF {
            return None;
        }
        let mut marker_at = position + 1;
        while *bytes.get(marker_at)? == 0xFF {
            marker_at += 1; // fill bytes
        }
        let marker = bytes[marker_at];
        if marker == 0xDA || marker == 0xD9 {
            // Start of scan (or end of image): the rest is image data, kept as it is.
            kept.push(&bytes[position..]);
            break;
        }
        if matches!(marker, 0x01 | 0xD0..=0xD7) {
            kept.push(&bytes[position..marker_at + 1]);
            position = marker_at + 1;
            continue;
        }
        let length =
            u16::from_be_bytes([*bytes.get(marker_at + 1)?, *bytes.get(marker_at + 2)?]) as usize;
        if length < 2 {
            return None;
        }
        let end = marker_at + 1 + length;
        let payload = bytes.get(marker_at + 3..end)?;
        let metadata = match marker {
            0xE1 if payload.starts_with(EXIF_HEADER) => {
                let tiff = &payload[EXIF_HEADER.len()..];
                orientation = orientation.or_else(|| exif_orientation(tiff));
                // What this function writes back (orientation alone) is not metadata to remove.
                !is_orientation_only(tiff)
            }
            0xE1 => payload.starts_with(b"http://ns.adobe.com/"),
            0xED => payload.starts_with(b"Photoshop 3.0\0"),
            0xFE => true,
            _ => false,
        };
        if metadata {
            dropped = true;
        } else {
            kept.push(&bytes[position..end]);
            if marker == 0xE0 && kept.len() == 1 {
                after_app0 = 1;
            }
        }
        position = end;
    }
    if !dropped {
        return None;
    }
    let mut clean = Vec::with_capacity(bytes.len());
    clean.extend_from_slice(&[0xFF, 0xD8]);
    for (index, segment) in kept.iter().enumerate() {
        if index == after_app0
            && let Some(value) = orientation.filter(|&v| v != 1)
        {
            clean.extend_from_slice(&orientation_segment(value));
        }
        clean.extend_from_slice(segment);
    }
    Some(clean)
}

/// Reads numbers of a TIFF structure in its byte order.
struct Tiff<'a> {
    bytes: &'a [u8],
    big_endian: bool,
}

impl<'a> Tiff<'a> {
    fn new(bytes: &'a [u8]) -> Option<Tiff<'a>> {
        let big_endian = match bytes.get(..2)? {
            b"MM" => true,
            b"II" => false,
            _ => return None,
        };
        Some(Tiff { bytes, big_endian })
    }

    fn u16_at(&self, at: usize) -> Option<u16> {
        let b = [*self.bytes.get(at)?, *self.bytes.get(at + 1)?];
        Some(if self.big_endian {
            u16::from_be_bytes(b)
        } else {
            u16::from_le_bytes(b)
        })
    }

    fn u32_at(&self, at: usize) -> Option<u32> {
        let b: [u8; 4] = self.bytes.get(at..at + 4)?.try_into().ok()?;
        Some(if self.big_endian {
            u32::from_be_bytes(b)
        } else {
            u32::from_le_bytes(b)
        })
    }

    /// (offset, entry count) of IFD0.
    fn ifd0(&self) -> Option<(usize, usize)> {
        let ifd = self.u32_at(4)? as usize;
        Some((ifd, self.u16_at(ifd)? as usize))
    }
}

/// The Orientation tag (0x0112) of IFD0 in a TIFF structure.
fn exif_orientation(tiff: &[u8]) -> Option<u16> {
    let tiff = Tiff::new(tiff)?;
    let (ifd, count) = tiff.ifd0()?;
    (0..count.min(512)).find_map(|i| {
        let entry = ifd + 2 + i * 12;
        (tiff.u16_at(entry)? == 0x0112 && tiff.u16_at(entry + 2)? == 3)
            .then(|| tiff.u16_at(entry + 8))
            .flatten()
    })
}

/// A TIFF holding nothing but IFD0 with the Orientation tag, as
/// [`orientation_segment`] writes it: not metadata to remove.
fn is_orientation_only(bytes: &[u8]) -> bool {
    let Some(tiff) = Tiff::new(bytes) else {
        return false;
    };
    let Some((ifd, count)) = tiff.ifd0() else {
        return false;
    };
    count == 1
        && tiff.u16_at(ifd + 2) == Some(0x0112)
        && tiff.u32_at(ifd + 14) == Some(0)
        && bytes.len() <= ifd + 18
}

/// A TIFF structure with one tag: Orientation.
fn orientation_tiff(value: u16) -> Vec<u8> {
    let mut tiff: Vec<u8> = Vec::new();
    tiff.extend_from_slice(b"MM\0\x2A\0\0\0\x08"); // big-endian, IFD0 at offset 8
    tiff.extend_from_slice(&1u16.to_be_bytes()); // one entry
    tiff.extend_from_slice(&0x0112u16.to_be_bytes()); // Orientation
    tiff.extend_from_slice(&3u16.to_be_bytes()); // SHORT
    tiff.extend_from_slice(&1u32.to_be_bytes()); // count
    tiff.extend_from_slice(&value.to_be_bytes());
    tiff.extend_from_slice(&[0, 0]); // padding of the value field
    tiff.extend_from_slice(&0u32.to_be_bytes()); // no next IFD
    tiff
}

/// An APP1 segment holding a TIFF with one tag: Orientation.
fn orientation_segment(value: u16) -> Vec<u8> {
    let tiff = orientation_tiff(value);
    let length = (2 + EXIF_HEADER.len() + tiff.len()) as u16;
    let mut segment = vec![0xFF, 0xE1];
    segment.extend_from_slice(&length.to_be_bytes());
    segment.extend_from_slice(EXIF_HEADER);
    segment.extend_from_slice(&tiff);
    segment
}

fn strip_png(bytes: &[u8]) -> Option<Vec<u8>> {
    let mut clean = bytes[..8].to_vec();
    let mut position = 8;
    let mut dropped = false;
    while position < bytes.len() {
        let length =
            u32::from_be_bytes(bytes.get(position..position + 4)?.try_into().ok()?) as usize;
        let kind = bytes.get(position + 4..position + 8)?;
        let end = position.checked_add(12)?.checked_add(length)?;
        let chunk = bytes.get(position..end)?;
        if matches!(kind, b"eXIf" | b"tEXt" | b"zTXt" | b"iTXt") {
            dropped = true;
        } else {
            clean.extend_from_slice(chunk);
        }
        position = end;
    }
    dropped.then_some(clean)
}

fn is_webp(bytes: &[u8]) -> bool {
    bytes.len() >= 12 && bytes.starts_with(b"RIFF") && &bytes[8..12] == b"WEBP"
}

/// One chunk of a RIFF file: its FourCC, and the whole chunk with header and padding.
type RiffChunk<'a> = (&'a [u8], &'a [u8]);

/// The chunks of a WebP file and where the RIFF container ends. `None` when
/// the container is broken.
fn webp_chunks(bytes: &[u8]) -> Option<(Vec<RiffChunk<'_>>, usize)> {
    if !is_webp(bytes) {
        return None;
    }
    let declared = u32::from_le_bytes(bytes.get(4..8)?.try_into().ok()?) as usize;
    let riff_end = declared.checked_add(8)?;
    if riff_end > bytes.len() {
        return None;
    }
    let mut chunks = Vec::new();
    let mut position = 12;
    while position < riff_end {
        let kind = bytes.get(position..position + 4)?;
        let size =
            u32::from_le_bytes(bytes.get(position + 4..position + 8)?.try_into().ok()?) as usize;
        let end = position
            .checked_add(8)?
            .checked_add(size)?
            .checked_add(size & 1)?;
        // The last chunk's padding byte is sometimes left out.
        let end = if end == riff_end + 1 && size & 1 == 1 {
            riff_end
        } else {
            end
        };
        chunks.push((kind, bytes.get(position..end.min(riff_end))?));
        if end > riff_end {
            return None;
        }
        position = end;
    }
    Some((chunks, riff_end))
}

/// A WebP chunk's payload, by the size its header declares.
fn chunk_payload(chunk: &[u8]) -> Option<&[u8]> {
    let size = u32::from_le_bytes(chunk.get(4..8)?.try_into().ok()?) as usize;
    chunk.get(8..8 + size)
}

/// The TIFF structure in a WebP EXIF chunk's payload (with or without the
/// `Exif\0\0` header some writers put in front).
fn exif_tiff(payload: &[u8]) -> &[u8] {
    payload.strip_prefix(EXIF_HEADER).unwrap_or(payload)
}

/// The TIFF structure of a WebP file's EXIF chunk.
fn webp_exif(bytes: &[u8]) -> Option<&[u8]> {
    let (chunks, _) = webp_chunks(bytes)?;
    let (_, chunk) = chunks.into_iter().find(|(kind, _)| *kind == b"EXIF")?;
    chunk_payload(chunk).map(exif_tiff)
}

/// WebP without its EXIF and XMP chunks; an orientation other than upright
/// stays as a one-tag EXIF chunk. The VP8X flags and the RIFF size are set
/// to match; image and colour-profile chunks are copied byte for byte.
fn strip_webp(bytes: &[u8]) -> Option<Vec<u8>> {
    const EXIF_FLAG: u8 = 0x08;
    const XMP_FLAG: u8 = 0x04;
    let (chunks, riff_end) = webp_chunks(bytes)?;
    // What this function writes back (orientation alone) is not metadata to remove.
    let is_metadata = |kind: &[u8], chunk: &[u8]| match kind {
        b"XMP " => true,
        b"EXIF" => !chunk_payload(chunk).is_some_and(|p| is_orientation_only(exif_tiff(p))),
        _ => false,
    };
    if !chunks.iter().any(|(kind, chunk)| is_metadata(kind, chunk)) {
        return None;
    }
    let orientation = webp_exif(bytes)
        .and_then(exif_orientation)
        .filter(|&value| value != 1);
    let mut clean = Vec::with_capacity(bytes.len());
    clean.extend_from_slice(b"RIFF\0\0\0\0WEBP");
    let mut vp8x_at = None;
    let mut keeps_exif = false;
    for (kind, chunk) in chunks {
        if is_metadata(kind, chunk) {
            if kind == b"EXIF"
                && let Some(value) = orientation
            {
                let tiff = orientation_tiff(value);
                clean.extend_from_slice(b"EXIF");
                clean.extend_from_slice(&(tiff.len() as u32).to_le_bytes());
                clean.extend_from_slice(&tiff);
                keeps_exif = true;
            }
            continue;
        }
        if kind == b"VP8X" {
            vp8x_at = Some(clean.len());
        }
        keeps_exif |= kind == b"EXIF";
        clean.extend_from_slice(chunk);
        if chunk.len() % 2 == 1 {
            clean.push(0);
        }
    }
    if let Some(flags) = vp8x_at.map(|at| at + 8)
        && flags < clean.len()
    {
        clean[flags] &= !(EXIF_FLAG | XMP_FLAG);
        if keeps_exif {
            clean[flags] |= EXIF_FLAG;
        }
    }
    let size = u32::try_from(clean.len() - 8).ok()?;
    clean[4..8].copy_from_slice(&size.to_le_bytes());
    clean.extend_from_slice(&bytes[riff_end..]);
    Some(clean)
}

#[cfg(test)]
pub(crate) mod tests {
    use super::*;

    /// An EXIF TIFF structure with orientation 6 and a GPS IFD.
    pub(crate) fn tiff_with_gps() -> Vec<u8> {
        // TIFF, big-endian: IFD0 with Orientation=6 and GPSInfo → GPS IFD
        // with latitude 25°2'0" N and longitude 102°42'0" E.
        let mut tiff: Vec<u8> = b"MM\0\x2A\0\0\0\x08".to_vec();
        let ifd0_entries: u16 = 2;
        let gps_ifd = 8 + 2 + 12 * ifd0_entries as u32 + 4;
        tiff.extend_from_slice(&ifd0_entries.to_be_bytes());
        tiff.extend_from_slice(&[0x01, 0x12, 0, 3, 0, 0, 0, 1, 0, 6, 0, 0]);
        tiff.extend_from_slice(&[0x88, 0x25, 0, 4, 0, 0, 0, 1]);
        tiff.extend_from_slice(&gps_ifd.to_be_bytes());
        tiff.extend_from_slice(&0u32.to_be_bytes());
        let gps_entries: u16 = 4;
        let data = gps_ifd + 2 + 12 * gps_entries as u32 + 4;
        tiff.extend_from_slice(&gps_entries.to_be_bytes());
        tiff.extend_from_slice(&[0, 1, 0, 2, 0, 0, 0, 2, b'N', 0, 0, 0]);
        tiff.extend_from_slice(&[0, 2, 0, 5, 0, 0, 0, 3]);
        tiff.extend_from_slice(&data.to_be_bytes());
        tiff.extend_from_slice(&[0, 3, 0, 2, 0, 0, 0, 2, b'E', 0, 0, 0]);
        tiff.extend_from_slice(&[0, 4, 0, 5, 0, 0, 0, 3]);
        tiff.extend_from_slice(&(data + 24).to_be_bytes());
        tiff.extend_from_slice(&0u32.to_be_bytes());
        for (num, den) in [(25u32, 1u32), (2, 1), (0, 1), (102, 1), (42, 1), (0, 1)] {
            tiff.extend_from_slice(&num.to_be_bytes());
            tiff.extend_from_slice(&den.to_be_bytes());
        }
        tiff
    }

    /// A JPEG with an APP0, an EXIF APP1 (orientation 6 and a GPS IFD), a
    /// comment, and a fake scan.
    pub(crate) fn jpeg_with_gps() -> Vec<u8> {
        let tiff = tiff_with_gps();
        let mut jpeg = vec![0xFF, 0xD8];
        jpeg.extend_from_slice(&[0xFF, 0xE0, 0, 16]);
        jpeg.extend_from_slice(b"JFIF\0\x01\x01\0\0\x01\0\x01\0\0");
        let length = (2 + EXIF_HEADER.len() + tiff.len()) as u16;
        jpeg.extend_from_slice(&[0xFF, 0xE1]);
        jpeg.extend_from_slice(&length.to_be_bytes());
        jpeg.extend_from_slice(EXIF_HEADER);
        jpeg.extend_from_slice(&tiff);
        jpeg.extend_from_slice(&[0xFF, 0xFE, 0, 7]);
        jpeg.extend_from_slice(b"owner");
        jpeg.extend_from_slice(&[0xFF, 0xDA, 0, 2, 0x12, 0x34, 0x56, 0xFF, 0xD9]);
        jpeg
    }

    #[test]
    fn gps_is_read_from_jpeg_exif() {
        let (latitude, longitude) = gps_position(&jpeg_with_gps()).unwrap();
        assert!((latitude - 25.0333).abs() < 0.001, "{latitude}");
        assert!((longitude - 102.7).abs() < 0.001, "{longitude}");
        assert_eq!(gps_position(b"\xFF\xD8\xFF\xD9"), None);
    }

    #[test]
    fn stripping_keeps_pixels_and_orientation_only() {
        let original = jpeg_with_gps();
        let Cow::Owned(clean) = strip_metadata("photo.jpg", &original) else {
            panic!("metadata should have been removed")
        };
        assert_eq!(gps_position(&clean), None);
        assert!(
            clean.ends_with(&[0xFF, 0xDA, 0, 2, 0x12, 0x34, 0x56, 0xFF, 0xD9]),
            "scan data untouched"
        );
        assert!(!clean.windows(5).any(|w| w == b"owner"), "comment removed");
        assert!(
            clean.starts_with(&[0xFF, 0xD8, 0xFF, 0xE0]),
            "JFIF stays first"
        );
        let exif = exif::Reader::new()
            .read_from_container(&mut Cursor::new(&clean))
            .unwrap();
        let orientation = exif
            .get_field(exif::Tag::Orientation, exif::In::PRIMARY)
            .unwrap();
        assert_eq!(orientation.value.get_uint(0), Some(6));
        // Clean files and other formats come back unchanged, borrowed.
        assert!(matches!(
            strip_metadata("photo.jpg", &clean),
            Cow::Borrowed(_)
        ));
        assert!(matches!(
            strip_metadata("a.gif", b"GIF89a"),
            Cow::Borrowed(_)
        ));
        assert!(matches!(
            strip_metadata("bad.jpg", b"\xFF\xD8\xFF"),
            Cow::Borrowed(_)
        ));
    }

    #[test]
    fn png_text_and_exif_chunks_are_dropped() {
        let chunk = |kind: &[u8], data: &[u8]| {
            let mut c = (data.len() as u32).to_be_bytes().to_vec();
            c.extend_from_slice(kind);
            c.extend_from_slice(data);
            c.extend_from_slice(&[0, 0, 0, 0]);
            c
        };
        let mut png = b"\x89PNG\r\n\x1a\n".to_vec();
        png.extend(chunk(b"IHDR", &[0; 13]));
        png.extend(chunk(b"tEXt", b"Author\0someone"));
        png.extend(chunk(b"eXIf", b"MM\0*"));
        png.extend(chunk(b"IDAT", &[1, 2, 3]));
        png.extend(chunk(b"IEND", &[]));
        let clean = strip_metadata("a.png", &png).into_owned();
        let mut expected = b"\x89PNG\r\n\x1a\n".to_vec();
        expected.extend(chunk(b"IHDR", &[0; 13]));
        expected.extend(chunk(b"IDAT", &[1, 2, 3]));
        expected.extend(chunk(b"IEND", &[]));
        assert_eq!(clean, expected);
    }

    /// A 1×1 lossless WebP bitstream (VP8L), written bit by bit: the header,
    /// no transforms, no colour cache, and five one-symbol prefix codes, so
    /// the one pixel takes no bits at all.
    pub(crate) fn vp8l_one_pixel() -> Vec<u8> {
        let mut bits: Vec<bool> = Vec::new();
        let mut put = |value: u32, count: u32| {
            for i in 0..count {
                bits.push(value >> i & 1 == 1);
            }
        };
        put(0x2F, 8); // signature
        put(0, 14); // width - 1
        put(0, 14); // height - 1
        put(1, 1); // alpha used
        put(0, 3); // version
        put(0, 1); // no transform
        put(0, 1); // no colour cache
        put(0, 1); // no meta prefix codes
        // green, red, blue, alpha, distance: "simple" codes of one 8-bit symbol
        for symbol in [0x80, 0x20, 0x40, 0xFF, 0] {
            put(1, 1); // simple code
            put(0, 1); // one symbol
            put(1, 1); // 8 bits wide
            put(symbol, 8);
        }
        bits.chunks(8)
            .map(|byte| {
                byte.iter()
                    .enumerate()
                    .fold(0u8, |acc, (i, &bit)| acc | (u8::from(bit) << i))
            })
            .collect()
    }

    /// A RIFF chunk with its padding byte.
    fn riff_chunk(kind: &[u8], payload: &[u8]) -> Vec<u8> {
        let mut chunk = kind.to_vec();
        chunk.extend_from_slice(&(payload.len() as u32).to_le_bytes());
        chunk.extend_from_slice(payload);
        if payload.len() % 2 == 1 {
            chunk.push(0);
        }
        chunk
    }

    /// A WebP file of the given chunks.
    fn webp_of(chunks: &[Vec<u8>]) -> Vec<u8> {
        let body: Vec<u8> = chunks.concat();
        let mut file = b"RIFF".to_vec();
        file.extend_from_slice(&((body.len() + 4) as u32).to_le_bytes());
        file.extend_from_slice(b"WEBP");
        file.extend_from_slice(&body);
        file
    }

    /// An extended WebP (VP8X) with an ICC profile, the 1×1 image, an EXIF
    /// chunk holding `exif` and an XMP packet.
    pub(crate) fn webp_with(exif: &[u8]) -> Vec<u8> {
        // flags: ICC 0x20, alpha 0x10, EXIF 0x08, XMP 0x04; canvas 1×1
        let vp8x = [0x3C, 0, 0, 0, 0, 0, 0, 0, 0, 0];
        webp_of(&[
            riff_chunk(b"VP8X", &vp8x),
            riff_chunk(b"ICCP", b"not really a profile"),
            riff_chunk(b"VP8L", &vp8l_one_pixel()),
            riff_chunk(b"EXIF", exif),
            riff_chunk(b"XMP ", b"<x:xmpmeta>owner</x:xmpmeta>"),
        ])
    }

    #[test]
    fn webp_gps_is_found_and_stripped_without_touching_the_image() {
        for exif in [tiff_with_gps(), [EXIF_HEADER, &tiff_with_gps()].concat()] {
            let original = webp_with(&exif);
            let (latitude, _) = gps_position(&original).expect("GPS in the EXIF chunk");
            assert!((latitude - 25.0333).abs() < 0.001);
            let clean = strip_metadata("photo.webp", &original).into_owned();
            assert_eq!(gps_position(&clean), None);
            assert!(!clean.windows(5).any(|w| w == b"owner"), "XMP removed");
            let (chunks, riff_end) = webp_chunks(&clean).expect("a well-formed RIFF");
            assert_eq!(riff_end, clean.len(), "RIFF size matches the file");
            let kinds: Vec<&[u8]> = chunks.iter().map(|(kind, _)| *kind).collect();
            assert_eq!(kinds, [&b"VP8X"[..], b"ICCP", b"VP8L", b"EXIF"]);
            assert_eq!(
                chunks[0].1[8], 0x38,
                "XMP flag cleared, EXIF kept for the orientation"
            );
            assert_eq!(chunks[2].1, &riff_chunk(b"VP8L", &vp8l_one_pixel())[..]);
            let tiff = webp_exif(&clean).unwrap();
            assert!(is_orientation_only(tiff));
            assert_eq!(exif_orientation(tiff), Some(6));
            // Stripping again changes nothing.
            assert!(matches!(
                strip_metadata("photo.webp", &clean),
                Cow::Borrowed(_)
            ));
        }
        // Upright photos lose the EXIF chunk and its flag altogether.
        let mut upright = tiff_with_gps();
        let at = upright.windows(2).position(|w| w == [0x01, 0x12]).unwrap();
        upright[at + 9] = 1;
        let clean = strip_metadata("a.webp", &webp_with(&upright)).into_owned();
        let (chunks, _) = webp_chunks(&clean).unwrap();
        assert_eq!(chunks.len(), 3);
        assert_eq!(chunks[0].1[8], 0x30);
        // A simple (VP8L-only) file has nothing to strip; a broken one is left alone.
        let simple = webp_of(&[riff_chunk(b"VP8L", &vp8l_one_pixel())]);
        assert!(matches!(
            strip_metadata("a.webp", &simple),
            Cow::Borrowed(_)
        ));
        let mut broken = webp_with(&tiff_with_gps());
        broken.truncate(broken.len() - 7);
        assert!(matches!(
            strip_metadata("a.webp", &broken),
            Cow::Borrowed(_)
        ));
    }
}
