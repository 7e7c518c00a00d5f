//! Shared by the integration tests: a tenant key, an SDL and signed txs.

use leasekit_tx::MnemonicSigner;
use leasekit_tx::msgs::{self, Coin, CreateDeployment, Deposit};
use leasekit_tx::proto::{self, Any};
use leasekit_tx::tx::{self, Draft, Fee};

/// A single-service SDL priced in uact with a leased IP (so providers must have IP support).
pub const SDL: &str = r#"
version: "2.1"
services:
  web:
    image: nginx:1.27
    expose:
      - port: 80
        as: 80
        to:
          - global: true
            ip: myip
endpoints:
  myip:
    kind: ip
profiles:
  compute:
    web:
      resources:
        cpu: {units: 0.5}
        memory: {size: 512Mi}
        storage: {size: 1Gi}
  placement:
    dcloud:
      attributes: {region: devnet}
      pricing:
        web: {denom: uact, amount: 1000}
deployment:
  web:
    dcloud:
      profile: web
      count: 1
"#;

/// A fixed tenant key.
pub fn tenant() -> (String, MnemonicSigner) {
    let phrase = MnemonicSigner::generate_mnemonic(&[7u8; 32]).to_string();
    let signer = MnemonicSigner::from_mnemonic(&phrase, 0).expect("valid mnemonic");
    (phrase, signer)
}

/// MsgCreateDeployment for [`SDL`] with a 500000uact deposit.
pub fn create_deployment(owner: &str, dseq: u64) -> proto::MsgCreateDeployment {
    let build = leasekit_sdl::build(SDL);
    let output = build.output.expect("the test SDL builds");
    let deposit = Deposit::from_balance(Coin::parse("500000uact").expect("coin"));
    msgs::create_deployment(&output, &CreateDeployment { owner, dseq, deposit, chain_version: None })
        .expect("create deployment")
}

/// Signs `messages` with a 400000 gas limit and `fee` uakt.
pub fn sign_with_fee(
    signer: &MnemonicSigner,
    chain_id: &str,
    account_number: u64,
    sequence: u64,
    messages: Vec<Any>,
    fee: u128,
) -> tx::SignedTx {
    let draft = Draft {
        messages,
        memo: String::new(),
        fee: Fee {
            amount: vec![Coin { denom: "uakt".to_owned(), amount: fee }],
            gas_limit: 400_000,
            payer: String::new(),
            granter: String::new(),
        },
        timeout_height: 0,
    };
    tx::sign(&draft, chain_id, account_number, sequence, signer).expect("sign")
}

/// Signs with the default fee of 5000uakt.
pub fn sign(
    signer: &MnemonicSigner,
    chain_id: &str,
    account_number: u64,
    sequence: u64,
    messages: Vec<Any>,
) -> tx::SignedTx {
    sign_with_fee(signer, chain_id, account_number, sequence, messages, 5000)
}

/// The lease id of a bid.
pub fn bid_id(owner: &str, dseq: u64, provider: &str) -> msgs::BidId {
    msgs::BidId { owner: owner.to_owned(), dseq, gseq: 1, oseq: 1, provider: provider.to_owned(), bseq: 1 }
}
