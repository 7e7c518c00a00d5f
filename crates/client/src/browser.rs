//! [`BrowserTransport`]: `fetch` through `gloo-net`, timers through `gloo-timers`. The browser
//! enforces CORS, so a page reaches providers only through the Leasekit proxy (their gateways
//! send no CORS headers) and the chain only through REST nodes that allow its origin.

use std::future::Future;

use gloo_net::http::{Method, RequestBuilder};

use crate::transport::{HttpRequest, HttpResponse, Transport, TransportError, TransportErrorKind};

/// `fetch`-based transport for wasm32 in a browser (or any JS host with `fetch`).
#[derive(Debug, Clone, Copy, Default)]
pub struct BrowserTransport;

impl BrowserTransport {
    /// The transport.
    #[must_use]
    pub fn new() -> Self {
        BrowserTransport
    }
}

async fn fetch(req: HttpRequest) -> Result<HttpResponse, TransportError> {
    let unsupported = |e: String| TransportError::new(TransportErrorKind::Unsupported, e);
    let method = match req.method.as_str() {
        "GET" => Method::GET,
        "POST" => Method::POST,
        "PUT" => Method::PUT,
        "DELETE" => Method::DELETE,
        "PATCH" => Method::PATCH,
        "HEAD" => Method::HEAD,
        other => return Err(unsupported(format!("unsupported method {other}"))),
    };
    let mut builder = RequestBuilder::new(&req.url).method(method);
    for (name, value) in &req.headers {
        builder = builder.header(name, value);
    }
    let request =
        if req.body.is_empty() { builder.build() } else { builder.body(js_sys::Uint8Array::from(req.body.as_slice())) }
            .map_err(|e| unsupported(e.to_string()))?;
    // fetch rejects only when no response arrived, and the page is not told why (the network,
    // a wrong address, or a server that does not allow this page's origin: CORS), so the
    // message names the server and the three causes.
    let response = request.send().await.map_err(|e| {
        let origin = req.url.split('/').take(3).collect::<Vec<_>>().join("/");
        TransportError::new(
            TransportErrorKind::Connect,
            format!(
                "{origin} did not answer ({e}): the network is down, the address is wrong, or the server does not \
                 allow requests from this page (CORS)"
            ),
        )
    })?;
    let headers = response.headers().entries().collect();
    let status = response.status();
    let body = response.binary().await.map_err(|e| TransportError::new(TransportErrorKind::Protocol, e.to_string()))?;
    Ok(HttpResponse { status, headers, body })
}

impl Transport for BrowserTransport {
    fn send(&self, req: HttpRequest) -> impl Future<Output = Result<HttpResponse, TransportError>> {
        fetch(req)
    }

    fn sleep(&self, ms: u64) -> impl Future<Output = ()> {
        gloo_timers::future::TimeoutFuture::new(u32::try_from(ms).unwrap_or(u32::MAX))
    }
}
