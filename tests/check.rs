//! `sanshen check` and the blocking rules of `build` (SPEC §5, §6): what an
//! office sees before an inspection does — personal data, secrets, wrong
//! dates, stale and empty columns, broken links — and that an approved
//! version failing a blocking rule is never published.
//!
//! Numbers that must be caught are computed here (ID check characters, Luhn
//! digits), never real people's; numbers that must pass are the ones every
//! news item carries.

mod common;

use std::io::{Cursor, Write};
use std::path::Path;
use std::process::Output;

use serde_json::Value;

use common::{Cast, PolicyDoc, TestRepo, article};

/// The clock of checks that should find nothing stale: 8 days after the test articles' date.
const FRESH: &str = "2026-11-10T12:00:00+08:00";

/// A party-mass site with a complete footer identity and one news column:
/// nothing about the site itself is wrong, so findings come from content.
fn site_toml(checks: &str, more_columns: &str) -> String {
    format!(
        r#"title = "测试科协网"
base_url = "https://kx.example/"
profile = "party-mass"

[identity]
organizer = "测试市科学技术协会"
icp = "测ICP备2026000001号-1"
police = "测公网安备53000002000001号"
contact = "电话：0871-65550100"

{checks}

[[columns]]
path = "news"
title = "工作动态"
units = ["kepu", "xuehui"]
update = "30d"
{more_columns}"#
    )
}

/// Adopt policy version 2 with this `checks:` section (YAML entries,
/// indented two spaces) and these files in approvals/, approved by the admin.
fn set_policy_checks(repo: &TestRepo, cast: &Cast, checks: &str, files: &[(&str, &str)]) {
    for (name, text) in files {
        repo.write(&format!("approvals/{name}"), text);
    }
    repo.write_policy(&PolicyDoc::standard(2, cast).with_checks(checks));
    repo.commit_as(&cast.sunli, "审核制度：检查设置");
    repo.approve(&cast.sunli, "policy", "approvals");
}

/// Commit a new site.toml as the maintainer and approve it.
fn set_site(repo: &TestRepo, cast: &Cast, text: &str) {
    repo.write("site.toml", text);
    repo.commit_as(&cast.qianwei, "站点设置");
    repo.approve(&cast.qianwei, "site", "site.toml");
}

/// Write, commit and fully review an article (kepu unit, standard workflow).
fn publish(repo: &TestRepo, cast: &Cast, path: &str, text: &str) {
    repo.publish_draft(&cast.wangfang, path, text);
    repo.review_standard(cast, path);
}

/// A bootstrapped repository with the check-friendly site.toml approved.
fn site(checks: &str, more_columns: &str) -> (TestRepo, Cast) {
    let (repo, cast) = TestRepo::bootstrapped();
    set_site(&repo, &cast, &site_toml(checks, more_columns));
    (repo, cast)
}

/// `check --format json` at `now`: exit code and the report.
struct Check {
    code: Option<i32>,
    report: Value,
    stderr: String,
}

impl Check {
    fn run(repo: &TestRepo, now: &str) -> Check {
        let output = repo.sanshen(&["check", "--format", "json", "--now", now]);
        Check::from_output(output)
    }

    fn from_output(output: Output) -> Check {
        let stderr = String::from_utf8_lossy(&output.stderr).into_owned();
        let report = serde_json::from_slice(&output.stdout)
            .unwrap_or_else(|e| panic!("check --format json printed no JSON ({e}):\n{stderr}"));
        Check {
            code: output.status.code(),
            report,
            stderr,
        }
    }

    fn findings(&self) -> &Vec<Value> {
        self.report["findings"]
            .as_array()
            .expect("findings is an array")
    }

    /// Findings of `rule` in `file`.
    fn of(&self, rule: &str, file: &str) -> Vec<&Value> {
        self.findings()
            .iter()
            .filter(|f| f["rule"] == rule && f["file"] == file)
            .collect()
    }

    fn rules_in(&self, file: &str) -> Vec<String> {
        self.findings()
            .iter()
            .filter(|f| f["file"] == file)
            .map(|f| f["rule"].as_str().unwrap_or_default().to_string())
            .collect()
    }

    fn errors(&self) -> Vec<&Value> {
        self.findings()
            .iter()
            .filter(|f| f["severity"] == "error")
            .collect()
    }
}

/// A resident ID number with a correct GB 11643 check character.
fn valid_id(first17: &str) -> String {
    const WEIGHTS: [u32; 17] = [7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2];
    let sum: u32 = first17
        .chars()
        .zip(WEIGHTS)
        .map(|(c, w)| c.to_digit(10).unwrap() * w)
        .sum();
    let check = "10X98765432".as_bytes()[(sum % 11) as usize] as char;
    format!("{first17}{check}")
}

/// The same number with a wrong check character.
fn invalid_id(first17: &str) -> String {
    let valid = valid_id(first17);
    let wrong = if valid.ends_with('3') { '4' } else { '3' };
    format!("{first17}{wrong}")
}

/// A Luhn-valid card number starting with `body`.
fn valid_card(body: &str) -> String {
    (0..10)
        .map(|d| format!("{body}{d}"))
        .find(|n| {
            let sum: u32 = n
                .chars()
                .rev()
                .enumerate()
                .map(|(i, c)| {
                    let d = c.to_digit(10).unwrap();
                    if i % 2 == 1 {
                        if d * 2 > 9 { d * 2 - 9 } else { d * 2 }
                    } else {
                        d
                    }
                })
                .sum();
            sum.is_multiple_of(10)
        })
        .unwrap()
}

#[test]
fn an_approved_id_number_blocks_the_build_and_is_reported_at_its_line() {
    let (repo, cast) = site("", "");
    const LEAK: &str = "content/news/huojiang.md";
    const CLEAN: &str = "content/news/kepu-month.md";
    let id = valid_id("53010219850612123");
    publish(
        &repo,
        &cast,
        CLEAN,
        &article("科普月活动启动", "", "正文。"),
    );
    publish(
        &repo,
        &cast,
        LEAK,
        &article(
            "获奖名单公示",
            "",
            &format!("获奖人：王某\n\n身份证号：{id}，特此公示。"),
        ),
    );

    let build = repo.build();
    assert_eq!(
        build.code(),
        Some(1),
        "an approved version failing a blocking rule fails the build"
    );
    let stderr = build.stderr();
    assert!(
        stderr.contains(LEAK) && stderr.contains("pii-id-number"),
        "{stderr}"
    );
    assert!(
        !stderr.contains(&id),
        "the error must not repeat the number: {stderr}"
    );
    let status = repo.status_json();
    let state = |path: &str| status.iter().find(|s| s["path"] == path).unwrap()["state"].clone();
    assert_eq!(state(LEAK), "blocked");
    assert_eq!(state(CLEAN), "published");

    let check = Check::run(&repo, FRESH);
    assert_eq!(check.code, Some(1), "{}", check.stderr);
    let found = check.of("pii-id-number", LEAK);
    assert_eq!(found.len(), 1, "{:#?}", check.findings());
    // title, date, unit, ---, blank, 获奖人, blank, 身份证号 → line 9 of the file.
    assert_eq!(found[0]["line"], 9);
    assert_eq!(found[0]["column"], 6);
    assert_eq!(found[0]["severity"], "error");
    assert_eq!(found[0]["blocking"], true);
    assert_eq!(found[0]["version"]["state"], "blocked");
    assert!(
        check.rules_in(CLEAN).is_empty(),
        "{:?}",
        check.rules_in(CLEAN)
    );
}

#[test]
fn an_ordinary_news_item_full_of_numbers_passes_clean() {
    let (repo, cast) = site("", "");
    const NEWS: &str = "content/news/tongji.md";
    let wrong_id = invalid_id("11010519491231002");
    let body = format!(
        "2026年11月2日上午，市科协召开2026年度第3次主席办公会议（云科协发〔2026〕12号）。\n\n\
         会议通报，全年投入科普经费12,345.67万元，同比增长3.5%，惠及群众1200000人次；\
         2025年为11,020.5万元。索引号：01-2026-000012，统一社会信用代码：51530100MJ0000000X。\n\n\
         咨询电话：0871-65551234，服务热线：400-123-4567、800-820-8820，传真：(0871)65551235，\
         邮编：650000，地址：学府路88号。\n\n\
         已公示的联系人身份证号 610***********1234、手机 138****5678 均已打码；\
         录入有误的号码 {wrong_id} 不是有效证件号。\n\n\
         ## 一、主要数据\n\n| 项目 | 2025年 | 2026年 |\n|---|---|---|\n| 活动场次 | 1,204 | 1,356 |\n| 经费（万元） | 11,020.5 | 12,345.67 |\n"
    );
    publish(
        &repo,
        &cast,
        NEWS,
        &article("市科协召开主席办公会议", "source: 市科协办公室\n", &body),
    );
    repo.build().assert_success();

    let check = Check::run(&repo, FRESH);
    assert!(
        check.rules_in(NEWS).is_empty(),
        "{:#?}",
        check.of("pii-phone", NEWS)
    );
    assert!(check.errors().is_empty(), "{:#?}", check.errors());
    assert_eq!(check.code, Some(0), "{}", check.stderr);
    assert_eq!(check.report["summary"]["errors"], 0);
}

/// Which rules block is policy: an administrator may let officials' mobile
/// numbers through in one column; site.toml cannot.
#[test]
fn the_policy_may_let_officials_mobile_numbers_through_in_a_column() {
    let (repo, cast) = site("", "");
    set_policy_checks(
        &repo,
        &cast,
        "  allow:\n    - { rule: pii-phone, column: \"news/**\" }\n",
        &[],
    );
    const NOTICE: &str = "content/news/baoming.md";
    publish(
        &repo,
        &cast,
        NOTICE,
        &article("报名通知", "", "联系人：李老师，13812345678。"),
    );
    let build = repo.build();
    build.assert_success();
    assert!(build.page(NOTICE).unwrap().contains("13812345678"));

    let check = Check::run(&repo, FRESH);
    let found = check.of("pii-phone", NOTICE);
    assert_eq!(found.len(), 1);
    assert_eq!(found[0]["severity"], "warning");
    assert_eq!(found[0]["blocking"], false);
    assert!(
        found[0]["message"]
            .as_str()
            .unwrap()
            .contains("138****5678")
    );
    assert_eq!(check.code, Some(0));
}

#[test]
fn bank_cards_block_only_when_the_luhn_digit_is_right() {
    let (repo, cast) = site("", "");
    const CARD: &str = "content/news/juankuan.md";
    const TYPO: &str = "content/news/juankuan-2.md";
    let card = valid_card("621700123456789012");
    let last = card.as_bytes()[18] - b'0';
    let typo = format!("{}{}", &card[..18], (last + 1) % 10);
    publish(
        &repo,
        &cast,
        CARD,
        &article("捐款账户", "", &format!("开户行：某银行\n\n账号：{card}")),
    );
    publish(
        &repo,
        &cast,
        TYPO,
        &article("捐款账户二", "", &format!("账号：{typo}")),
    );
    let check = Check::run(&repo, FRESH);
    assert_eq!(check.of("pii-bank-card", CARD).len(), 1);
    assert!(
        check.rules_in(TYPO).is_empty(),
        "{:?}",
        check.rules_in(TYPO)
    );
    assert_eq!(repo.build().code(), Some(1));
}

#[test]
fn backdating_blocks_but_a_correction_keeps_its_first_date() {
    let (repo, cast) = site(
        "",
        "\n[[columns]]\npath = \"about\"\ntitle = \"走进科协\"\nunits = [\"kepu\"]\n",
    );
    // Imported archives may carry older dates, where the policy allows it.
    set_policy_checks(
        &repo,
        &cast,
        "  allow:\n    - { rule: backdated, column: \"about/**\" }\n",
        &[],
    );
    const KEPT: &str = "content/news/diaoyan.md";
    const ARCHIVE: &str = "content/about/lishi.md";
    const BACKDATED: &str = "content/news/buqian.md";
    publish(
        &repo,
        &cast,
        KEPT,
        &article("高新区调研", "", "调研企业11家。"),
    );
    // The correction is approved days later and keeps the first date.
    repo.publish_draft(
        &cast.wangfang,
        KEPT,
        &article("高新区调研", "", "调研企业12家。"),
    );
    for (day, person, stage) in [
        ("2026-11-06T09:00:00+08:00", &cast.lihua, "unit-review"),
        ("2026-11-06T10:00:00+08:00", &cast.zhaolei, "re-review"),
        ("2026-11-06T11:00:00+08:00", &cast.chenjun, "final"),
    ] {
        repo.next_commit_dated(day);
        repo.approve(person, stage, KEPT);
    }
    publish(
        &repo,
        &cast,
        ARCHIVE,
        "---\ntitle: 科协发展历程\ndate: 2019-05-01\nunit: kepu\n---\n\n历史资料。\n",
    );
    let build = repo.build();
    build.assert_success();
    assert!(build.page(KEPT).unwrap().contains("12家"));
    assert!(
        build.page(ARCHIVE).is_some(),
        "an archive column may show older dates"
    );

    publish(
        &repo,
        &cast,
        BACKDATED,
        "---\ntitle: 补发的会议消息\ndate: 2026-10-30\nunit: kepu\n---\n\n正文。\n",
    );
    let build = repo.build();
    assert_eq!(build.code(), Some(1));
    assert!(
        build.stderr().contains(BACKDATED) && build.stderr().contains("backdated"),
        "{}",
        build.stderr()
    );

    let check = Check::run(&repo, FRESH);
    let found = check.of("backdated", BACKDATED);
    assert_eq!(found.len(), 1, "{:#?}", check.findings());
    assert_eq!(found[0]["line"], 3, "the `date:` line");
    assert!(check.of("backdated", KEPT).is_empty());
    let archive = check.of("backdated", ARCHIVE);
    assert!(
        archive
            .iter()
            .all(|f| f["blocking"] == false && f["severity"] == "warning"),
        "allowed in the archive column: worth a look, never an error: {archive:#?}"
    );
}

#[test]
fn reprints_without_source_and_classification_marks_block_but_drafts_do_not() {
    let (repo, cast) = site("", "");
    const CLEAN: &str = "content/news/a.md";
    const DRAFT: &str = "content/news/draft.md";
    publish(&repo, &cast, CLEAN, &article("正常稿件", "", "正文。"));
    repo.publish_draft(
        &cast.wangfang,
        DRAFT,
        &article("待审稿件", "", "联系人手机 13912345678。"),
    );
    repo.build().assert_success();
    let check = Check::run(&repo, FRESH);
    let found = check.of("pii-phone", DRAFT);
    assert_eq!(
        found.len(),
        1,
        "a draft's findings are reported before review"
    );
    assert_eq!(found[0]["version"]["draft"], true);
    assert_eq!(found[0]["version"]["state"], "pending");
    assert_eq!(check.code, Some(1));

    const REPRINT: &str = "content/news/zhuanzai.md";
    const MARKED: &str = "content/news/neibu.md";
    publish(
        &repo,
        &cast,
        REPRINT,
        &article("转载稿", "type: reprint\n", "转载的正文。"),
    );
    publish(
        &repo,
        &cast,
        MARKED,
        &article("会议纪要", "", "秘密★1年\n\n会议纪要正文。"),
    );
    let build = repo.build();
    assert_eq!(build.code(), Some(1));
    let stderr = build.stderr();
    assert!(
        stderr.contains(REPRINT) && stderr.contains("missing-source"),
        "{stderr}"
    );
    assert!(
        stderr.contains(MARKED) && stderr.contains("classification-mark"),
        "{stderr}"
    );
    let check = Check::run(&repo, FRESH);
    assert_eq!(check.of("missing-source", REPRINT)[0]["line"], 5);
    assert_eq!(check.of("classification-mark", MARKED)[0]["line"], 7);
}

#[test]
fn banned_words_and_wrong_leader_titles_from_the_policys_lists() {
    let (repo, cast) = site("", "");
    set_policy_checks(
        &repo,
        &cast,
        "  banned_words: banned-words.txt\n  leaders: leaders.yaml\n",
        &[
            ("banned-words.txt", "# 禁用词\n最高级\n国家级 => 省级\n"),
            (
                "leaders.yaml",
                "张三: 副市长\n李四: [市科协主席, 党组书记]\n",
            ),
        ],
    );
    const WORDS: &str = "content/news/words.md";
    const TITLE: &str = "content/news/title.md";
    const RIGHT: &str = "content/news/right.md";
    publish(
        &repo,
        &cast,
        WORDS,
        &article("活动", "", "这是全市最高级别的科普活动。"),
    );
    publish(
        &repo,
        &cast,
        TITLE,
        &article("调研", "", "市长张三到市科协调研。"),
    );
    publish(
        &repo,
        &cast,
        RIGHT,
        &article("座谈", "", "副市长张三、市科协主席李四出席座谈会。"),
    );

    let build = repo.build();
    assert_eq!(build.code(), Some(1));
    assert!(
        build.stderr().contains(WORDS) && build.stderr().contains(TITLE),
        "{}",
        build.stderr()
    );
    assert!(!build.stderr().contains(RIGHT));

    let check = Check::run(&repo, FRESH);
    let word = check.of("banned-word", WORDS);
    assert_eq!(word.len(), 1);
    assert_eq!(
        (word[0]["line"].clone(), word[0]["column"].clone()),
        (7.into(), 5.into())
    );
    assert!(word[0]["message"].as_str().unwrap().contains("最高级"));
    let title = check.of("leader-title", TITLE);
    assert_eq!(title.len(), 1);
    assert!(title[0]["message"].as_str().unwrap().contains("副市长"));
    assert!(
        check.rules_in(RIGHT).is_empty(),
        "{:?}",
        check.rules_in(RIGHT)
    );
}

/// A DOCX with `body` as its text and `comment` as a reviewer's comment.
fn docx(body: &str, comment: &str) -> Vec<u8> {
    let mut buffer = Cursor::new(Vec::new());
    {
        let mut zip = zip::ZipWriter::new(&mut buffer);
        let options = zip::write::SimpleFileOptions::default();
        let mut member = |name: &str, text: String| {
            zip.start_file(name, options).unwrap();
            zip.write_all(text.as_bytes()).unwrap();
        };
        member("[Content_Types].xml", "<Types/>".into());
        member(
            "word/document.xml",
            format!(
                "<w:document xmlns:w=\"w\"><w:body><w:p><w:r><w:t>{body}</w:t></w:r></w:p></w:body></w:document>"
            ),
        );
        member(
            "word/comments.xml",
            format!(
                "<w:comments xmlns:w=\"w\"><w:comment w:id=\"0\" w:author=\"审核人\"><w:p><w:r><w:t>{comment}</w:t></w:r></w:p></w:comment></w:comments>"
            ),
        );
        zip.finish().unwrap();
    }
    buffer.into_inner()
}

#[test]
fn a_number_leaked_in_a_docx_comment_blocks_its_bundle() {
    let (repo, cast) = site("", "");
    const BUNDLE: &str = "content/news/mingdan";
    let id = valid_id("44030419900101123");
    repo.write(
        &format!("{BUNDLE}/index.md"),
        &article("名单公示", "", "详见附件：[名单](mingdan.docx)"),
    );
    repo.write_bytes(
        &format!("{BUNDLE}/mingdan.docx"),
        &docx("名单正文，无个人信息。", &format!("核对：{id}")),
    );
    repo.commit_as(&cast.wangfang, "名单公示");
    repo.review_standard(&cast, BUNDLE);

    let build = repo.build();
    assert_eq!(build.code(), Some(1));
    assert!(
        build.stderr().contains("content/news/mingdan/mingdan.docx"),
        "{}",
        build.stderr()
    );
    let check = Check::run(&repo, FRESH);
    let file = "content/news/mingdan/mingdan.docx";
    let leaked = check.of("pii-id-number", file);
    assert_eq!(leaked.len(), 1, "{:#?}", check.findings());
    assert!(
        leaked[0]["message"].as_str().unwrap().contains("审核人"),
        "names the comment's author"
    );
    assert_eq!(
        check.of("attachment-metadata", file).len(),
        1,
        "the comment itself is reported"
    );
}

/// A JPEG whose EXIF holds a GPS position (25°2' N, 102°42' E).
fn jpeg_with_gps() -> Vec<u8> {
    let mut tiff: Vec<u8> = b"MM\0\x2A\0\0\0\x08".to_vec();
    tiff.extend_from_slice(&[0, 1, 0x88, 0x25, 0, 4, 0, 0, 0, 1, 0, 0, 0, 26, 0, 0, 0, 0]);
    let data: u32 = 26 + 2 + 4 * 12 + 4;
    tiff.extend_from_slice(&[0, 4]);
    tiff.extend_from_slice(&[0, 1, 0, 2, 0, 0, 0, 2, b'N', 0, 0, 0]);
    tiff.extend_from_slice(&[0, 2, 0, 5, 0, 0, 0, 3]);
    tiff.extend_from_slice(&data.to_be_bytes());
    tiff.extend_from_slice(&[0, 3, 0, 2, 0, 0, 0, 2, b'E', 0, 0, 0]);
    tiff.extend_from_slice(&[0, 4, 0, 5, 0, 0, 0, 3]);
    tiff.extend_from_slice(&(data + 24).to_be_bytes());
    tiff.extend_from_slice(&[0, 0, 0, 0]);
    for value in [25u32, 2, 0, 102, 42, 0] {
        tiff.extend_from_slice(&value.to_be_bytes());
        tiff.extend_from_slice(&1u32.to_be_bytes());
    }
    let mut jpeg = vec![0xFF, 0xD8, 0xFF, 0xE1];
    jpeg.extend_from_slice(&((tiff.len() + 8) as u16).to_be_bytes());
    jpeg.extend_from_slice(b"Exif\0\0");
    jpeg.extend_from_slice(&tiff);
    jpeg.extend_from_slice(&[0xFF, 0xDA, 0, 2, 1, 2, 3, 0xFF, 0xD9]);
    jpeg
}

#[test]
fn a_photo_carrying_its_gps_position_is_reported() {
    let (repo, cast) = site("", "");
    const BUNDLE: &str = "content/news/huodong";
    repo.write(
        &format!("{BUNDLE}/index.md"),
        &article("活动现场", "", "![活动现场照片](photo.jpg)"),
    );
    repo.write_bytes(&format!("{BUNDLE}/photo.jpg"), &jpeg_with_gps());
    repo.write_bytes(
        &format!("{BUNDLE}/clean.jpg"),
        &[0xFF, 0xD8, 0xFF, 0xDA, 0, 2, 1, 0xFF, 0xD9],
    );
    repo.commit_as(&cast.wangfang, "活动现场");
    repo.review_standard(&cast, BUNDLE);

    let check = Check::run(&repo, FRESH);
    let found = check.of("image-gps", "content/news/huodong/photo.jpg");
    assert_eq!(found.len(), 1, "{:#?}", check.findings());
    assert!(
        found[0]["message"]
            .as_str()
            .unwrap()
            .contains("25.033°N, 102.700°E"),
        "{}",
        found[0]["message"]
    );
    assert!(
        check
            .of("image-gps", "content/news/huodong/clean.jpg")
            .is_empty()
    );
    repo.build().assert_success();
}

#[test]
fn stale_and_empty_columns_as_of_now_with_the_inspection_view() {
    let (repo, cast) = site(
        "",
        "\n[[columns]]\npath = \"notices\"\ntitle = \"通知公告\"\nunits = [\"kepu\"]\nupdate = \"7d\"\n\
         \n[[columns]]\npath = \"kepu\"\ntitle = \"科学普及\"\nunits = [\"kepu\"]\nupdate = \"60d\"\n",
    );
    publish(
        &repo,
        &cast,
        "content/news/a.md",
        &article("动态", "", "正文。"),
    );
    publish(
        &repo,
        &cast,
        "content/notices/b.md",
        &article("通知", "", "正文。"),
    );

    // 2026-11-08: six days since 2026-11-02 — past 70% of notices' 7 days.
    let check = Check::run(&repo, "2026-11-08T12:00:00+08:00");
    let stale: Vec<&Value> = check
        .findings()
        .iter()
        .filter(|f| f["rule"] == "stale-column")
        .collect();
    assert_eq!(stale.len(), 1, "{stale:#?}");
    assert_eq!(stale[0]["severity"], "warning");
    assert!(stale[0]["message"].as_str().unwrap().contains("notices"));
    let empty: Vec<&Value> = check
        .findings()
        .iter()
        .filter(|f| f["rule"] == "empty-column")
        .collect();
    assert_eq!(empty.len(), 1);
    assert_eq!(empty[0]["file"], "site.toml");
    assert!(empty[0]["message"].as_str().unwrap().contains("kepu"));
    assert_eq!(empty[0]["severity"], "error");

    // 2026-12-10: 38 days — notices and news past their windows, the home page past 14 days.
    let check = Check::run(&repo, "2026-12-10T12:00:00+08:00");
    let errors: Vec<String> = check
        .findings()
        .iter()
        .filter(|f| f["rule"] == "stale-column" && f["severity"] == "error")
        .map(|f| f["message"].as_str().unwrap().to_string())
        .collect();
    assert_eq!(errors.len(), 3, "{errors:#?}");
    assert!(errors.iter().any(|m| m.contains("首页")));
    let inspection = &check.report["inspection"];
    assert_eq!(inspection["home_days_since_update"], 38);
    assert_eq!(
        inspection["stale_news_columns"],
        serde_json::json!(["news"])
    );
    assert_eq!(inspection["empty_columns"], serde_json::json!(["kepu"]));
    assert_eq!(check.code, Some(1));
}

#[test]
fn broken_links_anchors_and_attachments_are_found_at_their_lines() {
    let (repo, cast) = site("", "");
    const TARGET: &str = "content/news/target.md";
    const LINKS: &str = "content/news/links.md";
    publish(
        &repo,
        &cast,
        TARGET,
        &article("目标", "", "## 第一章\n\n内容。"),
    );
    let body = "[好链接](/news/target/#第一章)\n\n\
                [坏锚点](/news/target/#第九章)\n\n\
                [不存在的页面](/news/nothing/)\n\n\
                [附件](missing.pdf)\n\n\
                [本页锚点](#不存在)\n\n\
                [外部链接](https://www.gov.cn/)\n";
    publish(&repo, &cast, LINKS, &article("链接", "", body));

    let check = Check::run(&repo, FRESH);
    let mut lines: Vec<i64> = check
        .of("broken-link", LINKS)
        .iter()
        .map(|f| f["line"].as_i64().unwrap())
        .collect();
    lines.sort();
    assert_eq!(lines, [9, 11, 13, 15], "{:#?}", check.findings());
    assert!(check.of("broken-link", TARGET).is_empty());
    assert!(
        check
            .findings()
            .iter()
            .filter(|f| f["rule"] == "broken-link")
            .count()
            == 4,
        "the theme's own links resolve"
    );
}

#[test]
fn the_same_text_under_a_newer_date_and_a_policy_without_interpretation() {
    let (repo, cast) = site(
        "",
        "\n[[columns]]\npath = \"xxgk\"\ntitle = \"信息公开\"\nunits = [\"kepu\"]\n",
    );
    let body = "市科协组织专家深入基层开展科普志愿服务活动，围绕防灾减灾、健康生活、科学育儿等主题，\
                为群众讲解科学知识，发放科普资料两千余份，现场解答群众提出的各类问题一百余个，\
                受到基层群众的普遍欢迎和好评。";
    publish(
        &repo,
        &cast,
        "content/news/old.md",
        &article("科普志愿服务", "", body),
    );
    publish(
        &repo,
        &cast,
        "content/news/again.md",
        &format!("---\ntitle: 科普志愿服务活动\ndate: 2026-11-05\nunit: kepu\n---\n\n{body}\n"),
    );
    const POLICY: &str = "content/xxgk/banfa.md";
    const EXPLAINED: &str = "content/xxgk/guiding.md";
    publish(
        &repo,
        &cast,
        POLICY,
        &article("管理办法", "type: policy\n", "第一条 ……"),
    );
    publish(
        &repo,
        &cast,
        EXPLAINED,
        &article("工作规定", "type: policy\n", "第一条 ……"),
    );
    publish(
        &repo,
        &cast,
        "content/xxgk/guiding-jiedu.md",
        &article(
            "工作规定解读",
            "type: interpretation\ninterprets: content/xxgk/guiding.md\n",
            "解读正文。",
        ),
    );

    let check = Check::run(&repo, FRESH);
    let redated = check.of("redated", "content/news/again.md");
    assert_eq!(redated.len(), 1, "{:#?}", check.findings());
    assert!(
        redated[0]["message"]
            .as_str()
            .unwrap()
            .contains("content/news/old.md")
    );
    assert!(
        check.of("redated", "content/news/old.md").is_empty(),
        "the original is not the copy"
    );
    assert_eq!(check.of("missing-interpretation", POLICY).len(), 1);
    assert!(check.of("missing-interpretation", EXPLAINED).is_empty());
}

#[test]
fn text_and_sarif_reports() {
    let (repo, cast) = site("", "");
    const LEAK: &str = "content/news/leak.md";
    repo.publish_draft(
        &cast.wangfang,
        LEAK,
        &article("稿件", "", "手机 13812345678"),
    );
    let output = repo.sanshen(&["check", "--format", "sarif", "--now", FRESH]);
    assert_eq!(output.status.code(), Some(1));
    let sarif: Value = serde_json::from_slice(&output.stdout).expect("SARIF is JSON");
    assert_eq!(sarif["version"], "2.1.0");
    let run = &sarif["runs"][0];
    assert_eq!(run["tool"]["driver"]["name"], "sanshen");
    let rules = run["tool"]["driver"]["rules"].as_array().unwrap();
    let result = run["results"]
        .as_array()
        .unwrap()
        .iter()
        .find(|r| r["ruleId"] == "pii-phone")
        .expect("a pii-phone result");
    assert_eq!(
        rules[result["ruleIndex"].as_u64().unwrap() as usize]["id"],
        "pii-phone"
    );
    assert_eq!(result["level"], "error");
    let location = &result["locations"][0]["physicalLocation"];
    assert_eq!(location["artifactLocation"]["uri"], LEAK);
    assert_eq!(location["region"]["startLine"], 7);

    let output = repo.sanshen(&["check", "--now", FRESH]);
    assert_eq!(output.status.code(), Some(1));
    let text = String::from_utf8_lossy(&output.stdout);
    assert!(
        text.contains(LEAK) && text.contains("pii-phone") && text.contains("138****5678"),
        "{text}"
    );
    assert!(text.contains("草稿") && text.contains("检查视图"), "{text}");
}

#[test]
fn a_government_site_must_show_its_identity() {
    let (repo, cast) = TestRepo::bootstrapped();
    let gov = site_toml("", "")
        .replace("profile = \"party-mass\"", "profile = \"gov\"")
        .replace("[identity]\n", "[identity]\nsite_code = \"53010000\"\n");
    set_site(&repo, &cast, &gov);
    publish(
        &repo,
        &cast,
        "content/news/a.md",
        &article("动态", "", "正文。"),
    );
    let check = Check::run(&repo, FRESH);
    let identity: Vec<String> = check
        .of("identity", "site.toml")
        .iter()
        .map(|f| f["message"].as_str().unwrap().to_string())
        .collect();
    assert!(
        identity.iter().any(|m| m.contains("error_report_url")),
        "{identity:#?}"
    );
    assert!(
        identity.iter().any(|m| m.contains("53010000")),
        "a malformed 网站标识码: {identity:#?}"
    );
    assert!(
        !identity
            .iter()
            .any(|m| m.contains("`icp`") || m.contains("organizer")),
        "{identity:#?}"
    );
    let footer: Vec<&Value> = check
        .findings()
        .iter()
        .filter(|f| f["rule"] == "identity" && f["file"] != "site.toml")
        .collect();
    assert!(
        footer
            .iter()
            .all(|f| !f["message"].as_str().unwrap().contains("meta")),
        "the default theme carries every monitoring tag: {footer:#?}"
    );
    assert_eq!(check.code, Some(1));
}

#[test]
fn bad_check_settings_are_configuration_errors() {
    for (checks, mistake) in [
        (
            "[checks]\nbanned_word = \"approvals/x.txt\"\n",
            "banned_word",
        ),
        (
            "[checks.rules]\npii-fone = { severity = \"warning\" }\n",
            "pii-fone",
        ),
        (
            "[checks.rules]\nstale-column = { blocking = true }\n",
            "stale-column",
        ),
        (
            "[checks.rules]\npii-phone = { severity = \"loud\" }\n",
            "loud",
        ),
        // Which rules block, and the lists, are policy, not site settings.
        (
            "[checks.rules]\npii-phone = { severity = \"warning\" }\n",
            "approvals/policy.yaml",
        ),
        (
            "[checks.rules]\nclassified = { blocking = false }\n",
            "classified",
        ),
        (
            "[checks]\nbanned_words = \"approvals/banned-words.txt\"\n",
            "approvals/policy.yaml",
        ),
        ("[checks]\narchive_columns = [\"news\"]\n", "backdated"),
    ] {
        // A maintainer approves the broken site.toml: it is held back, the
        // previous one stays in use, and the build says why (exit 1).
        let (repo, cast) = TestRepo::bootstrapped();
        repo.write("site.toml", &site_toml(checks, ""));
        repo.commit_as(&cast.qianwei, "站点设置");
        repo.approve(&cast.qianwei, "site", "site.toml");
        let build = repo.build();
        let stderr = build.stderr();
        assert_eq!(build.code(), Some(1), "{checks}: {stderr}");
        assert!(
            stderr.contains("site.toml") && stderr.contains(mistake),
            "{checks}: {stderr}"
        );
    }
    // A policy naming a list it does not hold is invalid: not trusted, and
    // the build names it in a notice.
    let (repo, cast) = site("", "");
    set_policy_checks(&repo, &cast, "  banned_words: missing.txt\n", &[]);
    let build = repo.build();
    build.assert_success();
    assert!(build.stderr().contains("missing.txt"), "{}", build.stderr());
    // And a classified allowance is an error of the policy.
    let (repo, cast) = site("", "");
    set_policy_checks(&repo, &cast, "  allow:\n    - { rule: classified }\n", &[]);
    let build = repo.build();
    build.assert_success();
    assert!(build.stderr().contains("classified"), "{}", build.stderr());
}

#[test]
fn the_demo_portal_passes_check_without_errors() {
    let home = tempfile::tempdir().unwrap();
    let out = home.path().join("demo");
    let demo = std::process::Command::new(env!("CARGO_BIN_EXE_sanshen"))
        .args(["demo", "--out"])
        .arg(&out)
        .env("HOME", home.path())
        .output()
        .expect("run sanshen demo");
    let stdout = String::from_utf8_lossy(&demo.stdout);
    assert!(
        demo.status.success(),
        "{stdout}{}",
        String::from_utf8_lossy(&demo.stderr)
    );
    // The demo says which clock it was built at: `… --now 2026-11-20T18:00:00+08:00`.
    let now = stdout
        .split_whitespace()
        .skip_while(|word| *word != "--now")
        .nth(1)
        .expect("the demo prints its --now");
    let repo = out.join("repo");
    let output = std::process::Command::new(env!("CARGO_BIN_EXE_sanshen"))
        .arg("--root")
        .arg(Path::new(&repo))
        .args(["check", "--format", "json", "--now", now])
        .env("HOME", home.path())
        .output()
        .expect("run sanshen check");
    let check = Check::from_output(output);
    assert!(check.errors().is_empty(), "{:#?}", check.errors());
    assert_eq!(check.code, Some(0));
    assert!(
        !check.findings().is_empty(),
        "the demo's drafts show warnings"
    );
}

/// A PDF with one page per content stream in `pages`, written object by
/// object with a correct cross-reference table. `/F1` is Helvetica; `/F2` is
/// a CID font (Identity-H) whose ToUnicode map gives <0001> 机, <0002> 密,
/// <0003> ★, <0004> 年, <0005> 电, <0006> 话 and <0010>–<0019> the digits —
/// how Chinese text is stored in PDFs that office software writes.
fn pdf(pages: &[&str], info: &str) -> Vec<u8> {
    let map = "/CIDInit /ProcSet findresource begin\n12 dict begin\nbegincmap\n/CMapName /Adobe-Identity-UCS def\n/CMapType 2 def\n1 begincodespacerange\n<0000> <FFFF>\nendcodespacerange\n6 beginbfchar\n<0001> <673A>\n<0002> <5BC6>\n<0003> <2605>\n<0004> <5E74>\n<0005> <7535>\n<0006> <8BDD>\nendbfchar\n1 beginbfrange\n<0010> <0019> <0030>\nendbfrange\nendcmap\nCMapName currentdict /CMap defineresource pop\nend\nend";
    let stream = |content: &str| {
        format!(
            "<< /Length {} >>\nstream\n{content}\nendstream",
            content.len()
        )
    };
    let first_page = 7;
    let kids: Vec<String> = (0..pages.len())
        .map(|i| format!("{} 0 R", first_page + 2 * i + 1))
        .collect();
    let mut objects = vec![
        "<< /Type /Catalog /Pages 2 0 R >>".to_string(),
        format!(
            "<< /Type /Pages /Kids [{}] /Count {} >>",
            kids.join(" "),
            pages.len()
        ),
        "<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica /Encoding /WinAnsiEncoding >>".into(),
        stream(map),
        "<< /Type /Font /Subtype /Type0 /BaseFont /SimSun /Encoding /Identity-H /DescendantFonts [<< /Type /Font /Subtype /CIDFontType2 /BaseFont /SimSun /CIDSystemInfo << /Registry (Adobe) /Ordering (Identity) /Supplement 0 >> >>] /ToUnicode 4 0 R >>".into(),
        format!("<< {info} >>"),
    ];
    for (i, content) in pages.iter().enumerate() {
        objects.push(stream(content));
        objects.push(format!(
            "<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] /Resources << /Font << /F1 3 0 R /F2 5 0 R >> >> /Contents {} 0 R >>",
            first_page + 2 * i
        ));
    }
    let mut out = b"%PDF-1.7\n%\xE2\xE3\xCF\xD3\n".to_vec();
    let mut offsets = Vec::new();
    for (index, object) in objects.iter().enumerate() {
        offsets.push(out.len());
        out.extend_from_slice(format!("{} 0 obj\n{object}\nendobj\n", index + 1).as_bytes());
    }
    let xref = out.len();
    out.extend_from_slice(
        format!("xref\n0 {}\n0000000000 65535 f \n", objects.len() + 1).as_bytes(),
    );
    for offset in offsets {
        out.extend_from_slice(format!("{offset:010} 00000 n \n").as_bytes());
    }
    out.extend_from_slice(
        format!(
            "trailer\n<< /Size {} /Root 1 0 R /Info 6 0 R >>\nstartxref\n{xref}\n%%EOF\n",
            objects.len() + 1
        )
        .as_bytes(),
    );
    out
}

/// Text in the CID font of [`pdf`]: each character as its 4-hex-digit code.
fn cid_text(text: &str) -> String {
    let codes: String = text
        .chars()
        .map(|c| match c {
            '机' => "0001".to_string(),
            '密' => "0002".to_string(),
            '★' => "0003".to_string(),
            '年' => "0004".to_string(),
            '电' => "0005".to_string(),
            '话' => "0006".to_string(),
            digit => format!("{:04X}", 0x10 + digit.to_digit(10).expect("a digit")),
        })
        .collect();
    format!("<{codes}>")
}

#[test]
fn pdf_attachments_are_read_page_by_page() {
    let (repo, cast) = site("", "");
    const BUNDLE: &str = "content/news/gongshi";
    let id = valid_id("53010219800101123");
    repo.write(
        &format!("{BUNDLE}/index.md"),
        &article(
            "名单公示",
            "",
            "详见附件：[名单](mingdan.pdf)、[通知](tongzhi.pdf)、[扫描件](saomiao.pdf)、[文件](sunhuai.pdf)",
        ),
    );
    // Page 1 is an ordinary notice; the number is on page 2, the phone in the Author field.
    let leaked = pdf(
        &[
            "BT /F1 11 Tf 72 770 Td (Notice 2026-11-02: budget 12,345.67 yuan, office 0871-65551234, postcode 650000.) Tj ET",
            &format!("BT /F1 11 Tf 72 770 Td (Name: Zhang) Tj 0 -14 Td (ID number: {id}) Tj ET"),
        ],
        "/Author (Zhang 13812345678) /Creator (Writer)",
    );
    repo.write_bytes(&format!("{BUNDLE}/mingdan.pdf"), &leaked);
    // Chinese text: a classification mark, and a table row whose cells
    // (a year, an office number) must not run together into one number.
    let chinese = pdf(
        &[&format!(
            "BT /F2 16 Tf 72 770 Td {} Tj ET\nBT /F2 10 Tf 72 700 Td {} Tj 80 0 Td {} Tj ET",
            cid_text("机密★10年"),
            cid_text("2026年"),
            cid_text("电话65551234"),
        )],
        "/Producer (Office)",
    );
    repo.write_bytes(&format!("{BUNDLE}/tongzhi.pdf"), &chinese);
    repo.write_bytes(
        &format!("{BUNDLE}/saomiao.pdf"),
        &pdf(&["q 595 0 0 842 0 0 cm Q"], "/Creator (Scanner)"),
    );
    repo.write_bytes(
        &format!("{BUNDLE}/sunhuai.pdf"),
        &leaked[..leaked.len() / 3],
    );
    repo.commit_as(&cast.wangfang, "名单公示");
    repo.review_standard(&cast, BUNDLE);

    let build = repo.build();
    assert_eq!(build.code(), Some(1), "{}", build.stderr());
    assert!(build.stderr().contains("mingdan.pdf"), "{}", build.stderr());

    let check = Check::run(&repo, FRESH);
    let file = |name: &str| format!("{BUNDLE}/{name}");
    let ids = check.of("pii-id-number", &file("mingdan.pdf"));
    assert_eq!(ids.len(), 1, "{:#?}", check.findings());
    assert!(
        ids[0]["message"].as_str().unwrap().starts_with("第2页"),
        "names the page: {}",
        ids[0]["message"]
    );
    assert!(ids[0]["blocking"].as_bool().unwrap());
    let phones = check.of("pii-phone", &file("mingdan.pdf"));
    assert_eq!(phones.len(), 1, "{:#?}", check.findings());
    assert!(phones[0]["message"].as_str().unwrap().contains("Author"));
    assert_eq!(
        check.rules_in(&file("mingdan.pdf")).len(),
        2,
        "page 1's dates, amounts and office number pass: {:#?}",
        check.rules_in(&file("mingdan.pdf"))
    );

    assert_eq!(
        check.rules_in(&file("tongzhi.pdf")),
        ["classification-mark"],
        "{:#?}",
        check.findings()
    );

    for (name, says) in [("saomiao.pdf", "扫描件"), ("sunhuai.pdf", "无法读取")] {
        let unread = check.of("attachment-metadata", &file(name));
        assert_eq!(unread.len(), 1, "{name}: {:#?}", check.findings());
        assert_eq!(unread[0]["severity"], "warning");
        assert!(
            unread[0]["message"].as_str().unwrap().contains(says),
            "{name}: {}",
            unread[0]["message"]
        );
    }
}

/// An extended WebP (VP8X) of one lossless pixel, with an EXIF chunk (the
/// GPS TIFF of [`jpeg_with_gps`]) and an XMP packet naming the camera owner.
fn webp_with_gps() -> Vec<u8> {
    let jpeg = jpeg_with_gps();
    // The TIFF structure sits between the APP1 header with "Exif\0\0" and the scan.
    let tiff = &jpeg[12..jpeg.len() - 9];
    // VP8L: signature, 1×1, alpha, no transforms, no colour cache, five
    // one-symbol prefix codes — the pixel itself takes no bits.
    let mut bits: Vec<bool> = Vec::new();
    let mut put = |value: u32, count: u32| (0..count).for_each(|i| bits.push(value >> i & 1 == 1));
    put(0x2F, 8);
    put(0, 28);
    put(1, 1);
    put(0, 6);
    for symbol in [0x80, 0x20, 0x40, 0xFF, 0] {
        put(0b101, 3);
        put(symbol, 8);
    }
    let vp8l: Vec<u8> = bits
        .chunks(8)
        .map(|b| {
            b.iter()
                .rev()
                .fold(0u8, |acc, &bit| acc << 1 | u8::from(bit))
        })
        .collect();
    let chunk = |kind: &[u8], payload: &[u8]| {
        let mut c = kind.to_vec();
        c.extend_from_slice(&(payload.len() as u32).to_le_bytes());
        c.extend_from_slice(payload);
        if payload.len() % 2 == 1 {
            c.push(0);
        }
        c
    };
    let body = [
        chunk(b"VP8X", &[0x1C, 0, 0, 0, 0, 0, 0, 0, 0, 0]),
        chunk(b"VP8L", &vp8l),
        chunk(b"EXIF", tiff),
        chunk(b"XMP ", b"<x:xmpmeta>camera owner</x:xmpmeta>"),
    ]
    .concat();
    let mut webp = b"RIFF".to_vec();
    webp.extend_from_slice(&((body.len() + 4) as u32).to_le_bytes());
    webp.extend_from_slice(b"WEBP");
    webp.extend_from_slice(&body);
    webp
}

#[test]
fn a_webp_photo_with_gps_is_reported_and_published_without_it() {
    let (repo, cast) = site("", "");
    const BUNDLE: &str = "content/news/xianchang";
    repo.write(
        &format!("{BUNDLE}/index.md"),
        &article("活动现场", "", "![活动现场照片](photo.webp)"),
    );
    let original = webp_with_gps();
    repo.write_bytes(&format!("{BUNDLE}/photo.webp"), &original);
    repo.commit_as(&cast.wangfang, "活动现场");
    repo.review_standard(&cast, BUNDLE);

    let check = Check::run(&repo, FRESH);
    let found = check.of("image-gps", &format!("{BUNDLE}/photo.webp"));
    assert_eq!(found.len(), 1, "{:#?}", check.findings());
    assert!(
        found[0]["message"]
            .as_str()
            .unwrap()
            .contains("25.033°N, 102.700°E")
    );

    repo.build().assert_success();
    let published = std::fs::read(repo.out.join("news/xianchang/photo.webp")).unwrap();
    assert!(published.len() < original.len());
    assert_eq!(
        u32::from_le_bytes(published[4..8].try_into().unwrap()) as usize,
        published.len() - 8,
        "the RIFF size is the file's"
    );
    assert!(!published.windows(12).any(|w| w == b"camera owner"));
    assert!(
        exif::Reader::new()
            .read_from_container(&mut Cursor::new(&published))
            .is_err(),
        "no EXIF left"
    );
    assert_eq!(
        published[20], 0x10,
        "VP8X flags: alpha only, EXIF and XMP cleared"
    );
    // The image chunk is copied byte for byte.
    let vp8l = |file: &[u8]| {
        let at = file.windows(4).position(|w| w == b"VP8L").unwrap();
        let size = u32::from_le_bytes(file[at + 4..at + 8].try_into().unwrap()) as usize;
        file[at..at + 8 + size].to_vec()
    };
    assert_eq!(vp8l(&published), vp8l(&original));
}

/// A web server on 127.0.0.1 for `check --external`: `/ok` answers 200,
/// `/gone` 404, `/moved` redirects to `/ok`, `/loop` redirects to itself,
/// `/no-head` refuses HEAD (405) but serves GET, `/slow` answers after 6 s.
/// It logs every request and stops by itself once idle for 20 s.
struct LinkServer {
    port: u16,
    log: std::sync::Arc<std::sync::Mutex<Vec<String>>>,
}

impl LinkServer {
    fn start() -> LinkServer {
        let server = tiny_http::Server::http("127.0.0.1:0").expect("a local port");
        let port = server.server_addr().to_ip().expect("an IP address").port();
        let log = std::sync::Arc::new(std::sync::Mutex::new(Vec::new()));
        let requests = log.clone();
        std::thread::spawn(move || {
            for _ in 0..200 {
                let Ok(Some(request)) = server.recv_timeout(std::time::Duration::from_secs(20))
                else {
                    return;
                };
                let method = request.method().to_string();
                let path = request.url().to_string();
                requests.lock().unwrap().push(format!("{method} {path}"));
                std::thread::spawn(move || {
                    let location = |to: &str| {
                        tiny_http::Header::from_bytes("Location", to.as_bytes()).unwrap()
                    };
                    let response = match (method.as_str(), path.as_str()) {
                        (_, "/ok") => tiny_http::Response::from_string("fine"),
                        (_, "/moved") => tiny_http::Response::from_string("")
                            .with_status_code(301)
                            .with_header(location("/ok")),
                        (_, "/loop") => tiny_http::Response::from_string("")
                            .with_status_code(302)
                            .with_header(location("/loop")),
                        ("HEAD", "/no-head") => {
                            tiny_http::Response::from_string("").with_status_code(405)
                        }
                        ("GET", "/no-head") => tiny_http::Response::from_string("fine"),
                        (_, "/slow") => {
                            std::thread::sleep(std::time::Duration::from_secs(6));
                            tiny_http::Response::from_string("late")
                        }
                        _ => tiny_http::Response::from_string("not here").with_status_code(404),
                    };
                    let _ = request.respond(response);
                });
            }
        });
        LinkServer { port, log }
    }

    fn url(&self, path: &str) -> String {
        format!("http://127.0.0.1:{}{path}", self.port)
    }

    fn requests(&self) -> Vec<String> {
        self.log.lock().unwrap().clone()
    }
}

#[test]
fn external_links_are_probed_only_when_asked() {
    let (repo, cast) = site("", "");
    let server = LinkServer::start();
    const LINKS: &str = "content/news/wailian.md";
    const AGAIN: &str = "content/news/zaici.md";
    let body = format!(
        "[正常]({ok})\n\n[已删除]({gone})\n\n[已迁移]({moved})\n\n[循环]({looping})\n\n[不支持 HEAD]({no_head})\n\n[很慢]({slow})\n",
        ok = server.url("/ok"),
        gone = server.url("/gone"),
        moved = server.url("/moved"),
        looping = server.url("/loop"),
        no_head = server.url("/no-head"),
        slow = server.url("/slow"),
    );
    publish(&repo, &cast, LINKS, &article("外链", "", &body));
    let again = format!(
        "[同一地址]({})\n\n[同一地址的锚点]({}#part)\n",
        server.url("/gone"),
        server.url("/gone")
    );
    publish(&repo, &cast, AGAIN, &article("再次", "", &again));

    // Offline by default: nothing is asked.
    let check = Check::run(&repo, FRESH);
    assert!(
        !check
            .findings()
            .iter()
            .any(|f| f["rule"] == "external-link")
    );
    assert!(server.requests().is_empty(), "{:?}", server.requests());

    let output = repo.sanshen(&[
        "check",
        "--format",
        "json",
        "--now",
        FRESH,
        "--external",
        "--timeout",
        "2",
    ]);
    let check = Check::from_output(output);
    let mut lines: Vec<i64> = check
        .of("external-link", LINKS)
        .iter()
        .map(|f| f["line"].as_i64().unwrap())
        .collect();
    lines.sort();
    // gone (line 9), loop (13), slow (17); ok, moved and no-head work.
    assert_eq!(lines, [9, 13, 17], "{:#?}", check.findings());
    let messages: Vec<String> = check
        .of("external-link", LINKS)
        .iter()
        .map(|f| f["message"].as_str().unwrap().to_string())
        .collect();
    assert!(
        messages
            .iter()
            .any(|m| m.contains("/gone") && m.contains("HTTP 404"))
    );
    assert!(
        messages
            .iter()
            .any(|m| m.contains("/loop") && m.contains("重定向超过 5 次"))
    );
    assert!(
        messages
            .iter()
            .any(|m| m.contains("/slow") && m.contains("2 秒内无响应"))
    );
    assert_eq!(
        check.of("external-link", AGAIN).len(),
        2,
        "both places of the dead address are named"
    );
    assert!(
        check
            .findings()
            .iter()
            .filter(|f| f["rule"] == "external-link")
            .all(|f| f["severity"] == "warning")
    );
    assert_eq!(check.code, Some(0), "warnings only");

    // Each address was asked once: one HEAD, and a GET only where HEAD failed.
    let requests = server.requests();
    let count = |request: &str| requests.iter().filter(|r| *r == request).count();
    assert_eq!(count("HEAD /gone"), 1, "{requests:?}");
    assert_eq!(count("GET /gone"), 1, "{requests:?}");
    assert_eq!(
        count("HEAD /ok"),
        2,
        "once for /ok, once after /moved: {requests:?}"
    );
    assert_eq!(count("GET /ok"), 0, "{requests:?}");
    assert_eq!(count("GET /no-head"), 1, "{requests:?}");
    assert_eq!(
        count("HEAD /slow"),
        1,
        "a timeout is not asked again: {requests:?}"
    );
    assert_eq!(count("GET /slow"), 0, "{requests:?}");

    // --timeout means nothing without --external.
    let output = repo.sanshen(&["check", "--timeout", "2"]);
    assert_eq!(output.status.code(), Some(2));
}
