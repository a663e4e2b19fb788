//! `image-search`: offers that look like a picture (a file, an URL or uploaded bytes).

use futures::{StreamExt, TryStreamExt};
use open1688::{ImageSearch, ImageSource};
use serde::{Deserialize, Serialize};

use crate::error::{JobError, Result};
use crate::jobs::Jobs;
use crate::progress::Progress;
use crate::search::SearchReport;

/// A picture search.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, utoipa::ToSchema)]
#[serde(deny_unknown_fields)]
pub struct ImageSearchRequest {
    /// Results at most (1–50).
    pub limit: usize,
    /// Narrow the matches by keyword.
    #[serde(default)]
    pub keyword: Option<String>,
}

impl Jobs {
    /// `image-search`: offers like `picture`. An unreadable picture is the request's fault.
    pub async fn image_search(
        &self,
        picture: &ImageSource,
        request: &ImageSearchRequest,
        progress: &Progress,
    ) -> Result<SearchReport> {
        if let ImageSource::Path(path) = picture
            && !path.is_file()
        {
            return Err(JobError::invalid("picture", format!("no picture at {}", path.display())));
        }
        let limit = request.limit.clamp(1, 50);
        let options = ImageSearch {
            language: self.language_ref().to_owned(),
            page_size: u32::try_from(limit).unwrap_or(50),
            max_pages: 1,
            keyword: request.keyword.clone(),
            ..ImageSearch::default()
        };
        let search = async {
            let stream = self.client().image_search(picture, &options).await?;
            stream.take(limit).try_collect::<Vec<_>>().await
        };
        let items = progress.or_cancel(search).await?.map_err(|e| match e {
            open1688::Error::Image { .. } => JobError::invalid("picture", e.to_string()),
            other => JobError::gateway("image search", other),
        })?;
        Ok(SearchReport::of(items))
    }
}

/// The picture a user named: an http(s) URL or a file path.
pub fn picture_source(text: &str) -> ImageSource {
    if text.starts_with("http://") || text.starts_with("https://") {
        ImageSource::Url(text.to_owned())
    } else {
        ImageSource::Path(std::path::PathBuf::from(text))
    }
}
