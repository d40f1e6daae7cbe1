//! Themes: the built-in default theme, and turning any theme into templates.
//! A theme version is part of the site's settings (approved through the
//! `site` workflow); one whose templates do not compile is invalid, and the
//! previous valid version stays in use (SPEC §5).
//!
//! The default theme lives in `themes/default/` and is also compiled into the
//! binary, so a site without a `themes/` folder still builds. The list of
//! embedded files is written out by hand (one `include_bytes!` each); a test
//! compares it with the folder on disk so a new file cannot be forgotten.
//!
//! A theme's templates are Tera templates under `templates/`; its static
//! files (CSS, JS, images) under `static/` are copied to `/static/` of the
//! output unchanged.

use std::collections::BTreeMap;

use crate::error::{Diagnostic, Error, Result};

/// A theme: Tera templates and static files, by path relative to the theme folder
/// (`templates/article.html`, `static/css/site.css`).
#[derive(Debug, Clone, Default)]
pub struct Theme {
    pub name: String,
    pub files: BTreeMap<String, Vec<u8>>,
}

/// Name of the built-in theme.
pub const DEFAULT_THEME: &str = "default";

pub const TEMPLATES_DIR: &str = "templates/";
pub const STATIC_DIR: &str = "static/";

/// The templates the renderer asks for; a theme must provide each.
pub const REQUIRED_TEMPLATES: &[&str] = &[
    "index.html",
    "column.html",
    "article.html",
    "sitemap.html",
    "search.html",
    "404.html",
];

macro_rules! embed {
    ($($path:literal),* $(,)?) => {
        &[$(($path, include_bytes!(concat!("../../themes/default/", $path)))),*]
    };
}

/// Every file of `themes/default`, by path relative to it.
const DEFAULT_THEME_FILES: &[(&str, &[u8])] = embed![
    "templates/404.html",
    "templates/article.html",
    "templates/base.html",
    "templates/column.html",
    "templates/index.html",
    "templates/macros.html",
    "templates/search.html",
    "templates/sitemap.html",
    "static/css/print.css",
    "static/css/search.css",
    "static/css/site.css",
    "static/img/attachment.svg",
    "static/img/conac-badge.svg",
    "static/img/feed.svg",
    "static/img/logo.svg",
    "static/img/print.svg",
    "static/img/search.svg",
    "static/js/search.js",
    "static/js/site.js",
];

/// The built-in default theme.
pub fn default_theme() -> Theme {
    Theme {
        name: DEFAULT_THEME.to_string(),
        files: DEFAULT_THEME_FILES
            .iter()
            .map(|(path, bytes)| (path.to_string(), bytes.to_vec()))
            .collect(),
    }
}

/// Load a theme's `templates/` into Tera. Errors name the template file and
/// carry Tera's own message (which says where in the file the problem is).
pub fn load_templates(theme: &Theme) -> Result<tera::Tera> {
    let file_of = |name: &str| format!("themes/{}/{TEMPLATES_DIR}{name}", theme.name);
    let mut templates = Vec::new();
    for (path, bytes) in &theme.files {
        let Some(name) = path.strip_prefix(TEMPLATES_DIR) else {
            continue;
        };
        let text = std::str::from_utf8(bytes).map_err(|_| {
            Error::config(
                Diagnostic::in_file(file_of(name), "is not UTF-8 text")
                    .with_help("save the template as UTF-8"),
            )
        })?;
        templates.push((name, text));
    }

    // Parse each template on its own first: a syntax error is then reported
    // for the file that has it, not for the set.
    for &(name, text) in &templates {
        if let Err(err) = tera::Template::new(name, None, text) {
            return Err(Error::config(
                Diagnostic::in_file(
                    file_of(name),
                    format!("template syntax error: {}", error_chain(&err)),
                )
                .with_help("see https://keats.github.io/tera/docs/ for the template syntax"),
            ));
        }
    }

    let mut tera = tera::Tera::default();
    tera.set_escape_fn(escape_html);
    tera.add_raw_templates(templates.iter().copied())
        .map_err(|err| {
            Error::config(
                Diagnostic::in_file(
                    format!("themes/{}/{TEMPLATES_DIR}", theme.name),
                    format!("the templates do not fit together: {}", error_chain(&err)),
                )
                .with_help("check the names in `extends`, `include` and `import`"),
            )
        })?;
    for required in REQUIRED_TEMPLATES {
        if !templates.iter().any(|(name, _)| name == required) {
            return Err(Error::config(
                Diagnostic::in_file(file_of(required), "is missing from the theme")
                    .with_help("copy it from themes/default/templates/ and adapt it"),
            ));
        }
    }
    Ok(tera)
}

/// Escape text for HTML element content and quoted attributes. Tera's own
/// escaping also turns every `/` into `&#x2F;`, which makes each URL in the
/// pages unreadable for people inspecting them and gains nothing inside quotes.
pub fn escape_html(text: &str) -> String {
    let mut escaped = String::with_capacity(text.len());
    for c in text.chars() {
        match c {
            '&' => escaped.push_str("&amp;"),
            '<' => escaped.push_str("&lt;"),
            '>' => escaped.push_str("&gt;"),
            '"' => escaped.push_str("&quot;"),
            '\'' => escaped.push_str("&#39;"),
            c => escaped.push(c),
        }
    }
    escaped
}

/// A Tera error with all its causes: Tera puts the useful part (the line and
/// what was expected) in the source chain, not in the top message.
pub fn error_chain(err: &tera::Error) -> String {
    let mut message = err.to_string();
    let mut source = std::error::Error::source(err);
    while let Some(cause) = source {
        message.push_str(": ");
        message.push_str(&cause.to_string());
        source = cause.source();
    }
    message
}

/// A theme from the entries of its folder `themes/<name>` (paths relative
/// to that folder), read from `source`.
pub fn read_theme(
    name: &str,
    entries: &[crate::content::TreeEntry],
    source: &impl crate::content::source::ContentSource,
) -> Result<Theme> {
    let mut theme = Theme {
        name: name.to_string(),
        files: Default::default(),
    };
    for entry in entries {
        match entry.kind {
            crate::content::EntryKind::Blob => {
                let bytes = source.read(&entry.oid)?;
                theme.files.insert(entry.path.clone(), bytes);
            }
            crate::content::EntryKind::Symlink
            | crate::content::EntryKind::Submodule
            | crate::content::EntryKind::NameNotUtf8 => {
                return Err(Error::config(
                    Diagnostic::in_file(
                        format!("themes/{name}/{}", entry.path),
                        "is a link or submodule; themes must hold plain files",
                    )
                    .with_help("commit the file itself"),
                ));
            }
            crate::content::EntryKind::Tree => {}
        }
    }
    Ok(theme)
}

/// A theme version as it is used: read from its folder's entries and its
/// templates compiled. An error means the version is invalid (or, for a
/// source error, unreadable).
pub fn compiled_theme(
    name: &str,
    entries: &[crate::content::TreeEntry],
    source: &impl crate::content::source::ContentSource,
) -> Result<Theme> {
    let theme = read_theme(name, entries, source)?;
    load_templates(&theme)?;
    Ok(theme)
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::collections::BTreeMap;
    use std::path::Path;

    fn files_on_disk(root: &Path, folder: &Path, found: &mut BTreeMap<String, Vec<u8>>) {
        let mut entries: Vec<_> = std::fs::read_dir(folder)
            .unwrap()
            .map(|e| e.unwrap().path())
            .collect();
        entries.sort();
        for path in entries {
            if path.is_dir() {
                files_on_disk(root, &path, found);
            } else {
                let relative = path.strip_prefix(root).unwrap();
                let name = relative
                    .components()
                    .map(|c| c.as_os_str().to_string_lossy().into_owned())
                    .collect::<Vec<_>>()
                    .join("/");
                found.insert(name, std::fs::read(&path).unwrap());
            }
        }
    }

    #[test]
    fn embedded_theme_matches_the_folder() {
        let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("themes/default");
        let mut on_disk = BTreeMap::new();
        files_on_disk(&root, &root, &mut on_disk);
        let embedded = default_theme().files;
        let disk_names: Vec<&String> = on_disk.keys().collect();
        let embedded_names: Vec<&String> = embedded.keys().collect();
        assert_eq!(
            embedded_names, disk_names,
            "list every file of themes/default in DEFAULT_THEME_FILES (src/site/theme.rs)"
        );
        assert_eq!(embedded, on_disk);
    }

    #[test]
    fn default_theme_loads() {
        let tera = load_templates(&default_theme()).unwrap();
        for name in REQUIRED_TEMPLATES {
            assert!(tera.get_template_names().any(|n| n == *name), "{name}");
        }
    }

    #[test]
    fn syntax_error_names_the_file() {
        let mut theme = default_theme();
        theme.name = "custom".into();
        theme
            .files
            .insert("templates/column.html".into(), b"{% if %}\n".to_vec());
        let err = load_templates(&theme).unwrap_err();
        let diagnostic = &err.diagnostics[0];
        assert_eq!(
            diagnostic.file.as_deref(),
            Some("themes/custom/templates/column.html")
        );
        assert!(diagnostic.message.contains("1:"), "{}", diagnostic.message);
    }

    #[test]
    fn missing_template_and_parent() {
        let mut theme = default_theme();
        theme.files.remove("templates/search.html");
        let err = load_templates(&theme).unwrap_err();
        assert_eq!(
            err.diagnostics[0].file.as_deref(),
            Some("themes/default/templates/search.html")
        );
        let mut theme = default_theme();
        theme.files.remove("templates/base.html");
        let err = load_templates(&theme).unwrap_err();
        assert!(err.diagnostics[0].message.contains("base.html"), "{err}");
    }

    #[test]
    fn escaping_keeps_urls_readable() {
        assert_eq!(
            escape_html(r#"<a href="/x/?a=1&b='2'">"#),
            "&lt;a href=&quot;/x/?a=1&amp;b=&#39;2&#39;&quot;&gt;"
        );
    }
}
