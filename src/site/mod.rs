//! Site settings and the column tree, from `site.toml`.

pub mod clock;
pub mod columns;
pub mod config;
pub mod duration;
pub mod theme;
pub mod typography;

pub use columns::{Column, ColumnTree};
pub use config::{Identity, Language, Profile, SiteConfig};
pub use duration::Span;
