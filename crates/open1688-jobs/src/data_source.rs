//! Where a report's figures came from: 1688, or open1688's sandbox, whose figures are realistic
//! but simulated. Files and pages say which, so simulated data is never forwarded as real.

/// Where a workbook's figures came from, said under every sheet.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum DataSource {
    /// 1688's open platform.
    Platform,
    /// open1688's sandbox: realistic, simulated figures.
    Sandbox,
}

impl DataSource {
    /// The note under every sheet, in `language`.
    pub fn note(self, language: sourcing::Language) -> &'static str {
        use sourcing::Language::{En, Zh};
        match (self, language) {
            (Self::Platform, Zh) => "数据来源：1688（经 open1688 读取）",
            (Self::Platform, En) => "Data source: 1688.com, read by open1688",
            (Self::Sandbox, Zh) => "模拟数据，非 1688 真实数据（来自 open1688 沙盒）",
            (Self::Sandbox, En) => "Simulated data from the open1688 sandbox, not 1688.com",
        }
    }

    /// The source of the figures a client reads.
    pub fn of(client: &open1688::Client) -> Self {
        if client.on_platform() { Self::Platform } else { Self::Sandbox }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_note_says_when_the_data_is_simulated() {
        use sourcing::Language::{En, Zh};
        assert!(DataSource::Sandbox.note(Zh).contains("模拟") && DataSource::Sandbox.note(En).contains("Simulated"));
        assert!(DataSource::Platform.note(Zh).starts_with("数据来源：1688"));
        assert!(DataSource::Platform.note(En).starts_with("Data source: 1688"));
    }
}
