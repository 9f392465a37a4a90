//! Accepting WebSocket connections on the provider's path with the provider's auth header.

use tokio::net::{TcpListener, TcpStream};
use tokio_tungstenite::tungstenite::handshake::server::{ErrorResponse, Request, Response};
use tokio_tungstenite::tungstenite::http::StatusCode;
use tokio_tungstenite::{WebSocketStream, accept_hdr_async};

/// What a fake requires of the upgrade request.
#[derive(Debug, Clone, Copy)]
pub struct Expect {
    /// Path the provider serves, e.g. `/v1/realtime`.
    pub path: &'static str,
    /// Header carrying the credential, e.g. `authorization`.
    pub auth_header: &'static str,
}

fn refuse(status: StatusCode) -> ErrorResponse {
    let mut response = ErrorResponse::new(None);
    *response.status_mut() = status;
    response
}

/// Upgrades `tcp`, answering 404 for another path and 401 without the auth header.
pub async fn accept(tcp: TcpStream, expect: Expect) -> Option<WebSocketStream<TcpStream>> {
    #[expect(
        clippy::result_large_err,
        reason = "tungstenite fixes the handshake callback's signature"
    )]
    let check = move |req: &Request, resp: Response| {
        if req.uri().path() != expect.path {
            return Err(refuse(StatusCode::NOT_FOUND));
        }
        if !req.headers().contains_key(expect.auth_header) {
            return Err(refuse(StatusCode::UNAUTHORIZED));
        }
        Ok(resp)
    };
    match accept_hdr_async(tcp, check).await {
        Ok(ws) => Some(ws),
        Err(e) => {
            tracing::info!(error = %e, "refused connection");
            None
        }
    }
}

/// Binds `addr` ("127.0.0.1:0" for an ephemeral port).
pub async fn bind(addr: &str) -> anyhow::Result<TcpListener> {
    Ok(TcpListener::bind(addr).await?)
}
