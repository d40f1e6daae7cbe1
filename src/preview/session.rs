//! A preview session: the rebuilds one after another, and the snapshot the
//! server answers from.
//!
//! Each rebuild renders into a fresh folder of the session's temporary
//! folder; only when it succeeded does the snapshot point at it (the old
//! folder is then removed), so a request never sees a half-written site and
//! a broken edit never takes the last good preview away. A failed rebuild
//! records its errors in the snapshot instead — the server shows them in
//! place of the pages — and they are printed in the terminal too.

use std::io::Write;
use std::path::{Path, PathBuf};
use std::sync::{Arc, Mutex, PoisonError};
use std::time::Instant;

use crate::error::Diagnostic;
use crate::preview::review::Reviews;
use crate::preview::{PreviewSite, render_working_tree};
use crate::repo::Repo;
use crate::site::Language;

/// What the server answers from at one moment.
#[derive(Debug, Default)]
pub struct Snapshot {
    /// Changes with every rebuild; pages reload when it is no longer theirs.
    pub version: u64,
    /// The last preview that built.
    pub site: Option<Arc<PreviewSite>>,
    /// Why the latest rebuild failed; `None` when it built.
    pub failure: Option<Vec<Diagnostic>>,
}

impl Snapshot {
    /// The language for pages and messages: the last good site's, else Chinese.
    pub fn language(&self) -> Language {
        self.site
            .as_ref()
            .map_or(Language::Chinese, |site| site.language)
    }
}

/// The current snapshot, shared by the rebuilds and the server's workers.
#[derive(Debug, Default)]
pub struct SharedSnapshot {
    current: Mutex<Arc<Snapshot>>,
}

impl SharedSnapshot {
    pub fn current(&self) -> Arc<Snapshot> {
        // A panic elsewhere cannot leave an `Arc` half-replaced: the value is still good.
        self.current
            .lock()
            .unwrap_or_else(PoisonError::into_inner)
            .clone()
    }

    fn replace(&self, snapshot: Snapshot) {
        *self.current.lock().unwrap_or_else(PoisonError::into_inner) = Arc::new(snapshot);
    }
}

/// The rebuilds of one `sanshen serve`.
pub struct Session {
    root: PathBuf,
    /// The site's repository; `None` when the folder is not one (yet).
    repo: Option<Repo>,
    reviews: Reviews,
    /// The session's temporary folder; rebuild `n` renders into `<folder>/<n>`.
    folder: PathBuf,
    rebuilds: u64,
    shared: Arc<SharedSnapshot>,
    /// The problems the terminal was last told about, so a save that
    /// changes nothing about them does not print them again.
    told: Vec<Diagnostic>,
}

impl Session {
    /// A session previewing `root`, rendering below `folder`. Outside a git
    /// repository the preview works without review states and ignore rules.
    pub fn new(root: &Path, folder: &Path, shared: Arc<SharedSnapshot>) -> Session {
        let repo = Repo::open(root).ok();
        Session {
            root: root.to_path_buf(),
            repo,
            reviews: Reviews::unknown(),
            folder: folder.to_path_buf(),
            rebuilds: 0,
            shared,
            told: Vec::new(),
        }
    }

    pub fn root(&self) -> &Path {
        &self.root
    }

    pub fn in_repository(&self) -> bool {
        self.repo.is_some()
    }

    /// Whether a commit was made since the review states were read (the
    /// watcher does not look into `.git/`, so it asks).
    pub fn head_moved(&self) -> bool {
        self.repo
            .as_ref()
            .is_some_and(|repo| self.reviews.is_stale(repo))
    }

    /// Render the working tree again and make the result current.
    pub fn rebuild(&mut self) {
        let started = Instant::now();
        self.rebuilds += 1;
        let chinese = self.shared.current().language() == Language::Chinese;
        if let Some(repo) = &self.repo
            && (self.rebuilds == 1 || self.reviews.is_stale(repo))
        {
            let (reviews, problem) = Reviews::read(repo);
            self.reviews = reviews;
            if let Some(err) = problem {
                tell_error(format_args!(
                    "{}\n{err}",
                    if chinese {
                        "注意：无法读取审核记录，预览页不显示审核状态："
                    } else {
                        "notice: the review records cannot be read, so preview pages show no review state:"
                    }
                ));
            }
        }
        let folder = self.folder.join(self.rebuilds.to_string());
        let outcome = render_working_tree(&self.root, self.repo.as_ref(), &self.reviews, &folder);
        let previous = self.shared.current();
        match outcome {
            Ok(site) => {
                let chinese = site.language == Language::Chinese;
                tell(format_args!(
                    "{}",
                    if chinese {
                        format!(
                            "预览已更新：{} 篇稿件（{} 毫秒）",
                            site.articles,
                            started.elapsed().as_millis()
                        )
                    } else {
                        format!(
                            "preview rebuilt: {} articles ({} ms)",
                            site.articles,
                            started.elapsed().as_millis()
                        )
                    }
                ));
                if site.problems != self.told {
                    for problem in &site.problems {
                        tell_error(format_args!("warning: {problem}"));
                    }
                    self.told = site.problems.clone();
                }
                self.shared.replace(Snapshot {
                    version: self.rebuilds,
                    site: Some(Arc::new(site)),
                    failure: None,
                });
                // Requests still reading the old folder keep their open
                // files; one that is not removed now goes with the session.
                if let Some(old) = &previous.site {
                    let _ = std::fs::remove_dir_all(&old.folder);
                }
            }
            Err(err) => {
                let _ = std::fs::remove_dir_all(&folder);
                tell_error(format_args!(
                    "{}\n{err}",
                    if chinese {
                        "预览无法生成（浏览器中显示此错误，改正并保存后自动更新）："
                    } else {
                        "the preview does not build (the browser shows this error; it updates when you fix and save):"
                    }
                ));
                self.told.clear();
                self.shared.replace(Snapshot {
                    version: self.rebuilds,
                    site: previous.site.clone(),
                    failure: Some(err.diagnostics),
                });
            }
        }
    }
}

/// A line for the terminal. A terminal that went away (a closed pipe) must
/// not stop the rebuilds, so the preview in the browser keeps working.
fn tell(line: std::fmt::Arguments<'_>) {
    let _ = writeln!(std::io::stdout(), "{line}");
}

/// The same, for warnings and errors.
pub(crate) fn tell_error(line: std::fmt::Arguments<'_>) {
    let _ = writeln!(std::io::stderr(), "{line}");
}
