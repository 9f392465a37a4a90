//! The `cc-api` command line: serve | migrate | openapi | seed | org create.

use clap::{Parser, Subcommand};
use rand::Rng;

use crate::config::Config;
use crate::startup::{Application, build_state, document};

/// CC-Lite API server.
#[derive(Debug, Parser)]
#[command(
    name = "cc-api",
    version,
    about = "CC-Lite REST + WebSocket API server"
)]
pub struct Cli {
    #[command(subcommand)]
    command: Command,
}

#[derive(Debug, Subcommand)]
enum Command {
    /// Migrate the database and serve the API.
    Serve,
    /// Apply pending database migrations and exit.
    Migrate,
    /// Print the OpenAPI document.
    Openapi,
    /// Seed data.
    Seed {
        /// Create the demo organization with one user per role.
        #[arg(long)]
        demo: bool,
    },
    /// Manage organizations.
    Org {
        #[command(subcommand)]
        action: OrgAction,
    },
}

#[derive(Debug, Subcommand)]
enum OrgAction {
    /// Create an organization with its first admin.
    Create {
        /// Display name, unique.
        #[arg(long)]
        name: String,
        /// The first admin's email.
        #[arg(long)]
        admin_email: String,
        /// The first admin's password (generated and printed once when omitted).
        #[arg(long)]
        admin_password: Option<String>,
    },
}

/// Runs the command line.
pub async fn run() -> anyhow::Result<()> {
    let cli = Cli::parse();
    if let Command::Openapi = cli.command {
        println!("{}", document().to_pretty_json()?);
        return Ok(());
    }
    let config = Config::load()?;
    crate::telemetry::init_logging(&config);
    match cli.command {
        Command::Serve => {
            let app = Application::build(config).await?;
            tracing::info!(port = app.port(), "cc-api serving");
            app.run_until_stopped().await?;
        }
        Command::Migrate => {
            let db = crate::db::connect(&config).await?;
            crate::db::migrate(&db).await?;
            println!("migrations applied");
        }
        Command::Seed { demo } => {
            if !demo {
                anyhow::bail!("nothing to seed: pass --demo");
            }
            let state = build_state(config).await?;
            let logins = crate::seed::demo(&state).await?;
            println!(
                "Demo organization \"{}\" is ready. Sign in with:",
                crate::seed::DEMO_ORG
            );
            for (role, email) in logins {
                println!(
                    "  {:<10} {email}  /  {}",
                    role.as_str(),
                    crate::seed::DEMO_PASSWORD
                );
            }
        }
        Command::Org {
            action:
                OrgAction::Create {
                    name,
                    admin_email,
                    admin_password,
                },
        } => {
            let state = build_state(config).await?;
            let generated = admin_password.is_none();
            let password = admin_password.unwrap_or_else(generate_password);
            let id = crate::organizations::service::create_with_admin(
                &state,
                &name,
                &admin_email,
                &password,
            )
            .await
            .map_err(|e| anyhow::anyhow!("{e}"))?;
            println!("organization {id} created; admin {admin_email}");
            if generated {
                println!("admin password (shown once): {password}");
            }
        }
        Command::Openapi => {}
    }
    Ok(())
}

fn generate_password() -> String {
    const ALPHABET: &[u8] = b"abcdefghijkmnopqrstuvwxyzABCDEFGHJKLMNPQRSTUVWXYZ23456789";
    let mut rng = rand::thread_rng();
    (0..20)
        .map(|_| ALPHABET[rng.gen_range(0..ALPHABET.len())] as char)
        .collect()
}
