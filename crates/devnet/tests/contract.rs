//! The devnet's chain REST answers in the shapes of the recorded mainnet answers (Akash 2.1.0,
//! cosmos-sdk 0.53; `LEASEKIT_REAL_API`, see leasekit-test-support): for every recorded chain
//! endpoint, the same request to the devnet gives the same keys, the same string-vs-number
//! encodings and the same nulls. Values differ (another chain, other accounts); shapes must not,
//! or a client tested only on the devnet would meet surprises on mainnet.

mod common;
#[path = "common/rest.rs"]
mod rest;

use std::time::Duration;

use base64::Engine as _;
use leasekit_devnet::node::{self, Config};
use leasekit_test_support::{Allow, real_api, shape_diff};
use leasekit_tx::msgs;
use leasekit_tx::proto::TypeUrl;
use leasekit_tx::{MnemonicSigner, Signer as _};
use rest::{get, post, wait_for};
use serde_json::{Value, json};

fn b64(bytes: &[u8]) -> String {
    base64::engine::general_purpose::STANDARD.encode(bytes)
}

#[test]
fn chain_rest_answers_in_the_recorded_shapes() {
    let Some(suite) = real_api() else { return };
    let dir = tempfile::tempdir().expect("temp dir");
    let rt = tokio::runtime::Runtime::new().expect("runtime");
    let mut config = Config::new(dir.path());
    config.listen = "127.0.0.1:0".parse().expect("addr");
    config.block_time = Duration::from_millis(100);
    let handle = rt.block_on(node::start(config)).expect("start");
    let base = handle.rest_url();
    let signer = MnemonicSigner::from_mnemonic(&handle.mnemonic, 0).expect("test mnemonic");
    let owner = signer.address();
    let chain_id = handle.chain_id.clone();

    // A deployment, its bids and a lease, so every list has an entry to compare.
    // The funded test account has not signed yet: the recording's `pub_key: null`.
    let (_, info) = get(&base, &format!("/cosmos/auth/v1beta1/account_info/{owner}"));
    assert_eq!(info["info"]["pub_key"], Value::Null, "{info}");
    let number: u64 = info["info"]["account_number"].as_str().expect("number").parse().expect("u64");
    let sequence: u64 = info["info"]["sequence"].as_str().expect("sequence").parse().expect("u64");
    let dseq = 1_000_000;
    let create =
        common::sign(&signer, &chain_id, number, sequence, vec![common::create_deployment(&owner, dseq).to_any()]);
    let (status, simulated) = post(&base, "/cosmos/tx/v1beta1/simulate", &json!({"tx_bytes": b64(&create.tx_bytes)}));
    assert_eq!(status, 200, "{simulated}");
    let (status, broadcast) = post(
        &base,
        "/cosmos/tx/v1beta1/txs",
        &json!({"tx_bytes": b64(&create.tx_bytes), "mode": "BROADCAST_MODE_SYNC"}),
    );
    assert_eq!((status, &broadcast["tx_response"]["code"]), (200, &json!(0)), "{broadcast}");
    let tx = wait_for(&base, &format!("/cosmos/tx/v1beta1/txs/{}", create.tx_hash), |s, _| s == 200);
    let bids_path =
        format!("/akash/market/v1beta5/bids/list?filters.owner={owner}&filters.dseq={dseq}&filters.state=open");
    let bids = wait_for(&base, &bids_path, |_, v| v["bids"].as_array().is_some_and(|b| !b.is_empty()));
    let provider = bids["bids"][0]["bid"]["id"]["provider"].as_str().expect("provider").to_owned();
    let lease = msgs::create_lease(&common::bid_id(&owner, dseq, &provider)).expect("lease");
    let lease_tx = common::sign(&signer, &chain_id, number, sequence + 1, vec![lease.to_any()]);
    let (status, _) = post(
        &base,
        "/cosmos/tx/v1beta1/txs",
        &json!({"tx_bytes": b64(&lease_tx.tx_bytes), "mode": "BROADCAST_MODE_SYNC"}),
    );
    assert_eq!(status, 200);
    let leases_path = format!("/akash/market/v1beta5/leases/list?filters.owner={owner}&filters.dseq={dseq}");
    let leases = wait_for(&base, &leases_path, |_, v| v["leases"].as_array().is_some_and(|l| !l.is_empty()));
    wait_for(&base, &format!("/cosmos/auth/v1beta1/account_info/{owner}"), |_, v| v["info"]["sequence"] == "2");

    // The last page's `next_key` is null (the recordings are first pages of longer lists).
    let strict = Allow { nullable: &["$.pagination.next_key"], ..Allow::default() };
    // A tx's messages and its events differ by message type; their envelope must not. An
    // ordered tx (ours) has no timeout timestamp.
    let tx_allow = Allow {
        opaque: &["$.tx.body.messages", "$.tx_response.tx.body.messages", "$.tx_response.events", "$.tx_response.logs"],
        nullable: &["$.tx.body.timeout_timestamp", "$.tx_response.tx.body.timeout_timestamp"],
        ..strict
    };
    // Published abridged: the keys it shows must be there, more may be.
    let abridged = Allow { extra_keys: true, ..strict };
    let cases: Vec<(&str, Value, Allow<'_>)> = vec![
        ("account-info-no-pubkey.json", info, strict),
        ("node-info.json", get(&base, "/cosmos/base/tendermint/v1beta1/node_info").1, strict),
        ("blocks-latest.json", get(&base, "/cosmos/base/tendermint/v1beta1/blocks/latest").1, strict),
        ("bank-balances.json", get(&base, &format!("/cosmos/bank/v1beta1/balances/{owner}")).1, strict),
        ("simulate.json", simulated, abridged),
        ("broadcast-tx.json", broadcast, abridged),
        ("tx-by-hash.json", tx, tx_allow),
        (
            "deployments-info.json",
            get(&base, &format!("/akash/deployment/v1beta4/deployments/info?id.owner={owner}&id.dseq={dseq}")).1,
            strict,
        ),
        (
            "deployments-list.json",
            get(&base, &format!("/akash/deployment/v1beta4/deployments/list?filters.owner={owner}")).1,
            strict,
        ),
        // An account without deployments: the same envelope, an empty list.
        (
            "deployments-list.json",
            get(
                &base,
                &format!("/akash/deployment/v1beta4/deployments/list?filters.owner={}", common::tenant().1.address()),
            )
            .1,
            strict,
        ),
        ("bids-list.json", get(&base, &format!("/akash/market/v1beta5/bids/list?filters.owner={owner}")).1, strict),
        ("leases-list.json", leases, strict),
        ("provider.json", get(&base, &format!("/akash/provider/v1beta4/providers/{provider}")).1, strict),
        (
            "certificates-list.json",
            get(&base, &format!("/akash/cert/v1/certificates/list?filter.owner={provider}&filter.state=valid")).1,
            strict,
        ),
    ];
    let mut failures = Vec::new();
    for (name, ours, allow) in &cases {
        for line in shape_diff(&suite.json(name), ours, *allow) {
            failures.push(format!("{name}: {line}"));
        }
    }
    // Every recorded chain endpoint is compared (the provider's two in flow.rs).
    let compared: Vec<&str> = cases.iter().map(|(name, _, _)| *name).collect();
    for name in suite.files(".json") {
        let elsewhere = ["lease-status-ip.json", "provider-status.json"];
        assert!(compared.contains(&name.as_str()) || elsewhere.contains(&name.as_str()), "{name} is not compared");
    }

    // Paging as the SDK pages: a limit, `next_key` to the next page, null on the last.
    let page_path =
        format!("/akash/market/v1beta5/bids/list?filters.owner={owner}&filters.dseq={dseq}&pagination.limit=1");
    let (_, first) = get(&base, &page_path);
    let key = first["pagination"]["next_key"].as_str().expect("a next page").to_owned();
    let (_, second) = get(&base, &format!("{page_path}&pagination.key={}", key.replace('=', "%3D")));
    assert_eq!(first["bids"].as_array().map(Vec::len), Some(1));
    assert_ne!(first["bids"][0]["bid"]["id"], second["bids"][0]["bid"]["id"]);
    assert_eq!(first["pagination"]["total"], second["pagination"]["total"]);

    // A preflight is refused, as by a node without CORS enabled, and counted.
    let (_, before) = get(&base, "/leasekit/devnet/preflights");
    let preflight = ureq::request("OPTIONS", &format!("{base}/cosmos/tx/v1beta1/txs"))
        .set("Origin", "http://app.example")
        .set("Access-Control-Request-Method", "POST")
        .set("Access-Control-Request-Headers", "content-type")
        .call();
    let Err(ureq::Error::Status(405, refused)) = preflight else {
        panic!("a preflight must be refused: {preflight:?}")
    };
    assert_eq!(refused.header("access-control-allow-origin"), None);
    let (_, after) = get(&base, "/leasekit/devnet/preflights");
    assert_eq!(after["refused"].as_u64(), before["refused"].as_u64().map(|n| n + 1));

    rt.block_on(handle.shutdown());
    assert!(failures.is_empty(), "the devnet's shapes differ from the recordings:\n{}", failures.join("\n"));
}
