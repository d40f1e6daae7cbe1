//! The files sanshen keeps in `.git/sanshen/` (history cache, remembered
//! decisions, reusable pages): a format line, then postcard. A file that is
//! missing, of another format or unreadable reads as nothing; writing goes
//! through a temporary file and a rename, and failing only costs speed.

use std::io::Write;
use std::path::Path;

use serde::Serialize;
use serde::de::DeserializeOwned;

/// The value stored at `path`, if it starts with `format` and decodes.
pub fn read<T: DeserializeOwned>(path: &Path, format: &str) -> Option<T> {
    let bytes = std::fs::read(path).ok()?;
    let payload = bytes.strip_prefix(format.as_bytes())?;
    postcard::from_bytes(payload).ok()
}

/// Store `value` at `path` after `format`, and delete `obsolete` (the file
/// an earlier version kept in the same folder) once it is written. Says
/// whether the file was written.
pub fn write<T: Serialize + ?Sized>(path: &Path, format: &str, value: &T, obsolete: &str) -> bool {
    let Ok(payload) = postcard::to_stdvec(value) else {
        return false;
    };
    let Some(folder) = path.parent() else {
        return false;
    };
    let written = std::fs::create_dir_all(folder).ok().and_then(|()| {
        let mut file = tempfile::NamedTempFile::new_in(folder).ok()?;
        file.write_all(format.as_bytes()).ok()?;
        file.write_all(&payload).ok()?;
        file.persist(path).ok()
    });
    if written.is_some() && !obsolete.is_empty() {
        let _ = std::fs::remove_file(folder.join(obsolete));
    }
    written.is_some()
}
