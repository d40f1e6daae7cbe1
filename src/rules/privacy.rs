//! Personal data in published text: resident ID numbers, mobile numbers and
//! bank card numbers (rules `pii-id-number`, `pii-phone`, `pii-bank-card`).
//!
//! A news item is full of numbers — dates, amounts, years, document numbers,
//! postcodes, office landlines, 400/800 service numbers — and a false alarm
//! costs as much trust as a miss. So a number is reported only when it has
//! the exact shape *and* passes the check its issuer built in:
//!
//! - ID numbers: 18 characters, a province code, a real birth date and the
//!   GB 11643-1999 check character (ISO 7064 MOD 11-2);
//! - mobile numbers: 11 digits `1[3-9]…`, alone or grouped 3-4-4, optionally
//!   after `+86`;
//! - bank cards: 16–19 digits (or groups of four) with a valid Luhn digit and
//!   an issuer prefix cards use, not labelled as some other code (统一社会信用代码,
//!   编号 …), and not an ID-shaped number with a wrong check digit.
//!
//! Only whole tokens count: digits glued to letters, decimals and masked
//! forms (`138****5678`, `610***********1234`) never match.

use chrono::NaiveDate;

use crate::catalog::RuleId;
use crate::rules::text::{Hit, Say, digit_value, is_word_char, mask};

/// Find personal data in `text`; offsets are bytes of `text`.
pub fn scan(text: &str, say: &Say) -> Vec<Hit> {
    let chars: Vec<(usize, char)> = text.char_indices().collect();
    let scanner = Scanner {
        text,
        chars: &chars,
        say,
    };
    let mut hits: Vec<Hit> = Vec::new();
    let mut i = 0;
    while i < chars.len() {
        if digit_value(chars[i].1).is_none() {
            i += 1;
            continue;
        }
        let run_end = scanner.run_end(i);
        if !scanner.glued_before(i) {
            for hit in scanner
                .plain(i, run_end)
                .into_iter()
                .chain(scanner.grouped(i))
            {
                if !hits.iter().any(|h| h.start < hit.end && hit.start < h.end) {
                    hits.push(hit);
                }
            }
        }
        i = run_end;
    }
    hits.sort_by_key(|h| h.start);
    hits
}

struct Scanner<'a> {
    text: &'a str,
    chars: &'a [(usize, char)],
    say: &'a Say,
}

/// Labels after which a long number is some registration or order code, not
/// a phone or a card.
const OTHER_CODE_LABELS: &[&str] = &[
    "信用代码",
    "代码",
    "编号",
    "编码",
    "单号",
    "订单",
    "流水号",
    "索引号",
    "文号",
    "批准号",
    "许可证",
    "登记号",
    "证书号",
    "注册号",
    "备案号",
    "条码",
    "税号",
    "ISBN",
    "ISSN",
    "准考证",
    "工号",
    "项目号",
];

/// Units after a number that make it an amount.
const AMOUNT_UNITS: &[char] = &[
    '元', '万', '亿', '%', '‰', '％', '角', '美', '吨', '人', '次', '件', '册',
];

impl Scanner<'_> {
    fn digit(&self, i: usize) -> Option<u32> {
        self.chars.get(i).and_then(|&(_, c)| digit_value(c))
    }

    fn char_at(&self, i: usize) -> Option<char> {
        self.chars.get(i).map(|&(_, c)| c)
    }

    fn offset(&self, i: usize) -> usize {
        self.chars
            .get(i)
            .map(|&(o, _)| o)
            .unwrap_or(self.text.len())
    }

    fn run_end(&self, mut i: usize) -> usize {
        while self.digit(i).is_some() {
            i += 1;
        }
        i
    }

    fn digits(&self, from: usize, to: usize) -> String {
        (from..to)
            .filter_map(|i| self.digit(i))
            .filter_map(|d| char::from_digit(d, 10))
            .collect()
    }

    /// The run at `i` continues a word or a decimal (`abc123`, `3.14159…`, `1,234`).
    fn glued_before(&self, i: usize) -> bool {
        let Some(previous) = i.checked_sub(1).and_then(|p| self.char_at(p)) else {
            return false;
        };
        if is_word_char(previous) {
            return true;
        }
        matches!(previous, '.' | ',' | '，' | '．') && i >= 2 && self.digit(i - 2).is_some()
    }

    /// The token ending before `end` continues into a word or a decimal.
    fn glued_after(&self, end: usize) -> bool {
        match self.char_at(end) {
            None => false,
            Some(c) if is_word_char(c) => true,
            Some('.' | ',' | '．') => self.digit(end + 1).is_some(),
            Some(_) => false,
        }
    }

    /// An amount (`13800000000元`) or a quantity, not a number of a person.
    fn is_amount(&self, start: usize, end: usize) -> bool {
        let before = start.checked_sub(1).and_then(|p| self.char_at(p));
        if matches!(before, Some('¥' | '￥' | '$')) {
            return true;
        }
        let mut after = end;
        while self.char_at(after).is_some_and(|c| c == ' ') {
            after += 1;
        }
        self.char_at(after)
            .is_some_and(|c| AMOUNT_UNITS.contains(&c))
    }

    /// The few characters before the token name another kind of code.
    fn labelled_as_other_code(&self, start: usize) -> bool {
        let from = start.saturating_sub(12);
        let window = &self.text[self.offset(from)..self.offset(start)];
        OTHER_CODE_LABELS.iter().any(|label| window.contains(label))
    }

    fn hit(&self, rule: RuleId, start: usize, end: usize, number: &str) -> Hit {
        let say = self.say;
        let (message, help) = match rule {
            RuleId::PiiIdNumber => {
                let shown = mask(number, 3, 4);
                (
                    say.pick(
                        format!("公民身份号码 {shown} 未打码（校验码有效）"),
                        format!("resident ID number {shown} is published unmasked (its check digit is valid)"),
                    ),
                    say.pick(
                        format!("删除该号码，或只保留前3位和后4位，如 {shown}"),
                        format!("remove the number, or keep only its first 3 and last 4 characters: {shown}"),
                    ),
                )
            }
            RuleId::PiiPhone => {
                let shown = mask(number, 3, 4);
                (
                    say.pick(
                        format!("手机号码 {shown} 未打码"),
                        format!("mobile number {shown} is published unmasked"),
                    ),
                    say.pick(
                        format!("改用单位办公电话，或打码为 {shown}；确需公开工作人员手机号的站点可在 site.toml [checks.rules] 设置 pii-phone = {{ severity = \"warning\" }}"),
                        format!("give an office landline instead, or mask it as {shown}; a site that must publish officials' mobiles can set pii-phone = {{ severity = \"warning\" }} in site.toml [checks.rules]"),
                    ),
                )
            }
            _ => {
                let shown = mask(number, 4, 4);
                (
                    say.pick(
                        format!("银行卡号 {shown} 未打码（Luhn 校验有效）"),
                        format!("bank card number {shown} is published unmasked (its Luhn check digit is valid)"),
                    ),
                    say.pick(
                        format!("删除卡号，或只保留前4位和后4位，如 {shown}"),
                        format!("remove the number, or keep only its first 4 and last 4 digits: {shown}"),
                    ),
                )
            }
        };
        Hit {
            rule,
            start: self.offset(start),
            end: self.offset(end),
            message,
            help: Some(help),
        }
    }

    /// A number written as one run of digits (an ID may end in X).
    fn plain(&self, start: usize, run_end: usize) -> Option<Hit> {
        let mut end = run_end;
        let mut number = self.digits(start, run_end);
        if number.len() == 17 && matches!(self.char_at(run_end), Some('X' | 'x' | 'Ｘ' | 'ｘ')) {
            number.push('X');
            end += 1;
        }
        if self.glued_after(end) {
            return None;
        }
        match number.len() {
            18 if is_resident_id(&number) => {
                Some(self.hit(RuleId::PiiIdNumber, start, end, &number))
            }
            // A wrong check digit on an ID-shaped number is a typo'd ID or
            // someone's example, not a card.
            18 if has_id_shape(&number) => None,
            11 if is_mobile(&number)
                && !self.is_amount(start, end)
                && !self.labelled_as_other_code(start) =>
            {
                Some(self.hit(RuleId::PiiPhone, start, end, &number))
            }
            13 if number.starts_with("86")
                && is_mobile(&number[2..])
                && start > 0
                && self.char_at(start - 1) == Some('+') =>
            {
                Some(self.hit(RuleId::PiiPhone, start, end, &number[2..]))
            }
            16..=19
                if is_card_number(&number)
                    && !self.is_amount(start, end)
                    && !self.labelled_as_other_code(start) =>
            {
                Some(self.hit(RuleId::PiiBankCard, start, end, &number))
            }
            _ => None,
        }
    }

    /// A number written in groups separated by one space or hyphen each:
    /// 138 1234 5678, 6222 0212 3456 7890 123, 110101 19900307 123X.
    fn grouped(&self, start: usize) -> Option<Hit> {
        let mut groups: Vec<String> = Vec::new();
        let mut separator: Option<char> = None;
        let mut i = start;
        loop {
            let end = self.run_end(i);
            groups.push(self.digits(i, end));
            i = end;
            let Some(c) = self.char_at(i) else { break };
            if !matches!(c, ' ' | '-' | '\u{3000}')
                || separator.is_some_and(|s| s != c)
                || self.digit(i + 1).is_none()
            {
                break;
            }
            separator = Some(c);
            i += 1;
        }
        if groups.len() < 2 {
            return None;
        }
        let mut number: String = groups.concat();
        let lengths: Vec<usize> = groups.iter().map(String::len).collect();
        let mut end = i;
        if lengths == [6, 8, 3] && matches!(self.char_at(end), Some('X' | 'x')) {
            number.push('X');
            end += 1;
        }
        if self.glued_after(end) {
            return None;
        }
        match lengths.as_slice() {
            [3, 4, 4] if is_mobile(&number) && !self.labelled_as_other_code(start) => {
                Some(self.hit(RuleId::PiiPhone, start, end, &number))
            }
            [6, 8, 4] | [6, 8, 3] if is_resident_id(&number) => {
                Some(self.hit(RuleId::PiiIdNumber, start, end, &number))
            }
            [4, 4, 4, 4] | [4, 4, 4, 4, 1..=3]
                if is_card_number(&number)
                    && !self.is_amount(start, end)
                    && !self.labelled_as_other_code(start) =>
            {
                Some(self.hit(RuleId::PiiBankCard, start, end, &number))
            }
            _ => None,
        }
    }
}

/// Province-level codes that begin a resident ID number (GB/T 2260 first two digits).
fn is_province_code(code: u32) -> bool {
    matches!(code, 11..=15 | 21..=23 | 31..=37 | 41..=46 | 50..=54 | 61..=65 | 71 | 81..=83 | 91)
}

/// A province code and a real birth date in the right places.
fn has_id_shape(number: &str) -> bool {
    let bytes = number.as_bytes();
    if bytes.len() != 18 || !bytes[..17].iter().all(u8::is_ascii_digit) {
        return false;
    }
    let field = |from: usize, to: usize| number[from..to].parse::<u32>().ok();
    let (Some(province), Some(year), Some(month), Some(day)) =
        (field(0, 2), field(6, 10), field(10, 12), field(12, 14))
    else {
        return false;
    };
    is_province_code(province)
        && (1900..=2100).contains(&year)
        && NaiveDate::from_ymd_opt(year as i32, month, day).is_some()
}

/// The GB 11643-1999 check character of the first 17 digits.
pub fn id_check_character(first17: &str) -> Option<char> {
    const WEIGHTS: [u32; 17] = [7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2];
    const CHECK: [char; 11] = ['1', '0', 'X', '9', '8', '7', '6', '5', '4', '3', '2'];
    if first17.len() != 17 {
        return None;
    }
    let mut sum = 0;
    for (c, weight) in first17.chars().zip(WEIGHTS) {
        sum += c.to_digit(10)? * weight;
    }
    Some(CHECK[(sum % 11) as usize])
}

/// An 18-character resident ID number whose check character is right.
pub fn is_resident_id(number: &str) -> bool {
    has_id_shape(number)
        && number[17..].chars().next().map(|c| c.to_ascii_uppercase())
            == id_check_character(&number[..17])
}

/// 11 digits, `1[3-9]` first: a mainland mobile number.
fn is_mobile(number: &str) -> bool {
    let bytes = number.as_bytes();
    bytes.len() == 11
        && bytes[0] == b'1'
        && (b'3'..=b'9').contains(&bytes[1])
        && bytes.iter().all(u8::is_ascii_digit)
}

/// The Luhn (mod 10) check over all digits.
pub fn luhn_valid(number: &str) -> bool {
    let mut sum = 0;
    for (i, c) in number.chars().rev().enumerate() {
        let Some(mut d) = c.to_digit(10) else {
            return false;
        };
        if i % 2 == 1 {
            d *= 2;
            if d > 9 {
                d -= 9;
            }
        }
        sum += d;
    }
    sum % 10 == 0
}

/// 16–19 digits with a card issuer's first digit (3 JCB/Amex, 4 Visa,
/// 5 Mastercard, 6 UnionPay, 9 domestic debit cards such as 9558…) and a
/// valid Luhn digit.
fn is_card_number(number: &str) -> bool {
    (16..=19).contains(&number.len())
        && matches!(number.as_bytes()[0], b'3' | b'4' | b'5' | b'6' | b'9')
        && luhn_valid(number)
}

#[cfg(test)]
pub(crate) mod tests {
    use super::*;
    use crate::site::Language;

    /// A valid ID number for a birth date: computed, never a real person's.
    pub(crate) fn make_id(prefix6: &str, birth: &str, sequence: &str) -> String {
        let first17 = format!("{prefix6}{birth}{sequence}");
        let check = id_check_character(&first17).expect("17 digits");
        format!("{first17}{check}")
    }

    /// An ID number with a wrong check character.
    pub(crate) fn wrong_id(prefix6: &str, birth: &str, sequence: &str) -> String {
        let valid = make_id(prefix6, birth, sequence);
        let wrong = if valid.ends_with('0') { '1' } else { '0' };
        format!("{}{wrong}", &valid[..17])
    }

    /// A Luhn-valid card number from its first digits.
    pub(crate) fn make_card(body: &str) -> String {
        (0..10)
            .map(|d| format!("{body}{d}"))
            .find(|candidate| luhn_valid(candidate))
            .expect("one digit makes it valid")
    }

    fn rules(text: &str) -> Vec<RuleId> {
        scan(text, &Say::new(Language::Chinese))
            .into_iter()
            .map(|h| h.rule)
            .collect()
    }

    #[test]
    fn check_character_follows_gb11643() {
        // The standard's own worked example.
        assert_eq!(id_check_character("11010519491231002"), Some('X'));
        assert!(is_resident_id("11010519491231002X"));
        assert!(is_resident_id("11010519491231002x"));
        assert!(!is_resident_id("110105194912310021"));
    }

    #[test]
    fn valid_id_numbers_are_found_in_any_form() {
        let id = make_id("530102", "19850612", "123");
        assert_eq!(rules(&format!("身份证号：{id}。")), [RuleId::PiiIdNumber]);
        assert_eq!(rules(&format!("身份证号{id}")), [RuleId::PiiIdNumber]);
        let grouped = format!("{} {} {}", &id[..6], &id[6..14], &id[14..]);
        assert_eq!(rules(&grouped), [RuleId::PiiIdNumber]);
        let fullwidth: String = id
            .chars()
            .map(|c| {
                c.to_digit(10)
                    .and_then(|d| char::from_u32('０' as u32 + d))
                    .unwrap_or(c)
            })
            .collect();
        assert_eq!(rules(&fullwidth), [RuleId::PiiIdNumber]);
        let hits = scan(&format!("号码{id}"), &Say::new(Language::Chinese));
        assert!(
            hits[0].message.contains("530***********"),
            "{}",
            hits[0].message
        );
        assert!(
            !hits[0].message.contains(&id),
            "the report must not repeat the number"
        );
    }

    #[test]
    fn ids_with_a_wrong_check_digit_or_masked_are_clean() {
        let wrong = wrong_id("530102", "19850612", "123");
        assert!(rules(&format!("身份证号：{wrong}")).is_empty(), "{wrong}");
        assert!(rules("身份证号：610***********1234").is_empty());
        assert!(rules("身份证号：530102********1234").is_empty());
        // Right check digit, impossible birth date.
        let first17 = "53010219851340123";
        let bad_date = format!("{first17}{}", id_check_character(first17).unwrap());
        assert!(rules(&bad_date).is_empty());
        // Glued to letters: part of some other code.
        let id = make_id("530102", "19850612", "123");
        assert!(rules(&format!("ABC{id}")).is_empty());
    }

    #[test]
    fn mobile_numbers_in_the_usual_forms() {
        assert_eq!(rules("联系人：王老师，13812345678。"), [RuleId::PiiPhone]);
        assert_eq!(rules("手机 138-1234-5678"), [RuleId::PiiPhone]);
        assert_eq!(rules("手机 138 1234 5678"), [RuleId::PiiPhone]);
        assert_eq!(rules("Tel: +86 13912345678"), [RuleId::PiiPhone]);
        assert_eq!(rules("Tel: +8613912345678"), [RuleId::PiiPhone]);
        assert_eq!(rules("电话１３８１２３４５６７８"), [RuleId::PiiPhone]);
    }

    #[test]
    fn masked_mobiles_landlines_and_service_numbers_are_clean() {
        for text in [
            "手机：138****5678",
            "电话：0871-65551234",
            "电话：(0871)65551234",
            "热线：400-123-4567",
            "热线：4001234567",
            "热线：800-820-8820",
            "热线：12345",
            "邮编：650000",
            "传真：010-12345678",
            "座机 021 6555 1234",
            "编号 13812345678",
            "金额 13800000000元",
            "单号12812345678",
        ] {
            assert!(rules(text).is_empty(), "{text}");
        }
    }

    #[test]
    fn bank_cards_pass_luhn_and_look_like_cards() {
        let card = make_card("622202123456789012");
        assert_eq!(card.len(), 19);
        assert_eq!(rules(&format!("收款账号：{card}")), [RuleId::PiiBankCard]);
        let sixteen = make_card("621700123456789");
        let grouped = format!(
            "{} {} {} {}",
            &sixteen[..4],
            &sixteen[4..8],
            &sixteen[8..12],
            &sixteen[12..]
        );
        assert_eq!(rules(&format!("卡号 {grouped}")), [RuleId::PiiBankCard]);
        let wrong = format!("{}{}", &card[..18], (card.as_bytes()[18] - b'0' + 1) % 10);
        assert!(rules(&format!("卡号 {wrong}")).is_empty());
        assert!(rules("卡号 6222 **** **** 1234").is_empty());
    }

    #[test]
    fn ordinary_news_numbers_are_clean() {
        let text = "2026年11月2日，市科协在学府路88号召开会议，投入资金12,345.67万元，\
                    比2025年增长3.5%。文号：云科协发〔2026〕12号，索引号：01-2026-000012，\
                    统一社会信用代码：51530100MJ0000000X，参会人数1200人，\
                    时间戳1793494800，圆周率3.14159265358979323846，\
                    订单号 6222021234567890123，金额 1234567890123456元，邮编659999。";
        assert!(
            rules(text).is_empty(),
            "{:?}",
            scan(text, &Say::new(Language::Chinese))
        );
    }
}
