//! The per-version rules, run over one article version at a time: by `check`
//! over the current version of every article and over its published version,
//! and by `build` over each approved version before it is published
//! ([`ContentRules::blocking`]), so the two can never disagree about what
//! blocks.

use std::collections::{BTreeMap, BTreeSet};

use chrono::{DateTime, FixedOffset};
use chrono_tz::Tz;

use crate::catalog::{RuleId, Severity};
use crate::content::article::{ArticleText, PublishedArticle};
use crate::content::{ArticlePath, ArticleType, FrontMatter};
use crate::error::{Diagnostic, Error, Result, line_of_key};
use crate::ledger::Ledger;
use crate::rules::assets;
use crate::rules::text::{Hit, LineIndex, Say};
use crate::rules::timeliness::{self, Completions};
use crate::rules::words::{BannedWords, Leaders};
use crate::rules::{Finding, RuleSettings, VersionLabel, privacy, secrets};
use crate::site::{SiteConfig, Span};

/// Everything the per-version rules need, loaded once per revision.
pub struct ContentRules {
    pub(crate) settings: RuleSettings,
    pub(crate) say: Say,
    pub(crate) timezone: Tz,
    pub(crate) now: DateTime<FixedOffset>,
    banned: BannedWords,
    leaders: Leaders,
    max_delay: BTreeMap<String, Span>,
    /// Each column's responsible units (empty: any unit).
    column_units: BTreeMap<String, Vec<String>>,
    /// Columns whose articles may carry raw HTML (and so active assets).
    raw_html_columns: BTreeSet<String>,
    pub(crate) completions: Completions,
    /// The word lists' paths and blob ids: part of what a remembered
    /// decision depends on (`publish::memo`).
    pub(crate) list_sources: String,
}

/// What the rules run for: `build` needs only the rules that block.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Purpose {
    Build,
    Check,
}

/// One article version as the rules see it.
pub struct VersionView<'a> {
    pub path: &'a ArticlePath,
    pub label: Option<&'a VersionLabel>,
    /// The whole Markdown file (front matter included), when it decodes.
    pub text: Option<&'a str>,
    /// Valid front matter, when it is.
    pub front: Option<&'a FrontMatter>,
    /// The body and the line it starts on.
    pub body: Option<(&'a str, usize)>,
    /// Bundle assets to scan (name relative to the bundle, bytes).
    pub assets: &'a [(String, Vec<u8>)],
}

impl VersionView<'_> {
    fn draft(&self) -> bool {
        self.label.is_some_and(|l| l.draft)
    }
}

impl ContentRules {
    /// Read the policy's word lists (from the trusted policy, never from an
    /// unapproved tree) and the approval times the timeliness rules compare
    /// dates with.
    pub fn load(
        ledger: &Ledger,
        site: &SiteConfig,
        now: DateTime<FixedOffset>,
    ) -> Result<ContentRules> {
        let policy = &ledger.verdict.policy;
        let files = &ledger.verdict.policy_files;
        let settings = RuleSettings::new(&site.checks, &policy.checks);
        // The lists are files of the policy's approvals/ version: its id
        // names their content.
        let list_sources = format!("approvals={}", ledger.verdict.policy_oid);
        let read_list = |name: &str| -> Result<&str> {
            let path = format!("{}/{name}", crate::ledger::policy::POLICY_DIR);
            match files.files.get(name) {
                Some(Ok(text)) => Ok(text),
                // The trusted policy was validated with its lists: only a
                // history cache from another version could lack them.
                _ => Err(Error::config(
                    Diagnostic::in_file(&path, "is named by the trusted policy but cannot be read")
                        .with_help("build once with --no-cache; if it persists, the policy's approvals/ version is damaged"),
                )),
            }
        };
        let banned = match &policy.checks.banned_words {
            Some(name) => BannedWords::parse(read_list(name)?),
            None => BannedWords::default(),
        };
        let leaders = match &policy.checks.leaders {
            Some(name) => {
                let text = read_list(name)?;
                Leaders::parse(
                    &format!("{}/{name}", crate::ledger::policy::POLICY_DIR),
                    text,
                )
                .map_err(Error::config)?
            }
            None => Leaders::default(),
        };
        Ok(ContentRules {
            settings,
            say: Say::new(site.language),
            timezone: site.timezone,
            now,
            banned,
            leaders,
            max_delay: site
                .columns
                .iter()
                .map(|c| (c.path.clone(), c.max_delay))
                .collect(),
            column_units: site
                .columns
                .iter()
                .map(|c| (c.path.clone(), c.units.clone()))
                .collect(),
            raw_html_columns: site
                .columns
                .iter()
                .filter(|c| c.allow_raw_html)
                .map(|c| c.path.clone())
                .collect(),
            completions: Completions::from_ledger(ledger),
            list_sources,
        })
    }

    /// The findings that stop the publication of an approved version
    /// (SPEC §5), its bundle assets included; `text` is its Markdown file. `build` marks the version
    /// blocked with these as the reasons.
    pub fn blocking(
        &self,
        text: Option<&str>,
        article: &PublishedArticle,
        content: &ArticleText,
    ) -> Vec<Finding> {
        let view = VersionView {
            path: &article.path,
            label: None,
            text,
            front: Some(&article.front),
            body: Some((&content.body, article.body_line)),
            assets: &content.assets,
        };
        self.findings(&view, Purpose::Build)
            .into_iter()
            .filter_map(|f| self.settings.settle(f))
            .filter(|f| f.blocking)
            .collect()
    }

    /// Is this rule worth running for this purpose?
    fn wanted(&self, rule: RuleId, purpose: Purpose) -> bool {
        match purpose {
            Purpose::Build => self.settings.may_block(rule),
            Purpose::Check => self.settings.severity(rule) != Severity::Off,
        }
    }

    /// The text rules over what a reader of the version gets (SPEC §5): the
    /// Markdown file as written, located to the line and column; then every
    /// front-matter field the page or the feeds show, as read (a YAML escape
    /// hides nothing), and the body as rendered — character references
    /// decoded, raw HTML read as a browser reads it, numbers split across
    /// inline markup joined. What only the reader sees is reported at the
    /// field's or the body's line.
    fn published_text_findings(
        &self,
        view: &VersionView<'_>,
        purpose: Purpose,
        file: &str,
    ) -> Vec<Finding> {
        let squeeze = |text: &str, start: usize, end: usize| -> String {
            text.get(start..end)
                .unwrap_or_default()
                .chars()
                .filter(|c| !c.is_whitespace())
                .collect()
        };
        let mut findings = Vec::new();
        let mut seen = std::collections::HashSet::new();
        if let Some(text) = view.text {
            let lines = LineIndex::new(text);
            for hit in self.scan_text(text, purpose) {
                seen.insert((hit.rule, squeeze(text, hit.start, hit.end)));
                let (line, column) = lines.locate(hit.start);
                findings.push(hit.into_finding(file, None).at(Some(line), Some(column)));
            }
        }
        let line = |key: &str| view.text.and_then(|text| line_of_key(text, key));
        let mut shown: Vec<(Option<usize>, String, String)> = Vec::new();
        if let Some(front) = view.front {
            let fields: [(&str, Option<String>); 9] = [
                ("title", Some(front.title.clone())),
                ("summary", front.summary.clone()),
                (
                    "tags",
                    (!front.tags.is_empty()).then(|| front.tags.join("\n")),
                ),
                ("author", front.author.clone()),
                ("source", front.source.clone()),
                ("source_url", front.source_url.clone()),
                ("doc_number", front.doc_number.clone()),
                ("index_number", front.index_number.clone()),
                ("issuer", front.issuer.clone()),
            ];
            for (key, value) in fields {
                if let Some(value) = value {
                    shown.push((line(key), format!("`{key}`"), value));
                }
            }
            if let Some(topic) = &front.topic {
                shown.push((line("topic"), "`topic`".to_string(), topic.clone()));
            }
        }
        if let Some((body, body_line)) = view.body {
            shown.push((
                Some(body_line),
                self.say.pick("显示出的正文", "the body as shown"),
                crate::media::markdown_text(body),
            ));
        }
        for (line, place, text) in shown {
            for hit in self.scan_text(&text, purpose) {
                if !seen.insert((hit.rule, squeeze(&text, hit.start, hit.end))) {
                    continue;
                }
                findings.push(hit.into_finding(file, Some(&place)).at(line, None));
            }
        }
        findings
    }

    /// The rules over text: secrets, personal data and the site's word lists.
    pub(crate) fn scan_text(&self, text: &str, purpose: Purpose) -> Vec<Hit> {
        let mut hits = Vec::new();
        if self.wanted(RuleId::ClassificationMark, purpose) {
            hits.extend(secrets::scan(text, &self.say));
        }
        if [RuleId::PiiIdNumber, RuleId::PiiPhone, RuleId::PiiBankCard]
            .iter()
            .any(|&rule| self.wanted(rule, purpose))
        {
            hits.extend(
                privacy::scan(text, &self.say)
                    .into_iter()
                    .filter(|h| self.wanted(h.rule, purpose)),
            );
        }
        if self.wanted(RuleId::BannedWord, purpose) {
            hits.extend(self.banned.scan(text, &self.say));
        }
        if self.wanted(RuleId::LeaderTitle, purpose) {
            hits.extend(self.leaders.scan(text, &self.say));
        }
        hits
    }

    /// Every per-version finding, unsettled (severity overrides come later).
    pub(crate) fn findings(&self, view: &VersionView<'_>, purpose: Purpose) -> Vec<Finding> {
        let file = view.path.markdown_path();
        let mut findings = self.published_text_findings(view, purpose, &file);
        if let Some(front) = view.front {
            let line = |key: &str| view.text.and_then(|text| line_of_key(text, key));
            // `build` excludes classified versions before any rule runs.
            if purpose == Purpose::Check && front.classified {
                let message = if view.draft() {
                    self.say.pick("标记为涉密（classified: true），不会发布；涉密信息不应存放在网站仓库中", "is marked `classified: true`: it will not be published, and classified material does not belong in the site's repository")
                } else {
                    self.say.pick(
                        "标记为涉密（classified: true），涉密信息不得上网",
                        "is marked `classified: true`: classified content never goes online",
                    )
                };
                findings.push(
                    Finding::new(RuleId::Classified, message)
                    .in_file(&file)
                    .at(line("classified"), None)
                    .with_help(self.say.pick(
                        "从网站内容中移除；若标记有误，改为 false 后重新送审",
                        "remove it from the site; if the mark is wrong, set it to false and have the new version reviewed",
                    )),
                );
            }
            if self.wanted(RuleId::MissingSource, purpose)
                && front.kind == ArticleType::Reprint
                && front.source.is_none()
            {
                findings.push(
                    Finding::new(
                        RuleId::MissingSource,
                        self.say.pick("转载稿件（type: reprint）未注明来源（source），来源不明不予发布", "is a reprint (`type: reprint`) without `source`: content of unknown origin is not published"),
                    )
                    .in_file(&file)
                    .at(line("type"), None)
                    .with_help(self.say.pick(
                        "添加 `source: 原发媒体或单位名称`，最好再加 `source_url: 原文链接`",
                        "add `source: <the original publisher>`, ideally with `source_url: <the original address>`",
                    )),
                );
            }
            if self.wanted(RuleId::UnitColumn, purpose)
                && let Some(units) = self.column_units.get(view.path.column())
                && !units.is_empty()
                && !units.contains(&front.unit)
            {
                let column = view.path.column();
                let unit = &front.unit;
                let units = units.join(", ");
                findings.push(
                    Finding::new(
                        RuleId::UnitColumn,
                        self.say.pick(
                            format!("报送单位 `unit: {unit}` 不是栏目“{column}”的责任单位（{units}）"),
                            format!("`unit: {unit}` is not among the responsible units of column `{column}` ({units})"),
                        ),
                    )
                    .in_file(&file)
                    .at(line("unit"), None)
                    .with_help(self.say.pick(
                        "填写实际报送的单位，或把稿件移到该单位负责的栏目（site.toml [[columns]] units）",
                        "give the unit that submits the article, or move it to a column that unit is responsible for (site.toml [[columns]] units)",
                    )),
                );
            }
            if self.wanted(RuleId::Backdated, purpose) || self.wanted(RuleId::Late, purpose) {
                findings.extend(timeliness::check_version(self, view, front, &file, purpose));
            }
        }
        for (name, bytes) in view.assets {
            findings.extend(assets::check_asset(self, view.path, name, bytes, purpose));
        }
        for finding in &mut findings {
            finding.version = view.label.cloned();
            finding.article_column = Some(view.path.column().to_string());
            // Not approved yet: a date can still be fixed before review ends,
            // and a draft marked classified is kept out as its writer meant.
            if view.draft() && matches!(finding.rule, RuleId::Backdated | RuleId::Classified) {
                finding.ceiling = Some(Severity::Warning);
            }
        }
        findings
    }

    /// Does the column allow raw HTML (SPEC §3), and so assets that run?
    pub(crate) fn allows_raw_html(&self, column: &str) -> bool {
        self.raw_html_columns.contains(column)
    }

    pub(crate) fn max_delay(&self, column: &str) -> Span {
        self.max_delay.get(column).copied().unwrap_or(Span::days(3))
    }
}
