//! The foundation, end to end: a bootstrapped site repository, articles
//! committed and approved through the standard workflow, the real `sanshen
//! build`, and the HTML it writes (SPEC §2, §3, §5 "What is published", §6
//! exit codes, §7 output). Each test is one acceptance criterion of the
//! foundation issue.

mod common;

use std::fs;
use std::path::{Path, PathBuf};
use std::process::Output;

use common::{
    ARTICLE_DATE, Cast, NOW, PolicyDoc, SITE_TITLE, TestRepo, article, assert_refused,
    folder_files, site_toml_with,
};

/// A 1×1 transparent PNG: a real image as a writer's camera would not make it.
const PNG: &[u8] = &[
    0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 0x00, 0x00, 0x00, 0x0d, 0x49, 0x48, 0x44, 0x52,
    0x00, 0x00, 0x00, 0x01, 0x00, 0x00, 0x00, 0x01, 0x08, 0x06, 0x00, 0x00, 0x00, 0x1f, 0x15, 0xc4,
    0x89, 0x00, 0x00, 0x00, 0x0d, 0x49, 0x44, 0x41, 0x54, 0x78, 0x9c, 0x63, 0xf8, 0xcf, 0xc0, 0xf0,
    0x1f, 0x00, 0x05, 0x00, 0x01, 0xff, 0x89, 0x99, 0x3d, 0x1d, 0x00, 0x00, 0x00, 0x00, 0x49, 0x45,
    0x4e, 0x44, 0xae, 0x42, 0x60, 0x82,
];

/// A one-page PDF without text (sanshen does not read PDFs, only copies them).
const PDF: &[u8] = b"%PDF-1.4\n1 0 obj<</Type/Catalog/Pages 2 0 R>>endobj\n2 0 obj<</Type/Pages/Kids[3 0 R]/Count 1>>endobj\n3 0 obj<</Type/Page/Parent 2 0 R/MediaBox[0 0 200 200]>>endobj\ntrailer<</Root 1 0 R>>\n%%EOF\n";

fn stderr(output: &Output) -> String {
    String::from_utf8_lossy(&output.stderr).into_owned()
}

/// Replace the bootstrapped site.toml: committed by the admin, approved by
/// the maintainer through the `site` workflow.
fn adopt_site_toml(repo: &TestRepo, cast: &Cast, text: &str) {
    repo.write("site.toml", text);
    repo.commit_as(&cast.sunli, "调整站点设置");
    repo.approve(&cast.qianwei, "site", "site.toml");
}

/// `build --out DIR --now NOW` plus `extra`, without a manifest.
fn build_into(repo: &TestRepo, out: &Path, extra: &[&str]) -> Output {
    let out = out.display().to_string();
    let mut args = vec!["build", "--out", out.as_str(), "--now", NOW];
    args.extend_from_slice(extra);
    repo.sanshen(&args)
}

fn read(path: impl AsRef<Path>) -> String {
    let path = path.as_ref();
    fs::read_to_string(path).unwrap_or_else(|e| panic!("read {}: {e}", path.display()))
}

/// The `<main>` element of a page: the article, without the theme's frame.
fn main_part(page: &str) -> &str {
    let start = page.find("<main").expect("the page has <main>");
    let end = page.find("</main>").expect("the page has </main>");
    &page[start..end]
}

/// Entries beside `out` whose name starts with `.<out name>` (staging folders).
fn leftovers_beside(out: &Path) -> Vec<PathBuf> {
    let name = out
        .file_name()
        .expect("an output folder name")
        .to_string_lossy()
        .into_owned();
    let parent = out.parent().expect("an output folder with a parent");
    fs::read_dir(parent)
        .expect("read the output's parent")
        .map(|e| e.expect("an entry").path())
        .filter(|p| {
            p.file_name().is_some_and(|n| {
                let n = n.to_string_lossy();
                // The lock file that keeps two builds apart stays by design.
                n.starts_with(&format!(".{name}")) && n != format!(".{name}.lock")
            })
        })
        .collect()
}

// ---- 1. nested columns -----------------------------------------------------

const NESTED_SITE: &str = r#"
[[columns]]
path = "news"
title = "工作动态"
units = ["kepu"]

[[columns]]
path = "news/notices"
title = "通知公告"
units = ["kepu"]
paginate = 2
"#;

fn site_with_columns(columns: &str, settings: &str) -> String {
    format!("title = \"{SITE_TITLE}\"\nbase_url = \"https://kx.example/\"\n{settings}\n{columns}")
}

#[test]
fn nested_columns_give_nested_pages_breadcrumbs_and_pagination() {
    let (repo, cast) = TestRepo::bootstrapped();
    adopt_site_toml(&repo, &cast, &site_with_columns(NESTED_SITE, ""));
    let paths: Vec<String> = (1..=5)
        .map(|n| format!("content/news/notices/notice-{n}.md"))
        .collect();
    for (n, path) in paths.iter().enumerate() {
        repo.write(
            path,
            &article(&format!("第{}号通知", n + 1), "", "通知正文。"),
        );
    }
    repo.commit_as(&cast.wangfang, "五篇通知");
    let paths: Vec<&str> = paths.iter().map(String::as_str).collect();
    repo.review_standard_together(&cast, &paths);

    let build = repo.build();
    build.assert_success();
    let out = &build.out;
    for n in 1..=5 {
        let page = out.join(format!("news/notices/notice-{n}/index.html"));
        assert!(page.is_file(), "{} is missing", page.display());
        assert!(read(&page).contains(&format!("第{n}号通知")));
    }

    let column = read(out.join("news/notices/index.html"));
    let crumbs_start = column
        .find("class=\"breadcrumbs\"")
        .expect("a column page has breadcrumbs");
    let crumbs =
        &column[crumbs_start..column[crumbs_start..].find("</nav>").expect("end") + crumbs_start];
    assert!(
        crumbs.contains(r#"<a href="/news/">工作动态</a>"#),
        "{crumbs}"
    );
    assert!(crumbs.contains("通知公告"), "{crumbs}");
    assert!(
        crumbs.find("工作动态") < crumbs.find("通知公告"),
        "the parent column comes first: {crumbs}"
    );
    let article_page = read(out.join("news/notices/notice-1/index.html"));
    assert!(
        article_page.contains(r#"<a href="/news/notices/">通知公告</a>"#),
        "an article's breadcrumbs lead to its column"
    );

    // paginate = 2 with 5 articles: the first page, page/2/ and page/3/.
    assert!(out.join("news/notices/page/2/index.html").is_file());
    assert!(out.join("news/notices/page/3/index.html").is_file());
    assert!(!out.join("news/notices/page/4").exists());
    assert!(!out.join("news/notices/page/1").exists());
    let listed = |file: &str| {
        let page = read(out.join(file));
        (1..=5)
            .filter(|n| page.contains(&format!("第{n}号通知")))
            .count()
    };
    assert_eq!(listed("news/notices/index.html"), 2);
    assert_eq!(listed("news/notices/page/2/index.html"), 2);
    assert_eq!(listed("news/notices/page/3/index.html"), 1);
    assert!(
        out.join("news/index.html").is_file(),
        "the parent column has a page"
    );
}

// ---- 2. bundles ------------------------------------------------------------

#[test]
fn a_bundle_publishes_its_image_and_pdf_beside_the_page_under_one_approval() {
    let (repo, cast) = TestRepo::bootstrapped();
    const EXPO: &str = "content/news/expo";
    repo.write(
        &format!("{EXPO}/index.md"),
        &article(
            "科技展览开幕",
            "",
            "![展览现场](photo.png)\n\n[下载展览手册](guide.pdf)",
        ),
    );
    repo.write_bytes(&format!("{EXPO}/photo.png"), PNG);
    repo.write_bytes(&format!("{EXPO}/guide.pdf"), PDF);
    repo.commit_as(&cast.wangfang, "图文稿件");
    let tree = repo.rev_parse(&format!("HEAD:{EXPO}"));
    repo.review_standard(&cast, EXPO);

    let site = repo.snapshot();
    assert!(site.online(EXPO));
    assert_eq!(
        site.published_oid(EXPO),
        Some(tree.as_str()),
        "the folder's tree is approved"
    );
    let folder = site.build.out.join("news/expo");
    assert_eq!(fs::read(folder.join("photo.png")).expect("the image"), PNG);
    assert_eq!(fs::read(folder.join("guide.pdf")).expect("the PDF"), PDF);
    let page = site.page(EXPO);
    assert!(
        page.contains("photo.png") && page.contains("guide.pdf"),
        "{page}"
    );

    // An asset added after the approval is a new version of the folder: the
    // approved one stays online, without the new file.
    repo.write_bytes(&format!("{EXPO}/extra.pdf"), PDF);
    repo.commit_as(&cast.wangfang, "补充附件");
    let site = repo.snapshot();
    assert_eq!(site.state(EXPO), "outdated");
    assert!(folder.join("guide.pdf").is_file());
    assert!(
        !folder.join("extra.pdf").exists(),
        "an unreviewed asset is not published"
    );
}

// ---- 3. Chinese text -------------------------------------------------------

#[test]
fn chinese_headings_get_chinese_anchors_and_hard_wrapped_lines_join() {
    let (repo, cast) = TestRepo::bootstrapped();
    const A: &str = "content/news/wrap.md";
    repo.publish_draft(
        &cast.wangfang,
        A,
        &article(
            "排版测试",
            "",
            "## 工作要求\n\n第一行文字\n第二行文字\n\nhello\nworld\n\n## 第二章　附则\n\n结束。",
        ),
    );
    repo.review_standard(&cast, A);
    let site = repo.snapshot();
    let page = site.page(A);
    let body = main_part(&page);

    assert!(body.contains(r#"id="工作要求""#), "{body}");
    let second = body
        .find("第二章　附则</h2>")
        .expect("the second heading is rendered");
    let tag = &body[body[..second].rfind("<h2").expect("its tag")..second];
    assert!(tag.contains("id=\"") && tag.contains("第二章"), "{tag}");

    assert!(body.contains("第一行文字第二行文字"), "{body}");
    assert!(
        body.contains("hello\nworld") || body.contains("hello world"),
        "a Latin soft break keeps a space: {body}"
    );
    assert!(!body.contains("helloworld"));
}

// ---- 4. raw HTML -----------------------------------------------------------

#[test]
fn raw_html_is_sanitised_unless_the_column_allows_it() {
    let (repo, cast) = TestRepo::bootstrapped();
    let columns = r#"
[[columns]]
path = "news"
title = "工作动态"
units = ["kepu"]

[[columns]]
path = "special"
title = "专题"
units = ["kepu"]
allow_raw_html = true
"#;
    adopt_site_toml(&repo, &cast, &site_with_columns(columns, ""));
    const HOSTILE: &str = "content/news/hostile.md";
    const TRUSTED: &str = "content/special/embed.md";
    let payload = "正文开始。\n\n<script>alert(1)</script>\n\n<p><img src=x onerror=alert(1)> <a href=\"javascript:alert(1)\">x</a></p>\n\n正文结束。";
    repo.write(HOSTILE, &article("外部稿件", "", payload));
    repo.write(TRUSTED, &article("嵌入专题", "", payload));
    repo.commit_as(&cast.wangfang, "两篇稿件");
    repo.review_standard_together(&cast, &[HOSTILE, TRUSTED]);

    let site = repo.snapshot();
    let page = site.page(HOSTILE);
    assert!(
        page.contains("正文开始") && page.contains("正文结束"),
        "{page}"
    );
    for forbidden in ["<script>alert", "onerror", "javascript:"] {
        assert!(
            !page.contains(forbidden),
            "`{forbidden}` survived:\n{}",
            main_part(&page)
        );
    }
    let trusted = site.page(TRUSTED);
    assert!(
        main_part(&trusted).contains("<script>alert(1)</script>"),
        "allow_raw_html keeps the script: {}",
        main_part(&trusted)
    );
}

// ---- 5. front matter ---------------------------------------------------------

/// Front matter that cannot be read (an unknown field) has no workflow:
/// its approvals never count, it stays a draft and never affects a build.
#[test]
fn unreadable_front_matter_can_never_be_approved() {
    let (repo, cast) = TestRepo::bootstrapped();
    const BAD: &str = "content/news/bad.md";
    repo.publish_draft(
        &cast.wangfang,
        BAD,
        &article("未知字段", "bogus: 1\n", "正文"),
    );
    repo.review_standard(&cast, BAD);
    let site = repo.snapshot();
    assert!(!site.online(BAD));
    assert_eq!(site.state(BAD), "pending");
    assert_refused(&site, BAD, "unit-review", "no-workflow");
    let refusal = site.status(BAD)["ignored"][0]["detail"]
        .as_str()
        .unwrap_or_default()
        .to_string();
    assert!(
        refusal.contains("line 5") && refusal.contains("bogus"),
        "{refusal}"
    );
}

#[test]
fn approved_invalid_front_matter_fails_the_build_naming_file_and_line() {
    let (repo, cast) = TestRepo::bootstrapped();
    const BAD: &str = "content/news/bad.md";
    let cases = [
        // (text, what the message must contain besides the file)
        (
            format!("---\ndate: {ARTICLE_DATE}\nunit: kepu\n---\n\n正文\n"),
            vec![BAD.to_string(), "title".to_string()],
        ),
        (
            "---\ntitle: 坏日期\ndate: 2026-13-01\nunit: kepu\n---\n\n正文\n".to_string(),
            vec![format!("{BAD}:3"), "2026-13-01".to_string()],
        ),
    ];
    for (text, expected) in cases {
        repo.publish_draft(&cast.wangfang, BAD, &text);
        repo.review_standard(&cast, BAD);
        let build = repo.build();
        let message = build.stderr();
        assert_eq!(build.code(), Some(1), "{text}\n{message}");
        for part in &expected {
            assert!(
                message.contains(part.as_str()),
                "expected `{part}` in:\n{message}"
            );
        }
        assert_eq!(
            repo.status_json()
                .iter()
                .find(|s| s["path"] == BAD)
                .expect("listed")["state"],
            "blocked"
        );
    }
}

#[test]
fn a_gbk_file_is_reported_as_gbk_and_never_published() {
    let (repo, cast) = TestRepo::bootstrapped();
    const A: &str = "content/news/fine.md";
    const GBK: &str = "content/news/gbk.md";
    repo.write(A, &article("正常稿件", "", "正文"));
    // "---\ntitle: 通知\ndate: 2026-11-02\n---\n\n正文\n" saved as GBK.
    repo.write_bytes(
        GBK,
        b"---\ntitle: \xcd\xa8\xd6\xaa\ndate: 2026-11-02\n---\n\n\xd5\xfd\xce\xc4\n",
    );
    repo.commit_as(&cast.wangfang, "两篇稿件");
    repo.review_standard(&cast, A);
    // The reviewers sign it too: a file that cannot be read has no workflow,
    // so these approvals cannot count (SPEC §5 rule 4).
    repo.review_standard(&cast, GBK);

    let site = repo.snapshot();
    assert!(site.online(A), "the unreadable file does not stop the rest");
    assert!(!site.online(GBK));
    assert_ne!(site.state(GBK), "published");
    let status = site.status(GBK).to_string();
    assert!(
        status.contains("UTF-8"),
        "status says the file cannot be read: {status}"
    );

    let check = repo.sanshen(&["check", "--now", NOW]);
    let text = format!(
        "{}{}",
        String::from_utf8_lossy(&check.stdout),
        stderr(&check)
    );
    assert!(
        text.contains(GBK) && text.contains("GBK"),
        "check names the file and says GBK:\n{text}"
    );
}

#[test]
fn broken_unapproved_drafts_do_not_stop_the_build_and_are_not_published() {
    let (repo, cast) = TestRepo::bootstrapped();
    const A: &str = "content/news/fine.md";
    let drafts = [
        (
            "content/news/unknown-field.md",
            article("未知字段", "bogus: 1\n", "正文").into_bytes(),
        ),
        (
            "content/news/no-title.md",
            format!("---\ndate: {ARTICLE_DATE}\n---\n\n正文\n").into_bytes(),
        ),
        (
            "content/news/bad-date.md",
            b"---\ntitle: x\ndate: 2026-13-01\n---\n\nbody\n".to_vec(),
        ),
        (
            "content/news/gbk.md",
            b"---\ntitle: \xcd\xa8\xd6\xaa\ndate: 2026-11-02\n---\n\n\xd5\xfd\xce\xc4\n".to_vec(),
        ),
    ];
    repo.write(A, &article("正常稿件", "", "正文"));
    for (path, bytes) in &drafts {
        repo.write_bytes(path, bytes);
    }
    repo.commit_as(&cast.wangfang, "稿件");
    repo.review_standard(&cast, A);
    // Two stages of three: reviewed, not approved.
    for (path, _) in &drafts {
        repo.approve(&cast.lihua, "unit-review", path);
    }

    let site = repo.snapshot();
    assert!(site.online(A));
    for (path, _) in &drafts {
        assert!(!site.online(path), "{path}");
        assert!(
            !site
                .build
                .out
                .join(path.trim_start_matches("content/").trim_end_matches(".md"))
                .exists(),
            "{path}"
        );
    }
}

// ---- 6. symlinks -------------------------------------------------------------

#[test]
fn a_symlink_under_content_is_reported_and_never_followed() {
    let (repo, cast) = TestRepo::bootstrapped();
    const A: &str = "content/news/fine.md";
    const OUTSIDE: &str = "content/news/outside.md";
    const INSIDE: &str = "content/news/inside.md";
    const SECRET: &str = "库外机密材料";
    let secret_file = repo.home.join("secret.md");
    fs::write(&secret_file, article("库外文件", "", SECRET)).expect("write the outside file");
    repo.write(A, &article("正常稿件", "", "正文"));
    repo.write(
        "content/news/draft.md",
        &article("未审稿件", "", "未审正文内容"),
    );
    std::os::unix::fs::symlink(&secret_file, repo.root.join(OUTSIDE)).expect("ln -s outside");
    std::os::unix::fs::symlink("draft.md", repo.root.join(INSIDE)).expect("ln -s inside");
    repo.commit_as(&cast.wangfang, "稿件与链接");
    assert_eq!(
        repo.git(&["ls-files", "-s", OUTSIDE])
            .split_whitespace()
            .next(),
        Some("120000"),
        "committed as a link"
    );
    for path in [A, OUTSIDE, INSIDE] {
        repo.review_standard(&cast, path);
    }

    let build = repo.build();
    let message = build.stderr();
    assert!(
        message.contains(OUTSIDE) && message.contains(INSIDE),
        "the build names each link:\n{message}"
    );
    // A link is reported, not fatal: the rest of the site is published.
    build.assert_success();
    assert!(build.page(A).is_some());
    for path in [OUTSIDE, INSIDE] {
        assert!(build.page(path).is_none(), "{path} is not published");
    }
    for (file, bytes) in folder_files(&build.out) {
        let text = String::from_utf8_lossy(&bytes);
        assert!(
            !text.contains(SECRET),
            "{} holds the linked file",
            file.display()
        );
        assert!(
            !text.contains("未审正文内容"),
            "{} holds the unreviewed draft",
            file.display()
        );
    }
}

// ---- 7, 8. only committed content; reproducible output -----------------------

#[test]
fn uncommitted_edits_never_reach_the_output() {
    let (repo, cast) = TestRepo::bootstrapped();
    const A: &str = "content/news/fine.md";
    repo.publish_draft(&cast.wangfang, A, &article("正式稿件", "", "审定正文"));
    repo.review_standard(&cast, A);
    repo.build().assert_success();
    let before = folder_files(&repo.out);

    repo.write(A, &article("正式稿件", "", "未提交的改动"));
    repo.write(
        "content/news/new.md",
        &article("未提交的新稿", "", "新稿正文"),
    );
    repo.write(
        "content/news/staged.md",
        &article("已暂存的新稿", "", "暂存正文"),
    );
    repo.git(&["add", "content/news/staged.md"]);
    let build = repo.build();
    build.assert_success();
    assert_eq!(
        folder_files(&repo.out),
        before,
        "the working tree and index are not published"
    );
}

#[test]
fn two_builds_of_one_revision_are_byte_identical() {
    let (repo, cast) = TestRepo::bootstrapped();
    const A: &str = "content/news/a.md";
    const EXPO: &str = "content/news/expo";
    repo.write(A, &article("第一篇", "", "## 小标题\n\n正文。"));
    repo.write(
        &format!("{EXPO}/index.md"),
        &article("图文", "", "![图](photo.png)"),
    );
    repo.write_bytes(&format!("{EXPO}/photo.png"), PNG);
    repo.write("content/notices/n.md", &article("通知", "", "通知正文"));
    repo.commit_as(&cast.wangfang, "稿件");
    repo.review_standard_together(&cast, &[A, EXPO]);

    let first = repo.home.join("first");
    let second = repo.home.join("second");
    for out in [&first, &second] {
        let output = build_into(&repo, out, &[]);
        assert_eq!(output.status.code(), Some(0), "{}", stderr(&output));
    }
    let first = folder_files(&first);
    assert!(first.len() > 10, "a whole site: {:?}", first.keys());
    assert_eq!(first, folder_files(&second));
}

// ---- 9, 10. failures ---------------------------------------------------------

#[test]
fn a_failing_build_leaves_the_previous_output_untouched_and_no_staging_folder() {
    let (repo, cast) = TestRepo::bootstrapped();
    const A: &str = "content/news/a.md";
    repo.publish_draft(&cast.wangfang, A, &article("正式稿件", "", "正文"));
    repo.review_standard(&cast, A);
    repo.build().assert_success();
    let before = folder_files(&repo.out);
    assert!(leftovers_beside(&repo.out).is_empty());

    // An approved article that cannot be published (no title) is held
    // back: exit 1, the rest of the site written as before, nothing half-written.
    const BAD: &str = "content/news/bad.md";
    repo.publish_draft(
        &cast.wangfang,
        BAD,
        &format!("---\ndate: {ARTICLE_DATE}\nunit: kepu\n---\n\n正文\n"),
    );
    repo.review_standard(&cast, BAD);
    let build = repo.build();
    assert_eq!(build.code(), Some(1), "{}", build.stderr());
    assert!(build.stderr().contains(BAD), "{}", build.stderr());
    assert!(build.page(A).is_some(), "the good article went offline");
    assert!(build.page(BAD).is_none(), "the invalid article went online");
    let held = build.held_back(BAD);
    assert_eq!(held.len(), 1, "{:?}", build.manifest);
    assert_eq!(held[0]["rule"], "front-matter");
    assert!(held[0]["message"].as_str().unwrap_or("").contains("title"));
    assert!(before.keys().all(|f| repo.out.join(f).exists()));
    assert_eq!(leftovers_beside(&repo.out), Vec::<PathBuf>::new());
    repo.remove(BAD);
    repo.commit_as(&cast.wangfang, "删除");
    repo.build().assert_success();
    let before = folder_files(&repo.out);

    // An approved site.toml that does not validate: held back, exit 1.
    adopt_site_toml(
        &repo,
        &cast,
        &site_toml_with(SITE_TITLE, "base_url_typo = 1\n"),
    );
    let build = repo.build();
    assert_eq!(build.code(), Some(1), "{}", build.stderr());
    assert_eq!(
        build.held_back("site.toml").len(),
        1,
        "{:?}",
        build.manifest
    );
    assert!(build.page(A).is_some(), "the site went offline");
    assert_eq!(leftovers_beside(&repo.out), Vec::<PathBuf>::new());

    // With no valid approved site.toml at all: exit 2, the output untouched.
    repo.git(&["checkout", "-q", "--orphan", "fresh"]);
    repo.git(&["rm", "-rfq", "."]);
    let fresh = Cast::new(&repo);
    repo.write_policy(&PolicyDoc::standard(1, &fresh));
    repo.write(
        "site.toml",
        &site_toml_with(SITE_TITLE, "base_url_typo = 1\n"),
    );
    repo.commit_as(&fresh.sunli, "建站");
    repo.approve(&fresh.qianwei, "site", "site.toml");
    let build = repo.build();
    assert_eq!(build.code(), Some(2), "{}", build.stderr());
    assert_eq!(folder_files(&repo.out), before);
    assert_eq!(leftovers_beside(&repo.out), Vec::<PathBuf>::new());
}

#[test]
fn an_unknown_key_in_the_approved_site_toml_names_the_file_and_line() {
    let (repo, cast) = TestRepo::bootstrapped();
    // Line 4 of the file: title, base_url, language, then the typo.
    let text = site_toml_with(SITE_TITLE, "language = \"zh-CN\"\npagniate = 10\n");
    assert_eq!(text.lines().nth(3), Some("pagniate = 10"));
    adopt_site_toml(&repo, &cast, &text);
    let build = repo.build();
    let message = build.stderr();
    // Held back: the previous approved site.toml stays in use (exit 1).
    assert_eq!(build.code(), Some(1), "{message}");
    let line = message
        .lines()
        .find(|l| l.contains("site.toml:"))
        .unwrap_or_else(|| panic!("the message names site.toml: {message}"));
    assert!(
        line.contains("site.toml:4:"),
        "the message names line 4: {line}"
    );
    assert!(message.contains("pagniate"), "{message}");
    let held = build.held_back("site.toml");
    assert_eq!(held.len(), 1, "{:?}", build.manifest);
    assert_eq!(held[0]["line"], 4);
    assert!(
        build.out.join("index.html").is_file(),
        "the site is written with the previous valid site.toml"
    );
}

// ---- 11. revisions and output folders ------------------------------------------

#[test]
fn rev_builds_an_older_revision_and_out_and_the_default_folder_are_honoured() {
    let (repo, cast) = TestRepo::bootstrapped();
    const A: &str = "content/news/a.md";
    const B: &str = "content/news/b.md";
    repo.publish_draft(&cast.wangfang, A, &article("第一篇", "", "正文一"));
    repo.review_standard(&cast, A);
    let older = repo.rev_parse("HEAD");
    repo.publish_draft(&cast.wangfang, B, &article("第二篇", "", "正文二"));
    repo.review_standard(&cast, B);

    let elsewhere = repo.home.join("elsewhere/site-out");
    let output = build_into(&repo, &elsewhere, &["--rev", &older]);
    assert_eq!(output.status.code(), Some(0), "{}", stderr(&output));
    assert!(elsewhere.join("news/a/index.html").is_file());
    assert!(
        !elsewhere.join("news/b").exists(),
        "B was not approved at the older revision"
    );
    assert!(!repo.out.exists(), "--out is where the site goes");

    let output = repo.sanshen(&["build", "--now", NOW]);
    assert_eq!(output.status.code(), Some(0), "{}", stderr(&output));
    let default = repo.root.join("public");
    assert!(default.join("news/a/index.html").is_file());
    assert!(
        default.join("news/b/index.html").is_file(),
        "HEAD by default"
    );
}

// ---- 12. site files and footer ---------------------------------------------------

#[test]
fn every_page_carries_the_footer_identity_and_the_site_files_exist() {
    let (repo, cast) = TestRepo::bootstrapped();
    let identity = r#"
[identity]
organizer = "测试市科学技术协会"
site_code = "5300000099"
icp = "测ICP备2026000099号-1"
police = "测公网安备53000002000099号"
contact = "电话：0871-00000000"
error_report_url = "https://zfwzzc.www.gov.cn/check_web/errorInfo_querySiteInfo.action?sitecode=5300000099"
"#;
    adopt_site_toml(
        &repo,
        &cast,
        &format!("{}{identity}", site_toml_with(SITE_TITLE, "")),
    );
    const A: &str = "content/news/a.md";
    repo.publish_draft(&cast.wangfang, A, &article("科普活动周", "", "活动正文"));
    repo.review_standard(&cast, A);
    let site = repo.snapshot();
    let out = &site.build.out;

    for file in [
        "index.html",
        "404.html",
        "sitemap.xml",
        "robots.txt",
        "atom.xml",
        "search/index.html",
        "sitemap/index.html",
        "news/index.html",
        "news/a/index.html",
    ] {
        assert!(out.join(file).is_file(), "{file} is missing");
    }
    assert!(read(out.join("sitemap.xml")).contains("https://kx.example/news/a/"));
    assert!(read(out.join("atom.xml")).contains("科普活动周"));
    // The article's search document (gzipped JSON under search/d/) holds its title.
    let documents: Vec<String> = walkdir::WalkDir::new(out.join("search/d"))
        .into_iter()
        .filter_map(Result::ok)
        .filter(|entry| entry.file_type().is_file())
        .map(|entry| {
            let mut text = String::new();
            std::io::Read::read_to_string(
                &mut flate2::read::GzDecoder::new(fs::File::open(entry.path()).expect("open")),
                &mut text,
            )
            .expect("a gzipped search document");
            text
        })
        .collect();
    assert_eq!(documents.len(), 1);
    assert!(documents[0].contains("科普活动周"), "{}", documents[0]);

    for page in [
        "index.html",
        "news/index.html",
        "news/a/index.html",
        "404.html",
    ] {
        let html = read(out.join(page));
        for field in [
            "测试市科学技术协会",
            "5300000099",
            "测ICP备2026000099号-1",
            "测公网安备53000002000099号",
            "电话：0871-00000000",
            "sitecode=5300000099",
        ] {
            assert!(html.contains(field), "{page} lacks `{field}` in its footer");
        }
    }
    for (file, bytes) in folder_files(out) {
        if file.extension().is_some_and(|e| e == "html") {
            let html = String::from_utf8_lossy(&bytes);
            assert!(
                !html.contains("preview-banner"),
                "{} is marked as a preview",
                file.display()
            );
            assert!(!html.contains("未审核预览"), "{}", file.display());
            assert!(!html.contains("noindex"), "{}", file.display());
        }
    }
    assert!(!read(out.join("robots.txt")).contains("Disallow: /\n"));
}
