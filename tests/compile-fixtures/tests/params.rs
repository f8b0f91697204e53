//! The client generated from `tests/fixtures/params.yaml` against a real HTTP server on
//! 127.0.0.1: the exact request line and headers each parameter style puts on the wire.

#[path = "../../../runtime/tests/common/mod.rs"]
mod common;

use common::{Reply, Server};
use compile_fixtures::params_api::{types, Client};
use std::collections::BTreeMap;

fn client(server: &Server) -> Client {
    Client::from_runtime(server.client())
}

fn strings(items: &[&str]) -> Vec<String> {
    items.iter().map(|s| s.to_string()).collect()
}

fn filter(owner: Option<&str>, tags: Option<&[&str]>, min: Option<i64>) -> types::Filter {
    let mut f = types::Filter::new();
    f.owner = owner.map(str::to_string);
    f.tags = tags.map(strings);
    f.size = min.map(|m| {
        let mut size = types::FilterSize::new();
        size.min = Some(m);
        size
    });
    f
}

#[tokio::test]
async fn an_array_path_parameter_is_one_segment_of_encoded_elements() {
    let server = Server::start(vec![Reply::json(200, r#"{"name":"Ada"}"#)]).await;
    let owner = client(&server).get_things(strings(&["a", "b/c", "d,e"])).send().await.unwrap();
    assert_eq!(owner, types::ThingOwner::new("Ada"));
    // Commas between elements; a `/` or `,` inside one is encoded, so it can't add a segment
    // or an element.
    assert_eq!(server.requests()[0].target, "/things/a,b%2Fc,d%2Ce");
}

#[tokio::test]
async fn an_empty_array_path_parameter_is_refused_before_sending() {
    let server = Server::start(vec![]).await;
    let err = client(&server).get_things(Vec::new()).send().await.unwrap_err();
    assert!(
        matches!(&err, ferrospec_runtime::Error::InvalidArgument(m) if m.contains("must not be empty")),
        "{err}"
    );
    let err = client(&server).get_things(strings(&[".."])).send().await.unwrap_err();
    assert!(matches!(&err, ferrospec_runtime::Error::InvalidArgument(_)), "{err}");
    assert_eq!(server.count(), 0);
}

/// `/mirror/{id}/{side}/{id}`: one argument, written at both places; a `format: binary` query
/// parameter is a string.
#[tokio::test]
async fn a_parameter_the_path_names_twice_is_one_argument_sent_twice() {
    let server = Server::start(vec![Reply::status(204)]).await;
    client(&server).get_mirror(7, "left/right").token("a b").send().await.unwrap();
    assert_eq!(server.requests()[0].target, "/mirror/7/left%2Fright/7?token=a%20b");
}

#[tokio::test]
async fn label_and_matrix_path_parameters() {
    let server = Server::start(vec![Reply::status(204), Reply::status(204)]).await;
    let c = client(&server);
    c.get_labels(vec![1, 22]).send().await.unwrap();
    c.get_matrix(strings(&["x", "y z;w"])).send().await.unwrap();
    let reqs = server.requests();
    assert_eq!(reqs[0].target, "/labels/.1.22");
    assert_eq!(reqs[1].target, "/matrix/;point=x,y%20z%3Bw");
}

#[tokio::test]
async fn every_query_style_and_json_parameters() {
    let server = Server::start(vec![Reply::status(204)]).await;
    client(&server)
        .search()
        .filter(filter(Some("me"), Some(&["a", "b/c"]), Some(1)))
        .colors(strings(&["red", "green|blue"]))
        .sizes([1, 2])
        .tags(strings(&["x", "y"]))
        .kinds(strings(&["k1", "k,2"]))
        .q({
            let mut q = types::Query::new("a b");
            q.fuzzy = Some(true);
            q
        })
        .x_trace({
            let mut t = types::SearchXTrace::new();
            t.span = Some("s-1".into());
            t
        })
        .prefs(strings(&["p", "q;r"]))
        .send()
        .await
        .unwrap();
    let sent = &server.requests()[0];
    assert_eq!(
        sent.target,
        "/search\
         ?filter%5Bowner%5D=me&filter%5Bsize%5D%5Bmin%5D=1&filter%5Btags%5D=a&filter%5Btags%5D=b%2Fc\
         &colors=red%7Cgreen%7Cblue\
         &sizes=1%202\
         &tags=x&tags=y\
         &kinds=k1,k%2C2\
         &q=%7B%22term%22%3A%22a%20b%22%2C%22fuzzy%22%3Atrue%7D"
    );
    assert_eq!(sent.header("x-trace"), Some(r#"{"span":"s-1"}"#));
    assert_eq!(sent.header("cookie"), Some("prefs=p,q%3Br"));
}

#[tokio::test]
async fn unset_parameters_are_left_out() {
    let server = Server::start(vec![Reply::status(204)]).await;
    client(&server).search().send().await.unwrap();
    let sent = &server.requests()[0];
    assert_eq!(sent.target, "/search");
    assert_eq!(sent.header("x-trace"), None);
    assert_eq!(sent.header("cookie"), None);
}

#[tokio::test]
async fn a_required_json_parameter_and_parameters_given_by_refs_elsewhere() {
    let server = Server::start(vec![Reply::status(204)]).await;
    let r#where = BTreeMap::from([("state".to_string(), "open & new".to_string())]);
    client(&server)
        .get_report(r#where)
        .filter(filter(Some("me"), None, None))
        .size({
            let mut size = types::FilterSize::new();
            size.max = Some(9);
            size
        })
        .send()
        .await
        .unwrap();
    assert_eq!(
        server.requests()[0].target,
        "/reports?where=%7B%22state%22%3A%22open%20%26%20new%22%7D&filter%5Bowner%5D=me&size%5Bmax%5D=9"
    );
}
