//! Retry by error class: a pure classifier, full-jitter exponential backoff and a retry budget.

use std::sync::Mutex;
use std::time::Duration;

use open1688_types::GatewayErrorCode;

/// What a failed attempt means for the next one.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum ErrorClass {
    /// The gateway throttled the app or API: wait (longer) and retry.
    Throttled,
    /// A fault that may pass: 5xx, connection reset, timeout, truncated body. Retry with backoff.
    Transient,
    /// The access token was rejected: refresh it once, then retry immediately.
    AuthExpired,
    /// The gateway rejected the request's timestamp: its clock moved away from the one measured.
    /// Measure the gateway clock again and resend once, immediately.
    ClockSkew,
    /// Retrying cannot help: signature, ACL, parameters, unsupported API, quota exhausted, …
    Fatal,
}

impl ErrorClass {
    /// Whether another attempt can succeed.
    pub fn is_retryable(self) -> bool {
        !matches!(self, Self::Fatal)
    }

    /// Label for metrics and logs.
    pub fn as_str(self) -> &'static str {
        match self {
            Self::Throttled => "throttled",
            Self::Transient => "transient",
            Self::AuthExpired => "auth_expired",
            Self::ClockSkew => "clock_skew",
            Self::Fatal => "fatal",
        }
    }
}

/// How the connection failed, when no HTTP response arrived.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum TransportErrorKind {
    /// Could not connect (refused, DNS, unreachable).
    Connect,
    /// The request or response timed out.
    Timeout,
    /// The connection broke while sending or receiving (reset, closed early).
    Interrupted,
    /// The request could not be built or the TLS setup is wrong: a local, permanent problem.
    Setup,
    /// The answer is larger than the SDK reads (16 MiB): not
    /// a gateway answer, and asking again would bring the same.
    TooLarge,
}

impl std::fmt::Display for TransportErrorKind {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(match self {
            Self::Connect => "connect",
            Self::Timeout => "timeout",
            Self::Interrupted => "interrupted",
            Self::TooLarge => "too large",
            Self::Setup => "setup",
        })
    }
}

/// The evidence one failed attempt left; [`classify`] turns it into an [`ErrorClass`].
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Failure<'a> {
    /// An HTTP response with this status and, when the body had one, a gateway error code.
    Http {
        /// HTTP status.
        status: u16,
        /// The body's `error_code`, if any.
        code: Option<&'a GatewayErrorCode>,
    },
    /// No response: the transport failed.
    Transport(TransportErrorKind),
    /// A 2xx body that was not valid JSON (`truncated`: it ended early).
    MalformedBody {
        /// The body ended mid-value, as a cut connection leaves it.
        truncated: bool,
    },
    /// A 2xx body that was JSON but not the expected shape.
    UnexpectedShape,
    /// An HTTP 200 body that reported a business failure.
    Business,
    /// The local daily cap is used up.
    LocalQuotaExhausted,
}

/// Classifies one failed attempt. Pure: the same evidence always gives the same class.
///
/// The gateway throttles with HTTP 400, so the body's error code decides before the status.
pub fn classify(failure: Failure<'_>) -> ErrorClass {
    use GatewayErrorCode as C;
    match failure {
        Failure::Http { code: Some(code), status } => match code {
            C::QosAppFrequencyLimit | C::QosApiFrequencyLimit => ErrorClass::Throttled,
            C::Unauthorized => ErrorClass::AuthExpired,
            C::TimestampInvalid => ErrorClass::ClockSkew,
            C::NoUsageLeft
            | C::AppKeyNotFound
            | C::AppKeyMissing
            | C::ApiUnsupported
            | C::SignatureMissing
            | C::SignatureInvalid
            | C::AclDecline
            | C::ParamMissing => ErrorClass::Fatal,
            _ => classify(Failure::Http { status, code: None }),
        },
        Failure::Http { status, code: None } => match status {
            401 => ErrorClass::AuthExpired,
            429 => ErrorClass::Throttled,
            408 | 500 | 502 | 503 | 504 => ErrorClass::Transient,
            _ => ErrorClass::Fatal,
        },
        Failure::Transport(TransportErrorKind::Setup | TransportErrorKind::TooLarge) => ErrorClass::Fatal,
        Failure::Transport(_) => ErrorClass::Transient,
        Failure::MalformedBody { .. } => ErrorClass::Transient,
        Failure::UnexpectedShape | Failure::Business | Failure::LocalQuotaExhausted => ErrorClass::Fatal,
    }
}

/// When and how often to retry.
#[derive(Debug, Clone)]
pub struct RetryPolicy {
    /// Attempts in all, the first included (1 disables retries).
    pub max_attempts: u32,
    /// Backoff ceiling before jitter for the first transient retry; doubles each retry.
    pub base_delay: Duration,
    /// Backoff ceiling before jitter for the first throttled retry; doubles each retry.
    pub throttle_base_delay: Duration,
    /// No single wait is longer than this.
    pub max_delay: Duration,
    /// No retry starts after this much time since the first attempt.
    pub total_deadline: Duration,
    /// Retries available before any call succeeds.
    pub budget_initial: f64,
    /// Retries earned by each first attempt (0.1: at most about one retry per ten calls).
    pub budget_per_call: f64,
    /// Cap on saved-up retries.
    pub budget_max: f64,
}

impl Default for RetryPolicy {
    fn default() -> Self {
        Self {
            max_attempts: 5,
            base_delay: Duration::from_millis(200),
            throttle_base_delay: Duration::from_secs(1),
            max_delay: Duration::from_secs(30),
            total_deadline: Duration::from_secs(120),
            budget_initial: 20.0,
            budget_per_call: 0.2,
            budget_max: 100.0,
        }
    }
}

impl RetryPolicy {
    /// A policy that never retries.
    pub fn none() -> Self {
        Self { max_attempts: 1, ..Self::default() }
    }

    /// The ceiling of the wait before retry number `retry` (1-based) for `class`.
    pub fn ceiling(&self, class: ErrorClass, retry: u32) -> Duration {
        let base = if class == ErrorClass::Throttled { self.throttle_base_delay } else { self.base_delay };
        let factor = 1u32.checked_shl(retry.saturating_sub(1)).unwrap_or(u32::MAX);
        base.saturating_mul(factor).min(self.max_delay)
    }

    /// Full jitter: a uniform wait in `[0, ceiling]`, so synchronized clients spread out. After a
    /// throttle the wait starts at the throttle base (1 s by default): the gateway's window has to
    /// pass, and an immediate retry would only be throttled again.
    pub fn delay(&self, class: ErrorClass, retry: u32) -> Duration {
        let ceiling = self.ceiling(class, retry);
        let floor = if class == ErrorClass::Throttled { self.throttle_base_delay.min(ceiling) } else { Duration::ZERO };
        floor + (ceiling - floor).mul_f64(fastrand::f64())
    }
}

/// Caps retries across all calls of a client, so an outage does not multiply the load.
#[derive(Debug)]
pub struct RetryBudget {
    balance: Mutex<f64>,
    per_call: f64,
    max: f64,
}

impl RetryBudget {
    /// A budget from the policy's settings.
    pub fn new(policy: &RetryPolicy) -> Self {
        Self { balance: Mutex::new(policy.budget_initial), per_call: policy.budget_per_call, max: policy.budget_max }
    }

    /// Credits a first attempt.
    pub fn deposit(&self) {
        let mut b = self.balance.lock().unwrap_or_else(|p| p.into_inner());
        *b = (*b + self.per_call).min(self.max);
    }

    /// Takes one retry; false when the budget is spent.
    pub fn try_withdraw(&self) -> bool {
        let mut b = self.balance.lock().unwrap_or_else(|p| p.into_inner());
        if *b >= 1.0 {
            *b -= 1.0;
            true
        } else {
            false
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_gateway_code_is_classified() {
        use GatewayErrorCode as C;
        let table = [
            (C::AppKeyNotFound, 400, ErrorClass::Fatal),
            (C::AppKeyMissing, 400, ErrorClass::Fatal),
            (C::ApiUnsupported, 400, ErrorClass::Fatal),
            (C::SignatureMissing, 400, ErrorClass::Fatal),
            (C::SignatureInvalid, 400, ErrorClass::Fatal),
            (C::TimestampInvalid, 400, ErrorClass::ClockSkew),
            (C::Unauthorized, 401, ErrorClass::AuthExpired),
            (C::AclDecline, 400, ErrorClass::Fatal),
            (C::ParamMissing, 400, ErrorClass::Fatal),
            (C::QosAppFrequencyLimit, 400, ErrorClass::Throttled),
            (C::QosApiFrequencyLimit, 400, ErrorClass::Throttled),
            (C::NoUsageLeft, 400, ErrorClass::Fatal),
        ];
        assert_eq!(table.len(), C::KNOWN.len(), "a known code is missing from the table");
        for (code, status, want) in &table {
            assert_eq!(classify(Failure::Http { status: *status, code: Some(code) }), *want, "{code}");
        }
        // Unknown codes fall back to the status.
        let other = C::Other("isp.temp-unavailable".into());
        assert_eq!(classify(Failure::Http { status: 503, code: Some(&other) }), ErrorClass::Transient);
        assert_eq!(classify(Failure::Http { status: 400, code: Some(&other) }), ErrorClass::Fatal);
    }

    #[test]
    fn statuses_and_transport() {
        let http = |status| classify(Failure::Http { status, code: None });
        assert_eq!(http(401), ErrorClass::AuthExpired);
        assert_eq!(http(429), ErrorClass::Throttled);
        for s in [408, 500, 502, 503, 504] {
            assert_eq!(http(s), ErrorClass::Transient, "{s}");
        }
        for s in [400, 403, 404, 501] {
            assert_eq!(http(s), ErrorClass::Fatal, "{s}");
        }
        for k in [TransportErrorKind::Connect, TransportErrorKind::Timeout, TransportErrorKind::Interrupted] {
            assert_eq!(classify(Failure::Transport(k)), ErrorClass::Transient);
        }
        assert_eq!(classify(Failure::Transport(TransportErrorKind::Setup)), ErrorClass::Fatal);
        assert_eq!(classify(Failure::MalformedBody { truncated: true }), ErrorClass::Transient);
        assert_eq!(classify(Failure::UnexpectedShape), ErrorClass::Fatal);
        assert_eq!(classify(Failure::Business), ErrorClass::Fatal);
        assert_eq!(classify(Failure::LocalQuotaExhausted), ErrorClass::Fatal);
    }

    #[test]
    fn backoff_doubles_up_to_the_cap_with_full_jitter() {
        let p = RetryPolicy::default();
        assert_eq!(p.ceiling(ErrorClass::Transient, 1), Duration::from_millis(200));
        assert_eq!(p.ceiling(ErrorClass::Transient, 3), Duration::from_millis(800));
        assert_eq!(p.ceiling(ErrorClass::Throttled, 2), Duration::from_secs(2));
        assert_eq!(p.ceiling(ErrorClass::Throttled, 40), p.max_delay);
        for retry in 1..10 {
            let d = p.delay(ErrorClass::Transient, retry);
            assert!(d <= p.ceiling(ErrorClass::Transient, retry));
            let t = p.delay(ErrorClass::Throttled, retry);
            assert!(t >= p.throttle_base_delay && t <= p.ceiling(ErrorClass::Throttled, retry), "{t:?}");
        }
    }

    #[test]
    fn budget_runs_out_and_refills() {
        let p = RetryPolicy { budget_initial: 2.0, budget_per_call: 0.5, budget_max: 3.0, ..RetryPolicy::default() };
        let b = RetryBudget::new(&p);
        assert!(b.try_withdraw());
        assert!(b.try_withdraw());
        assert!(!b.try_withdraw());
        b.deposit();
        assert!(!b.try_withdraw());
        b.deposit();
        assert!(b.try_withdraw());
        for _ in 0..100 {
            b.deposit();
        }
        assert!(b.try_withdraw() && b.try_withdraw() && b.try_withdraw());
        assert!(!b.try_withdraw(), "the cap bounds saved-up retries");
    }
}
