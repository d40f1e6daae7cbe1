//! Office documents (DOCX, XLSX) read as text — the body, and also what the
//! file carries unseen: comments, deleted text kept by tracked changes,
//! headers, footers, cell values, author fields — so the rules see what a
//! reader who opens the file sees, and what they could find in it.

use std::collections::{BTreeMap, BTreeSet};
use std::io::{Cursor, Read};

/// The attachment types some rule reads.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum AssetKind {
    Docx,
    Xlsx,
    Pdf,
    /// An image format that may carry EXIF (JPEG, PNG, TIFF, WebP, HEIF).
    Image,
    /// Plain text: CSV, TXT, Markdown, HTML, JSON, XML.
    Text,
}

/// The kind of an attachment, by its file name.
pub fn kind_of(name: &str) -> Option<AssetKind> {
    let extension = name.rsplit_once('.').map(|(_, e)| e.to_ascii_lowercase())?;
    Some(match extension.as_str() {
        "docx" | "docm" | "dotx" => AssetKind::Docx,
        "xlsx" | "xlsm" | "xltx" => AssetKind::Xlsx,
        "pdf" => AssetKind::Pdf,
        "jpg" | "jpeg" | "jpe" | "png" | "tif" | "tiff" | "webp" | "heic" | "heif" | "avif" => {
            AssetKind::Image
        }
        "csv" | "tsv" | "txt" | "md" | "html" | "htm" | "json" | "xml" => AssetKind::Text,
        _ => return None,
    })
}

/// The most of one archive member that is read: a zip bomb stops here.
pub(super) const MEMBER_LIMIT: u64 = 64 << 20;

/// Where in an office document a piece of text sits.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Place {
    /// A paragraph of the body (1-based).
    Paragraph(usize),
    /// Text deleted under tracked changes: invisible in Word, present in the file.
    Deleted(usize),
    Comment {
        author: String,
    },
    /// A header, footer, footnote or endnote part.
    Margin(String),
    /// A cell of a sheet: sheet name and cell reference.
    Cell {
        sheet: String,
        cell: String,
    },
    /// A document property (creator, last modified by, company …).
    Property(String),
    /// A page of a PDF or OFD document (1-based).
    Page(u32),
    /// A slide of a presentation (1-based).
    Slide(usize),
    /// The whole text of a text, markup, RTF or OpenDocument file, one line
    /// per line or block, so a finding can be located by line.
    Text,
    /// Text kept apart from the body: an SVG `<title>`, `<desc>` or
    /// `<metadata>`, an HTML `<title>`, a script or style sheet, RTF field
    /// instructions, the entities a DOCTYPE declares.
    Part(String),
    /// The values of one attribute in markup (`title`, `alt`, `href` …), one per line.
    Attribute(String),
    /// Comments and processing instructions in markup, one per line.
    MarkupComment,
}

impl Place {
    pub fn describe(&self, chinese: bool) -> String {
        match (self, chinese) {
            (Place::Paragraph(n), true) => format!("正文第{n}段"),
            (Place::Paragraph(n), false) => format!("paragraph {n}"),
            (Place::Deleted(n), true) => format!("第{n}段修订中已删除的文字（文件中仍保留）"),
            (Place::Deleted(n), false) => {
                format!("text deleted under tracked changes in paragraph {n} (still in the file)")
            }
            (Place::Comment { author }, true) => format!("批注（作者：{author}）"),
            (Place::Comment { author }, false) => format!("a comment by {author}"),
            (Place::Margin(part), true) => format!("页眉页脚或注释（{part}）"),
            (Place::Margin(part), false) => format!("header, footer or note ({part})"),
            (Place::Cell { sheet, cell }, true) => format!("工作表“{sheet}”单元格 {cell}"),
            (Place::Cell { sheet, cell }, false) => format!("sheet “{sheet}” cell {cell}"),
            (Place::Property(field), true) => format!("文档属性 {field}"),
            (Place::Property(field), false) => format!("document property {field}"),
            (Place::Page(n), true) => format!("第{n}页"),
            (Place::Page(n), false) => format!("page {n}"),
            (Place::Slide(n), true) => format!("第{n}张幻灯片"),
            (Place::Slide(n), false) => format!("slide {n}"),
            (Place::Text, true) => "文本".to_string(),
            (Place::Text, false) => "the text".to_string(),
            (Place::Part(part), true) => format!("不作为正文显示的部分（{part}）"),
            (Place::Part(part), false) => format!("a part not shown as body text ({part})"),
            (Place::Attribute(name), true) => format!("标记属性 {name}"),
            (Place::Attribute(name), false) => format!("the markup attribute {name}"),
            (Place::MarkupComment, true) => "标记中的注释".to_string(),
            (Place::MarkupComment, false) => "a comment in the markup".to_string(),
        }
    }
}

/// The text of an office document, piece by piece, and what it carries unseen.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct OfficeText {
    pub pieces: Vec<(Place, String)>,
    pub comments: usize,
    /// Insertions, deletions and moves recorded by tracked changes.
    pub revisions: usize,
    /// Who wrote the comments and revisions.
    pub reviewers: BTreeSet<String>,
}

/// Read a DOCX or XLSX file; the error says why it could not be read.
pub fn office_text(kind: AssetKind, bytes: &[u8]) -> Result<OfficeText, String> {
    let mut archive = zip::ZipArchive::new(Cursor::new(bytes)).map_err(|e| e.to_string())?;
    let names: Vec<String> = archive.file_names().map(str::to_string).collect();
    let mut read = |name: &str| -> Option<String> {
        let member = archive.by_name(name).ok()?;
        let mut text = String::new();
        member.take(MEMBER_LIMIT).read_to_string(&mut text).ok()?;
        Some(text)
    };
    let mut document = OfficeText::default();
    match kind {
        AssetKind::Docx => {
            let Some(body) = read("word/document.xml") else {
                return Err("it has no word/document.xml".into());
            };
            word_part(&body, &mut document, None);
            if let Some(comments) = read("word/comments.xml") {
                word_comments(&comments, &mut document);
            }
            for name in names.iter().filter(|n| is_word_margin(n)) {
                if let Some(part) = read(name) {
                    let label = name
                        .trim_start_matches("word/")
                        .trim_end_matches(".xml")
                        .to_string();
                    word_part(&part, &mut document, Some(label));
                }
            }
        }
        AssetKind::Xlsx => {
            let shared = read("xl/sharedStrings.xml")
                .map(|x| shared_strings(&x))
                .unwrap_or_default();
            let sheet_names =
                sheet_names(read("xl/workbook.xml"), read("xl/_rels/workbook.xml.rels"));
            let mut sheets: Vec<&String> = names
                .iter()
                .filter(|n| {
                    n.starts_with("xl/worksheets/") && n.ends_with(".xml") && !n.contains("/_rels/")
                })
                .collect();
            sheets.sort();
            for name in sheets {
                if let Some(xml) = read(name) {
                    let sheet = sheet_names.get(name.as_str()).cloned().unwrap_or_else(|| {
                        name.trim_start_matches("xl/worksheets/")
                            .trim_end_matches(".xml")
                            .to_string()
                    });
                    sheet_cells(&xml, &sheet, &shared, &mut document);
                }
            }
            for name in names
                .iter()
                .filter(|n| n.starts_with("xl/comments") && n.ends_with(".xml"))
            {
                if let Some(xml) = read(name) {
                    sheet_comments(&xml, &mut document);
                }
            }
        }
        AssetKind::Pdf | AssetKind::Image | AssetKind::Text => {
            return Err("not an office document".into());
        }
    }
    for (part, fields) in OOXML_PROPERTIES {
        if let Some(xml) = read(part) {
            properties(&xml, fields, &mut document);
        }
    }
    Ok(document)
}

/// The document properties of an Office Open XML package read as text.
pub(super) const OOXML_PROPERTIES: &[(&str, &[&str])] = &[
    (
        "docProps/core.xml",
        &[
            "dc:creator",
            "cp:lastModifiedBy",
            "dc:title",
            "dc:subject",
            "cp:keywords",
            "dc:description",
        ],
    ),
    ("docProps/app.xml", &["Company", "Manager"]),
];

fn is_word_margin(name: &str) -> bool {
    let Some(part) = name.strip_prefix("word/") else {
        return false;
    };
    part.ends_with(".xml")
        && !part.contains('/')
        && ["header", "footer", "footnotes", "endnotes"]
            .iter()
            .any(|p| part.starts_with(p))
}

/// Paragraphs of a WordprocessingML part: visible text and deleted text apart.
fn word_part(xml: &str, document: &mut OfficeText, margin: Option<String>) {
    let mut paragraph = 0;
    let mut visible = String::new();
    let mut deleted = String::new();
    let mut in_text = false;
    let mut in_deleted_text = false;
    let flush = |visible: &mut String,
                 deleted: &mut String,
                 paragraph: usize,
                 document: &mut OfficeText| {
        if !visible.trim().is_empty() {
            let place = match &margin {
                Some(part) => Place::Margin(part.clone()),
                None => Place::Paragraph(paragraph),
            };
            document.pieces.push((place, std::mem::take(visible)));
        }
        if !deleted.trim().is_empty() {
            document
                .pieces
                .push((Place::Deleted(paragraph), std::mem::take(deleted)));
        }
        visible.clear();
        deleted.clear();
    };
    for event in XmlEvents::new(xml) {
        match event {
            XmlEvent::Start {
                name,
                attributes,
                empty,
            } => match name {
                "w:p" if !empty => paragraph += 1,
                "w:t" => in_text = !empty,
                "w:delText" => in_deleted_text = !empty,
                "w:tab" => visible.push('\t'),
                "w:br" | "w:cr" => visible.push('\n'),
                "w:ins" | "w:del" | "w:moveFrom" | "w:moveTo" => {
                    document.revisions += 1;
                    if let Some(author) = attribute(attributes, "w:author") {
                        document.reviewers.insert(author);
                    }
                }
                _ => {}
            },
            XmlEvent::End { name } => match name {
                "w:t" => in_text = false,
                "w:delText" => in_deleted_text = false,
                "w:p" => flush(&mut visible, &mut deleted, paragraph, document),
                _ => {}
            },
            XmlEvent::Text(text) if in_text => visible.push_str(&decode_entities(text)),
            XmlEvent::Text(text) if in_deleted_text => deleted.push_str(&decode_entities(text)),
            XmlEvent::Text(_) => {}
        }
    }
    flush(&mut visible, &mut deleted, paragraph, document);
}

fn word_comments(xml: &str, document: &mut OfficeText) {
    let mut author = None;
    let mut text = String::new();
    let mut in_text = false;
    for event in XmlEvents::new(xml) {
        match event {
            XmlEvent::Start {
                name: "w:comment",
                attributes,
                ..
            } => {
                author = Some(attribute(attributes, "w:author").unwrap_or_default());
                text.clear();
            }
            XmlEvent::Start {
                name: "w:t" | "w:delText",
                empty,
                ..
            } => in_text = !empty,
            XmlEvent::End {
                name: "w:t" | "w:delText",
            } => in_text = false,
            XmlEvent::End { name: "w:p" } if !text.ends_with('\n') && !text.is_empty() => {
                text.push('\n')
            }
            XmlEvent::End { name: "w:comment" } => {
                let author = author.take().unwrap_or_default();
                document.comments += 1;
                if !author.is_empty() {
                    document.reviewers.insert(author.clone());
                }
                document
                    .pieces
                    .push((Place::Comment { author }, text.trim_end().to_string()));
                text.clear();
            }
            XmlEvent::Text(t) if in_text => text.push_str(&decode_entities(t)),
            _ => {}
        }
    }
}

/// The concatenated text of each `<si>` of sharedStrings.xml (phonetic runs left out).
fn shared_strings(xml: &str) -> Vec<String> {
    let mut strings = Vec::new();
    let mut current = String::new();
    let mut in_text = false;
    let mut in_phonetic = false;
    for event in XmlEvents::new(xml) {
        match event {
            XmlEvent::Start { name: "si", .. } => current.clear(),
            XmlEvent::End { name: "si" } => strings.push(std::mem::take(&mut current)),
            XmlEvent::Start {
                name: "rPh", empty, ..
            } => in_phonetic = !empty,
            XmlEvent::End { name: "rPh" } => in_phonetic = false,
            XmlEvent::Start {
                name: "t", empty, ..
            } => in_text = !empty,
            XmlEvent::End { name: "t" } => in_text = false,
            XmlEvent::Text(text) if in_text && !in_phonetic => {
                current.push_str(&decode_entities(text))
            }
            _ => {}
        }
    }
    strings
}

/// worksheet part path → sheet name, from workbook.xml and its relationships.
fn sheet_names(
    workbook: Option<String>,
    relationships: Option<String>,
) -> BTreeMap<String, String> {
    let (Some(workbook), Some(relationships)) = (workbook, relationships) else {
        return BTreeMap::new();
    };
    let mut targets = BTreeMap::new();
    for event in XmlEvents::new(&relationships) {
        if let XmlEvent::Start {
            name: "Relationship",
            attributes,
            ..
        } = event
            && let (Some(id), Some(target)) =
                (attribute(attributes, "Id"), attribute(attributes, "Target"))
        {
            let target = target.trim_start_matches('/');
            let path = if target.starts_with("xl/") {
                target.to_string()
            } else {
                format!("xl/{target}")
            };
            targets.insert(id, path);
        }
    }
    let mut names = BTreeMap::new();
    for event in XmlEvents::new(&workbook) {
        if let XmlEvent::Start {
            name: "sheet",
            attributes,
            ..
        } = event
            && let (Some(name), Some(id)) =
                (attribute(attributes, "name"), attribute(attributes, "r:id"))
            && let Some(path) = targets.get(&id)
        {
            names.insert(path.clone(), name);
        }
    }
    names
}

fn sheet_cells(xml: &str, sheet: &str, shared: &[String], document: &mut OfficeText) {
    let mut cell: Option<(String, Option<String>)> = None;
    let mut value = String::new();
    let mut in_value = false;
    for event in XmlEvents::new(xml) {
        match event {
            XmlEvent::Start {
                name: "c",
                attributes,
                empty,
            } => {
                value.clear();
                cell = (!empty).then(|| {
                    (
                        attribute(attributes, "r").unwrap_or_default(),
                        attribute(attributes, "t"),
                    )
                });
            }
            XmlEvent::Start {
                name: "v" | "t",
                empty,
                ..
            } => in_value = !empty,
            XmlEvent::End { name: "v" | "t" } => in_value = false,
            XmlEvent::Text(text) if in_value => value.push_str(&decode_entities(text)),
            XmlEvent::End { name: "c" } => {
                let Some((reference, kind)) = cell.take() else {
                    continue;
                };
                let text = match kind.as_deref() {
                    Some("s") => value
                        .trim()
                        .parse::<usize>()
                        .ok()
                        .and_then(|i| shared.get(i).cloned())
                        .unwrap_or_default(),
                    _ => std::mem::take(&mut value),
                };
                if !text.trim().is_empty() {
                    document.pieces.push((
                        Place::Cell {
                            sheet: sheet.to_string(),
                            cell: reference,
                        },
                        text,
                    ));
                }
            }
            _ => {}
        }
    }
}

fn sheet_comments(xml: &str, document: &mut OfficeText) {
    let mut authors: Vec<String> = Vec::new();
    let mut in_author = false;
    let mut current_author = String::new();
    let mut text = String::new();
    let mut in_text = false;
    for event in XmlEvents::new(xml) {
        match event {
            XmlEvent::Start {
                name: "author",
                empty,
                ..
            } => in_author = !empty,
            XmlEvent::End { name: "author" } => {
                in_author = false;
                authors.push(std::mem::take(&mut current_author));
            }
            XmlEvent::Text(t) if in_author => current_author.push_str(&decode_entities(t)),
            XmlEvent::Start {
                name: "comment",
                attributes,
                ..
            } => {
                text.clear();
                current_author = attribute(attributes, "authorId")
                    .and_then(|id| id.parse::<usize>().ok())
                    .and_then(|id| authors.get(id).cloned())
                    .unwrap_or_default();
            }
            XmlEvent::Start {
                name: "t", empty, ..
            } => in_text = !empty,
            XmlEvent::End { name: "t" } => in_text = false,
            XmlEvent::Text(t) if in_text => text.push_str(&decode_entities(t)),
            XmlEvent::End { name: "comment" } => {
                let author = std::mem::take(&mut current_author);
                document.comments += 1;
                if !author.is_empty() {
                    document.reviewers.insert(author.clone());
                }
                document
                    .pieces
                    .push((Place::Comment { author }, std::mem::take(&mut text)));
            }
            _ => {}
        }
    }
}

pub(super) fn properties(xml: &str, fields: &[&str], document: &mut OfficeText) {
    let mut current: Option<&str> = None;
    for event in XmlEvents::new(xml) {
        match event {
            XmlEvent::Start {
                name, empty: false, ..
            } => current = fields.iter().find(|f| **f == name).copied(),
            XmlEvent::End { .. } => current = None,
            XmlEvent::Text(text) => {
                if let Some(field) = current
                    && !text.trim().is_empty()
                {
                    document
                        .pieces
                        .push((Place::Property(field.to_string()), decode_entities(text)));
                }
            }
            _ => {}
        }
    }
}

/// One XML event of the tiny reader below (enough for OOXML parts, which
/// have no DTDs and no entities beyond the predefined ones).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) enum XmlEvent<'a> {
    Start {
        name: &'a str,
        attributes: &'a str,
        empty: bool,
    },
    End {
        name: &'a str,
    },
    Text(&'a str),
}

pub(super) struct XmlEvents<'a> {
    rest: &'a str,
}

impl<'a> XmlEvents<'a> {
    pub(super) fn new(xml: &'a str) -> Self {
        XmlEvents { rest: xml }
    }
}

impl<'a> Iterator for XmlEvents<'a> {
    type Item = XmlEvent<'a>;

    fn next(&mut self) -> Option<XmlEvent<'a>> {
        loop {
            if self.rest.is_empty() {
                return None;
            }
            if !self.rest.starts_with('<') {
                let end = self.rest.find('<').unwrap_or(self.rest.len());
                let (text, rest) = self.rest.split_at(end);
                self.rest = rest;
                return Some(XmlEvent::Text(text));
            }
            let skip_to = |rest: &'a str, close: &str| {
                rest.find(close)
                    .map(|i| &rest[i + close.len()..])
                    .unwrap_or("")
            };
            if self.rest.starts_with("<?") {
                self.rest = skip_to(self.rest, "?>");
                continue;
            }
            if self.rest.starts_with("<!--") {
                self.rest = skip_to(self.rest, "-->");
                continue;
            }
            if let Some(data) = self.rest.strip_prefix("<![CDATA[") {
                let end = data.find("]]>").unwrap_or(data.len());
                self.rest = data.get(end + 3..).unwrap_or("");
                return Some(XmlEvent::Text(&data[..end]));
            }
            if self.rest.starts_with("<!") {
                self.rest = skip_to(self.rest, ">");
                continue;
            }
            let end = self.rest.find('>')?;
            let tag = &self.rest[1..end];
            self.rest = &self.rest[end + 1..];
            if let Some(name) = tag.strip_prefix('/') {
                return Some(XmlEvent::End { name: name.trim() });
            }
            let empty = tag.ends_with('/');
            let tag = tag.trim_end_matches('/');
            let (name, attributes) = tag
                .split_once(|c: char| c.is_whitespace())
                .unwrap_or((tag, ""));
            return Some(XmlEvent::Start {
                name,
                attributes,
                empty,
            });
        }
    }
}

/// The value of an attribute in a tag's attribute text.
pub(super) fn attribute(attributes: &str, name: &str) -> Option<String> {
    let mut rest = attributes;
    while let Some(at) = rest.find(name) {
        let before_ok = at == 0 || rest[..at].ends_with(char::is_whitespace);
        let after = rest[at + name.len()..].trim_start();
        if before_ok && let Some(value) = after.strip_prefix('=') {
            let value = value.trim_start();
            let quote = value.chars().next()?;
            if quote == '"' || quote == '\'' {
                let inner = &value[1..];
                let end = inner.find(quote)?;
                return Some(decode_entities(&inner[..end]));
            }
        }
        rest = &rest[at + name.len()..];
    }
    None
}

/// Replace the predefined and numeric character references.
pub fn decode_entities(text: &str) -> String {
    if !text.contains('&') {
        return text.to_string();
    }
    let mut out = String::with_capacity(text.len());
    let mut rest = text;
    while let Some(at) = rest.find('&') {
        out.push_str(&rest[..at]);
        rest = &rest[at..];
        let Some(end) = rest.find(';').filter(|&e| e <= 12) else {
            out.push('&');
            rest = &rest[1..];
            continue;
        };
        let entity = &rest[1..end];
        let decoded = match entity {
            "amp" => Some('&'),
            "lt" => Some('<'),
            "gt" => Some('>'),
            "quot" => Some('"'),
            "apos" => Some('\''),
            "nbsp" => Some('\u{a0}'),
            _ => entity
                .strip_prefix("#x")
                .or_else(|| entity.strip_prefix("#X"))
                .and_then(|hex| u32::from_str_radix(hex, 16).ok())
                .or_else(|| entity.strip_prefix('#').and_then(|d| d.parse().ok()))
                .and_then(char::from_u32),
        };
        match decoded {
            Some(c) => {
                out.push(c);
                rest = &rest[end + 1..];
            }
            None => {
                out.push('&');
                rest = &rest[1..];
            }
        }
    }
    out.push_str(rest);
    out
}

#[cfg(test)]
pub(crate) mod tests {
    use std::io::Write;

    use super::*;

    /// A zip archive of the given members (deflated), as Word or Excel write them.
    pub(crate) fn zip_of(members: &[(&str, &str)]) -> Vec<u8> {
        let mut buffer = Cursor::new(Vec::new());
        {
            let mut writer = zip::ZipWriter::new(&mut buffer);
            let options = zip::write::SimpleFileOptions::default()
                .compression_method(zip::CompressionMethod::Deflated);
            for (name, text) in members {
                writer.start_file(*name, options).unwrap();
                writer.write_all(text.as_bytes()).unwrap();
            }
            writer.finish().unwrap();
        }
        buffer.into_inner()
    }

    /// A DOCX whose body says `body`, with one comment and one tracked deletion.
    pub(crate) fn docx(body: &str, comment: &str, deleted: &str) -> Vec<u8> {
        let document = format!(
            r#"<?xml version="1.0" encoding="UTF-8" standalone="yes"?>
<w:document xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main"><w:body>
<w:p><w:r><w:t>{body}</w:t></w:r></w:p>
<w:p><w:del w:id="1" w:author="李审核"><w:r><w:delText>{deleted}</w:delText></w:r></w:del><w:r><w:t xml:space="preserve">第二段 &amp; 结束</w:t></w:r></w:p>
</w:body></w:document>"#
        );
        let comments = format!(
            r#"<w:comments xmlns:w="x"><w:comment w:id="0" w:author="王编辑" w:initials="W"><w:p><w:r><w:t>{comment}</w:t></w:r></w:p></w:comment></w:comments>"#
        );
        let core = r#"<cp:coreProperties xmlns:cp="x" xmlns:dc="y"><dc:creator>张三</dc:creator><cp:lastModifiedBy>李四</cp:lastModifiedBy></cp:coreProperties>"#;
        zip_of(&[
            ("[Content_Types].xml", "<Types/>"),
            ("word/document.xml", &document),
            ("word/comments.xml", &comments),
            ("docProps/core.xml", core),
        ])
    }

    #[test]
    fn docx_text_comments_and_deletions() {
        let document =
            office_text(AssetKind::Docx, &docx("正文内容", "请核对电话", "旧的文字")).unwrap();
        assert_eq!(document.comments, 1);
        assert_eq!(document.revisions, 1);
        assert!(document.reviewers.contains("王编辑") && document.reviewers.contains("李审核"));
        let find = |place: &Place| {
            document
                .pieces
                .iter()
                .find(|(p, _)| p == place)
                .map(|(_, t)| t.as_str())
        };
        assert_eq!(find(&Place::Paragraph(1)), Some("正文内容"));
        assert_eq!(find(&Place::Paragraph(2)), Some("第二段 & 结束"));
        assert_eq!(find(&Place::Deleted(2)), Some("旧的文字"));
        assert_eq!(
            find(&Place::Comment {
                author: "王编辑".into()
            }),
            Some("请核对电话")
        );
        assert_eq!(find(&Place::Property("dc:creator".into())), Some("张三"));
    }

    #[test]
    fn xlsx_cells_with_shared_strings_and_sheet_names() {
        let workbook =
            r#"<workbook><sheets><sheet name="名单" sheetId="1" r:id="rId1"/></sheets></workbook>"#;
        let rels = r#"<Relationships><Relationship Id="rId1" Type="t" Target="worksheets/sheet1.xml"/></Relationships>"#;
        let shared = r#"<sst><si><t>王五</t></si><si><r><t>联系</t></r><r><t>电话</t></r><rPh><t>レン</t></rPh></si></sst>"#;
        let sheet = r#"<worksheet><sheetData><row r="1"><c r="A1" t="s"><v>0</v></c><c r="B1" t="s"><v>1</v></c><c r="C1"><v>13812345678</v></c><c r="D1" t="inlineStr"><is><t>备注</t></is></c></row></sheetData></worksheet>"#;
        let bytes = zip_of(&[
            ("xl/workbook.xml", workbook),
            ("xl/_rels/workbook.xml.rels", rels),
            ("xl/sharedStrings.xml", shared),
            ("xl/worksheets/sheet1.xml", sheet),
        ]);
        let document = office_text(AssetKind::Xlsx, &bytes).unwrap();
        let cell = |reference: &str| {
            document
                .pieces
                .iter()
                .find(|(p, _)| {
                    *p == Place::Cell {
                        sheet: "名单".into(),
                        cell: reference.into(),
                    }
                })
                .map(|(_, t)| t.clone())
        };
        assert_eq!(cell("A1").as_deref(), Some("王五"));
        assert_eq!(cell("B1").as_deref(), Some("联系电话"));
        assert_eq!(cell("C1").as_deref(), Some("13812345678"));
        assert_eq!(cell("D1").as_deref(), Some("备注"));
    }

    #[test]
    fn broken_archives_are_errors_not_panics() {
        assert!(office_text(AssetKind::Docx, b"not a zip").is_err());
        assert!(office_text(AssetKind::Docx, &zip_of(&[("x.xml", "<a/>")])).is_err());
    }

    #[test]
    fn entities_and_attributes() {
        assert_eq!(
            decode_entities("a &amp; b &#x4E2D;&#25991; &bogus; &"),
            "a & b 中文 &bogus; &"
        );
        assert_eq!(
            attribute(r#"w:id="1" w:author="王 &quot;A&quot;""#, "w:author").as_deref(),
            Some("王 \"A\"")
        );
        assert_eq!(attribute(r#"xw:author="x""#, "w:author"), None);
    }
}
