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

use crate::catalog::{RuleId, Severity};
use crate::content::ArticlePath;
use crate::media::pdf;
use crate::media::{AssetKind, gps_position, kind_of, office_text, strip_metadata};
use crate::rules::Finding;
use crate::rules::{ContentRules, Purpose};

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
fn unread_pages(pdf: &pdf::PdfText, say: &crate::rules::text::Say) -> Option<String> {
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
