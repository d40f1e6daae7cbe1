//! Rebuilding the preview when the working tree changes.
//!
//! Only what a preview reads is watched — `site.toml`, `.gitignore`,
//! `content/`, `themes/` and `approvals/` — so `.git/`, the build's
//! `public/` and anything else in the folder (a `target/` of thousands of
//! folders, say) never cost a watch or a rebuild. The top folder itself is
//! watched without its subfolders, to notice those folders appearing (or a
//! site.toml written by renaming a temporary file, as many editors do).
//!
//! Editors save in bursts (a temporary file, a rename, a permission
//! change), so a rebuild starts once no change has come for
//! [`QUIET_PERIOD`]. A commit changes no watched file but changes the review
//! states, so HEAD is looked at whenever nothing happened for
//! [`HEAD_CHECK`].

use std::collections::BTreeSet;
use std::path::{Path, PathBuf};
use std::sync::mpsc::{self, RecvTimeoutError};
use std::time::{Duration, Instant};

use notify::{EventKind, RecursiveMode, Watcher};

use crate::error::{Diagnostic, Error, Result};
use crate::preview::session::{Session, tell_error};

/// How long the working tree must stay still before a rebuild.
pub const QUIET_PERIOD: Duration = Duration::from_millis(200);
/// The longest a rebuild waits for a burst of changes to end.
const LONGEST_WAIT: Duration = Duration::from_secs(2);
/// How often HEAD is compared while nothing changes.
const HEAD_CHECK: Duration = Duration::from_secs(2);

/// The top-level names a preview reads; changes elsewhere are ignored.
const WATCHED_NAMES: &[&str] = &["site.toml", ".gitignore", "content", "themes", "approvals"];
/// The folders among them, watched with everything below them.
const WATCHED_FOLDERS: &[&str] = &["content", "themes", "approvals"];

/// Watches on the working tree, registered before anything is served: a
/// change saved the moment the preview answers is never missed.
pub struct Watching {
    root: PathBuf,
    watcher: notify::RecommendedWatcher,
    events: mpsc::Receiver<notify::Result<notify::Event>>,
    folders: WatchedFolders,
}

impl Watching {
    /// Start watching `root`. Errors are those of starting to watch.
    pub fn start(root: &Path) -> Result<Watching> {
        let root = root.to_path_buf();
        let (sender, events) = mpsc::channel();
        let mut watcher =
            notify::recommended_watcher(sender).map_err(|err| watch_error(&root, &err))?;
        watcher
            .watch(&root, RecursiveMode::NonRecursive)
            .map_err(|err| watch_error(&root, &err))?;
        let mut folders = WatchedFolders::default();
        folders.update(&mut watcher, &root);
        Ok(Watching {
            root,
            watcher,
            events,
            folders,
        })
    }

    /// Rebuild `session` on every change, until the watcher stops (it does
    /// not, short of the process ending).
    pub fn rebuild_on_change(mut self, session: &mut Session) -> Result<()> {
        loop {
            match self.events.recv_timeout(HEAD_CHECK) {
                Ok(event) if !is_relevant(&self.root, &event) => continue,
                Ok(_) => {}
                Err(RecvTimeoutError::Timeout) => {
                    if session.head_moved() {
                        session.rebuild();
                    }
                    continue;
                }
                Err(RecvTimeoutError::Disconnected) => return Ok(()),
            }
            let burst_started = Instant::now();
            loop {
                match self.events.recv_timeout(QUIET_PERIOD) {
                    Ok(_) if burst_started.elapsed() < LONGEST_WAIT => continue,
                    Ok(_) | Err(RecvTimeoutError::Timeout) => break,
                    Err(RecvTimeoutError::Disconnected) => return Ok(()),
                }
            }
            self.folders.update(&mut self.watcher, &self.root);
            session.rebuild();
        }
    }
}

/// Whether an event touches something a preview reads. Reads alone are not
/// changes; an error from the watcher might hide one, so it counts.
fn is_relevant(root: &Path, event: &notify::Result<notify::Event>) -> bool {
    let Ok(event) = event else {
        return true;
    };
    if matches!(event.kind, EventKind::Access(_)) {
        return false;
    }
    event.paths.iter().any(|path| {
        path.strip_prefix(root)
            .ok()
            .and_then(|relative| relative.components().next())
            .and_then(|first| first.as_os_str().to_str())
            .is_some_and(|name| WATCHED_NAMES.contains(&name))
    })
}

/// The watched folders that exist: one created after the start is watched
/// from the next rebuild on; one removed is dropped (the watch ends with it).
#[derive(Default)]
struct WatchedFolders {
    watched: BTreeSet<PathBuf>,
}

impl WatchedFolders {
    fn update(&mut self, watcher: &mut impl Watcher, root: &Path) {
        for name in WATCHED_FOLDERS {
            let folder = root.join(name);
            let exists = folder.is_dir();
            let watched = self.watched.contains(&folder);
            if exists && !watched {
                match watcher.watch(&folder, RecursiveMode::Recursive) {
                    Ok(()) => {
                        self.watched.insert(folder);
                    }
                    Err(err) => tell_error(format_args!("warning: {}", watch_error(&folder, &err))),
                }
            } else if !exists && watched {
                let _ = watcher.unwatch(&folder);
                self.watched.remove(&folder);
            }
        }
    }
}

fn watch_error(path: &Path, err: &notify::Error) -> Error {
    Error::config(
        Diagnostic::in_file(
            path.display().to_string(),
            format!("cannot watch for changes: {err}"),
        )
        .with_help("on Linux, a large tree may need more inotify watches: raise fs.inotify.max_user_watches"),
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    fn event(kind: EventKind, path: &str) -> notify::Result<notify::Event> {
        Ok(notify::Event::new(kind).add_path(PathBuf::from(path)))
    }

    #[test]
    fn only_what_a_preview_reads_counts() {
        let root = Path::new("/site");
        let modify = EventKind::Modify(notify::event::ModifyKind::Any);
        assert!(is_relevant(root, &event(modify, "/site/content/news/a.md")));
        assert!(is_relevant(root, &event(modify, "/site/site.toml")));
        assert!(is_relevant(
            root,
            &event(modify, "/site/themes/house/templates/base.html")
        ));
        assert!(!is_relevant(root, &event(modify, "/site/.git/index")));
        assert!(!is_relevant(
            root,
            &event(modify, "/site/public/index.html")
        ));
        assert!(!is_relevant(root, &event(modify, "/site/README.md")));
        assert!(!is_relevant(
            root,
            &event(modify, "/elsewhere/content/a.md")
        ));
        let read = EventKind::Access(notify::event::AccessKind::Any);
        assert!(!is_relevant(root, &event(read, "/site/content/news/a.md")));
        assert!(is_relevant(root, &Err(notify::Error::generic("overflow"))));
    }
}
