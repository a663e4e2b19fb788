//! Where a job is, in the reader's language: the jobs' stages are data
//! ([`open1688_jobs::Stage`]); here each is said in Chinese and in English, in one exhaustive
//! `match` (a stage without its words does not compile).

use open1688_jobs::Stage;

use sourcing::Language;

use super::text::Text;
use crate::job_board::JobView;
use crate::job_stage::JobStage;

/// What a stage does, in `lang`.
fn stage_words(language: Language, stage: &Stage) -> String {
    match (language, stage) {
        (Language::En, stage) => stage.to_string(),
        (Language::Zh, Stage::Searching { keyword }) => format!("搜索“{keyword}”"),
        (Language::Zh, Stage::SearchingPage { keyword, page }) => format!("搜索“{keyword}”第 {page} 页"),
        (Language::Zh, Stage::ReadingOffers { count }) => format!("读取 {count} 个商品"),
        (Language::Zh, Stage::Comparing) => "为供应商评分并比较到岸成本".to_owned(),
        (Language::Zh, Stage::WritingFiles) => "生成工作簿".to_owned(),
        (Language::Zh, Stage::ReadingSellerListings { open_id }) => format!("读取卖家 {open_id} 的商品"),
        (Language::Zh, Stage::RefreshingStale { count, of }) => format!("重新读取 {of} 个过期商品中的 {count} 个"),
    }
}

/// Where the job is, in the reader's language: its stage with its number, waiting for a turn, or
/// (a job stored by an older version) its stage as stored.
pub fn job_stage(t: &Text, view: &JobView) -> Option<String> {
    match &view.stage_detail {
        Some(JobStage::Waiting) => Some(t.waiting_for_turn.to_owned()),
        Some(JobStage::Step { step, of, stage }) => Some(match t.language {
            Language::En => format!("{step} of {of}: {}", stage_words(t.language, stage)),
            Language::Zh => format!("第 {step}/{of} 步：{}", stage_words(t.language, stage)),
        }),
        None => view.stage.clone(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_stage_is_said_in_chinese() {
        let stages = [
            Stage::Searching { keyword: "保温杯".into() },
            Stage::SearchingPage { keyword: "保温杯".into(), page: 2 },
            Stage::ReadingOffers { count: 30 },
            Stage::Comparing,
            Stage::WritingFiles,
            Stage::ReadingSellerListings { open_id: "b2b-1".into() },
            Stage::RefreshingStale { count: 5, of: 9 },
        ];
        for stage in &stages {
            let zh = stage_words(Language::Zh, stage);
            assert!(zh.chars().any(|c| ('\u{4e00}'..='\u{9fff}').contains(&c)), "{zh}");
            assert!(!zh.contains("reading") && !zh.contains("search"), "{zh}");
            assert_eq!(stage_words(Language::En, stage), stage.to_string());
        }
    }
}
