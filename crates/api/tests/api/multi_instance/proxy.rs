//! The reverse proxy of the scale-out deployment (`deploy/Caddyfile`, run by
//! docker-compose.yml in front of two instances), run for real in front of two instances
//! on one PostgreSQL + Redis: requests and WebSockets pass, and an instance going away
//! costs no request.

use std::net::TcpListener;
use std::process::{Child, Command, Stdio};
use std::time::Duration;

use awc::ws;
use futures_util::{SinkExt, StreamExt};
use serde_json::{Value, json};

use super::two_ready_instances;
use crate::common::{PASSWORD, Reply, client, eventually, request};

/// Caddy with the committed Caddyfile, pointed at two instances; killed on drop.
struct Caddy {
    child: Child,
    base: String,
    _dir: tempfile::TempDir,
}

impl Caddy {
    fn start(upstreams: [u16; 2]) -> Self {
        let port = TcpListener::bind("127.0.0.1:0")
            .unwrap()
            .local_addr()
            .unwrap()
            .port();
        let dir = tempfile::tempdir().unwrap();
        let caddyfile = concat!(env!("CARGO_MANIFEST_DIR"), "/../../deploy/Caddyfile");
        let child = Command::new("caddy")
            .args(["run", "--adapter", "caddyfile", "--config", caddyfile])
            .env("CC_SITE_ADDRESS", format!("http://127.0.0.1:{port}"))
            .env("CC_UPSTREAM_1", format!("127.0.0.1:{}", upstreams[0]))
            .env("CC_UPSTREAM_2", format!("127.0.0.1:{}", upstreams[1]))
            .env("XDG_DATA_HOME", dir.path())
            .env("XDG_CONFIG_HOME", dir.path())
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .spawn()
            .expect("caddy (apt-get install caddy; cargo xtask test installs it)");
        Caddy {
            child,
            base: format!("http://127.0.0.1:{port}"),
            _dir: dir,
        }
    }

    async fn send(
        &self,
        method: &str,
        path: &str,
        token: Option<&str>,
        body: Option<Value>,
    ) -> Reply {
        request(&self.base, method, path, token, body, &[]).await
    }
}

impl Drop for Caddy {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

async fn subscribed_socket(proxy: &Caddy, token: &str) -> crate::realtime::Socket {
    let ticket = proxy
        .send("POST", "/api/ws/ticket", Some(token), Some(json!({})))
        .await;
    assert_eq!(ticket.status, 200, "{}", ticket.body);
    let url = format!(
        "{}/api/ws?ticket={}",
        proxy.base.replacen("http", "ws", 1),
        ticket.body["ticket"].as_str().unwrap()
    );
    let (_, mut socket) = client()
        .ws(url)
        .connect()
        .await
        .expect("upgrade through the proxy");
    socket.next().await.unwrap().unwrap();
    let subscribe = json!({"type": "subscribe", "topic": "organization"}).to_string();
    socket
        .send(ws::Message::Text(subscribe.into()))
        .await
        .unwrap();
    socket.next().await.unwrap().unwrap();
    socket
}

/// The next text frame's event, as JSON.
async fn next_event(socket: &mut crate::realtime::Socket) -> Value {
    loop {
        let frame = actix_web::rt::time::timeout(Duration::from_secs(10), socket.next())
            .await
            .expect("an event within 10 s")
            .unwrap()
            .unwrap();
        if let ws::Frame::Text(bytes) = frame {
            return serde_json::from_slice(&bytes).unwrap();
        }
    }
}

#[actix_web::test]
async fn caddy_passes_requests_and_websockets_to_both_instances_and_outlives_one() {
    let (a, b, admin_email) = two_ready_instances(|_| {}).await;
    let proxy = Caddy::start([a.port, b.port]);
    // Until Caddy listens, connections are refused.
    eventually(Duration::from_secs(20), "the proxy to answer", || async {
        let probe = client().get(format!("{}/readyz", proxy.base)).send().await;
        probe.is_ok_and(|r| r.status() == 200)
    })
    .await;
    let login = proxy
        .send(
            "POST",
            "/api/auth/login",
            None,
            Some(json!({"email": admin_email, "password": PASSWORD})),
        )
        .await;
    assert_eq!(login.status, 200, "{}", login.body);
    let token = login.body["access_token"].as_str().unwrap().to_owned();

    // A socket through the proxy gets an event caused by a request through the proxy,
    // whichever instance each one reached.
    let mut socket = subscribed_socket(&proxy, &token).await;
    let created = proxy
        .send(
            "POST",
            "/api/users",
            Some(&token),
            Some(json!({"email": "proxied@org.test", "display_name": "Proxied", "role": "agent", "password": PASSWORD})),
        )
        .await;
    assert_eq!(created.status, 201, "{}", created.body);
    let event = next_event(&mut socket).await;
    assert_eq!(event["event"]["user_id"], created.body["id"], "{event}");

    // One instance goes away: every request still gets its answer, from the other.
    a.shut_down().await;
    for _ in 0..10 {
        let me = proxy.send("GET", "/api/auth/me", Some(&token), None).await;
        assert_eq!(me.status, 200, "{}", me.body);
    }
    let mut socket = subscribed_socket(&proxy, &token).await;
    let patched = proxy
        .send(
            "PATCH",
            "/api/auth/me",
            Some(&token),
            Some(json!({"display_name": "Still here"})),
        )
        .await;
    assert_eq!(patched.status, 200, "{}", patched.body);
    assert_eq!(
        next_event(&mut socket).await["event"]["kind"],
        "user_updated"
    );
    drop(b);
}
