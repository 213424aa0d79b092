//! `mofan` — the command line of 模范机关评选 (docs/specification.md §7): parse, run, exit.
//!
//! Exit status: 0 on success, 1 on bad input (the message on stderr, nothing
//! half-written), 2 on usage errors (clap prints them and exits itself). The subcommands
//! live in `src/cli/`, one file each.

use std::process::ExitCode;

use clap::Parser;

mod cli;

fn main() -> ExitCode {
    match cli::run(cli::Cli::parse()) {
        Ok(()) => ExitCode::SUCCESS,
        Err(e) => {
            if e.downcast_ref::<cli::Reported>().is_none() {
                cli::out::errln!("错误：{e:#}");
            }
            ExitCode::from(1)
        }
    }
}
