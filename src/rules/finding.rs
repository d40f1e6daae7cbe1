//! What a rule found: located in a file, with what to do about it.

use serde::Serialize;

use crate::catalog::{RuleId, Severity};
use crate::error::Diagnostic;

/// Which version of an article a finding is about.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct VersionLabel {
    /// The article's object id (blob or bundle tree).
    pub oid: String,
    /// The article's state at the revision (`published`, `pending`, …).
    pub state: String,
    /// Not (yet) approved: the findings show what review will run into.
    pub draft: bool,
}

/// One problem found.
#[derive(Debug, Clone, Serialize)]
pub struct Finding {
    pub rule: RuleId,
    pub severity: Severity,
    /// Stops the publication of this version (build exits 1 naming it).
    pub blocking: bool,
    pub file: Option<String>,
    /// 1-based.
    pub line: Option<usize>,
    /// 1-based, in characters.
    pub column: Option<usize>,
    pub message: String,
    pub help: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub version: Option<VersionLabel>,
    /// The column (栏目) of the article the finding is about: where the
    /// policy may let a blocking rule pass.
    #[serde(skip)]
    pub(crate) article_column: Option<String>,
    /// The most this finding may weigh (a 70% stale column is a warning
    /// even when the rule is an error).
    #[serde(skip)]
    pub(crate) ceiling: Option<Severity>,
}

impl Finding {
    pub fn new(rule: RuleId, message: impl Into<String>) -> Finding {
        Finding {
            rule,
            severity: rule.default_severity(),
            blocking: false,
            file: None,
            line: None,
            column: None,
            message: message.into(),
            help: None,
            version: None,
            article_column: None,
            ceiling: None,
        }
    }

    pub fn in_file(mut self, file: impl Into<String>) -> Finding {
        self.file = Some(file.into());
        self
    }

    pub fn at(mut self, line: Option<usize>, column: Option<usize>) -> Finding {
        self.line = line;
        self.column = column;
        self
    }

    pub fn with_help(mut self, help: impl Into<String>) -> Finding {
        self.help = Some(help.into());
        self
    }

    /// Never more serious than `ceiling`, whatever the rule's severity.
    pub fn at_most(mut self, ceiling: Severity) -> Finding {
        self.ceiling = Some(ceiling);
        self
    }

    /// The finding is about this version of an article.
    pub(crate) fn labelled(mut self, label: &VersionLabel) -> Finding {
        self.version = Some(label.clone());
        self
    }

    /// The finding as a build error names it.
    pub fn to_diagnostic(&self) -> Diagnostic {
        let mut diagnostic = Diagnostic::new(format!("[{}] {}", self.rule.as_str(), self.message));
        diagnostic.file = self.file.clone();
        diagnostic.line = self.line;
        diagnostic.help = self.help.clone();
        diagnostic
    }
}
