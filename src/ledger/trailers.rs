//! Reading approval records from commit-message trailers.
//!
//! SPEC §5 records approvals as trailers (`Approve: <stage-id> <path>
//! [<object-id>]`, `Withdraw: <path>`, `Return: ...`). A reviewer checks what
//! they sign with `git log --format=%(trailers)`, so sanshen must read exactly
//! the trailers git shows there: a line that git would not show as a trailer
//! must never count as an approval, and the other way round.
//!
//! Git's rules (trailer.c and pretty.c, as of git 2.47), restated:
//!
//! - Leading blank lines are skipped; the first paragraph is the subject and
//!   never holds trailers.
//! - The end of the message is found by cutting at a scissors line
//!   (`# ------------------------ >8 ------------------------`) and dropping
//!   a trailing run of comment lines (`#`), empty lines and old-style
//!   `Conflicts:` blocks.
//! - The trailer block is the last paragraph. It counts if all its lines are
//!   trailers (or continuation lines), or if at least a quarter are trailers
//!   and one of them is git-generated (`Signed-off-by: `,
//!   `(cherry picked from commit `).
//! - A trailer line is a token of ASCII letters, digits and `-`, optional
//!   spaces or tabs, then `:`. Continuation lines start with whitespace and
//!   are joined to the trailer above with a single space. Keys and values are
//!   trimmed of ASCII whitespace only.
//!
//! `%(trailers)` does not stop at a `---` line (git log parses commits with
//! `no_divider`; only `git interpret-trailers` without `--no-divider` does),
//! so neither does sanshen. Git settings that change trailer parsing
//! (`trailer.separators`, configured `trailer.<key>` tokens,
//! `core.commentChar`) are not read: a site repository's history must mean the
//! same on every machine, so git's defaults are the rule.

/// One `Key: value` trailer as git shows it (continuation lines unfolded).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Trailer {
    pub key: String,
    pub value: String,
}

/// Trailers git generates itself; one of them lets a block with non-trailer
/// lines still count as a trailer block.
const GIT_GENERATED_PREFIXES: [&str; 2] = ["Signed-off-by: ", "(cherry picked from commit "];

/// The line `git commit -v` puts above the diff; nothing below it is message.
const SCISSORS_LINE: &str = "# ------------------------ >8 ------------------------\n";

/// Whitespace as git's own `isspace` sees it: ASCII space, tab, CR and LF, so
/// an ideographic space (U+3000) in a value is kept, as git keeps it.
fn is_git_space(character: char) -> bool {
    matches!(character, ' ' | '\t' | '\n' | '\r')
}

fn trim_git_space(text: &str) -> &str {
    text.trim_matches(is_git_space)
}

fn is_blank(line: &str) -> bool {
    line.chars().all(is_git_space)
}

fn is_comment(line: &str) -> bool {
    line.starts_with('#')
}

fn starts_with_git_space(line: &str) -> bool {
    line.starts_with(is_git_space)
}

/// The trailers of a commit message, in order, exactly as
/// `git log --format=%(trailers:only,unfold)` lists them.
pub fn parse_trailers(message: &str) -> Vec<Trailer> {
    let message = skip_leading_blank_lines(message);
    let log_message = &message[..end_of_log_message(message)];
    let block = &log_message[trailer_block_start(log_message)..];
    join_continuation_lines(block)
        .iter()
        .filter(|item| !is_comment(item))
        .filter_map(|item| {
            let separator = separator_position(item)?;
            Some(Trailer {
                key: trim_git_space(&item[..separator]).to_owned(),
                value: unfold(trim_git_space(&item[separator + 1..])),
            })
        })
        .collect()
}

fn skip_leading_blank_lines(message: &str) -> &str {
    let mut rest = message;
    while let Some(line) = rest.split_inclusive('\n').next() {
        if !is_blank(line) {
            break;
        }
        rest = &rest[line.len()..];
    }
    rest
}

/// Where the message proper ends: before a scissors line and before the
/// trailing comments, empty lines and `Conflicts:` block git ignores.
fn end_of_log_message(message: &str) -> usize {
    let cutoff = if message.starts_with(SCISSORS_LINE) {
        0
    } else {
        message
            .find(&format!("\n{SCISSORS_LINE}"))
            .map_or(message.len(), |newline| newline + 1)
    };
    let mut ignorable_run_start = None;
    let mut in_conflicts_block = false;
    let mut line_start = 0;
    for line in message[..cutoff].split_inclusive('\n') {
        if is_comment(line) || line.starts_with('\n') {
            ignorable_run_start.get_or_insert(line_start);
        } else if line.starts_with("Conflicts:\n") {
            in_conflicts_block = true;
            ignorable_run_start.get_or_insert(line_start);
        } else if in_conflicts_block && line.starts_with('\t') {
            // A path listed in the conflicts block.
        } else {
            ignorable_run_start = None;
            in_conflicts_block = false;
        }
        line_start += line.len();
    }
    ignorable_run_start.unwrap_or(cutoff)
}

/// Where the trailer block of `text` starts, or `text.len()` when it has none.
fn trailer_block_start(text: &str) -> usize {
    let mut lines = Vec::new();
    let mut offset = 0;
    for line in text.split_inclusive('\n') {
        lines.push((offset, line));
        offset += line.len();
    }
    let end_of_subject = lines
        .iter()
        .position(|&(_, line)| !is_comment(line) && is_blank(line))
        .unwrap_or(lines.len());

    // Walk the last paragraph upwards, counting its lines by kind. Indented
    // lines are continuations if a trailer is above them, and plain text if
    // a non-trailer is, which is only known once the line above is seen.
    let mut seen_text = false;
    let mut git_generated_seen = false;
    let mut trailer_lines = 0;
    let mut other_lines = 0;
    let mut pending_indented_lines = 0;
    for &(start, line) in lines[end_of_subject..].iter().rev() {
        if is_comment(line) {
            other_lines += pending_indented_lines;
            pending_indented_lines = 0;
            continue;
        }
        if is_blank(line) {
            if !seen_text {
                continue;
            }
            other_lines += pending_indented_lines;
            let mostly_trailers = git_generated_seen && trailer_lines * 3 >= other_lines;
            let only_trailers = trailer_lines > 0 && other_lines == 0;
            return if mostly_trailers || only_trailers {
                start + line.len()
            } else {
                text.len()
            };
        }
        seen_text = true;
        if GIT_GENERATED_PREFIXES
            .iter()
            .any(|prefix| line.starts_with(prefix))
        {
            git_generated_seen = true;
            trailer_lines += 1;
            pending_indented_lines = 0;
        } else if separator_position(line).is_some() {
            trailer_lines += 1;
            pending_indented_lines = 0;
        } else if starts_with_git_space(line) {
            pending_indented_lines += 1;
        } else {
            other_lines += 1 + pending_indented_lines;
            pending_indented_lines = 0;
        }
    }
    text.len()
}

/// The byte offset of the `:` ending a trailer key, if `line` starts with
/// one: a non-empty token of ASCII letters, digits and `-`, then optional
/// spaces or tabs (git allows `Key : value`).
fn separator_position(line: &str) -> Option<usize> {
    let mut after_token = false;
    for (position, byte) in line.bytes().enumerate() {
        match byte {
            b':' if position > 0 => return Some(position),
            b'a'..=b'z' | b'A'..=b'Z' | b'0'..=b'9' | b'-' if !after_token => {}
            b' ' | b'\t' if position > 0 => after_token = true,
            _ => return None,
        }
    }
    None
}

/// Splits the trailer block into items, each a line with the continuation
/// lines that follow it (lines starting with whitespace below a trailer).
fn join_continuation_lines(block: &str) -> Vec<String> {
    let mut items: Vec<String> = Vec::new();
    let mut last_is_trailer = false;
    for line in block.split_inclusive('\n') {
        if last_is_trailer && starts_with_git_space(line) {
            if let Some(last) = items.last_mut() {
                last.push_str(line);
            }
            continue;
        }
        last_is_trailer = separator_position(line).is_some();
        items.push(line.to_owned());
    }
    items
}

/// Joins a folded value into one line: each newline and the whitespace after
/// it become one space. A CR before the newline stays, as in git.
fn unfold(value: &str) -> String {
    let mut unfolded = String::with_capacity(value.len());
    let mut characters = value.chars().peekable();
    while let Some(character) = characters.next() {
        if character == '\n' {
            while characters.next_if(|&next| is_git_space(next)).is_some() {}
            unfolded.push(' ');
        } else {
            unfolded.push(character);
        }
    }
    trim_git_space(&unfolded).to_owned()
}

/// An approval record of SPEC §5, read from one commit's trailers.
#[derive(Clone, Debug, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub enum Record {
    Approve {
        stage: String,
        path: String,
        object_id: Option<String>,
    },
    Return {
        stage: String,
        path: String,
        object_id: Option<String>,
        reason: Option<String>,
    },
    Withdraw {
        path: String,
        reason: Option<String>,
    },
}

/// A ledger trailer that could not be read, for the report.
#[derive(Clone, Debug, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub struct Malformed {
    /// The trailer as written, `Key: value`.
    pub trailer: String,
    /// What is wrong and how to write it instead.
    pub problem: String,
}

/// Turns trailers into approval records, in order. Keys match
/// case-insensitively, as git treats them. Trailers with other keys
/// (`Signed-off-by`, ...) are not ledger trailers and are skipped.
///
/// A `Withdraw-Reason` (`Return-Reason`) belongs to the ledger trailer
/// directly above it, which must be a `Withdraw` (`Return`) that has no
/// reason yet; other trailers in between do not matter.
pub fn approval_records(trailers: &[Trailer]) -> (Vec<Record>, Vec<Malformed>) {
    let mut records = Vec::new();
    let mut malformed = Vec::new();
    // The record the last ledger trailer produced, which a reason may follow.
    let mut last_record: Option<usize> = None;
    for trailer in trailers {
        let outcome = match trailer.key.to_ascii_lowercase().as_str() {
            "approve" => parse_stage_path("Approve", &trailer.value).map(|target| {
                records.push(Record::Approve {
                    stage: target.stage,
                    path: target.path,
                    object_id: target.object_id,
                });
                Some(records.len() - 1)
            }),
            "return" => parse_stage_path("Return", &trailer.value).map(|target| {
                records.push(Record::Return {
                    stage: target.stage,
                    path: target.path,
                    object_id: target.object_id,
                    reason: None,
                });
                Some(records.len() - 1)
            }),
            "withdraw" => parse_withdraw(&trailer.value).map(|path| {
                records.push(Record::Withdraw { path, reason: None });
                Some(records.len() - 1)
            }),
            "withdraw-reason" => attach_reason(
                ReasonFor::Withdraw,
                &trailer.value,
                last_record.and_then(|index| records.get_mut(index)),
            )
            .map(|()| last_record),
            "return-reason" => attach_reason(
                ReasonFor::Return,
                &trailer.value,
                last_record.and_then(|index| records.get_mut(index)),
            )
            .map(|()| last_record),
            _ => continue,
        };
        match outcome {
            Ok(record) => last_record = record,
            Err(problem) => {
                last_record = None;
                malformed.push(Malformed {
                    trailer: format!("{}: {}", trailer.key, trailer.value),
                    problem,
                });
            }
        }
    }
    (records, malformed)
}

/// The `<stage-id> <path> [<object-id>]` of an `Approve` or `Return`.
struct StagePath {
    stage: String,
    path: String,
    object_id: Option<String>,
}

fn parse_stage_path(key: &str, value: &str) -> Result<StagePath, String> {
    let usage = format!("write `{key}: <stage-id> <path> [<object-id>]`");
    let (stage, rest) = match value.split_once(is_git_space) {
        Some((stage, rest)) => (stage, trim_git_space(rest)),
        None => (value, ""),
    };
    if stage.is_empty() {
        return Err(format!("the stage and path are missing: {usage}"));
    }
    if rest.is_empty() {
        return Err(format!("the path is missing: {usage}"));
    }
    if as_object_id(rest).is_some() {
        return Err(format!(
            "there is an object id but no path: {usage}, the path relative to the repository root"
        ));
    }
    let (path, object_id) = match rest.rsplit_once(is_git_space) {
        Some((path, last)) => match as_object_id(last) {
            Some(object_id) => (trim_git_space(path), Some(object_id)),
            None => (rest, None),
        },
        None => (rest, None),
    };
    Ok(StagePath {
        stage: stage.to_owned(),
        path: check_path(path)?,
        object_id,
    })
}

fn parse_withdraw(value: &str) -> Result<String, String> {
    if value.is_empty() {
        return Err("the path is missing: write `Withdraw: <path>`".to_owned());
    }
    check_path(value)
}

/// A full git object id (SHA-1 or SHA-256), lower-cased as git prints it.
fn as_object_id(token: &str) -> Option<String> {
    let full_length = matches!(token.len(), 40 | 64);
    (full_length && token.bytes().all(|byte| byte.is_ascii_hexdigit()))
        .then(|| token.to_ascii_lowercase())
}

/// Accepts a path as git names it in a tree (`content/news/a.md`), also
/// written as shell completion gives it (`./content/news/a.md`, a bundle
/// folder with a final `/`), and explains any other shape.
fn check_path(path: &str) -> Result<String, String> {
    let path = path.trim_start_matches("./").trim_end_matches('/');
    let example = "like content/news/a.md";
    if path.is_empty() {
        return Err(format!(
            "the path is empty: name a file or folder, {example}"
        ));
    }
    if path.contains('\\') {
        return Err(format!(
            "the path '{path}' uses '\\': separate folders with '/', {example}"
        ));
    }
    if path.starts_with('/') {
        return Err(format!(
            "the path '{path}' is absolute: write it relative to the repository root, {example}"
        ));
    }
    if path
        .split('/')
        .any(|part| part.is_empty() || part == "." || part == "..")
    {
        return Err(format!(
            "the path '{path}' has an empty, '.' or '..' part: write it as git lists it, {example}"
        ));
    }
    Ok(path.to_owned())
}

#[derive(Clone, Copy)]
enum ReasonFor {
    Withdraw,
    Return,
}

fn attach_reason(
    reason_for: ReasonFor,
    value: &str,
    previous: Option<&mut Record>,
) -> Result<(), String> {
    let (key, record_key) = match reason_for {
        ReasonFor::Withdraw => ("Withdraw-Reason", "Withdraw"),
        ReasonFor::Return => ("Return-Reason", "Return"),
    };
    if value.is_empty() {
        return Err(format!(
            "the reason is empty: write `{key}: <text>` or leave the line out"
        ));
    }
    let slot = match (reason_for, previous) {
        (ReasonFor::Withdraw, Some(Record::Withdraw { reason, .. }))
        | (ReasonFor::Return, Some(Record::Return { reason, .. })) => reason,
        _ => {
            return Err(format!(
                "a {key} must come directly after the {record_key} trailer it explains"
            ));
        }
    };
    if slot.is_some() {
        return Err(format!(
            "this {record_key} already has a reason: give one {key} line per {record_key}"
        ));
    }
    *slot = Some(value.to_owned());
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn trailer(key: &str, value: &str) -> Trailer {
        Trailer {
            key: key.to_owned(),
            value: value.to_owned(),
        }
    }

    const SHA1: &str = "0123456789abcdef0123456789abcdef01234567";
    const SHA256: &str = "0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef";

    #[test]
    fn approve_reads_stage_path_and_object_id() {
        let upper = SHA256.to_ascii_uppercase();
        let (records, malformed) = approval_records(&[
            trailer("Approve", "final content/news/a.md"),
            trailer("Approve", &format!("final content/news/a.md {SHA1}")),
            trailer(
                "approve",
                &format!("re-review content/news/年度 报告.md {upper}"),
            ),
            trailer("APPROVE", "unit-review ./content/news/bundle/"),
        ]);
        assert_eq!(malformed, []);
        assert_eq!(
            records,
            [
                Record::Approve {
                    stage: "final".into(),
                    path: "content/news/a.md".into(),
                    object_id: None
                },
                Record::Approve {
                    stage: "final".into(),
                    path: "content/news/a.md".into(),
                    object_id: Some(SHA1.into())
                },
                Record::Approve {
                    stage: "re-review".into(),
                    path: "content/news/年度 报告.md".into(),
                    object_id: Some(SHA256.into())
                },
                Record::Approve {
                    stage: "unit-review".into(),
                    path: "content/news/bundle".into(),
                    object_id: None
                },
            ]
        );
    }

    #[test]
    fn last_token_is_an_object_id_only_at_full_length() {
        let short = &SHA1[..39];
        let (records, malformed) = approval_records(&[
            trailer("Approve", &format!("final content/a b.md {short}")),
            trailer("Approve", &format!("final content/a.md {SHA1}x")),
        ]);
        assert_eq!(malformed, []);
        assert_eq!(
            records,
            [
                Record::Approve {
                    stage: "final".into(),
                    path: format!("content/a b.md {short}"),
                    object_id: None
                },
                Record::Approve {
                    stage: "final".into(),
                    path: format!("content/a.md {SHA1}x"),
                    object_id: None
                },
            ]
        );
    }

    #[test]
    fn reasons_attach_to_the_record_above() {
        let (records, malformed) = approval_records(&[
            trailer("Withdraw", "content/news/a.md"),
            trailer("Signed-off-by", "Sun Li <sunli@kx.example>"),
            trailer("withdraw-reason", "信息有误"),
            trailer("Return", "final content/news/b.md"),
            trailer("Return-Reason", "请补充来源"),
            trailer("Withdraw", "content/news/c.md"),
        ]);
        assert_eq!(malformed, []);
        assert_eq!(
            records,
            [
                Record::Withdraw {
                    path: "content/news/a.md".into(),
                    reason: Some("信息有误".into())
                },
                Record::Return {
                    stage: "final".into(),
                    path: "content/news/b.md".into(),
                    object_id: None,
                    reason: Some("请补充来源".into())
                },
                Record::Withdraw {
                    path: "content/news/c.md".into(),
                    reason: None
                },
            ]
        );
    }

    #[test]
    fn misplaced_reasons_are_malformed() {
        let (records, malformed) = approval_records(&[
            trailer("Withdraw-Reason", "nothing above"),
            trailer("Approve", "final content/a.md"),
            trailer("Withdraw-Reason", "above is an Approve"),
            trailer("Withdraw", "content/a.md"),
            trailer("Return-Reason", "above is a Withdraw"),
            trailer("Withdraw", "content/b.md"),
            trailer("Withdraw-Reason", "first"),
            trailer("Withdraw-Reason", "second"),
            trailer("Withdraw", ""),
            trailer("Withdraw-Reason", "above is a malformed Withdraw"),
            trailer("Return", "final content/c.md"),
            trailer("Return-Reason", ""),
        ]);
        assert_eq!(records.len(), 4);
        let problems: Vec<(&str, &str)> = malformed
            .iter()
            .map(|item| (item.trailer.as_str(), item.problem.as_str()))
            .collect();
        let directly_after = |key: &str, target: &str| {
            format!("a {key} must come directly after the {target} trailer it explains")
        };
        assert_eq!(
            problems,
            [
                (
                    "Withdraw-Reason: nothing above",
                    directly_after("Withdraw-Reason", "Withdraw").as_str()
                ),
                (
                    "Withdraw-Reason: above is an Approve",
                    directly_after("Withdraw-Reason", "Withdraw").as_str()
                ),
                (
                    "Return-Reason: above is a Withdraw",
                    directly_after("Return-Reason", "Return").as_str()
                ),
                (
                    "Withdraw-Reason: second",
                    "this Withdraw already has a reason: give one Withdraw-Reason line per Withdraw"
                ),
                (
                    "Withdraw: ",
                    "the path is missing: write `Withdraw: <path>`"
                ),
                (
                    "Withdraw-Reason: above is a malformed Withdraw",
                    directly_after("Withdraw-Reason", "Withdraw").as_str()
                ),
                (
                    "Return-Reason: ",
                    "the reason is empty: write `Return-Reason: <text>` or leave the line out"
                ),
            ]
        );
        assert_eq!(
            records[1..3],
            [
                Record::Withdraw {
                    path: "content/a.md".into(),
                    reason: None
                },
                Record::Withdraw {
                    path: "content/b.md".into(),
                    reason: Some("first".into())
                }
            ]
        );
    }

    #[test]
    fn malformed_approvals_are_explained() {
        let cases = [
            ("", "the stage and path are missing"),
            ("final", "the path is missing"),
            (SHA1, "the path is missing"),
            (
                &format!("final {SHA1}"),
                "there is an object id but no path",
            ),
            ("final /content/a.md", "is absolute"),
            ("final content\\news\\a.md", "separate folders with '/'"),
            ("final content/../site.toml", "'..' part"),
            ("final content/./a.md", "'.' or '..' part"),
            ("final ./", "the path is empty"),
            ("final content//a.md", "an empty"),
        ];
        for (value, expected) in cases {
            let (records, malformed) = approval_records(&[trailer("Approve", value)]);
            assert_eq!(records, [], "{value}");
            assert_eq!(malformed.len(), 1, "{value}");
            assert!(
                malformed[0].problem.contains(expected),
                "{value}: {:?}",
                malformed[0].problem
            );
        }
    }

    #[test]
    fn other_trailers_are_not_ledger_records() {
        let (records, malformed) = approval_records(&[
            trailer("Signed-off-by", "Li Hua <lihua@kx.example>"),
            trailer("Approved", "final content/a.md"),
            trailer("Co-authored-by", "x"),
        ]);
        assert_eq!(records, []);
        assert_eq!(malformed, []);
    }

    #[test]
    fn only_the_last_paragraph_carries_approvals() {
        let message = "终审\n\nApprove: final content/news/a.md\n\n我同意这篇稿件。\n";
        assert_eq!(parse_trailers(message), []);
        let message = "终审\n\n我同意这篇稿件。\n\nApprove: final content/news/a.md\n";
        let (records, _) = approval_records(&parse_trailers(message));
        assert_eq!(
            records,
            [Record::Approve {
                stage: "final".into(),
                path: "content/news/a.md".into(),
                object_id: None
            }]
        );
    }

    #[test]
    fn unfolded_values_join_with_one_space() {
        let message = "S\n\nApprove: final content/news/long\n   name.md\n\tmore\nKey : v\n";
        assert_eq!(
            parse_trailers(message),
            [
                trailer("Approve", "final content/news/long name.md more"),
                trailer("Key", "v")
            ]
        );
    }

    /// Compares `parse_trailers` with real git on messages chosen to probe
    /// git's rules. Each message is committed verbatim; git's answer is
    /// `git log -1 --format=%(trailers:only,unfold)`, and ours is computed from
    /// the message as stored in the commit object.
    mod against_git {
        use super::super::*;
        use std::path::Path;
        use std::process::Command;

        fn git(repo: &Path) -> Command {
            let mut command = Command::new("git");
            command
                .current_dir(repo)
                .env("GIT_CONFIG_GLOBAL", "/dev/null")
                .env("GIT_CONFIG_NOSYSTEM", "1")
                .args([
                    "-c",
                    "user.name=Li Hua",
                    "-c",
                    "user.email=lihua@kx.example",
                ]);
            command
        }

        fn run(command: &mut Command) -> String {
            let output = command.output().unwrap();
            assert!(
                output.status.success(),
                "{command:?} failed: {}",
                String::from_utf8_lossy(&output.stderr)
            );
            String::from_utf8(output.stdout).unwrap()
        }

        const OID: &str = "4B825DC642CB6EB9A060E54BF8D69288FBEE4904";
        const OID256: &str = "6ef19b41225c5369f1c104d45d8d85efa9b057b53b14b4b9b939dd74decc5321";

        /// (name, message, how many trailers git shows)
        fn cases() -> Vec<(&'static str, String, usize)> {
            let cases: Vec<(&str, String, usize)> = vec![
                ("subject only", "终审".into(), 0),
                ("trailer-like subject", "Approve: final a.md\n".into(), 0),
                ("subject line pair", "终审\nApprove: final a.md\n".into(), 0),
                (
                    "subject, body, trailers",
                    "终审\n\n同意发布。\n\nApprove: final content/a.md\nSigned-off-by: Li Hua <l@x>\n"
                        .into(),
                    2,
                ),
                ("subject then trailers", "终审\n\nApprove: final a.md\n".into(), 1),
                ("no final newline", "终审\n\nApprove: final a.md".into(), 1),
                (
                    "mixed, under a quarter, no sign-off",
                    "S\n\nsome text\nApprove: final a.md\nmore text\n".into(),
                    0,
                ),
                (
                    "mixed, a quarter, with sign-off",
                    "S\n\none\ntwo\nthree\nApprove: final a.md\nSigned-off-by: A <a@x>\n".into(),
                    2,
                ),
                (
                    "mixed, exactly a quarter, sign-off only",
                    "S\n\none\ntwo\nthree\nSigned-off-by: A <a@x>\n".into(),
                    1,
                ),
                (
                    "mixed, under a quarter, with sign-off",
                    "S\n\n1\n2\n3\n4\n5\n6\n7\nApprove: final a.md\nSigned-off-by: A <a@x>\n".into(),
                    0,
                ),
                (
                    "cherry-pick line counts as git-generated",
                    format!("S\n\nnote\nApprove: final a.md\n(cherry picked from commit {OID})\n"),
                    1,
                ),
                (
                    "sign-off needs its space",
                    "S\n\nnote\nApprove: final a.md\nSigned-off-by:A <a@x>\n".into(),
                    0,
                ),
                (
                    "continuation lines",
                    "S\n\nApprove: final content/news/a very\n  long name.md\nWithdraw-Reason: x\n\ty\n     z\n"
                        .into(),
                    2,
                ),
                (
                    "indented lines under text are text",
                    "S\n\nfree text\n  indented\nApprove: final a.md\n".into(),
                    0,
                ),
                (
                    "indented first line of the block",
                    "S\n\n  indented\nApprove: final a.md\n".into(),
                    0,
                ),
                (
                    "CRLF",
                    "S\r\n\r\nbody\r\n\r\nApprove: final a.md\r\nWithdraw: b c.md\r\n".into(),
                    2,
                ),
                (
                    "CRLF continuation",
                    "S\r\n\r\nApprove: final a\r\n  b.md\r\n".into(),
                    1,
                ),
                (
                    "trailing blank lines",
                    "S\n\nApprove: final a.md\n\n\n\n".into(),
                    1,
                ),
                (
                    "trailing whitespace-only lines",
                    "S\n\nApprove: final a.md\n   \n\t\n".into(),
                    1,
                ),
                (
                    "divider before trailers",
                    "S\n\nbody\n---\nApprove: final a.md\n".into(),
                    0,
                ),
                (
                    "divider paragraph then trailers",
                    "S\n\n---\n\nApprove: final a.md\n".into(),
                    1,
                ),
                (
                    "divider after trailers",
                    "S\n\nApprove: final a.md\n---\nmore\n".into(),
                    0,
                ),
                (
                    "paths with spaces and 64-hex ids",
                    format!("S\n\nApprove: final content/年度 报告/a b.md {OID256}\nReturn: re-review c d.md {OID}\n"),
                    2,
                ),
                (
                    "key case is kept",
                    "S\n\napprove: final a.md\nAPPROVE: final b.md\nwItHdRaW: c.md\n".into(),
                    3,
                ),
                (
                    "approve in the body only",
                    "S\n\nApprove: final a.md\n\n我同意。\n".into(),
                    0,
                ),
                (
                    "approve in the body and in the trailers",
                    "S\n\nApprove: final a.md\n\nApprove: final b.md\n".into(),
                    1,
                ),
                (
                    "space before the colon",
                    "S\n\nApprove : final a.md\nWithdraw\t: b.md\n".into(),
                    2,
                ),
                (
                    "two-word key is not a key",
                    "S\n\nApprove final: a.md\n".into(),
                    0,
                ),
                (
                    "non-ASCII key is not a key",
                    "S\n\n审核: a.md\nApprove: final a.md\n".into(),
                    0,
                ),
                ("colon first", "S\n\n: a.md\n".into(), 0),
                (
                    "empty value and ideographic space",
                    "S\n\nApprove:\nWithdraw: a.md\u{3000}\n".into(),
                    2,
                ),
                (
                    "comment lines",
                    "S\n\n# a comment\nApprove: final a.md\n# another\nWithdraw: b.md\n# tail\n\n"
                        .into(),
                    2,
                ),
                (
                    "comment line in the subject paragraph",
                    "# note\nS\n\nApprove: final a.md\n".into(),
                    1,
                ),
                (
                    "scissors",
                    "S\n\nApprove: final a.md\n# ------------------------ >8 ------------------------\nWithdraw: b.md\n"
                        .into(),
                    1,
                ),
                (
                    "conflicts block",
                    "S\n\nApprove: final a.md\n\nConflicts:\n\tcontent/a.md\n".into(),
                    1,
                ),
                (
                    "leading blank lines",
                    "\n  \nApprove: final a.md\n\nWithdraw: b.md\n".into(),
                    1,
                ),
                (
                    "leading blank lines before a lone trailer",
                    "\n\nApprove: final a.md\n".into(),
                    0,
                ),
            ];
            cases
        }

        #[test]
        fn parse_trailers_agrees_with_git_log() {
            let dir = tempfile::tempdir().unwrap();
            let repo = dir.path();
            run(git(repo).args(["init", "-q", "."]));
            let message_file = dir.path().join("message");
            for (name, message, expected_count) in cases() {
                std::fs::write(&message_file, &message).unwrap();
                run(git(repo)
                    .args(["commit", "-q", "--allow-empty", "--cleanup=verbatim", "-F"])
                    .arg(&message_file));
                let shown_by_git: Vec<String> =
                    run(git(repo).args(["log", "-1", "--format=%(trailers:only,unfold)"]))
                        .split('\n')
                        .filter(|line| !line.is_empty())
                        .map(str::to_owned)
                        .collect();

                let object = run(git(repo).args(["cat-file", "commit", "HEAD"]));
                let (_, stored_message) = object.split_once("\n\n").unwrap();
                assert_eq!(stored_message, message, "{name}: git changed the message");
                let ours: Vec<String> = parse_trailers(stored_message)
                    .iter()
                    .map(|trailer| format!("{}: {}", trailer.key, trailer.value))
                    .collect();

                assert_eq!(ours, shown_by_git, "{name}: {message:?}");
                assert_eq!(ours.len(), expected_count, "{name}: {ours:?}");
            }
        }
    }
}
