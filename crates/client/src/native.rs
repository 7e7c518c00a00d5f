//! [`NativeTransport`]: a deliberately small blocking HTTP/1.1 client over `std::net`, for plain
//! `http://` (a local devnet, the Leasekit proxy on localhost, tests). One connection per request
//! (`Connection: close`); the request body is sent with `Content-Length`; responses may be
//! `Content-Length`, chunked or read-to-close. No TLS: `https://` is refused with an error.

use std::future::Future;
use std::io::{BufRead, BufReader, Read, Write};
use std::net::{TcpStream, ToSocketAddrs};
use std::time::Duration;

use crate::transport::{HttpRequest, HttpResponse, Transport, TransportError, TransportErrorKind};

/// The largest response head or body accepted (64 MiB), so a broken peer cannot exhaust memory.
const MAX_BODY: usize = 64 << 20;

/// Blocking HTTP/1.1 over TCP. Its futures complete on first poll: it suits a CLI or a test
/// driven by a trivial executor, not an event loop.
#[derive(Debug, Clone)]
pub struct NativeTransport {
    timeout: Duration,
}

impl Default for NativeTransport {
    fn default() -> Self {
        NativeTransport { timeout: Duration::from_secs(30) }
    }
}

impl NativeTransport {
    /// A transport with a 30 s connect, read and write timeout.
    #[must_use]
    pub fn new() -> Self {
        NativeTransport::default()
    }

    /// The same with another timeout (applied to connect, and to each read and write).
    #[must_use]
    pub fn with_timeout(timeout: Duration) -> Self {
        NativeTransport { timeout }
    }

    /// Sends a request and waits for the whole response.
    pub fn send_blocking(&self, req: &HttpRequest) -> Result<HttpResponse, TransportError> {
        let target = Target::parse(&req.url)?;
        let mut stream = self.connect(&target)?;
        let mut head =
            format!("{} {} HTTP/1.1\r\nHost: {}\r\nConnection: close\r\n", req.method, target.path, target.host_header);
        for (name, value) in &req.headers {
            if name.eq_ignore_ascii_case("content-length") || name.eq_ignore_ascii_case("connection") {
                continue;
            }
            if [name, value].iter().any(|s| s.contains(['\r', '\n'])) {
                return Err(TransportError::new(
                    TransportErrorKind::Unsupported,
                    format!("header {name:?} contains a line break"),
                ));
            }
            head.push_str(&format!("{name}: {value}\r\n"));
        }
        head.push_str(&format!("Content-Length: {}\r\n\r\n", req.body.len()));
        stream.write_all(head.as_bytes()).and_then(|()| stream.write_all(&req.body)).map_err(io_error)?;
        stream.flush().map_err(io_error)?;
        read_response(BufReader::new(stream), &req.method)
    }

    fn connect(&self, target: &Target) -> Result<TcpStream, TransportError> {
        let addrs = (target.host.as_str(), target.port).to_socket_addrs().map_err(|e| {
            TransportError::new(TransportErrorKind::Connect, format!("cannot resolve {}: {e}", target.host))
        })?;
        let mut last = None;
        for addr in addrs {
            match TcpStream::connect_timeout(&addr, self.timeout) {
                Ok(stream) => {
                    stream.set_read_timeout(Some(self.timeout)).map_err(io_error)?;
                    stream.set_write_timeout(Some(self.timeout)).map_err(io_error)?;
                    return Ok(stream);
                }
                Err(e) => last = Some(io_error(e)),
            }
        }
        Err(last.unwrap_or_else(|| {
            TransportError::new(TransportErrorKind::Connect, format!("{} has no address", target.host))
        }))
    }
}

impl Transport for NativeTransport {
    fn send(&self, req: HttpRequest) -> impl Future<Output = Result<HttpResponse, TransportError>> {
        std::future::ready(self.send_blocking(&req))
    }

    async fn sleep(&self, ms: u64) {
        std::thread::sleep(Duration::from_millis(ms));
    }
}

fn io_error(e: std::io::Error) -> TransportError {
    use std::io::ErrorKind as K;
    let kind = match e.kind() {
        K::TimedOut | K::WouldBlock => TransportErrorKind::Timeout,
        K::UnexpectedEof | K::InvalidData => TransportErrorKind::Protocol,
        _ => TransportErrorKind::Connect,
    };
    TransportError::new(kind, e.to_string())
}

fn protocol(what: &str) -> TransportError {
    TransportError::new(TransportErrorKind::Protocol, format!("malformed HTTP response: {what}"))
}

/// Host, port and request target of an `http://` URL.
struct Target {
    host: String,
    port: u16,
    host_header: String,
    path: String,
}

impl Target {
    fn parse(url: &str) -> Result<Target, TransportError> {
        let unsupported = |why: String| TransportError::new(TransportErrorKind::Unsupported, why);
        let Some(rest) = url.strip_prefix("http://") else {
            return Err(unsupported(if url.starts_with("https://") {
                format!(
                    "the native transport speaks plain http:// only, not TLS: {url} (reach https providers through the Leasekit proxy)"
                )
            } else {
                format!("not an http:// URL: {url}")
            }));
        };
        let (authority, path) = rest.find(['/', '?']).map_or((rest, "/"), |at| rest.split_at(at));
        let path = if path.starts_with('?') { format!("/{path}") } else { path.to_owned() };
        if authority.is_empty() || authority.contains('@') {
            return Err(unsupported(format!("unsupported host in {url}")));
        }
        let (host, port) = match authority.rsplit_once(':') {
            Some((host, port)) if !port.contains(']') => {
                (host, port.parse().map_err(|_| unsupported(format!("bad port in {url}")))?)
            }
            _ => (authority, 80),
        };
        let host = host.trim_start_matches('[').trim_end_matches(']').to_owned();
        Ok(Target { host, port, host_header: authority.to_owned(), path })
    }
}

fn read_line(reader: &mut impl BufRead) -> Result<String, TransportError> {
    let mut line = Vec::new();
    reader.by_ref().take(16 * 1024).read_until(b'\n', &mut line).map_err(io_error)?;
    if !line.ends_with(b"\n") {
        return Err(protocol("unterminated line"));
    }
    let text = String::from_utf8(line).map_err(|_| protocol("non-UTF-8 head"))?;
    Ok(text.trim_end_matches(['\r', '\n']).to_owned())
}

fn read_response(mut reader: impl BufRead, method: &str) -> Result<HttpResponse, TransportError> {
    let status_line = read_line(&mut reader)?;
    let mut parts = status_line.split(' ');
    if !parts.next().is_some_and(|v| v.starts_with("HTTP/1.")) {
        return Err(protocol("no HTTP/1.x status line"));
    }
    let status: u16 = parts.next().and_then(|s| s.parse().ok()).ok_or_else(|| protocol("no status code"))?;
    let mut headers = Vec::new();
    loop {
        let line = read_line(&mut reader)?;
        if line.is_empty() {
            break;
        }
        let (name, value) = line.split_once(':').ok_or_else(|| protocol("header without a colon"))?;
        headers.push((name.trim().to_owned(), value.trim().to_owned()));
        if headers.len() > 200 {
            return Err(protocol("too many headers"));
        }
    }
    let header = |name: &str| headers.iter().find(|(k, _)| k.eq_ignore_ascii_case(name)).map(|(_, v)| v.as_str());
    let body = if method == "HEAD" || status == 204 || status == 304 || (100..200).contains(&status) {
        Vec::new()
    } else if header("transfer-encoding").is_some_and(|te| te.to_ascii_lowercase().contains("chunked")) {
        read_chunked(&mut reader)?
    } else if let Some(length) = header("content-length") {
        let length: usize = length.parse().map_err(|_| protocol("bad Content-Length"))?;
        if length > MAX_BODY {
            return Err(protocol("body too large"));
        }
        let mut body = vec![0; length];
        reader.read_exact(&mut body).map_err(io_error)?;
        body
    } else {
        let mut body = Vec::new();
        reader.take(MAX_BODY as u64).read_to_end(&mut body).map_err(io_error)?;
        body
    };
    Ok(HttpResponse { status, headers, body })
}

fn read_chunked(reader: &mut impl BufRead) -> Result<Vec<u8>, TransportError> {
    let mut body = Vec::new();
    loop {
        let line = read_line(reader)?;
        let size = line.split(';').next().unwrap_or_default().trim();
        let size = usize::from_str_radix(size, 16).map_err(|_| protocol("bad chunk size"))?;
        if size == 0 {
            // Trailers, up to the empty line.
            while !read_line(reader)?.is_empty() {}
            return Ok(body);
        }
        if body.len() + size > MAX_BODY {
            return Err(protocol("body too large"));
        }
        let start = body.len();
        body.resize(start + size, 0);
        reader.read_exact(&mut body[start..]).map_err(io_error)?;
        if !read_line(reader)?.is_empty() {
            return Err(protocol("chunk not followed by CRLF"));
        }
    }
}
