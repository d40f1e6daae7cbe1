//! Errors for people.
//!
//! Every problem sanshen reports names the file (and line, where one exists),
//! says what is wrong and what to do about it. A command fails with one
//! `Error` that may carry several diagnostics (a build reports every broken
//! file at once, not only the first), and the error's kind decides the exit
//! code in one place: `main`.

use std::fmt;

/// What kind of failure this is; decides the process exit code (SPEC §6).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ErrorKind {
    /// Content problems: check errors, an approved article that cannot be published. Exit 1.
    Content,
    /// Usage, configuration or environment: not a repository, shallow clone,
    /// invalid site.toml or policy, nothing approved. Exit 2.
    Config,
}

impl ErrorKind {
    pub fn exit_code(self) -> i32 {
        match self {
            ErrorKind::Content => 1,
            ErrorKind::Config => 2,
        }
    }
}

/// One problem, located in a file where possible.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub struct Diagnostic {
    /// Repository-relative path (or a plain path for files outside a repository).
    pub file: Option<String>,
    /// 1-based line number within `file`.
    pub line: Option<usize>,
    pub message: String,
    /// What to do about it.
    pub help: Option<String>,
}

impl Diagnostic {
    pub fn new(message: impl Into<String>) -> Self {
        Diagnostic {
            file: None,
            line: None,
            message: message.into(),
            help: None,
        }
    }

    pub fn in_file(file: impl Into<String>, message: impl Into<String>) -> Self {
        Diagnostic {
            file: Some(file.into()),
            ..Diagnostic::new(message)
        }
    }

    pub fn at_line(mut self, line: Option<usize>) -> Self {
        self.line = line;
        self
    }

    pub fn with_help(mut self, help: impl Into<String>) -> Self {
        self.help = Some(help.into());
        self
    }

    /// `file:line: ` prefix, or nothing when the problem has no file.
    pub fn location(&self) -> String {
        match (&self.file, self.line) {
            (Some(file), Some(line)) => format!("{file}:{line}"),
            (Some(file), None) => file.clone(),
            _ => String::new(),
        }
    }
}

impl fmt::Display for Diagnostic {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let location = self.location();
        if location.is_empty() {
            write!(f, "{}", self.message)?;
        } else {
            write!(f, "{location}: {}", self.message)?;
        }
        if let Some(help) = &self.help {
            write!(f, "\n  help: {help}")?;
        }
        Ok(())
    }
}

/// A failed command: its kind and every problem found.
#[derive(Debug, Clone)]
pub struct Error {
    pub kind: ErrorKind,
    pub diagnostics: Vec<Diagnostic>,
}

impl Error {
    pub fn config(diagnostic: Diagnostic) -> Self {
        Error {
            kind: ErrorKind::Config,
            diagnostics: vec![diagnostic],
        }
    }

    pub fn content(diagnostic: Diagnostic) -> Self {
        Error {
            kind: ErrorKind::Content,
            diagnostics: vec![diagnostic],
        }
    }

    pub fn many(kind: ErrorKind, diagnostics: Vec<Diagnostic>) -> Self {
        Error { kind, diagnostics }
    }

    /// An environment failure (I/O, git) that has no better location than a path.
    pub fn io(path: &std::path::Path, err: &std::io::Error, what: &str) -> Self {
        Error::config(Diagnostic::in_file(
            path.display().to_string(),
            format!("could not {what}: {err}"),
        ))
    }
}

impl fmt::Display for Error {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        for (i, diagnostic) in self.diagnostics.iter().enumerate() {
            if i > 0 {
                writeln!(f)?;
            }
            write!(f, "error: {diagnostic}")?;
        }
        Ok(())
    }
}

impl std::error::Error for Error {}

impl From<Diagnostic> for Error {
    fn from(diagnostic: Diagnostic) -> Self {
        Error::config(diagnostic)
    }
}

pub type Result<T, E = Error> = std::result::Result<T, E>;

/// 1-based line of a byte offset in `text`.
pub fn line_of_offset(text: &str, offset: usize) -> usize {
    let end = offset.min(text.len());
    text.as_bytes()[..end]
        .iter()
        .filter(|&&b| b == b'\n')
        .count()
        + 1
}

/// 1-based line of the first line of `text` that starts with `key:` (YAML) or `key =` (TOML),
/// for errors found after parsing, when the parser no longer knows where a value came from.
pub fn line_of_key(text: &str, key: &str) -> Option<usize> {
    text.lines()
        .position(|line| {
            let trimmed = line.trim_start();
            trimmed
                .strip_prefix(key)
                .map(|rest| {
                    let rest = rest.trim_start();
                    rest.starts_with(':') || rest.starts_with('=')
                })
                .unwrap_or(false)
        })
        .map(|i| i + 1)
}
