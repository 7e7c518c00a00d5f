//! `leasekit`: the native command line.
//!
//! - `leasekit sdl check FILE...` prints `FILE:LINE:COL: error[CODE]: message` per diagnostic
//!   (warnings alike), each followed by its `  hint:` and `  fix:` lines, and exits 1 if any
//!   file has an error.
//! - `leasekit sdl build FILE` (`-` for stdin) prints the JSON report
//!   (`{"version", "manifest", "groupSpecs", "warnings"}`, exit 0, or `{"errors", "warnings"}`,
//!   exit 1).
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

use leasekit_sdl::{Diagnostics, LineIndex, Severity};

use orders::Command;

mod orders;
mod serve;

const USAGE: &str = "usage:\n  leasekit sdl check FILE...\n  leasekit sdl build FILE        (FILE may be - for stdin)\n  \
                     leasekit ip plan FILE\n  leasekit ip simulate SCENARIO.json\n\
                     orders (a JSON request from FILE, or stdin if FILE is - or omitted; JSON out):\n  \
                     leasekit tx encode [FILE]      one message: {typeUrl, value, json}\n  \
                     leasekit tx sign [FILE]        a signed tx: {txBytes, txHash}\n  \
                     leasekit tx sign-doc [FILE]    the SignDoc a wallet signs\n  \
                     leasekit tx assemble [FILE]    the tx from a wallet's signature\n  \
                     leasekit key address [--index N]\n  \
                     leasekit jwt create [FILE]     a provider JWT: {token}\n  \
                     leasekit jwt verify [FILE]\n\
                     the mnemonic may come from $LEASEKIT_MNEMONIC (key address: else one line of stdin)\n\
                     services (until Ctrl-C):\n  \
                     leasekit devnet [--data-dir DIR] [--rest ADDR] [--proxy ADDR] [--origin ORIGIN]...\n  \
                     leasekit proxy (--chain-rest URL | --network mainnet|sandbox) [--listen ADDR] [--origin ORIGIN]... [--devnet]\n";

fn main() -> ExitCode {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let args: Vec<&str> = args.iter().map(String::as_str).collect();
    match args.as_slice() {
        ["sdl", "check", files @ ..] if !files.is_empty() => check(files),
        ["sdl", "build", file] => build(file),
        ["ip", "plan", file] => ip_plan(file),
        ["ip", "simulate", file] => ip_simulate(file),
        ["tx", "encode", file @ ..] if file.len() <= 1 => orders::run(Command::Encode, file),
        ["tx", "sign", file @ ..] if file.len() <= 1 => orders::run(Command::Sign, file),
        ["tx", "sign-doc", file @ ..] if file.len() <= 1 => orders::run(Command::SignDoc, file),
        ["tx", "assemble", file @ ..] if file.len() <= 1 => orders::run(Command::Assemble, file),
        ["jwt", "create", file @ ..] if file.len() <= 1 => orders::run(Command::JwtCreate, file),
        ["jwt", "verify", file @ ..] if file.len() <= 1 => orders::run(Command::JwtVerify, file),
        ["devnet", flags @ ..] => serve::devnet(flags),
        ["proxy", flags @ ..] => serve::proxy(flags),
        ["key", "address"] => orders::key_address(0),
        ["key", "address", "--index", n] => n.parse().map_or_else(|_| usage_error(), orders::key_address),
        ["--help" | "-h" | "help"] => {
            print(USAGE);
            ExitCode::SUCCESS
        }
        _ => usage_error(),
    }
}

pub(crate) fn usage_error() -> ExitCode {
    eprint!("{USAGE}");
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

fn check(files: &[&str]) -> ExitCode {
    let mut failed = false;
    let mut out = String::new();
    for file in files {
        let Some(bytes) = read_or_report(file) else {
            failed = true;
            continue;
        };
        let (source, result) = leasekit_sdl::build_bytes(&bytes);
        failed |= result.diagnostics.has_errors();
        out.push_str(&diagnostic_lines(file, &source, &result.diagnostics));
    }
    print(&out);
    if failed { ExitCode::FAILURE } else { ExitCode::SUCCESS }
}

/// `FILE:LINE:COL: severity[CODE]: message` per diagnostic, with its hint, the labels of its
/// fixes (`fix:` when safe to apply, `suggestion:` otherwise) and, when there are several
/// errors, which one Akash reports.
fn diagnostic_lines(file: &str, source: &str, diagnostics: &Diagnostics) -> String {
    let index = LineIndex::new(source);
    let mut out = String::new();
    for d in diagnostics.all() {
        let (start, _) = d.locate(&index);
        out.push_str(&format!(
            "{file}:{}:{}: {}[{}]: {}\n",
            start.line,
            start.column_utf8,
            d.severity.as_str(),
            d.code.as_str(),
            d.message.trim_end()
        ));
        if let Some(hint) = &d.hint {
            out.push_str(&format!("  hint: {hint}\n"));
        }
        for fix in &d.fixes {
            let kind = if fix.safe { "fix" } else { "suggestion" };
            out.push_str(&format!("  {kind}: {}\n", fix.label));
        }
        if d.reference && d.severity == Severity::Error && diagnostics.errors().count() > 1 {
            out.push_str("  note: this is the error Akash reports\n");
        }
    }
    out
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
