//! Upload bytes as the sandbox's image API receives them: a picture (within decoding limits)
//! or a refusal.
#![no_main]

use libfuzzer_sys::fuzz_target;
use open1688_sandbox::images::StoredImage;

fuzz_target!(|data: &[u8]| {
    if let Ok(image) = StoredImage::decode(data) {
        let _ = image.hash(Some(image.full_region()));
    }
});
