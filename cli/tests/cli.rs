//! The `llama-cloud` binary, run as a user runs it, against an in-process fake LlamaCloud.
//!
//! Every test starts its own `FakeServer` (stopped when dropped) and spawns the built binary with
//! `std::process::Command` on a blocking thread. `LLAMA_CLOUD_API_KEY` and `LLAMA_CLOUD_BASE_URL`
//! are removed from the child's environment unless a test sets them, so the machine's
//! environment can't leak in.

use llama_cloud_fake::{FakeConfig, FakeServer};
use serde_json::{json, Value};
use std::path::PathBuf;
use std::process::{Command, Stdio};
use std::time::Duration;

const BIN: &str = env!("CARGO_BIN_EXE_llama-cloud");
const KEY: &str = "k";

/// What a run of the binary left behind.
#[derive(Debug)]
struct Run {
    code: Option<i32>,
    stdout: String,
    stderr: String,
}

impl Run {
    /// Exit 0, nothing on stderr, and stdout is exactly one line of JSON.
    fn json(&self) -> Value {
        assert_eq!(self.code, Some(0), "expected success: {self:#?}");
        assert_eq!(self.stderr, "", "nothing on stderr: {self:#?}");
        assert!(
            self.stdout.ends_with('\n') && self.stdout.trim_end().lines().count() == 1,
            "one line of JSON on stdout (not a terminal): {:?}",
            self.stdout
        );
        serde_json::from_str(&self.stdout)
            .unwrap_or_else(|e| panic!("stdout is not JSON ({e}): {:?}", self.stdout))
    }

    /// Exit 0 with nothing printed at all.
    fn empty(&self) {
        assert_eq!(self.code, Some(0), "expected success: {self:#?}");
        assert_eq!(self.stdout, "", "an empty response prints nothing");
        assert_eq!(self.stderr, "");
    }

    /// Exit 1, nothing on stdout, and one `error: ...` line on stderr; returns that line.
    fn api_error(&self) -> &str {
        assert_eq!(self.code, Some(1), "expected an API error (exit 1): {self:#?}");
        self.one_error_line()
    }

    /// Exit 2 and nothing on stdout; returns stderr.
    fn usage_error(&self) -> &str {
        assert_eq!(self.code, Some(2), "expected a usage error (exit 2): {self:#?}");
        assert_eq!(self.stdout, "", "nothing on stdout: {self:#?}");
        assert!(self.stderr.starts_with("error: "), "stderr starts with `error: `: {:?}", self.stderr);
        &self.stderr
    }

    fn one_error_line(&self) -> &str {
        assert_eq!(self.stdout, "", "nothing on stdout: {self:#?}");
        let lines: Vec<&str> = self.stderr.lines().collect();
        assert_eq!(lines.len(), 1, "one line on stderr: {:?}", self.stderr);
        assert!(lines[0].starts_with("error: "), "{:?}", lines[0]);
        lines[0]
    }
}

/// Runs the binary with exactly `args` and `env` (plus the inherited environment minus the
/// LLAMA_CLOUD_* variables).
async fn run_raw(args: &[&str], env: &[(&str, &str)]) -> Run {
    let args: Vec<String> = args.iter().map(|s| s.to_string()).collect();
    let env: Vec<(String, String)> = env.iter().map(|(k, v)| (k.to_string(), v.to_string())).collect();
    let child = tokio::task::spawn_blocking(move || {
        let mut cmd = Command::new(BIN);
        cmd.args(&args)
            .env_remove("LLAMA_CLOUD_API_KEY")
            .env_remove("LLAMA_CLOUD_BASE_URL")
            .stdin(Stdio::null());
        for (k, v) in env {
            cmd.env(k, v);
        }
        cmd.output().expect("the binary runs")
    });
    let out = tokio::time::timeout(Duration::from_secs(20), child)
        .await
        .expect("the binary finishes within 20 s")
        .expect("join");
    Run {
        code: out.status.code(),
        stdout: String::from_utf8(out.stdout).expect("stdout is UTF-8"),
        stderr: String::from_utf8(out.stderr).expect("stderr is UTF-8"),
    }
}

/// Runs `llama-cloud --base-url <fake> --api-key k ARGS...`.
async fn run(server: &FakeServer, args: &[&str]) -> Run {
    let url = server.url();
    let mut all = vec!["--base-url", url.as_str(), "--api-key", KEY];
    all.extend_from_slice(args);
    run_raw(&all, &[]).await
}

async fn start_with(config: FakeConfig) -> FakeServer {
    FakeServer::start(config).await.expect("the fake starts")
}

async fn start() -> FakeServer {
    start_with(FakeConfig::default()).await
}

fn text(v: &Value) -> &str {
    v.as_str().unwrap_or_else(|| panic!("expected a string, got {v}"))
}

async fn make_dir(server: &FakeServer, name: &str) -> String {
    let v = run(server, &["beta", "directories", "create", "--name", name]).await.json();
    text(&v["id"]).to_string()
}

async fn make_index(server: &FakeServer, dir: &str) -> String {
    let v = run(server, &["indexes", "create", "--source-directory-id", dir]).await.json();
    text(&v["id"]).to_string()
}

async fn add_file(server: &FakeServer, dir: &str, file_id: &str, display: &str) -> String {
    let v = run(
        server,
        &["beta", "directories", "files", "add", dir, "--file-id", file_id, "--display-name", display],
    )
    .await
    .json();
    text(&v["id"]).to_string()
}

/// A file under cargo's per-test-target temp dir, unique to this process and `name`.
fn temp_file(name: &str, contents: &[u8]) -> PathBuf {
    let dir = PathBuf::from(env!("CARGO_TARGET_TMPDIR")).join(format!("cli-{}", std::process::id()));
    std::fs::create_dir_all(&dir).expect("temp dir");
    let path = dir.join(name);
    std::fs::write(&path, contents).expect("temp file");
    path
}

fn ids(v: &Value) -> Vec<String> {
    v.as_array()
        .unwrap_or_else(|| panic!("expected an array, got {v}"))
        .iter()
        .map(|i| text(&i["id"]).to_string())
        .collect()
}

// ---------------------------------------------------------------------------------------------
// Help

#[tokio::test(flavor = "multi_thread")]
async fn help_on_every_leaf_command_shows_the_spec_description() {
    let leaves: &[(&[&str], &str, &str)] = &[
        (
            &["indexes", "create"],
            "Create a searchable index over a source directory.",
            "POST /api/v1/indexes",
        ),
        (
            &["indexes", "list"],
            "List the indexes of a project, one page at a time, optionally filtered by source directory.",
            "GET /api/v1/indexes",
        ),
        (&["indexes", "get"], "Get an index by ID.", "GET /api/v1/indexes/{index_id}"),
        (&["indexes", "delete"], "Delete an index.", "DELETE /api/v1/indexes/{index_id}"),
        (
            &["indexes", "sync"],
            "Trigger a sync and export for an existing index",
            "POST /api/v1/indexes/{index_id}/sync",
        ),
        (
            &["indexes", "cancel-sync"],
            "Cancel the sync currently running for an index. Answers 409 when no sync is running for the index.",
            "POST /api/v1/indexes/{index_id}/sync/cancel",
        ),
        (
            &["beta", "directories", "create"],
            "Create a new directory within the specified project.",
            "POST /api/v1/beta/directories",
        ),
        (
            &["beta", "directories", "list"],
            "List the directories of a project, one page at a time, optionally filtered by name and type.",
            "GET /api/v1/beta/directories",
        ),
        (
            &["beta", "directories", "get"],
            "Retrieve a directory by its identifier.",
            "GET /api/v1/beta/directories/{directory_id}",
        ),
        (
            &["beta", "directories", "update"],
            "Update the name or description of a directory.",
            "PATCH /api/v1/beta/directories/{directory_id}",
        ),
        (
            &["beta", "directories", "delete"],
            "Delete a directory.",
            "DELETE /api/v1/beta/directories/{directory_id}",
        ),
        (
            &["beta", "directories", "files", "add"],
            "Add an existing file to a directory, creating a directory file entry that points at it.",
            "POST /api/v1/beta/directories/{directory_id}/files",
        ),
        (
            &["beta", "directories", "files", "upload"],
            "Upload a file directly to a directory.",
            "POST /api/v1/beta/directories/{directory_id}/files/upload",
        ),
        (
            &["beta", "directories", "files", "list"],
            "List the files in a directory, one page at a time",
            "GET /api/v1/beta/directories/{directory_id}/files",
        ),
        (
            &["beta", "directories", "files", "get"],
            "Retrieve a file in a directory by its identifier.",
            "GET /api/v1/beta/directories/{directory_id}/files/{directory_file_id}",
        ),
        (
            &["beta", "directories", "files", "update"],
            "Update a file in a directory: its display name, metadata or unique id, or move it to another directory.",
            "PATCH /api/v1/beta/directories/{directory_id}/files/{directory_file_id}",
        ),
        (
            &["beta", "directories", "files", "delete"],
            "Delete a file from a directory.",
            "DELETE /api/v1/beta/directories/{directory_id}/files/{directory_file_id}",
        ),
    ];
    for (path, description, route) in leaves {
        let mut args = path.to_vec();
        args.push("--help");
        let r = run_raw(&args, &[]).await;
        assert_eq!(r.code, Some(0), "{args:?}: {r:#?}");
        assert_eq!(r.stderr, "", "{args:?}");
        assert!(r.stdout.contains(description), "{args:?} shows {description:?}:\n{}", r.stdout);
        assert!(r.stdout.contains(route), "{args:?} shows {route:?}");
        let usage = format!("Usage: llama-cloud {}", path.join(" "));
        assert!(r.stdout.contains(&usage), "{args:?} shows {usage:?}");
    }

    // Parameters and fields carry their own descriptions; path parameters are positional.
    let r = run_raw(&["beta", "directories", "files", "upload", "--help"], &[]).await;
    assert!(r
        .stdout
        .contains("Usage: llama-cloud beta directories files upload [OPTIONS] <DIRECTORY_ID> <FILE>"));
    assert!(r.stdout.contains("--display-name <display-name>"));
    assert!(r.stdout.contains("The file content to upload."));
    let r = run_raw(&["beta", "directories", "list", "--help"], &[]).await;
    assert!(r.stdout.contains("--types <types>"));
    assert!(r.stdout.contains("Also return directories that have been deleted."));
    assert!(r.stdout.contains("--all"));

    // The top level lists the resources and explains the exit codes.
    let r = run_raw(&["--help"], &[]).await;
    assert_eq!(r.code, Some(0));
    for needle in ["indexes", "beta", "--api-key", "--base-url", "exit 1", "2 for usage"] {
        assert!(r.stdout.contains(needle), "--help mentions {needle:?}:\n{}", r.stdout);
    }
    let r = run_raw(&["beta", "directories", "files", "--help"], &[]).await;
    for sub in ["add", "upload", "list", "get", "update", "delete"] {
        assert!(r.stdout.contains(sub), "files --help lists {sub}");
    }
}

/// The options listed under each heading (`Options:`, `Global options:`, ...) of a help text.
fn help_sections(help: &str) -> Vec<(String, Vec<String>)> {
    let mut sections: Vec<(String, Vec<String>)> = Vec::new();
    for line in help.lines() {
        if !line.starts_with(' ') && line.ends_with(':') {
            sections.push((line.trim_end_matches(':').to_string(), Vec::new()));
        } else if let Some((_, flags)) = sections.last_mut() {
            let item = line.trim_start();
            if let Some(long) = item.split_whitespace().find(|w| w.starts_with("--")) {
                if item.starts_with('-') {
                    let name = long.split(['[', '=', ',']).next().unwrap_or(long);
                    flags.push(name.to_string());
                }
            }
        }
    }
    sections
}

#[tokio::test(flavor = "multi_thread")]
async fn leaf_help_separates_global_options_from_the_commands_own() {
    let global =
        ["--api-key", "--base-url", "--max-retries", "--timeout", "--organization-id", "--project-id"];
    let cases: &[(&[&str], &[&str])] = &[
        (
            &["beta", "directories", "create"],
            &[
                "--name",
                "--connector-subscription-id",
                "--description",
                "--system-metadata",
                "--type",
                "--body",
            ],
        ),
        (
            &["beta", "directories", "list"],
            &["--name", "--type", "--types", "--page-size", "--page-token", "--include-deleted", "--all"],
        ),
        (&["indexes", "get"], &["--expand"]),
    ];
    for (path, own) in cases {
        for help in ["--help", "-h"] {
            let mut args = path.to_vec();
            args.push(help);
            let r = run_raw(&args, &[]).await;
            assert_eq!(r.code, Some(0), "{args:?}: {r:#?}");
            let sections = help_sections(&r.stdout);
            let headings: Vec<&str> = sections.iter().map(|(h, _)| h.as_str()).collect();
            assert!(
                headings.ends_with(&["Options", "Global options"]),
                "{args:?}: the command's options, then the global ones: {headings:?}\n{}",
                r.stdout
            );
            let options = &sections[sections.len() - 2].1;
            let globals = &sections[sections.len() - 1].1;
            assert_eq!(globals, &global, "{args:?}: {}", r.stdout);
            let mut expected: Vec<&str> = own.to_vec();
            expected.push("--help");
            let mut options: Vec<&str> = options.iter().map(String::as_str).collect();
            options.sort();
            expected.sort();
            assert_eq!(options, expected, "{args:?}: {}", r.stdout);
        }
    }

    // The top level has only the global options (and --help).
    let r = run_raw(&["--help"], &[]).await;
    let sections = help_sections(&r.stdout);
    let globals = &sections.iter().find(|(h, _)| h == "Global options").expect("a Global options heading").1;
    assert_eq!(globals, &global, "{}", r.stdout);
    let options = &sections.iter().find(|(h, _)| h == "Options").expect("an Options heading").1;
    assert_eq!(options, &["--help"], "{}", r.stdout);

    // Global options still work after the subcommand.
    let server = start().await;
    let url = server.url();
    let r = run_raw(&["indexes", "list", "--base-url", &url, "--api-key", KEY], &[]).await.json();
    assert_eq!(r["items"], json!([]));
}

// ---------------------------------------------------------------------------------------------
// Directories

#[tokio::test(flavor = "multi_thread")]
async fn directories_create_get_update_list_delete() {
    let server = start().await;
    let created = run(
        &server,
        &[
            "beta",
            "directories",
            "create",
            "--name",
            "docs",
            "--description",
            "Product docs",
            "--type",
            "ephemeral",
            "--system-metadata",
            r#"{"owner": "me", "n": 1}"#,
        ],
    )
    .await
    .json();
    let id = text(&created["id"]).to_string();
    assert!(id.starts_with("dir-"), "{created}");
    assert_eq!(created["name"], "docs");
    assert_eq!(created["description"], "Product docs");
    assert_eq!(created["type"], "ephemeral");
    assert_eq!(created["system_metadata"], json!({"owner": "me", "n": 1}));
    assert!(created["deleted_at"].is_null());

    let got = run(&server, &["beta", "directories", "get", &id]).await.json();
    assert_eq!(got, created);
    // The cookie parameter is accepted too.
    let got = run(&server, &["beta", "directories", "get", &id, "--session", "s"]).await.json();
    assert_eq!(got["id"], json!(id));

    let renamed = run(&server, &["beta", "directories", "update", &id, "--name", "renamed"]).await.json();
    assert_eq!(renamed["id"], json!(id));
    assert_eq!(renamed["name"], "renamed");
    assert_eq!(renamed["description"], "Product docs", "left unchanged");
    let described =
        run(&server, &["beta", "directories", "update", &id, "--description", "new words"]).await.json();
    assert_eq!(described["name"], "renamed");
    assert_eq!(described["description"], "new words");

    let other = make_dir(&server, "other").await;
    let page = run(&server, &["beta", "directories", "list"]).await.json();
    assert_eq!(ids(&page["items"]), [id.clone(), other.clone()]);
    assert_eq!(page["total_size"], 2);

    run(&server, &["beta", "directories", "delete", &id]).await.empty();

    let gone = run(&server, &["beta", "directories", "get", &id]).await;
    let line = gone.api_error();
    assert!(line.contains("404") && line.contains(&format!("Directory {id} not found")), "{line}");
    let page = run(&server, &["beta", "directories", "list"]).await.json();
    assert_eq!(ids(&page["items"]), [other.as_str()]);
    let page = run(&server, &["beta", "directories", "list", "--include-deleted"]).await.json();
    assert_eq!(ids(&page["items"]), [id.clone(), other.clone()]);
    assert!(page["items"][0]["deleted_at"].is_string());
    let page = run(&server, &["beta", "directories", "list", "--include-deleted=false"]).await.json();
    assert_eq!(ids(&page["items"]), [other]);

    let again = run(&server, &["beta", "directories", "delete", &id]).await;
    assert!(again.api_error().contains("404"));
}

#[tokio::test(flavor = "multi_thread")]
async fn directory_list_filters_with_repeated_types() {
    let server = start().await;
    let user = make_dir(&server, "alpha").await;
    let eph = text(
        &run(&server, &["beta", "directories", "create", "--name", "beta", "--type", "ephemeral"])
            .await
            .json()["id"],
    )
    .to_string();
    let user2 = make_dir(&server, "alpha").await;

    let both = run(&server, &["beta", "directories", "list", "--types", "user", "--types", "ephemeral"])
        .await
        .json();
    assert_eq!(ids(&both["items"]), [user.clone(), eph.clone(), user2.clone()]);
    let users = run(&server, &["beta", "directories", "list", "--types", "user"]).await.json();
    assert_eq!(ids(&users["items"]), [user.clone(), user2.clone()]);
    let index_or_eph =
        run(&server, &["beta", "directories", "list", "--types", "index", "--types", "ephemeral"])
            .await
            .json();
    assert_eq!(ids(&index_or_eph["items"]), [eph.as_str()]);
    let by_type = run(&server, &["beta", "directories", "list", "--type", "ephemeral"]).await.json();
    assert_eq!(ids(&by_type["items"]), [eph.as_str()]);
    let by_name = run(&server, &["beta", "directories", "list", "--name", "alpha"]).await.json();
    assert_eq!(ids(&by_name["items"]), [user, user2]);
    assert_eq!(by_name["total_size"], 2);

    // A value outside the document's enum is refused before sending (see
    // `enum_values_are_checked_before_sending`), `system_ephemeral` too: a directory can have
    // that type, but the document's filter doesn't list it.
    let bad = run(&server, &["beta", "directories", "list", "--types", "bogus"]).await;
    bad.usage_error();
    let bad = run(&server, &["beta", "directories", "list", "--types", "system_ephemeral"]).await;
    bad.usage_error();
}

#[tokio::test(flavor = "multi_thread")]
async fn project_id_is_a_global_option() {
    let server = start().await;
    make_dir(&server, "default").await;
    let p1 = run(&server, &["--project-id", "p1", "beta", "directories", "create", "--name", "in-p1"])
        .await
        .json();
    assert_eq!(p1["project_id"], "p1");
    // Before or after the subcommand.
    let listed = run(&server, &["beta", "directories", "list", "--project-id", "p1"]).await.json();
    assert_eq!(ids(&listed["items"]), [text(&p1["id"]).to_string()]);
    let all = run(&server, &["beta", "directories", "list"]).await.json();
    assert_eq!(all["total_size"], 2);
}

// ---------------------------------------------------------------------------------------------
// Paging

#[tokio::test(flavor = "multi_thread")]
async fn list_all_prints_one_array_across_pages() {
    let server = start().await;
    let mut created = Vec::new();
    for i in 0..5 {
        created.push(make_dir(&server, &format!("d{i}")).await);
    }

    // One page: the envelope as the server sent it.
    let page = run(&server, &["beta", "directories", "list", "--page-size", "2"]).await.json();
    assert_eq!(ids(&page["items"]), created[..2]);
    assert_eq!(page["total_size"], 5);
    let token = text(&page["next_page_token"]).to_string();
    let next = run(&server, &["beta", "directories", "list", "--page-size", "2", "--page-token", &token])
        .await
        .json();
    assert_eq!(ids(&next["items"]), created[2..4]);

    // --all: every item of every page as one array, in order.
    let before = server.request_count();
    let all = run(&server, &["beta", "directories", "list", "--page-size", "2", "--all"]).await.json();
    assert!(all.is_array(), "{all}");
    assert_eq!(ids(&all), created);
    assert_eq!(server.request_count() - before, 3, "pages of 2, 2 and 1");

    // Files and indexes page the same way.
    let dir = &created[0];
    let mut files = Vec::new();
    for i in 0..5 {
        files.push(add_file(&server, dir, &format!("file-{i}"), &format!("f{i}.txt")).await);
    }
    let all = run(&server, &["beta", "directories", "files", "list", dir, "--page-size", "2", "--all"])
        .await
        .json();
    assert_eq!(ids(&all), files);
    let mut indexes = Vec::new();
    for _ in 0..5 {
        indexes.push(make_index(&server, dir).await);
    }
    let all = run(&server, &["indexes", "list", "--page-size", "2", "--all"]).await.json();
    assert_eq!(ids(&all), indexes);

    // Nothing to list: an empty array.
    let empty_dir = make_dir(&server, "empty").await;
    let none = run(&server, &["beta", "directories", "files", "list", &empty_dir, "--all"]).await.json();
    assert_eq!(none, json!([]));
}

// ---------------------------------------------------------------------------------------------
// Bodies

#[tokio::test(flavor = "multi_thread")]
async fn body_as_json_text_and_as_a_file() {
    let server = start().await;
    let inline = run(
        &server,
        &[
            "beta",
            "directories",
            "create",
            "--body",
            r#"{"name": "from-body", "description": "inline", "type": "ephemeral"}"#,
        ],
    )
    .await
    .json();
    assert_eq!(inline["name"], "from-body");
    assert_eq!(inline["description"], "inline");
    assert_eq!(inline["type"], "ephemeral");

    let path = temp_file("create-directory.json", br#"{"name": "from-file", "description": "in a file"}"#);
    let arg = format!("@{}", path.display());
    let from_file = run(&server, &["beta", "directories", "create", "--body", &arg]).await.json();
    assert_eq!(from_file["name"], "from-file");
    assert_eq!(from_file["description"], "in a file");

    // Field options override the body's fields.
    let both =
        run(&server, &["beta", "directories", "create", "--body", &arg, "--name", "overridden"]).await.json();
    assert_eq!(both["name"], "overridden");
    assert_eq!(both["description"], "in a file");

    // The body may give a required field in place of its option.
    let dir = text(&both["id"]).to_string();
    let index = run(
        &server,
        &[
            "indexes",
            "create",
            "--body",
            &format!(r#"{{"source_directory_id": "{dir}", "name": "idx", "sync_frequency": "daily"}}"#),
        ],
    )
    .await
    .json();
    assert_eq!(index["source_directory_id"], json!(dir));
    assert_eq!(index["name"], "idx");

    // PATCH bodies too.
    let updated =
        run(&server, &["beta", "directories", "update", &dir, "--body", r#"{"description": "patched"}"#])
            .await
            .json();
    assert_eq!(updated["description"], "patched");
    assert_eq!(updated["name"], "overridden");
}

// ---------------------------------------------------------------------------------------------
// Indexes

#[tokio::test(flavor = "multi_thread")]
async fn indexes_create_list_get_sync_cancel_delete() {
    // A sync long enough to still be running when the next commands look at it.
    let server =
        start_with(FakeConfig { sync_duration: Duration::from_secs(30), ..FakeConfig::default() }).await;
    let dir = make_dir(&server, "docs").await;
    let other = make_dir(&server, "other").await;

    let created = run(
        &server,
        &[
            "indexes",
            "create",
            "--source-directory-id",
            &dir,
            "--name",
            "contracts",
            "--description",
            "All the contracts",
            "--sync-frequency",
            "daily",
            "--vector-target",
            "DEFAULT",
            "--products",
            r#"{"product_config_id": "cfg-1", "product_type": "parse"}"#,
            "--products",
            r#"{"product_config_id": "cfg-2", "product_type": "extract"}"#,
            "--store-attachments",
            "screenshots",
            "--store-attachments",
            "items",
        ],
    )
    .await
    .json();
    let id = text(&created["id"]).to_string();
    assert!(id.starts_with("idx-"), "{created}");
    assert_eq!(created["name"], "contracts");
    assert_eq!(created["description"], "All the contracts");
    assert_eq!(created["source_directory_id"], json!(dir));
    assert!(created["export_config_id"].is_string());
    assert!(created["sync_config_id"].is_string());

    // The products are sent as a list of objects: a bad one is the server's 422 at its position.
    let bad = run(
        &server,
        &[
            "indexes",
            "create",
            "--source-directory-id",
            &dir,
            "--products",
            r#"{"product_config_id": "cfg-1", "product_type": "parse"}"#,
            "--products",
            r#"{"product_type": "parse"}"#,
        ],
    )
    .await;
    let line = bad.api_error();
    assert!(line.contains("422") && line.contains("products.1.product_config_id"), "{line}");

    let over_other = make_index(&server, &other).await;
    let list = run(&server, &["indexes", "list"]).await.json();
    assert_eq!(ids(&list["items"]), [id.clone(), over_other.clone()]);
    let filtered = run(&server, &["indexes", "list", "--source-directory-id", &other]).await.json();
    assert_eq!(ids(&filtered["items"]), [over_other]);
    assert_eq!(filtered["total_size"], 1);

    let got = run(&server, &["indexes", "get", &id]).await.json();
    assert_eq!(got["id"], json!(id));
    assert!(got.get("sync_in_progress").is_none(), "{got}");
    let expanded = run(&server, &["indexes", "get", &id, "--expand", "sync_in_progress"]).await.json();
    assert_eq!(expanded["sync_in_progress"], false);

    // cancel-sync with nothing running: the documented 409, exit 1.
    let conflict = run(&server, &["indexes", "cancel-sync", &id]).await;
    let line = conflict.api_error();
    assert!(line.contains("409") && line.contains("No sync is running for this index"), "{line}");

    let synced = run(&server, &["indexes", "sync", &id]).await.json();
    assert_eq!(synced["index_id"], json!(id));
    assert_eq!(synced["status"], "sync_started");
    let expanded = run(&server, &["indexes", "get", &id, "--expand", "sync_in_progress"]).await.json();
    assert_eq!(expanded["sync_in_progress"], true);
    assert!(expanded["last_synced_at"].is_string());

    let cancelled = run(&server, &["indexes", "cancel-sync", &id]).await.json();
    assert_eq!(cancelled["status"], "cancelled");

    run(&server, &["indexes", "delete", &id]).await.empty();
    let gone = run(&server, &["indexes", "get", &id]).await;
    let line = gone.api_error();
    assert!(line.contains("404") && line.contains(&format!("Index {id} not found")), "{line}");
    let again = run(&server, &["indexes", "sync", &id]).await;
    assert!(again.api_error().contains("404"));
}

// ---------------------------------------------------------------------------------------------
// Files

#[tokio::test(flavor = "multi_thread")]
async fn files_add_upload_list_get_update_delete() {
    let server = start().await;
    let dir = make_dir(&server, "docs").await;
    let other = make_dir(&server, "archive").await;

    let added = run(
        &server,
        &[
            "beta",
            "directories",
            "files",
            "add",
            &dir,
            "--file-id",
            "file-abc",
            "--display-name",
            "report.pdf",
            "--unique-id",
            "reports/report.pdf",
            "--metadata",
            r#"{"department": "finance", "reviewed": true, "tags": ["q1"]}"#,
        ],
    )
    .await
    .json();
    let added_id = text(&added["id"]).to_string();
    assert_eq!(added["directory_id"], json!(dir));
    assert_eq!(added["file_id"], "file-abc");
    assert_eq!(added["display_name"], "report.pdf");
    assert_eq!(added["unique_id"], "reports/report.pdf");
    assert_eq!(added["metadata"], json!({"department": "finance", "reviewed": true, "tags": ["q1"]}));

    // Upload takes a path; its file name is the default display name.
    let notes = temp_file("notes.txt", b"some notes\n");
    let notes = notes.to_str().expect("UTF-8 path");
    let uploaded = run(&server, &["beta", "directories", "files", "upload", &dir, notes]).await.json();
    let uploaded_id = text(&uploaded["id"]).to_string();
    assert_eq!(uploaded["display_name"], "notes.txt");
    assert_eq!(uploaded["directory_id"], json!(dir));
    assert!(uploaded["file_id"].is_string());
    let named = run(
        &server,
        &[
            "beta",
            "directories",
            "files",
            "upload",
            &dir,
            notes,
            "--display-name",
            "NDA",
            "--unique-id",
            "contracts/nda",
            "--metadata",
            r#"{"k": "v"}"#,
        ],
    )
    .await
    .json();
    assert_eq!(named["display_name"], "NDA");
    assert_eq!(named["unique_id"], "contracts/nda");
    assert_eq!(named["metadata"], json!({"k": "v"}));

    let list = run(&server, &["beta", "directories", "files", "list", &dir]).await.json();
    assert_eq!(list["total_size"], 3);
    let contains =
        run(&server, &["beta", "directories", "files", "list", &dir, "--display-name-contains", "NOTES"])
            .await
            .json();
    assert_eq!(ids(&contains["items"]), [uploaded_id.as_str()]);
    let by_unique =
        run(&server, &["beta", "directories", "files", "list", &dir, "--unique-id", "contracts/nda"])
            .await
            .json();
    assert_eq!(ids(&by_unique["items"]), [text(&named["id"]).to_string()]);

    let got = run(&server, &["beta", "directories", "files", "get", &dir, &added_id]).await.json();
    assert_eq!(got, added);
    let with_url =
        run(&server, &["beta", "directories", "files", "get", &dir, &added_id, "--expand", "download_url"])
            .await
            .json();
    assert!(with_url["download_url"]["url"].is_string(), "{with_url}");

    let updated = run(
        &server,
        &[
            "beta",
            "directories",
            "files",
            "update",
            &dir,
            &added_id,
            "--display-name",
            "report-2024.pdf",
            "--metadata",
            r#"{"department": "legal"}"#,
        ],
    )
    .await
    .json();
    assert_eq!(updated["display_name"], "report-2024.pdf");
    assert_eq!(updated["metadata"], json!({"department": "legal"}));
    assert_eq!(updated["unique_id"], "reports/report.pdf", "left unchanged");

    let moved = run(
        &server,
        &["beta", "directories", "files", "update", &dir, &added_id, "--target-directory-id", &other],
    )
    .await
    .json();
    assert_eq!(moved["directory_id"], json!(other));
    let in_other = run(&server, &["beta", "directories", "files", "list", &other]).await.json();
    assert_eq!(ids(&in_other["items"]), [added_id.as_str()]);

    run(&server, &["beta", "directories", "files", "delete", &dir, &uploaded_id]).await.empty();
    let gone = run(&server, &["beta", "directories", "files", "get", &dir, &uploaded_id]).await;
    let line = gone.api_error();
    assert!(line.contains("404") && line.contains(&uploaded_id), "{line}");
    let list = run(&server, &["beta", "directories", "files", "list", &dir]).await.json();
    assert_eq!(list["total_size"], 1);
    let with_deleted =
        run(&server, &["beta", "directories", "files", "list", &dir, "--include-deleted"]).await.json();
    assert_eq!(with_deleted["total_size"], 2);
}

// ---------------------------------------------------------------------------------------------
// Errors

#[tokio::test(flavor = "multi_thread")]
async fn api_errors_print_one_line_with_status_and_detail_and_exit_1() {
    let server = start().await;
    let dir = make_dir(&server, "docs").await;

    let r = run(&server, &["beta", "directories", "get", "dir-missing"]).await;
    let line = r.api_error();
    assert!(line.contains("404"), "{line}");
    assert!(line.contains("Directory dir-missing not found"), "{line}");

    let r = run(&server, &["beta", "directories", "create", "--name", ""]).await;
    let line = r.api_error();
    assert!(line.contains("422"), "{line}");
    assert!(line.contains("body.name"), "{line}");
    assert!(line.contains("at least 1 character"), "{line}");

    let r = run(&server, &["beta", "directories", "files", "list", &dir, "--page-size", "0"]).await;
    let line = r.api_error();
    assert!(line.contains("422") && line.contains("query.page_size"), "{line}");

    let r = run(&server, &["indexes", "create", "--source-directory-id", "dir-missing"]).await;
    assert!(r.api_error().contains("404"));

    let r =
        run(&server, &["beta", "directories", "files", "update", &dir, "dfl-missing", "--display-name", "x"])
            .await;
    assert!(r.api_error().contains("dfl-missing"));

    // An id with reserved characters is sent as one percent-encoded path segment.
    let r = run(&server, &["beta", "directories", "get", "a/b?c"]).await;
    let line = r.api_error();
    assert!(line.contains("Directory a/b?c not found"), "{line}");
}

#[tokio::test(flavor = "multi_thread")]
async fn a_wrong_api_key_is_a_401_api_error() {
    let server = start_with(FakeConfig { api_key: Some("right".into()), ..FakeConfig::default() }).await;
    let url = server.url();
    let r = run_raw(&["--base-url", &url, "--api-key", "wrong", "indexes", "list"], &[]).await;
    let line = r.api_error();
    assert!(line.contains("401") && line.contains("Invalid API key"), "{line}");
    assert!(!line.contains("wrong"), "the key is not echoed: {line}");
    let ok = run_raw(&["--base-url", &url, "--api-key", "right", "indexes", "list"], &[]).await.json();
    assert_eq!(ok["items"], json!([]));
    assert_eq!(server.request_count(), 2, "a 401 is not retried");
}

#[tokio::test(flavor = "multi_thread")]
async fn usage_errors_exit_2_without_sending_anything() {
    let server = start().await;
    let url = server.url();
    let missing_json = format!("@{}/does-not-exist.json", env!("CARGO_TARGET_TMPDIR"));
    let missing_file = format!("{}/does-not-exist.bin", env!("CARGO_TARGET_TMPDIR"));
    let cases: Vec<(Vec<&str>, &str)> = vec![
        (vec!["indexes", "frobnicate"], "unrecognized subcommand 'frobnicate'"),
        (vec!["frobnicate"], "unrecognized subcommand 'frobnicate'"),
        (vec!["beta", "directories", "get"], "<DIRECTORY_ID>"),
        (vec!["beta", "directories", "files", "get", "dir-1"], "<DIRECTORY_FILE_ID>"),
        (vec!["beta", "directories", "files", "upload", "dir-1"], "<FILE>"),
        (vec!["beta", "directories", "create"], "--name is required"),
        (vec!["indexes", "create", "--name", "x"], "--source-directory-id is required"),
        (vec!["beta", "directories", "files", "add", "dir-1"], "--file-id is required"),
        (vec!["beta", "directories", "create", "--body", "{\"name\": "], "--body is not valid JSON"),
        (vec!["beta", "directories", "create", "--body", "[1, 2]"], "--body must be a JSON object"),
        (vec!["beta", "directories", "create", "--body", &missing_json], "cannot read"),
        (
            vec!["beta", "directories", "create", "--name", "x", "--system-metadata", "{oops"],
            "--system-metadata: not valid JSON",
        ),
        (vec!["beta", "directories", "files", "upload", "dir-1", &missing_file], "cannot read"),
        (vec!["beta", "directories", "list", "--page-size", "ten"], "invalid value 'ten'"),
        (vec!["beta", "directories", "list", "--include-deleted=maybe"], "invalid value 'maybe'"),
        (vec!["indexes", "list", "--bogus-flag"], "unexpected argument '--bogus-flag'"),
    ];
    for (args, message) in &cases {
        let mut all = vec!["--base-url", url.as_str(), "--api-key", KEY];
        all.extend_from_slice(args);
        let r = run_raw(&all, &[]).await;
        let stderr = r.usage_error();
        assert!(stderr.contains(message), "{args:?}: {message:?} in {stderr:?}");
    }

    // An empty id is refused before sending.
    let r = run(&server, &["beta", "directories", "get", ""]).await;
    r.usage_error();

    // No API key at all: not from the flag, not from the environment.
    let r = run_raw(&["--base-url", &url, "indexes", "list"], &[]).await;
    let stderr = r.usage_error();
    assert!(stderr.contains("no API key"), "{stderr}");
    assert!(stderr.contains("LLAMA_CLOUD_API_KEY"), "{stderr}");

    // A base URL that isn't one.
    let r = run_raw(&["--base-url", "not a url", "--api-key", KEY, "indexes", "list"], &[]).await;
    r.usage_error();

    // No command: help on stderr, exit 2.
    let r = run_raw(&[], &[]).await;
    assert_eq!(r.code, Some(2));
    assert!(r.stderr.contains("Usage: llama-cloud"), "{r:#?}");
    let r = run_raw(&["beta", "directories"], &[]).await;
    assert_eq!(r.code, Some(2));

    assert_eq!(server.request_count(), 0, "no usage error sent a request");
}

#[tokio::test(flavor = "multi_thread")]
async fn typos_suggest_the_closest_subcommand_or_option() {
    let server = start().await;
    let cases: &[(&[&str], &str, &str)] = &[
        (&["indexs", "list"], "unrecognized subcommand 'indexs'", "a similar subcommand exists: 'indexes'"),
        (
            &["beta", "direcotries", "list"],
            "unrecognized subcommand 'direcotries'",
            "a similar subcommand exists: 'directories'",
        ),
        (
            &["beta", "directories", "files", "lsit", "dir-1"],
            "unrecognized subcommand 'lsit'",
            "a similar subcommand exists: 'list'",
        ),
        (
            &["indexes", "cancel-snyc", "idx-1"],
            "unrecognized subcommand 'cancel-snyc'",
            "a similar subcommand exists: 'cancel-sync'",
        ),
        (
            &["beta", "directories", "list", "--page-sise", "3"],
            "unexpected argument '--page-sise'",
            "a similar argument exists: '--page-size'",
        ),
        (
            &["beta", "directories", "list", "--page-sise=3"],
            "unexpected argument '--page-sise'",
            "a similar argument exists: '--page-size'",
        ),
        // A command with positionals, the typo after them, and one before the subcommand.
        (
            &["beta", "directories", "files", "list", "dir-1", "--include-delted"],
            "unexpected argument '--include-delted'",
            "a similar argument exists: '--include-deleted'",
        ),
        (
            &["--project-di", "p1", "indexes", "list"],
            "unexpected argument '--project-di'",
            "a similar argument exists: '--project-id'",
        ),
        // Global options are candidates on every command.
        (
            &["indexes", "list", "--base-rul", "x"],
            "unexpected argument '--base-rul'",
            "a similar argument exists: '--base-url'",
        ),
    ];
    for (args, error, tip) in cases {
        let mut all = vec!["--base-url", "http://127.0.0.1:1", "--api-key", KEY];
        all.extend_from_slice(args);
        let r = run_raw(&all, &[]).await;
        let stderr = r.usage_error();
        assert!(stderr.contains(error), "{args:?}: {error:?} in {stderr:?}");
        assert!(stderr.contains(tip), "{args:?}: {tip:?} in {stderr:?}");
        assert!(
            !stderr.contains("as a value, use"),
            "{args:?}: no `--` tip when a name is close: {stderr:?}"
        );
    }

    // Several equally close: all of them.
    let r = run(&server, &["beta", "directories", "list", "--typse", "user"]).await;
    let stderr = r.usage_error();
    assert!(stderr.contains("some similar arguments exist: '--type', '--types'"), "{stderr}");

    // Nothing close: no tip.
    for args in [&["frobnicate"][..], &["indexes", "list", "--bogus-flag"]] {
        let r = run(&server, args).await;
        let stderr = r.usage_error();
        assert!(!stderr.contains("similar"), "{args:?}: {stderr}");
    }
    assert_eq!(server.request_count(), 0);
}

#[tokio::test(flavor = "multi_thread")]
async fn enum_values_are_checked_before_sending() {
    let server = start().await;
    let existing = make_dir(&server, "docs").await;
    let sent = server.request_count();

    // A body field: the allowed values, and how to send an unlisted one anyway.
    let r = run(&server, &["beta", "directories", "create", "--name", "x", "--type", "index"]).await;
    let line = r.one_error_line().to_string();
    assert_eq!(r.code, Some(2), "{r:#?}");
    assert!(line.contains("invalid value 'index' for --type"), "{line}");
    assert!(line.contains("expected one of ephemeral, user"), "{line}");
    assert!(line.contains("--body"), "the escape hatch is named: {line}");
    // A near miss is named.
    let r = run(&server, &["beta", "directories", "create", "--name", "x", "--type", "ephemeal"]).await;
    assert!(r.usage_error().contains("did you mean 'ephemeral'?"), "{r:#?}");
    // Query parameters, each element of a repeated one, and enum options of other commands.
    let r = run(&server, &["beta", "directories", "list", "--type", "bogus"]).await;
    let stderr = r.usage_error();
    assert!(stderr.contains("expected one of user, index, ephemeral"), "{stderr}");
    assert!(!stderr.contains("--body"), "a query parameter has no --body: {stderr}");
    let r = run(&server, &["beta", "directories", "list", "--types", "user", "--types", "indx"]).await;
    let stderr = r.usage_error();
    assert!(
        stderr.contains("invalid value 'indx' for --types") && stderr.contains("did you mean 'index'?"),
        "{stderr}"
    );
    let r = run(&server, &["beta", "directories", "list", "--all", "--types", "nope"]).await;
    assert!(r.usage_error().contains("invalid value 'nope' for --types"));
    let r = run(&server, &["indexes", "get", "idx-1", "--expand", "everything"]).await;
    assert!(r.usage_error().contains("expected one of sync_in_progress"));
    let r = run(
        &server,
        &[
            "indexes",
            "create",
            "--source-directory-id",
            &existing,
            "--store-attachments",
            "items",
            "--store-attachments",
            "pictures",
        ],
    )
    .await;
    assert!(r.usage_error().contains("invalid value 'pictures' for --store-attachments"));
    let r = run(
        &server,
        &["indexes", "create", "--source-directory-id", &existing, "--sync-frequency", "hourly"],
    )
    .await;
    assert!(r.usage_error().contains("expected one of manual, daily, on_source_change"));

    // Nothing was sent: the directory list is as it was.
    assert_eq!(server.request_count(), sent, "no refused value reached the server");
    let page = run(&server, &["beta", "directories", "list"]).await.json();
    assert_eq!(ids(&page["items"]), [existing.as_str()]);

    // Listed values go through; so does an unlisted one given in --body (here the server refuses it).
    let ok =
        run(&server, &["beta", "directories", "create", "--name", "e", "--type", "ephemeral"]).await.json();
    assert_eq!(ok["type"], "ephemeral");
    let r =
        run(&server, &["beta", "directories", "create", "--body", r#"{"name": "x", "type": "index"}"#]).await;
    let line = r.api_error();
    assert!(line.contains("422") && line.contains("body.type"), "sent, and the server's answer: {line}");
}

#[tokio::test(flavor = "multi_thread")]
async fn failures_to_reach_the_server_exit_1() {
    // A port nothing listens on.
    let port =
        std::net::TcpListener::bind("127.0.0.1:0").and_then(|l| l.local_addr()).expect("a free port").port();
    let url = format!("http://127.0.0.1:{port}");
    let r =
        run_raw(&["--base-url", &url, "--api-key", KEY, "--max-retries", "0", "indexes", "list"], &[]).await;
    let line = r.api_error();
    assert!(line.contains("connection"), "{line}");

    // A per-attempt time limit shorter than the server's latency.
    let slow = start_with(FakeConfig { latency: Duration::from_millis(1500), ..FakeConfig::default() }).await;
    let r = run(&slow, &["--timeout", "0.2", "--max-retries", "0", "indexes", "list"]).await;
    let line = r.api_error();
    assert!(line.contains("timed out"), "{line}");
}

#[tokio::test(flavor = "multi_thread")]
async fn max_retries_controls_how_often_a_503_is_tried() {
    let server = start_with(FakeConfig { fail_rate: 1.0, ..FakeConfig::default() }).await;
    let r = run(&server, &["--max-retries", "0", "indexes", "list"]).await;
    let line = r.api_error();
    assert!(line.contains("503") && line.contains("injected failure"), "{line}");
    assert_eq!(server.request_count(), 1);
    let r = run(&server, &["--max-retries", "1", "indexes", "list"]).await;
    r.api_error();
    assert_eq!(server.request_count(), 3, "one retry");
}

// ---------------------------------------------------------------------------------------------
// Environment

#[tokio::test(flavor = "multi_thread")]
async fn the_environment_gives_the_api_key_and_base_url() {
    let server = start_with(FakeConfig { api_key: Some("env-key".into()), ..FakeConfig::default() }).await;
    let url = server.url();

    let r = run_raw(
        &["beta", "directories", "create", "--name", "from-env"],
        &[("LLAMA_CLOUD_API_KEY", "env-key"), ("LLAMA_CLOUD_BASE_URL", &url)],
    )
    .await
    .json();
    assert_eq!(r["name"], "from-env");

    // Flags win over the environment.
    let r = run_raw(
        &["--api-key", "env-key", "--base-url", &url, "beta", "directories", "list"],
        &[("LLAMA_CLOUD_API_KEY", "wrong"), ("LLAMA_CLOUD_BASE_URL", "http://127.0.0.1:1")],
    )
    .await
    .json();
    assert_eq!(r["total_size"], 1);

    // The environment's key with a flag's URL, and the other way round.
    let r =
        run_raw(&["--base-url", &url, "indexes", "list"], &[("LLAMA_CLOUD_API_KEY", "env-key")]).await.json();
    assert_eq!(r["items"], json!([]));
    let r =
        run_raw(&["--api-key", "env-key", "indexes", "list"], &[("LLAMA_CLOUD_BASE_URL", &url)]).await.json();
    assert_eq!(r["items"], json!([]));

    // A wrong key from the environment is the server's 401.
    let r =
        run_raw(&["indexes", "list"], &[("LLAMA_CLOUD_API_KEY", "wrong"), ("LLAMA_CLOUD_BASE_URL", &url)])
            .await;
    assert!(r.api_error().contains("401"));

    // An empty key in the environment counts as none.
    let r =
        run_raw(&["indexes", "list"], &[("LLAMA_CLOUD_API_KEY", ""), ("LLAMA_CLOUD_BASE_URL", &url)]).await;
    assert!(r.usage_error().contains("no API key"));
}

// ---------------------------------------------------------------------------------------------
// Known bugs

#[tokio::test(flavor = "multi_thread")]
async fn a_boolean_option_before_a_positional_does_not_swallow_it() {
    let server = start().await;
    let dir = make_dir(&server, "docs").await;
    let page =
        run(&server, &["beta", "directories", "files", "list", "--include-deleted", &dir]).await.json();
    assert_eq!(page["items"], json!([]));
}

#[tokio::test(flavor = "multi_thread")]
async fn enum_options_show_their_schema_description() {
    let r = run_raw(&["indexes", "create", "--help"], &[]).await;
    assert_eq!(r.code, Some(0));
    assert!(
        r.stdout.contains("How often the index syncs with its source directory"),
        "--sync-frequency has help:\n{}",
        r.stdout
    );
    assert!(r.stdout.contains("Where the index writes its vectors"));
    let r = run_raw(&["beta", "directories", "create", "--help"], &[]).await;
    assert!(r.stdout.contains("Type of the directory to create"), "{}", r.stdout);
}
