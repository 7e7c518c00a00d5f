//! `cargo xtask test`: the whole test suite, cheapest and most likely to fail first.

use std::io::ErrorKind;
use std::process::Command;

use crate::{Steps, root, run};

/// One command of the suite. A new tier (wasm-bindgen tests, Node tests, browser tests) is a
/// new entry in [`TIERS`]; a tier that needs a tool installed first adds it to [`setup`].
struct Tier {
    name: &'static str,
    program: &'static str,
    args: &'static [&'static str],
}

const WASM_TARGET: &str = "wasm32-unknown-unknown";

const TIERS: &[Tier] = &[
    Tier { name: "format", program: "cargo", args: &["fmt", "--all", "--check"] },
    Tier {
        name: "clippy (native, all targets)",
        program: "cargo",
        args: &["clippy", "--workspace", "--all-targets", "--locked", "--", "-D", "warnings"],
    },
    // The core crate must stay pure enough for the browser: linting and building it for Wasm
    // catches a dependency or a std API (files, threads, clocks) that does not work there.
    Tier {
        name: "clippy (wasm32: the core crates, the bindings, the web app)",
        program: "cargo",
        args: &[
            "clippy",
            "-p",
            "leasekit-sdl",
            "-p",
            "leasekit-ipalloc",
            "-p",
            "leasekit-tx",
            "-p",
            "leasekit-sdl-edit",
            "-p",
            "leasekit-wasm",
            "-p",
            "leasekit-wasm-orders",
            "-p",
            "leasekit-web",
            "--all-targets",
            "--target",
            WASM_TARGET,
            "--locked",
            "--",
            "-D",
            "warnings",
        ],
    },
    // The browser transport of leasekit-client (gloo-net) only builds for wasm32.
    Tier {
        name: "clippy (wasm32: leasekit-client with its browser transport)",
        program: "cargo",
        args: &[
            "clippy",
            "-p",
            "leasekit-client",
            "--features",
            "browser",
            "--target",
            WASM_TARGET,
            "--locked",
            "--",
            "-D",
            "warnings",
        ],
    },
    // The deploy flow runs in the web app; its tests drive a native devnet, so only the library.
    Tier {
        name: "clippy (wasm32: leasekit-deploy)",
        program: "cargo",
        args: &["clippy", "-p", "leasekit-deploy", "--target", WASM_TARGET, "--locked", "--", "-D", "warnings"],
    },
    // The app as `cargo xtask dist` builds it: with its split point (web/src/half.rs).
    Tier {
        name: "clippy (wasm32: the web app with its wasm-split point)",
        program: "cargo",
        args: &[
            "clippy",
            "-p",
            "leasekit-web",
            "--features",
            "split",
            "--lib",
            "--bins",
            "--target",
            WASM_TARGET,
            "--locked",
            "--",
            "-D",
            "warnings",
        ],
    },
    Tier {
        name: "build (wasm32: the pure core crates)",
        program: "cargo",
        args: &[
            "build",
            "-p",
            "leasekit-sdl",
            "-p",
            "leasekit-ipalloc",
            "-p",
            "leasekit-tx",
            "--target",
            WASM_TARGET,
            "--locked",
        ],
    },
    Tier { name: "tests (native)", program: "cargo", args: &["test", "--workspace", "--locked"] },
    // `planIps`/`simulate` (feature `ip`, which the published package enables) must match
    // their declared types; `--workspace` builds the bindings without it.
    Tier {
        name: "clippy (leasekit-wasm, feature ip)",
        program: "cargo",
        args: &[
            "clippy",
            "-p",
            "leasekit-wasm",
            "--features",
            "ip",
            "--all-targets",
            "--locked",
            "--",
            "-D",
            "warnings",
        ],
    },
    Tier {
        name: "tests (leasekit-wasm, feature ip)",
        program: "cargo",
        args: &["test", "-p", "leasekit-wasm", "--features", "ip", "--locked"],
    },
];

pub(crate) fn task() -> Result<(), String> {
    let steps = Steps::new();
    let root = root();
    steps.begin("setup: wasm32 target, rustfmt, clippy, wasm-bindgen-cli, npm tools, chromium");
    setup()?;
    crate::tools::ensure_wasm_bindgen(&root)?;
    crate::tools::ensure_npm_tools(&root)?;
    crate::tools::ensure_chromium()?;
    for tier in TIERS {
        steps.begin(tier.name);
        // The environment is inherited on purpose: tests read `CI` and `LEASEKIT_CONFORMANCE`.
        run(Command::new(tier.program).args(tier.args).current_dir(&root))?;
    }
    steps.begin("npm package: build pkg/, compare its TypeScript declarations with the snapshot");
    crate::pkg::build(&root, false)?;
    steps.begin("wasm tests (headless Chromium)");
    run(Command::new("cargo")
        .args(["test", "-p", "leasekit-wasm", "-p", "leasekit-wasm-orders", "--target", WASM_TARGET, "--locked"])
        .env("CHROMEDRIVER", "/usr/bin/chromedriver")
        .current_dir(&root))?;
    steps.begin("Node tests (tests/node: the package against the CLI, the Go fixtures, chain-sdk)");
    run(Command::new("node").args(["--test", "tests/node/"]).current_dir(&root))?;
    crate::web::browser_e2e(&root, &steps)?;
    steps.begin("all tests passed");
    Ok(())
}

/// Installs what a fresh machine lacks. Each command is a no-op taking well under a second when
/// the component is already there, so it runs every time rather than guessing from files.
pub(crate) fn setup() -> Result<(), String> {
    let commands: [&[&str]; 2] = [&["target", "add", WASM_TARGET], &["component", "add", "rustfmt", "clippy"]];
    for args in commands {
        let mut cmd = Command::new("rustup");
        cmd.args(args);
        match cmd.status() {
            Ok(status) if status.success() => {}
            Ok(status) => return Err(format!("`rustup {}` failed ({status})", args.join(" "))),
            // A toolchain from a distribution package has no rustup; if it lacks a component,
            // the tier that needs it fails with a clearer message than we could give here.
            Err(e) if e.kind() == ErrorKind::NotFound => {
                eprintln!("rustup not found; assuming the toolchain already has `{}`", args[2..].join(" "));
            }
            Err(e) => return Err(format!("cannot start rustup: {e}")),
        }
    }
    Ok(())
}
