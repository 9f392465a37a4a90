//! `cargo xtask bench relay [CALLS] [SECONDS]`: the media relay under real-time load.
//!
//! Builds `cc-sim` and cc-media's `relay` example in release, starts the relay on free
//! loopback ports, and places CALLS concurrent Twilio calls (default 1,000) of SECONDS each
//! (default 30) with `cc-sim call twilio`: every call streams µ-law in real-time 20 ms frames,
//! the relay decodes, mixes a second leg, re-encodes and sends each frame back. Prints the
//! CPU both processes used, the frame round trip p50/p99 and frames lost, against the target
//! (p99 under 20 ms, none lost).

use std::net::TcpListener;
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

use anyhow::{Context, bail};

use crate::shell::{cargo, reachable, target_dir};

/// Clock ticks per second of `/proc/*/stat` times (USER_HZ, 100 on Linux).
const TICKS: f64 = 100.0;

struct Relay(std::process::Child);

impl Drop for Relay {
    fn drop(&mut self) {
        let _ = self.0.kill();
        let _ = self.0.wait();
    }
}

/// Runs the relay benchmark.
pub fn bench(args: &[String]) -> anyhow::Result<()> {
    let calls: usize = args.first().map_or(Ok(1000), |a| a.parse())?;
    let seconds: u32 = args.get(1).map_or(Ok(30), |a| a.parse())?;
    cargo(&["build", "--release", "-p", "cc-sim"], &[])?;
    cargo(
        &["build", "--release", "-p", "cc-media", "--example", "relay"],
        &[],
    )?;
    let release = target_dir().join("release");
    let (http, ws) = (free_addr()?, free_addr()?);
    let mut relay = Relay(
        Command::new(release.join("examples").join("relay"))
            .args([&http, &ws])
            .stderr(Stdio::null())
            .spawn()
            .context("starting the relay")?,
    );
    wait_reachable(&ws)?;
    let relay_pid = relay.0.id();
    let relay_before = cpu_seconds(&format!("/proc/{relay_pid}/stat"), 13)?;
    let sim_before = cpu_seconds("/proc/self/stat", 15)?;
    let started = Instant::now();
    let out = Command::new(release.join("cc-sim"))
        .args(["call", "twilio", "--voice-url"])
        .arg(format!("http://{http}/voice"))
        .args(["--account-sid", "AC00000000000000000000000000000000"])
        .args(["--auth-token", "bench-token"])
        .args([
            "--calls",
            &calls.to_string(),
            "--seconds",
            &seconds.to_string(),
        ])
        .output()
        .context("running cc-sim")?;
    let wall = started.elapsed().as_secs_f64();
    let relay_cpu = cpu_seconds(&format!("/proc/{relay_pid}/stat"), 13)? - relay_before;
    // The children's times of this process: cc-sim, now that it has been waited for.
    let sim_cpu = cpu_seconds("/proc/self/stat", 15)? - sim_before;
    let _ = relay.0.kill();
    let stdout = String::from_utf8_lossy(&out.stdout);
    let Some(summary) = stdout.lines().rev().find(|l| l.starts_with('{')) else {
        bail!(
            "cc-sim printed no summary:\n{stdout}\n{}",
            String::from_utf8_lossy(&out.stderr)
        );
    };
    report(summary, calls, seconds, wall, relay_cpu, sim_cpu);
    Ok(())
}

fn report(summary: &str, calls: usize, seconds: u32, wall: f64, relay_cpu: f64, sim_cpu: f64) {
    let field = |key: &str| number(summary, key).unwrap_or(f64::NAN);
    let (sent, received) = (field("frames_sent"), field("frames_received"));
    let (p50, p99) = (field("echo_rtt_ms_p50"), field("echo_rtt_ms_p99"));
    let lost = sent - received;
    println!("\n{summary}\n");
    println!(
        "| calls × seconds | completed | frames sent | lost | RTT p50 | RTT p99 | relay CPU | cc-sim CPU | load avg |"
    );
    println!("|---|---:|---:|---:|---:|---:|---:|---:|---|");
    println!(
        "| {calls} × {seconds} s | {} | {sent} | {lost} | {p50:.2} ms | {p99:.2} ms | {:.0} % of a core | {:.0} % of a core | {} |",
        field("calls_completed"),
        100.0 * relay_cpu / wall,
        100.0 * sim_cpu / wall,
        std::fs::read_to_string("/proc/loadavg")
            .unwrap_or_default()
            .split_whitespace()
            .take(3)
            .collect::<Vec<_>>()
            .join(" "),
    );
    let met = p99 < 20.0 && lost == 0.0 && field("errors") == 0.0;
    println!(
        "\ntarget (p99 round trip < 20 ms, no frame lost, no error): {}",
        if met { "met" } else { "NOT met" }
    );
}

/// A number field of the one-line JSON summary (`"key":123.4`); `null` gives `None`.
fn number(json: &str, key: &str) -> Option<f64> {
    let start = json.find(&format!("\"{key}\":"))? + key.len() + 3;
    let rest = &json[start..];
    let end = rest.find([',', '}']).unwrap_or(rest.len());
    rest[..end].trim().parse().ok()
}

/// utime + stime (or, from `first_field` 15, cutime + cstime) of a `/proc/*/stat` file.
fn cpu_seconds(path: &str, first_field: usize) -> anyhow::Result<f64> {
    let stat = std::fs::read_to_string(path).with_context(|| format!("reading {path}"))?;
    // Fields after the parenthesised command name, which may contain spaces.
    let after = stat.rsplit_once(')').map_or("", |(_, rest)| rest);
    let fields: Vec<&str> = after.split_whitespace().collect();
    // `after` starts at field 3 (state); field n is at index n - 3.
    let tick = |n: usize| -> f64 {
        fields
            .get(n - 3)
            .and_then(|v| v.parse::<f64>().ok())
            .unwrap_or(0.0)
    };
    Ok((tick(first_field + 1) + tick(first_field + 2)) / TICKS)
}

fn free_addr() -> anyhow::Result<String> {
    Ok(TcpListener::bind("127.0.0.1:0")?.local_addr()?.to_string())
}

fn wait_reachable(addr: &str) -> anyhow::Result<()> {
    let deadline = Instant::now() + Duration::from_secs(10);
    while !reachable(addr) {
        if Instant::now() > deadline {
            bail!("the relay did not listen on {addr}");
        }
        std::thread::sleep(Duration::from_millis(50));
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn summary_numbers_are_read_by_key() {
        let line =
            r#"{"frames_sent":500,"echo_rtt_ms_p50":1.25,"echo_rtt_ms_p99":null,"errors":0}"#;
        assert_eq!(number(line, "frames_sent"), Some(500.0));
        assert_eq!(number(line, "echo_rtt_ms_p50"), Some(1.25));
        assert_eq!(number(line, "echo_rtt_ms_p99"), None);
        assert_eq!(number(line, "errors"), Some(0.0));
        assert_eq!(number(line, "missing"), None);
    }

    #[test]
    fn cpu_times_come_from_the_right_stat_fields() {
        let dir = std::env::temp_dir().join(format!("xtask-stat-{}", std::process::id()));
        std::fs::create_dir_all(&dir).ok();
        let path = dir.join("stat");
        // pid (comm with space) state ppid ... utime=14 stime=15 cutime=16 cstime=17
        let fields: Vec<String> = (4..=20).map(|n| n.to_string()).collect();
        std::fs::write(&path, format!("42 (a b) S {}", fields.join(" "))).ok();
        let path = path.display().to_string();
        assert_eq!(cpu_seconds(&path, 13).ok(), Some((14.0 + 15.0) / TICKS));
        assert_eq!(cpu_seconds(&path, 15).ok(), Some((16.0 + 17.0) / TICKS));
        std::fs::remove_dir_all(&dir).ok();
    }
}
