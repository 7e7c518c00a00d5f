//! The web app: `cargo xtask serve [--port N]`, and the build and browser tests that
//! `cargo xtask test` runs.
//!
//! The build is cargo (wasm32, the `wasm-release` size profile, feature `split`) →
//! `wasm_split_cli_support` (the deploy half into its own chunk) → `wasm-bindgen --target web
//! --keep-lld-exports` → npm binaryen's `wasm-opt -Oz` on the main module and the chunk (never
//! Debian's binaryen 108: it mishandles the externref table, and the page stays blank) →
//! `dist/` with the root `index.html` and `web/static/*`. No trunk or cargo-leptos: a handful of
//! steps do not need a many-minute install.

use std::io::{BufRead as _, BufReader, Write as _};
use std::net::{TcpListener, TcpStream};
use std::path::{Component, Path, PathBuf};
use std::process::Command;

use crate::tools::{ensure_npm_tools, ensure_wasm_bindgen, sizes};
use crate::{Steps, run, take_option};

const WASM_TARGET: &str = "wasm32-unknown-unknown";
/// The binary target of `web/` (see its Cargo.toml).
const APP_NAME: &str = "leasekit-app";
/// Where `index.html` expects the wasm-bindgen output, relative to `dist/`.
const ASSETS_DIR: &str = "assets";
/// The first-load budget: index.html, CSS, JS glue and Wasm, gzipped.
const FIRST_LOAD_BUDGET_GZIP: u64 = 400 * 1024;
const DEFAULT_PORT: u16 = 8080;

/// `cargo xtask serve [--port N] [--network mainnet|sandbox | --chain-rest URL --proxy URL]`:
/// builds `dist/`, starts the local devnet (`leasekit devnet`: chain, TLS providers, proxy; state
/// in `target/devnet`) — or, for `--network`, only a proxy of its own (`leasekit proxy
/// --network …`, which knows the network's chain REST) for a real network — writes the network
/// the app should use to `dist/config.json`, and serves `dist/` on 127.0.0.1 until killed.
pub(crate) fn serve(args: &[String]) -> Result<(), String> {
    let usage = "usage: cargo xtask serve [--port N] [--network mainnet|sandbox | --chain-rest URL --proxy URL]";
    let mut args = args.to_vec();
    let port = match take_option(&mut args, "--port")? {
        Some(port) => port.parse::<u16>().map_err(|_| format!("--port: not a port number: {port}"))?,
        None => DEFAULT_PORT,
    };
    let chain_rest = take_option(&mut args, "--chain-rest")?.or_else(|| std::env::var("LEASEKIT_CHAIN_REST").ok());
    let proxy = take_option(&mut args, "--proxy")?.or_else(|| std::env::var("LEASEKIT_PROXY").ok());
    let public = take_option(&mut args, "--network")?;
    if let Some(unexpected) = args.first() {
        return Err(format!("unexpected argument {unexpected}; {usage}"));
    }
    let root = crate::root();
    let steps = Steps::new();
    steps.begin("setup: wasm32 target");
    crate::test::setup()?;
    let dist = build_dist(&root, &steps)?;
    // The devnet runs as a child process so that its output and Ctrl+C behave as for
    // `leasekit devnet`; it dies with this process (same process group).
    let (network, _devnet) = match (chain_rest, proxy) {
        (None, None) if public.is_some() => {
            let name = public.clone().unwrap_or_default();
            steps.begin(&format!("proxy for {name} (leasekit proxy --network {name})"));
            let (network, child) = start_proxy(&root, &name, port)?;
            (network, Some(ChildGuard(child)))
        }
        _ if public.is_some() => return Err(format!("--network takes the network's own chain REST; {usage}")),
        (Some(chain_rest), Some(proxy)) => {
            (Network { name: "custom".into(), chain_rest, proxy, test_account: None }, None)
        }
        (None, None) => {
            steps.begin("devnet: chain, simulated providers over TLS, proxy (leasekit devnet)");
            let (network, child) = start_devnet(&root)?;
            (network, Some(ChildGuard(child)))
        }
        _ => return Err(format!("give both --chain-rest and --proxy (or neither, for the devnet); {usage}")),
    };
    let config = format!(
        "{{\"network\":\"{}\",\"chainRest\":\"{}\",\"proxy\":\"{}\"}}\n",
        network.name, network.chain_rest, network.proxy
    );
    if public.is_some() {
        println!("A REAL network: transactions spend real AKT and ACT. Connect Keplr or Leap with your own account.");
    }
    std::fs::write(dist.dir.join("config.json"), config).map_err(|e| format!("dist/config.json: {e}"))?;
    let listener =
        TcpListener::bind(("127.0.0.1", port)).map_err(|e| format!("cannot listen on 127.0.0.1:{port}: {e}"))?;
    let address = listener.local_addr().map_err(|e| e.to_string())?;
    steps.begin("serving");
    println!("Leasekit app:   http://{address}/   (Build → Deploy → Deployments)");
    println!("embed mode:     http://{address}/?embed=1   (the SDL editor alone)");
    println!(
        "network ({}):  chain REST {}  proxy {}  (dist/config.json)",
        network.name, network.chain_rest, network.proxy
    );
    if let Some(account) = &network.test_account {
        println!("wallet:         \"Connect Keplr\" / \"Connect Leap\" (the app suggests the devnet chain; import the");
        println!("                test mnemonic above into the extension), or \"Use a dev key\" and paste it;");
        println!("                test account {account} is funded with AKT and ACT");
    }
    println!("(serving {}; Ctrl+C stops)", dist.dir.display());
    let _ = std::io::stdout().flush();
    serve_dir(&listener, &dist.dir);
    Ok(())
}

/// Where the app's chain REST and proxy are.
struct Network {
    name: String,
    chain_rest: String,
    proxy: String,
    /// The devnet's funded account (its mnemonic is in the banner printed above).
    test_account: Option<String>,
}

/// Kills the devnet when `serve` returns.
struct ChildGuard(std::process::Child);

impl Drop for ChildGuard {
    fn drop(&mut self) {
        let _ = self.0.kill();
        let _ = self.0.wait();
    }
}

/// Builds the CLI, starts `leasekit devnet` with its state in `target/devnet`, echoes its
/// banner (endpoints, test account) and reads the endpoints from it.
fn start_devnet(root: &Path) -> Result<(Network, std::process::Child), String> {
    run(Command::new("cargo").args(["build", "--quiet", "-p", "leasekit-cli"]).current_dir(root))?;
    let mut child = Command::new(root.join("target/debug/leasekit"))
        .args(["devnet", "--data-dir"])
        .arg(root.join("target/devnet"))
        .stdout(std::process::Stdio::piped())
        .spawn()
        .map_err(|e| format!("cannot start leasekit devnet: {e}"))?;
    let stdout = child.stdout.take().ok_or("leasekit devnet has no stdout")?;
    let mut network =
        Network { name: "devnet".into(), chain_rest: String::new(), proxy: String::new(), test_account: None };
    for line in BufReader::new(stdout).lines() {
        let line = line.map_err(|e| format!("leasekit devnet: {e}"))?;
        println!("{line}");
        let value = || line.split_whitespace().last().unwrap_or_default().to_owned();
        if line.trim_start().starts_with("chain REST") {
            network.chain_rest = value();
        } else if line.trim_start().starts_with("proxy") {
            network.proxy = value();
        } else if let Some(rest) = line.trim_start().strip_prefix("test account") {
            network.test_account = rest.split_whitespace().next().map(str::to_owned);
        } else if line.starts_with("Ctrl-C stops") {
            return Ok((network, child));
        }
    }
    let _ = child.kill();
    Err("leasekit devnet stopped before it was ready (is port 1317 or 8787 in use?)".to_owned())
}

/// Builds the CLI and starts `leasekit proxy --network NAME` for the app served on `port`
/// (its only allowed origins); reads the chain REST and the proxy's address from its banner.
fn start_proxy(root: &Path, name: &str, port: u16) -> Result<(Network, std::process::Child), String> {
    run(Command::new("cargo").args(["build", "--quiet", "-p", "leasekit-cli"]).current_dir(root))?;
    let mut child = Command::new(root.join("target/debug/leasekit"))
        .args(["proxy", "--network", name, "--listen", "127.0.0.1:8787"])
        .args(["--origin", &format!("http://127.0.0.1:{port}"), "--origin", &format!("http://localhost:{port}")])
        .stdout(std::process::Stdio::piped())
        .spawn()
        .map_err(|e| format!("cannot start leasekit proxy: {e}"))?;
    let stdout = child.stdout.take().ok_or("leasekit proxy has no stdout")?;
    for line in BufReader::new(stdout).lines() {
        let line = line.map_err(|e| format!("leasekit proxy: {e}"))?;
        println!("{line}");
        // `leasekit proxy: http://ADDR → providers of CHAIN_REST`
        let mut words = line.split_whitespace();
        if let (Some("leasekit"), Some("proxy:"), Some(proxy)) = (words.next(), words.next(), words.next()) {
            let chain_rest = words.last().unwrap_or_default().to_owned();
            let network = Network { name: name.to_owned(), chain_rest, proxy: proxy.to_owned(), test_account: None };
            return Ok((network, child));
        }
    }
    let _ = child.kill();
    Err(format!("leasekit proxy --network {name} stopped before it was ready (is port 8787 in use?)"))
}

/// A built `dist/`.
pub(crate) struct Dist {
    pub(crate) dir: PathBuf,
    /// What a first visit downloads: (path relative to `dist/`, raw bytes, gzip bytes).
    pub(crate) first_load: Vec<(String, u64, u64)>,
    /// What the running app fetches when Deploy or Deployments first opens: the deploy half's
    /// chunks.
    pub(crate) deploy_half: Vec<(String, u64, u64)>,
}

impl Dist {
    fn first_load_gzip(&self) -> u64 {
        self.first_load.iter().map(|(_, _, gzip)| gzip).sum()
    }
}

/// The name wasm-bindgen gives the app's glue and main module (`assets/app.js`,
/// `assets/app_bg.wasm`); index.html imports it from exactly this URL, and the split loader
/// reuses that one instance.
const BUNDLE: &str = "app";
/// The module the split main module imports the chunk loader from, next to the glue.
const SPLIT_LOADER: &str = "__wasm_split.js";

/// Builds the web app into `dist/` and prints the first-load size.
///
/// One module, split: cargo builds the app with the `split` feature (web/build.rs adds
/// `--emit-relocs`), `wasm_split_cli_support` cuts the deploy half (web/src/half.rs) out into
/// chunks and writes their loader, then wasm-bindgen (which must keep the linker's exports the
/// chunks import) writes the glue, and wasm-opt shrinks the main module and each chunk.
pub(crate) fn build_dist(root: &Path, steps: &Steps) -> Result<Dist, String> {
    steps.begin("web: wasm-bindgen-cli (Cargo.lock version), npm tools");
    ensure_wasm_bindgen(root)?;
    let npm_bin = ensure_npm_tools(root)?;

    let dist = root.join("dist");
    if dist.exists() {
        std::fs::remove_dir_all(&dist).map_err(|e| format!("cannot remove {}: {e}", dist.display()))?;
    }
    let assets = dist.join(ASSETS_DIR);
    std::fs::create_dir_all(&assets).map_err(|e| format!("{}: {e}", assets.display()))?;
    steps.begin("web: cargo build -p leasekit-web --features split (wasm32, wasm-release)");
    run(Command::new("cargo")
        .args(["build", "-p", "leasekit-web", "--bin", APP_NAME, "--target", WASM_TARGET])
        .args(["--profile", "wasm-release", "--locked", "--features", "split"])
        .current_dir(root))?;
    steps.begin(&format!("web: wasm-split, wasm-bindgen, wasm-opt -Oz → dist/{ASSETS_DIR}/"));
    let wasm_in = target_dir(root).join(WASM_TARGET).join("wasm-release").join(format!("{APP_NAME}.wasm"));
    let input = std::fs::read(&wasm_in).map_err(|e| format!("{}: {e}", wasm_in.display()))?;
    let split_main = target_dir(root).join(WASM_TARGET).join("wasm-release").join(format!("{APP_NAME}-split.wasm"));
    let main_module = format!("./{BUNDLE}.js");
    let link_name = format!("./{SPLIT_LOADER}");
    let mut options = wasm_split_cli_support::Options::new(&input);
    options.output_dir = &assets;
    options.main_out_path = &split_main;
    options.main_module = &main_module;
    options.link_name = &link_name;
    let split = wasm_split_cli_support::transform(options).map_err(|e| format!("wasm-split: {e:#}"))?;
    if split.split_modules.is_empty() {
        return Err("wasm-split found no split point: is web/src/half.rs's `start` still a wasm_split function?".into());
    }
    run(Command::new("wasm-bindgen")
        .args(["--target", "web", "--no-typescript", "--keep-lld-exports", "--out-name", BUNDLE, "--out-dir"])
        .arg(&assets)
        .arg(&split_main))?;
    let main_wasm = assets.join(format!("{BUNDLE}_bg.wasm"));
    let chunks: Vec<PathBuf> =
        split.split_modules.iter().map(|chunk| assets.join(chunk.file_name().unwrap_or(chunk.as_os_str()))).collect();
    for wasm in std::iter::once(&main_wasm).chain(&chunks) {
        // The features wasm-bindgen's output uses (rustc enables them by default for wasm32).
        run(Command::new(npm_bin.join("wasm-opt"))
            .args(["-Oz", "--enable-reference-types", "--enable-bulk-memory", "--enable-nontrapping-float-to-int"])
            .arg(wasm)
            .arg("-o")
            .arg(wasm))?;
    }
    copy_file(&root.join("index.html"), &dist.join("index.html"))?;
    let static_dir = root.join("web/static");
    let mut static_files = Vec::new();
    for entry in std::fs::read_dir(&static_dir).map_err(|e| format!("{}: {e}", static_dir.display()))? {
        let path = entry.map_err(|e| e.to_string())?.path();
        if path.is_file() {
            let name = path.file_name().map(|n| n.to_string_lossy().into_owned()).unwrap_or_default();
            copy_file(&path, &dist.join(&name))?;
            static_files.push(name);
        }
    }
    static_files.sort();

    let measure = |names: Vec<String>| -> Result<Vec<(String, u64, u64)>, String> {
        names
            .into_iter()
            .map(|name| {
                let (raw, gzip) = sizes(&dist.join(&name))?;
                Ok((name, raw, gzip))
            })
            .collect()
    };
    let relative = |path: &Path| path.strip_prefix(&dist).unwrap_or(path).to_string_lossy().into_owned();
    // Inline JS snippets (the wallet bridge) are imported by the glue, so they load with it.
    let first_load: Vec<String> = std::iter::once("index.html".to_owned())
        .chain(static_files)
        .chain([format!("{ASSETS_DIR}/{BUNDLE}.js"), relative(&main_wasm), format!("{ASSETS_DIR}/{SPLIT_LOADER}")])
        .chain(snippet_files(&dist)?)
        .collect();
    let built = Dist {
        dir: dist.clone(),
        first_load: measure(first_load)?,
        deploy_half: measure(chunks.iter().map(|chunk| relative(chunk)).collect())?,
    };
    print_sizes(&built);
    Ok(built)
}

/// The files under `dist/assets/snippets`, relative to `dist/`.
fn snippet_files(dist: &Path) -> Result<Vec<String>, String> {
    let mut found = Vec::new();
    let mut pending = vec![dist.join(ASSETS_DIR).join("snippets")];
    while let Some(dir) = pending.pop() {
        let Ok(entries) = std::fs::read_dir(&dir) else { continue };
        for entry in entries {
            let path = entry.map_err(|e| e.to_string())?.path();
            if path.is_dir() {
                pending.push(path);
            } else if let Ok(relative) = path.strip_prefix(dist) {
                found.push(relative.to_string_lossy().into_owned());
            }
        }
    }
    found.sort();
    Ok(found)
}

fn print_table(title: &str, files: &[(String, u64, u64)]) -> u64 {
    println!("{title}");
    println!("  {:<44} {:>10} {:>10}", "file", "bytes", "gzip -9");
    for (name, raw, gzip) in files {
        println!("  {name:<44} {raw:>10} {gzip:>10}");
    }
    let raw: u64 = files.iter().map(|(_, raw, _)| raw).sum();
    let gzip: u64 = files.iter().map(|(_, _, gzip)| gzip).sum();
    print!("  {:<44} {raw:>10} {gzip:>10}   ({:.1} KiB gzip", "total", gzip as f64 / 1024.0);
    gzip
}

fn print_sizes(dist: &Dist) {
    print_table("first load of the web app (dist/: the Build view, also ?embed=1):", &dist.first_load);
    println!(" of the {} KiB budget)", FIRST_LOAD_BUDGET_GZIP / 1024);
    print_table("the deploy half (fetched by the running app when Deploy or Deployments opens):", &dist.deploy_half);
    println!(")");
}

/// The browser tiers of the web app: its component tests (`web/tests/components.rs`), then
/// `dist/` and the Playwright tests in `tests/e2e/`, all in Debian's Chromium. The Playwright
/// tests serve `dist/` themselves, on a free port.
pub(crate) fn browser_e2e(root: &Path, steps: &Steps) -> Result<(), String> {
    steps.begin("web: Chromium (Debian), npm tools");
    crate::tools::ensure_chromium()?;
    ensure_npm_tools(root)?;
    steps.begin("web: component tests (web/tests/*.rs: wasm-bindgen-test, headless Chromium)");
    // Every file in web/tests (components, builder, …), not the lib's unit tests, which run natively.
    let mut tests = Vec::new();
    for name in files_ending(&root.join("web/tests"), ".rs")? {
        tests.push("--test".to_owned());
        tests.push(name.trim_end_matches(".rs").to_owned());
    }
    run(Command::new("cargo")
        .args(["test", "-p", "leasekit-web", "--target", WASM_TARGET, "--locked"])
        .args(&tests)
        .env("CHROMEDRIVER", "/usr/bin/chromedriver")
        .current_dir(root))?;
    let dist = build_dist(root, steps)?;
    check_budget(&dist)?;
    // `cargo test --workspace` (the native tier, run before this) already built the CLI into
    // target/debug/leasekit; the same command with `--no-run` is then a no-op, whereas
    // `cargo build -p leasekit-cli` resolves features without the other members and their
    // dev-dependencies, and may rebuild shared dependencies.
    steps.begin("web: the leasekit CLI (debug) for the devnet-backed end-to-end tests");
    run(Command::new("cargo").args(["test", "--workspace", "--no-run", "--locked", "--quiet"]).current_dir(root))?;
    playwright(root, steps, &dist)
}

/// `cargo xtask e2e`: `dist/`, the CLI and the Playwright tests only (no component tests), for
/// working on the app or the end-to-end tests.
pub(crate) fn e2e(args: &[String]) -> Result<(), String> {
    let (root, steps, dist) = checked_dist("e2e", args)?;
    crate::tools::ensure_chromium()?;
    steps.begin("the leasekit CLI (debug)");
    run(Command::new("cargo").args(["build", "--quiet", "-p", "leasekit-cli", "--locked"]).current_dir(&root))?;
    playwright(&root, &steps, &dist)?;
    steps.begin("end-to-end tests passed");
    Ok(())
}

/// `cargo xtask dist`: builds `dist/` (without `config.json`: the app then starts on its
/// default network) and prints its first-load size.
pub(crate) fn dist(args: &[String]) -> Result<(), String> {
    checked_dist("dist", args).map(|_| ())
}

/// Builds `dist/` for the argument-less `task` and checks its size budget.
fn checked_dist(task: &str, args: &[String]) -> Result<(PathBuf, Steps, Dist), String> {
    if let Some(unexpected) = args.first() {
        return Err(format!("unexpected argument {unexpected}; usage: cargo xtask {task}"));
    }
    let root = crate::root();
    let steps = Steps::new();
    steps.begin("setup: wasm32 target");
    crate::test::setup()?;
    let dist = build_dist(&root, &steps)?;
    check_budget(&dist)?;
    Ok((root, steps, dist))
}

fn check_budget(dist: &Dist) -> Result<(), String> {
    if dist.first_load_gzip() > FIRST_LOAD_BUDGET_GZIP {
        return Err(format!(
            "the web app's first load is {} bytes gzipped, over the {FIRST_LOAD_BUDGET_GZIP}-byte budget",
            dist.first_load_gzip()
        ));
    }
    Ok(())
}

/// The Playwright tests: first those that need only `dist/` (and the harness checks), then the
/// devnet-backed deploy tests (`deploy*.test.mjs`: each starts its own `leasekit devnet` from
/// `target/debug/leasekit`, on free ports), which take minutes.
fn playwright(root: &Path, steps: &Steps, dist: &Dist) -> Result<(), String> {
    let files = files_ending(&root.join("tests/e2e"), ".test.mjs")?;
    let (deploy, quick): (Vec<String>, Vec<String>) = files.into_iter().partition(|name| name.starts_with("deploy"));
    let cli = target_dir(root).join("debug/leasekit");
    for (name, group) in [
        ("web: Playwright (headless Chromium): the playground, the test harness", quick),
        ("web: Playwright against a local devnet: deploy with Keplr, a dev key, a reload mid-deploy", deploy),
    ] {
        if group.is_empty() {
            continue;
        }
        steps.begin(name);
        run(Command::new("node")
            .arg("--test")
            .args(group.iter().map(|file| format!("tests/e2e/{file}")))
            .env("LEASEKIT_DIST", &dist.dir)
            .env("LEASEKIT_CLI", &cli)
            .current_dir(root))?;
    }
    Ok(())
}

/// The names of the files (not directories) in `dir` ending with `suffix`, sorted.
fn files_ending(dir: &Path, suffix: &str) -> Result<Vec<String>, String> {
    let mut files: Vec<String> = std::fs::read_dir(dir)
        .map_err(|e| format!("{}: {e}", dir.display()))?
        .filter_map(Result::ok)
        .filter(|entry| entry.file_type().is_ok_and(|t| t.is_file()))
        .filter_map(|entry| entry.file_name().into_string().ok())
        .filter(|name| name.ends_with(suffix))
        .collect();
    files.sort();
    Ok(files)
}

fn target_dir(root: &Path) -> PathBuf {
    std::env::var_os("CARGO_TARGET_DIR").map_or_else(|| root.join("target"), PathBuf::from)
}

fn copy_file(from: &Path, to: &Path) -> Result<(), String> {
    std::fs::copy(from, to).map(|_| ()).map_err(|e| format!("cannot copy {} to {}: {e}", from.display(), to.display()))
}

/// Serves files under `dir` forever, one thread per connection. Enough for local use: GET and
/// HEAD, no ranges, no caching (every reload sees a fresh build).
fn serve_dir(listener: &TcpListener, dir: &Path) {
    for stream in listener.incoming().flatten() {
        let dir = dir.to_path_buf();
        std::thread::spawn(move || {
            if let Err(e) = respond(stream, &dir) {
                eprintln!("serve: {e}");
            }
        });
    }
}

fn respond(mut stream: TcpStream, dir: &Path) -> std::io::Result<()> {
    let mut reader = BufReader::new(stream.try_clone()?);
    let mut request_line = String::new();
    reader.read_line(&mut request_line)?;
    // The headers are not needed, but must be read before replying or some clients see a reset.
    let mut header = String::new();
    while reader.read_line(&mut header)? > 2 {
        header.clear();
    }
    let mut parts = request_line.split_whitespace();
    let (method, target) = (parts.next().unwrap_or_default(), parts.next().unwrap_or_default());
    let head_only = method == "HEAD";
    if method != "GET" && !head_only {
        return reply(&mut stream, "405 Method Not Allowed", "text/plain; charset=utf-8", b"GET or HEAD only\n", false);
    }
    match resolve(dir, target).and_then(|path| std::fs::read(&path).ok().map(|body| (path, body))) {
        Some((path, body)) => reply(&mut stream, "200 OK", content_type(&path), &body, head_only),
        None => reply(&mut stream, "404 Not Found", "text/plain; charset=utf-8", b"not found\n", head_only),
    }
}

fn reply(
    stream: &mut TcpStream,
    status: &str,
    content_type: &str,
    body: &[u8],
    head_only: bool,
) -> std::io::Result<()> {
    write!(
        stream,
        "HTTP/1.1 {status}\r\nContent-Type: {content_type}\r\nContent-Length: {}\r\nCache-Control: no-cache\r\n\
         X-Content-Type-Options: nosniff\r\nConnection: close\r\n\r\n",
        body.len()
    )?;
    if !head_only {
        stream.write_all(body)?;
    }
    stream.flush()
}

/// The file a request target names under `dir`: the query is dropped, `%XX` decoded, a
/// directory means its `index.html`, and anything that could leave `dir` is refused.
fn resolve(dir: &Path, target: &str) -> Option<PathBuf> {
    let path = target.split(['?', '#']).next()?;
    let path = percent_decode(path)?;
    let relative = Path::new(path.trim_start_matches('/'));
    if !relative.components().all(|c| matches!(c, Component::Normal(_))) {
        return None;
    }
    let mut file = dir.join(relative);
    if file.is_dir() {
        file.push("index.html");
    }
    file.is_file().then_some(file)
}

fn percent_decode(text: &str) -> Option<String> {
    let bytes = text.as_bytes();
    let mut decoded = Vec::with_capacity(bytes.len());
    let mut i = 0;
    while i < bytes.len() {
        if bytes[i] == b'%' {
            let hex = std::str::from_utf8(bytes.get(i + 1..i + 3)?).ok()?;
            decoded.push(u8::from_str_radix(hex, 16).ok()?);
            i += 3;
        } else {
            decoded.push(bytes[i]);
            i += 1;
        }
    }
    String::from_utf8(decoded).ok()
}

fn content_type(path: &Path) -> &'static str {
    match path.extension().and_then(|e| e.to_str()).unwrap_or_default() {
        "html" => "text/html; charset=utf-8",
        "css" => "text/css; charset=utf-8",
        "js" | "mjs" => "text/javascript; charset=utf-8",
        // `WebAssembly.instantiateStreaming` refuses any other type.
        "wasm" => "application/wasm",
        "json" => "application/json",
        "svg" => "image/svg+xml",
        "png" => "image/png",
        "ico" => "image/x-icon",
        "txt" | "yaml" | "yml" => "text/plain; charset=utf-8",
        _ => "application/octet-stream",
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn content_types() {
        assert_eq!(content_type(Path::new("assets/playground_bg.wasm")), "application/wasm");
        assert_eq!(content_type(Path::new("assets/app.js")), "text/javascript; charset=utf-8");
        assert_eq!(content_type(Path::new("index.html")), "text/html; charset=utf-8");
        assert_eq!(content_type(Path::new("playground.css")), "text/css; charset=utf-8");
        assert_eq!(content_type(Path::new("LICENSE")), "application/octet-stream");
    }

    #[test]
    fn test_files_are_found_by_suffix_in_order() {
        let dir = std::env::temp_dir().join(format!("xtask-files-{}", std::process::id()));
        std::fs::create_dir_all(dir.join("nested.test.mjs")).expect("temp dir");
        for name in ["playground.test.mjs", "deploy.test.mjs", "devnet.mjs", "harness.test.mjs.orig"] {
            std::fs::write(dir.join(name), "").expect("file");
        }
        let found = files_ending(&dir, ".test.mjs").expect("listing");
        assert_eq!(found, ["deploy.test.mjs", "playground.test.mjs"]);
        std::fs::remove_dir_all(&dir).expect("cleanup");
    }

    #[test]
    fn resolves_inside_the_directory_only() {
        let dir = std::env::temp_dir().join(format!("xtask-serve-{}", std::process::id()));
        std::fs::create_dir_all(dir.join("assets")).expect("temp dir");
        std::fs::write(dir.join("index.html"), "<!doctype html>").expect("index.html");
        std::fs::write(dir.join("assets/a b.js"), "").expect("a b.js");

        assert_eq!(resolve(&dir, "/"), Some(dir.join("index.html")));
        assert_eq!(resolve(&dir, "/?embed=1"), Some(dir.join("index.html")));
        assert_eq!(resolve(&dir, "/index.html#sdl=x"), Some(dir.join("index.html")));
        assert_eq!(resolve(&dir, "/assets/a%20b.js"), Some(dir.join("assets/a b.js")));
        assert_eq!(resolve(&dir, "/missing.js"), None);
        assert_eq!(resolve(&dir, "/../etc/passwd"), None);
        assert_eq!(resolve(&dir, "/assets/%2e%2e/%2e%2e/etc/passwd"), None);
        assert_eq!(resolve(&dir, "/%zz"), None);
        std::fs::remove_dir_all(&dir).expect("cleanup");
    }
}
