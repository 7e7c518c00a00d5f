//! `cargo xtask bench`: prints how long `leasekit_sdl::build` takes per document, what signing
//! costs (leasekit-tx), and the npm package's sizes and speed in Node and Chromium.
//!
//! A printed figure rather than a timed test: timings on shared CI machines vary too much to
//! assert on, but a table makes a regression visible to whoever runs it.

use std::fmt::Write as _;
use std::hint::black_box;
use std::path::{Path, PathBuf};
use std::time::{Duration, Instant};

use crate::{root, take_option};

const WARM_UP: Duration = Duration::from_millis(50);
/// Fewer runs than this make the figure for the 1000-service document mostly noise.
const MIN_ITERATIONS: u64 = 10;
const GENERATED_SIZES: [usize; 3] = [10, 100, 1000];

struct Measurement {
    iterations: u64,
    micros_per_doc: f64,
}

pub(crate) fn task(args: &[String]) -> Result<(), String> {
    let mut args = args.to_vec();
    let millis = match take_option(&mut args, "--ms")? {
        Some(v) => v.parse::<u64>().map_err(|e| format!("--ms {v}: {e}"))?,
        None => 200,
    };
    if let Some(extra) = args.first() {
        return Err(format!("unexpected argument {extra}"));
    }
    let budget = Duration::from_millis(millis);

    let dir = conformance_dir();
    let inputs = conformance_inputs(&dir)?;
    println!("leasekit_sdl::build (parse + validate + manifest + groups + hash), {millis} ms per row");
    println!();
    println!("conformance inputs from {}", dir.display());
    println!("{:<28} {:>7} {:>10} {:>10}", "input", "bytes", "iters", "µs/doc");
    let mut total = 0.0;
    let mut count = 0_u32;
    for (name, source) in &inputs {
        if leasekit_sdl::build(source).output.is_none() {
            // Timing a document that stops at its first error would flatter the mean.
            println!("{name:<28} {:>7} {:>10} {:>10}", source.len(), "-", "invalid, skipped");
            continue;
        }
        let m = measure(source, budget);
        println!("{name:<28} {:>7} {:>10} {:>10.1}", source.len(), m.iterations, m.micros_per_doc);
        total += m.micros_per_doc;
        count += 1;
    }
    if count == 0 {
        return Err(format!("no valid conformance input under {}", dir.display()));
    }
    println!("{:<28} {:>7} {:>10} {:>10.1}", format!("mean of {count}"), "", "", total / f64::from(count));

    println!();
    println!("generated SDL: one placement, each service with its own compute profile and a global expose");
    println!("{:<28} {:>7} {:>10} {:>10} {:>12}", "services", "bytes", "iters", "µs/doc", "µs/service");
    for services in GENERATED_SIZES {
        let source = generated_sdl(services);
        let built = leasekit_sdl::build(&source);
        let Some(output) = built.output else {
            return Err(format!(
                "the generated SDL with {services} services is invalid: {:?}",
                built.diagnostics.errors().take(3).collect::<Vec<_>>()
            ));
        };
        let produced: usize = output.manifest.groups.iter().map(|g| g.services.len()).sum();
        if produced != services {
            return Err(format!("the generated SDL has {services} services but its manifest has {produced}"));
        }
        let m = measure(&source, budget);
        #[expect(clippy::cast_precision_loss, reason = "at most 1000 services")]
        let per_service = m.micros_per_doc / services as f64;
        println!(
            "{services:<28} {:>7} {:>10} {:>10.1} {per_service:>12.2}",
            source.len(),
            m.iterations,
            m.micros_per_doc
        );
    }
    orders(budget)?;
    javascript(millis)
}

/// The npm package: its size, Node against `@akashnetwork/chain-sdk`, and Chromium.
fn javascript(millis: u64) -> Result<(), String> {
    let root = root();
    println!();
    crate::tools::ensure_chromium()?;
    println!("npm package sizes (wasm-opt -Oz; goal: <= 90 KB gzip):");
    crate::pkg::build(&root, false)?;
    println!();
    for script in ["tests/bench/node.mjs", "tests/bench/orders.mjs", "tests/bench/browser.mjs"] {
        crate::run(
            std::process::Command::new("node")
                .arg(script)
                .env("LEASEKIT_BENCH_MS", millis.to_string())
                .current_dir(&root),
        )?;
        println!();
    }
    Ok(())
}

pub(crate) fn conformance_dir() -> PathBuf {
    std::env::var_os("LEASEKIT_CONFORMANCE").map_or_else(|| root().join("../shared/conformance"), PathBuf::from)
}

/// The valid inputs, `input/v2.0/*/input.yaml` and `input/v2.1/*/input.yaml`, in name order.
fn conformance_inputs(dir: &Path) -> Result<Vec<(String, String)>, String> {
    let mut inputs = Vec::new();
    for version in ["v2.0", "v2.1"] {
        let version_dir = dir.join("input").join(version);
        let entries =
            std::fs::read_dir(&version_dir).map_err(|e| format!("cannot read {}: {e}", version_dir.display()))?;
        let mut cases: Vec<PathBuf> = entries.filter_map(Result::ok).map(|e| e.path()).collect();
        cases.sort();
        for case in cases {
            let file = case.join("input.yaml");
            if !file.is_file() {
                continue;
            }
            let source = std::fs::read_to_string(&file).map_err(|e| format!("cannot read {}: {e}", file.display()))?;
            let name = case.file_name().map(|n| n.to_string_lossy().into_owned()).unwrap_or_default();
            inputs.push((format!("{version}/{name}"), source));
        }
    }
    Ok(inputs)
}

/// Runs `build` for `budget` after a warm-up (which fills caches and lets the CPU clock up).
fn measure(source: &str, budget: Duration) -> Measurement {
    measure_fn(budget, || {
        black_box(leasekit_sdl::build(black_box(source)));
    })
}

/// Runs `f` for `budget` after a warm-up; at least [`MIN_ITERATIONS`] times.
fn measure_fn(budget: Duration, mut f: impl FnMut()) -> Measurement {
    let warm_up = Instant::now();
    while warm_up.elapsed() < WARM_UP {
        f();
    }
    let start = Instant::now();
    let mut iterations = 0_u64;
    // Each call takes microseconds or more, so reading the clock after each costs well under 1%.
    while iterations < MIN_ITERATIONS || start.elapsed() < budget {
        f();
        iterations += 1;
    }
    let elapsed = start.elapsed();
    #[expect(clippy::cast_precision_loss, reason = "iteration counts are far below 2^52")]
    let micros_per_doc = elapsed.as_secs_f64() * 1e6 / iterations as f64;
    Measurement { iterations, micros_per_doc }
}

/// A benchmarked operation.
type Operation<'a> = Box<dyn FnMut() + 'a>;

/// chain.md §6.1's public test mnemonic (never funded).
const TEST_MNEMONIC: &str = "addict worth drip violin note olive final pelican perfect feel goat game horror brass fence deposit dutch improve setup stuff frost spirit smart alien";

/// Signing figures of leasekit-tx (goal: a transaction in <= 5 ms).
fn orders(budget: Duration) -> Result<(), String> {
    use leasekit_tx::{msgs, request, tx};
    println!();
    println!("leasekit_tx (native): µs per operation; the tx is one MsgCreateDeployment of a 10-service SDL");
    let signer = leasekit_tx::MnemonicSigner::from_mnemonic(TEST_MNEMONIC, 0).map_err(|e| e.message)?;
    let owner = leasekit_tx::Signer::address(&signer);
    let output = leasekit_sdl::build(&generated_sdl(10).replace("denom: uakt", "denom: uact"))
        .output
        .ok_or("the generated SDL does not build")?;
    let params = msgs::CreateDeployment {
        owner: &owner,
        dseq: 1_000_000,
        deposit: msgs::Deposit::from_balance(msgs::Coin { denom: "uact".into(), amount: 500_000 }),
        chain_version: None,
    };
    let message =
        leasekit_tx::proto::TypeUrl::to_any(&msgs::create_deployment(&output, &params).map_err(|e| e.message)?);
    let draft = tx::Draft {
        messages: vec![message],
        memo: String::new(),
        fee: tx::Fee {
            amount: vec![msgs::Coin { denom: "uakt".into(), amount: 5000 }],
            gas_limit: 200_000,
            payer: String::new(),
            granter: String::new(),
        },
        timeout_height: 0,
    };
    let request = format!(
        r#"{{"mnemonic":"{TEST_MNEMONIC}","chainId":"akashnet-2","accountNumber":1,"sequence":1,"messages":[{{"typeUrl":"{}","value":"{}"}}],"fee":{{"amount":["5000uakt"],"gasLimit":200000}}}}"#,
        draft.messages[0].type_url,
        leasekit_tx::encoding::base64_encode(&draft.messages[0].value)
    );
    if request::sign_tx(&request).is_err() {
        return Err("the benchmark's sign request fails".to_owned());
    }
    let rows: [(&str, Operation<'_>); 4] = [
        (
            "derive key from mnemonic",
            Box::new(|| {
                black_box(leasekit_tx::MnemonicSigner::from_mnemonic(black_box(TEST_MNEMONIC), 0).ok());
            }),
        ),
        (
            "sign tx, key held",
            Box::new(|| {
                black_box(tx::sign(black_box(&draft), "akashnet-2", 1, 1, &signer).ok());
            }),
        ),
        (
            "signTx request (derive + sign)",
            Box::new(|| {
                black_box(request::sign_tx(black_box(&request)).ok());
            }),
        ),
        (
            "provider JWT (ES256KADR36)",
            Box::new(|| {
                let claims =
                    leasekit_tx::jwt::Claims::starting_at(&owner, 1_800_000_000, 900, leasekit_tx::jwt::Leases::Full);
                black_box(leasekit_tx::jwt::create(leasekit_tx::jwt::Alg::Es256kAdr36, &claims, &signer).ok());
            }),
        ),
    ];
    println!("{:<34} {:>10} {:>10}", "operation", "iters", "µs/op");
    for (name, mut f) in rows {
        let m = measure_fn(budget, &mut f);
        println!("{name:<34} {:>10} {:>10.1}", m.iterations, m.micros_per_doc);
    }
    Ok(())
}

/// An SDL 2.0 document with `services` services, each with its own compute profile (so the
/// GroupSpec gets one resource unit per service) and a global HTTP expose, all in one placement.
fn generated_sdl(services: usize) -> String {
    let mut s = String::from("version: \"2.0\"\nservices:\n");
    for i in 0..services {
        let _ = write!(
            s,
            "  svc-{i}:\n    image: nginx:1.25.{i}\n    env:\n      - INDEX={i}\n    expose:\n      - port: 80\n        \
             as: 80\n        to:\n          - global: true\n"
        );
    }
    s.push_str("profiles:\n  compute:\n");
    for i in 0..services {
        let _ = write!(
            s,
            "    svc-{i}:\n      resources:\n        cpu:\n          units: 0.1\n        memory:\n          \
             size: 128Mi\n        storage:\n          size: 256Mi\n"
        );
    }
    s.push_str("  placement:\n    dc:\n      attributes:\n        region: us-west\n      pricing:\n");
    for i in 0..services {
        let _ = write!(s, "        svc-{i}:\n          denom: uakt\n          amount: 100\n");
    }
    s.push_str("deployment:\n");
    for i in 0..services {
        let _ = write!(s, "  svc-{i}:\n    dc:\n      profile: svc-{i}\n      count: 1\n");
    }
    s
}
