//! The `sanshen` binary: parse the command line, run one command, and turn
//! its outcome into an exit code in this one place (SPEC §6: 0 success,
//! 1 content problems, 2 usage, configuration or environment errors).

use clap::Parser;

use sanshen::cli::{Cli, Command};
use sanshen::commands;

/// mimalloc rather than the system's allocator: a build makes millions of
/// small allocations on several threads, and glibc's spent a quarter of a
/// warm build's time in malloc and free, and kept freed memory per thread.
/// Measured on 100,000 articles: cold 222 → 149 CPU-s and 872 → 827 MiB
/// peak; warm 14.7 → 7.7 CPU-s and 816 → 749 MiB (see bench/README.md).
#[global_allocator]
static ALLOCATOR: mimalloc::MiMalloc = mimalloc::MiMalloc;

fn main() {
    let cli = Cli::parse();
    let outcome = match &cli.command {
        Command::Init(args) => commands::init::run(&cli.root, args),
        Command::New(args) => commands::new::run(&cli.root, args),
        Command::Build(args) => commands::build::run(&cli.root, args),
        Command::Status(args) => commands::status::run(&cli.root, args),
        Command::Approve(args) => commands::approve::run(&cli.root, args),
        Command::Withdraw(args) => commands::withdraw::run(&cli.root, args),
        Command::Check(args) => commands::check::run(&cli.root, args),
        Command::Demo(args) => commands::demo::run(args),
        Command::Serve(args) => commands::serve::run(&cli.root, args),
        Command::Report(args) => commands::report::run(&cli.root, args),
    };
    match outcome {
        Ok(code) => std::process::exit(code),
        Err(error) => {
            eprintln!("{error}");
            std::process::exit(error.kind.exit_code());
        }
    }
}
