//! The `cc-api` binary.

#[actix_web::main]
async fn main() {
    if let Err(e) = cc_api::cli::run().await {
        eprintln!("error: {e:#}");
        std::process::exit(1);
    }
}
