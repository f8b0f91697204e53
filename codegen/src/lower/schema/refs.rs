//! The one resolver for schema `$ref`s: a component by its key, any other place in the document
//! through the targets the load found (`load/targets.rs`). Every step of lowering that looks
//! through a reference comes here, so a reference into another schema is followed wherever a
//! component reference is.

use crate::load::Targets;
use crate::pointer::{child, ref_pointer};
use openapiv3::{OpenAPI, ReferenceOr, Schema};
use std::borrow::Borrow;

/// Chains of references longer than this are taken for cycles.
const MAX_HOPS: usize = 32;

/// The document's schemas, as `$ref`s name them.
#[derive(Clone, Copy)]
pub(crate) struct Schemas<'s> {
    pub spec: &'s OpenAPI,
    pub targets: &'s Targets,
}

impl<'s> Schemas<'s> {
    pub fn new(spec: &'s OpenAPI, targets: &'s Targets) -> Self {
        Schemas { spec, targets }
    }

    /// What `reference` names, one step (it may be a reference again), and its JSON pointer.
    pub fn target(self, reference: &str) -> Option<(&'s ReferenceOr<Schema>, String)> {
        match crate::lower::schema_key(reference) {
            Some(key) => {
                let found = self.spec.components.as_ref()?.schemas.get(&key)?;
                Some((found, child("#/components/schemas", &key)))
            }
            None => Some((self.targets.parts.schemas.get(reference)?, ref_pointer(reference))),
        }
    }

    /// The schema `member` is, through any chain of references, and its pointer (`pointer` for an
    /// inline one). `None` for a reference that names nothing, or a cycle of them.
    pub fn follow<'m, T: Borrow<Schema>>(
        self,
        member: &'m ReferenceOr<T>,
        pointer: &str,
    ) -> Option<(&'m Schema, String)>
    where
        's: 'm,
    {
        let mut reference = match member {
            ReferenceOr::Item(s) => return Some((s.borrow(), pointer.to_string())),
            ReferenceOr::Reference { reference } => reference,
        };
        for _ in 0..MAX_HOPS {
            match self.target(reference)? {
                (ReferenceOr::Item(s), at) => return Some((s, at)),
                (ReferenceOr::Reference { reference: next }, _) => reference = next,
            }
        }
        None
    }

    /// [`Schemas::follow`] without the pointer.
    pub fn schema<'m, T: Borrow<Schema>>(self, member: &'m ReferenceOr<T>) -> Option<&'m Schema>
    where
        's: 'm,
    {
        self.follow(member, "").map(|(s, _)| s)
    }
}
