//! Agent profiles (`/api/agents`).

use cc_types::Page;
use cc_types::agents::{
    Agent, AgentListQuery, AssignAgentRequest, CreateAgentRequest, UpdateAgentRequest,
};
use uuid::Uuid;

use super::client::with_query;
use super::{Api, ApiError};

pub async fn list_agents(api: Api, query: &AgentListQuery) -> Result<Page<Agent>, ApiError> {
    api.get(&with_query("/api/agents", query)).await
}

pub async fn create_agent(api: Api, req: &CreateAgentRequest) -> Result<Agent, ApiError> {
    api.post("/api/agents", req).await
}

pub async fn update_agent(api: Api, id: Uuid, req: &UpdateAgentRequest) -> Result<Agent, ApiError> {
    api.patch(&format!("/api/agents/{id}"), req).await
}

pub async fn assign_agent(api: Api, id: Uuid, team_id: Option<Uuid>) -> Result<Agent, ApiError> {
    api.put(
        &format!("/api/agents/{id}/assign"),
        &AssignAgentRequest { team_id },
    )
    .await
}

pub async fn delete_agent(api: Api, id: Uuid) -> Result<(), ApiError> {
    api.delete(&format!("/api/agents/{id}")).await
}

pub async fn import_agents(
    api: Api,
    req: &cc_types::agent_import::AgentImportRequest,
) -> Result<cc_types::agent_import::AgentImportReport, ApiError> {
    api.post("/api/agents/import", req).await
}
