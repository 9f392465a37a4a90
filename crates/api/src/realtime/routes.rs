//! `POST /api/ws/ticket` and `GET /api/ws`.

use std::time::Duration;

use actix_web::{HttpRequest, HttpResponse, get, post, web};
use cc_types::ErrorCode;
use cc_types::auth::WsTicket;
use serde::{Deserialize, Serialize};

use super::connection::{self, Caller};
use crate::auth::service::random_secret;
use crate::auth::{Access, AnyRole, Auth, access};
use crate::error::{ApiError, ApiResult};
use crate::state::AppState;

/// Issues a single-use ticket, valid for a few seconds, for opening the WebSocket.
/// Tokens never travel in a URL; tickets do, once.
#[utoipa::path(
    tag = "realtime",
    responses((status = 200, description = "A ticket", body = WsTicket))
)]
#[post("/ws/ticket")]
pub async fn create_ws_ticket(
    state: web::Data<AppState>,
    auth: Auth<AnyRole>,
) -> ApiResult<web::Json<WsTicket>> {
    let ticket = random_secret();
    let caller = Caller {
        org: auth.organization_id,
        user_id: auth.user_id,
        role: auth.role,
        session_id: auth.session_id,
    };
    let ttl = state.infra.config.ws_ticket_ttl_secs;
    let stamped = Ticket {
        caller,
        // The store's expiry is Redis's clock; this one is ours, checked on use.
        expires_at: state.infra.clock.now().timestamp_millis() + (ttl as i64) * 1000,
    };
    let value = serde_json::to_string(&stamped).map_err(anyhow::Error::from)?;
    state
        .infra
        .store
        .put(&format!("wsticket:{ticket}"), &value, ttl)
        .await
        .map_err(ApiError::Unavailable)?;
    Ok(web::Json(WsTicket {
        ticket,
        expires_in: ttl,
    }))
}

/// What a ticket stands for until it is used or expires.
#[derive(Serialize, Deserialize)]
struct Ticket {
    caller: Caller,
    /// Unix milliseconds.
    expires_at: i64,
}

/// True when the request asks to switch to the WebSocket protocol.
fn is_upgrade(req: &HttpRequest) -> bool {
    req.headers()
        .get(actix_web::http::header::UPGRADE)
        .and_then(|v| v.to_str().ok())
        .is_some_and(|v| v.eq_ignore_ascii_case("websocket"))
}

/// `?ticket=` of the WebSocket upgrade.
#[derive(Debug, Deserialize, utoipa::IntoParams)]
#[into_params(parameter_in = Query)]
pub struct WsQuery {
    /// A ticket from `POST /api/ws/ticket`.
    pub ticket: String,
}

/// Opens the realtime WebSocket. Send `{"type":"subscribe","topic":"organization"}`;
/// receive `ServerMessage`s (see the schema).
#[utoipa::path(
    tag = "realtime",
    params(WsQuery),
    responses(
        (status = 101, description = "Switching to the WebSocket protocol"),
        (status = 426, description = "Not a WebSocket upgrade request (`websocket_upgrade_required`)", body = cc_types::Problem, content_type = "application/problem+json"),
        (status = 401, description = "Ticket missing, expired or used", body = cc_types::Problem, content_type = "application/problem+json"),
        (status = 429, description = "The user holds the most realtime connections allowed", body = cc_types::Problem, content_type = "application/problem+json")
    )
)]
#[get("/ws")]
pub async fn open_ws(
    req: HttpRequest,
    body: web::Payload,
    state: web::Data<AppState>,
) -> ApiResult<HttpResponse> {
    let ticket = web::Query::<WsQuery>::from_query(req.query_string())
        .map_err(|_| ApiError::Client(ErrorCode::TicketInvalid))?;
    let key = format!("wsticket:{}", ticket.ticket);
    let value = state
        .infra
        .store
        .take(&key)
        .await
        .map_err(ApiError::Unavailable)?;
    let now = state.infra.clock.now().timestamp_millis();
    let ticket = value
        .as_deref()
        .and_then(|v| serde_json::from_str::<Ticket>(v).ok())
        .filter(|t| t.expires_at > now)
        .ok_or(ApiError::Client(ErrorCode::TicketInvalid))?;
    if !is_upgrade(&req) {
        // A plain GET does not spend the ticket: it goes back for the real handshake.
        let ttl = u64::try_from((ticket.expires_at - now) / 1000)
            .unwrap_or(0)
            .max(1);
        if let Some(v) = &value {
            state
                .infra
                .store
                .put(&key, v, ttl)
                .await
                .map_err(ApiError::Unavailable)?;
        }
        return Err(ApiError::Client(ErrorCode::WebsocketUpgradeRequired));
    }
    let caller = ticket.caller;
    let registered = state
        .infra
        .hub
        .register(&caller)
        .map_err(|_| ApiError::Client(ErrorCode::TooManyConnections))?;
    let (res, session, stream) = match actix_ws::handle(&req, body) {
        Ok(parts) => parts,
        Err(e) => {
            state.infra.hub.unregister(&registered.0);
            tracing::debug!(error = %e, "websocket handshake refused");
            return Err(ApiError::Client(ErrorCode::WebsocketUpgradeRequired));
        }
    };
    let limits = connection::Limits {
        heartbeat: Duration::from_secs(state.infra.config.ws_heartbeat_secs),
        max_topics: state.infra.config.ws_max_topics,
    };
    // An agent's desktop counts from before the welcome is sent until the socket ends.
    let person = caller.user_id.map(|user| (caller.org, user));
    if let Some((org, user)) = person {
        crate::presence::timers::connected(&state, org, user).await;
    }
    let run = connection::run(
        state.infra.hub.clone(),
        state.infra.db.clone(),
        caller,
        registered,
        (session, stream),
        limits,
    );
    actix_web::rt::spawn(async move {
        run.await;
        if let Some((org, user)) = person {
            crate::presence::timers::disconnected(&state, org, user).await;
        }
    });
    Ok(res)
}

/// Who may call each operation of this module; the OpenAPI security requirements are
/// generated from it, and the role matrix test checks it against the handlers' `Auth<P>`.
pub const POLICIES: &[(&str, Access)] = &[("create_ws_ticket", access::<AnyRole>())];

/// Registers the routes.
pub fn configure(cfg: &mut utoipa_actix_web::service_config::ServiceConfig) {
    cfg.service(create_ws_ticket).service(open_ws);
}
