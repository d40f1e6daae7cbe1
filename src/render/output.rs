//! Atomic output: a build writes into a fresh folder beside the target and
//! moves it into place only when complete, so a failed build leaves the
//! previous site exactly as it was.

use std::path::{Path, PathBuf};

use crate::error::{Diagnostic, Error, Result};

/// A build's output folder under construction.
pub struct StagedOutput {
    target: PathBuf,
    staging: tempfile::TempDir,
}

impl StagedOutput {
    /// Prepare a staging folder next to `target` (same file system, so the
    /// final move is a rename). Refuses targets that are clearly not a build
    /// output, so a mistyped `--out` cannot replace a source folder.
    pub fn begin(target: &Path) -> Result<StagedOutput> {
        if target.join(".git").exists() || target.join("site.toml").exists() {
            return Err(Error::config(
                Diagnostic::in_file(
                    target.display().to_string(),
                    "looks like a source folder (it holds .git or site.toml); refusing to replace it with the built site",
                )
                .with_help("choose an output folder such as `public/` with --out"),
            ));
        }
        let parent = match target.parent() {
            Some(parent) if !parent.as_os_str().is_empty() => parent.to_path_buf(),
            _ => PathBuf::from("."),
        };
        std::fs::create_dir_all(&parent)
            .map_err(|e| Error::io(&parent, &e, "create the output's parent folder"))?;
        let name = target
            .file_name()
            .map(|n| n.to_string_lossy().into_owned())
            .unwrap_or_else(|| "public".into());
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

/// Remove a folder and everything in it, sub-folders in parallel (a site
/// of many thousand article folders takes a while to unlink).
fn remove_folder(folder: &Path) -> std::io::Result<()> {
    use rayon::prelude::*;
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
    let path = root.join(relative.trim_start_matches('/'));
    if let Some(parent) = path.parent() {
        std::fs::create_dir_all(parent)
            .map_err(|e| Error::io(parent, &e, "create an output folder"))?;
    }
    write_new(&path, bytes).map_err(|e| Error::io(&path, &e, "write an output file"))
}

fn write_new(path: &Path, bytes: &[u8]) -> std::io::Result<()> {
    use std::io::Write;
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
    file.write_all(bytes)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn finish_replaces_and_drop_keeps_previous() {
        let dir = tempfile::tempdir().unwrap();
        let target = dir.path().join("public");
        std::fs::create_dir(&target).unwrap();
        std::fs::write(target.join("old.html"), "old").unwrap();

        let failed = StagedOutput::begin(&target).unwrap();
        write_file(failed.path(), "index.html", b"half").unwrap();
        drop(failed);
        assert!(target.join("old.html").exists());
        assert_eq!(
            std::fs::read_dir(dir.path()).unwrap().count(),
            1,
            "staging folder left behind"
        );

        let ok = StagedOutput::begin(&target).unwrap();
        write_file(ok.path(), "a/b/index.html", b"new").unwrap();
        ok.finish().unwrap();
        assert!(!target.join("old.html").exists());
        assert_eq!(
            std::fs::read(target.join("a/b/index.html")).unwrap(),
            b"new"
        );
        assert_eq!(std::fs::read_dir(dir.path()).unwrap().count(), 1);
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

    #[test]
    fn refuses_source_folders() {
        let dir = tempfile::tempdir().unwrap();
        std::fs::write(dir.path().join("site.toml"), "").unwrap();
        assert!(StagedOutput::begin(dir.path()).is_err());
    }
}
