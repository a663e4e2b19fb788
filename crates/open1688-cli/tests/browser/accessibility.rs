//! axe-core (Deque's accessibility engine, from the npm registry; `.ci/run` installs it) run in
//! the page: labels, contrast, names, landmarks, keyboard reachability. The tests fail on any
//! violation axe rates serious or critical.

use std::path::PathBuf;

use serde_json::Value;

use super::Browser;

/// Where axe-core's script is: `AXE_CORE_JS`, else where `.ci/run` installs it.
fn axe_path() -> PathBuf {
    std::env::var_os("AXE_CORE_JS").map(PathBuf::from).unwrap_or_else(|| {
        let home = std::env::var_os("HOME").map_or_else(|| PathBuf::from("/root"), PathBuf::from);
        home.join(".cache/open1688-axe/node_modules/axe-core/axe.min.js")
    })
}

/// axe-core's source, or `None` (with a message) where it is not installed; under CI it must be.
pub fn axe_source() -> Option<String> {
    let path = axe_path();
    match std::fs::read_to_string(&path) {
        Ok(source) => Some(source),
        Err(e) => {
            assert!(
                std::env::var("CI").as_deref() != Ok("true"),
                "CI=true but axe-core is missing at {} ({e}); .ci/run installs it with npm",
                path.display()
            );
            eprintln!("SKIPPED accessibility checks: no axe-core at {} ({e})", path.display());
            None
        }
    }
}

impl Browser {
    /// The serious and critical accessibility violations on the page, one line each (rule, what
    /// it asks, where); empty when axe-core is not installed outside CI.
    pub async fn accessibility_violations(&self) -> Vec<String> {
        let Some(axe) = axe_source() else { return Vec::new() };
        let script = format!(
            "{axe}\n;const done = arguments[arguments.length - 1];\
             axe.run(document, {{ resultTypes: ['violations'] }}).then((r) => done(r.violations\
               .filter((v) => v.impact === 'serious' || v.impact === 'critical')\
               .map((v) => v.id + ': ' + v.help + ' at ' + v.nodes.slice(0, 5).map((n) => n.target.join(' ')).join(', '))))\
               .catch((e) => done(['axe failed: ' + e]));"
        );
        let found = self.client.execute_async(&script, vec![]).await.expect("axe runs in the page");
        match found {
            Value::Array(items) => items.into_iter().filter_map(|v| v.as_str().map(str::to_owned)).collect(),
            other => vec![format!("axe answered {other}")],
        }
    }

    /// Fails the test when the page has serious or critical accessibility violations.
    pub async fn assert_accessible(&self, page: &str) {
        let violations = self.accessibility_violations().await;
        assert!(violations.is_empty(), "{page} has accessibility violations:\n{}", violations.join("\n"));
    }
}
