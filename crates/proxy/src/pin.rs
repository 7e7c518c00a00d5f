//! TLS toward a provider, pinned to its on-chain certificates.

use std::sync::Arc;

use rustls::client::danger::{HandshakeSignatureValid, ServerCertVerified, ServerCertVerifier};
use rustls::crypto::{CryptoProvider, WebPkiSupportedAlgorithms};
use rustls::pki_types::pem::PemObject;
use rustls::pki_types::{CertificateDer, ServerName, UnixTime};
use rustls::{CertificateError, ClientConfig, DigitallySignedStruct, SignatureScheme};

/// Accepts a server whose end-entity certificate is exactly one of `pins`.
///
/// The host name is not checked: the on-chain certificate *is* the provider's identity, whatever
/// name or address the connection went to. The handshake signature is still checked with the
/// certificate's key, so a server that copied the public certificate without the key fails.
#[derive(Debug)]
pub(crate) struct PinnedVerifier {
    pins: Vec<CertificateDer<'static>>,
    algorithms: WebPkiSupportedAlgorithms,
}

impl ServerCertVerifier for PinnedVerifier {
    fn verify_server_cert(
        &self,
        end_entity: &CertificateDer<'_>,
        _intermediates: &[CertificateDer<'_>],
        _server_name: &ServerName<'_>,
        _ocsp_response: &[u8],
        _now: UnixTime,
    ) -> Result<ServerCertVerified, rustls::Error> {
        if self.pins.iter().any(|pin| pin.as_ref() == end_entity.as_ref()) {
            Ok(ServerCertVerified::assertion())
        } else {
            Err(rustls::Error::InvalidCertificate(CertificateError::ApplicationVerificationFailure))
        }
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

/// A client configuration that trusts exactly `pins`, TLS 1.2 or 1.3, without SNI (see the
/// crate doc) and without a client certificate.
pub(crate) fn client_config(crypto: &Arc<CryptoProvider>, pins: Vec<CertificateDer<'static>>) -> ClientConfig {
    let verifier = PinnedVerifier { pins, algorithms: crypto.signature_verification_algorithms };
    let mut config = ClientConfig::builder_with_provider(Arc::clone(crypto))
        .with_protocol_versions(&[&rustls::version::TLS13, &rustls::version::TLS12])
        .expect("ring supports TLS 1.2 and 1.3")
        .dangerous()
        .with_custom_certificate_verifier(Arc::new(verifier))
        .with_no_client_auth();
    config.enable_sni = false;
    config
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
