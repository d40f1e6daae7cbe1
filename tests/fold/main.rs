//! The §5 decision procedure without git: histories built in memory
//! ([`harness`]), named scenarios with reviewed snapshots ([`scenarios`]),
//! and property tests over random histories against a deliberately simple
//! reference model ([`properties`], [`reference`]).

mod harness;
mod properties;
mod reference;
mod scenarios;
mod snapshot;
