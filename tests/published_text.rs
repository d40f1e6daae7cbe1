//! SPEC §3, §5: the blocking rules read what is published, not the source
//! as a person reads it — the body as rendered (character references
//! decoded), every field the page shows, the text of every asset whatever
//! its name says — and an asset that could run from the site's origin
//! blocks its article unless the column allows raw HTML. Each case is an
//! approved version that tries to slip through; each is held back, and
//! nothing of it reaches the page, the feeds or the search index.

mod common;

use std::fs;
use std::path::Path;

use common::*;

/// A resident ID number with a valid check character (GB 11643).
fn valid_id(first17: &str) -> String {
    const WEIGHTS: [u32; 17] = [7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2];
    let sum: u32 = first17
        .chars()
        .zip(WEIGHTS)
        .map(|(c, w)| c.to_digit(10).expect("a digit") * w)
        .sum();
    let check = "10X98765432".as_bytes()[(sum % 11) as usize] as char;
    format!("{first17}{check}")
}

/// Every file of the output, as text where it is text.
fn output_text(dir: &Path) -> String {
    let mut all = String::new();
    for entry in walk(dir) {
        if let Ok(bytes) = fs::read(&entry) {
            all.push_str(&String::from_utf8_lossy(&bytes));
        }
    }
    all
}

fn walk(dir: &Path) -> Vec<std::path::PathBuf> {
    let mut files = Vec::new();
    let mut pending = vec![dir.to_path_buf()];
    while let Some(folder) = pending.pop() {
        let Ok(entries) = fs::read_dir(&folder) else {
            continue;
        };
        for entry in entries.flatten() {
            let path = entry.path();
            if path.is_dir() {
                pending.push(path);
            } else {
                files.push(path);
            }
        }
    }
    files
}

/// Publish `files` (path → bytes) as one approved version of a bundle, and
/// build: the rule that holds it back, if any.
fn held_back_rule(
    repo: &TestRepo,
    cast: &Cast,
    bundle: &str,
    files: &[(&str, Vec<u8>)],
) -> Option<String> {
    for (name, bytes) in files {
        repo.write_bytes(&format!("{bundle}/{name}"), bytes);
    }
    repo.commit_as(&cast.wangfang, &format!("报送 {bundle}"));
    repo.review_standard(cast, bundle);
    let build = repo.build();
    let held = build.held_back(bundle);
    held.first()
        .map(|h| h["rule"].as_str().unwrap_or_default().to_string())
}

fn index(title: &str, body: &str) -> Vec<u8> {
    article(title, "", body).into_bytes()
}

#[test]
fn a_number_split_by_character_references_is_read_as_the_page_shows_it() {
    let (repo, cast) = TestRepo::bootstrapped();
    let id = valid_id("53010219850612123");
    // `&#51;` is "3": the page shows the whole number, the source does not.
    let hidden = id.replacen('3', "&#51;", 1);
    const LEAK: &str = "content/news/leak.md";
    repo.publish_draft(
        &cast.wangfang,
        LEAK,
        &article("获奖名单", "", &format!("获奖人身份证号：{hidden}。")),
    );
    repo.review_standard(&cast, LEAK);
    let build = repo.build();
    assert_eq!(build.code(), Some(1), "{}", build.stderr());
    let held = build.held_back(LEAK);
    assert_eq!(
        held.first().map(|h| h["rule"].clone()),
        Some("pii-id-number".into()),
        "{:#?}",
        build.manifest
    );
    let everything = output_text(&build.out);
    assert!(
        !everything.contains(&id),
        "the number is published somewhere"
    );
    assert!(
        !everything.contains(&hidden),
        "the hidden number is published somewhere"
    );
}

#[test]
fn a_field_written_with_a_yaml_escape_is_read_as_shown() {
    let (repo, cast) = TestRepo::bootstrapped();
    let id = valid_id("53010219850612123");
    // In a double-quoted YAML string `\u0035` is "5": the title shows the number.
    let escaped = id.replacen('5', "\\u0035", 1);
    const LEAK: &str = "content/news/title.md";
    repo.publish_draft(
        &cast.wangfang,
        LEAK,
        &format!(
            "---\ntitle: \"联系人 {escaped}\"\ndate: {ARTICLE_DATE}\nunit: kepu\n---\n\n正文。\n"
        ),
    );
    repo.review_standard(&cast, LEAK);
    let build = repo.build();
    assert_eq!(build.code(), Some(1), "{}", build.stderr());
    let held = build.held_back(LEAK);
    assert_eq!(
        held.first().map(|h| h["rule"].clone()),
        Some("pii-id-number".into())
    );
    assert_eq!(held[0]["line"], 2, "located at the title");
    assert!(!output_text(&build.out).contains(&id));
}

#[test]
fn asset_text_is_read_by_content_whatever_the_name_and_encoding() {
    let (repo, cast) = TestRepo::bootstrapped();
    let id = valid_id("53010219850612123");

    // A classification mark in an SVG's <desc>, which no page shows but the file carries.
    let svg = "<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"10\" height=\"10\"><desc>机密★1年</desc><rect width=\"10\" height=\"10\"/></svg>";
    assert_eq!(
        held_back_rule(
            &repo,
            &cast,
            "content/news/svg",
            &[
                ("index.md", index("图示", "见图。\n\n![图](chart.svg)")),
                ("chart.svg", svg.as_bytes().to_vec())
            ]
        )
        .as_deref(),
        Some("classification-mark")
    );

    // An ID number in BOM-less UTF-16 text, named like an image.
    let utf16: Vec<u8> = format!("名单：王某 {id}\n")
        .encode_utf16()
        .flat_map(u16::to_le_bytes)
        .collect();
    assert_eq!(
        held_back_rule(
            &repo,
            &cast,
            "content/news/utf16",
            &[("index.md", index("名单", "附件。")), ("list.png", utf16)]
        )
        .as_deref(),
        Some("pii-id-number")
    );

    // A classification mark in RTF, written through GBK code-page escapes.
    let mark: String = encoding_gbk("秘密")
        .iter()
        .map(|b| format!("\\'{b:02x}"))
        .collect();
    let rtf = format!(
        "{{\\rtf1\\ansi\\ansicpg936 {{\\fonttbl{{\\f0 SimSun;}}}}\\f0 {mark}\\u9733?1\\'c4\\'ea\\par}}"
    );
    assert_eq!(
        held_back_rule(
            &repo,
            &cast,
            "content/news/rtf",
            &[
                ("index.md", index("通知", "附件。")),
                ("notice.rtf", rtf.into_bytes())
            ]
        )
        .as_deref(),
        Some("classification-mark")
    );

    let build = repo.build();
    let everything = output_text(&build.out);
    assert!(!everything.contains(&id), "the number is published");
    assert!(
        !everything.contains("机密★1年"),
        "the marked SVG is published"
    );
}

/// GBK bytes of a short text made of characters in GB2312 (a table of the
/// few this test needs).
fn encoding_gbk(text: &str) -> Vec<u8> {
    text.chars()
        .flat_map(|c| match c {
            '秘' => [0xc3, 0xd8],
            '密' => [0xc3, 0xdc],
            other => panic!("no GBK code in the test's table for {other}"),
        })
        .collect()
}

#[test]
fn assets_that_run_in_a_browser_block_unless_the_column_allows_raw_html() {
    let (repo, cast) = TestRepo::bootstrapped();
    let page = b"<!DOCTYPE html><html><body><p>hello</p></body></html>".to_vec();
    let svg = b"<svg xmlns=\"http://www.w3.org/2000/svg\" onload=\"alert(1)\"><rect width=\"1\" height=\"1\"/></svg>".to_vec();
    let png_named_html = {
        let mut bytes = b"\x89PNG\r\n\x1a\n".to_vec();
        bytes.extend_from_slice(&[0; 32]);
        bytes
    };
    for (bundle, name, bytes) in [
        ("content/news/webpage", "page.html", page.clone()),
        ("content/news/svg", "logo.svg", svg.clone()),
        ("content/news/named", "photo.html", png_named_html),
        (
            "content/news/config",
            ".htaccess",
            b"Options +ExecCGI\n".to_vec(),
        ),
    ] {
        assert_eq!(
            held_back_rule(
                &repo,
                &cast,
                bundle,
                &[("index.md", index("附件", "见附件。")), (name, bytes)]
            )
            .as_deref(),
            Some("active-asset"),
            "{bundle}/{name}"
        );
    }
    let build = repo.build();
    assert!(!build.out.join("news/svg/logo.svg").exists());
    assert!(!build.out.join("news/webpage/page.html").exists());

    // A column that allows raw HTML publishes them, as they are.
    repo.write(
        "site.toml",
        &site_toml(SITE_TITLE).replace(
            "[[columns]]\npath = \"news\"",
            "[[columns]]\npath = \"news\"\nallow_raw_html = true",
        ),
    );
    repo.commit_as(&cast.sunli, "工作动态栏目允许原始 HTML");
    repo.approve(&cast.qianwei, "site", "site.toml");
    let build = repo.build();
    assert!(
        build.held_back("content/news/webpage").is_empty(),
        "{}",
        build.stderr()
    );
    assert_eq!(
        fs::read(build.out.join("news/webpage/page.html")).ok(),
        Some(page),
        "{}\n{:?}",
        build.stderr(),
        walk(&build.out.join("news/webpage"))
    );
    assert_eq!(
        fs::read(build.out.join("news/svg/logo.svg")).ok(),
        Some(svg)
    );
}
