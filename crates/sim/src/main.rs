//! The `cc-sim` command line: `serve` runs one fake provider, `call` places calls as a
//! carrier does and prints one JSON summary line on stdout. See `cc-sim --help`.

use std::path::PathBuf;

use cc_sim::caller_audio::parse_dtmf;
use cc_sim::script::{Fault, Faults};
use clap::{Parser, Subcommand, ValueEnum};

#[derive(Parser)]
#[command(
    name = "cc-sim",
    about = "Loopback fakes of the CC-Lite voice providers",
    long_about = "Loopback fakes of the CC-Lite voice providers.\n\n\
        serve <openai|gemini|deepgram|twilio|telnyx> --listen ADDR runs one fake under the provider's own paths.\n\
        call twilio|telnyx places calls against an app as the carrier does and prints ONE JSON summary line:\n\
        {carrier, calls_placed, calls_completed, frames_sent, frames_received, marks_acknowledged, dtmf_sent,\n\
        first_response_ms_p50, first_response_ms_p99, echo_rtt_ms_p50, echo_rtt_ms_p99, errors, error_samples}.\n\n\
        With CC_SIM_SIDE_CHANNEL=FILE set, `--say TEXT` writes TEXT there and the fake AI peers report it as the\n\
        caller's transcript (instead of `utterance N`)."
)]
struct Cli {
    #[command(subcommand)]
    command: Command,
}

#[derive(Clone, Copy, ValueEnum)]
enum Provider {
    Openai,
    Gemini,
    Deepgram,
    Twilio,
    Telnyx,
}

/// What each simulated caller does (both carriers).
#[derive(clap::Args)]
struct CallerArgs {
    /// Concurrent calls.
    #[arg(long, default_value_t = 1)]
    calls: usize,
    #[command(flatten)]
    audio: AudioArgs,
}

/// What the far end of each call sends: for `call`, the caller; for `serve twilio|telnyx`,
/// the callee of every placed call.
#[derive(clap::Args)]
struct AudioArgs {
    /// Seconds of caller audio per call.
    #[arg(long, default_value_t = 10)]
    seconds: u32,
    /// What the caller says (espeak-ng audio when installed, else a speech-like signal).
    #[arg(long)]
    say: Option<String>,
    /// Keys the caller presses after its first utterance, 240 ms apart (e.g. 12#).
    #[arg(long, default_value = "", value_parser = parse_dtmf)]
    dtmf: String,
    /// A WAV file (any rate; the first channel) the caller plays as its utterance; --say then
    /// names what it says for the fake AI peers.
    #[arg(long)]
    wav: Option<PathBuf>,
}

#[derive(Subcommand)]
enum Carrier {
    /// Post signed voice webhooks to an app, follow its <Connect><Stream>, stream caller audio.
    Twilio {
        /// The app's voice webhook URL.
        #[arg(long)]
        voice_url: String,
        /// Account SID to sign and report with.
        #[arg(long)]
        account_sid: String,
        /// Auth token to sign with.
        #[arg(long)]
        auth_token: String,
        #[command(flatten)]
        caller: CallerArgs,
    },
    /// Post signed Call Control webhooks (call.initiated, …) to an app, serve its commands on
    /// --api-listen, stream caller audio to the stream_url it starts, then hang up.
    Telnyx {
        /// The app's webhook URL.
        #[arg(long)]
        webhook_url: String,
        /// Base64 of the 32-byte Ed25519 seed that signs webhooks.
        #[arg(long)]
        signing_key_b64: String,
        /// Address of the Call Control API the app commands (its base URL is http://ADDR/v2).
        #[arg(long)]
        api_listen: String,
        /// Accept only this bearer key (any key when absent).
        #[arg(long)]
        api_key: Option<String>,
        #[command(flatten)]
        caller: CallerArgs,
    },
}

#[derive(Subcommand)]
enum Command {
    /// Place calls against an app as the carrier does, then print a JSON summary line.
    Call {
        #[command(subcommand)]
        carrier: Carrier,
    },
    /// Run one fake provider on ADDR under the provider's own paths.
    Serve {
        /// Which provider to fake.
        provider: Provider,
        /// Address to listen on, e.g. 127.0.0.1:9001.
        #[arg(long)]
        listen: String,
        /// (openai, gemini, deepgram) misbehave after --fault-after answers: drop the socket
        /// (no close frame), fail (the provider's error, then a close) or stall (say nothing).
        #[arg(long, value_parser = clap::builder::ValueParser::new(|v: &str| v.parse::<Fault>()))]
        fault: Option<Fault>,
        /// (openai, gemini, deepgram) answers given before --fault.
        #[arg(long, default_value_t = 0)]
        fault_after: u32,
        /// (openai, gemini, deepgram) the same as --fault drop --fault-after N.
        #[arg(long)]
        drop_after_turns: Option<u32>,
        /// (openai) length of each synthetic answer in ms.
        #[arg(long, default_value_t = 1000)]
        answer_ms: u32,
        /// (telnyx) default webhook URL for dialled calls (a dial's webhook_url overrides it).
        #[arg(long)]
        webhook_url: Option<String>,
        /// (telnyx) base64 Ed25519 seed that signs webhooks (a fixed test key when absent).
        #[arg(long)]
        signing_key_b64: Option<String>,
        /// (telnyx) accept only this bearer key (any key when absent).
        #[arg(long)]
        api_key: Option<String>,
        /// (twilio) the account SID of the REST API.
        #[arg(long, default_value = "AC00000000000000000000000000000000")]
        account_sid: String,
        /// (twilio) the auth token: Basic-auth password and webhook signing key.
        #[arg(long, default_value = "cc-sim-auth-token")]
        auth_token: String,
        /// (twilio, telnyx) what the callee of each placed call sends.
        #[command(flatten)]
        audio: AudioArgs,
    },
}

/// The seed of the fixed test key (RFC 8032 test 1) used when none is given.
const TEST_SEED_B64: &str = "nWGxne/9WmC6hEr0kuwsxERJxWl7MmkZcDusAxyuf2A=";

#[tokio::main]
async fn main() -> anyhow::Result<()> {
    tracing_subscriber::fmt()
        .with_writer(std::io::stderr)
        .with_env_filter(tracing_subscriber::EnvFilter::from_default_env())
        .init();
    match Cli::parse().command {
        Command::Call { carrier } => call(carrier).await?,
        Command::Serve {
            provider,
            listen,
            fault,
            fault_after,
            drop_after_turns,
            answer_ms,
            webhook_url,
            signing_key_b64,
            api_key,
            account_sid,
            auth_token,
            audio,
        } => {
            let listener = cc_sim::server::bind(&listen).await?;
            eprintln!("cc-sim listening on {}", listener.local_addr()?);
            let audio = cc_sim::caller_audio::CallerAudio::for_call(
                audio.say.as_deref(),
                audio.wav.as_deref(),
                audio.seconds,
            )
            .await
            .map_err(anyhow::Error::msg)?
            .with_dtmf(&audio.dtmf);
            let faults = match drop_after_turns {
                Some(n) => Faults {
                    fault: Some(Fault::Drop),
                    after_answers: n,
                },
                None => Faults {
                    fault,
                    after_answers: fault_after,
                },
            };
            match provider {
                Provider::Openai => {
                    let script = cc_sim::openai::OpenAiScript { faults, answer_ms };
                    cc_sim::openai::serve(listener, script).await
                }
                Provider::Gemini => cc_sim::gemini::serve(listener, faults).await,
                Provider::Deepgram => cc_sim::deepgram::serve(listener, faults).await,
                Provider::Telnyx => {
                    let seed = signing_key_b64.as_deref().unwrap_or(TEST_SEED_B64);
                    let signer = cc_media::telnyx::signature::WebhookSigner::from_seed_b64(seed)?;
                    eprintln!("webhook public key {}", signer.public_key_b64());
                    let config = cc_sim::telnyx_api::TelnyxConfig {
                        api_key,
                        webhook_url,
                        signer,
                        audio,
                    };
                    cc_sim::telnyx_api::TelnyxFake::new(config)
                        .serve(listener)
                        .await
                }
                Provider::Twilio => {
                    let config = cc_sim::twilio_api::TwilioConfig {
                        account_sid,
                        auth_token,
                        audio,
                    };
                    cc_sim::twilio_api::TwilioFake::new(config)
                        .serve(listener)
                        .await
                }
            }
        }
    }
    Ok(())
}

async fn call(carrier: Carrier) -> anyhow::Result<()> {
    let summary = match carrier {
        Carrier::Twilio {
            voice_url,
            account_sid,
            auth_token,
            caller,
        } => {
            let options = cc_sim::twilio_call::CallOptions {
                voice_url,
                account_sid,
                auth_token,
                calls: caller.calls,
                seconds: caller.audio.seconds,
                say: caller.audio.say,
                dtmf: caller.audio.dtmf,
                wav: caller.audio.wav,
            };
            cc_sim::twilio_call::run(options).await
        }
        Carrier::Telnyx {
            webhook_url,
            signing_key_b64,
            api_listen,
            api_key,
            caller,
        } => {
            let signer =
                cc_media::telnyx::signature::WebhookSigner::from_seed_b64(&signing_key_b64)?;
            let api = cc_sim::server::bind(&api_listen).await?;
            eprintln!("cc-sim Call Control API on http://{}/v2", api.local_addr()?);
            let options = cc_sim::telnyx_call::CallOptions {
                webhook_url,
                signer,
                api_key,
                calls: caller.calls,
                seconds: caller.audio.seconds,
                say: caller.audio.say,
                dtmf: caller.audio.dtmf,
                wav: caller.audio.wav,
            };
            cc_sim::telnyx_call::run(options, api).await
        }
    };
    println!("{}", summary.to_json_line());
    Ok(())
}
