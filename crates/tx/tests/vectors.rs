//! chain.md §6: a key, a signed MsgCreateDeployment and other message encodings, all produced
//! upstream with `@akashnetwork/chain-sdk` + `@cosmjs/proto-signing` and an independent
//! BIP-32 implementation — not by this crate.

use leasekit_tx::encoding::{base64_encode, hex_decode, hex_lower};
use leasekit_tx::msgs::{self, BidId, Coin, CreateDeployment, Deposit};
use leasekit_tx::proto::{self, TypeUrl};
use leasekit_tx::tx::{self, Draft, Fee};
use leasekit_tx::{MnemonicSigner, Signer};
use prost::Message;
use sha2::{Digest, Sha256};

const MNEMONIC: &str = "addict worth drip violin note olive final pelican perfect feel goat game horror brass fence deposit dutch improve setup stuff frost spirit smart alien";
const ADDRESS: &str = "akash1qufa3xzrf34qvwyejkhvnc4psf49fftaw0asmh";

const MSG_VALUE: &str = "0a320a2c616b617368317175666133787a7266333471767779656a6b68766e6334707366343966667461773061736d6810c0843d126e0a0664636c6f756412020a001a600a3b080112070a050a033530301a0d0a0b0a0935333638373039313222160a0764656661756c74120b0a093533363837303931322a050a030a0130320010011a1f0a0475616374121731303030303030303030303030303030303030303030301a200c6b37393460325b05639f1757a005ed627117c8d2f197b9541edd87942d0a5022120a0e0a047561637412063530303030302801";
const TX_BODY: &str = "0a8c020a2d2f616b6173682e6465706c6f796d656e742e763162657461342e4d73674372656174654465706c6f796d656e7412da010a320a2c616b617368317175666133787a7266333471767779656a6b68766e6334707366343966667461773061736d6810c0843d126e0a0664636c6f756412020a001a600a3b080112070a050a033530301a0d0a0b0a0935333638373039313222160a0764656661756c74120b0a093533363837303931322a050a030a0130320010011a1f0a0475616374121731303030303030303030303030303030303030303030301a200c6b37393460325b05639f1757a005ed627117c8d2f197b9541edd87942d0a5022120a0e0a047561637412063530303030302801";
const AUTH_INFO: &str = "0a500a460a1f2f636f736d6f732e63727970746f2e736563703235366b312e5075624b657912230a2103e1fde5cc17f56501ed53d87718df76c135b9a6401dceb53d198111a1eaf85f7612040a020801180712120a0c0a0475616b7412043530303010c09a0c";
const SIGN_DOC_SHA256: &str = "6dfa8ae3bc11d78242151b50b308ce8e6985cab1e02d9df15ae79aa0ec0aea7e";
const SIGNATURE: &str = "526ada861a22d41f8e64de172560bd42cd9239b505658447842f181439f76d4c7434d9ab71c4091014010532da6c6ff46d3435b9e77341f3ad538e7546e0d7ee";
const TX_RAW_BASE64: &str = "Co8CCowCCi0vYWthc2guZGVwbG95bWVudC52MWJldGE0Lk1zZ0NyZWF0ZURlcGxveW1lbnQS2gEKMgosYWthc2gxcXVmYTN4enJmMzRxdnd5ZWpraHZuYzRwc2Y0OWZmdGF3MGFzbWgQwIQ9Em4KBmRjbG91ZBICCgAaYAo7CAESBwoFCgM1MDAaDQoLCgk1MzY4NzA5MTIiFgoHZGVmYXVsdBILCgk1MzY4NzA5MTIqBQoDCgEwMgAQARofCgR1YWN0EhcxMDAwMDAwMDAwMDAwMDAwMDAwMDAwMBogDGs3OTRgMlsFY58XV6AF7WJxF8jS8Ze5VB7dh5QtClAiEgoOCgR1YWN0EgY1MDAwMDAoARJmClAKRgofL2Nvc21vcy5jcnlwdG8uc2VjcDI1NmsxLlB1YktleRIjCiED4f3lzBf1ZQHtU9h3GN92wTW5pkAdzrU9GYERoer4X3YSBAoCCAEYBxISCgwKBHVha3QSBDUwMDAQwJoMGkBSatqGGiLUH45k3hclYL1CzZI5tQVlhEeELxgUOfdtTHQ02atxxAkQFAEFMtpsb/RtNDW553NB861TjnVG4Nfu";
const TX_HASH: &str = "C16E868DD6950226A23C87F7848C23077C72AF582C6599FCA9A77FB718DBA03E";

/// An SDL whose one group is §6.2's: placement dcloud, 0.5 CPU, 512 Mi memory and storage,
/// one HTTP expose (a SHARED_HTTP endpoint), 10000 uact per block.
const SDL_6_2: &str = r#"
version: "2.0"
services:
  web:
    image: nginx
    expose:
      - port: 80
        to:
          - global: true
profiles:
  compute:
    web:
      resources:
        cpu:
          units: 0.5
        memory:
          size: 512Mi
        storage:
          size: 512Mi
  placement:
    dcloud:
      pricing:
        web:
          denom: uact
          amount: 10000
deployment:
  web:
    dcloud:
      profile: web
      count: 1
"#;

fn hex(text: &str) -> Vec<u8> {
    hex_decode(text).expect("hex")
}

fn signer() -> MnemonicSigner {
    MnemonicSigner::from_mnemonic(MNEMONIC, 0).expect("mnemonic")
}

fn vector_hash() -> Vec<u8> {
    Sha256::digest(b"akash-rust-wasm-test-vector").to_vec()
}

fn vector_msg() -> proto::MsgCreateDeployment {
    let value = |s: &str| Some(proto::ResourceValue { val: s.as_bytes().to_vec() });
    proto::MsgCreateDeployment {
        id: Some(proto::DeploymentId { owner: ADDRESS.into(), dseq: 1_000_000 }),
        groups: vec![proto::GroupSpec {
            name: "dcloud".into(),
            requirements: Some(proto::PlacementRequirements {
                signed_by: Some(proto::SignedBy::default()),
                attributes: vec![],
            }),
            resources: vec![proto::ResourceUnit {
                resource: Some(proto::Resources {
                    id: 1,
                    cpu: Some(proto::Cpu { units: value("500"), attributes: vec![] }),
                    memory: Some(proto::Memory { quantity: value("536870912"), attributes: vec![] }),
                    storage: vec![proto::Storage {
                        name: "default".into(),
                        quantity: value("536870912"),
                        attributes: vec![],
                    }],
                    gpu: Some(proto::Gpu { units: value("0"), attributes: vec![] }),
                    endpoints: vec![proto::Endpoint { kind: 0, sequence_number: 0 }],
                }),
                count: 1,
                price: Some(proto::DecCoin { denom: "uact".into(), amount: "10000000000000000000000".into() }),
            }],
        }],
        hash: vector_hash(),
        deposit: Some(proto::Deposit {
            amount: Some(proto::Coin { denom: "uact".into(), amount: "500000".into() }),
            sources: vec![proto::DepositSource::Balance as i32],
        }),
        reclamation: None,
    }
}

fn vector_draft(message: proto::Any) -> Draft {
    Draft {
        messages: vec![message],
        memo: String::new(),
        fee: Fee {
            amount: vec![Coin { denom: "uakt".into(), amount: 5000 }],
            gas_limit: 200_000,
            payer: String::new(),
            granter: String::new(),
        },
        timeout_height: 0,
    }
}

#[test]
fn key_and_address_6_1() {
    let s = signer();
    assert_eq!(hex_lower(&s.public_key()), "03e1fde5cc17f56501ed53d87718df76c135b9a6401dceb53d198111a1eaf85f76");
    assert_eq!(base64_encode(&s.public_key()), "A+H95cwX9WUB7VPYdxjfdsE1uaZAHc61PRmBEaHq+F92");
    assert_eq!(s.address(), ADDRESS);
    // cosmjs normalises whitespace and case; so do we.
    let sloppy = format!("  {}\n", MNEMONIC.to_uppercase().replace(' ', "\t "));
    assert_eq!(MnemonicSigner::from_mnemonic(&sloppy, 0).expect("normalised").address(), ADDRESS);
    assert_ne!(MnemonicSigner::from_mnemonic(MNEMONIC, 1).expect("index 1").address(), ADDRESS);
}

#[test]
fn signed_create_deployment_6_2() {
    let msg = vector_msg();
    assert_eq!(hex_lower(&msg.encode_to_vec()), MSG_VALUE);
    let draft = vector_draft(msg.to_any());
    let account =
        tx::Account { chain_id: "akashnet-2", account_number: 12345, sequence: 7, public_key: signer().public_key() };
    let doc = tx::sign_doc(&draft, &account).expect("sign doc");
    assert_eq!(hex_lower(&doc.body_bytes), TX_BODY);
    assert_eq!(hex_lower(&doc.auth_info_bytes), AUTH_INFO);
    let doc_bytes = doc.to_bytes();
    assert_eq!(hex_lower(&Sha256::digest(&doc_bytes)), SIGN_DOC_SHA256);
    assert_eq!(hex_lower(&signer().sign(&doc_bytes).expect("sign")), SIGNATURE);

    let signed = tx::sign(&draft, "akashnet-2", 12345, 7, &signer()).expect("sign tx");
    assert_eq!(base64_encode(&signed.tx_bytes), TX_RAW_BASE64);
    assert_eq!(signed.tx_hash, TX_HASH);

    // The wallet path: hand out the doc, take back its bytes and signature.
    let assembled = tx::assemble(doc.body_bytes, doc.auth_info_bytes, &hex(SIGNATURE)).expect("assemble");
    assert_eq!(assembled, signed);
}

#[test]
fn create_deployment_from_sdl_matches_6_2_groups() {
    let build = leasekit_sdl::build(SDL_6_2);
    let output = build.output.expect("the SDL builds");
    let params = CreateDeployment {
        owner: ADDRESS,
        dseq: 1_000_000,
        deposit: Deposit::from_balance(Coin::parse("500000uact").expect("coin")),
        chain_version: None,
    };
    let mut msg = msgs::create_deployment(&output, &params).expect("message");
    assert_eq!(msg.hash, output.version.to_vec());
    msg.hash = vector_hash();
    assert_eq!(hex_lower(&msg.encode_to_vec()), MSG_VALUE);
}

#[test]
fn other_messages_6_3() {
    let bid = BidId { owner: ADDRESS.into(), dseq: 1_000_000, gseq: 1, oseq: 1, provider: ADDRESS.into(), bseq: 0 };
    let lease = msgs::create_lease(&bid).expect("lease");
    assert_eq!(
        hex_lower(&lease.encode_to_vec()),
        "0a640a2c616b617368317175666133787a7266333471767779656a6b68766e6334707366343966667461773061736d6810c0843d180120012a2c616b617368317175666133787a7266333471767779656a6b68766e6334707366343966667461773061736d68"
    );
    assert_eq!(proto::MsgCreateLease::TYPE_URL, "/akash.market.v1beta5.MsgCreateLease");
    let close = msgs::close_deployment(ADDRESS, 1_000_000).expect("close");
    assert_eq!(
        hex_lower(&close.encode_to_vec()),
        "0a320a2c616b617368317175666133787a7266333471767779656a6b68766e6334707366343966667461773061736d6810c0843d"
    );
}
