//! SPEC §5: a draft — a version nobody has approved — never affects a
//! build, whatever its content, its name or its shape; a repository whose
//! trees are malformed is refused (exit 2). Real git, real keys, the real
//! binary.

mod common;

use std::fs;
use std::os::unix::ffi::OsStrExt;

use common::*;

const GOOD: &str = "content/news/good.md";

/// A site with one approved, published article.
fn published_site() -> (TestRepo, Cast) {
    let (repo, cast) = TestRepo::bootstrapped();
    repo.publish_draft(&cast.wangfang, GOOD, &article("已发布稿件", "", "正文。"));
    repo.review_standard(&cast, GOOD);
    (repo, cast)
}

/// Build: exit 0, the approved article online, warnings allowed.
fn assert_builds_with_good_online(repo: &TestRepo, what: &str) {
    let build = repo.build();
    assert_eq!(
        build.code(),
        Some(0),
        "{what}: the build failed:\n{}",
        build.stderr()
    );
    assert!(
        build.page(GOOD).is_some(),
        "{what}: the approved article went offline"
    );
}

#[test]
fn drafts_of_every_odd_shape_never_affect_a_build() {
    let (repo, cast) = published_site();
    let shapes: &[(&str, &str)] = &[
        // A folder named like an article file.
        ("content/news/folder.md/index.md", "---\ntitle: x\n---\n"),
        ("content/news/other.md/notes.txt", "notes"),
        // An index.md directly in a column folder (not a bundle).
        (
            "content/news/index.md",
            "---\ntitle: 栏目说明\nunit: kepu\n---\n",
        ),
        // Not UTF-8, not YAML, no front matter, a binary file.
        ("content/news/gbk.md", "\u{0}\u{1}"),
        ("content/news/broken.md", "---\ntitle: [\n---\n"),
        ("content/news/plain.md", "no front matter at all"),
        // A tag, an unknown field, a folder that is not a column.
        ("content/news/tag.md", "---\ntitle: !x t\nunit: kepu\n---\n"),
        ("content/nowhere/x.md", &article("无栏目", "", "正文")),
        // A stray file beside articles, and a bundle without index.md.
        ("content/news/stray.pdf", "%PDF-1.4"),
        ("content/news/noindex/photo.jpg", "jpg"),
    ];
    for (path, text) in shapes {
        repo.write(path, text);
    }
    repo.write_bytes("content/news/gbk2.md", &[0xB9, 0xA4, 0xD7, 0xF7]);
    repo.commit_as(&cast.wangfang, "草稿：各种形状");
    assert_builds_with_good_online(&repo, "odd drafts");

    // `status` and `check` report them instead.
    let status = repo.sanshen(&["status", "--now", NOW]);
    assert!(
        status.status.success(),
        "{}",
        String::from_utf8_lossy(&status.stderr)
    );
    let check = repo.sanshen(&["check", "--now", NOW]);
    let said = format!(
        "{}{}",
        String::from_utf8_lossy(&check.stdout),
        String::from_utf8_lossy(&check.stderr)
    );
    assert!(said.contains("content/news/index.md"), "{said}");
    assert!(said.contains("content/news/tag.md"), "{said}");
}

#[test]
fn a_file_name_that_is_not_utf8_is_a_draft_like_any_other() {
    let (repo, cast) = published_site();
    // git stores names as bytes: write one that is GBK, not UTF-8.
    let name = std::ffi::OsStr::from_bytes(b"content/news/\xb9\xa4\xd7\xf7.md");
    let path = repo.root.join(name);
    fs::write(&path, article("名称编码", "", "正文")).expect("write a GBK-named file");
    repo.commit_as(&cast.wangfang, "GBK 文件名");
    assert_builds_with_good_online(&repo, "a GBK file name");
    let status = repo.sanshen(&["status", "--now", NOW]);
    assert!(
        status.status.success(),
        "{}",
        String::from_utf8_lossy(&status.stderr)
    );
}

/// Replace HEAD's `content/news` tree by one written by hand, keeping the
/// rest of the tree, in a commit signed by the writer.
fn commit_crafted_news_tree(repo: &TestRepo, cast: &Cast, entries: &[(&str, &[u8], &str)]) {
    let news = repo.write_object("tree", &raw_tree(entries));
    let replace = |listing: String, name: &str, oid: &str| -> Vec<u8> {
        let mut rows: Vec<(String, Vec<u8>, String)> = listing
            .lines()
            .map(|line| {
                let (meta, entry_name) = line.split_once('\t').expect("ls-tree line");
                let parts: Vec<&str> = meta.split(' ').collect();
                let oid = if entry_name == name { oid } else { parts[2] };
                (
                    parts[0].to_string(),
                    entry_name.as_bytes().to_vec(),
                    oid.to_string(),
                )
            })
            .collect();
        rows.sort_by(|a, b| a.1.cmp(&b.1));
        let rows: Vec<(&str, &[u8], &str)> = rows
            .iter()
            .map(|(m, n, o)| {
                (
                    if m == "040000" { "40000" } else { m.as_str() },
                    n.as_slice(),
                    o.as_str(),
                )
            })
            .collect();
        raw_tree(&rows)
    };
    let content = repo.write_object(
        "tree",
        &replace(repo.git(&["ls-tree", "HEAD:content"]), "news", &news),
    );
    let root = repo.write_object(
        "tree",
        &replace(repo.git(&["ls-tree", "HEAD"]), "content", &content),
    );
    repo.commit_tree_as(&cast.wangfang, &root, "手工构造的目录树");
}

#[test]
fn a_tree_with_two_entries_of_one_name_or_a_dot_git_entry_is_refused() {
    for bad in ["duplicate", ".git", "..", "."] {
        let (repo, cast) = published_site();
        let good = repo.rev_parse(&format!("HEAD:{GOOD}"));
        let other = repo.write_object("blob", b"unapproved\n");
        let mut entries: Vec<(&str, &[u8], &str)> = vec![("100644", b"good.md", good.as_str())];
        match bad {
            "duplicate" => entries.push(("100644", b"good.md", other.as_str())),
            name => entries.insert(0, ("100644", name.as_bytes(), other.as_str())),
        }
        commit_crafted_news_tree(&repo, &cast, &entries);
        let build = repo.build();
        assert_eq!(
            build.code(),
            Some(2),
            "{bad}: a malformed tree was not refused:\n{}",
            build.stderr()
        );
        assert!(
            build.stderr().contains("content/news"),
            "{bad}: the message names the tree: {}",
            build.stderr()
        );
    }
}
