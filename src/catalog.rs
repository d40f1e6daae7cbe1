//! Every rule sanshen knows, by the id people write in site.toml, policy
//! and CI (SPEC §5): its default severity, whether it may stop a version's
//! publication, and whether it looks at one version or at the whole site.
//! A leaf: the site's settings, the policy, the per-version rules and the
//! whole-site checks all name rules from here.

use serde::{Deserialize, Serialize};

use crate::i18n::Language;

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
    ActiveAsset = "active-asset", Error, true, Version,
        "a bundle asset that can run in a browser (HTML, script, an SVG with script …) in a column that does not allow raw HTML", "稿件附件可在浏览器中运行（网页、脚本、含脚本的 SVG 等），而栏目未允许原始 HTML";
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

impl RuleId {
    /// May `approvals/policy.yaml` `checks.allow` lift this rule in some
    /// columns (SPEC §4)? Every blocking rule except those that always block.
    pub fn allowable(self) -> bool {
        self.scope() == Scope::Version && self.default_blocking() && !self.always_blocks()
    }
}
