//! Markdown → HTML for article bodies.
//!
//! pulldown-cmark does the parsing; this module adjusts its event stream for
//! what a Chinese institutional portal needs before the HTML is written:
//!
//! - writers hard-wrap Chinese paragraphs, and a line break between two
//!   Chinese characters must not turn into a visible space;
//! - headings get anchors that keep their Chinese characters, so links to
//!   `#第一章` work and a table of contents can be built;
//! - footnotes get ids of our own (`fn-1`, `fnref-1`) that cannot clash with
//!   heading anchors whatever the footnote labels are;
//! - tables are wrapped so that wide ones scroll on phones, and cell
//!   alignment uses `align` because the sanitiser removes every `style`;
//! - images load lazily;
//! - a 落款 — the issuing body's name and a date, alone in the last lines of
//!   a paragraph of their own — keeps its line breaks and is marked
//!   `class="signature"`, so the theme can set it right-aligned as 公文 are
//!   (GB/T 9704), instead of running it into one indented line.
//!
//! Raw HTML that writers put into Markdown is untrusted: the whole rendered
//! body goes through ammonia once, so a tag split across fragments cannot slip
//! past it. A column that explicitly allows raw HTML gets pulldown's output as
//! it is.
//!
//! Along the way it collects what the checks and the search index need:
//! headings, link and image targets with their source lines, and plain text.

use std::collections::{HashMap, HashSet};
use std::ops::Range;
use std::sync::LazyLock;

use pulldown_cmark::{Alignment, CowStr, Event, LinkType, Options, Parser, Tag, TagEnd};

/// How one body is rendered; decided per column by the caller.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct MarkdownOptions {
    /// Pass raw HTML through unsanitised (a column that explicitly allows it).
    pub allow_raw_html: bool,
}

/// A heading of the body, in document order.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Heading {
    /// 1 to 6.
    pub level: u8,
    /// The heading's text without markup.
    pub text: String,
    /// The `id` the rendered heading carries, unique within the body.
    pub anchor: String,
    /// 1-based line in the Markdown passed to [`render`].
    pub line: usize,
}

/// The target of a link in the rendered body.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct LinkRef {
    /// The destination as written (an email autolink gets its `mailto:`).
    pub href: String,
    /// 1-based line in the Markdown passed to [`render`].
    pub line: usize,
}

/// An image in the rendered body.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ImageRef {
    pub src: String,
    /// Empty when the writer gave none: the checks report that.
    pub alt: String,
    /// 1-based line in the Markdown passed to [`render`].
    pub line: usize,
}

/// Everything rendering one body produces.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RenderedMarkdown {
    /// Body HTML, sanitised unless raw HTML was allowed.
    pub html: String,
    pub headings: Vec<Heading>,
    /// Every link target kept in the body, Markdown and raw HTML alike.
    pub links: Vec<LinkRef>,
    /// Every image kept in the body, Markdown and raw HTML alike.
    pub images: Vec<ImageRef>,
    /// The text without markup, one block per line, for the search index and
    /// summaries. Soft breaks read as a space, or as nothing between CJK
    /// characters, exactly as in the HTML.
    pub plain_text: String,
    /// The text of the first paragraph that has any (for a page's
    /// description when the writer gave no summary); empty when none has.
    pub first_paragraph: String,
}

/// Renders one article body.
pub fn render(markdown: &str, options: &MarkdownOptions) -> RenderedMarkdown {
    let lines = LineIndex::new(markdown);
    let parsed: Vec<(Event<'_>, Range<usize>)> = Parser::new_ext(markdown, parser_options())
        .into_offset_iter()
        .collect();
    let events = take_explicit_heading_ids(parsed);
    let footnotes = FootnoteNumbers::assign(&events);
    let headings = assign_heading_anchors(&events, &lines, &footnotes);

    let mut body = BodyWriter {
        allow_raw_html: options.allow_raw_html,
        lines: &lines,
        footnotes: &footnotes,
        headings: &headings,
        next_heading: 0,
        output: Vec::with_capacity(events.len() + 8),
        links: Vec::new(),
        images: Vec::new(),
        plain_text: String::new(),
        table: TableState::default(),
        footnotes_cited: HashSet::new(),
        paragraph_start: None,
        first_paragraph: String::new(),
        in_footnote: false,
    };
    body.write(&events);
    let BodyWriter {
        output,
        links,
        images,
        plain_text,
        first_paragraph,
        ..
    } = body;

    let mut html = String::new();
    pulldown_cmark::html::push_html(&mut html, output.into_iter());
    if !options.allow_raw_html {
        html = if needs_sanitizer(&events) {
            SANITIZER.clean(&html).to_string()
        } else {
            // Void elements as the sanitiser writes them (`<br>`, not
            // `<br />`), so every page looks alike. Text never holds a bare
            // " />": pulldown-cmark escapes `>` in text and attributes.
            html.replace(" />", ">")
        };
    }
    RenderedMarkdown {
        html,
        headings,
        links,
        images,
        plain_text: tidy_plain_text(&plain_text),
        first_paragraph,
    }
}

/// Whether the body holds anything the sanitiser must see: raw HTML, or a
/// link or image whose URL scheme it would drop. Without either, every byte
/// of the output is pulldown-cmark's escaped rendering of text plus markup
/// this module writes itself, so running the (costly) HTML parser of the
/// sanitiser over it changes nothing that matters; most articles take this path.
fn needs_sanitizer(events: &[Spanned<'_>]) -> bool {
    events.iter().any(|(event, _)| match event {
        Event::Html(_) | Event::InlineHtml(_) => true,
        Event::Start(Tag::Link { dest_url, .. }) | Event::Start(Tag::Image { dest_url, .. }) => {
            !url_is_allowed(dest_url)
        }
        _ => false,
    })
}

/// One block per line, without the blank lines and stray spaces left where
/// markup (images, raw HTML) contributed no text.
fn tidy_plain_text(text: &str) -> String {
    text.lines()
        .map(str::trim)
        .filter(|line| !line.is_empty())
        .collect::<Vec<_>>()
        .join("\n")
}

/// Tables, footnotes, strikethrough and task lists on. Smart punctuation stays
/// off: Chinese text brings its own quotation marks and dashes. pulldown's
/// heading attributes stay off too, because they would silently eat a heading
/// that merely ends in braces (`附件{1}`); `{#id}` is handled here instead.
fn parser_options() -> Options {
    Options::ENABLE_TABLES
        | Options::ENABLE_FOOTNOTES
        | Options::ENABLE_STRIKETHROUGH
        | Options::ENABLE_TASKLISTS
}

type Spanned<'a> = (Event<'a>, Range<usize>);

/// Maps byte offsets to 1-based line numbers.
struct LineIndex {
    line_starts: Vec<usize>,
}

impl LineIndex {
    fn new(text: &str) -> Self {
        let line_starts = std::iter::once(0)
            .chain(text.match_indices('\n').map(|(at, _)| at + 1))
            .collect();
        LineIndex { line_starts }
    }

    fn line_of(&self, offset: usize) -> usize {
        self.line_starts.partition_point(|&start| start <= offset)
    }
}

/// Moves a trailing `{#custom-id}` out of a heading's text into its `id`.
fn take_explicit_heading_ids(events: Vec<Spanned<'_>>) -> Vec<Spanned<'_>> {
    let mut result = Vec::with_capacity(events.len());
    let mut remaining = events.into_iter();
    while let Some((event, range)) = remaining.next() {
        let Event::Start(Tag::Heading {
            level,
            id,
            classes,
            attrs,
        }) = event
        else {
            result.push((event, range));
            continue;
        };
        let mut inside = Vec::new();
        let mut end = None;
        for (event, range) in remaining.by_ref() {
            if matches!(event, Event::End(TagEnd::Heading(_))) {
                end = Some((event, range));
                break;
            }
            inside.push((event, range));
        }
        let explicit_id = split_trailing_text(&mut inside);
        result.push((
            Event::Start(Tag::Heading {
                level,
                id: explicit_id.map(CowStr::from).or(id),
                classes,
                attrs,
            }),
            range,
        ));
        result.extend(inside);
        result.extend(end);
    }
    result
}

/// If the heading's trailing text ends in `{#id}`, removes that from the
/// events and returns the id.
fn split_trailing_text(inside: &mut Vec<Spanned<'_>>) -> Option<String> {
    let run_start = inside
        .iter()
        .rposition(|(event, _)| !matches!(event, Event::Text(_)))
        .map_or(0, |last_other| last_other + 1);
    let run = &inside[run_start..];
    let (first_range, last_range) = (run.first()?.1.clone(), run.last()?.1.clone());
    let text: String = run
        .iter()
        .filter_map(|(event, _)| match event {
            Event::Text(text) => Some(text.as_ref()),
            _ => None,
        })
        .collect();
    let (before, id) = split_explicit_id(&text)?;
    let (before, id) = (before.to_string(), id.to_string());
    inside.truncate(run_start);
    if !before.is_empty() {
        inside.push((
            Event::Text(before.into()),
            first_range.start..last_range.end,
        ));
    }
    Some(id)
}

/// `标题 {#intro}` → (`标题`, `intro`). Only ids made of letters, digits and
/// `-_:.` count, so ordinary text in braces stays text.
fn split_explicit_id(text: &str) -> Option<(&str, &str)> {
    let inner = text.trim_end().strip_suffix('}')?;
    let open = inner.rfind("{#")?;
    let id = &inner[open + 2..];
    let id_is_plain = !id.is_empty()
        && id
            .chars()
            .all(|c| c.is_alphanumeric() || matches!(c, '-' | '_' | ':' | '.'));
    id_is_plain.then(|| (inner[..open].trim_end(), id))
}

/// Footnotes are numbered by first appearance, reference or definition, the
/// way pulldown numbers them.
struct FootnoteNumbers {
    numbers: HashMap<String, usize>,
    referenced: HashSet<String>,
}

impl FootnoteNumbers {
    fn assign(events: &[Spanned<'_>]) -> Self {
        let mut numbers = HashMap::new();
        let mut referenced = HashSet::new();
        for (event, _) in events {
            let label = match event {
                Event::FootnoteReference(label) => {
                    referenced.insert(label.to_string());
                    label
                }
                Event::Start(Tag::FootnoteDefinition(label)) => label,
                _ => continue,
            };
            let next = numbers.len() + 1;
            numbers.entry(label.to_string()).or_insert(next);
        }
        FootnoteNumbers {
            numbers,
            referenced,
        }
    }

    fn number(&self, label: &str) -> usize {
        // `assign` saw every label of the same events.
        self.numbers.get(label).copied().unwrap_or(0)
    }

    fn ids(&self) -> impl Iterator<Item = String> + '_ {
        self.numbers
            .values()
            .flat_map(|n| [definition_id(*n), reference_id(*n)])
    }
}

fn definition_id(number: usize) -> String {
    format!("fn-{number}")
}

fn reference_id(number: usize) -> String {
    format!("fnref-{number}")
}

/// Gives every heading a unique anchor. Footnote ids are taken first, then
/// explicit `{#id}`s (a writer who chose an id gets it even if an earlier
/// heading's text would have produced the same), then the generated ones, each
/// group in document order, so the result depends on the text alone.
fn assign_heading_anchors(
    events: &[Spanned<'_>],
    lines: &LineIndex,
    footnotes: &FootnoteNumbers,
) -> Vec<Heading> {
    let mut taken: HashSet<String> = footnotes.ids().collect();
    let mut found = Vec::new();
    let mut index = 0;
    while index < events.len() {
        if let (Event::Start(Tag::Heading { level, id, .. }), range) = &events[index] {
            let end = matching_end(events, index);
            found.push((
                *level as u8,
                inline_text(&events[index + 1..end]),
                id.as_ref().map(|id| id.to_string()),
                lines.line_of(range.start),
            ));
            index = end;
        }
        index += 1;
    }

    let mut anchors: Vec<Option<String>> = found
        .iter()
        .map(|(_, _, explicit, _)| {
            explicit
                .as_deref()
                .map(|id| claim_unique(&mut taken, id.to_string()))
        })
        .collect();
    for ((_, text, _, _), anchor) in found.iter().zip(anchors.iter_mut()) {
        if anchor.is_none() {
            *anchor = Some(claim_unique(&mut taken, slug(text)));
        }
    }
    found
        .into_iter()
        .zip(anchors)
        .map(|((level, text, _, line), anchor)| Heading {
            level,
            text,
            anchor: anchor.unwrap_or_default(),
            line,
        })
        .collect()
}

/// `base`, or the first free of `base-2`, `base-3`, ….
fn claim_unique(taken: &mut HashSet<String>, base: String) -> String {
    if taken.insert(base.clone()) {
        return base;
    }
    let mut suffix = 2;
    loop {
        let candidate = format!("{base}-{suffix}");
        if taken.insert(candidate.clone()) {
            return candidate;
        }
        suffix += 1;
    }
}

/// An anchor from heading text: letters (Chinese included) and digits stay,
/// ASCII is lower-cased, every run of anything else becomes one `-`.
fn slug(text: &str) -> String {
    let mut slug = String::with_capacity(text.len());
    let mut pending_dash = false;
    for c in text.chars() {
        if c.is_alphanumeric() {
            if pending_dash && !slug.is_empty() {
                slug.push('-');
            }
            pending_dash = false;
            slug.push(c.to_ascii_lowercase());
        } else {
            pending_dash = true;
        }
    }
    if slug.is_empty() {
        slug.push_str("section");
    }
    slug
}

/// Index of the `End` matching the `Start` at `start`.
fn matching_end(events: &[Spanned<'_>], start: usize) -> usize {
    let mut depth = 0usize;
    for (offset, (event, _)) in events[start..].iter().enumerate() {
        match event {
            Event::Start(_) => depth += 1,
            Event::End(_) => {
                depth -= 1;
                if depth == 0 {
                    return start + offset;
                }
            }
            _ => {}
        }
    }
    events.len().saturating_sub(1)
}

/// The text of inline events (a heading, an image's alt), soft breaks treated
/// as in the body.
fn inline_text(events: &[Spanned<'_>]) -> String {
    let mut text = String::new();
    for (index, (event, _)) in events.iter().enumerate() {
        match event {
            Event::Text(piece) | Event::Code(piece) => text.push_str(piece),
            Event::SoftBreak if !joins_cjk(events, index) => text.push(' '),
            Event::HardBreak => text.push(' '),
            _ => {}
        }
    }
    text.trim().to_string()
}

/// Whether the soft break at `index` sits between two CJK characters, looking
/// through inline formatting (`中文**\n**中文` joins too).
fn joins_cjk(events: &[Spanned<'_>], index: usize) -> bool {
    let before = events[..index]
        .iter()
        .rev()
        .map(|(event, _)| event)
        .find(|event| !is_inline_formatting(event));
    let after = events[index + 1..]
        .iter()
        .map(|(event, _)| event)
        .find(|event| !is_inline_formatting(event));
    let last_char = before.and_then(|event| event_text(event)?.chars().next_back());
    let first_char = after.and_then(|event| event_text(event)?.chars().next());
    matches!((last_char, first_char), (Some(a), Some(b)) if is_cjk(a) && is_cjk(b))
}

fn is_inline_formatting(event: &Event<'_>) -> bool {
    matches!(
        event,
        Event::Start(
            Tag::Emphasis
                | Tag::Strong
                | Tag::Strikethrough
                | Tag::Superscript
                | Tag::Subscript
                | Tag::Link { .. }
        ) | Event::End(
            TagEnd::Emphasis
                | TagEnd::Strong
                | TagEnd::Strikethrough
                | TagEnd::Superscript
                | TagEnd::Subscript
                | TagEnd::Link
        )
    )
}

fn event_text<'e>(event: &'e Event<'_>) -> Option<&'e str> {
    match event {
        Event::Text(text) | Event::Code(text) => Some(text),
        _ => None,
    }
}

/// Characters of Chinese, Japanese and Korean writing, which uses no spaces
/// between words: ideographs, kana, hangul, CJK and fullwidth punctuation, and
/// the general punctuation Chinese text uses (“”‘’—…·).
fn is_cjk(c: char) -> bool {
    matches!(
        c,
        '\u{1100}'..='\u{11FF}'     // Hangul Jamo
        | '\u{2E80}'..='\u{2FFF}'   // CJK and Kangxi radicals, description characters
        | '\u{3000}'..='\u{303F}'   // CJK symbols and punctuation: 、。《》「」【】
        | '\u{3040}'..='\u{30FF}'   // Hiragana, Katakana
        | '\u{3100}'..='\u{31FF}'   // Bopomofo, Hangul compatibility jamo, strokes
        | '\u{3200}'..='\u{33FF}'   // enclosed CJK, CJK compatibility
        | '\u{3400}'..='\u{4DBF}'   // Extension A
        | '\u{4E00}'..='\u{9FFF}'   // CJK Unified Ideographs
        | '\u{A960}'..='\u{A97F}'   // Hangul Jamo Extended-A
        | '\u{AC00}'..='\u{D7FF}'   // Hangul syllables, Jamo Extended-B
        | '\u{F900}'..='\u{FAFF}'   // CJK compatibility ideographs
        | '\u{FE10}'..='\u{FE1F}'   // vertical forms
        | '\u{FE30}'..='\u{FE6F}'   // CJK compatibility forms, small form variants
        | '\u{FF00}'..='\u{FFEF}'   // fullwidth forms: ，！？（）：；
        | '\u{20000}'..='\u{3FFFF}' // Extensions B and later
        | '\u{2014}' | '\u{2015}'   // — ―
        | '\u{2018}' | '\u{2019}' | '\u{201C}' | '\u{201D}' // ‘’“”
        | '\u{2026}' | '\u{00B7}'   // … ·
    )
}

/// Lets a wide table scroll sideways on a phone instead of widening the page.
const TABLE_WRAP_OPEN: &str = "<div class=\"table-wrap\">";

#[derive(Default)]
struct TableState {
    alignments: Vec<Alignment>,
    in_head: bool,
    column: usize,
}

/// Turns the parsed events into the events pulldown writes out, and collects
/// links, images and plain text on the way.
struct BodyWriter<'r, 'a> {
    allow_raw_html: bool,
    lines: &'r LineIndex,
    footnotes: &'r FootnoteNumbers,
    headings: &'r [Heading],
    next_heading: usize,
    output: Vec<Event<'a>>,
    links: Vec<LinkRef>,
    images: Vec<ImageRef>,
    plain_text: String,
    table: TableState,
    footnotes_cited: HashSet<usize>,
    /// Where the open paragraph's text starts in `plain_text`.
    paragraph_start: Option<usize>,
    first_paragraph: String,
    in_footnote: bool,
}

impl<'a> BodyWriter<'_, 'a> {
    fn write(&mut self, events: &[Spanned<'a>]) {
        let mut index = 0;
        while index < events.len() {
            let (event, range) = &events[index];
            let line = self.lines.line_of(range.start);
            match event {
                Event::Start(Tag::Paragraph) => {
                    let end = matching_end(events, index);
                    if let Some(lines) = signature_lines(&events[index + 1..end]) {
                        self.write_signature(&lines);
                        index = end + 1;
                        continue;
                    }
                    self.paragraph_start = Some(self.plain_text.len());
                    self.output.push(event.clone());
                }
                Event::End(TagEnd::Paragraph) => {
                    if let Some(start) = self.paragraph_start.take()
                        && self.first_paragraph.is_empty()
                        && !self.in_footnote
                    {
                        self.first_paragraph = self.plain_text[start..].trim().to_string();
                    }
                    self.output.push(event.clone());
                    self.end_block();
                }
                Event::Start(Tag::Heading { level, classes, .. }) => {
                    let anchor = self
                        .headings
                        .get(self.next_heading)
                        .map(|heading| heading.anchor.clone());
                    self.next_heading += 1;
                    self.output.push(Event::Start(Tag::Heading {
                        level: *level,
                        id: anchor.map(CowStr::from),
                        classes: classes.clone(),
                        attrs: Vec::new(),
                    }));
                }
                Event::Start(Tag::Link {
                    link_type,
                    dest_url,
                    ..
                }) => {
                    let href = match link_type {
                        LinkType::Email => format!("mailto:{dest_url}"),
                        _ => dest_url.to_string(),
                    };
                    self.record_link(href, line);
                    self.output.push(event.clone());
                }
                Event::Start(Tag::Image { dest_url, .. }) => {
                    let end = matching_end(events, index);
                    let image = &events[index..=end];
                    self.record_image(
                        dest_url.to_string(),
                        inline_text(&image[1..image.len() - 1]),
                        line,
                    );
                    self.output
                        .push(Event::InlineHtml(lazy_image_html(image).into()));
                    index = end;
                }
                Event::Start(Tag::Table(alignments)) => {
                    self.table = TableState {
                        alignments: alignments.clone(),
                        ..TableState::default()
                    };
                    self.output.push(Event::Html(TABLE_WRAP_OPEN.into()));
                    self.output.push(event.clone());
                }
                Event::End(TagEnd::Table) => {
                    self.output.push(event.clone());
                    self.output.push(Event::Html("</div>\n".into()));
                    self.end_block();
                }
                Event::Start(Tag::TableHead) => {
                    self.table.in_head = true;
                    self.table.column = 0;
                    self.output.push(event.clone());
                }
                Event::End(TagEnd::TableHead) => {
                    self.table.in_head = false;
                    self.output.push(event.clone());
                    self.end_block();
                }
                Event::Start(Tag::TableRow) => {
                    self.table.column = 0;
                    self.output.push(event.clone());
                }
                Event::Start(Tag::TableCell) => {
                    let cell = table_cell_open_tag(
                        self.table.in_head,
                        self.table.alignments.get(self.table.column),
                    );
                    self.table.column += 1;
                    self.output.push(Event::Html(cell.into()));
                }
                Event::End(TagEnd::TableCell) => {
                    self.output.push(event.clone());
                    self.plain_text.push(' ');
                }
                Event::FootnoteReference(label) => self.write_footnote_reference(label, line),
                Event::Start(Tag::FootnoteDefinition(label)) => {
                    self.in_footnote = true;
                    self.write_footnote_definition_start(label);
                }
                Event::End(TagEnd::FootnoteDefinition) => {
                    self.in_footnote = false;
                    self.output.push(Event::Html("</div>\n".into()));
                    self.end_block();
                }
                Event::SoftBreak => {
                    if !joins_cjk(events, index) {
                        self.output.push(Event::SoftBreak);
                        self.plain_text.push(' ');
                    }
                }
                Event::HardBreak => {
                    self.output.push(Event::HardBreak);
                    self.plain_text.push('\n');
                }
                Event::Text(text) | Event::Code(text) => {
                    self.plain_text.push_str(text);
                    self.output.push(event.clone());
                }
                Event::Html(fragment) => {
                    self.record_raw_html(fragment, line);
                    self.output
                        .push(Event::Html(wrap_raw_tables(fragment.clone())));
                }
                Event::InlineHtml(fragment) => {
                    self.record_raw_html(fragment, line);
                    self.output
                        .push(Event::InlineHtml(wrap_raw_tables(fragment.clone())));
                }
                Event::End(
                    TagEnd::Heading(_)
                    | TagEnd::Item
                    | TagEnd::CodeBlock
                    | TagEnd::BlockQuote(_)
                    | TagEnd::TableRow
                    | TagEnd::DefinitionListTitle
                    | TagEnd::DefinitionListDefinition,
                )
                | Event::Rule => {
                    self.output.push(event.clone());
                    self.end_block();
                }
                _ => self.output.push(event.clone()),
            }
            index += 1;
        }
    }

    /// `<p class="signature">` with one line per line of the 落款.
    fn write_signature(&mut self, lines: &[String]) {
        self.output
            .push(Event::Html("<p class=\"signature\">".into()));
        for (number, line) in lines.iter().enumerate() {
            if number > 0 {
                self.output.push(Event::InlineHtml("<br>".into()));
            }
            self.output.push(Event::Text(line.clone().into()));
        }
        self.output.push(Event::Html("</p>\n".into()));
        self.plain_text.push_str(&lines.join("\n"));
        self.end_block();
    }

    fn write_footnote_reference(&mut self, label: &str, line: usize) {
        let number = self.footnotes.number(label);
        let target = definition_id(number);
        self.record_link(format!("#{target}"), line);
        // Only the first reference carries the id the definition links back to.
        let id = if self.footnotes_cited.insert(number) {
            format!(" id=\"{}\"", reference_id(number))
        } else {
            String::new()
        };
        let html = format!(
            "<sup class=\"footnote-reference\"><a href=\"#{target}\"{id}>{number}</a></sup>"
        );
        self.output.push(Event::InlineHtml(html.into()));
    }

    fn write_footnote_definition_start(&mut self, label: &str) {
        let number = self.footnotes.number(label);
        let label_html = if self.footnotes.referenced.contains(label) {
            format!("<a href=\"#{}\">{number}</a>", reference_id(number))
        } else {
            number.to_string()
        };
        let html = format!(
            "<div class=\"footnote-definition\" id=\"{}\">\
             <sup class=\"footnote-definition-label\">{label_html}</sup>",
            definition_id(number)
        );
        self.output.push(Event::Html(html.into()));
    }

    fn end_block(&mut self) {
        if !self.plain_text.is_empty() && !self.plain_text.ends_with('\n') {
            let kept = self.plain_text.trim_end_matches([' ', '\t']).len();
            self.plain_text.truncate(kept);
            self.plain_text.push('\n');
        }
    }

    /// Keeps only what survives sanitising, so a check never reports a link
    /// the reader cannot see.
    fn record_link(&mut self, href: String, line: usize) {
        if self.allow_raw_html || url_is_allowed(&href) {
            self.links.push(LinkRef { href, line });
        }
    }

    fn record_image(&mut self, src: String, alt: String, line: usize) {
        if self.allow_raw_html || url_is_allowed(&src) {
            self.images.push(ImageRef { src, alt, line });
        }
    }

    fn record_raw_html(&mut self, fragment: &str, line: usize) {
        for tag in raw_html_tags(fragment) {
            let tag_line = line + fragment[..tag.offset].matches('\n').count();
            match tag.name.as_str() {
                "a" => {
                    if let Some(href) = tag.attribute("href") {
                        self.record_link(href.to_string(), tag_line);
                    }
                }
                "img" => {
                    if let Some(src) = tag.attribute("src") {
                        let alt = tag.attribute("alt").unwrap_or_default().to_string();
                        self.record_image(src.to_string(), alt, tag_line);
                    }
                }
                _ => {}
            }
        }
    }
}

/// The lines of a paragraph that is a 落款: plain text only, at most four
/// short lines without sentence punctuation, the last one a date written
/// the Chinese way (`2026年10月28日`, `二〇二六年十月二十八日`).
fn signature_lines(inside: &[Spanned<'_>]) -> Option<Vec<String>> {
    const MAX_LINES: usize = 4;
    const MAX_CHARS: usize = 40;
    let mut lines = vec![String::new()];
    for (event, _) in inside {
        match event {
            Event::Text(text) => lines.last_mut()?.push_str(text),
            Event::SoftBreak | Event::HardBreak => lines.push(String::new()),
            _ => return None,
        }
    }
    let lines: Vec<String> = lines
        .into_iter()
        .map(|line| line.trim().to_string())
        .filter(|line| !line.is_empty())
        .collect();
    let fits = !lines.is_empty()
        && lines.len() <= MAX_LINES
        && lines.iter().all(|line| {
            line.chars().count() <= MAX_CHARS
                && !line.contains(['。', '，', '；', '：', '！', '？', ',', ';', ':'])
        })
        && lines.last().is_some_and(|line| is_chinese_date(line));
    fits.then_some(lines)
}

/// `2026年10月28日` or `二〇二六年十月二十八日`.
fn is_chinese_date(text: &str) -> bool {
    let numeral = |c: char| c.is_ascii_digit() || "〇零一二三四五六七八九十".contains(c);
    let mut parts = text.trim().splitn(2, '年');
    let (Some(year), Some(rest)) = (parts.next(), parts.next()) else {
        return false;
    };
    let Some((month, day)) = rest.split_once('月') else {
        return false;
    };
    let Some(day) = day.strip_suffix('日') else {
        return false;
    };
    [year, month, day]
        .iter()
        .all(|part| !part.is_empty() && part.chars().count() <= 4 && part.chars().all(numeral))
}

/// pulldown's own `<img>`, which escapes the URL and alt text, with
/// `loading="lazy"` added.
fn lazy_image_html(image_events: &[Spanned<'_>]) -> String {
    let mut html = String::new();
    pulldown_cmark::html::push_html(
        &mut html,
        image_events.iter().map(|(event, _)| event.clone()),
    );
    match html.strip_suffix(" />") {
        Some(start) => format!("{start} loading=\"lazy\" />"),
        None => html,
    }
}

/// Tables pasted as raw HTML (typically from a word processor) are the widest
/// of all, so they get the same scrolling wrapper as Markdown tables.
fn wrap_raw_tables(fragment: CowStr<'_>) -> CowStr<'_> {
    let lower = fragment.to_ascii_lowercase();
    if !lower.contains("<table") && !lower.contains("</table") {
        return fragment;
    }
    let mut wrapped = String::with_capacity(fragment.len() + 32);
    let mut copied = 0;
    let mut position = 0;
    while let Some(found) = lower[position..].find('<') {
        let at = position + found;
        let rest = &lower[at..];
        let is_delimiter = |byte: Option<&u8>| {
            byte.is_none_or(|b| b.is_ascii_whitespace() || matches!(b, b'>' | b'/'))
        };
        if rest.starts_with("<table") && is_delimiter(rest.as_bytes().get(6)) {
            wrapped.push_str(&fragment[copied..at]);
            wrapped.push_str(TABLE_WRAP_OPEN);
            copied = at;
        } else if rest.starts_with("</table") && is_delimiter(rest.as_bytes().get(7)) {
            let close_end = rest.find('>').map_or(lower.len(), |end| at + end + 1);
            wrapped.push_str(&fragment[copied..close_end]);
            wrapped.push_str("</div>");
            copied = close_end;
        }
        position = at + 1;
    }
    wrapped.push_str(&fragment[copied..]);
    wrapped.into()
}

/// `<th>`/`<td>` with `align`: pulldown writes a `style` attribute, which the
/// sanitiser removes.
fn table_cell_open_tag(in_head: bool, alignment: Option<&Alignment>) -> String {
    let name = if in_head { "th" } else { "td" };
    let align = match alignment {
        Some(Alignment::Left) => " align=\"left\"",
        Some(Alignment::Center) => " align=\"center\"",
        Some(Alignment::Right) => " align=\"right\"",
        Some(Alignment::None) | None => "",
    };
    format!("<{name}{align}>")
}

/// Whether the sanitiser keeps a URL in `href`/`src`: http, https, mailto,
/// tel, or relative. Mirrors how the URL parser ammonia uses reads a scheme.
fn url_is_allowed(url: &str) -> bool {
    let cleaned: String = url
        .trim_matches(|c: char| c <= ' ')
        .chars()
        .filter(|c| !matches!(c, '\t' | '\n' | '\r'))
        .collect();
    let Some((scheme, _)) = cleaned.split_once(':') else {
        return true;
    };
    let mut scheme_chars = scheme.chars();
    let looks_like_scheme = scheme_chars.next().is_some_and(|c| c.is_ascii_alphabetic())
        && scheme_chars.all(|c| c.is_ascii_alphanumeric() || matches!(c, '+' | '-' | '.'));
    if !looks_like_scheme {
        return true;
    }
    matches!(
        scheme.to_ascii_lowercase().as_str(),
        "http" | "https" | "mailto" | "tel"
    )
}

/// A start tag found in a raw HTML fragment.
struct RawTag {
    /// Lower-cased tag name.
    name: String,
    /// Lower-cased names, values with character references decoded.
    attributes: Vec<(String, String)>,
    /// Byte offset of the `<` in the fragment.
    offset: usize,
}

impl RawTag {
    fn attribute(&self, name: &str) -> Option<&str> {
        self.attributes
            .iter()
            .find(|(attribute, _)| attribute == name)
            .map(|(_, value)| value.as_str())
    }
}

/// Start tags in a raw HTML fragment, read leniently: enough to list link and
/// image targets, never used to decide what is safe (ammonia does that).
fn raw_html_tags(fragment: &str) -> Vec<RawTag> {
    let bytes = fragment.as_bytes();
    let mut tags = Vec::new();
    let mut position = 0;
    while let Some(found) = fragment[position..].find('<') {
        let offset = position + found;
        let mut cursor = offset + 1;
        while cursor < bytes.len() && bytes[cursor].is_ascii_alphanumeric() {
            cursor += 1;
        }
        if cursor == offset + 1 {
            position = offset + 1;
            continue;
        }
        let name = fragment[offset + 1..cursor].to_ascii_lowercase();
        let mut attributes = Vec::new();
        loop {
            while cursor < bytes.len()
                && (bytes[cursor].is_ascii_whitespace() || bytes[cursor] == b'/')
            {
                cursor += 1;
            }
            if cursor >= bytes.len() || bytes[cursor] == b'>' {
                break;
            }
            let name_start = cursor;
            while cursor < bytes.len()
                && !bytes[cursor].is_ascii_whitespace()
                && !matches!(bytes[cursor], b'=' | b'>' | b'/')
            {
                cursor += 1;
            }
            let attribute = fragment[name_start..cursor].to_ascii_lowercase();
            if attribute.is_empty() {
                // A lone `=`: skip it rather than loop on it.
                cursor += 1;
                continue;
            }
            while cursor < bytes.len() && bytes[cursor].is_ascii_whitespace() {
                cursor += 1;
            }
            let mut value = "";
            if cursor < bytes.len() && bytes[cursor] == b'=' {
                cursor += 1;
                while cursor < bytes.len() && bytes[cursor].is_ascii_whitespace() {
                    cursor += 1;
                }
                if cursor < bytes.len() && matches!(bytes[cursor], b'"' | b'\'') {
                    let quote = bytes[cursor] as char;
                    let value_start = cursor + 1;
                    let value_end = fragment[value_start..]
                        .find(quote)
                        .map_or(bytes.len(), |len| value_start + len);
                    value = &fragment[value_start..value_end];
                    cursor = (value_end + 1).min(bytes.len());
                } else {
                    let value_start = cursor;
                    while cursor < bytes.len()
                        && !bytes[cursor].is_ascii_whitespace()
                        && bytes[cursor] != b'>'
                    {
                        cursor += 1;
                    }
                    value = &fragment[value_start..cursor];
                }
            }
            attributes.push((attribute, decode_character_references(value)));
        }
        tags.push(RawTag {
            name,
            attributes,
            offset,
        });
        position = cursor.max(offset + 1);
    }
    tags
}

/// Decodes the character references that matter for reading a URL the way
/// the browser (and ammonia) will: numeric ones, with or without `;`, and the
/// few named ones used to hide a scheme.
fn decode_character_references(value: &str) -> String {
    const NAMED: [(&str, char); 7] = [
        ("&amp;", '&'),
        ("&quot;", '"'),
        ("&apos;", '\''),
        ("&lt;", '<'),
        ("&gt;", '>'),
        ("&Tab;", '\t'),
        ("&NewLine;", '\n'),
    ];
    let mut decoded = String::with_capacity(value.len());
    let mut rest = value;
    while let Some(at) = rest.find('&') {
        decoded.push_str(&rest[..at]);
        rest = &rest[at..];
        if let Some((entity, c)) = NAMED.iter().find(|(entity, _)| rest.starts_with(entity)) {
            decoded.push(*c);
            rest = &rest[entity.len()..];
        } else if let Some((c, used)) = numeric_reference(rest) {
            decoded.push(c);
            rest = &rest[used..];
        } else {
            decoded.push('&');
            rest = &rest[1..];
        }
    }
    decoded.push_str(rest);
    decoded
}

/// `&#106;`, `&#x6A;` or `&#106` at the start of `text` → the character and
/// the bytes used.
fn numeric_reference(text: &str) -> Option<(char, usize)> {
    let body = text.strip_prefix("&#")?;
    let (digits_start, radix) = match body.as_bytes().first() {
        Some(b'x' | b'X') => (1, 16),
        _ => (0, 10),
    };
    let digits: &str = &body[digits_start..];
    let digits_len = digits
        .find(|c: char| !c.is_digit(radix))
        .unwrap_or(digits.len());
    if digits_len == 0 {
        return None;
    }
    let code = u32::from_str_radix(&digits[..digits_len], radix).ok()?;
    let c = char::from_u32(code).unwrap_or('\u{FFFD}');
    let semicolon = usize::from(digits[digits_len..].starts_with(';'));
    Some((c, 2 + digits_start + digits_len + semicolon))
}

/// The sanitiser for bodies whose column does not allow raw HTML: ammonia's
/// defaults (no script, style, event handlers or `style` attributes), plus
/// what articles legitimately use, minus the URL schemes a portal never needs.
static SANITIZER: LazyLock<ammonia::Builder<'static>> = LazyLock::new(|| {
    let mut builder = ammonia::Builder::default();
    builder
        .add_tags(&["video", "audio", "source", "track", "input"])
        // Removed with everything inside, not unwrapped: their content is
        // never readable text.
        .add_clean_content_tags(&[
            "iframe", "frame", "frameset", "object", "embed", "applet", "svg", "math", "noscript",
            "noembed", "noframes", "template",
        ])
        .add_generic_attributes(&["class"])
        .add_tag_attributes(
            &"video",
            &[
                "controls",
                "src",
                "poster",
                "preload",
                "width",
                "height",
                "muted",
                "loop",
                "playsinline",
            ],
        )
        .add_tag_attributes(&"audio", &["controls", "src", "preload", "muted", "loop"])
        .add_tag_attributes(&"source", &["src", "type"])
        .add_tag_attributes(&"track", &["src", "kind", "srclang", "label", "default"])
        .add_tag_attributes(&"img", &["loading"])
        .add_tag_attributes(&"details", &["open"])
        .add_tag_attributes(&"input", &["checked", "disabled"])
        .add_tag_attribute_values(&"input", &"type", &["checkbox"])
        .url_schemes(HashSet::from(["http", "https", "mailto", "tel"]))
        .url_relative(ammonia::UrlRelative::PassThrough)
        // ammonia would put rel="noopener noreferrer" on every link, internal
        // ones included; nothing opens a new window, so none is needed.
        .link_rel(None)
        .set_tag_attribute_value("img", "loading", "lazy")
        // Task lists need checkboxes; a pasted form field must not become usable.
        .set_tag_attribute_value("input", "disabled", "");
    for tag in [
        "h1", "h2", "h3", "h4", "h5", "h6", "a", "div", "span", "sup", "li", "figure", "table",
    ] {
        builder.add_tag_attributes(tag, &["id"]);
    }
    builder
});

#[cfg(test)]
mod tests {
    use super::*;

    fn sanitised(markdown: &str) -> RenderedMarkdown {
        render(markdown, &MarkdownOptions::default())
    }

    fn raw_allowed(markdown: &str) -> RenderedMarkdown {
        render(
            markdown,
            &MarkdownOptions {
                allow_raw_html: true,
            },
        )
    }

    fn anchors(rendered: &RenderedMarkdown) -> Vec<&str> {
        rendered
            .headings
            .iter()
            .map(|heading| heading.anchor.as_str())
            .collect()
    }

    #[test]
    fn markdown_links_with_dangerous_schemes_are_still_sanitised() {
        for markdown in [
            "[x](javascript:alert(1))",
            "[x](JaVaScRiPt:alert(1))",
            "![x](data:image/svg+xml,abc)",
            "<vbscript:msgbox>",
        ] {
            let html = sanitised(markdown).html.to_ascii_lowercase();
            for attribute in ["href=\"javascript:", "src=\"data:", "href=\"vbscript:"] {
                assert!(!html.contains(attribute), "{markdown}: {html}");
            }
        }
    }

    #[test]
    fn plain_markdown_escapes_text_and_attributes_without_the_sanitiser() {
        let html =
            sanitised("## a<b\n\n[\"q\" <x>](/p?a=1&b=\"2\" \"t\\\"itle\")\n\n`<script>`\n").html;
        assert!(!html.contains("<script"), "{html}");
        assert!(!html.contains("<x>"), "{html}");
        assert!(html.contains("&lt;script&gt;"), "{html}");
    }

    #[test]
    fn soft_break_between_chinese_characters_disappears() {
        let rendered =
            sanitised("为了规范政府网站的信息发布，\n根据《条例》，制定本办法。\n第二行");
        assert!(
            rendered
                .html
                .contains("<p>为了规范政府网站的信息发布，根据《条例》，制定本办法。第二行</p>"),
            "{}",
            rendered.html
        );
        assert_eq!(
            rendered.plain_text,
            "为了规范政府网站的信息发布，根据《条例》，制定本办法。第二行"
        );
    }

    #[test]
    fn soft_break_between_latin_words_stays() {
        let rendered = sanitised("hello\nworld");
        assert!(
            rendered.html.contains("<p>hello\nworld</p>"),
            "{}",
            rendered.html
        );
        assert_eq!(rendered.plain_text, "hello world");
    }

    #[test]
    fn soft_break_between_chinese_and_latin_stays() {
        let rendered = sanitised("中文\nEnglish\n中文");
        assert!(
            rendered.html.contains("<p>中文\nEnglish\n中文</p>"),
            "{}",
            rendered.html
        );
        assert_eq!(rendered.plain_text, "中文 English 中文");
    }

    #[test]
    fn soft_break_joins_through_inline_formatting_and_kana_hangul_fullwidth() {
        let rendered = sanitised("**重要**\n*通知*\n`代码`\nかな\n한국\nＡ");
        assert!(
            rendered
                .html
                .contains("<strong>重要</strong><em>通知</em><code>代码</code>かな한국Ａ"),
            "{}",
            rendered.html
        );
    }

    #[test]
    fn soft_break_joins_around_chinese_quotation_marks_and_dashes() {
        let rendered = sanitised("他说：“你好”\n——这是破折号……\n（完）");
        assert_eq!(rendered.plain_text, "他说：“你好”——这是破折号……（完）");
    }

    #[test]
    fn task_lists_render_disabled_checkboxes_only() {
        let rendered =
            sanitised("- [x] 已完成\n- [ ] 未完成\n\n<input type=\"password\" name=\"p\">\n");
        assert!(
            rendered
                .html
                .contains("<li><input disabled=\"\" type=\"checkbox\" checked=\"\">"),
            "{}",
            rendered.html
        );
        assert!(
            rendered.html.contains("<input disabled=\"\">"),
            "{}",
            rendered.html
        );
        assert!(!rendered.html.contains("password"), "{}", rendered.html);
    }

    #[test]
    fn hard_break_is_kept_between_chinese_characters() {
        let rendered = sanitised("第一行\\\n第二行");
        assert!(
            rendered.html.contains("<p>第一行<br>\n第二行</p>"),
            "{}",
            rendered.html
        );
    }

    #[test]
    fn chinese_headings_get_readable_unique_anchors() {
        let rendered = sanitised(
            "# 第一章　总则\n\n## 第一章　总则\n\n## 第一章　总则\n\n## Hello, World 2026!\n\n## ！！！\n\n## ？\n",
        );
        assert_eq!(
            anchors(&rendered),
            [
                "第一章-总则",
                "第一章-总则-2",
                "第一章-总则-3",
                "hello-world-2026",
                "section",
                "section-2"
            ]
        );
        assert!(
            rendered
                .html
                .contains("<h2 id=\"第一章-总则-2\">第一章　总则</h2>"),
            "{}",
            rendered.html
        );
        assert_eq!(rendered.headings[3].text, "Hello, World 2026!");
        assert_eq!(rendered.headings[3].level, 2);
    }

    #[test]
    fn explicit_heading_id_wins_and_braces_in_text_stay_text() {
        let rendered = sanitised("## Intro\n\n## 简介 {#intro}\n\n## 附件{1}\n");
        assert_eq!(anchors(&rendered), ["intro-2", "intro", "附件-1"]);
        assert_eq!(rendered.headings[1].text, "简介");
        assert_eq!(rendered.headings[2].text, "附件{1}");
        assert!(
            rendered.html.contains("<h2 id=\"intro\">简介</h2>"),
            "{}",
            rendered.html
        );
        assert!(rendered.html.contains(">附件{1}</h2>"), "{}", rendered.html);
    }

    #[test]
    fn heading_anchors_never_collide_with_footnote_ids() {
        let rendered = sanitised("## FN 1\n\n正文[^a]。\n\n[^a]: 注释。\n");
        assert_eq!(anchors(&rendered), ["fn-1-2"]);
        assert!(rendered.html.contains("id=\"fn-1\""), "{}", rendered.html);
    }

    #[test]
    fn sanitiser_removes_scripts_handlers_and_dangerous_urls() {
        let rendered = sanitised(concat!(
            "<script>alert('s')</script>\n\n",
            "<style>body{display:none}</style>\n\n",
            "段落 <img src=x onerror=alert(1)> 和 <a href=\"JaVaScRiPt:alert(2)\">链接</a>\n\n",
            "<svg onload=alert(3)><text>svg</text></svg>\n\n",
            "<iframe src=\"https://evil.example/\"></iframe>\n\n",
            "<a href=\"data:text/html,x\">d</a> <a href=\"vbscript:msgbox\">v</a> ",
            "<a href=\"jav&#x09;ascript:alert(4)\">t</a>\n\n",
            "<div style=\"position:fixed\" onclick=\"alert(5)\" class=\"note\">内容</div>\n\n",
            "[md](javascript:alert(6)) ![md](javascript:alert(7))\n",
        ));
        let html = rendered.html.to_ascii_lowercase();
        for forbidden in [
            "<script",
            "alert",
            "<style",
            "onerror",
            "onload",
            "onclick",
            "javascript",
            "vbscript",
            "data:",
            "<svg",
            "<iframe",
            "style=",
        ] {
            assert!(!html.contains(forbidden), "{forbidden} survived in {html}");
        }
        assert!(
            rendered.html.contains("<div class=\"note\">内容</div>"),
            "{}",
            rendered.html
        );
        assert!(rendered.links.is_empty(), "{:?}", rendered.links);
        assert_eq!(
            rendered
                .images
                .iter()
                .map(|image| image.src.as_str())
                .collect::<Vec<_>>(),
            ["x"]
        );
    }

    #[test]
    fn split_tags_cannot_sneak_past_the_sanitiser() {
        // pulldown hands the block over line by line; only read as a whole is
        // it an <img onerror>, and only read as a whole does the image survive.
        let rendered = sanitised("<div>\n<img src=x\nonerror=alert(1)>\n</div>\n");
        assert!(!rendered.html.contains("onerror"), "{}", rendered.html);
        assert!(
            rendered.html.contains("<img src=\"x\" loading=\"lazy\">"),
            "{}",
            rendered.html
        );
    }

    #[test]
    fn allowed_raw_html_is_passed_through() {
        let rendered =
            raw_allowed("<script>track()</script>\n\n<a href=\"javascript:go()\">x</a>\n");
        assert!(
            rendered.html.contains("<script>track()</script>"),
            "{}",
            rendered.html
        );
        assert_eq!(rendered.links[0].href, "javascript:go()");
    }

    #[test]
    fn sanitiser_keeps_what_articles_use() {
        let rendered = sanitised(concat!(
            "<table><tr><td colspan=\"2\" rowspan=\"3\" align=\"center\">合并</td></tr></table>\n\n",
            "<figure><img src=\"a.jpg\" alt=\"图\"><figcaption>图注</figcaption></figure>\n\n",
            "<video controls src=\"v.mp4\" poster=\"p.jpg\" preload=\"none\"><source src=\"v.webm\" type=\"video/webm\"></video>\n\n",
            "<audio controls src=\"a.mp3\"></audio>\n\n",
            "<details><summary>更多</summary>H<sub>2</sub>O 10<sup>3</sup> <abbr title=\"国务院\">国</abbr></details>\n\n",
            "<span class=\"mark\">标</span> <a href=\"https://gov.example/\">外</a> <a href=\"/about/\">内</a> <a href=\"tel:12345\">电</a>\n",
        ));
        for kept in [
            "colspan=\"2\"",
            "rowspan=\"3\"",
            "align=\"center\"",
            "<figure>",
            "<figcaption>图注</figcaption>",
            "<video controls=\"\" src=\"v.mp4\" poster=\"p.jpg\" preload=\"none\">",
            "<source src=\"v.webm\" type=\"video/webm\">",
            "<audio controls=\"\" src=\"a.mp3\">",
            "<details><summary>更多</summary>",
            "<sub>2</sub>",
            "<sup>3</sup>",
            "<abbr title=\"国务院\">",
            "<span class=\"mark\">",
            "<a href=\"https://gov.example/\">",
            "<a href=\"/about/\">内</a>",
            "<a href=\"tel:12345\">",
        ] {
            assert!(
                rendered.html.contains(kept),
                "{kept} lost from {}",
                rendered.html
            );
        }
        assert!(!rendered.html.contains("rel="), "{}", rendered.html);
        let hrefs: Vec<&str> = rendered
            .links
            .iter()
            .map(|link| link.href.as_str())
            .collect();
        assert_eq!(hrefs, ["https://gov.example/", "/about/", "tel:12345"]);
    }

    #[test]
    fn tables_are_wrapped_and_aligned_without_style() {
        let rendered = sanitised(
            "| 序号 | 金额 |\n|:---:|---:|\n| 1 | 100 |\n\n<table><tr><td>原始</td></tr></table>\n",
        );
        assert!(
            rendered.html.starts_with(
                "<div class=\"table-wrap\"><table><thead><tr><th align=\"center\">序号</th><th align=\"right\">金额</th>"
            ),
            "{}",
            rendered.html
        );
        assert!(
            rendered.html.contains("<td align=\"right\">100</td>"),
            "{}",
            rendered.html
        );
        assert_eq!(
            rendered
                .html
                .matches("<div class=\"table-wrap\"><table>")
                .count(),
            2
        );
        assert!(
            rendered.html.contains("</tbody></table>\n</div>"),
            "{}",
            rendered.html
        );
        assert!(
            rendered.html.contains("</tbody></table></div>"),
            "{}",
            rendered.html
        );
        assert!(!rendered.html.contains("style="), "{}", rendered.html);
        assert_eq!(rendered.plain_text, "序号 金额\n1 100");
    }

    /// Every `href="#x"` in the html, and every `id` present.
    fn fragment_links_and_ids(html: &str) -> (Vec<String>, HashSet<String>) {
        let tags = raw_html_tags(html);
        let fragments = tags
            .iter()
            .filter_map(|tag| tag.attribute("href")?.strip_prefix('#').map(str::to_string))
            .collect();
        let ids = tags
            .iter()
            .filter_map(|tag| tag.attribute("id").map(str::to_string))
            .collect();
        (fragments, ids)
    }

    #[test]
    fn footnote_links_resolve_both_ways() {
        for rendered in [
            sanitised(
                "正文[^注一]，又见[^b]，再见[^注一]。\n\n[^注一]: 第一条。\n[^b]: 第二条。\n",
            ),
            raw_allowed(
                "正文[^注一]，又见[^b]，再见[^注一]。\n\n[^注一]: 第一条。\n[^b]: 第二条。\n",
            ),
        ] {
            let (fragments, ids) = fragment_links_and_ids(&rendered.html);
            assert_eq!(fragments.len(), 5, "{}", rendered.html);
            for fragment in &fragments {
                assert!(
                    ids.contains(fragment),
                    "#{fragment} has no target in {}",
                    rendered.html
                );
            }
            assert!(
                rendered.html.contains(
                    "<sup class=\"footnote-reference\"><a href=\"#fn-1\" id=\"fnref-1\">1</a></sup>"
                ),
                "{}",
                rendered.html
            );
            assert!(
                rendered
                    .html
                    .contains("<div class=\"footnote-definition\" id=\"fn-2\">"),
                "{}",
                rendered.html
            );
            assert_eq!(rendered.html.matches("id=\"fnref-1\"").count(), 1);
            assert_eq!(
                rendered.plain_text,
                "正文，又见，再见。\n第一条。\n第二条。"
            );
        }
    }

    #[test]
    fn undefined_footnote_stays_text() {
        let rendered = sanitised("正文[^missing]。\n");
        assert_eq!(rendered.plain_text, "正文[^missing]。");
        assert!(rendered.links.is_empty());
    }

    #[test]
    fn line_numbers_point_at_the_source() {
        let markdown = concat!(
            "# 标题\n",                                                 // 1
            "\n",                                                       // 2
            "正文 [链接](https://a.example/)\n",                        // 3
            "续行 ![图](img/1.png)\n",                                  // 4
            "\n",                                                       // 5
            "标题二\n",                                                 // 6
            "------\n",                                                 // 7
            "\n",                                                       // 8
            "<div>\n",                                                  // 9
            "<a href=\"/raw/\">原始</a>\n",                             // 10
            "<img src=\"raw.png\" alt=\"原图\">\n",                     // 11
            "</div>\n",                                                 // 12
            "\n",                                                       // 13
            "- 列表 <a href=\"/inline/\">行内</a> <foo@bar.example>\n", // 14
        );
        let rendered = sanitised(markdown);
        let heading_lines: Vec<(u8, usize)> = rendered
            .headings
            .iter()
            .map(|heading| (heading.level, heading.line))
            .collect();
        assert_eq!(heading_lines, [(1, 1), (2, 6)]);
        let links: Vec<(&str, usize)> = rendered
            .links
            .iter()
            .map(|link| (link.href.as_str(), link.line))
            .collect();
        assert_eq!(
            links,
            [
                ("https://a.example/", 3),
                ("/raw/", 10),
                ("/inline/", 14),
                ("mailto:foo@bar.example", 14)
            ]
        );
        assert_eq!(
            rendered.images,
            [
                ImageRef {
                    src: "img/1.png".into(),
                    alt: "图".into(),
                    line: 4
                },
                ImageRef {
                    src: "raw.png".into(),
                    alt: "原图".into(),
                    line: 11
                },
            ]
        );
    }

    #[test]
    fn images_load_lazily_and_keep_an_empty_alt() {
        let rendered = sanitised("![](a.png) ![说明 **文字**](<图片 1.png> \"标题\")\n");
        assert!(
            rendered
                .html
                .contains("<img src=\"a.png\" alt=\"\" loading=\"lazy\">"),
            "{}",
            rendered.html
        );
        assert!(
            rendered
                .html
                .contains("alt=\"说明 文字\" title=\"标题\" loading=\"lazy\">"),
            "{}",
            rendered.html
        );
        assert_eq!(rendered.images[0].alt, "");
        assert_eq!(rendered.images[1].src, "图片 1.png");
        assert_eq!(rendered.images[1].alt, "说明 文字");
        let raw = raw_allowed("![](a.png)\n");
        assert!(raw.html.contains("loading=\"lazy\""), "{}", raw.html);
    }

    #[test]
    fn a_signature_keeps_its_lines() {
        let rendered = sanitised(
            "现将办法印发给你们，请认真贯彻执行。\n\n云州市科学技术协会\n2026年10月28日\n\n二〇二六年十月\n",
        );
        assert!(
            rendered
                .html
                .contains("<p class=\"signature\">云州市科学技术协会<br>2026年10月28日</p>"),
            "{}",
            rendered.html
        );
        assert!(
            rendered.html.contains("<p>二〇二六年十月</p>"),
            "{}",
            rendered.html
        );
        assert_eq!(
            rendered.first_paragraph,
            "现将办法印发给你们，请认真贯彻执行。"
        );
        assert!(
            rendered
                .plain_text
                .contains("云州市科学技术协会\n2026年10月28日")
        );
        // A sentence that ends in a date is no signature.
        let sentence = sanitised("本办法自印发之日起施行，\n2026年1月1日").html;
        assert!(!sentence.contains("signature"), "{sentence}");
        assert!(is_chinese_date("二〇二六年十月二十八日"));
        assert!(!is_chinese_date("2026年10月"));
    }

    #[test]
    fn plain_text_has_no_markup() {
        let rendered = sanitised(concat!(
            "# 关于**开展**工作的通知\n\n",
            "各单位：\n现将有关事项<span>通知</span>如下。\n\n",
            "- 第一项 [详情](/a/)\n- 第二项\n\n",
            "> 引用 `代码`\n\n",
            "```\nlet x = 1;\n```\n",
        ));
        assert_eq!(
            rendered.plain_text,
            "关于开展工作的通知\n各单位：现将有关事项通知如下。\n第一项 详情\n第二项\n引用 代码\nlet x = 1;"
        );
        assert_eq!(rendered.headings[0].text, "关于开展工作的通知");
    }

    #[test]
    fn rendering_is_deterministic() {
        let markdown = "# 一\n\n## 一\n\n文[^a][^b]\n\n[^b]: 乙\n[^a]: 甲\n\n| a | b |\n|---|---|\n| 1 | 2 |\n";
        let first = sanitised(markdown);
        for _ in 0..5 {
            assert_eq!(sanitised(markdown), first);
        }
    }

    #[test]
    fn url_schemes_are_read_like_the_sanitiser_reads_them() {
        for allowed in [
            "/a/b",
            "b.html#x",
            "#top",
            "HTTPS://x",
            "mailto:a@b",
            "tel:1",
            "a/b:c",
            "?q=1:2",
        ] {
            assert!(url_is_allowed(allowed), "{allowed}");
        }
        for refused in [
            "javascript:x",
            " JaVaScRiPt:x",
            "java\tscript:x",
            "data:x",
            "vbscript:x",
            "ftp://x",
        ] {
            assert!(!url_is_allowed(refused), "{refused}");
        }
    }

    #[test]
    fn raw_tags_decode_references_and_tolerate_odd_syntax() {
        let tags = raw_html_tags(
            "<A HREF='&#106avascript:x' =junk title=\"a&amp;b\">x</a><img src=p.png alt=图>",
        );
        assert_eq!(tags.len(), 2);
        assert_eq!(tags[0].name, "a");
        assert_eq!(tags[0].attribute("href"), Some("javascript:x"));
        assert_eq!(tags[0].attribute("title"), Some("a&b"));
        assert_eq!(tags[1].attribute("src"), Some("p.png"));
        assert_eq!(tags[1].attribute("alt"), Some("图"));
        assert_eq!(tags[1].offset, 54);
    }
}
