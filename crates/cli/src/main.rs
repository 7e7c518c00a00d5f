//! `leasekit`: the native command line. Arguments are parsed by clap, so every subcommand has
//! its own `--help` and a wrong argument is named (exit 2).
//!
//! - `leasekit sdl check FILE...` prints each diagnostic as a rustc-style code frame
//!   (annotate-snippets, see `frames`): `error[CODE]: message`, `--> FILE:LINE:COL` (the column
//!   counts characters, as rustc's does), the source with a caret under the span, then the
//!   hint, the fixes (`fix` when safe to apply, `suggestion` otherwise), Go's own words and the
//!   follow-on errors the diagnostic explains. It exits 1 if any file has an error.
//!   `--format json` prints one `{"file", "diagnostics"}` line per file instead (the npm
//!   package's diagnostic fields, columns in UTF-8 bytes); `--color auto|always|never`.
//! - `leasekit sdl build FILE` (`-` for stdin) prints the JSON report
//!   (`{"version", "manifest", "groupSpecs", "warnings"}`, exit 0, or `{"errors", "warnings"}`,
//!   exit 1).
//! - `leasekit sdl fix FILE` prints the SDL with every safe fix applied (a few rounds, as one fix
//!   can uncover another; comments and layout kept); `--write` changes FILE instead. It exits 1,
//!   the remaining errors framed on stderr, when errors remain.
//!
//! - `leasekit ip plan FILE` prints the leased-IP plan as JSON
//!   (`{"endpoints", "groups", "conflicts", "warnings"}`), or the SDL's errors (exit 1).
//! - `leasekit ip simulate SCENARIO.json` runs a provider scenario (format: the crate doc of
//!   `leasekit-ipalloc`) and prints one JSON result per step, one per line.
//!
//! Orders, for scripts: each reads one JSON request (FILE, or stdin when FILE is `-` or
//! omitted), passes it to `leasekit_tx::request` (whose doc lists the request fields) and
//! prints the compact JSON response and a newline. On failure it prints
//! `error[CODE]: message` on stderr (for `invalid-sdl` followed by the SDL's diagnostics in
//! `sdl check`'s form) and exits 1.
//!
//! - `leasekit tx encode [FILE]` — one message, `{typeUrl, value, json}` (json: chain-sdk's `toJSON` form).
//! - `leasekit tx sign [FILE]` — a signed transaction, `{txBytes, txHash}`.
//! - `leasekit tx sign-doc [FILE]` — the SignDoc for a wallet; `leasekit tx assemble [FILE]`
//!   makes the TxRaw from the wallet's signature.
//! - `leasekit key address [--index N]` — `{address, publicKey}` of the mnemonic.
//! - `leasekit jwt create [FILE]` — a provider JWT, `{token}`; `leasekit jwt verify [FILE]`
//!   checks one, `{alg, claims}`.
//!
//! The CLI adds what the pure core cannot have: a `createDeployment`/`updateDeployment` with
//! `sdlFile` instead of `sdl` gets that file's text (path relative to the current directory);
//! `tx sign` and `jwt create` take the mnemonic from `$LEASEKIT_MNEMONIC` when the request has
//! none (`key address` reads it from there or from one line of stdin); `jwt create` without
//! `now` or `claims`, and `jwt verify` without `now`, get the current Unix time. The mnemonic
//! is never printed, not even in errors, and every copy the CLI makes is zeroized.
//!
//! Services, until Ctrl-C:
//!
//! - `leasekit devnet` — a local chain, simulated providers over TLS and the proxy (crate
//!   `leasekit-devnet`); prints the endpoints and the funded test account's mnemonic. State is
//!   kept in `--data-dir` (default `.leasekit-devnet`).
//! - `leasekit proxy --chain-rest URL` (or `--network mainnet`) — the browser-to-provider relay (crate `leasekit-proxy`);
//!   private and loopback providers only with `--devnet`.
//!
//! An unreadable file counts as an error (exit 1); exit 2 means the arguments were wrong.

use std::io::{Read as _, Write as _};
use std::process::ExitCode;

use clap::{Args, Parser, Subcommand};
use leasekit_sdl::{Diagnostics, PositionEncoding};
use leasekit_sdl_edit::apply_fix;

use frames::Color;
use orders::Command;

mod frames;
mod orders;
mod serve;

/// Check and build Akash SDL files, plan leased IPs, encode and sign orders, create provider
/// JWTs, and run a local devnet or the provider proxy.
#[derive(Debug, Parser)]
#[command(name = "leasekit", version, about, propagate_version = true)]
struct Cli {
    #[command(subcommand)]
    command: Top,
}

#[derive(Debug, Subcommand)]
enum Top {
    /// SDL files: check, build, fix.
    #[command(subcommand)]
    Sdl(SdlCommand),
    /// Leased IPs (AEP-17): plan an SDL's endpoints, simulate a provider.
    #[command(subcommand)]
    Ip(IpCommand),
    /// Transactions: one JSON request in (FILE, or stdin), JSON out.
    #[command(subcommand)]
    Tx(TxCommand),
    /// Keys of the mnemonic in $LEASEKIT_MNEMONIC (or one line of stdin).
    #[command(subcommand)]
    Key(KeyCommand),
    /// Provider JWTs: one JSON request in (FILE, or stdin), JSON out.
    #[command(subcommand)]
    Jwt(JwtCommand),
    /// A local devnet: chain, simulated providers over TLS and the proxy, until Ctrl-C.
    Devnet(serve::DevnetArgs),
    /// The browser-to-provider relay, until Ctrl-C.
    Proxy(serve::ProxyArgs),
}

#[derive(Debug, Subcommand)]
enum SdlCommand {
    /// Print every error and warning as a code frame; exit 1 if any file has an error.
    Check {
        /// SDL files (`-` for stdin).
        #[arg(required = true, value_name = "FILE")]
        files: Vec<String>,
        /// `text`: code frames for people; `json`: one `{"file", "diagnostics"}` line per file.
        #[arg(long, value_enum, default_value = "text")]
        format: Format,
        #[command(flatten)]
        color: ColorArg,
    },
    /// Print the JSON report: {version, manifest, groupSpecs, warnings} (exit 0) or {errors, warnings} (exit 1).
    Build {
        /// The SDL file (`-` for stdin).
        #[arg(value_name = "FILE")]
        file: String,
    },
    /// Print the SDL with every safe fix applied (comments and layout kept); exit 1 if errors remain.
    Fix {
        /// The SDL file (`-` for stdin, not with --write).
        #[arg(value_name = "FILE")]
        file: String,
        /// Change FILE in place instead of printing the result.
        #[arg(long)]
        write: bool,
        #[command(flatten)]
        color: ColorArg,
    },
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
enum Format {
    Text,
    Json,
}

#[derive(Debug, Args)]
struct ColorArg {
    /// Colour the code frames: auto (when stdout is a terminal and NO_COLOR is unset), always, never.
    #[arg(long, value_enum, default_value = "auto", value_name = "WHEN")]
    color: Color,
}

#[derive(Debug, Subcommand)]
enum IpCommand {
    /// Print the SDL's leased-IP plan as JSON: {endpoints, groups, conflicts, warnings}.
    Plan {
        /// The SDL file (`-` for stdin).
        #[arg(value_name = "FILE")]
        file: String,
    },
    /// Run a provider scenario (format: the leasekit-ipalloc crate doc); one JSON line per step.
    Simulate {
        /// The scenario, JSON.
        #[arg(value_name = "SCENARIO")]
        scenario: String,
    },
}

/// An optional request file; stdin when absent or `-`.
#[derive(Debug, Args)]
struct RequestFile {
    /// The JSON request (`-` or absent: stdin).
    #[arg(value_name = "FILE")]
    file: Option<String>,
}

#[derive(Debug, Subcommand)]
enum TxCommand {
    /// One message: {typeUrl, value, json}.
    Encode(RequestFile),
    /// A signed transaction: {txBytes, txHash} (the mnemonic may come from $LEASEKIT_MNEMONIC).
    Sign(RequestFile),
    /// The SignDoc a wallet signs.
    SignDoc(RequestFile),
    /// The transaction from a wallet's signature.
    Assemble(RequestFile),
}

#[derive(Debug, Subcommand)]
enum KeyCommand {
    /// {address, publicKey} of the mnemonic.
    Address {
        /// The HD account index (m/44'/118'/0'/0/INDEX).
        #[arg(long, default_value_t = 0, value_name = "N")]
        index: u64,
    },
}

#[derive(Debug, Subcommand)]
enum JwtCommand {
    /// A provider JWT: {token} (the mnemonic may come from $LEASEKIT_MNEMONIC).
    Create(RequestFile),
    /// Check a JWT: {alg, claims}.
    Verify(RequestFile),
}

fn main() -> ExitCode {
    let cli = match Cli::try_parse() {
        Ok(cli) => cli,
        Err(e) => {
            // `--help` and `--version` are errors to clap too; they print on stdout and exit 0.
            let _ = e.print();
            return ExitCode::from(u8::try_from(e.exit_code()).unwrap_or(2));
        }
    };
    match cli.command {
        Top::Sdl(SdlCommand::Check { files, format, color }) => check(&files, format, color.color),
        Top::Sdl(SdlCommand::Build { file }) => build(&file),
        Top::Sdl(SdlCommand::Fix { file, write, color }) => fix(&file, write, color.color),
        Top::Ip(IpCommand::Plan { file }) => ip_plan(&file),
        Top::Ip(IpCommand::Simulate { scenario }) => ip_simulate(&scenario),
        Top::Tx(TxCommand::Encode(f)) => orders::run(Command::Encode, f.file.as_deref()),
        Top::Tx(TxCommand::Sign(f)) => orders::run(Command::Sign, f.file.as_deref()),
        Top::Tx(TxCommand::SignDoc(f)) => orders::run(Command::SignDoc, f.file.as_deref()),
        Top::Tx(TxCommand::Assemble(f)) => orders::run(Command::Assemble, f.file.as_deref()),
        Top::Jwt(JwtCommand::Create(f)) => orders::run(Command::JwtCreate, f.file.as_deref()),
        Top::Jwt(JwtCommand::Verify(f)) => orders::run(Command::JwtVerify, f.file.as_deref()),
        Top::Key(KeyCommand::Address { index }) => orders::key_address(index),
        Top::Devnet(args) => serve::devnet(args),
        Top::Proxy(args) => serve::proxy(args),
    }
}

/// A usage error found after parsing (arguments clap cannot judge alone), with the usage of the
/// subcommand at `path` (e.g. `["sdl", "fix"]`): exit 2, like clap's own.
pub(crate) fn usage_error(path: &[&str], message: &str) -> ExitCode {
    use clap::CommandFactory as _;
    let mut at = Cli::command();
    // Built, the subcommands know their full names (`leasekit sdl fix`) for the usage line.
    at.build();
    for name in path {
        let Some(sub) = at.find_subcommand(name).cloned() else { break };
        at = sub;
    }
    let _ = at.error(clap::error::ErrorKind::ArgumentConflict, message).print();
    ExitCode::from(2)
}

pub(crate) fn print(text: &str) {
    let mut out = std::io::stdout().lock();
    // A closed pipe (`leasekit ... | head`) is not an error worth a panic.
    let _ = out.write_all(text.as_bytes()).and_then(|()| out.flush());
}

fn read(file: &str) -> Result<Vec<u8>, String> {
    let mut bytes = Vec::new();
    let result = if file == "-" {
        std::io::stdin().read_to_end(&mut bytes).map(|_| ())
    } else {
        std::fs::File::open(file).and_then(|mut f| f.read_to_end(&mut bytes)).map(|_| ())
    };
    result.map_err(|e| format!("leasekit: {file}: {e}"))?;
    Ok(bytes)
}

fn check(files: &[String], format: Format, color: Color) -> ExitCode {
    let mut failed = false;
    let color = color.enabled();
    let mut out = String::new();
    for file in files {
        let Some(bytes) = read_or_report(file) else {
            failed = true;
            continue;
        };
        let (source, result) = leasekit_sdl::build_bytes(&bytes);
        failed |= result.diagnostics.has_errors();
        match format {
            Format::Text => out.push_str(&frames::render(file, &source, &result.diagnostics, color)),
            Format::Json => {
                let line = leasekit_sdl::json::Json::Obj(vec![
                    ("file", leasekit_sdl::json::Json::Str(file.clone())),
                    ("diagnostics", result.diagnostics.to_json(&source, PositionEncoding::Utf8)),
                ]);
                out.push_str(&line.to_go_compact());
                out.push('\n');
            }
        }
    }
    print(&out);
    if failed { ExitCode::FAILURE } else { ExitCode::SUCCESS }
}

/// The diagnostics of `file` as code frames, uncoloured (for stderr and the orders commands).
pub(crate) fn diagnostic_frames(file: &str, source: &str, diagnostics: &Diagnostics) -> String {
    frames::render(file, source, diagnostics, false)
}

/// How many rounds of safe fixes `sdl fix` applies: a fix can uncover another (a `to:` made a
/// list may then lack `global: true`), and real SDLs need two at most.
const FIX_ROUNDS: usize = 4;

fn fix(file: &str, write: bool, color: Color) -> ExitCode {
    if write && file == "-" {
        return usage_error(
            &["sdl", "fix"],
            "the argument '--write' cannot be used with FILE '-' (stdin has no file to write)",
        );
    }
    let mut text = match read_text(file) {
        Ok(t) => t,
        Err(code) => return code,
    };
    let mut fixed = 0;
    for _ in 0..FIX_ROUNDS {
        let diagnostics = leasekit_sdl::check(&text);
        let (next, applied, skipped) = apply_safe_fixes(&text, &diagnostics);
        for label in skipped {
            eprintln!(
                "leasekit: {file}: skipped \"{label}\": its edits overlap another fix's, or would break the YAML"
            );
        }
        if applied == 0 {
            break;
        }
        fixed += applied;
        text = next;
    }
    let result = leasekit_sdl::build(&text);
    if write {
        if fixed > 0
            && let Err(e) = std::fs::write(file, &text)
        {
            eprintln!("leasekit: {file}: {e}");
            return ExitCode::FAILURE;
        }
        eprintln!("leasekit: fixed {fixed} problem{} in {file}", if fixed == 1 { "" } else { "s" });
    } else {
        print(&text);
    }
    if result.diagnostics.has_errors() {
        let mut out = std::io::stderr().lock();
        let frames = frames::render(file, &text, &result.diagnostics, color.enabled());
        let _ = out.write_all(frames.as_bytes());
        return ExitCode::FAILURE;
    }
    ExitCode::SUCCESS
}

/// `text` with as many safe fixes applied as apply together (in the diagnostics' order, through
/// leasekit-sdl-edit, which keeps everything else byte for byte), how many, and the labels of
/// those left out because their edits overlap an earlier fix's (or would break the YAML).
fn apply_safe_fixes(text: &str, diagnostics: &Diagnostics) -> (String, usize, Vec<String>) {
    let mut edits = Vec::new();
    let (mut applied, mut skipped) = (0, Vec::new());
    let all = diagnostics.all().iter().flat_map(|d| std::iter::once(d).chain(&d.folded));
    for fix in all.flat_map(|d| &d.fixes).filter(|f| f.safe) {
        let before = edits.len();
        edits.extend(fix.edits.iter().cloned());
        if apply_fix(text, &edits).is_ok() {
            applied += 1;
        } else {
            edits.truncate(before);
            skipped.push(fix.label.clone());
        }
    }
    let fixed = apply_fix(text, &edits).unwrap_or_else(|_| text.to_owned());
    (fixed, applied, skipped)
}

/// The file's bytes, or None after telling the user why not.
fn read_or_report(file: &str) -> Option<Vec<u8>> {
    read(file).map_err(|e| eprintln!("{e}")).ok()
}

fn build(file: &str) -> ExitCode {
    let Some(bytes) = read_or_report(file) else { return ExitCode::FAILURE };
    let (source, result) = leasekit_sdl::build_bytes(&bytes);
    print(&result.to_json(&source).to_go_indented());
    print("\n");
    if result.output.is_some() { ExitCode::SUCCESS } else { ExitCode::FAILURE }
}

fn read_text(file: &str) -> Result<String, ExitCode> {
    let bytes = read_or_report(file).ok_or(ExitCode::FAILURE)?;
    String::from_utf8(bytes).map_err(|e| {
        eprintln!("leasekit: {file}: not UTF-8 (invalid byte at {})", e.utf8_error().valid_up_to());
        ExitCode::FAILURE
    })
}

fn ip_plan(file: &str) -> ExitCode {
    let Some(bytes) = read_or_report(file) else { return ExitCode::FAILURE };
    let (source, result) = leasekit_sdl::build_bytes(&bytes);
    let Some(output) = &result.output else {
        print(&result.to_json(&source).to_go_indented());
        print("\n");
        return ExitCode::FAILURE;
    };
    print(&leasekit_ipalloc::plan_output(output).to_json(Some(&source)).to_go_indented());
    print("\n");
    ExitCode::SUCCESS
}

fn ip_simulate(file: &str) -> ExitCode {
    let scenario = match read_text(file) {
        Ok(s) => s,
        Err(code) => return code,
    };
    match leasekit_ipalloc::simulate_steps(&scenario) {
        Ok(steps) => {
            let lines: String = steps.iter().map(|s| s.to_go_compact() + "\n").collect();
            print(&lines);
            ExitCode::SUCCESS
        }
        Err(e) => {
            eprintln!("leasekit: {file}: {e}");
            ExitCode::FAILURE
        }
    }
}
