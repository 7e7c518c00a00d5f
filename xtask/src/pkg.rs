//! `cargo xtask pkg`: builds the npm package `leasekit` into `pkg/` from `crates/wasm` (the
//! SDL engine, entry `leasekit`) and `crates/wasm-orders` (entry `leasekit/orders`).
//!
//! cargo (wasm32, size profile) → wasm-bindgen twice (`nodejs`: CommonJS that instantiates on
//! load, no init call; `web`: ES module with an init function, for browsers and bundlers) →
//! wasm-opt -Oz. The generated TypeScript declarations must equal the committed snapshot
//! `crates/wasm/leasekit.d.ts` / `crates/wasm-orders/leasekit_orders.d.ts` (so a change to the API's types is reviewed); `--bless` updates it.

use std::path::Path;
use std::process::Command;

use crate::tools::{ensure_npm_tools, ensure_wasm_bindgen, sizes};
use crate::{root, run};

/// One Wasm of the package: the SDL engine (`leasekit`) or the orders (`leasekit/orders`),
/// each its own Wasm so that importing the SDL engine never loads the signing code.
struct Entry {
    /// Cargo package.
    crate_name: &'static str,
    /// Cargo features.
    features: &'static [&'static str],
    /// wasm-bindgen `--out-name`.
    out_name: &'static str,
    /// Directory under `pkg/` holding its `nodejs/` and `web/` builds.
    dir: &'static str,
    /// Committed declarations snapshot.
    snapshot: &'static str,
}

const ENTRIES: [Entry; 2] = [
    Entry {
        crate_name: "leasekit-wasm",
        features: &["ip"],
        out_name: "leasekit",
        dir: "",
        snapshot: "crates/wasm/leasekit.d.ts",
    },
    Entry {
        crate_name: "leasekit-wasm-orders",
        features: &[],
        out_name: "leasekit_orders",
        dir: "orders",
        snapshot: "crates/wasm-orders/leasekit_orders.d.ts",
    },
];

pub(crate) fn task(args: &[String]) -> Result<(), String> {
    let bless = match args {
        [] => false,
        [flag] if flag == "--bless" => true,
        _ => return Err("usage: cargo xtask pkg [--bless]".to_owned()),
    };
    build(&root(), bless)
}

/// Builds `pkg/` and checks the declarations snapshots.
pub(crate) fn build(root: &Path, bless: bool) -> Result<(), String> {
    ensure_wasm_bindgen(root)?;
    let bin = ensure_npm_tools(root)?;
    for entry in &ENTRIES {
        let mut cargo = Command::new("cargo");
        cargo.args([
            "build",
            "-p",
            entry.crate_name,
            "--target",
            "wasm32-unknown-unknown",
            "--profile",
            "wasm-release",
        ]);
        if !entry.features.is_empty() {
            cargo.args(["--features", &entry.features.join(",")]);
        }
        run(cargo.current_dir(root))?;
        let wasm_file =
            format!("target/wasm32-unknown-unknown/wasm-release/{}.wasm", entry.crate_name.replace('-', "_"));
        for target in ["nodejs", "web"] {
            let out = root.join("pkg").join(entry.dir).join(target);
            let _ = std::fs::remove_dir_all(&out);
            run(Command::new("wasm-bindgen")
                .args(["--target", target, "--out-name", entry.out_name, "--out-dir"])
                .arg(&out)
                .arg(root.join(&wasm_file)))?;
            let wasm = out.join(format!("{}_bg.wasm", entry.out_name));
            run(Command::new(bin.join("wasm-opt"))
                .args(["-Oz", "--enable-reference-types", "--enable-bulk-memory", "--enable-nontrapping-float-to-int"])
                .arg(&wasm)
                .arg("-o")
                .arg(&wasm))?;
            let (wasm_raw, wasm_gz) = sizes(&wasm)?;
            let (js_raw, js_gz) = sizes(&out.join(format!("{}.js", entry.out_name)))?;
            println!(
                "pkg/{}{target}: wasm {wasm_raw} B ({wasm_gz} B gzip) + JS glue {js_raw} B ({js_gz} B gzip) = {} B gzip",
                if entry.dir.is_empty() { String::new() } else { format!("{}/", entry.dir) },
                wasm_gz + js_gz
            );
        }
        check_declarations(root, entry, bless)?;
    }
    Ok(())
}

fn check_declarations(root: &Path, entry: &Entry, bless: bool) -> Result<(), String> {
    let generated_path = root.join("pkg").join(entry.dir).join("nodejs").join(format!("{}.d.ts", entry.out_name));
    let generated =
        std::fs::read_to_string(&generated_path).map_err(|e| format!("{}: {e}", generated_path.display()))?;
    let snapshot = entry.snapshot;
    let snapshot_path = root.join(snapshot);
    if bless {
        return std::fs::write(&snapshot_path, generated).map_err(|e| format!("{snapshot}: {e}"));
    }
    let committed = std::fs::read_to_string(&snapshot_path).unwrap_or_default();
    if committed != generated {
        return Err(format!(
            "the generated TypeScript declarations differ from {snapshot}; review the API change and run \
             `cargo xtask pkg --bless` to update the snapshot"
        ));
    }
    Ok(())
}
