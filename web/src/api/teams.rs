//! Teams (`/api/teams`).

use cc_types::Page;
use cc_types::teams::{CreateTeamRequest, Team, TeamListQuery, UpdateTeamRequest};
use uuid::Uuid;

use super::client::with_query;
use super::{Api, ApiError};

pub async fn list_teams(api: Api, query: &TeamListQuery) -> Result<Page<Team>, ApiError> {
    api.get(&with_query("/api/teams", query)).await
}

pub async fn create_team(api: Api, req: &CreateTeamRequest) -> Result<Team, ApiError> {
    api.post("/api/teams", req).await
}

pub async fn update_team(api: Api, id: Uuid, req: &UpdateTeamRequest) -> Result<Team, ApiError> {
    api.patch(&format!("/api/teams/{id}"), req).await
}

pub async fn delete_team(api: Api, id: Uuid, move_to: Option<Uuid>) -> Result<(), ApiError> {
    let path = match move_to {
        Some(to) => format!("/api/teams/{id}?move_to={to}"),
        None => format!("/api/teams/{id}"),
    };
    api.delete(&path).await
}
