//! A corrupted or substituted object is an error, never silently trusted:
//! sanshen reads objects with libgit2's strict hash verification on.

mod common;

use common::*;

const A: &str = "content/news/a.md";

fn loose_object(repo: &TestRepo, oid: &str) -> std::path::PathBuf {
    repo.root
        .join(".git/objects")
        .join(&oid[..2])
        .join(&oid[2..])
}

#[test]
fn a_substituted_object_fails_the_build() {
    let (repo, cast) = TestRepo::bootstrapped();
    let genuine = repo.publish_draft(
        &cast.wangfang,
        A,
        &article("真稿", "unit: kepu\n", "审过的正文。"),
    );
    repo.review_standard(&cast, A);
    repo.build().assert_success();

    // Put another blob's (valid, compressed) bytes under the approved blob's name.
    repo.write(
        "forged.md",
        &article("真稿", "unit: kepu\n", "未经审核的正文。"),
    );
    let forged = repo
        .git(&["hash-object", "-w", "forged.md"])
        .trim()
        .to_string();
    let target = loose_object(&repo, &genuine);
    assert!(target.exists(), "the test expects loose objects");
    std::fs::remove_file(&target).expect("remove the genuine object");
    std::fs::copy(loose_object(&repo, &forged), &target).expect("substitute the object");

    // Without the cache every approved object is read: the substitution is
    // found and nothing is written.
    let build = repo.build_with(&["--no-cache"]);
    assert_eq!(build.code(), Some(2), "{}", build.stderr());
    assert!(!build.stderr().is_empty());
    let page = build.page(A).unwrap_or_default();
    assert!(
        !page.contains("未经审核"),
        "the substituted text was published"
    );

    // A warm build trusts what it decided about the version before (the
    // decision is keyed by the object id) and keeps the page rendered from
    // the genuine object: it reads nothing, so it publishes nothing forged.
    let warm = repo.build();
    let page = warm.page(A).unwrap_or_default();
    assert!(
        !page.contains("未经审核"),
        "the substituted text was published"
    );
    // Once the page must be rendered again, the object is read and the
    // substitution found.
    std::fs::remove_dir_all(&repo.out).expect("remove the output");
    let rerender = repo.build();
    assert_eq!(rerender.code(), Some(2), "{}", rerender.stderr());
    let page = rerender.page(A).unwrap_or_default();
    assert!(
        !page.contains("未经审核"),
        "the substituted text was published"
    );
}
