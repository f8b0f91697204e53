//! Lazily fetched pages: the next page is asked for only when the stream is read past the
//! current one, with the previous page's token and the same other parameters.

use crate::error::Error;
use futures_core::Stream;
use futures_util::{stream, StreamExt, TryStreamExt};
use std::collections::HashSet;
use std::future::Future;

/// A boxed stream: `Unpin`, so `StreamExt::next` works on it as it is.
pub type BoxStream<T> = std::pin::Pin<Box<dyn Stream<Item = T> + Send + 'static>>;

/// A page of a list operation.
pub trait Page {
    /// What the page lists.
    type Item;
    /// The token for the next page; `None` or empty means this is the last page.
    fn next_page_token(&self) -> Option<&str>;
    /// The total number of items across pages, when the server says.
    fn total_size(&self) -> Option<u64> {
        None
    }
    /// Whether the page holds no items (which also ends the listing).
    fn is_empty(&self) -> bool;
    /// The page's items.
    fn into_items(self) -> Vec<Self::Item>;
}

enum State<F, E> {
    Next { token: Option<String>, fetch: F, seen: HashSet<String> },
    Failed(Error<E>),
    Done,
}

/// Pages from `first` on. Ends after a page with no (or an empty) next token or no items; a
/// token the server already gave ends the stream with an error instead of looping forever.
pub fn pages<P, E, F, Fut>(first: Option<String>, fetch: F) -> BoxStream<Result<P, Error<E>>>
where
    P: Page + Send + 'static,
    E: Send + 'static,
    F: FnMut(Option<String>) -> Fut + Send + 'static,
    Fut: Future<Output = Result<P, Error<E>>> + Send + 'static,
{
    let start = State::Next { token: first, fetch, seen: HashSet::new() };
    stream::unfold(start, |state| async move {
        match state {
            State::Done => None,
            State::Failed(e) => Some((Err(e), State::Done)),
            State::Next { token, mut fetch, mut seen } => {
                if let Some(t) = &token {
                    seen.insert(t.clone());
                }
                match fetch(token).await {
                    Err(e) => Some((Err(e), State::Done)),
                    Ok(page) => {
                        let next = page.next_page_token().filter(|t| !t.is_empty()).map(str::to_string);
                        let state = match next {
                            None => State::Done,
                            Some(_) if page.is_empty() => State::Done,
                            Some(t) if seen.contains(&t) => State::Failed(Error::Pagination(format!(
                                "the server repeated the page token {t:?}; stopping instead of looping"
                            ))),
                            Some(t) => State::Next { token: Some(t), fetch, seen },
                        };
                        Some((Ok(page), state))
                    }
                }
            }
        }
    })
    .boxed()
}

/// The items of every page, in order.
pub fn items<P, E, S>(pages: S) -> BoxStream<Result<P::Item, Error<E>>>
where
    P: Page + Send + 'static,
    P::Item: Send + 'static,
    E: Send + 'static,
    S: Stream<Item = Result<P, Error<E>>> + Send + 'static,
{
    pages.map_ok(|p| stream::iter(p.into_items().into_iter().map(Ok))).try_flatten().boxed()
}
