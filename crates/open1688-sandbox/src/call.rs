//! A call that passed the gateway's checks, as the API handlers see it. It sits below both the
//! gateway (which builds it) and the APIs (which answer it).

use open1688_types::Params;

use crate::config::AppConfig;
use crate::state::SandboxState;

/// One call that passed the gateway, as the API handlers see it.
pub struct Call<'a> {
    /// Sandbox state.
    pub state: &'a SandboxState,
    /// Merged query and body parameters.
    pub params: &'a Params,
    /// The calling app.
    pub app: &'a AppConfig,
    /// The member the access token acts for (business APIs).
    pub member: Option<usize>,
    /// Sandbox time of the call.
    pub now_ms: i64,
}
