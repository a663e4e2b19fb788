//! The Redis L2 cache and shared rate limiter against real Redis servers: sharing between
//! processes (separate connections and L1s stand for processes), pacing together, and Redis
//! stopping mid-run (a private `redis-server` this test kills and restarts).

mod support;

use std::sync::Arc;
use std::time::{Duration, Instant};

use bytes::Bytes;
use chrono::Utc;
use open1688::SharedPacer;
use open1688::limiter::QuotaGate;
use open1688::{MemoryCache, RateLimits, ResponseCache, SecondLevelCache, TieredCache};
use open1688_redis::{RedisBackend, RedisCache, RedisPacer, RedisRateLimiter};
use open1688_sandbox::Sandbox;
use support::redis::{OwnRedis, shared_redis};
use support::sandbox_client::client_builder;

fn unique(tag: &str) -> String {
    format!("{tag}-{}-{}", std::process::id(), Utc::now().timestamp_nanos_opt().unwrap_or_default())
}

const APP: &str = "1000000";

fn tiered(backend: &RedisBackend) -> TieredCache {
    TieredCache::new(MemoryCache::new(1 << 20), Arc::new(RedisCache::new(backend.clone(), APP)))
}

#[tokio::test]
async fn the_l2_cache_is_shared_between_processes_and_keeps_each_ttl() {
    let Some(url) = shared_redis() else { return };
    let (a, b) = (RedisBackend::open(&url).unwrap(), RedisBackend::open(&url).unwrap());
    let (cache_a, cache_b) = (tiered(&a), tiered(&b));
    let key = unique("cache");
    assert!(cache_b.get(&key).await.is_none());
    cache_a.put(&key, Bytes::from_static(b"{\"offer\":1}"), Duration::from_secs(3)).await;
    assert_eq!(cache_b.get(&key).await.as_deref(), Some(&b"{\"offer\":1}"[..]), "B reads A's answer from Redis");
    let (_, left) = RedisCache::new(b.clone(), APP).get_with_ttl(&key).await.unwrap();
    assert!(left <= Duration::from_secs(3) && left > Duration::from_secs(2), "{left:?}");
    assert!(RedisCache::new(b.clone(), "2000001").get(&key).await.is_none(), "another app key never reads it");
    cache_a.remove(&key).await;
    assert!(RedisCache::new(b, APP).get(&key).await.is_none(), "removal reaches Redis");
    // B's L1 copied the answer only for the rest of its TTL.
    tokio::time::sleep(Duration::from_millis(3_100)).await;
    assert!(cache_b.get(&key).await.is_none());
}

#[tokio::test]
async fn processes_sharing_the_limiter_keep_the_app_rate_together() {
    let Some(url) = shared_redis() else { return };
    let app_key = unique("app");
    let limits = RateLimits::default().with_app_qps(20.try_into().unwrap());
    let gates: Vec<Arc<QuotaGate>> = (0..3)
        .map(|_| {
            let limiter = RedisRateLimiter::new(RedisBackend::open(&url).unwrap(), app_key.clone());
            Arc::new(QuotaGate::with_shared(limits.clone(), Arc::new(limiter)))
        })
        .collect();
    let started = Instant::now();
    let tasks: Vec<_> = gates
        .iter()
        .map(|gate| {
            let gate = gate.clone();
            tokio::spawn(async move {
                let mut departures = Vec::new();
                for _ in 0..10 {
                    gate.acquire("ns:api-1", Utc::now()).await.unwrap();
                    departures.push(started.elapsed());
                }
                departures
            })
        })
        .collect();
    let mut all = Vec::new();
    for t in tasks {
        all.extend(t.await.unwrap());
    }
    all.sort();
    // 30 calls at 20 QPS: 29 intervals of 50 ms, whichever process made them. Alone, each
    // process would have finished its 10 in 450 ms.
    let span = all[29] - all[0];
    assert!(span >= Duration::from_millis(1_430), "30 calls in {span:?}");
    let tightest = all.windows(2).map(|w| w[1] - w[0]).min().unwrap();
    assert!(tightest >= Duration::from_millis(40), "two calls {tightest:?} apart");
}

#[tokio::test]
async fn a_named_pacer_is_one_budget_across_processes_and_refuses_past_the_patience() {
    let Some(url) = shared_redis() else { return };
    let namespace = unique("pace");
    let (a, b) = (
        RedisPacer::new(RedisBackend::open(&url).unwrap(), namespace.clone()),
        RedisPacer::new(RedisBackend::open(&url).unwrap(), namespace),
    );
    let (interval, burst) = (Duration::from_secs(1), std::num::NonZeroU32::new(3).unwrap());
    // Three back to back, whichever process asks: two here, one there.
    for pacer in [&a, &b, &a] {
        let wait = pacer.reserve("key:7", interval, burst, Duration::ZERO).await.unwrap().unwrap();
        assert!(wait < Duration::from_millis(50), "{wait:?}");
    }
    // The fourth is a second away: refused without patience, reserved with it.
    let refused = b.reserve("key:7", interval, burst, Duration::ZERO).await.unwrap().unwrap_err();
    assert!(refused > Duration::from_millis(900) && refused <= Duration::from_secs(1), "{refused:?}");
    let wait = b.reserve("key:7", interval, burst, Duration::from_secs(5)).await.unwrap().unwrap();
    assert!(wait > Duration::from_millis(900) && wait <= Duration::from_secs(1), "{wait:?}");
    // Another name has its own budget.
    assert!(a.reserve("key:8", interval, burst, Duration::ZERO).await.unwrap().is_ok());
}

#[tokio::test]
async fn redis_stopping_mid_run_falls_back_to_local_and_recovers() {
    let Some(mut redis) = OwnRedis::start() else { return };
    let sandbox = Sandbox::builder().catalog_size(500, 50).quotas_off().start().await.unwrap();
    let backend = RedisBackend::open(&redis.url()).unwrap();
    let client = client_builder(&sandbox)
        .rate_limits(RateLimits::default().with_app_qps(50.try_into().unwrap()))
        .cache(Arc::new(tiered(&backend)))
        .shared_limiter(Arc::new(RedisRateLimiter::new(backend.clone(), sandbox.app_key())))
        .build()
        .unwrap();
    let ids: Vec<i64> = sandbox.catalog().offers.iter().take(30).map(|o| o.id).collect();
    for &id in &ids[..5] {
        client.offer(id).await.unwrap();
    }
    assert!(backend.is_up());
    let mut conn = redis::Client::open(redis.url()).unwrap().get_multiplexed_async_connection().await.unwrap();
    let keys: i64 = redis::cmd("DBSIZE").query_async(&mut conn).await.unwrap();
    assert!(keys >= 5 + 2, "5 cached details and the limiter's keys, got {keys}");

    redis.stop();
    let before = sandbox.stats().total.calls;
    let started = Instant::now();
    for &id in &ids[..15] {
        client.offer(id).await.expect("calls go on without Redis");
    }
    assert!(!backend.is_up(), "the outage was noticed");
    assert_eq!(sandbox.stats().total.calls - before, 10, "the first 5 still come from the local L1");
    assert!(started.elapsed() < Duration::from_secs(5), "no long stalls: {:?}", started.elapsed());

    redis.restart();
    let deadline = Instant::now() + Duration::from_secs(20);
    let mut next = 15;
    while !backend.is_up() {
        assert!(Instant::now() < deadline, "Redis was not used again after it came back");
        tokio::time::sleep(Duration::from_millis(250)).await;
        client.offer(ids[next]).await.unwrap();
        next += 1;
    }
    let mut conn = redis::Client::open(redis.url()).unwrap().get_multiplexed_async_connection().await.unwrap();
    let keys: i64 = redis::cmd("DBSIZE").query_async(&mut conn).await.unwrap();
    assert!(keys >= 1, "answers are cached in Redis again");
    sandbox.shutdown().await;
}
