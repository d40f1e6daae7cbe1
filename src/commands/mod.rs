//! One module per command; each only wires library pieces together and
//! returns the exit code of a successful run (0, or 1 for content problems
//! that did not stop it).

pub mod approve;
pub mod build;
pub mod check;
pub mod demo;
pub mod init;
pub mod new;
pub mod report;
pub mod serve;
pub mod status;
pub mod withdraw;
