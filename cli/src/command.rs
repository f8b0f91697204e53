//! The clap command tree, built from the table: resources become nested subcommands, operations
//! leaf commands; path parameters are positional, everything else `--kebab-case` options.

use crate::table::*;
use clap::{Arg, ArgAction, Command};

pub fn root() -> Command {
    let mut cmd = Command::new("llama-cloud")
        .about(ABOUT)
        .long_about(format!("{ABOUT}: every operation of the API as a subcommand.\nPrints the response JSON on stdout; errors on stderr (exit 1 for API errors, 2 for usage errors)."))
        .subcommand_required(true)
        .arg_required_else_help(true)
        .args([
            Arg::new("api-key")
                .long("api-key")
                .env(API_KEY_ENV)
                .hide_env_values(true)
                .help("API key, sent as a bearer token"),
            Arg::new("base-url").long("base-url").env(BASE_URL_ENV).help("Base URL of the API"),
            Arg::new("max-retries")
                .long("max-retries")
                .value_parser(clap::value_parser!(u32))
                .help("Retries after transient failures (default 2)"),
            Arg::new("timeout")
                .long("timeout")
                .value_name("SECONDS")
                .value_parser(clap::value_parser!(f64))
                .help("Time limit for each attempt, in seconds (default 60)"),
        ]
        .map(global));
    for d in CLIENT_DEFAULTS {
        cmd = cmd.arg(global(Arg::new(d.flag).long(d.flag).help(help_text(d.help, &[]))));
    }
    let mut tree = Node::default();
    for op in OPERATIONS {
        tree.insert(op.resource, op);
    }
    tree.add_to(cmd)
}

/// The heading the options every command takes are listed under in `--help`, apart from the
/// command's own ("Options").
const GLOBAL_HEADING: &str = "Global options";

/// An option every command takes, before or after the subcommand.
fn global(arg: Arg) -> Arg {
    arg.global(true).help_heading(GLOBAL_HEADING)
}

#[derive(Default)]
struct Node {
    children: Vec<(&'static str, Node)>,
    ops: Vec<&'static CliOp>,
}

impl Node {
    fn insert(&mut self, path: &'static [&'static str], op: &'static CliOp) {
        match path.split_first() {
            None => self.ops.push(op),
            Some((first, rest)) => {
                let pos = match self.children.iter().position(|(n, _)| n == first) {
                    Some(p) => p,
                    None => {
                        self.children.push((first, Node::default()));
                        self.children.len() - 1
                    }
                };
                self.children[pos].1.insert(rest, op);
            }
        }
    }

    fn add_to(&self, mut cmd: Command) -> Command {
        for (name, child) in &self.children {
            let sub = Command::new(*name)
                .about(format!("Operations on {name}"))
                .subcommand_required(true)
                .arg_required_else_help(true);
            cmd = cmd.subcommand(child.add_to(sub));
        }
        for op in &self.ops {
            cmd = cmd.subcommand(op_command(op));
        }
        cmd
    }
}

fn help_text(help: &str, values: &[&str]) -> String {
    if values.is_empty() {
        help.to_string()
    } else {
        format!("{help} [values: {}]", values.join(", "))
    }
}

fn is_client_default(name: &str) -> bool {
    CLIENT_DEFAULTS.iter().any(|d| d.name == name)
}

fn value_arg(id: &'static str, kind: Kind, array: bool) -> Arg {
    let mut arg = Arg::new(id);
    arg = match kind {
        Kind::Integer => arg.value_parser(clap::value_parser!(i64)),
        Kind::Number => arg.value_parser(clap::value_parser!(f64)),
        // `--flag` means true; `--flag=false` needs the `=` so a following positional isn't taken.
        Kind::Bool => arg
            .value_parser(clap::value_parser!(bool))
            .num_args(0..=1)
            .require_equals(true)
            .default_missing_value("true"),
        Kind::File => arg.value_name("FILE"),
        Kind::String | Kind::Json => arg,
    };
    if array {
        arg = arg.action(ArgAction::Append);
    }
    arg
}

fn op_command(op: &'static CliOp) -> Command {
    let long = format!("{}\n\n{} {}", op.long_about, op.operation.method, op.operation.path);
    let mut cmd = Command::new(op.command).about(op.about).long_about(long);
    for p in op.params {
        if p.location != Location::Path && is_client_default(p.name) {
            continue;
        }
        let mut arg = value_arg(p.flag, p.kind, p.array).help(help_text(p.help, p.values));
        arg = if p.location == Location::Path {
            arg.required(true).value_name(p.flag.to_uppercase().replace('-', "_"))
        } else {
            arg.long(p.flag).required(p.required)
        };
        cmd = cmd.arg(arg);
    }
    if let Some(body) = &op.body {
        for f in body.fields {
            let mut arg = value_arg(f.flag, f.kind, f.array).help(help_text(f.help, f.values));
            arg = if f.kind == Kind::File && f.required { arg.required(true) } else { arg.long(f.flag) };
            cmd = cmd.arg(arg);
        }
        if matches!(
            body.encoding,
            BodyEncoding::Json | BodyEncoding::Form | BodyEncoding::Bytes | BodyEncoding::Text
        ) {
            cmd = cmd.arg(Arg::new("body").long("body").value_name("JSON|@FILE").help(
                "The whole request body, as JSON text or @path to a file; field options given too override its fields",
            ));
        }
    }
    if op.paginated {
        cmd = cmd.arg(
            Arg::new("all")
                .long("all")
                .action(ArgAction::SetTrue)
                .help("Follow every page and print all items as one JSON array"),
        );
    }
    cmd
}
