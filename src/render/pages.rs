//! The pages of the site: what each template is given, and rendering it.
//!
//! [`SiteModel`] is computed once per render: the articles in display order
//! (date descending, ties by path), each column's listing, the links between
//! policies and their interpretations, and the parts every page shares
//! ([`SiteView`]: navigation, identity footer, labels). [`PageRenderer`]
//! then turns the model into pages; articles are rendered in parallel and
//! written as they are finished.
//!
//! Templates receive these top-level variables:
//!
//! - `site` ([`SiteView`]), `t` ([`Labels`], the UI strings in the site's
//!   language), `page` ([`PageMeta`]: title, breadcrumbs, meta tags,
//!   section navigation), `preview` (bool);
//! - per page: `home` ([`HomeView`]) in `index.html`, `column`
//!   ([`ColumnView`]) in `column.html`, `article` ([`ArticleView`]) in
//!   `article.html`, `tree` (a list of [`TreeNode`]) in `sitemap.html`,
//!   `search` ([`SearchView`]) in `search.html`; `404.html` gets only the
//!   shared variables.
//!
//! Every URL handed to a template is ready to use: it already carries the
//! base path of `site.base_url`, so a site published under `/kx/` works
//! without the templates knowing.

use std::collections::{BTreeMap, BTreeSet};

use chrono::SecondsFormat;
use rayon::prelude::*;
use serde::Serialize;

use crate::content::article::PublishedArticle;
use crate::content::{ArticleType, Importance, Validity, WrittenDate};
use crate::error::{Diagnostic, Error, Result};
use crate::render::input::RenderInput;
use crate::render::markdown::{self, MarkdownOptions, RenderedMarkdown};
use crate::render::reuse::{FileStamp, Fingerprint, PageReuse, ReusablePage};
use crate::render::search::SearchDocument;
use crate::render::{OutputFolder, Step, StepClock, feeds, images, theme};
use crate::site::{Column, Language, Profile, SiteConfig};

/// Items per top-level column block on the home page.
const HOME_BLOCK_ITEMS: usize = 7;
/// Items in the home page's headline area.
const HEADLINE_ITEMS: usize = 5;
/// Items in the home page's 专题专栏 block.
const SPECIAL_ITEMS: usize = 8;
/// Page links shown on either side of the current page in a pagination bar.
const PAGINATION_WINDOW: usize = 2;
/// Articles in an article page's 相关稿件.
const RELATED_ITEMS: usize = 5;
/// Articles looked at on either side of an article in each of its tags'
/// lists when choosing related ones: the nearest in time, so the choice
/// stays cheap for a tag that 10,000 articles share.
const RELATED_WINDOW: usize = 8;
/// Characters of the first paragraph used as a page's description.
const DESCRIPTION_CHARS: usize = 120;
/// A home-page block with this many items or fewer shows their summaries,
/// so that a quiet column does not leave an empty box.
const FEW_ITEMS: usize = 3;
/// Where ICP numbers are looked up (工业和信息化部 ICP/IP地址/域名信息备案管理系统).
const ICP_REGISTRY: &str = "https://beian.miit.gov.cn/";
/// Where 公安机关备案号 are looked up; the number's digits follow.
const POLICE_REGISTRY: &str = "https://beian.mps.gov.cn/#/query/webSearch?code=";
/// The 党政机关网站标识 certificate page; the site's `badge_id` follows.
const BADGE_REGISTRY: &str = "https://bszs.conac.cn/sitename?method=show&id=";

/// Top-level output folders the renderer itself uses; an article or column
/// there would be overwritten.
const RESERVED_FOLDERS: &[&str] = &["static", "search", "sitemap"];

/// The UI strings of the default theme, in the site's language.
#[derive(Debug, Serialize)]
pub struct Labels {
    pub home: &'static str,
    /// `：` or `: `, after a label.
    pub colon: &'static str,
    pub welcome: &'static str,
    pub skip_to_content: &'static str,
    pub main_nav: &'static str,
    pub section_nav: &'static str,
    pub breadcrumbs: &'static str,
    pub page_tools: &'static str,
    pub footer_nav: &'static str,
    pub site_map: &'static str,
    pub search: &'static str,
    pub search_placeholder: &'static str,
    pub font_size: &'static str,
    pub font_large: &'static str,
    pub font_medium: &'static str,
    pub high_contrast: &'static str,
    pub headlines: &'static str,
    pub latest: &'static str,
    pub special: &'static str,
    pub more: &'static str,
    pub sub_columns: &'static str,
    pub no_articles: &'static str,
    pub feed: &'static str,
    pub pagination: &'static str,
    pub previous_page: &'static str,
    pub next_page: &'static str,
    pub published: &'static str,
    pub source: &'static str,
    pub author: &'static str,
    pub unit: &'static str,
    pub doc_number: &'static str,
    pub index_number: &'static str,
    pub issuer: &'static str,
    pub publication_date: &'static str,
    pub tags: &'static str,
    pub reprinted_from: &'static str,
    pub interpretations: &'static str,
    pub interprets: &'static str,
    pub attachments: &'static str,
    pub previous_article: &'static str,
    pub next_article: &'static str,
    pub none: &'static str,
    pub print: &'static str,
    pub scan_to_open: &'static str,
    pub video_fallback: &'static str,
    pub organizer: &'static str,
    pub site_code: &'static str,
    pub icp: &'static str,
    pub police: &'static str,
    pub contact: &'static str,
    pub not_found_title: &'static str,
    pub not_found_text: &'static str,
    pub back_home: &'static str,
    pub search_title: &'static str,
    pub search_help: &'static str,
    pub search_no_script: &'static str,
    pub search_loading: &'static str,
    pub search_empty: &'static str,
    pub search_none: &'static str,
    pub search_count: &'static str,
    /// `第 {n} / {total} 页`: the page of results shown.
    pub search_page: &'static str,
    pub search_failed: &'static str,
    pub search_filters: &'static str,
    pub search_column: &'static str,
    pub search_all_columns: &'static str,
    pub search_year: &'static str,
    pub search_all_years: &'static str,
    pub preview_banner: &'static str,
    pub articles_count: &'static str,
    pub font_xlarge: &'static str,
    pub badge: &'static str,
    pub error_correction: &'static str,
    pub related: &'static str,
    pub topic: &'static str,
    pub written_on: &'static str,
    pub validity: &'static str,
    pub subject_words: &'static str,
    pub disclosure: &'static str,
    pub captions: &'static str,
    /// 有效性 values, by [`Validity`].
    pub valid: &'static str,
    pub amended: &'static str,
    pub repealed: &'static str,
    pub expired: &'static str,
    /// The notice above a document that is no longer (wholly) in force.
    pub notice_amended: &'static str,
    pub notice_repealed: &'static str,
    pub notice_expired: &'static str,
    /// Between the items of a list in running text: `、` or `, `.
    pub list_separator: &'static str,
}

pub(crate) const PREVIEW_BANNER: &str =
    "未审核预览 · unapproved preview — 本页内容尚未通过审核，不得作为正式发布";

static CHINESE: Labels = Labels {
    home: "首页",
    colon: "：",
    welcome: "欢迎访问",
    skip_to_content: "跳转到主要内容",
    main_nav: "栏目导航",
    section_nav: "本栏目导航",
    breadcrumbs: "当前位置",
    page_tools: "页面工具",
    footer_nav: "网站信息",
    site_map: "网站地图",
    search: "搜索",
    search_placeholder: "请输入关键词",
    font_size: "字号",
    font_large: "大",
    font_medium: "中",
    high_contrast: "高对比度",
    headlines: "要闻",
    latest: "最新信息",
    special: "专题专栏",
    more: "更多",
    sub_columns: "子栏目",
    no_articles: "本栏目暂无信息。",
    feed: "订阅本栏目（Atom）",
    pagination: "分页",
    previous_page: "上一页",
    next_page: "下一页",
    published: "发布时间",
    source: "来源",
    author: "作者",
    unit: "报送单位",
    doc_number: "文号",
    index_number: "索引号",
    issuer: "发文机关",
    publication_date: "发布日期",
    tags: "关键词",
    reprinted_from: "本文转载自",
    interpretations: "相关解读",
    interprets: "解读文件",
    attachments: "附件",
    previous_article: "上一篇",
    next_article: "下一篇",
    none: "没有了",
    print: "打印本页",
    scan_to_open: "扫一扫在手机打开当前页",
    video_fallback: "您的浏览器无法播放此视频，可下载观看",
    organizer: "主办单位",
    site_code: "网站标识码",
    icp: "ICP备案号",
    police: "公安备案号",
    contact: "联系方式",
    not_found_title: "页面未找到",
    not_found_text: "您访问的页面不存在，可能已被删除、更名或暂时不可用。",
    back_home: "返回首页",
    search_title: "站内搜索",
    search_help: "输入一个或多个关键词，用空格分隔；结果须包含全部关键词。",
    search_no_script: "站内搜索需要启用 JavaScript。您也可以通过网站地图查找栏目。",
    search_loading: "正在加载搜索索引……",
    search_empty: "请输入关键词。",
    search_none: "没有找到包含全部关键词的信息。",
    search_count: "共找到 {n} 条结果",
    search_page: "第 {n} / {total} 页",
    search_failed: "搜索索引加载失败，请稍后再试。",
    search_filters: "筛选",
    search_column: "栏目",
    search_all_columns: "全部栏目",
    search_year: "年份",
    search_all_years: "全部年份",
    preview_banner: PREVIEW_BANNER,
    articles_count: "{n} 篇",
    font_xlarge: "特大",
    badge: "党政机关网站标识",
    error_correction: "我要纠错",
    related: "相关稿件",
    topic: "主题分类",
    written_on: "成文日期",
    validity: "有效性",
    subject_words: "主题词",
    disclosure: "信息公开属性",
    captions: "中文字幕",
    valid: "有效",
    amended: "已修改",
    repealed: "已废止",
    expired: "已失效",
    notice_amended: "本文件已被修改，请以修改后的规定为准。",
    notice_repealed: "本文件已废止，仅供查阅，不再执行。",
    notice_expired: "本文件已失效，仅供查阅，不再执行。",
    list_separator: "、",
};

static ENGLISH: Labels = Labels {
    home: "Home",
    colon: ": ",
    welcome: "Welcome to ",
    skip_to_content: "Skip to main content",
    main_nav: "Main navigation",
    section_nav: "In this section",
    breadcrumbs: "You are here",
    page_tools: "Page tools",
    footer_nav: "About this site",
    site_map: "Site map",
    search: "Search",
    search_placeholder: "Search this site",
    font_size: "Font size",
    font_large: "Large",
    font_medium: "Medium",
    high_contrast: "High contrast",
    headlines: "Headlines",
    latest: "Latest",
    special: "Special topics",
    more: "More",
    sub_columns: "Sections",
    no_articles: "Nothing has been published here yet.",
    feed: "Subscribe to this section (Atom)",
    pagination: "Pages",
    previous_page: "Previous",
    next_page: "Next",
    published: "Published",
    source: "Source",
    author: "Author",
    unit: "Submitted by",
    doc_number: "Document No.",
    index_number: "Index No.",
    issuer: "Issued by",
    publication_date: "Date of issue",
    tags: "Keywords",
    reprinted_from: "Reprinted from",
    interpretations: "Interpretations",
    interprets: "Policy interpreted",
    attachments: "Attachments",
    previous_article: "Previous",
    next_article: "Next",
    none: "None",
    print: "Print",
    scan_to_open: "Scan to open this page on a phone",
    video_fallback: "Your browser cannot play this video; download it",
    organizer: "Organizer",
    site_code: "Site code",
    icp: "ICP licence",
    police: "Public security filing",
    contact: "Contact",
    not_found_title: "Page not found",
    not_found_text: "The page you asked for does not exist. It may have been removed or renamed.",
    back_home: "Back to the home page",
    search_title: "Search",
    search_help: "Enter one or more words separated by spaces; results contain all of them.",
    search_no_script: "Search needs JavaScript. You can also find sections in the site map.",
    search_loading: "Loading the search index…",
    search_empty: "Enter a search term.",
    search_none: "Nothing contains all of these words.",
    search_count: "{n} results",
    search_page: "page {n} of {total}",
    search_failed: "The search index could not be loaded. Please try again later.",
    search_filters: "Filter",
    search_column: "Section",
    search_all_columns: "All sections",
    search_year: "Year",
    search_all_years: "All years",
    preview_banner: PREVIEW_BANNER,
    articles_count: "{n} articles",
    font_xlarge: "Extra large",
    badge: "Party and government website mark",
    error_correction: "Report an error on this page",
    related: "Related articles",
    topic: "Subject category",
    written_on: "Date written",
    validity: "Validity",
    subject_words: "Subject words",
    disclosure: "Public information details",
    captions: "Captions",
    valid: "In force",
    amended: "Amended",
    repealed: "Repealed",
    expired: "Expired",
    notice_amended: "This document has been amended: the amended provisions apply.",
    notice_repealed: "This document has been repealed. It is kept for reference only and no longer applies.",
    notice_expired: "This document has expired. It is kept for reference only and no longer applies.",
    list_separator: ", ",
};

/// What every page shares.
#[derive(Debug, Serialize)]
pub struct SiteView {
    pub title: String,
    pub description: Option<String>,
    /// `zh-CN` or `en`, for `<html lang>`.
    pub language: &'static str,
    /// `https://kx.example/` (always ending in `/`).
    pub base_url: String,
    /// `/` or `/kx/`: the prefix of every internal URL.
    pub base_path: String,
    /// Host of `base_url`, for the `SiteDomain` meta tag.
    pub domain: String,
    pub home_url: String,
    pub static_url: String,
    /// Changes when a static file changes, so browsers fetch the new CSS/JS.
    pub asset_version: String,
    pub search_url: String,
    pub sitemap_url: String,
    pub feed_url: String,
    /// `:root { --body-font: …; }`, for an inline `<style>`; already safe.
    pub typography_css: String,
    pub identity: IdentityView,
    pub nav: Vec<NavItem>,
}

/// The `[identity]` footer fields, each `None` when not set.
#[derive(Debug, Serialize)]
pub struct IdentityView {
    pub organizer: Option<String>,
    pub site_code: Option<String>,
    pub icp: Option<String>,
    pub police: Option<String>,
    pub contact: Option<String>,
    pub error_report_url: Option<String>,
    /// 我为政府网站找错 (gov) or 我为网站找错 (party-mass).
    pub error_report_label: &'static str,
    /// The 党政机关网站标识 certificate page, from `badge_id`.
    pub badge_url: Option<String>,
    /// The ICP registry, when `icp` is set.
    pub icp_url: Option<&'static str>,
    /// The 公安 registry's page of `police`, when it has digits.
    pub police_url: Option<String>,
    /// Whether the profile shows 网站标识码 (`gov`).
    pub gov: bool,
}

#[derive(Debug, Clone, Serialize)]
pub struct NavItem {
    pub title: String,
    pub url: String,
    /// Column path, compared with `page.section` to mark the current item.
    pub path: String,
    pub children: Vec<NavItem>,
}

#[derive(Debug, Clone, Serialize)]
pub struct Link {
    pub title: String,
    pub url: String,
}

/// A breadcrumb; the last one (the page itself) has no URL.
#[derive(Debug, Clone, Serialize)]
pub struct Crumb {
    pub title: String,
    pub url: Option<String>,
}

#[derive(Debug, Clone, Serialize)]
pub struct MetaTag {
    pub name: &'static str,
    pub content: String,
}

/// The left-hand navigation of a section (a top-level column with sub-columns).
#[derive(Debug, Clone, Serialize)]
pub struct SectionNav {
    pub title: String,
    pub url: String,
    pub current: bool,
    pub items: Vec<SectionItem>,
}

#[derive(Debug, Clone, Serialize)]
pub struct SectionItem {
    pub title: String,
    pub url: String,
    /// 1 for a sub-column, 2 for its children …
    pub depth: usize,
    pub current: bool,
}

/// Per page: title, breadcrumbs, meta tags.
#[derive(Debug, Serialize)]
pub struct PageMeta {
    /// `home`, `column`, `article`, `sitemap`, `search` or `not-found`.
    pub kind: &'static str,
    /// The document `<title>`.
    pub title: String,
    pub description: Option<String>,
    pub canonical: String,
    /// Top-level column path the page belongs to (marks the navigation).
    pub section: Option<String>,
    pub section_nav: Option<SectionNav>,
    pub breadcrumbs: Vec<Crumb>,
    /// Monitoring meta tags (SiteName, ColumnName, ArticleTitle …), in order.
    pub meta: Vec<MetaTag>,
    /// This page's own Atom feed, for `<link rel="alternate">`.
    pub feed_url: Option<String>,
    /// The 找错 link carrying the site code and this page's address.
    pub error_report_url: Option<String>,
}

/// An article as lists show it.
#[derive(Debug, Clone, Serialize)]
pub struct ArticleCard {
    pub title: String,
    pub url: String,
    /// `2026-11-02` or `2026-11-02 09:00`.
    pub date: String,
    /// `2026-11-02`: the day alone, for lists.
    pub day: String,
    /// For `<time datetime>`.
    pub datetime: String,
    pub summary: Option<String>,
    pub column_title: Option<String>,
    pub column_url: Option<String>,
    pub kind: &'static str,
    pub importance: &'static str,
    /// URL of the cover image, when the article has a local one.
    pub cover: Option<String>,
}

#[derive(Debug, Serialize)]
pub struct HomeView {
    pub headlines: Vec<ArticleCard>,
    /// Whether `headlines` are important/major items (else simply the latest).
    pub headlines_are_important: bool,
    pub blocks: Vec<HomeBlock>,
    pub special: Option<SpecialBlock>,
}

/// A top-level column's block on the home page.
#[derive(Debug, Serialize)]
pub struct HomeBlock {
    pub title: String,
    pub url: String,
    pub path: String,
    pub children: Vec<Link>,
    pub items: Vec<ArticleCard>,
    /// Few items: shown with their summaries, so the block is not half empty.
    pub few: bool,
}

#[derive(Debug, Serialize)]
pub struct SpecialBlock {
    pub url: Option<String>,
    pub items: Vec<ArticleCard>,
}

#[derive(Debug, Serialize)]
pub struct ColumnView {
    pub title: String,
    pub description: Option<String>,
    pub path: String,
    pub url: String,
    pub feed_url: String,
    pub children: Vec<Link>,
    pub items: Vec<ArticleCard>,
    pub pagination: Pagination,
}

#[derive(Debug, Serialize)]
pub struct Pagination {
    pub current: usize,
    pub total: usize,
    pub previous: Option<String>,
    pub next: Option<String>,
    pub pages: Vec<PageLink>,
    /// `第 2 / 5 页` / `Page 2 of 5`.
    pub summary: String,
}

#[derive(Debug, Serialize)]
pub struct PageLink {
    pub number: usize,
    pub url: String,
    pub current: bool,
    /// Pages were left out between the previous link and this one.
    pub gap_before: bool,
}

#[derive(Debug, Serialize)]
pub struct ArticleView {
    pub title: String,
    /// Inline SVG QR code of the page's address (扫一扫在手机打开当前页).
    pub qr_svg: String,
    pub date: String,
    pub datetime: String,
    pub kind: &'static str,
    pub source: Option<OptionalLink>,
    pub author: Option<String>,
    pub unit: Option<String>,
    pub doc_number: Option<String>,
    pub index_number: Option<String>,
    /// The 信息公开 table above a policy's body.
    pub policy: Option<PolicyTable>,
    /// A notice for a document no longer (wholly) in force.
    pub validity_notice: Option<&'static str>,
    /// `valid`, `amended`, `repealed` or `expired`.
    pub validity: &'static str,
    pub summary: Option<String>,
    pub tags: Vec<String>,
    /// Sanitised body HTML.
    pub body: String,
    pub video: Option<Video>,
    /// For reprints: 本文转载自 ….
    pub reprinted_from: Option<OptionalLink>,
    /// For policies: their interpretations.
    pub interpretations: Vec<Link>,
    /// For interpretations: the policy explained.
    pub interprets: Option<Link>,
    pub attachments: Vec<Attachment>,
    /// The newer neighbour in the column.
    pub previous: Option<Link>,
    /// The older neighbour in the column.
    pub next: Option<Link>,
    /// 相关稿件: articles sharing its tags, then its column's nearest.
    pub related: Vec<ArticleCard>,
}

/// An article's links to other articles, part of its page's inputs.
#[derive(Debug, Serialize)]
struct ArticleLinks {
    previous: Option<Link>,
    next: Option<Link>,
    interpretations: Vec<Link>,
    interprets: Option<Link>,
    related: Vec<ArticleCard>,
}

/// A name with a link when one is known (a source without `source_url`).
#[derive(Debug, Clone, Serialize)]
pub struct OptionalLink {
    pub title: String,
    pub url: Option<String>,
}

/// 信息公开 metadata of a policy document, each `None` when not given.
#[derive(Debug, Serialize)]
pub struct PolicyTable {
    /// 索引号
    pub index_number: Option<String>,
    /// 主题分类
    pub topic: Option<String>,
    /// 发文机关: `issuer`, else the unit's name.
    pub issuer: Option<String>,
    /// 成文日期
    pub written_on: Option<String>,
    /// 文号
    pub doc_number: Option<String>,
    /// 发布日期
    pub date: String,
    /// 有效性, in words.
    pub validity: &'static str,
    /// 主题词
    pub subject_words: Option<String>,
}

#[derive(Debug, Serialize)]
pub struct Video {
    pub url: String,
    pub mime: &'static str,
    pub poster: Option<String>,
    pub name: String,
    /// A WebVTT file of the bundle, offered as the video's captions.
    pub captions: Option<String>,
    /// `zh-CN` or `en`: the captions' language.
    pub captions_language: &'static str,
    /// The poster's size, so the player takes its place before the video loads.
    pub size: Option<(u32, u32)>,
}

#[derive(Debug, Serialize)]
pub struct Attachment {
    pub name: String,
    pub url: String,
    pub kind: String,
    pub size: String,
}

/// A column in the HTML site map, with its sub-columns.
#[derive(Debug, Serialize)]
pub struct TreeNode {
    pub title: String,
    pub url: String,
    pub description: Option<String>,
    pub count: String,
    pub children: Vec<TreeNode>,
}

#[derive(Debug, Serialize)]
pub struct SearchView {
    pub index_url: String,
}

/// The variables every template receives.
#[derive(Serialize)]
struct SharedContext<'a> {
    site: &'a SiteView,
    t: &'static Labels,
    page: &'a PageMeta,
    preview: bool,
}

/// One article in the model.
pub struct ArticleEntry<'a> {
    pub article: &'a PublishedArticle,
    pub column: Option<&'a Column>,
    /// Output folder relative to the site root: `news/hq/a`.
    pub folder: String,
    /// `/kx/news/hq/a/`.
    pub url: String,
    pub absolute_url: String,
    pub card: ArticleCard,
    /// Plain-text name of the column, for feeds and the search index.
    pub column_title: Option<String>,
}

/// What rendering one article leaves behind for feeds, search and the report.
pub struct ArticleOutcome {
    /// Path in the site of the article's search document (`search/d/…`).
    pub search_document: std::sync::Arc<str>,
    /// The body HTML, kept only for articles that appear in a feed.
    pub feed_html: Option<std::sync::Arc<str>>,
    pub problems: Vec<Diagnostic>,
}

/// The site, arranged for rendering.
pub struct SiteModel<'a> {
    pub input: &'a RenderInput<'a>,
    pub labels: &'static Labels,
    pub site: SiteView,
    /// Newest first; ties by repository path.
    pub articles: Vec<ArticleEntry<'a>>,
    /// Column path → its own articles (indices into `articles`), newest first.
    own_articles: BTreeMap<String, Vec<usize>>,
    /// Column path → its and its sub-columns' articles, newest first.
    listed_articles: BTreeMap<String, Vec<usize>>,
    /// Article → its position in its column's own list (for previous/next).
    position_in_column: Vec<usize>,
    /// Policy → the interpretations of it.
    interpretations: BTreeMap<usize, Vec<usize>>,
    /// Interpretation → the policy it explains.
    interpreted_policy: BTreeMap<usize, usize>,
    /// Tag → the articles carrying it (indices into `articles`), newest first.
    tagged: BTreeMap<&'a str, Vec<usize>>,
    /// Problems found while arranging the site.
    pub problems: Vec<Diagnostic>,
}

impl<'a> SiteModel<'a> {
    pub fn new(input: &'a RenderInput<'a>) -> SiteModel<'a> {
        let site = input.site;
        let labels = match site.language {
            Language::English => &ENGLISH,
            Language::Chinese => &CHINESE,
        };
        let base_path = base_path_of(&site.base_url);
        let site_view = site_view(site, &base_path, input);
        let mut problems = Vec::new();

        let mut sorted: Vec<&PublishedArticle> = input.articles.iter().collect();
        sorted.sort_by(|a, b| b.date.at.cmp(&a.date.at).then_with(|| a.path.cmp(&b.path)));

        // Output folders already taken: by the renderer, by columns, then by
        // articles in display order (the newest keeps a contested URL).
        let mut claimed: BTreeMap<String, String> = RESERVED_FOLDERS
            .iter()
            .map(|name| (name.to_string(), "sanshen's own pages".to_string()))
            .collect();
        for column in site.columns.iter() {
            if let Some(owner) = claimed.get(&column.path) {
                problems.push(
                    Diagnostic::in_file(
                        "site.toml",
                        format!("column `{}` has the same URL as {owner}", column.path),
                    )
                    .with_help("give the column another path"),
                );
            }
            claimed.insert(column.path.clone(), format!("column `{}`", column.path));
            claimed.insert(
                format!("{}/page", column.path),
                format!("the page list of column `{}`", column.path),
            );
        }

        let mut articles = Vec::with_capacity(sorted.len());
        for article in sorted {
            let folder = article.path.url().trim_matches('/').to_string();
            if let Some(owner) = claimed.get(&folder) {
                problems.push(
                    Diagnostic::in_file(
                        article.path.markdown_path(),
                        format!("is not published: its URL /{folder}/ is already used by {owner}"),
                    )
                    .with_help("rename the file (its name is the URL) to something unique"),
                );
                continue;
            }
            claimed.insert(folder.clone(), format!("`{}`", article.path.path));
            let column = site.columns.get(article.path.column());
            if column.is_none() {
                problems.push(
                    Diagnostic::in_file(
                        article.path.markdown_path(),
                        format!(
                            "is in folder `{}`, which is not a column in site.toml; it is published but no column lists it",
                            article.path.column()
                        ),
                    )
                    .with_help("move it into a column's folder, or declare the column in site.toml"),
                );
            }
            let url = site_url(&base_path, &article.path.url());
            let card = article_card(site, &base_path, article, column, &url, &mut problems);
            articles.push(ArticleEntry {
                article,
                column,
                absolute_url: site.absolute_url(&article.path.url()),
                folder,
                url,
                column_title: column.map(|c| c.title.clone()),
                card,
            });
        }

        let mut own_articles: BTreeMap<String, Vec<usize>> = BTreeMap::new();
        let mut listed_articles: BTreeMap<String, Vec<usize>> = BTreeMap::new();
        let mut tagged: BTreeMap<&'a str, Vec<usize>> = BTreeMap::new();
        let mut position_in_column = Vec::with_capacity(articles.len());
        for (index, entry) in articles.iter().enumerate() {
            let tags: BTreeSet<&'a str> = entry
                .article
                .front
                .tags
                .iter()
                .map(|tag| tag.trim())
                .filter(|tag| !tag.is_empty())
                .collect();
            for tag in tags {
                tagged.entry(tag).or_default().push(index);
            }
            let own = own_articles
                .entry(entry.article.path.column().to_string())
                .or_default();
            position_in_column.push(own.len());
            own.push(index);
            if let Some(column) = entry.column {
                for ancestor in site.columns.lineage(&column.path) {
                    listed_articles
                        .entry(ancestor.path.clone())
                        .or_default()
                        .push(index);
                }
            }
        }

        let mut model = SiteModel {
            input,
            labels,
            site: site_view,
            articles,
            own_articles,
            listed_articles,
            position_in_column,
            interpretations: BTreeMap::new(),
            interpreted_policy: BTreeMap::new(),
            tagged,
            problems,
        };
        model.link_interpretations();
        model
    }

    /// Connect each interpretation to the policy named by its `interprets`.
    fn link_interpretations(&mut self) {
        // A policy is named by its repository path: the `.md` file, the
        // bundle folder, or the bundle's index.md.
        let mut by_path: BTreeMap<String, usize> = BTreeMap::new();
        for (index, entry) in self.articles.iter().enumerate() {
            by_path.insert(entry.article.path.path.clone(), index);
            by_path.insert(entry.article.path.markdown_path(), index);
        }
        let mut problems = Vec::new();
        for (index, entry) in self.articles.iter().enumerate() {
            let Some(target) = &entry.article.front.interprets else {
                continue;
            };
            let wanted = normalise_article_reference(target);
            match by_path.get(&wanted).copied() {
                Some(policy) if policy != index => {
                    self.interpreted_policy.insert(index, policy);
                    self.interpretations.entry(policy).or_default().push(index);
                }
                _ => problems.push(
                    Diagnostic::in_file(
                        entry.article.path.markdown_path(),
                        format!("`interprets: {target}` names no published article; the link to the policy is left out"),
                    )
                    .with_help("write the policy's repository path, e.g. interprets: content/xxgk/policy/some-policy.md"),
                ),
            }
        }
        self.problems.extend(problems);
    }

    /// `/kx/` + `news/a/`.
    pub fn site_url(&self, path: &str) -> String {
        site_url(&self.site.base_path, path)
    }

    /// The articles a column page lists: its own and its sub-columns'.
    pub fn listing(&self, column: &str) -> &[usize] {
        self.listed_articles
            .get(column)
            .map(Vec::as_slice)
            .unwrap_or(&[])
    }

    pub(crate) fn unit_name(&self, article: &PublishedArticle) -> Option<String> {
        let unit = article.front.unit.as_str();
        Some(
            self.input
                .unit_names
                .get(unit)
                .cloned()
                .unwrap_or_else(|| unit.to_string()),
        )
    }

    fn author_name(&self, article: &PublishedArticle) -> Option<String> {
        let author = article.front.author.as_deref()?.trim();
        if author.is_empty() {
            return None;
        }
        Some(
            self.input
                .person_names
                .get(author)
                .cloned()
                .unwrap_or_else(|| author.to_string()),
        )
    }

    /// The shared template variables plus the page's own (`key`), if any.
    fn context<T: Serialize>(
        &self,
        page: &PageMeta,
        own: Option<(&str, &T)>,
    ) -> Result<tera::Context> {
        let shared = SharedContext {
            site: &self.site,
            t: self.labels,
            page,
            preview: self.input.preview,
        };
        let mut context = tera::Context::from_serialize(&shared).map_err(|err| {
            Error::config(Diagnostic::new(format!(
                "could not prepare the page variables: {}",
                crate::site::theme::error_chain(&err)
            )))
        })?;
        if let Some((key, value)) = own {
            context.insert(key, value);
        }
        Ok(context)
    }

    /// Meta tags every page carries (网站标识 for monitoring).
    fn site_meta(&self) -> Vec<MetaTag> {
        let mut tags = vec![
            MetaTag {
                name: "SiteName",
                content: self.site.title.clone(),
            },
            MetaTag {
                name: "SiteDomain",
                content: self.site.domain.clone(),
            },
        ];
        if let Some(code) = &self.site.identity.site_code {
            tags.push(MetaTag {
                name: "SiteIDCode",
                content: code.clone(),
            });
        }
        tags
    }

    fn column_meta(&self, column: &Column, tags: &mut Vec<MetaTag>) {
        let lineage = self.input.site.columns.lineage(&column.path);
        let keywords: Vec<&str> = lineage.iter().map(|c| c.title.as_str()).collect();
        let column_type = lineage.first().map(|c| c.title.clone()).unwrap_or_default();
        tags.push(MetaTag {
            name: "ColumnName",
            content: column.title.clone(),
        });
        tags.push(MetaTag {
            name: "ColumnDescription",
            content: column
                .description
                .clone()
                .unwrap_or_else(|| column.title.clone()),
        });
        tags.push(MetaTag {
            name: "ColumnKeywords",
            content: keywords.join(","),
        });
        tags.push(MetaTag {
            name: "ColumnType",
            content: column_type,
        });
    }

    fn document_title(&self, title: &str) -> String {
        format!("{title} - {}", self.site.title)
    }

    fn home_crumb(&self) -> Crumb {
        Crumb {
            title: self.labels.home.to_string(),
            url: Some(self.site.home_url.clone()),
        }
    }

    /// 首页 > the column's ancestors > the column (linked when `link_last`).
    fn column_crumbs(&self, column_path: &str, link_last: bool) -> Vec<Crumb> {
        let lineage = self.input.site.columns.lineage(column_path);
        let last = lineage.len().saturating_sub(1);
        std::iter::once(self.home_crumb())
            .chain(lineage.iter().enumerate().map(|(i, column)| Crumb {
                title: column.title.clone(),
                url: (link_last || i < last).then(|| self.site_url(&column.url())),
            }))
            .collect()
    }

    /// The section a column belongs to: its top-level ancestor.
    fn section_of(&self, column_path: &str) -> Option<&'a Column> {
        let root = column_path.split('/').next()?;
        self.input.site.columns.get(root)
    }

    /// Left-hand navigation for pages within a section that has sub-columns.
    fn section_nav(&self, column_path: &str) -> Option<SectionNav> {
        let root = self.section_of(column_path)?;
        let columns = &self.input.site.columns;
        let prefix = format!("{}/", root.path);
        let items: Vec<SectionItem> = columns
            .iter()
            .filter(|c| c.path.starts_with(&prefix))
            .map(|c| SectionItem {
                title: c.title.clone(),
                url: self.site_url(&c.url()),
                depth: c.depth(),
                current: c.path == column_path,
            })
            .collect();
        if items.is_empty() {
            return None;
        }
        Some(SectionNav {
            title: root.title.clone(),
            url: self.site_url(&root.url()),
            current: root.path == column_path,
            items,
        })
    }

    /// 相关稿件 of article `index`: those sharing the most of its tags, the
    /// nearest in time first, then the nearest of its own column (`own`, where
    /// it sits at `position`); none of `shown` (itself and its neighbours,
    /// which the page links already).
    fn related(&self, index: usize, own: &[usize], position: usize, shown: &[usize]) -> Vec<usize> {
        let tags: BTreeSet<&str> = self.articles[index]
            .article
            .front
            .tags
            .iter()
            .map(|tag| tag.trim())
            .collect();
        let mut shared: BTreeMap<usize, usize> = BTreeMap::new();
        for tag in tags {
            let Some(list) = self.tagged.get(tag) else {
                continue;
            };
            let at = list.partition_point(|&i| i < index);
            let window =
                at.saturating_sub(RELATED_WINDOW)..(at + RELATED_WINDOW + 1).min(list.len());
            for &other in &list[window] {
                *shared.entry(other).or_default() += 1;
            }
        }
        let mut by_tags: Vec<(usize, usize)> = shared.into_iter().collect();
        by_tags.sort_by_key(|&(other, count)| {
            (std::cmp::Reverse(count), other.abs_diff(index), other)
        });
        let by_column: Vec<usize> = (1..=RELATED_ITEMS + shown.len())
            .flat_map(|distance| [position.checked_sub(distance), Some(position + distance)])
            .flatten()
            .filter_map(|p| own.get(p).copied())
            .collect();
        let mut chosen = Vec::with_capacity(RELATED_ITEMS);
        for other in by_tags.into_iter().map(|(other, _)| other).chain(by_column) {
            if chosen.len() == RELATED_ITEMS {
                break;
            }
            if !shown.contains(&other) && !chosen.contains(&other) {
                chosen.push(other);
            }
        }
        chosen
    }

    /// The 找错 address for a page: `error_report_url` with the site code
    /// (when it has none yet) and the page's address as query parameters.
    fn error_report_link(&self, page_url: Option<&str>) -> Option<String> {
        let identity = &self.input.site.identity;
        let base = identity
            .error_report_url
            .as_deref()
            .map(str::trim)
            .filter(|url| !url.is_empty())?;
        let (address, fragment) = match base.split_once('#') {
            Some((address, fragment)) => (address, Some(fragment)),
            None => (base, None),
        };
        let mut link = address.to_string();
        let mut add = |key: &str, value: &str| {
            link.push(if link.contains('?') { '&' } else { '?' });
            link.push_str(key);
            link.push('=');
            link.push_str(&encode_query_value(value));
        };
        if let Some(code) = identity.site_code.as_deref().map(str::trim)
            && !code.is_empty()
            && !address.contains("sitecode=")
        {
            add("sitecode", code);
        }
        if let Some(url) = page_url {
            add("url", url);
        }
        if let Some(fragment) = fragment {
            link.push('#');
            link.push_str(fragment);
        }
        Some(link)
    }

    fn format_count(&self, count: usize) -> String {
        self.labels
            .articles_count
            .replace("{n}", &count.to_string())
    }
}

/// Renders pages from a model with one set of templates.
pub struct PageRenderer<'m, 'a> {
    model: &'m SiteModel<'a>,
    templates: &'m tera::Tera,
    output: &'m OutputFolder,
    /// The previous build's pages, and the fingerprint of everything every
    /// article page shares (site, theme, names), when pages may be reused.
    reuse: Option<(&'m PageReuse, Fingerprint)>,
    pub(crate) clock: StepClock,
}

impl<'m, 'a> PageRenderer<'m, 'a> {
    pub(crate) fn new(
        model: &'m SiteModel<'a>,
        templates: &'m tera::Tera,
        output: &'m OutputFolder,
        reuse: Option<&'m PageReuse>,
    ) -> Self {
        PageRenderer {
            model,
            templates,
            output,
            reuse: reuse.map(|reuse| (reuse, shared_fingerprint(model))),
            clock: StepClock::default(),
        }
    }

    fn render(&self, template: &str, context: &tera::Context) -> Result<String> {
        self.templates.render(template, context).map_err(|err| {
            Error::config(
                Diagnostic::in_file(
                    format!("themes/{}/templates/{template}", self.model.input.theme.name),
                    format!("the template failed: {}", crate::site::theme::error_chain(&err)),
                )
                .with_help("fix the template; the variables a template receives are listed in src/render/pages.rs"),
            )
        })
    }

    /// Render every article (in parallel), write its page and bundle assets.
    /// The outcomes are in the order of `model.articles`.
    pub fn render_articles(&self) -> Result<Vec<ArticleOutcome>> {
        let in_feeds = feeds::articles_in_feeds(self.model);
        (0..self.model.articles.len())
            .into_par_iter()
            .map(|index| self.render_article(index, in_feeds.contains(&index)))
            .collect()
    }

    fn render_article(&self, index: usize, keep_html: bool) -> Result<ArticleOutcome> {
        let model = self.model;
        let entry = &model.articles[index];
        let article = entry.article;
        let page = self.article_page_meta(entry);
        let links = self.article_links(index);

        let fingerprint = self
            .reuse
            .as_ref()
            .and_then(|(_, shared)| article_fingerprint(shared, entry, &page, &links, keep_html));
        if let Some(reused) = self.link_previous(fingerprint.as_deref()) {
            return Ok(ArticleOutcome {
                search_document: reused.search_document,
                feed_html: reused.feed_html,
                problems: reused.problems,
            });
        }

        let text = self
            .clock
            .time(Step::Reading, || article.text(model.input.loader))?;
        let options = MarkdownOptions {
            allow_raw_html: entry.column.is_some_and(|c| c.allow_raw_html),
        };
        let rendered = self
            .clock
            .time(Step::Markdown, || markdown::render(&text.body, &options));
        let mut problems = image_problems(article, &rendered);
        let body = images::size_body_images(
            &prefix_site_links(&rendered.html, &model.site.base_path),
            |src| {
                let name = bundle_asset_name(src)?;
                let (_, bytes) = text.assets.iter().find(|(asset, _)| *asset == name)?;
                images::image_size(bytes)
            },
        );

        let view = self.article_view(index, &rendered, body, links, &text.assets);
        let page = describe_article(page, entry, &rendered, model.input.site);
        let html = self.clock.time(Step::Templates, || {
            let context = model.context(&page, Some(("article", &view)))?;
            self.render("article.html", &context)
        })?;
        let mut written = vec![format!("{}/index.html", entry.folder)];
        self.clock
            .time(Step::Writing, || self.output.write_page(&written[0], &html))?;
        for (name, bytes) in &text.assets {
            if is_safe_asset_name(name) {
                let relative = format!("{}/{name}", entry.folder);
                self.clock.time(Step::Writing, || {
                    self.output
                        .write(&relative, &crate::media::strip_metadata(name, bytes))
                })?;
                written.push(relative);
            } else {
                problems.push(
                    Diagnostic::in_file(
                        format!("{}/{name}", article.path.path),
                        "is not copied to the site: its name would leave the article's folder or replace its page",
                    )
                    .with_help("rename the file"),
                );
            }
        }

        let search_document = self.clock.time(Step::SearchDocuments, || {
            SearchDocument::of(model, entry, &rendered.plain_text).write(self.output)
        })?;
        written.push(search_document.clone());

        let outcome = ArticleOutcome {
            search_document: search_document.into(),
            feed_html: keep_html.then(|| view.body.as_str().into()),
            problems,
        };
        self.remember_written(fingerprint, &written, Some(&outcome));
        Ok(outcome)
    }

    /// An article's links to other articles: column neighbours, and between
    /// policies and their interpretations.
    fn article_links(&self, index: usize) -> ArticleLinks {
        let model = self.model;
        let article = model.articles[index].article;
        let link_to = |other: usize| Link {
            title: model.articles[other].article.front.title.clone(),
            url: model.articles[other].url.clone(),
        };
        // Neighbours in the article's own column, in list order (newest first).
        let own = model
            .own_articles
            .get(article.path.column())
            .map(Vec::as_slice)
            .unwrap_or(&[]);
        let position = model.position_in_column[index];
        let previous = position.checked_sub(1).and_then(|p| own.get(p)).copied();
        let next = own.get(position + 1).copied();
        let interpretations = model
            .interpretations
            .get(&index)
            .map(Vec::as_slice)
            .unwrap_or(&[]);
        let interprets = model.interpreted_policy.get(&index).copied();
        // Articles the page links already are not offered again as related.
        let shown: Vec<usize> = [Some(index), previous, next, interprets]
            .into_iter()
            .flatten()
            .chain(interpretations.iter().copied())
            .collect();
        ArticleLinks {
            related: model
                .related(index, own, position, &shown)
                .into_iter()
                .map(|i| model.articles[i].card.clone())
                .collect(),
            previous: previous.map(link_to),
            next: next.map(link_to),
            interpretations: interpretations.iter().map(|&i| link_to(i)).collect(),
            interprets: interprets.map(link_to),
        }
    }

    fn article_page_meta(&self, entry: &ArticleEntry<'_>) -> PageMeta {
        let model = self.model;
        let article = entry.article;
        let front = &article.front;
        let column_path = article.path.column();
        let mut breadcrumbs = if entry.column.is_some() {
            model.column_crumbs(column_path, true)
        } else {
            vec![model.home_crumb()]
        };
        breadcrumbs.push(Crumb {
            title: front.title.clone(),
            url: None,
        });
        let mut meta = model.site_meta();
        if let Some(column) = entry.column {
            model.column_meta(column, &mut meta);
        }
        let mut push = |name: &'static str, content: Option<String>| {
            if let Some(content) = content.filter(|c| !c.trim().is_empty()) {
                meta.push(MetaTag { name, content });
            }
        };
        push("ArticleTitle", Some(front.title.clone()));
        // The time only when it is known: a day alone gets no made-up 00:00.
        push("PubDate", Some(entry.card.date.clone()));
        push(
            "ContentSource",
            front.source.clone().or_else(|| model.unit_name(article)),
        );
        push("Keywords", Some(front.tags.join(",")));
        push("Author", model.author_name(article));
        push("Url", Some(entry.absolute_url.clone()));
        PageMeta {
            kind: "article",
            title: model.document_title(&front.title),
            // Completed from the body once it is read (`describe_article`).
            description: front.summary.clone().filter(|s| !s.trim().is_empty()),
            error_report_url: model.error_report_link(Some(&entry.absolute_url)),
            canonical: entry.absolute_url.clone(),
            section: entry
                .column
                .and_then(|c| model.section_of(&c.path))
                .map(|c| c.path.clone()),
            section_nav: entry.column.and_then(|c| model.section_nav(&c.path)),
            breadcrumbs,
            meta,
            feed_url: None,
        }
    }

    fn article_view(
        &self,
        index: usize,
        rendered: &RenderedMarkdown,
        body: String,
        links: ArticleLinks,
        assets: &[(String, Vec<u8>)],
    ) -> ArticleView {
        let model = self.model;
        let entry = &model.articles[index];
        let article = entry.article;
        let front = &article.front;
        let source = front.source.as_ref().map(|source| OptionalLink {
            title: source.clone(),
            url: front.source_url.clone(),
        });
        let unit = model.unit_name(article);

        let labels = model.labels;
        let validity_words = match front.validity {
            Validity::Valid => labels.valid,
            Validity::Amended => labels.amended,
            Validity::Repealed => labels.repealed,
            Validity::Expired => labels.expired,
        };
        let validity_notice = match front.validity {
            Validity::Valid => None,
            Validity::Amended => Some(labels.notice_amended),
            Validity::Repealed => Some(labels.notice_repealed),
            Validity::Expired => Some(labels.notice_expired),
        };
        let present = |value: &Option<String>| value.clone().filter(|v| !v.trim().is_empty());
        let policy = (front.kind == ArticleType::Policy).then(|| PolicyTable {
            index_number: present(&front.index_number),
            topic: present(&front.topic),
            issuer: present(&front.issuer)
                .or_else(|| unit.clone())
                .or_else(|| model.site.identity.organizer.clone()),
            written_on: front
                .written_on
                .as_ref()
                .map(|day| day.at.format("%Y-%m-%d").to_string()),
            doc_number: present(&front.doc_number),
            date: entry.card.date.clone(),
            validity: validity_words,
            subject_words: (!front.tags.is_empty()).then(|| front.tags.join(labels.list_separator)),
        });

        let shown_in_body: BTreeSet<String> = rendered
            .images
            .iter()
            .filter_map(|image| bundle_asset_name(&image.src))
            .chain(front.cover.as_deref().and_then(bundle_asset_name))
            .collect();
        let linked_in_body: BTreeSet<String> = rendered
            .links
            .iter()
            .filter_map(|link| bundle_asset_name(&link.href))
            .collect();
        let video = (front.kind == ArticleType::Video)
            .then(|| {
                assets.iter().find_map(|(name, _)| {
                    let mime = video_mime(name)?;
                    (!linked_in_body.contains(name)).then(|| Video {
                        url: encode_path(name),
                        mime,
                        poster: front
                            .cover
                            .as_deref()
                            .and_then(bundle_asset_name)
                            .map(|cover| encode_path(&cover)),
                        name: file_name(name).to_string(),
                        captions: captions_for(name, assets).map(encode_path),
                        captions_language: model.input.site.language.code(),
                        size: front
                            .cover
                            .as_deref()
                            .and_then(bundle_asset_name)
                            .and_then(|cover| assets.iter().find(|(name, _)| *name == cover))
                            .and_then(|(_, bytes)| images::image_size(bytes)),
                    })
                })
            })
            .flatten();
        let attachments = assets
            .iter()
            .filter(|(name, _)| !shown_in_body.contains(name) && is_safe_asset_name(name))
            .filter(|(name, _)| {
                video.as_ref().is_none_or(|v| {
                    v.url != encode_path(name) && v.captions != Some(encode_path(name))
                })
            })
            .map(|(name, bytes)| Attachment {
                name: file_name(name).to_string(),
                url: encode_path(name),
                kind: file_kind(name, model.input.site.language),
                size: human_size(bytes.len()),
            })
            .collect();

        ArticleView {
            qr_svg: self
                .clock
                .time(Step::QrCode, || crate::qr::qr_svg(&entry.absolute_url)),
            title: front.title.clone(),
            date: entry.card.date.clone(),
            datetime: entry.card.datetime.clone(),
            kind: front.kind.as_str(),
            source: source.clone(),
            author: model.author_name(article),
            unit,
            doc_number: front.doc_number.clone(),
            index_number: front.index_number.clone(),
            policy,
            validity_notice,
            validity: front.validity.as_str(),
            summary: front.summary.clone(),
            tags: front.tags.clone(),
            body,
            video,
            reprinted_from: (front.kind == ArticleType::Reprint)
                .then_some(source)
                .flatten(),
            interpretations: links.interpretations,
            interprets: links.interprets,
            attachments,
            previous: links.previous,
            next: links.next,
            related: links.related,
        }
    }

    /// Every column's list pages, in parallel.
    pub fn render_column_pages(&self) -> Result<()> {
        let model = self.model;
        let jobs: Vec<(&Column, usize)> = model
            .input
            .site
            .columns
            .iter()
            .flat_map(|column| {
                let pages = page_count(model.listing(&column.path).len(), column.paginate);
                (1..=pages).map(move |number| (column, number))
            })
            .collect();
        jobs.into_par_iter()
            .try_for_each(|(column, number)| self.render_column_page(column, number))
    }

    fn render_column_page(&self, column: &Column, number: usize) -> Result<()> {
        let model = self.model;
        let listing = model.listing(&column.path);
        let total = page_count(listing.len(), column.paginate);
        let start = (number - 1) * column.paginate;
        let items = listing
            .iter()
            .skip(start)
            .take(column.paginate)
            .map(|&i| model.articles[i].card.clone())
            .collect();
        let column_url = model.site_url(&column.url());
        let view = ColumnView {
            title: column.title.clone(),
            description: column.description.clone(),
            path: column.path.clone(),
            url: column_url.clone(),
            feed_url: format!("{column_url}atom.xml"),
            children: model
                .input
                .site
                .columns
                .children(&column.path)
                .map(|child| Link {
                    title: child.title.clone(),
                    url: model.site_url(&child.url()),
                })
                .collect(),
            items,
            pagination: pagination(model, column, number, total),
        };
        let mut meta = model.site_meta();
        model.column_meta(column, &mut meta);
        let title = if number > 1 {
            format!("{} ({})", column.title, view.pagination.summary)
        } else {
            column.title.clone()
        };
        let canonical = model
            .input
            .site
            .absolute_url(&page_path(&column.url(), number));
        let page = PageMeta {
            kind: "column",
            title: model.document_title(&title),
            description: column.description.clone(),
            error_report_url: model.error_report_link(Some(&canonical)),
            canonical,
            section: model.section_of(&column.path).map(|c| c.path.clone()),
            section_nav: model.section_nav(&column.path),
            breadcrumbs: model.column_crumbs(&column.path, number > 1),
            meta,
            feed_url: Some(view.feed_url.clone()),
        };
        let file = format!("{}index.html", page_path(&column.url(), number));
        let file = file.trim_start_matches('/');
        let fingerprint = self.reuse.as_ref().and_then(|(_, shared)| {
            let mut fingerprint = shared.clone();
            fingerprint
                .add("column-page", file.as_bytes())
                .add_json("page", &page)
                .add_json("column", &view);
            fingerprint.finish()
        });
        self.reuse_or_write(fingerprint, file, || {
            let context = model.context(&page, Some(("column", &view)))?;
            self.render("column.html", &context)
        })
    }

    /// Write a one-file page, or link the previous build's file when the
    /// page's fingerprint (all of its inputs) is unchanged.
    fn reuse_or_write(
        &self,
        fingerprint: Option<String>,
        file: &str,
        render: impl FnOnce() -> Result<String>,
    ) -> Result<()> {
        if self.link_previous(fingerprint.as_deref()).is_some() {
            return Ok(());
        }
        let html = self.clock.time(Step::Templates, render)?;
        self.clock
            .time(Step::Writing, || self.output.write_page(file, &html))?;
        self.remember_written(fingerprint, &[file.to_string()], None);
        Ok(())
    }

    /// Keep the previous build's files for `fingerprint` (counted as
    /// written), when they are unchanged.
    fn link_previous(&self, fingerprint: Option<&str>) -> Option<ReusablePage> {
        let (reuse, _) = self.reuse.as_ref()?;
        let key = fingerprint?;
        let reused = self.clock.time(Step::Reusing, || reuse.reuse(key))?;
        self.output.count_linked(reused.files.len());
        Some(reused)
    }

    /// Record the files just written for `fingerprint` (and what an article's
    /// rendering left behind), so the next build can link them.
    fn remember_written(
        &self,
        fingerprint: Option<String>,
        written: &[String],
        outcome: Option<&ArticleOutcome>,
    ) {
        let (Some((reuse, _)), Some(key)) = (&self.reuse, fingerprint) else {
            return;
        };
        let files: Option<Vec<FileStamp>> = written
            .iter()
            .map(|relative| FileStamp::of(self.output.root(), relative))
            .collect();
        if let Some(files) = files {
            reuse.remember(
                key,
                ReusablePage {
                    files,
                    search_document: outcome
                        .map_or_else(|| "".into(), |o| o.search_document.clone()),
                    feed_html: outcome.and_then(|o| o.feed_html.clone()),
                    problems: outcome.map(|o| o.problems.clone()).unwrap_or_default(),
                },
            );
        }
    }

    pub fn render_home(&self) -> Result<()> {
        let model = self.model;
        let site = model.input.site;
        let card = |&i: &usize| model.articles[i].card.clone();
        let is_special = |i: &usize| model.articles[*i].article.front.kind == ArticleType::Special;

        // 要闻: the newest important or major item leads; the list beside it
        // holds the other important items topped up with the latest news,
        // newest first, so the area is never half empty.
        let important: Vec<usize> = (0..model.articles.len())
            .filter(|&i| model.articles[i].article.front.importance != Importance::Normal)
            .take(HEADLINE_ITEMS)
            .collect();
        let headlines_are_important = !important.is_empty();
        let latest = (0..model.articles.len()).filter(|i| !is_special(i) && !important.contains(i));
        let mut chosen: Vec<usize> = important
            .iter()
            .copied()
            .chain(latest)
            .take(HEADLINE_ITEMS)
            .collect();
        if let Some(rest) = chosen.get_mut(1..) {
            // Indices follow display order, so sorting them sorts by date.
            rest.sort_unstable();
        }
        let headlines: Vec<ArticleCard> = chosen.iter().map(card).collect();

        let blocks = site
            .columns
            .roots()
            .filter_map(|column| {
                let listing = model.listing(&column.path);
                // A column of nothing but 专题 is shown as the 专题专栏 block.
                if listing.iter().all(is_special) {
                    return None;
                }
                // What 要闻 shows already is not repeated below it, unless
                // the column has nothing else to show.
                let mut items: Vec<ArticleCard> = listing
                    .iter()
                    .filter(|i| !chosen.contains(i))
                    .take(HOME_BLOCK_ITEMS)
                    .map(card)
                    .collect();
                if items.is_empty() {
                    items = listing.iter().take(HOME_BLOCK_ITEMS).map(card).collect();
                }
                Some(HomeBlock {
                    few: items.len() <= FEW_ITEMS,
                    title: column.title.clone(),
                    url: model.site_url(&column.url()),
                    path: column.path.clone(),
                    children: site
                        .columns
                        .children(&column.path)
                        .map(|child| Link {
                            title: child.title.clone(),
                            url: model.site_url(&child.url()),
                        })
                        .collect(),
                    items,
                })
            })
            .collect();

        let specials: Vec<usize> = (0..model.articles.len()).filter(is_special).collect();
        let special = (!specials.is_empty()).then(|| {
            let sections: BTreeSet<&str> = specials
                .iter()
                .filter_map(|&i| model.articles[i].column)
                .filter_map(|c| model.section_of(&c.path))
                .map(|c| c.path.as_str())
                .collect();
            SpecialBlock {
                url: match sections.iter().next() {
                    Some(path) if sections.len() == 1 => {
                        site.columns.get(path).map(|c| model.site_url(&c.url()))
                    }
                    _ => None,
                },
                items: specials.iter().take(SPECIAL_ITEMS).map(card).collect(),
            }
        });

        let view = HomeView {
            headlines,
            headlines_are_important,
            blocks,
            special,
        };
        let page = PageMeta {
            kind: "home",
            title: site.title.clone(),
            description: site.description.clone(),
            error_report_url: model.error_report_link(Some(&site.base_url)),
            canonical: site.base_url.clone(),
            section: None,
            section_nav: None,
            breadcrumbs: Vec::new(),
            meta: model.site_meta(),
            feed_url: None,
        };
        let context = model.context(&page, Some(("home", &view)))?;
        let html = self.render("index.html", &context)?;
        self.output.write_page("index.html", &html)
    }

    /// 网站地图: the whole column tree.
    pub fn render_site_map_page(&self) -> Result<()> {
        let model = self.model;
        let columns = &model.input.site.columns;
        fn node(model: &SiteModel<'_>, column: &Column) -> TreeNode {
            TreeNode {
                title: column.title.clone(),
                url: model.site_url(&column.url()),
                description: column.description.clone(),
                count: model.format_count(model.listing(&column.path).len()),
                children: model
                    .input
                    .site
                    .columns
                    .children(&column.path)
                    .map(|child| node(model, child))
                    .collect(),
            }
        }
        let tree: Vec<TreeNode> = columns.roots().map(|c| node(model, c)).collect();
        let title = model.labels.site_map;
        let page = self.simple_page("sitemap", title, "sitemap/");
        let context = model.context(&page, Some(("tree", &tree)))?;
        let html = self.render("sitemap.html", &context)?;
        self.output.write_page("sitemap/index.html", &html)
    }

    /// The search page, naming the index's manifest (`search/index-….json`).
    pub fn render_search_page(&self, manifest: &str) -> Result<()> {
        let model = self.model;
        let page = self.simple_page("search", model.labels.search_title, "search/");
        let view = SearchView {
            index_url: site_url(&model.site.base_path, &format!("/{manifest}")),
        };
        let context = model.context(&page, Some(("search", &view)))?;
        let html = self.render("search.html", &context)?;
        self.output.write_page("search/index.html", &html)
    }

    pub fn render_not_found_page(&self) -> Result<()> {
        let model = self.model;
        let mut page = self.simple_page("not-found", model.labels.not_found_title, "404.html");
        // A 404 page is served at any address: it names no canonical one,
        // and its 找错 link no page.
        page.canonical = String::new();
        page.error_report_url = model.error_report_link(None);
        let context = model.context::<()>(&page, None)?;
        let html = self.render("404.html", &context)?;
        self.output.write_page("404.html", &html)
    }

    fn simple_page(&self, kind: &'static str, title: &str, path: &str) -> PageMeta {
        let model = self.model;
        let canonical = model.input.site.absolute_url(path);
        PageMeta {
            kind,
            title: model.document_title(title),
            description: None,
            error_report_url: model.error_report_link(Some(&canonical)),
            canonical,
            section: None,
            section_nav: None,
            breadcrumbs: vec![
                model.home_crumb(),
                Crumb {
                    title: title.to_string(),
                    url: None,
                },
            ],
            meta: model.site_meta(),
            feed_url: None,
        }
    }
}

/// The parts of an article page's head that come from its body: the
/// description (the summary, else the first paragraph) and the `Image` meta
/// (the cover, else the first image of the site's own).
fn describe_article(
    mut page: PageMeta,
    entry: &ArticleEntry<'_>,
    rendered: &RenderedMarkdown,
    site: &SiteConfig,
) -> PageMeta {
    if page.description.is_none() {
        let text = rendered.first_paragraph.trim();
        if !text.is_empty() {
            let mut description: String = text.chars().take(DESCRIPTION_CHARS).collect();
            if text.chars().count() > DESCRIPTION_CHARS {
                description.push('…');
            }
            page.description = Some(description);
        }
    }
    if let Some(description) = &page.description {
        page.meta.push(MetaTag {
            name: "Description",
            content: description.clone(),
        });
    }
    let image = entry
        .article
        .front
        .cover
        .iter()
        .map(String::as_str)
        .chain(rendered.images.iter().map(|image| image.src.as_str()))
        .find_map(|src| {
            if let Some(name) = bundle_asset_name(src) {
                Some(format!("{}{}", entry.absolute_url, encode_path(&name)))
            } else if src.starts_with('/') && !src.starts_with("//") {
                Some(site.absolute_url(src))
            } else {
                None
            }
        });
    if let Some(image) = image {
        page.meta.push(MetaTag {
            name: "Image",
            content: image,
        });
    }
    page
}

/// What every article page depends on besides its own inputs: the site
/// settings, the theme, the names from the policy, the preview flag.
fn shared_fingerprint(model: &SiteModel<'_>) -> Fingerprint {
    let input = model.input;
    let mut fingerprint = Fingerprint::new();
    fingerprint
        .add("site", format!("{:?}", input.site).as_bytes())
        .add_json("site-view", &model.site)
        .add("units", format!("{:?}", input.unit_names).as_bytes())
        .add("people", format!("{:?}", input.person_names).as_bytes())
        .add("preview", &[u8::from(input.preview)])
        .add("theme", input.theme.name.as_bytes());
    for (path, bytes) in &input.theme.files {
        fingerprint.add(path, bytes);
    }
    fingerprint
}

/// Everything one article page is made from: the approved object (its id
/// covers the body, front matter and assets), where the page sits, and its
/// links to other articles. Equal fingerprints, equal files.
fn article_fingerprint(
    shared: &Fingerprint,
    entry: &ArticleEntry<'_>,
    page: &PageMeta,
    links: &ArticleLinks,
    keep_html: bool,
) -> Option<String> {
    let mut fingerprint = shared.clone();
    fingerprint
        .add("oid", entry.article.oid.as_bytes())
        .add("path", entry.article.path.path.as_bytes())
        .add("folder", entry.folder.as_bytes())
        .add("url", entry.url.as_bytes())
        .add("absolute-url", entry.absolute_url.as_bytes())
        .add_json("card", &entry.card)
        .add_json("page", page)
        .add_json("links", links)
        .add("feed", &[u8::from(keep_html)]);
    fingerprint.finish()
}

fn site_view(site: &SiteConfig, base_path: &str, input: &RenderInput<'_>) -> SiteView {
    let identity = &site.identity;
    let present = |value: &Option<String>| value.clone().filter(|v| !v.trim().is_empty());
    let nav = site
        .columns
        .roots()
        .map(|root| NavItem {
            title: root.title.clone(),
            url: site_url(base_path, &root.url()),
            path: root.path.clone(),
            children: site
                .columns
                .children(&root.path)
                .map(|child| NavItem {
                    title: child.title.clone(),
                    url: site_url(base_path, &child.url()),
                    path: child.path.clone(),
                    children: Vec::new(),
                })
                .collect(),
        })
        .collect();
    SiteView {
        title: site.title.clone(),
        description: site.description.clone(),
        language: site.language.code(),
        base_url: site.base_url.clone(),
        base_path: base_path.to_string(),
        domain: domain_of(&site.base_url),
        home_url: base_path.to_string(),
        static_url: site_url(base_path, "/static/"),
        asset_version: theme::static_version(input.theme),
        search_url: site_url(base_path, "/search/"),
        sitemap_url: site_url(base_path, "/sitemap/"),
        feed_url: site_url(base_path, "/atom.xml"),
        typography_css: typography_css(site),
        identity: IdentityView {
            organizer: present(&identity.organizer),
            site_code: present(&identity.site_code),
            icp: present(&identity.icp),
            police: present(&identity.police),
            contact: present(&identity.contact),
            error_report_url: present(&identity.error_report_url),
            error_report_label: error_report_label(site.profile, site.language),
            badge_url: present(&identity.badge_id)
                .map(|id| format!("{BADGE_REGISTRY}{}", encode_query_value(id.trim()))),
            icp_url: present(&identity.icp).map(|_| ICP_REGISTRY),
            police_url: present(&identity.police).and_then(|police| {
                let digits: String = police.chars().filter(char::is_ascii_digit).collect();
                (!digits.is_empty()).then(|| format!("{POLICE_REGISTRY}{digits}"))
            }),
            gov: site.profile == Profile::Gov,
        },
        nav,
    }
}

fn article_card(
    site: &SiteConfig,
    base_path: &str,
    article: &PublishedArticle,
    column: Option<&Column>,
    url: &str,
    problems: &mut Vec<Diagnostic>,
) -> ArticleCard {
    let front = &article.front;
    let cover = front.cover.as_deref().and_then(|cover| {
        if let Some(name) = bundle_asset_name(cover) {
            Some(format!("{url}{}", encode_path(&name)))
        } else if cover.starts_with('/') && !cover.starts_with("//") {
            Some(site_url(base_path, cover))
        } else {
            problems.push(
                Diagnostic::in_file(
                    article.path.markdown_path(),
                    format!("cover `{cover}` is on another host and is not shown: pages load nothing from other hosts"),
                )
                .with_help("put the image in the article's bundle folder and write its file name"),
            );
            None
        }
    });
    ArticleCard {
        title: front.title.clone(),
        url: url.to_string(),
        date: display_date(&article.date, site.timezone),
        day: article
            .date
            .at
            .with_timezone(&site.timezone)
            .format("%Y-%m-%d")
            .to_string(),
        datetime: machine_date(&article.date, site.timezone),
        summary: front.summary.clone().filter(|s| !s.trim().is_empty()),
        column_title: column.map(|c| c.title.clone()),
        column_url: column.map(|c| site_url(base_path, &c.url())),
        kind: front.kind.as_str(),
        importance: front.importance.as_str(),
        cover,
    }
}

fn pagination(model: &SiteModel<'_>, column: &Column, current: usize, total: usize) -> Pagination {
    let url_of = |number: usize| model.site_url(&page_path(&column.url(), number));
    // First, last, and a window around the current page: a column of
    // 100,000 articles has thousands of pages, and each page lists a handful.
    let window =
        current.saturating_sub(PAGINATION_WINDOW).max(1)..=(current + PAGINATION_WINDOW).min(total);
    let shown: BTreeSet<usize> = [1, total].into_iter().chain(window).collect();
    let mut pages = Vec::with_capacity(shown.len());
    let mut last_shown = 0;
    for number in shown {
        pages.push(PageLink {
            number,
            url: url_of(number),
            current: number == current,
            gap_before: number > last_shown + 1,
        });
        last_shown = number;
    }
    let summary = match model.input.site.language {
        Language::English => format!("Page {current} of {total}"),
        Language::Chinese => format!("第 {current} / {total} 页"),
    };
    Pagination {
        current,
        total,
        previous: (current > 1).then(|| url_of(current - 1)),
        next: (current < total).then(|| url_of(current + 1)),
        pages,
        summary,
    }
}

/// Pages needed for `items` at `per_page`; an empty column still has its first page.
pub(crate) fn page_count(items: usize, per_page: usize) -> usize {
    items.div_ceil(per_page.max(1)).max(1)
}

/// `/news/` for page 1, `/news/page/3/` for page 3 (site paths, no base path).
fn page_path(column_url: &str, number: usize) -> String {
    if number == 1 {
        column_url.to_string()
    } else {
        format!("{column_url}page/{number}/")
    }
}

/// The path part of the base URL: `/` or `/kx/`.
pub(crate) fn base_path_of(base_url: &str) -> String {
    let after_scheme = base_url
        .split_once("://")
        .map_or(base_url, |(_, rest)| rest);
    match after_scheme.find('/') {
        Some(slash) => {
            let path = &after_scheme[slash..];
            if path.ends_with('/') {
                path.to_string()
            } else {
                format!("{path}/")
            }
        }
        None => "/".to_string(),
    }
}

/// The host of the base URL, without user, port or path.
fn domain_of(base_url: &str) -> String {
    let after_scheme = base_url
        .split_once("://")
        .map_or(base_url, |(_, rest)| rest);
    let authority = after_scheme.split('/').next().unwrap_or_default();
    let host = authority
        .rsplit_once('@')
        .map_or(authority, |(_, host)| host);
    match host.rsplit_once(':') {
        Some((name, port)) if port.bytes().all(|b| b.is_ascii_digit()) => name.to_string(),
        _ => host.to_string(),
    }
}

/// Join the base path and a site path: (`/kx/`, `/news/`) → `/kx/news/`.
pub(crate) fn site_url(base_path: &str, path: &str) -> String {
    format!("{base_path}{}", path.trim_start_matches('/'))
}

/// `2026-11-02`, or `2026-11-02 09:00` when a time was written (in the site's zone).
pub(crate) fn display_date(date: &WrittenDate, tz: chrono_tz::Tz) -> String {
    if date.day_only {
        date.at.format("%Y-%m-%d").to_string()
    } else {
        date.at
            .with_timezone(&tz)
            .format("%Y-%m-%d %H:%M")
            .to_string()
    }
}

/// For `<time datetime>`: the day, or the full RFC 3339 time.
fn machine_date(date: &WrittenDate, tz: chrono_tz::Tz) -> String {
    if date.day_only {
        date.at.format("%Y-%m-%d").to_string()
    } else {
        date.at
            .with_timezone(&tz)
            .to_rfc3339_opts(SecondsFormat::Secs, false)
    }
}

/// The inline `:root` block carrying the site's body typography.
fn typography_css(site: &SiteConfig) -> String {
    // The values were validated when site.toml was read; dropping the few
    // characters that could end the declaration or the <style> element keeps
    // this safe even so.
    let clean = |value: &str| value.replace(['<', '>', '{', '}', ';', '\\'], "");
    let typography = &site.typography;
    format!(
        ":root{{--body-font:{};--body-size:{};--body-line-height:{}}}",
        clean(&typography.font_family),
        clean(&typography.font_size),
        clean(&typography.line_height)
    )
}

/// Make root-relative links that writers put in bodies (`/kepu/a/`) point
/// inside the base path, the way every other internal link does. Only
/// attribute values inside tags are touched, never the text of the body.
fn prefix_site_links(html: &str, base_path: &str) -> String {
    const URL_ATTRIBUTES: [&str; 3] = ["href=\"", "src=\"", "poster=\""];
    if base_path == "/" {
        return html.to_string();
    }
    let prefix = base_path.trim_end_matches('/');
    let mut result = String::with_capacity(html.len() + 64);
    let mut in_tag = false;
    let mut rest = html;
    while let Some(c) = rest.chars().next() {
        if !in_tag {
            in_tag = c == '<';
        } else if c == '>' {
            in_tag = false;
        } else if c == '"' {
            // A quoted value of another attribute: copied as it is, `>` included.
            let end = rest[1..].find('"').map_or(rest.len(), |at| at + 2);
            result.push_str(&rest[..end]);
            rest = &rest[end..];
            continue;
        } else if result.ends_with(char::is_whitespace)
            && let Some(attribute) = URL_ATTRIBUTES.iter().find(|a| rest.starts_with(*a))
        {
            result.push_str(attribute);
            let value = &rest[attribute.len()..];
            if value.starts_with('/') && !value.starts_with("//") && !value.starts_with(base_path) {
                result.push_str(prefix);
            }
            let end = value.find('"').map_or(value.len(), |at| at + 1);
            result.push_str(&value[..end]);
            rest = &value[end..];
            continue;
        }
        result.push(c);
        rest = &rest[c.len_utf8()..];
    }
    result
}

/// `interprets` as writers may write it → the repository path of an article.
fn normalise_article_reference(reference: &str) -> String {
    let reference = reference
        .trim()
        .trim_start_matches("./")
        .trim_start_matches('/');
    let reference = reference.trim_end_matches('/');
    if reference.starts_with("content/") {
        reference.to_string()
    } else {
        format!("content/{reference}")
    }
}

/// The bundle asset a body reference points at: `chart.png`, `./chart.png`
/// and `%E5%9B%BE.png` name assets; URLs, absolute paths and fragments do not.
fn bundle_asset_name(reference: &str) -> Option<String> {
    let reference = reference.trim();
    let reference = reference.split(['#', '?']).next().unwrap_or_default();
    if reference.is_empty()
        || reference.starts_with('/')
        || reference.contains("://")
        || reference.starts_with("mailto:")
        || reference.starts_with("tel:")
        || reference.starts_with("data:")
    {
        return None;
    }
    let reference = reference.trim_start_matches("./");
    Some(percent_decode(reference))
}

/// Decode `%XX` escapes; text that does not decode to UTF-8 stays as written.
pub fn percent_decode(text: &str) -> String {
    let bytes = text.as_bytes();
    let mut decoded = Vec::with_capacity(bytes.len());
    let mut i = 0;
    while i < bytes.len() {
        if bytes[i] == b'%'
            && let Some(hex) = text.get(i + 1..i + 3)
            && let Ok(value) = u8::from_str_radix(hex, 16)
        {
            decoded.push(value);
            i += 3;
        } else {
            decoded.push(bytes[i]);
            i += 1;
        }
    }
    String::from_utf8(decoded).unwrap_or_else(|_| text.to_string())
}

/// Percent-encode a query parameter's value, keeping only unreserved characters.
fn encode_query_value(value: &str) -> String {
    let mut encoded = String::with_capacity(value.len() * 3);
    for byte in value.bytes() {
        if byte.is_ascii_alphanumeric() || matches!(byte, b'-' | b'_' | b'.' | b'~') {
            encoded.push(byte as char);
        } else {
            encoded.push_str(&format!("%{byte:02X}"));
        }
    }
    encoded
}

/// Percent-encode a relative path for an `href`, keeping `/` and unreserved characters.
fn encode_path(path: &str) -> String {
    let mut encoded = String::with_capacity(path.len());
    for byte in path.bytes() {
        if byte.is_ascii_alphanumeric() || matches!(byte, b'-' | b'_' | b'.' | b'~' | b'/') {
            encoded.push(byte as char);
        } else {
            encoded.push_str(&format!("%{byte:02X}"));
        }
    }
    encoded
}

/// An asset may be written beside the page: no `..`, no absolute path, not the page itself.
fn is_safe_asset_name(name: &str) -> bool {
    !name.is_empty()
        && !name.starts_with('/')
        && !name.contains('\\')
        && name
            .split('/')
            .all(|part| !part.is_empty() && part != "." && part != "..")
        && name != "index.html"
}

fn file_name(path: &str) -> &str {
    path.rsplit('/').next().unwrap_or(path)
}

fn extension(name: &str) -> String {
    file_name(name)
        .rsplit_once('.')
        .map(|(_, ext)| ext.to_ascii_lowercase())
        .unwrap_or_default()
}

/// The captions of a video in its bundle: the WebVTT file of the same
/// name (`talk.vtt` for `talk.mp4`), else the bundle's only WebVTT file.
fn captions_for<'s>(video: &str, assets: &'s [(String, Vec<u8>)]) -> Option<&'s str> {
    let stem = video.rsplit_once('.').map_or(video, |(stem, _)| stem);
    let tracks: Vec<&str> = assets
        .iter()
        .map(|(name, _)| name.as_str())
        .filter(|name| extension(name) == "vtt" && is_safe_asset_name(name))
        .collect();
    tracks
        .iter()
        .find(|name| name.rsplit_once('.').is_some_and(|(s, _)| s == stem))
        .or(if tracks.len() == 1 {
            tracks.first()
        } else {
            None
        })
        .copied()
}

fn video_mime(name: &str) -> Option<&'static str> {
    match extension(name).as_str() {
        "mp4" | "m4v" => Some("video/mp4"),
        "webm" => Some("video/webm"),
        "ogv" => Some("video/ogg"),
        _ => None,
    }
}

/// A reader's name for a file's type.
fn file_kind(name: &str, language: Language) -> String {
    let english = language == Language::English;
    let ext = extension(name);
    let kind = match ext.as_str() {
        "pdf" => "PDF",
        "doc" | "docx" | "wps" => "Word",
        "xls" | "xlsx" | "et" | "csv" => "Excel",
        "ppt" | "pptx" | "dps" => "PowerPoint",
        "ofd" => "OFD",
        "zip" | "rar" | "7z" => {
            if english {
                "Archive"
            } else {
                "压缩包"
            }
        }
        "png" | "jpg" | "jpeg" | "gif" | "webp" | "svg" => {
            if english {
                "Image"
            } else {
                "图片"
            }
        }
        "mp4" | "m4v" | "webm" | "ogv" | "mov" => {
            if english {
                "Video"
            } else {
                "视频"
            }
        }
        "mp3" | "m4a" | "ogg" | "wav" => {
            if english {
                "Audio"
            } else {
                "音频"
            }
        }
        "txt" => {
            if english {
                "Text"
            } else {
                "文本"
            }
        }
        "" => {
            if english {
                "File"
            } else {
                "文件"
            }
        }
        _ => return ext.to_ascii_uppercase(),
    };
    kind.to_string()
}

/// `856 B`, `12.3 KB`, `4.0 MB`.
fn human_size(bytes: usize) -> String {
    const KB: f64 = 1024.0;
    let size = bytes as f64;
    if size < KB {
        format!("{bytes} B")
    } else if size < KB * KB {
        format!("{:.1} KB", size / KB)
    } else if size < KB * KB * KB {
        format!("{:.1} MB", size / (KB * KB))
    } else {
        format!("{:.1} GB", size / (KB * KB * KB))
    }
}

/// Images without alt text (a screen reader announces nothing for them).
fn image_problems(article: &PublishedArticle, rendered: &RenderedMarkdown) -> Vec<Diagnostic> {
    rendered
        .images
        .iter()
        .filter(|image| image.alt.trim().is_empty())
        .map(|image| {
            Diagnostic::in_file(
                article.path.markdown_path(),
                format!("image `{}` has no alt text", image.src),
            )
            .at_line(Some(article.body_line + image.line - 1))
            .with_help(
                "describe the image between the brackets: ![2026年科普活动场次柱状图](chart.png)",
            )
        })
        .collect()
}

/// The 找错 link's wording: 我为政府网站找错 is the government sites' term.
fn error_report_label(profile: Profile, language: Language) -> &'static str {
    match (language, profile) {
        (Language::English, _) => "Report an error",
        (Language::Chinese, Profile::Gov) => "我为政府网站找错",
        (Language::Chinese, Profile::PartyMass) => "我为网站找错",
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn base_path_and_domain() {
        assert_eq!(base_path_of("https://x.example/"), "/");
        assert_eq!(base_path_of("https://x.example/kx/"), "/kx/");
        assert_eq!(domain_of("https://x.example:8443/kx/"), "x.example");
        assert_eq!(
            domain_of("http://kx.yunzhou.example/"),
            "kx.yunzhou.example"
        );
        assert_eq!(site_url("/kx/", "/news/a/"), "/kx/news/a/");
    }

    #[test]
    fn body_links_get_the_base_path() {
        let html = r#"<a href="/kepu/a/">x</a><img alt="a>b" src="/static/x.png"><a href="//cdn/x">y</a><a href="b.pdf">z</a><code>href="/no"</code><i data-src="/no">"#;
        assert_eq!(
            prefix_site_links(html, "/kx/"),
            r#"<a href="/kx/kepu/a/">x</a><img alt="a>b" src="/kx/static/x.png"><a href="//cdn/x">y</a><a href="b.pdf">z</a><code>href="/no"</code><i data-src="/no">"#
        );
        assert_eq!(prefix_site_links(html, "/"), html);
        let once = prefix_site_links(html, "/kx/");
        assert_eq!(prefix_site_links(&once, "/kx/"), once);
    }

    #[test]
    fn pagination_shows_a_window() {
        let site = SiteConfig::parse(
            "site.toml",
            "title = \"T\"\nbase_url = \"https://x.example/kx/\"\n[[columns]]\npath = \"news\"\ntitle = \"N\"\n",
        )
        .unwrap();
        let theme = crate::site::theme::default_theme();
        let names = BTreeMap::new();
        let input = RenderInput {
            site: &site,
            theme: &theme,
            articles: &[],
            unit_names: &names,
            person_names: &names,
            preview: false,
            loader: None,
            now: chrono::DateTime::parse_from_rfc3339("2026-01-01T00:00:00Z").unwrap(),
        };
        let model = SiteModel::new(&input);
        let column = site.columns.get("news").unwrap();
        let numbers = |p: &Pagination| -> Vec<(usize, bool)> {
            p.pages.iter().map(|l| (l.number, l.gap_before)).collect()
        };
        let middle = pagination(&model, column, 50, 5000);
        assert_eq!(
            numbers(&middle),
            [
                (1, false),
                (48, true),
                (49, false),
                (50, false),
                (51, false),
                (52, false),
                (5000, true)
            ]
        );
        assert_eq!(middle.previous.as_deref(), Some("/kx/news/page/49/"));
        assert_eq!(middle.pages[0].url, "/kx/news/");
        let first = pagination(&model, column, 1, 3);
        assert_eq!(numbers(&first), [(1, false), (2, false), (3, false)]);
        assert_eq!(first.previous, None);
        assert_eq!(first.next.as_deref(), Some("/kx/news/page/2/"));
        assert_eq!(numbers(&pagination(&model, column, 1, 1)), [(1, false)]);
    }

    #[test]
    fn page_counts() {
        assert_eq!(page_count(0, 10), 1);
        assert_eq!(page_count(10, 10), 1);
        assert_eq!(page_count(11, 10), 2);
        assert_eq!(page_count(25, 10), 3);
    }

    #[test]
    fn asset_names() {
        assert_eq!(
            bundle_asset_name("./chart.png").as_deref(),
            Some("chart.png")
        );
        assert_eq!(
            bundle_asset_name("%E5%9B%BE.png").as_deref(),
            Some("图.png")
        );
        assert_eq!(bundle_asset_name("https://x/a.png"), None);
        assert_eq!(bundle_asset_name("/static/a.png"), None);
        assert!(is_safe_asset_name("img/a.png"));
        assert!(!is_safe_asset_name("../a.png"));
        assert!(!is_safe_asset_name("index.html"));
        assert_eq!(encode_path("附件 1.pdf"), "%E9%99%84%E4%BB%B6%201.pdf");
        assert_eq!(human_size(512), "512 B");
        assert_eq!(human_size(2048), "2.0 KB");
        assert_eq!(file_kind("a.DOCX", Language::Chinese), "Word");
    }

    #[test]
    fn interprets_references() {
        assert_eq!(
            normalise_article_reference("xxgk/policy/a.md"),
            "content/xxgk/policy/a.md"
        );
        assert_eq!(
            normalise_article_reference("content/xxgk/policy/b/"),
            "content/xxgk/policy/b"
        );
    }
}
