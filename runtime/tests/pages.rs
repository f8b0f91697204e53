//! Lazily fetched pages against a scripted server.

mod common;

use common::*;
use ferrospec_runtime::__private::{items, pages, Request};
use ferrospec_runtime::{Client, Error, RequestOptions, Stream};
use futures_util::StreamExt;
use std::pin::pin;

/// One page of the list call, as generated code would fetch it: the same call, with the token.
async fn fetch_page(client: Client, token: Option<String>) -> Result<ThingPage, Error> {
    let mut req = Request::new(&LIST, "/things".into());
    req.query("page_size", &2)?;
    req.query("page_token", &token)?;
    let res = client.execute(req, &RequestOptions::default()).await?;
    Ok(res.json::<ThingPage>()?.into_body())
}

/// The pages of the list call, from `first` on.
fn list(
    client: Client,
    first: Option<String>,
) -> impl Stream<Item = Result<ThingPage, Error>> + Send + 'static {
    pages(first, move |token| fetch_page(client.clone(), token))
}

async fn collect<S, T>(stream: S) -> Vec<Result<T, Error>>
where
    S: Stream<Item = Result<T, Error>>,
{
    // Bounded: a runaway stream fails the test instead of hanging it.
    let mut stream = pin!(stream);
    let mut out = Vec::new();
    while let Some(x) = stream.next().await {
        out.push(x);
        assert!(out.len() <= 100_000, "the stream does not end");
    }
    out
}

fn targets(server: &Server) -> Vec<String> {
    server.requests().into_iter().map(|r| r.target).collect()
}

#[tokio::test]
async fn three_pages_then_the_end_yield_every_item_in_order() {
    let server = Server::start(vec![
        Reply::json(200, page_json([1, 2], Some("t1"))),
        Reply::json(200, page_json([3, 4], Some("t2"))),
        Reply::json(200, page_json([5], None)),
    ])
    .await;
    let got = collect(items(list(server.client(), None))).await;
    let got: Vec<u64> = got.into_iter().map(Result::unwrap).collect();
    assert_eq!(got, [1, 2, 3, 4, 5]);
    assert_eq!(server.count(), 3);
    assert_eq!(
        targets(&server),
        ["/things?page_size=2", "/things?page_size=2&page_token=t1", "/things?page_size=2&page_token=t2",]
    );
}

#[tokio::test]
async fn pages_are_fetched_lazily() {
    let server = Server::start(vec![
        Reply::json(200, page_json([1, 2], Some("t1"))),
        Reply::json(200, page_json([3, 4], Some("t2"))),
        Reply::json(200, page_json([5], None)),
    ])
    .await;
    let mut stream = pin!(list(server.client(), None));
    assert_eq!(server.count(), 0, "nothing is fetched before the stream is read");
    let first = stream.next().await.unwrap().unwrap();
    assert_eq!(first.items, [1, 2]);
    assert_eq!(server.count(), 1, "only the first page so far");
}

#[tokio::test]
async fn an_empty_final_token_ends_the_listing() {
    let server = Server::start(vec![
        Reply::json(200, page_json([1], Some("t1"))),
        Reply::json(200, page_json([2], Some(""))),
    ])
    .await;
    let got: Vec<u64> =
        collect(items(list(server.client(), None))).await.into_iter().map(Result::unwrap).collect();
    assert_eq!(got, [1, 2]);
    assert_eq!(server.count(), 2);
}

#[tokio::test]
async fn a_page_of_ten_thousand_items_decodes() {
    let server = Server::start(vec![Reply::json(200, page_json(0..10_000, None))]).await;
    let got: Vec<u64> =
        collect(items(list(server.client(), None))).await.into_iter().map(Result::unwrap).collect();
    assert_eq!(got.len(), 10_000);
    assert!(got.iter().copied().eq(0..10_000));
    assert_eq!(server.count(), 1);
}

#[tokio::test]
async fn a_repeated_token_ends_the_stream_with_a_pagination_error() {
    // The server keeps answering with the same token; the script has room for a runaway loop.
    let looping = || Reply::json(200, page_json([7], Some("t1")));
    let server = Server::start(vec![
        Reply::json(200, page_json([1], Some("t1"))),
        looping(),
        looping(),
        looping(),
        looping(),
        looping(),
    ])
    .await;
    let got = collect(list(server.client(), None)).await;
    assert!(server.count() <= 3, "{} requests", server.count());
    assert_eq!(got.len(), 3, "{got:?}");
    assert_eq!(got[0].as_ref().unwrap().items, [1]);
    assert_eq!(got[1].as_ref().unwrap().items, [7], "the repeated page itself");
    let err = got[2].as_ref().unwrap_err();
    assert!(matches!(err, Error::Pagination(_)), "{err:?}");
    assert!(err.to_string().contains("t1"), "{err}");
    assert_eq!(server.count(), 2);
    assert_no_secret(err);
}

#[tokio::test]
async fn a_token_that_comes_back_later_is_caught_too() {
    let server = Server::start(vec![
        Reply::json(200, page_json([1], Some("a"))),
        Reply::json(200, page_json([2], Some("b"))),
        Reply::json(200, page_json([3], Some("a"))),
        Reply::json(200, page_json([4], Some("b"))),
        Reply::json(200, page_json([5], Some("a"))),
    ])
    .await;
    let got = collect(items(list(server.client(), None))).await;
    let (ok, err): (Vec<_>, Vec<_>) = got.into_iter().partition(Result::is_ok);
    let ok: Vec<u64> = ok.into_iter().map(Result::unwrap).collect();
    assert_eq!(ok, [1, 2, 3]);
    assert_eq!(err.len(), 1);
    assert!(matches!(err[0], Err(Error::Pagination(_))));
    assert_eq!(server.count(), 3);
}

#[tokio::test]
async fn a_first_token_given_by_the_caller_counts_as_seen() {
    let server = Server::start(vec![
        Reply::json(200, page_json([1], Some("start"))),
        Reply::json(200, page_json([2], None)),
    ])
    .await;
    let got = collect(list(server.client(), Some("start".into()))).await;
    assert_eq!(got.len(), 2, "{got:?}");
    assert!(matches!(got[1], Err(Error::Pagination(_))));
    assert_eq!(targets(&server), ["/things?page_size=2&page_token=start"]);
}

#[tokio::test]
async fn an_empty_page_stops_the_stream() {
    let server = Server::start(vec![
        Reply::json(200, page_json([1, 2], Some("t1"))),
        Reply::json(200, page_json([], Some("t2"))),
        Reply::json(200, page_json([3], None)),
    ])
    .await;
    let got: Vec<u64> =
        collect(items(list(server.client(), None))).await.into_iter().map(Result::unwrap).collect();
    assert_eq!(got, [1, 2]);
    assert_eq!(server.count(), 2);
}

#[tokio::test]
async fn an_error_on_a_later_page_ends_the_stream_after_the_earlier_items() {
    let server = Server::start(vec![
        Reply::json(200, page_json([1, 2], Some("t1"))),
        Reply::json(404, r#"{"detail":"listing expired"}"#),
        Reply::json(200, page_json([3], None)),
    ])
    .await;
    let got = collect(items(list(server.client(), None))).await;
    assert_eq!(got.len(), 3, "{got:?}");
    assert_eq!(*got[0].as_ref().unwrap(), 1);
    assert_eq!(*got[1].as_ref().unwrap(), 2);
    let err = got[2].as_ref().unwrap_err();
    assert!(matches!(err, Error::NotFound(_)), "{err:?}");
    assert_eq!(server.count(), 2);
}

#[tokio::test]
async fn a_page_that_does_not_decode_ends_the_stream_with_a_decode_error() {
    let server = Server::start(vec![
        Reply::json(200, page_json([1], Some("t1"))),
        Reply::json(200, r#"{"items":[2,"#),
    ])
    .await;
    let got = collect(items(list(server.client(), None))).await;
    assert_eq!(got.len(), 2, "{got:?}");
    let err = got[1].as_ref().unwrap_err();
    assert!(matches!(err, Error::Decode { type_name, .. } if type_name.contains("ThingPage")), "{err:?}");
}

#[tokio::test]
async fn total_size_is_available_on_each_page() {
    let body = serde_json::json!({"items": [1], "next_page_token": null, "total_size": 1}).to_string();
    let server = Server::start(vec![Reply::json(200, body)]).await;
    let got = collect(list(server.client(), None)).await;
    use ferrospec_runtime::Page;
    assert_eq!(got[0].as_ref().unwrap().total_size(), Some(1));
}
