//! Request and response wire structs, one module per API family.

pub mod account;
pub mod detail;
pub mod image;
pub mod logistics;
pub mod order;
pub mod order_read;
pub mod payment;
pub mod product;
pub mod search;
pub mod seller;
pub mod system;
