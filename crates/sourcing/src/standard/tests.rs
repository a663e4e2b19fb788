use super::*;

fn value(name: &str, raw: &str) -> String {
    SpecRules::default().standardize(name, raw).value
}

#[test]
fn names_sellers_use_become_one_name() {
    let rules = SpecRules::default();
    for raw in ["颜色", "色彩", "Colour", "COLOR", " 颜色分类 ", "颜 色"] {
        assert_eq!(rules.name(raw), Some("color"), "{raw}");
    }
    assert_eq!(rules.name("容量"), Some("capacity"));
    assert_eq!(rules.name("材质"), Some("material"));
    assert_eq!(rules.name("产地"), None);
    let unknown = rules.standardize("产地", "义乌");
    assert_eq!((unknown.name.as_str(), unknown.value.as_str(), unknown.known_name), ("产地", "义乌", false));
}

#[test]
fn capacities_written_every_way_are_the_same_volume() {
    for raw in ["350ml", "350ML", "0.35L", "350毫升", "350 ml", "３５０ｍｌ", "０．３５Ｌ", "350cc", "0.35升"]
    {
        assert_eq!(value("容量", raw), "350 ml", "{raw}");
    }
    assert_eq!(value("容量", "1000ml"), "1000 ml");
    assert_eq!(value("capacity", "1.5L"), "1500 ml");
}

#[test]
fn ranges_and_boxes_keep_their_ends_and_sides() {
    let rules = SpecRules::default();
    for raw in ["350-500ml", "350~500毫升", "350ml-500ml", "350至500ml", "0.35-0.5L", "350 ~ 500 ML"] {
        let a = rules.standardize("容量", raw);
        assert_eq!(a.value, "350–500 ml", "{raw}");
        let m = a.measure.unwrap();
        assert_eq!((m.low, m.high), (Decimal::from(350), Decimal::from(500)));
    }
    let boxed = rules.standardize("尺寸", "20*30*10cm");
    assert_eq!(boxed.value, "20×30×10 cm");
    assert_eq!(boxed.measure.unwrap().dimensions, vec![Decimal::from(20), Decimal::from(30), Decimal::from(10)]);
    assert_eq!(value("尺寸", "20×30 厘米"), "20×30 cm");
    assert_eq!(value("尺寸", "200x300mm"), "20×30 cm");
}

#[test]
fn mixed_chinese_and_english_values_give_up_their_quantity() {
    assert_eq!(value("容量", "大号 500ml"), "500 ml");
    assert_eq!(value("容量", "500ML保温杯"), "500 ml");
    assert_eq!(value("长度", "1.5米"), "150 cm");
    assert_eq!(value("长度", "2m"), "200 cm");
    assert_eq!(value("重量", "1斤"), "500 g");
    assert_eq!(value("重量", "0.5kg"), "500 g");
    assert_eq!(value("功率", "20W"), "20 W");
    assert_eq!(value("规格", "10只装"), "10 pcs");
    assert_eq!(value("规格", "5双装"), "5 pairs");
}

#[test]
fn numbers_inside_words_and_units_inside_words_are_not_quantities() {
    let rules = SpecRules::default();
    // A model number glued to letters, a size letter, and `m` followed by more letters.
    assert_eq!(rules.standardize("适用型号", "iPhone15Pro").measure, None);
    assert_eq!(rules.standardize("尺码", "XL").value, "XL");
    assert_eq!(rules.measure("2mx"), None);
    assert_eq!(rules.measure("36"), None, "a shoe size has no unit");
    assert_eq!(rules.measure("500ml").unwrap().unit, "ml", "ml, not metres");
}

#[test]
fn values_with_aliases_become_the_canonical_value() {
    assert_eq!(value("颜色", "黑色"), "black");
    assert_eq!(value("色彩", "Black"), "black");
    assert_eq!(value("colour", "藏青"), "navy");
    assert_eq!(value("尺码", "xxl"), "XXL");
    assert_eq!(value("尺寸", "大号"), "large");
    assert_eq!(value("材质", "304不锈钢"), "304 stainless steel");
    assert_eq!(value("材质", "SUS304"), "304 stainless steel");
    assert_eq!(value("面料", "纯棉"), "cotton");
    assert_eq!(value("颜色", "黑色/白色"), "黑色/白色", "a value no rule knows passes through");
}

#[test]
fn the_raw_name_and_value_are_always_kept() {
    let a = SpecRules::default().standardize("色彩", "　黑色 ");
    assert_eq!((a.raw_name.as_str(), a.raw_value.as_str()), ("色彩", "　黑色 "));
    assert_eq!((a.name.as_str(), a.value.as_str()), ("color", "black"));
}

#[test]
fn a_users_rules_extend_and_override_the_bundled_ones() {
    let mut rules = SpecRules::default();
    rules
        .extend(
            r#"
            [names]
            color = ["颜色名称"]
            voltage = ["电压"]
            [values.color]
            "matte black" = ["磨砂黑"]
            [measures.voltage]
            base = "V"
            units = { "v" = "1", "伏" = "1", "kv" = "1000" }
            "#,
        )
        .unwrap();
    assert_eq!(rules.standardize("颜色名称", "磨砂黑").value, "matte black");
    assert_eq!(rules.standardize("颜色", "黑色").value, "black", "the bundled aliases stay");
    assert_eq!(rules.standardize("电压", "220伏").value, "220 V");
    let bad = SpecRules::default().extend("[measures.x]\nbase = \"x\"\nunits = { \"a\" = \"-1\" }").unwrap_err();
    assert!(bad.to_string().contains("\"-1\""), "{bad}");
    let bad = SpecRules::default().extend("[nmaes]\n").unwrap_err();
    assert!(bad.to_string().contains("nmaes"), "{bad}");
}

proptest::proptest! {
    #[test]
    fn any_text_standardizes_without_panicking(name in "\\PC{0,12}", value in "\\PC{0,40}") {
        let a = SpecRules::default().standardize(&name, &value);
        proptest::prop_assert_eq!(a.raw_value, value);
    }

    #[test]
    fn any_digits_units_and_marks_standardize_without_panicking(value in "[0-9０-９.．~\\-*×xX 至mlLkg毫升米厘斤]{0,24}") {
        let _ = SpecRules::default().standardize("容量", &value);
    }
}
