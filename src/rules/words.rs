//! Words the site keeps lists of: banned words (rule `banned-word`) and the
//! leaders' names with their current titles (rule `leader-title`).
//!
//! Both lists are part of the policy (SPEC §4 `checks:`): files in
//! `approvals/` read from the trusted policy's version, never from an
//! unapproved tree ([`crate::ledger::lists`] holds their formats). They are a
//! safety net behind the reviewers, never a permission: changing them cannot
//! publish anything that did not pass its review.
//!
//! A wrong title next to a leader's name (市长张三 when 张三 is 副市长) is
//! one of the 严重表述错误 that fail an inspection outright. The rule looks at
//! the title written right before the name (副市长张三, 市委常委、副市长张三)
//! or right after it (张三副市长), takes the longest title it knows there, and
//! accepts it when it is one of the person's titles or a shortening of one
//! that does not drop a 副 (市长 is not 副市长). Former titles (原市长张三,
//! 时任副市长张三) are history, not errors.

use crate::catalog::RuleId;
pub use crate::ledger::lists::{BannedWords, Leaders};
use crate::rules::text::{Hit, Say};

impl BannedWords {
    /// Every occurrence of a banned word (the longest at a position).
    pub fn scan(&self, text: &str, say: &Say) -> Vec<Hit> {
        let mut hits = Vec::new();
        if self.is_empty() {
            return hits;
        }
        let bytes = text.as_bytes();
        let mut covered_until = 0;
        for (start, c) in text.char_indices() {
            if start < covered_until {
                continue;
            }
            let Some(words) = self.by_first.get(&c.to_ascii_lowercase()) else {
                continue;
            };
            let found = words.iter().find(|(word, _)| {
                let end = start + word.len();
                end <= bytes.len()
                    && bytes[start..end].eq_ignore_ascii_case(word.as_bytes())
                    && text.is_char_boundary(end)
                    && whole_ascii_word(text, start, end)
            });
            let Some((word, suggestion)) = found else {
                continue;
            };
            let end = start + word.len();
            covered_until = end;
            let written = &text[start..end];
            hits.push(Hit {
                rule: RuleId::BannedWord,
                start,
                end,
                message: say.pick(
                    format!("使用了禁用词“{written}”"),
                    format!("uses the banned word “{written}”"),
                ),
                help: Some(match suggestion {
                    Some(better) => say.pick(
                        format!("改为“{better}”"),
                        format!("write “{better}” instead"),
                    ),
                    None => say.pick(
                        "删除或改写该词语（见站点禁用词表）",
                        "remove or reword it (see the site's banned word list)",
                    ),
                }),
            });
        }
        hits
    }
}

/// A word of ASCII letters must not match inside a longer word (`ass` in `class`).
fn whole_ascii_word(text: &str, start: usize, end: usize) -> bool {
    let alnum = |c: Option<char>| c.is_some_and(|c| c.is_ascii_alphanumeric());
    let first = text[start..].chars().next();
    let last = text[..end].chars().next_back();
    let before = text[..start].chars().next_back();
    let after = text[end..].chars().next();
    let glued_before = alnum(first) && alnum(before);
    let glued_after = alnum(last) && alnum(after);
    !glued_before && !glued_after
}

/// Where a title phrase next to a name ends.
fn is_phrase_break(c: char) -> bool {
    c.is_whitespace() || "，。；：！？,.;:!?（）()《》“”\"'「」『』【】、—…".contains(c)
}

impl Leaders {
    /// Known names written next to a title that is not theirs.
    pub fn scan(&self, text: &str, say: &Say) -> Vec<Hit> {
        let mut hits = Vec::new();
        for (name, listed) in &self.titles {
            for (at, _) in text.match_indices(name.as_str()) {
                let end = at + name.len();
                if self.is_part_of_longer_name(name, &text[end..]) {
                    continue;
                }
                let before = phrase_before(text, at);
                if let Some(title) = self
                    .vocabulary
                    .iter()
                    .find(|t| before.ends_with(t.as_str()))
                {
                    let qualifier = &before[..before.len() - title.len()];
                    let former = ["原", "前", "时任", "曾任", "原任"]
                        .iter()
                        .any(|q| qualifier.ends_with(q));
                    if !former && !fits(title, listed) {
                        hits.push(self.hit(name, title, listed, at - title.len(), end, say));
                    }
                    continue;
                }
                let after = phrase_after(text, end);
                if let Some(title) = self
                    .vocabulary
                    .iter()
                    .find(|t| after.starts_with(t.as_str()))
                    && !fits(title, listed)
                {
                    hits.push(self.hit(name, title, listed, at, end + title.len(), say));
                }
            }
        }
        hits.sort_by_key(|h| h.start);
        hits
    }

    /// 王平 in 王平安, when 王平安 is a leader too.
    fn is_part_of_longer_name(&self, name: &str, after: &str) -> bool {
        let Some(next) = after.chars().next() else {
            return false;
        };
        let longer = format!("{name}{next}");
        self.titles
            .keys()
            .any(|other| other != name && other.starts_with(&longer))
    }

    fn hit(
        &self,
        name: &str,
        title: &str,
        listed: &[String],
        start: usize,
        end: usize,
        say: &Say,
    ) -> Hit {
        let current = listed.join("、");
        Hit {
            rule: RuleId::LeaderTitle,
            start,
            end,
            message: say.pick(
                format!("领导职务表述错误：{name}的职务是“{current}”，不是“{title}”"),
                format!("wrong title for a leader: {name} is “{current}”, not “{title}”"),
            ),
            help: Some(say.pick(
                "按领导信息表更正职务；若职务已变动，请先更新站点的领导信息表",
                "correct the title as the leaders' table lists it; if the title changed, update the site's leaders' table first",
            )),
        }
    }
}

/// The title phrase right before a byte offset: back to the nearest break.
fn phrase_before(text: &str, at: usize) -> &str {
    let head = &text[..at];
    let start = head
        .char_indices()
        .rev()
        .take(16)
        .find(|&(_, c)| is_phrase_break(c))
        .map(|(i, c)| i + c.len_utf8())
        .unwrap_or_else(|| {
            head.char_indices()
                .rev()
                .take(16)
                .last()
                .map(|(i, _)| i)
                .unwrap_or(0)
        });
    &head[start..]
}

/// The phrase right after a byte offset, up to the next break.
fn phrase_after(text: &str, at: usize) -> &str {
    let tail = &text[at..];
    let end = tail
        .char_indices()
        .take(12)
        .find(|&(_, c)| is_phrase_break(c))
        .map(|(i, _)| i)
        .unwrap_or_else(|| {
            tail.char_indices()
                .nth(12)
                .map(|(i, _)| i)
                .unwrap_or(tail.len())
        });
    &tail[..end]
}

/// Is `written` one of the listed titles, or a shortening that keeps its rank?
/// 副市长 fits 常务副市长 and 市长 fits 云州市市长, but 市长 does not fit 副市长,
/// nor 副主席 主席.
fn fits(written: &str, listed: &[String]) -> bool {
    listed.iter().any(|title| {
        let (longer, shorter) = if title.len() >= written.len() {
            (title.as_str(), written)
        } else {
            (written, title.as_str())
        };
        longer.ends_with(shorter) && !longer[..longer.len() - shorter.len()].contains('副')
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::site::Language;

    fn say() -> Say {
        Say::new(Language::Chinese)
    }

    #[test]
    fn banned_words_with_position_and_suggestion() {
        let words = BannedWords::parse("# 禁用词\n最高级\n国家级 => 省级\nspam\n\n");
        let text = "这是最高级的活动，达到国家级水平。Spam 不是 antispam。";
        let hits = words.scan(text, &say());
        let found: Vec<&str> = hits.iter().map(|h| &text[h.start..h.end]).collect();
        assert_eq!(found, ["最高级", "国家级", "Spam"]);
        assert!(hits[1].help.as_deref().unwrap().contains("省级"));
        assert!(BannedWords::parse("").scan(text, &say()).is_empty());
    }

    fn leaders() -> Leaders {
        Leaders::parse(
            "approvals/leaders.yaml",
            "张三: 市长\n李四: [常务副市长, 党组成员]\n王五: 市科协副主席\n王五一: 秘书长\n",
        )
        .unwrap()
    }

    fn wrong(text: &str) -> Vec<String> {
        leaders()
            .scan(text, &say())
            .into_iter()
            .map(|h| text[h.start..h.end].to_string())
            .collect()
    }

    #[test]
    fn wrong_titles_are_found() {
        assert_eq!(wrong("副市长张三出席会议。"), ["副市长张三"]);
        assert_eq!(wrong("会议由市长李四主持。"), ["市长李四"]);
        assert_eq!(wrong("市科协主席王五讲话。"), ["主席王五"]);
        assert_eq!(wrong("张三副市长指出"), ["张三副市长"]);
    }

    #[test]
    fn right_titles_and_history_are_clean() {
        for text in [
            "市长张三出席会议。",
            "云州市市长张三出席。",
            "市委常委、常务副市长李四主持。",
            "副市长李四、张三等出席。",
            "市科协副主席王五讲话。",
            "张三同志强调",
            "原副市长张三回忆",
            "时任副市长张三",
            "秘书长王五一讲话",
            "张三主持会议",
        ] {
            assert!(wrong(text).is_empty(), "{text}: {:?}", wrong(text));
        }
    }

    #[test]
    fn a_table_of_comments_lists_nobody() {
        let table = Leaders::parse("l.yaml", "# 领导姓名与现任职务\n#   张三: 局长\n\n").unwrap();
        assert!(table.is_empty());
    }

    #[test]
    fn both_table_forms_and_errors() {
        let list = Leaders::parse(
            "l.yaml",
            "- { name: 张三, titles: [市长] }\n- name: 李四\n  title: 副市长\n",
        )
        .unwrap();
        assert_eq!(list.scan("市长李四", &say()).len(), 1);
        let err = Leaders::parse("l.yaml", "张三: []\n").unwrap_err();
        assert_eq!(err.file.as_deref(), Some("l.yaml"));
        assert!(Leaders::parse("l.yaml", "- 张三\n").is_err());
    }
}
