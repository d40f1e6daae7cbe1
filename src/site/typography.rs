//! Body typography from site.toml `[typography]`.
//!
//! Regulations fix the body text in Word terms — 五号宋体 with line height 18
//! points, or 四号仿宋_GB2312 with line height 28 — so site.toml accepts those
//! terms and turns them into CSS with fallbacks that exist on the web.
//!
//! Sizes become `rem` and line heights plain ratios, measured against the
//! browser's default of 16 px: on a default browser 五号 is the 10.5 pt the
//! rules ask for, and a reader who sets a larger default font (适老化) gets a
//! larger body too. Points or pixels would pin the body to one size whatever
//! the reader chose.

/// CSS values for the body text.
#[derive(Debug, Clone, PartialEq)]
pub struct Typography {
    /// A CSS `font-family` list.
    pub font_family: String,
    /// A CSS length in `rem` (or `em`, as written), relative to the reader's font size.
    pub font_size: String,
    /// A CSS `line-height` without a unit: a multiple of the font size.
    pub line_height: String,
}

impl Default for Typography {
    fn default() -> Self {
        Typography {
            font_family: font_stack("宋体"),
            font_size: "1rem".into(),
            line_height: "1.9".into(),
        }
    }
}

/// Chinese type sizes (字号) in points.
const CHINESE_SIZES: &[(&str, f64)] = &[
    ("初号", 42.0),
    ("小初", 36.0),
    ("一号", 26.0),
    ("小一", 24.0),
    ("二号", 22.0),
    ("小二", 18.0),
    ("三号", 16.0),
    ("小三", 15.0),
    ("四号", 14.0),
    ("小四", 12.0),
    ("五号", 10.5),
    ("小五", 9.0),
    ("六号", 7.5),
    ("小六", 6.5),
    ("七号", 5.5),
    ("八号", 5.0),
];

impl Typography {
    /// Build from the three optional settings; the error names the key.
    pub fn from_settings(
        font: Option<&str>,
        size: Option<&str>,
        line_height: Option<&str>,
    ) -> Result<Typography, (&'static str, String)> {
        let default = Typography::default();
        let size = match size {
            None => Length::Rem(1.0),
            Some(size) => css_size(size).ok_or((
                "size",
                format!("`{size}` is not a font size: use a Chinese size name (四号, 小四, 五号 …) or a CSS length (16px, 12pt)"),
            ))?,
        };
        let line_height = match line_height {
            None => default.line_height,
            Some(height) => css_line_height(height, size).ok_or((
                "line_height",
                format!("`{height}` is not a line height: use points or pixels (28pt, 18px) or a ratio (1.8)"),
            ))?,
        };
        Ok(Typography {
            font_family: font.map(font_stack).unwrap_or(default.font_family),
            font_size: size.css(),
            line_height,
        })
    }
}

/// The browser's default font size, against which points and pixels are
/// turned into `rem`.
const DEFAULT_FONT_PX: f64 = 16.0;

/// A length as site.toml gives it, reduced to a relative unit.
#[derive(Debug, Clone, Copy, PartialEq)]
enum Length {
    /// Multiples of the root font size (from px, pt or rem).
    Rem(f64),
    /// Multiples of the parent's font size, as written.
    Em(f64),
}

impl Length {
    fn css(self) -> String {
        match self {
            Length::Rem(value) => format!("{}rem", round(value)),
            Length::Em(value) => format!("{}em", round(value)),
        }
    }

    /// The length in rem, taking an em as a rem (the body sits at the root size).
    fn rem(self) -> f64 {
        match self {
            Length::Rem(value) | Length::Em(value) => value,
        }
    }
}

/// Four decimals at most, no trailing zeros: `0.875`, `1.1667`, `2`.
fn round(value: f64) -> String {
    let text = format!("{value:.4}");
    text.trim_end_matches('0').trim_end_matches('.').to_string()
}

/// The family with web fallbacks for the usual Chinese government fonts.
fn font_stack(font: &str) -> String {
    let font = font.trim();
    let fallbacks: &[&str] = match font {
        "宋体" | "SimSun" => &[
            "SimSun",
            "Songti SC",
            "STSong",
            "Noto Serif CJK SC",
            "Source Han Serif SC",
            "serif",
        ],
        "仿宋" | "仿宋_GB2312" | "FangSong" => &[
            "FangSong_GB2312",
            "FangSong",
            "STFangsong",
            "Noto Serif CJK SC",
            "serif",
        ],
        "楷体" | "楷体_GB2312" | "KaiTi" => &[
            "KaiTi_GB2312",
            "KaiTi",
            "STKaiti",
            "Noto Serif CJK SC",
            "serif",
        ],
        "黑体" | "SimHei" => &[
            "SimHei",
            "Heiti SC",
            "STHeiti",
            "Noto Sans CJK SC",
            "Source Han Sans SC",
            "sans-serif",
        ],
        "微软雅黑" | "Microsoft YaHei" => &[
            "Microsoft YaHei",
            "PingFang SC",
            "Noto Sans CJK SC",
            "Source Han Sans SC",
            "sans-serif",
        ],
        _ => &["Noto Sans CJK SC", "sans-serif"],
    };
    let mut families = vec![quote_family(font)];
    for family in fallbacks {
        let quoted = quote_family(family);
        if !families.contains(&quoted) {
            families.push(quoted);
        }
    }
    families.join(", ")
}

fn quote_family(name: &str) -> String {
    if matches!(name, "serif" | "sans-serif" | "monospace") {
        name.to_string()
    } else {
        format!(
            "\"{}\"",
            name.replace(['"', '\\', ';', '{', '}', '<', '>'], "")
        )
    }
}

fn css_size(size: &str) -> Option<Length> {
    let size = size.trim();
    if let Some((_, points)) = CHINESE_SIZES.iter().find(|(name, _)| *name == size) {
        return Some(points_to_rem(*points));
    }
    css_length(size)
}

/// The line height as a multiple of the font size, so it follows the font
/// when the reader enlarges it.
fn css_line_height(height: &str, size: Length) -> Option<String> {
    let height = height.trim();
    let ratio = if let Ok(number) = height.parse::<f64>() {
        // A bare number from a Word setting ("行距 28") means points, a small one a ratio.
        if (0.8..=4.0).contains(&number) {
            number
        } else if (4.0..=200.0).contains(&number) {
            points_to_rem(number).rem() / size.rem()
        } else {
            return None;
        }
    } else {
        css_length(height)?.rem() / size.rem()
    };
    Some(round(ratio))
}

fn points_to_rem(points: f64) -> Length {
    Length::Rem(points * 4.0 / 3.0 / DEFAULT_FONT_PX)
}

fn css_length(text: &str) -> Option<Length> {
    // `rem` before `em`: "1rem" also ends in "em".
    for unit in ["px", "pt", "rem", "em"] {
        if let Some(number) = text.strip_suffix(unit)
            && let Ok(value) = number.trim().parse::<f64>()
            && value > 0.0
            && value < 500.0
        {
            return Some(match unit {
                "px" => Length::Rem(value / DEFAULT_FONT_PX),
                "pt" => points_to_rem(value),
                "rem" => Length::Rem(value),
                _ => Length::Em(value),
            });
        }
    }
    None
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn regulation_settings() {
        let t = Typography::from_settings(Some("仿宋_GB2312"), Some("四号"), Some("28pt")).unwrap();
        // 14 pt = 18.67 px = 1.1667 rem on a 16 px browser; 28 pt is twice that.
        assert_eq!(t.font_size, "1.1667rem");
        assert_eq!(t.line_height, "2");
        assert!(
            t.font_family
                .starts_with("\"仿宋_GB2312\", \"FangSong_GB2312\"")
        );
        let t = Typography::from_settings(Some("宋体"), Some("五号"), Some("18")).unwrap();
        // 10.5 pt = 14 px = 0.875 rem; 18 pt over 10.5 pt.
        assert_eq!(t.font_size, "0.875rem");
        assert_eq!(t.line_height, "1.7143");
        let t = Typography::from_settings(None, Some("18px"), Some("1.8")).unwrap();
        assert_eq!(
            (t.font_size.as_str(), t.line_height.as_str()),
            ("1.125rem", "1.8")
        );
        let t = Typography::from_settings(None, Some("1.2em"), Some("30px")).unwrap();
        assert_eq!(
            (t.font_size.as_str(), t.line_height.as_str()),
            ("1.2em", "1.5625")
        );
    }

    #[test]
    fn rejects_nonsense() {
        assert!(Typography::from_settings(None, Some("huge"), None).is_err());
        assert!(Typography::from_settings(None, None, Some("tall")).is_err());
    }
}
