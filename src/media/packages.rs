//! The other zipped-XML documents portals publish, read as text like Word
//! and Excel files ([`super::office`]): PowerPoint (PPTX) slides, speaker
//! notes and comments; OpenDocument (ODT, ODS, ODP) bodies, headers,
//! footers, annotations and tracked changes; and OFD (GB/T 33190, the
//! fixed-layout format of Chinese e-government) pages and annotations —
//! each with its document properties.

use std::collections::BTreeMap;
use std::io::{Cursor, Read};

use super::office::{MEMBER_LIMIT, XmlEvent, XmlEvents, attribute, decode_entities, properties};
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
        .rfind(|c: char| !c.is_ascii_digit())
        .map_or(0, |i| i + 1);
    name[start..end].parse().ok()
}

/// The part of an element name after its prefix.
fn local(name: &str) -> &str {
    name.rsplit_once(':').map_or(name, |(_, l)| l)
}

/// The text of an XML part: character data inside elements named `text`
/// (or all of it when `text` is empty), a new line after each `paragraph`
/// element, a tab after each `cell`.
fn part_text(xml: &str, text: &[&str], paragraph: &[&str], cell: &[&str]) -> String {
    let mut out = String::new();
    let mut inside = 0usize;
    for event in XmlEvents::new(xml) {
        match event {
            XmlEvent::Start { name, empty, .. } => {
                let name = local(name);
                if !empty && text.contains(&name) {
                    inside += 1;
                }
                if matches!(name, "br" | "line-break") {
                    out.push('\n');
                } else if matches!(name, "tab") {
                    out.push('\t');
                } else if name == "s" && empty {
                    out.push(' ');
                }
            }
            XmlEvent::End { name } => {
                let name = local(name);
                if text.contains(&name) {
                    inside = inside.saturating_sub(1);
                }
                if paragraph.contains(&name) && !out.ends_with('\n') && !out.is_empty() {
                    out.push('\n');
                } else if cell.contains(&name) && !out.ends_with(['\t', '\n']) {
                    out.push('\t');
                }
            }
            XmlEvent::Text(t) if inside > 0 || text.is_empty() => {
                out.push_str(&decode_entities(t));
            }
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
    for (part, fields) in [
        (
            "docProps/core.xml",
            &[
                "dc:creator",
                "cp:lastModifiedBy",
                "dc:title",
                "dc:subject",
                "cp:keywords",
                "dc:description",
            ][..],
        ),
        ("docProps/app.xml", &["Company", "Manager"][..]),
    ] {
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
            let text = part_text(&xml, &["t"], &["p"], &[]);
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
            let text = part_text(&xml, &["t"], &["p"], &[]);
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
        let Some(xml) = package.read(&name) else {
            continue;
        };
        let mut current: Option<(String, String)> = None;
        let mut in_text = false;
        for event in XmlEvents::new(&xml) {
            match event {
                XmlEvent::Start {
                    name, attributes, ..
                } if local(name) == "cm" => {
                    let author = attribute(attributes, "authorId")
                        .and_then(|id| names.get(&id).cloned())
                        .unwrap_or_default();
                    current = Some((author, String::new()));
                }
                XmlEvent::Start { name, empty, .. } if matches!(local(name), "text" | "t") => {
                    in_text = !empty;
                }
                XmlEvent::End { name } if matches!(local(name), "text" | "t") => in_text = false,
                XmlEvent::Text(t) if in_text => {
                    if let Some((_, text)) = current.as_mut() {
                        text.push_str(&decode_entities(t));
                    }
                }
                XmlEvent::End { name } if local(name) == "cm" => {
                    if let Some((author, text)) = current.take() {
                        push_comment(document, author, text);
                    }
                }
                _ => {}
            }
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
    let paragraphs = ["p", "h", "table-row"];
    let cells = ["table-cell"];
    let mut body = String::new();
    let mut revisions = String::new();
    // (author, text) of the annotation being read.
    let mut annotation: Option<(String, String)> = None;
    let mut in_creator = false;
    // Dates of annotations and changes: numbers, never prose.
    let mut in_date = false;
    let mut in_changes = 0usize;
    let mut in_body = false;
    for event in XmlEvents::new(&content) {
        match event {
            XmlEvent::Start {
                name, empty: false, ..
            } => match local(name) {
                "body" => in_body = true,
                "annotation" => annotation = Some((String::new(), String::new())),
                "tracked-changes" => in_changes += 1,
                "creator" => in_creator = true,
                "date" => in_date = true,
                "changed-region" => document.revisions += 1,
                _ => {}
            },
            XmlEvent::Start { name, .. } => {
                let target = match (&mut annotation, in_changes) {
                    (Some((_, text)), _) => text,
                    (None, 0) => &mut body,
                    (None, _) => &mut revisions,
                };
                match local(name) {
                    "line-break" => target.push('\n'),
                    "tab" => target.push('\t'),
                    "s" => target.push(' '),
                    _ => {}
                }
            }
            XmlEvent::End { name } => {
                let name = local(name);
                let target = match (&mut annotation, in_changes) {
                    (Some((_, text)), _) => text,
                    (None, 0) => &mut body,
                    (None, _) => &mut revisions,
                };
                if paragraphs.contains(&name) && !target.ends_with('\n') && !target.is_empty() {
                    target.push('\n');
                } else if cells.contains(&name) && !target.ends_with(['\t', '\n']) {
                    target.push('\t');
                }
                match name {
                    "annotation" => {
                        if let Some((author, text)) = annotation.take() {
                            push_comment(document, author, text.trim().to_string());
                        }
                    }
                    "tracked-changes" => in_changes = in_changes.saturating_sub(1),
                    "creator" => in_creator = false,
                    "date" => in_date = false,
                    "body" => in_body = false,
                    _ => {}
                }
            }
            XmlEvent::Text(_) if in_date => {}
            XmlEvent::Text(t) => {
                let t = decode_entities(t);
                match (&mut annotation, in_creator, in_changes) {
                    (Some((author, _)), true, _) => author.push_str(&t),
                    (Some((_, text)), false, _) => text.push_str(&t),
                    (None, true, _) => {
                        document.reviewers.insert(t.trim().to_string());
                    }
                    (None, false, 0) if in_body => body.push_str(&t),
                    (None, false, 0) => {}
                    (None, false, _) => revisions.push_str(&t),
                }
            }
        }
    }
    document.reviewers.remove("");
    if !body.trim().is_empty() {
        document.pieces.push((Place::Text, body.trim().to_string()));
    }
    if !revisions.trim().is_empty() {
        document.pieces.push((
            Place::Margin("tracked changes".into()),
            revisions.trim().to_string(),
        ));
    }
    if let Some(styles) = package.read("styles.xml") {
        let margins = part_text(
            &styles,
            &[
                "header",
                "footer",
                "header-left",
                "footer-left",
                "header-first",
                "footer-first",
            ],
            &paragraphs,
            &cells,
        );
        if !margins.is_empty() {
            document
                .pieces
                .push((Place::Margin("header/footer".into()), margins));
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

/// OFD: the text objects of each page, annotations, and the document
/// information in OFD.xml.
fn ofd(package: &mut Package<'_>, document: &mut OfficeText) {
    let pages = package.numbered(|n| n.contains("/Pages/Page_") && n.ends_with("/Content.xml"));
    for (index, (_, name)) in pages.into_iter().enumerate() {
        if let Some(xml) = package.read(&name) {
            let text = part_text(&xml, &["TextCode"], &["TextObject"], &[]);
            if !text.is_empty() {
                let page = u32::try_from(index + 1).unwrap_or(u32::MAX);
                document.pieces.push((Place::Page(page), text));
            }
        }
    }
    let annotations = package.numbered(|n| n.contains("/Annots/") && n.ends_with(".xml"));
    for (_, name) in annotations {
        let Some(xml) = package.read(&name) else {
            continue;
        };
        let mut current: Option<(String, String)> = None;
        let mut in_text = false;
        for event in XmlEvents::new(&xml) {
            match event {
                XmlEvent::Start {
                    name, attributes, ..
                } if local(name) == "Annot" => {
                    let author = attribute(attributes, "Creator").unwrap_or_default();
                    current = Some((author, String::new()));
                }
                XmlEvent::Start { name, empty, .. }
                    if matches!(local(name), "Remark" | "TextCode") =>
                {
                    in_text = !empty;
                }
                XmlEvent::End { name } if matches!(local(name), "Remark" | "TextCode") => {
                    in_text = false;
                    if let Some((_, text)) = current.as_mut() {
                        text.push('\n');
                    }
                }
                XmlEvent::Text(t) if in_text => {
                    if let Some((_, text)) = current.as_mut() {
                        text.push_str(&decode_entities(t));
                    }
                }
                XmlEvent::End { name } if local(name) == "Annot" => {
                    if let Some((author, text)) = current.take() {
                        push_comment(document, author, text.trim().to_string());
                    }
                }
                _ => {}
            }
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
