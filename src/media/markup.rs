//! Markup (HTML, SVG, other XML) read the way a browser reads it: what text
//! it shows or carries, and whether anything in it can run.
//!
//! html5ever's tokenizer (already in the build through ammonia) does the
//! reading, so character references are decoded exactly as a browser
//! decodes them — numeric ones, the whole HTML5 table of named ones, with
//! and without the semicolon — and a tag split or garbled on purpose is
//! read as the browser would read it. Only the tokenizer is used, not a tree
//! builder: the text a page shows and the elements that run do not depend
//! on how the tree would be repaired.
//!
//! XML (SVG included) is tokenized the same way, which decodes a superset of
//! what an XML parser decodes; CDATA sections are read as text. An XML file
//! may declare entities of its own in its DOCTYPE (`<!ENTITY n "138…">`),
//! which a browser expands: they are expanded here first, within a budget,
//! so a number or a `<script>` hidden behind `&n;` is seen.

use std::cell::RefCell;
use std::collections::BTreeMap;
use std::fmt::Write as _;

use html5ever::tendril::StrTendril;
use html5ever::tokenizer::states::RawKind;
use html5ever::tokenizer::{
    BufferQueue, Tag, TagKind, Token, TokenSink, TokenSinkResult, Tokenizer, TokenizerOpts,
};

use super::active::Active;
use super::sniff::local_name;

/// How a piece of markup is tokenized.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Dialect {
    /// HTML: script and style hold raw text, CDATA is a comment.
    Html,
    /// XML (SVG): no raw text elements, CDATA is text, internal entities
    /// are expanded.
    Xml,
}

/// What a piece of markup shows, carries and runs.
#[derive(Debug, Default)]
pub(crate) struct MarkupText {
    /// The text shown as the document's body: character data outside the
    /// parts below, one line per block (`<p>`, `<div>`, `<br>`, SVG
    /// `<text>` …), table cells apart.
    pub body: String,
    /// Character data of elements that are not the body — `title`, `desc`,
    /// `metadata`, `script`, `style` — by element name, one line each.
    pub parts: BTreeMap<String, String>,
    /// Attribute values by attribute name, one line each. Geometry and
    /// paint (`d`, `points`, `fill` …) are left out: numbers, never prose.
    pub attributes: BTreeMap<String, String>,
    /// Comments and processing instructions, one per line.
    pub comments: String,
    /// Values of the entities a DOCTYPE declares, one per line.
    pub entities: String,
    /// Everything found that can run, in document order.
    pub active: Vec<Active>,
    /// Entity expansion stopped at its budget (an "entity bomb").
    pub expansion_stopped: bool,
}

/// Read markup.
pub(crate) fn read(text: &str, dialect: Dialect) -> MarkupText {
    let (expanded, entities, expansion_stopped) = match dialect {
        Dialect::Xml => expand_entities(text),
        Dialect::Html => (std::borrow::Cow::Borrowed(text), String::new(), false),
    };
    let mut result = tokenize(&expanded, dialect);
    result.entities = entities;
    result.expansion_stopped = expansion_stopped;
    result
}

/// Run the tokenizer over `text`.
fn tokenize(text: &str, dialect: Dialect) -> MarkupText {
    let sink = Reader {
        dialect,
        state: RefCell::new(State::default()),
    };
    let tokenizer = Tokenizer::new(sink, TokenizerOpts::default());
    let queue = BufferQueue::default();
    queue.push_back(StrTendril::from_slice(text));
    // The reader never suspends the tokenizer (no script runs here), so one
    // feed reads everything; the loop only guards against a future change.
    for _ in 0..16 {
        let _ = tokenizer.feed(&queue);
        if queue.is_empty() {
            break;
        }
    }
    tokenizer.end();
    let state = tokenizer.sink.state.into_inner();
    state.text
}

/// Elements whose character data is kept apart from the body.
const PARTS: &[&str] = &["title", "desc", "metadata", "script", "style"];

/// Elements that start a new line of text where they open and close.
pub(crate) const BLOCKS: &[&str] = &[
    "address",
    "article",
    "aside",
    "blockquote",
    "br",
    "caption",
    "dd",
    "details",
    "dialog",
    "div",
    "dl",
    "dt",
    "fieldset",
    "figcaption",
    "figure",
    "footer",
    "form",
    "h1",
    "h2",
    "h3",
    "h4",
    "h5",
    "h6",
    "header",
    "hr",
    "li",
    "main",
    "nav",
    "ol",
    "option",
    "p",
    "pre",
    "section",
    "summary",
    "table",
    "text",
    "tr",
    "ul",
];

/// Elements whose white space is shown as written.
const PREFORMATTED: &[&str] = &["pre", "textarea", "listing", "plaintext", "xmp"];

/// Table cells: side by side, never one run of digits.
pub(crate) const CELLS: &[&str] = &["td", "th"];

/// Attributes that hold geometry, paint or namespace names: never prose.
const NOT_TEXT_ATTRIBUTES: &[&str] = &[
    "d",
    "points",
    "transform",
    "viewbox",
    "x",
    "y",
    "x1",
    "x2",
    "y1",
    "y2",
    "dx",
    "dy",
    "cx",
    "cy",
    "r",
    "rx",
    "ry",
    "fx",
    "fy",
    "width",
    "height",
    "opacity",
    "offset",
    "style",
    "class",
    "version",
    "preserveaspectratio",
    "gradienttransform",
    "gradientunits",
    "patternunits",
    "patterntransform",
    "text-anchor",
    "dominant-baseline",
    "enable-background",
    "xml:space",
];

/// Prefixes of such attributes (`stroke-width`, `font-size`, `xmlns:svg` …).
const NOT_TEXT_PREFIXES: &[&str] = &[
    "fill", "stroke", "font", "xmlns", "clip", "stop-", "color", "mask", "filter",
];

/// Distinct attribute names kept apart; the rest share one entry.
const MAX_ATTRIBUTE_NAMES: usize = 64;

/// At most this many findings of what runs are kept: one is enough to
/// block, a few help to fix.
const MAX_ACTIVE: usize = 64;

/// How deep `title`/`desc`/`metadata`/`script`/`style` are tracked.
const MAX_PART_DEPTH: usize = 64;

/// Elements that can run script or load a page.
const EMBEDDING: &[&str] = &[
    "iframe",
    "embed",
    "object",
    "frame",
    "frameset",
    "applet",
    "portal",
    "fencedframe",
];

#[derive(Default)]
struct State {
    text: MarkupText,
    /// Open elements whose text goes to `parts`, innermost last.
    open_parts: Vec<String>,
    /// Inside `<pre>`, `<textarea>`, `<listing>`: white space shown as written.
    preformatted: usize,
    /// White space waiting for the next character: a space, unless it was
    /// only line breaks between two CJK characters (shown as nothing).
    pending_space: Option<bool>,
}

struct Reader {
    dialect: Dialect,
    state: RefCell<State>,
}

impl State {
    /// Where character data goes now.
    fn target(&mut self) -> &mut String {
        match self.open_parts.last() {
            Some(part) => self.text.parts.entry(part.clone()).or_default(),
            None => &mut self.text.body,
        }
    }

    fn separate(&mut self, separator: char) {
        self.pending_space = None;
        let target = self.target();
        if separator == '\n' && target.ends_with('\t') {
            target.pop();
        }
        if !target.is_empty() && !target.ends_with(['\n', '\t']) {
            target.push(separator);
        }
    }

    /// Character data, its white space collapsed as a browser shows it
    /// (kept as written in preformatted elements, scripts and styles).
    fn characters(&mut self, text: &str) {
        let raw = self.preformatted > 0
            || self
                .open_parts
                .last()
                .is_some_and(|part| part == "script" || part == "style");
        if raw {
            self.pending_space = None;
            self.target().push_str(text);
            return;
        }
        let mut pending = self.pending_space.take();
        let target = self.target();
        for c in text.chars() {
            if matches!(c, ' ' | '\t' | '\n' | '\r' | '\x0C') {
                let line_break_only = c == '\n' || c == '\r';
                pending = Some(pending.unwrap_or(true) && line_break_only);
                continue;
            }
            if let Some(line_break_only) = pending.take() {
                let before = target.chars().next_back();
                let joins = line_break_only && before.is_some_and(is_cjk) && is_cjk(c);
                if !joins && before.is_some_and(|b| b != '\n' && b != '\t') {
                    target.push(' ');
                }
            }
            target.push(c);
        }
        self.pending_space = pending;
    }

    fn attribute(&mut self, name: &str, value: &str) {
        if value.trim().is_empty()
            || NOT_TEXT_ATTRIBUTES.contains(&name)
            || NOT_TEXT_PREFIXES.iter().any(|p| name.starts_with(p))
        {
            return;
        }
        let attributes = &mut self.text.attributes;
        let key = if attributes.len() < MAX_ATTRIBUTE_NAMES || attributes.contains_key(name) {
            name.to_string()
        } else {
            "*".to_string()
        };
        let entry = attributes.entry(key).or_default();
        entry.push_str(value.trim());
        entry.push('\n');
    }

    fn tag(&mut self, tag: &Tag) {
        let name = str::to_ascii_lowercase(&tag.name);
        let local = local_name(&name).to_string();
        match tag.kind {
            TagKind::StartTag => {
                self.runs(&local, tag);
                for attribute in &tag.attrs {
                    let attribute_name = str::to_ascii_lowercase(&attribute.name.local);
                    self.attribute(&attribute_name, &attribute.value);
                }
                if CELLS.contains(&local.as_str()) {
                    self.separate('\t');
                } else if BLOCKS.contains(&local.as_str()) {
                    self.separate('\n');
                }
                if PREFORMATTED.contains(&local.as_str()) && !tag.self_closing {
                    self.preformatted += 1;
                }
                if PARTS.contains(&local.as_str())
                    && !tag.self_closing
                    && self.open_parts.len() < MAX_PART_DEPTH
                {
                    self.open_parts.push(local);
                }
            }
            TagKind::EndTag => {
                if PREFORMATTED.contains(&local.as_str()) {
                    self.preformatted = self.preformatted.saturating_sub(1);
                }
                if let Some(at) = self.open_parts.iter().rposition(|p| *p == local) {
                    let part = self.target();
                    if !part.ends_with('\n') {
                        part.push('\n');
                    }
                    self.open_parts.truncate(at);
                } else if BLOCKS.contains(&local.as_str()) {
                    self.separate('\n');
                } else if CELLS.contains(&local.as_str()) {
                    self.separate('\t');
                }
            }
        }
    }

    /// What in a start tag can run.
    fn runs(&mut self, local: &str, tag: &Tag) {
        if self.text.active.len() >= MAX_ACTIVE {
            return;
        }
        let element = local.to_string();
        let active = &mut self.text.active;
        if matches!(local, "script" | "handler" | "listener") {
            active.push(Active::Script { element });
        } else if local == "foreignobject" {
            active.push(Active::ForeignObject);
        } else if EMBEDDING.contains(&local) {
            active.push(Active::Embedded { element });
        }
        for attribute in &tag.attrs {
            let name = str::to_ascii_lowercase(&attribute.name.local);
            let attribute_local = local_name(&name);
            if attribute_local.len() > 2
                && attribute_local.starts_with("on")
                && attribute_local[2..]
                    .chars()
                    .all(|c| c.is_ascii_alphabetic())
            {
                active.push(Active::EventHandler {
                    element: local.to_string(),
                    attribute: name.clone(),
                });
            } else if is_script_url(&attribute.value) {
                active.push(Active::ScriptUrl {
                    element: local.to_string(),
                    attribute: name.clone(),
                });
            }
        }
    }

    fn comment(&mut self, comment: &str) {
        if let Some(instruction) = comment.strip_prefix("?xml-stylesheet")
            && is_xsl_instruction(instruction)
            && self.text.active.len() < MAX_ACTIVE
        {
            self.text.active.push(Active::XslStylesheet);
        }
        let comment = comment.trim();
        if !comment.is_empty() {
            let _ = writeln!(self.text.comments, "{comment}");
        }
    }
}

/// A `javascript:` or `vbscript:` URL anywhere in an attribute value, read as
/// a browser reads a URL: ASCII white space and control characters inside
/// the scheme are ignored, case does not matter. Anywhere, not only at the
/// start, because SVG animation lists values (`values="a;javascript:…"`).
fn is_script_url(value: &str) -> bool {
    if !value.contains(':') {
        return false;
    }
    let squeezed: String = value
        .chars()
        .filter(|c| !c.is_ascii_whitespace() && !c.is_ascii_control())
        .map(|c| c.to_ascii_lowercase())
        .collect();
    squeezed.contains("javascript:") || squeezed.contains("vbscript:")
}

/// An `xml-stylesheet` instruction that is not plain CSS: XSLT turns the
/// document into a page, which can hold script.
fn is_xsl_instruction(instruction: &str) -> bool {
    let squeezed: String = instruction
        .chars()
        .filter(|c| !c.is_whitespace())
        .map(|c| c.to_ascii_lowercase())
        .collect();
    !(squeezed.contains("type=\"text/css\"") || squeezed.contains("type='text/css'"))
}

impl TokenSink for Reader {
    type Handle = ();

    fn process_token(&self, token: Token, _line: u64) -> TokenSinkResult<()> {
        let mut state = self.state.borrow_mut();
        match token {
            Token::CharacterTokens(text) => state.characters(&text),
            Token::CommentToken(comment) => state.comment(&comment),
            Token::TagToken(tag) => {
                state.tag(&tag);
                if self.dialect == Dialect::Html && tag.kind == TagKind::StartTag {
                    // The elements whose content a browser does not read as
                    // markup (HTML's raw text and RCDATA elements).
                    match &*tag.name {
                        "script" => return TokenSinkResult::RawData(RawKind::ScriptData),
                        "style" | "xmp" | "iframe" | "noembed" | "noframes" => {
                            return TokenSinkResult::RawData(RawKind::Rawtext);
                        }
                        "title" | "textarea" => {
                            return TokenSinkResult::RawData(RawKind::Rcdata);
                        }
                        "plaintext" => return TokenSinkResult::Plaintext,
                        _ => {}
                    }
                }
            }
            Token::DoctypeToken(_)
            | Token::NullCharacterToken
            | Token::EOFToken
            | Token::ParseError(_) => {}
        }
        TokenSinkResult::Continue
    }

    fn adjusted_current_node_present_but_not_in_html_namespace(&self) -> bool {
        // CDATA sections are text in XML.
        self.dialect == Dialect::Xml
    }
}

/// Characters of writing without spaces between words (CJK ideographs,
/// kana, hangul, and the punctuation Chinese text uses): a line break
/// between two of them is shown as nothing, as the renderer does.
pub(crate) fn is_cjk(c: char) -> bool {
    const RANGES: &[(char, char)] = &[
        ('\u{1100}', '\u{11FF}'),
        ('\u{2E80}', '\u{2FFF}'),
        ('\u{3000}', '\u{33FF}'),
        ('\u{3400}', '\u{4DBF}'),
        ('\u{4E00}', '\u{9FFF}'),
        ('\u{A960}', '\u{A97F}'),
        ('\u{AC00}', '\u{D7FF}'),
        ('\u{F900}', '\u{FAFF}'),
        ('\u{FE10}', '\u{FE1F}'),
        ('\u{FE30}', '\u{FE6F}'),
        ('\u{FF00}', '\u{FFEF}'),
        ('\u{20000}', '\u{3FFFF}'),
        ('\u{2014}', '\u{2015}'),
        ('\u{2018}', '\u{2019}'),
        ('\u{201C}', '\u{201D}'),
        ('\u{2026}', '\u{2026}'),
        ('\u{00B7}', '\u{00B7}'),
    ];
    RANGES.iter().any(|(low, high)| (*low..=*high).contains(&c))
}

/// The most an entity expansion may add, beyond the document itself.
const EXPANSION_BUDGET: usize = 4 << 20;

/// How deep entities may refer to entities.
const EXPANSION_DEPTH: usize = 8;

/// At most this many entities are declared and expanded.
const MAX_ENTITIES: usize = 1024;

/// Expand the general entities an XML document's internal DTD subset
/// declares, in the document after the DOCTYPE (which is left without its
/// subset). Returns the text, the declared values (one per line), and
/// whether the budget stopped the expansion.
fn expand_entities(text: &str) -> (std::borrow::Cow<'_, str>, String, bool) {
    use std::borrow::Cow;
    let Some((before, subset, after)) = internal_subset(text) else {
        return (Cow::Borrowed(text), String::new(), false);
    };
    let entities = declarations(subset);
    let mut declared = String::new();
    for value in entities.values() {
        let _ = writeln!(declared, "{value}");
    }
    if entities.is_empty() {
        return (Cow::Owned(format!("{before}{after}")), declared, false);
    }
    let mut out = String::with_capacity(text.len());
    out.push_str(before);
    let mut budget = EXPANSION_BUDGET;
    let stopped = !expand(after, &entities, EXPANSION_DEPTH, &mut budget, &mut out);
    (Cow::Owned(out), declared, stopped)
}

/// Append `text` with the entities expanded; false when the budget or the
/// depth ran out (the rest is appended unexpanded).
fn expand(
    text: &str,
    entities: &BTreeMap<String, String>,
    depth: usize,
    budget: &mut usize,
    out: &mut String,
) -> bool {
    let mut rest = text;
    let mut complete = true;
    while let Some(at) = rest.find('&') {
        out.push_str(&rest[..at]);
        rest = &rest[at..];
        let name_end = rest[1..]
            .find(|c: char| !(c.is_alphanumeric() || matches!(c, '_' | '-' | '.' | ':')))
            .map(|e| e + 1);
        let value = name_end
            .filter(|&e| rest[e..].starts_with(';'))
            .and_then(|e| Some((entities.get(&rest[1..e])?, e)));
        match value {
            Some((value, end)) if complete && depth > 0 && value.len() <= *budget => {
                *budget -= value.len();
                complete &= expand(value, entities, depth - 1, budget, out);
                rest = &rest[end + 1..];
            }
            Some(_) => {
                complete = false;
                out.push('&');
                rest = &rest[1..];
            }
            None => {
                out.push('&');
                rest = &rest[1..];
            }
        }
    }
    out.push_str(rest);
    complete
}

/// Split a document at its DOCTYPE's internal subset: the text before the
/// `[`, the subset, and the text from the `]` on (the `]` dropped).
fn internal_subset(text: &str) -> Option<(&str, &str, &str)> {
    let doctype = text.find("<!DOCTYPE")?;
    // The DOCTYPE comes before the root element.
    if root_before(text, doctype) {
        return None;
    }
    let open = doctype + text[doctype..].find(['[', '>'])?;
    if text.as_bytes()[open] != b'[' {
        return None;
    }
    let subset_start = open + 1;
    let close = subset_start + subset_end(&text[subset_start..])?;
    Some((
        &text[..open],
        &text[subset_start..close],
        &text[close + 1..],
    ))
}

/// Whether an element starts before `position` (then a later DOCTYPE is text).
fn root_before(text: &str, position: usize) -> bool {
    text[..position]
        .match_indices('<')
        .any(|(at, _)| text[at + 1..].starts_with(|c: char| c.is_alphabetic()))
}

/// Where the internal subset ends: the first `]` outside declarations'
/// quoted values and comments.
fn subset_end(subset: &str) -> Option<usize> {
    let mut quote: Option<char> = None;
    let mut chars = subset.char_indices().peekable();
    while let Some((at, c)) = chars.next() {
        match quote {
            Some(open) if c == open => quote = None,
            Some(_) => {}
            None if c == '"' || c == '\'' => quote = Some(c),
            None if c == ']' => return Some(at),
            None if subset[at..].starts_with("<!--") => {
                let end = subset[at + 4..].find("-->")? + at + 4 + 3;
                while chars.peek().is_some_and(|(i, _)| *i < end) {
                    chars.next();
                }
            }
            None => {}
        }
    }
    None
}

/// General entities declared with a literal value: `<!ENTITY name "value">`.
/// Parameter entities and external ones (SYSTEM, PUBLIC), which browsers do
/// not load, are left out.
fn declarations(subset: &str) -> BTreeMap<String, String> {
    let mut entities = BTreeMap::new();
    let mut rest = subset;
    while let Some(at) = rest.find("<!ENTITY") {
        rest = rest[at + "<!ENTITY".len()..].trim_start();
        if rest.starts_with('%') {
            continue;
        }
        let name_end = rest
            .find(|c: char| c.is_whitespace() || c == '"' || c == '\'')
            .unwrap_or(rest.len());
        let name = &rest[..name_end];
        let after = rest[name_end..].trim_start();
        let Some(quote) = after.chars().next().filter(|c| *c == '"' || *c == '\'') else {
            continue;
        };
        let Some(end) = after[1..].find(quote) else {
            break;
        };
        if !name.is_empty() && entities.len() < MAX_ENTITIES {
            entities
                .entry(name.to_string())
                .or_insert_with(|| after[1..1 + end].to_string());
        }
        rest = &after[1 + end + 1..];
    }
    entities
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn character_references_are_decoded_as_a_browser_decodes_them() {
        let read = super::read(
            "<p>1381234&#53;678</p><p>&#x31;&#51;8 1234 5678&nbsp;&amp;&lt;b&gt; &copy 11010519491231002&#88;</p>",
            Dialect::Html,
        );
        assert_eq!(
            read.body,
            "13812345678\n138 1234 5678\u{A0}&<b> © 11010519491231002X\n"
        );
    }

    #[test]
    fn inline_elements_join_blocks_and_cells_separate() {
        let read = super::read(
            "<div><span>138</span>1234<b>5678</b></div><table><tr><td>2026</td><td>13812345678</td></tr></table>",
            Dialect::Html,
        );
        assert_eq!(read.body, "13812345678\n2026\t13812345678\n");
    }

    #[test]
    fn svg_parts_attributes_and_comments_are_apart_from_the_body() {
        let svg = r##"<?xml version="1.0" encoding="UTF-8"?>
<!-- 作者 张三 13812345678 -->
<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 100 100" aria-label="示意图">
  <title>示意图</title>
  <desc>秘密&#9733;1年</desc>
  <metadata><rdf:RDF><dc:creator>李四</dc:creator></rdf:RDF></metadata>
  <path d="M13812345678 0L1 1" fill="#138123"/>
  <text x="10" y="20">公开<tspan>文字</tspan></text>
  <text x="10" y="40"><![CDATA[第二行 & <不是标签>]]></text>
  <image href="data:image/png;base64,AAAA" alt="照片"/>
</svg>"##;
        let read = super::read(svg, Dialect::Xml);
        assert_eq!(read.body.trim(), "公开文字\n第二行 & <不是标签>");
        assert_eq!(read.parts["desc"], "秘密★1年\n");
        assert_eq!(read.parts["title"], "示意图\n");
        assert_eq!(read.parts["metadata"], "李四\n");
        assert_eq!(read.attributes["aria-label"], "示意图\n");
        assert_eq!(read.attributes["alt"], "照片\n");
        assert!(!read.attributes.contains_key("d"), "path data is not prose");
        assert!(!read.attributes.contains_key("fill"));
        assert!(read.comments.contains("作者 张三 13812345678"));
        assert!(read.comments.contains("?xml version"));
        assert!(read.active.is_empty(), "{:?}", read.active);
    }

    #[test]
    fn entities_a_doctype_declares_are_expanded() {
        let svg = r#"<?xml version="1.0"?>
<!DOCTYPE svg [
  <!ENTITY tail "12345678">
  <!ENTITY mark '秘密&#9733;1年'>
  <!-- a ] in a comment -->
  <!ENTITY run "<script>alert(1)</script>">
]>
<svg><text>138&tail;</text><desc>&mark;</desc>&run;</svg>"#;
        let read = super::read(svg, Dialect::Xml);
        assert!(read.body.contains("13812345678"), "{}", read.body);
        assert_eq!(read.parts["desc"], "秘密★1年\n");
        assert!(read.entities.contains("12345678"));
        assert_eq!(
            read.active,
            [Active::Script {
                element: "script".into()
            }]
        );
        assert!(!read.expansion_stopped);
    }

    #[test]
    fn an_entity_bomb_stops_at_its_budget() {
        let mut doctype =
            String::from("<!DOCTYPE lolz [<!ENTITY l0 \"lollollollollollollollollol\">");
        for level in 1..10 {
            let refs = format!("&l{};", level - 1).repeat(10);
            doctype.push_str(&format!("<!ENTITY l{level} \"{refs}\">"));
        }
        doctype.push_str("]><lolz>&l9;</lolz>");
        let read = super::read(&doctype, Dialect::Xml);
        assert!(read.expansion_stopped);
        assert!(read.body.len() <= EXPANSION_BUDGET + doctype.len());
    }

    #[test]
    fn what_runs_is_found_however_it_is_spelt() {
        let cases: [(&str, Active); 6] = [
            (
                "<svg><svg:script>x</svg:script></svg>",
                Active::Script {
                    element: "script".into(),
                },
            ),
            (
                "<svg onLoad = 'x'>",
                Active::EventHandler {
                    element: "svg".into(),
                    attribute: "onload".into(),
                },
            ),
            (
                "<svg><a xlink:href=\"&#x6A;ava&#x09;script&colon;alert(1)\">x</a></svg>",
                Active::ScriptUrl {
                    element: "a".into(),
                    attribute: "xlink:href".into(),
                },
            ),
            (
                "<svg><set attributeName=\"href\" to=\"JAVASCRIPT:x\"/></svg>",
                Active::ScriptUrl {
                    element: "set".into(),
                    attribute: "to".into(),
                },
            ),
            (
                "<svg><foreignObject><div>x</div></foreignObject></svg>",
                Active::ForeignObject,
            ),
            (
                "<?xml-stylesheet type=\"text/xsl\" href=\"t.xsl\"?><doc/>",
                Active::XslStylesheet,
            ),
        ];
        for (markup, expected) in cases {
            let read = super::read(markup, Dialect::Xml);
            assert_eq!(read.active.first(), Some(&expected), "{markup}");
        }
        let css = super::read(
            "<?xml-stylesheet type=\"text/css\" href=\"a.css\"?><doc/>",
            Dialect::Xml,
        );
        assert!(css.active.is_empty());
    }

    #[test]
    fn html_script_content_is_raw_text_kept_apart() {
        let read = super::read(
            "<p>正文</p><script>if (a<b) { x = '<p>13812345678</p>' }</script><style>p::after{content:'秘密'}</style>",
            Dialect::Html,
        );
        assert_eq!(read.body, "正文\n");
        assert!(read.parts["script"].contains("'<p>13812345678</p>'"));
        assert!(read.parts["style"].contains("秘密"));
    }
}
