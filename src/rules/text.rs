//! Small pieces every text rule shares: the message language, where a byte
//! offset is (line and column), and what a scanner reports.

use crate::catalog::RuleId;
use crate::rules::Finding;

pub use crate::i18n::Say;

/// Something a text scanner found, located by byte offsets in the text it was given.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Hit {
    pub rule: RuleId,
    pub start: usize,
    pub end: usize,
    pub message: String,
    pub help: Option<String>,
}

impl Hit {
    /// The hit as a finding in `file`, its message after `place` (where in
    /// the file the text was, when that is not its own line) and its help kept.
    pub fn into_finding(self, file: &str, place: Option<&str>) -> Finding {
        let message = match place {
            Some(place) => format!("{place}：{}", self.message),
            None => self.message,
        };
        let finding = Finding::new(self.rule, message).in_file(file);
        match self.help {
            Some(help) => finding.with_help(help),
            None => finding,
        }
    }
}

/// Line starts of a text, to turn byte offsets into 1-based line and column.
pub struct LineIndex<'a> {
    text: &'a str,
    starts: Vec<usize>,
}

impl<'a> LineIndex<'a> {
    pub fn new(text: &'a str) -> LineIndex<'a> {
        let mut starts = vec![0];
        starts.extend(text.match_indices('\n').map(|(i, _)| i + 1));
        LineIndex { text, starts }
    }

    /// 1-based line and column (in characters) of a byte offset.
    pub fn locate(&self, offset: usize) -> (usize, usize) {
        let offset = offset.min(self.text.len());
        let line = self.starts.partition_point(|&start| start <= offset);
        let start = self.starts[line - 1];
        let column = self
            .text
            .get(start..offset)
            .map(|s| s.chars().count())
            .unwrap_or(0)
            + 1;
        (line, column)
    }
}

/// `1381234****` style: keep the first `keep_start` and last `keep_end`
/// digits of a number and star the rest, so a report never spreads the
/// personal data it found.
pub fn mask(number: &str, keep_start: usize, keep_end: usize) -> String {
    let chars: Vec<char> = number
        .chars()
        .filter(|c| !c.is_whitespace() && *c != '-')
        .collect();
    if chars.len() <= keep_start + keep_end {
        return "*".repeat(chars.len());
    }
    chars
        .iter()
        .enumerate()
        .map(|(i, &c)| {
            if i < keep_start || i >= chars.len() - keep_end {
                c
            } else {
                '*'
            }
        })
        .collect()
}

/// Fullwidth digits (０–９) count as digits: they are typed by Chinese input methods.
pub fn digit_value(c: char) -> Option<u32> {
    match c {
        '0'..='9' => Some(c as u32 - '0' as u32),
        '０'..='９' => Some(c as u32 - '０' as u32),
        _ => None,
    }
}

/// A character that makes a neighbouring number part of a larger token
/// (`abc123`, `file_138…`).
pub fn is_word_char(c: char) -> bool {
    c.is_ascii_alphanumeric()
        || c == '_'
        || ('Ａ'..='Ｚ').contains(&c)
        || ('ａ'..='ｚ').contains(&c)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn locates_lines_and_character_columns() {
        let text = "第一行\nab第二行X\n";
        let index = LineIndex::new(text);
        assert_eq!(index.locate(0), (1, 1));
        let x = text.find('X').unwrap();
        assert_eq!(index.locate(x), (2, 6));
        assert_eq!(index.locate(text.len()), (3, 1));
    }

    #[test]
    fn masks_keep_only_the_ends() {
        assert_eq!(mask("13812345678", 3, 4), "138****5678");
        assert_eq!(mask("138-1234-5678", 3, 4), "138****5678");
        assert_eq!(mask("123", 3, 4), "***");
    }
}
