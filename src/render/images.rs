//! Body images as the page finally carries them: with their size, and
//! loaded lazily except the one a reader sees first.
//!
//! A browser that does not know an image's size lays the text out without
//! it and pushes everything down when the picture arrives (layout shift);
//! and a large picture at the top that waits for `loading="lazy"` is the
//! slowest thing on the page. The sizes are read from the bundle's files at
//! build time (`imagesize` reads the header only), so they are as much a
//! part of the approved object as the picture itself: an article page's
//! fingerprint (its object id) already covers them.
//!
//! The rewrite runs over the sanitised body HTML, whose tags this module
//! reads leniently: anything it does not understand is copied unchanged.

/// An image at least this wide (CSS pixels) is "large": the first such one
/// is loaded at once instead of lazily.
const LARGE_IMAGE_WIDTH: u32 = 400;

/// Width and height in pixels of an image file, from its header.
pub fn image_size(bytes: &[u8]) -> Option<(u32, u32)> {
    let size = imagesize::blob_size(bytes).ok()?;
    let width = u32::try_from(size.width).ok()?;
    let height = u32::try_from(size.height).ok()?;
    (width > 0 && height > 0).then_some((width, height))
}

/// Give each `<img>` whose size `size_of(src)` knows a `width` and `height`
/// (unless it has them), load the first large image eagerly and every other
/// image lazily.
pub fn size_body_images(html: &str, size_of: impl Fn(&str) -> Option<(u32, u32)>) -> String {
    let mut result = String::with_capacity(html.len() + 64);
    let mut rest = html;
    let mut eager_given = false;
    while let Some(at) = rest.find('<') {
        result.push_str(&rest[..at]);
        rest = &rest[at..];
        if let Some(after) = rest.strip_prefix("<!--") {
            let end = after.find("-->").map_or(rest.len(), |e| 4 + e + 3);
            result.push_str(&rest[..end]);
            rest = &rest[end..];
            continue;
        }
        let end = tag_end(rest);
        let tag = &rest[..end];
        let name = tag_name(tag);
        if name.eq_ignore_ascii_case("img") {
            let mut attributes = attributes(tag);
            attributes.retain(|a| !a.name.eq_ignore_ascii_case("loading"));
            let src = find(&attributes, "src").map(|a| a.value.to_string());
            let known = src.as_deref().and_then(&size_of);
            if let Some((width, height)) = known
                && find(&attributes, "width").is_none()
                && find(&attributes, "height").is_none()
            {
                attributes.push(Attribute::owned("width", width.to_string()));
                attributes.push(Attribute::owned("height", height.to_string()));
            }
            let width = find(&attributes, "width")
                .and_then(|a| a.value.trim().parse::<u32>().ok())
                .or(known.map(|(w, _)| w));
            let eager = !eager_given && width.is_some_and(|w| w >= LARGE_IMAGE_WIDTH);
            eager_given |= eager;
            if !eager {
                attributes.push(Attribute::owned("loading", "lazy".into()));
            }
            result.push_str("<img");
            for attribute in &attributes {
                result.push(' ');
                result.push_str(&attribute.name);
                if let Some(quote) = attribute.quote {
                    result.push('=');
                    result.push(quote);
                    result.push_str(&attribute.value);
                    result.push(quote);
                }
            }
            result.push('>');
            rest = &rest[end..];
        } else if name.eq_ignore_ascii_case("script") || name.eq_ignore_ascii_case("style") {
            // Their content is not markup: copy it up to the closing tag.
            let closing = format!("</{}", name.to_ascii_lowercase());
            let body_end = rest[end..]
                .to_ascii_lowercase()
                .find(&closing)
                .map_or(rest.len(), |e| end + e);
            result.push_str(&rest[..body_end]);
            rest = &rest[body_end..];
        } else {
            result.push_str(tag);
            rest = &rest[end..];
        }
    }
    result.push_str(rest);
    result
}

/// One attribute as written; `quote` is `None` for a bare name.
struct Attribute<'a> {
    name: std::borrow::Cow<'a, str>,
    value: std::borrow::Cow<'a, str>,
    quote: Option<char>,
}

impl Attribute<'_> {
    fn owned(name: &'static str, value: String) -> Attribute<'static> {
        Attribute {
            name: name.into(),
            value: value.into(),
            quote: Some('"'),
        }
    }
}

fn find<'v, 'a>(attributes: &'v [Attribute<'a>], name: &str) -> Option<&'v Attribute<'a>> {
    attributes
        .iter()
        .find(|a| a.name.eq_ignore_ascii_case(name))
}

/// The byte length of the tag at the start of `text` (which starts with
/// `<`), quoted values included; the rest of the text when it never closes.
fn tag_end(text: &str) -> usize {
    let mut quote = None;
    for (at, c) in text.char_indices().skip(1) {
        match (quote, c) {
            (Some(q), c) if c == q => quote = None,
            (Some(_), _) => {}
            (None, '"' | '\'') => quote = Some(c),
            (None, '>') => return at + 1,
            _ => {}
        }
    }
    text.len()
}

/// `img` for `<img src=…>`; empty for text that is no start tag.
fn tag_name(tag: &str) -> &str {
    let inner = &tag[1..];
    let end = inner
        .find(|c: char| !c.is_ascii_alphanumeric())
        .unwrap_or(inner.len());
    &inner[..end]
}

/// The attributes of a start tag, in order, values as written (not decoded).
fn attributes(tag: &str) -> Vec<Attribute<'_>> {
    let inner = tag
        .strip_suffix('>')
        .unwrap_or(tag)
        .trim_end_matches('/')
        .get(1 + tag_name(tag).len()..)
        .unwrap_or_default();
    let bytes = inner.as_bytes();
    let mut found = Vec::new();
    let mut at = 0;
    while at < bytes.len() {
        while at < bytes.len() && (bytes[at].is_ascii_whitespace() || bytes[at] == b'/') {
            at += 1;
        }
        let start = at;
        while at < bytes.len() && !bytes[at].is_ascii_whitespace() && !matches!(bytes[at], b'=') {
            at += 1;
        }
        if at == start {
            at += 1;
            continue;
        }
        let name = &inner[start..at];
        while at < bytes.len() && bytes[at].is_ascii_whitespace() {
            at += 1;
        }
        if at < bytes.len() && bytes[at] == b'=' {
            at += 1;
            while at < bytes.len() && bytes[at].is_ascii_whitespace() {
                at += 1;
            }
            let (value, quote) = match bytes.get(at) {
                Some(&q @ (b'"' | b'\'')) => {
                    let value_start = at + 1;
                    let value_end = inner[value_start..]
                        .find(q as char)
                        .map_or(inner.len(), |e| value_start + e);
                    at = (value_end + 1).min(inner.len());
                    (&inner[value_start..value_end], q as char)
                }
                _ => {
                    let value_start = at;
                    while at < bytes.len() && !bytes[at].is_ascii_whitespace() {
                        at += 1;
                    }
                    (&inner[value_start..at], '"')
                }
            };
            found.push(Attribute {
                name: name.into(),
                value: value.into(),
                quote: Some(quote),
            });
        } else {
            found.push(Attribute {
                name: name.into(),
                value: "".into(),
                quote: None,
            });
        }
    }
    found
}

#[cfg(test)]
mod tests {
    use super::*;

    fn sizes(src: &str) -> Option<(u32, u32)> {
        match src {
            "big.png" => Some((1200, 600)),
            "small.png" => Some((64, 64)),
            _ => None,
        }
    }

    #[test]
    fn sizes_are_added_and_the_first_large_image_is_eager() {
        let html = r#"<p><img src="small.png" alt="a" loading="lazy"></p><p><img src="big.png" alt="b &quot;q&quot;" loading="lazy"></p><img src="big.png" alt="c"><img src="/x.png" alt="d">"#;
        assert_eq!(
            size_body_images(html, sizes),
            r#"<p><img src="small.png" alt="a" width="64" height="64" loading="lazy"></p><p><img src="big.png" alt="b &quot;q&quot;" width="1200" height="600"></p><img src="big.png" alt="c" width="1200" height="600" loading="lazy"><img src="/x.png" alt="d" loading="lazy">"#
        );
    }

    #[test]
    fn written_sizes_stay_and_odd_markup_is_copied() {
        let html = "<!-- <img src=big.png> --><img src='big.png' width=\"300\" height=\"150\" hidden><script>var s = '<img src=big.png>';</script><a title=\"x > y\">t</a>";
        assert_eq!(
            size_body_images(html, sizes),
            "<!-- <img src=big.png> --><img src='big.png' width=\"300\" height=\"150\" hidden loading=\"lazy\"><script>var s = '<img src=big.png>';</script><a title=\"x > y\">t</a>"
        );
    }

    #[test]
    fn reads_sizes_from_headers() {
        // A 1×1 PNG.
        let png = [
            0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A, 0, 0, 0, 13, b'I', b'H', b'D', b'R', 0,
            0, 0, 3, 0, 0, 0, 2, 8, 6, 0, 0, 0,
        ];
        assert_eq!(image_size(&png), Some((3, 2)));
        assert_eq!(image_size(b"not an image"), None);
    }
}
