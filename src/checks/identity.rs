//! Footer identity and monitoring tags (rule `identity`).
//!
//! Inspections look for the same things at the bottom of every government
//! page: 主办单位, 网站标识码, 党政机关网站标识, ICP 备案号, 公安机关备案号,
//! 联系方式, the 我为政府网站找错 link, a site map and a search. The `gov`
//! profile requires them all; `party-mass` sites (政协, 科协 …) have no
//! 网站标识码 and no 找错 entry. The fields must be set in site.toml
//! `[identity]` *and* appear in the built footer — a theme that forgets one
//! fails the inspection just the same.
//!
//! Every page must also carry the monitoring meta tags (SiteName,
//! SiteDomain, SiteIDCode for `gov`; ArticleTitle, PubDate, ContentSource on
//! articles; ColumnName … on column pages) that the national monitoring
//! system reads.

use std::collections::BTreeMap;

use crate::catalog::RuleId;
use crate::checks::links::{self, Target};
use crate::checks::rendered::{RenderedSite, visible_text};
use crate::error::line_of_key;
use crate::publish::PublicationSet;
use crate::rules::Finding;
use crate::rules::text::Say;
use crate::site::Profile;
use crate::site::config::SITE_FILE;

/// `^(\d{10}|bm\d{8})$`: ten digits, or `bm` and eight digits (部门网站).
pub fn is_site_code(code: &str) -> bool {
    let all_digits = |s: &str| s.bytes().all(|b| b.is_ascii_digit());
    (code.len() == 10 && all_digits(code))
        || code
            .strip_prefix("bm")
            .is_some_and(|rest| rest.len() == 8 && all_digits(rest))
}

pub(crate) fn check(
    set: &PublicationSet,
    output: &RenderedSite,
    site_text: &str,
    say: &Say,
) -> Vec<Finding> {
    let gov = set.site.profile == Profile::Gov;
    let identity = &set.site.identity;
    let value = |v: &Option<String>| v.clone().filter(|v| !v.trim().is_empty());
    let identity_line = site_text
        .lines()
        .position(|l| l.trim() == "[identity]")
        .map(|i| i + 1);
    let mut findings = Vec::new();

    // Fields of site.toml, per profile.
    let mut fields: Vec<(&str, &str, &str, Option<String>)> = vec![(
        "organizer",
        "主办单位",
        "organizer",
        value(&identity.organizer),
    )];
    if gov {
        fields.push((
            "site_code",
            "网站标识码",
            "site identification code",
            value(&identity.site_code),
        ));
    }
    fields.push((
        "icp",
        "ICP备案号",
        "ICP licence number",
        value(&identity.icp),
    ));
    fields.push((
        "police",
        "公安机关备案号",
        "public security filing number",
        value(&identity.police),
    ));
    fields.push(("contact", "联系方式", "contact", value(&identity.contact)));
    if gov {
        fields.push((
            "error_report_url",
            "我为政府网站找错",
            "error report link",
            value(&identity.error_report_url),
        ));
    }
    let profile = if gov { "gov" } else { "party-mass" };
    for (key, zh, en, present) in &fields {
        if present.is_none() {
            findings.push(
                Finding::new(
                    RuleId::Identity,
                    say.pick(
                        format!("[identity] 缺少 {key}（{zh}），{profile} 类网站页脚必须展示"),
                        format!("[identity] has no `{key}` ({en}), which the footer of a `{profile}` site must show"),
                    ),
                )
                .in_file(SITE_FILE)
                .at(identity_line, None)
                .with_help(say.pick(format!("在 site.toml 的 [identity] 中填写 {key}"), format!("set `{key}` under [identity] in site.toml"))),
            );
        }
    }
    if gov
        && let Some(code) = value(&identity.site_code)
        && !is_site_code(code.trim())
    {
        findings.push(
            Finding::new(
                RuleId::Identity,
                say.pick(
                    format!("网站标识码“{code}”格式不对：应为10位数字，或 bm 加8位数字"),
                    format!("site_code “{code}” is not a site identification code: 10 digits, or `bm` and 8 digits"),
                ),
            )
            .in_file(SITE_FILE)
            .at(line_of_key(site_text, "site_code"), None)
            .with_help(say.pick("照抄全国政府网站信息报送系统中的网站标识码", "copy the code exactly as the national site registry issued it")),
        );
    }

    // The footer as built, on the home page.
    let Some(home) = output.pages.get("index.html") else {
        return findings;
    };
    let footer_text = visible_text(&home.footer);
    let compact = |s: &str| s.split_whitespace().collect::<String>();
    let footer_compact = compact(&footer_text);
    let footer = output.template_file("base.html");
    let missing_from_footer = |zh: &str, en: &str, help_zh: &str, help_en: &str| {
        Finding::new(
            RuleId::Identity,
            say.pick(
                format!("生成的页脚中没有{zh}"),
                format!("the built footer does not show the {en}"),
            ),
        )
        .in_file(&footer)
        .with_help(say.pick(help_zh, help_en))
    };
    for (_, zh, en, present) in &fields {
        if let Some(text) = present
            && *zh != "我为政府网站找错"
            && !footer_compact.contains(&compact(text))
        {
            findings.push(missing_from_footer(
                zh,
                en,
                "在主题模板的页脚中输出 site.identity 的该字段",
                "print this site.identity field in the theme's footer",
            ));
        }
    }
    let footer_page = crate::checks::rendered::read_page(&home.footer);
    let base_url = &set.site.base_url;
    let base_path = &output.base_path;
    let links_to = |wanted: &str| {
        footer_page.links.iter().any(|href| {
            matches!(links::resolve(href, "", base_url, base_path, false), Target::Internal { path, .. } if path.trim_end_matches('/') == wanted)
        })
    };
    if gov
        && let Some(url) = value(&identity.error_report_url)
        // The theme adds the site code and the page's address as query parameters.
        && !footer_page
            .links
            .iter()
            .any(|href| href.trim().starts_with(url.trim()))
    {
        findings.push(missing_from_footer(
            "“我为政府网站找错”链接",
            "error report (我为政府网站找错) link",
            "在页脚输出 site.identity.error_report_url 链接",
            "link site.identity.error_report_url in the footer",
        ));
    }
    if gov {
        let has_conac = footer_page
            .links
            .iter()
            .any(|href| href.contains("conac.cn"))
            || footer_text.contains("党政机关");
        if !has_conac {
            // site.toml has no field for the mark yet, so the default theme
            // cannot show it: a warning until a theme can.
            findings.push(
                missing_from_footer(
                    "党政机关网站标识",
                    "party and government website mark (党政机关网站标识)",
                    "在页脚加入机构编制部门颁发的党政机关网站标识（链接到 bszs.conac.cn 的红色标识）",
                    "add the party and government website mark issued by the staffing office (the red mark linking to bszs.conac.cn) to the footer",
                )
                .at_most(crate::catalog::Severity::Warning),
            );
        }
    }
    if !links_to("sitemap") && !home.links.iter().any(|h| h.contains("sitemap")) {
        findings.push(missing_from_footer(
            "网站地图链接",
            "site map link",
            "在页脚链接网站地图 /sitemap/",
            "link the site map (/sitemap/) in the footer",
        ));
    }
    let has_search = home.has_search_form
        || links_to("search")
        || home.links.iter().any(|href| matches!(links::resolve(href, "", base_url, base_path, false), Target::Internal { path, .. } if path.trim_end_matches('/') == "search"));
    if !has_search {
        findings.push(missing_from_footer(
            "站内搜索",
            "site search",
            "在页头放置搜索框，或在页脚链接搜索页 /search/",
            "put a search box in the header or link the search page (/search/)",
        ));
    }

    findings.extend(monitoring_tags(gov, output, say));
    findings
}

/// Meta tags the national monitoring reads, by page kind.
fn monitoring_tags(gov: bool, output: &RenderedSite, say: &Say) -> Vec<Finding> {
    let mut required: Vec<(&str, &[&str])> = vec![("", &["SiteName", "SiteDomain"])];
    if gov {
        required.push(("", &["SiteIDCode"]));
    }
    required.push(("article", &["ArticleTitle", "PubDate", "ContentSource"]));
    required.push((
        "column",
        &[
            "ColumnName",
            "ColumnDescription",
            "ColumnKeywords",
            "ColumnType",
        ],
    ));
    // (template, tag) → pages without it.
    let mut missing: BTreeMap<(String, &str), Vec<&String>> = BTreeMap::new();
    for (file, page) in &output.pages {
        for (kind, tags) in &required {
            if !kind.is_empty() && page.kind != *kind {
                continue;
            }
            for tag in *tags {
                if page.meta.get(*tag).is_none_or(|c| c.trim().is_empty()) {
                    missing
                        .entry((output.template_of(&page.kind), tag))
                        .or_default()
                        .push(file);
                }
            }
        }
    }
    missing
        .into_iter()
        .map(|((template, tag), pages)| {
            Finding::new(
                RuleId::Identity,
                say.pick(
                    format!(
                        "{} 个页面缺少监测标签 <meta name=\"{tag}\">（如 /{}）",
                        pages.len(),
                        pages[0]
                    ),
                    format!(
                        "{} page(s) lack the monitoring tag <meta name=\"{tag}\"> (e.g. /{})",
                        pages.len(),
                        pages[0]
                    ),
                ),
            )
            .in_file(template)
            .with_help(say.pick(
                "在模板 <head> 中输出 page.meta 的全部标签",
                "print every tag of page.meta in the template's <head>",
            ))
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn site_codes() {
        assert!(is_site_code("5301000001"));
        assert!(is_site_code("bm53000001"));
        assert!(!is_site_code("530100001"));
        assert!(!is_site_code("bm5300001"));
        assert!(!is_site_code("53010000011"));
        assert!(!is_site_code("BM53000001"));
        assert!(!is_site_code("53010000a1"));
    }
}
