//! Benchmark corpora for sanshen, and a measurement of its approval ledger.
//!
//! A fair benchmark needs a site the size of a real portal's archive, with
//! the history sanshen really has to verify: every article written by a
//! unit's 信息员 and approved through the `standard` workflow in three
//! separately signed commits by the right people. Such a history cannot be
//! made by spawning `git` and `ssh-keygen` thirty thousand times, so this
//! program writes it in-process with the demo's signed-commit writer
//! (`sanshen::demo`). Everything is fixed — seed, names, commit times — and
//! Ed25519 signatures are deterministic, so two runs give the same commit ids.
//!
//! ```text
//! cargo run --release --example bench_corpus -- generate --articles 10000 --out /tmp/b/site \
//!     [--hugo /tmp/b/hugo] [--zola /tmp/b/zola] [--batch 50] [--edited 0.05] [--seed 1]
//! cargo run --release --example bench_corpus -- ledger --repo /tmp/b/site
//! ```
//!
//! `generate` also writes the same published pages as a Hugo and a Zola site
//! (front matter converted), `.git/bench-allowed-signers` for
//! `git log --show-signature`, and `.git/bench-corpus.json`, a summary the
//! runner in `bench/` reads (head commit, counts, the `--now` to build at).
//! `ledger` times signature verification alone (one core, then all), the
//! ledger's history read and evaluation without the history cache, then the
//! evaluation with it (filling it, then warm), and prints JSON. It leaves the
//! cache in `.git/sanshen/`.

use std::collections::BTreeMap;
use std::fmt::Write as _;
use std::path::{Path, PathBuf};
use std::process::ExitCode;
use std::time::Instant;

use chrono::{Datelike, Duration, FixedOffset, NaiveDate, TimeZone};
use clap::{Parser, Subcommand};
use rayon::prelude::*;

use sanshen::demo::signer::DemoKey;
use sanshen::demo::writer::{Author, DemoRepository};
use sanshen::ledger::Ledger;
use sanshen::ledger::history;
use sanshen::ledger::policy::Policy;
use sanshen::ledger::signature::{SshSignature, Verification};
use sanshen::repo::Repo;

#[derive(Parser)]
#[command(about = "Generate sanshen benchmark corpora and measure ledger verification")]
struct Cli {
    #[command(subcommand)]
    command: Command,
}

#[derive(Subcommand)]
enum Command {
    /// Write a site repository with a signed review history (and Hugo/Zola twins).
    Generate(GenerateArgs),
    /// Time signature verification and the ledger of an existing repository.
    Ledger(LedgerArgs),
    /// Correct one published article and approve the correction through its
    /// three stages (four signed commits): the "one-article change" of the
    /// warm-rebuild benchmark.
    Change(ChangeArgs),
}

#[derive(clap::Args)]
struct ChangeArgs {
    /// A site repository made by `generate`.
    #[arg(long, value_name = "DIR")]
    repo: PathBuf,
    /// The article to correct, by repository path (default: the first one).
    #[arg(long)]
    article: Option<String>,
}

#[derive(clap::Args)]
struct GenerateArgs {
    /// How many articles.
    #[arg(long)]
    articles: usize,
    /// The site repository to create (a missing or empty folder).
    #[arg(long, value_name = "DIR")]
    out: PathBuf,
    /// Also write the published pages as a Hugo site here.
    #[arg(long, value_name = "DIR")]
    hugo: Option<PathBuf>,
    /// Also write the published pages as a Zola site here.
    #[arg(long, value_name = "DIR")]
    zola: Option<PathBuf>,
    /// Articles per submission commit (one unit's 信息员 submits a batch a day).
    #[arg(long, default_value_t = 50)]
    batch: usize,
    /// Fraction of articles that get an unapproved edit on top (0 to 1).
    #[arg(long, default_value_t = 0.0)]
    edited: f64,
    /// Seed of the text generator.
    #[arg(long, default_value_t = 1)]
    seed: u64,
}

#[derive(clap::Args)]
struct LedgerArgs {
    /// The site repository.
    #[arg(long, value_name = "DIR")]
    repo: PathBuf,
    /// The revision whose history is measured.
    #[arg(long, default_value = "HEAD")]
    rev: String,
}

fn main() -> ExitCode {
    let cli = Cli::parse();
    let outcome = match &cli.command {
        Command::Generate(args) => generate(args),
        Command::Ledger(args) => measure_ledger(args),
        Command::Change(args) => change_one_article(args),
    };
    match outcome {
        Ok(()) => ExitCode::SUCCESS,
        Err(message) => {
            eprintln!("error: {message}");
            ExitCode::from(2)
        }
    }
}

// ---------------------------------------------------------------------------
// The fictional portal: units, people, columns.

/// A unit (责任单位): its id, name, 信息员 and 部门负责人.
struct Unit {
    id: &'static str,
    name: &'static str,
    writer: &'static str,
    head: &'static str,
}

const UNITS: &[Unit] = &[
    Unit {
        id: "office",
        name: "市政府办公室",
        writer: "linxiaowen",
        head: "wangjianping",
    },
    Unit {
        id: "xuanchuan",
        name: "新闻宣传处",
        writer: "zhengyifan",
        head: "zhoumin",
    },
    Unit {
        id: "fagai",
        name: "市发展改革委",
        writer: "tangsiyuan",
        head: "liuzhigang",
    },
    Unit {
        id: "caizheng",
        name: "市财政局",
        writer: "xukexin",
        head: "chenhui",
    },
    Unit {
        id: "renshe",
        name: "市人力资源社会保障局",
        writer: "hejingyi",
        head: "yangbolin",
    },
    Unit {
        id: "jiaoyu",
        name: "市教育局",
        writer: "luozihang",
        head: "sunlixin",
    },
    Unit {
        id: "weijian",
        name: "市卫生健康委",
        writer: "jiangyutong",
        head: "hanlei",
    },
    Unit {
        id: "zhengwu",
        name: "市政务服务中心",
        writer: "songjiahui",
        head: "fengguoqiang",
    },
];

/// Person id, name, unit.
const PEOPLE: &[(&str, &str, &str)] = &[
    ("linxiaowen", "林晓雯", "office"),
    ("wangjianping", "王建平", "office"),
    ("zhengyifan", "郑一帆", "xuanchuan"),
    ("zhoumin", "周敏", "xuanchuan"),
    ("tangsiyuan", "唐思远", "fagai"),
    ("liuzhigang", "刘志刚", "fagai"),
    ("xukexin", "许可欣", "caizheng"),
    ("chenhui", "陈慧", "caizheng"),
    ("hejingyi", "何静怡", "renshe"),
    ("yangbolin", "杨柏林", "renshe"),
    ("luozihang", "罗子航", "jiaoyu"),
    ("sunlixin", "孙立新", "jiaoyu"),
    ("jiangyutong", "蒋雨桐", "weijian"),
    ("hanlei", "韩磊", "weijian"),
    ("songjiahui", "宋佳慧", "zhengwu"),
    ("fengguoqiang", "冯国强", "zhengwu"),
    ("zhaoqian", "赵倩", "xuanchuan"),
    ("qinlu", "秦露", "xuanchuan"),
    ("huangzhenhua", "黄振华", "office"),
    ("wuxiulan", "吴秀兰", "office"),
    ("caowenyuan", "曹文远", "office"),
    ("zhulin", "朱琳", "office"),
    ("majun", "马骏", "office"),
];

/// 复审 (the `publicity` role): every unit, taken in turn.
const PUBLICITY: &[&str] = &["zhaoqian", "qinlu"];

/// 分管领导 and the units in their 分工.
const LEADERS: &[(&str, &[&str])] = &[
    ("huangzhenhua", &["office", "xuanchuan", "zhengwu"]),
    ("wuxiulan", &["fagai", "caizheng", "renshe"]),
    ("caowenyuan", &["jiaoyu", "weijian"]),
];

const ADMIN: &str = "zhulin";
const MAINTAINER: &str = "majun";
const EMAIL_DOMAIN: &str = "bench.sanshen.example";

/// Column path, title, responsible units.
const COLUMNS: &[(&str, &str, &[&str])] = &[
    ("news", "政务要闻", &["office", "xuanchuan"]),
    (
        "news/dept",
        "部门动态",
        &[
            "fagai", "caizheng", "renshe", "jiaoyu", "weijian", "zhengwu",
        ],
    ),
    ("news/county", "区县动态", &["xuanchuan"]),
    ("news/media", "媒体关注", &["xuanchuan"]),
    ("notices", "通知公告", &["office", "renshe", "jiaoyu"]),
    ("xxgk", "政府信息公开", &["office"]),
    ("xxgk/policy", "政策文件", &["office", "fagai"]),
    (
        "xxgk/interpretation",
        "政策解读",
        &["office", "fagai", "caizheng"],
    ),
    ("xxgk/plans", "规划计划", &["fagai"]),
    ("xxgk/finance", "财政资金", &["caizheng"]),
    ("xxgk/personnel", "人事信息", &["renshe"]),
    ("services", "政务服务", &["zhengwu"]),
    ("services/guide", "办事指南", &["zhengwu"]),
    ("services/education", "教育服务", &["jiaoyu"]),
    ("services/health", "卫生健康", &["weijian"]),
    ("services/employment", "就业创业", &["renshe"]),
    ("interaction", "政民互动", &["office"]),
    ("interaction/faq", "常见问题", &["zhengwu", "weijian"]),
    ("interaction/survey", "征集调查", &["fagai", "caizheng"]),
    ("special", "专题专栏", &["xuanchuan", "weijian", "jiaoyu"]),
];

const SITE_TITLE: &str = "云州市人民政府门户网站（基准测试）";
const BASE_URL: &str = "https://www.yunzhou.example/";
const ORGANIZER: &str = "云州市人民政府办公室";

fn person_name(id: &str) -> &'static str {
    PEOPLE
        .iter()
        .find(|(pid, _, _)| *pid == id)
        .map_or("", |(_, name, _)| name)
}

fn email(id: &str) -> String {
    format!("{id}@{EMAIL_DOMAIN}")
}

fn leader_of(unit: &str) -> &'static str {
    LEADERS
        .iter()
        .find(|(_, units)| units.contains(&unit))
        .map_or(LEADERS[0].0, |(id, _)| id)
}

fn site_toml() -> String {
    let mut text = format!(
        "# Generated by `cargo run --example bench_corpus`: a fictional portal for benchmarks.\n\
         title = \"{SITE_TITLE}\"\nbase_url = \"{BASE_URL}\"\nlanguage = \"zh-CN\"\ntimezone = \"Asia/Shanghai\"\n\
         profile = \"gov\"\n\n[identity]\norganizer = \"{ORGANIZER}\"\nsite_code = \"5399000099\"\n\
         icp = \"云ICP备2026000001号\"\npolice = \"云公网安备53990002000001号\"\n\
         contact = \"地址：云州市政府大道1号\"\nerror_report_url = \"{BASE_URL}interaction/\"\n"
    );
    for (path, title, units) in COLUMNS {
        let units: Vec<String> = units.iter().map(|u| format!("\"{u}\"")).collect();
        let _ = write!(
            text,
            "\n[[columns]]\npath = \"{path}\"\ntitle = \"{title}\"\nunits = [{}]\nupdate = \"30d\"\npaginate = 20\n",
            units.join(", ")
        );
    }
    text
}

fn policy_yaml(keys: &BTreeMap<&str, String>) -> String {
    let mut text = String::from(
        "# Generated by `cargo run --example bench_corpus`. The keys come from the demo's\n\
         # published seeds: NOT secret, never to be trusted by a real site.\nversion: 1\nunits:\n",
    );
    for unit in UNITS {
        let _ = writeln!(text, "  - {{ id: {}, name: {} }}", unit.id, unit.name);
    }
    text.push_str("people:\n");
    for (id, name, unit) in PEOPLE {
        let key = keys.get(id).map_or("", String::as_str);
        let _ = writeln!(
            text,
            "  - {{ id: {id}, name: {name}, unit: {unit}, email: {}, keys: [\"{key}\"] }}",
            email(id)
        );
    }
    text.push_str("roles:\n  unit-head:\n    members:\n");
    for unit in UNITS {
        let _ = writeln!(
            text,
            "      - {{ person: {}, units: [{}] }}",
            unit.head, unit.id
        );
    }
    text.push_str("  publicity:\n    members:\n");
    for person in PUBLICITY {
        let _ = writeln!(text, "      - {{ person: {person} }}");
    }
    text.push_str("  leader:\n    members:\n");
    for (person, units) in LEADERS {
        let _ = writeln!(
            text,
            "      - {{ person: {person}, units: [{}] }}",
            units.join(", ")
        );
    }
    let _ = write!(
        text,
        "  admin:\n    members: [{{ person: {ADMIN} }}]\n  maintainer:\n    members: [{{ person: {MAINTAINER} }}]\n"
    );
    text.push_str(
        "workflows:\n  standard:\n    stages:\n\
         \x20     - { id: unit-review, name: 负责人审核, role: unit-head }\n\
         \x20     - { id: re-review, name: 复审, role: publicity }\n\
         \x20     - { id: final, name: 分管领导终审, role: leader }\n\
         \x20 site: { stages: [{ id: site, name: 技术审核, role: maintainer }] }\n\
         \x20 policy: { stages: [{ id: policy, name: 管理员批准, role: admin }] }\n\
         rules:\n  - { workflow: standard }\n\
         settings:\n  distinct_approvers: true\n  author_may_approve: false\n  withdraw_role: admin\n",
    );
    text
}

// ---------------------------------------------------------------------------
// Deterministic text.

/// SplitMix64: tiny, fast, and the same on every platform.
struct Rng(u64);

impl Rng {
    fn new(seed: u64, stream: u64) -> Rng {
        let mut rng = Rng(seed ^ stream.wrapping_mul(0x9E37_79B9_7F4A_7C15));
        rng.next();
        rng
    }

    fn next(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(0x9E37_79B9_7F4A_7C15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
        z ^ (z >> 31)
    }

    fn below(&mut self, n: usize) -> usize {
        (self.next() % n.max(1) as u64) as usize
    }

    fn pick<'a>(&mut self, items: &[&'a str]) -> &'a str {
        items[self.below(items.len())]
    }

    /// Two different items (lists have at least two).
    fn pick_two<'a>(&mut self, items: &[&'a str]) -> (&'a str, &'a str) {
        let first = self.below(items.len());
        let second = (first + 1 + self.below(items.len() - 1)) % items.len();
        (items[first], items[second])
    }
}

const PLACES: &[&str] = &[
    "全市",
    "临江区",
    "青山县",
    "南屏县",
    "白石镇",
    "高新区",
    "经开区",
    "东湖街道",
    "西岭乡",
    "云溪区",
];
const ACTIONS: &[&str] = &[
    "召开", "部署", "开展", "推进", "举办", "启动", "组织", "完成",
];
const TOPICS: &[&str] = &[
    "优化营商环境工作推进会",
    "安全生产专项检查",
    "秋季学期开学准备工作",
    "城乡居民医保参保登记",
    "高校毕业生就业服务月活动",
    "政务服务“一网通办”业务培训",
    "防汛抗旱工作",
    "重点项目建设调度会",
    "老旧小区改造",
    "农村人居环境整治",
    "全民健身运动会",
    "科技创新政策宣讲",
    "社区养老服务提升行动",
    "数字政府建设专题会",
    "食品安全宣传周",
    "预算绩效管理培训",
    "义务教育阶段招生工作",
    "基层医疗卫生服务能力提升",
    "稳就业保民生座谈会",
    "政府信息公开工作培训",
];
const PHRASES: &[&str] = &[
    "坚持以人民为中心的发展思想",
    "进一步压实工作责任",
    "加强部门协同配合",
    "完善常态化工作机制",
    "强化督促检查和跟踪问效",
    "聚焦群众急难愁盼问题",
    "推动各项政策措施落地见效",
    "提升基层治理能力和服务水平",
    "统筹发展和安全",
    "加大政策宣传解读力度",
    "深化“放管服”改革",
    "优化办事流程、压缩办理时限",
    "做好数据统计和信息报送",
    "加强队伍建设和业务培训",
    "畅通群众意见建议反映渠道",
    "健全考核评价和激励机制",
    "抓好问题整改和成果运用",
    "推进线上线下服务融合",
];
const GOALS: &[&str] = &[
    "把好事办好、实事办实",
    "确保各项任务按期完成",
    "不断增强群众的获得感、幸福感、安全感",
    "为全市经济社会高质量发展提供有力保障",
    "切实做到守土有责、守土尽责",
    "让企业和群众办事更加便捷高效",
];
const HEADINGS: &[&str] = &[
    "基本情况",
    "主要做法",
    "工作进展",
    "经验成效",
    "存在问题",
    "下一步工作",
    "工作要求",
    "时间安排",
    "保障措施",
    "办理流程",
];
const METRICS: &[(&str, &str)] = &[
    ("新增市场主体", "户"),
    ("办理政务服务事项", "件"),
    ("开展专题培训", "场"),
    ("发放补贴资金", "万元"),
    ("受理群众咨询", "件"),
    ("完成改造项目", "个"),
    ("新增就业岗位", "个"),
    ("开展宣传活动", "次"),
];
const ORDINALS: &[&str] = &["一", "二", "三", "四", "五", "六", "七", "八"];
const TAGS: &[&str] = &[
    "营商环境",
    "民生",
    "政务服务",
    "教育",
    "卫生健康",
    "就业",
    "财政",
    "安全生产",
    "乡村振兴",
    "数字政府",
];

/// One article of the corpus: where it lives and what it says.
struct Article {
    index: usize,
    column: &'static str,
    unit: &'static Unit,
    slug: String,
    title: String,
    date: NaiveDate,
    tags: [&'static str; 2],
    summary: String,
    body: String,
}

impl Article {
    fn path(&self) -> String {
        format!("content/{}/{}.md", self.column, self.slug)
    }

    /// The file in sanshen's format (YAML front matter).
    fn markdown(&self) -> String {
        format!(
            "---\ntitle: {}\ndate: {}\nunit: {}\nauthor: {}\ntags: [{}, {}]\nsummary: {}\n---\n\n{}",
            self.title,
            self.date,
            self.unit.id,
            self.unit.writer,
            self.tags[0],
            self.tags[1],
            self.summary,
            self.body
        )
    }

    /// The same page for Hugo: YAML front matter, custom fields as params.
    fn hugo_markdown(&self) -> String {
        format!(
            "---\ntitle: \"{}\"\ndate: {}\nunit: \"{}\"\nauthor: \"{}\"\ntags: [\"{}\", \"{}\"]\nsummary: \"{}\"\n---\n\n{}",
            self.title,
            self.date,
            self.unit.name,
            person_name(self.unit.writer),
            self.tags[0],
            self.tags[1],
            self.summary,
            self.body
        )
    }

    /// The same page for Zola: TOML front matter, custom fields under `[extra]`.
    fn zola_markdown(&self) -> String {
        format!(
            "+++\ntitle = \"{}\"\ndate = {}\ndescription = \"{}\"\n\n[extra]\nunit = \"{}\"\nauthor = \"{}\"\ntags = [\"{}\", \"{}\"]\n+++\n\n{}",
            self.title,
            self.date,
            self.summary,
            self.unit.name,
            person_name(self.unit.writer),
            self.tags[0],
            self.tags[1],
            self.body
        )
    }
}

/// The columns a unit writes for.
fn columns_of(unit: &str) -> Vec<&'static str> {
    COLUMNS
        .iter()
        .filter(|(_, _, units)| units.contains(&unit))
        .map(|(path, _, _)| *path)
        .collect()
}

/// Article `index`, submitted by `unit`, dated `date`. `earlier` holds
/// (column, slug, title) of articles already written, for internal links.
fn write_article(
    seed: u64,
    index: usize,
    unit: &'static Unit,
    date: NaiveDate,
    earlier: &[(&'static str, String, String)],
) -> Article {
    let mut rng = Rng::new(seed, index as u64);
    let columns = columns_of(unit.id);
    let column = columns[rng.below(columns.len())];
    let place = rng.pick(PLACES);
    let topic = rng.pick(TOPICS);
    let action = rng.pick(ACTIONS);
    let title = format!(
        "{place}{}{action}{topic}",
        unit.name.trim_start_matches('市')
    );
    let day = format!("{}月{}日", date.month(), date.day());
    let summary = format!("{day}，{}{action}{topic}，{}。", unit.name, rng.pick(GOALS));

    let (first, second) = rng.pick_two(PHRASES);
    let mut body = format!(
        "{day}，{}在{place}{action}{topic}，相关部门和单位负责同志参加。{}，要{first}，{second}，{}。\n\n",
        unit.name,
        rng.pick(&["会议强调", "会议指出", "活动要求", "通知明确"]),
        rng.pick(GOALS)
    );
    // Section headings in a fixed cyclic order from a random start: no repeats.
    let heading_start = rng.below(HEADINGS.len());
    let target = 1400 + rng.below(200);
    let mut section = 0;
    while body.chars().count() < target && section < ORDINALS.len() {
        let heading = HEADINGS[(heading_start + section) % HEADINGS.len()];
        let _ = write!(body, "## {}、{heading}\n\n", ORDINALS[section]);
        match section % 4 {
            0 => paragraph(&mut rng, &mut body, earlier),
            1 => {
                paragraph(&mut rng, &mut body, &[]);
                for _ in 0..3 + rng.below(3) {
                    let (first, second) = rng.pick_two(PHRASES);
                    let _ = writeln!(body, "- {}：{first}，{second}。", rng.pick(HEADINGS));
                }
                body.push('\n');
            }
            2 => {
                paragraph(&mut rng, &mut body, &[]);
                body.push_str("| 指标 | 本期 | 上年同期 | 同比 |\n|---|---:|---:|---:|\n");
                for _ in 0..3 + rng.below(3) {
                    let (metric, unit_word) = METRICS[rng.below(METRICS.len())];
                    let now = 100 + rng.below(9000);
                    let before = 100 + rng.below(9000);
                    let change = (now as f64 - before as f64) / before as f64 * 100.0;
                    let _ = writeln!(
                        body,
                        "| {metric}（{unit_word}） | {now} | {before} | {change:.1}% |"
                    );
                }
                body.push('\n');
            }
            _ => {
                for step in 1..=3 + rng.below(2) {
                    let _ = writeln!(body, "{step}. {}，{}。", rng.pick(PHRASES), rng.pick(GOALS));
                }
                body.push('\n');
                paragraph(&mut rng, &mut body, &[]);
            }
        }
        section += 1;
    }
    let _ = writeln!(
        body,
        "更多政策信息请访问[中国政府网](https://www.gov.cn/)或本网[{}](/{column}/)栏目。",
        COLUMNS
            .iter()
            .find(|(p, _, _)| *p == column)
            .map_or("", |(_, t, _)| t)
    );
    Article {
        index,
        column,
        unit,
        slug: format!("a{index:05}"),
        title,
        date,
        tags: <[&str; 2]>::from(rng.pick_two(TAGS)),
        summary,
        body,
    }
}

/// A paragraph of four to six sentences; one links an earlier article when given.
fn paragraph(rng: &mut Rng, body: &mut String, earlier: &[(&'static str, String, String)]) {
    for _ in 0..4 + rng.below(3) {
        match rng.below(3) {
            0 => {
                let (metric, unit_word) = METRICS[rng.below(METRICS.len())];
                let _ = write!(
                    body,
                    "据统计，今年以来{}累计{metric}{}{unit_word}，同比增长{}.{}%。",
                    rng.pick(PLACES),
                    10 + rng.below(5000),
                    rng.below(30),
                    rng.below(10)
                );
            }
            1 => {
                let (first, second) = rng.pick_two(PHRASES);
                let _ = write!(body, "各有关单位要{first}，{second}，{}。", rng.pick(GOALS));
            }
            _ => {
                let _ = write!(body, "{}，{}。", rng.pick(PHRASES), rng.pick(GOALS));
            }
        }
    }
    if !earlier.is_empty() {
        let (column, slug, title) = &earlier[rng.below(earlier.len())];
        let _ = write!(body, "此前，本网已发布[{title}](/{column}/{slug}/)。");
    }
    body.push_str("\n\n");
}

// ---------------------------------------------------------------------------
// The repository.

/// The corpus's clock: fixed, in Asia/Shanghai (no daylight saving).
struct Clock {
    zone: FixedOffset,
    start: NaiveDate,
}

impl Clock {
    fn new() -> Result<Clock, String> {
        let zone = FixedOffset::east_opt(8 * 3600).ok_or("bad time zone offset")?;
        let start = NaiveDate::from_ymd_opt(2025, 1, 2).ok_or("bad start date")?;
        Ok(Clock { zone, start })
    }

    fn day(&self, day: usize) -> NaiveDate {
        self.start + Duration::days(day as i64)
    }

    /// Seconds since the epoch of `day` days after the start, at `seconds` after midnight.
    fn at(&self, day: usize, seconds: i64) -> Result<i64, String> {
        let midnight = self
            .day(day)
            .and_hms_opt(0, 0, 0)
            .and_then(|t| self.zone.from_local_datetime(&t).single())
            .ok_or("a corpus date is out of range")?;
        Ok(midnight.timestamp() + seconds)
    }
}

const OFFSET_MINUTES: i32 = 8 * 60;

struct Writer {
    repo: DemoRepository,
    keys: BTreeMap<&'static str, DemoKey>,
    signed: usize,
}

impl Writer {
    fn commit(&mut self, by: &str, time: i64, message: &str) -> Result<(), String> {
        let key = self
            .keys
            .get(by)
            .ok_or_else(|| format!("no key for {by}"))?;
        let address = email(by);
        let author = Author {
            name: person_name(by),
            email: &address,
        };
        self.repo
            .commit(&author, time, OFFSET_MINUTES, message, Some(key))
            .map_err(|e| e.to_string())?;
        self.signed += 1;
        Ok(())
    }

    fn put(&mut self, path: &str, text: &str) -> Result<(), String> {
        self.repo
            .put_file(path, text.as_bytes())
            .map_err(|e| e.to_string())
    }

    fn object(&self, path: &str) -> Result<String, String> {
        self.repo.committed_object(path).map_err(|e| e.to_string())
    }
}

fn approval_message(stage_name: &str, title: &str, stage: &str, path: &str, oid: &str) -> String {
    format!("{stage_name}：{title}\n\nApprove: {stage} {path} {oid}\n")
}

/// Append a correction to one article and approve it as its unit's people
/// would, an hour after the repository's last commit.
fn change_one_article(args: &ChangeArgs) -> Result<(), String> {
    let git = git2::Repository::open(&args.repo).map_err(|e| e.to_string())?;
    let head = git
        .head()
        .and_then(|h| h.peel_to_commit())
        .map_err(|e| e.to_string())?;
    let path = match &args.article {
        Some(path) => path.clone(),
        None => first_article(&head)?,
    };
    let tree = head.tree().map_err(|e| e.to_string())?;
    let entry = tree
        .get_path(Path::new(&path))
        .map_err(|_| format!("{path} is not in the repository's last commit"))?;
    let blob = git.find_blob(entry.id()).map_err(|e| e.to_string())?;
    let text = String::from_utf8(blob.content().to_vec()).map_err(|e| e.to_string())?;
    let unit_id = text
        .lines()
        .find_map(|line| line.strip_prefix("unit: "))
        .ok_or_else(|| format!("{path} names no unit"))?
        .trim()
        .to_string();
    let unit = UNITS
        .iter()
        .find(|u| u.id == unit_id)
        .ok_or_else(|| format!("{path}: unknown unit {unit_id}"))?;
    let title = text
        .lines()
        .find_map(|line| line.strip_prefix("title: "))
        .unwrap_or("稿件")
        .trim_matches('"')
        .to_string();
    let time = head.time().seconds() + 3600;
    drop(tree);
    drop(head);

    let mut keys = BTreeMap::new();
    for id in [unit.writer, unit.head, PUBLICITY[0], leader_of(unit.id)] {
        keys.insert(id, DemoKey::derive(id).map_err(|e| e.to_string())?);
    }
    let repo = DemoRepository::open(&args.repo).map_err(|e| e.to_string())?;
    let mut writer = Writer {
        repo,
        keys,
        signed: 0,
    };
    let corrected = format!("{text}\n（更正：本文一处数据有误，已更正。）\n");
    writer.put(&path, &corrected)?;
    writer.commit(unit.writer, time, &format!("{}更正稿件", unit.name))?;
    let oid = writer.object(&path)?;
    let stages = [
        ("unit-review", "负责人审核", unit.head),
        ("re-review", "复审", PUBLICITY[0]),
        ("final", "分管领导终审", leader_of(unit.id)),
    ];
    for (n, (stage, stage_name, by)) in stages.into_iter().enumerate() {
        let message = approval_message(stage_name, &title, stage, &path, &oid);
        writer.commit(by, time + 600 * (n as i64 + 1), &message)?;
    }
    let head = writer.repo.finish().map_err(|e| e.to_string())?;
    println!("{{\"article\": \"{path}\", \"head\": \"{head}\"}}");
    Ok(())
}

/// The first article file in the last commit's content/ tree.
fn first_article(head: &git2::Commit<'_>) -> Result<String, String> {
    let tree = head.tree().map_err(|e| e.to_string())?;
    let mut found = None;
    tree.walk(git2::TreeWalkMode::PreOrder, |folder, entry| {
        let name = entry.name().unwrap_or("");
        if found.is_none() && folder.starts_with("content/") && name.ends_with(".md") {
            found = Some(format!("{folder}{name}"));
            return git2::TreeWalkResult::Abort;
        }
        git2::TreeWalkResult::Ok
    })
    .ok();
    found.ok_or_else(|| "no article in content/".to_string())
}

fn generate(args: &GenerateArgs) -> Result<(), String> {
    if args.batch == 0 || args.articles == 0 {
        return Err("--articles and --batch must be at least 1".into());
    }
    if !(0.0..=1.0).contains(&args.edited) {
        return Err(format!(
            "--edited {} is not a fraction between 0 and 1",
            args.edited
        ));
    }
    for dir in [Some(&args.out), args.hugo.as_ref(), args.zola.as_ref()]
        .into_iter()
        .flatten()
    {
        ensure_empty(dir)?;
    }
    let started = Instant::now();
    let clock = Clock::new()?;

    let mut keys = BTreeMap::new();
    let mut public_lines = BTreeMap::new();
    for (id, _, _) in PEOPLE {
        let key = DemoKey::derive(id).map_err(|e| e.to_string())?;
        public_lines.insert(*id, key.public_line().map_err(|e| e.to_string())?);
        keys.insert(*id, key);
    }
    let policy = policy_yaml(&public_lines);
    Policy::parse("approvals/policy.yaml (generated)", &policy)
        .map_err(|d| format!("the generated policy does not parse: {}", d.message))?;

    let repo = DemoRepository::create(&args.out).map_err(|e| e.to_string())?;
    let mut writer = Writer {
        repo,
        keys,
        signed: 0,
    };

    // Day 0: the administrator's policy, the maintainer's site.toml and its approval.
    writer.put("approvals/policy.yaml", &policy)?;
    writer.commit(
        ADMIN,
        clock.at(0, 8 * 3600)?,
        "建立网站审核制度：人员、签名密钥、角色和审核流程",
    )?;
    writer.put("site.toml", &site_toml())?;
    writer.commit(
        MAINTAINER,
        clock.at(0, 8 * 3600 + 600)?,
        "网站配置：栏目、标识和备案信息",
    )?;
    let site_oid = writer.object("site.toml")?;
    writer.commit(
        MAINTAINER,
        clock.at(0, 8 * 3600 + 1200)?,
        &approval_message("技术审核", "网站配置", "site", "site.toml", &site_oid),
    )?;

    let twins = Twins::new(args.hugo.as_deref(), args.zola.as_deref())?;
    let mut earlier: Vec<(&'static str, String, String)> = Vec::new();
    let mut articles: Vec<Article> = Vec::with_capacity(args.articles);
    let batches = args.articles.div_ceil(args.batch);
    for batch in 0..batches {
        // Batch b: submitted on day b+1 by one unit's 信息员, reviewed the same
        // day, dated the next day (so no approval postdates its `date`).
        let day = batch + 1;
        let unit = &UNITS[batch % UNITS.len()];
        let first = batch * args.batch;
        let last = (first + args.batch).min(args.articles);
        let mut these = Vec::with_capacity(last - first);
        for index in first..last {
            let article = write_article(args.seed, index, unit, clock.day(day + 1), &earlier);
            writer.put(&article.path(), &article.markdown())?;
            these.push(article);
        }
        writer.commit(
            unit.writer,
            clock.at(day, 9 * 3600)?,
            &format!("{}报送稿件{}篇", unit.name, these.len()),
        )?;
        let oids: Vec<String> = these
            .iter()
            .map(|a| writer.object(&a.path()))
            .collect::<Result<_, _>>()?;
        let stages: [(&str, &str, i64); 3] = [
            ("unit-review", "负责人审核", 10 * 3600),
            ("re-review", "复审", 13 * 3600),
            ("final", "分管领导终审", 16 * 3600),
        ];
        for (stage, stage_name, start) in stages {
            for (n, (article, oid)) in these.iter().zip(&oids).enumerate() {
                let by = match stage {
                    "unit-review" => unit.head,
                    "re-review" => PUBLICITY[article.index % PUBLICITY.len()],
                    _ => leader_of(unit.id),
                };
                let time = clock.at(day, start + 60 * n as i64)?;
                let message =
                    approval_message(stage_name, &article.title, stage, &article.path(), oid);
                writer.commit(by, time, &message)?;
            }
        }
        for article in &these {
            twins.write(article)?;
            earlier.push((article.column, article.slug.clone(), article.title.clone()));
        }
        articles.extend(these);
    }

    // Unapproved corrections on top: the approved text stays online.
    let edit_day = batches + 2;
    let mut edited = 0;
    let threshold = (args.edited * 1_000_000.0) as u64;
    for (n, unit) in UNITS.iter().enumerate() {
        let mut any = false;
        for article in articles.iter().filter(|a| a.unit.id == unit.id) {
            if Rng::new(args.seed ^ 0xED17, article.index as u64).next() % 1_000_000 < threshold {
                let corrected = format!(
                    "{}\n（更正：本文第二部分数据于{}更新，以本版为准。）\n",
                    article.markdown(),
                    clock.day(edit_day)
                );
                writer.put(&article.path(), &corrected)?;
                edited += 1;
                any = true;
            }
        }
        if any {
            writer.commit(
                unit.writer,
                clock.at(edit_day, 9 * 3600 + 600 * n as i64)?,
                &format!("{}更正稿件数据", unit.name),
            )?;
        }
    }
    let signed = writer.signed;
    let commits = writer.repo.commit_count();
    let allowed: String = public_lines
        .iter()
        .map(|(id, line)| format!("{} namespaces=\"git\" {line}\n", email(id)))
        .collect();
    let head = writer.repo.finish().map_err(|e| e.to_string())?;

    let git_dir = args.out.join(".git");
    write_file(&git_dir.join("bench-allowed-signers"), &allowed)?;
    let now = format!("{}T12:00:00+08:00", clock.day(edit_day + 1));
    let summary = format!(
        "{{\"articles\": {}, \"columns\": {}, \"commits\": {commits}, \"signed_commits\": {signed}, \"edited\": {edited}, \
         \"batch\": {}, \"seed\": {}, \"head\": \"{head}\", \"now\": \"{now}\", \"seconds\": {:.2}}}\n",
        args.articles,
        COLUMNS.len(),
        args.batch,
        args.seed,
        started.elapsed().as_secs_f64()
    );
    write_file(&git_dir.join("bench-corpus.json"), &summary)?;
    print!("{summary}");
    Ok(())
}

fn ensure_empty(dir: &Path) -> Result<(), String> {
    let has_entries = std::fs::read_dir(dir).is_ok_and(|mut entries| entries.next().is_some());
    if has_entries {
        return Err(format!(
            "{}: the folder is not empty; remove it or name a new one",
            dir.display()
        ));
    }
    Ok(())
}

fn write_file(path: &Path, text: &str) -> Result<(), String> {
    if let Some(parent) = path.parent() {
        std::fs::create_dir_all(parent)
            .map_err(|e| format!("{}: cannot create the folder: {e}", parent.display()))?;
    }
    std::fs::write(path, text).map_err(|e| format!("{}: cannot write: {e}", path.display()))
}

// ---------------------------------------------------------------------------
// The Hugo and Zola twins: the same published pages, each tool's own format.

struct Twins<'a> {
    hugo: Option<&'a Path>,
    zola: Option<&'a Path>,
}

impl<'a> Twins<'a> {
    fn new(hugo: Option<&'a Path>, zola: Option<&'a Path>) -> Result<Twins<'a>, String> {
        if let Some(root) = hugo {
            write_file(&root.join("hugo.toml"), &hugo_config())?;
            for (name, text) in HUGO_LAYOUTS {
                write_file(&root.join("layouts").join(name), text)?;
            }
            for (path, title, _) in COLUMNS {
                let front = format!("---\ntitle: \"{title}\"\n---\n");
                write_file(&root.join("content").join(path).join("_index.md"), &front)?;
            }
        }
        if let Some(root) = zola {
            write_file(&root.join("config.toml"), &zola_config())?;
            for (name, text) in ZOLA_TEMPLATES {
                write_file(&root.join("templates").join(name), text)?;
            }
            write_file(
                &root.join("content/_index.md"),
                "+++\nsort_by = \"date\"\n+++\n",
            )?;
            for (path, title, _) in COLUMNS {
                let front = format!(
                    "+++\ntitle = \"{title}\"\nsort_by = \"date\"\npaginate_by = 20\n+++\n"
                );
                write_file(&root.join("content").join(path).join("_index.md"), &front)?;
            }
        }
        Ok(Twins { hugo, zola })
    }

    fn write(&self, article: &Article) -> Result<(), String> {
        let relative = format!("content/{}/{}.md", article.column, article.slug);
        if let Some(root) = self.hugo {
            write_file(&root.join(&relative), &article.hugo_markdown())?;
        }
        if let Some(root) = self.zola {
            write_file(&root.join(&relative), &article.zola_markdown())?;
        }
        Ok(())
    }
}

fn hugo_config() -> String {
    format!(
        "baseURL = \"{BASE_URL}\"\ntitle = \"{SITE_TITLE}\"\ndefaultContentLanguage = \"zh\"\n\
         hasCJKLanguage = true\nenableRobotsTXT = true\ndisableKinds = [\"taxonomy\", \"term\"]\n\
         summaryLength = 120\n\n[pagination]\npagerSize = 20\n\n[services.rss]\nlimit = 20\n\n[params]\norganizer = \"{ORGANIZER}\"\n\n\
         [outputs]\nhome = [\"html\", \"rss\", \"json\"]\nsection = [\"html\", \"rss\"]\npage = [\"html\"]\n"
    )
}

fn zola_config() -> String {
    format!(
        "base_url = \"{BASE_URL}\"\ntitle = \"{SITE_TITLE}\"\ndefault_language = \"zh\"\ncompile_sass = false\n\
         build_search_index = false\ngenerate_feeds = true\nfeed_filenames = [\"atom.xml\"]\nfeed_limit = 20\n\n\
         [extra]\norganizer = \"{ORGANIZER}\"\n"
    )
}

/// Hugo templates doing what sanshen's default theme does: navigation of the
/// top columns and a breadcrumb on every page, paginated column listings,
/// the latest items per column on the home page, a JSON search index.
const HUGO_LAYOUTS: &[(&str, &str)] = &[
    (
        "_default/baseof.html",
        r#"<!DOCTYPE html>
<html lang="zh-CN">
<head><meta charset="utf-8"><title>{{ .Title }} - {{ .Site.Title }}</title>
<meta name="viewport" content="width=device-width, initial-scale=1">
<link rel="stylesheet" href="/css/site.css"></head>
<body>
<header><a href="/">{{ .Site.Title }}</a>
<nav>{{ range .Site.Sections }}<a href="{{ .RelPermalink }}">{{ .Title }}</a> {{ end }}</nav></header>
<div class="crumbs">{{ range .Ancestors.Reverse }}<a href="{{ .RelPermalink }}">{{ .Title }}</a> › {{ end }}{{ .Title }}</div>
<main>{{ block "main" . }}{{ end }}</main>
<footer>主办单位：{{ .Site.Params.organizer }}</footer>
</body></html>
"#,
    ),
    (
        "_default/single.html",
        r#"{{ define "main" }}<article><h1>{{ .Title }}</h1>
<p class="meta">{{ .Date.Format "2006-01-02" }} 来源：{{ .Params.unit }} 作者：{{ .Params.author }}</p>
{{ .Content }}
<p>{{ with .PrevInSection }}<a href="{{ .RelPermalink }}">上一篇：{{ .Title }}</a>{{ end }}
{{ with .NextInSection }}<a href="{{ .RelPermalink }}">下一篇：{{ .Title }}</a>{{ end }}</p></article>{{ end }}
"#,
    ),
    (
        "_default/list.html",
        r#"{{ define "main" }}<h1>{{ .Title }}</h1>
{{ with .Sections }}<ul class="sub">{{ range . }}<li><a href="{{ .RelPermalink }}">{{ .Title }}</a></li>{{ end }}</ul>{{ end }}
<ul>{{ range (.Paginate .RegularPagesRecursive).Pages }}<li><a href="{{ .RelPermalink }}">{{ .Title }}</a> <span>{{ .Date.Format "2006-01-02" }}</span></li>{{ end }}</ul>
{{ template "_internal/pagination.html" . }}{{ end }}
"#,
    ),
    (
        "index.html",
        r#"{{ define "main" }}{{ range .Site.Sections }}<section><h2><a href="{{ .RelPermalink }}">{{ .Title }}</a></h2>
<ul>{{ range first 8 .RegularPagesRecursive }}<li><a href="{{ .RelPermalink }}">{{ .Title }}</a> <span>{{ .Date.Format "2006-01-02" }}</span></li>{{ end }}</ul></section>{{ end }}{{ end }}
"#,
    ),
    (
        "index.json",
        r#"[{{- range $i, $page := .Site.RegularPages -}}
{{- if $i }},{{ end -}}
{{- dict "title" .Title "url" .RelPermalink "date" (.Date.Format "2006-01-02") "column" .Parent.Title "text" (printf "%s %s" .Title (.Plain | truncate 300)) | jsonify -}}
{{- end -}}]
"#,
    ),
    (
        "404.html",
        "{{ define \"main\" }}<h1>页面不存在</h1>{{ end }}\n",
    ),
];

/// The same templates for Zola (Tera).
const ZOLA_TEMPLATES: &[(&str, &str)] = &[
    (
        "base.html",
        r#"<!DOCTYPE html>
<html lang="zh-CN">
<head><meta charset="utf-8"><title>{% block title %}{{ config.title }}{% endblock title %}</title>
<meta name="viewport" content="width=device-width, initial-scale=1">
<link rel="stylesheet" href="/css/site.css"></head>
<body>
<header><a href="/">{{ config.title }}</a>
<nav>{% set root = get_section(path="_index.md", metadata_only=true) %}{% for s in root.subsections %}{% set top = get_section(path=s, metadata_only=true) %}<a href="{{ top.permalink }}">{{ top.title }}</a> {% endfor %}</nav></header>
<main>{% block content %}{% endblock content %}</main>
<footer>主办单位：{{ config.extra.organizer }}</footer>
</body></html>
"#,
    ),
    (
        "page.html",
        r#"{% extends "base.html" %}
{% block title %}{{ page.title }} - {{ config.title }}{% endblock title %}
{% block content %}<div class="crumbs">{% for a in page.ancestors %}{% if not loop.first %}{% set s = get_section(path=a, metadata_only=true) %}<a href="{{ s.permalink }}">{{ s.title }}</a> › {% endif %}{% endfor %}{{ page.title }}</div>
<article><h1>{{ page.title }}</h1>
<p class="meta">{{ page.date }} 来源：{{ page.extra.unit }} 作者：{{ page.extra.author }}</p>
{{ page.content | safe }}
<p>{% if page.lower %}<a href="{{ page.lower.permalink }}">上一篇：{{ page.lower.title }}</a>{% endif %}
{% if page.higher %}<a href="{{ page.higher.permalink }}">下一篇：{{ page.higher.title }}</a>{% endif %}</p></article>{% endblock content %}
"#,
    ),
    (
        "section.html",
        r#"{% extends "base.html" %}
{% block title %}{{ section.title }} - {{ config.title }}{% endblock title %}
{% block content %}<h1>{{ section.title }}</h1>
{% if section.subsections %}<ul class="sub">{% for s in section.subsections %}{% set sub = get_section(path=s, metadata_only=true) %}<li><a href="{{ sub.permalink }}">{{ sub.title }}</a></li>{% endfor %}</ul>{% endif %}
<ul>{% for p in paginator.pages %}<li><a href="{{ p.permalink }}">{{ p.title }}</a> <span>{{ p.date }}</span></li>{% endfor %}</ul>
{% if paginator.previous %}<a href="{{ paginator.previous }}">上一页</a>{% endif %}
{% if paginator.next %}<a href="{{ paginator.next }}">下一页</a>{% endif %}{% endblock content %}
"#,
    ),
    (
        "index.html",
        r#"{% extends "base.html" %}
{% block content %}{% for s in section.subsections %}{% set top = get_section(path=s) %}<section><h2><a href="{{ top.permalink }}">{{ top.title }}</a></h2>
<ul>{% for p in top.pages | slice(end=8) %}<li><a href="{{ p.permalink }}">{{ p.title }}</a> <span>{{ p.date }}</span></li>{% endfor %}</ul></section>{% endfor %}{% endblock content %}
"#,
    ),
    (
        "404.html",
        "{% extends \"base.html\" %}\n{% block content %}<h1>页面不存在</h1>{% endblock content %}\n",
    ),
];

// ---------------------------------------------------------------------------
// Ledger measurement.

fn measure_ledger(args: &LedgerArgs) -> Result<(), String> {
    // Cold first: the history cache in .git/sanshen/ is neither read nor written.
    let mut repo = Repo::open(&args.repo).map_err(|e| e.to_string())?;
    repo.disable_cache();
    let head = repo.resolve_commit(&args.rev).map_err(|e| e.to_string())?;
    let git = repo.git();

    // Reading the signed bytes out of the object database (I/O and inflate).
    let started = Instant::now();
    let mut walk = git.revwalk().map_err(|e| e.to_string())?;
    walk.push(head).map_err(|e| e.to_string())?;
    let mut signed: Vec<(Vec<u8>, Vec<u8>)> = Vec::new();
    let mut commits = 0usize;
    for oid in walk {
        let oid = oid.map_err(|e| e.to_string())?;
        commits += 1;
        if let Ok((signature, data)) = git.extract_signature(&oid, None) {
            signed.push((signature.to_vec(), data.to_vec()));
        }
    }
    let extract_seconds = started.elapsed().as_secs_f64();

    // The signature arithmetic alone, on one core: parse and verify.
    let started = Instant::now();
    let valid_one_core = signed
        .iter()
        .filter(|(signature, data)| verifies(signature, data))
        .count();
    let one_core_seconds = started.elapsed().as_secs_f64();

    // The same on every core, as the ledger does it.
    let started = Instant::now();
    let valid_all_cores = signed
        .par_iter()
        .filter(|(signature, data)| verifies(signature, data))
        .count();
    let all_cores_seconds = started.elapsed().as_secs_f64();

    let started = Instant::now();
    let read = history::read(&repo, &[head]).map_err(|e| e.to_string())?;
    let history_seconds = started.elapsed().as_secs_f64();
    drop(read);

    let started = Instant::now();
    let ledger = Ledger::evaluate(&repo, head, None).map_err(|e| e.to_string())?;
    let ledger_seconds = started.elapsed().as_secs_f64();
    let approvals = ledger
        .history
        .commits
        .iter()
        .map(|c| c.records.len())
        .sum::<usize>();
    drop(ledger);

    // Then with the cache, as a rebuild runs: once to fill it, once warm.
    let cached = Repo::open(&args.repo).map_err(|e| e.to_string())?;
    let started = Instant::now();
    Ledger::evaluate(&cached, head, None).map_err(|e| e.to_string())?;
    let filling_seconds = started.elapsed().as_secs_f64();
    let started = Instant::now();
    Ledger::evaluate(&cached, head, None).map_err(|e| e.to_string())?;
    let warm_seconds = started.elapsed().as_secs_f64();

    println!(
        "{{\"commits\": {commits}, \"signed\": {}, \"valid_one_core\": {valid_one_core}, \"valid_all_cores\": {valid_all_cores}, \
         \"approval_records\": {approvals}, \"threads\": {}, \"extract_seconds\": {extract_seconds:.3}, \
         \"verify_one_core_seconds\": {one_core_seconds:.3}, \"verify_per_second_one_core\": {:.0}, \
         \"verify_all_cores_seconds\": {all_cores_seconds:.3}, \"verify_per_second_all_cores\": {:.0}, \
         \"history_read_seconds\": {history_seconds:.3}, \"ledger_evaluate_seconds\": {ledger_seconds:.3}, \
         \"ledger_evaluate_filling_cache_seconds\": {filling_seconds:.3}, \"ledger_evaluate_warm_seconds\": {warm_seconds:.3}}}",
        signed.len(),
        rayon::current_num_threads(),
        signed.len() as f64 / one_core_seconds.max(1e-9),
        signed.len() as f64 / all_cores_seconds.max(1e-9),
    );
    if valid_one_core != signed.len() {
        return Err(format!(
            "{} of {} signatures did not verify",
            signed.len() - valid_one_core,
            signed.len()
        ));
    }
    Ok(())
}

fn verifies(signature: &[u8], data: &[u8]) -> bool {
    SshSignature::parse(signature)
        .map(|parsed| matches!(parsed.verify_embedded(data), Verification::Valid { .. }))
        .unwrap_or(false)
}
