//! Emission: the IR becomes one Rust module (tokens via quote), formatted by prettyplease, behind
//! a header naming the document and its hash. Infallible by design: lowering validated it all.

pub(crate) mod builders;
pub mod cli;
mod client;
pub mod doc;
pub(crate) mod format;
mod gate;
mod serde_impls;
mod types;
pub(crate) mod tyref;

use crate::features::Features;
use crate::ir::Api;
use gate::Gates;
use proc_macro2::TokenStream;

/// The formatted source of the generated module.
///
/// Two threads share the work: one emits and formats the `types` module's parts from the front,
/// the other the builders and the client, then parts from the back. Tokens and syntax trees
/// can't cross threads, so each part is finished to text where it was made, and the texts are
/// joined in a fixed order (the output doesn't depend on timing). With `features`, items carry
/// the `#[cfg(feature = ..)]` that [`gate`] gives them.
pub fn emit(api: &Api, runtime_crate: &str, features: Option<&Features>) -> String {
    sections(api, runtime_crate, features, true)
}

/// The `types` module alone (see `Config::types_only`).
pub fn emit_types(api: &Api, runtime_crate: &str) -> String {
    sections(api, runtime_crate, None, false)
}

/// The `types` module, and with `client` the builders and the client.
fn sections(api: &Api, runtime_crate: &str, features: Option<&Features>, client: bool) -> String {
    let runtime = || runtime_path(runtime_crate);
    let types = types::Types::new(api);
    let parts = types.parts();
    // The next part from the front and one past the next from the back.
    let queue = std::sync::Mutex::new((0, parts));
    let take = |front: bool| {
        let mut q = queue.lock().unwrap_or_else(|e| e.into_inner());
        (q.0 < q.1).then(|| {
            if front {
                q.0 += 1;
                q.0 - 1
            } else {
                q.1 -= 1;
                q.1
            }
        })
    };
    // Syntax trees can't cross threads: each thread builds its own attributes.
    let gates = || features.map(Gates::new);
    let work = |front: bool| {
        let gates = gates();
        let mut done = Vec::new();
        while let Some(i) = take(front) {
            let items = types.part(i);
            // A part with nothing in it (often the by-status enums) adds nothing.
            let text = if items.is_empty() {
                String::new()
            } else {
                module_body(&format_items(quote::quote!(pub mod types { #items }), gates.as_ref()))
            };
            done.push((i, text));
        }
        done
    };
    let (mut done, builders, client) = std::thread::scope(|scope| {
        let front = std::thread::Builder::new().stack_size(crate::STACK).spawn_scoped(scope, || work(true));
        let front = front.unwrap_or_else(|e| panic!("ferrospec-codegen could not start its thread: {e}"));
        let gates = gates();
        let (builders, client) = match client {
            true => (
                format_items(builders::emit(api, &runtime()), gates.as_ref()),
                format_items(client::emit(api, &runtime()), gates.as_ref()),
            ),
            false => Default::default(),
        };
        let mut done = work(false);
        done.extend(front.join().unwrap_or_else(|e| std::panic::resume_unwind(e)));
        (done, builders, client)
    });
    done.sort_by_key(|(i, _)| *i);
    let head = format_items(types::Types::head(&runtime()), None);
    let head = head.strip_suffix("}\n").unwrap_or(&head);
    // One blank line between items, where parts and modules meet too.
    let items: Vec<String> = done.into_iter().map(|(_, text)| text).filter(|t| !t.is_empty()).collect();
    let types = match items.is_empty() {
        true => format!("{head}}}\n"),
        false => format!("{head}\n{}}}\n", items.join("\n")),
    };
    let sections: Vec<String> = [types, builders, client].into_iter().filter(|t| !t.is_empty()).collect();
    format!("{}{}", header(api), sections.join("\n"))
}

/// The items of a formatted `pub mod types { .. }`, without its first and last line.
fn module_body(text: &str) -> String {
    match text.split_once('\n').and_then(|(_, rest)| rest.strip_suffix("}\n")) {
        Some(body) => body.to_string(),
        // prettyplease always writes a non-empty module so; losing items silently would be worse.
        None => {
            panic!("ferrospec-codegen formatted a types part unexpectedly: {text:?}; please report this")
        }
    }
}

/// The path generated code names the runtime by: `runtime_crate` if it is a Rust path, else
/// the runtime's own crate name.
pub(crate) fn runtime_path(runtime_crate: &str) -> TokenStream {
    match syn::parse_str::<syn::Path>(runtime_crate) {
        Ok(p) => quote::quote!(#p),
        Err(_) => quote::quote!(ferrospec_runtime),
    }
}

/// Parses emitted items, gates them, and formats them with prettyplease, a blank line between
/// items.
fn format_items(tokens: TokenStream, gates: Option<&Gates>) -> String {
    match syn::parse2::<syn::File>(tokens) {
        Ok(mut file) => {
            if let Some(gates) = gates {
                gates.apply("", &mut file.items);
            }
            format::items(file.items)
        }
        // The emitter only builds valid items; this is a bug, and the message says where.
        Err(e) => {
            panic!("ferrospec-codegen emitted invalid Rust ({e}); please report this with the document")
        }
    }
}

fn header(api: &Api) -> String {
    format!(
        "// @generated by ferrospec-codegen {} from \"{}\" {} ({}).\n// Do not edit by hand: change the OpenAPI document and regenerate.\n\n",
        env!("CARGO_PKG_VERSION"),
        doc::one_line(&api.title),
        doc::one_line(&api.version),
        api.source_hash
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Splitting the `types` module into parts changes nothing: the parts joined are the module
    /// formatted in one piece (150 schemas: three parts of types, then the by-status enums).
    #[test]
    fn the_types_module_in_parts_is_the_module_in_one_piece() {
        let schemas: String = (0..150)
            .map(|i| {
                format!(
                    "    Thing{i}:\n      type: object\n      properties:\n        n{i}: {{type: integer}}\n"
                )
            })
            .collect();
        let spec = format!(
            "openapi: 3.0.3\ninfo: {{title: Parts, version: '1'}}\npaths:\n  /things:\n    get:\n      operationId: listThings\n      responses:\n        '200':\n          description: One.\n          content:\n            application/json:\n              schema: {{$ref: '#/components/schemas/Thing0'}}\ncomponents:\n  schemas:\n{schemas}"
        );
        let doc =
            crate::load::load_bytes("parts.yaml", crate::load::Format::Yaml, spec.into_bytes()).unwrap();
        let (api, _) = crate::lower::lower(&doc, &Default::default()).unwrap();
        let types = types::Types::new(&api);
        assert_eq!(types.parts(), 4);
        let runtime = runtime_path("ferrospec_runtime");
        let items: Vec<TokenStream> = (0..types.parts()).map(|i| types.part(i)).collect();
        let whole = format_items(
            quote::quote! {
            /// Types of the API's requests and responses.
            pub mod types {
                #[allow(unused_imports)]
                use #runtime as rt;
                #(#items)*
            }
            },
            None,
        );
        let joined = emit(&api, "ferrospec_runtime", None);
        assert!(joined.contains(&whole), "the joined parts differ from the module in one piece");
        assert!(whole.contains("pub struct Thing149 {"));
    }
}
