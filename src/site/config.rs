//! `site.toml`: the site's settings, identity and column tree (SPEC §2).
//!
//! Parsed strictly: an unknown key is an error, because a typo in a setting
//! must not silently change what a government site publishes.

use std::collections::BTreeMap;

use serde::Deserialize;

use crate::error::{Diagnostic, Error, Result, line_of_key, line_of_offset};
use crate::site::columns::{Column, ColumnTree};
use crate::site::duration::Span;
use crate::site::typography::Typography;

pub const SITE_FILE: &str = "site.toml";

/// Which inspection rules apply to the site (`sanshen check`'s `identity` rule).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize)]
pub enum Profile {
    /// Full government website rules (网站标识码, 找错 link …).
    #[serde(rename = "gov")]
    Gov,
    /// 政协/科协-style sites: the same without 网站标识码 and 找错.
    #[serde(rename = "party-mass")]
    PartyMass,
}

pub use crate::i18n::Language;

/// The footer identity block every government page carries.
#[derive(Debug, Clone, Default, Deserialize, serde::Serialize)]
#[serde(deny_unknown_fields)]
pub struct Identity {
    /// 主办单位
    pub organizer: Option<String>,
    /// 网站标识码
    pub site_code: Option<String>,
    /// ICP备案号
    pub icp: Option<String>,
    /// 公安机关备案号
    pub police: Option<String>,
    /// 联系方式
    pub contact: Option<String>,
    /// 我为政府网站找错
    pub error_report_url: Option<String>,
    /// 党政机关网站标识: the id in the mark's `bszs.conac.cn` address.
    pub badge_id: Option<String>,
}

/// `[checks]`: the severity of the reporting rules — those that never stop
/// publication (SPEC §2). Which rules *block* publication, the word lists
/// and the leaders' table are policy (approvals/policy.yaml `checks:`), so
/// the maintainer who approves site.toml cannot switch a protection off.
///
/// ```toml
/// [checks.rules]
/// late = { severity = "error" }
/// missing-interpretation = { severity = "off" }
/// ```
#[derive(Debug, Clone, Default)]
pub struct ChecksConfig {
    /// Rule id → override, ids validated against the reporting rules.
    pub rules: BTreeMap<String, RuleOverride>,
}

/// A reporting rule's severity as the site wants it.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RuleOverride {
    pub severity: Option<crate::catalog::Severity>,
    /// No longer a site setting: read only to say where it went.
    blocking: Option<bool>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct RawChecks {
    banned_words: Option<toml::Value>,
    leaders: Option<toml::Value>,
    archive_columns: Option<toml::Value>,
    #[serde(default)]
    rules: BTreeMap<String, RuleOverride>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct RawSite {
    title: String,
    base_url: String,
    language: Option<String>,
    timezone: Option<String>,
    theme: Option<String>,
    profile: Option<Profile>,
    description: Option<String>,
    typography: Option<RawTypography>,
    identity: Option<Identity>,
    checks: Option<RawChecks>,
    #[serde(default)]
    columns: Vec<RawColumn>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct RawTypography {
    font: Option<String>,
    size: Option<String>,
    line_height: Option<String>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct RawColumn {
    path: String,
    title: String,
    description: Option<String>,
    #[serde(default)]
    units: Vec<String>,
    update: Option<String>,
    max_delay: Option<String>,
    /// No longer a site setting: read only to say where it went.
    workflow: Option<toml::Value>,
    paginate: Option<usize>,
    #[serde(default)]
    allow_raw_html: bool,
}

/// The validated site settings.
#[derive(Debug, Clone)]
pub struct SiteConfig {
    pub title: String,
    /// Absolute, always ending in `/`.
    pub base_url: String,
    pub language: Language,
    pub timezone: chrono_tz::Tz,
    /// A folder under `themes/`; `None` means the built-in default theme.
    pub theme: Option<String>,
    pub profile: Profile,
    pub description: Option<String>,
    pub typography: Typography,
    pub identity: Identity,
    /// `[checks]`: word lists and rule overrides for `sanshen check` and `build`.
    pub checks: ChecksConfig,
    pub columns: ColumnTree,
}

const DEFAULT_PAGINATE: usize = 20;
const DEFAULT_MAX_DELAY_DAYS: i64 = 3;

impl SiteConfig {
    /// Parse and validate `site.toml` text. `file` names it in errors.
    pub fn parse(file: &str, text: &str) -> Result<SiteConfig> {
        let raw: RawSite = toml::from_str(text).map_err(|err| {
            let line = err.span().map(|span| line_of_offset(text, span.start));
            Error::config(
                Diagnostic::in_file(file, toml_message(&err))
                    .at_line(line)
                    .with_help(
                        "see SPEC §2 for the keys site.toml accepts; unknown keys are errors so typos cannot change behaviour",
                    ),
            )
        })?;
        let located = |key: &str, message: String, help: &str| {
            Error::config(
                Diagnostic::in_file(file, message)
                    .at_line(line_of_key(text, key))
                    .with_help(help),
            )
        };

        if raw.title.trim().is_empty() {
            return Err(located(
                "title",
                "`title` is empty".into(),
                "give the site's name, e.g. title = \"云州科技网\"",
            ));
        }
        let base_url = normalise_base_url(&raw.base_url).map_err(|message| {
            located(
                "base_url",
                message,
                "write the absolute address, e.g. base_url = \"https://www.example.gov.cn/\"",
            )
        })?;
        let language = match raw.language.as_deref() {
            None | Some("zh-CN") | Some("zh") => Language::Chinese,
            Some("en") => Language::English,
            Some(other) => {
                return Err(located(
                    "language",
                    format!("unknown language `{other}`"),
                    "use \"zh-CN\" or \"en\"",
                ));
            }
        };
        let timezone = match raw.timezone.as_deref() {
            None => chrono_tz::Asia::Shanghai,
            Some(name) => name.parse().map_err(|_| {
                located(
                    "timezone",
                    format!("unknown time zone `{name}`"),
                    "use an IANA name such as \"Asia/Shanghai\"",
                )
            })?,
        };
        if let Some(theme) = &raw.theme
            && !is_plain_name(theme)
        {
            return Err(located(
                "theme",
                format!("theme `{theme}` is not a folder name"),
                "name a folder directly under themes/, e.g. theme = \"default\"",
            ));
        }
        let typography = match &raw.typography {
            None => Typography::default(),
            Some(t) => Typography::from_settings(
                t.font.as_deref(),
                t.size.as_deref(),
                t.line_height.as_deref(),
            )
            .map_err(|(key, message)| {
                located(
                    key,
                    message,
                    "e.g. font = \"仿宋_GB2312\", size = \"四号\", line_height = \"28pt\"",
                )
            })?,
        };

        let mut columns = Vec::with_capacity(raw.columns.len());
        for (index, column) in raw.columns.into_iter().enumerate() {
            columns.push(validate_column(file, text, index, column)?);
        }
        let columns = ColumnTree::new(columns).map_err(|(path, message, help)| {
            Error::config(
                Diagnostic::in_file(file, message)
                    .at_line(line_of_column(text, &path))
                    .with_help(help),
            )
        })?;

        Ok(SiteConfig {
            title: raw.title,
            base_url,
            language,
            timezone,
            theme: raw.theme,
            profile: raw.profile.unwrap_or(Profile::Gov),
            description: raw.description,
            typography,
            identity: raw.identity.unwrap_or_default(),
            checks: validate_checks(file, text, raw.checks)?,
            columns,
        })
    }

    /// Columns naming units that `units` (the policy's) does not have:
    /// (column path, unit id).
    pub fn unknown_units<V>(&self, units: &BTreeMap<String, V>) -> Vec<(String, String)> {
        self.columns
            .iter()
            .flat_map(|column| {
                column
                    .units
                    .iter()
                    .filter(|unit| !units.contains_key(*unit))
                    .map(|unit| (column.path.clone(), unit.clone()))
            })
            .collect()
    }

    /// Absolute URL for a site path such as `/news/a/`.
    pub fn absolute_url(&self, path: &str) -> String {
        format!("{}{}", self.base_url, path.trim_start_matches('/'))
    }
}

/// Check `[checks]` against the rules sanshen knows: only reporting rules
/// can be tuned here.
fn validate_checks(file: &str, text: &str, raw: Option<RawChecks>) -> Result<ChecksConfig> {
    use crate::catalog::RuleId;
    let Some(raw) = raw else {
        return Ok(ChecksConfig::default());
    };
    let fail = |needle: &str, message: String, help: String| {
        let starts = |l: &str| l.trim_start().trim_start_matches('"').starts_with(needle);
        let line = text
            .lines()
            .position(starts)
            .or_else(|| text.lines().position(|l| l.contains(needle)))
            .map(|i| i + 1);
        Error::config(
            Diagnostic::in_file(file, message)
                .at_line(line)
                .with_help(help),
        )
    };
    for (key, present, help) in [
        (
            "banned_words",
            raw.banned_words.is_some(),
            "name the list in approvals/policy.yaml: `checks: { banned_words: banned-words.txt }` (a file in approvals/)",
        ),
        (
            "leaders",
            raw.leaders.is_some(),
            "name the table in approvals/policy.yaml: `checks: { leaders: leaders.yaml }` (a file in approvals/)",
        ),
        (
            "archive_columns",
            raw.archive_columns.is_some(),
            "allow older dates in approvals/policy.yaml: `checks: { allow: [{ rule: backdated, column: \"about/**\" }] }`",
        ),
    ] {
        if present {
            return Err(fail(
                key,
                format!(
                    "[checks] {key} is no longer a site setting: the lists and which rules block publication are policy (SPEC §4)"
                ),
                help.to_string(),
            ));
        }
    }
    let known = || {
        RuleId::ALL
            .iter()
            .filter(|r| !r.default_blocking())
            .map(|r| r.as_str())
            .collect::<Vec<_>>()
            .join(", ")
    };
    for (id, over) in &raw.rules {
        let Some(rule) = RuleId::from_id(id) else {
            return Err(fail(
                id,
                format!("[checks.rules] has no rule `{id}`"),
                format!("reporting rules are: {}", known()),
            ));
        };
        if over.blocking.is_some() || rule.default_blocking() {
            return Err(fail(
                id,
                format!(
                    "[checks.rules] `{id}`: whether a rule blocks publication is policy, not a site setting"
                ),
                if rule.default_blocking() {
                    format!(
                        "`{id}` blocks publication; to lift it for some columns, an administrator adds `checks: {{ allow: [{{ rule: {id}, column: \"…\" }}] }}` to approvals/policy.yaml"
                    )
                } else {
                    format!("remove `blocking`: `{id}` is reported and never stops publication")
                },
            ));
        }
    }
    Ok(ChecksConfig { rules: raw.rules })
}

fn toml_message(err: &toml::de::Error) -> String {
    err.message().trim().to_string()
}

fn validate_column(file: &str, text: &str, index: usize, raw: RawColumn) -> Result<Column> {
    let line = line_of_column(text, &raw.path);
    let fail = |message: String, help: &str| {
        Error::config(
            Diagnostic::in_file(file, message)
                .at_line(line)
                .with_help(help),
        )
    };
    let path = raw.path.trim_matches('/').to_string();
    if path.is_empty() || !path.split('/').all(is_plain_name) {
        return Err(fail(
            format!("column path `{}` is not valid", raw.path),
            "use lower-case letters, digits, - and _ separated by /, e.g. path = \"news/notices\"",
        ));
    }
    if raw.title.trim().is_empty() {
        return Err(fail(
            format!("column `{path}` has an empty title"),
            "give the column's name (栏目名称), e.g. title = \"通知公告\"",
        ));
    }
    let span = |value: &Option<String>, what: &str| -> Result<Option<Span>> {
        value
            .as_deref()
            .map(Span::parse)
            .transpose()
            .map_err(|message| fail(format!("column `{path}`: {what} {message}"), "e.g. \"14d\""))
    };
    let update = span(&raw.update, "update")?;
    let max_delay =
        span(&raw.max_delay, "max_delay")?.unwrap_or(Span::days(DEFAULT_MAX_DELAY_DAYS));
    if raw.workflow.is_some() {
        return Err(fail(
            format!(
                "column `{path}`: `workflow` is no longer a site setting: site.toml never decides which review an article needs"
            ),
            &format!(
                "an administrator adds a rule to approvals/policy.yaml, e.g. `- {{ match: {{ column: \"{path}/**\" }}, workflow: special-column }}` before the catch-all rule"
            ),
        ));
    }
    let paginate = raw.paginate.unwrap_or(DEFAULT_PAGINATE);
    if paginate == 0 {
        return Err(fail(
            format!("column `{path}`: paginate must be at least 1"),
            "e.g. paginate = 20",
        ));
    }
    Ok(Column {
        path,
        title: raw.title,
        description: raw.description,
        units: raw.units,
        update,
        max_delay,
        paginate,
        allow_raw_html: raw.allow_raw_html,
        order: index,
    })
}

/// The line of the `path = "…"` entry of a column, for errors about that column.
fn line_of_column(text: &str, path: &str) -> Option<usize> {
    text.lines()
        .position(|line| {
            let trimmed = line.trim_start();
            trimmed.starts_with("path") && trimmed.contains(&format!("\"{path}\""))
        })
        .map(|i| i + 1)
}

fn normalise_base_url(url: &str) -> std::result::Result<String, String> {
    let url = url.trim();
    let rest = url
        .strip_prefix("https://")
        .or_else(|| url.strip_prefix("http://"))
        .ok_or_else(|| format!("base_url `{url}` must start with https:// or http://"))?;
    if rest.is_empty() || rest.starts_with('/') || rest.contains(char::is_whitespace) {
        return Err(format!("base_url `{url}` has no host name"));
    }
    Ok(if url.ends_with('/') {
        url.to_string()
    } else {
        format!("{url}/")
    })
}

/// A folder or column name: lower-case ASCII letters, digits, `-`, `_`.
pub fn is_plain_name(name: &str) -> bool {
    !name.is_empty()
        && name
            .bytes()
            .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'-' || b == b'_')
}

/// Map a unit id to a name, for pages (filled from the policy).
pub type UnitNames = BTreeMap<String, String>;

#[cfg(test)]
mod tests {
    use super::*;

    const MINIMAL: &str = "title = \"T\"\nbase_url = \"https://example.org\"\n";

    #[test]
    fn minimal_site_gets_defaults() {
        let site = SiteConfig::parse("site.toml", MINIMAL).unwrap();
        assert_eq!(site.base_url, "https://example.org/");
        assert_eq!(site.language, Language::Chinese);
        assert_eq!(site.profile, Profile::Gov);
        assert_eq!(site.timezone, chrono_tz::Asia::Shanghai);
    }

    #[test]
    fn unknown_key_names_the_line() {
        let text = format!(
            "{MINIMAL}\n[[columns]]\npath = \"news\"\ntitle = \"N\"\nupdate_every = \"7d\"\n"
        );
        let err = SiteConfig::parse("site.toml", &text).unwrap_err();
        let d = &err.diagnostics[0];
        assert_eq!(d.file.as_deref(), Some("site.toml"));
        assert_eq!(d.line, Some(7));
        assert!(d.message.contains("update_every"), "{}", d.message);
    }

    #[test]
    fn bad_column_path_and_missing_parent() {
        let text = format!("{MINIMAL}[[columns]]\npath = \"News\"\ntitle = \"N\"\n");
        assert!(SiteConfig::parse("site.toml", &text).is_err());
        let text = format!("{MINIMAL}[[columns]]\npath = \"news/notices\"\ntitle = \"N\"\n");
        let err = SiteConfig::parse("site.toml", &text).unwrap_err();
        assert!(err.diagnostics[0].message.contains("news"), "{err}");
        assert_eq!(err.diagnostics[0].line, Some(4));
    }

    #[test]
    fn bad_time_zone_and_duration() {
        let text = format!("{MINIMAL}timezone = \"Mars/Olympus\"\n");
        let err = SiteConfig::parse("site.toml", &text).unwrap_err();
        assert_eq!(err.diagnostics[0].line, Some(3));
        let text =
            format!("{MINIMAL}[[columns]]\npath = \"news\"\ntitle = \"N\"\nupdate = \"soon\"\n");
        assert!(SiteConfig::parse("site.toml", &text).is_err());
    }
}
