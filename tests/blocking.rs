//! The blocking front end (feature `blocking`): no async runtime in the caller's code.

use llama_cloud::runtime::blocking::{self, BlockingCall};
use llama_cloud::{Client, Error};
use llama_cloud_fake::{FakeConfig, FakeServer};

#[test]
fn blocking_calls_and_iterators_work_without_an_async_caller() {
    // The fake needs a runtime of its own; the client's calls below don't.
    let server_rt = tokio::runtime::Runtime::new().expect("runtime");
    let server = server_rt.block_on(FakeServer::start(FakeConfig::default())).expect("fake starts");
    let client = Client::builder().api_key("k").base_url(server.url()).build().expect("client");

    let dirs = client.beta().directories();
    let created: Vec<String> =
        (0..3).map(|i| dirs.create(format!("blocking-{i}")).send_blocking().expect("create").id).collect();
    let listed: Vec<String> =
        blocking::iter(dirs.list().page_size(2).into_stream()).map(|d| d.expect("page").id).collect();
    assert_eq!(listed, created, "every directory, in order, across two pages");

    match client.indexes().get("idx-missing").send_blocking() {
        Err(Error::NotFound(e)) => assert_eq!(e.status.as_u16(), 404),
        other => panic!("expected NotFound, got {other:?}"),
    }
    assert_eq!(server.request_count(), 6, "3 creates, 2 pages, 1 get");
}
