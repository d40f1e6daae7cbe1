//! Snapshot files: what a scenario decided, in `snapshots/<name>.txt`,
//! reviewed in the repository. A change shows as a failing test with both
//! texts; `UPDATE_SNAPSHOTS=1 cargo test --test fold` writes the new ones,
//! to be read before they are committed.

use std::path::PathBuf;

fn path_of(name: &str) -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
        .join("tests/fold/snapshots")
        .join(format!("{name}.txt"))
}

/// Compare `rendered` (with `about`, the scenario in one paragraph, on top)
/// with the snapshot `name`.
pub fn check(name: &str, about: &str, rendered: &str) {
    let mut text = String::new();
    for line in about.trim().lines() {
        text.push_str("# ");
        text.push_str(line.trim());
        text.push('\n');
    }
    text.push('\n');
    text.push_str(rendered);
    let path = path_of(name);
    if std::env::var_os("UPDATE_SNAPSHOTS").is_some() {
        std::fs::create_dir_all(path.parent().expect("a folder")).expect("snapshot folder");
        std::fs::write(&path, &text).expect("write the snapshot");
        return;
    }
    let expected = std::fs::read_to_string(&path).unwrap_or_else(|_| {
        panic!(
            "no snapshot {}: run `UPDATE_SNAPSHOTS=1 cargo test --test fold` and review it\n\n{text}",
            path.display()
        )
    });
    assert!(
        expected == text,
        "snapshot {name} differs (UPDATE_SNAPSHOTS=1 writes the new one; review it before committing)\n--- expected\n{expected}\n--- actual\n{text}"
    );
}
