//! When to try again and how long to wait: the rules of the official SDKs, without their known
//! faults (retrying a documented 409, and retrying a POST with no idempotency key after an
//! answer or a failure that may come after the server acted).

use http::{HeaderMap, Method, StatusCode};
use std::time::{Duration, SystemTime};

/// Sent with every attempt: 0 for the first, 1 for the first retry, ...
pub const RETRY_COUNT_HEADER: &str = "x-retry-count";
/// Sent on operations whose document declares `x-idempotency-key: true`; the same on every
/// attempt of one call, so the server can drop the duplicate a retry after a lost response
/// would create.
pub const IDEMPOTENCY_KEY_HEADER: &str = "idempotency-key";

const MAX_HONOURED_WAIT: Duration = Duration::from_secs(60);

/// Whether a request may be sent again after it may have reached the server (a timeout or a
/// dropped connection): only when repeating it can't do something twice, because the method is
/// idempotent or the server de-duplicates by idempotency key.
pub(crate) fn replay_safe(method: &Method, server_honours_key: bool) -> bool {
    server_honours_key
        || matches!(*method, Method::GET | Method::HEAD | Method::PUT | Method::DELETE | Method::OPTIONS)
        // QUERY (OpenAPI 3.2, draft-ietf-httpbis-safe-method-w-body) is safe and idempotent.
        || method.as_str() == "QUERY"
}

/// Whether an error status is worth another attempt. `x-should-retry` decides when present.
/// Otherwise 408, 429 and 503, which say the request was not acted on; and, for a request that
/// is safe to send twice (`replay_safe`), any other 5xx and a 409 the operation does not
/// document as a state conflict. A 500 may come after the server acted, so a POST without an
/// idempotency key is not sent again after one (the create could happen twice).
pub(crate) fn status_is_retryable(
    status: StatusCode,
    headers: &HeaderMap,
    documented: &[u16],
    replay_safe: bool,
) -> bool {
    match headers.get("x-should-retry").and_then(|v| v.to_str().ok()) {
        Some("true") => return true,
        Some("false") => return false,
        _ => {}
    }
    match status.as_u16() {
        408 | 429 | 503 => true,
        409 => replay_safe && !documented.contains(&409),
        s => replay_safe && s >= 500,
    }
}

/// The wait before retry number `retry` (0-based): the server's `retry-after-ms` or
/// `retry-after` when given and at most a minute, else min(0.5 s × 2^retry, 8 s) less up to
/// 25 % jitter.
pub(crate) fn delay(retry: u32, headers: Option<&HeaderMap>, jitter: f64) -> Duration {
    if let Some(d) = headers.and_then(server_delay) {
        if d <= MAX_HONOURED_WAIT {
            return d;
        }
    }
    let base = (0.5 * 2f64.powi(retry.min(16) as i32)).min(8.0);
    Duration::from_secs_f64(base * (1.0 - 0.25 * jitter.clamp(0.0, 1.0)))
}

fn server_delay(headers: &HeaderMap) -> Option<Duration> {
    let text = |name: &str| headers.get(name).and_then(|v| v.to_str().ok()).map(str::trim);
    if let Some(ms) = text("retry-after-ms").and_then(|v| v.parse::<f64>().ok()) {
        // Absurd values (even too large for a Duration) fall back to the backoff, not a panic.
        if let Ok(d) = Duration::try_from_secs_f64(ms / 1000.0) {
            return Some(d);
        }
    }
    let v = text("retry-after")?;
    if let Ok(secs) = v.parse::<f64>() {
        return Duration::try_from_secs_f64(secs).ok();
    }
    let at = SystemTime::try_from(crate::DateTime::parse_http_date(v)?).ok()?;
    Some(at.duration_since(SystemTime::now()).unwrap_or(Duration::ZERO))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn headers(pairs: &[(&'static str, &str)]) -> HeaderMap {
        let mut h = HeaderMap::new();
        for (k, v) in pairs {
            h.insert(*k, v.parse().unwrap());
        }
        h
    }

    #[test]
    fn backoff_doubles_up_to_eight_seconds_with_jitter_below() {
        assert_eq!(delay(0, None, 0.0), Duration::from_millis(500));
        assert_eq!(delay(1, None, 0.0), Duration::from_secs(1));
        assert_eq!(delay(5, None, 0.0), Duration::from_secs(8));
        assert_eq!(delay(0, None, 1.0), Duration::from_millis(375));
    }

    #[test]
    fn server_hints_win_when_reasonable() {
        assert_eq!(delay(0, Some(&headers(&[("retry-after-ms", "250")])), 0.0), Duration::from_millis(250));
        assert_eq!(delay(0, Some(&headers(&[("retry-after", "3")])), 0.0), Duration::from_secs(3));
        assert_eq!(delay(0, Some(&headers(&[("retry-after", "600")])), 0.0), Duration::from_millis(500));
        let t = crate::DateTime::now().checked_add(Duration::from_secs(5)).unwrap();
        let (d, secs) = (t.date(), t.unix_seconds().rem_euclid(86_400));
        let month = ["Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"]
            [d.month() as usize - 1];
        let (h, m, s) = (secs / 3600, secs / 60 % 60, secs % 60);
        let soon = format!("Mon, {:02} {month} {} {h:02}:{m:02}:{s:02} GMT", d.day(), d.year());
        let d = delay(0, Some(&headers(&[("retry-after", &soon)])), 0.0);
        assert!(d <= Duration::from_secs(5) && d >= Duration::from_secs(3), "{d:?}");
    }

    #[test]
    fn a_date_in_the_past_means_now() {
        // Not a panic or a huge wait.
        let past = headers(&[("retry-after", "Sun, 06 Nov 1994 08:49:37 GMT")]);
        assert_eq!(delay(0, Some(&past), 0.0), Duration::ZERO);
    }

    #[test]
    fn which_statuses_retry() {
        let none = HeaderMap::new();
        for s in [408, 429, 500, 502, 503] {
            assert!(status_is_retryable(StatusCode::from_u16(s).unwrap(), &none, &[], true), "{s}");
        }
        for s in [400, 401, 403, 404, 422] {
            assert!(!status_is_retryable(StatusCode::from_u16(s).unwrap(), &none, &[], true), "{s}");
        }
        assert!(status_is_retryable(StatusCode::CONFLICT, &none, &[200], true));
        assert!(!status_is_retryable(StatusCode::CONFLICT, &none, &[200, 409], true));
        // Not safe to send twice: only the statuses that say nothing was done.
        for s in [408, 429, 503] {
            assert!(status_is_retryable(StatusCode::from_u16(s).unwrap(), &none, &[], false), "{s}");
        }
        for s in [409, 500, 502, 504] {
            assert!(!status_is_retryable(StatusCode::from_u16(s).unwrap(), &none, &[], false), "{s}");
        }
        let told = headers(&[("x-should-retry", "true")]);
        assert!(status_is_retryable(StatusCode::INTERNAL_SERVER_ERROR, &told, &[], false));
        assert!(!status_is_retryable(
            StatusCode::SERVICE_UNAVAILABLE,
            &headers(&[("x-should-retry", "false")]),
            &[],
            true
        ));
        assert!(status_is_retryable(
            StatusCode::BAD_REQUEST,
            &headers(&[("x-should-retry", "true")]),
            &[],
            true
        ));
    }
}
