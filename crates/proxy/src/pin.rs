//! TLS toward a provider: its certificate pinned to the on-chain ones, or else valid in the Web
//! PKI for the host name of its `host_uri`.

use std::sync::{Arc, Mutex, PoisonError};

use rustls::client::WebPkiServerVerifier;
use rustls::client::danger::{HandshakeSignatureValid, ServerCertVerified, ServerCertVerifier};
use rustls::crypto::{CryptoProvider, WebPkiSupportedAlgorithms};
use rustls::pki_types::pem::PemObject;
use rustls::pki_types::{CertificateDer, ServerName, UnixTime};
use rustls::{CertificateError, ClientConfig, DigitallySignedStruct, SignatureScheme};

/// Which check accepted the provider's certificate (the `Leasekit-Tls` header).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum TlsCheck {
    /// Byte-equal to one of its valid on-chain certificates.
    Pinned,
    /// Not on chain, but valid in the Web PKI for the host name of `host_uri`.
    WebPki,
}

impl TlsCheck {
    pub fn header_value(self) -> &'static str {
        match self {
            Self::Pinned => "pinned",
            Self::WebPki => "webpki",
        }
    }
}

/// Accepts a server whose end-entity certificate is exactly one of `pins` and, failing that,
/// one that `webpki` accepts for the server name the connection was made with (the host of
/// `host_uri`: a DNS name, or an IP literal checked against the certificate's IP SANs).
///
/// For a pinned certificate the host name is not checked: the on-chain certificate *is* the
/// provider's identity, whatever name or address the connection went to. Either way the
/// handshake signature is checked with the certificate's key, so a server that copied a public
/// certificate without its key fails.
#[derive(Debug)]
pub(crate) struct ProviderVerifier {
    pins: Vec<CertificateDer<'static>>,
    webpki: Arc<WebPkiServerVerifier>,
    algorithms: WebPkiSupportedAlgorithms,
    passed: Mutex<Option<TlsCheck>>,
}

impl ProviderVerifier {
    /// What accepted the certificate, once the handshake is done.
    pub fn passed(&self) -> Option<TlsCheck> {
        *self.passed.lock().unwrap_or_else(PoisonError::into_inner)
    }
}

impl ServerCertVerifier for ProviderVerifier {
    fn verify_server_cert(
        &self,
        end_entity: &CertificateDer<'_>,
        intermediates: &[CertificateDer<'_>],
        server_name: &ServerName<'_>,
        ocsp_response: &[u8],
        now: UnixTime,
    ) -> Result<ServerCertVerified, rustls::Error> {
        let check = if self.pins.iter().any(|pin| pin.as_ref() == end_entity.as_ref()) {
            TlsCheck::Pinned
        } else if self.webpki.verify_server_cert(end_entity, intermediates, server_name, ocsp_response, now).is_ok() {
            TlsCheck::WebPki
        } else {
            return Err(rustls::Error::InvalidCertificate(CertificateError::ApplicationVerificationFailure));
        };
        *self.passed.lock().unwrap_or_else(PoisonError::into_inner) = Some(check);
        Ok(ServerCertVerified::assertion())
    }

    fn verify_tls12_signature(
        &self,
        message: &[u8],
        cert: &CertificateDer<'_>,
        dss: &DigitallySignedStruct,
    ) -> Result<HandshakeSignatureValid, rustls::Error> {
        rustls::crypto::verify_tls12_signature(message, cert, dss, &self.algorithms)
    }

    fn verify_tls13_signature(
        &self,
        message: &[u8],
        cert: &CertificateDer<'_>,
        dss: &DigitallySignedStruct,
    ) -> Result<HandshakeSignatureValid, rustls::Error> {
        rustls::crypto::verify_tls13_signature(message, cert, dss, &self.algorithms)
    }

    fn supported_verify_schemes(&self) -> Vec<SignatureScheme> {
        self.algorithms.supported_schemes()
    }
}

/// A client configuration that trusts exactly `pins`, or `webpki` for the server name, TLS 1.2
/// or 1.3, with SNI only if `sni` (see the crate doc), offering `alpn`, without a client
/// certificate; and its verifier, to read which check passed.
pub(crate) fn client_config(
    crypto: &Arc<CryptoProvider>,
    pins: Vec<CertificateDer<'static>>,
    webpki: Arc<WebPkiServerVerifier>,
    sni: bool,
    alpn: Vec<Vec<u8>>,
) -> (ClientConfig, Arc<ProviderVerifier>) {
    let verifier = Arc::new(ProviderVerifier {
        pins,
        webpki,
        algorithms: crypto.signature_verification_algorithms,
        passed: Mutex::new(None),
    });
    let mut config = ClientConfig::builder_with_provider(Arc::clone(crypto))
        .with_protocol_versions(&[&rustls::version::TLS13, &rustls::version::TLS12])
        .expect("ring supports TLS 1.2 and 1.3")
        .dangerous()
        .with_custom_certificate_verifier(Arc::clone(&verifier) as Arc<dyn ServerCertVerifier>)
        .with_no_client_auth();
    config.enable_sni = sni;
    config.alpn_protocols = alpn;
    (config, verifier)
}

/// The certificates in one on-chain `cert` field: base64 of PEM text (DER is accepted too).
pub(crate) fn certificates_of(pem: &[u8]) -> Vec<CertificateDer<'static>> {
    let certs: Vec<_> = CertificateDer::pem_slice_iter(pem).filter_map(Result::ok).collect();
    if certs.is_empty() && pem.first() == Some(&0x30) {
        return vec![CertificateDer::from(pem.to_vec())];
    }
    certs
}

/// Whether a handshake failure is the provider's certificate being refused.
pub(crate) fn is_certificate_rejection(error: &std::io::Error) -> bool {
    matches!(
        error.get_ref().and_then(|inner| inner.downcast_ref::<rustls::Error>()),
        Some(rustls::Error::InvalidCertificate(_))
    )
}
