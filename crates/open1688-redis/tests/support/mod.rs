//! Helpers shared by this crate's integration tests (each test binary uses some of them).
#![allow(dead_code)]

pub mod redis;
pub mod sandbox_client;
