//! Presence (`/api/agents/.../state`, `/api/not-ready-reasons`).

use cc_types::agents::Agent;
use cc_types::presence::{AgentPresence, ChangeStateRequest, NotReadyReasonDef};
use uuid::Uuid;

use super::{Api, ApiError};

pub async fn my_agent(api: Api) -> Result<Agent, ApiError> {
    api.get("/api/agents/me").await
}

pub async fn change_my_state(
    api: Api,
    req: &ChangeStateRequest,
) -> Result<AgentPresence, ApiError> {
    api.post("/api/agents/me/state", req).await
}

pub async fn force_state(
    api: Api,
    agent: Uuid,
    req: &ChangeStateRequest,
) -> Result<AgentPresence, ApiError> {
    api.post(&format!("/api/agents/{agent}/state"), req).await
}

pub async fn list_reasons(api: Api) -> Result<Vec<NotReadyReasonDef>, ApiError> {
    api.get("/api/not-ready-reasons").await
}
