//! The notes a command writes to the terminal beside its tables, as data, each said in the
//! terminal's language (see [`crate::terminal_language`]) from one exhaustive match: a note
//! without its Chinese does not compile. Commands and paths stay as they are typed.

use std::path::Path;

use open1688_jobs::Language;

/// A note for the person at the terminal.
#[derive(Debug, Clone, Copy)]
pub enum Note<'a> {
    /// No app key: the built-in sandbox answers, at this address, with this many offers.
    SandboxInUse {
        /// Where it listens.
        address: &'a str,
        /// How many offers it plans.
        offers: usize,
    },
    /// The tables were also written to this workbook.
    Workbook(&'a Path),
    /// The command's chart was drawn to this file.
    Chart(&'a Path),
    /// The sourcing job's workbook and charts are in this folder.
    SourceFiles(&'a Path),
    /// The plan file that orders the answer.
    ToOrder(&'a Path),
    /// The plan file that orders the cheaper split instead.
    ToOrderSplit(&'a Path),
    /// How many gateway calls the sandbox counted.
    GatewayCalls(u64),
    /// Freight will be confirmed with up to this many order previews.
    FreightToConfirm(usize),
}

impl Note<'_> {
    /// The note in `language`.
    pub fn render(self, language: Language) -> String {
        use Language::{En, Zh};
        match (self, language) {
            (Self::SandboxInUse { address, offers }, En) => format!(
                "no app key configured; using the built-in sandbox at {address} ({offers} offers; see `open1688 config init`)"
            ),
            (Self::SandboxInUse { address, offers }, Zh) => format!(
                "未配置应用密钥：使用内置沙箱 {address}（{offers} 个模拟商品，非 1688 真实数据；见 `open1688 config init`）"
            ),
            (Self::Workbook(path), En) => format!("workbook: {}", path.display()),
            (Self::Workbook(path), Zh) => format!("工作簿：{}", path.display()),
            (Self::Chart(path), En) => format!("chart: {}", path.display()),
            (Self::Chart(path), Zh) => format!("图表：{}", path.display()),
            (Self::SourceFiles(path), En) => format!("workbook and charts: {}", path.display()),
            (Self::SourceFiles(path), Zh) => format!("工作簿和图表：{}", path.display()),
            (Self::ToOrder(path), En) => format!("to order it: open1688 order preview {}", path.display()),
            (Self::ToOrder(path), Zh) => format!("下单：open1688 order preview {}", path.display()),
            (Self::ToOrderSplit(path), En) => {
                format!("to order the split instead: open1688 order preview {}", path.display())
            }
            (Self::ToOrderSplit(path), Zh) => format!("改为按拆分方案下单：open1688 order preview {}", path.display()),
            (Self::GatewayCalls(calls), En) => format!("{calls} gateway calls (counted by the sandbox)"),
            (Self::GatewayCalls(calls), Zh) => format!("调用网关 {calls} 次（沙箱计数）"),
            (Self::FreightToConfirm(top), En) => {
                format!(
                    "freight will be confirmed with 1688: up to {top} order previews (read-only, nothing is placed)"
                )
            }
            (Self::FreightToConfirm(top), Zh) => {
                format!("将向 1688 确认运费：最多预览 {top} 个订单（只读，不会下单）")
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn each_note_says_the_same_in_both_languages() {
        let plan = Path::new("out/plan.csv");
        assert_eq!(Note::ToOrder(plan).render(Language::En), "to order it: open1688 order preview out/plan.csv");
        assert_eq!(Note::ToOrder(plan).render(Language::Zh), "下单：open1688 order preview out/plan.csv");
        assert_eq!(Note::GatewayCalls(12).render(Language::Zh), "调用网关 12 次（沙箱计数）");
        let sandbox = Note::SandboxInUse { address: "http://127.0.0.1:1", offers: 6000 };
        assert!(sandbox.render(Language::Zh).contains("非 1688 真实数据"));
        assert!(sandbox.render(Language::En).starts_with("no app key configured"));
    }
}
