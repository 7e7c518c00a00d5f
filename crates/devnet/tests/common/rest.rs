//! Requests to the devnet's chain REST, for the tests that speak HTTP to it.

use std::time::{Duration, Instant};

use serde_json::Value;

/// GET `path`: the status and the JSON body.
pub fn get(base: &str, path: &str) -> (u16, Value) {
    let (status, text) = match ureq::get(&format!("{base}{path}")).call() {
        Ok(r) => (r.status(), r.into_string().expect("body")),
        Err(ureq::Error::Status(code, r)) => (code, r.into_string().expect("body")),
        Err(e) => panic!("GET {path}: {e}"),
    };
    (status, serde_json::from_str(&text).unwrap_or_else(|e| panic!("GET {path}: {e}: {text}")))
}

/// POSTs JSON as the browser does: labelled `text/plain`, so no CORS preflight is needed.
pub fn post(base: &str, path: &str, body: &Value) -> (u16, Value) {
    let (status, text) =
        match ureq::post(&format!("{base}{path}")).set("content-type", "text/plain").send_string(&body.to_string()) {
            Ok(r) => (r.status(), r.into_string().expect("body")),
            Err(ureq::Error::Status(code, r)) => (code, r.into_string().expect("body")),
            Err(e) => panic!("POST {path}: {e}"),
        };
    (status, serde_json::from_str(&text).unwrap_or_else(|e| panic!("POST {path}: {e}: {text}")))
}

/// Polls `path` until `ok` holds, for at most 10 s (the tests' devnet makes a block every
/// 100 ms).
pub fn wait_for(base: &str, path: &str, ok: impl Fn(u16, &Value) -> bool) -> Value {
    let deadline = Instant::now() + Duration::from_secs(10);
    loop {
        let (status, v) = get(base, path);
        if ok(status, &v) {
            return v;
        }
        assert!(Instant::now() < deadline, "timed out waiting on {path}: {status} {v}");
        std::thread::sleep(Duration::from_millis(50));
    }
}
