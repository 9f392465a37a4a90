//! Runs one simulated outbound shift with the real cc-core pacer and prints one JSON line.
//!
//! cargo run --release -p cc-core --example dialer_sim -- --mode predictive --agents 50 \
//!     --answer-rate 0.25 --aht-secs 180 --wrap-secs 30 --hours 8 --seed 1

use std::process::ExitCode;

use cc_core::dialer::sim::{SimConfig, run};
use cc_types::dialer::DialerMode;

fn parse(args: &[String]) -> Result<SimConfig, String> {
    let mut cfg = SimConfig {
        mode: DialerMode::Predictive,
        agents: 50,
        answer_rate: 0.25,
        talk_mean_secs: 180.0,
        wrap_secs: 30.0,
        hours: 8.0,
        seed: 1,
        ring_max_secs: 25.0,
        abandon_cap: 0.03,
    };
    let mut it = args.iter();
    while let Some(flag) = it.next() {
        let value = it.next().ok_or_else(|| format!("{flag} needs a value"))?;
        let number = || {
            value
                .parse::<f64>()
                .map_err(|e| format!("{flag} {value}: {e}"))
        };
        match flag.as_str() {
            "--mode" => {
                cfg.mode = match value.as_str() {
                    "progressive" => DialerMode::Progressive,
                    "predictive" => DialerMode::Predictive,
                    other => return Err(format!("unknown mode {other}")),
                }
            }
            "--agents" => cfg.agents = value.parse().map_err(|e| format!("{flag}: {e}"))?,
            "--answer-rate" => cfg.answer_rate = number()?,
            "--aht-secs" => cfg.talk_mean_secs = number()?,
            "--wrap-secs" => cfg.wrap_secs = number()?,
            "--hours" => cfg.hours = number()?,
            "--seed" => cfg.seed = value.parse().map_err(|e| format!("{flag}: {e}"))?,
            "--ring-max-secs" => cfg.ring_max_secs = number()?,
            "--abandon-cap" => cfg.abandon_cap = number()?,
            other => return Err(format!("unknown flag {other}")),
        }
    }
    Ok(cfg)
}

fn main() -> ExitCode {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let cfg = match parse(&args) {
        Ok(cfg) => cfg,
        Err(message) => {
            eprintln!("dialer_sim: {message}");
            return ExitCode::from(2);
        }
    };
    let mode = match cfg.mode {
        DialerMode::Progressive => "progressive",
        _ => "predictive",
    };
    let report = run(&cfg);
    let line = serde_json::json!({
        "mode": mode,
        "agents": cfg.agents,
        "answer_rate": cfg.answer_rate,
        "seed": cfg.seed,
        "calls_placed": report.calls_placed,
        "live_answers": report.live_answers,
        "abandoned": report.abandoned,
        "abandon_rate": report.abandon_rate,
        "peak_abandon_rate": report.peak_abandon_rate,
        "agent_occupancy": report.agent_occupancy,
    });
    println!("{line}");
    ExitCode::SUCCESS
}
