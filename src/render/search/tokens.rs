//! Cutting text into the terms the index stores, without a dictionary.
//!
//! Chinese has no spaces between words, and a segmenting dictionary both
//! weighs megabytes and misses the names, places and document numbers a
//! portal is searched for. So text is read as a sequence of *units*: each
//! CJK character is one unit, and each run of letters and digits (`2026`,
//! `0871`, `5g`, `covid`) is one unit; everything else (spaces, punctuation,
//! brackets such as 〔〕) separates units and is not indexed. Every unit has a
//! position, counted in units, so `0871-65550100` and `〔2026〕12号` are
//! runs of adjacent units whatever punctuation stands between them.
//!
//! Terms: each run of letters and digits is a term; each pair of adjacent
//! CJK characters is a term (a bigram: 科技创新 → 科技 技创 创新), and so is
//! each CJK character alone (a unigram), for one-character queries. The
//! browser cuts a query the same way (`search.js`) and looks up its bigrams
//! (every other one suffices to cover a run: 科技 创新), words and, for a
//! lone character, the unigram.
//!
//! Bigrams and words keep their positions in each document (unigrams, the
//! most numerous postings, keep none: a lone character is never part of a
//! phrase check), so the page can tell a phrase — its pieces at consecutive
//! positions — from the same pieces scattered, exactly.
//!
//! Text is folded first ([`super::fold`]): half-width, lower case, simplified.

use std::collections::HashMap;
use std::hash::{BuildHasherDefault, Hasher};

use super::fold;

/// A hasher for terms (a few bytes each, hashed millions of times per
/// build): FxHash's multiply and rotate, eight bytes at a time. Not
/// resistant to chosen collisions, which only an approved article could
/// aim at, and only to slow its own build down.
#[derive(Default, Clone, Copy)]
pub struct TermHasher(u64);

impl Hasher for TermHasher {
    fn write(&mut self, bytes: &[u8]) {
        const SEED: u64 = 0x51_7c_c1_b7_27_22_0a_95;
        let mut chunks = bytes.chunks_exact(8);
        for chunk in &mut chunks {
            let mut word = [0u8; 8];
            word.copy_from_slice(chunk);
            self.0 = (self.0.rotate_left(5) ^ u64::from_le_bytes(word)).wrapping_mul(SEED);
        }
        for &byte in chunks.remainder() {
            self.0 = (self.0.rotate_left(5) ^ u64::from(byte)).wrapping_mul(SEED);
        }
    }

    fn finish(&self) -> u64 {
        self.0
    }
}

/// A map keyed by terms.
pub type TermMap<K, V> = HashMap<K, V, BuildHasherDefault<TermHasher>>;

/// Longest word kept, in characters: longer runs (a pasted hash, a long
/// number) are cut, in the index and in queries alike.
pub const MAX_WORD_CHARS: usize = 32;

/// Where in a document a term was seen: bits of a posting's flags.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Field {
    Title = 1,
    /// 文号, 索引号, 发文机关, tags and the column's name.
    Meta = 2,
    Body = 0,
}

/// The first character of filter terms: a control character, which no
/// folded text term ever contains.
pub const FILTER_PREFIX: char = '\u{1}';

/// A term's postings carry positions unless the term is a unigram or a
/// filter: those are never part of a phrase check.
pub fn has_positions(term: &str) -> bool {
    let mut chars = term.chars();
    match (chars.next(), chars.next()) {
        (Some(FILTER_PREFIX), _) => false,
        (Some(c), None) => !is_cjk(c),
        _ => true,
    }
}

/// Characters read one unit each. Han ideographs (with 〇), kana and hangul.
pub fn is_cjk(c: char) -> bool {
    matches!(u32::from(c),
        0x3007
        | 0x3040..=0x30FF
        | 0x3400..=0x4DBF
        | 0x4E00..=0x9FFF
        | 0xAC00..=0xD7AF
        | 0xF900..=0xFAFF
        | 0x20000..=0x323AF)
}

/// Characters that make up words: letters and digits of any script, other
/// than the CJK characters read one by one.
fn is_word(c: char) -> bool {
    c.is_alphanumeric() && !is_cjk(c)
}

/// What one document contributes to the index: each term with its fields
/// and positions.
#[derive(Default)]
pub struct DocumentTerms {
    pub terms: TermMap<String, Posting>,
    /// The next free position.
    position: u32,
}

/// One term in one document.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Posting {
    /// [`Field`] bits.
    pub flags: u8,
    /// Every position the term starts at, ascending (none for unigrams).
    pub positions: Vec<u32>,
}

/// A unit of text: one CJK character, or one run of letters and digits,
/// as a range of the folded text.
struct Unit {
    start: usize,
    end: usize,
    /// The next character follows with nothing between (a bigram is formed
    /// only inside an unbroken run of CJK characters, whose bytes are then
    /// contiguous in the folded text).
    joined: bool,
}

/// The units of `text`, and the folded text they are ranges of (only units
/// are written to it: what separates them is not).
fn units(text: &str) -> (String, Vec<Unit>) {
    let table = fold::table();
    let mut folded = String::with_capacity(text.len());
    let mut units: Vec<Unit> = Vec::new();
    let mut word_chars = 0;
    let mut in_word = false;
    let mut previous_cjk = false;
    for c in text.chars().map(|c| fold::fold(c, table)) {
        if is_word(c) {
            if !in_word {
                units.push(Unit {
                    start: folded.len(),
                    end: folded.len(),
                    joined: false,
                });
                word_chars = 0;
                in_word = true;
            }
            if word_chars < MAX_WORD_CHARS {
                folded.push(c);
                if let Some(word) = units.last_mut() {
                    word.end = folded.len();
                }
            }
            word_chars += 1;
            previous_cjk = false;
            continue;
        }
        in_word = false;
        if is_cjk(c) {
            if previous_cjk && let Some(before) = units.last_mut() {
                before.joined = true;
            }
            let start = folded.len();
            folded.push(c);
            units.push(Unit {
                start,
                end: folded.len(),
                joined: false,
            });
            previous_cjk = true;
        } else {
            previous_cjk = false;
        }
    }
    (folded, units)
}

impl DocumentTerms {
    /// Add a stretch of text, as one field. Stretches are kept apart by a
    /// position, so no phrase spans two of them.
    pub fn add(&mut self, text: &str, field: Field) {
        let (folded, units) = units(text);
        let start = self.position;
        for (index, unit) in units.iter().enumerate() {
            let at = start + index as u32;
            self.note(&folded[unit.start..unit.end], at, field);
            if unit.joined
                && let Some(second) = units.get(index + 1)
            {
                self.note(&folded[unit.start..second.end], at, field);
            }
        }
        self.position = start + units.len() as u32 + 1;
    }

    /// Mark the document as belonging to a filter value (a column path).
    pub fn add_filter(&mut self, value: &str) {
        self.terms
            .entry(format!("{FILTER_PREFIX}{value}"))
            .or_default();
    }

    fn note(&mut self, term: &str, position: u32, field: Field) {
        let posting = match self.terms.get_mut(term) {
            Some(posting) => posting,
            None => self.terms.entry(term.to_string()).or_default(),
        };
        posting.flags |= field as u8;
        if has_positions(term) {
            posting.positions.push(position);
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn terms(text: &str) -> Vec<(String, Posting)> {
        let mut document = DocumentTerms::default();
        document.add(text, Field::Body);
        let mut terms: Vec<_> = document.terms.into_iter().collect();
        terms.sort_by(|a, b| a.0.cmp(&b.0));
        terms
    }

    fn names(text: &str) -> Vec<String> {
        terms(text).into_iter().map(|(term, _)| term).collect()
    }

    #[test]
    fn chinese_runs_become_bigrams_and_unigrams() {
        assert_eq!(
            names("科技创新"),
            ["创", "创新", "技", "技创", "新", "科", "科技"]
        );
        // Punctuation ends a run: no bigram across it.
        assert!(!names("科技。创新").contains(&"技创".to_string()));
    }

    #[test]
    fn numbers_words_and_mixed_terms() {
        assert_eq!(names("0871-65550100"), ["0871", "65550100"]);
        let doc_number = names("云科协发〔2026〕12号");
        for term in ["云科", "科协", "协发", "2026", "12", "号"] {
            assert!(
                doc_number.contains(&term.to_string()),
                "{term} in {doc_number:?}"
            );
        }
        assert_eq!(names("５Ｇ基站"), ["5g", "基", "基站", "站"]);
        assert_eq!(names("COVID-19 Vaccine"), ["19", "covid", "vaccine"]);
    }

    #[test]
    fn traditional_text_is_indexed_as_simplified() {
        assert!(names("數字經濟").contains(&"数字".to_string()));
    }

    #[test]
    fn positions_are_kept_for_bigrams_and_words() {
        // 0871 at unit 0, 65550100 at unit 1; a separator takes no position.
        let found = terms("0871-65550100");
        assert_eq!(found[0].1.positions, [0]);
        assert_eq!(found[1].1.positions, [1]);
        // Unigrams carry no positions; bigrams do.
        let found: HashMap<_, _> = terms("科技科技").into_iter().collect();
        assert!(found["科"].positions.is_empty());
        assert_eq!(found["科技"].positions, [0, 2]);
        assert_eq!(found["技科"].positions, [1]);
    }

    #[test]
    fn fields_are_flagged_and_kept_apart() {
        let mut document = DocumentTerms::default();
        document.add("科技", Field::Title);
        document.add("技术", Field::Body);
        assert_eq!(document.terms["科技"].flags, Field::Title as u8);
        assert_eq!(document.terms["技"].flags, Field::Title as u8);
        assert!(!document.terms.contains_key("技技"));
        // 技术 starts at 3: the title took units 0 and 1, and one more keeps fields apart.
        assert_eq!(document.terms["技术"].positions, [3]);
    }

    #[test]
    fn long_words_are_cut() {
        let long = "a".repeat(100);
        assert_eq!(names(&long), ["a".repeat(MAX_WORD_CHARS)]);
    }
}
