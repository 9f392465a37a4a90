//! Limits an attacker must not get around: the rate limit by inventing credentials, the
//! paging bounds by a huge offset, the admin allow-list by writing `X-Forwarded-For`.

use std::time::Duration;

use crate::common::{TestApp, client, spawn_app, spawn_with};
use futures_util::StreamExt;
use futures_util::stream;

/// Sends `n` requests, `parallel` at a time, each with its own made-up bearer token;
/// answers the count of each status.
async fn bogus_bearers(
    app: &TestApp,
    n: usize,
    parallel: usize,
) -> std::collections::BTreeMap<u16, usize> {
    let url = app.url("/api/auth/me");
    let statuses: Vec<u16> = stream::iter(0..n)
        .map(|i| {
            let url = url.clone();
            async move {
                client()
                    .get(url)
                    .insert_header(("Authorization", format!("Bearer junk-{i}")))
                    .send()
                    .await
                    .map(|r| r.status().as_u16())
                    .unwrap_or(0)
            }
        })
        .buffer_unordered(parallel)
        .collect()
        .await;
    let mut counts = std::collections::BTreeMap::new();
    for s in statuses {
        *counts.entry(s).or_default() += 1;
    }
    counts
}

#[actix_web::test]
async fn ten_thousand_made_up_bearers_from_one_address_share_its_budget() {
    let app = spawn_with(|c| c.rate_limit_per_minute = 100).await;
    let admin = app.admin_token().await;
    let counts = bogus_bearers(&app, 10_000, 32).await;
    // The sign-in above took one of the address's 100.
    assert_eq!(counts.get(&401), Some(&99), "{counts:?}");
    assert_eq!(counts.get(&429), Some(&9_901), "{counts:?}");
    // Memory stays bounded: one client, not one per token.
    let limiter = app.state.http.rate_limiter.as_ref().unwrap();
    assert!(limiter.clients() <= 2, "{} leases", limiter.clients());
    if let cc_api::store::Store::Memory(m) = &*app.state.infra.store {
        assert!(m.len() <= 4, "{} keys in the in-process store", m.len());
    }
    // A verified user still has a budget of their own.
    assert_eq!(app.get("/api/auth/me", &admin).await.status, 200);
}

#[actix_web::test]
async fn a_huge_offset_is_a_validation_error_not_a_dead_worker() {
    let app = spawn_app().await;
    let admin = app.admin_token().await;
    for path in ["/api/users", "/api/api-keys", "/api/audit"] {
        for offset in ["18446744073709551615", "9223372036854775808", "1000001"] {
            let r = app.get(&format!("{path}?offset={offset}"), &admin).await;
            assert_eq!(
                (r.status, r.body["code"].as_str()),
                (422, Some("validation_failed")),
                "{path}?offset={offset}: {}",
                r.body
            );
            assert_eq!(r.body["errors"][0]["field"], "offset");
        }
        let r = app.get(&format!("{path}?offset=1000000"), &admin).await;
        assert_eq!(r.status, 200, "{path}: the bound itself is allowed");
    }
    // The same connection pool and workers keep serving.
    let ok = actix_web::rt::time::timeout(Duration::from_secs(5), app.get("/api/users", &admin))
        .await
        .unwrap();
    assert_eq!(ok.status, 200);
}

#[actix_web::test]
async fn a_forged_forwarded_hop_does_not_pass_the_admin_allow_list() {
    let app = spawn_with(|c| {
        c.trust_forwarded = true;
        c.trusted_proxies = vec!["127.0.0.0/8".parse().unwrap()];
        c.admin_allowlist = vec!["203.0.113.0/24".parse().unwrap()];
    })
    .await;
    let admin = app.admin_token().await;
    // Our proxy (127.0.0.1) appended the address it saw; the client wrote the first hop.
    let forged = app
        .send_with(
            "GET",
            "/api/users",
            Some(&admin),
            None,
            &[("X-Forwarded-For", "203.0.113.5, 198.51.100.7")],
        )
        .await;
    assert_eq!(
        (forged.status, forged.body["code"].as_str()),
        (403, Some("ip_not_allowed"))
    );
    let real = app
        .send_with(
            "GET",
            "/api/users",
            Some(&admin),
            None,
            &[("X-Forwarded-For", "198.51.100.7, 203.0.113.5")],
        )
        .await;
    assert_eq!(real.status, 200, "{}", real.body);
    // Hops of our own proxies are skipped.
    let chained = app
        .send_with(
            "GET",
            "/api/users",
            Some(&admin),
            None,
            &[("X-Forwarded-For", "203.0.113.5, 127.0.0.9")],
        )
        .await;
    assert_eq!(chained.status, 200);
}
