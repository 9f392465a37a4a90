//! The limiter's counting: per client, across windows, across instances on Redis, bounded.
#![allow(clippy::unwrap_used, clippy::expect_used)]

use std::net::IpAddr;

use uuid::Uuid;

use super::*;
use crate::store::{MemoryStore, RedisStore};

const MINUTE: Duration = Duration::from_secs(60);

async fn admitted(limiter: &RateLimiter, client: Client, hits: usize) -> u64 {
    let mut n = 0;
    for _ in 0..hits {
        if matches!(
            limiter.check(client).await.unwrap(),
            Decision::Allowed { .. }
        ) {
            n += 1;
        }
    }
    n
}

#[tokio::test]
async fn in_process_the_limit_holds_exactly_per_client() {
    let store = Arc::new(Store::Memory(MemoryStore::default()));
    for limit in [1, 3, 100, 1000] {
        let limiter = RateLimiter::new(Arc::clone(&store), limit, MINUTE);
        let client = Client::Principal(Uuid::now_v7());
        assert_eq!(admitted(&limiter, client, 2 * limit as usize).await, limit);
        match limiter.check(client).await.unwrap() {
            Decision::Limited { retry_after } => {
                assert!(retry_after > Duration::ZERO && retry_after <= MINUTE)
            }
            other => panic!("expected a refusal, got {other:?}"),
        }
    }
    let limiter = RateLimiter::new(store, 5, MINUTE);
    assert_eq!(
        limiter.check(Client::ip(None)).await.unwrap(),
        Decision::Allowed { remaining: 4 }
    );
    assert_eq!(
        admitted(&limiter, Client::Principal(Uuid::now_v7()), 5).await,
        5,
        "clients have separate budgets"
    );
}

#[tokio::test]
async fn in_process_concurrent_hits_never_exceed_the_limit() {
    let store = Arc::new(Store::Memory(MemoryStore::default()));
    let limiter = Arc::new(RateLimiter::new(store, 300, MINUTE));
    let client = Client::Principal(Uuid::now_v7());
    let tasks: Vec<_> = (0..8)
        .map(|_| {
            let l = Arc::clone(&limiter);
            tokio::spawn(async move { admitted(&l, client, 100).await })
        })
        .collect();
    let mut total = 0;
    for t in tasks {
        total += t.await.unwrap();
    }
    assert_eq!(total, 300);
}

#[test]
fn ipv6_clients_share_their_64_and_mapped_ipv4_is_ipv4() {
    let ip = |s: &str| Some(s.parse::<IpAddr>().unwrap());
    assert_eq!(
        Client::ip(ip("2001:db8:1:2:aaaa::1")),
        Client::ip(ip("2001:db8:1:2:ffff:1:2:3"))
    );
    assert_ne!(
        Client::ip(ip("2001:db8:1:2::1")),
        Client::ip(ip("2001:db8:1:3::1"))
    );
    assert_eq!(
        Client::ip(ip("::ffff:10.0.0.1")),
        Client::ip(ip("10.0.0.1"))
    );
    assert_ne!(Client::ip(ip("10.0.0.1")), Client::ip(ip("10.0.0.2")));
}

#[tokio::test]
async fn leases_stay_bounded_however_many_clients_come() {
    let store = Arc::new(Store::Memory(MemoryStore::with_capacity(500)));
    let limiter = RateLimiter::new(store, 10, MINUTE);
    for i in 0..(LEASE_CAPACITY as u32 + 5_000) {
        let ip = IpAddr::from(std::net::Ipv4Addr::from(i));
        limiter.check(Client::ip(Some(ip))).await.unwrap();
    }
    assert_eq!(limiter.clients(), LEASE_CAPACITY);
}

#[tokio::test(start_paused = true)]
async fn a_new_window_gives_a_new_allowance() {
    let store = Arc::new(Store::Memory(MemoryStore::default()));
    let limiter = RateLimiter::new(store, 2, Duration::from_secs(1));
    let client = Client::Principal(Uuid::now_v7());
    assert_eq!(admitted(&limiter, client, 3).await, 2);
    tokio::time::advance(Duration::from_millis(990)).await;
    assert_eq!(admitted(&limiter, client, 1).await, 0, "same window");
    tokio::time::advance(Duration::from_millis(20)).await;
    assert_eq!(admitted(&limiter, client, 3).await, 2);
}

/// Two limiters (two instances) on one Redis prefix share one budget. Runs when the
/// suite has Redis (`CC_TEST_REDIS_URL`, set by `cargo xtask test`'s second pass).
#[tokio::test]
async fn two_instances_on_one_redis_share_the_limit() {
    let Ok(url) = std::env::var("CC_TEST_REDIS_URL") else {
        eprintln!("CC_TEST_REDIS_URL unset: skipped");
        return;
    };
    let prefix = format!("cctest-rl:{}", uuid::Uuid::now_v7().simple());
    let instance = || {
        let pool = deadpool_redis::Config::from_url(url.clone())
            .create_pool(Some(deadpool_redis::Runtime::Tokio1))
            .unwrap();
        Arc::new(RateLimiter::new(
            Arc::new(Store::Redis(RedisStore::new(pool, &prefix))),
            500,
            MINUTE,
        ))
    };
    let (a, b) = (instance(), instance());
    let client = Client::Principal(Uuid::now_v7());
    // Alternating: every reserved index ends up used, so exactly the limit passes.
    let mut allowed = 0;
    for i in 0..1000 {
        let limiter = if i % 2 == 0 { &a } else { &b };
        if matches!(
            limiter.check(client).await.unwrap(),
            Decision::Allowed { .. }
        ) {
            allowed += 1;
        }
    }
    assert_eq!(allowed, 500);
    assert!(matches!(
        b.check(client).await.unwrap(),
        Decision::Limited { .. }
    ));

    // Concurrent and uneven: never more than the limit, and at most the documented
    // loss of the blocks each instance holds.
    let other = Client::Principal(Uuid::now_v7());
    let tasks: Vec<_> = [(&a, 700), (&b, 150), (&a, 200), (&b, 50)]
        .into_iter()
        .map(|(l, hits)| {
            let l = Arc::clone(l);
            tokio::spawn(async move { admitted(&l, other, hits).await })
        })
        .collect();
    let mut total = 0;
    for t in tasks {
        total += t.await.unwrap();
    }
    assert!(total <= 500, "{total} admitted over a limit of 500");
    assert!(total >= 500 - 2 * 2 * BLOCK, "{total} admitted");
}
