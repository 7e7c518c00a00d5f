//! One error type for every mistake a caller can make, with a sentence a tenant understands.

use std::fmt;

/// What went wrong, as a stable machine-readable code.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ErrorCode {
    /// The mnemonic is not a valid BIP-39 English phrase.
    InvalidMnemonic,
    /// An address is not a bech32 `akash1…` account address.
    InvalidAddress,
    /// A coin or deposit is malformed, in the wrong denomination or below the minimum.
    InvalidDeposit,
    /// An identifier (dseq, gseq, …) is zero or out of range.
    InvalidId,
    /// The SDL has errors (see the diagnostics).
    InvalidSdl,
    /// The SDL asks for something the target chain cannot take.
    UnsupportedByChain,
    /// A field of a request is missing or malformed.
    InvalidInput,
    /// A public key or signature has the wrong shape.
    InvalidSignature,
    /// A JWT is malformed, uses another algorithm or its signature does not verify.
    InvalidToken,
    /// A JWT's claims break the Akash schema or are not valid at this time.
    InvalidClaims,
}

impl ErrorCode {
    /// The code as kebab-case text (what JavaScript sees as `error.code`).
    #[must_use]
    pub fn as_str(self) -> &'static str {
        match self {
            ErrorCode::InvalidMnemonic => "invalid-mnemonic",
            ErrorCode::InvalidAddress => "invalid-address",
            ErrorCode::InvalidDeposit => "invalid-deposit",
            ErrorCode::InvalidId => "invalid-id",
            ErrorCode::InvalidSdl => "invalid-sdl",
            ErrorCode::UnsupportedByChain => "unsupported-by-chain",
            ErrorCode::InvalidInput => "invalid-input",
            ErrorCode::InvalidSignature => "invalid-signature",
            ErrorCode::InvalidToken => "invalid-token",
            ErrorCode::InvalidClaims => "invalid-claims",
        }
    }
}

/// A caller's mistake. Never carries secret material: messages quote at most the position
/// of a bad mnemonic word, not the word.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Error {
    /// Machine-readable kind.
    pub code: ErrorCode,
    /// What is wrong and, where it helps, what to do.
    pub message: String,
}

impl Error {
    /// An error of `code`.
    pub fn new(code: ErrorCode, message: impl Into<String>) -> Self {
        Error { code, message: message.into() }
    }

    /// A malformed request field.
    pub fn input(message: impl Into<String>) -> Self {
        Error::new(ErrorCode::InvalidInput, message)
    }
}

impl fmt::Display for Error {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.message)
    }
}

impl std::error::Error for Error {}

/// Result with [`Error`].
pub type Result<T> = std::result::Result<T, Error>;
