//! `cc-sim serve <openai|gemini|deepgram> --listen ADDR`: run one fake provider.
//! `cc-sim call twilio --voice-url URL --account-sid SID --auth-token TOKEN [--calls N]
//! [--seconds S]`: place calls as Twilio does and print one JSON summary line.

use clap::{Parser, Subcommand, ValueEnum};

#[derive(Parser)]
#[command(
    name = "cc-sim",
    about = "Loopback fakes of the CC-Lite voice providers"
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
}

#[derive(Clone, Copy, ValueEnum)]
enum Carrier {
    Twilio,
}

#[derive(Subcommand)]
enum Command {
    /// Place calls against an app as the carrier does, then print a JSON summary line.
    Call {
        /// Which carrier to imitate.
        carrier: Carrier,
        /// The app's voice webhook URL.
        #[arg(long)]
        voice_url: String,
        /// Account SID to sign and report with.
        #[arg(long)]
        account_sid: String,
        /// Auth token to sign with.
        #[arg(long)]
        auth_token: String,
        /// Concurrent calls.
        #[arg(long, default_value_t = 1)]
        calls: usize,
        /// Seconds of caller audio per call.
        #[arg(long, default_value_t = 10)]
        seconds: u32,
    },
    /// Run one fake provider on ADDR under the provider's own paths.
    Serve {
        /// Which provider to fake.
        provider: Provider,
        /// Address to listen on, e.g. 127.0.0.1:9001.
        #[arg(long)]
        listen: String,
        /// (openai) drop each connection without a close frame after N responses.
        #[arg(long)]
        drop_after_turns: Option<u32>,
        /// (openai) length of each synthetic answer in ms.
        #[arg(long, default_value_t = 1000)]
        answer_ms: u32,
    },
}

#[tokio::main]
async fn main() -> anyhow::Result<()> {
    tracing_subscriber::fmt()
        .with_env_filter(tracing_subscriber::EnvFilter::from_default_env())
        .init();
    match Cli::parse().command {
        Command::Call {
            carrier: Carrier::Twilio,
            voice_url,
            account_sid,
            auth_token,
            calls,
            seconds,
        } => {
            let options = cc_sim::twilio_call::CallOptions {
                voice_url,
                account_sid,
                auth_token,
                calls,
                seconds,
            };
            let summary = cc_sim::twilio_call::run(options).await;
            println!("{}", serde_json::to_string(&summary)?);
        }
        Command::Serve {
            provider,
            listen,
            drop_after_turns,
            answer_ms,
        } => {
            let listener = cc_sim::server::bind(&listen).await?;
            eprintln!("cc-sim listening on {}", listener.local_addr()?);
            match provider {
                Provider::Openai => {
                    cc_sim::openai::serve(
                        listener,
                        cc_sim::openai::OpenAiScript {
                            drop_after_turns,
                            answer_ms,
                        },
                    )
                    .await
                }
                Provider::Gemini => cc_sim::gemini::serve(listener).await,
                Provider::Deepgram => cc_sim::deepgram::serve(listener).await,
            }
        }
    }
    Ok(())
}
