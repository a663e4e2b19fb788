pub mod fake_gateway;
