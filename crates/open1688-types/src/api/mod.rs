//! Request and response wire structs, one module per API family.

pub mod search;
pub mod system;
