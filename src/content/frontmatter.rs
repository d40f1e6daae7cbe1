//! Article front matter (SPEC §3): the YAML block between `---` lines.
//!
//! Two readings exist on purpose. [`WorkflowFacts`] is the lenient one the
//! approval ledger needs: which workflow a version goes through depends only
//! on `type`, `importance` and `unit`, and must be decidable for any version
//! that is at least YAML. [`FrontMatter`] is the strict one for publishing:
//! unknown fields, a missing title or a bad date are errors with a line.

use chrono::{DateTime, FixedOffset, NaiveDate, NaiveDateTime, TimeZone};
use serde::Deserialize;

use crate::error::{Diagnostic, line_of_key};

/// The Markdown file split into its parts.
#[derive(Debug, Clone)]
pub struct SplitSource<'a> {
    pub front_matter: &'a str,
    pub body: &'a str,
    /// 1-based line in the file of the front matter's first line.
    pub front_matter_line: usize,
    /// 1-based line in the file where the body starts.
    pub body_line: usize,
}

/// Split `---\n…\n---\n` from the body. The text is already decoded (LF only).
pub fn split(text: &str) -> Result<SplitSource<'_>, String> {
    let rest = text
        .strip_prefix("---\n")
        .ok_or("does not start with front matter: the first line must be `---`")?;
    let mut offset = 0;
    for (index, line) in rest.split_inclusive('\n').enumerate() {
        let bare = line.trim_end();
        if bare == "---" || bare == "..." {
            let front_matter = &rest[..offset];
            let body = &rest[offset + line.len()..];
            return Ok(SplitSource {
                front_matter,
                body,
                front_matter_line: 2,
                body_line: index + 3,
            });
        }
        offset += line.len();
    }
    Err("front matter is not closed: add a line `---` after the last field".into())
}

/// Article types (SPEC §3 `type`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize, serde::Serialize, Default)]
#[serde(rename_all = "lowercase")]
pub enum ArticleType {
    #[default]
    Article,
    Video,
    Special,
    Policy,
    Interpretation,
    Reprint,
}

impl ArticleType {
    pub fn as_str(self) -> &'static str {
        match self {
            ArticleType::Article => "article",
            ArticleType::Video => "video",
            ArticleType::Special => "special",
            ArticleType::Policy => "policy",
            ArticleType::Interpretation => "interpretation",
            ArticleType::Reprint => "reprint",
        }
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize, serde::Serialize, Default)]
#[serde(rename_all = "lowercase")]
pub enum Importance {
    #[default]
    Normal,
    Important,
    Major,
}

impl Importance {
    pub fn as_str(self) -> &'static str {
        match self {
            Importance::Normal => "normal",
            Importance::Important => "important",
            Importance::Major => "major",
        }
    }
}

/// The fields as written. Read once, strictly, by [`read`]: the approval
/// rules ([`ReviewFacts`]) and the page ([`FrontMatter`]) take their values
/// from this one reading, so they can never disagree.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Fields {
    title: Option<String>,
    date: Option<serde_yaml::Value>,
    unit: Option<String>,
    author: Option<String>,
    #[serde(rename = "type")]
    kind: Option<ArticleType>,
    importance: Option<Importance>,
    classified: Option<bool>,
    event_date: Option<serde_yaml::Value>,
    publish_at: Option<serde_yaml::Value>,
    expires: Option<serde_yaml::Value>,
    source: Option<String>,
    source_url: Option<String>,
    interprets: Option<String>,
    summary: Option<String>,
    tags: Option<Vec<String>>,
    cover: Option<String>,
    doc_number: Option<String>,
    index_number: Option<String>,
    issuer: Option<String>,
    written_on: Option<serde_yaml::Value>,
    topic: Option<String>,
    validity: Option<String>,
}

/// 有效性 of a policy document (SPEC §3 `validity`): whether it is still in force.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize, serde::Serialize, Default)]
#[serde(rename_all = "lowercase")]
pub enum Validity {
    /// 有效
    #[default]
    Valid,
    /// 已修改
    Amended,
    /// 已废止
    Repealed,
    /// 已失效
    Expired,
}

impl Validity {
    pub const ALL: [Validity; 4] = [
        Validity::Valid,
        Validity::Amended,
        Validity::Repealed,
        Validity::Expired,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            Validity::Valid => "valid",
            Validity::Amended => "amended",
            Validity::Repealed => "repealed",
            Validity::Expired => "expired",
        }
    }
}

const FIELD_NAMES: &str = "title, date, unit, author, type, importance, classified, event_date, publish_at, expires, source, source_url, interprets, summary, tags, cover, doc_number, index_number, issuer, written_on, topic, validity";

/// A date as written: `2026-11-02` (a day) or with a time.
#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize, Deserialize)]
pub struct WrittenDate {
    pub at: DateTime<FixedOffset>,
    /// Written as a day only (display without a time).
    pub day_only: bool,
}

/// Validated front matter.
#[derive(Debug, Clone, serde::Serialize, Deserialize)]
pub struct FrontMatter {
    pub title: String,
    /// The publication time as written; absent, it is when the version's
    /// review completed (`PublishedArticle::date`).
    pub date: Option<WrittenDate>,
    /// The submitting unit (报送单位): required, it decides whose review the article needs.
    pub unit: String,
    pub author: Option<String>,
    pub kind: ArticleType,
    pub importance: Importance,
    pub classified: bool,
    pub event_date: Option<WrittenDate>,
    pub publish_at: Option<WrittenDate>,
    pub expires: Option<WrittenDate>,
    pub source: Option<String>,
    pub source_url: Option<String>,
    pub interprets: Option<String>,
    pub summary: Option<String>,
    pub tags: Vec<String>,
    pub cover: Option<String>,
    pub doc_number: Option<String>,
    pub index_number: Option<String>,
    /// 发文机关; the page shows the unit's name when absent.
    pub issuer: Option<String>,
    /// 成文日期
    pub written_on: Option<WrittenDate>,
    /// 主题分类
    pub topic: Option<String>,
    pub validity: Validity,
}

/// Read the fields strictly (SPEC §3): YAML without tags, anchors,
/// aliases, merge keys or duplicate keys, only known fields, `type` and
/// `importance` among their values, `unit` present. A failure here makes the
/// version *unreadable*: no workflow can be chosen for it, so it can never be
/// approved. `file` names the file in errors; `split` locates lines.
pub fn read(file: &str, split: &SplitSource<'_>) -> Result<Fields, Diagnostic> {
    let yaml = split.front_matter;
    let line_in_file = |line: usize| line + split.front_matter_line - 1;
    if yaml.trim().is_empty() {
        return Err(Diagnostic::in_file(file, "front matter is empty")
            .at_line(Some(split.front_matter_line))
            .with_help("add at least `title:` and `unit:`"));
    }
    let not_plain = |(line, problem): (usize, String)| {
        Diagnostic::in_file(file, format!("front matter: {problem}"))
            .at_line(Some(line_in_file(line)))
            .with_help("write plain values: no `!tag`, `&anchor`, `*alias`, `<<:` merge key or repeated field; quote a value that starts with one of ! & *")
    };
    // Tags, anchors and aliases all begin with one of these characters: a
    // front matter without them needs the event-level look only when the
    // typed reading fails (a repeated key, a merge key), for its line.
    if yaml.contains(['!', '&', '*']) {
        plain_yaml(yaml).map_err(not_plain)?;
    }
    let fields: Fields = match serde_yaml::from_str(yaml) {
        Ok(fields) => fields,
        Err(err) => {
            plain_yaml(yaml).map_err(not_plain)?;
            let line = err.location().map(|l| line_in_file(l.line()));
            return Err(Diagnostic::in_file(file, format!("front matter: {}", yaml_message(&err)))
                .at_line(line)
                .with_help(format!(
                    "fields are: {FIELD_NAMES}; `type` is one of article, video, special, policy, interpretation, reprint; `importance` one of normal, important, major"
                )));
        }
    };
    if fields.unit.as_deref().is_none_or(|u| u.trim().is_empty()) {
        return Err(Diagnostic::in_file(file, "front matter has no `unit`")
            .at_line(Some(split.front_matter_line))
            .with_help("add the submitting unit (报送单位), a unit id from approvals/policy.yaml, e.g. `unit: kepu`; `sanshen new` fills it in"));
    }
    Ok(fields)
}

/// Validate fields that were read: a failure makes the version *invalid*
/// (it can be approved, and is then held back). `tz` gives dates written
/// without an offset their zone.
pub fn validate(
    file: &str,
    split: &SplitSource<'_>,
    raw: Fields,
    tz: chrono_tz::Tz,
) -> Result<FrontMatter, Diagnostic> {
    let yaml = split.front_matter;
    let at_key = |key: &str| line_of_key(yaml, key).map(|l| l + split.front_matter_line - 1);
    let title = raw.title.filter(|t| !t.trim().is_empty()).ok_or_else(|| {
        Diagnostic::in_file(file, "front matter has no `title`")
            .at_line(Some(split.front_matter_line))
            .with_help("add a line such as `title: 关于开展科普月活动的通知`")
    })?;
    let date_field =
        |key: &str, value: Option<serde_yaml::Value>| -> Result<Option<WrittenDate>, Diagnostic> {
            value
                .map(|value| {
                    parse_date(&value, tz).map_err(|problem| {
                        Diagnostic::in_file(file, format!("`{key}`: {problem}"))
                            .at_line(at_key(key))
                            .with_help("write 2026-11-02 or 2026-11-02T09:00:00+08:00")
                    })
                })
                .transpose()
        };
    let date = date_field("date", raw.date)?;
    let event_date = date_field("event_date", raw.event_date)?;
    let publish_at = date_field("publish_at", raw.publish_at)?;
    let expires = date_field("expires", raw.expires)?;
    let written_on = date_field("written_on", raw.written_on)?;
    let validity = match raw.validity.as_deref() {
        None => Validity::default(),
        Some(value) => Validity::ALL
            .into_iter()
            .find(|v| v.as_str() == value)
            .ok_or_else(|| {
                Diagnostic::in_file(file, format!("`validity: {value}` is not a validity"))
                    .at_line(at_key("validity"))
                    .with_help("write one of: valid, amended, repealed, expired (lower case)")
            })?,
    };
    if let Some(url) = &raw.source_url
        && !(url.starts_with("https://") || url.starts_with("http://"))
    {
        return Err(Diagnostic::in_file(
            file,
            format!("`source_url` `{url}` is not a web address"),
        )
        .at_line(at_key("source_url"))
        .with_help("write the full address, starting with https://"));
    }
    Ok(FrontMatter {
        title,
        date,
        unit: raw.unit.unwrap_or_default(),
        author: raw.author,
        kind: raw.kind.unwrap_or_default(),
        importance: raw.importance.unwrap_or_default(),
        classified: raw.classified.unwrap_or(false),
        event_date,
        publish_at,
        expires,
        source: raw.source.filter(|s| !s.trim().is_empty()),
        source_url: raw.source_url,
        interprets: raw.interprets,
        summary: raw.summary,
        tags: raw.tags.unwrap_or_default(),
        cover: raw.cover,
        doc_number: raw.doc_number,
        index_number: raw.index_number,
        issuer: raw.issuer.filter(|s| !s.trim().is_empty()),
        written_on,
        topic: raw.topic.filter(|s| !s.trim().is_empty()),
        validity,
    })
}

/// [`read`] and [`validate`] in one: the front matter of a page.
pub fn parse(
    file: &str,
    split: &SplitSource<'_>,
    tz: chrono_tz::Tz,
) -> Result<FrontMatter, Diagnostic> {
    let fields = read(file, split)?;
    validate(file, split, fields, tz)
}

/// YAML as front matter allows it: one document of plain mappings,
/// sequences and scalars. Tags would let one reader see a value another does
/// not (`importance: !major`), anchors and aliases make one value stand for
/// another, merge keys and repeated keys hide which value is meant. The
/// error is the 1-based line within `yaml`.
fn plain_yaml(yaml: &str) -> Result<(), (usize, String)> {
    use yaml_rust2::parser::{Event, Parser};
    enum Frame {
        Mapping {
            keys: std::collections::BTreeSet<String>,
            expecting_key: bool,
        },
        Sequence,
    }
    let mut parser = Parser::new_from_str(yaml);
    let mut stack: Vec<Frame> = Vec::new();
    loop {
        let (event, marker) = parser
            .next_token()
            .map_err(|err| (err.marker().line(), err.info().to_string()))?;
        let line = marker.line();
        // Is this node a mapping key? Then the next node is its value.
        let is_key = match stack.last_mut() {
            Some(Frame::Mapping { expecting_key, .. }) => {
                let was = *expecting_key;
                if !matches!(event, Event::MappingEnd) {
                    *expecting_key = !was;
                }
                was
            }
            _ => false,
        };
        match event {
            Event::StreamEnd => return Ok(()),
            Event::Alias(_) => return Err((line, "an alias (`*name`) is not allowed".into())),
            Event::Scalar(value, style, anchor, tag) => {
                if tag.is_some() {
                    return Err((line, format!("a YAML tag on `{value}` is not allowed")));
                }
                if anchor != 0 {
                    return Err((
                        line,
                        format!("an anchor (`&name`) on `{value}` is not allowed"),
                    ));
                }
                if is_key {
                    if value == "<<" && style == yaml_rust2::scanner::TScalarStyle::Plain {
                        return Err((line, "a merge key (`<<:`) is not allowed".into()));
                    }
                    if let Some(Frame::Mapping { keys, .. }) = stack.last_mut()
                        && !keys.insert(value.clone())
                    {
                        return Err((line, format!("field `{value}` is written twice")));
                    }
                }
            }
            Event::SequenceStart(anchor, ref tag) | Event::MappingStart(anchor, ref tag) => {
                if tag.is_some() {
                    return Err((line, "a YAML tag is not allowed".into()));
                }
                if anchor != 0 {
                    return Err((line, "an anchor (`&name`) is not allowed".into()));
                }
                if is_key {
                    return Err((line, "a key must be a plain word".into()));
                }
                stack.push(if matches!(event, Event::SequenceStart(..)) {
                    Frame::Sequence
                } else {
                    Frame::Mapping {
                        keys: Default::default(),
                        expecting_key: true,
                    }
                });
            }
            Event::SequenceEnd | Event::MappingEnd => {
                stack.pop();
            }
            _ => {}
        }
    }
}

fn yaml_message(err: &serde_yaml::Error) -> String {
    // serde_yaml appends " at line N column M"; the diagnostic carries the line already.
    let message = err.to_string();
    match message.find(" at line ") {
        Some(at) => message[..at].to_string(),
        None => message,
    }
}

/// Parse a date value: `2026-11-02`, `2026-11-02T09:00:00+08:00`,
/// `2026-11-02T09:00:00` or `2026-11-02 09:00` (local time in `tz`).
pub fn parse_date(value: &serde_yaml::Value, tz: chrono_tz::Tz) -> Result<WrittenDate, String> {
    let text = match value {
        serde_yaml::Value::String(s) => s.trim().to_string(),
        other => {
            return Err(format!(
                "`{}` is not a date",
                serde_yaml::to_string(other).unwrap_or_default().trim()
            ));
        }
    };
    parse_date_text(&text, tz)
}

pub fn parse_date_text(text: &str, tz: chrono_tz::Tz) -> Result<WrittenDate, String> {
    if let Ok(at) = DateTime::parse_from_rfc3339(text) {
        return Ok(WrittenDate {
            at,
            day_only: false,
        });
    }
    let local = |naive: NaiveDateTime| -> Result<DateTime<FixedOffset>, String> {
        tz.from_local_datetime(&naive)
            .earliest()
            .map(|t| t.fixed_offset())
            .ok_or_else(|| format!("`{text}` does not exist in time zone {tz}"))
    };
    if let Ok(day) = NaiveDate::parse_from_str(text, "%Y-%m-%d") {
        let midnight = day.and_hms_opt(0, 0, 0).ok_or("invalid day")?;
        return Ok(WrittenDate {
            at: local(midnight)?,
            day_only: true,
        });
    }
    for format in [
        "%Y-%m-%dT%H:%M:%S",
        "%Y-%m-%d %H:%M:%S",
        "%Y-%m-%dT%H:%M",
        "%Y-%m-%d %H:%M",
    ] {
        if let Ok(naive) = NaiveDateTime::parse_from_str(text, format) {
            return Ok(WrittenDate {
                at: local(naive)?,
                day_only: false,
            });
        }
    }
    Err(format!("`{text}` is not a valid date"))
}

/// What the approval rules need from a version: what chooses its workflow
/// (`type`, `importance`, `unit`) and who wrote it (`author`), taken from the
/// one strict reading of its front matter ([`read`]); the title for messages.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub struct ReviewFacts {
    pub kind: ArticleType,
    pub importance: Importance,
    pub unit: String,
    pub author: Option<String>,
    pub title: Option<String>,
}

impl ReviewFacts {
    pub fn of(fields: &Fields) -> ReviewFacts {
        ReviewFacts {
            kind: fields.kind.unwrap_or_default(),
            importance: fields.importance.unwrap_or_default(),
            unit: fields.unit.clone().unwrap_or_default(),
            author: fields.author.clone(),
            title: fields.title.clone(),
        }
    }
}

/// The review facts of a Markdown file's bytes, or why it is unreadable
/// (not UTF-8, no front matter, not plain YAML, an unknown field or value,
/// no unit): such a version has no workflow and can never be approved.
pub fn review_facts(file: &str, bytes: &[u8]) -> Result<ReviewFacts, Diagnostic> {
    let text = super::encoding::decode_text(bytes)
        .map_err(|problem| Diagnostic::in_file(file, problem))?;
    let parts = split(&text).map_err(|problem| {
        Diagnostic::in_file(file, problem)
            .at_line(Some(1))
            .with_help("start the file with `---`, the fields (title:, unit: …), and `---`")
    })?;
    Ok(ReviewFacts::of(&read(file, &parts)?))
}

#[cfg(test)]
mod tests {
    use super::*;

    const TZ: chrono_tz::Tz = chrono_tz::Asia::Shanghai;

    fn parse_text(text: &str) -> Result<FrontMatter, Diagnostic> {
        let parts = split(text).map_err(Diagnostic::new)?;
        parse("content/news/a.md", &parts, TZ)
    }

    #[test]
    fn minimal_article() {
        let fm = parse_text("---\ntitle: 标题\ndate: 2026-11-02\nunit: kepu\n---\n正文\n").unwrap();
        assert_eq!(fm.title, "标题");
        let date = fm.date.unwrap();
        assert!(date.day_only);
        assert_eq!(date.at.to_rfc3339(), "2026-11-02T00:00:00+08:00");
        assert_eq!(fm.kind, ArticleType::Article);
    }

    #[test]
    fn body_line_is_counted() {
        let parts = split("---\ntitle: a\ndate: 2026-01-01\nunit: kepu\n---\nbody\n").unwrap();
        assert_eq!(parts.body_line, 6);
        assert_eq!(parts.body, "body\n");
    }

    #[test]
    fn unknown_field_names_its_line() {
        let err =
            parse_text("---\ntitle: a\ndate: 2026-01-01\nauthr: x\nunit: kepu\n---\n").unwrap_err();
        assert_eq!(err.line, Some(4));
        assert!(err.message.contains("authr"), "{}", err.message);
    }

    #[test]
    fn missing_title_and_bad_date() {
        assert!(
            parse_text("---\ndate: 2026-01-01\nunit: kepu\n---\n")
                .unwrap_err()
                .message
                .contains("title")
        );
        let err = parse_text("---\ntitle: a\ndate: 2026-13-01\nunit: kepu\n---\n").unwrap_err();
        assert_eq!(err.line, Some(3));
        // `date` is optional: without it, the page shows when review completed.
        let front = parse_text("---\ntitle: a\nunit: kepu\n---\n").unwrap();
        assert!(front.date.is_none());
    }

    #[test]
    fn offsets_and_local_times() {
        let fm =
            parse_text("---\ntitle: a\ndate: 2026-11-02T09:00:00Z\nunit: kepu\n---\n").unwrap();
        assert_eq!(
            fm.date.unwrap().at.to_rfc3339(),
            "2026-11-02T09:00:00+00:00"
        );
        let fm = parse_text("---\ntitle: a\ndate: 2026-11-02 09:30\nunit: kepu\n---\n").unwrap();
        assert_eq!(
            fm.date.unwrap().at.to_rfc3339(),
            "2026-11-02T09:30:00+08:00"
        );
    }

    #[test]
    fn policy_disclosure_fields() {
        let fm = parse_text(
            "---\ntitle: a\ndate: 2026-01-01\nissuer: 云州市科协\nwritten_on: 2025-12-28\ntopic: 科技\nvalidity: repealed\nunit: kepu\n---\n",
        )
        .unwrap();
        assert_eq!(fm.issuer.as_deref(), Some("云州市科协"));
        assert!(fm.written_on.is_some_and(|d| d.day_only));
        assert_eq!(fm.topic.as_deref(), Some("科技"));
        assert_eq!(fm.validity, Validity::Repealed);
        assert_eq!(
            parse_text("---\ntitle: a\ndate: 2026-01-01\nunit: kepu\n---\n")
                .unwrap()
                .validity,
            Validity::Valid
        );
        let err =
            parse_text("---\ntitle: a\ndate: 2026-01-01\nvalidity: Repealed\nunit: kepu\n---\n")
                .unwrap_err();
        assert_eq!(err.line, Some(4));
        assert!(err.message.contains("Repealed"), "{}", err.message);
        assert!(err.help.as_deref().is_some_and(|h| h.contains("repealed")));
    }

    #[test]
    fn unclosed_front_matter() {
        assert!(split("---\ntitle: a\n").is_err());
        assert!(split("title: a\n").is_err());
    }

    #[test]
    fn review_facts_come_from_the_strict_reading() {
        let facts = review_facts(
            "a.md",
            b"---\ntitle: a\nunit: kepu\nimportance: major\n---\n",
        )
        .unwrap();
        assert_eq!(facts.importance, Importance::Major);
        assert_eq!(facts.kind, ArticleType::Article);
        assert_eq!(facts.unit, "kepu");
        for unreadable in [
            &b"---\ntitle: a\nunit: kepu\nbogus: 1\n---\n"[..],
            b"---\n: : :\n  - [\n---\n",
            b"\xff\xfe",
            b"---\ntitle: a\n---\n",
            b"---\ntitle: a\nunit: kepu\nimportance: !major\n---\n",
            b"---\ntitle: a\nunit: kepu\nimportance: Major\n---\n",
            b"---\ntitle: a\nunit: kepu\nimportance: majr\n---\n",
            b"---\ntitle: a\nunit: !x kepu\n---\n",
            b"---\ntitle: &t a\nunit: kepu\nsummary: *t\n---\n",
            b"---\ntitle: a\nunit: kepu\nunit: xuehui\n---\n",
            b"---\ntitle: a\nunit: kepu\n<<: {author: x}\n---\n",
            b"---\ntitle: !!str a\nunit: kepu\n---\n",
            b"---\ntitle: a\nunit: kepu\ntags: !!seq [a]\n---\n",
            b"no front matter\n",
        ] {
            assert!(
                review_facts("a.md", unreadable).is_err(),
                "{}",
                String::from_utf8_lossy(unreadable)
            );
        }
    }

    #[test]
    fn quoted_indicators_are_plain_text() {
        let facts = review_facts(
            "a.md",
            "---\ntitle: \"!重要 &通知 *说明\"\nunit: kepu\nsummary: '<<'\ntags: ['&a', \"*b\"]\n---\n"
                .as_bytes(),
        )
        .unwrap();
        assert_eq!(facts.title.as_deref(), Some("!重要 &通知 *说明"));
    }

    #[test]
    fn unreadable_and_invalid_name_their_lines() {
        let err =
            parse_text("---\ntitle: a\nunit: kepu\ndate: 2026-01-01\nunit: x\n---\n").unwrap_err();
        assert_eq!(err.line, Some(5), "{err}");
        let err =
            parse_text("---\ntitle: a\nunit: kepu\ndate: 2026-01-01\nauthor: !x lihua\n---\n")
                .unwrap_err();
        assert_eq!(err.line, Some(5), "{err}");
    }
}
