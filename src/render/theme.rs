//! The theme's part of the output: its static files, and the fingerprint
//! that makes browsers fetch them again after an update. Themes themselves
//! (the built-in one, reading templates) are `site::theme`.

use crate::error::Result;
use crate::render::OutputFolder;
use crate::site::theme::{STATIC_DIR, Theme};

/// Copy `static/**` of the theme to `static/**` of the output.
pub(crate) fn copy_static_files(theme: &Theme, output: &OutputFolder) -> Result<()> {
    for (path, bytes) in &theme.files {
        if path.starts_with(STATIC_DIR) {
            output.write(path, bytes)?;
        }
    }
    Ok(())
}

/// A short fingerprint of the theme's static files, appended to their URLs
/// (`site.css?v=…`) so browsers do not keep an old stylesheet after an update.
pub(crate) fn static_version(theme: &Theme) -> String {
    // FNV-1a: stable across builds and platforms, which `DefaultHasher` is not.
    let mut hash: u64 = 0xcbf2_9ce4_8422_2325;
    let mut feed = |bytes: &[u8]| {
        for &byte in bytes {
            hash ^= u64::from(byte);
            hash = hash.wrapping_mul(0x0100_0000_01b3);
        }
    };
    for (path, bytes) in &theme.files {
        if path.starts_with(STATIC_DIR) {
            feed(path.as_bytes());
            feed(&[0]);
            feed(bytes);
        }
    }
    format!("{:08x}", hash >> 32)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::site::theme::default_theme;

    #[test]
    fn static_version_follows_the_files() {
        let theme = default_theme();
        let mut changed = theme.clone();
        changed
            .files
            .insert("static/css/site.css".into(), b"body{}".to_vec());
        assert_eq!(static_version(&theme), static_version(&theme.clone()));
        assert_ne!(static_version(&theme), static_version(&changed));
    }
}
