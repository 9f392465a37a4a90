//! Schedules (`/api/shifts`, `/api/shift-templates`).

use cc_types::Page;
use cc_types::shifts::{
    CreateShiftRequest, CurrentShifts, ScheduleRequest, ScheduleResult, Shift, ShiftListQuery,
    ShiftTemplate, ShiftTemplateListQuery, ShiftTemplateRequest, UpdateShiftRequest,
};
use uuid::Uuid;

use super::client::with_query;
use super::{Api, ApiError};

pub async fn list_shifts(api: Api, query: &ShiftListQuery) -> Result<Page<Shift>, ApiError> {
    api.get(&with_query("/api/shifts", query)).await
}

pub async fn create_shift(api: Api, req: &CreateShiftRequest) -> Result<Shift, ApiError> {
    api.post("/api/shifts", req).await
}

pub async fn update_shift(api: Api, id: Uuid, req: &UpdateShiftRequest) -> Result<Shift, ApiError> {
    api.patch(&format!("/api/shifts/{id}"), req).await
}

pub async fn delete_shift(api: Api, id: Uuid) -> Result<(), ApiError> {
    api.delete(&format!("/api/shifts/{id}")).await
}

pub async fn schedule(api: Api, req: &ScheduleRequest) -> Result<ScheduleResult, ApiError> {
    api.post("/api/shifts/schedule", req).await
}

pub async fn current(api: Api, team: Option<Uuid>) -> Result<CurrentShifts, ApiError> {
    match team {
        Some(t) => api.get(&format!("/api/shifts/current?team_id={t}")).await,
        None => api.get("/api/shifts/current").await,
    }
}

pub async fn list_templates(api: Api) -> Result<Page<ShiftTemplate>, ApiError> {
    let query = ShiftTemplateListQuery {
        limit: Some(500),
        offset: None,
    };
    api.get(&with_query("/api/shift-templates", &query)).await
}

pub async fn create_template(
    api: Api,
    req: &ShiftTemplateRequest,
) -> Result<ShiftTemplate, ApiError> {
    api.post("/api/shift-templates", req).await
}

pub async fn delete_template(api: Api, id: Uuid) -> Result<(), ApiError> {
    api.delete(&format!("/api/shift-templates/{id}")).await
}

pub async fn list_time_off(
    api: Api,
    query: &cc_types::time_off::TimeOffListQuery,
) -> Result<Page<cc_types::time_off::TimeOff>, ApiError> {
    api.get(&with_query("/api/time-off", query)).await
}

pub async fn request_time_off(
    api: Api,
    req: &cc_types::time_off::TimeOffRequest,
) -> Result<cc_types::time_off::TimeOff, ApiError> {
    api.post("/api/time-off", req).await
}

pub async fn decide_time_off(
    api: Api,
    id: Uuid,
    approve: bool,
) -> Result<cc_types::time_off::TimeOff, ApiError> {
    let body = cc_types::time_off::TimeOffDecision {
        approve,
        note: None,
    };
    api.post(&format!("/api/time-off/{id}/decision"), &body)
        .await
}

pub async fn cancel_time_off(api: Api, id: Uuid) -> Result<cc_types::time_off::TimeOff, ApiError> {
    api.delete(&format!("/api/time-off/{id}")).await
}

pub async fn adherence(
    api: Api,
    agent: Uuid,
    query: &cc_types::adherence::AdherenceQuery,
) -> Result<cc_types::adherence::AgentAdherence, ApiError> {
    api.get(&with_query(
        &format!("/api/agents/{agent}/adherence"),
        query,
    ))
    .await
}

pub async fn team_forecast(
    api: Api,
    team: Uuid,
    query: &cc_types::staffing::ForecastQuery,
) -> Result<cc_types::staffing::TeamForecast, ApiError> {
    api.get(&with_query(&format!("/api/teams/{team}/forecast"), query))
        .await
}

pub async fn save_forecast(
    api: Api,
    team: Uuid,
    req: &cc_types::staffing::ForecastDayRequest,
) -> Result<cc_types::staffing::TeamForecast, ApiError> {
    api.put(&format!("/api/teams/{team}/forecast"), req).await
}

pub async fn team_staffing(
    api: Api,
    team: Uuid,
    query: &cc_types::staffing::StaffingQuery,
) -> Result<cc_types::staffing::TeamStaffing, ApiError> {
    api.get(&with_query(&format!("/api/teams/{team}/staffing"), query))
        .await
}

pub async fn agent_performance(
    api: Api,
    agent: Uuid,
    query: &cc_types::performance::PerformanceQuery,
) -> Result<cc_types::performance::Performance, ApiError> {
    api.get(&with_query(
        &format!("/api/agents/{agent}/performance"),
        query,
    ))
    .await
}

pub async fn team_performance(
    api: Api,
    team: Uuid,
    query: &cc_types::performance::PerformanceQuery,
) -> Result<cc_types::performance::Performance, ApiError> {
    api.get(&with_query(
        &format!("/api/teams/{team}/performance"),
        query,
    ))
    .await
}
