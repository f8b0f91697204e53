//! What the client tells `tracing`: one span per call with the operation, method and path
//! template, an event per attempt with status and duration, and never the API key.

use llama_cloud::{Client, Error};
use llama_cloud_fake::{FakeConfig, FakeServer};
use std::fmt::Write;
use std::sync::{Arc, Mutex};
use tracing::field::{Field, Visit};
use tracing::span::{Attributes, Id, Record};
use tracing::{Event, Metadata, Subscriber};

/// Records every span and event field as text.
#[derive(Clone, Default)]
struct Capture(Arc<Mutex<String>>);

struct Line<'a>(&'a mut String);

impl Visit for Line<'_> {
    fn record_debug(&mut self, field: &Field, value: &dyn std::fmt::Debug) {
        let _ = write!(self.0, " {}={:?}", field.name(), value);
    }
}

impl Subscriber for Capture {
    fn enabled(&self, _: &Metadata<'_>) -> bool {
        true
    }
    fn new_span(&self, attrs: &Attributes<'_>) -> Id {
        let mut out = self.0.lock().unwrap();
        let _ = write!(out, "\nspan {}:", attrs.metadata().name());
        attrs.record(&mut Line(&mut out));
        Id::from_u64(1)
    }
    fn record(&self, _: &Id, values: &Record<'_>) {
        values.record(&mut Line(&mut self.0.lock().unwrap()));
    }
    fn record_follows_from(&self, _: &Id, _: &Id) {}
    fn event(&self, event: &Event<'_>) {
        let mut out = self.0.lock().unwrap();
        out.push_str("\nevent:");
        event.record(&mut Line(&mut out));
    }
    fn enter(&self, _: &Id) {}
    fn exit(&self, _: &Id) {}
}

#[test]
fn spans_name_the_call_and_never_the_key() {
    const KEY: &str = "sk-secret-tracing-123";
    let capture = Capture::default();
    let rt = tokio::runtime::Builder::new_current_thread().enable_all().build().unwrap();
    let _guard = tracing::subscriber::set_default(capture.clone());
    rt.block_on(async {
        let fake = FakeServer::start(FakeConfig { api_key: Some("other".into()), ..FakeConfig::default() })
            .await
            .unwrap();
        let client = Client::builder().api_key(KEY).base_url(fake.url()).max_retries(0).build().unwrap();
        let err = client.indexes().get("idx-1").send().await.unwrap_err();
        assert!(matches!(err, Error::Authentication(_)), "{err:?}");
        for text in [format!("{err}"), format!("{err:?}"), format!("{client:?}")] {
            assert!(!text.contains(KEY), "the key leaked into {text}");
        }
    });
    let log = capture.0.lock().unwrap().clone();
    assert!(
        log.contains(
            "span http_request: operation=\"getIndex\" method=GET path=\"/api/v1/indexes/{index_id}\""
        ),
        "{log}"
    );
    assert!(log.contains("status=401"), "{log}");
    assert!(log.contains("elapsed_ms="), "{log}");
    assert!(!log.contains(KEY), "the key leaked into tracing output: {log}");
    assert!(!log.contains("idx-1"), "only the path template is traced, not ids: {log}");
}
