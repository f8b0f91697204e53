//! Blocking calls for programs without an async runtime (feature `blocking`): every request
//! builder gets `send_blocking()`, and list streams can be read as iterators. Calls run on one
//! small runtime the crate starts on first use. Don't call these from async code (use `.await`
//! there): blocking inside a runtime's worker thread panics.

use crate::call::Call;
use crate::error::Error;
use futures_core::Stream;
use futures_util::StreamExt;
use std::sync::OnceLock;

fn runtime() -> &'static tokio::runtime::Runtime {
    static RUNTIME: OnceLock<tokio::runtime::Runtime> = OnceLock::new();
    RUNTIME.get_or_init(|| {
        tokio::runtime::Builder::new_multi_thread()
            .worker_threads(1)
            .thread_name("ferrospec-blocking")
            .enable_all()
            .build()
            .expect("the blocking client's runtime starts (threads and timers are available)")
    })
}

/// `send_blocking()` for every request builder.
pub trait BlockingCall: Call {
    /// Sends the request and waits for the decoded body.
    fn send_blocking(self) -> Result<Self::Output, Error<Self::Documented>> {
        runtime().block_on(self.call())
    }
}

impl<C: Call> BlockingCall for C {}

/// Reads a stream (such as a builder's `into_stream()`) as a blocking iterator.
pub fn iter<S>(stream: S) -> impl Iterator<Item = S::Item>
where
    S: Stream + Send + 'static,
    S::Item: Send + 'static,
{
    let mut stream = Box::pin(stream);
    std::iter::from_fn(move || runtime().block_on(stream.next()))
}
