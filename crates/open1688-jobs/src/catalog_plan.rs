//! The standing crawl plan: what `catalog crawl` runs when it is given no source, kept in the
//! config so a timer or cron line can run the same crawls every day.
//!
//! ```toml
//! [[catalog.crawl]]
//! keywords = ["保温杯", "水杯"]
//! category = 1031910
//! pages = 3
//!
//! [[catalog.crawl]]
//! sellers = ["BBBdVp0hsqAR3ASHBT7L3IJ5w"]
//! pages = 2
//! ```

use serde::{Deserialize, Serialize};

use crate::catalog_crawl::{CrawlRequest, CrawlSource};
use crate::error::{JobError, Result};

/// One planned crawl: keywords and sellers, optionally within a category, so many pages each.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct PlannedCrawl {
    /// Keywords to search.
    pub keywords: Vec<String>,
    /// Sellers' listings, by `sellerOpenId`.
    pub sellers: Vec<String>,
    /// Keep keyword searches within this category.
    pub category: Option<i64>,
    /// Search pages of 50 per source (1–40; default 1).
    pub pages: Option<u32>,
}

impl PlannedCrawl {
    /// The crawl as the application layer runs it.
    pub fn request(&self) -> CrawlRequest {
        let sources = self
            .keywords
            .iter()
            .map(|k| CrawlSource::Keyword(k.clone()))
            .chain(self.sellers.iter().map(|s| CrawlSource::Seller(s.clone())))
            .collect();
        CrawlRequest { sources, pages: self.pages.unwrap_or(1), category: self.category }
    }
}

/// The config's `[catalog]` table.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct CatalogPlan {
    /// The standing crawls, run in order.
    pub crawl: Vec<PlannedCrawl>,
}

impl CatalogPlan {
    /// The crawls to run, each checked; the error names the crawl (1-based) and its field.
    pub fn requests(&self) -> Result<Vec<CrawlRequest>> {
        if self.crawl.is_empty() {
            return Err(JobError::invalid(
                "catalog.crawl",
                "no crawl planned: give --keyword or --seller, or add [[catalog.crawl]] tables to the config",
            ));
        }
        self.crawl
            .iter()
            .enumerate()
            .map(|(i, planned)| {
                let request = planned.request();
                let at = format!("catalog.crawl[{}]", i + 1);
                request.validate().map_err(|e| match e {
                    JobError::Invalid { field, refusal: crate::FieldRefusal::Said(message) } => {
                        JobError::invalid(format!("{at}.{field}"), format!("{at}: {message}"))
                    }
                    JobError::Invalid { field, refusal } => JobError::refused(format!("{at}.{field}"), refusal),
                    other => other,
                })?;
                Ok(request)
            })
            .collect()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_plan_reads_from_toml_and_each_crawl_is_checked() {
        let plan: CatalogPlan = toml::from_str(
            "[[crawl]]\nkeywords = [\"保温杯\", \"水杯\"]\ncategory = 7\npages = 3\n\n[[crawl]]\nsellers = [\"b2b-1\"]\n",
        )
        .unwrap();
        let requests = plan.requests().unwrap();
        assert_eq!(requests.len(), 2);
        assert_eq!(requests[0].sources, [CrawlSource::Keyword("保温杯".into()), CrawlSource::Keyword("水杯".into())]);
        assert_eq!((requests[0].pages, requests[0].category), (3, Some(7)));
        assert_eq!((requests[1].pages, &requests[1].sources[..]), (1, &[CrawlSource::Seller("b2b-1".into())][..]));

        let empty = CatalogPlan::default().requests().unwrap_err().to_string();
        assert!(empty.contains("[[catalog.crawl]]"), "{empty}");
        let bad: CatalogPlan = toml::from_str("[[crawl]]\nkeywords = [\"杯\"]\npages = 99\n").unwrap();
        let e = bad.requests().unwrap_err().to_string();
        assert!(e.contains("catalog.crawl[1]") && e.contains("pages"), "{e}");
        assert!(
            toml::from_str::<CatalogPlan>("[[crawl]]\nkeyword = [\"杯\"]\n").is_err(),
            "unknown fields are refused"
        );
    }
}
