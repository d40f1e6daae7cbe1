//! Attachments in bundles: what a reader downloads besides the page, read
//! by what the bytes are, never by what the name says (SPEC §3, §5).
//!
//! - An asset that could run in a browser from the site's own origin —
//!   HTML, script, SVG with script, event handlers or foreign objects, a
//!   name a server runs, anything not on the list of passive types — blocks
//!   its article (`active-asset`) unless the column allows raw HTML.
//! - Its text, as published (image metadata stripped the way `build`
//!   strips it), goes through the same secrets, personal-data and word rules
//!   as the article: text in any encoding, RTF, HTML/SVG/XML with references
//!   decoded, office documents with their comments and deleted text, PDF
//!   pages and annotations, text in image metadata ([`crate::media`]).
//! - What could not be read is said (`attachment-metadata`, a warning):
//!   "clean" never stands for "not looked at". Comments and tracked changes
//!   are reported in themselves — the review notes of an office go out with
//!   the file — and images carrying a GPS position (`image-gps`).

use std::borrow::Cow;

use crate::catalog::{RuleId, Severity};
use crate::content::ArticlePath;
use crate::i18n::Say;
use crate::media::{Active, Unread, active_content, asset_text, gps_position, strip_metadata};
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
    let file = format!("{}/{name}", article.path);
    let say = &rules.say;
    let wanted = |rule: RuleId| match purpose {
        Purpose::Build => rules.settings.may_block(rule),
        Purpose::Check => rules.settings.severity(rule) != Severity::Off,
    };
    let mut findings = Vec::new();

    if wanted(RuleId::ActiveAsset)
        && !rules.allows_raw_html(article.column())
        && let Some(active) = active_content(name, bytes)
    {
        findings.push(
            Finding::new(RuleId::ActiveAsset, active_reason(&active, say))
                .in_file(&file)
                .with_help(say.pick(
                    "只发布被动类型的附件（图片、PDF、办公文档、纯文本、音视频）：网页请转为 PDF，SVG 去掉脚本和事件属性；确需原始 HTML 的栏目，由技术支持单位在 site.toml 中为该栏目设置 allow_raw_html",
                    "publish only passive attachments (images, PDF, office documents, plain text, audio, video): turn a web page into a PDF, remove script and event attributes from an SVG; a column that truly needs raw HTML gets allow_raw_html in site.toml",
                )),
        );
    }

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

    // The text as it is published: metadata stripped as `build` strips it.
    let published = strip_metadata(name, bytes);
    let text = asset_text(name, &published);
    for (place, piece) in &text.pieces {
        let place = place.describe(say.chinese());
        for hit in rules.scan_text(piece, purpose) {
            findings.push(hit.into_finding(&file, Some(&place)));
        }
    }
    if !wanted(RuleId::AttachmentMetadata) {
        return findings;
    }
    for unread in text.unread.iter().filter(|u| worth_saying(u)) {
        findings.push(
            Finding::new(RuleId::AttachmentMetadata, unread_reason(unread, say))
                .in_file(&file)
                .with_help(say.pick(
                    "请人工检查未能读取的部分是否含个人信息或涉密内容；最好换成从原文档直接导出、带文字层的 PDF 或 .docx/.xlsx",
                    "look through what could not be read for personal data and secrets by eye; better, attach a PDF exported from the original document, with its text, or a .docx/.xlsx",
                ))
                .at_most(Severity::Warning),
        );
    }
    if text.comments > 0 || text.revisions > 0 {
        let reviewers = text
            .reviewers
            .iter()
            .cloned()
            .collect::<Vec<_>>()
            .join("、");
        findings.push(
            Finding::new(
                RuleId::AttachmentMetadata,
                say.pick(
                    format!(
                        "附件含 {} 条批注、{} 处修订痕迹（{}），会随文件一同公开",
                        text.comments, text.revisions, reviewers
                    ),
                    format!(
                        "carries {} comment(s) and {} tracked change(s) (by {}), published with the file",
                        text.comments, text.revisions, reviewers
                    ),
                ),
            )
            .in_file(&file)
            .with_help(say.pick(
                "删除批注、接受或拒绝全部修订，并用“检查文档”清除个人信息后再上传（PDF 请从不含批注的原文档重新导出）",
                "delete the comments, accept or reject all changes and remove personal information (Inspect Document) before uploading (export a PDF again from a document without them)",
            )),
        );
    }
    findings
}

/// Unread parts worth a warning. An image's compressed metadata (PNG
/// `zTXt`, the only kind `media` reports) is no text a reader sees.
fn worth_saying(unread: &Unread) -> bool {
    !matches!(unread, Unread::CompressedMetadata)
}

/// Why an asset could run, in the site's language.
fn active_reason(active: &Active, say: &Say) -> String {
    if !say.chinese() {
        return format!("cannot be published from the site's own origin: {active}");
    }
    let why = match active {
        Active::Html => "它是 HTML 网页：放在本站域名下可以冒充本站运行".to_string(),
        Active::Script { element } => format!("含 <{element}> 脚本元素"),
        Active::EventHandler { element, attribute } => {
            format!("<{element}> 元素带有事件属性 {attribute}=…，会运行脚本")
        }
        Active::ScriptUrl { element, attribute } => {
            format!("<{element}> 元素的 {attribute} 属性是 javascript: 地址")
        }
        Active::ForeignObject => "通过 <foreignObject> 嵌入 HTML，可运行脚本".to_string(),
        Active::Embedded { element } => format!("通过 <{element}> 嵌入其他内容，可运行脚本"),
        Active::XslStylesheet => "引用 XSL 样式表，会被浏览器转成可运行脚本的网页".to_string(),
        Active::ActiveName { extension, content } => {
            format!("文件名以 .{extension} 结尾，无论内容（{content}）都会按可运行的类型发送")
        }
        Active::ServerName { name } => format!("“{name}”是网站服务器会执行或当作配置读取的文件名"),
        Active::NotPassive { content } => {
            format!("它是 {content}，不属于可发布的被动类型（图片、PDF、办公文档、纯文本、音视频）")
        }
        Active::TooLarge { limit } => {
            format!(
                "标记文件超过 {} MiB，过大而无法检查其中是否有脚本",
                limit >> 20
            )
        }
    };
    format!("附件不能在本站域名下发布：{why}")
}

/// What could not be read, in the site's language.
fn unread_reason(unread: &Unread, say: &Say) -> String {
    if !say.chinese() {
        return format!("not all of it was checked: {unread}");
    }
    let why = match unread {
        Unread::Damaged(why) => format!("无法读取（{why}）"),
        Unread::UndecodedPages(pages) => format!(
            "第 {} 页的文字无法解码（字体缺少 Unicode 映射）",
            pages
                .iter()
                .map(u32::to_string)
                .collect::<Vec<_>>()
                .join("、")
        ),
        Unread::ImageOnly => "没有可读取的文字（可能是扫描件）".to_string(),
        Unread::Unsupported(format) => format!("不读取 {format} 的文字"),
        Unread::Binary => "是无法识别的二进制数据".to_string(),
        Unread::Truncated { limit } => format!("只读取了前 {} MiB", limit >> 20),
        Unread::CompressedMetadata => "含压缩存储的元数据，未读取".to_string(),
        Unread::EntityExpansion => "声明的实体展开过大，未能全部读取".to_string(),
    };
    format!("未能完整检查其内容：{why}")
}
