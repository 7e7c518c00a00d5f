use leasekit_client::chain::{Account, Coin, Group, LeaseId, NodeInfo, TxResult};
use leasekit_client::{ChainClient, ErrorKind};

use crate::{Mock, block_on, header, reply};

const OWNER: &str = "akash1qypqxpq9qcrsszg2pvxq6rs0zqg3yyc5lzv7xu";
const PROVIDER: &str = "akash1provider0000000000000000000000000000x";
const BASE: &str = "https://api.example.com";
const HASH: &str = "C16E868D2B2F4E4F8E1C7A0D9F3B2A1C0E9D8C7B6A5F4E3D2C1B0A9F8E7D6C5B";

fn client(mock: &Mock) -> ChainClient<&Mock> {
    ChainClient::new(mock, "https://api.example.com/")
}

fn uact(amount: &str) -> Coin {
    Coin { denom: "uact".to_owned(), amount: amount.to_owned() }
}

#[test]
fn node_info() {
    let mock = Mock::new([reply(200, "node-info.json")]);
    let info = block_on(client(&mock).node_info()).expect("node info");
    assert_eq!(info, NodeInfo { chain_id: "akashnet-2".to_owned(), app_version: "v2.0.1".to_owned() });
    let req = mock.single();
    assert_eq!(
        (req.method.as_str(), req.url.as_str()),
        ("GET", "https://api.example.com/cosmos/base/tendermint/v1beta1/node_info")
    );
    assert_eq!(header(&req, "Accept"), Some("application/json"));
    assert!(req.body.is_empty());
}

#[test]
fn account_with_and_without_pub_key_and_unknown() {
    let mock = Mock::new([
        reply(200, "account-info.json"),
        reply(200, "account-info-no-pubkey.json"),
        reply(404, "account-not-found.json"),
    ]);
    let c = client(&mock);
    let account = block_on(c.account(OWNER)).expect("account").expect("exists");
    let key = "020017dea7770f7ecff7ab3c20506546129e96bdeba2f544bb8e5414eb79786122";
    let key: Vec<u8> =
        (0..key.len()).step_by(2).map(|i| u8::from_str_radix(&key[i..i + 2], 16).expect("hex")).collect();
    assert_eq!(account, Account { account_number: 12345, sequence: 7, pub_key: Some(key) });
    let fresh = block_on(c.account(OWNER)).expect("account").expect("exists");
    assert_eq!(fresh, Account { account_number: 12346, sequence: 0, pub_key: None });
    assert_eq!(block_on(c.account(OWNER)).expect("not found is not an error"), None);
    assert_eq!(mock.urls()[0], format!("{BASE}/cosmos/auth/v1beta1/account_info/{OWNER}"));
}

#[test]
fn balances_and_latest_height() {
    let mock = Mock::new([reply(200, "balances.json"), reply(200, "blocks-latest.json")]);
    let c = client(&mock);
    let balances = block_on(c.balances(OWNER)).expect("balances");
    assert_eq!(balances, vec![uact("2500000"), Coin { denom: "uakt".to_owned(), amount: "98000000".to_owned() }]);
    assert_eq!(block_on(c.latest_height()).expect("height"), 21_974_133);
    assert_eq!(
        mock.urls(),
        [
            format!("{BASE}/cosmos/bank/v1beta1/balances/{OWNER}"),
            format!("{BASE}/cosmos/base/tendermint/v1beta1/blocks/latest")
        ]
    );
}

#[test]
fn deployment_info() {
    let mock = Mock::new([reply(200, "deployment-info.json"), reply(404, "deployment-not-found.json")]);
    let c = client(&mock);
    let d = block_on(c.deployment(OWNER, 1_000_000)).expect("query").expect("exists");
    assert_eq!((d.owner.as_str(), d.dseq, d.state.as_str(), d.created_at), (OWNER, 1_000_000, "active", 21_970_000));
    assert_eq!(d.hash_hex(), "05b3abf2579a5eb66403cd78be557fd860633a1fe2103c7642030defe32c657f");
    assert_eq!(
        d.groups,
        [
            Group { gseq: 1, state: "open".to_owned(), name: "dcloud".to_owned() },
            Group { gseq: 2, state: "open".to_owned(), name: "westcoast".to_owned() }
        ]
    );
    assert_eq!(d.escrow_balance, [uact("498766.000000000000000000")]);
    assert_eq!(block_on(c.deployment(OWNER, 7)).expect("not found is not an error"), None);
    assert_eq!(
        mock.urls(),
        [
            format!("{BASE}/akash/deployment/v1beta4/deployments/info?id.owner={OWNER}&id.dseq=1000000"),
            format!("{BASE}/akash/deployment/v1beta4/deployments/info?id.owner={OWNER}&id.dseq=7"),
        ]
    );
}

#[test]
fn deployments_follow_pagination() {
    let mock = Mock::new([reply(200, "deployments-list-page1.json"), reply(200, "deployments-list-page2.json")]);
    let list = block_on(client(&mock).deployments(OWNER)).expect("list");
    assert_eq!(
        list.iter().map(|d| (d.dseq, d.state.as_str())).collect::<Vec<_>>(),
        [(1_000_000, "active"), (1_000_001, "closed")]
    );
    // The older escrow shape carries one `balance`.
    assert_eq!(list[1].escrow_balance, [Coin { denom: "uakt".to_owned(), amount: "0.000000000000000000".to_owned() }]);
    assert_eq!(
        mock.urls(),
        [
            format!("{BASE}/akash/deployment/v1beta4/deployments/list?filters.owner={OWNER}"),
            format!(
                "{BASE}/akash/deployment/v1beta4/deployments/list?filters.owner={OWNER}&pagination.key=AAAAAAAPQkE%3D"
            ),
        ]
    );
}

#[test]
fn bids_open() {
    let mock = Mock::new([reply(200, "bids-list.json")]);
    let bids = block_on(client(&mock).bids(OWNER, 1_000_000, Some("open"))).expect("bids");
    assert_eq!(
        mock.single().url,
        format!("{BASE}/akash/market/v1beta5/bids/list?filters.owner={OWNER}&filters.dseq=1000000&filters.state=open")
    );
    assert_eq!(bids.len(), 2);
    assert_eq!(
        bids[0].id,
        LeaseId { owner: OWNER.to_owned(), dseq: 1_000_000, gseq: 1, oseq: 1, provider: PROVIDER.to_owned(), bseq: 0 }
    );
    assert_eq!((bids[0].state.as_str(), &bids[0].price), ("open", &uact("0.951234000000000000")));
    assert_eq!((bids[1].id.bseq, bids[1].price.amount.as_str()), (3, "1.200000000000000000"));
}

#[test]
fn leases_of_a_deployment_and_all() {
    let mock = Mock::new([reply(200, "leases-list.json"), reply(200, "leases-list.json")]);
    let c = client(&mock);
    let leases = block_on(c.leases(OWNER, Some(1_000_000))).expect("leases");
    assert_eq!(leases.len(), 1);
    assert_eq!((leases[0].id.provider.as_str(), leases[0].state.as_str()), (PROVIDER, "active"));
    assert_eq!(leases[0].price, uact("0.951234000000000000"));
    block_on(c.leases(OWNER, None)).expect("leases");
    assert_eq!(
        mock.urls(),
        [
            format!("{BASE}/akash/market/v1beta5/leases/list?filters.owner={OWNER}&filters.dseq=1000000"),
            format!("{BASE}/akash/market/v1beta5/leases/list?filters.owner={OWNER}"),
        ]
    );
}

#[test]
fn provider_and_unknown_provider() {
    let mock = Mock::new([reply(200, "provider.json"), reply(404, "provider-not-found.json")]);
    let c = client(&mock);
    let p = block_on(c.provider(PROVIDER)).expect("query").expect("exists");
    assert_eq!(p.host_uri, "https://provider.example.com:8443");
    assert_eq!(p.attributes[1], ("ip-lease".to_owned(), "true".to_owned()));
    assert_eq!(block_on(c.provider(PROVIDER)).expect("not found is not an error"), None);
    assert_eq!(mock.urls()[0], format!("{BASE}/akash/provider/v1beta4/providers/{PROVIDER}"));
}

#[test]
fn certificates_decode_pem() {
    let mock = Mock::new([reply(200, "certificates-list.json")]);
    let certs = block_on(client(&mock).certificates(OWNER)).expect("certificates");
    assert_eq!(mock.single().url, format!("{BASE}/akash/cert/v1/certificates/list?filter.owner={OWNER}"));
    assert_eq!((certs[0].serial.as_str(), certs[0].state.as_str()), ("1674489392155470499", "valid"));
    assert!(certs[0].cert_pem.starts_with("-----BEGIN CERTIFICATE-----\nMIIB"));
}

#[test]
fn simulate_posts_base64() {
    let mock = Mock::new([reply(200, "simulate.json")]);
    assert_eq!(block_on(client(&mock).simulate(b"foobar")).expect("gas"), 137_842);
    let req = mock.single();
    assert_eq!((req.method.as_str(), req.url.as_str()), ("POST", "https://api.example.com/cosmos/tx/v1beta1/simulate"));
    assert_eq!(req.body, br#"{"tx_bytes":"Zm9vYmFy"}"#);
    // JSON labelled text/plain: a CORS simple request (see `every_request_is_cors_simple`).
    assert_eq!(header(&req, "Content-Type"), Some("text/plain"));
}

#[test]
fn broadcast_sync() {
    let mock = Mock::new([reply(200, "broadcast-ok.json")]);
    let result = block_on(client(&mock).broadcast(b"foobar")).expect("accepted");
    assert_eq!((result.tx_hash.as_str(), result.code), (HASH, 0));
    let req = mock.single();
    assert_eq!((req.method.as_str(), req.url.as_str()), ("POST", "https://api.example.com/cosmos/tx/v1beta1/txs"));
    let body: serde_json::Value = serde_json::from_slice(&req.body).expect("JSON body");
    assert_eq!(body, serde_json::json!({"tx_bytes": "Zm9vYmFy", "mode": "BROADCAST_MODE_SYNC"}));
}

#[test]
fn tx_found_and_not_found() {
    let mock = Mock::new([reply(200, "tx-found.json"), reply(404, "tx-not-found.json")]);
    let c = client(&mock);
    let found = block_on(c.tx(HASH)).expect("query").expect("included");
    assert_eq!(found, TxResult { height: 21_974_140, code: 0, codespace: String::new(), raw_log: String::new() });
    assert_eq!(block_on(c.tx(HASH)).expect("not found is not an error"), None);
    assert_eq!(mock.urls()[0], format!("{BASE}/cosmos/tx/v1beta1/txs/{HASH}"));
}

#[test]
fn wait_for_tx_polls_until_included() {
    let mock =
        Mock::new([reply(404, "tx-not-found.json"), reply(404, "tx-not-found.json"), reply(200, "tx-found.json")]);
    let result = block_on(client(&mock).wait_for_tx(HASH, 30_000, 2_000)).expect("included");
    assert_eq!(result.height, 21_974_140);
    assert_eq!(mock.requests.borrow().len(), 3);
    assert_eq!(*mock.sleeps.borrow(), [2_000, 2_000]);
}

#[test]
fn wait_for_tx_times_out() {
    let mock = Mock::new((0..4).map(|_| reply(404, "tx-not-found.json")));
    let err = block_on(client(&mock).wait_for_tx(HASH, 5_000, 2_000)).expect_err("never included");
    assert_eq!(err.kind, ErrorKind::Timeout);
    assert_eq!(*mock.sleeps.borrow(), [2_000, 2_000, 1_000]);
    assert_eq!(mock.requests.borrow().len(), 4);
    assert!(err.message.contains("was not included within 5 s"), "{}", err.message);
}

#[test]
fn wait_for_tx_reports_an_on_chain_failure() {
    let mock = Mock::new([reply(404, "tx-not-found.json"), reply(200, "tx-failed.json")]);
    let err = block_on(client(&mock).wait_for_tx(HASH, 30_000, 1_000)).expect_err("failed on chain");
    assert_eq!((err.kind, err.chain_code, err.codespace.as_deref()), (ErrorKind::TxFailed, Some(5), Some("sdk")));
    assert_eq!(err.message, "the transaction was included but failed: insufficient funds — top up the account");
    assert!(err.detail.as_deref().is_some_and(|d| d.contains("100uact is smaller than 500000uact")));
}

#[test]
fn query_values_are_escaped() {
    let mock = Mock::new([reply(200, "bids-list.json")]);
    block_on(client(&mock).bids("a&b c", 1, Some("open"))).expect("bids");
    assert_eq!(
        mock.single().url,
        format!("{BASE}/akash/market/v1beta5/bids/list?filters.owner=a%26b%20c&filters.dseq=1&filters.state=open")
    );
}

/// Answers every request with a gRPC NotFound, recording them.
struct NotFound(std::cell::RefCell<Vec<leasekit_client::HttpRequest>>);

impl leasekit_client::Transport for NotFound {
    async fn send(
        &self,
        req: leasekit_client::HttpRequest,
    ) -> Result<leasekit_client::HttpResponse, leasekit_client::TransportError> {
        self.0.borrow_mut().push(req);
        Ok(leasekit_client::HttpResponse {
            status: 404,
            headers: Vec::new(),
            body: br#"{"code":5,"message":"not found"}"#.to_vec(),
        })
    }

    async fn sleep(&self, _ms: u64) {}
}

/// A public node answers CORS preflights only if its operator enabled them, so every request
/// the browser sends to the chain REST must be a CORS "simple request" (Fetch standard): GET,
/// HEAD or POST, only CORS-safelisted headers, and a Content-Type of `text/plain`,
/// `application/x-www-form-urlencoded` or `multipart/form-data`.
#[test]
fn every_request_is_cors_simple() {
    let transport = NotFound(std::cell::RefCell::new(Vec::new()));
    let c = ChainClient::new(&transport, BASE);
    block_on(async {
        let _ = c.node_info().await;
        let _ = c.account(OWNER).await;
        let _ = c.balances(OWNER).await;
        let _ = c.latest_height().await;
        let _ = c.deployment(OWNER, 1).await;
        let _ = c.deployments(OWNER).await;
        let _ = c.deployments_page(OWNER, Some("active"), Some("key")).await;
        let _ = c.bids(OWNER, 1, Some("open")).await;
        let _ = c.leases_in(OWNER, Some(1), Some("active")).await;
        let _ = c.provider(PROVIDER).await;
        let _ = c.certificates(PROVIDER).await;
        let _ = c.simulate(b"tx").await;
        let _ = c.broadcast(b"tx").await;
        let _ = c.tx(HASH).await;
    });
    let requests = transport.0.borrow();
    assert_eq!(requests.len(), 14);
    for req in requests.iter() {
        assert!(matches!(req.method.as_str(), "GET" | "HEAD" | "POST"), "{} {}", req.method, req.url);
        for (name, value) in &req.headers {
            let safelisted = match name.to_ascii_lowercase().as_str() {
                "accept" | "accept-language" | "content-language" => value.len() <= 128,
                "content-type" => {
                    let essence = value.split(';').next().unwrap_or_default().trim().to_ascii_lowercase();
                    matches!(
                        essence.as_str(),
                        "text/plain" | "application/x-www-form-urlencoded" | "multipart/form-data"
                    )
                }
                _ => false,
            };
            assert!(safelisted, "{} {}: header {name}: {value} needs a preflight", req.method, req.url);
        }
    }
}

/// Anyone can publish any bytes as a certificate: entries that are not base64 of PEM are left
/// out, and the good one beside them is still found.
#[test]
fn an_undecodable_certificate_does_not_fail_the_list() {
    let mock = Mock::new([reply(200, "certificates-list-with-garbage.json")]);
    let certs = block_on(client(&mock).certificates(OWNER)).expect("the list still reads");
    assert_eq!(certs.len(), 1);
    assert!(certs[0].cert_pem.starts_with("-----BEGIN CERTIFICATE-----"));
}
