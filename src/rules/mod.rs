//! The per-version rules: whether one article version may go online (SPEC
//! §5 "blocking"), from its own text, front matter and assets — secrets,
//! personal data, the policy's word lists, backdating, the column's units,
//! assets that run in a browser.
//!
//! They sit below the publication set, which is handed them as its gate
//! ([`ContentRules`]) and never decides by itself what blocks; `check` runs
//! the same rules over drafts and published versions, so the two never
//! disagree. Rules over the whole rendered site are `crate::checks`.

pub mod assets;
pub mod finding;
mod gate;
pub mod privacy;
pub mod secrets;
pub mod settings;
pub mod text;
pub mod timeliness;
pub mod words;

pub use finding::{Finding, VersionLabel};
pub use gate::{ContentRules, Purpose, VersionView};
pub use settings::RuleSettings;
