//! QR codes for "扫一扫在手机打开当前页": each article page carries an inline
//! SVG code of its own address, made at build time — no script, no image
//! service, and identical bytes for identical input.

use std::fmt::Write as _;

use qrcode::canvas::{Canvas, MaskPattern};
use qrcode::{Color, EcLevel};

/// Modules of white space around the code, as the QR standard asks.
const QUIET_ZONE: usize = 4;

/// An inline `<svg>` QR code of `url` (error correction M), black on white,
/// sized by CSS through its `viewBox`. Dark modules of a row are drawn as one
/// run each, so a typical article address makes a path of a few kilobytes.
/// Empty when the address is too long for any QR code (over ~2,900 bytes).
pub fn qr_svg(url: &str) -> String {
    let Some((width, colors)) = modules_of(url) else {
        return String::new();
    };
    let size = width + 2 * QUIET_ZONE;
    let mut path = String::new();
    for (y, row) in colors.chunks(width).enumerate() {
        let mut x = 0;
        while x < row.len() {
            if row[x] == Color::Dark {
                let start = x;
                while x < row.len() && row[x] == Color::Dark {
                    x += 1;
                }
                let run = x - start;
                let _ = write!(
                    path,
                    "M{} {}h{run}v1h-{run}z",
                    start + QUIET_ZONE,
                    y + QUIET_ZONE
                );
            } else {
                x += 1;
            }
        }
    }
    format!(
        "<svg xmlns=\"http://www.w3.org/2000/svg\" class=\"qr-code\" viewBox=\"0 0 {size} {size}\" width=\"{px}\" height=\"{px}\" shape-rendering=\"crispEdges\" aria-hidden=\"true\" focusable=\"false\"><rect width=\"{size}\" height=\"{size}\" fill=\"#fff\"/><path fill=\"#000\" d=\"{path}\"/></svg>",
        px = size * 4,
    )
}

/// The code's modules, row by row, with its width; `None` if the URL is too
/// long. One fixed mask instead of the crate's search over all eight: every
/// mask scans, and scoring eight candidates per page tripled the render time
/// of a 10,000-page site.
fn modules_of(url: &str) -> Option<(usize, Vec<Color>)> {
    [EcLevel::M, EcLevel::L].into_iter().find_map(|level| {
        let bits = qrcode::bits::encode_auto(url.as_bytes(), level).ok()?;
        let version = bits.version();
        let (data, error_correction) =
            qrcode::ec::construct_codewords(&bits.into_bytes(), version, level).ok()?;
        let mut canvas = Canvas::new(version, level);
        canvas.draw_all_functional_patterns();
        canvas.draw_data(&data, &error_correction);
        canvas.apply_mask(MaskPattern::Checkerboard);
        let width = usize::try_from(version.width()).ok()?;
        Some((width, canvas.into_colors()))
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Read the modules back out of the SVG path.
    fn modules(svg: &str) -> Vec<(usize, usize)> {
        let d = &svg[svg.find(" d=\"").unwrap() + 4..];
        let d = &d[..d.find('"').unwrap()];
        let mut dark = Vec::new();
        for part in d.split('M').filter(|p| !p.is_empty()) {
            let (xy, rest) = part.split_once('h').unwrap();
            let (x, y) = xy.split_once(' ').unwrap();
            let run: usize = rest.split_once('v').unwrap().0.parse().unwrap();
            let (x, y): (usize, usize) = (x.parse().unwrap(), y.parse().unwrap());
            dark.extend((x..x + run).map(|column| (column, y)));
        }
        dark
    }

    #[test]
    fn the_svg_draws_exactly_the_dark_modules() {
        let url = "https://kx.yunzhou.example/news/hq/kepuri-2026/";
        let svg = qr_svg(url);
        assert!(svg.starts_with("<svg") && svg.ends_with("</svg>"));
        let (width, colors) = modules_of(url).unwrap();
        // Same version and size as the crate's own encoder picks.
        let reference =
            qrcode::QrCode::with_error_correction_level(url.as_bytes(), EcLevel::M).unwrap();
        assert_eq!(width, reference.width());
        let expected: Vec<(usize, usize)> = colors
            .iter()
            .enumerate()
            .filter(|(_, c)| **c == Color::Dark)
            .map(|(i, _)| (i % width + QUIET_ZONE, i / width + QUIET_ZONE))
            .collect();
        assert_eq!(modules(&svg), expected);
        assert!(svg.contains(&format!("viewBox=\"0 0 {0} {0}\"", width + 8)));
    }

    #[test]
    fn same_input_same_bytes_and_long_input_is_empty() {
        assert_eq!(
            qr_svg("https://a.example/中文/"),
            qr_svg("https://a.example/中文/")
        );
        assert_ne!(
            qr_svg("https://a.example/1/"),
            qr_svg("https://a.example/2/")
        );
        assert_eq!(qr_svg(&"x".repeat(5000)), "");
    }
}
