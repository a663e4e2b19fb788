//! What the preset scorecards' criteria and score bands are called in each language. A scorecard
//! a person writes names them in their own words, which are shown as written; the presets'
//! English names are said in the reader's language.

use crate::language::Language;

/// The presets' criteria: English name, Chinese name.
const PRESET_NAMES: &[(&str, &str)] = &[
    ("years on 1688", "入驻 1688 年限"),
    ("composite service score", "综合服务分"),
    ("logistics score", "物流服务分"),
    ("dispute score", "纠纷处理分"),
    ("repurchase rate", "回头率"),
    ("fulfilment rate (30 d)", "履约率（30 天）"),
    ("pickup within 24 h (30 d)", "24 小时揽收率（30 天）"),
    ("quality returns (30 d)", "品质退货率（30 天）"),
    ("super factory", "超级工厂"),
    ("certificates", "资质证书"),
    ("membership years (tpYear)", "诚信通年限"),
    ("company age (tpYear, no better signal)", "企业年限（以诚信通年限代替）"),
    ("credit rating (trade medal)", "信用等级（交易勋章）"),
    ("positive rate (offer experience)", "好评率（商品体验分）"),
    ("transaction level (trade medal)", "交易等级（交易勋章）"),
    ("response rate (consulting score)", "响应率（咨询分）"),
    ("on-time delivery (fulfilment rate)", "准时发货（履约率）"),
    ("product count (offers listed)", "在售商品数"),
    ("capacity (super factory)", "产能（超级工厂）"),
];

/// The presets' score bands: English name, Chinese name.
const PRESET_BANDS: &[(&str, &str)] =
    &[("excellent", "优秀"), ("average", "一般"), ("poor", "较差"), ("very poor", "很差")];

/// The score band called `name` as a reader of `language` reads it: a preset's band in that
/// language, any other name as written.
pub fn band_name(name: &str, language: Language) -> &str {
    match language {
        Language::En => name,
        Language::Zh => PRESET_BANDS.iter().find(|(en, _)| *en == name).map_or(name, |(_, zh)| zh),
    }
}

/// The criterion called `name` as a reader of `language` reads it: a preset's criterion in that
/// language, any other name as written.
pub fn criterion_name(name: &str, language: Language) -> &str {
    match language {
        Language::En => name,
        Language::Zh => PRESET_NAMES.iter().find(|(en, _)| *en == name).map_or(name, |(_, zh)| zh),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::Scorecard;

    #[test]
    fn every_preset_criterion_has_its_chinese_name() {
        for preset in ["default", "legacy_credit", "legacy_factory"] {
            let card = Scorecard::preset(preset).unwrap();
            for criterion in &card.criteria {
                let chinese = criterion_name(&criterion.name, Language::Zh);
                assert_ne!(chinese, criterion.name, "{}: {} has no Chinese name", card.name, criterion.name);
                assert_eq!(criterion_name(&criterion.name, Language::En), criterion.name);
            }
        }
        assert_eq!(criterion_name("交期", Language::Zh), "交期", "a person's own name is kept");
        for preset in ["default", "legacy_credit", "legacy_factory"] {
            for band in Scorecard::preset(preset).unwrap().bands {
                assert_ne!(band_name(&band.name, Language::Zh), band.name, "{preset}: {}", band.name);
            }
        }
    }
}
