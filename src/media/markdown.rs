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

use super::markup::{self, BLOCKS, CELLS, Dialect, MarkupText, is_cjk};
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
        if text.is_empty() {
            return;
        }
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

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn character_references_are_decoded_and_split_numbers_joined() {
        assert_eq!(
            markdown_text("电话 1381234&#53;678。"),
            "电话 13812345678。"
        );
        assert_eq!(
            markdown_text("身份证 &#x31;1010519491231002&#88;"),
            "身份证 11010519491231002X"
        );
        assert_eq!(markdown_text("<span>138</span>12345678"), "13812345678");
        assert_eq!(
            markdown_text("联系 **138**<b>1234</b>[5678](tel:13812345678)"),
            "联系 13812345678\ntel:13812345678"
        );
    }

    #[test]
    fn raw_html_blocks_read_as_rendered() {
        let body = "段落一\n\n<div class=\"note\">\n身份证号 <span>110105</span>19491231002&#88;\n<!-- 内部备注 13812345678 -->\n</div>\n\n<table><tr><td>2026</td><td>13812345678</td></tr></table>\n";
        assert_eq!(
            markdown_text(body),
            "段落一\n身份证号 11010519491231002X\n内部备注 13812345678\n2026\t13812345678"
        );
    }

    #[test]
    fn what_a_block_carries_follows_it() {
        let body = "见[附件](files/a.pdf \"张三的材料\")与![秘密★1年](scan.png)。\n\n<abbr title=\"13812345678\">电话</abbr>\n";
        assert_eq!(
            markdown_text(body),
            "见附件与。\nfiles/a.pdf\n张三的材料\nscan.png\n秘密★1年\n电话\n13812345678"
        );
    }

    #[test]
    fn blocks_are_lines_and_cells_stay_apart() {
        let body = "# 标题\n\n- 一\n- 二\n\n| 年份 | 电话 |\n|---|---|\n| 2026 | 13812345678 |\n\n```\n&#53; 不解码\n```\n\n`&amp;`\n";
        assert_eq!(
            markdown_text(body),
            "标题\n一\n二\n年份\t电话\n2026\t13812345678\n&#53; 不解码\n&amp;"
        );
    }

    #[test]
    fn soft_breaks_join_chinese_and_space_latin() {
        assert_eq!(markdown_text("涉密\n文件"), "涉密文件");
        // ★ is not CJK to the renderer either: the page shows a space.
        assert_eq!(markdown_text("秘密\n★1年"), "秘密 ★1年");
        assert_eq!(markdown_text("hello\nworld"), "hello world");
        assert_eq!(markdown_text("第一行  \n第二行"), "第一行\n第二行");
    }
}
