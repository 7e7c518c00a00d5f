//! Project tasks, run as `cargo xtask TASK` (the alias in `.cargo/config.toml` builds this
//! crate in release, so `bench` measures optimised code).
//!
//! - `test`: every test tier, in the order CI runs them (`.ci/run` is just `cargo xtask test`).
//! - `serve [--port N] [--network mainnet|sandbox]`: builds the web app (the deploy app with the
//!   SDL builder) into `dist/`, starts the local devnet (or, for a real network, only a proxy of
//!   its own) and serves the app on 127.0.0.1 (port 8080 by default).
//! - `dist`: only builds `dist/`.
//! - `e2e`: `dist/`, the CLI and the Playwright tests (`tests/e2e/`), the deploy tests against a
//!   devnet of their own.
//! - `bench`: prints µs per document for the conformance inputs and for generated SDLs.
//! - `pkg [--bless]`: builds the npm package `leasekit` into `pkg/`.
//! - `fuzz [--seconds N] [--target NAME] [-- LIBFUZZER_ARGS]`: runs the cargo-fuzz targets in
//!   `crates/sdl/fuzz`.
#![expect(clippy::print_stdout, reason = "a CLI prints")]

mod bench;
mod fuzz;
mod pkg;
mod test;
mod tools;
mod web;

use std::io::Write as _;
use std::path::{Path, PathBuf};
use std::process::{Command, ExitCode};
use std::time::Instant;

const USAGE: &str = "usage: cargo xtask <task>

tasks:
  test                                   run every test tier (what CI runs)
  serve [--port N] [--network NAME]      build the web app into dist/, start the devnet (or, for --network mainnet|sandbox,
                                         a proxy of its own for that real network), serve the app on 127.0.0.1:N (default 8080)
  dist                                   build the web app into dist/ only
  e2e                                    build dist/ and the CLI, run the Playwright tests (tests/e2e/)
  bench [--ms N]                         print µs per SDL document (N ms per measurement, default 200)
  pkg [--bless]                          build the npm package into pkg/ (--bless: accept new TypeScript types)
  fuzz [--seconds N] [--target NAME] [-- LIBFUZZER_ARGS...]
                                         run the fuzz targets (all by default) for N seconds each (default 60)
";

fn main() -> ExitCode {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let Some((task, rest)) = args.split_first() else {
        eprint!("{USAGE}");
        return ExitCode::from(2);
    };
    let result = match task.as_str() {
        "test" if rest.is_empty() => test::task(),
        "serve" => web::serve(rest),
        "dist" => web::dist(rest),
        "e2e" => web::e2e(rest),
        "bench" => bench::task(rest),
        "fuzz" => fuzz::task(rest),
        "pkg" => pkg::task(rest),
        "help" | "--help" | "-h" => {
            print!("{USAGE}");
            Ok(())
        }
        _ => {
            eprint!("{USAGE}");
            return ExitCode::from(2);
        }
    };
    match result {
        Ok(()) => ExitCode::SUCCESS,
        Err(e) => {
            eprintln!("xtask {task}: {e}");
            ExitCode::FAILURE
        }
    }
}

/// The workspace root. Nested cargo commands run from here so that they see the workspace
/// whatever directory `cargo xtask` was started in.
fn root() -> PathBuf {
    let xtask_dir = Path::new(env!("CARGO_MANIFEST_DIR"));
    xtask_dir.parent().unwrap_or(xtask_dir).to_path_buf()
}

/// Prints `=== [Ns] name` lines, N counted from the first step, so a slow tier stands out in CI logs.
struct Steps {
    start: Instant,
}

impl Steps {
    fn new() -> Self {
        Self { start: Instant::now() }
    }

    fn begin(&self, name: &str) {
        println!("=== [{}s] {name}", self.start.elapsed().as_secs());
        // Child processes write to the same stdout; without a flush our line can land after theirs.
        let _ = std::io::stdout().flush();
    }
}

/// Runs a command with the inherited environment and stdio; a failure names the command.
fn run(cmd: &mut Command) -> Result<(), String> {
    let status = cmd.status().map_err(|e| format!("cannot start {}: {e}", describe(cmd)))?;
    if status.success() { Ok(()) } else { Err(format!("{} failed ({status})", describe(cmd))) }
}

fn describe(cmd: &Command) -> String {
    let mut text = cmd.get_program().to_string_lossy().into_owned();
    for arg in cmd.get_args() {
        text.push(' ');
        text.push_str(&arg.to_string_lossy());
    }
    format!("`{text}`")
}

/// Removes `name VALUE` from `args` and returns VALUE, if `name` is there.
fn take_option(args: &mut Vec<String>, name: &str) -> Result<Option<String>, String> {
    let Some(i) = args.iter().position(|a| a == name) else { return Ok(None) };
    if i + 1 >= args.len() {
        return Err(format!("{name} needs a value"));
    }
    let value = args.remove(i + 1);
    args.remove(i);
    Ok(Some(value))
}
