//! The bundled demo portal (云州科技网), compiled into the binary by
//! `build.rs`: the project's own `site.toml`, `approvals/policy.yaml`,
//! `content/` and `themes/default/`.

/// Every file of the portal, by repository path, sorted.
const FILES: &[(&str, &[u8])] = include!(concat!(env!("OUT_DIR"), "/demo_portal.rs"));

/// The bytes of one file.
pub fn file(path: &str) -> Option<&'static [u8]> {
    FILES
        .iter()
        .find(|(name, _)| *name == path)
        .map(|(_, bytes)| *bytes)
}

/// The files making up `path`: the file itself, or every file below the folder.
pub fn files_at(path: &str) -> Vec<(&'static str, &'static [u8])> {
    let folder = format!("{}/", path.trim_end_matches('/'));
    FILES
        .iter()
        .filter(|(name, _)| *name == path || name.starts_with(&folder))
        .copied()
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_portal_is_embedded() {
        assert!(file("site.toml").is_some());
        assert!(file("approvals/policy.yaml").is_some());
        let bundle: Vec<&str> = files_at("content/news/hq/kepuri-2026")
            .iter()
            .map(|(name, _)| *name)
            .collect();
        assert!(
            bundle.contains(&"content/news/hq/kepuri-2026/index.md"),
            "{bundle:?}"
        );
        assert!(
            bundle.len() > 1,
            "the bundle's assets are embedded too: {bundle:?}"
        );
        assert!(!files_at("themes/default").is_empty());
        assert!(
            files_at("content/news/hq/kepuri").is_empty(),
            "a prefix is not a folder"
        );
    }
}
