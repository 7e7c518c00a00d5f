//! Client tests: a recording mock transport pins every URL, method, header and body; canned
//! responses live in `tests/fixtures/`, one per case.

mod chain;
mod errors;
#[cfg(feature = "native")]
mod native;
mod provider;
mod recorded;

use std::cell::RefCell;
use std::collections::VecDeque;
use std::future::Future;
use std::pin::pin;
use std::task::{Context, Poll, Waker};

use leasekit_client::{HttpRequest, HttpResponse, Transport, TransportError};

/// Runs a future whose every await is ready at once (the mock's are; so are the native
/// transport's).
pub fn block_on<F: Future>(future: F) -> F::Output {
    let mut future = pin!(future);
    let mut cx = Context::from_waker(Waker::noop());
    loop {
        if let Poll::Ready(out) = future.as_mut().poll(&mut cx) {
            return out;
        }
    }
}

/// A fixture's bytes.
pub fn fixture(name: &str) -> Vec<u8> {
    let path = format!("{}/tests/fixtures/{name}", env!("CARGO_MANIFEST_DIR"));
    std::fs::read(&path).unwrap_or_else(|e| panic!("fixture {path}: {e}"))
}

/// A response with a fixture body (`""` for an empty body).
pub fn reply(status: u16, fixture_name: &str) -> HttpResponse {
    let body = if fixture_name.is_empty() { Vec::new() } else { fixture(fixture_name) };
    let content_type = if fixture_name.ends_with(".json") { "application/json" } else { "text/plain; charset=utf-8" };
    HttpResponse { status, headers: vec![("Content-Type".to_owned(), content_type.to_owned())], body }
}

/// Records requests and sleeps; answers with queued responses in order.
#[derive(Default)]
pub struct Mock {
    responses: RefCell<VecDeque<HttpResponse>>,
    /// Every request sent, in order.
    pub requests: RefCell<Vec<HttpRequest>>,
    /// Every sleep asked for, in milliseconds.
    pub sleeps: RefCell<Vec<u64>>,
}

impl Mock {
    /// A mock answering `responses` in order.
    pub fn new(responses: impl IntoIterator<Item = HttpResponse>) -> Self {
        Mock { responses: RefCell::new(responses.into_iter().collect()), ..Mock::default() }
    }

    /// The only request sent.
    pub fn single(&self) -> HttpRequest {
        let requests = self.requests.borrow();
        assert_eq!(requests.len(), 1, "expected one request, got {requests:#?}");
        requests[0].clone()
    }

    /// The URLs requested, in order.
    pub fn urls(&self) -> Vec<String> {
        self.requests.borrow().iter().map(|r| r.url.clone()).collect()
    }
}

impl Transport for Mock {
    async fn send(&self, req: HttpRequest) -> Result<HttpResponse, TransportError> {
        self.requests.borrow_mut().push(req);
        Ok(self.responses.borrow_mut().pop_front().expect("the test queued a response for every request"))
    }

    async fn sleep(&self, ms: u64) {
        self.sleeps.borrow_mut().push(ms);
    }
}

/// A header's value in a request.
pub fn header<'a>(req: &'a HttpRequest, name: &str) -> Option<&'a str> {
    req.headers.iter().find(|(k, _)| k.eq_ignore_ascii_case(name)).map(|(_, v)| v.as_str())
}
