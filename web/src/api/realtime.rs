//! The realtime WebSocket's entry: a one-use ticket, then the socket's address.

use cc_types::auth::WsTicket;

use super::{Api, ApiError};

pub async fn create_ws_ticket(api: Api) -> Result<WsTicket, ApiError> {
    api.post("/api/ws/ticket", &()).await
}

/// Where the socket opens (`open_ws`): this origin, with `ticket` from [`create_ws_ticket`].
pub fn ws_url(ticket: &str) -> Option<String> {
    let location = web_sys::window()?.location();
    let scheme = match location.protocol().ok()?.as_str() {
        "https:" => "wss",
        _ => "ws",
    };
    let host = location.host().ok()?;
    Some(format!("{scheme}://{host}/api/ws?ticket={ticket}"))
}
