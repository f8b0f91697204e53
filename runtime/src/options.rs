//! Per-call settings: retries, time limits, and extra headers, query parameters and body fields
//! for what the document doesn't describe (yet).

use crate::secret::{RedactedPairs, Secret};
use serde::Serialize;
use serde_json::{Map, Value};
use std::fmt;
use std::time::Duration;

/// Settings for one call that override the client's, reusable across calls:
///
/// ```
/// use ferrospec_runtime::RequestOptions;
/// use std::time::Duration;
///
/// let opts = RequestOptions::new()
///     .max_retries(5)
///     .deadline(Duration::from_secs(120))
///     .extra_header("x-trace", "abc")
///     .extra_query("debug", "1")
///     .extra_body("experimental_flag", true);
/// // builder.options(opts.clone()).send().await ...
/// # let _ = opts;
/// ```
///
/// Extra headers are sent after the client's and the operation's, so a name set here replaces
/// theirs. Extra body fields are merged into a JSON object body (or become one when the call
/// has none) and appended to a form body; other bodies refuse them.
#[derive(Clone, Default, PartialEq)]
pub struct RequestOptions {
    pub(crate) max_retries: Option<u32>,
    pub(crate) timeout: Option<Duration>,
    pub(crate) deadline: Option<Duration>,
    pub(crate) headers: Vec<(String, Secret<String>)>,
    pub(crate) query: Vec<(String, String)>,
    pub(crate) body: Map<String, Value>,
    /// Arguments refused while building; reported before anything is sent.
    pub(crate) invalid: Vec<String>,
    /// Reconnections a server-sent-event stream may make after its connection breaks.
    #[cfg(feature = "streams")]
    pub(crate) reconnect: Option<u32>,
}

impl RequestOptions {
    /// No overrides.
    pub fn new() -> Self {
        Self::default()
    }

    /// Retries for the call (0 turns them off).
    pub fn max_retries(mut self, retries: u32) -> Self {
        self.max_retries = Some(retries);
        self
    }

    /// The idle timeout: how long the call may go without any progress (bytes sent or
    /// received) before the attempt fails with [`TimeoutKind::Idle`](crate::TimeoutKind::Idle).
    pub fn timeout(mut self, timeout: Duration) -> Self {
        self.timeout = Some(timeout);
        self
    }

    /// A limit on the whole call, retries and the waits between them included.
    pub fn deadline(mut self, deadline: Duration) -> Self {
        self.deadline = Some(deadline);
        self
    }

    /// An extra header (its value is kept out of `Debug` output).
    pub fn extra_header(mut self, name: impl Into<String>, value: impl Into<String>) -> Self {
        self.headers.push((name.into(), Secret::new(value.into())));
        self
    }

    /// An extra query parameter, appended after the operation's own.
    pub fn extra_query(mut self, name: impl Into<String>, value: impl Into<String>) -> Self {
        self.query.push((name.into(), value.into()));
        self
    }

    /// An extra top-level body field (any serializable value); it replaces a field of the same
    /// name.
    pub fn extra_body(mut self, name: impl Into<String>, value: impl Serialize) -> Self {
        let name = name.into();
        match crate::json_value::json_value(&value) {
            Ok(v) => {
                self.body.insert(name, v);
            }
            Err(e) => self.invalid.push(format!("extra body field `{name}`: {e}")),
        }
        self
    }

    /// For a server-sent-event stream (`send_stream()`): when its connection breaks or stalls
    /// past the idle timeout, reconnect up to `attempts` times in a row, sending `Last-Event-ID`
    /// with the last event id seen, after the server's `retry:` delay (1 s until it sends one).
    /// An event that arrives resets the count. Off by default: a request that isn't safe to
    /// repeat (a `POST` that starts a completion) shouldn't be sent again unasked.
    #[cfg(feature = "streams")]
    pub fn reconnect(mut self, attempts: u32) -> Self {
        self.reconnect = Some(attempts);
        self
    }

    /// Applies `other` on top of these options: its limits win where set, and its extras are
    /// added after these.
    pub fn merge(&mut self, other: RequestOptions) {
        self.max_retries = other.max_retries.or(self.max_retries);
        self.timeout = other.timeout.or(self.timeout);
        self.deadline = other.deadline.or(self.deadline);
        self.headers.extend(other.headers);
        self.query.extend(other.query);
        self.body.extend(other.body);
        self.invalid.extend(other.invalid);
        #[cfg(feature = "streams")]
        {
            self.reconnect = other.reconnect.or(self.reconnect);
        }
    }
}

impl fmt::Debug for RequestOptions {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let mut d = f.debug_struct("RequestOptions");
        d.field("max_retries", &self.max_retries)
            .field("timeout", &self.timeout)
            .field("deadline", &self.deadline)
            .field("extra_headers", &RedactedPairs(&self.headers))
            .field("extra_query", &self.query)
            .field("extra_body", &self.body.keys().collect::<Vec<_>>());
        #[cfg(feature = "streams")]
        d.field("reconnect", &self.reconnect);
        d.finish()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn merge_lets_the_later_options_win_and_adds_extras() {
        let mut a =
            RequestOptions::new().max_retries(1).timeout(Duration::from_secs(1)).extra_query("a", "1");
        a.merge(RequestOptions::new().max_retries(4).extra_query("b", "2").extra_body("k", [1, 2]));
        assert_eq!(a.max_retries, Some(4));
        assert_eq!(a.timeout, Some(Duration::from_secs(1)));
        assert_eq!(a.query, vec![("a".into(), "1".into()), ("b".into(), "2".into())]);
        assert_eq!(a.body["k"], serde_json::json!([1, 2]));
    }

    #[test]
    fn debug_hides_header_values() {
        let o = RequestOptions::new().extra_header("x-api-secret", "s3cr3t");
        let shown = format!("{o:?}");
        assert!(shown.contains("x-api-secret") && !shown.contains("s3cr3t"), "{shown}");
    }
}
