//! The instance tests `generate --crate` writes, generated for every fixture and run here:
//! random values of each JSON body's schema, proven valid by a JSON Schema validator, each
//! decoded into its type and encoded back unchanged.

include!(concat!(env!("OUT_DIR"), "/instances_all.rs"));
