//! Servers under test in processes of their own, so their CPU time and peak
//! memory can be read apart from the load generator's (Linux `/proc`).

use std::path::Path;
use std::process::Stdio;
use std::time::Duration;

use anyhow::{Context, bail};
use clap::{Args, ValueEnum};
use tokio::io::{AsyncBufReadExt, BufReader};
use tokio::process::{Child, Command};

/// Linux reports CPU time in ticks of 1/100 s to user space on every
/// architecture Plaza runs on.
const TICKS_PER_SECOND: f64 = 100.0;

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum ServerKind {
    Manager,
    Baseline,
}

/// `plaza bench server`: what the parent starts in a child process.
#[derive(Debug, Clone, Args)]
pub struct ServerOptions {
    #[arg(long, value_enum)]
    kind: ServerKind,
    /// The manager's data directory (ignored by the baseline).
    #[arg(long)]
    data_dir: Option<std::path::PathBuf>,
    /// The manager's `storage.synchronous`: `full` (the default) or `normal`.
    #[arg(long, default_value = "full")]
    synchronous: String,
}

/// Runs in the child: serves until killed, after printing its address.
pub async fn serve(options: ServerOptions) -> anyhow::Result<()> {
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await?;
    let address = listener.local_addr()?;
    println!("listening on http://{address}");
    match options.kind {
        ServerKind::Baseline => super::baseline::serve(listener).await?,
        ServerKind::Manager => {
            let data_dir = options.data_dir.context("--data-dir is required")?;
            let mut settings = plaza_manager::Settings {
                data_dir,
                listen: address,
                ..plaza_manager::Settings::default()
            };
            settings.storage.synchronous =
                serde_json::from_value(serde_json::Value::String(options.synchronous))
                    .context("--synchronous is `full` or `normal`")?;
            let state = plaza_manager::AppState::open(settings, plaza_manager::Clock::System)?;
            plaza_manager::serve(state, listener, std::future::pending()).await?;
        }
    }
    Ok(())
}

/// A server running in a child process.
pub struct ServerProcess {
    child: Child,
    pub url: String,
    pid: u32,
}

impl ServerProcess {
    pub async fn start(
        kind: ServerKind,
        data_dir: &Path,
        synchronous: &str,
    ) -> anyhow::Result<Self> {
        let kind_name = match kind {
            ServerKind::Manager => "manager",
            ServerKind::Baseline => "baseline",
        };
        let mut child = Command::new(std::env::current_exe()?)
            .args(["bench", "server", "--kind", kind_name, "--data-dir"])
            .arg(data_dir)
            .args(["--synchronous", synchronous])
            .env("RUST_LOG", "warn")
            .stdout(Stdio::piped())
            .kill_on_drop(true)
            .spawn()
            .context("starting the server process")?;
        let pid = child.id().context("server process id")?;
        let stdout = child.stdout.take().context("server stdout")?;
        let mut lines = BufReader::new(stdout).lines();
        while let Some(line) = lines.next_line().await? {
            if let Some(url) = line.strip_prefix("listening on ") {
                return Ok(Self {
                    child,
                    url: url.to_owned(),
                    pid,
                });
            }
        }
        bail!("the {kind_name} process exited before listening")
    }

    /// CPU time used so far (user + system).
    pub fn cpu_time(&self) -> anyhow::Result<Duration> {
        let stat = std::fs::read_to_string(format!("/proc/{}/stat", self.pid))?;
        // Fields after the parenthesised command name; utime and stime are
        // the 14th and 15th fields of the whole line.
        let after_name = stat
            .rsplit_once(')')
            .map(|(_, rest)| rest)
            .context("/proc stat")?;
        let fields: Vec<&str> = after_name.split_whitespace().collect();
        let ticks = |index: usize| -> anyhow::Result<f64> {
            Ok(fields
                .get(index)
                .context("/proc stat field")?
                .parse::<f64>()?)
        };
        let seconds = (ticks(11)? + ticks(12)?) / TICKS_PER_SECOND;
        Ok(Duration::from_secs_f64(seconds))
    }

    /// The most memory the process has held at once.
    pub fn peak_rss_bytes(&self) -> anyhow::Result<u64> {
        let status = std::fs::read_to_string(format!("/proc/{}/status", self.pid))?;
        let line = status
            .lines()
            .find(|line| line.starts_with("VmHWM:"))
            .context("VmHWM in /proc status")?;
        let kilobytes: u64 = line
            .split_whitespace()
            .nth(1)
            .context("VmHWM value")?
            .parse()?;
        Ok(kilobytes * 1024)
    }

    pub async fn stop(mut self) {
        let _ = self.child.kill().await;
    }
}
