//! `cargo xtask fuzz`: runs the cargo-fuzz targets of `crates/sdl/fuzz` one after another.
//!
//! Not part of `cargo xtask test`: fuzzing needs nightly and minutes, and a run that finds
//! nothing proves little, so it is something to run on purpose rather than on every push.

use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};

use crate::bench::conformance_dir;
use crate::{Steps, root, run, take_option};

const TARGETS: [&str; 2] = ["sdl_bytes", "sdl_structured"];
/// Relative to the workspace root, where every command runs.
const FUZZ_DIR: &str = "crates/sdl/fuzz";
/// Seed files larger than this would only slow libFuzzer down (it caps inputs at `-max_len`).
const MAX_SEED_BYTES: u64 = 64 * 1024;

pub(crate) fn task(args: &[String]) -> Result<(), String> {
    let mut args = args.to_vec();
    let libfuzzer_args = match args.iter().position(|a| a == "--") {
        Some(i) => args.split_off(i).split_off(1),
        None => Vec::new(),
    };
    let seconds = match take_option(&mut args, "--seconds")? {
        Some(v) => v.parse::<u64>().map_err(|e| format!("--seconds {v}: {e}"))?,
        None => 60,
    };
    let targets: Vec<String> = match take_option(&mut args, "--target")? {
        Some(t) => vec![t],
        None => TARGETS.iter().map(ToString::to_string).collect(),
    };
    if let Some(extra) = args.first() {
        return Err(format!("unexpected argument {extra}"));
    }

    let root = root();
    let steps = Steps::new();
    steps.begin("setup: nightly toolchain, cargo-fuzz");
    ensure_nightly()?;
    ensure_cargo_fuzz()?;

    for target in &targets {
        let corpus = Path::new(FUZZ_DIR).join("corpus").join(target);
        std::fs::create_dir_all(root.join(&corpus)).map_err(|e| format!("cannot create {}: {e}", corpus.display()))?;
        if target == "sdl_structured" {
            let seeded = seed(&root, &root.join(&corpus))?;
            println!("seeded {} with {seeded} files", corpus.display());
        }
        steps.begin(&format!("fuzz {target} for {seconds}s"));
        let mut cmd = Command::new("cargo");
        cmd.args(["+nightly", "fuzz", "run", "--fuzz-dir", FUZZ_DIR])
            // Overflow checks turn silent wrap-arounds in unit and price arithmetic into findings.
            .arg("--debug-assertions")
            .arg(target)
            .arg(&corpus)
            .arg("--")
            .arg(format!("-max_total_time={seconds}"))
            .args(["-rss_limit_mb=2048", "-timeout=10"])
            .arg(format!("-dict={FUZZ_DIR}/sdl.dict"))
            .args(&libfuzzer_args)
            .current_dir(&root);
        run(&mut cmd).map_err(|e| {
            format!(
                "{e}\nIf libFuzzer found a crash, the input is under {FUZZ_DIR}/artifacts/{target}/ and the output \
                 above ends with the command that reproduces it."
            )
        })?;
    }
    steps.begin("fuzzing done");
    Ok(())
}

fn ensure_nightly() -> Result<(), String> {
    let output = Command::new("rustup")
        .args(["toolchain", "list"])
        .output()
        .map_err(|e| format!("cargo-fuzz needs a nightly toolchain from rustup: {e}"))?;
    if String::from_utf8_lossy(&output.stdout).lines().any(|l| l.starts_with("nightly")) {
        return Ok(());
    }
    run(Command::new("rustup").args(["toolchain", "install", "nightly", "--profile", "minimal"]))
}

fn ensure_cargo_fuzz() -> Result<(), String> {
    let present = Command::new("cargo")
        .args(["fuzz", "--version"])
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .status()
        .is_ok_and(|s| s.success());
    if present {
        return Ok(());
    }
    // `--locked` can fail when the registry mirror lacks a version pinned in cargo-fuzz's
    // lockfile (it happened with wasm-bindgen-cli here); a fresh resolution then still works.
    run(Command::new("cargo").args(["install", "cargo-fuzz", "--locked"]))
        .or_else(|_| run(Command::new("cargo").args(["install", "cargo-fuzz"])))
}

/// Copies the conformance inputs (valid and invalid) and the SDL test files into `corpus`, so
/// that mutation starts from documents that reach validation and manifest building instead of
/// spending the run rediscovering YAML. Returns how many files were copied.
fn seed(root: &Path, corpus: &Path) -> Result<usize, String> {
    let sources = [("conformance", conformance_dir().join("input")), ("tests", root.join("crates/sdl/tests"))];
    let mut count = 0;
    for (label, dir) in &sources {
        let mut files = Vec::new();
        collect(dir, &mut files);
        for file in files {
            // Named after the source path, so that seeding again overwrites instead of piling up.
            let relative = file.strip_prefix(dir).unwrap_or(&file).to_string_lossy().replace(['/', '\\'], "_");
            let target = corpus.join(format!("seed-{label}-{relative}"));
            std::fs::copy(&file, &target).map_err(|e| format!("cannot copy {}: {e}", file.display()))?;
            count += 1;
        }
    }
    if count == 0 {
        return Err(format!("no seed files under {} or {}", sources[0].1.display(), sources[1].1.display()));
    }
    Ok(count)
}

/// Every file under `dir` except Rust sources, recursively. A missing directory contributes nothing.
fn collect(dir: &Path, files: &mut Vec<PathBuf>) {
    let Ok(entries) = std::fs::read_dir(dir) else { return };
    for path in entries.filter_map(Result::ok).map(|e| e.path()) {
        if path.is_dir() {
            collect(&path, files);
        } else if path.extension().is_none_or(|e| e != "rs") && path.metadata().is_ok_and(|m| m.len() <= MAX_SEED_BYTES)
        {
            files.push(path);
        }
    }
}
