//! Accessibility (rule `a11y`), the checks an inspection's 无障碍 review
//! starts with:
//!
//! - images without alt text and skipped heading levels, in each article
//!   body (the page title is the `h1`, so the body's first heading is an `h2`);
//! - pages whose `<html>` has no `lang`;
//! - colour pairs of the theme below the WCAG AA contrast of 4.5:1: every CSS
//!   rule that declares both a text colour and a plain background colour
//!   (custom properties of `:root` resolved); gradients and images are
//!   skipped, since their contrast cannot be known from the CSS alone.

use std::collections::BTreeMap;

use crate::catalog::RuleId;
use crate::checks::rendered::RenderedSite;
use crate::publish::PublicationSet;
use crate::render::markdown::{self, MarkdownOptions};
use crate::rules::Finding;
use crate::rules::text::Say;

/// The least contrast for normal text (WCAG 2 AA).
const MIN_CONTRAST: f64 = 4.5;

/// Images without alt text and skipped heading levels in one article body.
pub(crate) fn check_body(file: &str, body: &str, body_line: usize, say: &Say) -> Vec<Finding> {
    let rendered = markdown::render(
        body,
        &MarkdownOptions {
            allow_raw_html: false,
        },
    );
    let line = |relative: usize| Some(body_line + relative.saturating_sub(1));
    let mut findings = Vec::new();
    for image in rendered
        .images
        .iter()
        .filter(|image| image.alt.trim().is_empty())
    {
        findings.push(
            Finding::new(
                RuleId::A11y,
                say.pick(
                    format!("图片 {} 缺少替代文本（alt）", image.src),
                    format!("image `{}` has no alt text", image.src),
                ),
            )
            .in_file(file)
            .at(line(image.line), None)
            .with_help(say.pick(
                "在方括号中描述图片内容：![2026年科普活动场次柱状图](chart.png)",
                "describe the image between the brackets: ![Bar chart of 2026 events](chart.png)",
            )),
        );
    }
    // The page title is the h1; the body continues from there.
    let mut previous = 1;
    for heading in &rendered.headings {
        if heading.level > previous + 1 {
            findings.push(
                Finding::new(
                    RuleId::A11y,
                    say.pick(
                        format!(
                            "标题层级跳跃：“{}”是 {} 级标题，但上一级是 {} 级",
                            heading.text, heading.level, previous
                        ),
                        format!(
                            "heading “{}” skips a level: h{} after h{}",
                            heading.text, heading.level, previous
                        ),
                    ),
                )
                .in_file(file)
                .at(line(heading.line), None)
                .with_help(say.pick(
                    format!(
                        "改为 {} 级标题（{} ）",
                        previous + 1,
                        "#".repeat(usize::from(previous) + 1)
                    ),
                    format!(
                        "make it an h{} ({} )",
                        previous + 1,
                        "#".repeat(usize::from(previous) + 1)
                    ),
                )),
            );
        }
        previous = heading.level;
    }
    findings
}

/// Page language and theme colour contrast.
pub(crate) fn check_site(set: &PublicationSet, output: &RenderedSite, say: &Say) -> Vec<Finding> {
    let mut findings = Vec::new();
    let without_lang: Vec<&String> = output
        .pages
        .iter()
        .filter(|(_, page)| page.lang.as_deref().is_none_or(|l| l.trim().is_empty()))
        .map(|(path, _)| path)
        .collect();
    if let Some(first) = without_lang.first() {
        findings.push(
            Finding::new(
                RuleId::A11y,
                say.pick(
                    format!(
                        "{} 个页面的 <html> 没有 lang 属性（如 /{first}）",
                        without_lang.len()
                    ),
                    format!(
                        "{} page(s) have no `lang` on <html> (e.g. /{first})",
                        without_lang.len()
                    ),
                ),
            )
            .in_file(output.template_file("base.html"))
            .with_help(say.pick(
                "在模板中写 <html lang=\"{{ site.language }}\">",
                "write <html lang=\"{{ site.language }}\"> in the template",
            )),
        );
    }
    for (path, bytes) in &set.theme.files {
        if !path.ends_with(".css") {
            continue;
        }
        let Ok(css) = std::str::from_utf8(bytes) else {
            continue;
        };
        for pair in low_contrast_pairs(css) {
            findings.push(
                Finding::new(
                    RuleId::A11y,
                    say.pick(
                        format!(
                            "颜色对比度 {:.2}:1 低于 4.5:1（{}：文字 {} / 背景 {}）",
                            pair.ratio, pair.selector, pair.foreground, pair.background
                        ),
                        format!(
                            "colour contrast {:.2}:1 is below 4.5:1 ({}: text {} on {})",
                            pair.ratio, pair.selector, pair.foreground, pair.background
                        ),
                    ),
                )
                .in_file(output.theme_file(path))
                .at(Some(pair.line), None)
                .with_help(say.pick(
                    "加深文字颜色或调整背景色，使对比度达到 4.5:1 以上",
                    "darken the text or change the background until the contrast is at least 4.5:1",
                )),
            );
        }
    }
    findings
}

/// A rule whose text and background colours are too close.
#[derive(Debug, Clone, PartialEq)]
pub struct ContrastProblem {
    pub selector: String,
    pub line: usize,
    pub foreground: String,
    pub background: String,
    pub ratio: f64,
}

struct CssRule {
    selector: String,
    /// (property, value, line)
    declarations: Vec<(String, String, usize)>,
}

/// Rules of a style sheet, at-rule blocks (`@media`) flattened.
fn css_rules(css: &str) -> Vec<CssRule> {
    // Comments become spaces of the same lines, so line numbers stay right.
    let mut clean = String::with_capacity(css.len());
    let mut rest = css;
    while let Some(start) = rest.find("/*") {
        clean.push_str(&rest[..start]);
        let end = rest[start..]
            .find("*/")
            .map(|e| start + e + 2)
            .unwrap_or(rest.len());
        clean.extend(
            rest[start..end]
                .chars()
                .map(|c| if c == '\n' { '\n' } else { ' ' }),
        );
        rest = &rest[end..];
    }
    clean.push_str(rest);

    let mut rules = Vec::new();
    let mut prelude_start = 0;
    let mut position = 0;
    let bytes = clean.as_bytes();
    while position < bytes.len() {
        match bytes[position] {
            b'{' => {
                let prelude = clean[prelude_start..position].trim();
                if prelude.starts_with('@') {
                    // An at-rule block: its rules follow as if at top level.
                    prelude_start = position + 1;
                    position += 1;
                    continue;
                }
                let end = clean[position..]
                    .find('}')
                    .map(|e| position + e)
                    .unwrap_or(clean.len());
                let mut declarations = Vec::new();
                let mut offset = position + 1;
                for declaration in clean[position + 1..end].split(';') {
                    if let Some((property, value)) = declaration.split_once(':') {
                        let leading = declaration.len() - declaration.trim_start().len();
                        let line = crate::error::line_of_offset(&clean, offset + leading);
                        declarations.push((
                            property.trim().to_ascii_lowercase(),
                            value.trim().to_string(),
                            line,
                        ));
                    }
                    offset += declaration.len() + 1;
                }
                rules.push(CssRule {
                    selector: prelude.split_whitespace().collect::<Vec<_>>().join(" "),
                    declarations,
                });
                position = end + 1;
                prelude_start = position;
            }
            b'}' | b';' => {
                position += 1;
                prelude_start = position;
            }
            _ => position += 1,
        }
    }
    rules
}

/// Every rule declaring both a text colour and a plain background below 4.5:1.
pub fn low_contrast_pairs(css: &str) -> Vec<ContrastProblem> {
    let rules = css_rules(css);
    let mut variables: BTreeMap<String, String> = BTreeMap::new();
    for rule in rules
        .iter()
        .filter(|r| r.selector.split(',').any(|s| s.trim() == ":root"))
    {
        for (property, value, _) in &rule.declarations {
            if property.starts_with("--") {
                variables.insert(property.clone(), value.clone());
            }
        }
    }
    let mut problems = Vec::new();
    for rule in &rules {
        let find = |names: &[&str]| {
            rule.declarations
                .iter()
                .rev()
                .find(|(property, _, _)| names.contains(&property.as_str()))
        };
        let (Some((_, foreground, line)), Some((_, background, _))) =
            (find(&["color"]), find(&["background-color", "background"]))
        else {
            continue;
        };
        let foreground_value = resolve_variables(foreground, &variables, 0);
        let background_value = resolve_variables(background, &variables, 0);
        if background_value.contains("gradient(") || background_value.contains("url(") {
            continue;
        }
        let (Some(fg), Some(bg)) = (
            parse_color(&foreground_value),
            background_value.split_whitespace().find_map(parse_color),
        ) else {
            continue;
        };
        let ratio = contrast(fg, bg);
        if ratio + 1e-9 < MIN_CONTRAST {
            problems.push(ContrastProblem {
                selector: rule.selector.clone(),
                line: *line,
                foreground: foreground.trim_end_matches("!important").trim().to_string(),
                background: background.trim_end_matches("!important").trim().to_string(),
                ratio,
            });
        }
    }
    problems
}

fn resolve_variables(value: &str, variables: &BTreeMap<String, String>, depth: usize) -> String {
    let value = value.trim_end_matches("!important").trim();
    let Some(start) = value.find("var(") else {
        return value.to_string();
    };
    if depth > 8 {
        return value.to_string();
    }
    let inner_start = start + 4;
    let Some(close) = value[inner_start..].find(')').map(|c| inner_start + c) else {
        return value.to_string();
    };
    let inner = &value[inner_start..close];
    let (name, fallback) = match inner.split_once(',') {
        Some((name, fallback)) => (name.trim(), Some(fallback.trim())),
        None => (inner.trim(), None),
    };
    let replacement = variables
        .get(name)
        .map(String::as_str)
        .or(fallback)
        .unwrap_or("")
        .to_string();
    let replaced = format!("{}{}{}", &value[..start], replacement, &value[close + 1..]);
    resolve_variables(&replaced, variables, depth + 1)
}

/// An opaque colour: `#rgb`, `#rrggbb`, `#rrggbbff`, `rgb(…)`, or a common name.
fn parse_color(value: &str) -> Option<[f64; 3]> {
    let value = value.trim().to_ascii_lowercase();
    if let Some(hex) = value.strip_prefix('#') {
        let digits: Vec<u32> = hex.chars().map(|c| c.to_digit(16)).collect::<Option<_>>()?;
        let channel = |high: u32, low: u32| f64::from(high * 16 + low);
        return match digits.as_slice() {
            [r, g, b] => Some([channel(*r, *r), channel(*g, *g), channel(*b, *b)]),
            [r, g, b, 15] => Some([channel(*r, *r), channel(*g, *g), channel(*b, *b)]),
            [r1, r2, g1, g2, b1, b2] | [r1, r2, g1, g2, b1, b2, 15, 15] => {
                Some([channel(*r1, *r2), channel(*g1, *g2), channel(*b1, *b2)])
            }
            _ => None,
        };
    }
    if let Some(arguments) = value
        .strip_prefix("rgb(")
        .or_else(|| value.strip_prefix("rgba("))
    {
        let arguments = arguments.strip_suffix(')')?;
        let parts: Vec<&str> = arguments
            .split([',', ' ', '/'])
            .filter(|p| !p.is_empty())
            .collect();
        if let Some(alpha) = parts.get(3) {
            let opacity = match alpha.strip_suffix('%') {
                Some(percent) => percent.parse::<f64>().ok()? / 100.0,
                None => alpha.parse::<f64>().ok()?,
            };
            if opacity < 1.0 {
                return None;
            }
        }
        let channel = |part: &str| -> Option<f64> {
            match part.strip_suffix('%') {
                Some(percent) => percent.parse::<f64>().ok().map(|p| p * 2.55),
                None => part.parse::<f64>().ok(),
            }
        };
        return Some([
            channel(parts.first()?)?,
            channel(parts.get(1)?)?,
            channel(parts.get(2)?)?,
        ]);
    }
    let named = match value.as_str() {
        "white" => "#ffffff",
        "black" => "#000000",
        "red" => "#ff0000",
        "green" => "#008000",
        "blue" => "#0000ff",
        "gray" | "grey" => "#808080",
        "silver" => "#c0c0c0",
        "navy" => "#000080",
        "maroon" => "#800000",
        "yellow" => "#ffff00",
        "orange" => "#ffa500",
        _ => return None,
    };
    parse_color(named)
}

fn luminance([r, g, b]: [f64; 3]) -> f64 {
    let linear = |channel: f64| {
        let c = (channel / 255.0).clamp(0.0, 1.0);
        if c <= 0.04045 {
            c / 12.92
        } else {
            ((c + 0.055) / 1.055).powf(2.4)
        }
    };
    0.2126 * linear(r) + 0.7152 * linear(g) + 0.0722 * linear(b)
}

/// The WCAG contrast ratio of two colours, 1 to 21.
pub fn contrast(a: [f64; 3], b: [f64; 3]) -> f64 {
    let (la, lb) = (luminance(a), luminance(b));
    let (light, dark) = if la > lb { (la, lb) } else { (lb, la) };
    (light + 0.05) / (dark + 0.05)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::site::Language;

    #[test]
    fn contrast_of_known_pairs() {
        assert!((contrast([0.0; 3], [255.0; 3]) - 21.0).abs() < 0.01);
        let grey = parse_color("#777").unwrap();
        assert!((contrast(grey, [255.0; 3]) - 4.48).abs() < 0.01);
    }

    #[test]
    fn low_contrast_rules_are_found_with_their_line() {
        let css = "/* palette\n */\n:root { --muted: #aaaaaa; --page: #fff; }\n\
                   .ok { color: #222; background: var(--page); }\n\
                   @media print {\n  .faint {\n    background-color: white;\n    color: var(--muted);\n  }\n}\n\
                   .banner { color: #fff; background: linear-gradient(#000, #fff); }\n\
                   .half { color: rgba(0,0,0,0.5); background: #fff; }\n\
                   .red { color: rgb(255, 0, 0) !important; background: #fff none; }\n";
        let problems = low_contrast_pairs(css);
        let found: Vec<(&str, usize)> = problems
            .iter()
            .map(|p| (p.selector.as_str(), p.line))
            .collect();
        assert_eq!(found, [(".faint", 8), (".red", 13)]);
        assert_eq!(problems[0].foreground, "var(--muted)");
    }

    #[test]
    fn body_images_and_headings() {
        let say = Say::new(Language::English);
        let findings = check_body(
            "content/a.md",
            "![](x.png)\n\n![图表](y.png)\n\n## 一\n\n#### 三\n\n### 二\n",
            5,
            &say,
        );
        let lines: Vec<Option<usize>> = findings.iter().map(|f| f.line).collect();
        assert_eq!(lines, [Some(5), Some(11)]);
        assert!(
            findings[1].message.contains("h4 after h2"),
            "{}",
            findings[1].message
        );
        assert!(check_body("content/a.md", "## 一\n\n### 二\n\n## 三\n", 1, &say).is_empty());
    }
}
