//! The one trait every generated request builder implements: what applies to all calls (per-call
//! options, the blocking front end) is written once here rather than in each builder.

use crate::error::{Error, ErrorBodies};
use crate::options::RequestOptions;
use serde::Serialize;
use std::future::Future;
use std::pin::Pin;
use std::time::Duration;

/// A boxed, sendable future.
pub type BoxFuture<T> = Pin<Box<dyn Future<Output = T> + Send + 'static>>;

/// A request builder: per-call options, and sending.
///
/// Bring it into scope with `use ferrospec_runtime::Call` (a generated client's prelude
/// re-exports it). A builder's
/// own setter of the same name (an operation parameter called `timeout`, say) takes precedence;
/// [`Call::options`] always works.
pub trait Call: Sized + Send + 'static {
    /// The decoded success body.
    type Output: Send + 'static;

    /// The error bodies the operation documents ([`Undocumented`](crate::Undocumented) when
    /// none).
    type Documented: ErrorBodies;

    /// Sends the request (the same as the builder's `send`).
    fn call(self) -> BoxFuture<Result<Self::Output, Error<Self::Documented>>>;

    /// This call's options, which the methods below change.
    fn options_mut(&mut self) -> &mut RequestOptions;

    /// Applies reusable options: their limits win where set, their extras are added.
    fn options(mut self, options: RequestOptions) -> Self {
        self.options_mut().merge(options);
        self
    }

    /// Retries for this call only (0 turns them off); the client's setting otherwise.
    fn max_retries(mut self, retries: u32) -> Self {
        self.options_mut().max_retries = Some(retries);
        self
    }

    /// The idle timeout for this call: how long it may go without sending or receiving
    /// anything; the client's setting otherwise.
    fn timeout(mut self, timeout: Duration) -> Self {
        self.options_mut().timeout = Some(timeout);
        self
    }

    /// A limit on this whole call, retries included; the client's setting otherwise.
    fn deadline(mut self, deadline: Duration) -> Self {
        self.options_mut().deadline = Some(deadline);
        self
    }

    /// Reconnections for this call's server-sent-event stream (see
    /// [`RequestOptions::reconnect`]); none by default.
    #[cfg(feature = "streams")]
    fn reconnect(mut self, attempts: u32) -> Self {
        self.options_mut().reconnect = Some(attempts);
        self
    }

    /// An extra header for this call (its value never appears in `Debug` output).
    fn extra_header(self, name: impl Into<String>, value: impl Into<String>) -> Self {
        let o = RequestOptions::new().extra_header(name, value);
        self.options(o)
    }

    /// An extra query parameter for this call.
    fn extra_query(self, name: impl Into<String>, value: impl Into<String>) -> Self {
        let o = RequestOptions::new().extra_query(name, value);
        self.options(o)
    }

    /// An extra top-level field in this call's body (see [`RequestOptions::extra_body`]).
    fn extra_body(self, name: impl Into<String>, value: impl Serialize) -> Self {
        let o = RequestOptions::new().extra_body(name, value);
        self.options(o)
    }
}
