//! External tools the Wasm tiers need, installed on first use so that a fresh machine (CI's)
//! needs nothing but Rust, Node and npm.

use std::path::{Path, PathBuf};
use std::process::Command;

use crate::run;

/// The `wasm-bindgen` version Cargo.lock resolved: the CLI must be exactly this version.
pub(crate) fn locked_wasm_bindgen_version(root: &Path) -> Result<String, String> {
    let lock = std::fs::read_to_string(root.join("Cargo.lock")).map_err(|e| format!("Cargo.lock: {e}"))?;
    let mut lines = lock.lines();
    while let Some(line) = lines.next() {
        if line == "name = \"wasm-bindgen\"" {
            let version = lines.next().and_then(|l| l.strip_prefix("version = \"")).and_then(|v| v.strip_suffix('"'));
            return version.map(str::to_owned).ok_or_else(|| "Cargo.lock: wasm-bindgen has no version".to_owned());
        }
    }
    Err("Cargo.lock has no wasm-bindgen package".to_owned())
}

/// Installs `wasm-bindgen-cli` (which also brings `wasm-bindgen-test-runner`) at the locked
/// version unless that version is already on PATH.
pub(crate) fn ensure_wasm_bindgen(root: &Path) -> Result<(), String> {
    let version = locked_wasm_bindgen_version(root)?;
    let installed = Command::new("wasm-bindgen")
        .arg("--version")
        .output()
        .ok()
        .map(|o| String::from_utf8_lossy(&o.stdout).trim().to_owned());
    if installed.as_deref() == Some(&format!("wasm-bindgen {version}")) {
        return Ok(());
    }
    // `--locked` first: reproducible. Some releases lock a dependency the registry mirror here
    // lacks (toolchain.md §2), so fall back to a fresh resolution rather than fail.
    let locked = run(Command::new("cargo").args(["install", "--locked", "wasm-bindgen-cli", "--version", &version]));
    if locked.is_err() {
        run(Command::new("cargo").args(["install", "wasm-bindgen-cli", "--version", &version]))?;
    }
    Ok(())
}

/// `npm ci` in `tests/` when its `node_modules` is missing or older than its lock file.
/// Returns the `node_modules/.bin` directory (npm `binaryen`'s `wasm-opt`, never Debian's).
pub(crate) fn ensure_npm_tools(root: &Path) -> Result<PathBuf, String> {
    let dir = root.join("tests");
    let lock = dir.join("package-lock.json");
    let marker = dir.join("node_modules/.package-lock.json");
    let modified = |p: &Path| std::fs::metadata(p).and_then(|m| m.modified()).ok();
    if modified(&marker).is_none() || modified(&marker) < modified(&lock) {
        run(Command::new("npm").args(["ci", "--no-audit", "--no-fund", "--loglevel=error"]).current_dir(&dir))?;
    }
    Ok(dir.join("node_modules/.bin"))
}

/// Raw and gzip sizes of a file, for size budgets printed by the build steps.
pub(crate) fn sizes(path: &Path) -> Result<(u64, u64), String> {
    let raw = std::fs::metadata(path).map_err(|e| format!("{}: {e}", path.display()))?.len();
    let output =
        Command::new("gzip").args(["-9", "-c"]).arg(path).output().map_err(|e| format!("cannot run gzip: {e}"))?;
    Ok((raw, output.stdout.len() as u64))
}

/// Debian's `chromium` and `chromium-driver` (browser tests; the npm browsers download from
/// hosts this machine cannot reach).
pub(crate) fn ensure_chromium() -> Result<(), String> {
    if Path::new("/usr/bin/chromium").exists() && Path::new("/usr/bin/chromedriver").exists() {
        return Ok(());
    }
    run(Command::new("apt-get").args(["update", "-qq"]))?;
    run(Command::new("apt-get")
        .args(["install", "-y", "-qq", "chromium", "chromium-driver"])
        .env("DEBIAN_FRONTEND", "noninteractive"))
}
