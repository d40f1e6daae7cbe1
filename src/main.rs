//! The `sanshen` binary: parse the command line, run one command, and turn
//! its outcome into an exit code in this one place (SPEC §6: 0 success,
//! 1 content problems, 2 usage, configuration or environment errors).

use clap::Parser;

use sanshen::cli::{Cli, Command};
use sanshen::commands;

fn main() {
    limit_malloc_arenas();
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

/// glibc gives each thread that allocates an arena of its own, and memory
/// freed in one arena serves only that arena. A build allocates the
/// history's facts on its worker threads and renders on them later: two
/// arenas shared by all threads keep a 100,000-article build's peak memory
/// about a tenth lower at no cost in time (measured; see bench/README.md).
fn limit_malloc_arenas() {
    #[cfg(all(target_os = "linux", target_env = "gnu"))]
    // SAFETY: mallopt changes allocator settings; it is called first thing
    // in main, before any other thread exists. Failure (0) changes nothing.
    unsafe {
        libc::mallopt(libc::M_ARENA_MAX, 2);
    }
}
