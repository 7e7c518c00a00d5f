//! The node over HTTP: broadcast, blocks on the timer, bids, a lease, the REST's JSON and
//! errors, and a restart from the same data dir.

mod common;
#[path = "common/rest.rs"]
mod rest;

use std::time::Duration;

use base64::Engine as _;
use leasekit_devnet::node::{self, Config};
use leasekit_tx::msgs;
use leasekit_tx::proto::TypeUrl;
use leasekit_tx::{MnemonicSigner, Signer as _};
use rest::{get, post, wait_for};
use serde_json::{Value, json};

fn broadcast(base: &str, tx: &leasekit_tx::tx::SignedTx) -> Value {
    let body = json!({"tx_bytes": base64::engine::general_purpose::STANDARD.encode(&tx.tx_bytes), "mode": "BROADCAST_MODE_SYNC"});
    let (status, v) = post(base, "/cosmos/tx/v1beta1/txs", &body);
    assert_eq!(status, 200, "{v}");
    v["tx_response"].clone()
}

fn account(base: &str, address: &str) -> (u64, u64) {
    let (_, v) = get(base, &format!("/cosmos/auth/v1beta1/account_info/{address}"));
    let n = |k: &str| v["info"][k].as_str().expect("string").parse().expect("number");
    (n("account_number"), n("sequence"))
}

fn config(dir: &std::path::Path) -> Config {
    let mut c = Config::new(dir);
    c.listen = "127.0.0.1:0".parse().expect("addr");
    c.block_time = Duration::from_millis(100);
    c
}

#[test]
fn deploy_over_http_and_restart() {
    let dir = tempfile::tempdir().expect("temp dir");
    let rt = tokio::runtime::Runtime::new().expect("runtime");
    let handle = rt.block_on(node::start(config(dir.path()))).expect("start");
    let base = handle.rest_url();
    let signer = MnemonicSigner::from_mnemonic(&handle.mnemonic, 0).expect("test mnemonic");
    let owner = signer.address();
    assert_eq!(owner, handle.address);
    assert_eq!(handle.chain_id, "leasekit-devnet-1");
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt as _;
        let mode = std::fs::metadata(dir.path().join("test-mnemonic")).expect("file").permissions().mode();
        assert_eq!(mode & 0o777, 0o600);
    }

    let (_, info) = get(&base, "/cosmos/base/tendermint/v1beta1/node_info");
    assert_eq!(info["default_node_info"]["network"], "leasekit-devnet-1");
    assert_eq!(info["application_version"]["version"], "v2.0.1");
    let (_, balances) = get(&base, &format!("/cosmos/bank/v1beta1/balances/{owner}"));
    assert_eq!(
        balances["balances"],
        json!([{"denom": "uact", "amount": "100000000"}, {"denom": "uakt", "amount": "1000000000"}])
    );
    assert_eq!(balances["pagination"]["total"], "2");
    let (status, v) = get(&base, &format!("/cosmos/auth/v1beta1/account_info/{}", common::tenant().1.address()));
    assert_eq!((status, &v["code"]), (404, &json!(5)), "a never-funded address is NotFound");
    let (status, v) = get(&base, "/no/such/path");
    assert_eq!((status, v), (404, json!({"code": 12, "message": "Not Implemented", "details": []})));

    let (number, sequence) = account(&base, &owner);
    let dseq = 1_000_000;
    let create = common::sign(
        &signer,
        &handle.chain_id,
        number,
        sequence,
        vec![common::create_deployment(&owner, dseq).to_any()],
    );

    let sim = json!({"tx_bytes": base64::engine::general_purpose::STANDARD.encode(&create.tx_bytes)});
    let (status, v) = post(&base, "/cosmos/tx/v1beta1/simulate", &sim);
    assert_eq!(status, 200, "{v}");
    let gas: u64 = v["gas_info"]["gas_used"].as_str().expect("gas").parse().expect("number");
    assert!(gas > 100_000 && gas < 400_000, "{gas}");
    let (status, _) =
        post(&base, "/cosmos/tx/v1beta1/txs", &json!({"tx_bytes": sim["tx_bytes"], "mode": "BROADCAST_MODE_BLOCK"}));
    assert_eq!(status, 400);

    // A wrong sequence is rejected in CheckTx with the SDK's code.
    let wrong = common::sign(
        &signer,
        &handle.chain_id,
        number,
        sequence + 3,
        vec![common::create_deployment(&owner, 5).to_any()],
    );
    let r = broadcast(&base, &wrong);
    assert_eq!((r["code"].as_u64(), r["codespace"].as_str()), (Some(32), Some("sdk")), "{r}");

    let r = broadcast(&base, &create);
    assert_eq!((r["code"].as_u64(), r["txhash"].as_str()), (Some(0), Some(create.tx_hash.as_str())), "{r}");
    let tx = wait_for(&base, &format!("/cosmos/tx/v1beta1/txs/{}", create.tx_hash), |s, _| s == 200);
    assert_eq!(tx["tx_response"]["code"], 0, "{tx}");
    assert_ne!(tx["tx_response"]["height"], "0");

    let d = wait_for(
        &base,
        &format!("/akash/deployment/v1beta4/deployments/info?id.owner={owner}&id.dseq={dseq}"),
        |s, _| s == 200,
    );
    assert_eq!(d["deployment"]["state"], "active");
    assert_eq!(d["deployment"]["id"]["dseq"], "1000000");
    assert_eq!(d["groups"][0]["group_spec"]["resources"][0]["price"]["amount"], "1000.000000000000000000");
    assert_eq!(d["groups"][0]["group_spec"]["resources"][0]["resource"]["endpoints"][1]["kind"], "LEASED_IP", "{d}");

    let bids_path =
        format!("/akash/market/v1beta5/bids/list?filters.owner={owner}&filters.dseq={dseq}&filters.state=open");
    let bids = wait_for(&base, &bids_path, |_, v| v["bids"].as_array().is_some_and(|b| b.len() == 2));
    let bid = &bids["bids"][0]["bid"];
    assert_eq!(bid["price"], json!({"denom": "uact", "amount": "1.000000000000000000"}));
    let provider = bid["id"]["provider"].as_str().expect("provider").to_owned();
    let (_, p) = get(&base, &format!("/akash/provider/v1beta4/providers/{provider}"));
    assert_eq!(p["provider"]["host_uri"], "https://127.0.0.1:8443");

    let lease = msgs::create_lease(&common::bid_id(&owner, dseq, &provider)).expect("lease");
    let tx = common::sign(&signer, &handle.chain_id, number, sequence + 1, vec![lease.to_any()]);
    assert_eq!(broadcast(&base, &tx)["code"], 0);
    let leases_path =
        format!("/akash/market/v1beta5/leases/list?filters.owner={owner}&filters.dseq={dseq}&filters.state=active");
    let leases = wait_for(&base, &leases_path, |_, v| v["leases"].as_array().is_some_and(|l| l.len() == 1));
    assert_eq!(leases["leases"][0]["lease"]["id"]["provider"], provider.as_str());
    let lease_id = format!("id.owner={owner}&id.dseq={dseq}&id.gseq=1&id.oseq=1&id.provider={provider}&id.bseq=1");
    let (status, _) = get(&base, &format!("/akash/market/v1beta5/leases/info?{lease_id}"));
    assert_eq!(status, 200);
    wait_for(&base, &format!("/cosmos/auth/v1beta1/account_info/{owner}"), |_, v| v["info"]["sequence"] == "2");
    let cors = ureq::get(&format!("{base}/akash/deployment/v1beta4/params")).call().expect("params");
    assert_eq!(cors.header("access-control-allow-origin"), Some("*"));

    let mnemonic = handle.mnemonic.clone();
    rt.block_on(handle.shutdown());

    // Restart from the same data dir: the account, deployment, lease and sequence survive.
    let handle = rt.block_on(node::start(config(dir.path()))).expect("restart");
    let base = handle.rest_url();
    assert_eq!(handle.mnemonic, mnemonic);
    assert_eq!(account(&base, &owner), (number, sequence + 2));
    let (_, d) = get(&base, &format!("/akash/deployment/v1beta4/deployments/info?id.owner={owner}&id.dseq={dseq}"));
    assert_eq!(d["deployment"]["state"], "active");
    let (_, l) = get(&base, &format!("/akash/market/v1beta5/leases/info?{lease_id}"));
    assert_eq!(l["lease"]["state"], "active");
    let (status, v) = get(&base, "/cosmos/tx/v1beta1/txs/00AA");
    assert_eq!((status, &v["code"]), (404, &json!(5)));
    rt.block_on(handle.shutdown());
}
