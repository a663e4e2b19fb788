//! Real Redis servers for tests: the machine's shared one, or a private `redis-server` this test
//! starts (and may stop). Without them tests skip with a message, except under `CI=true`.

use std::net::{TcpListener, TcpStream, ToSocketAddrs};
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

fn under_ci() -> bool {
    std::env::var("CI").as_deref() == Ok("true")
}

fn reachable(host_port: &str) -> bool {
    host_port
        .to_socket_addrs()
        .ok()
        .and_then(|mut a| a.next())
        .is_some_and(|addr| TcpStream::connect_timeout(&addr, Duration::from_secs(1)).is_ok())
}

/// The shared Redis (`OPEN1688_TEST_REDIS`, default `redis://127.0.0.1:6379`), or `None` to skip.
pub fn shared_redis() -> Option<String> {
    let url = std::env::var("OPEN1688_TEST_REDIS").unwrap_or_else(|_| "redis://127.0.0.1:6379".into());
    let host_port = url.trim_start_matches("redis://").split('/').next().unwrap_or_default().to_owned();
    if reachable(&host_port) {
        return Some(url);
    }
    assert!(!under_ci(), "Redis must run under CI=true, but nothing answers at {url}");
    eprintln!("skipped: no Redis at {url} (start one or set OPEN1688_TEST_REDIS)");
    None
}

/// A private Redis on a free port, killed on drop.
pub struct OwnRedis {
    child: Option<Child>,
    pub port: u16,
}

impl OwnRedis {
    /// Starts `redis-server`, or `None` to skip when it is not installed (outside CI).
    pub fn start() -> Option<Self> {
        let port = TcpListener::bind("127.0.0.1:0").unwrap().local_addr().unwrap().port();
        let mut redis = OwnRedis { child: None, port };
        match redis.spawn() {
            Ok(()) => Some(redis),
            Err(e) => {
                assert!(!under_ci(), "redis-server must be startable under CI=true: {e}");
                eprintln!("skipped: cannot start redis-server ({e})");
                None
            }
        }
    }

    pub fn url(&self) -> String {
        format!("redis://127.0.0.1:{}", self.port)
    }

    fn spawn(&mut self) -> std::io::Result<()> {
        let child = Command::new("redis-server")
            .args(["--port", &self.port.to_string(), "--bind", "127.0.0.1", "--save", "", "--appendonly", "no"])
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .spawn()?;
        self.child = Some(child);
        let deadline = Instant::now() + Duration::from_secs(10);
        while !reachable(&format!("127.0.0.1:{}", self.port)) {
            if Instant::now() > deadline {
                return Err(std::io::Error::other("redis-server did not start listening in 10 s"));
            }
            std::thread::sleep(Duration::from_millis(20));
        }
        Ok(())
    }

    /// Kills the server (as a crash would).
    pub fn stop(&mut self) {
        if let Some(mut child) = self.child.take() {
            let _ = child.kill();
            let _ = child.wait();
        }
    }

    /// Starts it again on the same port.
    pub fn restart(&mut self) {
        self.spawn().expect("redis-server restarts");
    }
}

impl Drop for OwnRedis {
    fn drop(&mut self) {
        self.stop();
    }
}
