//! `sanshen init` and `sanshen new` as a new site's owners use them: a site
//! started with `init`, set up by the steps it prints and its README (fill in
//! site.toml, commit, approve site.toml, enrol the reviewers by an approved
//! policy change), an article started with `new` and reviewed — and the
//! result builds, shows the article, and passes `check` without an error.

mod common;

use std::fs;
use std::path::Path;
use std::process::Output;

use common::{Build, Person, TestRepo};

/// The example articles `init` writes for a Chinese site.
const EXAMPLES: [&str; 3] = [
    "content/about/jianjie.md",
    "content/news/wangzhan-kaitong.md",
    "content/notices/xinxi-baosong.md",
];

fn stdout(output: &Output) -> String {
    String::from_utf8_lossy(&output.stdout).into_owned()
}

fn stderr(output: &Output) -> String {
    String::from_utf8_lossy(&output.stderr).into_owned()
}

#[track_caller]
fn assert_ok(output: &Output, what: &str) {
    assert_eq!(
        output.status.code(),
        Some(0),
        "{what} failed:\n{}{}",
        stdout(output),
        stderr(output)
    );
}

/// Today in the examples' time zone: what `new` names articles after.
fn today_in_shanghai() -> String {
    chrono::Utc::now()
        .with_timezone(&chrono_tz::Asia::Shanghai)
        .format("%Y-%m-%d")
        .to_string()
}

/// Fill in site.toml's `[identity]` placeholders, as step 1 asks.
fn fill_identity(site: &str) -> String {
    [
        ("organizer", "测试市科学技术协会"),
        ("site_code", "5301000001"),
        ("icp", "测ICP备12345678号-1"),
        ("police", "测公网安备53010002000001号"),
        ("contact", "地址：测试市学府路1号 电话：0871-65550100"),
        (
            "error_report_url",
            "https://zfwzgl.www.gov.cn/exposure/jiucuo.html",
        ),
    ]
    .iter()
    .fold(site.to_string(), |text, (key, value)| {
        let empty = format!("{key} = \"\"");
        assert!(text.contains(&empty), "site.toml has no `{empty}`");
        text.replacen(&empty, &format!("{key} = \"{value}\""), 1)
    })
}

/// Replace an example reviewer's placeholder address and empty key list by
/// `person`'s, as the policy's own comments ask.
fn enrol(policy: &str, person: &Person) -> String {
    let mut lines: Vec<String> = policy.lines().map(str::to_string).collect();
    let entry = lines
        .iter()
        .position(|l| l.trim() == format!("- id: {}", person.id))
        .unwrap_or_else(|| panic!("policy.yaml has no example person `{}`", person.id));
    let mut email_done = false;
    let mut keys_done = false;
    for line in lines.iter_mut().skip(entry + 1) {
        if line.trim_start().starts_with("- id:") {
            break;
        }
        if line.trim_start().starts_with("email:") && !email_done {
            *line = format!("    email: {}", person.email);
            email_done = true;
        } else if line.trim_start().starts_with("keys: []") && !keys_done {
            *line = format!("    keys: [\"{}\"]", person.signing_key().public_line);
            keys_done = true;
        }
    }
    assert!(
        email_done && keys_done,
        "{} has no email and keys lines",
        person.id
    );
    lines.join("\n") + "\n"
}

/// `build` at `now` (the day the site was made, not the helper's fixed
/// clock), trusting the policy of `policy_root`.
fn build_at(repo: &TestRepo, now: &str, policy_root: &str) -> Build {
    let manifest = repo.home.join("manifest.json");
    let _ = fs::remove_file(&manifest);
    let output = repo.sanshen(&[
        "build",
        "--out",
        repo.out.to_str().expect("a UTF-8 path"),
        "--now",
        now,
        "--policy-root",
        policy_root,
        "--manifest",
        manifest.to_str().expect("a UTF-8 path"),
    ]);
    let manifest = fs::read_to_string(&manifest)
        .ok()
        .map(|text| serde_json::from_str(&text).expect("the manifest is JSON"));
    Build {
        output,
        out: repo.out.clone(),
        manifest,
    }
}

/// Run `sanshen approve` as `person`, committing at `time`.
fn approve_as(repo: &TestRepo, person: &Person, time: &str, args: &[&str]) {
    repo.configure_signer(person);
    repo.next_commit_dated(time);
    let mut full = vec!["approve"];
    full.extend_from_slice(args);
    let output = repo.sanshen_committing(&full);
    assert_ok(&output, &format!("{} approve {args:?}", person.id));
}

#[test]
fn an_initialised_site_builds_and_passes_check_after_the_documented_steps() {
    let repo = TestRepo::new();
    let admin = repo.person("sunli", "孙丽", None);
    repo.configure_signer(&admin);

    let init = repo.sanshen(&["init"]);
    assert_ok(&init, "init");
    let said = stdout(&init);
    assert!(
        said.contains("sunli") && said.contains(&admin.signing_key().fingerprint),
        "{said}"
    );
    assert!(
        said.contains("sanshen approve --stage site site.toml"),
        "{said}"
    );
    let policy = repo.read("approvals/policy.yaml");
    assert!(
        policy.contains(&admin.signing_key().public_line),
        "{policy}"
    );
    assert!(policy.contains("email: sunli@kx.example"), "{policy}");
    for file in [
        "site.toml",
        ".gitignore",
        "README.md",
        "CHANGELOG.md",
        ".github/workflows/publish.yml",
        "approvals/banned-words.txt",
        "approvals/leaders.yaml",
    ]
    .iter()
    .chain(EXAMPLES.iter())
    {
        assert!(repo.root.join(file).is_file(), "init wrote no {file}");
    }
    // init leaves the first commit to the administrator.
    assert!(
        repo.git(&["status", "--porcelain"])
            .contains("?? site.toml"),
        "init must not commit"
    );

    // Every time below is today; the articles carry no `date`, so each page
    // shows when its review completed.
    let day = today_in_shanghai();
    let at = |hour: u32| format!("{day}T{hour:02}:00:00+08:00");
    let now = at(21);

    // Steps 1–4: fill in the footer identity, commit (the trust root),
    // approve site.toml. The site builds, with the examples waiting for review.
    repo.write("site.toml", &fill_identity(&repo.read("site.toml")));
    repo.next_commit_dated(&at(8));
    let first = repo.commit_as(&admin, "建站");
    approve_as(&repo, &admin, &at(9), &["--stage", "site", "site.toml"]);
    let build = build_at(&repo, &now, &first);
    build.assert_success();
    assert!(build.out.join("index.html").is_file());
    assert!(
        build.page(EXAMPLES[0]).is_none(),
        "an unreviewed example went online"
    );

    // The reviewers join by an approved policy change (README: 审核制度的变更).
    let office_head = repo.person("office-head", "办公室负责人", Some("office"));
    let reviewer = repo.person("reviewer", "宣传部门审核人", None);
    let leader = repo.person("leader", "分管领导", None);
    let mut policy = repo.read("approvals/policy.yaml");
    for person in [&office_head, &reviewer, &leader] {
        policy = enrol(&policy, person);
    }
    assert!(policy.contains("version: 1\n"));
    repo.write(
        "approvals/policy.yaml",
        &policy.replacen("version: 1\n", "version: 2\n", 1),
    );
    repo.next_commit_dated(&at(10));
    repo.commit_as(&admin, "审核制度：登记审核人员");
    approve_as(
        &repo,
        &admin,
        &at(11),
        &["--stage", "policy", "approvals", "--yes"],
    );

    // A writer's article, started with `new`.
    repo.configure_signer(&admin);
    let new = repo.sanshen(&["new", "news", "关于开展2026年科普月活动的通知"]);
    assert_ok(&new, "new");
    let created = stdout(&new).trim().to_string();
    let file = Path::new(&created);
    let relative = file
        .strip_prefix(&repo.root)
        .expect("new prints the path under --root")
        .to_str()
        .expect("a UTF-8 path")
        .to_string();
    let text = fs::read_to_string(file).expect("new created the file it printed");
    assert_eq!(relative, format!("content/news/{day}-1.md"));
    assert!(
        !text.lines().any(|line| line.starts_with("date:")),
        "new leaves `date` out:\n{text}"
    );
    assert!(text.contains("\nauthor: sunli\n"), "{text}");
    assert!(text.contains("\nunit: office"), "{text}");
    repo.write(
        &relative,
        &text.replace(
            "在这里撰写正文。",
            "市科协决定于12月开展科普月活动，现将有关事项通知如下。",
        ),
    );
    repo.next_commit_dated(&at(12));
    repo.commit_as(&admin, "报送：关于开展2026年科普月活动的通知");

    // Three reviews of the new article and the three examples.
    let mut articles: Vec<&str> = EXAMPLES.to_vec();
    articles.push(&relative);
    for (hour, stage, person) in [
        (13, "unit-review", &office_head),
        (14, "re-review", &reviewer),
        (15, "final", &leader),
    ] {
        let mut args = vec!["--stage", stage];
        args.extend(articles.iter().copied());
        approve_as(&repo, person, &at(hour), &args);
    }

    let build = build_at(&repo, &now, &first);
    build.assert_success();
    let page = build.page(&relative).expect("the new article is online");
    assert!(page.contains("关于开展2026年科普月活动的通知"));
    // 发布时间 is when the final review completed.
    assert!(page.contains(&format!("{day} 15:00")), "{page}");
    for example in EXAMPLES {
        assert!(
            build.manifest_entry(example).is_some(),
            "{example} is not published"
        );
    }

    let check = repo.sanshen(&["check", "--now", &now, "--policy-root", &first]);
    assert_eq!(
        check.status.code(),
        Some(0),
        "check found errors:\n{}{}",
        stdout(&check),
        stderr(&check)
    );

    // The identity fields are required: emptied again (and approved), check names the one missing.
    let site = repo.read("site.toml");
    repo.write(
        "site.toml",
        &site.replacen("organizer = \"测试市科学技术协会\"", "organizer = \"\"", 1),
    );
    repo.next_commit_dated(&at(16));
    repo.commit_as(&admin, "站点设置：清空主办单位");
    approve_as(&repo, &admin, &at(17), &["--stage", "site", "site.toml"]);
    let check = repo.sanshen(&["check", "--now", &now, "--policy-root", &first]);
    assert_eq!(check.status.code(), Some(1), "{}", stdout(&check));
    assert!(stdout(&check).contains("organizer"), "{}", stdout(&check));
}

#[test]
fn without_a_signing_key_init_says_where_the_key_goes_in_a_new_folder() {
    let repo = TestRepo::new();
    // The tests' git has no global configuration: no name, address or key.
    let target = repo.home.join("sites").join("portal");
    let output = repo.sanshen(&["init", target.to_str().expect("a UTF-8 path")]);
    assert_ok(&output, "init");
    let said = stdout(&output);

    let head = fs::read_to_string(target.join(".git/HEAD")).expect("init made a repository");
    assert_eq!(head.trim(), "ref: refs/heads/main");
    assert!(
        !target.join(".git/refs/heads/main").exists(),
        "init must not commit"
    );

    let policy = fs::read_to_string(target.join("approvals/policy.yaml")).unwrap();
    let (file_line, line) = said
        .split_whitespace()
        .find_map(|word| {
            let at = word.find("approvals/policy.yaml:")?;
            let number: String = word[at + "approvals/policy.yaml:".len()..]
                .chars()
                .take_while(char::is_ascii_digit)
                .collect();
            Some((word.to_string(), number.parse::<usize>().ok()?))
        })
        .unwrap_or_else(|| panic!("init names no line for the key:\n{said}"));
    let keys_line = policy.lines().nth(line - 1).unwrap_or_default();
    assert!(
        keys_line.trim_start().starts_with("keys: []"),
        "{file_line}: {keys_line}"
    );
    assert!(policy.contains("- id: webmaster"), "{policy}");
    assert!(
        said.contains("git config --global user.signingkey"),
        "{said}"
    );
    assert!(
        said.contains(&format!("cd {} && git add -A", target.display())),
        "{said}"
    );

    // With no user.name and no policy entry for the writer, `new` leaves the author to fill in.
    let new = repo.sanshen_at(&target, &["new", "notices", "Open", "Day"]);
    assert_ok(&new, "new");
    assert_eq!(
        stdout(&new).trim(),
        target
            .join("content/notices/open-day.md")
            .display()
            .to_string()
    );
    let text = fs::read_to_string(target.join("content/notices/open-day.md")).unwrap();
    assert!(
        text.contains("title: Open Day\n") && text.contains("\n# author: "),
        "{text}"
    );
}

#[test]
fn an_english_site_speaks_english() {
    let repo = TestRepo::new();
    let target = repo.home.join("en-site");
    let output = repo.sanshen(&["init", "--language", "en", target.to_str().unwrap()]);
    assert_ok(&output, "init --language en");
    assert!(stdout(&output).contains("Next:"), "{}", stdout(&output));
    let site = fs::read_to_string(target.join("site.toml")).unwrap();
    assert!(site.contains("language = \"en\""));

    let unknown = repo.sanshen_at(&target, &["new", "events", "Science fair"]);
    assert_eq!(unknown.status.code(), Some(2));
    let said = stderr(&unknown);
    assert!(
        said.contains("there is no column `events`") && said.contains("news (News)"),
        "{said}"
    );

    let bad = repo.sanshen(&[
        "init",
        "--language",
        "fr",
        repo.home.join("fr").to_str().unwrap(),
    ]);
    assert_eq!(bad.status.code(), Some(2));
    assert!(!repo.home.join("fr").exists());
}

#[test]
fn init_refuses_a_folder_with_files_or_history() {
    let repo = TestRepo::new();
    repo.write("notes.txt", "我的笔记\n");
    let output = repo.sanshen(&["init"]);
    assert_eq!(output.status.code(), Some(2), "{}", stdout(&output));
    let said = stderr(&output);
    assert!(
        said.contains(&repo.root.display().to_string()) && said.contains("notes.txt"),
        "{said}"
    );
    assert!(
        !repo.root.join("site.toml").exists(),
        "init wrote into a folder it refused"
    );

    // Only `.git` left, but with a commit: not a new repository either.
    repo.git(&["add", "-A"]);
    repo.git(&["commit", "-q", "-m", "笔记"]);
    repo.remove("notes.txt");
    let output = repo.sanshen(&["init"]);
    assert_eq!(output.status.code(), Some(2));
    assert!(stderr(&output).contains("有提交"), "{}", stderr(&output));

    // A file where the folder should be.
    let file = repo.home.join("taken");
    fs::write(&file, "x").unwrap();
    let output = repo.sanshen(&["init", file.to_str().unwrap()]);
    assert_eq!(output.status.code(), Some(2));
    assert!(stderr(&output).contains("taken"), "{}", stderr(&output));

    // A key file that is not a public key is refused before anything is made.
    let target = repo.home.join("with-key");
    let not_a_key = repo.home.join("not-a-key.pub");
    fs::write(&not_a_key, "hello\n").unwrap();
    let output = repo.sanshen(&[
        "init",
        "--key",
        not_a_key.to_str().unwrap(),
        target.to_str().unwrap(),
    ]);
    assert_eq!(output.status.code(), Some(2));
    assert!(
        stderr(&output).contains("not-a-key.pub"),
        "{}",
        stderr(&output)
    );
    assert!(!target.exists());
}

#[test]
fn new_never_overwrites_and_refuses_unknown_columns() {
    let repo = TestRepo::new();
    let writer = repo.person("wangfang", "王芳", None);
    repo.configure_signer(&writer);
    let key = format!("{}.pub", writer.signing_key().private.display());
    assert_ok(&repo.sanshen(&["init", "--key", &key]), "init --key");
    assert!(
        repo.read("approvals/policy.yaml")
            .contains(&writer.signing_key().public_line)
    );

    let new = |args: &[&str]| {
        let mut full = vec!["new"];
        full.extend_from_slice(args);
        repo.sanshen(&full)
    };
    let created = |output: &Output| {
        assert_ok(output, "new");
        stdout(output)
            .trim()
            .strip_prefix(&format!("{}/", repo.root.display()))
            .expect("a path under --root")
            .to_string()
    };

    // Unknown column: exit 2, naming the columns there are.
    let unknown = new(&["kepu", "标题"]);
    assert_eq!(unknown.status.code(), Some(2));
    let said = stderr(&unknown);
    assert!(
        said.contains("kepu") && said.contains("news（工作动态）"),
        "{said}"
    );
    assert!(!repo.root.join("content/kepu").exists());

    // English titles: words; taken names move on, and nothing is overwritten.
    assert_eq!(
        created(&new(&["news", "Open Day"])),
        "content/news/open-day.md"
    );
    repo.write("content/news/open-day.md", "my draft\n");
    assert_eq!(
        created(&new(&["news", "Open", "Day"])),
        "content/news/open-day-2.md"
    );
    assert_eq!(repo.read("content/news/open-day.md"), "my draft\n");
    assert_eq!(
        created(&new(&["news", "Open Day", "--bundle"])),
        "content/news/open-day-3/index.md"
    );

    // Chinese titles: the date and a number.
    assert_eq!(
        created(&new(&["news", "科普日活动", "--date", "2026-11-23"])),
        "content/news/2026-11-23-1.md"
    );
    assert_eq!(
        created(&new(&[
            "news",
            "科普日活动",
            "--date",
            "2026-11-23T09:30:00+08:00"
        ])),
        "content/news/2026-11-23-2.md"
    );
    let text = repo.read("content/news/2026-11-23-2.md");
    assert!(text.contains("date: 2026-11-23T09:30:00+08:00\n"), "{text}");
    assert!(text.contains("\nauthor: wangfang\n"), "{text}");

    // A chosen slug that is taken is refused, never reused.
    let taken = new(&["news", "别的稿件", "--slug", "open-day"]);
    assert_eq!(taken.status.code(), Some(2));
    assert!(
        stderr(&taken).contains("content/news/open-day"),
        "{}",
        stderr(&taken)
    );
    assert_eq!(repo.read("content/news/open-day.md"), "my draft\n");
    assert_eq!(
        created(&new(&["notices", "别的稿件", "--slug", "kepu-2026"])),
        "content/notices/kepu-2026.md"
    );

    // Bad input: a slug that is no address, a date that is no date.
    assert_eq!(
        new(&["news", "x", "--slug", "Open Day"]).status.code(),
        Some(2)
    );
    assert_eq!(
        new(&["news", "x", "--date", "yesterday"]).status.code(),
        Some(2)
    );
}
