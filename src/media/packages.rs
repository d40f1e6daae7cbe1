//! The other zipped-XML documents portals publish, read as text like Word
//! and Excel files ([`super::office`]): PowerPoint (PPTX) slides, speaker
//! notes and comments; OpenDocument (ODT, ODS, ODP) bodies, headers,
//! footers, annotations and tracked changes; and OFD (GB/T 33190, the
//! fixed-layout format of Chinese e-government) pages and annotations —
//! each with its document properties.

use std::collections::BTreeMap;
use std::io::{Cursor, Read};

use super::office::{
    MEMBER_LIMIT, OOXML_PROPERTIES, XmlEvent, XmlEvents, attribute, decode_entities, properties,
};
use super::{Format, OfficeText, Place};

/// The most decompressed XML read from one package, all members together.
const PACKAGE_LIMIT: u64 = 256 << 20;

/// At most this many members of one kind (slides, pages) are read.
const MAX_MEMBERS: usize = 10_000;

/// Read a PPTX, OpenDocument or OFD package; the error says why it could not be read.
pub(crate) fn package_text(format: Format, bytes: &[u8]) -> Result<OfficeText, String> {
    let mut package = Package::open(bytes)?;
    let mut document = OfficeText::default();
    match format {
        Format::Pptx => presentation(&mut package, &mut document),
        Format::OpenDocument => open_document(&mut package, &mut document)?,
        Format::Ofd => ofd(&mut package, &mut document),
        _ => return Err("not a PPTX, OpenDocument or OFD package".into()),
    }
    Ok(document)
}

/// The names of the files in a ZIP archive, one per line (at most
/// [`MAX_MEMBERS`]): they are published with it.
pub(crate) fn member_names(bytes: &[u8]) -> String {
    zip::ZipArchive::new(Cursor::new(bytes))
        .map(|archive| {
            archive
                .file_names()
                .take(MAX_MEMBERS)
                .collect::<Vec<_>>()
                .join("\n")
        })
        .unwrap_or_default()
}

struct Package<'a> {
    archive: zip::ZipArchive<Cursor<&'a [u8]>>,
    names: Vec<String>,
    budget: u64,
}

impl<'a> Package<'a> {
    fn open(bytes: &'a [u8]) -> Result<Package<'a>, String> {
        let archive = zip::ZipArchive::new(Cursor::new(bytes)).map_err(|e| e.to_string())?;
        let names = archive.file_names().map(str::to_string).collect();
        Ok(Package {
            archive,
            names,
            budget: PACKAGE_LIMIT,
        })
    }

    /// A member's text, within the package's budget.
    fn read(&mut self, name: &str) -> Option<String> {
        let member = self.archive.by_name(name).ok()?;
        let mut text = String::new();
        member
            .take(MEMBER_LIMIT.min(self.budget))
            .read_to_string(&mut text)
            .ok()?;
        self.budget = self.budget.saturating_sub(text.len() as u64);
        Some(text)
    }

    /// Members whose names match, ordered by the number in them
    /// (`slide2.xml` before `slide10.xml`), with that number.
    fn numbered(&self, matches: impl Fn(&str) -> bool) -> Vec<(usize, String)> {
        let mut members: Vec<(usize, String)> = self
            .names
            .iter()
            .filter(|name| matches(name))
            .map(|name| (last_number(name).unwrap_or(0), name.clone()))
            .collect();
        members.sort();
        members.truncate(MAX_MEMBERS);
        members
    }
}

/// The last run of digits in a member name.
fn last_number(name: &str) -> Option<usize> {
    let end = name.rfind(|c: char| c.is_ascii_digit())? + 1;
    let start = name[..end]
        .char_indices()
        .rev()
        .find(|(_, c)| !c.is_ascii_digit())
        .map_or(0, |(i, c)| i + c.len_utf8());
    name[start..end].parse().ok()
}

/// The part of an element name after its prefix.
fn local(name: &str) -> &str {
    name.rsplit_once(':').map_or(name, |(_, l)| l)
}

/// The text of an XML part: character data inside elements named `text`,
/// a new line after each `paragraph` element.
fn part_text(xml: &str, text: &[&str], paragraph: &[&str]) -> String {
    let mut out = String::new();
    let mut inside = 0usize;
    for event in XmlEvents::new(xml) {
        match event {
            XmlEvent::Start { name, empty, .. } => {
                let name = local(name);
                if !empty && text.contains(&name) {
                    inside += 1;
                }
                match name {
                    "br" => out.push('\n'),
                    "tab" => out.push('\t'),
                    _ => {}
                }
            }
            XmlEvent::End { name } => {
                let name = local(name);
                if text.contains(&name) {
                    inside = inside.saturating_sub(1);
                }
                if paragraph.contains(&name) && !out.ends_with('\n') && !out.is_empty() {
                    out.push('\n');
                }
            }
            XmlEvent::Text(t) if inside > 0 => out.push_str(&decode_entities(t)),
            XmlEvent::Text(_) => {}
        }
    }
    out.trim().to_string()
}

/// Comment authors: `id` → `name`, from elements of the given local name.
fn authors(xml: &str, element: &str) -> BTreeMap<String, String> {
    let mut authors = BTreeMap::new();
    for event in XmlEvents::new(xml) {
        if let XmlEvent::Start {
            name, attributes, ..
        } = event
            && local(name) == element
            && let (Some(id), Some(author)) =
                (attribute(attributes, "id"), attribute(attributes, "name"))
        {
            authors.insert(id, author);
        }
    }
    authors
}

/// The comments of a part: each `element` is one, its author named by its
/// attributes, its text the character data of `text` elements (a line each).
fn comments(
    xml: &str,
    element: &str,
    author_of: impl Fn(&str) -> String,
    text: &[&str],
    document: &mut OfficeText,
) {
    let mut current: Option<(String, String)> = None;
    let mut in_text = false;
    for event in XmlEvents::new(xml) {
        match event {
            XmlEvent::Start {
                name, attributes, ..
            } if local(name) == element => current = Some((author_of(attributes), String::new())),
            XmlEvent::Start { name, empty, .. } if text.contains(&local(name)) => in_text = !empty,
            XmlEvent::End { name } if text.contains(&local(name)) => {
                in_text = false;
                if let Some((_, comment)) = current.as_mut() {
                    comment.push('\n');
                }
            }
            XmlEvent::Text(t) if in_text => {
                if let Some((_, comment)) = current.as_mut() {
                    comment.push_str(&decode_entities(t));
                }
            }
            XmlEvent::End { name } if local(name) == element => {
                if let Some((author, comment)) = current.take() {
                    push_comment(document, author, comment.trim().to_string());
                }
            }
            _ => {}
        }
    }
}

fn push_comment(document: &mut OfficeText, author: String, text: String) {
    document.comments += 1;
    if !author.is_empty() {
        document.reviewers.insert(author.clone());
    }
    if !text.trim().is_empty() {
        document.pieces.push((Place::Comment { author }, text));
    }
}

fn document_properties(package: &mut Package<'_>, document: &mut OfficeText) {
    for (part, fields) in OOXML_PROPERTIES {
        if let Some(xml) = package.read(part) {
            properties(&xml, fields, document);
        }
    }
}

/// PowerPoint: slides, speaker notes, comments (classic and modern).
fn presentation(package: &mut Package<'_>, document: &mut OfficeText) {
    let slides = package.numbered(|n| {
        n.starts_with("ppt/slides/slide") && n.ends_with(".xml") && !n.contains("/_rels/")
    });
    for (number, name) in slides {
        if let Some(xml) = package.read(&name) {
            let text = part_text(&xml, &["t"], &["p"]);
            if !text.is_empty() {
                document.pieces.push((Place::Slide(number), text));
            }
        }
    }
    let notes = package.numbered(|n| {
        n.starts_with("ppt/notesSlides/notesSlide") && n.ends_with(".xml") && !n.contains("/_rels/")
    });
    for (number, name) in notes {
        if let Some(xml) = package.read(&name) {
            let text = part_text(&xml, &["t"], &["p"]);
            if !text.is_empty() {
                document
                    .pieces
                    .push((Place::Margin(format!("notesSlide{number}")), text));
            }
        }
    }
    let mut names = package
        .read("ppt/commentAuthors.xml")
        .map(|xml| authors(&xml, "cmAuthor"))
        .unwrap_or_default();
    if let Some(xml) = package.read("ppt/authors.xml") {
        names.extend(authors(&xml, "author"));
    }
    let comment_parts = package.numbered(|n| n.starts_with("ppt/comments/") && n.ends_with(".xml"));
    for (_, name) in comment_parts {
        if let Some(xml) = package.read(&name) {
            let author = |attributes: &str| {
                attribute(attributes, "authorId")
                    .and_then(|id| names.get(&id).cloned())
                    .unwrap_or_default()
            };
            comments(&xml, "cm", author, &["text", "t"], document);
        }
    }
    document_properties(package, document);
}

/// OpenDocument: the body (annotations and tracked changes apart), headers
/// and footers, and the metadata.
fn open_document(package: &mut Package<'_>, document: &mut OfficeText) -> Result<(), String> {
    let Some(content) = package.read("content.xml") else {
        return Err("it has no content.xml".into());
    };
    let mut body = OdfText::default();
    let mut revisions = OdfText::default();
    // (author, text) of the annotation being read.
    let mut annotation: Option<(String, OdfText)> = None;
    let mut in_creator = false;
    // Dates of annotations and changes: numbers, never prose.
    let mut in_date = false;
    let mut in_changes = 0usize;
    for event in XmlEvents::new(&content) {
        let target = match (&mut annotation, in_changes) {
            (Some((_, text)), _) => text,
            (None, 0) => &mut body,
            (None, _) => &mut revisions,
        };
        match event {
            XmlEvent::Start { name, empty, .. } => {
                let name = local(name);
                target.start(name, empty);
                if empty {
                    continue;
                }
                match name {
                    "annotation" => annotation = Some((String::new(), OdfText::default())),
                    "tracked-changes" => in_changes += 1,
                    "creator" => in_creator = true,
                    "date" => in_date = true,
                    "changed-region" => document.revisions += 1,
                    _ => {}
                }
            }
            XmlEvent::End { name } => {
                let name = local(name);
                target.end(name);
                match name {
                    "annotation" => {
                        if let Some((author, text)) = annotation.take() {
                            push_comment(document, author, text.text.trim().to_string());
                        }
                    }
                    "tracked-changes" => in_changes = in_changes.saturating_sub(1),
                    "creator" => in_creator = false,
                    "date" => in_date = false,
                    _ => {}
                }
            }
            XmlEvent::Text(_) if in_date => {}
            XmlEvent::Text(t) if in_creator => {
                let t = decode_entities(t);
                match annotation.as_mut() {
                    Some((author, _)) => author.push_str(&t),
                    None => {
                        document.reviewers.insert(t.trim().to_string());
                    }
                }
            }
            XmlEvent::Text(t) => target.text(t),
        }
    }
    document.reviewers.remove("");
    if !body.text.trim().is_empty() {
        document
            .pieces
            .push((Place::Text, body.text.trim().to_string()));
    }
    if !revisions.text.trim().is_empty() {
        document.pieces.push((
            Place::Margin("tracked changes".into()),
            revisions.text.trim().to_string(),
        ));
    }
    if let Some(styles) = package.read("styles.xml") {
        let mut margins = OdfText::default();
        let mut in_margin = 0usize;
        for event in XmlEvents::new(&styles) {
            match event {
                XmlEvent::Start { name, empty, .. } => {
                    let name = local(name);
                    if !empty && (name.starts_with("header") || name.starts_with("footer")) {
                        in_margin += 1;
                    }
                    if in_margin > 0 {
                        margins.start(name, empty);
                    }
                }
                XmlEvent::End { name } => {
                    let name = local(name);
                    if in_margin > 0 {
                        margins.end(name);
                    }
                    if name.starts_with("header") || name.starts_with("footer") {
                        in_margin = in_margin.saturating_sub(1);
                    }
                }
                XmlEvent::Text(t) if in_margin > 0 => margins.text(t),
                XmlEvent::Text(_) => {}
            }
        }
        if !margins.text.trim().is_empty() {
            document.pieces.push((
                Place::Margin("header/footer".into()),
                margins.text.trim().to_string(),
            ));
        }
    }
    if let Some(meta) = package.read("meta.xml") {
        properties(
            &meta,
            &[
                "dc:title",
                "dc:subject",
                "dc:description",
                "dc:creator",
                "meta:keyword",
                "meta:initial-creator",
                "meta:user-defined",
            ],
            document,
        );
    }
    Ok(())
}

/// OpenDocument text as it is laid out: the character data of paragraphs
/// and headings (white space between elements is not content), a line per
/// paragraph, table cells side by side and a line per row.
#[derive(Debug, Default)]
struct OdfText {
    text: String,
    paragraphs: usize,
    cells: usize,
}

impl OdfText {
    fn start(&mut self, name: &str, empty: bool) {
        match name {
            "p" | "h" if !empty => self.paragraphs += 1,
            "table-cell" if !empty => self.cells += 1,
            "line-break" => self.text.push('\n'),
            "tab" => self.text.push('\t'),
            "s" => self.text.push(' '),
            _ => {}
        }
    }

    fn end(&mut self, name: &str) {
        let text = &mut self.text;
        match name {
            "p" | "h" => {
                self.paragraphs = self.paragraphs.saturating_sub(1);
                let separator = if self.cells > 0 { ' ' } else { '\n' };
                if !text.is_empty() && !text.ends_with(['\n', '\t', ' ']) {
                    text.push(separator);
                }
            }
            "table-cell" => {
                self.cells = self.cells.saturating_sub(1);
                if text.ends_with(' ') {
                    text.pop();
                }
                text.push('\t');
            }
            "table-row" => {
                if text.ends_with('\t') {
                    text.pop();
                }
                text.push('\n');
            }
            _ => {}
        }
    }

    fn text(&mut self, text: &str) {
        if self.paragraphs > 0 {
            self.text.push_str(&decode_entities(text));
        }
    }
}

/// OFD: the text objects of each page, annotations, and the document
/// information in OFD.xml.
fn ofd(package: &mut Package<'_>, document: &mut OfficeText) {
    let pages = package.numbered(|n| n.contains("/Pages/Page_") && n.ends_with("/Content.xml"));
    for (index, (_, name)) in pages.into_iter().enumerate() {
        if let Some(xml) = package.read(&name) {
            let text = part_text(&xml, &["TextCode"], &["TextObject"]);
            if !text.is_empty() {
                let page = u32::try_from(index + 1).unwrap_or(u32::MAX);
                document.pieces.push((Place::Page(page), text));
            }
        }
    }
    let annotations = package.numbered(|n| n.contains("/Annots/") && n.ends_with(".xml"));
    for (_, name) in annotations {
        if let Some(xml) = package.read(&name) {
            let author = |attributes: &str| attribute(attributes, "Creator").unwrap_or_default();
            comments(&xml, "Annot", author, &["Remark", "TextCode"], document);
        }
    }
    if let Some(root) = package.read("OFD.xml") {
        properties(
            &root,
            &[
                "ofd:Title",
                "ofd:Author",
                "ofd:Subject",
                "ofd:Abstract",
                "ofd:Keyword",
                "ofd:Creator",
                "ofd:CustomData",
            ],
            document,
        );
    }
}

#[cfg(test)]
mod tests {
    use super::super::office::tests::zip_of;
    use super::*;

    fn find<'t>(document: &'t OfficeText, place: &Place) -> Option<&'t str> {
        document
            .pieces
            .iter()
            .find(|(p, _)| p == place)
            .map(|(_, t)| t.as_str())
    }

    #[test]
    fn members_are_numbered_by_their_last_digits() {
        assert_eq!(last_number("ppt/slides/slide12.xml"), Some(12));
        assert_eq!(last_number("Doc_0/Pages/页2/Content.xml"), Some(2));
        assert_eq!(last_number("content.xml"), None);
    }

    #[test]
    fn presentation_slides_notes_and_comments() {
        let slide = |text: &str| {
            format!(
                r#"<p:sld xmlns:a="a" xmlns:p="p"><p:cSld><p:spTree><p:sp><p:txBody><a:p><a:r><a:t>{text}</a:t></a:r></a:p><a:p><a:r><a:t>第二段</a:t></a:r></a:p></p:txBody></p:sp></p:spTree></p:cSld></p:sld>"#
            )
        };
        let bytes = zip_of(&[
            ("ppt/presentation.xml", "<p:presentation/>"),
            ("ppt/slides/slide10.xml", &slide("第十张")),
            (
                "ppt/slides/slide2.xml",
                &slide("电话 138<!-- -->1234&#53;678"),
            ),
            ("ppt/notesSlides/notesSlide2.xml", &slide("讲稿：秘密★1年")),
            (
                "ppt/commentAuthors.xml",
                r#"<p:cmAuthorLst><p:cmAuthor id="0" name="王编辑" initials="W"/></p:cmAuthorLst>"#,
            ),
            (
                "ppt/comments/comment1.xml",
                r#"<p:cmLst><p:cm authorId="0" idx="1"><p:pos x="1" y="2"/><p:text>删掉电话</p:text></p:cm></p:cmLst>"#,
            ),
            (
                "docProps/core.xml",
                r#"<cp:coreProperties><dc:creator>张三</dc:creator></cp:coreProperties>"#,
            ),
        ]);
        let document = package_text(Format::Pptx, &bytes).unwrap();
        let slides: Vec<&Place> = document
            .pieces
            .iter()
            .map(|(p, _)| p)
            .filter(|p| matches!(p, Place::Slide(_)))
            .collect();
        assert_eq!(slides, [&Place::Slide(2), &Place::Slide(10)]);
        assert_eq!(
            find(&document, &Place::Slide(2)),
            Some("电话 13812345678\n第二段")
        );
        assert_eq!(
            find(&document, &Place::Margin("notesSlide2".into())),
            Some("讲稿：秘密★1年\n第二段")
        );
        assert_eq!(
            find(
                &document,
                &Place::Comment {
                    author: "王编辑".into()
                }
            ),
            Some("删掉电话")
        );
        assert_eq!(document.comments, 1);
        assert_eq!(
            find(&document, &Place::Property("dc:creator".into())),
            Some("张三")
        );
    }

    #[test]
    fn open_document_body_annotations_changes_and_metadata() {
        let content = r#"<office:document-content><office:body><office:text>
<text:tracked-changes><text:changed-region text:id="c1"><text:deletion><office:change-info><dc:creator>李审核</dc:creator><dc:date>2024-01-02T03:04:05</dc:date></office:change-info><text:p>旧号码 13900000000</text:p></text:deletion></text:changed-region></text:tracked-changes>
<text:h>通知</text:h><text:p>联系<text:s/>电话<text:tab/>138<text:span>12345678</text:span><office:annotation><dc:creator>王编辑</dc:creator><dc:date>2024-01-01</dc:date><text:p>核对</text:p></office:annotation></text:p>
<table:table><table:table-row><table:table-cell><text:p>2026</text:p></table:table-cell><table:table-cell><text:p>13812345678</text:p></table:table-cell></table:table-row></table:table>
</office:text></office:body></office:document-content>"#;
        let styles = r#"<office:document-styles><style:master-page><style:footer><text:p>内部资料</text:p></style:footer></style:master-page></office:document-styles>"#;
        let meta = r#"<office:document-meta><office:meta><meta:initial-creator>张三</meta:initial-creator><dc:title>标题</dc:title></office:meta></office:document-meta>"#;
        let bytes = zip_of(&[
            ("mimetype", "application/vnd.oasis.opendocument.text"),
            ("content.xml", content),
            ("styles.xml", styles),
            ("meta.xml", meta),
        ]);
        let document = package_text(Format::OpenDocument, &bytes).unwrap();
        assert_eq!(
            find(&document, &Place::Text),
            Some("通知\n联系 电话\t13812345678\n2026\t13812345678")
        );
        assert_eq!(
            find(&document, &Place::Margin("tracked changes".into())),
            Some("旧号码 13900000000")
        );
        assert_eq!(
            find(
                &document,
                &Place::Comment {
                    author: "王编辑".into()
                }
            ),
            Some("核对")
        );
        assert_eq!(
            find(&document, &Place::Margin("header/footer".into())),
            Some("内部资料")
        );
        assert_eq!(
            find(&document, &Place::Property("meta:initial-creator".into())),
            Some("张三")
        );
        assert_eq!(document.revisions, 1);
        assert!(document.reviewers.contains("李审核") && document.reviewers.contains("王编辑"));
        assert!(package_text(Format::OpenDocument, &zip_of(&[("mimetype", "x")])).is_err());
    }

    #[test]
    fn ofd_pages_annotations_and_information() {
        let page = |text: &str| {
            format!(
                r#"<ofd:Page xmlns:ofd="http://www.ofdspec.org/2016"><ofd:Content><ofd:Layer><ofd:TextObject ID="1"><ofd:TextCode X="0" Y="10">{text}</ofd:TextCode></ofd:TextObject><ofd:TextObject ID="2"><ofd:TextCode X="0" Y="20">第二行</ofd:TextCode></ofd:TextObject></ofd:Layer></ofd:Content></ofd:Page>"#
            )
        };
        let bytes = zip_of(&[
            (
                "OFD.xml",
                r#"<ofd:OFD><ofd:DocBody><ofd:DocInfo><ofd:Title>红头文件</ofd:Title><ofd:Author>办公室</ofd:Author></ofd:DocInfo></ofd:DocBody></ofd:OFD>"#,
            ),
            ("Doc_0/Pages/Page_0/Content.xml", &page("机密★5年")),
            (
                "Doc_0/Pages/Page_1/Content.xml",
                &page("身份证 11010519491231002X"),
            ),
            (
                "Doc_0/Annots/Page_0/Annotation.xml",
                r#"<ofd:PageAnnot><ofd:Annot Type="Stamp" Creator="张三"><ofd:Remark>已审</ofd:Remark></ofd:Annot></ofd:PageAnnot>"#,
            ),
        ]);
        let document = package_text(Format::Ofd, &bytes).unwrap();
        assert_eq!(find(&document, &Place::Page(1)), Some("机密★5年\n第二行"));
        assert_eq!(
            find(&document, &Place::Page(2)),
            Some("身份证 11010519491231002X\n第二行")
        );
        assert_eq!(
            find(
                &document,
                &Place::Comment {
                    author: "张三".into()
                }
            ),
            Some("已审")
        );
        assert_eq!(
            find(&document, &Place::Property("ofd:Title".into())),
            Some("红头文件")
        );
    }
}
