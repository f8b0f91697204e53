//! The whole workflow in one run: create a directory, upload a file, build an index over it,
//! sync it, read it back, list with automatic paging, then clean up.
//!
//! Without `LLAMA_CLOUD_API_KEY` it starts the local fake LlamaCloud in-process (no account, no
//! network); with a key it talks to LlamaCloud (or `LLAMA_CLOUD_BASE_URL`).
//!
//!     cargo run --example quickstart

use futures_util::TryStreamExt;
use llama_cloud::{types, Client, FilePart};
use llama_cloud_fake::{FakeConfig, FakeServer};
use std::error::Error;
use std::process::ExitCode;
use std::time::Duration;

/// Runs the workflow; a failure is printed as sentences (the error, then what caused it) on
/// stderr, with exit code 1.
#[tokio::main]
async fn main() -> ExitCode {
    match run().await {
        Ok(()) => ExitCode::SUCCESS,
        Err(e) => {
            eprintln!("error: {e}");
            let mut shown = e.to_string();
            let mut source = e.source();
            while let Some(s) = source {
                let text = s.to_string();
                // Some messages already include their causes' words: don't repeat them.
                if !shown.contains(&text) {
                    eprintln!("  caused by: {text}");
                    shown.push_str(&text);
                }
                source = s.source();
            }
            ExitCode::FAILURE
        }
    }
}

async fn run() -> Result<(), Box<dyn Error>> {
    let has_key = std::env::var(Client::API_KEY_ENV).is_ok_and(|k| !k.is_empty());
    let (client, fake) = if has_key {
        let client = Client::from_env()?;
        println!("Using LlamaCloud at {}", client.runtime().base_url());
        (client, None)
    } else {
        let fake =
            FakeServer::start(FakeConfig { sync_duration: Duration::from_secs(1), ..FakeConfig::default() })
                .await?;
        println!(
            "{} is not set: started a local fake LlamaCloud at {} (nothing leaves this machine).",
            Client::API_KEY_ENV,
            fake.url()
        );
        let client = Client::builder().api_key("local-demo-key").base_url(fake.url()).build()?;
        (client, Some(fake))
    };

    println!("\n1. Create a directory");
    let dir = client
        .beta()
        .directories()
        .create("quickstart-contracts")
        .description("Made by the llama-cloud quickstart")
        .r#type(types::DirectoryCreateType::User)
        .send()
        .await?;
    println!("   {} \"{}\" in project {}", dir.id, dir.name, dir.project_id);

    println!("\n2. Upload three files");
    for name in ["nda.txt", "msa.txt", "sow.txt"] {
        let text = format!("{name}: the parties agree to keep the quickstart a secret.\n");
        let file = client
            .beta()
            .directories()
            .files()
            .upload(&dir.id, FilePart::new(text.into_bytes()).file_name(name).content_type("text/plain"))
            .metadata([("kind".to_string(), Some("contract".into()))].into())
            .send()
            .await?;
        println!("   {} \"{}\" (unique id {})", file.id, file.display_name, file.unique_id);
    }

    println!("\n3. Create an index over the directory");
    let index = client
        .indexes()
        .create(&dir.id)
        .name("quickstart-index")
        .sync_frequency(types::SyncFrequency::Manual)
        .send()
        .await?;
    println!("   {} \"{}\" over {}", index.id, index.name, index.source_directory_id);

    println!("\n4. Sync it");
    let started = client.indexes().sync(&index.id).send().await?;
    println!("   {}", serde_json::Value::Object(started));

    println!("\n5. Read it back with expand=sync_in_progress");
    let current = client.indexes().get(&index.id).expand([types::IndexExpand::SyncInProgress]).send().await?;
    println!(
        "   sync in progress: {}, last synced at: {}",
        current.sync_in_progress.unwrap_or(false),
        current.last_synced_at.map(|t| t.to_string()).unwrap_or_else(|| "never".into())
    );

    println!("\n6. List with automatic paging (2 per page)");
    let indexes: Vec<types::Index> =
        client.indexes().list().source_directory_id(&dir.id).page_size(2).into_stream().try_collect().await?;
    println!(
        "   indexes over {}: {}",
        dir.id,
        indexes.iter().map(|i| i.id.as_str()).collect::<Vec<_>>().join(", ")
    );
    let files: Vec<types::DirectoryFile> =
        client.beta().directories().files().list(&dir.id).page_size(2).into_stream().try_collect().await?;
    println!(
        "   files in {}: {}",
        dir.id,
        files.iter().map(|f| f.display_name.as_str()).collect::<Vec<_>>().join(", ")
    );

    println!("\n7. Clean up");
    match client.indexes().cancel_sync(&index.id).send().await {
        Ok(_) => println!("   cancelled the running sync"),
        Err(e) if e.status().map(|s| s.as_u16()) == Some(409) => {
            println!("   no sync left to cancel (409)")
        }
        Err(e) => return Err(e.into()),
    }
    client.indexes().delete(&index.id).send().await?;
    client.beta().directories().delete(&dir.id).send().await?;
    println!("   deleted {} and {}", index.id, dir.id);

    if let Some(fake) = fake {
        fake.shutdown().await;
    }
    println!("\nDone: the workflow succeeded.");
    Ok(())
}
