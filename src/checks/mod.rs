//! `sanshen check`: catch before publication what government website
//! inspections catch (SPEC §5, §6).
//!
//! Every rule has an id, a default severity and a default answer to "does it
//! stop publication?" ([`RuleId`]). `site.toml` `[checks]` may change the
//! severity of the rules that never block; which rules block, and where
//! not, is policy (`approvals/policy.yaml` `checks:`) ([`RuleSettings`]). The rules come in families, one file each:
//!
//! - per article version, from its own text and assets: [`secrets`],
//!   [`privacy`], [`words`], [`attachments`] and the per-version half of
//!   [`timeliness`] — run by [`ContentRules`], which `build` also runs on every
//!   approved version, so a version failing a *blocking* rule is never
//!   published;
//! - over the whole site: the cross-article half of [`timeliness`],
//!   [`columns`] (stale and empty columns, the inspection view), [`links`],
//!   [`identity`] and [`a11y`] over the site rendered with the real renderer,
//!   and [`keys`] over the approval policy.
//!
//! [`run`] puts them together for the command; [`format`] prints the result
//! for people, scripts and CI systems.

pub mod a11y;
pub mod attachments;
pub mod columns;
mod content;
pub mod external;
pub mod format;
pub mod identity;
pub mod keys;
pub mod links;
pub mod privacy;
mod rendered;
pub mod secrets;
pub(crate) mod text;
pub mod timeliness;
pub mod words;

use std::collections::BTreeMap;

use chrono::{DateTime, FixedOffset};
use serde::{Deserialize, Serialize};

use crate::error::{Diagnostic, Result};
use crate::ledger::Ledger;
use crate::ledger::policy::PolicyChecks;
use crate::publish::PublicationSet;
use crate::repo::Repo;
use crate::site::Language;
use crate::site::config::ChecksConfig;

pub use columns::Inspection;
pub use content::ContentRules;

/// How serious a finding is. `Off` silences a rule.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Severity {
    Off,
    Warning,
    Error,
}

impl Severity {
    pub fn as_str(self) -> &'static str {
        match self {
            Severity::Off => "off",
            Severity::Warning => "warning",
            Severity::Error => "error",
        }
    }
}

/// Whether a rule looks at one article version (and may stop its
/// publication) or at the site as a whole (reported, never blocking).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Scope {
    Version,
    Site,
}

macro_rules! rules {
    ($($variant:ident = $id:literal, $severity:ident, $blocking:literal, $scope:ident, $en:literal, $zh:literal;)*) => {
        /// Every rule `sanshen check` knows, by its id in `[checks.rules]`.
        #[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
        pub enum RuleId {
            $($variant,)*
        }

        impl RuleId {
            pub const ALL: &'static [RuleId] = &[$(RuleId::$variant,)*];

            /// The id written in site.toml, JSON and SARIF.
            pub fn as_str(self) -> &'static str {
                match self {
                    $(RuleId::$variant => $id,)*
                }
            }

            pub fn default_severity(self) -> Severity {
                match self {
                    $(RuleId::$variant => Severity::$severity,)*
                }
            }

            /// Blocking by default (SPEC §5 lists these).
            pub fn default_blocking(self) -> bool {
                match self {
                    $(RuleId::$variant => $blocking,)*
                }
            }

            pub fn scope(self) -> Scope {
                match self {
                    $(RuleId::$variant => Scope::$scope,)*
                }
            }

            /// One line saying what the rule catches.
            pub fn summary(self, language: Language) -> &'static str {
                match (self, language) {
                    $((RuleId::$variant, Language::English) => $en,)*
                    $((RuleId::$variant, Language::Chinese) => $zh,)*
                }
            }
        }
    };
}

rules! {
    FrontMatter = "front-matter", Error, true, Version,
        "front matter that cannot be read or validated", "前置信息（front matter）无法读取或不合规";
    Classified = "classified", Error, true, Version,
        "an article marked `classified: true`", "稿件标记为涉密（classified: true）";
    ClassificationMark = "classification-mark", Error, true, Version,
        "a classification mark (密级) or a do-not-publish mark in the text", "正文含密级标志或“内部资料”“不予公开”等标注";
    PiiIdNumber = "pii-id-number", Error, true, Version,
        "a resident ID number (GB 11643, check digit verified)", "公民身份号码（校验码有效）";
    PiiPhone = "pii-phone", Error, true, Version,
        "an unmasked mobile phone number", "未打码的手机号码";
    PiiBankCard = "pii-bank-card", Error, true, Version,
        "a bank card number (Luhn check verified)", "银行卡号（Luhn 校验有效）";
    BannedWord = "banned-word", Error, true, Version,
        "a word from the site's banned word list", "站点禁用词表中的词语";
    LeaderTitle = "leader-title", Error, true, Version,
        "a leader named with a title that is not theirs (严重表述错误)", "领导姓名与职务不符（严重表述错误）";
    ImageGps = "image-gps", Error, false, Version,
        "an image carrying GPS coordinates in its metadata", "图片元数据含 GPS 位置信息";
    AttachmentMetadata = "attachment-metadata", Warning, false, Version,
        "an office document carrying comments or tracked changes", "附件文档含批注或修订痕迹";
    Backdated = "backdated", Error, true, Version,
        "a `date` earlier than the day the article was approved (伪造发稿日期)", "发布日期早于审核完成日期（倒签日期）";
    Late = "late", Warning, false, Version,
        "published later than `event_date` plus the column's `max_delay`", "发布时间晚于事件日期加栏目时限";
    UnitColumn = "unit-column", Error, true, Version,
        "a `unit` that is not among the column's responsible units", "报送单位不是栏目的责任单位";
    MissingSource = "missing-source", Error, true, Version,
        "a reprint (`type: reprint`) without `source` (来源不明)", "转载稿件未注明来源";
    StrayFile = "stray-file", Warning, false, Site,
        "a file under content/ that is no article: a column's index.md, a stray attachment, a link, a name that is not UTF-8", "content/ 下不属于任何稿件的文件：栏目文件夹中的 index.md、散落的附件、链接、非 UTF-8 文件名";
    Redated = "redated", Error, false, Site,
        "the same text published again under a newer date (旧稿重发)", "同一内容以新日期重新发布（旧稿重发）";
    MissingInterpretation = "missing-interpretation", Warning, false, Site,
        "a policy (`type: policy`) that no interpretation explains", "政策文件没有对应的解读";
    StaleColumn = "stale-column", Error, false, Site,
        "a column (or the home page) without a new article within its update window", "栏目（或首页）超过更新周期未更新";
    EmptyColumn = "empty-column", Error, false, Site,
        "a column without any published article (空白栏目)", "空白栏目：没有任何已发布稿件";
    BrokenLink = "broken-link", Error, false, Site,
        "a link, anchor or attachment that does not resolve in the built site", "链接、锚点或附件在生成的网站中不存在";
    ExternalLink = "external-link", Warning, false, Site,
        "an external link that does not answer (probed only by `check --external`)", "外部链接无法访问（仅 check --external 时探测）";
    Identity = "identity", Error, false, Site,
        "a footer identity field or monitoring tag the site's profile requires", "页脚标识信息或监测标签缺失";
    A11y = "a11y", Warning, false, Site,
        "accessibility: alt text, heading levels, page language, colour contrast", "无障碍：替代文本、标题层级、页面语言、颜色对比度";
    DormantKey = "dormant-key", Warning, false, Site,
        "an approver's key unused longer than `settings.dormant_after`", "审核人密钥长期未使用";
    Policy = "policy", Warning, false, Site,
        "roles, units or columns without a complete approval path", "角色、部门或栏目缺少完整的审核链";
}

impl RuleId {
    /// Look up a rule by its id.
    pub fn from_id(id: &str) -> Option<RuleId> {
        RuleId::ALL.iter().copied().find(|rule| rule.as_str() == id)
    }

    /// Rules whose blocking cannot be switched off: the content is not
    /// publishable at all (SPEC §3: `classified` must be false; front matter
    /// that cannot be read has no workflow).
    pub fn always_blocks(self) -> bool {
        matches!(self, RuleId::FrontMatter | RuleId::Classified)
    }
}

impl<'de> serde::Deserialize<'de> for RuleId {
    fn deserialize<D: serde::Deserializer<'de>>(
        deserializer: D,
    ) -> std::result::Result<RuleId, D::Error> {
        let id = String::deserialize(deserializer)?;
        RuleId::from_id(&id).ok_or_else(|| serde::de::Error::custom(format!("unknown rule `{id}`")))
    }
}

impl Serialize for RuleId {
    fn serialize<S: serde::Serializer>(
        &self,
        serializer: S,
    ) -> std::result::Result<S::Ok, S::Error> {
        serializer.serialize_str(self.as_str())
    }
}

/// A rule's severity and blocking after `[checks.rules]` overrides.
#[derive(Debug, Clone)]
pub struct RuleSettings {
    severity: BTreeMap<RuleId, Severity>,
    /// Where the policy lets a blocking rule pass (SPEC §4 `checks.allow`).
    policy: PolicyChecks,
}

impl RuleSettings {
    /// The reporting rules' severities from site.toml, which rules block
    /// from the policy. Both were validated when they were read.
    pub fn new(site: &ChecksConfig, policy: &PolicyChecks) -> RuleSettings {
        let severity = RuleId::ALL
            .iter()
            .map(|&rule| {
                let over = site.rules.get(rule.as_str()).and_then(|o| o.severity);
                (rule, over.unwrap_or(rule.default_severity()))
            })
            .collect();
        RuleSettings {
            severity,
            policy: policy.clone(),
        }
    }

    pub fn severity(&self, rule: RuleId) -> Severity {
        self.severity
            .get(&rule)
            .copied()
            .unwrap_or(rule.default_severity())
    }

    /// Can a finding of this rule stop the publication of a version?
    pub fn may_block(&self, rule: RuleId) -> bool {
        rule.scope() == Scope::Version && rule.default_blocking()
    }

    /// Does a finding of this rule stop the publication of a version of an
    /// article in `column`? `classified` and unreadable front matter always
    /// do; the others unless the policy allows them there.
    pub fn blocks(&self, rule: RuleId, column: &str) -> bool {
        self.may_block(rule) && (rule.always_blocks() || self.policy.blocks(rule.as_str(), column))
    }

    /// Give a finding its effective severity and blocking; `None` when its rule is off.
    fn settle(&self, mut finding: Finding) -> Option<Finding> {
        let effective = self.severity(finding.rule);
        if effective == Severity::Off {
            return None;
        }
        let allowed = self.may_block(finding.rule)
            && finding
                .article_column
                .as_deref()
                .is_some_and(|column| !self.blocks(finding.rule, column));
        finding.severity = match (finding.ceiling, allowed) {
            (Some(ceiling), _) => effective.min(ceiling),
            // Allowed here by the policy: worth a look, never an error.
            (None, true) => effective.min(Severity::Warning),
            (None, false) => effective,
        };
        finding.blocking = finding.ceiling.is_none()
            && finding.severity == Severity::Error
            && finding
                .article_column
                .as_deref()
                .is_some_and(|column| self.blocks(finding.rule, column));
        Some(finding)
    }
}

/// Which version of an article a finding is about.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct VersionLabel {
    /// The article's object id (blob or bundle tree).
    pub oid: String,
    /// The article's state at the revision (`published`, `pending`, …).
    pub state: String,
    /// Not (yet) approved: the findings show what review will run into.
    pub draft: bool,
}

/// One problem found.
#[derive(Debug, Clone, Serialize)]
pub struct Finding {
    pub rule: RuleId,
    pub severity: Severity,
    /// Stops the publication of this version (build exits 1 naming it).
    pub blocking: bool,
    pub file: Option<String>,
    /// 1-based.
    pub line: Option<usize>,
    /// 1-based, in characters.
    pub column: Option<usize>,
    pub message: String,
    pub help: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub version: Option<VersionLabel>,
    /// The column (栏目) of the article the finding is about: where the
    /// policy may let a blocking rule pass.
    #[serde(skip)]
    article_column: Option<String>,
    /// The most this finding may weigh (a 70% stale column is a warning
    /// even when the rule is an error).
    #[serde(skip)]
    ceiling: Option<Severity>,
}

impl Finding {
    pub fn new(rule: RuleId, message: impl Into<String>) -> Finding {
        Finding {
            rule,
            severity: rule.default_severity(),
            blocking: false,
            file: None,
            line: None,
            column: None,
            message: message.into(),
            help: None,
            version: None,
            article_column: None,
            ceiling: None,
        }
    }

    pub fn in_file(mut self, file: impl Into<String>) -> Finding {
        self.file = Some(file.into());
        self
    }

    pub fn at(mut self, line: Option<usize>, column: Option<usize>) -> Finding {
        self.line = line;
        self.column = column;
        self
    }

    pub fn with_help(mut self, help: impl Into<String>) -> Finding {
        self.help = Some(help.into());
        self
    }

    /// Never more serious than `ceiling`, whatever the rule's severity.
    pub fn at_most(mut self, ceiling: Severity) -> Finding {
        self.ceiling = Some(ceiling);
        self
    }

    /// The finding is about this version of an article.
    pub(crate) fn labelled(mut self, label: &VersionLabel) -> Finding {
        self.version = Some(label.clone());
        self
    }

    /// The finding as a build error names it.
    pub fn to_diagnostic(&self) -> Diagnostic {
        let mut diagnostic = Diagnostic::new(format!("[{}] {}", self.rule.as_str(), self.message));
        diagnostic.file = self.file.clone();
        diagnostic.line = self.line;
        diagnostic.help = self.help.clone();
        diagnostic
    }
}

/// What `check` found at a revision.
#[derive(Debug, Clone, Serialize)]
pub struct Report {
    /// The clock the report was made at (`--now`).
    #[serde(serialize_with = "rfc3339")]
    pub now: DateTime<FixedOffset>,
    /// Sorted by file, line, column and rule; findings without a file last.
    pub findings: Vec<Finding>,
    pub inspection: Inspection,
    #[serde(skip)]
    pub language: Language,
}

fn rfc3339<S: serde::Serializer>(
    time: &DateTime<FixedOffset>,
    serializer: S,
) -> std::result::Result<S::Ok, S::Error> {
    serializer.serialize_str(&time.to_rfc3339())
}

impl Report {
    pub fn count(&self, severity: Severity) -> usize {
        self.findings
            .iter()
            .filter(|f| f.severity == severity)
            .count()
    }

    /// SPEC §6: 1 with errors, 0 with warnings only.
    pub fn exit_code(&self) -> i32 {
        if self.count(Severity::Error) > 0 {
            1
        } else {
            0
        }
    }
}

/// Run every rule over the revision the ledger was evaluated at; external
/// links are probed only when `external` says how.
pub fn run(
    repo: &Repo,
    ledger: &Ledger,
    set: &PublicationSet,
    external: Option<external::ExternalProbe>,
) -> Result<Report> {
    let rules = ContentRules::load(ledger, &set.site, set.now)?;
    let say = text::Say::new(set.site.language);

    let (mut findings, summaries) = content::check_versions(repo, ledger, set, &rules)?;
    // What discovery set aside: never published, never stopping a build.
    findings.extend(set.warnings.iter().map(|problem| {
        let mut finding =
            Finding::new(RuleId::StrayFile, problem.message.clone()).at(problem.line, None);
        if let Some(file) = &problem.file {
            finding = finding.in_file(file);
        }
        match &problem.help {
            Some(help) => finding.with_help(help),
            None => finding,
        }
    }));
    findings.extend(timeliness::check_across(&rules, repo, &summaries));

    let site_text = content::approved_site_text(repo, set);
    let column_report = columns::check(set, &site_text, &say);
    findings.extend(column_report.findings);

    let output = rendered::RenderedSite::render(set)?;
    findings.extend(links::check(set, &output, &say));
    if let Some(probe) = external
        && rules.settings.severity(RuleId::ExternalLink) != Severity::Off
    {
        findings.extend(external::check(set, &output, &say, probe));
    }
    findings.extend(identity::check(set, &output, &site_text, &say));
    findings.extend(a11y::check_site(set, &output, &say));
    findings.extend(keys::check(repo, ledger, set, &say));

    let mut settled: Vec<Finding> = findings
        .into_iter()
        .filter_map(|f| rules.settings.settle(f))
        .collect();
    settled.sort_by(|a, b| {
        (
            a.file.is_none(),
            &a.file,
            a.line,
            a.column,
            a.rule,
            &a.message,
        )
            .cmp(&(
                b.file.is_none(),
                &b.file,
                b.line,
                b.column,
                b.rule,
                &b.message,
            ))
    });
    // A finding in both the draft and the published version is reported once (the draft's).
    settled.dedup_by(|later, earlier| {
        later.rule == earlier.rule
            && later.file == earlier.file
            && later.line == earlier.line
            && later.column == earlier.column
            && later.message == earlier.message
    });
    Ok(Report {
        now: set.now,
        findings: settled,
        inspection: column_report.inspection,
        language: set.site.language,
    })
}
