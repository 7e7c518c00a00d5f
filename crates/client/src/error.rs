//! One error type for both clients: machine-readable fields for code, one sentence for people.

use std::fmt;

use leasekit_sdl::json::Json;

use crate::read;
use crate::transport::{HttpResponse, TransportError, TransportErrorKind};

/// What went wrong, by what a caller would do about it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ErrorKind {
    /// No HTTP response (connection, DNS, CORS, unsupported URL).
    Transport,
    /// A request or a wait ran out of time.
    Timeout,
    /// The response did not have the expected shape.
    Decode,
    /// The chain REST answered an unexpected HTTP status.
    Http,
    /// The chain rejected the transaction before inclusion (CheckTx or simulation).
    TxRejected,
    /// The transaction was included in a block but failed.
    TxFailed,
    /// The provider refused the JWT (400/401 from its auth middleware).
    Unauthorized,
    /// The provider answered an error of its own (a handler's 4xx/5xx).
    Provider,
    /// Proxy 495: the provider's TLS certificate is not the one published on chain.
    CertificateMismatch,
    /// Proxy 403: the proxy refuses to forward to this target.
    TargetRefused,
    /// Proxy 404: the chain knows no provider with that address.
    UnknownProvider,
    /// Proxy 502/503/504: the provider could not be reached or did not answer in time.
    ProviderUnreachable,
    /// Another failure of the proxy's own (its chain lookup, a request it will not relay).
    Proxy,
}

/// A failed client call.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ClientError {
    /// The kind of failure.
    pub kind: ErrorKind,
    /// The HTTP status, when a response came back.
    pub http_status: Option<u16>,
    /// The chain's ABCI or gRPC code (`tx_response.code`, or `code` of a REST error body).
    pub chain_code: Option<u32>,
    /// The chain's codespace (`sdk`, `deployment`, `market`, …).
    pub codespace: Option<String>,
    /// What the other side said verbatim: the chain's `raw_log`, a provider body, a proxy message.
    pub detail: Option<String>,
    /// One sentence for the tenant.
    pub message: String,
}

impl fmt::Display for ClientError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.message)
    }
}

impl std::error::Error for ClientError {}

impl ClientError {
    /// An error with only a kind and a message.
    #[must_use]
    pub fn new(kind: ErrorKind, message: impl Into<String>) -> Self {
        ClientError {
            kind,
            http_status: None,
            chain_code: None,
            codespace: None,
            detail: None,
            message: message.into(),
        }
    }

    pub(crate) fn status(mut self, status: u16) -> Self {
        self.http_status = Some(status);
        self
    }

    pub(crate) fn detail(mut self, detail: impl Into<String>) -> Self {
        let detail = detail.into();
        self.detail = (!detail.is_empty()).then_some(detail);
        self
    }

    pub(crate) fn decode(what: &str, why: &str) -> Self {
        ClientError::new(ErrorKind::Decode, format!("unexpected response from {what}: {why}"))
    }

    /// The chain refused or failed a transaction (`included`: it made it into a block).
    pub(crate) fn chain_tx(included: bool, code: u32, codespace: &str, raw_log: &str) -> Self {
        let (kind, lead) = if included {
            (ErrorKind::TxFailed, "the transaction was included but failed")
        } else {
            (ErrorKind::TxRejected, "the chain rejected the transaction")
        };
        ClientError {
            kind,
            http_status: None,
            chain_code: Some(code),
            codespace: (!codespace.is_empty()).then(|| codespace.to_owned()),
            detail: (!raw_log.is_empty()).then(|| raw_log.to_owned()),
            message: format!("{lead}: {}", explain_chain_code(code, codespace, raw_log)),
        }
    }

    /// A chain REST error response (`{"code": 3, "message": "…"}` from gRPC-gateway).
    pub(crate) fn chain_http(what: &str, resp: &HttpResponse) -> Self {
        let body = read::parse(&resp.body).ok();
        let grpc_message = body.as_ref().and_then(|b| read::str_at(b, &["message"]));
        let detail = grpc_message.clone().unwrap_or_else(|| resp.text().trim().to_owned());
        let mut err = ClientError::new(
            ErrorKind::Http,
            format!("the chain node answered {} to {what}: {}", resp.status, short(&detail)),
        )
        .status(resp.status)
        .detail(detail);
        err.chain_code = body.as_ref().and_then(|b| read::u64_at(b, &["code"])).and_then(|c| u32::try_from(c).ok());
        err
    }

    /// A provider or proxy error response, `context` naming the call ("sending the manifest").
    pub(crate) fn provider_http(context: &str, resp: &HttpResponse) -> Self {
        let status = resp.status;
        let text = resp.text();
        let body = read::parse(&resp.body).ok();
        // The proxy's own errors carry an `error` code; the provider's never do.
        if let Some(proxy) = body.as_ref().filter(|b| b.get("error").is_some()) {
            let code = code_text(proxy);
            let (kind, message) = proxy_failure(code.as_deref(), status, context);
            let said = read::str_at(proxy, &["message"]).unwrap_or_default();
            let detail = match code {
                Some(code) if said.is_empty() => code,
                Some(code) => format!("{code}: {said}"),
                None => said,
            };
            return ClientError::new(kind, message).status(status).detail(detail);
        }
        let said = body.as_ref().and_then(|b| read::str_at(b, &["message"])).unwrap_or_else(|| text.trim().to_owned());
        let auth = matches!(status, 400 | 401)
            && (status == 401
                || said.contains("JWT")
                || said.contains("authorization")
                || said.contains("authentication"));
        let (kind, message) = if auth {
            (ErrorKind::Unauthorized, format!("the provider refused the token ({status}): mint a new one"))
        } else if matches!(status, 502 | 504) {
            (ErrorKind::ProviderUnreachable, "the proxy could not reach the provider".to_owned())
        } else if said.is_empty() {
            (ErrorKind::Provider, format!("the provider failed while {context} ({status})"))
        } else {
            (ErrorKind::Provider, format!("the provider failed while {context} ({status}): {}", short(&said)))
        };
        ClientError::new(kind, message).status(status).detail(said)
    }
}

impl From<TransportError> for ClientError {
    fn from(err: TransportError) -> Self {
        let kind = if err.kind == TransportErrorKind::Timeout { ErrorKind::Timeout } else { ErrorKind::Transport };
        let message = match err.kind {
            TransportErrorKind::Timeout => format!("the request timed out: {}", err.message),
            _ => format!("the request could not be sent: {}", err.message),
        };
        ClientError::new(kind, message).detail(err.message)
    }
}

/// The proxy's `error` code as text.
fn code_text(proxy: &Json) -> Option<String> {
    let code = proxy.get("error")?;
    code.as_str().map(str::to_owned).or_else(|| read::u64_of(code).map(|n| n.to_string()))
}

/// The proxy's own failures (crates/proxy: `{"error": "<kebab-code>", "message": …}`), by code,
/// then by status for codes this client does not know.
fn proxy_failure(code: Option<&str>, status: u16, context: &str) -> (ErrorKind, String) {
    use ErrorKind as K;
    let (kind, message) = match (code.unwrap_or_default(), status) {
        ("certificate-mismatch", _) | (_, 495) => {
            (K::CertificateMismatch, "the provider's TLS certificate does not match its on-chain certificate (495)")
        }
        ("no-valid-certificate", _) => {
            (K::CertificateMismatch, "the provider has no valid certificate on chain, so the proxy cannot verify it")
        }
        ("refused-target", _) | (_, 403) => (K::TargetRefused, "the proxy refused to forward to this provider (403)"),
        ("provider-not-found", _) => (K::UnknownProvider, "the chain knows no provider with this address (404)"),
        ("upstream-timeout", _) | (_, 504) => (K::ProviderUnreachable, "the provider did not answer in time (504)"),
        ("chain-error" | "chain-unreachable", _) => {
            (K::Proxy, "the proxy could not look the provider up on chain; retry later")
        }
        ("bad-host-uri", _) => (K::ProviderUnreachable, "the provider's registered host_uri is unusable"),
        ("grpc-error", _) => (K::Provider, "the provider's gRPC status call failed"),
        (_, 502 | 503) => (K::ProviderUnreachable, "the proxy could not reach the provider"),
        (_, 404) => (K::UnknownProvider, "the chain knows no provider with this address (404)"),
        _ => return (K::Proxy, format!("the proxy refused the request while {context} ({status})")),
    };
    (kind, message.to_owned())
}

/// The first line of a long message, bounded, for the sentence (the whole text stays in `detail`).
fn short(text: &str) -> String {
    let line = text.lines().next().unwrap_or_default();
    match line.char_indices().nth(200) {
        Some((at, _)) => format!("{}…", &line[..at]),
        None => line.to_owned(),
    }
}

/// A tenant's reading of a Cosmos SDK error code (codespace `sdk`), with the chain's own words
/// for anything else.
fn explain_chain_code(code: u32, codespace: &str, raw_log: &str) -> String {
    if codespace == "sdk" || codespace.is_empty() {
        let hint = match code {
            2 => Some("the node could not decode the transaction — it was built for another chain version".to_owned()),
            4 => Some("the signature does not match the account — check the key and the chain id".to_owned()),
            5 => Some("insufficient funds — top up the account".to_owned()),
            11 => Some("out of gas — raise the gas limit".to_owned()),
            13 => Some("the fee is too low — raise it".to_owned()),
            19 => Some("the transaction is already in the mempool".to_owned()),
            20 => Some("the node's mempool is full; retry later".to_owned()),
            32 => Some(sequence_mismatch(raw_log)),
            _ => None,
        };
        if let Some(hint) = hint {
            return hint;
        }
    }
    let log = short(raw_log);
    if log.is_empty() { format!("code {code} in {codespace}") } else { format!("{log} (code {code} in {codespace})") }
}

/// Code 32: "account sequence mismatch, expected 5, got 4: incorrect account sequence".
fn sequence_mismatch(raw_log: &str) -> String {
    let number_after = |word: &str| {
        raw_log.find(word).map(|at| {
            raw_log[at + word.len()..].trim_start().chars().take_while(char::is_ascii_digit).collect::<String>()
        })
    };
    match (number_after("expected"), number_after("got")) {
        (Some(expected), Some(got)) if !expected.is_empty() && !got.is_empty() => format!(
            "account sequence mismatch (expected {expected}, got {got}) — another transaction from this account was sent; retry"
        ),
        _ => "account sequence mismatch — another transaction from this account was sent; retry".to_owned(),
    }
}
