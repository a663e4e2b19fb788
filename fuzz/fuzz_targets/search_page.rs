//! A search page as the gateway might send it: decoded item by item, each item normalized.
#![no_main]

use libfuzzer_sys::fuzz_target;
use open1688_types::ApiResponse;
use open1688_types::api::search::SearchPage;
use open1688_types::business::CrossBorderResponse;

fuzz_target!(|data: &[u8]| {
    let (decoded, _skipped) =
        open1688_types::collect_skipped(|| serde_json::from_slice::<CrossBorderResponse<SearchPage>>(data));
    if let Ok(response) = decoded {
        let _ = response.business_failure();
        for item in response.into_payload().map(|p| p.data).unwrap_or_default() {
            let _ = sourcing::summary_from_search_item(&item);
        }
    }
});
