//! The data flows one way (STYLE.md): repository → ledger → publication set
//! → render → whole-site checks → output, with the per-version rules below
//! the publication set. This test reads every module's `crate::…` paths and
//! fails on an edge the list below does not allow — so a cycle, or a module
//! reaching up the flow, cannot come back unnoticed.

use std::collections::{BTreeMap, BTreeSet};
use std::path::Path;

/// What each library module may use, besides itself. The commands, the
/// command line, the preview server and the demo sit on top and may use
/// anything; they are not listed.
const ALLOWED: &[(&str, &[&str])] = &[
    // Leaves.
    ("error", &[]),
    ("i18n", &[]),
    ("timings", &[]),
    ("cache_file", &[]),
    ("qr", &[]),
    ("media", &[]),
    ("catalog", &["i18n"]),
    // The repository and what is in it.
    ("repo", &["error"]),
    ("content", &["error", "repo"]),
    ("site", &["error", "i18n", "catalog", "content"]),
    // Who approved what: never the rules, the publication set or render.
    (
        "ledger",
        &[
            "error",
            "i18n",
            "timings",
            "cache_file",
            "catalog",
            "repo",
            "content",
            "site",
        ],
    ),
    // The gate: per-version rules, below the publication set.
    (
        "rules",
        &[
            "error", "i18n", "catalog", "media", "content", "site", "ledger",
        ],
    ),
    // What is published: never render or the whole-site checks.
    (
        "publish",
        &[
            "error",
            "i18n",
            "cache_file",
            "catalog",
            "repo",
            "content",
            "site",
            "ledger",
            "rules",
        ],
    ),
    (
        "pipeline",
        &["error", "repo", "site", "ledger", "rules", "publish"],
    ),
    // Pages from the publication set: never the checks, the ledger or the rules.
    (
        "render",
        &[
            "error",
            "i18n",
            "cache_file",
            "qr",
            "media",
            "content",
            "site",
            "publish",
        ],
    ),
    // Whole-site checks over what render produced.
    (
        "checks",
        &[
            "error", "i18n", "catalog", "media", "repo", "content", "site", "ledger", "rules",
            "publish", "render",
        ],
    ),
    // Read-side outputs of a decided publication.
    (
        "manifest",
        &["error", "i18n", "content", "site", "ledger", "publish"],
    ),
    (
        "status",
        &[
            "error", "i18n", "repo", "content", "site", "ledger", "publish", "manifest",
        ],
    ),
    (
        "report",
        &[
            "error", "i18n", "catalog", "repo", "content", "site", "ledger", "rules", "publish",
        ],
    ),
    ("signing", &["error", "ledger", "site"]),
    (
        "scaffold",
        &["error", "i18n", "content", "site", "ledger", "rules"],
    ),
];

/// Modules on top, allowed to use anything.
const TOP: &[&str] = &["commands", "cli", "preview", "demo", "lib", "main"];

/// The top-level module a source file belongs to.
fn module_of(relative: &Path) -> String {
    let first = relative
        .components()
        .next()
        .and_then(|c| c.as_os_str().to_str())
        .unwrap_or_default();
    first.trim_end_matches(".rs").to_string()
}

/// The modules named by `crate::x` paths in code (comments and the unit
/// tests at the end of a file left out).
fn used_modules(source: &str) -> BTreeSet<String> {
    let code = match source.find("#[cfg(test)]\nmod tests") {
        Some(at) => &source[..at],
        None => source,
    };
    let mut used = BTreeSet::new();
    for line in code.lines() {
        let line = line.split("//").next().unwrap_or_default();
        let mut rest = line;
        while let Some(at) = rest.find("crate::") {
            let after = &rest[at + "crate::".len()..];
            let name: String = after
                .chars()
                .take_while(|c| c.is_ascii_alphanumeric() || *c == '_')
                .collect();
            if !name.is_empty() {
                used.insert(name);
            }
            rest = after;
        }
    }
    used
}

fn source_files(folder: &Path, found: &mut Vec<std::path::PathBuf>) {
    for entry in std::fs::read_dir(folder).expect("read src/") {
        let path = entry.expect("an entry").path();
        if path.is_dir() {
            source_files(&path, found);
        } else if path.extension().is_some_and(|e| e == "rs") {
            found.push(path);
        }
    }
}

#[test]
fn modules_use_only_what_the_data_flow_allows() {
    let src = Path::new(env!("CARGO_MANIFEST_DIR")).join("src");
    let allowed: BTreeMap<&str, &[&str]> = ALLOWED.iter().copied().collect();
    let mut files = Vec::new();
    source_files(&src, &mut files);
    files.sort();
    assert!(files.len() > 50, "found only {} source files", files.len());

    let mut graph: BTreeMap<String, BTreeSet<String>> = BTreeMap::new();
    let mut wrong = Vec::new();
    for file in &files {
        let relative = file.strip_prefix(&src).expect("below src/");
        let module = module_of(relative);
        let source = std::fs::read_to_string(file).expect("read a source file");
        for used in used_modules(&source) {
            if used == module {
                continue;
            }
            graph
                .entry(module.clone())
                .or_default()
                .insert(used.clone());
            if TOP.contains(&module.as_str()) {
                continue;
            }
            match allowed.get(module.as_str()) {
                None => wrong.push(format!(
                    "src/{}: module `{module}` is not in the list of allowed edges (tests/architecture.rs)",
                    relative.display()
                )),
                Some(may) if !may.contains(&used.as_str()) => wrong.push(format!(
                    "src/{}: `{module}` uses `{used}`, which the data flow does not allow",
                    relative.display()
                )),
                Some(_) => {}
            }
        }
    }
    let drawn: String = graph
        .iter()
        .map(|(module, used)| {
            format!(
                "  {module} -> {}\n",
                used.iter().cloned().collect::<Vec<_>>().join(", ")
            )
        })
        .collect();
    assert!(
        wrong.is_empty(),
        "{}\n\nthe module graph as the code draws it:\n{drawn}",
        wrong.join("\n")
    );
}

#[test]
fn the_allowed_edges_have_no_cycle() {
    let allowed: BTreeMap<&str, &[&str]> = ALLOWED.iter().copied().collect();
    // Depth-first search for a way back to the start.
    fn reaches(
        allowed: &BTreeMap<&str, &[&str]>,
        from: &str,
        target: &str,
        seen: &mut BTreeSet<String>,
    ) -> bool {
        for &next in allowed.get(from).copied().unwrap_or_default() {
            if next == target {
                return true;
            }
            if seen.insert(next.to_string()) && reaches(allowed, next, target, seen) {
                return true;
            }
        }
        false
    }
    for &(module, _) in ALLOWED {
        assert!(
            !reaches(&allowed, module, module, &mut BTreeSet::new()),
            "the allowed edges let `{module}` reach itself"
        );
    }
}

#[test]
fn the_check_reads_paths_as_the_compiler_does() {
    let used = used_modules(
        "use crate::publish::State;\n// crate::render in a comment\nlet x = crate::rules::gate(); /// crate::checks\n#[cfg(test)]\nmod tests {\n    use crate::checks::x;\n}\n",
    );
    let used: Vec<&str> = used.iter().map(String::as_str).collect();
    assert_eq!(used, ["publish", "rules"]);
}
