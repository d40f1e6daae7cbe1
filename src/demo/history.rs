//! The scripted review history of 云州科技网, August to November 2026.
//!
//! One event per commit, in time order, each by the person who would make it
//! in a real 科协 office: the technical maintainer sets up the site, the
//! administrator the review policy, writers (信息员) submit articles, and the
//! reviewers approve stage by stage (负责人审核 → 复审 → 终审, plus the
//! 领导小组 for major items) in signed empty commits with `Approve:` trailers.
//! Approvals of a version end before the day its `date` names, so none of
//! them looks like backdating.
//!
//! Besides the everyday path to publication, the script stages every state
//! and refusal a reader should see in `sanshen status` (demo clock
//! 2026-11-20 18:00):
//!
//! | article | what happens | state |
//! |---|---|---|
//! | news/hq/gaoxinqu-diaoyan | published, then a corrected figure is in re-review | outdated (old text online) |
//! | news/hq/shenhua-gaige-huiyi | major item, 领导小组 at 1 of 2; a second approval signed with an unregistered key does not count | pending at `group` |
//! | news/hq/qingshaonian-keji-zuotan | the writer signs a `final` approval herself: refused | pending at `final` |
//! | academic/zhiku-zuotanhui | returned at re-review (退回修改), revised, unit head approved again | pending at `re-review` |
//! | innovation/qiye-kexie-lianxi | an unsigned commit in the unit head's name carries an approval: refused | pending at `unit-review` |
//! | notices/nianmo-gongzuo-anpai | classified; the unit head returns it instead of approving | pending at `unit-review` |
//! | news/county/baishi-fudaoyuan | published, then withdrawn by the administrator (撤稿) | withdrawn |
//! | notices/xueshu-nianhui-2026 | fully approved, `publish_at` 11-25 | scheduled |
//! | notices/xuehui-zizhu-shenbao | fully approved, `expires` 10-31 | expired |
//!
//! and a second policy version approved by the administrator (the `policy`
//! workflow), which registers the key that signed too early.

use std::collections::BTreeMap;

use chrono::{FixedOffset, NaiveDate, TimeZone};

use crate::demo::portal;
use crate::demo::signer::DemoKey;
use crate::demo::writer::{Author, DemoRepository};
use crate::error::{Diagnostic, Error, Result};
use crate::ledger::policy::{POLICY_DIR, POLICY_FILE, Policy};

/// The demo's time zone (Asia/Shanghai has no daylight saving).
const OFFSET_MINUTES: i32 = 8 * 60;

/// The demo's clock, after the last event: what `build` and `status` are run at.
pub const DEMO_NOW: &str = "2026-11-20T18:00:00+08:00";

/// A key that is not in policy version 1: 吴秀兰's new office computer. It
/// signs one approval too early, and policy version 2 registers it.
pub const UNREGISTERED_KEY: (&str, &str) = ("wuxiulan", "wuxiulan-new-laptop");

/// When policy version 2, which registers [`UNREGISTERED_KEY`], is committed.
pub const KEY_REGISTERED: When = at(11, 20, 9, 0);

/// What the demo suggests a reader try: the reviews, (stage, person), that
/// take the edit in review online. Completing them at any later date is
/// honest: the article first went online before its `date`, so the
/// correction does not make that date a backdated one.
pub const TRY_IT: (&str, &[(&str, &str)]) =
    (GAOXINQU, &[(RR, "zhaoqian"), (FINAL, "huangzhenhua")]);

/// A moment of 2026 in the demo's time zone.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub struct When {
    pub month: u32,
    pub day: u32,
    pub hour: u32,
    pub minute: u32,
}

impl When {
    /// Seconds since the epoch.
    pub fn timestamp(self) -> Result<i64> {
        let offset = FixedOffset::east_opt(OFFSET_MINUTES * 60);
        let local = NaiveDate::from_ymd_opt(2026, self.month, self.day)
            .and_then(|date| date.and_hms_opt(self.hour, self.minute, 0));
        match (offset, local) {
            (Some(offset), Some(local)) => offset
                .from_local_datetime(&local)
                .single()
                .map(|t| t.timestamp())
                .ok_or_else(|| self.invalid()),
            _ => Err(self.invalid()),
        }
    }

    fn invalid(self) -> Error {
        Error::config(Diagnostic::new(format!(
            "the demo history has an impossible time 2026-{:02}-{:02} {:02}:{:02}",
            self.month, self.day, self.hour, self.minute
        )))
    }
}

/// How an event's commit is signed.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Signing {
    /// With the author's own key from the policy.
    Own,
    /// Not at all.
    Unsigned,
    /// With a key that belongs to the author but is not (yet) in the policy.
    Unregistered(&'static str),
}

/// What an event's commit does.
#[derive(Debug, Clone, Copy)]
pub enum Action {
    /// Add these files or folders of the bundled portal.
    Add(&'static [&'static str]),
    /// Commit `approvals/` at this policy version, with the demo keys filled in.
    Policy(u64),
    /// Change text in a file: each `(old, new)` must occur exactly once.
    Edit(&'static str, &'static [(&'static str, &'static str)]),
    /// An empty commit with one `Approve: <stage> <path> <oid>` per pair.
    Approve(&'static [(&'static str, &'static str)]),
    /// An empty commit sending a version back: stage, path, reason.
    Return(&'static str, &'static str, &'static str),
    /// An empty commit taking a path offline: path, reason.
    Withdraw(&'static str, &'static str),
}

/// One commit of the history.
#[derive(Debug, Clone, Copy)]
pub struct Event {
    pub when: When,
    /// The author's person id.
    pub by: &'static str,
    /// The commit message's subject line.
    pub subject: &'static str,
    pub action: Action,
    pub signing: Signing,
}

const fn at(month: u32, day: u32, hour: u32, minute: u32) -> When {
    When {
        month,
        day,
        hour,
        minute,
    }
}

const fn event(when: When, by: &'static str, subject: &'static str, action: Action) -> Event {
    Event {
        when,
        by,
        subject,
        action,
        signing: Signing::Own,
    }
}

const fn submit(
    when: When,
    by: &'static str,
    subject: &'static str,
    paths: &'static [&'static str],
) -> Event {
    event(when, by, subject, Action::Add(paths))
}

const fn approve(
    when: When,
    by: &'static str,
    subject: &'static str,
    approvals: &'static [(&'static str, &'static str)],
) -> Event {
    event(when, by, subject, Action::Approve(approvals))
}

// Paths named more than once below.
const JIANJIE: &str = "content/about/jianjie.md";
const JIGOU: &str = "content/about/jigou.md";
const LINGDAO: &str = "content/about/lingdao.md";
const TUIJINHUI: &str = "content/news/hq/tuijinhui-2026h2.md";
const GONGKAI: &str = "content/xxgk/gongkai-zhinan.md";
const JUECE: &str = "content/academic/juece-zixun-lixiang.md";
const QINGSHAN: &str = "content/news/county/qingshan-nongji-peixun.md";
const FANGLEI: &str = "content/kepu/fanglei-changshi.md";
const VIDEO: &str = "content/kepu/video/fanglei-bixian";
const YUANSHI: &str = "content/innovation/yuanshi-gongzuozhan.md";
const ZIZHU: &str = "content/notices/xuehui-zizhu-shenbao.md";
const YUELIANG: &str = "content/kepu/yueliang-tongyimian.md";
const KEPURI: &str = "content/news/hq/kepuri-2026";
const LINJIANG: &str = "content/news/county/linjiang-kepu-shequ.md";
const JINQIU: &str = "content/academic/xueshu-jinqiu-2026.md";
const PEIXUNBAN: &str = "content/news/hq/peixunban-jiceng.md";
const DIANPINGCHE: &str = "content/kepu/dianpingche-chongdian.md";
const FUWUTUAN: &str = "content/innovation/kejifuwutuan-jingkaiqu.md";
const BAISHI: &str = "content/news/county/baishi-fudaoyuan.md";
const BANFA: &str = "content/xxgk/policy/wangzhan-guanli-banfa.md";
const JIEDU: &str = "content/xxgk/interpretation/wangzhan-guanli-banfa-jiedu.md";
const BAOSONG: &str = "content/notices/xinxi-baosong.md";
const ZHIKU: &str = "content/academic/zhiku-zuotanhui.md";
const QUANWEIHUI: &str = "content/news/hq/quanweihui-9-4.md";
const DASAI: &str = "content/notices/qingshaonian-chuangxin-dasai.md";
const XIANGCUN: &str = "content/special/keji-zhuli-xiangcun.md";
const YIYANGHUATAN: &str = "content/kepu/yiyanghuatan-fangfan.md";
const NANPING: &str = "content/news/county/nanping-fangzai-kepu.md";
const XINXIYUAN: &str = "content/news/hq/xinxiyuan-peixun.md";
const GAOXINQU: &str = "content/news/hq/gaoxinqu-diaoyan.md";
const NIANHUI: &str = "content/notices/xueshu-nianhui-2026.md";
const NIANMO: &str = "content/notices/nianmo-gongzuo-anpai.md";
const SHENHUA: &str = "content/news/hq/shenhua-gaige-huiyi.md";
const ZUOTAN: &str = "content/news/hq/qingshaonian-keji-zuotan.md";
const QIYE: &str = "content/innovation/qiye-kexie-lianxi.md";

const UR: &str = "unit-review";
const RR: &str = "re-review";
const FINAL: &str = "final";
const GROUP: &str = "group";

/// The whole history, oldest first: a table, one event per line.
#[rustfmt::skip]
pub const SCRIPT: &[Event] = &[
    // 1 August: the portal is set up before it goes live on Monday 3 August.
    event(at(8, 1, 9, 10), "zhulin", "建立网站审核制度：人员、签名密钥、角色和审核流程", Action::Policy(1)),
    submit(at(8, 1, 10, 20), "majun", "网站配置和默认主题", &["site.toml", "themes/default"]),
    approve(at(8, 1, 11, 5), "majun", "技术审核通过：网站配置和默认主题", &[("site", "site.toml"), ("site", "themes/default")]),
    submit(at(8, 1, 14, 30), "linxiaowen", "报送：云州市科学技术协会简介", &[JIANJIE]),
    submit(at(8, 1, 14, 55), "tangsiyuan", "报送：机构设置、领导信息", &[JIGOU, LINGDAO]),
    approve(at(8, 1, 16, 0), "wangjianping", "部门负责人审核通过：市科协简介", &[(UR, JIANJIE)]),
    approve(at(8, 1, 16, 25), "liuzhigang", "部门负责人审核通过：机构设置、领导信息", &[(UR, JIGOU), (UR, LINGDAO)]),
    approve(at(8, 2, 9, 30), "zhaoqian", "复审通过：走进科协栏目3篇", &[(RR, JIANJIE), (RR, JIGOU), (RR, LINGDAO)]),
    approve(at(8, 2, 10, 40), "huangzhenhua", "终审签发：走进科协栏目3篇", &[(FINAL, JIANJIE), (FINAL, JIGOU), (FINAL, LINGDAO)]),
    // August
    submit(at(8, 5, 15, 10), "zhengyifan", "报送：市科协召开2026年下半年重点工作推进会", &[TUIJINHUI]),
    approve(at(8, 5, 16, 0), "zhoumin", "部门负责人审核通过：下半年重点工作推进会", &[(UR, TUIJINHUI)]),
    approve(at(8, 5, 17, 5), "zhaoqian", "复审通过：下半年重点工作推进会", &[(RR, TUIJINHUI)]),
    approve(at(8, 5, 18, 20), "huangzhenhua", "终审签发：下半年重点工作推进会", &[(FINAL, TUIJINHUI)]),
    submit(at(8, 7, 10, 0), "linxiaowen", "报送：云州市科学技术协会信息公开指南", &[GONGKAI]),
    approve(at(8, 7, 15, 0), "wangjianping", "部门负责人审核通过：信息公开指南", &[(UR, GONGKAI)]),
    approve(at(8, 7, 16, 30), "zhaoqian", "复审通过：信息公开指南", &[(RR, GONGKAI)]),
    approve(at(8, 7, 17, 40), "huangzhenhua", "终审签发：信息公开指南", &[(FINAL, GONGKAI)]),
    submit(at(8, 12, 9, 40), "hejingyi", "报送：2026年度决策咨询课题立项名单", &[JUECE]),
    approve(at(8, 12, 14, 0), "yangbolin", "部门负责人审核通过：决策咨询课题立项名单", &[(UR, JUECE)]),
    approve(at(8, 13, 10, 10), "zhaoqian", "复审通过：决策咨询课题立项名单", &[(RR, JUECE)]),
    approve(at(8, 13, 16, 45), "wuxiulan", "终审签发：决策咨询课题立项名单", &[(FINAL, JUECE)]),
    submit(at(8, 18, 14, 20), "jiangyutong", "报送：青山县科协高原特色蔬菜种植技术培训班", &[QINGSHAN]),
    approve(at(8, 18, 15, 30), "zhoumin", "部门负责人审核通过：青山县蔬菜种植技术培训班", &[(UR, QINGSHAN)]),
    approve(at(8, 18, 16, 40), "zhaoqian", "复审通过：青山县蔬菜种植技术培训班", &[(RR, QINGSHAN)]),
    approve(at(8, 18, 17, 50), "huangzhenhua", "终审签发：青山县蔬菜种植技术培训班", &[(FINAL, QINGSHAN)]),
    submit(at(8, 21, 10, 0), "xukexin", "报送：雷雨季节防雷常识", &[FANGLEI]),
    approve(at(8, 21, 15, 0), "chenhui", "部门负责人审核通过：防雷常识", &[(UR, FANGLEI)]),
    approve(at(8, 24, 9, 30), "zhaoqian", "复审通过：防雷常识", &[(RR, FANGLEI)]),
    approve(at(8, 24, 15, 20), "wuxiulan", "终审签发：防雷常识", &[(FINAL, FANGLEI)]),
    // September
    submit(at(9, 1, 10, 30), "xukexin", "报送：科普视频《雷电来临，如何科学避险》（含封面图）", &[VIDEO]),
    approve(at(9, 1, 16, 0), "chenhui", "部门负责人审核通过：防雷避险科普视频", &[(UR, VIDEO)]),
    approve(at(9, 2, 10, 0), "zhaoqian", "复审通过：防雷避险科普视频", &[(RR, VIDEO)]),
    submit(at(9, 2, 15, 0), "luozihang", "报送：我市新认定5家市级院士专家工作站", &[YUANSHI]),
    approve(at(9, 2, 16, 10), "sunlixin", "部门负责人审核通过：院士专家工作站认定", &[(UR, YUANSHI)]),
    approve(at(9, 2, 17, 0), "zhaoqian", "复审通过：院士专家工作站认定", &[(RR, YUANSHI)]),
    approve(at(9, 2, 18, 10), "wuxiulan", "终审签发：院士专家工作站认定、防雷避险科普视频", &[(FINAL, YUANSHI), (FINAL, VIDEO)]),
    submit(at(9, 4, 9, 20), "hejingyi", "报送：关于申报学会学术交流活动资助项目的通知", &[ZIZHU]),
    approve(at(9, 4, 14, 40), "yangbolin", "部门负责人审核通过：学术交流活动资助申报通知", &[(UR, ZIZHU)]),
    approve(at(9, 7, 9, 50), "zhaoqian", "复审通过：学术交流活动资助申报通知", &[(RR, ZIZHU)]),
    approve(at(9, 7, 15, 30), "wuxiulan", "终审签发：学术交流活动资助申报通知", &[(FINAL, ZIZHU)]),
    submit(at(9, 14, 10, 0), "xukexin", "报送：中秋话月——为什么总是看到月亮的同一面", &[YUELIANG]),
    approve(at(9, 14, 15, 10), "chenhui", "部门负责人审核通过：中秋话月", &[(UR, YUELIANG)]),
    approve(at(9, 15, 9, 40), "zhaoqian", "复审通过：中秋话月", &[(RR, YUELIANG)]),
    approve(at(9, 15, 16, 20), "wuxiulan", "终审签发：中秋话月", &[(FINAL, YUELIANG)]),
    submit(at(9, 21, 9, 30), "xukexin", "报送：2026年全国科普日云州活动综述（含统计图和数据表）", &[KEPURI]),
    approve(at(9, 21, 11, 0), "chenhui", "部门负责人审核通过：全国科普日活动综述", &[(UR, KEPURI)]),
    approve(at(9, 21, 14, 30), "zhaoqian", "复审通过：全国科普日活动综述", &[(RR, KEPURI)]),
    approve(at(9, 21, 17, 10), "wuxiulan", "终审签发：全国科普日活动综述", &[(FINAL, KEPURI)]),
    submit(at(9, 28, 15, 0), "jiangyutong", "报送：临江区科协“科普进社区”活动", &[LINJIANG]),
    approve(at(9, 28, 16, 0), "zhoumin", "部门负责人审核通过：临江区科普进社区", &[(UR, LINJIANG)]),
    approve(at(9, 28, 17, 0), "zhaoqian", "复审通过：临江区科普进社区", &[(RR, LINJIANG)]),
    approve(at(9, 28, 18, 0), "huangzhenhua", "终审签发：临江区科普进社区", &[(FINAL, LINJIANG)]),
    // October
    submit(at(10, 13, 14, 0), "hejingyi", "报送：“学术金秋”系列活动启动", &[JINQIU]),
    approve(at(10, 13, 15, 0), "yangbolin", "部门负责人审核通过：学术金秋", &[(UR, JINQIU)]),
    approve(at(10, 13, 16, 10), "zhaoqian", "复审通过：学术金秋", &[(RR, JINQIU)]),
    approve(at(10, 13, 17, 30), "wuxiulan", "终审签发：学术金秋", &[(FINAL, JINQIU)]),
    submit(at(10, 15, 14, 30), "tangsiyuan", "报送：基层科协干部能力提升培训班", &[PEIXUNBAN]),
    approve(at(10, 15, 15, 40), "liuzhigang", "部门负责人审核通过：基层科协干部培训班", &[(UR, PEIXUNBAN)]),
    approve(at(10, 15, 16, 50), "zhaoqian", "复审通过：基层科协干部培训班", &[(RR, PEIXUNBAN)]),
    approve(at(10, 15, 18, 0), "huangzhenhua", "终审签发：基层科协干部培训班", &[(FINAL, PEIXUNBAN)]),
    submit(at(10, 22, 10, 0), "xukexin", "转载报送：电动自行车充电安全要点（来源：科技日报）", &[DIANPINGCHE]),
    approve(at(10, 22, 14, 0), "chenhui", "部门负责人审核通过：电动自行车充电安全（转载）", &[(UR, DIANPINGCHE)]),
    approve(at(10, 22, 15, 30), "zhaoqian", "复审通过：电动自行车充电安全（转载）", &[(RR, DIANPINGCHE)]),
    approve(at(10, 22, 17, 0), "wuxiulan", "终审签发：电动自行车充电安全（转载）", &[(FINAL, DIANPINGCHE)]),
    submit(at(10, 26, 14, 0), "luozihang", "报送：“科技服务团”走进云州经开区", &[FUWUTUAN]),
    approve(at(10, 26, 15, 10), "sunlixin", "部门负责人审核通过：科技服务团走进经开区", &[(UR, FUWUTUAN)]),
    approve(at(10, 26, 16, 20), "zhaoqian", "复审通过：科技服务团走进经开区", &[(RR, FUWUTUAN)]),
    approve(at(10, 26, 17, 40), "wuxiulan", "终审签发：科技服务团走进经开区", &[(FINAL, FUWUTUAN)]),
    submit(at(10, 27, 15, 0), "jiangyutong", "报送：白石县科协农村学校科技辅导员研修活动", &[BAISHI]),
    approve(at(10, 27, 16, 0), "zhoumin", "部门负责人审核通过：白石县科技辅导员研修", &[(UR, BAISHI)]),
    approve(at(10, 27, 17, 0), "zhaoqian", "复审通过：白石县科技辅导员研修", &[(RR, BAISHI)]),
    approve(at(10, 27, 18, 0), "huangzhenhua", "终审签发：白石县科技辅导员研修", &[(FINAL, BAISHI)]),
    submit(at(10, 28, 9, 30), "linxiaowen", "报送：关于印发《云州科技网信息发布审核管理办法》的通知", &[BANFA]),
    approve(at(10, 28, 11, 0), "wangjianping", "部门负责人审核通过：信息发布审核管理办法", &[(UR, BANFA)]),
    approve(at(10, 29, 10, 0), "zhaoqian", "复审通过：信息发布审核管理办法", &[(RR, BANFA)]),
    approve(at(10, 29, 16, 0), "huangzhenhua", "终审签发：信息发布审核管理办法", &[(FINAL, BANFA)]),
    submit(at(10, 30, 10, 0), "linxiaowen", "报送：《云州科技网信息发布审核管理办法》政策解读", &[JIEDU]),
    approve(at(10, 30, 14, 30), "wangjianping", "部门负责人审核通过：管理办法政策解读", &[(UR, JIEDU)]),
    approve(at(10, 30, 16, 0), "zhaoqian", "复审通过：管理办法政策解读", &[(RR, JIEDU)]),
    approve(at(10, 30, 17, 30), "huangzhenhua", "终审签发：管理办法政策解读", &[(FINAL, JIEDU)]),
    // November
    submit(at(11, 2, 9, 30), "linxiaowen", "报送：关于进一步做好云州科技网信息报送工作的通知", &[BAOSONG]),
    approve(at(11, 2, 11, 0), "wangjianping", "部门负责人审核通过：信息报送工作通知", &[(UR, BAOSONG)]),
    approve(at(11, 2, 15, 0), "zhaoqian", "复审通过：信息报送工作通知", &[(RR, BAOSONG)]),
    approve(at(11, 2, 17, 0), "huangzhenhua", "终审签发：信息报送工作通知", &[(FINAL, BAOSONG)]),
    event(
        at(11, 3, 10, 20),
        "zhulin",
        "撤稿：白石县科协农村学校科技辅导员研修活动",
        Action::Withdraw(BAISHI, "培训人数与县教育体育局统计口径不一致，核实后重新报送"),
    ),
    submit(at(11, 4, 15, 0), "hejingyi", "报送：市科协召开科技智库专家座谈会", &[ZHIKU]),
    approve(at(11, 4, 16, 0), "yangbolin", "部门负责人审核通过：科技智库专家座谈会", &[(UR, ZHIKU)]),
    event(
        at(11, 4, 17, 20),
        "zhaoqian",
        "退回修改：科技智库专家座谈会",
        Action::Return(RR, ZHIKU, "请补充与会专家的单位类别和建议报告报送时间"),
    ),
    submit(at(11, 5, 16, 0), "zhengyifan", "报送（重大信息）：市科协九届四次全委（扩大）会议召开", &[QUANWEIHUI]),
    approve(at(11, 5, 16, 40), "zhoumin", "部门负责人审核通过：九届四次全委会议", &[(UR, QUANWEIHUI)]),
    approve(at(11, 5, 17, 30), "huangzhenhua", "分管领导终审：九届四次全委会议，报领导小组审批", &[(FINAL, QUANWEIHUI)]),
    approve(at(11, 5, 18, 10), "caowenyuan", "领导小组审批同意：九届四次全委会议", &[(GROUP, QUANWEIHUI)]),
    approve(at(11, 5, 19, 0), "wuxiulan", "领导小组审批同意：九届四次全委会议", &[(GROUP, QUANWEIHUI)]),
    event(
        at(11, 6, 10, 0),
        "hejingyi",
        "修改：科技智库专家座谈会（补充专家单位类别和建议报告报送时间）",
        Action::Edit(
            ZHIKU,
            &[
                ("来自高校、\n科研院所、企业和市级学会的12位专家", "来自高校（4位）、\n科研院所（3位）、企业（3位）和市级学会（2位）的12位专家"),
                ("推动更多智库成果转化为决策参考和发展实效。", "推动更多智库成果转化为决策参考和发展实效。建议报告拟于12月上旬报送。"),
            ],
        ),
    ),
    approve(at(11, 6, 11, 30), "yangbolin", "部门负责人审核通过：科技智库专家座谈会（修改稿）", &[(UR, ZHIKU)]),
    submit(at(11, 9, 9, 30), "xukexin", "报送：关于举办第十二届云州市青少年科技创新大赛的通知", &[DASAI]),
    approve(at(11, 9, 11, 0), "chenhui", "部门负责人审核通过：青少年科技创新大赛通知", &[(UR, DASAI)]),
    approve(at(11, 9, 14, 30), "zhaoqian", "复审通过：青少年科技创新大赛通知", &[(RR, DASAI)]),
    approve(at(11, 9, 16, 40), "wuxiulan", "终审签发：青少年科技创新大赛通知", &[(FINAL, DASAI)]),
    submit(at(11, 10, 9, 40), "zhengyifan", "报送：专题“科技助力乡村振兴”", &[XIANGCUN]),
    submit(at(11, 10, 10, 0), "xukexin", "报送：天冷取暖季，谨防一氧化碳中毒", &[YIYANGHUATAN]),
    approve(at(11, 10, 15, 0), "chenhui", "部门负责人审核通过：谨防一氧化碳中毒", &[(UR, YIYANGHUATAN)]),
    submit(at(11, 10, 15, 20), "jiangyutong", "报送：南屏县科协防灾减灾科普进村活动", &[NANPING]),
    approve(at(11, 10, 16, 0), "zhoumin", "部门负责人审核通过：南屏县防灾减灾科普", &[(UR, NANPING)]),
    approve(
        at(11, 10, 17, 0),
        "zhaoqian",
        "复审通过：南屏县防灾减灾科普、谨防一氧化碳中毒",
        &[(RR, NANPING), (RR, YIYANGHUATAN)],
    ),
    approve(
        at(11, 10, 18, 0),
        "huangzhenhua",
        "终审签发：南屏县防灾减灾科普；专题“科技助力乡村振兴”分管领导签字",
        &[(FINAL, NANPING), (FINAL, XIANGCUN)],
    ),
    approve(at(11, 11, 16, 0), "wuxiulan", "终审签发：谨防一氧化碳中毒", &[(FINAL, YIYANGHUATAN)]),
    submit(at(11, 12, 15, 0), "zhengyifan", "报送：云州科技网信息员业务培训", &[XINXIYUAN]),
    approve(at(11, 12, 16, 0), "zhoumin", "部门负责人审核通过：信息员业务培训", &[(UR, XINXIYUAN)]),
    approve(at(11, 13, 9, 30), "zhaoqian", "复审通过：信息员业务培训", &[(RR, XINXIYUAN)]),
    approve(at(11, 13, 15, 0), "huangzhenhua", "终审签发：信息员业务培训", &[(FINAL, XINXIYUAN)]),
    submit(at(11, 14, 17, 0), "zhengyifan", "报送：曹文远赴云州高新区调研企业科协建设工作", &[GAOXINQU]),
    approve(at(11, 14, 18, 0), "zhoumin", "部门负责人审核通过：高新区企业科协调研", &[(UR, GAOXINQU)]),
    approve(at(11, 15, 10, 0), "zhaoqian", "复审通过：高新区企业科协调研", &[(RR, GAOXINQU)]),
    approve(at(11, 15, 16, 0), "huangzhenhua", "终审签发：高新区企业科协调研", &[(FINAL, GAOXINQU)]),
    submit(at(11, 16, 10, 0), "hejingyi", "报送：关于举办2026年云州市学术年会的通知（拟于11月25日发布）", &[NIANHUI]),
    approve(at(11, 16, 15, 0), "yangbolin", "部门负责人审核通过：学术年会通知", &[(UR, NIANHUI)]),
    submit(at(11, 17, 9, 30), "linxiaowen", "报送：市科协机关2026年年末工作安排", &[NIANMO]),
    approve(at(11, 17, 10, 0), "zhaoqian", "复审通过：学术年会通知", &[(RR, NIANHUI)]),
    event(
        at(11, 17, 10, 30),
        "zhengyifan",
        "更正：高新区企业科协数量为12家（原稿11家）",
        Action::Edit(GAOXINQU, &[("已建立企业科协11家", "已建立企业科协12家")]),
    ),
    event(
        at(11, 17, 11, 0),
        "wangjianping",
        "退回：机关年末工作安排属涉密信息，不予上网",
        Action::Return(
            UR,
            NIANMO,
            "本文标注为涉密（classified: true），涉密信息一律不得在门户网站发布；请撤回，改由机关内部办公系统传达",
        ),
    ),
    approve(at(11, 17, 14, 0), "zhoumin", "部门负责人审核通过：高新区企业科协调研（更正稿）", &[(UR, GAOXINQU)]),
    submit(at(11, 17, 15, 30), "zhengyifan", "报送（重大信息）：全市科协系统深化改革工作会议召开", &[SHENHUA]),
    approve(at(11, 17, 16, 20), "zhoumin", "部门负责人审核通过：深化改革工作会议", &[(UR, SHENHUA)]),
    approve(at(11, 17, 17, 40), "huangzhenhua", "分管领导终审：深化改革工作会议，报领导小组审批", &[(FINAL, SHENHUA)]),
    approve(at(11, 17, 18, 30), "caowenyuan", "领导小组审批同意：深化改革工作会议", &[(GROUP, SHENHUA)]),
    approve(at(11, 18, 11, 0), "wuxiulan", "终审签发：学术年会通知（定时11月25日9时发布）", &[(FINAL, NIANHUI)]),
    submit(at(11, 18, 15, 0), "xukexin", "报送：市科协召开青少年科技教育工作座谈会", &[ZUOTAN]),
    approve(at(11, 18, 16, 10), "chenhui", "部门负责人审核通过：青少年科技教育工作座谈会", &[(UR, ZUOTAN)]),
    approve(at(11, 18, 17, 20), "zhaoqian", "复审通过：青少年科技教育工作座谈会", &[(RR, ZUOTAN)]),
    submit(at(11, 19, 9, 20), "luozihang", "报送：全市企业科协工作联席会议召开", &[QIYE]),
    // Approvals that do not count, each for a different reason.
    // The writer signs the final stage of her own article: she holds no leader role.
    approve(at(11, 19, 10, 0), "xukexin", "终审签发：青少年科技教育工作座谈会", &[(FINAL, ZUOTAN)]),
    // An unsigned commit in the unit head's name: anyone can type a name.
    Event {
        signing: Signing::Unsigned,
        ..approve(at(11, 19, 19, 40), "sunlixin", "部门负责人审核通过：企业科协工作联席会议", &[(UR, QIYE)])
    },
    // The group's second member signs from a new computer whose key is not registered yet.
    Event {
        signing: Signing::Unregistered(UNREGISTERED_KEY.1),
        ..approve(at(11, 19, 21, 10), "wuxiulan", "领导小组审批同意：深化改革工作会议", &[(GROUP, SHENHUA)])
    },
    // The administrator registers that key: a new policy version, through the `policy` workflow.
    event(KEY_REGISTERED, "zhulin", "审核制度第2版：登记吴秀兰新办公电脑的签名密钥", Action::Policy(2)),
    approve(at(11, 20, 9, 15), "zhulin", "管理员批准：审核制度第2版", &[("policy", POLICY_DIR)]),
];

/// The policy texts of each version, with keys, and the keys to sign with.
pub struct Keyring {
    /// Person id → their registered key.
    pub keys: BTreeMap<String, DemoKey>,
    /// Key label → a key that is not registered in policy version 1.
    pub unregistered: BTreeMap<String, DemoKey>,
    /// Policy version → policy.yaml text.
    pub policies: BTreeMap<u64, String>,
    /// The last policy version, for names and addresses.
    pub policy: Policy,
}

/// Play the script into `repository`. Returns the id of the first commit,
/// which holds the first policy (the demo's trust root).
pub fn replay(repository: &mut DemoRepository, keyring: &Keyring) -> Result<String> {
    let mut root = None;
    for event in SCRIPT {
        let person = keyring.policy.people.get(event.by).ok_or_else(|| {
            script_error(format!(
                "names `{}`, who is not in the bundled {POLICY_FILE}",
                event.by
            ))
        })?;
        let email = person.emails.first().ok_or_else(|| {
            script_error(format!(
                "`{}` has no email address in {POLICY_FILE}",
                event.by
            ))
        })?;
        let message = stage_action(repository, keyring, event)?;
        let key = match event.signing {
            Signing::Own => Some(
                keyring
                    .keys
                    .get(event.by)
                    .ok_or_else(|| script_error(format!("`{}` has no demo key", event.by)))?,
            ),
            Signing::Unsigned => None,
            Signing::Unregistered(label) => Some(
                keyring
                    .unregistered
                    .get(label)
                    .ok_or_else(|| script_error(format!("no demo key `{label}`")))?,
            ),
        };
        let author = Author {
            name: &person.name,
            email,
        };
        let id = repository.commit(
            &author,
            event.when.timestamp()?,
            OFFSET_MINUTES,
            &message,
            key,
        )?;
        root.get_or_insert_with(|| id.to_string());
    }
    root.ok_or_else(|| script_error("is empty".to_string()))
}

/// Stage the event's files and return its full commit message.
fn stage_action(
    repository: &mut DemoRepository,
    keyring: &Keyring,
    event: &Event,
) -> Result<String> {
    let mut trailers: Vec<String> = Vec::new();
    match event.action {
        Action::Add(paths) => {
            for path in paths {
                let files = portal::files_at(path);
                if files.is_empty() {
                    return Err(script_error(format!(
                        "adds `{path}`, which the bundled portal does not have"
                    )));
                }
                for (name, bytes) in files {
                    repository.put_file(name, bytes)?;
                }
            }
        }
        Action::Policy(version) => {
            let text = keyring.policies.get(&version).ok_or_else(|| {
                script_error(format!(
                    "commits policy version {version}, which was not prepared"
                ))
            })?;
            repository.put_file(POLICY_FILE, text.as_bytes())?;
        }
        Action::Edit(path, changes) => {
            let bytes = repository.staged_file(path)?;
            let mut text = String::from_utf8(bytes).map_err(|_| {
                Error::config(Diagnostic::in_file(
                    path,
                    "is not UTF-8, so the demo cannot edit it",
                ))
            })?;
            for (old, new) in changes {
                if text.matches(old).count() != 1 {
                    return Err(Error::config(
                        Diagnostic::in_file(
                            path,
                            format!("the demo's scripted edit expects `{old}` exactly once"),
                        )
                        .with_help(
                            "the bundled article changed: update the edit in src/demo/history.rs",
                        ),
                    ));
                }
                text = text.replacen(old, new, 1);
            }
            repository.put_file(path, text.as_bytes())?;
        }
        Action::Approve(approvals) => {
            for (stage, path) in approvals {
                trailers.push(format!(
                    "Approve: {stage} {path} {}",
                    repository.committed_object(path)?
                ));
            }
        }
        Action::Return(stage, path, reason) => {
            trailers.push(format!(
                "Return: {stage} {path} {}",
                repository.committed_object(path)?
            ));
            trailers.push(format!("Return-Reason: {reason}"));
        }
        Action::Withdraw(path, reason) => {
            trailers.push(format!("Withdraw: {path}"));
            trailers.push(format!("Withdraw-Reason: {reason}"));
        }
    }
    let mut message = format!("{}\n", event.subject);
    if !trailers.is_empty() {
        message.push('\n');
        message.push_str(&trailers.join("\n"));
        message.push('\n');
    }
    Ok(message)
}

fn script_error(problem: String) -> Error {
    Error::config(
        Diagnostic::new(format!("the demo's scripted history {problem}"))
            .with_help("the bundled portal and src/demo/history.rs must agree"),
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn events_are_in_time_order_and_before_the_demo_clock() {
        let mut previous = None;
        for event in SCRIPT {
            let time = event.when.timestamp().unwrap();
            if let Some(previous) = previous {
                assert!(
                    time > previous,
                    "{event:?} is not after the event before it"
                );
            }
            previous = Some(time);
        }
        let now = chrono::DateTime::parse_from_rfc3339(DEMO_NOW)
            .unwrap()
            .timestamp();
        assert!(
            previous.unwrap() < now,
            "the last event is after the demo clock"
        );
    }

    #[test]
    fn every_added_path_is_bundled() {
        for event in SCRIPT {
            if let Action::Add(paths) = event.action {
                for path in paths {
                    assert!(
                        !portal::files_at(path).is_empty(),
                        "{path} is not in the bundled portal"
                    );
                }
            }
        }
    }

    #[test]
    fn every_bundled_article_is_submitted_once() {
        let submitted: Vec<&str> = SCRIPT
            .iter()
            .filter_map(|e| match e.action {
                Action::Add(paths) => Some(paths),
                _ => None,
            })
            .flatten()
            .copied()
            .filter(|p| p.starts_with("content/"))
            .collect();
        let mut unique = submitted.clone();
        unique.sort();
        unique.dedup();
        assert_eq!(
            unique.len(),
            submitted.len(),
            "an article is submitted twice"
        );
        for (name, _) in portal::files_at("content") {
            assert!(
                submitted
                    .iter()
                    .any(|p| name == *p || name.starts_with(&format!("{p}/"))),
                "{name} is bundled but never committed by the demo history"
            );
        }
    }
}
