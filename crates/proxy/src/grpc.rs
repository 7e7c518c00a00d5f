//! A provider's gRPC status: `akash.provider.v1.ProviderRPC/GetStatus` on port 8444, the only
//! provider API that reports the leased-IP pool (`cluster.inventory.leased_ip`).
//!
//! The messages are written by hand from the upstream definitions, with only the fields on the
//! way to `leased_ip`; prost skips every other field. The call goes through tonic's client
//! codec (framing, `grpc-status` trailers, message size limit) over hyper's HTTP/2 on the
//! pinned TLS stream the caller opened — tonic's own transport is not used, so the connection
//! goes exactly where the private-target check allowed.

use std::future::Future;
use std::pin::Pin;
use std::task::{Context, Poll};

use hyper::body::Incoming;
use hyper::client::conn::http2::SendRequest;
use hyper::http::uri::PathAndQuery;
use hyper::{Request, Response, Uri};
use hyper_util::rt::{TokioExecutor, TokioIo};
use tokio::io::{AsyncRead, AsyncWrite};

/// The method's path: package `akash.provider.v1`, service `ProviderRPC`, method `GetStatus`
/// (chain-sdk: proto/provider/akash/provider/v1/service.proto; request `google.protobuf.Empty`,
/// which prost encodes as `()`).
const GET_STATUS: &str = "/akash.provider.v1.ProviderRPC/GetStatus";

/// `akash.provider.v1.Status` (chain-sdk: proto/provider/akash/provider/v1/status.proto):
/// `ClusterStatus cluster = 2`.
#[derive(Clone, PartialEq, prost::Message)]
struct Status {
    #[prost(message, optional, tag = "2")]
    cluster: Option<ClusterStatus>,
}

/// `akash.provider.v1.ClusterStatus`: `Inventory inventory = 2`.
#[derive(Clone, PartialEq, prost::Message)]
struct ClusterStatus {
    #[prost(message, optional, tag = "2")]
    inventory: Option<Inventory>,
}

/// `akash.provider.v1.Inventory`: `akash.inventory.v1.ResourcePair leased_ip = 3`.
#[derive(Clone, PartialEq, prost::Message)]
struct Inventory {
    #[prost(message, optional, tag = "3")]
    leased_ip: Option<ResourcePair>,
}

/// `akash.inventory.v1.ResourcePair` (chain-sdk:
/// proto/provider/akash/inventory/v1/resourcepair.proto): `allocatable = 1`, `allocated = 2`,
/// `capacity = 4`, each a Kubernetes `Quantity` (field 3, attributes, is not read).
#[derive(Clone, PartialEq, prost::Message)]
pub(crate) struct ResourcePair {
    #[prost(message, optional, tag = "1")]
    allocatable: Option<Quantity>,
    #[prost(message, optional, tag = "2")]
    allocated: Option<Quantity>,
    #[prost(message, optional, tag = "4")]
    capacity: Option<Quantity>,
}

/// `k8s.io.apimachinery.pkg.api.resource.Quantity` (apimachinery:
/// pkg/api/resource/generated.proto): `optional string string = 1`, the canonical text
/// (`10`, `1k`, …).
#[derive(Clone, PartialEq, prost::Message)]
struct Quantity {
    #[prost(string, optional, tag = "1")]
    string: Option<String>,
}

impl ResourcePair {
    /// `(allocatable, allocated, capacity)` as the provider wrote them; an absent quantity is
    /// zero, as a nil quantity is in the provider's Go types.
    pub fn texts(&self) -> [String; 3] {
        let text = |q: &Option<Quantity>| {
            q.as_ref().and_then(|q| q.string.clone()).filter(|s| !s.is_empty()).unwrap_or_else(|| "0".to_owned())
        };
        [text(&self.allocatable), text(&self.allocated), text(&self.capacity)]
    }
}

/// The answer of `GET /grpc-status/{addr}`: `{"leased_ip": {…} | null, "free": n | null}`.
pub(crate) fn answer_json(pair: Option<&ResourcePair>) -> serde_json::Value {
    let Some(pair) = pair else {
        return serde_json::json!({ "leased_ip": null, "free": null });
    };
    let [allocatable, allocated, capacity] = pair.texts();
    // free = allocatable − allocated, at least 0 (provider: cluster/inventory.go,
    // availableLeasedIPs). `null` when a quantity is not a whole number.
    let free = quantity(&allocatable).zip(quantity(&allocated)).map(|(a, b)| a.saturating_sub(b));
    serde_json::json!({
        "leased_ip": { "allocatable": allocatable, "allocated": allocated, "capacity": capacity },
        "free": free,
    })
}

/// A Kubernetes quantity that is a whole non-negative number: digits with an optional fraction,
/// then an optional suffix — decimal (`k`, `M`, `G`, `T`, `P`, `E`, or `e<n>`/`E<n>`) or binary
/// (`Ki` … `Ei`) — as apimachinery's `resource.ParseQuantity` reads them. `None` otherwise.
pub(crate) fn quantity(text: &str) -> Option<u64> {
    let text = text.strip_prefix('+').unwrap_or(text);
    let number_end = text.find(|c: char| !c.is_ascii_digit() && c != '.').unwrap_or(text.len());
    let (number, suffix) = text.split_at(number_end);
    let (whole, fraction) = number.split_once('.').unwrap_or((number, ""));
    if whole.is_empty() && fraction.is_empty() || fraction.contains('.') {
        return None;
    }
    let digits = format!("{whole}{fraction}");
    if digits.len() > 38 {
        return None;
    }
    let mantissa: u128 = digits.parse().ok()?;
    let scale = u32::try_from(fraction.len()).ok()?;
    let (power_of_ten, binary): (i64, u32) = match suffix {
        "" => (0, 0),
        "k" => (3, 0),
        "M" => (6, 0),
        "G" => (9, 0),
        "T" => (12, 0),
        "P" => (15, 0),
        "E" => (18, 0),
        "Ki" => (0, 10),
        "Mi" => (0, 20),
        "Gi" => (0, 30),
        "Ti" => (0, 40),
        "Pi" => (0, 50),
        "Ei" => (0, 60),
        _ => {
            let exponent = suffix.strip_prefix(['e', 'E'])?;
            (exponent.parse::<i64>().ok().filter(|e| e.abs() <= 40)?, 0)
        }
    };
    let mut value = mantissa.checked_mul(1u128.checked_shl(binary)?)?;
    let exponent = power_of_ten - i64::from(scale);
    if exponent >= 0 {
        value = value.checked_mul(10u128.checked_pow(u32::try_from(exponent).ok()?)?)?;
    } else {
        let divisor = 10u128.checked_pow(u32::try_from(-exponent).ok()?)?;
        if value % divisor != 0 {
            return None;
        }
        value /= divisor;
    }
    u64::try_from(value).ok()
}

/// Why the call failed.
#[derive(Debug)]
pub(crate) enum CallError {
    /// The provider answered with a gRPC status other than OK.
    Status(tonic::Status),
    /// The status message is larger than the cap.
    TooLarge,
    /// HTTP/2 or the connection broke.
    Broken(String),
}

/// hyper's HTTP/2 sender as the tower service tonic's client drives.
struct Http2(SendRequest<tonic::body::Body>);

impl tower_service::Service<Request<tonic::body::Body>> for Http2 {
    type Response = Response<Incoming>;
    type Error = hyper::Error;
    type Future = Pin<Box<dyn Future<Output = Result<Response<Incoming>, hyper::Error>> + Send>>;

    fn poll_ready(&mut self, cx: &mut Context<'_>) -> Poll<Result<(), hyper::Error>> {
        self.0.poll_ready(cx)
    }

    fn call(&mut self, request: Request<tonic::body::Body>) -> Self::Future {
        Box::pin(self.0.send_request(request))
    }
}

/// Calls `GetStatus` over `io` (TLS with ALPN `h2`, already verified), with `origin` as
/// `:scheme` and `:authority`, and no metadata at all — in particular no `authorization`, which
/// the provider's gRPC mishandles. The status message may be at most `max_bytes` long.
pub(crate) async fn get_status<S>(io: S, origin: Uri, max_bytes: usize) -> Result<Option<ResourcePair>, CallError>
where
    S: AsyncRead + AsyncWrite + Unpin + Send + 'static,
{
    let (sender, conn) = hyper::client::conn::http2::handshake(TokioExecutor::new(), TokioIo::new(io))
        .await
        .map_err(|e| CallError::Broken(format!("HTTP/2: {e}")))?;
    let work = async move {
        let mut grpc = tonic::client::Grpc::with_origin(Http2(sender), origin).max_decoding_message_size(max_bytes);
        grpc.ready().await.map_err(|e| CallError::Broken(format!("HTTP/2: {e}")))?;
        let codec = tonic_prost::ProstCodec::<(), Status>::default();
        let reply = grpc.unary(tonic::Request::new(()), PathAndQuery::from_static(GET_STATUS), codec).await;
        let status = reply.map_err(classify)?.into_inner();
        Ok(status.cluster.and_then(|c| c.inventory).and_then(|i| i.leased_ip))
    };
    let mut work = std::pin::pin!(work);
    let mut conn = std::pin::pin!(conn);
    // As in `upstream::exchange`: the connection runs beside the call, in this task, so the
    // caller's deadline drops both.
    tokio::select! {
        reply = &mut work => reply,
        _ = &mut conn => work.await,
    }
}

/// A status tonic made itself (from a transport error, or its size limit) is not the
/// provider's answer.
fn classify(status: tonic::Status) -> CallError {
    // tonic's decoder: "Error, decoded message length too large: found … bytes, the limit is …".
    if status.code() == tonic::Code::OutOfRange
        && status.message().starts_with("Error, decoded message length too large")
    {
        return CallError::TooLarge;
    }
    // A status read from the provider's trailers has no source; one made from an HTTP/2 or
    // connection error has it.
    if std::error::Error::source(&status).is_some() {
        return CallError::Broken(status.message().to_owned());
    }
    CallError::Status(status)
}

#[cfg(test)]
mod tests {
    use prost::Message as _;

    use super::*;

    #[test]
    fn reads_quantities() {
        for (text, value) in [
            ("0", Some(0)),
            ("10", Some(10)),
            ("+7", Some(7)),
            ("1k", Some(1000)),
            ("2Ki", Some(2048)),
            ("1.5k", Some(1500)),
            ("3e2", Some(300)),
            ("1M", Some(1_000_000)),
            ("1.5", None),
            ("-1", None),
            ("", None),
            ("k", None),
            ("10x", None),
            ("1..2", None),
            ("100000000000000000000", None),
            ("1e-1", None),
        ] {
            assert_eq!(quantity(text), value, "{text:?}");
        }
    }

    /// The wire bytes written out by hand from the upstream field numbers, so a wrong tag in
    /// the derive above cannot be matched by the same mistake on the encoding side.
    #[test]
    fn decodes_leased_ip_from_the_wire() {
        let quantity = |tag: u8, text: &str| {
            let mut q = vec![0x0a, u8::try_from(text.len()).expect("short")];
            q.extend_from_slice(text.as_bytes());
            let mut field = vec![(tag << 3) | 2, u8::try_from(q.len()).expect("short")];
            field.extend(q);
            field
        };
        let mut pair = quantity(1, "10");
        pair.extend(quantity(2, "7"));
        pair.extend(quantity(4, "10"));
        let wrap = |tag: u8, inner: Vec<u8>| {
            let mut out = vec![(tag << 3) | 2, u8::try_from(inner.len()).expect("short")];
            out.extend(inner);
            out
        };
        // Status { errors: ["x"] (1), cluster (2) { leases (1) {}, inventory (2) { leased_ip (3) } } }
        let mut cluster = wrap(1, vec![0x08, 3]);
        cluster.extend(wrap(2, wrap(3, pair)));
        let mut bytes = wrap(1, b"x".to_vec());
        bytes.extend(wrap(2, cluster));
        let status = Status::decode(bytes.as_slice()).expect("decodes");
        let pair = status.cluster.and_then(|c| c.inventory).and_then(|i| i.leased_ip).expect("leased_ip");
        assert_eq!(
            answer_json(Some(&pair)),
            serde_json::json!({"leased_ip": {"allocatable": "10", "allocated": "7", "capacity": "10"}, "free": 3})
        );
    }

    #[test]
    fn free_saturates_and_absent_means_none() {
        let q = |s: &str| Some(Quantity { string: Some(s.to_owned()) });
        let pair = ResourcePair { allocatable: q("3"), allocated: q("6"), capacity: q("3") };
        assert_eq!(answer_json(Some(&pair))["free"], 0);
        let pair = ResourcePair { allocatable: None, allocated: None, capacity: None };
        assert_eq!(answer_json(Some(&pair))["leased_ip"]["capacity"], "0");
        assert_eq!(answer_json(None), serde_json::json!({"leased_ip": null, "free": null}));
    }
}
