//! The Debian package: `scripts/build-deb.sh` packages the binary with the systemd unit of
//! `serve`; installed with `dpkg -i`, `open1688 source 保温杯 --need 300` runs from it, and
//! `dpkg --purge` takes it away again. Installing needs root (CI runs as root); elsewhere the
//! install part says why it skips, and under `CI=true` it fails instead.

use std::path::Path;
use std::process::Command;

fn repository() -> std::path::PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../..")
}

fn is_root() -> bool {
    Command::new("id").arg("-u").output().is_ok_and(|o| String::from_utf8_lossy(&o.stdout).trim() == "0")
}

/// Builds the package around the test's own binary (no release build inside a test).
fn build_package(out: &Path) -> std::path::PathBuf {
    let built = Command::new("bash")
        .arg(repository().join("scripts/build-deb.sh"))
        .env("OPEN1688_BIN", env!("CARGO_BIN_EXE_open1688"))
        .env("DEB_COMPRESSION", "gzip")
        .env("DEB_OUT", out)
        .output()
        .expect("build-deb.sh runs");
    assert!(built.status.success(), "build-deb.sh failed: {}", String::from_utf8_lossy(&built.stderr));
    let path = String::from_utf8(built.stdout).expect("a path").trim().to_owned();
    std::path::PathBuf::from(path)
}

fn dpkg(args: &[&str]) -> std::process::Output {
    Command::new("dpkg").args(args).output().expect("dpkg runs")
}

#[test]
fn the_deb_installs_and_runs_the_main_job() {
    if Command::new("dpkg-deb").arg("--version").output().is_err() {
        assert!(std::env::var("CI").as_deref() != Ok("true"), "dpkg-deb is missing under CI=true");
        eprintln!("skipped: dpkg-deb is not on this machine");
        return;
    }
    let out = tempfile::tempdir().expect("a folder");
    let deb = build_package(out.path());

    let contents = Command::new("dpkg-deb").arg("--contents").arg(&deb).output().expect("dpkg-deb --contents");
    let contents = String::from_utf8_lossy(&contents.stdout);
    for file in ["./usr/bin/open1688", "./lib/systemd/system/open1688@.service", "./usr/share/doc/open1688/README.md"] {
        assert!(contents.contains(file), "{file} in the package:\n{contents}");
    }
    let info = Command::new("dpkg-deb").args(["--field"]).arg(&deb).args(["Package", "Depends"]).output().unwrap();
    let info = String::from_utf8_lossy(&info.stdout);
    assert!(info.contains("Package: open1688") && info.contains("libc6 (>= 2."), "{info}");

    if !is_root() {
        assert!(std::env::var("CI").as_deref() != Ok("true"), "installing the package needs root under CI=true");
        eprintln!("skipped: installing a package needs root");
        return;
    }
    let installed = dpkg(&["-i", deb.to_str().expect("a UTF-8 path")]);
    assert!(installed.status.success(), "dpkg -i: {}", String::from_utf8_lossy(&installed.stderr));
    // Whatever happens below, the package goes again.
    struct Purge;
    impl Drop for Purge {
        fn drop(&mut self) {
            let _ = dpkg(&["--purge", "open1688"]);
        }
    }
    let _purge = Purge;

    let work = tempfile::tempdir().expect("a folder");
    let run = Command::new("/usr/bin/open1688")
        .args(["source", "保温杯", "--need", "300"])
        .current_dir(work.path())
        .env("OPEN1688_DATA_DIR", work.path().join("data"))
        .env("OPEN1688_CONFIG", work.path().join("config.toml"))
        .env_remove("OPEN1688_APP_KEY")
        .env_remove("OPEN1688_APP_SECRET")
        .env_remove("OPEN1688_ENDPOINT")
        .env_remove("DATABASE_URL")
        .env_remove("REDIS_URL")
        .output()
        .expect("the installed open1688 runs");
    let stderr = String::from_utf8_lossy(&run.stderr);
    assert!(run.status.success(), "open1688 source from the package failed: {stderr}");
    assert!(stderr.contains("buy ") && stderr.contains("landed"), "the answer: {stderr}");
    let plan = std::fs::read_to_string(work.path().join("open1688-out/plan.csv")).expect("the plan file");
    assert!(plan.starts_with("offer_id,sku_id,quantity\n") && plan.lines().count() >= 2, "{plan}");
    assert!(work.path().join("open1688-out/sourcing.xlsx").exists());

    // The service's user and settings file were made on install.
    assert!(Command::new("getent").args(["passwd", "open1688"]).output().is_ok_and(|o| o.status.success()));
    let settings = std::fs::metadata("/etc/open1688/env").expect("/etc/open1688/env");
    use std::os::unix::fs::PermissionsExt;
    assert_eq!(settings.permissions().mode() & 0o777, 0o640);

    let purged = dpkg(&["--purge", "open1688"]);
    assert!(purged.status.success(), "dpkg --purge: {}", String::from_utf8_lossy(&purged.stderr));
    assert!(!Path::new("/usr/bin/open1688").exists() && !Path::new("/etc/open1688").exists());
}
