//! An article body as its reader receives it: the text of the rendered
//! Markdown, for the rules that decide whether it may be published (SPEC §5:
//! they read "the body as rendered (character references decoded)").
//!
//! The Markdown source is not what is published: `1381234&#53;678` in the
//! source is `13812345678` on the page, and so is `<span>138</span>12345678`.
//! pulldown-cmark decodes the references of Markdown text; raw HTML is read
//! by [`super::markup`] as a browser reads it. Pieces the reader sees side
//! by side are joined without a gap, so a number split across elements is
//! whole again; blocks (paragraphs, headings, list items, table rows, HTML
//! block elements) are one line each, table cells apart, so a finding can be
//! placed and two cells never make one number.
//!
//! What the page carries without showing it — link destinations and titles,
//! image sources, titles and alt text, attribute values and comments in raw
//! HTML — follows its block, one value per line. It is read whether or not
//! the column's sanitiser would keep it: reading more never publishes more.

use pulldown_cmark::{Event, Options, Parser, Tag, TagEnd};

use super::markup::{self, BLOCKS, CELLS, Dialect, MarkupText};
use super::sniff::local_name;

/// The text a reader of the rendered body sees and receives, one block a line.
pub fn markdown_text(body: &str) -> String {
    let mut writer = Writer::default();
    for event in Parser::new_ext(body, parser_options()) {
        writer.event(event);
    }
    writer.end_block();
    if let Some(html) = writer.html_block.take() {
        writer.raw_block(&html);
    }
    let mut text = writer.out;
    text.truncate(text.trim_end().len());
    text
}

/// The extensions `render::markdown` renders with (tables, footnotes,
/// strikethrough, task lists): what is parsed here must be what is rendered.
fn parser_options() -> Options {
    Options::ENABLE_TABLES
        | Options::ENABLE_FOOTNOTES
        | Options::ENABLE_STRIKETHROUGH
        | Options::ENABLE_TASKLISTS
}

#[derive(Default)]
struct Writer {
    /// Finished lines.
    out: String,
    /// The current block's visible text.
    line: String,
    /// What the current block carries without showing it.
    carried: Vec<String>,
    /// Inside an image (its text is the alt text): how deep.
    image_depth: usize,
    alt: String,
    /// The raw HTML of the HTML block being read.
    html_block: Option<String>,
    /// A soft line break waits for the next text to decide: none between
    /// two CJK characters (the renderer removes it), a space otherwise.
    soft_break: bool,
}

impl Writer {
    fn event(&mut self, event: Event<'_>) {
        match event {
            Event::Start(tag) => self.start(tag),
            Event::End(tag) => self.end(tag),
            Event::Text(text) | Event::Code(text) => {
                if self.image_depth > 0 {
                    self.alt.push_str(&text);
                } else {
                    self.push_text(&text);
                }
            }
            Event::InlineMath(text) | Event::DisplayMath(text) => self.push_text(&text),
            Event::Html(html) => match self.html_block.as_mut() {
                Some(block) => block.push_str(&html),
                None => self.inline_html(&html),
            },
            Event::InlineHtml(html) => self.inline_html(&html),
            Event::SoftBreak => self.soft_break = true,
            Event::HardBreak => {
                self.soft_break = false;
                self.line.push('\n');
            }
            Event::Rule => self.end_block(),
            Event::FootnoteReference(_) | Event::TaskListMarker(_) => {}
        }
    }

    fn start(&mut self, tag: Tag<'_>) {
        match tag {
            Tag::Image {
                dest_url, title, ..
            } => {
                self.image_depth += 1;
                self.carry(&dest_url);
                self.carry(&title);
            }
            Tag::Link {
                dest_url, title, ..
            } => {
                self.carry(&dest_url);
                self.carry(&title);
            }
            Tag::HtmlBlock => {
                self.end_block();
                self.html_block = Some(String::new());
            }
            Tag::Emphasis
            | Tag::Strong
            | Tag::Strikethrough
            | Tag::Superscript
            | Tag::Subscript
            | Tag::TableCell => {}
            _ => self.end_block(),
        }
    }

    fn end(&mut self, tag: TagEnd) {
        match tag {
            TagEnd::Image => {
                self.image_depth = self.image_depth.saturating_sub(1);
                if self.image_depth == 0 {
                    let alt = std::mem::take(&mut self.alt);
                    self.carry(&alt);
                }
            }
            TagEnd::HtmlBlock => {
                if let Some(html) = self.html_block.take() {
                    self.raw_block(&html);
                }
            }
            TagEnd::TableCell => {
                self.soft_break = false;
                self.line.push('\t');
            }
            TagEnd::Emphasis
            | TagEnd::Strong
            | TagEnd::Strikethrough
            | TagEnd::Superscript
            | TagEnd::Subscript
            | TagEnd::Link => {}
            _ => self.end_block(),
        }
    }

    fn carry(&mut self, value: &str) {
        if !value.trim().is_empty() {
            self.carried.push(value.to_string());
        }
    }

    fn push_text(&mut self, text: &str) {
        if std::mem::take(&mut self.soft_break) {
            let before = self.line.chars().next_back();
            let after = text.chars().next();
            let joins = matches!((before, after), (Some(a), Some(b)) if is_cjk(a) && is_cjk(b));
            if !joins && before.is_some() {
                self.line.push(' ');
            }
        }
        self.line.push_str(text);
    }

    /// One inline HTML tag or comment: its text joins the line, a `<br>`
    /// or block tag breaks it, its attributes and comments are carried.
    fn inline_html(&mut self, html: &str) {
        let tag = html
            .trim_start()
            .strip_prefix('<')
            .map(|rest| rest.trim_start_matches('/'))
            .map(|rest| {
                rest.chars()
                    .take_while(|c| c.is_alphanumeric() || *c == ':' || *c == '-')
                    .collect::<String>()
                    .to_ascii_lowercase()
            })
            .unwrap_or_default();
        let local = local_name(&tag);
        if CELLS.contains(&local) {
            self.soft_break = false;
            self.line.push('\t');
        } else if BLOCKS.contains(&local) {
            self.soft_break = false;
            self.line.push('\n');
        }
        let read = markup::read(html, Dialect::Html);
        let body = read.body.clone();
        self.push_text(&body);
        self.carry_markup(read);
    }

    /// An HTML block: its lines as they are shown, then what it carries.
    fn raw_block(&mut self, html: &str) {
        let read = markup::read(html, Dialect::Html);
        self.line.push_str(&read.body);
        self.carry_markup(read);
        self.end_block();
    }

    fn carry_markup(&mut self, read: MarkupText) {
        let MarkupText {
            parts,
            attributes,
            comments,
            ..
        } = read;
        for text in parts
            .into_values()
            .chain(attributes.into_values())
            .chain(std::iter::once(comments))
        {
            for line in text.lines() {
                self.carry(line);
            }
        }
    }

    /// Write the current block's line(s) and what it carries.
    fn end_block(&mut self) {
        self.soft_break = false;
        let line = std::mem::take(&mut self.line);
        let carried = std::mem::take(&mut self.carried);
        for piece in line
            .split('\n')
            .chain(carried.iter().flat_map(|value| value.split('\n')))
        {
            let piece = piece.trim();
            if !piece.is_empty() {
                self.out.push_str(piece);
                self.out.push('\n');
            }
        }
    }
}

/// Characters of writing without spaces between words (CJK ideographs,
/// kana, hangul, and the punctuation Chinese text uses), across which the
/// renderer drops a soft line break.
fn is_cjk(c: char) -> bool {
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
