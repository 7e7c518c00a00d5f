//! One HTTP/1.1 exchange over a connection the caller opened.

use std::net::SocketAddr;

use bytes::Bytes;
use http_body_util::{BodyExt, Full, LengthLimitError, Limited};
use hyper::header::{CONTENT_TYPE, HeaderValue};
use hyper::{Request, StatusCode};
use hyper_util::rt::TokioIo;
use tokio::io::{AsyncRead, AsyncWrite};
use tokio::net::TcpStream;

/// What came back.
#[derive(Debug)]
pub(crate) struct Reply {
    pub status: StatusCode,
    pub content_type: Option<HeaderValue>,
    pub body: Bytes,
}

/// Why an exchange failed.
#[derive(Debug)]
pub(crate) enum ExchangeError {
    /// The body was longer than the cap.
    TooLarge,
    /// The peer broke HTTP or the connection.
    Broken(String),
}

/// Connects to the first of `addrs` that answers (all were checked by the caller; none is looked
/// up again).
pub(crate) async fn connect(addrs: &[SocketAddr]) -> std::io::Result<TcpStream> {
    let mut last = std::io::Error::new(std::io::ErrorKind::NotFound, "the host has no address");
    for addr in addrs {
        match TcpStream::connect(addr).await {
            Ok(stream) => {
                // Small requests and answers: do not wait for more to send.
                stream.set_nodelay(true)?;
                return Ok(stream);
            }
            Err(e) => last = e,
        }
    }
    Err(last)
}

/// Sends `request` over `io` and collects the answer, at most `max_body` bytes of body.
pub(crate) async fn exchange<S>(io: S, request: Request<Full<Bytes>>, max_body: usize) -> Result<Reply, ExchangeError>
where
    S: AsyncRead + AsyncWrite + Unpin + Send + 'static,
{
    let broken = |e: hyper::Error| ExchangeError::Broken(e.to_string());
    let (mut sender, conn) = hyper::client::conn::http1::handshake(TokioIo::new(io)).await.map_err(broken)?;
    // The connection future drives the socket; it runs beside the exchange, in this task, so a
    // caller's deadline that drops this future also drops the connection.
    let work = async move {
        let response = sender.send_request(request).await.map_err(broken)?;
        let (parts, body) = response.into_parts();
        let body = Limited::new(body, max_body).collect().await.map_err(|e| {
            if e.downcast_ref::<LengthLimitError>().is_some() {
                ExchangeError::TooLarge
            } else {
                ExchangeError::Broken(e.to_string())
            }
        })?;
        Ok(Reply {
            status: parts.status,
            content_type: parts.headers.get(CONTENT_TYPE).cloned(),
            body: body.to_bytes(),
        })
    };
    let mut work = std::pin::pin!(work);
    let mut conn = std::pin::pin!(conn);
    tokio::select! {
        reply = &mut work => reply,
        // The connection ended first (closed or failed): the exchange now fails or finishes
        // without it.
        _ = &mut conn => work.await,
    }
}
