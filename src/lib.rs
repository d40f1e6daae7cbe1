//! sanshen (三审): a static-site generator for portals whose every article
//! must pass a signed, multi-stage review before it goes online.
//!
//! The data flows one way, and the modules follow it:
//!
//! ```text
//! git repository → approval ledger → publication set → checks → render → output folder
//!   repo            ledger            publish           checks   render   render::output
//! ```

pub mod cache_file;
pub mod catalog;
pub mod checks;
pub mod cli;
pub mod commands;
pub mod content;
pub mod demo;
pub mod error;
pub mod i18n;
pub mod ledger;
pub mod manifest;
pub mod media;
pub mod pipeline;
pub mod preview;
pub mod publish;
pub mod qr;
pub mod render;
pub mod repo;
pub mod report;
pub mod rules;
pub mod scaffold;
pub mod signing;
pub mod site;
pub mod status;
pub mod timings;
