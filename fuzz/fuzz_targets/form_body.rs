//! Form bodies as the sandbox's gateway receives them, and the signature check over them.
#![no_main]

use libfuzzer_sys::fuzz_target;
use open1688_types::{Params, SortRule, verify};

fuzz_target!(|data: &[u8]| {
    let (query, body) = data.split_at(data.len() / 3);
    let params = Params::from_form_bodies(&[query, body]);
    let signature = params.get("_aop_signature").unwrap_or_default().to_owned();
    let pairs: Vec<(&str, &str)> = params.iter().filter(|(k, _)| *k != "_aop_signature").collect();
    for rule in [SortRule::Official, SortRule::ByKey] {
        let _ = verify(rule, "param2/1/ns/api/1", b"secret", pairs.iter().copied(), &signature);
    }
});
