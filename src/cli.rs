//! Command-line definitions (SPEC §6). Every command takes `--root DIR`.

use std::path::PathBuf;

use clap::{Parser, Subcommand};

#[derive(Debug, Parser)]
#[command(
    name = "sanshen",
    version,
    about = "三审 — a static-site generator that publishes only what passed its signed review",
    long_about = None
)]
pub struct Cli {
    /// The site repository (default: the current directory).
    #[arg(long, global = true, value_name = "DIR", default_value = ".")]
    pub root: PathBuf,

    #[command(subcommand)]
    pub command: Command,
}

#[derive(Debug, Subcommand)]
pub enum Command {
    /// Start a site repository: example site, review policy, CI workflow.
    Init(InitArgs),
    /// Start an article in a column, its front matter filled in.
    New(NewArgs),
    /// Build the approved site of a revision into a folder.
    Build(BuildArgs),
    /// Show each article's review state: stages done, next stage, who may take it.
    Status(StatusArgs),
    /// Record an approval stage as a signed commit (checked before committing).
    Approve(ApproveArgs),
    /// Take an article offline at once (撤稿), as a signed commit.
    Withdraw(WithdrawArgs),
    /// Catch before publication what website inspections catch: secrets,
    /// personal data, wrong dates, stale columns, broken links, footer identity.
    Check(CheckArgs),
    /// Build the bundled demo portal with a generated, signed review history.
    Demo(DemoArgs),
    /// Preview the working tree (drafts included) on 127.0.0.1, rebuilt on every change.
    Serve(ServeArgs),
    /// Count what each unit, person, column or review stage published in a
    /// period (信息报送统计): a ranking with review times, returns and withdrawals.
    Report(ReportArgs),
}

#[derive(Debug, clap::Args)]
pub struct InitArgs {
    /// The new site's folder, new or empty (default: --root, the current directory).
    pub dir: Option<PathBuf>,
    /// Your SSH public key, listed for you as the site's administrator
    /// (default: git's user.signingkey when gpg.format is ssh).
    #[arg(long, value_name = "FILE.pub")]
    pub key: Option<PathBuf>,
    /// The site's language, and that of the generated files: zh-CN or en.
    #[arg(long, default_value = "zh-CN", value_parser = parse_language)]
    pub language: crate::site::Language,
}

fn parse_language(text: &str) -> Result<crate::site::Language, String> {
    match text {
        "zh-CN" | "zh" => Ok(crate::site::Language::Chinese),
        "en" => Ok(crate::site::Language::English),
        other => Err(format!("`{other}` is not a site language: use zh-CN or en")),
    }
}

#[derive(Debug, clap::Args)]
pub struct NewArgs {
    /// The column's path in site.toml, e.g. news or news/notices.
    pub column: String,
    /// The headline (several words are joined with spaces).
    #[arg(required = true, num_args = 1..)]
    pub title: Vec<String>,
    /// The file name without .md (default: from an English title, else the date and a number).
    #[arg(long)]
    pub slug: Option<String>,
    /// The publication date: 2026-11-23 or RFC 3339 (default: today in the site's time zone).
    #[arg(long, value_name = "DATE")]
    pub date: Option<String>,
    /// Make a folder for an article with images or attachments (<slug>/index.md).
    #[arg(long)]
    pub bundle: bool,
}

#[derive(Debug, clap::Args)]
pub struct ApproveArgs {
    /// The stage id to approve (e.g. unit-review, re-review, final).
    #[arg(long)]
    pub stage: String,
    /// Articles (.md or bundle folder), site.toml, themes/<name> or approvals.
    pub paths: Vec<String>,
    /// Merge this reviewed branch with one signed merge commit approving every article it changes.
    #[arg(long, value_name = "BRANCH", conflicts_with = "paths")]
    pub merge: Option<String>,
    /// The commit's subject line (default: the stage name and the title).
    #[arg(long, short = 'm')]
    pub message: Option<String>,
    /// Approve a policy change after its effect is shown, without asking.
    #[arg(long)]
    pub yes: bool,
    #[arg(long, value_name = "COMMIT")]
    pub policy_root: Option<String>,
}

#[derive(Debug, clap::Args)]
pub struct WithdrawArgs {
    /// The article to take down.
    pub path: String,
    /// Why (kept in the record).
    #[arg(long)]
    pub reason: String,
    #[arg(long, value_name = "COMMIT")]
    pub policy_root: Option<String>,
}

#[derive(Debug, clap::Args)]
pub struct BuildArgs {
    /// The revision to build (a commit, branch or tag).
    #[arg(long, default_value = "HEAD")]
    pub rev: String,
    /// Output folder (replaced atomically when the build succeeds).
    #[arg(long, value_name = "DIR")]
    pub out: Option<PathBuf>,
    /// The build's clock, for scheduled and expiring items: 2026-11-20 or RFC 3339.
    #[arg(long, value_name = "TIME")]
    pub now: Option<String>,
    /// Trust the approvals/ of this commit instead of the first policy in history.
    #[arg(long, value_name = "COMMIT")]
    pub policy_root: Option<String>,
    /// Also write the publication record (JSON) to this file.
    #[arg(long, value_name = "FILE")]
    pub manifest: Option<PathBuf>,
    /// Print how long each phase took.
    #[arg(long)]
    pub timings: bool,
    /// Neither read nor write the history cache in .git/sanshen/.
    #[arg(long)]
    pub no_cache: bool,
}

#[derive(Debug, clap::Args)]
pub struct StatusArgs {
    /// Articles to show (default: all).
    pub paths: Vec<String>,
    /// Print JSON for scripts.
    #[arg(long)]
    pub json: bool,
    #[arg(long, default_value = "HEAD")]
    pub rev: String,
    #[arg(long, value_name = "TIME")]
    pub now: Option<String>,
    #[arg(long, value_name = "COMMIT")]
    pub policy_root: Option<String>,
}

#[derive(Debug, clap::Args)]
pub struct DemoArgs {
    /// Serve the built site on 127.0.0.1 after building it.
    #[arg(long)]
    pub serve: bool,
    /// Port for --serve.
    #[arg(long, default_value_t = 8000)]
    pub port: u16,
    /// Folder for the demo (new or empty): repo/, public/, keys/, allowed_signers.
    /// Default: a new sanshen-demo-<n> folder in the system's temporary folder. It is kept.
    #[arg(long, value_name = "DIR")]
    pub out: Option<PathBuf>,
}

#[derive(Debug, clap::Args)]
pub struct CheckArgs {
    /// The revision to check (a commit, branch or tag).
    #[arg(long, default_value = "HEAD")]
    pub rev: String,
    /// The clock for stale columns and scheduled items: 2026-11-20 or RFC 3339.
    #[arg(long, value_name = "TIME")]
    pub now: Option<String>,
    /// text for people, json for scripts, sarif for CI annotations.
    #[arg(long, value_enum, default_value = "text")]
    pub format: crate::checks::format::Format,
    /// Trust the approvals/ of this commit instead of the first policy in history.
    #[arg(long, value_name = "COMMIT")]
    pub policy_root: Option<String>,
    /// Also probe external http(s) links over the network (rule external-link).
    #[arg(long)]
    pub external: bool,
    /// Seconds one external link may take to answer, redirects included.
    #[arg(long, value_name = "SECS", default_value_t = 10.0, requires = "external", value_parser = parse_timeout)]
    pub timeout: f64,
}

/// A positive number of seconds, at most a day.
fn parse_timeout(text: &str) -> Result<f64, String> {
    match text.parse::<f64>() {
        Ok(seconds) if seconds > 0.0 && seconds <= 86_400.0 => Ok(seconds),
        _ => Err(format!(
            "`{text}` is not a number of seconds between 0 and 86400"
        )),
    }
}

#[derive(Debug, clap::Args)]
pub struct ServeArgs {
    /// Port on 127.0.0.1 (0: any free port).
    #[arg(long, default_value_t = 8000)]
    pub port: u16,
}

#[derive(Debug, clap::Args)]
pub struct ReportArgs {
    /// First day counted, in the site's time zone: 2026-11-01 (default: the beginning of history).
    #[arg(long, value_name = "DATE")]
    pub from: Option<String>,
    /// Last day counted, included: 2026-11-30 (default: the day of --now).
    #[arg(long, value_name = "DATE")]
    pub to: Option<String>,
    /// What each row is.
    #[arg(long, value_enum, default_value = "unit")]
    pub by: crate::report::GroupBy,
    /// text for people, csv for spreadsheets, json for scripts, html to print or file.
    #[arg(long, value_enum, default_value = "text")]
    pub format: crate::report::format::Format,
    /// The revision whose history is counted (a commit, branch or tag).
    #[arg(long, default_value = "HEAD")]
    pub rev: String,
    /// The clock for what is in review and the default --to: 2026-11-20 or RFC 3339.
    #[arg(long, value_name = "TIME")]
    pub now: Option<String>,
    /// Trust the approvals/ of this commit instead of the first policy in history.
    #[arg(long, value_name = "COMMIT")]
    pub policy_root: Option<String>,
}
