//! Secrets: classified articles and classification marks in the text
//! (rules `classified`, `classification-mark`).
//!
//! A 密级 mark is unambiguous when written the official way — 绝密★,
//! 机密★1年, 秘密★启用前, or `密级：机密` — and is reported wherever it is.
//! Do-not-publish stamps (内部资料, 注意保密, 不予公开 …) are ordinary words
//! in other sentences ("依申请公开……不予公开3件" in an annual report, "评审
//! 专家应注意保密", a row "| 不予公开 | 3 |" of a 信息公开 table), so they are
//! reported only where they stand as a stamp: a line, or a bracket on its
//! own line, holding nothing but such marks.

use crate::catalog::RuleId;
use crate::rules::text::{Hit, Say};

const LEVELS: [&str; 3] = ["绝密", "机密", "秘密"];

/// Stamps that say a document must not go out.
const STAMPS: [&str; 8] = [
    "内部资料",
    "内部文件",
    "内部材料",
    "注意保密",
    "不予公开",
    "不宜公开",
    "请勿外传",
    "严禁外传",
];

/// What may stand around a stamp on its own line: Markdown decoration, brackets, punctuation.
fn is_decoration(c: char) -> bool {
    c.is_whitespace()
        || c.is_ascii_punctuation()
        || "（）【】〔〕［］《》〈〉「」『』“”‘’，、。．：；！？★☆·—…".contains(c)
}

/// Find classification marks in `text`; offsets are bytes of `text`.
pub fn scan(text: &str, say: &Say) -> Vec<Hit> {
    let mut hits = Vec::new();
    starred_levels(text, say, &mut hits);
    level_fields(text, say, &mut hits);
    let mut offset = 0;
    for line in text.split_inclusive('\n') {
        if let Some(hit) = stamp_line(line, offset, say)
            && !hits
                .iter()
                .any(|h: &Hit| h.start < hit.end && hit.start < h.end)
        {
            hits.push(hit);
        }
        offset += line.len();
    }
    hits.sort_by_key(|h| h.start);
    hits
}

fn mark_hit(start: usize, end: usize, shown: &str, say: &Say) -> Hit {
    Hit {
        rule: RuleId::ClassificationMark,
        start,
        end,
        message: say.pick(
            format!("含密级标志“{shown}”：涉密信息不得上网"),
            format!("carries the classification mark “{shown}”: classified information never goes online"),
        ),
        help: Some(say.pick(
            "撤下该稿件并按保密规定处理；若标志有误，删除标志后重新送审",
            "take the article out and handle it under the secrecy rules; if the mark is a mistake, remove it and have the new version reviewed",
        )),
    }
}

/// 绝密★, 机密 ★ 1年, 秘密★启用前 …: a level, then a star and its period.
fn starred_levels(text: &str, say: &Say, hits: &mut Vec<Hit>) {
    for level in LEVELS {
        for (start, _) in text.match_indices(level) {
            let after = &text[start + level.len()..];
            let spaces = after.len() - after.trim_start_matches([' ', '\u{3000}']).len();
            let Some(rest) = after[spaces..].strip_prefix('★') else {
                continue;
            };
            // The period: 1年, 10年, 长期, 启用前, 6个月 … up to the next space or punctuation.
            let period: usize = rest
                .chars()
                .take_while(|&c| !c.is_whitespace() && !is_decoration(c))
                .take(6)
                .map(char::len_utf8)
                .sum();
            let end = start + level.len() + spaces + '★'.len_utf8() + period;
            hits.push(mark_hit(start, end, &text[start..end], say));
        }
    }
}

/// 密级：机密 — the field of a document's header.
fn level_fields(text: &str, say: &Say, hits: &mut Vec<Hit>) {
    for (start, _) in text.match_indices("密级") {
        let after = &text[start + "密级".len()..];
        let value = after
            .trim_start_matches([' ', '\u{3000}', '：', ':'])
            .trim_start_matches([' ', '\u{3000}']);
        if value.len() == after.len() {
            continue; // no separator: "密级" inside a sentence
        }
        if let Some(level) = LEVELS.iter().find(|level| value.starts_with(**level)) {
            let end = start + (after.len() - value.len()) + "密级".len() + level.len();
            if !hits.iter().any(|h| h.start < end && start < h.end) {
                hits.push(mark_hit(start, end, &text[start..end], say));
            }
        }
    }
}

/// A line that is nothing but stamps (and decoration): report it.
fn stamp_line(line: &str, offset: usize, say: &Say) -> Option<Hit> {
    let mut rest: &str = line.trim_matches(is_decoration);
    // `summary: 内部资料` in front matter: the value is what is published.
    if let Some((key, value)) = rest.split_once(':')
        && !key.is_empty()
        && key.bytes().all(|b| b.is_ascii_lowercase() || b == b'_')
    {
        rest = value.trim_matches(is_decoration);
    }
    // 此件不予公开, 本文件为内部资料: the document speaking of itself.
    for prefix in ["此件", "本件", "本文件", "本文", "本材料", "本资料"] {
        if let Some(stripped) = rest.strip_prefix(prefix) {
            rest = stripped;
            for verb in ["属于", "为", "属", "系", "是"] {
                if let Some(stripped) = rest.strip_prefix(verb) {
                    rest = stripped;
                    break;
                }
            }
            break;
        }
    }
    if rest.is_empty() {
        return None;
    }
    let mut found = Vec::new();
    let mut remaining = rest;
    while !remaining.is_empty() {
        remaining = remaining.trim_start_matches(is_decoration);
        if remaining.is_empty() {
            break;
        }
        let stamp = STAMPS.iter().find(|s| remaining.starts_with(**s))?;
        found.push(*stamp);
        remaining = &remaining[stamp.len()..];
    }
    let first = line.find(found.first()?)?;
    let last = found.last()?;
    let end = line.rfind(last)? + last.len();
    let shown = found.join("、");
    Some(Hit {
        rule: RuleId::ClassificationMark,
        start: offset + first,
        end: offset + end.max(first),
        message: say.pick(
            format!("含不宜公开的标注“{shown}”"),
            format!("carries the do-not-publish mark “{shown}”"),
        ),
        help: Some(say.pick(
            "标注为内部或不予公开的材料不得上网；若标注有误，删除后重新送审",
            "material marked internal or not for publication must not go online; if the mark is a mistake, remove it and have the new version reviewed",
        )),
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::site::Language;

    fn marks(text: &str) -> Vec<String> {
        scan(text, &Say::new(Language::Chinese))
            .into_iter()
            .map(|h| text[h.start..h.end].to_string())
            .collect()
    }

    #[test]
    fn starred_levels_with_their_period() {
        assert_eq!(marks("秘密★1年\n\n正文"), ["秘密★1年"]);
        assert_eq!(marks("**机密★长期**"), ["机密★长期"]);
        assert_eq!(marks("绝密★启用前 试卷"), ["绝密★启用前"]);
        assert_eq!(marks("机密 ★ 正文"), ["机密 ★"]);
        assert_eq!(marks("密级：秘密"), ["密级：秘密"]);
    }

    #[test]
    fn stamps_count_only_standing_alone() {
        assert_eq!(marks("内部资料 注意保密\n\n正文"), ["内部资料 注意保密"]);
        assert_eq!(marks("（此件不予公开）"), ["不予公开"]);
        assert_eq!(marks("> 【内部资料】\n"), ["内部资料"]);
        assert_eq!(marks("summary: 内部资料"), ["内部资料"]);
        assert_eq!(
            marks("本文件为内部资料，注意保密。"),
            ["内部资料，注意保密"]
        );
    }

    #[test]
    fn the_same_words_in_sentences_are_clean() {
        for text in [
            "依申请公开：不予公开3件，部分公开2件。",
            "| 不予公开 | 3 |",
            "评审专家应注意保密，不得泄露内部资料。",
            "### （三）不予公开",
            "本文为内部资料汇编的摘要，现予公开。",
            "保守国家秘密是每个公民的义务。",
            "加强秘密载体管理★",
            "星级评定★★★",
            "密级划分为绝密、机密、秘密三级。",
        ] {
            assert!(marks(text).is_empty(), "{text}: {:?}", marks(text));
        }
    }
}
