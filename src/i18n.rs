//! The languages people read sanshen in (SPEC §6: every message follows
//! site.toml `language`). Messages are written where they arise, in both
//! languages side by side, so neither can be forgotten; this module holds
//! the choice between them.

/// Output language of pages and messages.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Language {
    Chinese,
    English,
}

impl Language {
    pub fn code(self) -> &'static str {
        match self {
            Language::Chinese => "zh-CN",
            Language::English => "en",
        }
    }
}

/// Messages in one language.
#[derive(Debug, Clone, Copy)]
pub struct Say {
    chinese: bool,
}

impl Say {
    pub fn new(language: Language) -> Say {
        Say {
            chinese: language == Language::Chinese,
        }
    }

    /// The Chinese or the English wording.
    pub fn pick(&self, zh: impl Into<String>, en: impl Into<String>) -> String {
        if self.chinese { zh.into() } else { en.into() }
    }

    pub fn chinese(&self) -> bool {
        self.chinese
    }
}
