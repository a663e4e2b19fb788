//! `product.image.upload` (base64 → imageId) and `product.search.imageQuery` (ranked by dHash
//! distance to the catalog's main images), spec §6.5–6.6. Both write `success` as a string.

use base64::Engine;
use serde::Serialize;

use super::items::ItemFlavor;
use super::search::parse_query;
use super::wire::{SuccessType, crossborder_fail, crossborder_ok, get_str, json_object};
use crate::call::Call;
use crate::catalog::image::{Design, design_hash, distance};
use crate::catalog::rng::mix;
use crate::images::{Region, StoredImage, UploadError};
use crate::reply::Reply;

/// `product.image.upload`.
pub fn upload(call: &Call<'_>) -> Reply {
    let fail = |code: &str, msg: &str| crossborder_fail(SuccessType::String, code, msg);
    let map = match json_object(call.params.get("uploadImageParam").unwrap_or(""), "uploadImageParam") {
        Ok(map) => map,
        Err(e) => return fail("400", &e),
    };
    let Some(b64) = get_str(&map, "imageBase64") else { return fail("400", "imageBase64 is required") };
    if b64.starts_with("data:") {
        return fail("400", "imageBase64 must be raw base64 without a data: prefix");
    }
    let bytes = match base64::engine::general_purpose::STANDARD.decode(b64.trim()) {
        Ok(bytes) => bytes,
        Err(_) => return fail("400", &UploadError::Base64.to_string()),
    };
    let limit = call.state.protocol.max_image_bytes;
    if bytes.len() > limit {
        return fail("400", &UploadError::TooLarge(bytes.len(), limit).to_string());
    }
    match StoredImage::decode(&bytes) {
        Ok(image) => {
            crossborder_ok(SuccessType::String, call.state.images.insert(image, call.state.catalog.config.seed))
        }
        Err(e) => fail("IMAGE_FORMAT_ERROR", &e.to_string()),
    }
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct PicRegionInfo {
    current_region: String,
    yolo_crop_region: String,
}

/// `product.search.imageQuery`.
pub fn image_query(call: &Call<'_>) -> Reply {
    let fail = |code: &str, msg: &str| crossborder_fail(SuccessType::String, code, msg);
    let map = match json_object(call.params.get("offerQueryParam").unwrap_or(""), "offerQueryParam") {
        Ok(map) => map,
        Err(e) => return fail("400", &e),
    };
    let spec = match parse_query(call, &map) {
        Ok(spec) => spec,
        Err(e) => return fail("400", &e),
    };
    let region = match get_str(&map, "region") {
        Some(text) => match Region::parse(&text) {
            Some(r) => Some(r),
            None => return fail("400", &format!("region must be \"x1,x2,y1,y2\" with x1<x2 and y1<y2, got {text:?}")),
        },
        None => None,
    };
    let catalog = &call.state.catalog;
    let (hash, full) = if let Some(id) = get_str(&map, "imageId") {
        match call.state.images.get(&id) {
            Some(image) => (image.hash(region), image.full_region()),
            None => return fail("404", &format!("imageId {id} not found; upload the image first")),
        }
    } else if let Some(address) = get_str(&map, "imageAddress") {
        match catalog_image(call, &address) {
            Some(hash) => (
                hash,
                Region { x1: 0, x2: crate::catalog::image::IMAGE_SIZE, y1: 0, y2: crate::catalog::image::IMAGE_SIZE },
            ),
            None => return fail("SYSTEM_ERROR", &format!("handle image error with url {address}")),
        }
    } else {
        return fail("400", "imageId is required (or imageAddress of a platform image)");
    };
    let max = call.state.protocol.image_match_max_distance;
    let mut ranked: Vec<(u32, u32)> = catalog
        .image_hashes
        .iter()
        .enumerate()
        .filter_map(|(i, &h)| {
            let d = distance(h, hash);
            (d <= max).then_some((d, i as u32))
        })
        .collect();
    ranked.sort_unstable();
    let live = call.state.live();
    let candidates: Vec<u32> = ranked.into_iter().map(|(_, i)| i).collect();
    let keyword_hits = spec.keyword.as_deref().map(|k| {
        let mut hits = catalog.index.search(&catalog.offers, k);
        hits.sort_unstable();
        hits
    });
    let in_keyword = |i: &u32| keyword_hits.as_ref().is_none_or(|h| h.binary_search(i).is_ok());
    let hits = spec.filter_and_sort(catalog, &live, candidates.into_iter().filter(in_keyword));
    let current = region.unwrap_or(full);
    let info = PicRegionInfo {
        current_region: current.to_wire(),
        yolo_crop_region: format!("{};{}", current.to_wire(), centre_crop(full).to_wire()),
    };
    crossborder_ok(SuccessType::String, spec.page(call, &live, &hits, ItemFlavor::Image, Some(info)))
}

fn centre_crop(full: Region) -> Region {
    let (w, h) = (full.x2 - full.x1, full.y2 - full.y1);
    Region { x1: w / 4, x2: w - w / 4, y1: h / 4, y2: h - h / 4 }
}

/// The hash of a sandbox image URL (`…/img/ibank/{offerId}_{n}.png`), if it is one.
fn catalog_image(call: &Call<'_>, address: &str) -> Option<crate::catalog::image::ImageHash> {
    let file = address.split("/img/ibank/").nth(1)?.strip_suffix(".png")?;
    let (id, n) = file.split_once('_')?;
    let index = call.state.catalog.offer_index(id.parse().ok()?)?;
    let n: u8 = n.parse().ok()?;
    if n == 0 {
        return Some(call.state.catalog.image_hashes[index]);
    }
    let offer = &call.state.catalog.offers[index];
    (n < offer.gallery).then(|| design_hash(gallery_design(offer.design, n)))
}

/// The design of gallery image `n` (0 is the main image).
pub fn gallery_design(main: Design, n: u8) -> Design {
    if n == 0 { main } else { Design { seed: mix(main.seed, u64::from(n)), badge: main.badge } }
}
