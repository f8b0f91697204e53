//! The quickstart's workflow, client against the local fake, with what a user checks at each step.

use futures_util::TryStreamExt;
use llama_cloud::{types, Client, Error, FilePart};
use llama_cloud_fake::{FakeConfig, FakeServer};
use std::time::Duration;

#[tokio::test]
async fn directory_upload_index_sync_list_delete() {
    let fake =
        FakeServer::start(FakeConfig { sync_duration: Duration::from_millis(300), ..FakeConfig::default() })
            .await
            .expect("fake starts");
    let client =
        Client::builder().api_key("k").base_url(fake.url()).project_id("proj-7").build().expect("client");

    let dir =
        client.beta().directories().create("contracts").description("NDAs").send().await.expect("create dir");
    assert_eq!((dir.name.as_str(), dir.project_id.as_str()), ("contracts", "proj-7"));
    assert_eq!(dir.r#type, Some(types::DirectoryType::User));

    let files = client.beta().directories().files();
    for name in ["a.txt", "b.txt", "c.txt"] {
        let part = FilePart::new(format!("content of {name}").into_bytes()).file_name(name);
        let f = files
            .upload(&dir.id, part)
            .metadata([("kind".to_string(), Some("nda".into()))].into())
            .send()
            .await
            .expect("upload");
        assert_eq!(f.display_name, name);
        assert_eq!(f.directory_id, dir.id);
        let kind = f.metadata.as_ref().and_then(|m| m.get("kind")).cloned().flatten();
        assert_eq!(kind, Some(types::DirectoryFileMetadataValue::String("nda".into())));
    }

    let index = client.indexes().create(&dir.id).name("contracts-index").send().await.expect("create index");
    assert_eq!(index.source_directory_id, dir.id);
    assert!(index.last_synced_at.is_none());

    client.indexes().sync(&index.id).send().await.expect("sync");
    let syncing =
        client.indexes().get(&index.id).expand([types::IndexExpand::SyncInProgress]).send().await.unwrap();
    assert_eq!(syncing.sync_in_progress, Some(true));
    assert!(syncing.last_synced_at.is_some());
    let plain = client.indexes().get(&index.id).send().await.unwrap();
    assert_eq!(plain.sync_in_progress, None, "only present with expand");

    let listed: Vec<types::DirectoryFile> =
        files.list(&dir.id).page_size(2).into_stream().try_collect().await.expect("list files");
    let names: Vec<&str> = listed.iter().map(|f| f.display_name.as_str()).collect();
    assert_eq!(names, ["a.txt", "b.txt", "c.txt"]);
    let pages: Vec<types::DirectoryFilePage> =
        files.list(&dir.id).page_size(2).pages().try_collect().await.expect("pages");
    assert_eq!(pages.len(), 2);
    assert_eq!(pages[0].total_size, Some(3));

    client.indexes().cancel_sync(&index.id).send().await.expect("cancel while running");
    match client.indexes().cancel_sync(&index.id).send().await {
        Err(Error::Conflict(e)) => assert!(e.to_string().contains("No sync is running"), "{e}"),
        other => panic!("expected a 409 conflict, got {other:?}"),
    }

    client.indexes().delete(&index.id).send().await.expect("delete index");
    client.beta().directories().delete(&dir.id).send().await.expect("delete dir");
    assert!(matches!(client.indexes().get(&index.id).send().await, Err(Error::NotFound(_))));
    let remaining: Vec<types::Directory> =
        client.beta().directories().list().into_stream().try_collect().await.unwrap();
    assert!(remaining.is_empty(), "soft-deleted directories are not listed");
    let with_deleted: Vec<types::Directory> =
        client.beta().directories().list().include_deleted(true).into_stream().try_collect().await.unwrap();
    assert!(with_deleted[0].deleted_at.is_some());
    fake.shutdown().await;
}
