//! The state machine driven directly: the deployment flow and the chain's rejections.

mod common;

use leasekit_devnet::chain::{BidState, Chain, DeploymentState, Genesis, LeaseId, LeaseState, OrderState};
use leasekit_devnet::dec::SCALE;
use leasekit_devnet::providers::ProviderConfig;
use leasekit_tx::Signer as _;
use leasekit_tx::msgs;
use leasekit_tx::proto::TypeUrl;

const CHAIN_ID: &str = "leasekit-devnet-1";
const UAKT: u128 = 1_000_000_000;
const UACT: u128 = 100_000_000;

fn chain(owner: &str) -> Chain {
    let mut providers = ProviderConfig::default_set(2, "https://127.0.0.1:8443");
    // A third provider without IP support must not bid on an order that leases an IP.
    let mut no_ip = providers[0].clone();
    no_ip.ip_support = false;
    providers.push(no_ip);
    Chain::genesis(&Genesis {
        chain_id: CHAIN_ID.to_owned(),
        time_ms: 1_700_000_000_000,
        accounts: vec![(owner.to_owned(), UAKT, UACT)],
        providers,
    })
}

fn block(chain: &mut Chain) -> Vec<leasekit_devnet::chain::TxResult> {
    let t = chain.state().time_ms + 1000;
    chain.deliver_block(t)
}

#[test]
fn deployment_lease_escrow_close() {
    let (_, signer) = common::tenant();
    let owner = signer.address();
    let mut chain = chain(&owner);

    let create = common::sign(&signer, CHAIN_ID, 0, 0, vec![common::create_deployment(&owner, 42).to_any()]);
    let checked = chain.check_tx(&create.tx_bytes);
    assert_eq!((checked.code, checked.hash.as_str()), (0, create.tx_hash.as_str()), "{}", checked.raw_log);
    assert!(chain.tx(&create.tx_hash).is_none(), "not included before the block");

    let results = block(&mut chain);
    assert_eq!(results.len(), 1);
    assert_eq!(results[0].code, 0, "{}", results[0].raw_log);
    let record = chain.tx(&create.tx_hash).expect("included");
    assert_eq!(record.height, 1);
    let d = chain.deployment(&owner, 42).expect("deployment");
    assert_eq!(d.state, DeploymentState::Active);
    assert_eq!(d.groups[0].order_state, OrderState::Open);
    assert_eq!(d.escrow.balance, 500_000 * SCALE);
    assert!(chain.state().bids.is_empty(), "providers see the order in the next block");

    block(&mut chain);
    let bids = &chain.state().bids;
    assert_eq!(bids.len(), 2, "the provider without IP support does not bid: {bids:?}");
    // min(1000 uact max, 1 uact provider price) × 1 replica.
    assert!(bids.iter().all(|b| b.price == SCALE && b.state == BidState::Open));
    let chosen = bids[0].id.provider.clone();
    let other = bids[1].id.provider.clone();

    let lease = msgs::create_lease(&common::bid_id(&owner, 42, &chosen)).expect("lease msg");
    let tx = common::sign(&signer, CHAIN_ID, 0, 1, vec![lease.to_any()]);
    assert_eq!(chain.check_tx(&tx.tx_bytes).code, 0);
    let results = block(&mut chain);
    assert_eq!(results[0].code, 0, "{}", results[0].raw_log);
    let id = LeaseId { owner: owner.clone(), dseq: 42, gseq: 1, oseq: 1, provider: chosen.clone(), bseq: 1 };
    assert_eq!(chain.lease(&id).expect("lease").state, LeaseState::Active);
    let lost = chain.state().bids.iter().find(|b| b.id.provider == other).expect("other bid");
    assert_eq!(lost.state, BidState::Lost);
    assert_eq!(chain.deployment(&owner, 42).expect("d").groups[0].order_state, OrderState::Active);

    for _ in 0..5 {
        block(&mut chain);
    }
    let paid = chain.lease(&id).expect("lease").paid;
    assert_eq!(paid, 6 * SCALE, "one uact per block since the lease block");
    let d = chain.deployment(&owner, 42).expect("d");
    assert_eq!(d.escrow.transferred, paid);
    assert_eq!(d.escrow.balance, 500_000 * SCALE - paid);

    let close = msgs::close_deployment(&owner, 42).expect("close");
    let tx = common::sign(&signer, CHAIN_ID, 0, 2, vec![close.to_any()]);
    assert_eq!(chain.check_tx(&tx.tx_bytes).code, 0);
    block(&mut chain);
    let d = chain.deployment(&owner, 42).expect("d");
    assert_eq!(d.state, DeploymentState::Closed);
    assert_eq!(chain.lease(&id).expect("lease").state, LeaseState::Closed);
    let account = &chain.state().accounts[&owner];
    assert_eq!(account.uact, UACT - 6, "the deposit minus six blocks came back");
    assert_eq!(account.uakt, UAKT - 3 * 5000, "three fees");
    assert_eq!(account.sequence, 3);
    assert!(chain.account_pubkey(&owner).is_some());
}

#[test]
fn back_to_back_txs_and_mint() {
    let (_, signer) = common::tenant();
    let owner = signer.address();
    let mut chain = chain(&owner);
    let burn = msgs::Coin { denom: "uakt".to_owned(), amount: 20_000_000 };
    let mint = msgs::mint_act(&owner, &burn).expect("mint");
    let a = common::sign(&signer, CHAIN_ID, 0, 0, vec![mint.to_any()]);
    let b = common::sign(&signer, CHAIN_ID, 0, 1, vec![common::create_deployment(&owner, 7).to_any()]);
    assert_eq!(chain.check_tx(&a.tx_bytes).code, 0);
    assert_eq!(chain.check_tx(&b.tx_bytes).code, 0, "sequence 1 is next in the check state");
    let results = block(&mut chain);
    assert!(results.iter().all(|r| r.code == 0), "{results:?}");
    let before = chain.state().accounts[&owner].uact;
    assert_eq!(before, UACT - 500_000, "the mint lands in the next block");
    block(&mut chain);
    assert_eq!(chain.state().accounts[&owner].uact, before + 20_000_000 * 9975 / 10_000);
}

fn expect_check(chain: &mut Chain, tx: &leasekit_tx::tx::SignedTx, code: u32, log: &str) {
    let r = chain.check_tx(&tx.tx_bytes);
    assert_eq!((r.code, r.codespace.as_str()), (code, "sdk"), "{}", r.raw_log);
    assert!(r.raw_log.contains(log), "{} does not contain {log}", r.raw_log);
}

#[test]
fn ante_rejections() {
    let (_, signer) = common::tenant();
    let owner = signer.address();
    let mut chain = chain(&owner);
    let msg = || vec![common::create_deployment(&owner, 1).to_any()];

    let tx = common::sign(&signer, CHAIN_ID, 0, 5, msg());
    expect_check(&mut chain, &tx, 32, "account sequence mismatch, expected 0, got 5: incorrect account sequence");

    let tx = common::sign(&signer, "other-chain", 0, 0, msg());
    expect_check(
        &mut chain,
        &tx,
        4,
        "signature verification failed; please verify account number (0), sequence (0) and chain-id (leasekit-devnet-1): unauthorized",
    );
    let tx = common::sign(&signer, CHAIN_ID, 9, 0, msg());
    expect_check(&mut chain, &tx, 4, "signature verification failed");

    let mut tx = common::sign(&signer, CHAIN_ID, 0, 0, msg());
    let n = tx.tx_bytes.len();
    tx.tx_bytes[n - 5] ^= 1;
    expect_check(&mut chain, &tx, 4, "signature verification failed");

    let tx = common::sign_with_fee(&signer, CHAIN_ID, 0, 0, msg(), 100);
    expect_check(&mut chain, &tx, 13, "required: 1000uakt: insufficient fee");

    assert_eq!(chain.check_tx(&common::sign(&signer, CHAIN_ID, 0, 0, msg()).tx_bytes).code, 0);
    // Nothing rejected touched the sequence.
    assert_eq!(chain.mempool_len(), 1);
}

#[test]
fn module_rejections() {
    let (_, signer) = common::tenant();
    let owner = signer.address();
    let mut chain = chain(&owner);

    let mut low = common::create_deployment(&owner, 1);
    if let Some(amount) = low.deposit.as_mut().and_then(|d| d.amount.as_mut()) {
        amount.amount = "1000".to_owned();
    }
    let mut uakt = common::create_deployment(&owner, 2);
    for unit in &mut uakt.groups[0].resources {
        if let Some(p) = unit.price.as_mut() {
            p.denom = "uakt".to_owned();
        }
    }
    let low_tx = common::sign(&signer, CHAIN_ID, 0, 0, vec![low.to_any()]);
    let uakt_tx = common::sign(&signer, CHAIN_ID, 0, 1, vec![uakt.to_any()]);
    assert_eq!(chain.check_tx(&low_tx.tx_bytes).code, 0);
    assert_eq!(chain.check_tx(&uakt_tx.tx_bytes).code, 0);
    let results = block(&mut chain);

    assert_eq!((results[0].code, results[0].codespace.as_str()), (8, "deployment"));
    assert!(
        results[0].raw_log.contains("1000uact is below the minimum deposit of 500000uact"),
        "{}",
        results[0].raw_log
    );
    assert_eq!((results[1].code, results[1].codespace.as_str()), (9, "deployment"));
    assert!(results[1].raw_log.contains("priced in uakt"), "{}", results[1].raw_log);
    assert!(chain.state().deployments.is_empty());
    // As on chain, a failed message still costs the fee and uses the sequence.
    let account = &chain.state().accounts[&owner];
    assert_eq!((account.sequence, account.uakt, account.uact), (2, UAKT - 10_000, UACT));
    assert_eq!(chain.tx(&low_tx.tx_hash).expect("recorded").result.code, 8);
}

#[test]
fn snapshot_round_trips() {
    let (_, signer) = common::tenant();
    let owner = signer.address();
    let mut chain = chain(&owner);
    let tx = common::sign(&signer, CHAIN_ID, 0, 0, vec![common::create_deployment(&owner, 3).to_any()]);
    chain.check_tx(&tx.tx_bytes);
    block(&mut chain);
    block(&mut chain);
    let restored = Chain::restore(&chain.snapshot().expect("snapshot")).expect("restore");
    assert_eq!(restored.state(), chain.state());
    assert_eq!(restored.tx(&tx.tx_hash), chain.tx(&tx.tx_hash));
}
