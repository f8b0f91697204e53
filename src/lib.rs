//! A typed async client for LlamaCloud's index and directory API.
//!
//! The client is generated from `spec/llama-cloud.yaml` into the committed
//! `generated/llama_cloud.rs` and runs on [`ferrospec_runtime`], which owns HTTP, retries,
//! errors and paging.
//!
//! ```no_run
//! # async fn demo() -> Result<(), llama_cloud::Error> {
//! use llama_cloud::prelude::*;
//!
//! let client = Client::from_env()?; // LLAMA_CLOUD_API_KEY, optional LLAMA_CLOUD_BASE_URL
//! let dir = client.beta().directories().create("contracts").await?;
//! let file = FilePart::new(b"%PDF-1.7 ...".to_vec()).file_name("nda.pdf");
//! client.beta().directories().files().upload(&dir.id, file).await?;
//! let index = client.indexes().create(&dir.id).name("contracts").await?;
//! client.indexes().sync(&index.id).max_retries(5).await?;
//! # Ok(()) }
//! ```

#[cfg(feature = "codegen")]
mod generated {
    include!(concat!(env!("OUT_DIR"), "/llama_cloud.rs"));
}

// The README's code blocks compile (and the ones not marked `no_run` run) as doctests.
#[cfg(doctest)]
#[doc = include_str!("../README.md")]
pub struct ReadmeDoctests;

// The reviewed copy, identical to what the generator writes (a test and CI check that).
// rustfmt must leave it as the generator wrote it (prettyplease), or the drift check fails.
#[cfg(not(feature = "codegen"))]
#[path = "../generated/llama_cloud.rs"]
#[rustfmt::skip]
mod generated;

pub use ferrospec_runtime as runtime;
pub use ferrospec_runtime::{
    ApiError, BoxStream, Bytes, Call, Date, DateTime, Documented, Error, FilePart, InvalidDate,
    RequestOptions, Response, Secret, TimeoutKind, Undocumented, UnknownValue,
};
pub use generated::{builders, resources, types, Client, ClientBuilder};
/// JSON values, for free-form fields.
pub use serde_json;

/// Everything a program usually needs: the client, errors, files, per-call options (the
/// [`Call`] trait) and the stream extension methods for list streams (`next`, `try_collect`).
pub mod prelude {
    pub use crate::{types, Client, Error, FilePart, RequestOptions};
    pub use ferrospec_runtime::prelude::*;
}
