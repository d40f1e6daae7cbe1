//! `sanshen serve`: a live preview of the working tree for writers.
//!
//! The preview shows the files as they are on disk — uncommitted drafts, the
//! site.toml and theme being edited — rendered by the same reader and
//! renderer as the published site, with every page marked as an unapproved
//! preview (SPEC §5: "the working tree is used by `serve` previews alone").
//! Nothing here touches the publication set or the output folder: each
//! rebuild renders into a new folder of the session's own temporary folder.
//!
//! - this module: one render of the working tree ([`render_working_tree`]),
//!   with the notes each article's page gets (scheduled, expired, classified,
//!   its review state);
//! - [`review`]: what the ledger says about the committed version of each
//!   article, for those notes;
//! - [`session`]: the sequence of rebuilds, keeping the last good one;
//! - [`server`]: the pages over HTTP on 127.0.0.1, with the reload script
//!   and the preview notes added to every page, and an error page while the
//!   working tree does not build;
//! - [`watch`]: rebuilding when a file changes.
//!
//! Unlike `build`, a preview shows what would never be published — an
//! article before its `publish_at`, after its `expires`, or marked
//! `classified` — with a note saying so: the writer needs to see the draft.
//! That is safe only because the server answers on 127.0.0.1 alone.

pub mod review;
pub mod server;
pub mod session;
pub mod watch;

use std::collections::{BTreeMap, BTreeSet};
use std::path::{Path, PathBuf};

use chrono::{DateTime, FixedOffset, Utc};

use crate::content::article::PublishedArticle;
use crate::content::encoding::decode_text;
use crate::content::source::WorkingTree;
use crate::content::{self, CONTENT_DIR, WrittenDate};
use crate::error::{Diagnostic, Error, Result};
use crate::ledger::policy::{POLICY_FILE, Policy};
use crate::publish::{self, State};
use crate::render::input::RenderInput;
use crate::render::pages::{base_path_of, display_date, site_url};
use crate::repo::Repo;
use crate::site::config::SITE_FILE;
use crate::site::theme as builtin_theme;
use crate::site::{Language, SiteConfig};
use review::Reviews;

/// One successful render of the working tree.
#[derive(Debug)]
pub struct PreviewSite {
    /// The folder served as `/`; the site itself is in its base path below it.
    pub folder: PathBuf,
    /// `/` or `/kx/`: where the site's pages are, as in `base_url`.
    pub base_path: String,
    pub language: Language,
    /// Notes for each article's page, by the page's URL path (`/kx/news/a/`).
    pub notes: BTreeMap<String, Vec<String>>,
    /// Articles that cannot be shown, by the URL path they would have.
    pub broken: BTreeMap<String, Diagnostic>,
    /// What is wrong in the working tree without stopping the preview:
    /// broken articles, stray files, render warnings.
    pub problems: Vec<Diagnostic>,
    /// Articles rendered.
    pub articles: usize,
}

/// Render the working tree at `root` into `folder` (new or empty), as of
/// the real clock. `repo` supplies the ignore rules and, with `reviews`,
/// the review state of each article; both are optional, so a folder that is
/// not (yet) a repository previews too. An error means the site as a whole
/// does not build (site.toml, the policy, the theme): the caller keeps the
/// previous preview.
pub fn render_working_tree(
    root: &Path,
    repo: Option<&Repo>,
    reviews: &Reviews,
    folder: &Path,
) -> Result<PreviewSite> {
    let tree = WorkingTree::new(root, repo);
    let site = read_site(&tree)?;
    let now = Utc::now().with_timezone(&site.timezone).fixed_offset();
    let policy = read_policy(&tree)?;
    let theme = match &site.theme {
        None => builtin_theme::default_theme(),
        Some(name) => read_theme(&tree, name)?,
    };
    let chinese = site.language == Language::Chinese;
    let base_path = base_path_of(&site.base_url);
    let (found, mut problems) = content::discover(&tree.list(CONTENT_DIR)?, |folder| {
        site.columns.get(folder).is_some()
    });
    // Which articles differ from HEAD: a note on the page, nothing more, so
    // a repository git cannot compare is said, not fatal.
    let uncommitted = match repo.map(|repo| repo.uncommitted_files(CONTENT_DIR)) {
        Some(Ok(files)) => files,
        Some(Err(err)) => {
            problems.extend(err.diagnostics);
            BTreeSet::new()
        }
        None => BTreeSet::new(),
    };
    let mut articles = Vec::new();
    let mut notes = BTreeMap::new();
    let mut broken = BTreeMap::new();
    for version in &found {
        let url = site_url(&base_path, &version.path.url());
        match publish::read_article(&tree, &site, &policy, version, now)? {
            Ok(article) => {
                let mut page_notes = exclusion_notes(&article, now, site.timezone, chinese);
                page_notes.extend(reviews.notes(&version.path, &uncommitted, chinese));
                if !page_notes.is_empty() {
                    notes.insert(url, page_notes);
                }
                articles.push(article);
            }
            Err(problem) => {
                problems.push(problem.clone());
                broken.insert(url, problem);
            }
        }
    }

    let site_folder = base_path
        .split('/')
        .filter(|segment| !segment.is_empty())
        .fold(folder.to_path_buf(), |path, segment| path.join(segment));
    std::fs::create_dir_all(&site_folder)
        .map_err(|err| Error::io(&site_folder, &err, "create the preview folder"))?;
    let unit_names = policy.unit_names();
    let person_names = policy.person_names();
    let report = crate::render::render_site(
        &RenderInput {
            site: &site,
            theme: &theme,
            articles: &articles,
            unit_names: &unit_names,
            person_names: &person_names,
            preview: true,
            loader: None,
            now,
        },
        &site_folder,
        // Never reuse pages here: working-tree articles have no object ids
        // for a fingerprint to name.
        None,
    )?;
    problems.extend(report.problems);
    problems.retain(|problem| !problem.message.is_empty());
    Ok(PreviewSite {
        folder: folder.to_path_buf(),
        base_path,
        language: site.language,
        notes,
        broken,
        problems,
        articles: articles.len(),
    })
}

/// Whether `root` looks like a site folder at all: `serve` started in the
/// wrong folder should say so rather than serve an error page.
pub fn looks_like_a_site(root: &Path) -> bool {
    root.join(SITE_FILE).exists() || root.join(CONTENT_DIR).is_dir()
}

fn read_site(tree: &WorkingTree<'_>) -> Result<SiteConfig> {
    let bytes = tree.read_file(SITE_FILE)?.ok_or_else(|| {
        Error::config(
            Diagnostic::in_file(SITE_FILE, "is missing from the working tree")
                .with_help("create site.toml with at least `title` and `base_url` (SPEC §2)"),
        )
    })?;
    let text = decode_text(&bytes)
        .map_err(|problem| Error::config(Diagnostic::in_file(SITE_FILE, problem)))?;
    SiteConfig::parse(SITE_FILE, &text)
}

fn read_policy(tree: &WorkingTree<'_>) -> Result<Policy> {
    let bytes = tree.read_file(POLICY_FILE)?.ok_or_else(|| {
        Error::config(
            Diagnostic::in_file(POLICY_FILE, "is missing from the working tree")
                .with_help("the preview reads the units and people of articles from it; restore it with `git checkout -- approvals`"),
        )
    })?;
    let text = decode_text(&bytes)
        .map_err(|problem| Error::config(Diagnostic::in_file(POLICY_FILE, problem)))?;
    Policy::parse(POLICY_FILE, &text).map_err(Error::config)
}

fn read_theme(tree: &WorkingTree<'_>, name: &str) -> Result<crate::site::theme::Theme> {
    let folder = format!("themes/{name}");
    let entries = tree.list(&folder)?;
    if entries.is_empty() {
        return Err(Error::config(
            Diagnostic::in_file(
                SITE_FILE,
                format!(
                    "uses theme `{name}`, but there is no folder {folder}/ in the working tree"
                ),
            )
            .with_help("remove `theme` to use the built-in theme, or create the folder"),
        ));
    }
    let prefix = format!("{folder}/");
    let relative: Vec<content::TreeEntry> = entries
        .into_iter()
        .map(|entry| content::TreeEntry {
            path: entry.path[prefix.len()..].to_string(),
            ..entry
        })
        .collect();
    crate::site::theme::read_theme(name, &relative, tree)
}

/// What `build` would exclude whatever the approvals, said on the page.
fn exclusion_notes(
    article: &PublishedArticle,
    now: DateTime<FixedOffset>,
    tz: chrono_tz::Tz,
    chinese: bool,
) -> Vec<String> {
    let Some((state, _)) = publish::exclusion(
        article,
        now,
        &crate::i18n::Say::new(crate::i18n::Language::English),
    ) else {
        return Vec::new();
    };
    let time =
        |date: Option<WrittenDate>| date.map(|date| display_date(&date, tz)).unwrap_or_default();
    let front = &article.front;
    let note = match (state, chinese) {
        (State::Scheduled, true) => format!(
            "定时发布（publish_at）：{} 之前不会上线",
            time(front.publish_at)
        ),
        (State::Scheduled, false) => format!(
            "Scheduled (publish_at): not online before {}",
            time(front.publish_at)
        ),
        (State::Expired, true) => {
            format!("已过期（expires）：自 {} 起不再发布", time(front.expires))
        }
        (State::Expired, false) => {
            format!(
                "Expired (expires): not online since {}",
                time(front.expires)
            )
        }
        (_, true) => "涉密（classified: true）：本文不会发布到网站".to_string(),
        (_, false) => "Classified (classified: true): this is never published".to_string(),
    };
    vec![note]
}
