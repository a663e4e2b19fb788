//! Ladder strings as sellers write them: parsed or refused, and a parsed ladder prices any
//! quantity without panicking.
#![no_main]

use libfuzzer_sys::fuzz_target;

fuzz_target!(|text: &str| {
    if let Ok(ladder) = sourcing::PriceLadder::parse(text) {
        for q in [i64::MIN, -1, 0, 1, ladder.min_qty(), i64::MAX] {
            let _ = ladder.unit_price(q);
        }
    }
});
