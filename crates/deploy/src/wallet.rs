//! Who signs: a browser wallet (Keplr, Leap) or a key held in memory, behind one trait.
//!
//! The flow never sees a private key. It hands a wallet the SIGN_MODE_DIRECT sign doc and gets
//! back the bytes the wallet actually signed (a wallet may rewrite fee or memo, so the TxRaw is
//! assembled from *its* bytes, chain.md §2.6), and for provider tokens it asks for an ADR-36
//! `signArbitrary` signature (the `ES256KADR36` JWT algorithm, provider.md §3.3).

use std::fmt;
use std::future::Future;

use leasekit_tx::tx::SignDoc;
use leasekit_tx::{MnemonicSigner, Signer, jwt};

/// What a wallet returns from `signDirect`: the bytes it signed and the 64-byte signature.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DirectSigned {
    /// The TxBody the wallet signed (it may differ from the one proposed).
    pub body_bytes: Vec<u8>,
    /// The AuthInfo the wallet signed (the fee may have been changed by the wallet).
    pub auth_info_bytes: Vec<u8>,
    /// r‖s, 64 bytes.
    pub signature: Vec<u8>,
}

/// A wallet that did not sign.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct WalletError {
    /// What happened, for the tenant.
    pub message: String,
    /// The user declined in the wallet's own dialog (not a failure to retry automatically).
    pub rejected: bool,
}

impl WalletError {
    /// A wallet failure.
    #[must_use]
    pub fn new(message: impl Into<String>) -> Self {
        WalletError { message: message.into(), rejected: false }
    }

    /// The user declined to sign.
    #[must_use]
    pub fn rejected(message: impl Into<String>) -> Self {
        WalletError { message: message.into(), rejected: true }
    }
}

impl fmt::Display for WalletError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.message)
    }
}

impl std::error::Error for WalletError {}

/// A signer for one account. Methods return `impl Future` without a `Send` bound (browser
/// wallets hold JS promises), like `leasekit_client::Transport`.
pub trait Wallet {
    /// The account's `akash1…` address.
    fn address(&self) -> String;

    /// The 33-byte compressed secp256k1 public key.
    fn public_key(&self) -> Vec<u8>;

    /// Signs a SIGN_MODE_DIRECT sign doc (Keplr's `signDirect`).
    fn sign_direct(&self, doc: &SignDoc) -> impl Future<Output = Result<DirectSigned, WalletError>>;

    /// The ADR-36 signature (64 bytes r‖s) of `data` by this account — what Keplr/Leap
    /// `signArbitrary(chainId, address, data)` returns; used for `ES256KADR36` provider JWTs.
    fn sign_arbitrary(&self, data: &str) -> impl Future<Output = Result<Vec<u8>, WalletError>>;
}

impl<W: Wallet> Wallet for &W {
    fn address(&self) -> String {
        (**self).address()
    }

    fn public_key(&self) -> Vec<u8> {
        (**self).public_key()
    }

    fn sign_direct(&self, doc: &SignDoc) -> impl Future<Output = Result<DirectSigned, WalletError>> {
        (**self).sign_direct(doc)
    }

    fn sign_arbitrary(&self, data: &str) -> impl Future<Output = Result<Vec<u8>, WalletError>> {
        (**self).sign_arbitrary(data)
    }
}

/// A key held in memory (the dev-key path and the native tests), signing exactly as a wallet
/// would: the sign doc's bytes for `sign_direct`, the ADR-36 amino doc for `sign_arbitrary`.
#[derive(Debug)]
pub struct KeyWallet {
    signer: MnemonicSigner,
}

impl KeyWallet {
    /// Wraps a key.
    #[must_use]
    pub fn new(signer: MnemonicSigner) -> Self {
        KeyWallet { signer }
    }

    /// The key at `m/44'/118'/0'/0/index` of a BIP-39 phrase.
    ///
    /// # Errors
    /// The phrase is not a valid English BIP-39 mnemonic (the message never quotes a word).
    pub fn from_mnemonic(phrase: &str, index: u32) -> Result<Self, WalletError> {
        MnemonicSigner::from_mnemonic(phrase, index).map(KeyWallet::new).map_err(|e| WalletError::new(e.message))
    }

    /// The key.
    #[must_use]
    pub fn signer(&self) -> &MnemonicSigner {
        &self.signer
    }
}

impl Wallet for KeyWallet {
    fn address(&self) -> String {
        self.signer.address()
    }

    fn public_key(&self) -> Vec<u8> {
        self.signer.public_key().to_vec()
    }

    async fn sign_direct(&self, doc: &SignDoc) -> Result<DirectSigned, WalletError> {
        let signature = self.signer.sign(&doc.to_bytes()).map_err(|e| WalletError::new(e.message))?;
        Ok(DirectSigned {
            body_bytes: doc.body_bytes.clone(),
            auth_info_bytes: doc.auth_info_bytes.clone(),
            signature: signature.to_vec(),
        })
    }

    async fn sign_arbitrary(&self, data: &str) -> Result<Vec<u8>, WalletError> {
        let doc = jwt::adr36_sign_doc(&self.signer.address(), data.as_bytes());
        self.signer.sign(doc.as_bytes()).map(|s| s.to_vec()).map_err(|e| WalletError::new(e.message))
    }
}
