//! Attachments in bundles: what a reader downloads besides the page.
//!
//! - Word and Excel files (DOCX, XLSX) are read as text — the body, and also
//!   what the file carries unseen: comments, deleted text kept by tracked
//!   changes, headers, footers, cell values, author fields — and run through
//!   the same secrets, personal-data and word rules as the article. Comments
//!   and tracked changes are reported in themselves (`attachment-metadata`):
//!   the review notes of an office go out with the file.
//! - PDF files are read the same way, page by page, with their annotations'
//!   comments and document information fields ([`pdf`]); pages whose text
//!   cannot be read (scans, fonts without a Unicode map) are reported as
//!   unchecked rather than passed as clean.
//! - Text files (CSV, TXT …) are scanned line by line.
//! - Images carrying GPS coordinates are reported (`image-gps`), and
//!   [`strip_metadata`] removes EXIF, XMP and text metadata from JPEG, PNG
//!   and WebP files as they are published, without re-encoding a pixel.

use std::borrow::Cow;
use std::collections::{BTreeMap, BTreeSet};
use std::io::{Cursor, Read};

pub mod pdf;

use crate::checks::content::{ContentRules, Purpose};
use crate::checks::{Finding, RuleId, Severity};
use crate::content::ArticlePath;

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
const MEMBER_LIMIT: u64 = 64 << 20;

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
    /// A page of a PDF (1-based).
    Page(u32),
}

impl Place {
    fn describe(&self, chinese: bool) -> String {
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
        if let Some(xml) = read(part) {
            properties(&xml, fields, &mut document);
        }
    }
    Ok(document)
}

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

fn properties(xml: &str, fields: &[&str], document: &mut OfficeText) {
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

/// GPS coordinates (latitude, longitude in degrees) an image's EXIF carries.
pub fn gps_position(bytes: &[u8]) -> Option<(f64, f64)> {
    let reader = exif::Reader::new();
    // A WebP EXIF chunk may or may not start with `Exif\0\0`; the exif
    // crate reads only the bare form, so the chunk is found here.
    let exif = match webp_exif(bytes) {
        Some(tiff) => reader.read_raw(tiff.to_vec()).ok()?,
        None => reader.read_from_container(&mut Cursor::new(bytes)).ok()?,
    };
    let degrees = |tag: exif::Tag, reference: exif::Tag, negative: u8| -> Option<f64> {
        let field = exif.get_field(tag, exif::In::PRIMARY)?;
        let exif::Value::Rational(parts) = &field.value else {
            return None;
        };
        let value = parts
            .iter()
            .zip([1.0, 60.0, 3600.0])
            .map(|(part, scale)| part.to_f64() / scale)
            .filter(|v| v.is_finite())
            .sum::<f64>();
        let sign = match exif
            .get_field(reference, exif::In::PRIMARY)
            .map(|f| &f.value)
        {
            Some(exif::Value::Ascii(text))
                if text.first().and_then(|t| t.first()) == Some(&negative) =>
            {
                -1.0
            }
            _ => 1.0,
        };
        Some(sign * value)
    };
    let latitude = degrees(exif::Tag::GPSLatitude, exif::Tag::GPSLatitudeRef, b'S')?;
    let longitude = degrees(exif::Tag::GPSLongitude, exif::Tag::GPSLongitudeRef, b'W')?;
    Some((latitude, longitude))
}

/// The rules over one bundle asset.
pub(crate) fn check_asset(
    rules: &ContentRules,
    article: &ArticlePath,
    name: &str,
    bytes: &[u8],
    purpose: Purpose,
) -> Vec<Finding> {
    let Some(kind) = kind_of(name) else {
        return Vec::new();
    };
    let file = format!("{}/{name}", article.path);
    let say = &rules.say;
    let wanted = |rule: RuleId| match purpose {
        Purpose::Build => rules.settings.may_block(rule),
        Purpose::Check => rules.settings.severity(rule) != Severity::Off,
    };
    let mut findings = Vec::new();
    match kind {
        AssetKind::Image => {
            if wanted(RuleId::ImageGps)
                && let Some((latitude, longitude)) = gps_position(bytes)
            {
                let stripped = matches!(strip_metadata(name, bytes), Cow::Owned(_));
                let position = format!(
                    "{:.3}°{}, {:.3}°{}",
                    latitude.abs(),
                    if latitude < 0.0 { 'S' } else { 'N' },
                    longitude.abs(),
                    if longitude < 0.0 { 'W' } else { 'E' }
                );
                let help = if stripped {
                    say.pick(
                        "build 发布时会去除此图片的 EXIF 元数据，但仓库中的原图仍含拍摄位置：请换成去除位置信息的图片",
                        "build removes this image's EXIF metadata when publishing, but the file in the repository still holds the location: replace it with a copy without location data",
                    )
                } else {
                    say.pick(
                        "此格式的元数据无法在不重新编码的情况下去除：请导出不含位置信息的图片后替换",
                        "this format's metadata cannot be removed without re-encoding: export a copy without location data and replace the file",
                    )
                };
                findings.push(
                    Finding::new(
                        RuleId::ImageGps,
                        say.pick(
                            format!("图片含 GPS 拍摄位置（{position}）"),
                            format!("the image carries its GPS position ({position})"),
                        ),
                    )
                    .in_file(&file)
                    .with_help(help),
                );
            }
        }
        AssetKind::Text => {
            let text =
                match std::str::from_utf8(bytes.strip_prefix(b"\xEF\xBB\xBF").unwrap_or(bytes)) {
                    Ok(text) => text.replace("\r\n", "\n"),
                    Err(_) => encoding_rs::GB18030.decode(bytes).0.into_owned(),
                };
            findings.extend(rules.text_findings(&text, purpose, &file));
        }
        AssetKind::Docx | AssetKind::Xlsx | AssetKind::Pdf => {
            let read = match kind {
                AssetKind::Pdf => pdf::pdf_text(bytes).map(|pdf| {
                    let unread = unread_pages(&pdf, say);
                    (pdf.text, unread)
                }),
                _ => office_text(kind, bytes).map(|document| (document, None)),
            };
            let (document, unread) = match read {
                Ok(read) => read,
                Err(problem) => {
                    if wanted(RuleId::AttachmentMetadata) {
                        let help = if kind == AssetKind::Pdf {
                            say.pick("确认文件未损坏、未设打开密码，从原文档重新导出 PDF", "make sure the file is not damaged or password-protected; export the PDF again from the original document")
                        } else {
                            say.pick("确认文件未损坏，另存为标准 .docx/.xlsx", "make sure the file is not damaged; save it again as a standard .docx/.xlsx")
                        };
                        findings.push(
                            Finding::new(
                                RuleId::AttachmentMetadata,
                                say.pick(
                                    format!("无法读取该文档（{problem}），未能检查其内容"),
                                    format!(
                                        "cannot be read ({problem}), so its text was not checked"
                                    ),
                                ),
                            )
                            .in_file(&file)
                            .with_help(help)
                            .at_most(Severity::Warning),
                        );
                    }
                    return findings;
                }
            };
            if let Some(unread) = unread
                && wanted(RuleId::AttachmentMetadata)
            {
                findings.push(
                    Finding::new(RuleId::AttachmentMetadata, unread)
                        .in_file(&file)
                        .with_help(say.pick(
                            "请人工检查这些页面是否含个人信息或涉密内容；最好上传从原文档直接导出、带文字层的 PDF",
                            "look through these pages for personal data and secrets by eye; better, attach a PDF exported from the original document, with its text",
                        ))
                        .at_most(Severity::Warning),
                );
            }
            for (place, text) in &document.pieces {
                for hit in rules.scan_text(text, purpose) {
                    let mut finding = Finding::new(
                        hit.rule,
                        format!("{}：{}", place.describe(say.chinese()), hit.message),
                    )
                    .in_file(&file);
                    if let Some(help) = hit.help {
                        finding = finding.with_help(help);
                    }
                    findings.push(finding);
                }
            }
            if wanted(RuleId::AttachmentMetadata)
                && (document.comments > 0 || document.revisions > 0)
            {
                let reviewers = document
                    .reviewers
                    .iter()
                    .cloned()
                    .collect::<Vec<_>>()
                    .join("、");
                findings.push(
                    Finding::new(
                        RuleId::AttachmentMetadata,
                        if kind == AssetKind::Pdf {
                            say.pick(
                                format!("PDF 含 {} 条批注（{}），会随文件一同公开", document.comments, reviewers),
                                format!("carries {} comment annotation(s) (by {}), published with the file", document.comments, reviewers),
                            )
                        } else {
                            say.pick(
                                format!("附件含 {} 条批注、{} 处修订痕迹（{}），会随文件一同公开", document.comments, document.revisions, reviewers),
                                format!("carries {} comment(s) and {} tracked change(s) (by {}), published with the file", document.comments, document.revisions, reviewers),
                            )
                        },
                    )
                    .in_file(&file)
                    .with_help(if kind == AssetKind::Pdf {
                        say.pick(
                            "删除 PDF 中的批注（或从不含批注的原文档重新导出）后再上传",
                            "delete the comments from the PDF (or export it again from a document without them) before uploading",
                        )
                    } else {
                        say.pick(
                            "在 Word/Excel 中接受或拒绝全部修订、删除批注，并用“检查文档”清除个人信息后再上传",
                            "accept or reject all changes, delete the comments and remove personal information (Inspect Document) before uploading",
                        )
                    }),
                );
            }
        }
    }
    findings
}

/// What of a PDF went unchecked, said for the report; `None` when every
/// page with text was read.
fn unread_pages(pdf: &pdf::PdfText, say: &crate::checks::text::Say) -> Option<String> {
    if !pdf.undecoded_pages.is_empty() {
        let pages = pdf
            .undecoded_pages
            .iter()
            .map(u32::to_string)
            .collect::<Vec<_>>();
        return Some(say.pick(
            format!("第 {} 页的文字无法解码（字体缺少 Unicode 映射），未能检查其内容", pages.join("、")),
            format!("the text of page(s) {} cannot be decoded (a font without a Unicode map), so it was not checked", pages.join(", ")),
        ));
    }
    pdf.is_image_only().then(|| {
        say.pick(
            "该 PDF 没有可读取的文字（可能是扫描件），未能检查其内容",
            "has no readable text (a scan?), so its content was not checked",
        )
    })
}

/// The bytes to publish for an image: JPEG, PNG and WebP without their EXIF, XMP,
/// Photoshop and text metadata (GPS position, camera owner, editing history),
/// every pixel byte untouched. A JPEG keeps its orientation (a minimal EXIF
/// block with that one tag), so phone photos do not turn sideways. Anything
/// else, or a file that does not parse, is returned as it is.
pub fn strip_metadata<'a>(name: &str, bytes: &'a [u8]) -> Cow<'a, [u8]> {
    if kind_of(name) != Some(AssetKind::Image) {
        return Cow::Borrowed(bytes);
    }
    let stripped = if bytes.starts_with(&[0xFF, 0xD8]) {
        strip_jpeg(bytes)
    } else if bytes.starts_with(b"\x89PNG\r\n\x1a\n") {
        strip_png(bytes)
    } else if is_webp(bytes) {
        strip_webp(bytes)
    } else {
        None
    };
    match stripped {
        Some(clean) => Cow::Owned(clean),
        None => Cow::Borrowed(bytes),
    }
}

const EXIF_HEADER: &[u8] = b"Exif\0\0";

fn strip_jpeg(bytes: &[u8]) -> Option<Vec<u8>> {
    let mut kept: Vec<&[u8]> = Vec::new();
    let mut orientation = None;
    let mut dropped = false;
    let mut position = 2;
    let mut after_app0 = 0;
    loop {
        if *bytes.get(position)? != 0xFF {
            return None;
        }
        let mut marker_at = position + 1;
        while *bytes.get(marker_at)? == 0xFF {
            marker_at += 1; // fill bytes
        }
        let marker = bytes[marker_at];
        if marker == 0xDA || marker == 0xD9 {
            // Start of scan (or end of image): the rest is image data, kept as it is.
            kept.push(&bytes[position..]);
            break;
        }
        if matches!(marker, 0x01 | 0xD0..=0xD7) {
            kept.push(&bytes[position..marker_at + 1]);
            position = marker_at + 1;
            continue;
        }
        let length =
            u16::from_be_bytes([*bytes.get(marker_at + 1)?, *bytes.get(marker_at + 2)?]) as usize;
        if length < 2 {
            return None;
        }
        let end = marker_at + 1 + length;
        let payload = bytes.get(marker_at + 3..end)?;
        let metadata = match marker {
            0xE1 if payload.starts_with(EXIF_HEADER) => {
                let tiff = &payload[EXIF_HEADER.len()..];
                orientation = orientation.or_else(|| exif_orientation(tiff));
                // What this function writes back (orientation alone) is not metadata to remove.
                !is_orientation_only(tiff)
            }
            0xE1 => payload.starts_with(b"http://ns.adobe.com/"),
            0xED => payload.starts_with(b"Photoshop 3.0\0"),
            0xFE => true,
            _ => false,
        };
        if metadata {
            dropped = true;
        } else {
            kept.push(&bytes[position..end]);
            if marker == 0xE0 && kept.len() == 1 {
                after_app0 = 1;
            }
        }
        position = end;
    }
    if !dropped {
        return None;
    }
    let mut clean = Vec::with_capacity(bytes.len());
    clean.extend_from_slice(&[0xFF, 0xD8]);
    for (index, segment) in kept.iter().enumerate() {
        if index == after_app0
            && let Some(value) = orientation.filter(|&v| v != 1)
        {
            clean.extend_from_slice(&orientation_segment(value));
        }
        clean.extend_from_slice(segment);
    }
    Some(clean)
}

/// Reads numbers of a TIFF structure in its byte order.
struct Tiff<'a> {
    bytes: &'a [u8],
    big_endian: bool,
}

impl<'a> Tiff<'a> {
    fn new(bytes: &'a [u8]) -> Option<Tiff<'a>> {
        let big_endian = match bytes.get(..2)? {
            b"MM" => true,
            b"II" => false,
            _ => return None,
        };
        Some(Tiff { bytes, big_endian })
    }

    fn u16_at(&self, at: usize) -> Option<u16> {
        let b = [*self.bytes.get(at)?, *self.bytes.get(at + 1)?];
        Some(if self.big_endian {
            u16::from_be_bytes(b)
        } else {
            u16::from_le_bytes(b)
        })
    }

    fn u32_at(&self, at: usize) -> Option<u32> {
        let b: [u8; 4] = self.bytes.get(at..at + 4)?.try_into().ok()?;
        Some(if self.big_endian {
            u32::from_be_bytes(b)
        } else {
            u32::from_le_bytes(b)
        })
    }

    /// (offset, entry count) of IFD0.
    fn ifd0(&self) -> Option<(usize, usize)> {
        let ifd = self.u32_at(4)? as usize;
        Some((ifd, self.u16_at(ifd)? as usize))
    }
}

/// The Orientation tag (0x0112) of IFD0 in a TIFF structure.
fn exif_orientation(tiff: &[u8]) -> Option<u16> {
    let tiff = Tiff::new(tiff)?;
    let (ifd, count) = tiff.ifd0()?;
    (0..count.min(512)).find_map(|i| {
        let entry = ifd + 2 + i * 12;
        (tiff.u16_at(entry)? == 0x0112 && tiff.u16_at(entry + 2)? == 3)
            .then(|| tiff.u16_at(entry + 8))
            .flatten()
    })
}

/// A TIFF holding nothing but IFD0 with the Orientation tag, as
/// [`orientation_segment`] writes it: not metadata to remove.
fn is_orientation_only(bytes: &[u8]) -> bool {
    let Some(tiff) = Tiff::new(bytes) else {
        return false;
    };
    let Some((ifd, count)) = tiff.ifd0() else {
        return false;
    };
    count == 1
        && tiff.u16_at(ifd + 2) == Some(0x0112)
        && tiff.u32_at(ifd + 14) == Some(0)
        && bytes.len() <= ifd + 18
}

/// A TIFF structure with one tag: Orientation.
fn orientation_tiff(value: u16) -> Vec<u8> {
    let mut tiff: Vec<u8> = Vec::new();
    tiff.extend_from_slice(b"MM\0\x2A\0\0\0\x08"); // big-endian, IFD0 at offset 8
    tiff.extend_from_slice(&1u16.to_be_bytes()); // one entry
    tiff.extend_from_slice(&0x0112u16.to_be_bytes()); // Orientation
    tiff.extend_from_slice(&3u16.to_be_bytes()); // SHORT
    tiff.extend_from_slice(&1u32.to_be_bytes()); // count
    tiff.extend_from_slice(&value.to_be_bytes());
    tiff.extend_from_slice(&[0, 0]); // padding of the value field
    tiff.extend_from_slice(&0u32.to_be_bytes()); // no next IFD
    tiff
}

/// An APP1 segment holding a TIFF with one tag: Orientation.
fn orientation_segment(value: u16) -> Vec<u8> {
    let tiff = orientation_tiff(value);
    let length = (2 + EXIF_HEADER.len() + tiff.len()) as u16;
    let mut segment = vec![0xFF, 0xE1];
    segment.extend_from_slice(&length.to_be_bytes());
    segment.extend_from_slice(EXIF_HEADER);
    segment.extend_from_slice(&tiff);
    segment
}

fn strip_png(bytes: &[u8]) -> Option<Vec<u8>> {
    let mut clean = bytes[..8].to_vec();
    let mut position = 8;
    let mut dropped = false;
    while position < bytes.len() {
        let length =
            u32::from_be_bytes(bytes.get(position..position + 4)?.try_into().ok()?) as usize;
        let kind = bytes.get(position + 4..position + 8)?;
        let end = position.checked_add(12)?.checked_add(length)?;
        let chunk = bytes.get(position..end)?;
        if matches!(kind, b"eXIf" | b"tEXt" | b"zTXt" | b"iTXt") {
            dropped = true;
        } else {
            clean.extend_from_slice(chunk);
        }
        position = end;
    }
    dropped.then_some(clean)
}

fn is_webp(bytes: &[u8]) -> bool {
    bytes.len() >= 12 && bytes.starts_with(b"RIFF") && &bytes[8..12] == b"WEBP"
}

/// One chunk of a RIFF file: its FourCC, and the whole chunk with header and padding.
type RiffChunk<'a> = (&'a [u8], &'a [u8]);

/// The chunks of a WebP file and where the RIFF container ends. `None` when
/// the container is broken.
fn webp_chunks(bytes: &[u8]) -> Option<(Vec<RiffChunk<'_>>, usize)> {
    if !is_webp(bytes) {
        return None;
    }
    let declared = u32::from_le_bytes(bytes.get(4..8)?.try_into().ok()?) as usize;
    let riff_end = declared.checked_add(8)?;
    if riff_end > bytes.len() {
        return None;
    }
    let mut chunks = Vec::new();
    let mut position = 12;
    while position < riff_end {
        let kind = bytes.get(position..position + 4)?;
        let size =
            u32::from_le_bytes(bytes.get(position + 4..position + 8)?.try_into().ok()?) as usize;
        let end = position
            .checked_add(8)?
            .checked_add(size)?
            .checked_add(size & 1)?;
        // The last chunk's padding byte is sometimes left out.
        let end = if end == riff_end + 1 && size & 1 == 1 {
            riff_end
        } else {
            end
        };
        chunks.push((kind, bytes.get(position..end.min(riff_end))?));
        if end > riff_end {
            return None;
        }
        position = end;
    }
    Some((chunks, riff_end))
}

/// A WebP chunk's payload, by the size its header declares.
fn chunk_payload(chunk: &[u8]) -> Option<&[u8]> {
    let size = u32::from_le_bytes(chunk.get(4..8)?.try_into().ok()?) as usize;
    chunk.get(8..8 + size)
}

/// The TIFF structure in a WebP EXIF chunk's payload (with or without the
/// `Exif\0\0` header some writers put in front).
fn exif_tiff(payload: &[u8]) -> &[u8] {
    payload.strip_prefix(EXIF_HEADER).unwrap_or(payload)
}

/// The TIFF structure of a WebP file's EXIF chunk.
fn webp_exif(bytes: &[u8]) -> Option<&[u8]> {
    let (chunks, _) = webp_chunks(bytes)?;
    let (_, chunk) = chunks.into_iter().find(|(kind, _)| *kind == b"EXIF")?;
    chunk_payload(chunk).map(exif_tiff)
}

/// WebP without its EXIF and XMP chunks; an orientation other than upright
/// stays as a one-tag EXIF chunk. The VP8X flags and the RIFF size are set
/// to match; image and colour-profile chunks are copied byte for byte.
fn strip_webp(bytes: &[u8]) -> Option<Vec<u8>> {
    const EXIF_FLAG: u8 = 0x08;
    const XMP_FLAG: u8 = 0x04;
    let (chunks, riff_end) = webp_chunks(bytes)?;
    // What this function writes back (orientation alone) is not metadata to remove.
    let is_metadata = |kind: &[u8], chunk: &[u8]| match kind {
        b"XMP " => true,
        b"EXIF" => !chunk_payload(chunk).is_some_and(|p| is_orientation_only(exif_tiff(p))),
        _ => false,
    };
    if !chunks.iter().any(|(kind, chunk)| is_metadata(kind, chunk)) {
        return None;
    }
    let orientation = webp_exif(bytes)
        .and_then(exif_orientation)
        .filter(|&value| value != 1);
    let mut clean = Vec::with_capacity(bytes.len());
    clean.extend_from_slice(b"RIFF\0\0\0\0WEBP");
    let mut vp8x_at = None;
    let mut keeps_exif = false;
    for (kind, chunk) in chunks {
        if is_metadata(kind, chunk) {
            if kind == b"EXIF"
                && let Some(value) = orientation
            {
                let tiff = orientation_tiff(value);
                clean.extend_from_slice(b"EXIF");
                clean.extend_from_slice(&(tiff.len() as u32).to_le_bytes());
                clean.extend_from_slice(&tiff);
                keeps_exif = true;
            }
            continue;
        }
        if kind == b"VP8X" {
            vp8x_at = Some(clean.len());
        }
        keeps_exif |= kind == b"EXIF";
        clean.extend_from_slice(chunk);
        if chunk.len() % 2 == 1 {
            clean.push(0);
        }
    }
    if let Some(flags) = vp8x_at.map(|at| at + 8)
        && flags < clean.len()
    {
        clean[flags] &= !(EXIF_FLAG | XMP_FLAG);
        if keeps_exif {
            clean[flags] |= EXIF_FLAG;
        }
    }
    let size = u32::try_from(clean.len() - 8).ok()?;
    clean[4..8].copy_from_slice(&size.to_le_bytes());
    clean.extend_from_slice(&bytes[riff_end..]);
    Some(clean)
}

/// One XML event of the tiny reader below (enough for OOXML parts, which
/// have no DTDs and no entities beyond the predefined ones).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum XmlEvent<'a> {
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

struct XmlEvents<'a> {
    rest: &'a str,
}

impl<'a> XmlEvents<'a> {
    fn new(xml: &'a str) -> Self {
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
fn attribute(attributes: &str, name: &str) -> Option<String> {
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
pub(crate) fn decode_entities(text: &str) -> String {
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

    /// An EXIF TIFF structure with orientation 6 and a GPS IFD.
    pub(crate) fn tiff_with_gps() -> Vec<u8> {
        // TIFF, big-endian: IFD0 with Orientation=6 and GPSInfo → GPS IFD
        // with latitude 25°2'0" N and longitude 102°42'0" E.
        let mut tiff: Vec<u8> = b"MM\0\x2A\0\0\0\x08".to_vec();
        let ifd0_entries: u16 = 2;
        let gps_ifd = 8 + 2 + 12 * ifd0_entries as u32 + 4;
        tiff.extend_from_slice(&ifd0_entries.to_be_bytes());
        tiff.extend_from_slice(&[0x01, 0x12, 0, 3, 0, 0, 0, 1, 0, 6, 0, 0]);
        tiff.extend_from_slice(&[0x88, 0x25, 0, 4, 0, 0, 0, 1]);
        tiff.extend_from_slice(&gps_ifd.to_be_bytes());
        tiff.extend_from_slice(&0u32.to_be_bytes());
        let gps_entries: u16 = 4;
        let data = gps_ifd + 2 + 12 * gps_entries as u32 + 4;
        tiff.extend_from_slice(&gps_entries.to_be_bytes());
        tiff.extend_from_slice(&[0, 1, 0, 2, 0, 0, 0, 2, b'N', 0, 0, 0]);
        tiff.extend_from_slice(&[0, 2, 0, 5, 0, 0, 0, 3]);
        tiff.extend_from_slice(&data.to_be_bytes());
        tiff.extend_from_slice(&[0, 3, 0, 2, 0, 0, 0, 2, b'E', 0, 0, 0]);
        tiff.extend_from_slice(&[0, 4, 0, 5, 0, 0, 0, 3]);
        tiff.extend_from_slice(&(data + 24).to_be_bytes());
        tiff.extend_from_slice(&0u32.to_be_bytes());
        for (num, den) in [(25u32, 1u32), (2, 1), (0, 1), (102, 1), (42, 1), (0, 1)] {
            tiff.extend_from_slice(&num.to_be_bytes());
            tiff.extend_from_slice(&den.to_be_bytes());
        }
        tiff
    }

    /// A JPEG with an APP0, an EXIF APP1 (orientation 6 and a GPS IFD), a
    /// comment, and a fake scan.
    pub(crate) fn jpeg_with_gps() -> Vec<u8> {
        let tiff = tiff_with_gps();
        let mut jpeg = vec![0xFF, 0xD8];
        jpeg.extend_from_slice(&[0xFF, 0xE0, 0, 16]);
        jpeg.extend_from_slice(b"JFIF\0\x01\x01\0\0\x01\0\x01\0\0");
        let length = (2 + EXIF_HEADER.len() + tiff.len()) as u16;
        jpeg.extend_from_slice(&[0xFF, 0xE1]);
        jpeg.extend_from_slice(&length.to_be_bytes());
        jpeg.extend_from_slice(EXIF_HEADER);
        jpeg.extend_from_slice(&tiff);
        jpeg.extend_from_slice(&[0xFF, 0xFE, 0, 7]);
        jpeg.extend_from_slice(b"owner");
        jpeg.extend_from_slice(&[0xFF, 0xDA, 0, 2, 0x12, 0x34, 0x56, 0xFF, 0xD9]);
        jpeg
    }

    #[test]
    fn gps_is_read_from_jpeg_exif() {
        let (latitude, longitude) = gps_position(&jpeg_with_gps()).unwrap();
        assert!((latitude - 25.0333).abs() < 0.001, "{latitude}");
        assert!((longitude - 102.7).abs() < 0.001, "{longitude}");
        assert_eq!(gps_position(b"\xFF\xD8\xFF\xD9"), None);
    }

    #[test]
    fn stripping_keeps_pixels_and_orientation_only() {
        let original = jpeg_with_gps();
        let Cow::Owned(clean) = strip_metadata("photo.jpg", &original) else {
            panic!("metadata should have been removed")
        };
        assert_eq!(gps_position(&clean), None);
        assert!(
            clean.ends_with(&[0xFF, 0xDA, 0, 2, 0x12, 0x34, 0x56, 0xFF, 0xD9]),
            "scan data untouched"
        );
        assert!(!clean.windows(5).any(|w| w == b"owner"), "comment removed");
        assert!(
            clean.starts_with(&[0xFF, 0xD8, 0xFF, 0xE0]),
            "JFIF stays first"
        );
        let exif = exif::Reader::new()
            .read_from_container(&mut Cursor::new(&clean))
            .unwrap();
        let orientation = exif
            .get_field(exif::Tag::Orientation, exif::In::PRIMARY)
            .unwrap();
        assert_eq!(orientation.value.get_uint(0), Some(6));
        // Clean files and other formats come back unchanged, borrowed.
        assert!(matches!(
            strip_metadata("photo.jpg", &clean),
            Cow::Borrowed(_)
        ));
        assert!(matches!(
            strip_metadata("a.gif", b"GIF89a"),
            Cow::Borrowed(_)
        ));
        assert!(matches!(
            strip_metadata("bad.jpg", b"\xFF\xD8\xFF"),
            Cow::Borrowed(_)
        ));
    }

    #[test]
    fn png_text_and_exif_chunks_are_dropped() {
        let chunk = |kind: &[u8], data: &[u8]| {
            let mut c = (data.len() as u32).to_be_bytes().to_vec();
            c.extend_from_slice(kind);
            c.extend_from_slice(data);
            c.extend_from_slice(&[0, 0, 0, 0]);
            c
        };
        let mut png = b"\x89PNG\r\n\x1a\n".to_vec();
        png.extend(chunk(b"IHDR", &[0; 13]));
        png.extend(chunk(b"tEXt", b"Author\0someone"));
        png.extend(chunk(b"eXIf", b"MM\0*"));
        png.extend(chunk(b"IDAT", &[1, 2, 3]));
        png.extend(chunk(b"IEND", &[]));
        let clean = strip_metadata("a.png", &png).into_owned();
        let mut expected = b"\x89PNG\r\n\x1a\n".to_vec();
        expected.extend(chunk(b"IHDR", &[0; 13]));
        expected.extend(chunk(b"IDAT", &[1, 2, 3]));
        expected.extend(chunk(b"IEND", &[]));
        assert_eq!(clean, expected);
    }

    /// A 1×1 lossless WebP bitstream (VP8L), written bit by bit: the header,
    /// no transforms, no colour cache, and five one-symbol prefix codes, so
    /// the one pixel takes no bits at all.
    pub(crate) fn vp8l_one_pixel() -> Vec<u8> {
        let mut bits: Vec<bool> = Vec::new();
        let mut put = |value: u32, count: u32| {
            for i in 0..count {
                bits.push(value >> i & 1 == 1);
            }
        };
        put(0x2F, 8); // signature
        put(0, 14); // width - 1
        put(0, 14); // height - 1
        put(1, 1); // alpha used
        put(0, 3); // version
        put(0, 1); // no transform
        put(0, 1); // no colour cache
        put(0, 1); // no meta prefix codes
        // green, red, blue, alpha, distance: "simple" codes of one 8-bit symbol
        for symbol in [0x80, 0x20, 0x40, 0xFF, 0] {
            put(1, 1); // simple code
            put(0, 1); // one symbol
            put(1, 1); // 8 bits wide
            put(symbol, 8);
        }
        bits.chunks(8)
            .map(|byte| {
                byte.iter()
                    .enumerate()
                    .fold(0u8, |acc, (i, &bit)| acc | (u8::from(bit) << i))
            })
            .collect()
    }

    /// A RIFF chunk with its padding byte.
    fn riff_chunk(kind: &[u8], payload: &[u8]) -> Vec<u8> {
        let mut chunk = kind.to_vec();
        chunk.extend_from_slice(&(payload.len() as u32).to_le_bytes());
        chunk.extend_from_slice(payload);
        if payload.len() % 2 == 1 {
            chunk.push(0);
        }
        chunk
    }

    /// A WebP file of the given chunks.
    fn webp_of(chunks: &[Vec<u8>]) -> Vec<u8> {
        let body: Vec<u8> = chunks.concat();
        let mut file = b"RIFF".to_vec();
        file.extend_from_slice(&((body.len() + 4) as u32).to_le_bytes());
        file.extend_from_slice(b"WEBP");
        file.extend_from_slice(&body);
        file
    }

    /// An extended WebP (VP8X) with an ICC profile, the 1×1 image, an EXIF
    /// chunk holding `exif` and an XMP packet.
    pub(crate) fn webp_with(exif: &[u8]) -> Vec<u8> {
        // flags: ICC 0x20, alpha 0x10, EXIF 0x08, XMP 0x04; canvas 1×1
        let vp8x = [0x3C, 0, 0, 0, 0, 0, 0, 0, 0, 0];
        webp_of(&[
            riff_chunk(b"VP8X", &vp8x),
            riff_chunk(b"ICCP", b"not really a profile"),
            riff_chunk(b"VP8L", &vp8l_one_pixel()),
            riff_chunk(b"EXIF", exif),
            riff_chunk(b"XMP ", b"<x:xmpmeta>owner</x:xmpmeta>"),
        ])
    }

    #[test]
    fn webp_gps_is_found_and_stripped_without_touching_the_image() {
        for exif in [tiff_with_gps(), [EXIF_HEADER, &tiff_with_gps()].concat()] {
            let original = webp_with(&exif);
            let (latitude, _) = gps_position(&original).expect("GPS in the EXIF chunk");
            assert!((latitude - 25.0333).abs() < 0.001);
            let clean = strip_metadata("photo.webp", &original).into_owned();
            assert_eq!(gps_position(&clean), None);
            assert!(!clean.windows(5).any(|w| w == b"owner"), "XMP removed");
            let (chunks, riff_end) = webp_chunks(&clean).expect("a well-formed RIFF");
            assert_eq!(riff_end, clean.len(), "RIFF size matches the file");
            let kinds: Vec<&[u8]> = chunks.iter().map(|(kind, _)| *kind).collect();
            assert_eq!(kinds, [&b"VP8X"[..], b"ICCP", b"VP8L", b"EXIF"]);
            assert_eq!(
                chunks[0].1[8], 0x38,
                "XMP flag cleared, EXIF kept for the orientation"
            );
            assert_eq!(chunks[2].1, &riff_chunk(b"VP8L", &vp8l_one_pixel())[..]);
            let tiff = webp_exif(&clean).unwrap();
            assert!(is_orientation_only(tiff));
            assert_eq!(exif_orientation(tiff), Some(6));
            // Stripping again changes nothing.
            assert!(matches!(
                strip_metadata("photo.webp", &clean),
                Cow::Borrowed(_)
            ));
        }
        // Upright photos lose the EXIF chunk and its flag altogether.
        let mut upright = tiff_with_gps();
        let at = upright.windows(2).position(|w| w == [0x01, 0x12]).unwrap();
        upright[at + 9] = 1;
        let clean = strip_metadata("a.webp", &webp_with(&upright)).into_owned();
        let (chunks, _) = webp_chunks(&clean).unwrap();
        assert_eq!(chunks.len(), 3);
        assert_eq!(chunks[0].1[8], 0x30);
        // A simple (VP8L-only) file has nothing to strip; a broken one is left alone.
        let simple = webp_of(&[riff_chunk(b"VP8L", &vp8l_one_pixel())]);
        assert!(matches!(
            strip_metadata("a.webp", &simple),
            Cow::Borrowed(_)
        ));
        let mut broken = webp_with(&tiff_with_gps());
        broken.truncate(broken.len() - 7);
        assert!(matches!(
            strip_metadata("a.webp", &broken),
            Cow::Borrowed(_)
        ));
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
