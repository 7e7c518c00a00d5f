//! The recorded answers of mainnet's chain REST (Akash 2.1.0, cosmos-sdk 0.53) and of a real
//! provider, decoded by the client: one test per recorded file, checking what a tenant is shown.
//! The files live outside the repository (`LEASEKIT_REAL_API`, see leasekit-test-support).

use leasekit_client::chain::{Account, Coin, NodeInfo};
use leasekit_client::provider::LeasedIp;
use leasekit_client::{ChainClient, HttpResponse, LeaseStatusState, ProviderClient};
use leasekit_test_support::{Suite, real_api};

use crate::{Mock, block_on};

fn recorded(suite: &Suite, name: &str) -> HttpResponse {
    let headers = vec![("Content-Type".to_owned(), "application/json".to_owned())];
    HttpResponse { status: 200, headers, body: suite.read(name).into_bytes() }
}

/// A mock answering the recording `name` (the first page of a longer list), then an empty last
/// page of `key`: the client follows `next_key`, so the second answer ends the list.
fn first_page(name: &str, key: &str) -> Option<Mock> {
    let suite = real_api()?;
    let body = format!(r#"{{"{key}":[],"pagination":{{"next_key":null,"total":"0"}}}}"#).into_bytes();
    Some(Mock::new([recorded(&suite, name), HttpResponse { status: 200, headers: Vec::new(), body }]))
}

/// A chain client answered once with the recording `name`.
fn chain(name: &str) -> Option<Mock> {
    let suite = real_api()?;
    Some(Mock::new([recorded(&suite, name)]))
}

fn uact(amount: &str) -> Coin {
    Coin { denom: "uact".to_owned(), amount: amount.to_owned() }
}

#[test]
fn node_info() {
    let Some(mock) = chain("node-info.json") else { return };
    let info = block_on(ChainClient::new(&mock, "https://api.example").node_info()).expect("decodes");
    assert_eq!(info, NodeInfo { chain_id: "akashnet-2".to_owned(), app_version: "2.1.0".to_owned() });
    // The version a real node reports has no `v`: it must still enable v2.1's reclamation field.
    let version = leasekit_tx::msgs::ChainVersion::parse(&info.app_version).expect("a version");
    assert!(version.has_reclamation());
}

#[test]
fn blocks_latest() {
    let Some(mock) = chain("blocks-latest.json") else { return };
    assert_eq!(block_on(ChainClient::new(&mock, "https://api.example").latest_height()).expect("height"), 28_742_381);
}

#[test]
fn account_info_no_pubkey() {
    let Some(mock) = chain("account-info-no-pubkey.json") else { return };
    let account = block_on(ChainClient::new(&mock, "https://api.example").account("akash1x")).expect("decodes");
    assert_eq!(account, Some(Account { account_number: 220, sequence: 0, pub_key: None }));
}

#[test]
fn bank_balances() {
    let Some(mock) = chain("bank-balances.json") else { return };
    let balances = block_on(ChainClient::new(&mock, "https://api.example").balances("akash1x")).expect("decodes");
    assert_eq!(balances, [Coin { denom: "uakt".to_owned(), amount: "2311523".to_owned() }]);
}

#[test]
fn simulate() {
    let Some(mock) = chain("simulate.json") else { return };
    assert_eq!(block_on(ChainClient::new(&mock, "https://api.example").simulate(b"tx")).expect("gas"), 118_000);
}

#[test]
fn broadcast_tx() {
    let Some(mock) = chain("broadcast-tx.json") else { return };
    let result = block_on(ChainClient::new(&mock, "https://api.example").broadcast(b"tx")).expect("accepted");
    assert_eq!(result.tx_hash, "3A1F9C2E7B4D8A05F6C1E3D9B2A4C6E8F0D1B3A5C7E9F2D4B6A8C0E1F3D5B7A9C");
    assert_eq!(result.code, 0);
}

#[test]
fn tx_by_hash() {
    let Some(mock) = chain("tx-by-hash.json") else { return };
    let tx = block_on(ChainClient::new(&mock, "https://api.example").tx("84CA")).expect("decodes").expect("found");
    assert_eq!((tx.height, tx.code), (28_742_282, 0));
}

#[test]
fn deployments_info() {
    let Some(mock) = chain("deployments-info.json") else { return };
    let owner = "akash100dwtg4hqnd240x583spjwnk4kanp559xwtvmg";
    let d = block_on(ChainClient::new(&mock, "https://api.example").deployment(owner, 16_122_570))
        .expect("decodes")
        .expect("found");
    assert_eq!((d.owner.as_str(), d.dseq, d.state.as_str(), d.created_at), (owner, 16_122_570, "active", 16_122_572));
    assert_eq!(d.hash_hex(), "6cb4c2a39c45576a1bb68bcb27fad46431cb93301b07cbe55e917688918aa5a6");
    assert_eq!(d.groups.len(), 1);
    assert_eq!((d.groups[0].gseq, d.groups[0].name.as_str(), d.groups[0].state.as_str()), (1, "dcloud", "open"));
    // Escrow funds are DecCoins: 18 decimals, kept as text.
    assert_eq!(d.escrow_balance, [uact("292317.570000000000000000")]);
}

#[test]
fn deployments_list() {
    let Some(mock) = chain("deployments-list.json") else { return };
    let owner = "akash100dwtg4hqnd240x583spjwnk4kanp559xwtvmg";
    let page = block_on(ChainClient::new(&mock, "https://api.example").deployments_page(owner, Some("active"), None))
        .expect("decodes");
    assert_eq!(page.items.len(), 1);
    assert_eq!((page.items[0].dseq, page.items[0].state.as_str()), (16_122_570, "active"));
    // The recording is the first page of a longer list: its key asks for the next one.
    assert!(page.next_key.as_deref().is_some_and(|k| k.starts_with("AehMrwIBAgEB")));
    assert!(mock.urls()[0].contains("filters.state=active"), "{:?}", mock.urls());
}

#[test]
fn bids_list() {
    let Some(mock) = first_page("bids-list.json", "bids") else { return };
    let owner = "akash1008l639687lnkcscsrha36n5zdt3qzz30yzc67";
    let bids = block_on(ChainClient::new(&mock, "https://api.example").bids(owner, 22_804_430, Some("open")))
        .expect("decodes");
    assert_eq!(bids.len(), 1);
    let bid = &bids[0];
    assert_eq!(
        (bid.id.dseq, bid.id.gseq, bid.id.oseq, bid.id.bseq, bid.id.provider.as_str(), bid.state.as_str()),
        (22_804_430, 1, 1, 0, "akash13va9yxc8a7wlc882g72uj4g2fscj93hdk0uycp", "open")
    );
    // Bids may be priced in an IBC denomination (USDC): kept as the chain says it.
    assert!(bid.price.denom.starts_with("ibc/170C6776"));
    assert_eq!(bid.price.amount, "2.526488000000000000");
    assert!(mock.urls()[1].contains("pagination.key=VXGVlgQBAgME"), "{:?}", mock.urls());
}

#[test]
fn leases_list() {
    let Some(mock) = first_page("leases-list.json", "leases") else { return };
    let owner = "akash102kdwsssl6jf4frdcz50mua6j0h6d8wdhjh7nq";
    let leases = block_on(ChainClient::new(&mock, "https://api.example").leases(owner, None)).expect("decodes");
    assert_eq!(leases.len(), 1);
    let lease = &leases[0];
    assert_eq!(
        (lease.id.dseq, lease.state.as_str(), lease.price.clone()),
        (25_880_666, "active", uact("4.826603000000000000"))
    );
    assert!(lease.is_live());
    assert_eq!(lease.reclamation, None, "\"reclamation\": null is no reclamation");
}

#[test]
fn provider() {
    let Some(mock) = chain("provider.json") else { return };
    let owner = "akash1qpy7waukp7nxlcxmwjcgtmyzu2auk3p5dc3gg6";
    let p = block_on(ChainClient::new(&mock, "https://api.example").provider(owner)).expect("decodes").expect("found");
    assert_eq!(p.host_uri, "https://provider.forgeelectronics.uk:8443");
    assert_eq!(p.attributes, [("host".to_owned(), "akash".to_owned())]);
}

#[test]
fn certificates_list() {
    let Some(mock) = chain("certificates-list.json") else { return };
    let certs = block_on(ChainClient::new(&mock, "https://api.example").certificates("akash1x")).expect("decodes");
    assert_eq!(certs.len(), 1);
    assert_eq!((certs[0].serial.as_str(), certs[0].state.as_str()), ("1614727406384253273", "valid"));
    assert!(certs[0].cert_pem.starts_with("-----BEGIN CERTIFICATE-----\n"));
}

#[test]
fn lease_status_ip() {
    let Some(suite) = real_api() else { return };
    let mock = Mock::new([recorded(&suite, "lease-status-ip.json")]);
    let lease = leasekit_client::chain::LeaseId {
        owner: "akash1x".to_owned(),
        dseq: 1,
        gseq: 1,
        oseq: 1,
        provider: "akash1p".to_owned(),
        bseq: 0,
    };
    let state =
        block_on(ProviderClient::new(&mock, "https://proxy.example").lease_status("akash1p", &lease, "jwt", true))
            .expect("decodes");
    let LeaseStatusState::Ready(status) = state else { panic!("a ready status, got {state:?}") };
    let web = &status.services["web"];
    assert_eq!((web.available, web.total), (1, 1));
    assert_eq!(web.uris, ["bnd9dtb1rddsl6gfcn3q0j771g.www.nocixp1.iptestnet.akashian.io"]);
    assert_eq!(status.forwarded_ports, None, "forwarded_ports: null is 'not computed', not empty");
    let ips = status.ips.expect("ips computed");
    assert_eq!(
        ips["web"],
        [LeasedIp { port: 3000, external_port: 80, protocol: "TCP".to_owned(), ip: "198.204.231.229".to_owned() }]
    );
}

#[test]
fn provider_status() {
    let Some(suite) = real_api() else { return };
    let mock = Mock::new([recorded(&suite, "provider-status.json")]);
    let status =
        block_on(ProviderClient::new(&mock, "https://proxy.example").provider_status("akash1p")).expect("decodes");
    assert_eq!(status.cluster_public_hostname, "provider.bigtractorplotting.com");
    assert_eq!((status.leases, status.bid_engine_orders, status.manifest_deployments), (3, 0, 0));
    // A real provider's REST status says nothing about leased IPs: those come over gRPC.
    assert!(status.raw.get("cluster").and_then(|c| c.get("inventory")).and_then(|i| i.get("leased_ip")).is_none());
}

/// Every recorded file has its test above: a new recording cannot go unchecked.
#[test]
fn every_recording_is_tested() {
    let Some(suite) = real_api() else { return };
    let source = include_str!("recorded.rs");
    for name in suite.files(".json") {
        assert!(source.contains(&format!("\"{name}\"")), "{name} has no test in recorded.rs");
    }
}
