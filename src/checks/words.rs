//! Words the site keeps lists of: banned words (rule `banned-word`) and the
//! leaders' names with their current titles (rule `leader-title`).
//!
//! Both lists are review data kept in the repository (SPEC §1: `approvals/`
//! holds "other review data"), named in `site.toml` `[checks]` and read from
//! the revision being checked. They are a safety net behind the reviewers,
//! never a permission: changing them cannot publish anything that did not
//! pass its review.
//!
//! A wrong title next to a leader's name (市长张三 when 张三 is 副市长) is
//! one of the 严重表述错误 that fail an inspection outright. The rule looks at
//! the title written right before the name (副市长张三, 市委常委、副市长张三)
//! or right after it (张三副市长), takes the longest title it knows there, and
//! accepts it when it is one of the person's titles or a shortening of one
//! that does not drop a 副 (市长 is not 副市长). Former titles (原市长张三,
//! 时任副市长张三) are history, not errors.

use std::collections::{BTreeMap, BTreeSet, HashMap};

use serde::Deserialize;

use crate::checks::RuleId;
use crate::checks::text::{Hit, Say};
use crate::error::{Diagnostic, line_of_offset};

/// The site's banned words, indexed by first character for one pass over a text.
#[derive(Debug, Clone, Default)]
pub struct BannedWords {
    /// Lower-cased (ASCII) first character → (word, suggestion), longest first.
    by_first: HashMap<char, Vec<(String, Option<String>)>>,
}

impl BannedWords {
    /// One word per line; `#` starts a comment line; `word => better wording`
    /// gives the suggestion shown with each finding.
    pub fn parse(text: &str) -> BannedWords {
        let mut by_first: HashMap<char, Vec<(String, Option<String>)>> = HashMap::new();
        let mut seen = BTreeSet::new();
        for line in text.lines() {
            let line = line.trim();
            if line.is_empty() || line.starts_with('#') {
                continue;
            }
            let (word, suggestion) = match line.split_once("=>").or_else(|| line.split_once("->")) {
                Some((word, suggestion)) => (
                    word.trim(),
                    Some(suggestion.trim().to_string()).filter(|s| !s.is_empty()),
                ),
                None => (line, None),
            };
            let word = word.to_ascii_lowercase();
            let Some(first) = word.chars().next() else {
                continue;
            };
            if seen.insert(word.clone()) {
                by_first.entry(first).or_default().push((word, suggestion));
            }
        }
        for words in by_first.values_mut() {
            words.sort_by(|a, b| b.0.len().cmp(&a.0.len()).then_with(|| a.0.cmp(&b.0)));
        }
        BannedWords { by_first }
    }

    pub fn is_empty(&self) -> bool {
        self.by_first.is_empty()
    }

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

/// Titles the rule recognises next to a name, beside the ones the leaders' table lists.
const KNOWN_TITLES: &[&str] = &[
    "书记",
    "副书记",
    "党组书记",
    "党组副书记",
    "党组成员",
    "常委",
    "委员",
    "省长",
    "副省长",
    "市长",
    "副市长",
    "常务副市长",
    "县长",
    "副县长",
    "区长",
    "副区长",
    "镇长",
    "副镇长",
    "乡长",
    "副乡长",
    "主席",
    "副主席",
    "常务副主席",
    "主任",
    "副主任",
    "常务副主任",
    "秘书长",
    "副秘书长",
    "部长",
    "副部长",
    "厅长",
    "副厅长",
    "局长",
    "副局长",
    "处长",
    "副处长",
    "科长",
    "副科长",
    "司长",
    "副司长",
    "署长",
    "巡视员",
    "副巡视员",
    "一级巡视员",
    "二级巡视员",
    "调研员",
    "一级调研员",
    "二级调研员",
    "院长",
    "副院长",
    "校长",
    "副校长",
    "理事长",
    "副理事长",
    "会长",
    "副会长",
    "社长",
    "副社长",
    "董事长",
    "总经理",
    "副总经理",
    "行长",
    "副行长",
    "检察长",
    "副检察长",
    "总工程师",
    "总经济师",
    "总会计师",
    "督察长",
    "政委",
    "馆长",
    "副馆长",
    "所长",
    "副所长",
    "站长",
    "副站长",
    "团长",
    "主委",
    "副主委",
    "组长",
    "副组长",
];

/// Where a title phrase next to a name ends.
fn is_phrase_break(c: char) -> bool {
    c.is_whitespace() || "，。；：！？,.;:!?（）()《》“”\"'「」『』【】、—…".contains(c)
}

#[derive(Debug, Deserialize)]
#[serde(untagged)]
enum Titles {
    One(String),
    Many(Vec<String>),
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct LeaderEntry {
    name: String,
    #[serde(alias = "title")]
    titles: Titles,
}

#[derive(Debug, Deserialize)]
#[serde(untagged)]
enum LeadersFile {
    /// `张三: 市长` or `李四: [副市长, 党组成员]`
    ByName(BTreeMap<String, Titles>),
    /// `- { name: 张三, titles: [市长] }`
    List(Vec<LeaderEntry>),
}

/// Leaders' names and their current titles.
#[derive(Debug, Clone, Default)]
pub struct Leaders {
    titles: BTreeMap<String, Vec<String>>,
    /// Every title the rule recognises, longest first.
    vocabulary: Vec<String>,
}

impl Leaders {
    /// Parse the leaders' table (YAML). `file` names it in errors.
    pub fn parse(file: &str, text: &str) -> Result<Leaders, Diagnostic> {
        let help = "write one line per leader: `张三: 市长` or `李四: [副市长, 党组成员]`";
        // A table of comments only (a new site's, say) lists nobody yet.
        let lists_nobody = text.lines().all(|line| {
            let line = line.trim();
            line.is_empty() || line.starts_with('#')
        });
        if lists_nobody {
            return Ok(Leaders::default());
        }
        let parsed: LeadersFile = serde_yaml::from_str(text).map_err(|err| {
            Diagnostic::in_file(file, format!("cannot read the leaders' table: {err}"))
                .at_line(err.location().map(|l| l.line()))
                .with_help(help)
        })?;
        let entries: Vec<(String, Titles)> = match parsed {
            LeadersFile::ByName(map) => map.into_iter().collect(),
            LeadersFile::List(list) => list.into_iter().map(|e| (e.name, e.titles)).collect(),
        };
        let mut titles = BTreeMap::new();
        for (name, listed) in entries {
            let listed: Vec<String> = match listed {
                Titles::One(title) => vec![title],
                Titles::Many(list) => list,
            }
            .into_iter()
            .map(|t| t.trim().to_string())
            .filter(|t| !t.is_empty())
            .collect();
            let name = name.trim().to_string();
            if name.chars().count() < 2 || listed.is_empty() {
                let line = text.find(&name).map(|at| line_of_offset(text, at));
                return Err(Diagnostic::in_file(
                    file,
                    format!("leader `{name}` needs a full name and at least one title"),
                )
                .at_line(line)
                .with_help(help));
            }
            titles.insert(name, listed);
        }
        let mut vocabulary: BTreeSet<String> = KNOWN_TITLES.iter().map(|t| t.to_string()).collect();
        vocabulary.extend(titles.values().flatten().cloned());
        let mut vocabulary: Vec<String> = vocabulary.into_iter().collect();
        vocabulary.sort_by(|a, b| b.len().cmp(&a.len()).then_with(|| a.cmp(b)));
        Ok(Leaders { titles, vocabulary })
    }

    pub fn is_empty(&self) -> bool {
        self.titles.is_empty()
    }

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
