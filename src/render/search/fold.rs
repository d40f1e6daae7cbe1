//! Folding characters so that the index and a query compare equal when a
//! reader would: full-width Latin letters and digits as half-width, upper
//! case as lower case, and traditional Chinese characters as simplified.
//!
//! The traditional→simplified table is not written by hand: it is OpenCC's
//! (the conversion tables most Chinese software uses, through the
//! `ferrous-opencc` crate), reduced to single characters by converting each
//! character of the CJK blocks on its own. Folding character by character
//! keeps the text's length, so a match found in folded text is at the same
//! place in the original, which is what snippets and highlighting need. The
//! same table is written into the site for the search page's script
//! ([`table_chunks`]), so a query is folded exactly as the index was.

use std::collections::HashMap;
use std::sync::OnceLock;

use ferrous_opencc::OpenCC;
use ferrous_opencc::config::BuiltinConfig;

/// The BMP block looked up by array: CJK Extension A and the URO.
const DENSE_START: u32 = 0x3400;
const DENSE_END: u32 = 0x9FFF;

/// Code point ranges whose characters are converted one by one to find the
/// table: the unified ideographs (BMP and astral) and the compatibility block.
const CANDIDATE_RANGES: &[(u32, u32)] = &[
    (DENSE_START, DENSE_END),
    (0xF900, 0xFAFF),
    (0x20000, 0x2EBEF),
];

/// Traditional character → simplified, for every character OpenCC converts
/// on its own.
pub struct Table {
    dense: Vec<char>,
    sparse: HashMap<char, char>,
    /// Sorted pairs, for [`table_chunks`].
    pairs: Vec<(char, char)>,
}

impl Table {
    fn build() -> Table {
        let candidates: Vec<char> = CANDIDATE_RANGES
            .iter()
            .flat_map(|&(start, end)| (start..=end).filter_map(char::from_u32))
            .collect();
        // One conversion over all candidates, one per line: phrases cannot
        // span a line, so each line converts as the character alone would.
        let mut joined = String::with_capacity(candidates.len() * 5);
        for c in &candidates {
            joined.push(*c);
            joined.push('\n');
        }
        // The general table first, then Taiwan's and Hong Kong's variant
        // characters (裡, 綫 …) for characters it leaves alone.
        let mut pairs: Vec<(char, char)> = Vec::new();
        let mut converted: Vec<Option<char>> = vec![None; candidates.len()];
        for config in [BuiltinConfig::T2s, BuiltinConfig::Tw2s, BuiltinConfig::Hk2s] {
            let Ok(opencc) = OpenCC::from_config(config) else {
                continue;
            };
            let output = opencc.convert(&joined);
            for ((slot, original), line) in
                converted.iter_mut().zip(&candidates).zip(output.lines())
            {
                let mut chars = line.chars();
                if let (None, Some(simple), None) = (*slot, chars.next(), chars.next())
                    && simple != *original
                {
                    *slot = Some(simple);
                }
            }
        }
        for (original, simple) in candidates.iter().zip(&converted) {
            if let Some(simple) = simple {
                pairs.push((*original, *simple));
            }
        }
        let mut dense: Vec<char> = (DENSE_START..=DENSE_END)
            .map(|c| char::from_u32(c).unwrap_or(' '))
            .collect();
        let mut sparse = HashMap::new();
        for &(from, to) in &pairs {
            let code = u32::from(from);
            if (DENSE_START..=DENSE_END).contains(&code) {
                dense[(code - DENSE_START) as usize] = to;
            } else {
                sparse.insert(from, to);
            }
        }
        Table {
            dense,
            sparse,
            pairs,
        }
    }

    fn simplified(&self, c: char) -> char {
        let code = u32::from(c);
        if (DENSE_START..=DENSE_END).contains(&code) {
            self.dense[(code - DENSE_START) as usize]
        } else if code < 0xF900 {
            c
        } else {
            self.sparse.get(&c).copied().unwrap_or(c)
        }
    }
}

/// The table, made on first use (about a tenth of a second).
pub fn table() -> &'static Table {
    static TABLE: OnceLock<Table> = OnceLock::new();
    TABLE.get_or_init(Table::build)
}

/// One character as the index compares it.
pub fn fold(c: char, table: &Table) -> char {
    match c {
        'A'..='Z' => c.to_ascii_lowercase(),
        c if c.is_ascii() => c,
        // Full-width ASCII (Ａ１！) and the ideographic space.
        '\u{FF01}'..='\u{FF5E}' => fold(char::from_u32(u32::from(c) - 0xFEE0).unwrap_or(c), table),
        '\u{3000}' => ' ',
        c if c.is_uppercase() => {
            let mut lower = c.to_lowercase();
            match (lower.next(), lower.next()) {
                (Some(single), None) => single,
                _ => c,
            }
        }
        c => table.simplified(c),
    }
}

/// The table as the search page's script reads it, in `chunks` parts (a
/// character is in part `code point % chunks`, so a query fetches only the
/// parts of its own characters): pairs of characters, traditional then
/// simplified, with nothing between them.
pub fn table_chunks(table: &Table, chunks: usize) -> Vec<String> {
    let mut parts = vec![String::new(); chunks.max(1)];
    let count = parts.len();
    for (from, to) in &table.pairs {
        let part = &mut parts[u32::from(*from) as usize % count];
        part.push(*from);
        part.push(*to);
    }
    parts
}

#[cfg(test)]
mod tests {
    use super::*;

    fn folded(text: &str) -> String {
        let table = table();
        text.chars().map(|c| fold(c, table)).collect()
    }

    #[test]
    fn widths_cases_and_traditional_characters_fold() {
        assert_eq!(folded("５Ｇ基站ＡＢＣ"), "5g基站abc");
        assert_eq!(folded("國務院關於發展數字經濟"), "国务院关于发展数字经济");
        assert_eq!(folded("臺灣裡綫"), "台湾里线");
        assert_eq!(folded("云州科协 0871-65550100"), "云州科协 0871-65550100");
        // Length is kept: offsets in folded text are offsets in the original.
        let text = "Ｈｅｌｌｏ，世界！國";
        assert_eq!(folded(text).chars().count(), text.chars().count());
    }

    #[test]
    fn the_table_is_opencc_sized_and_split_by_code_point() {
        let table = table();
        assert!(table.pairs.len() > 2500, "{} pairs", table.pairs.len());
        let parts = table_chunks(table, 16);
        let chars: usize = parts.iter().map(|p| p.chars().count()).sum();
        assert_eq!(chars, table.pairs.len() * 2);
        assert!(parts[u32::from('國') as usize % 16].contains("國国"));
    }
}
