//! An OpenAPI 3.0, 3.1 and 3.2 to Rust client generator.
//!
//! `load` parses a document (YAML or JSON) after checking its version (a 3.1 or 3.2 document
//! is normalised to the 3.0 shape first), `lower` turns it into an
//! owned intermediate model ([`ir`]) while collecting every problem with its JSON pointer, and
//! `emit` writes one formatted Rust module that calls the small runtime crate.
//!
//! Build scripts use [`Config`]:
//!
//! ```no_run
//! ferrospec_codegen::Config::new()
//!     .generate_to_out_dir("spec/llama-cloud.yaml", "llama_cloud.rs")
//!     .unwrap_or_else(|e| ferrospec_codegen::fail_build(e));
//! ```
//!
//! A tool that writes more than the module loads the document once, with [`Config::load`],
//! and writes each output from the [`Loaded`] result:
//!
//! ```no_run
//! # fn main() -> Result<(), ferrospec_codegen::diag::GenerateError> {
//! let loaded = ferrospec_codegen::Config::new().load("openapi.yaml")?;
//! let module = loaded.module();
//! let example_tests = loaded.example_tests("my_api");
//! let wire_tests = loaded.wire_tests("my-api");
//! # Ok(()) }
//! ```

pub mod apidiff;
pub mod diag;
pub mod diff;
pub(crate) mod emit;
pub mod examples;
pub(crate) mod features;
pub(crate) mod hash;
pub(crate) mod ident;
pub mod instances;
pub mod ir;
pub mod krate;
pub(crate) mod load;
pub(crate) mod lower;
pub(crate) mod media;
#[cfg(feature = "overlay")]
mod overlay;
pub(crate) mod overrides;
pub(crate) mod pointer;
mod readme;
pub(crate) mod sample;
pub mod slice;
pub(crate) mod source;
pub(crate) mod wire;

pub use load::Format;

use diag::{Diagnostic, Diagnostics, GenerateError};
use std::path::{Path, PathBuf};

/// The result of a successful run: the module's source and any warnings.
#[derive(Debug, Clone)]
pub struct Generated {
    pub code: String,
    pub warnings: Diagnostics,
    /// What `generate_crate` wrote into `tests/examples.rs` (`None` elsewhere, and when the
    /// document has no examples).
    pub examples: Option<examples::Summary>,
}

/// Generator settings, shared by the build-script API and the command line.
#[derive(Debug, Clone)]
pub struct Config {
    runtime_crate: String,
    /// Type overrides and what else lowering reads from the user.
    lowering: lower::Settings,
    /// Overrides whose Rust type doesn't parse, reported when generating.
    bad_overrides: Vec<String>,
    /// Overlay documents applied, in order, before loading.
    overlays: Vec<PathBuf>,
    /// The user's attributes on generated types and fields.
    attributes: overrides::Attributes,
    /// The user's names for generated types and fields.
    renames: overrides::Renames,
    /// Only these operations (and what they reach) are generated, when not empty.
    selection: slice::Selection,
    /// Only the `types` module: no client, builders or per-operation enums.
    types_only: bool,
}

impl Default for Config {
    fn default() -> Self {
        Config {
            runtime_crate: "ferrospec_runtime".into(),
            lowering: Default::default(),
            bad_overrides: Vec::new(),
            overlays: Vec::new(),
            attributes: Default::default(),
            renames: Default::default(),
            selection: Default::default(),
            types_only: false,
        }
    }
}

impl Config {
    pub fn new() -> Self {
        Self::default()
    }

    /// The path generated code uses for the runtime crate (default `ferrospec_runtime`).
    pub fn runtime_crate(&mut self, path: impl Into<String>) -> &mut Self {
        self.runtime_crate = path.into();
        self
    }

    /// Every schema with this `format` (`uuid`, `date-time`, `decimal`, `int64`) becomes
    /// `rust_type`, a path generated code can name (`uuid::Uuid`, `crate::money::Decimal`). The
    /// type must implement what the fields using it need: `Debug`, `Clone`, `PartialEq` and
    /// serde's `Serialize`/`Deserialize` in the direction the API uses it.
    pub fn format_type(&mut self, format: impl Into<String>, rust_type: impl Into<String>) -> &mut Self {
        let rust_type = rust_type.into();
        match overrides::TypeOverrides::check_type(&rust_type) {
            Ok(()) => {
                self.lowering.overrides.formats.insert(format.into(), rust_type);
            }
            Err(e) => self.bad_overrides.push(format!("the type for format `{}`: {e}", format.into())),
        }
        self
    }

    /// One schema becomes `rust_type` wherever it is used, and no type is generated for it:
    /// `schema` is a component name (`Money`) or a JSON pointer (`#/components/schemas/Money`).
    /// The type needs the same traits as for [`Config::format_type`].
    pub fn schema_type(&mut self, schema: &str, rust_type: impl Into<String>) -> &mut Self {
        let rust_type = rust_type.into();
        match overrides::TypeOverrides::check_type(&rust_type) {
            Ok(()) => {
                self.lowering
                    .overrides
                    .schemas
                    .insert(overrides::TypeOverrides::schema_pointer(schema), rust_type);
            }
            Err(e) => self.bad_overrides.push(format!("the type for schema `{schema}`: {e}")),
        }
        self
    }

    /// An OpenAPI Overlay 1.0 document applied to the description before it is read (several
    /// apply in the order given): the standard way to amend a vendor's document (an example
    /// that contradicts its schema, an `x-sdk-resource` or pagination hint) without editing it.
    /// Problems found in the amended document name its JSON pointer but no line, since that
    /// text exists only in memory.
    #[cfg(feature = "overlay")]
    pub fn overlay(&mut self, overlay: impl Into<PathBuf>) -> &mut Self {
        self.overlays.push(overlay.into());
        self
    }

    /// Generates only these operations (by `operationId`) and the types they reach, as
    /// `slice` cuts a document: a program that needs a few operations of a big API compiles
    /// only those. Adds to [`Config::tags`].
    pub fn operations<S: Into<String>>(&mut self, ids: impl IntoIterator<Item = S>) -> &mut Self {
        self.selection.operations.extend(ids.into_iter().map(Into::into));
        self
    }

    /// Generates only the operations with one of these tags (and what they reach).
    pub fn tags<S: Into<String>>(&mut self, tags: impl IntoIterator<Item = S>) -> &mut Self {
        self.selection.tags.extend(tags.into_iter().map(Into::into));
        self
    }

    /// Puts an operation (by `operationId`) on a resource, as `x-sdk-resource` in the document
    /// would: a dotted path (`beta.directories.files` is `client.beta().directories().files()`),
    /// or `""` for the client itself. An operationId no operation has is a warning.
    pub fn resource(&mut self, operation_id: &str, path: &str) -> &mut Self {
        self.lowering.placements.entry(operation_id.to_string()).or_default().resource =
            Some(path.to_string());
        self
    }

    /// Names an operation's method (by `operationId`), as `x-sdk-method` in the document would:
    /// in snake case and keyword-escaped as every name is, never shortened.
    pub fn method_name(&mut self, operation_id: &str, name: &str) -> &mut Self {
        self.lowering.placements.entry(operation_id.to_string()).or_default().method = Some(name.to_string());
        self
    }

    /// A page shape to recognise besides the default one (`page_token` in the query; `items`
    /// and `next_page_token` in the page), tried before it: an operation with a string query
    /// parameter `token_param` whose JSON answer has a list `items` and a string `next_token`
    /// (wire names) gets `pages()` and `into_stream()`, passing each page's token back.
    pub fn pagination(&mut self, token_param: &str, items: &str, next_token: &str) -> &mut Self {
        self.lowering.page_shapes.push(lower::PageShape {
            token_param: token_param.to_string(),
            items: items.to_string(),
            next_token: next_token.to_string(),
        });
        self
    }

    /// Keeps the properties an object doesn't declare when its schema doesn't say
    /// `additionalProperties` (JSON Schema leaves such objects open): each such struct gets an
    /// `additional_properties` map, so a value read and sent back (a read-modify-write call)
    /// loses nothing, as the Stainless SDKs do. Off by default: a field more in every struct.
    pub fn keep_undeclared(&mut self, keep: bool) -> &mut Self {
        self.lowering.keep_undeclared = keep;
        self
    }

    /// Generates the models only, for a program that brings its own HTTP (or serves the API):
    /// the `types` module with every type the document defines, each with both `Serialize`
    /// and `Deserialize` (a client compiles only the direction its calls use), and no client,
    /// builders or per-operation error and response enums. Applies to the module
    /// ([`Loaded::module`], [`Config::generate_to_out_dir`]); a crate from
    /// [`Loaded::write_crate`] is a client, so it refuses this setting.
    pub fn types_only(&mut self, types_only: bool) -> &mut Self {
        self.types_only = types_only;
        self
    }

    /// Adds an attribute to a generated struct or enum: `name` is the type's Rust name, or `*` for
    /// every one (type aliases take none). The attribute is Rust text, one or more outer
    /// attributes: `#[derive(Hash)]`, `#[cfg_attr(feature = "schemars", derive(schemars::JsonSchema))]`.
    /// It comes after the type's doc comment and before its own derive. A derive needs what it
    /// derives from every field's type. The models' serde impls are written out, not derived;
    /// for schemars' `JsonSchema` (also under `cfg_attr`) the types get `#[serde]` attributes
    /// that say what those impls do, so its schemas carry the wire names.
    pub fn type_attribute(&mut self, name: &str, attribute: &str) -> &mut Self {
        match overrides::Attributes::check(attribute) {
            Ok(()) => self.attributes.types.push((name.to_string(), attribute.to_string())),
            Err(e) => self.bad_overrides.push(format!("the attribute for `{name}`: {e}")),
        }
        self
    }

    /// The map type for objects with `additionalProperties` (a path without generics, such as
    /// `indexmap::IndexMap` to keep the order the server sent, or `std::collections::HashMap`),
    /// written `Path<String, V>`; `BTreeMap` by default. It must implement `Default`, `Debug`,
    /// `Clone`, `PartialEq`, `FromIterator<(String, V)>`, iteration by reference, and serde in
    /// the directions the API uses (`indexmap` with its `serde` feature does).
    pub fn map_type(&mut self, path: &str) -> &mut Self {
        match syn::parse_str::<syn::Path>(path) {
            Ok(p) if p.segments.iter().all(|s| s.arguments.is_none()) => {
                self.lowering.map_type = Some(path.to_string())
            }
            _ => self.bad_overrides.push(format!("the map type `{path}` is not a path without generics")),
        }
        self
    }

    /// Renames a generated type: `name` is the name the generator gives it, `new_name` the one
    /// your code uses. Every use follows (fields, variants, responses, errors); the wire is
    /// unchanged. A rename that names nothing is a warning; a new name another type has, an error.
    /// Attribute selectors name the type by its new name.
    pub fn rename_type(&mut self, name: &str, new_name: &str) -> &mut Self {
        match overrides::Renames::check(new_name) {
            Ok(()) => self.renames.types.push((name.to_string(), new_name.to_string())),
            Err(e) => self.bad_overrides.push(format!("the rename of `{name}`: {e}")),
        }
        self
    }

    /// Renames a field of a generated struct: `field` is `Type.field` (the type by its name after
    /// [`Config::rename_type`], the field by its Rust or wire name). The builder setter that sets
    /// it follows; the wire name is unchanged. A new name the struct or the builder already has
    /// is an error.
    pub fn rename_field(&mut self, field: &str, new_name: &str) -> &mut Self {
        match overrides::Renames::check(new_name) {
            Ok(()) => self.renames.fields.push((field.to_string(), new_name.to_string())),
            Err(e) => self.bad_overrides.push(format!("the rename of `{field}`: {e}")),
        }
        self
    }

    /// Adds an attribute to a field of a generated struct: `field` is `Type.field` (the field by
    /// its Rust or wire name), or `*.field` for that field of every struct.
    pub fn field_attribute(&mut self, field: &str, attribute: &str) -> &mut Self {
        match overrides::Attributes::check(attribute) {
            Ok(()) => self.attributes.fields.push((field.to_string(), attribute.to_string())),
            Err(e) => self.bad_overrides.push(format!("the attribute for `{field}`: {e}")),
        }
        self
    }

    /// Settings given so far that can't be used (a type that doesn't parse as Rust, text that
    /// isn't an attribute, a new name that isn't an identifier), in the order given. Generating
    /// with any of them fails, naming them; a command line can refuse them as it reads them.
    pub fn argument_errors(&self) -> &[String] {
        &self.bad_overrides
    }

    /// Loads and lowers a document: the model, before any code is written.
    pub fn lower(&self, spec: impl AsRef<Path>) -> Result<(ir::Api, Diagnostics), GenerateError> {
        let spec = spec.as_ref();
        on_deep_stack(|| self.lower_doc(&self.read(spec)?))
    }

    /// Reads the document at `spec`, amended by the overlays and cut to the selection.
    fn read(&self, spec: &Path) -> Result<load::Document, GenerateError> {
        let (name, bytes) = load::read_file(spec)?;
        self.read_bytes(&name, load::Format::from_path(spec), bytes)
    }

    /// [`Config::read`] of bytes in memory. Runs on the caller's thread: every entry point is
    /// already on a deep stack.
    fn read_bytes(
        &self,
        name: &str,
        format: load::Format,
        bytes: Vec<u8>,
    ) -> Result<load::Document, GenerateError> {
        if self.overlays.is_empty() && self.selection.is_empty() {
            return load::load_here(name, format, bytes);
        }
        let text = String::from_utf8(bytes).map_err(|e| {
            GenerateError::single(name, Diagnostic::error("", format!("the file is not UTF-8: {e}")))
        })?;
        #[cfg(feature = "overlay")]
        let (format, text, notes) = match self.overlays.is_empty() {
            true => (format, text, Vec::new()),
            false => {
                let (text, notes) = self.apply_overlays(name, format, &text)?;
                (load::Format::Json, text, notes)
            }
        };
        #[cfg(not(feature = "overlay"))]
        let notes: Vec<Diagnostic> = Vec::new();
        let mut text = text;
        if !self.selection.is_empty() {
            text = slice::slice_text(name, format, &text, &self.selection, format)?;
        }
        // Lines and columns would name places in a text that exists only here.
        let unlocated = |mut e: GenerateError| {
            e.diagnostics.items.iter_mut().for_each(|d| d.location = None);
            e
        };
        let mut doc = load::load_here(name, format, text.into_bytes()).map_err(unlocated)?.unlocated();
        doc.notes.extend(notes);
        Ok(doc)
    }

    /// The document as text amended by every overlay (JSON), and the overlays' warnings.
    #[cfg(feature = "overlay")]
    fn apply_overlays(
        &self,
        name: &str,
        format: load::Format,
        text: &str,
    ) -> Result<(String, Vec<Diagnostic>), GenerateError> {
        let load::v31::Tree(mut tree) =
            load::parse(format, text).map_err(|d| GenerateError::single(name, d))?;
        load::v31::stringify_keys(&mut tree);
        let as_json = |e: serde_json::Error| {
            GenerateError::single(
                name,
                Diagnostic::error("", format!("cannot read the document as JSON: {e}")),
            )
        };
        let mut doc = serde_json::to_value(&tree).map_err(as_json)?;
        let mut notes = Vec::new();
        for path in &self.overlays {
            let overlay_name = path.display().to_string();
            let overlay_format = load::Format::from_path(path);
            let overlay_text = std::fs::read_to_string(path).map_err(|e| {
                GenerateError::single(
                    &overlay_name,
                    Diagnostic::error("", format!("cannot read the overlay: {e}")),
                )
            })?;
            let overlay_doc: serde_json::Value = load::parse(overlay_format, &overlay_text)
                .map_err(|d| GenerateError::single(&overlay_name, d))?;
            let located = |mut found: Diagnostics| {
                for d in &mut found.items {
                    d.location = source::locate(&overlay_text, overlay_format, &d.pointer);
                }
                found
            };
            match overlay::apply(&mut doc, &overlay_doc) {
                Ok(warnings) => notes.extend(located(warnings).items.into_iter().map(|w| {
                    let message = format!("overlay {overlay_name} {}: {}", w.pointer, w.message);
                    Diagnostic::warning("", message)
                })),
                Err(found) => {
                    let mut diagnostics = located(found);
                    diagnostics.sort();
                    return Err(GenerateError { source_name: overlay_name, diagnostics });
                }
            }
        }
        let text = serde_json::to_string_pretty(&doc).map_err(as_json)?;
        Ok((text, notes))
    }

    /// Loads and lowers the document at `spec` once; every output (the module, the example and
    /// wire tests, a whole crate) is then written from the result without reading it again.
    pub fn load(&self, spec: impl AsRef<Path>) -> Result<Loaded, GenerateError> {
        let spec = spec.as_ref();
        on_deep_stack(|| self.loaded(self.read(spec)?))
    }

    /// [`Config::load`] of bytes in memory (`name` decides the format by its extension).
    pub fn load_bytes(&self, name: &str, bytes: Vec<u8>) -> Result<Loaded, GenerateError> {
        let format = load::Format::from_path(Path::new(name));
        on_deep_stack(|| self.loaded(self.read_bytes(name, format, bytes)?))
    }

    fn loaded(&self, doc: load::Document) -> Result<Loaded, GenerateError> {
        let (api, warnings) = self.lower_doc(&doc)?;
        let types_only = self.types_only;
        Ok(Loaded { doc: Some(doc), api, warnings, runtime_crate: self.runtime_crate.clone(), types_only })
    }

    /// Generates the module's source for the document at `spec`.
    pub fn generate(&self, spec: impl AsRef<Path>) -> Result<Generated, GenerateError> {
        let loaded = self.load(spec)?;
        Ok(loaded.generated(loaded.module(), None))
    }

    /// Writes a standalone client crate for the document into `dir` (see [`krate`]).
    pub fn generate_crate(
        &self,
        spec: impl AsRef<Path>,
        dir: &Path,
        name: Option<&str>,
        runtime: &krate::RuntimeDep,
    ) -> Result<Generated, GenerateError> {
        self.load(spec)?.write_crate(dir, name, runtime)
    }

    /// The text of the example tests for the document at `spec` (see [`Loaded::example_tests`]).
    pub fn generate_example_tests(
        &self,
        spec: impl AsRef<Path>,
        types_parent: &str,
    ) -> Result<Option<(String, examples::Summary)>, GenerateError> {
        Ok(self.load(spec)?.example_tests(types_parent))
    }

    /// The command table for a generic command-line front end (see `emit::cli`).
    pub fn generate_cli_table(&self, spec: impl AsRef<Path>) -> Result<Generated, GenerateError> {
        let loaded = self.load(spec)?;
        Ok(loaded.generated(loaded.cli_table(), None))
    }

    /// Generates from bytes in memory (`name` decides the format by its extension).
    pub fn generate_bytes(&self, name: &str, bytes: Vec<u8>) -> Result<Generated, GenerateError> {
        let loaded = self.load_bytes(name, bytes)?;
        Ok(loaded.generated(loaded.module(), None))
    }

    /// For build scripts: generates `$OUT_DIR/<file_name>` from `spec`, asks Cargo to rerun when
    /// the document changes, prints warnings as Cargo warnings, and writes only when the content
    /// changed (so dependants don't rebuild for nothing). Returns the written path.
    pub fn generate_to_out_dir(
        &self,
        spec: impl AsRef<Path>,
        file_name: &str,
    ) -> Result<PathBuf, GenerateError> {
        let spec = spec.as_ref();
        println!("cargo:rerun-if-changed={}", spec.display());
        let out_dir = std::env::var_os("OUT_DIR").map(PathBuf::from).ok_or_else(|| {
            GenerateError::single(
                spec.display().to_string(),
                Diagnostic::error("", "OUT_DIR is not set: generate_to_out_dir is for build scripts"),
            )
        })?;
        let generated = self.generate(spec)?;
        for w in generated.warnings.items.iter() {
            println!("cargo:warning={}: {}", spec.display(), w);
        }
        let out = out_dir.join(file_name);
        write_if_changed(&out, &generated.code).map_err(|e| {
            GenerateError::single(
                out.display().to_string(),
                Diagnostic::error("", format!("cannot write the generated module: {e}")),
            )
        })?;
        Ok(out)
    }

    /// Lowers a document and gives each finding the line and column its pointer names, where the
    /// text can tell.
    fn lower_doc(&self, doc: &load::Document) -> Result<(ir::Api, Diagnostics), GenerateError> {
        if !self.bad_overrides.is_empty() {
            let mut diagnostics = Diagnostics::default();
            for msg in &self.bad_overrides {
                diagnostics.items.push(Diagnostic::error("", msg.clone()));
            }
            return Err(GenerateError { source_name: doc.name.clone(), diagnostics });
        }
        match lower::lower(doc, &self.lowering) {
            Ok((mut api, warnings)) => {
                let mut warnings = doc.locate(warnings);
                let renamed = self
                    .renames
                    .apply(&mut api)
                    .map_err(|e| GenerateError::single(&doc.name, Diagnostic::error("", e)))?;
                for unused in renamed.into_iter().chain(self.attributes.apply(&mut api)) {
                    warnings.warning("", unused);
                }
                if self.types_only {
                    // Without operations, no type is a request's or a response's only: each gets
                    // both serde directions, and nothing per operation is emitted.
                    api.operations.clear();
                    api.resources = Default::default();
                }
                lower::settle(&mut api);
                Ok((api, warnings))
            }
            Err(errors) => {
                Err(GenerateError { source_name: doc.name.clone(), diagnostics: doc.locate(errors) })
            }
        }
    }
}

/// A document loaded and lowered once ([`Config::load`]), and what the generator writes from
/// it. Formatting and dropping run on a deep stack, as loading does.
pub struct Loaded {
    /// Always `Some` but in `drop`, which takes it to drop it on a deep stack.
    doc: Option<load::Document>,
    api: ir::Api,
    warnings: Diagnostics,
    runtime_crate: String,
    types_only: bool,
}

impl Loaded {
    fn doc(&self) -> &load::Document {
        self.doc.as_ref().expect("the document is there until Loaded is dropped")
    }

    /// The model: types, operations and resources.
    pub fn api(&self) -> &ir::Api {
        &self.api
    }

    /// What loading and lowering found that isn't an error, each with its place.
    pub fn warnings(&self) -> &Diagnostics {
        &self.warnings
    }

    /// The client module's formatted source (what `build.rs` includes).
    pub fn module(&self) -> String {
        on_deep_stack(|| match self.types_only {
            true => emit::emit_types(&self.api, &self.runtime_crate),
            false => emit::emit(&self.api, &self.runtime_crate, None),
        })
    }

    /// The example tests (see [`examples`]), `None` when the document has no JSON examples;
    /// `types_parent` is the path of the module that holds the generated `types` (the crate's
    /// name, or `crate::my_api`).
    pub fn example_tests(&self, types_parent: &str) -> Option<(String, examples::Summary)> {
        on_deep_stack(|| example_tests(self.doc(), &self.api, types_parent, &self.runtime_crate))
    }

    /// The instance tests (see [`instances`]): random values of each JSON body proven valid,
    /// `None` when there are none (or the `validate` feature is off).
    pub fn instance_tests(&self, types_parent: &str) -> Option<(String, instances::Summary)> {
        let doc = self.doc();
        let raw = doc.tree()?;
        on_deep_stack(|| {
            instances::tests_file(&self.api, raw, types_parent, &self.runtime_crate, &|p| {
                doc.original_pointer(p)
            })
        })
    }

    /// The wire tests of a crate named `crate_name` (see the generated README), `None` when
    /// the document has no operations.
    pub fn wire_tests(&self, crate_name: &str) -> Option<String> {
        let raw = self.doc().tree().filter(|_| !self.api.operations.is_empty())?;
        Some(on_deep_stack(|| wire::tests_file(&self.api, raw, &crate_name.replace('-', "_"))))
    }

    /// The command table for a generic command-line front end (see `emit::cli`).
    pub fn cli_table(&self) -> String {
        emit::cli::emit_table(&self.api)
    }

    /// Writes a standalone client crate into `dir` (see [`krate`]): the module with a cargo
    /// feature per tag, the example and wire tests, and a README. `name` defaults to one from
    /// the document's title.
    pub fn write_crate(
        &self,
        dir: &Path,
        name: Option<&str>,
        runtime: &krate::RuntimeDep,
    ) -> Result<Generated, GenerateError> {
        let refuse =
            |e: String| Err(GenerateError::single(dir.display().to_string(), Diagnostic::error("", e)));
        if let Some(Err(e)) = name.map(krate::check_name) {
            return refuse(e);
        }
        if self.types_only {
            return refuse(
                "a crate is a client; types only applies to the module (generate without --crate)".into(),
            );
        }
        let api = &self.api;
        let name = name.map(str::to_string).unwrap_or_else(|| krate::default_name(api));
        let features = features::Features::of(api);
        let code = on_deep_stack(|| emit::emit(api, &self.runtime_crate, features.as_ref()));
        let examples = self.example_tests(&name.replace('-', "_"));
        let wire = self.wire_tests(&name);
        let instances = self.instance_tests(&name.replace('-', "_"));
        let tests = krate::Tests {
            examples: examples.as_ref().map(|(t, _)| t.as_str()),
            instances: instances.as_ref().map(|(t, _)| t.as_str()),
            wire: wire.as_deref(),
            raw: self.doc().tree(),
        };
        krate::write(api, &code, features.as_ref(), tests, dir, &name, runtime).map_err(|e| {
            GenerateError::single(
                dir.display().to_string(),
                Diagnostic::error("", format!("cannot write the crate: {e}")),
            )
        })?;
        Ok(self.generated(code, examples.map(|(_, s)| s)))
    }

    fn generated(&self, code: String, examples: Option<examples::Summary>) -> Generated {
        Generated { code, warnings: self.warnings.clone(), examples }
    }
}

impl Drop for Loaded {
    fn drop(&mut self) {
        // A deeply nested document's trees drop recursively, too deep for a test thread.
        if let Some(doc) = self.doc.take() {
            on_deep_stack(move || drop(doc));
        }
    }
}

impl std::fmt::Debug for Loaded {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Loaded")
            .field("name", &self.doc().name)
            .field("types", &self.api.types.len())
            .field("operations", &self.api.operations.len())
            .field("warnings", &self.warnings.items.len())
            .finish()
    }
}

/// The example tests of a lowered document, read from its tree (the examples and the schemas
/// they are checked against, as written; a 3.1 document's in the 3.0 shape it was normalised
/// to), each test naming the place in the document as written.
fn example_tests(
    doc: &load::Document,
    api: &ir::Api,
    types_parent: &str,
    runtime: &str,
) -> Option<(String, examples::Summary)> {
    examples::tests_file_located(api, doc.tree()?, types_parent, runtime, &|p| doc.original_pointer(p))
}

/// The stack the generator's work runs on. A deeply nested document recurses deeply (serde's
/// typed parse of its schemas, lowering, formatting), and the caller's thread may have little
/// (a test thread has 2 MiB), so the work runs on a thread of its own with this much (address
/// space reserved, not memory used).
pub(crate) const STACK: usize = 64 << 20;

pub(crate) fn on_deep_stack<T: Send>(work: impl FnOnce() -> T + Send) -> T {
    std::thread::scope(|scope| {
        let worker = std::thread::Builder::new().stack_size(STACK).spawn_scoped(scope, work);
        let worker = worker.unwrap_or_else(|e| panic!("ferrospec-codegen could not start its thread: {e}"));
        worker.join().unwrap_or_else(|e| std::panic::resume_unwind(e))
    })
}

/// Writes `content` unless the file already holds exactly that.
pub fn write_if_changed(path: &Path, content: &str) -> std::io::Result<()> {
    if std::fs::read(path).is_ok_and(|old| old == content.as_bytes()) {
        return Ok(());
    }
    if let Some(parent) = path.parent() {
        std::fs::create_dir_all(parent)?;
    }
    std::fs::write(path, content)
}

/// For build scripts: prints the report (each line as a Cargo error) and exits non-zero, so a
/// bad document fails the build with its diagnostics rather than a panic backtrace.
pub fn fail_build(e: GenerateError) -> ! {
    for line in e.to_string().lines() {
        println!("cargo:warning={line}");
    }
    eprintln!("{e}");
    std::process::exit(1)
}
