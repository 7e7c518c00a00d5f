//! The one seam between the clients and the network: a request goes in, a response (any status)
//! comes out. Implementations: [`crate::native::NativeTransport`] (feature `native`),
//! [`crate::browser::BrowserTransport`] (feature `browser`) and the tests' mock.

use std::fmt;
use std::future::Future;

/// An HTTP request as the clients build it: absolute URL, headers in order, raw body.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct HttpRequest {
    /// `GET`, `POST`, `PUT`, …
    pub method: String,
    /// Absolute URL, query already encoded.
    pub url: String,
    /// Header names and values, sent in this order.
    pub headers: Vec<(String, String)>,
    /// The body; empty for GET.
    pub body: Vec<u8>,
}

impl HttpRequest {
    /// A request without headers or body.
    #[must_use]
    pub fn new(method: &str, url: impl Into<String>) -> Self {
        HttpRequest { method: method.to_owned(), url: url.into(), headers: Vec::new(), body: Vec::new() }
    }

    /// Adds a header.
    #[must_use]
    pub fn header(mut self, name: &str, value: &str) -> Self {
        self.headers.push((name.to_owned(), value.to_owned()));
        self
    }

    /// Sets a JSON body and its content type.
    #[must_use]
    pub fn json_body(self, body: String) -> Self {
        let mut req = self.header("Content-Type", "application/json");
        req.body = body.into_bytes();
        req
    }

    /// Sets a JSON body labelled `text/plain`, which keeps a cross-origin POST a CORS "simple
    /// request": the browser sends it without an `OPTIONS` preflight, which a public node
    /// answers only when its operator enabled CORS. The Cosmos SDK's REST gateway decodes the
    /// body as JSON whatever its content type (cosmos-sdk `server/api/server.go`: the gateway mux is built with
    /// `runtime.WithMarshalerOption(runtime.MIMEWildcard, …)`, one JSON marshaler for every type).
    #[must_use]
    pub fn simple_json_body(self, body: String) -> Self {
        let mut req = self.header("Content-Type", "text/plain");
        req.body = body.into_bytes();
        req
    }
}

/// An HTTP response of any status: the clients, not the transport, decide what a status means.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct HttpResponse {
    /// The status code.
    pub status: u16,
    /// Header names (as received) and values.
    pub headers: Vec<(String, String)>,
    /// The body, already de-chunked.
    pub body: Vec<u8>,
}

impl HttpResponse {
    /// A header's value, name compared case-insensitively.
    #[must_use]
    pub fn header(&self, name: &str) -> Option<&str> {
        self.headers.iter().find(|(k, _)| k.eq_ignore_ascii_case(name)).map(|(_, v)| v.as_str())
    }

    /// The body as text (invalid UTF-8 replaced).
    #[must_use]
    pub fn text(&self) -> String {
        String::from_utf8_lossy(&self.body).into_owned()
    }
}

/// What kind of failure kept a request from getting any response.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum TransportErrorKind {
    /// The URL cannot be sent by this transport (bad URL, `https://` on the native one).
    Unsupported,
    /// No connection (DNS, refused, reset, CORS in a browser).
    Connect,
    /// Connect, write or read took longer than allowed.
    Timeout,
    /// The peer answered something that is not HTTP/1.1 as we read it.
    Protocol,
}

/// A request that got no HTTP response at all.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TransportError {
    /// The kind of failure.
    pub kind: TransportErrorKind,
    /// What happened, for logs.
    pub message: String,
}

impl TransportError {
    /// A transport error of `kind`.
    #[must_use]
    pub fn new(kind: TransportErrorKind, message: impl Into<String>) -> Self {
        TransportError { kind, message: message.into() }
    }
}

impl fmt::Display for TransportError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.message)
    }
}

impl std::error::Error for TransportError {}

/// Sends HTTP requests and sleeps. No `Send` bound: browser futures (`gloo-net`) are not `Send`.
pub trait Transport {
    /// Sends one request; any HTTP status is `Ok`.
    fn send(&self, req: HttpRequest) -> impl Future<Output = Result<HttpResponse, TransportError>>;

    /// Waits `ms` milliseconds (used between polls).
    fn sleep(&self, ms: u64) -> impl Future<Output = ()>;
}

impl<T: Transport> Transport for &T {
    fn send(&self, req: HttpRequest) -> impl Future<Output = Result<HttpResponse, TransportError>> {
        (**self).send(req)
    }

    fn sleep(&self, ms: u64) -> impl Future<Output = ()> {
        (**self).sleep(ms)
    }
}
