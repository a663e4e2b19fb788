//! The languages the engine names its figures and says its reasons in.

use serde::{Deserialize, Serialize};

/// A language the engine's figures and reasons are said in.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, utoipa::ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum Language {
    /// Simplified Chinese.
    Zh,
    /// English.
    En,
}
