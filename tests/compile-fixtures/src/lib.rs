//! Every fixture's generated client, compiled with warnings denied: a snapshot that doesn't
//! compile (or warns) fails the build, not only a text comparison.
#![deny(warnings)]

include!(concat!(env!("OUT_DIR"), "/all.rs"));
