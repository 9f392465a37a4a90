//! The `cc-api` command line: serve | migrate | openapi | seed | backup | restore | org create.

use anyhow::Context;
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
    /// Write a consistent copy of the embedded SQLite database (safe while serving).
    Backup {
        /// The file to write (must not exist).
        #[arg(long)]
        to: std::path::PathBuf,
    },
    /// Replace the embedded SQLite database with a backup (stop the server first).
    Restore {
        /// The backup to restore.
        #[arg(long)]
        from: std::path::PathBuf,
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
        /// The first admin's password. Visible to other users in the process list: prefer
        /// `--admin-password-file`. Generated and printed once when neither is given.
        #[arg(long, conflicts_with = "admin_password_file")]
        admin_password: Option<String>,
        /// A file holding the first admin's password (its first line), or `-` to read it
        /// from standard input.
        #[arg(long)]
        admin_password_file: Option<std::path::PathBuf>,
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
                    admin_password_file,
                },
        } => {
            let given = match (admin_password, admin_password_file) {
                (Some(p), _) => Some(p),
                (None, Some(file)) => Some(read_password(&file)?),
                (None, None) => None,
            };
            let state = build_state(config).await?;
            let generated = given.is_none();
            let password = given.unwrap_or_else(generate_password);
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
        Command::Backup { to } => {
            let bytes = crate::backup::backup(&config, &to).await?;
            println!("backup written to {} ({bytes} bytes)", to.display());
        }
        Command::Restore { from } => {
            crate::backup::restore(&config, &from).await?;
            println!("restored from {}", from.display());
        }
        Command::Openapi => {}
    }
    Ok(())
}

/// The first line of `file` (or of standard input for `-`), without its line ending.
fn read_password(file: &std::path::Path) -> anyhow::Result<String> {
    let text = if file.as_os_str() == "-" {
        let mut line = String::new();
        std::io::stdin()
            .read_line(&mut line)
            .context("reading the admin password from standard input")?;
        line
    } else {
        std::fs::read_to_string(file)
            .with_context(|| format!("reading the admin password from {}", file.display()))?
    };
    let password = text.lines().next().unwrap_or_default().to_owned();
    if password.is_empty() {
        anyhow::bail!("the admin password given is empty");
    }
    Ok(password)
}

fn generate_password() -> String {
    const ALPHABET: &[u8] = b"abcdefghijkmnopqrstuvwxyzABCDEFGHJKLMNPQRSTUVWXYZ23456789";
    let mut rng = rand::thread_rng();
    (0..20)
        .map(|_| ALPHABET[rng.gen_range(0..ALPHABET.len())] as char)
        .collect()
}
