//! Object-typed path, header and cookie parameters (tests/fixtures/param-objects.yaml), as the
//! specification's style table writes them, checked on a real server on 127.0.0.1. Properties
//! come in the order the JSON map keeps them (sorted by name), which the styles leave free.

use axum::http::{HeaderMap, StatusCode, Uri};
use compile_fixtures::param_objects_api::{types::Color, Client};
use std::collections::BTreeMap;
use std::sync::{Arc, Mutex};

#[tokio::test]
async fn every_style_and_explode_of_an_object_parameter() {
    let seen: Arc<Mutex<Vec<(String, HeaderMap)>>> = Arc::default();
    let record = seen.clone();
    let app = axum::Router::new().fallback(move |uri: Uri, headers: HeaderMap| {
        let record = record.clone();
        async move {
            record.lock().unwrap().push((uri.path().to_string(), headers));
            StatusCode::NO_CONTENT
        }
    });
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let addr = listener.local_addr().unwrap();
    tokio::spawn(async move { axum::serve(listener, app).await.unwrap() });
    let client = Client::builder().base_url(format!("http://{addr}")).build().unwrap();

    let color = || Color::new(100, 200, 150); // R, G, B
    client
        .paint_all(color(), color(), color(), color(), color(), color(), color())
        .x_color_exploded(color())
        .color(color())
        .prefs(BTreeMap::from([
            ("theme".to_string(), "dark mode".to_string()),
            ("lang".to_string(), "en".to_string()),
        ]))
        .await
        .unwrap();

    let (path, headers) = seen.lock().unwrap().pop().unwrap();
    assert_eq!(
        path,
        "/simple/B,150,G,200,R,100/B=150,G=200,R=100\
         /label/.B,150,G,200,R,100/.B=150.G=200.R=100\
         /matrix/;e=B,150,G,200,R,100/;B=150;G=200;R=100"
    );
    assert_eq!(headers["x-color"], "B,150,G,200,R,100");
    assert_eq!(headers["x-color-exploded"], "B=150,G=200,R=100");
    assert_eq!(headers["cookie"], "color=B,150,G,200,R,100; lang=en; theme=dark%20mode");
}
