//! Image search: read the picture (file, URL or bytes), make it acceptable to the platform
//! (JPEG or PNG, at most 3 MB and 2000 px a side), upload it for an imageId — `imageAddress`
//! alone is only reliable for 1688's own images — then page through the matches.

use std::io::Cursor;
use std::path::PathBuf;

use base64::Engine;
use futures::stream::{BoxStream, StreamExt, TryStreamExt};
use image::{GenericImageView, ImageFormat};
use open1688_types::api::image::{ImageQuery, ImageQueryParam, ImageUpload, UploadImageParam};
use open1688_types::api::search::{MAX_PAGE_SIZE, SearchItem, SearchPage};

use crate::client::Client;
use crate::error::{Error, Result};

/// Largest upload the platform takes.
pub const MAX_UPLOAD_BYTES: usize = 3 * 1024 * 1024;
/// Longest side kept; larger pictures are scaled down.
pub const MAX_SIDE: u32 = 2000;
/// Longest side decoded at all: larger canvases are refused before memory is allocated for them.
pub use crate::picture_decode::MAX_DECODE_SIDE;

/// Where the picture comes from.
#[derive(Debug, Clone)]
pub enum ImageSource {
    /// A file.
    Path(PathBuf),
    /// An http(s) URL.
    Url(String),
    /// Bytes in any common format.
    Bytes(Vec<u8>),
}

impl ImageSource {
    fn name(&self) -> String {
        match self {
            ImageSource::Path(p) => p.display().to_string(),
            ImageSource::Url(u) => u.clone(),
            ImageSource::Bytes(_) => "bytes".into(),
        }
    }
}

/// Options of an image search.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ImageSearch {
    /// Language of translated fields.
    pub language: String,
    /// Crop `(x1, x2, y1, y2)` in the picture's pixels.
    pub region: Option<(u32, u32, u32, u32)>,
    /// Narrow the matches by keyword.
    pub keyword: Option<String>,
    /// Results per page (1–50).
    pub page_size: u32,
    /// Page guard.
    pub max_pages: u32,
}

impl Default for ImageSearch {
    fn default() -> Self {
        Self { language: "en".into(), region: None, keyword: None, page_size: 20, max_pages: 10 }
    }
}

/// Re-encodes or scales a picture the platform would reject; passes acceptable ones through.
pub fn prepare_image(bytes: Vec<u8>, name: &str) -> Result<Vec<u8>> {
    let bad = |reason: String| Error::Image { source_name: name.to_owned(), reason };
    let format = image::guess_format(&bytes).map_err(|_| bad("not a picture in a known format".into()))?;
    let acceptable_format = matches!(format, ImageFormat::Jpeg | ImageFormat::Png);
    // A small file may claim a huge canvas (a decompression bomb): refused from its header.
    let img = crate::picture_decode::decode_bounded(&bytes).map_err(bad)?;
    let (w, h) = img.dimensions();
    if acceptable_format && bytes.len() <= MAX_UPLOAD_BYTES && w.max(h) <= MAX_SIDE {
        return Ok(bytes);
    }
    // `thumbnail` scales down in integer arithmetic; `resize` would hold a float copy of the
    // picture (four bytes a channel) beside the decoded one.
    let img = if w.max(h) > MAX_SIDE { img.thumbnail(MAX_SIDE, MAX_SIDE) } else { img };
    let mut out = Cursor::new(Vec::new());
    img.to_rgb8().write_to(&mut out, ImageFormat::Jpeg).map_err(|e| bad(format!("cannot re-encode as JPEG: {e}")))?;
    let out = out.into_inner();
    if out.len() > MAX_UPLOAD_BYTES {
        return Err(bad(format!("still {} bytes after re-encoding; the limit is {MAX_UPLOAD_BYTES}", out.len())));
    }
    Ok(out)
}

impl Client {
    async fn image_bytes(&self, source: &ImageSource) -> Result<Vec<u8>> {
        let bad = |reason: String| Error::Image { source_name: source.name(), reason };
        match source {
            ImageSource::Bytes(b) => Ok(b.clone()),
            ImageSource::Path(p) => tokio::fs::read(p).await.map_err(|e| bad(format!("cannot read: {e}"))),
            ImageSource::Url(u) => {
                let timeout = self.inner.request_timeout;
                // A local sandbox's picture kept from an earlier run names the port it had then.
                let rebased = rebased_to_local_gateway(u, &self.inner.endpoint);
                let u = rebased.as_deref().unwrap_or(u);
                // Pictures the gateway itself serves (a local sandbox's) are as trusted as the
                // gateway; any other private address needs the explicit allowance.
                let own = url::Url::parse(u).is_ok_and(|url| url.origin() == self.inner.endpoint.origin());
                crate::picture_url::fetch(u, self.inner.allow_private_image_urls || own, timeout).await.map_err(bad)
            }
        }
    }

    /// The bytes of a picture — a file, bytes, or a URL fetched under the same rules as image
    /// search (public addresses only unless private ones are allowed, the request timeout) —
    /// for callers that compare pictures themselves.
    pub async fn picture_bytes(&self, source: &ImageSource) -> Result<Vec<u8>> {
        self.image_bytes(source).await
    }

    /// Uploads a picture (`product.image.upload`) and returns its imageId. The same picture
    /// uploaded again is answered from the cache.
    pub async fn upload_image(&self, source: &ImageSource) -> Result<String> {
        let bytes = self.image_bytes(source).await?;
        let name = source.name();
        // One of few decodes at a time in this process: many pictures at once cost no more.
        let turn = crate::picture_decode::decode_turn().await;
        let prepared = tokio::task::spawn_blocking(move || prepare_image(bytes, &name))
            .await
            .map_err(|e| Error::Image { source_name: source.name(), reason: e.to_string() })??;
        drop(turn);
        let request = ImageUpload {
            param: UploadImageParam {
                image_base64: base64::engine::general_purpose::STANDARD.encode(prepared),
                out_member_id: None,
            },
        };
        self.execute(&request)
            .await?
            .into_payload()
            .ok_or_else(|| Error::NoPayload { api: "product.image.upload".into() })
    }

    /// Image search result pages: uploads first, then pages through `product.search.imageQuery`.
    pub async fn image_search_pages<'a>(
        &'a self,
        source: &ImageSource,
        options: &ImageSearch,
    ) -> Result<BoxStream<'a, Result<SearchPage>>> {
        if !(1..=MAX_PAGE_SIZE).contains(&options.page_size) {
            return Err(Error::InvalidRequest(format!(
                "page size must be 1–{MAX_PAGE_SIZE}, got {}",
                options.page_size
            )));
        }
        let image_id = self.upload_image(source).await?;
        let options = options.clone();
        Ok(crate::buyer::paged(options.max_pages, move |page| {
            let request = ImageQuery {
                query: ImageQueryParam {
                    image_id: Some(image_id.clone()),
                    begin_page: page,
                    page_size: options.page_size,
                    country: options.language.clone(),
                    region: options.region.map(|(x1, x2, y1, y2)| format!("{x1},{x2},{y1},{y2}")),
                    keyword: options.keyword.clone(),
                    ..Default::default()
                },
            };
            async move {
                let answer = self.execute(&request).await?;
                let page = answer
                    .into_payload()
                    .ok_or_else(|| Error::NoPayload { api: "product.search.imageQuery".into() })?;
                Ok(SearchPage {
                    total_records: page.total_records,
                    total_page: page.total_page,
                    page_size: page.page_size,
                    current_page: page.current_page,
                    data: page.data,
                    extra: page.extra,
                })
            }
        })
        .boxed())
    }

    /// Image search results item by item.
    pub async fn image_search<'a>(
        &'a self,
        source: &ImageSource,
        options: &ImageSearch,
    ) -> Result<BoxStream<'a, Result<SearchItem>>> {
        let pages = self.image_search_pages(source, options).await?;
        Ok(pages.map_ok(|page| futures::stream::iter(page.data.into_iter().map(Ok))).try_flatten().boxed())
    }
}

/// A sandbox on this machine serves its pictures under `/img/` at its own address; answers cached
/// from an earlier run (the built-in sandbox listens on a new port each time) name the port it had
/// then. For a gateway on loopback, such a picture URL on loopback is read from the gateway as it
/// is now; `None` for every other URL (a real gateway is never on loopback).
fn rebased_to_local_gateway(text: &str, endpoint: &url::Url) -> Option<String> {
    use crate::platform::is_loopback;
    let url = url::Url::parse(text).ok()?;
    let moved = is_loopback(endpoint)
        && is_loopback(&url)
        && url.scheme() == endpoint.scheme()
        && url.path().starts_with("/img/")
        && url.origin() != endpoint.origin();
    if !moved {
        return None;
    }
    let mut rebased = endpoint.join(url.path()).ok()?;
    rebased.set_query(url.query());
    Some(rebased.to_string())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_local_sandboxs_picture_from_an_earlier_port_is_read_from_the_sandbox_now() {
        let now = url::Url::parse("http://127.0.0.1:40001/").unwrap();
        assert_eq!(
            rebased_to_local_gateway("http://127.0.0.1:38343/img/ibank/630526089341_0.png", &now).as_deref(),
            Some("http://127.0.0.1:40001/img/ibank/630526089341_0.png")
        );
        // The sandbox's own address now, another path, another machine, a real gateway: untouched.
        assert_eq!(rebased_to_local_gateway("http://127.0.0.1:40001/img/ibank/1_0.png", &now), None);
        assert_eq!(rebased_to_local_gateway("http://127.0.0.1:38343/admin", &now), None);
        assert_eq!(rebased_to_local_gateway("http://10.0.0.5:38343/img/ibank/1_0.png", &now), None);
        let real = url::Url::parse("https://gw.open.1688.com/openapi/").unwrap();
        assert_eq!(rebased_to_local_gateway("http://127.0.0.1:38343/img/ibank/1_0.png", &real), None);
    }

    #[test]
    fn large_or_unusual_pictures_are_reencoded_and_small_ones_pass() {
        let small = image::RgbImage::from_pixel(40, 30, image::Rgb([10, 200, 30]));
        let mut png = Cursor::new(Vec::new());
        small.write_to(&mut png, ImageFormat::Png).unwrap();
        let png = png.into_inner();
        assert_eq!(prepare_image(png.clone(), "x").unwrap(), png);

        let big = image::RgbImage::from_pixel(2600, 1300, image::Rgb([200, 10, 30]));
        let mut bmp = Cursor::new(Vec::new());
        big.write_to(&mut bmp, ImageFormat::Bmp).unwrap();
        let out = prepare_image(bmp.into_inner(), "x").unwrap();
        assert_eq!(image::guess_format(&out).unwrap(), ImageFormat::Jpeg);
        assert_eq!(image::load_from_memory(&out).unwrap().dimensions(), (2000, 1000));

        let err = prepare_image(b"not an image".to_vec(), "notes.txt").unwrap_err();
        assert!(err.to_string().contains("notes.txt"), "{err}");
    }
}
