//! A one-request HTTP/1.1 peer on 127.0.0.1 for REST client tests: it records exactly what
//! the client sent and answers with a canned status and JSON body, like the provider would.

#![allow(clippy::unwrap_used, clippy::expect_used)]

use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio::net::TcpListener;
use tokio::task::JoinHandle;

/// What the client sent.
#[derive(Debug)]
pub struct Recorded {
    pub method: String,
    pub path: String,
    pub headers: Vec<(String, String)>,
    pub body: Vec<u8>,
}

impl Recorded {
    pub fn header(&self, name: &str) -> Option<&str> {
        self.headers
            .iter()
            .find(|(k, _)| k.eq_ignore_ascii_case(name))
            .map(|(_, v)| v.as_str())
    }

    pub fn json(&self) -> serde_json::Value {
        serde_json::from_slice(&self.body).unwrap()
    }

    pub fn form(&self) -> Vec<(String, String)> {
        form_urlencoded::parse(&self.body).into_owned().collect()
    }
}

/// Serves one request with `status` and `body`; returns the base URL and the recording.
pub async fn serve_once(status: u16, body: &'static str) -> (String, JoinHandle<Recorded>) {
    let (base, all) = serve_sequence(vec![(status, body)]).await;
    let one = tokio::spawn(async move { all.await.unwrap().remove(0) });
    (base, one)
}

/// Serves one request per `(status, body)` in order, each on its own connection (the reply
/// says `Connection: close`), as a provider that fails and then recovers would.
pub async fn serve_sequence(
    replies: Vec<(u16, &'static str)>,
) -> (String, JoinHandle<Vec<Recorded>>) {
    let listener = TcpListener::bind("127.0.0.1:0").await.unwrap();
    let base = format!("http://{}", listener.local_addr().unwrap());
    let handle = tokio::spawn(async move {
        let mut recorded = Vec::new();
        for (status, reply) in replies {
            let (socket, _) = listener.accept().await.unwrap();
            recorded.push(answer(socket, status, reply).await);
        }
        recorded
    });
    (base, handle)
}

async fn answer(mut socket: tokio::net::TcpStream, status: u16, reply: &str) -> Recorded {
    let mut buf = Vec::new();
    let mut chunk = [0u8; 4096];
    let header_end = loop {
        let n = socket.read(&mut chunk).await.unwrap();
        assert!(n > 0, "client closed before sending headers");
        buf.extend_from_slice(&chunk[..n]);
        if let Some(pos) = buf.windows(4).position(|w| w == b"\r\n\r\n") {
            break pos + 4;
        }
    };
    let head = String::from_utf8(buf[..header_end].to_vec()).unwrap();
    let mut lines = head.split("\r\n");
    let mut request_line = lines.next().unwrap().split(' ');
    let method = request_line.next().unwrap().to_owned();
    let path = request_line.next().unwrap().to_owned();
    let headers: Vec<(String, String)> = lines
        .filter_map(|l| l.split_once(':'))
        .map(|(k, v)| (k.trim().to_owned(), v.trim().to_owned()))
        .collect();
    let length: usize = headers
        .iter()
        .find(|(k, _)| k.eq_ignore_ascii_case("content-length"))
        .map(|(_, v)| v.parse().unwrap())
        .unwrap_or(0);
    let mut body = buf[header_end..].to_vec();
    while body.len() < length {
        let n = socket.read(&mut chunk).await.unwrap();
        assert!(n > 0, "client closed mid-body");
        body.extend_from_slice(&chunk[..n]);
    }
    let response = format!(
        "HTTP/1.1 {status} X\r\nContent-Type: application/json\r\nContent-Length: {}\r\nConnection: close\r\n\r\n{reply}",
        reply.len()
    );
    socket.write_all(response.as_bytes()).await.unwrap();
    socket.shutdown().await.ok();
    Recorded {
        method,
        path,
        headers,
        body,
    }
}
