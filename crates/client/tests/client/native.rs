use std::io::{BufRead, BufReader, Read, Write};
use std::net::TcpListener;
use std::thread;
use std::time::Duration;

use leasekit_client::native::NativeTransport;
use leasekit_client::{HttpRequest, TransportErrorKind};

/// Serves one connection: reads the request (head and Content-Length body), answers `response`,
/// returns the request text.
fn serve_once(response: &'static [u8]) -> (String, thread::JoinHandle<String>) {
    let listener = TcpListener::bind("127.0.0.1:0").expect("bind");
    let base = format!("http://{}", listener.local_addr().expect("address"));
    let handle = thread::spawn(move || {
        let (stream, _) = listener.accept().expect("accept");
        let mut reader = BufReader::new(stream);
        let mut head = String::new();
        loop {
            let mut line = String::new();
            reader.read_line(&mut line).expect("line");
            head.push_str(&line);
            if line == "\r\n" {
                break;
            }
        }
        let length = head
            .lines()
            .find_map(|l| l.strip_prefix("Content-Length: "))
            .map_or(0, |n| n.trim().parse::<usize>().expect("length"));
        let mut body = vec![0; length];
        reader.read_exact(&mut body).expect("body");
        reader.get_mut().write_all(response).expect("write");
        head + &String::from_utf8(body).expect("UTF-8")
    });
    (base, handle)
}

#[test]
fn content_length_response() {
    let (base, server) =
        serve_once(b"HTTP/1.1 200 OK\r\nContent-Type: application/json\r\nContent-Length: 11\r\n\r\n{\"ok\":true}\n");
    let req = HttpRequest::new("POST", format!("{base}/cosmos/tx/v1beta1/txs?x=1"))
        .header("Authorization", "Bearer t")
        .json_body("{\"a\":1}".to_owned());
    let resp = NativeTransport::new().send_blocking(&req).expect("response");
    // Content-Length ends the body: the stray newline after it is not read.
    assert_eq!((resp.status, resp.body.as_slice()), (200, &b"{\"ok\":true}"[..]));
    assert_eq!(resp.header("content-type"), Some("application/json"));
    let seen = server.join().expect("server");
    assert!(seen.starts_with("POST /cosmos/tx/v1beta1/txs?x=1 HTTP/1.1\r\nHost: 127.0.0.1:"), "{seen}");
    for line in [
        "Connection: close\r\n",
        "Authorization: Bearer t\r\n",
        "Content-Type: application/json\r\n",
        "Content-Length: 7\r\n",
    ] {
        assert!(seen.contains(line), "{line:?} missing in {seen}");
    }
    assert!(seen.ends_with("\r\n\r\n{\"a\":1}"), "{seen}");
}

#[test]
fn chunked_response() {
    let (base, server) = serve_once(
        b"HTTP/1.1 404 Not Found\r\nTransfer-Encoding: chunked\r\n\r\n5;ext=1\r\nkube:\r\n1A\r\n no deployments for lease\n\r\n0\r\nX-Trailer: y\r\n\r\n",
    );
    let resp = NativeTransport::with_timeout(Duration::from_secs(5))
        .send_blocking(&HttpRequest::new("GET", format!("{base}/lease/1/1/1/status")))
        .expect("response");
    assert_eq!((resp.status, resp.text().as_str()), (404, "kube: no deployments for lease\n"));
    assert!(server.join().expect("server").starts_with("GET /lease/1/1/1/status HTTP/1.1\r\n"));
}

#[test]
fn through_the_trait() {
    let (base, server) = serve_once(b"HTTP/1.1 200 OK\r\nContent-Length: 0\r\n\r\n");
    let client = leasekit_client::ProviderClient::new(NativeTransport::new(), &base);
    crate::block_on(client.send_manifest("akash1p", 5, "[]", "jwt")).expect("accepted");
    let seen = server.join().expect("server");
    assert!(seen.starts_with("PUT /provider/akash1p/deployment/5/manifest HTTP/1.1\r\n"), "{seen}");
}

#[test]
fn https_is_refused() {
    let err = NativeTransport::new()
        .send_blocking(&HttpRequest::new("GET", "https://provider.example.com:8443/status"))
        .expect_err("no TLS");
    assert_eq!(err.kind, TransportErrorKind::Unsupported);
    assert!(err.message.contains("plain http:// only"), "{}", err.message);
}

#[test]
fn silent_server_times_out() {
    let listener = TcpListener::bind("127.0.0.1:0").expect("bind");
    let url = format!("http://{}/status", listener.local_addr().expect("address"));
    let server = thread::spawn(move || {
        let (stream, _) = listener.accept().expect("accept");
        thread::sleep(Duration::from_millis(600));
        drop(stream);
    });
    let err = NativeTransport::with_timeout(Duration::from_millis(200))
        .send_blocking(&HttpRequest::new("GET", url))
        .expect_err("no answer");
    assert_eq!(err.kind, TransportErrorKind::Timeout, "{err}");
    let client_err = leasekit_client::ClientError::from(err);
    assert_eq!(client_err.kind, leasekit_client::ErrorKind::Timeout);
    server.join().expect("server");
}
