//! Helpers shared by this crate's integration tests (each test file uses some of them).
#![allow(dead_code)]

pub mod change_log;
pub mod sandbox_client;
pub mod soak;
