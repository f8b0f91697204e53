//! The one trait every generated request builder implements, so behaviour that applies to all
//! calls (such as the blocking front end) is written once here rather than in each builder.

use crate::error::Error;
use std::future::Future;
use std::pin::Pin;

/// A boxed, sendable future.
pub type BoxFuture<T> = Pin<Box<dyn Future<Output = T> + Send + 'static>>;

/// A request ready to send.
pub trait Call: Sized + Send + 'static {
    /// The decoded success body.
    type Output: Send + 'static;

    /// Sends the request (the same as the builder's `send`).
    fn call(self) -> BoxFuture<Result<Self::Output, Error>>;
}
