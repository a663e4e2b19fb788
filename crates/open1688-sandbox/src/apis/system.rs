//! Server time: `system/currentTimeMillis` (a bare integer) and `system/currentTime` (a quoted
//! `yyyyMMddHHmmssSSS+0800` string), spec §4.

use super::wire::platform_date_ms;
use crate::call::Call;
use crate::reply::Reply;

/// `system/currentTimeMillis`.
pub fn current_time_millis(call: &Call<'_>) -> Reply {
    Reply::Ok(call.now_ms.to_string().into_bytes())
}

/// `system/currentTime`.
pub fn current_time(call: &Call<'_>) -> Reply {
    Reply::ok(&platform_date_ms(call.now_ms))
}
