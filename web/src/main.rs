//! CC-Lite web app: a Leptos client-side-rendered SPA for agents, supervisors and admins.

mod api;
mod app;
mod components;
mod context;
mod format;
mod labels;
mod pages;
mod realtime;
mod routes;
mod shell;

include!(concat!(env!("OUT_DIR"), "/i18n/mod.rs"));

fn main() {
    console_error_panic_hook::set_once();
    leptos::mount::mount_to_body(app::App);
}
