//! An independent MCP client (the official Rust SDK's) as the end-to-end tests use it: a handler
//! that keeps the progress notifications it receives, and helpers to call tools and check their
//! answers against their declared schemas' basics.

#![allow(dead_code)] // Each test file uses its own part of this.

use std::sync::{Arc, Mutex};

use rmcp::ClientHandler;
use rmcp::model::{
    CallToolRequestParams, CallToolResult, ClientCapabilities, ClientConfig, Implementation, ProgressNotificationParam,
};
use rmcp::service::{NotificationContext, Peer, RoleClient};
use serde_json::Value;

/// A client that records every progress notification.
#[derive(Clone, Default)]
pub struct Recorder {
    pub progress: Arc<Mutex<Vec<ProgressNotificationParam>>>,
}

impl ClientHandler for Recorder {
    async fn on_progress(&self, params: ProgressNotificationParam, _context: NotificationContext<RoleClient>) {
        self.progress.lock().unwrap().push(params);
    }

    fn get_info(&self) -> ClientConfig {
        ClientConfig::new(ClientCapabilities::default(), Implementation::new("open1688-e2e", "1.0"))
    }
}

/// Calls `tool` with `arguments` (a JSON object).
pub async fn call(peer: &Peer<RoleClient>, tool: &'static str, arguments: Value) -> CallToolResult {
    let arguments = arguments.as_object().cloned().expect("arguments are an object");
    peer.call_tool(CallToolRequestParams::new(tool).with_arguments(arguments))
        .await
        .unwrap_or_else(|e| panic!("{tool} answered with a protocol error: {e}"))
}

/// The structured result of a successful call.
pub fn ok(tool: &str, result: &CallToolResult) -> Value {
    assert_eq!(result.is_error, Some(false), "{tool} failed: {:?}", text(result));
    let value = result.structured_content.clone().unwrap_or_else(|| panic!("{tool} has no structured content"));
    assert!(value.is_object(), "{tool}: structured content is an object");
    value
}

/// The message of a tool error.
pub fn error(tool: &str, result: &CallToolResult) -> String {
    assert_eq!(result.is_error, Some(true), "{tool} was expected to fail: {:?}", result.structured_content);
    text(result)
}

/// The first text block.
pub fn text(result: &CallToolResult) -> String {
    result.content.iter().find_map(|c| c.as_text().map(|t| t.text.clone())).unwrap_or_default()
}
