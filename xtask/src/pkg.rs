//! `cargo xtask pkg`: builds the npm package `leasekit` into `pkg/` from `crates/wasm`.
//!
//! cargo (wasm32, size profile) → wasm-bindgen twice (`nodejs`: CommonJS that instantiates on
//! load, no init call; `web`: ES module with an init function, for browsers and bundlers) →
//! wasm-opt -Oz. The generated TypeScript declarations must equal the committed snapshot
//! `crates/wasm/leasekit.d.ts` (so a change to the API's types is reviewed); `--bless` updates it.

use std::path::Path;
use std::process::Command;

use crate::tools::{ensure_npm_tools, ensure_wasm_bindgen, sizes};
use crate::{root, run};

const WASM: &str = "target/wasm32-unknown-unknown/wasm-release/leasekit_wasm.wasm";
const SNAPSHOT: &str = "crates/wasm/leasekit.d.ts";

pub(crate) fn task(args: &[String]) -> Result<(), String> {
    let bless = match args {
        [] => false,
        [flag] if flag == "--bless" => true,
        _ => return Err("usage: cargo xtask pkg [--bless]".to_owned()),
    };
    build(&root(), bless)
}

/// Builds `pkg/` and checks the declarations snapshot.
pub(crate) fn build(root: &Path, bless: bool) -> Result<(), String> {
    ensure_wasm_bindgen(root)?;
    let bin = ensure_npm_tools(root)?;
    run(Command::new("cargo")
        .args([
            "build",
            "-p",
            "leasekit-wasm",
            "--features",
            "ip",
            "--target",
            "wasm32-unknown-unknown",
            "--profile",
            "wasm-release",
        ])
        .current_dir(root))?;
    for target in ["nodejs", "web"] {
        let out = root.join("pkg").join(target);
        let _ = std::fs::remove_dir_all(&out);
        run(Command::new("wasm-bindgen")
            .args(["--target", target, "--out-name", "leasekit", "--out-dir"])
            .arg(&out)
            .arg(root.join(WASM)))?;
        let wasm = out.join("leasekit_bg.wasm");
        run(Command::new(bin.join("wasm-opt"))
            .args(["-Oz", "--enable-reference-types", "--enable-bulk-memory", "--enable-nontrapping-float-to-int"])
            .arg(&wasm)
            .arg("-o")
            .arg(&wasm))?;
        let (wasm_raw, wasm_gz) = sizes(&wasm)?;
        let (js_raw, js_gz) = sizes(&out.join("leasekit.js"))?;
        println!(
            "pkg/{target}: wasm {wasm_raw} B ({wasm_gz} B gzip) + JS glue {js_raw} B ({js_gz} B gzip) = {} B gzip",
            wasm_gz + js_gz
        );
    }
    check_declarations(root, bless)
}

fn check_declarations(root: &Path, bless: bool) -> Result<(), String> {
    let generated_path = root.join("pkg/nodejs/leasekit.d.ts");
    let generated =
        std::fs::read_to_string(&generated_path).map_err(|e| format!("{}: {e}", generated_path.display()))?;
    let snapshot_path = root.join(SNAPSHOT);
    if bless {
        return std::fs::write(&snapshot_path, generated).map_err(|e| format!("{SNAPSHOT}: {e}"));
    }
    let committed = std::fs::read_to_string(&snapshot_path).unwrap_or_default();
    if committed != generated {
        return Err(format!(
            "the generated TypeScript declarations differ from {SNAPSHOT}; review the API change and run \
             `cargo xtask pkg --bless` to update the snapshot"
        ));
    }
    Ok(())
}
