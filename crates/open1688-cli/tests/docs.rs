//! The README and the book (`docs/src`) cannot go stale:
//! - every ```` ```console ```` example runs against the built-in sandbox (trycmd), and fails this
//!   test when its output no longer matches (`[..]` and `...` mark what changes between runs);
//! - the walk-through runs against a sandbox server started as the chapter says;
//! - the command reference is generated from the commands' own help;
//! - every relative link and anchor resolves, offline;
//! - every environment variable the code reads is in the configuration chapter.
//!
//! `TRYCMD=overwrite cargo test -p open1688-cli --test docs` writes the outputs into the files
//! (put the `[..]` back where a value changes between runs); `UPDATE_CLI_REFERENCE=1` regenerates
//! the reference.

use std::collections::BTreeSet;
use std::io::{BufRead, BufReader};
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};

fn repository() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../..").canonicalize().expect("the repository")
}

fn book() -> PathBuf {
    repository().join("docs/src")
}

/// The README and every chapter of the book.
fn markdown_files() -> Vec<PathBuf> {
    let mut files = vec![repository().join("README.md")];
    let mut chapters: Vec<PathBuf> = std::fs::read_dir(book())
        .expect("docs/src")
        .map(|e| e.expect("an entry").path())
        .filter(|p| p.extension().is_some_and(|e| e == "md"))
        .collect();
    chapters.sort();
    files.extend(chapters);
    files
}

/// Chapters whose examples need more than the built-in sandbox (they have their own test).
const WALKTHROUGH: &str = "sandbox-walkthrough.md";

/// Copies `files` into a scratch folder, each with a `<name>.in` folder beside it: trycmd runs a
/// file's commands in that folder, so what they write stays out of the repository. The folder
/// starts with the chapter's example files, `docs/examples/<name>/` (the plan files and rules
/// its commands read), which readers find there too.
fn scratch_copies(files: &[PathBuf], scratch: &Path) -> Vec<(PathBuf, PathBuf)> {
    files
        .iter()
        .map(|file| {
            let copy = scratch.join(file.file_name().expect("a file name"));
            std::fs::copy(file, &copy).expect("copying a markdown file");
            let folder = copy.with_extension("in");
            std::fs::create_dir_all(&folder).expect("its working folder");
            let examples = repository().join("docs/examples").join(file.file_stem().expect("a stem"));
            if let Ok(entries) = std::fs::read_dir(&examples) {
                for entry in entries {
                    let entry = entry.expect("an example file");
                    std::fs::copy(entry.path(), folder.join(entry.file_name())).expect("copying an example file");
                }
            }
            (file.clone(), copy)
        })
        .collect()
}

/// After `TRYCMD=overwrite`, the outputs trycmd wrote into the copies go back to the sources.
fn write_back(pairs: &[(PathBuf, PathBuf)]) {
    if std::env::var("TRYCMD").as_deref() == Ok("overwrite") {
        for (source, copy) in pairs {
            std::fs::copy(copy, source).expect("writing the outputs back");
        }
    }
}

/// trycmd with the binary, isolated from the user's configuration, credentials and databases.
/// The data folder and the configuration are relative, so each file gets its own in its folder.
fn cases() -> trycmd::TestCases {
    let cases = trycmd::TestCases::new();
    cases
        .register_bin("open1688", Path::new(env!("CARGO_BIN_EXE_open1688")))
        .env("OPEN1688_DATA_DIR", "data")
        .env("OPEN1688_CONFIG", "config.toml")
        .env("DATABASE_URL", "")
        .env("REDIS_URL", "")
        .env("OPEN1688_APP_KEY", "")
        .env("OPEN1688_APP_SECRET", "")
        .env("OPEN1688_ENDPOINT", "")
        .env("OPEN1688_ACCESS_TOKEN", "")
        .env("OPEN1688_REFRESH_TOKEN", "")
        .env("NO_COLOR", "1")
        // The examples are an English terminal's, whatever the machine's locale.
        .env("LC_ALL", "")
        .env("LC_MESSAGES", "")
        .env("LANG", "C.UTF-8");
    cases
}

#[test]
fn the_examples_in_the_readme_and_the_book_run_as_shown() {
    let scratch = tempfile::tempdir().expect("a scratch folder");
    let files: Vec<PathBuf> = markdown_files()
        .into_iter()
        .filter(|f| !f.ends_with(WALKTHROUGH) && !f.ends_with("cli-reference.md"))
        .collect();
    let pairs = scratch_copies(&files, scratch.path());
    let cases = cases();
    for (_, copy) in &pairs {
        cases.case(copy);
    }
    cases.run();
    write_back(&pairs);
}

/// A sandbox server started as the walk-through says (`open1688 sandbox --simulated-clock`), on a
/// free port; killed when dropped.
struct SandboxServer {
    child: std::process::Child,
    line: serde_json::Value,
}

impl SandboxServer {
    fn start() -> Self {
        let mut child = Command::new(env!("CARGO_BIN_EXE_open1688"))
            .args(["sandbox", "--port", "0", "--simulated-clock"])
            .stdout(Stdio::piped())
            .stderr(Stdio::null())
            .spawn()
            .expect("open1688 sandbox starts");
        let mut first = String::new();
        BufReader::new(child.stdout.take().expect("its stdout")).read_line(&mut first).expect("its JSON line");
        let line = serde_json::from_str(&first).unwrap_or_else(|e| panic!("not the JSON line ({e}): {first}"));
        Self { child, line }
    }

    fn field(&self, name: &str) -> String {
        self.line[name].as_str().unwrap_or_else(|| panic!("{name} in {}", self.line)).to_owned()
    }
}

impl Drop for SandboxServer {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

#[test]
fn the_sandbox_walkthrough_runs_as_written() {
    let server = SandboxServer::start();
    let scratch = tempfile::tempdir().expect("a scratch folder");
    let pairs = scratch_copies(&[book().join(WALKTHROUGH)], scratch.path());
    let cases = cases();
    // What the chapter's `export` lines set, pointing at this server instead of port 8690.
    cases
        .env("OPEN1688_ENDPOINT", server.field("base_url"))
        .env("OPEN1688_APP_KEY", server.field("app_key"))
        .env("OPEN1688_APP_SECRET", server.field("app_secret"))
        .env("OPEN1688_ACCESS_TOKEN", server.field("access_token"))
        .env("OPEN1688_REFRESH_TOKEN", server.field("refresh_token"))
        .insert_var("[SANDBOX]", server.field("base_url"))
        .expect("a redaction");
    cases.case(&pairs[0].1);
    cases.run();
    write_back(&pairs);
}

/// Every command's path (`["order", "place"]`), from the commands each help lists.
fn command_paths(path: &[String], out: &mut Vec<Vec<String>>) {
    out.push(path.to_vec());
    let help = help_of(path);
    let Some(list) = help.split("\nCommands:\n").nth(1) else { return };
    for line in list.lines().take_while(|l| !l.trim().is_empty()) {
        let Some(name) = line.split_whitespace().next() else { continue };
        if name == "help" || !line.starts_with("  ") || line.starts_with("   ") {
            continue;
        }
        let mut sub = path.to_vec();
        sub.push(name.to_owned());
        command_paths(&sub, out);
    }
}

fn help_of(path: &[String]) -> String {
    let out = Command::new(env!("CARGO_BIN_EXE_open1688")).args(path).arg("--help").output().expect("--help runs");
    assert!(out.status.success(), "open1688 {} --help failed", path.join(" "));
    String::from_utf8(out.stdout).expect("UTF-8 help")
}

/// The command reference: every command's help, as the binary prints it.
fn generated_reference() -> String {
    let mut paths = Vec::new();
    command_paths(&[], &mut paths);
    let mut doc = String::from(
        "# Command reference\n\n\
         Generated from the commands' own help (`open1688 <command> --help`) by the test suite, \
         which fails when this page and the commands disagree. The [command line](cli.md) \
         chapter shows them at work.\n",
    );
    for path in &paths {
        let name = if path.is_empty() { "open1688".to_owned() } else { format!("open1688 {}", path.join(" ")) };
        doc.push_str(&format!("\n## `{name}`\n\n```text\n{}\n```\n", help_of(path).trim_end()));
    }
    doc
}

#[test]
fn the_command_reference_is_generated_from_the_commands() {
    let generated = generated_reference();
    let path = book().join("cli-reference.md");
    if std::env::var_os("UPDATE_CLI_REFERENCE").is_some() {
        std::fs::write(&path, &generated).expect("writing the reference");
    }
    let written = std::fs::read_to_string(&path).unwrap_or_default();
    assert!(
        written == generated,
        "docs/src/cli-reference.md is not what the commands' help says; regenerate it with \
         UPDATE_CLI_REFERENCE=1 cargo test -p open1688-cli --test docs the_command_reference"
    );
}

/// GitHub's anchor for a heading: lower case, punctuation dropped, spaces as hyphens.
fn anchor(heading: &str) -> String {
    heading
        .trim()
        .to_lowercase()
        .chars()
        .filter(|c| c.is_alphanumeric() || matches!(c, ' ' | '-' | '_'))
        .map(|c| if c == ' ' { '-' } else { c })
        .collect()
}

/// The text outside fenced code blocks.
fn prose(markdown: &str) -> Vec<&str> {
    let mut fenced = false;
    markdown
        .lines()
        .filter(|line| {
            if line.trim_start().starts_with("```") {
                fenced = !fenced;
                return false;
            }
            !fenced
        })
        .collect()
}

fn anchors(markdown: &str) -> BTreeSet<String> {
    prose(markdown).iter().filter_map(|l| l.strip_prefix('#')).map(|h| anchor(h.trim_start_matches('#'))).collect()
}

/// The targets of `[text](target)` links outside code.
fn link_targets(markdown: &str) -> Vec<String> {
    let mut targets = Vec::new();
    for line in prose(markdown) {
        // Inline code may show link syntax; it is not a link.
        let mut outside = String::new();
        for (n, part) in line.split('`').enumerate() {
            if n % 2 == 0 {
                outside.push_str(part);
            }
        }
        let mut rest = outside.as_str();
        while let Some(at) = rest.find("](") {
            let after = &rest[at + 2..];
            let end = after.find(')').unwrap_or(after.len());
            targets.push(after[..end].to_owned());
            rest = &after[end..];
        }
    }
    targets
}

#[test]
fn every_link_in_the_readme_and_the_book_resolves() {
    let mut broken = Vec::new();
    for file in markdown_files() {
        let text = std::fs::read_to_string(&file).expect("a markdown file");
        for target in link_targets(&text) {
            if target.starts_with("http://") || target.starts_with("https://") || target.starts_with("mailto:") {
                continue;
            }
            let (path, fragment) = target.split_once('#').map_or((target.as_str(), None), |(p, f)| (p, Some(f)));
            let linked = if path.is_empty() { file.clone() } else { file.parent().expect("a folder").join(path) };
            if !linked.exists() {
                broken.push(format!("{}: {target} (no such file)", file.display()));
                continue;
            }
            if let Some(fragment) = fragment
                && linked.extension().is_some_and(|e| e == "md")
            {
                let headings = anchors(&std::fs::read_to_string(&linked).expect("the linked file"));
                if !headings.contains(fragment) {
                    broken.push(format!("{}: {target} (no such heading)", file.display()));
                }
            }
        }
    }
    assert!(broken.is_empty(), "broken links:\n{}", broken.join("\n"));
}

#[test]
fn every_chapter_is_in_the_summary() {
    let summary = std::fs::read_to_string(book().join("SUMMARY.md")).expect("SUMMARY.md");
    let listed: BTreeSet<String> = link_targets(&summary).into_iter().collect();
    for file in markdown_files().iter().skip(1) {
        let name = file.file_name().expect("a name").to_string_lossy().into_owned();
        if name != "SUMMARY.md" {
            assert!(listed.contains(&name), "{name} is not in docs/src/SUMMARY.md");
        }
    }
}

/// Every `OPEN1688_*` name the crates' sources spell out as a string, and the two URLs.
fn variables_read() -> BTreeSet<String> {
    let mut names: BTreeSet<String> = ["DATABASE_URL", "REDIS_URL"].map(str::to_owned).into();
    let mut stack = vec![repository().join("crates")];
    while let Some(dir) = stack.pop() {
        for entry in std::fs::read_dir(&dir).expect("a source folder") {
            let path = entry.expect("an entry").path();
            if path.is_dir() {
                if !path.ends_with("tests") && !path.ends_with("benches") {
                    stack.push(path);
                }
            } else if path.extension().is_some_and(|e| e == "rs") {
                let source = std::fs::read_to_string(&path).expect("a source file");
                for piece in source.split('"').skip(1).step_by(2) {
                    let is_name = piece.len() > "OPEN1688_".len()
                        && piece.starts_with("OPEN1688_")
                        && piece.chars().all(|c| c.is_ascii_uppercase() || c.is_ascii_digit() || c == '_');
                    if is_name && !piece.starts_with("OPEN1688_TEST") {
                        names.insert(piece.to_owned());
                    }
                }
            }
        }
    }
    names
}

#[test]
fn every_environment_variable_is_in_the_configuration_chapter() {
    let chapter = std::fs::read_to_string(book().join("configuration.md")).expect("configuration.md");
    let missing: Vec<String> = variables_read().into_iter().filter(|name| !chapter.contains(name.as_str())).collect();
    assert!(missing.is_empty(), "read by the code but not in docs/src/configuration.md: {missing:?}");
}

#[test]
fn anchors_are_the_ones_github_makes() {
    assert_eq!(anchor(" From plan to order: `open1688 order`"), "from-plan-to-order-open1688-order");
    assert_eq!(anchor("Connecting your 1688 app"), "connecting-your-1688-app");
    assert_eq!(link_targets("see [a](b.md#c) and `[x](y)`"), vec!["b.md#c".to_owned()]);
}
