//! Durations as site.toml and policy.yaml write them: `14d`, `36h`, `90m`.

use std::fmt;

/// A span of time in whole seconds.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct Span {
    pub seconds: i64,
}

impl Span {
    pub fn days(days: i64) -> Self {
        Span {
            seconds: days * 86_400,
        }
    }

    /// Parse `<n>d`, `<n>h`, `<n>m` or `<n>w`; the message says what is accepted.
    pub fn parse(text: &str) -> Result<Span, String> {
        let text = text.trim();
        let unit_at = text
            .char_indices()
            .last()
            .map(|(i, _)| i)
            .ok_or_else(|| "empty duration: write e.g. \"14d\" or \"36h\"".to_string())?;
        let (number, unit) = text.split_at(unit_at);
        let amount: i64 = number.parse().map_err(|_| {
            format!("`{text}` is not a duration: write a whole number and a unit, e.g. \"14d\", \"36h\", \"2w\"")
        })?;
        if amount <= 0 {
            return Err(format!("`{text}` must be longer than zero"));
        }
        let unit_seconds = match unit {
            "w" => 7 * 86_400,
            "d" => 86_400,
            "h" => 3_600,
            "m" => 60,
            _ => {
                return Err(format!(
                    "`{text}` has an unknown unit `{unit}`: use d (days), h (hours), m (minutes) or w (weeks)"
                ));
            }
        };
        Ok(Span {
            seconds: amount * unit_seconds,
        })
    }
}

impl fmt::Display for Span {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        if self.seconds % 86_400 == 0 {
            write!(f, "{}d", self.seconds / 86_400)
        } else if self.seconds % 3_600 == 0 {
            write!(f, "{}h", self.seconds / 3_600)
        } else {
            write!(f, "{}m", self.seconds / 60)
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parses_units() {
        assert_eq!(Span::parse("14d"), Ok(Span::days(14)));
        assert_eq!(Span::parse("36h").map(|s| s.seconds), Ok(36 * 3600));
        assert_eq!(Span::parse("2w"), Ok(Span::days(14)));
    }

    #[test]
    fn rejects_nonsense() {
        assert!(Span::parse("").is_err());
        assert!(Span::parse("14").is_err());
        assert!(Span::parse("d").is_err());
        assert!(Span::parse("0d").is_err());
        assert!(Span::parse("3 days").is_err());
        assert!(Span::parse("十四天").is_err());
    }
}
