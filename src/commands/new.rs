//! `sanshen new <column> <title>`: start an article in the working tree,
//! with the front matter its column needs, and print its path.
//!
//! It reads site.toml and approvals/policy.yaml as they are on disk, not as
//! approved: a writer drafts against the site they see. The path alone goes
//! to standard output (`$EDITOR "$(sanshen new news …)"` works); what to do
//! next goes to standard error.

use std::fs;
use std::path::{Path, PathBuf};

use crate::cli::NewArgs;
use crate::content::CONTENT_DIR;
use crate::content::frontmatter::parse_date_text;
use crate::error::{Diagnostic, Error, Result};
use crate::ledger::policy::{POLICY_FILE, Policy};
use crate::rules::text::Say;
use crate::scaffold::article::{self, ArticleDraft, SlugProblem};
use crate::scaffold::write_new_file;
use crate::signing::git_config;
use crate::site::SiteConfig;
use crate::site::config::SITE_FILE;

pub fn run(root: &Path, args: &NewArgs) -> Result<i32> {
    let site = read_site(root)?;
    let say = Say::new(site.language);
    let wanted = args
        .column
        .trim()
        .trim_start_matches("./")
        .trim_start_matches(&format!("{CONTENT_DIR}/"))
        .trim_matches('/');
    let Some(column) = site.columns.get(wanted) else {
        return Err(unknown_column(&site, &args.column, &say));
    };
    let title = args
        .title
        .join(" ")
        .split_whitespace()
        .collect::<Vec<_>>()
        .join(" ");
    if title.is_empty() {
        return Err(Error::config(
            Diagnostic::new(say.pick("标题为空", "the title is empty")).with_help(say.pick(
                "sanshen new news \"关于开展科普月活动的通知\"",
                "sanshen new news \"Science month opens\"",
            )),
        ));
    }
    // `date` is written only when the writer gives one: without it the page
    // shows when review completed, so nobody has to guess that day.
    let date = match &args.date {
        Some(text) => {
            let written = parse_date_text(text.trim(), site.timezone).map_err(|problem| {
                Error::config(
                    Diagnostic::new(format!("--date: {problem}")).with_help(say.pick(
                        "写作 2026-11-23 或 2026-11-23T09:00:00+08:00",
                        "write 2026-11-23 or 2026-11-23T09:00:00+08:00",
                    )),
                )
            })?;
            Some((text.trim().to_string(), written))
        }
        None => None,
    };
    let today = crate::site::clock::parse_now(None, site.timezone)?.date_naive();
    let day = date.as_ref().map_or(today, |(_, written)| {
        written.at.with_timezone(&site.timezone).date_naive()
    });
    let today = today.format("%Y-%m-%d").to_string();

    let column_dir = root.join(CONTENT_DIR).join(&column.path);
    let slug = article::choose_slug(args.slug.as_deref(), &title, day, |slug| {
        column_dir.join(format!("{slug}.md")).exists()
            || column_dir.join(slug).exists()
            // A sub-column of that name owns the address /<column>/<slug>/.
            || site.columns.get(&format!("{}/{slug}", column.path)).is_some()
    })
    .map_err(|problem| slug_error(problem, &column.path, &say))?;
    let relative = article::markdown_path(&column.path, &slug, args.bundle);
    let writer = writer(root);
    let author = writer.as_ref().map(|w| w.name.clone());
    // The writer's own unit when the column is one it reports to; else the
    // column's first responsible unit, for the writer to correct.
    let unit = writer
        .as_ref()
        .and_then(|w| w.unit.clone())
        .filter(|unit| column.units.is_empty() || column.units.contains(unit));
    let text = article::article_text(
        site.language,
        &ArticleDraft {
            column,
            title: &title,
            date: date.as_ref().map(|(text, _)| text.as_str()),
            today: &today,
            author: author.as_deref(),
            unit: unit.as_deref(),
            bundle: args.bundle,
        },
    );
    let file = root.join(&relative);
    write_new_file(&file, &text)?;

    println!("{}", shown(root, &relative).display());
    let added = if args.bundle {
        relative.trim_end_matches("/index.md").to_string()
    } else {
        relative.clone()
    };
    eprintln!(
        "{}",
        say.pick(
            format!(
                "已在栏目“{}”新建稿件。写好正文后提交送审：\n  git add {added} && git commit -S -m \"报送：{title}\"\n{}",
                column.title,
                match &date {
                    Some((date, _)) => format!("发布时间（date）写为 {date}，页面显示这一时间；不能早于审核完成的日期。"),
                    None => "发布时间不用填写：页面显示审核完成的时间。".to_string(),
                }
            ),
            format!(
                "New article in “{}”. When it is written, commit it for review:\n  git add {added} && git commit -S -m \"Submit: {title}\"\n{}",
                column.title,
                match &date {
                    Some((date, _)) => format!("Its date is {date}, shown on the page; it must not be earlier than the day review completes."),
                    None => "No date needed: the page shows when review completed.".to_string(),
                }
            ),
        )
    );
    Ok(0)
}

fn read_site(root: &Path) -> Result<SiteConfig> {
    let path = root.join(SITE_FILE);
    let text = fs::read_to_string(&path).map_err(|e| {
        if e.kind() == std::io::ErrorKind::NotFound {
            Error::config(
                Diagnostic::in_file(path.display().to_string(), "there is no site.toml here")
                    .with_help("run sanshen new in a site repository or name one with --root; sanshen init starts a new one"),
            )
        } else {
            Error::io(&path, &e, "read the site settings")
        }
    })?;
    SiteConfig::parse(SITE_FILE, &text)
}

fn unknown_column(site: &SiteConfig, typed: &str, say: &Say) -> Error {
    let known = site
        .columns
        .iter()
        .map(|c| {
            say.pick(
                format!("{}（{}）", c.path, c.title),
                format!("{} ({})", c.path, c.title),
            )
        })
        .collect::<Vec<_>>();
    let help = if known.is_empty() {
        say.pick(
            "site.toml 还没有栏目：先添加 [[columns]]",
            "site.toml declares no column yet: add a [[columns]] table",
        )
    } else {
        say.pick(
            format!("site.toml 中的栏目：{}", known.join("、")),
            format!("the columns of site.toml: {}", known.join(", ")),
        )
    };
    Error::config(
        Diagnostic::in_file(
            SITE_FILE,
            say.pick(
                format!("没有栏目“{typed}”"),
                format!("there is no column `{typed}`"),
            ),
        )
        .with_help(help),
    )
}

fn slug_error(problem: SlugProblem, column: &str, say: &Say) -> Error {
    let diagnostic = match problem {
        SlugProblem::NotPlain(slug) => Diagnostic::new(say.pick(
            format!("--slug “{slug}” 不能用作网址"),
            format!("--slug `{slug}` cannot be part of an address"),
        ))
        .with_help(say.pick(
            "只用小写字母、数字、- 和 _，如 --slug kepuri-2026",
            "use lower-case letters, digits, - and _ only, e.g. --slug open-day-2026",
        )),
        SlugProblem::Taken(slug) => Diagnostic::in_file(
            format!("{CONTENT_DIR}/{column}/{slug}"),
            say.pick("已存在，不会覆盖", "exists already and is never replaced"),
        )
        .with_help(say.pick(
            "换一个 --slug，或不写 --slug 由 sanshen 选一个未用的名字",
            "choose another --slug, or leave it out to get a free name",
        )),
    };
    Error::config(diagnostic)
}

/// Who is writing, as the article's front matter names them.
struct Writer {
    /// Their person id in the policy, else git's `user.name`.
    name: String,
    /// Their unit in the policy.
    unit: Option<String>,
}

/// The writer: the person whose address in the policy is git's
/// `user.email`, else git's `user.name` alone.
fn writer(root: &Path) -> Option<Writer> {
    let email = git_config(root, "user.email").ok().flatten();
    let listed = email.as_deref().and_then(|email| {
        let text = fs::read_to_string(root.join(POLICY_FILE)).ok()?;
        let policy = Policy::parse(POLICY_FILE, &text).ok()?;
        policy
            .people
            .values()
            .find(|person| person.has_email(email))
            .map(|person| Writer {
                name: person.id.clone(),
                unit: person.unit.clone(),
            })
    });
    listed.or_else(|| {
        git_config(root, "user.name")
            .ok()
            .flatten()
            .map(|name| Writer { name, unit: None })
    })
}

/// The path as the user can open it from where they are.
fn shown(root: &Path, relative: &str) -> PathBuf {
    if root == Path::new(".") {
        PathBuf::from(relative)
    } else {
        root.join(relative)
    }
}
