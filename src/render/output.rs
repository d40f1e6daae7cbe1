//! Safe output: a build writes into a fresh folder beside the target and
//! changes the target only when everything was rendered, so a failed build
//! leaves the previous site exactly as it was, and no reader of the target
//! ever sees a partly written file (SPEC §7).
//!
//! Two builds into one folder take turns: [`OutputLock`] is an exclusive
//! lock on a file beside the target, held from staging to the last write;
//! the second build waits, saying so, and gives up after a while. Holding
//! it, a build also removes staging folders that a killed build left.
//!
//! A full build replaces the target with the staging folder: on Linux in one
//! step (the two folders' names are exchanged), elsewhere by two renames.
//! A build that reused pages ([`super::reuse`]) staged only what changed:
//! [`StagedOutput::finish_in_place`] moves those files over the target and
//! deletes what the new site no longer has, so an unchanged page costs no
//! file operation at all — on a disk, where creating a folder costs about a
//! millisecond, that is most of a rebuild.

use std::collections::HashSet;
use std::io::Write;
use std::path::{Path, PathBuf};

use rayon::prelude::*;

use crate::error::{Diagnostic, Error, Result};

/// How long a build waits for another build into the same folder.
const LOCK_WAIT: std::time::Duration = std::time::Duration::from_secs(600);
/// Overrides [`LOCK_WAIT`], in seconds (for CI jobs that prefer to fail fast).
pub const LOCK_WAIT_VARIABLE: &str = "SANSHEN_BUILD_LOCK_WAIT";

/// The right to write one output folder, held until dropped.
pub struct OutputLock {
    _file: std::fs::File,
    path: PathBuf,
}

impl OutputLock {
    /// Lock `target` (an output folder) against other builds, waiting for
    /// one that holds it; `waiting` is said once if that happens.
    pub fn acquire(target: &Path, waiting: &str) -> Result<OutputLock> {
        let wait = std::env::var(LOCK_WAIT_VARIABLE)
            .ok()
            .and_then(|seconds| seconds.trim().parse().ok())
            .map(std::time::Duration::from_secs)
            .unwrap_or(LOCK_WAIT);
        OutputLock::acquire_within(target, waiting, wait)
    }

    fn acquire_within(
        target: &Path,
        waiting: &str,
        wait: std::time::Duration,
    ) -> Result<OutputLock> {
        let parent = parent_of(target);
        std::fs::create_dir_all(&parent)
            .map_err(|e| Error::io(&parent, &e, "create the output's parent folder"))?;
        let path = parent.join(format!(".{}.lock", name_of(target)));
        let file = std::fs::OpenOptions::new()
            .create(true)
            .truncate(false)
            .write(true)
            .open(&path)
            .map_err(|e| Error::io(&path, &e, "open the build lock"))?;
        let started = std::time::Instant::now();
        let mut said = false;
        loop {
            match file.try_lock() {
                Ok(()) => break,
                Err(std::fs::TryLockError::WouldBlock) => {}
                Err(std::fs::TryLockError::Error(e)) => {
                    return Err(Error::io(&path, &e, "lock the output folder"));
                }
            }
            if started.elapsed() >= wait {
                return Err(Error::config(
                    Diagnostic::in_file(
                        path.display().to_string(),
                        format!(
                            "another build has been writing {} for {} s; gave up waiting",
                            target.display(),
                            wait.as_secs()
                        ),
                    )
                    .with_help(format!(
                        "wait for it to finish and build again; a build that no longer runs holds no lock (set {LOCK_WAIT_VARIABLE} to wait longer)"
                    )),
                ));
            }
            if !said {
                eprintln!("{waiting}");
                said = true;
            }
            std::thread::sleep(std::time::Duration::from_millis(100));
        }
        Ok(OutputLock { _file: file, path })
    }

    /// The lock file.
    pub fn path(&self) -> &Path {
        &self.path
    }
}

fn parent_of(target: &Path) -> PathBuf {
    match target.parent() {
        Some(parent) if !parent.as_os_str().is_empty() => parent.to_path_buf(),
        _ => PathBuf::from("."),
    }
}

fn name_of(target: &Path) -> String {
    target
        .file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_else(|| "public".into())
}

/// A build's output folder under construction.
pub struct StagedOutput {
    target: PathBuf,
    staging: tempfile::TempDir,
}

impl StagedOutput {
    /// Prepare a staging folder next to `target` (same file system, so the
    /// final move is a rename). Refuses targets that are clearly not a build
    /// output, so a mistyped `--out` cannot replace a source folder. The
    /// lock proves no other build writes there, so staging folders left by
    /// a killed build are removed.
    pub fn begin(target: &Path, _lock: &OutputLock) -> Result<StagedOutput> {
        if target.join(".git").exists() || target.join("site.toml").exists() {
            return Err(Error::config(
                Diagnostic::in_file(
                    target.display().to_string(),
                    "looks like a source folder (it holds .git or site.toml); refusing to replace it with the built site",
                )
                .with_help("choose an output folder such as `public/` with --out"),
            ));
        }
        let parent = parent_of(target);
        std::fs::create_dir_all(&parent)
            .map_err(|e| Error::io(&parent, &e, "create the output's parent folder"))?;
        let name = name_of(target);
        remove_abandoned_staging(&parent, &name);
        let staging = tempfile::Builder::new()
            .prefix(&format!(".{name}.building-"))
            .tempdir_in(&parent)
            .map_err(|e| Error::io(&parent, &e, "create a staging folder"))?;
        Ok(StagedOutput {
            target: target.to_path_buf(),
            staging,
        })
    }

    /// Where to write the site.
    pub fn path(&self) -> &Path {
        self.staging.path()
    }

    /// Move the finished site into place, replacing the previous one.
    /// Dropping a `StagedOutput` without finishing deletes the staging folder.
    pub fn finish(self) -> Result<()> {
        let staging = self.staging.keep();
        let target = &self.target;
        let restore_hint =
            |e: &std::io::Error| Error::io(target, e, "move the new site into place");
        if target.exists() && exchange(&staging, target).is_ok() {
            // The previous site is now in the staging folder's place.
            return remove_folder(&staging)
                .map_err(|e| Error::io(&staging, &e, "remove the previous site"));
        }
        if target.exists() {
            let old = staging.with_extension("old");
            std::fs::rename(target, &old).map_err(|e| restore_hint(&e))?;
            if let Err(err) = std::fs::rename(&staging, target) {
                // Put the previous site back before reporting.
                let _ = std::fs::rename(&old, target);
                let _ = std::fs::remove_dir_all(&staging);
                return Err(restore_hint(&err));
            }
            remove_folder(&old).map_err(|e| Error::io(&old, &e, "remove the previous site"))?;
        } else {
            std::fs::rename(&staging, target).map_err(|e| restore_hint(&e))?;
        }
        Ok(())
    }
}

impl StagedOutput {
    /// Update the target in place: `kept` are files already in it that
    /// belong to the new site unchanged; `staged` (in the staging folder) are
    /// all the others; `previous` are the files the previous build put in
    /// the target. Staged files are moved over the target (each move replaces
    /// one file at once), then the previous build's files the new site no
    /// longer has are deleted and folders left empty removed. Files the
    /// previous build did not write are left alone, as most generators do;
    /// a full build (`--no-cache`) replaces the whole folder. When a staged file would need a folder
    /// where the target has a file (or the reverse), the target is instead
    /// replaced whole, as by [`Self::finish`].
    pub fn finish_in_place(
        self,
        staged: &[String],
        kept: &HashSet<String>,
        previous: &[String],
    ) -> Result<()> {
        let target = self.target.clone();
        if !target.is_dir() {
            return self.link_kept_and_finish(kept);
        }
        if staged
            .iter()
            .any(|relative| !fits_in_place(&target, relative))
        {
            return self.link_kept_and_finish(kept);
        }
        let staging = self.staging.path().to_path_buf();
        let partly = |path: &Path, e: &std::io::Error| {
            Error::config(
                Diagnostic::in_file(
                    path.display().to_string(),
                    format!("could not update the site in place: {e}"),
                )
                .with_help("the output folder is partly updated; fix the cause and build again (a build whose record was discarded renders and replaces everything)"),
            )
        };
        staged.par_iter().try_for_each(|relative| {
            let to = target.join(relative);
            if let Some(parent) = to.parent() {
                std::fs::create_dir_all(parent).map_err(|e| partly(parent, &e))?;
            }
            std::fs::rename(staging.join(relative), &to).map_err(|e| partly(&to, &e))
        })?;
        let staged: HashSet<&str> = staged.iter().map(String::as_str).collect();
        let gone: Vec<&String> = previous
            .iter()
            .filter(|file| !staged.contains(file.as_str()) && !kept.contains(*file))
            .collect();
        gone.par_iter().try_for_each(|relative| {
            let path = target.join(relative);
            match std::fs::remove_file(&path) {
                Err(e) if e.kind() != std::io::ErrorKind::NotFound => Err(partly(&path, &e)),
                _ => Ok(()),
            }
        })?;
        // Folders emptied by the deletions, deepest first; a folder that
        // still holds something refuses, which is what we want.
        let mut folders: Vec<&str> = gone
            .iter()
            .flat_map(|relative| {
                relative
                    .char_indices()
                    .filter(|(_, c)| *c == '/')
                    .map(|(at, _)| &relative[..at])
            })
            .collect::<HashSet<_>>()
            .into_iter()
            .collect();
        folders.sort_by_key(|folder| std::cmp::Reverse((folder.matches('/').count(), *folder)));
        for folder in folders {
            let _ = std::fs::remove_dir(target.join(folder));
        }
        Ok(())
    }

    /// The fallback of [`Self::finish_in_place`]: bring the kept files into
    /// the staging folder (hard links, or copies across file systems) and
    /// replace the target whole.
    fn link_kept_and_finish(self, kept: &HashSet<String>) -> Result<()> {
        let staging = self.staging.path().to_path_buf();
        for relative in kept {
            let from = self.target.join(relative);
            let to = staging.join(relative);
            if to.exists() {
                continue;
            }
            if let Some(parent) = to.parent() {
                std::fs::create_dir_all(parent)
                    .map_err(|e| Error::io(parent, &e, "create an output folder"))?;
            }
            std::fs::hard_link(&from, &to)
                .or_else(|_| std::fs::copy(&from, &to).map(|_| ()))
                .map_err(|e| Error::io(&from, &e, "carry an unchanged page over"))?;
        }
        self.finish()
    }
}

/// Swap two folders' names in one step, where the system can.
#[cfg(target_os = "linux")]
fn exchange(a: &Path, b: &Path) -> std::io::Result<()> {
    use rustix::fs::{CWD, RenameFlags, renameat_with};
    renameat_with(CWD, a, CWD, b, RenameFlags::EXCHANGE).map_err(std::io::Error::from)
}

#[cfg(not(target_os = "linux"))]
fn exchange(_: &Path, _: &Path) -> std::io::Result<()> {
    Err(std::io::ErrorKind::Unsupported.into())
}

/// Staging folders (and replaced sites) of builds into `parent/name` that
/// were killed before they finished. Only called under the output lock.
fn remove_abandoned_staging(parent: &Path, name: &str) {
    let prefix = format!(".{name}.building-");
    let Ok(entries) = std::fs::read_dir(parent) else {
        return;
    };
    for entry in entries.flatten() {
        let file_name = entry.file_name();
        let Some(file_name) = file_name.to_str() else {
            continue;
        };
        if file_name.starts_with(&prefix) && entry.file_type().is_ok_and(|t| t.is_dir()) {
            let _ = remove_folder(&entry.path());
        }
    }
}

/// Can the staged file `relative` be moved into `target` without a file
/// standing where a folder must be, or a folder (or link) where the file goes?
fn fits_in_place(target: &Path, relative: &str) -> bool {
    let destination = target.join(relative);
    let is_plain_file_or_absent = match std::fs::symlink_metadata(&destination) {
        Ok(metadata) => metadata.file_type().is_file(),
        Err(_) => true,
    };
    let mut folder = destination.parent();
    while let Some(path) = folder {
        if path == target {
            break;
        }
        if let Ok(metadata) = std::fs::symlink_metadata(path)
            && !metadata.file_type().is_dir()
        {
            return false;
        }
        folder = path.parent();
    }
    is_plain_file_or_absent
}

/// Remove a folder and everything in it, sub-folders in parallel (a site
/// of many thousand article folders takes a while to unlink).
fn remove_folder(folder: &Path) -> std::io::Result<()> {
    let entries: Vec<std::fs::DirEntry> = std::fs::read_dir(folder)?.collect::<Result<_, _>>()?;
    entries.par_iter().try_for_each(|entry| {
        if entry.file_type()?.is_dir() {
            remove_folder(&entry.path())
        } else {
            std::fs::remove_file(entry.path())
        }
    })?;
    std::fs::remove_dir(folder)
}

/// Write a file inside the output, creating folders as needed.
///
/// The file is always created afresh: a name already there may be a hard
/// link to the previous site's file ([`super::reuse`]), and writing through
/// it would change the site this build is meant to leave untouched.
pub fn write_file(root: &Path, relative: &str, bytes: &[u8]) -> Result<()> {
    write_file_with(root, relative, |file| file.write_all(bytes))
}

/// [`write_file`], with the content written by `fill` as it is produced
/// (a large file need not be held in memory whole).
pub fn write_file_with(
    root: &Path,
    relative: &str,
    fill: impl FnOnce(&mut std::fs::File) -> std::io::Result<()>,
) -> Result<()> {
    let path = root.join(relative.trim_start_matches('/'));
    if let Some(parent) = path.parent() {
        std::fs::create_dir_all(parent)
            .map_err(|e| Error::io(parent, &e, "create an output folder"))?;
    }
    write_new(&path, fill).map_err(|e| Error::io(&path, &e, "write an output file"))
}

fn write_new(
    path: &Path,
    fill: impl FnOnce(&mut std::fs::File) -> std::io::Result<()>,
) -> std::io::Result<()> {
    let create = || {
        std::fs::OpenOptions::new()
            .write(true)
            .create_new(true)
            .open(path)
    };
    let mut file = match create() {
        Err(err) if err.kind() == std::io::ErrorKind::AlreadyExists => {
            std::fs::remove_file(path)?;
            create()?
        }
        other => other?,
    };
    fill(&mut file)
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Entries beside the output, its lock file aside.
    fn beside(folder: &Path) -> usize {
        std::fs::read_dir(folder)
            .unwrap()
            .filter(|e| {
                !e.as_ref()
                    .unwrap()
                    .file_name()
                    .to_string_lossy()
                    .ends_with(".lock")
            })
            .count()
    }

    fn lock(target: &Path) -> OutputLock {
        OutputLock::acquire_within(target, "waiting", std::time::Duration::ZERO).unwrap()
    }

    #[test]
    fn a_second_build_waits_for_the_lock_and_gives_up_in_time() {
        let dir = tempfile::tempdir().unwrap();
        let target = dir.path().join("public");
        let held = lock(&target);
        let wait = std::time::Duration::from_millis(300);
        let started = std::time::Instant::now();
        let refused = OutputLock::acquire_within(&target, "waiting", wait);
        assert!(refused.is_err(), "two builds held one folder");
        assert!(started.elapsed() >= wait);
        let message = refused.err().unwrap().to_string();
        assert!(message.contains("another build"), "{message}");
        // Released, it is free; the lock file stays out of the site.
        drop(held);
        let again = OutputLock::acquire_within(&target, "waiting", wait).unwrap();
        assert!(!again.path().starts_with(&target));
    }

    #[test]
    fn a_killed_builds_staging_folders_are_removed_by_the_next() {
        let dir = tempfile::tempdir().unwrap();
        let target = dir.path().join("public");
        std::fs::create_dir(&target).unwrap();
        std::fs::write(target.join("index.html"), "site").unwrap();
        for abandoned in [".public.building-x1", ".public.building-x2.old"] {
            std::fs::create_dir_all(dir.path().join(abandoned).join("news")).unwrap();
            std::fs::write(dir.path().join(abandoned).join("news/half.html"), "ha").unwrap();
        }
        // Another output's staging is not this build's to remove.
        std::fs::create_dir(dir.path().join(".other.building-x3")).unwrap();
        let lock = lock(&target);
        let staged = StagedOutput::begin(&target, &lock).unwrap();
        write_file(staged.path(), "index.html", b"new").unwrap();
        staged.finish().unwrap();
        let mut left: Vec<String> = std::fs::read_dir(dir.path())
            .unwrap()
            .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
            .collect();
        left.sort();
        assert_eq!(left, [".other.building-x3", ".public.lock", "public"]);
        assert_eq!(std::fs::read(target.join("index.html")).unwrap(), b"new");
    }

    #[test]
    fn finish_replaces_and_drop_keeps_previous() {
        let dir = tempfile::tempdir().unwrap();
        let target = dir.path().join("public");
        std::fs::create_dir(&target).unwrap();
        std::fs::write(target.join("old.html"), "old").unwrap();

        let failed = StagedOutput::begin(&target, &lock(&target)).unwrap();
        write_file(failed.path(), "index.html", b"half").unwrap();
        drop(failed);
        assert!(target.join("old.html").exists());
        assert_eq!(beside(dir.path()), 1, "staging folder left behind");

        let ok = StagedOutput::begin(&target, &lock(&target)).unwrap();
        write_file(ok.path(), "a/b/index.html", b"new").unwrap();
        ok.finish().unwrap();
        assert!(!target.join("old.html").exists());
        assert_eq!(
            std::fs::read(target.join("a/b/index.html")).unwrap(),
            b"new"
        );
        assert_eq!(beside(dir.path()), 1);
    }

    #[test]
    fn never_writes_through_a_hard_link() {
        let dir = tempfile::tempdir().unwrap();
        std::fs::write(dir.path().join("old.html"), "old").unwrap();
        std::fs::create_dir(dir.path().join("new")).unwrap();
        std::fs::hard_link(
            dir.path().join("old.html"),
            dir.path().join("new/page.html"),
        )
        .unwrap();
        write_file(&dir.path().join("new"), "page.html", b"new").unwrap();
        assert_eq!(std::fs::read(dir.path().join("old.html")).unwrap(), b"old");
        assert_eq!(
            std::fs::read(dir.path().join("new/page.html")).unwrap(),
            b"new"
        );
    }

    /// Every file (or link) below `root`, relative, with `/` separators.
    fn files_below(root: &Path) -> std::io::Result<Vec<String>> {
        let mut files = Vec::new();
        for entry in walkdir::WalkDir::new(root).min_depth(1) {
            let entry = entry.map_err(std::io::Error::other)?;
            if entry.file_type().is_dir() {
                continue;
            }
            let Ok(relative) = entry.path().strip_prefix(root) else {
                continue;
            };
            let parts: Vec<String> = relative
                .components()
                .map(|c| c.as_os_str().to_string_lossy().into_owned())
                .collect();
            files.push(parts.join("/"));
        }
        Ok(files)
    }

    fn listing(root: &Path) -> Vec<(String, String)> {
        let mut files: Vec<(String, String)> = files_below(root)
            .unwrap()
            .into_iter()
            .map(|f| {
                let text = std::fs::read_to_string(root.join(&f)).unwrap();
                (f, text)
            })
            .collect();
        files.sort();
        files
    }

    #[test]
    fn finish_in_place_keeps_moves_and_deletes() {
        let dir = tempfile::tempdir().unwrap();
        let target = dir.path().join("public");
        for (file, text) in [
            ("kept/index.html", "kept"),
            ("changed/index.html", "old"),
            ("gone/deep/index.html", "gone"),
            ("stray.txt", "stray"),
        ] {
            write_file(&target, file, text.as_bytes()).unwrap();
        }
        let kept_inode = std::fs::metadata(target.join("kept/index.html")).unwrap();
        let update = StagedOutput::begin(&target, &lock(&target)).unwrap();
        write_file(update.path(), "changed/index.html", b"new").unwrap();
        write_file(update.path(), "added/index.html", b"added").unwrap();
        let kept = HashSet::from(["kept/index.html".to_string()]);
        let staged = ["added/index.html".into(), "changed/index.html".into()];
        let previous = [
            "changed/index.html".into(),
            "gone/deep/index.html".into(),
            "kept/index.html".into(),
        ];
        update.finish_in_place(&staged, &kept, &previous).unwrap();
        // A file no build wrote is left alone.
        assert_eq!(
            listing(&target),
            vec![
                ("added/index.html".into(), "added".into()),
                ("changed/index.html".into(), "new".into()),
                ("kept/index.html".into(), "kept".into()),
                ("stray.txt".into(), "stray".into()),
            ]
        );
        assert!(!target.join("gone").exists(), "emptied folders stay behind");
        #[cfg(unix)]
        {
            use std::os::unix::fs::MetadataExt;
            let after = std::fs::metadata(target.join("kept/index.html")).unwrap();
            assert_eq!(after.ino(), kept_inode.ino(), "a kept file was rewritten");
        }
        assert_eq!(beside(dir.path()), 1);
    }

    #[test]
    fn finish_in_place_replaces_whole_when_a_file_stands_for_a_folder() {
        let dir = tempfile::tempdir().unwrap();
        let target = dir.path().join("public");
        write_file(&target, "news", b"a file where a folder goes").unwrap();
        write_file(&target, "kept.html", b"kept").unwrap();
        let update = StagedOutput::begin(&target, &lock(&target)).unwrap();
        write_file(update.path(), "news/index.html", b"news").unwrap();
        update
            .finish_in_place(
                &["news/index.html".into()],
                &HashSet::from(["kept.html".to_string()]),
                &["kept.html".into(), "news".into()],
            )
            .unwrap();
        assert_eq!(
            listing(&target),
            vec![
                ("kept.html".into(), "kept".into()),
                ("news/index.html".into(), "news".into()),
            ]
        );
        assert_eq!(beside(dir.path()), 1);
    }

    #[test]
    fn refuses_source_folders() {
        let dir = tempfile::tempdir().unwrap();
        std::fs::write(dir.path().join("site.toml"), "").unwrap();
        assert!(StagedOutput::begin(dir.path(), &lock(dir.path())).is_err());
    }
}
