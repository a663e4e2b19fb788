pub mod fake_gateway;
pub mod log_capture;
