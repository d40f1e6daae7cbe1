//! Body typography from site.toml `[typography]`.
//!
//! Regulations fix the body text in Word terms — 五号宋体 with line height 18
//! points, or 四号仿宋_GB2312 with line height 28 — so site.toml accepts those
//! terms and turns them into CSS with fallbacks that exist on the web.

/// CSS values for the body text.
#[derive(Debug, Clone, PartialEq)]
pub struct Typography {
    /// A CSS `font-family` list.
    pub font_family: String,
    /// A CSS length.
    pub font_size: String,
    /// A CSS `line-height`.
    pub line_height: String,
}

impl Default for Typography {
    fn default() -> Self {
        Typography {
            font_family: font_stack("宋体"),
            font_size: "16px".into(),
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
        Ok(Typography {
            font_family: font.map(font_stack).unwrap_or(default.font_family),
            font_size: match size {
                None => default.font_size,
                Some(size) => css_size(size).ok_or((
                    "size",
                    format!("`{size}` is not a font size: use a Chinese size name (四号, 小四, 五号 …) or a CSS length (16px, 12pt)"),
                ))?,
            },
            line_height: match line_height {
                None => default.line_height,
                Some(height) => css_line_height(height).ok_or((
                    "line_height",
                    format!("`{height}` is not a line height: use points or pixels (28pt, 18px) or a ratio (1.8)"),
                ))?,
            },
        })
    }
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

fn css_size(size: &str) -> Option<String> {
    let size = size.trim();
    if let Some((_, points)) = CHINESE_SIZES.iter().find(|(name, _)| *name == size) {
        return Some(format!("{points}pt"));
    }
    css_length(size)
}

fn css_line_height(height: &str) -> Option<String> {
    let height = height.trim();
    if let Ok(ratio) = height.parse::<f64>() {
        // A bare number from a Word setting ("行距 28") means points, a small one a ratio.
        return if (0.8..=4.0).contains(&ratio) {
            Some(height.to_string())
        } else if (4.0..=200.0).contains(&ratio) {
            Some(format!("{height}pt"))
        } else {
            None
        };
    }
    css_length(height)
}

fn css_length(text: &str) -> Option<String> {
    for unit in ["px", "pt", "em", "rem"] {
        if let Some(number) = text.strip_suffix(unit)
            && let Ok(value) = number.trim().parse::<f64>()
            && value > 0.0
            && value < 500.0
        {
            return Some(format!("{}{unit}", number.trim()));
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
        assert_eq!(t.font_size, "14pt");
        assert_eq!(t.line_height, "28pt");
        assert!(
            t.font_family
                .starts_with("\"仿宋_GB2312\", \"FangSong_GB2312\"")
        );
        let t = Typography::from_settings(Some("宋体"), Some("五号"), Some("18")).unwrap();
        assert_eq!(t.font_size, "10.5pt");
        assert_eq!(t.line_height, "18pt");
    }

    #[test]
    fn rejects_nonsense() {
        assert!(Typography::from_settings(None, Some("huge"), None).is_err());
        assert!(Typography::from_settings(None, None, Some("tall")).is_err());
    }
}
