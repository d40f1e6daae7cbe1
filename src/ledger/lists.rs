//! The lists a policy names in `checks:` (SPEC §4): banned words and the
//! leaders' table. They are part of the policy — they take effect only
//! with a trusted policy and are read from its `approvals/` version — so
//! their formats live here, beside policy.yaml's; the rules that scan texts
//! with them are in `checks::words`.

use std::collections::{BTreeMap, BTreeSet, HashMap};

use serde::Deserialize;

use crate::error::{Diagnostic, line_of_offset};

/// The site's banned words, indexed by first character for one pass over a text.
#[derive(Debug, Clone, Default)]
pub struct BannedWords {
    /// Lower-cased (ASCII) first character → (word, suggestion), longest first.
    pub(crate) by_first: HashMap<char, Vec<(String, Option<String>)>>,
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
    pub(crate) titles: BTreeMap<String, Vec<String>>,
    /// Every title the rule recognises, longest first.
    pub(crate) vocabulary: Vec<String>,
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
}
