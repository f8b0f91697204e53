//! The example tests `generate --crate` writes, generated for every fixture with examples and run
//! here: each example decodes into its type and encodes back unchanged (tests/fixtures/examples.yaml
//! has one of each kind; the invalid and undeclared-field ones are ignored, saying why).

include!(concat!(env!("OUT_DIR"), "/examples_all.rs"));
