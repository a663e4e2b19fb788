//! Fault injection: per API, deterministic under a seed. The n-th call of an API draws its fate
//! from (seed, API, n), so a sequential test sees the same faults on every run.

use std::collections::BTreeMap;
use std::time::Duration;

use serde::{Deserialize, Serialize};

use crate::catalog::rng::{Rng, mix};

/// Rates of each fault for one API (each a probability in 0..=1; they are exclusive).
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct FaultRates {
    /// Latency added to every call, in ms.
    pub latency_ms: u64,
    /// Extra random latency up to this many ms.
    pub latency_jitter_ms: u64,
    /// HTTP 500 with an HTML body.
    pub http_500: f64,
    /// HTTP 502 with an HTML body.
    pub http_502: f64,
    /// HTTP 503 with an HTML body.
    pub http_503: f64,
    /// The connection closes in the middle of the response.
    pub reset: f64,
    /// A 200 whose JSON body is cut in half.
    pub truncated: f64,
    /// A 200 whose body is not JSON.
    pub malformed: f64,
    /// A spurious `gw.QosAppFrequencyLimit`.
    pub throttle: f64,
    /// The caller's access token is revoked and the call gets the 401.
    pub revoke_token: f64,
    /// No answer for `stall_ms` (a client with a shorter timeout gives up), then a normal one.
    pub stall: f64,
    /// The call runs (an order is created), then its answer is held back for `stall_ms`: what
    /// a client sees when the connection dies between the platform's work and its answer.
    pub stall_after: f64,
    /// How long a stalled call waits before answering, in ms (default 0: use 30 s).
    pub stall_ms: u64,
}

/// Which faults apply where.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct FaultPlan {
    /// Seed of the draws.
    pub seed: u64,
    /// Rates for every API without its own entry.
    pub all: Option<FaultRates>,
    /// Rates by API name (`product.search.queryProductDetail`).
    pub apis: BTreeMap<String, FaultRates>,
}

/// One injected fault.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Fault {
    /// An HTTP error status with an HTML body.
    Http(u16),
    /// The connection closes mid-response.
    Reset,
    /// The JSON body is cut short.
    Truncated,
    /// The body is not JSON at all.
    Malformed,
    /// A throttling error although the quota was not exceeded.
    Throttle,
    /// The token is revoked.
    RevokeToken,
    /// The answer is held back (a timeout for most clients).
    Stall,
    /// The call runs, then its answer is held back.
    StallAfter(Duration),
}

impl Fault {
    /// Name used in statistics.
    pub fn name(&self) -> String {
        match self {
            Fault::Http(status) => format!("http_{status}"),
            Fault::Reset => "reset".into(),
            Fault::Truncated => "truncated".into(),
            Fault::Malformed => "malformed".into(),
            Fault::Throttle => "throttle".into(),
            Fault::RevokeToken => "revoke_token".into(),
            Fault::Stall => "stall".into(),
            Fault::StallAfter(_) => "stall_after".into(),
        }
    }
}

impl FaultPlan {
    /// Whether any fault is configured.
    pub fn is_empty(&self) -> bool {
        self.all.is_none() && self.apis.is_empty()
    }

    /// The fate of call number `n` (0-based) of an API: latency to add, and a fault if any.
    pub fn decide(&self, api_name: &str, n: u64) -> (Duration, Option<Fault>) {
        let Some(rates) = self.apis.get(api_name).or(self.all.as_ref()) else {
            return (Duration::ZERO, None);
        };
        let mut rng = Rng::for_entity(self.seed, name_hash(api_name), n);
        let jitter = if rates.latency_jitter_ms > 0 { rng.below(rates.latency_jitter_ms + 1) } else { 0 };
        let latency = Duration::from_millis(rates.latency_ms + jitter);
        let draw = rng.f64();
        let table = [
            (rates.http_500, Fault::Http(500)),
            (rates.http_502, Fault::Http(502)),
            (rates.http_503, Fault::Http(503)),
            (rates.reset, Fault::Reset),
            (rates.truncated, Fault::Truncated),
            (rates.malformed, Fault::Malformed),
            (rates.throttle, Fault::Throttle),
            (rates.revoke_token, Fault::RevokeToken),
            (rates.stall, Fault::Stall),
            (rates.stall_after, Fault::StallAfter(Duration::ZERO)),
        ];
        let mut edge = 0.0;
        for (rate, fault) in table {
            edge += rate;
            if draw < edge {
                let stall_ms = if rates.stall_ms == 0 { 30_000 } else { rates.stall_ms };
                return match fault {
                    Fault::Stall => (latency + Duration::from_millis(stall_ms), Some(fault)),
                    Fault::StallAfter(_) => (latency, Some(Fault::StallAfter(Duration::from_millis(stall_ms)))),
                    _ => (latency, Some(fault)),
                };
            }
        }
        (latency, None)
    }
}

fn name_hash(name: &str) -> u64 {
    name.bytes().fold(0xcbf2_9ce4_8422_2325, |h, b| mix(h, u64::from(b)))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn faults_follow_their_rates_and_repeat_under_the_seed() {
        let plan = FaultPlan {
            seed: 9,
            apis: BTreeMap::from([(
                "x".to_owned(),
                FaultRates { http_503: 0.1, truncated: 0.05, latency_ms: 3, ..Default::default() },
            )]),
            ..Default::default()
        };
        let draws: Vec<_> = (0..10_000).map(|n| plan.decide("x", n)).collect();
        let count = |f: Fault| draws.iter().filter(|(_, d)| *d == Some(f)).count();
        assert!((900..1100).contains(&count(Fault::Http(503))), "{}", count(Fault::Http(503)));
        assert!((400..600).contains(&count(Fault::Truncated)));
        assert!(draws.iter().all(|(l, _)| *l == Duration::from_millis(3)));
        assert_eq!(draws, (0..10_000).map(|n| plan.decide("x", n)).collect::<Vec<_>>());
        assert_eq!(plan.decide("other", 1), (Duration::ZERO, None));
    }
}
