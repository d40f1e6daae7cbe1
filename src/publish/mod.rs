//! The publication set: what is online at a revision (SPEC §5 "What is
//! published").
//!
//! The ledger says which versions completed their workflows; this module
//! picks, for every article present at the revision, the approved version on
//! the main line, reads it, and applies the exclusions that hold whatever the
//! approvals: classified, scheduled, expired, invalid or failing a blocking
//! check. It also picks the approved site.toml and theme.
//!
//! Decisions about each version are remembered between builds ([`memo`]);
//! bodies are not kept but read again when a page is rendered ([`bodies`]).

pub mod bodies;
pub mod held_back;
pub mod memo;

use chrono::{DateTime, FixedOffset};
use git2::Oid;
use rayon::prelude::*;
use serde::Serialize;

use crate::catalog::RuleId;
use crate::content::article::{ArticleContent, ArticleText, PublishedArticle};
use crate::content::encoding::decode_text;
use crate::content::frontmatter;
use crate::content::source::ContentSource;
use crate::content::{self, ArticlePath, ArticleRef, CONTENT_DIR, EntryKind};
use crate::error::{Diagnostic, Error, Result};
use crate::ledger::Ledger;
use crate::ledger::policy::{Policy, SITE_WORKFLOW};
use crate::repo::{Handles, Repo};
use crate::rules::ContentRules;
use crate::site::SiteConfig;
use crate::site::config::SITE_FILE;
use crate::site::theme as builtin_theme;
use crate::site::theme::Theme;
use bodies::RepositoryBodies;
pub use held_back::{HeldBack, Reason};
use memo::{Judgement, VersionMemo};

/// An article's state at the revision (SPEC §6 `status`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum State {
    /// The current version is online.
    Published,
    /// Nothing is online; the current version is in review.
    Pending,
    /// An older approved version is online while the current one is in review.
    Outdated,
    Withdrawn,
    /// The approved version fails a blocking check or is invalid.
    Blocked,
    /// Approved, but its `publish_at` is still ahead.
    Scheduled,
    /// Approved, but its `expires` has passed.
    Expired,
}

/// One article path at the revision and what happens to it.
#[derive(Debug, Clone)]
pub struct ArticleDecision {
    pub path: ArticlePath,
    pub current_oid: String,
    /// The approved version chosen on the main line, if any.
    pub approved_oid: Option<String>,
    pub state: State,
    /// Why the approved version is not online (blocked, scheduled, expired).
    pub reasons: Vec<Reason>,
}

/// Everything the renderer and the manifest need.
pub struct PublicationSet {
    /// The clock the set was decided at.
    pub now: DateTime<FixedOffset>,
    pub site: SiteConfig,
    pub site_oid: String,
    pub theme: Theme,
    /// The `themes/<name>` tree id, when the theme comes from the repository.
    pub theme_oid: Option<String>,
    pub policy: Policy,
    pub articles: Vec<PublishedArticle>,
    pub decisions: Vec<ArticleDecision>,
    /// Approved versions held back (SPEC §5): the rest is published, and
    /// `build` exits 1 naming these.
    pub held_back: Vec<HeldBack>,
    /// Problems that do not stop anything (drafts, stray files), for the report.
    pub warnings: Vec<Diagnostic>,
    /// Reads the published articles' bodies, which the set does not hold.
    pub bodies: RepositoryBodies,
}

/// The approved site.toml in use (SPEC §5): the valid one, and the
/// approved versions held back because they are invalid.
pub struct ApprovedSite {
    pub config: SiteConfig,
    pub oid: String,
    pub held_back: Vec<HeldBack>,
}

impl ApprovedSite {
    /// The site.toml in use at the ledger's head; an error (exit 2) when no
    /// approved version is valid.
    pub fn at_head(repo: &Repo, ledger: &Ledger) -> Result<ApprovedSite> {
        let (config, oid, held_back) = approved_site(repo, ledger, &ledger.verdict.policy)?;
        Ok(ApprovedSite {
            config,
            oid,
            held_back,
        })
    }
}

impl PublicationSet {
    /// Decide what is published at the ledger's head, as of `now`, on the
    /// approved `site`. `gate` holds the blocking rules an approved version
    /// must pass (SPEC §5): the caller chooses them, this module applies them.
    pub fn decide(
        repo: &Repo,
        ledger: &Ledger,
        site: ApprovedSite,
        now: DateTime<FixedOffset>,
        gate: &ContentRules,
    ) -> Result<PublicationSet> {
        let policy = (*ledger.verdict.policy).clone();
        let ApprovedSite {
            config: site,
            oid: site_oid,
            mut held_back,
        } = site;
        let (theme, theme_oid, theme_held_back) = approved_theme(repo, ledger, &policy, &site)?;
        held_back.extend(theme_held_back);

        let head_tree = repo.commit_tree(ledger.head)?;
        let entries = repo.list_tree(head_tree, CONTENT_DIR)?;
        let (found, mut warnings) =
            content::discover(&entries, |folder| site.columns.get(folder).is_some());

        // Which version of each article is online is the ledger's answer;
        // reading, validating and checking those versions is independent per
        // article and done in parallel (a repository handle per thread:
        // libgit2 handles are not shared between threads).
        let known: std::collections::HashSet<String> =
            found.iter().map(|a| a.path.path.clone()).collect();
        let mut jobs = Vec::with_capacity(found.len());
        for article in found {
            let approved_oid = ledger.published_version(&article.path.path);
            // Shown as the publication time when the front matter has no `date`.
            let completed_at = approved_oid
                .as_deref()
                .and_then(|oid| ledger.verdict.version(&article.path.path, oid))
                .and_then(|version| version.holding_completion())
                .and_then(|completion| DateTime::from_timestamp(completion.time, 0))
                .map(|time| time.with_timezone(&site.timezone).fixed_offset())
                .unwrap_or(now);
            let mut decision = ArticleDecision {
                path: article.path.clone(),
                current_oid: article.oid.clone(),
                approved_oid: approved_oid.clone(),
                state: State::Pending,
                reasons: Vec::new(),
            };
            match approved_oid {
                None => {
                    if ledger.verdict.withdrawn.contains_key(&article.path.path) {
                        decision.state = State::Withdrawn;
                    }
                    jobs.push((decision, None, completed_at));
                }
                Some(approved_oid) => {
                    let version = if approved_oid == article.oid {
                        article
                    } else {
                        version_ref(repo, &article.path, &approved_oid)?
                    };
                    jobs.push((decision, Some(version), completed_at));
                }
            }
        }
        let root = repo.root().to_path_buf();
        let memo = VersionMemo::open(
            repo,
            &[
                &site_oid,
                &policy.units.keys().cloned().collect::<Vec<_>>().join("\n"),
                &gate.list_sources,
            ],
        );
        let judge = Judge {
            site: &site,
            policy: &policy,
            rules: gate,
            memo: &memo,
            articles: &known,
        };
        let handles: Handles = Handles::new(&root);
        let decided: Vec<(ArticleDecision, Option<PublishedArticle>)> = jobs
            .into_par_iter()
            .map(|(decision, version, completed_at)| match version {
                None => Ok((decision, None)),
                Some(version) => handles.with(|thread_repo, ()| {
                    decide_version(thread_repo, &judge, now, completed_at, decision, version)
                }),
            })
            .collect::<Result<_>>()?;
        memo.save();
        let mut articles = Vec::new();
        let mut decisions = Vec::with_capacity(decided.len());
        let say = crate::i18n::Say::new(site.language);
        for (decision, article) in decided {
            if decision.state == State::Blocked
                && let Some(approved_oid) = &decision.approved_oid
            {
                held_back.extend(held_back::article(
                    ledger,
                    &say,
                    &decision.path,
                    approved_oid,
                    &decision.current_oid,
                    &decision.reasons,
                ));
            }
            articles.extend(article);
            decisions.push(decision);
        }
        warnings.retain(|w| !w.message.is_empty());
        Ok(PublicationSet {
            now,
            site,
            site_oid,
            theme,
            theme_oid,
            policy,
            articles,
            decisions,
            held_back,
            warnings,
            bodies: RepositoryBodies::new(&root),
        })
    }
}

/// What judging a version depends on besides the version itself.
struct Judge<'a> {
    site: &'a SiteConfig,
    policy: &'a Policy,
    rules: &'a crate::rules::ContentRules,
    memo: &'a VersionMemo,
    /// Every article path at the revision: what `interprets` may name.
    articles: &'a std::collections::HashSet<String>,
}

/// Decide whether one approved version goes online: invalid or failing a
/// blocking check (blocked), classified, scheduled or expired. The judgement
/// of the version is remembered; the clock is consulted afresh.
fn decide_version(
    repo: &Repo,
    judge: &Judge<'_>,
    now: DateTime<FixedOffset>,
    completed_at: DateTime<FixedOffset>,
    mut decision: ArticleDecision,
    version: ArticleRef,
) -> Result<(ArticleDecision, Option<PublishedArticle>)> {
    let key = judge.memo.key(
        &version,
        judge.rules.completions.versions(&version.path.path),
    );
    let judgement = match judge.memo.recall(&key) {
        Some(judgement) => judgement,
        None => {
            let judgement = judge_version(
                repo,
                judge.site,
                judge.policy,
                judge.rules,
                &version,
                completed_at,
            )?;
            judge.memo.remember(key, &judgement);
            judgement
        }
    };
    let (front, body_line, blocking) = match judgement {
        Judgement::Invalid(reason) => {
            decision.state = State::Blocked;
            decision.reasons.push(reason);
            return Ok((decision, None));
        }
        Judgement::Valid {
            front,
            body_line,
            blocking,
        } => (front, body_line, blocking),
    };
    let article = PublishedArticle {
        path: version.path.clone(),
        oid: version.oid.clone(),
        date: shown_date(&front, completed_at),
        front,
        body_line,
        content: ArticleContent::Stored(version),
    };
    let say = crate::i18n::Say::new(judge.site.language);
    decision.state = match held_or_waiting(&article, blocking, judge.articles, now, &say) {
        Some((state, reasons)) => {
            decision.reasons.extend(reasons);
            state
        }
        None if decision.approved_oid.as_deref() == Some(decision.current_oid.as_str()) => {
            State::Published
        }
        None => State::Outdated,
    };
    let online = matches!(decision.state, State::Published | State::Outdated);
    Ok((decision, online.then_some(article)))
}

/// Why `version` would be held back if its review completed now: the same
/// reading, validation and blocking rules `build` applies, so `approve` can
/// refuse, before committing, what would never go online (SPEC §6).
pub fn held_back_if_approved(
    repo: &Repo,
    policy: &Policy,
    site: &SiteConfig,
    gate: &ContentRules,
    version: &ArticleRef,
    articles: &std::collections::HashSet<String>,
    now: DateTime<FixedOffset>,
) -> Result<Vec<Reason>> {
    let (front, body_line, blocking) = match judge_version(repo, site, policy, gate, version, now)?
    {
        Judgement::Invalid(reason) => return Ok(vec![reason]),
        Judgement::Valid {
            front,
            body_line,
            blocking,
        } => (front, body_line, blocking),
    };
    let article = PublishedArticle {
        path: version.path.clone(),
        oid: version.oid.clone(),
        date: shown_date(&front, now),
        front,
        body_line,
        content: ArticleContent::Stored(version.clone()),
    };
    let say = crate::i18n::Say::new(site.language);
    Ok(
        match held_or_waiting(&article, blocking, articles, now, &say) {
            Some((State::Blocked, reasons)) => reasons,
            _ => Vec::new(),
        },
    )
}

/// Why a valid approved version is not online now: held back (invalid
/// `interprets`, classified, a blocking rule's `blocking` findings) or
/// waiting (scheduled, expired); `None` when it goes online.
fn held_or_waiting(
    article: &PublishedArticle,
    blocking: Vec<Reason>,
    articles: &std::collections::HashSet<String>,
    now: DateTime<FixedOffset>,
    say: &crate::i18n::Say,
) -> Option<(State, Vec<Reason>)> {
    if let Some(problem) = interprets_nothing(article, articles) {
        return Some((
            State::Blocked,
            vec![Reason::rule(RuleId::FrontMatter, problem)],
        ));
    }
    exclusion(article, now, say)
        .map(|(state, reason)| (state, vec![reason]))
        .or_else(|| (!blocking.is_empty()).then_some((State::Blocked, blocking)))
}

/// What is wrong with a site.toml version, if anything: it must parse and
/// name only units of `policy` (an invalid one is held back, SPEC §5).
pub fn site_version_problems(repo: &Repo, policy: &Policy, oid: &str) -> Result<Vec<Diagnostic>> {
    Ok(match parse_site_version(repo, policy, oid)? {
        Ok(_) => Vec::new(),
        Err(err) => err.diagnostics,
    })
}

/// A site.toml version read and checked against the policy's units. The
/// outer error is the repository's (exit 2); the inner one the version's.
fn parse_site_version(
    repo: &Repo,
    policy: &Policy,
    oid: &str,
) -> Result<std::result::Result<SiteConfig, Error>> {
    let bytes = repo.blob_hex(oid)?;
    Ok(decode_text(&bytes)
        .map_err(|problem| Error::config(Diagnostic::in_file(SITE_FILE, problem)))
        .and_then(|text| SiteConfig::parse(SITE_FILE, &text))
        .and_then(|site| match site.unknown_units(&policy.units).first() {
            None => Ok(site),
            Some((column, unit)) => Err(Error::config(
                Diagnostic::in_file(
                    SITE_FILE,
                    format!("column `{column}` names unit `{unit}`, which approvals/policy.yaml does not have"),
                )
                .with_help("use the unit ids of approvals/policy.yaml in [[columns]] units"),
            )),
        }))
}

/// What is wrong with a theme version (`themes/<name>` tree), if anything:
/// plain files only, templates that compile.
pub fn theme_version_problems(repo: &Repo, name: &str, oid: &str) -> Result<Vec<Diagnostic>> {
    Ok(match theme_version(repo, name, oid)? {
        Ok(_) => Vec::new(),
        Err(err) => err.diagnostics,
    })
}

/// Read and validate a version and run the blocking rules over it.
fn judge_version(
    repo: &Repo,
    site: &SiteConfig,
    policy: &Policy,
    gate: &ContentRules,
    version: &ArticleRef,
    completed_at: DateTime<FixedOffset>,
) -> Result<Judgement> {
    let (read, text) = read_article_text(repo, site, policy, version, completed_at)?;
    Ok(match read {
        Err(problem) => Judgement::Invalid(Reason::rule(RuleId::FrontMatter, problem)),
        Ok(article) => {
            let blocking = match &article.content {
                ArticleContent::Loaded(content) => gate
                    .blocking(text.as_deref(), &article, content)
                    .iter()
                    .map(|finding| Reason::rule(finding.rule, finding.to_diagnostic()))
                    .collect(),
                ArticleContent::Stored(_) => Vec::new(),
            };
            Judgement::Valid {
                front: article.front,
                body_line: article.body_line,
                blocking,
            }
        }
    })
}

impl PublicationSet {
    /// "12 published, 3 pending …" for the build summary, in the site's language.
    pub fn state_counts(&self) -> String {
        let mut counts: std::collections::BTreeMap<&str, usize> = Default::default();
        for decision in &self.decisions {
            *counts
                .entry(decision.state.label(self.site.language))
                .or_default() += 1;
        }
        let separator = match self.site.language {
            crate::i18n::Language::Chinese => "，",
            crate::i18n::Language::English => ", ",
        };
        counts
            .iter()
            .map(|(state, n)| match self.site.language {
                crate::i18n::Language::Chinese => format!("{state} {n} 篇"),
                crate::i18n::Language::English => format!("{n} {state}"),
            })
            .collect::<Vec<_>>()
            .join(separator)
    }
}

impl State {
    /// The state as people read it.
    pub fn label(self, language: crate::i18n::Language) -> &'static str {
        match language {
            crate::i18n::Language::English => self.as_str(),
            crate::i18n::Language::Chinese => match self {
                State::Published => "已发布",
                State::Pending => "待审核",
                State::Outdated => "旧版在线·新版待审",
                State::Withdrawn => "已撤稿",
                State::Blocked => "暂缓发布",
                State::Scheduled => "定时发布",
                State::Expired => "已过期",
            },
        }
    }

    pub fn as_str(self) -> &'static str {
        match self {
            State::Published => "published",
            State::Pending => "pending",
            State::Outdated => "outdated",
            State::Withdrawn => "withdrawn",
            State::Blocked => "blocked",
            State::Scheduled => "scheduled",
            State::Expired => "expired",
        }
    }
}

/// Review states from the ledger alone, for `status` when the site itself
/// cannot be decided (no approved site.toml yet, an invalid one): writers and
/// reviewers still need to see where each article stands.
pub fn review_states(
    repo: &Repo,
    ledger: &Ledger,
    why: &Diagnostic,
) -> Result<Vec<ArticleDecision>> {
    let head_tree = repo.commit_tree(ledger.head)?;
    // No site: every folder holding an index.md is taken for a bundle.
    let (found, _) = content::discover(&repo.list_tree(head_tree, CONTENT_DIR)?, |_| false);
    Ok(found
        .into_iter()
        .map(|article| {
            let approved_oid = ledger.published_version(&article.path.path);
            let state = match &approved_oid {
                Some(oid) if *oid == article.oid => State::Published,
                Some(_) => State::Outdated,
                None if ledger.verdict.withdrawn.contains_key(&article.path.path) => {
                    State::Withdrawn
                }
                None => State::Pending,
            };
            ArticleDecision {
                path: article.path,
                current_oid: article.oid,
                approved_oid,
                state,
                reasons: vec![Reason::schedule(why.clone())],
            }
        })
        .collect())
}

/// An interpretation whose `interprets` names no article of the revision
/// is invalid (SPEC §3): its page would link to nothing.
fn interprets_nothing(
    article: &PublishedArticle,
    articles: &std::collections::HashSet<String>,
) -> Option<Diagnostic> {
    let reference = article.front.interprets.as_deref()?;
    let target = content::referenced_article(reference);
    if articles.contains(&target) {
        return None;
    }
    Some(
        Diagnostic::in_file(
            article.path.markdown_path(),
            format!("`interprets: {reference}` names no article ({target} does not exist)"),
        )
        .with_help(
            "name the policy article this interprets, e.g. `interprets: content/xxgk/policy/a.md`",
        ),
    )
}

/// Every article path in a tree listing of `content/`, as discovery finds them.
pub fn article_paths(
    entries: &[content::TreeEntry],
    site: &SiteConfig,
) -> std::collections::HashSet<String> {
    content::discover(entries, |folder| site.columns.get(folder).is_some())
        .0
        .into_iter()
        .map(|a| a.path.path)
        .collect()
}

/// Exclusions that hold whatever the approvals.
pub(crate) fn exclusion(
    article: &PublishedArticle,
    now: DateTime<FixedOffset>,
    say: &crate::i18n::Say,
) -> Option<(State, Reason)> {
    let file = article.path.markdown_path();
    let front = &article.front;
    let shown = |at: DateTime<FixedOffset>| at.format("%Y-%m-%d %H:%M").to_string();
    if front.classified {
        return Some((
            State::Blocked,
            Reason::rule(
                RuleId::Classified,
                Diagnostic::in_file(
                    &file,
                    say.pick(
                        "标记为涉密（classified: true）：涉密信息不得上网",
                        "is marked `classified: true` (涉密): classified content never goes online",
                    ),
                )
                .with_help(say.pick(
                    "从网站内容中移除；若标记有误，改为 false 后重新送审",
                    "remove it from the site; if the mark is wrong, correct it and have the new version approved",
                )),
            ),
        ));
    }
    if let Some(at) = front.publish_at
        && at.at > now
    {
        return Some((
            State::Scheduled,
            Reason::schedule(Diagnostic::in_file(
                &file,
                say.pick(
                    format!("定时发布：{} 起上网（publish_at）", shown(at.at)),
                    format!("is scheduled for {} (publish_at)", shown(at.at)),
                ),
            )),
        ));
    }
    if let Some(at) = front.expires
        && at.at <= now
    {
        return Some((
            State::Expired,
            Reason::schedule(Diagnostic::in_file(
                &file,
                say.pick(
                    format!("已于 {} 到期下线（expires）", shown(at.at)),
                    format!("expired at {} (expires)", shown(at.at)),
                ),
            )),
        ));
    }
    None
}

/// Read one article version and validate it against the site and policy.
pub fn load_article(
    repo: &Repo,
    site: &SiteConfig,
    policy: &Policy,
    version: &ArticleRef,
    completed_at: DateTime<FixedOffset>,
) -> Result<PublishedArticle, Diagnostic> {
    read_article(repo, site, policy, version, completed_at).unwrap_or_else(|err| {
        Err(err
            .diagnostics
            .into_iter()
            .next()
            .unwrap_or_else(|| Diagnostic::in_file(version.path.markdown_path(), "cannot be read")))
    })
}

/// Read and validate one article version, from committed objects (a
/// [`Repo`]) or, for previews, the working tree. The outer error is the
/// source's (a missing or corrupted object: exit 2, never a content
/// verdict); the inner one is the version's own problem. `completed_at` is
/// when its review completed (for a version in review: now), the time shown
/// when it has no `date`.
pub fn read_article(
    source: &impl ContentSource,
    site: &SiteConfig,
    policy: &Policy,
    version: &ArticleRef,
    completed_at: DateTime<FixedOffset>,
) -> Result<Result<PublishedArticle, Diagnostic>> {
    read_article_text(source, site, policy, version, completed_at).map(|(article, _)| article)
}

/// The publication time a page shows (SPEC §3 `date`): as written, or when
/// the version's review completed.
pub fn shown_date(
    front: &frontmatter::FrontMatter,
    completed_at: DateTime<FixedOffset>,
) -> content::WrittenDate {
    front.date.unwrap_or(content::WrittenDate {
        at: completed_at,
        day_only: false,
    })
}

/// [`read_article`], also giving the Markdown file's decoded text (for the
/// content rules, which locate findings in the whole file).
fn read_article_text(
    source: &impl ContentSource,
    site: &SiteConfig,
    policy: &Policy,
    version: &ArticleRef,
    completed_at: DateTime<FixedOffset>,
) -> Result<(Result<PublishedArticle, Diagnostic>, Option<String>)> {
    let mut bytes = std::collections::HashMap::new();
    for oid in std::iter::once(&version.markdown_oid)
        .filter(|oid| !oid.is_empty())
        .chain(version.assets.iter().map(|(_, oid)| oid))
    {
        bytes.insert(oid.clone(), source.read(oid)?);
    }
    let file = version.path.markdown_path();
    if version.markdown_oid.is_empty() {
        let missing = Diagnostic::in_file(&file, "is missing from its bundle folder")
            .with_help("a bundle folder needs an index.md");
        return Ok((Err(missing), None));
    }
    let markdown = bytes
        .get(&version.markdown_oid)
        .map(Vec::as_slice)
        .unwrap_or_default();
    let text = match decode_text(markdown) {
        Ok(text) => text,
        Err(problem) => return Ok((Err(Diagnostic::in_file(&file, problem)), None)),
    };
    let article = validate_article(site, policy, version, &text, &bytes, completed_at);
    Ok((article, Some(text)))
}

fn validate_article(
    site: &SiteConfig,
    policy: &Policy,
    version: &ArticleRef,
    text: &str,
    bytes: &std::collections::HashMap<String, Vec<u8>>,
    completed_at: DateTime<FixedOffset>,
) -> Result<PublishedArticle, Diagnostic> {
    let file = version.path.markdown_path();
    let read = |oid: &str| -> Result<Vec<u8>, Diagnostic> {
        bytes
            .get(oid)
            .cloned()
            .ok_or_else(|| Diagnostic::in_file(&file, "cannot be read"))
    };
    let parts = frontmatter::split(text).map_err(|problem| {
        Diagnostic::in_file(&file, problem)
            .at_line(Some(1))
            .with_help("start the file with `---`, the fields (title:, date: …), and `---`")
    })?;
    let front = frontmatter::parse(&file, &parts, site.timezone)?;
    let column = version.path.column();
    if site.columns.get(column).is_none() {
        return Err(Diagnostic::in_file(
            &file,
            format!("is in folder `{column}`, which is not a column in site.toml"),
        )
        .with_help(format!(
            "add a [[columns]] table with path = \"{column}\" to site.toml, or move the article"
        )));
    };
    let unit = &front.unit;
    let unit_line = crate::error::line_of_key(parts.front_matter, "unit").map(|l| l + 1);
    if !policy.units.contains_key(unit) {
        return Err(Diagnostic::in_file(
            &file,
            format!("`unit: {unit}` is not a unit of approvals/policy.yaml"),
        )
        .at_line(unit_line)
        .with_help(format!(
            "use one of: {}",
            policy.units.keys().cloned().collect::<Vec<_>>().join(", ")
        )));
    }
    let mut assets = Vec::with_capacity(version.assets.len());
    for (name, oid) in &version.assets {
        assets.push((name.clone(), read(oid)?));
    }
    Ok(PublishedArticle {
        path: version.path.clone(),
        oid: version.oid.clone(),
        date: shown_date(&front, completed_at),
        front: front.into(),
        body_line: parts.body_line,
        content: ArticleContent::Loaded(ArticleText {
            body: parts.body.to_string(),
            assets,
        }),
    })
}

/// The article version `oid` at `path`, read from its object.
pub fn version_ref(repo: &Repo, path: &ArticlePath, oid: &str) -> Result<ArticleRef> {
    if !path.bundle {
        return Ok(ArticleRef {
            path: path.clone(),
            oid: oid.to_string(),
            markdown_oid: oid.to_string(),
            assets: Vec::new(),
        });
    }
    let tree = crate::repo::parse_oid(oid)?;
    let mut reference = ArticleRef {
        path: path.clone(),
        oid: oid.to_string(),
        markdown_oid: String::new(),
        assets: Vec::new(),
    };
    for entry in repo.list_tree(tree, "")? {
        match entry.kind {
            EntryKind::Blob if entry.path == content::BUNDLE_INDEX => {
                reference.markdown_oid = entry.oid
            }
            EntryKind::Blob => reference.assets.push((entry.path, entry.oid)),
            _ => {}
        }
    }
    Ok(reference)
}

/// How to approve a path, for messages: the plain-git command.
fn approve_hint(policy: &Policy, path: &str, oid: Option<&str>) -> String {
    let stage = policy
        .workflows
        .get(SITE_WORKFLOW)
        .and_then(|w| w.stages.first())
        .map(|s| s.id.as_str())
        .unwrap_or("site");
    let oid = oid
        .map(str::to_string)
        .unwrap_or_else(|| format!("$(git rev-parse HEAD:{path})"));
    format!(
        "a person holding the `site` workflow's role signs an approval: `sanshen approve --stage {stage} {path}`, or with plain git: git commit --allow-empty -S -m \"技术审核\" -m \"Approve: {stage} {path} {oid}\""
    )
}

/// The approved versions of a site setting (site.toml, a theme) that are
/// complete at the revision, in completion order: the last valid one is in
/// use (an invalid one supersedes nothing), the invalid ones are held back.
struct SettingVersions<T> {
    in_use: Option<(T, String)>,
    invalid: Vec<(String, Diagnostic)>,
}

/// Read every complete version of `path` with `read`, whose outer error is
/// the repository's (exit 2) and inner one the version's problems.
fn approved_setting<T>(
    ledger: &Ledger,
    path: &str,
    read: impl Fn(&str) -> Result<std::result::Result<T, Error>>,
) -> Result<SettingVersions<T>> {
    let mut complete: Vec<&crate::ledger::verdict::VersionState> =
        ledger.verdict.complete_versions(path).collect();
    complete.sort_by_key(|v| v.holding_completion().map(|c| c.at));
    let mut versions = SettingVersions {
        in_use: None,
        invalid: Vec::new(),
    };
    for version in complete {
        match read(&version.oid)? {
            Ok(setting) => versions.in_use = Some((setting, version.oid.clone())),
            Err(err) => versions.invalid.extend(
                err.diagnostics
                    .into_iter()
                    .map(|d| (version.oid.clone(), d)),
            ),
        }
    }
    Ok(versions)
}

impl<T> SettingVersions<T> {
    /// The setting in use and what is held back; without a valid version,
    /// the invalid ones' problems (exit 2), each saying which version, or
    /// `None` when nothing was ever approved.
    fn in_use(
        self,
        path: &str,
        say: impl Fn(&T) -> crate::i18n::Say,
    ) -> Result<Option<(T, String, Vec<HeldBack>)>> {
        if let Some((setting, oid)) = self.in_use {
            let say = say(&setting);
            let held_back = self
                .invalid
                .into_iter()
                .map(|(held, problem)| {
                    held_back::site_version(&say, path, &held, Some(&oid), problem)
                })
                .collect();
            return Ok(Some((setting, oid, held_back)));
        }
        if self.invalid.is_empty() {
            return Ok(None);
        }
        Err(Error::many(
            crate::error::ErrorKind::Config,
            self.invalid
                .into_iter()
                .map(|(oid, mut d)| {
                    // The working copy may differ: say which version the line refers to.
                    d.message = format!(
                        "{} (in the approved version {}; no approved version of {path} is valid)",
                        d.message,
                        held_back::short(&oid)
                    );
                    d
                })
                .collect(),
        ))
    }
}

/// A setting that was never approved: what is there, and how to approve it.
fn never_approved(
    repo: &Repo,
    ledger: &Ledger,
    policy: &Policy,
    path: &str,
    absent: String,
    unapproved: String,
) -> Result<Error> {
    let head_tree = repo.commit_tree(ledger.head)?;
    let current = repo
        .entry_at(head_tree, path)?
        .map(|(oid, _)| oid.to_string());
    let message = if current.is_none() {
        absent
    } else {
        unapproved
    };
    Ok(Error::config(
        Diagnostic::in_file(path, message).with_help(approve_hint(
            policy,
            path,
            current.as_deref(),
        )),
    ))
}

/// The site.toml in use: the approved version that is valid, and the
/// approved versions held back because they are invalid.
fn approved_site(
    repo: &Repo,
    ledger: &Ledger,
    policy: &Policy,
) -> Result<(SiteConfig, String, Vec<HeldBack>)> {
    let versions = approved_setting(ledger, SITE_FILE, |oid| {
        parse_site_version(repo, policy, oid)
    })?;
    match versions.in_use(SITE_FILE, |site| crate::i18n::Say::new(site.language))? {
        Some(in_use) => Ok(in_use),
        None => Err(never_approved(
            repo,
            ledger,
            policy,
            SITE_FILE,
            "there is no site.toml at this revision".to_string(),
            "site.toml has never been approved through the `site` workflow, so nothing can be published".to_string(),
        )?),
    }
}

/// The theme in use: the built-in one, or the approved version of
/// `themes/<name>` that is valid (its templates compile); approved versions
/// that are not are held back, the previous valid one staying in use.
fn approved_theme(
    repo: &Repo,
    ledger: &Ledger,
    policy: &Policy,
    site: &SiteConfig,
) -> Result<(Theme, Option<String>, Vec<HeldBack>)> {
    let Some(name) = &site.theme else {
        return Ok((builtin_theme::default_theme(), None, Vec::new()));
    };
    let path = format!("themes/{name}");
    let versions = approved_setting(ledger, &path, |oid| theme_version(repo, name, oid))?;
    match versions.in_use(&path, |_| crate::i18n::Say::new(site.language))? {
        Some((theme, oid, held_back)) => Ok((theme, Some(oid), held_back)),
        None => Err(never_approved(
            repo,
            ledger,
            policy,
            &path,
            format!("site.toml uses theme `{name}`, but there is no folder {path}/"),
            format!("theme {path} has never been approved through the `site` workflow"),
        )?),
    }
}

/// A theme version read and its templates compiled. The outer error is the
/// repository's (exit 2); the inner one the version's problems.
fn theme_version(repo: &Repo, name: &str, oid: &str) -> Result<std::result::Result<Theme, Error>> {
    let tree: Oid = crate::repo::parse_oid(oid)?;
    match builtin_theme::compiled_theme(name, &repo.list_tree(tree, "")?, repo) {
        Err(err) if err.kind != crate::error::ErrorKind::Config => Err(err),
        read => Ok(read),
    }
}
