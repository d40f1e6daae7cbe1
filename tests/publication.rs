//! What is online at a revision (SPEC §5 "What is published", §6 exit
//! codes): which version of each path the approvals put online, and what
//! edits, reverts, merges, withdrawals, broken files and shallow clones do to
//! it. Each test checks the built output, the manifest and `status --json`.

mod common;

use std::collections::BTreeMap;
use std::fs;
use std::path::{Path, PathBuf};

use common::{
    ARTICLE_DATE, Cast, NOW, PolicyDoc, SITE_TITLE, TestRepo, article, assert_refused, site_toml,
    site_toml_with, trailer_message,
};

const A: &str = "content/news/kepu-month.md";

fn text(version: &str) -> String {
    article("科普月活动启动", "", &format!("{version}正文。"))
}

#[test]
fn an_edit_in_review_keeps_the_approved_version_online() {
    let (repo, cast) = TestRepo::bootstrapped();
    let v1 = repo.publish_draft(&cast.wangfang, A, &text("第一版"));
    repo.review_standard(&cast, A);
    let v2 = repo.publish_draft(&cast.wangfang, A, &text("第二版"));
    repo.approve(&cast.lihua, "unit-review", A);
    repo.approve(&cast.zhaolei, "re-review", A);

    let site = repo.snapshot();
    assert!(site.online(A));
    assert!(
        site.page(A).contains("第一版"),
        "the approved text stays online"
    );
    assert!(!site.page(A).contains("第二版"));
    assert_eq!(site.state(A), "outdated");
    assert_eq!(site.published_oid(A), Some(v1.as_str()));
    assert_eq!(site.status(A)["current_oid"], v2.as_str());
    assert_eq!(
        site.build.manifest_entry(A).expect("listed")["oid"],
        v1.as_str()
    );
    assert_eq!(
        site.stage_by(A, "unit-review"),
        ["lihua"],
        "stages shown are the current version's"
    );
    assert_eq!(site.next_stage(A), Some("final"));
    assert_eq!(site.eligible(A), ["chenjun"]);
}

/// SPEC §5 rule 6: when v2 completes its workflow, every approval of other
/// versions of the path recorded earlier (v1's) is void. Reverting the text
/// to v1 makes v1's blob the current version again, but it has no valid
/// approvals, so it is not approved. "What is published": walking the
/// first-parent history back, the revert commit's version (v1) is not
/// approved, the commit before introduced v2, which is approved and not
/// voided — so v2 stays online and the state is `outdated` (an older version
/// online, the current one pending) until v1 is reviewed afresh.
#[test]
fn a_reverted_text_needs_a_fresh_review() {
    let (repo, cast) = TestRepo::bootstrapped();
    let v1 = repo.publish_draft(&cast.wangfang, A, &text("第一版"));
    repo.review_standard(&cast, A);
    let v2 = repo.publish_draft(&cast.wangfang, A, &text("第二版"));
    repo.review_standard(&cast, A);
    let site = repo.snapshot();
    assert!(site.page(A).contains("第二版"));
    assert_eq!(site.state(A), "published");

    let reverted = repo.publish_draft(&cast.wangfang, A, &text("第一版"));
    assert_eq!(reverted, v1, "the revert restores v1's exact blob");
    let site = repo.snapshot();
    assert!(site.online(A));
    assert!(
        site.page(A).contains("第二版"),
        "v1 does not come back unreviewed"
    );
    assert!(!site.page(A).contains("第一版"));
    assert_eq!(site.state(A), "outdated");
    assert_eq!(site.published_oid(A), Some(v2.as_str()));
    assert_eq!(site.status(A)["current_oid"], v1.as_str());
    assert_eq!(
        site.next_stage(A),
        Some("unit-review"),
        "v1's old approvals are void"
    );
    assert!(site.stage_by(A, "final").is_empty());

    repo.review_standard(&cast, A);
    let site = repo.snapshot();
    assert!(site.page(A).contains("第一版"));
    assert_eq!(site.state(A), "published");
    assert_eq!(site.published_oid(A), Some(v1.as_str()));
}

#[test]
fn approved_content_copied_to_another_path_is_not_approved_there() {
    let (repo, cast) = TestRepo::bootstrapped();
    const COPY: &str = "content/news/copy.md";
    let oid = repo.publish_draft(&cast.wangfang, A, &text("原文"));
    repo.review_standard(&cast, A);
    let copied = repo.publish_draft(&cast.wangfang, COPY, &repo.read(A));
    assert_eq!(copied, oid, "same content, same blob");

    let site = repo.snapshot();
    assert!(site.online(A));
    assert!(!site.online(COPY), "an approval binds (path, object id)");
    assert_eq!(site.state(COPY), "pending");
    assert_eq!(site.published_oid(COPY), None);
    assert_eq!(site.next_stage(COPY), Some("unit-review"));
}

#[test]
fn a_bundle_is_approved_as_a_whole_folder() {
    let (repo, cast) = TestRepo::bootstrapped();
    const EXPO: &str = "content/news/expo";
    const FAIR: &str = "content/news/fair";
    repo.write(
        &format!("{EXPO}/index.md"),
        &article("科技展览", "", "见附图。"),
    );
    repo.write_bytes(&format!("{EXPO}/photo.jpg"), b"first photo");
    repo.write(
        &format!("{FAIR}/index.md"),
        &article("科技集市", "", "见附图。"),
    );
    repo.write_bytes(&format!("{FAIR}/photo.jpg"), b"fair photo");
    repo.commit_as(&cast.wangfang, "两个图文稿件");
    let expo_tree = repo.rev_parse(&format!("HEAD:{EXPO}"));
    repo.review_standard(&cast, EXPO);
    // The fair's reviewers approve only its index.md, not the folder.
    repo.review_standard(&cast, &format!("{FAIR}/index.md"));

    let site = repo.snapshot();
    assert!(site.online(EXPO));
    assert_eq!(site.published_oid(EXPO), Some(expo_tree.as_str()));
    let photo = site.build.out.join("news/expo/photo.jpg");
    assert_eq!(
        fs::read(&photo).expect("the asset beside the page"),
        b"first photo"
    );
    assert!(
        !site.online(FAIR),
        "approving index.md does not approve the bundle's assets"
    );
    assert_eq!(site.state(FAIR), "pending");

    // Swapping the photo changes the folder's tree: a new version to review.
    repo.write_bytes(&format!("{EXPO}/photo.jpg"), b"swapped photo");
    repo.commit_as(&cast.wangfang, "换图");
    let site = repo.snapshot();
    assert_eq!(site.state(EXPO), "outdated");
    assert_eq!(
        fs::read(&photo).expect("the approved asset"),
        b"first photo"
    );
}

#[test]
fn a_deleted_article_is_not_published() {
    let (repo, cast) = TestRepo::bootstrapped();
    repo.publish_draft(&cast.wangfang, A, &text("原文"));
    repo.review_standard(&cast, A);
    assert!(repo.snapshot().online(A));

    repo.remove(A);
    repo.commit_as(&cast.wangfang, "删除稿件");
    let site = repo.snapshot();
    assert!(!site.online(A));
    assert!(site.status.iter().all(|s| s["path"] != A));
}

#[test]
fn an_unapproved_site_toml_edit_changes_nothing() {
    let (repo, cast) = TestRepo::bootstrapped();
    repo.publish_draft(&cast.wangfang, A, &text("原文"));
    repo.review_standard(&cast, A);
    repo.write("site.toml", &site_toml("被篡改的网站"));
    repo.commit_as(&cast.wangfang, "改个标题");

    let site = repo.snapshot();
    let home = fs::read_to_string(site.build.out.join("index.html")).expect("index.html");
    assert!(home.contains(SITE_TITLE), "the approved site.toml is used");
    assert!(!home.contains("被篡改的网站"));
    assert!(!site.page(A).contains("被篡改的网站"));

    // Approved by the maintainer, the same edit takes effect.
    repo.approve(&cast.qianwei, "site", "site.toml");
    let site = repo.snapshot();
    assert!(site.page(A).contains("被篡改的网站"));
}

#[test]
fn an_unapproved_theme_edit_changes_nothing() {
    let repo = TestRepo::new();
    let cast = Cast::new(&repo);
    repo.write_policy(&PolicyDoc::standard(1, &cast));
    repo.write(
        "site.toml",
        &site_toml_with(SITE_TITLE, "theme = \"house\"\n"),
    );
    repo.copy_folder(
        &Path::new(env!("CARGO_MANIFEST_DIR")).join("themes/default"),
        "themes/house",
    );
    repo.commit_as(&cast.sunli, "建站");
    repo.approve(&cast.qianwei, "site", "site.toml");
    repo.approve(&cast.qianwei, "site", "themes/house");
    repo.publish_draft(&cast.wangfang, A, &text("原文"));
    repo.review_standard(&cast, A);

    const INJECTED: &str = "<p id=\"injected\">未经审核的内容</p>";
    let base = repo.read("themes/house/templates/base.html");
    assert!(base.contains("</body>"));
    repo.write(
        "themes/house/templates/base.html",
        &base.replace("</body>", &format!("{INJECTED}\n</body>")),
    );
    repo.commit_as(&cast.wangfang, "调整模板");

    let site = repo.snapshot();
    assert!(site.online(A));
    assert!(
        !site.page(A).contains(INJECTED),
        "the approved theme is used"
    );

    repo.approve(&cast.qianwei, "site", "themes/house");
    assert!(
        repo.snapshot().page(A).contains(INJECTED),
        "approved, the edit takes effect"
    );
}

#[test]
fn a_site_without_an_approved_site_toml_does_not_build() {
    let repo = TestRepo::new();
    let cast = Cast::new(&repo);
    repo.write_policy(&PolicyDoc::standard(1, &cast));
    repo.write("site.toml", &site_toml(SITE_TITLE));
    repo.commit_as(&cast.sunli, "建站");

    let build = repo.build();
    assert_eq!(build.code(), Some(2), "{}", build.stderr());
    let stderr = build.stderr();
    assert!(stderr.contains("site.toml"), "{stderr}");
    assert!(
        stderr.contains("Approve: site site.toml")
            || stderr.contains("approve --stage site site.toml"),
        "the message says how to approve site.toml: {stderr}"
    );
    assert!(!build.out.exists(), "nothing is written");
}

#[test]
fn only_the_withdraw_role_takes_an_article_down_and_a_fresh_review_restores_it() {
    let (repo, cast) = TestRepo::bootstrapped();
    repo.publish_draft(&cast.wangfang, A, &text("原文"));
    repo.review_standard(&cast, A);

    repo.withdraw(&cast.zhaolei, A, "我觉得不妥");
    let site = repo.snapshot();
    assert!(site.online(A), "赵磊 does not hold withdraw_role");
    assert_refused(&site, A, "Withdraw", "wrong-role");

    repo.withdraw(&cast.sunli, A, "信息有误，撤稿");
    let site = repo.snapshot();
    assert!(!site.online(A));
    assert_eq!(site.state(A), "withdrawn");
    assert_eq!(site.published_oid(A), None);

    repo.review_standard(&cast, A);
    let site = repo.snapshot();
    assert!(site.online(A));
    assert_eq!(site.state(A), "published");
}

#[test]
fn an_approval_in_a_signed_merge_commit_counts() {
    let (repo, cast) = TestRepo::bootstrapped();
    repo.git(&["checkout", "-q", "-b", "feature"]);
    let oid = repo.publish_draft(&cast.wangfang, A, &text("原文"));
    repo.approve(&cast.lihua, "unit-review", A);
    repo.approve(&cast.zhaolei, "re-review", A);
    repo.git(&["checkout", "-q", "main"]);
    // 陈军 merges the pull request and signs the final stage in the merge;
    // no object id: the version in the merge commit's own tree.
    let merge = repo.merge_with(
        &cast.chenjun,
        Some(cast.chenjun.signing_key()),
        "feature",
        &trailer_message("合并：科普月稿件", &[format!("Approve: final {A}")]),
    );

    let site = repo.snapshot();
    assert!(site.online(A));
    assert_eq!(site.published_oid(A), Some(oid.as_str()));
    assert_eq!(site.stage_by(A, "final"), ["chenjun"]);
    let final_stage = &site.build.manifest_entry(A).expect("listed")["stages"][2];
    assert_eq!(final_stage["approvals"][0]["commit"], merge.as_str());
}

/// An approved version stays online while an edit of it is in review —
/// also when both were made on a branch merged later, and whichever way
/// round the merge lists its parents (SPEC §5: no parent order decides).
#[test]
fn a_version_approved_on_a_side_branch_stays_online_while_its_edit_is_in_review() {
    for swapped in [false, true] {
        let (repo, cast) = TestRepo::bootstrapped();
        repo.git(&["checkout", "-q", "-b", "feature"]);
        let v1 = repo.publish_draft(&cast.wangfang, A, &text("第一版"));
        repo.review_standard(&cast, A);
        let v2 = repo.publish_draft(&cast.wangfang, A, &text("第二版"));
        repo.git(&["checkout", "-q", "main"]);
        let key = Some(cast.sunli.signing_key());
        if swapped {
            repo.merge_swapped(&cast.sunli, key, "feature", "合并 feature");
        } else {
            repo.merge_with(&cast.sunli, key, "feature", "合并 feature");
        }
        assert_eq!(repo.rev_parse(&format!("HEAD:{A}")), v2);

        let site = repo.snapshot();
        assert!(site.online(A), "swapped {swapped}");
        assert_eq!(site.state(A), "outdated", "swapped {swapped}");
        assert_eq!(site.published_oid(A), Some(v1.as_str()));
    }
}

#[test]
fn a_web_merge_signed_by_an_unknown_key_carries_no_approval() {
    let (repo, cast) = TestRepo::bootstrapped();
    let hosting = repo.person("web-flow", "GitHub", None);
    repo.git(&["checkout", "-q", "-b", "feature"]);
    repo.publish_draft(&cast.wangfang, A, &text("原文"));
    repo.approve(&cast.lihua, "unit-review", A);
    repo.approve(&cast.zhaolei, "re-review", A);
    repo.git(&["checkout", "-q", "main"]);
    repo.merge_with(
        &hosting,
        Some(hosting.signing_key()),
        "feature",
        &trailer_message("Merge pull request #7", &[format!("Approve: final {A}")]),
    );

    let site = repo.snapshot();
    assert!(!site.online(A));
    assert_refused(&site, A, "final", "unknown-key");
    assert_eq!(site.next_stage(A), Some("final"));
}

#[test]
fn a_version_without_readable_front_matter_cannot_be_approved() {
    let (repo, cast) = TestRepo::bootstrapped();
    const NOT_YAML: &str = "content/news/not-yaml.md";
    const GBK: &str = "content/news/gbk.md";
    repo.publish_draft(&cast.wangfang, A, &text("原文"));
    repo.write(
        NOT_YAML,
        "---\ntitle: [未闭合\ndate: 2026-11-02\n---\n\n正文\n",
    );
    // "测试" and "正文" in GBK: a file saved by an old office PC.
    repo.write_bytes(
        GBK,
        b"---\ntitle: \xb2\xe2\xca\xd4\ndate: 2026-11-02\n---\n\n\xd5\xfd\xce\xc4\n",
    );
    repo.commit_as(&cast.wangfang, "三篇稿件");
    for path in [A, NOT_YAML, GBK] {
        repo.review_standard(&cast, path);
    }

    let site = repo.snapshot();
    assert!(site.online(A), "broken drafts do not stop the rest");
    for path in [NOT_YAML, GBK] {
        assert!(!site.online(path), "{path}");
        assert_refused(&site, path, "unit-review", "no-workflow");
        assert!(site.status(path)["workflow"].is_null(), "{path}");
        assert_ne!(site.state(path), "published", "{path}");
    }
}

/// Every file of a folder, by relative path.
fn files(dir: &Path) -> BTreeMap<PathBuf, Vec<u8>> {
    let mut found = BTreeMap::new();
    let mut pending = vec![dir.to_path_buf()];
    while let Some(folder) = pending.pop() {
        for entry in fs::read_dir(&folder).expect("read an output folder") {
            let path = entry.expect("an entry").path();
            if path.is_dir() {
                pending.push(path);
            } else {
                let bytes = fs::read(&path).expect("read an output file");
                found.insert(path.strip_prefix(dir).expect("inside").to_path_buf(), bytes);
            }
        }
    }
    found
}

#[test]
fn an_approved_invalid_version_fails_the_build_and_leaves_the_output_untouched() {
    let (repo, cast) = TestRepo::bootstrapped();
    const BAD: &str = "content/news/bad.md";
    repo.publish_draft(&cast.wangfang, A, &text("原文"));
    repo.review_standard(&cast, A);
    let before_site = repo.snapshot();
    assert!(before_site.online(A));
    let before = files(&repo.out);

    // Readable but invalid (no title): it can be approved, and is held back.
    repo.publish_draft(
        &cast.wangfang,
        BAD,
        &format!("---\ndate: {ARTICLE_DATE}\nunit: kepu\n---\n\n正文\n"),
    );
    repo.review_standard(&cast, BAD);
    let build = repo.build();
    assert_eq!(build.code(), Some(1), "{}", build.stderr());
    assert!(
        build.stderr().contains(BAD),
        "the error names the file: {}",
        build.stderr()
    );
    assert_eq!(
        files(&repo.out),
        before,
        "a failed build leaves the previous output untouched"
    );

    let status = repo.status_json();
    let bad = status
        .iter()
        .find(|s| s["path"] == BAD)
        .expect("status lists the file");
    assert_eq!(bad["state"], "blocked");
}

#[test]
fn a_shallow_clone_is_refused() {
    let (repo, cast) = TestRepo::bootstrapped();
    repo.publish_draft(&cast.wangfang, A, &text("原文"));
    repo.review_standard(&cast, A);
    let shallow = repo.home.join("shallow");
    let source = format!("file://{}", repo.root.display());
    repo.git(&[
        "clone",
        "-q",
        "--depth",
        "1",
        &source,
        &shallow.display().to_string(),
    ]);

    let out = repo.home.join("shallow-public");
    let out = out.display().to_string();
    for args in [
        vec!["build", "--out", out.as_str(), "--now", NOW],
        vec!["status", "--json", "--now", NOW],
    ] {
        let output = repo.sanshen_at(&shallow, &args);
        let stderr = String::from_utf8_lossy(&output.stderr);
        assert_eq!(output.status.code(), Some(2), "{args:?}: {stderr}");
        assert!(stderr.contains("shallow"), "{args:?}: {stderr}");
    }
    assert!(!Path::new(&out).exists());
}

#[test]
fn sending_back_is_shown_and_never_affects_publication() {
    let (repo, cast) = TestRepo::bootstrapped();
    let v1 = repo.publish_draft(&cast.wangfang, A, &text("第一版"));
    repo.review_standard(&cast, A);
    let v2 = repo.publish_draft(&cast.wangfang, A, &text("第二版"));
    repo.approve(&cast.lihua, "unit-review", A);
    repo.sign_trailers(
        &cast.zhaolei,
        "退回修改",
        &[
            format!("Return: re-review {A} {v2}"),
            "Return-Reason: 标题不规范".to_string(),
        ],
    );

    let site = repo.snapshot();
    assert!(site.online(A));
    assert_eq!(site.published_oid(A), Some(v1.as_str()));
    assert_eq!(site.state(A), "outdated");
    let returns = site.status(A)["returns"]
        .as_array()
        .expect("returns in status")
        .clone();
    assert_eq!(returns.len(), 1, "{returns:?}");
    assert_eq!(returns[0]["stage"], "re-review");
    assert_eq!(returns[0]["person"], "zhaolei");
    assert_eq!(returns[0]["reason"], "标题不规范");
    assert_eq!(
        site.stage_by(A, "unit-review"),
        ["lihua"],
        "a return voids no approval"
    );
}
