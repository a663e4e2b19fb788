//! An offer detail as the gateway might send it: decoded, normalized, and quoted for needs
//! from one unit to the largest.
#![no_main]

use libfuzzer_sys::fuzz_target;
use open1688_types::api::detail::ProductDetail;
use open1688_types::business::CrossBorderResponse;
use sourcing::{Freight, Need};

fuzz_target!(|data: &[u8]| {
    let Ok(response) = serde_json::from_slice::<CrossBorderResponse<ProductDetail>>(data) else { return };
    let Some(detail) = response.into_payload() else { return };
    let _ = sourcing::supplier_from_detail(&detail);
    let at = chrono::DateTime::<chrono::Utc>::UNIX_EPOCH;
    if let Ok(offer) = sourcing::offer_from_detail(&detail, at) {
        for need in [1, 7, 1_000, 1_000_000_000, i64::MAX] {
            let _ = sourcing::optimal_quantity(&offer, None, &Need::units(need), &Freight::default());
        }
    }
});
