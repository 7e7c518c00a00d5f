//! Transactions in SIGN_MODE_DIRECT: body and auth info are encoded once, signed as a SignDoc,
//! and broadcast as a TxRaw carrying exactly the signed bytes (the chain never re-encodes).
//!
//! Two ways to sign: [`sign`] with a [`Signer`] held here, or, for a wallet such as Keplr,
//! [`sign_doc`] to hand over and [`assemble`] with the bytes the wallet returns — which may
//! carry a fee or memo the wallet changed, so they, not ours, go into the TxRaw.

use prost::Message;
use sha2::{Digest, Sha256};

use crate::encoding::hex_upper;
use crate::error::{Error, ErrorCode, Result};
use crate::key::Signer;
use crate::msgs::Coin;
use crate::proto::{self, Any, TypeUrl};

/// Akash's memo limit (the SDK's default `max_memo_characters`), which the ante handler
/// compares with Go's `len` of the memo: UTF-8 bytes, not characters.
pub const MAX_MEMO_BYTES: usize = 256;

/// The fee.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Fee {
    /// Coins (uakt on Akash).
    pub amount: Vec<Coin>,
    /// Gas limit.
    pub gas_limit: u64,
    /// Fee payer other than the signer, or empty.
    pub payer: String,
    /// Fee-grant granter, or empty.
    pub granter: String,
}

/// Everything a transaction says besides who signs.
#[derive(Debug, Clone)]
pub struct Draft {
    /// Messages in order.
    pub messages: Vec<Any>,
    /// Memo.
    pub memo: String,
    /// Fee.
    pub fee: Fee,
    /// Timeout height, 0 for none.
    pub timeout_height: u64,
}

/// Who signs, and where in their account's history.
#[derive(Debug, Clone)]
pub struct Account<'a> {
    /// Chain id, e.g. `akashnet-2`.
    pub chain_id: &'a str,
    /// From `account_info`.
    pub account_number: u64,
    /// From `account_info`; increments with every committed tx.
    pub sequence: u64,
    /// The signer's 33-byte compressed public key.
    pub public_key: [u8; 33],
}

/// A SignDoc's parts, as a wallet's `signDirect` takes them.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SignDoc {
    /// Encoded TxBody.
    pub body_bytes: Vec<u8>,
    /// Encoded AuthInfo.
    pub auth_info_bytes: Vec<u8>,
    /// Chain id.
    pub chain_id: String,
    /// Account number.
    pub account_number: u64,
}

impl SignDoc {
    /// The bytes that are signed.
    #[must_use]
    pub fn to_bytes(&self) -> Vec<u8> {
        proto::SignDoc {
            body_bytes: self.body_bytes.clone(),
            auth_info_bytes: self.auth_info_bytes.clone(),
            chain_id: self.chain_id.clone(),
            account_number: self.account_number,
        }
        .encode_to_vec()
    }
}

/// A signed transaction.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SignedTx {
    /// TxRaw bytes: what `tx_bytes` carries in a broadcast.
    pub tx_bytes: Vec<u8>,
    /// Upper-case hex SHA-256 of the TxRaw: the hash the chain reports.
    pub tx_hash: String,
}

fn check_draft(draft: &Draft, chain_id: &str) -> Result<()> {
    if draft.messages.is_empty() {
        return Err(Error::input("a transaction needs at least one message"));
    }
    if chain_id.is_empty() {
        return Err(Error::input("the chain id is empty (mainnet is akashnet-2)"));
    }
    let bytes = draft.memo.len();
    if bytes > MAX_MEMO_BYTES {
        return Err(Error::input(format!(
            "the memo has {bytes} bytes of UTF-8; Akash allows {MAX_MEMO_BYTES} (the chain counts bytes, not characters)"
        )));
    }
    if draft.fee.gas_limit == 0 {
        return Err(Error::input("the gas limit must be above 0 (simulate the transaction to estimate it)"));
    }
    for m in &draft.messages {
        if !m.type_url.starts_with('/') {
            return Err(Error::input(format!("type URL '{}' must start with '/'", m.type_url)));
        }
    }
    Ok(())
}

/// The SignDoc of a draft for one signer.
pub fn sign_doc(draft: &Draft, account: &Account<'_>) -> Result<SignDoc> {
    check_draft(draft, account.chain_id)?;
    let body = proto::TxBody {
        messages: draft.messages.clone(),
        memo: draft.memo.clone(),
        timeout_height: draft.timeout_height,
    };
    let auth_info = proto::AuthInfo {
        signer_infos: vec![proto::SignerInfo {
            public_key: Some(proto::PubKey { key: account.public_key.to_vec() }.to_any()),
            mode_info: Some(proto::ModeInfo { single: Some(proto::ModeInfoSingle { mode: proto::SIGN_MODE_DIRECT }) }),
            sequence: account.sequence,
        }],
        fee: Some(proto::Fee {
            amount: draft
                .fee
                .amount
                .iter()
                .map(|c| proto::Coin { denom: c.denom.clone(), amount: c.amount.to_string() })
                .collect(),
            gas_limit: draft.fee.gas_limit,
            payer: draft.fee.payer.clone(),
            granter: draft.fee.granter.clone(),
        }),
    };
    Ok(SignDoc {
        body_bytes: body.encode_to_vec(),
        auth_info_bytes: auth_info.encode_to_vec(),
        chain_id: account.chain_id.to_owned(),
        account_number: account.account_number,
    })
}

/// Signs a draft with a key held here.
pub fn sign(
    draft: &Draft,
    chain_id: &str,
    account_number: u64,
    sequence: u64,
    signer: &dyn Signer,
) -> Result<SignedTx> {
    let account = Account { chain_id, account_number, sequence, public_key: signer.public_key() };
    let doc = sign_doc(draft, &account)?;
    let signature = signer.sign(&doc.to_bytes())?;
    assemble(doc.body_bytes, doc.auth_info_bytes, &signature)
}

/// The TxRaw of bytes a wallet signed (use the body and auth info the wallet returned).
pub fn assemble(body_bytes: Vec<u8>, auth_info_bytes: Vec<u8>, signature: &[u8]) -> Result<SignedTx> {
    if signature.len() != 64 {
        return Err(Error::new(
            ErrorCode::InvalidSignature,
            format!("a Cosmos signature is 64 bytes (r‖s); got {}", signature.len()),
        ));
    }
    proto::TxBody::decode(body_bytes.as_slice()).map_err(|_| Error::input("bodyBytes is not an encoded TxBody"))?;
    proto::AuthInfo::decode(auth_info_bytes.as_slice())
        .map_err(|_| Error::input("authInfoBytes is not an encoded AuthInfo"))?;
    let tx_bytes = proto::TxRaw { body_bytes, auth_info_bytes, signatures: vec![signature.to_vec()] }.encode_to_vec();
    let tx_hash = hex_upper(&Sha256::digest(&tx_bytes));
    Ok(SignedTx { tx_bytes, tx_hash })
}
