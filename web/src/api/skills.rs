//! The skill catalogue (`/api/skills`).

use cc_types::Page;
use cc_types::skills::{Skill, SkillListQuery, SkillRequest};
use uuid::Uuid;

use super::client::with_query;
use super::{Api, ApiError};

pub async fn list_skills(api: Api, query: &SkillListQuery) -> Result<Page<Skill>, ApiError> {
    api.get(&with_query("/api/skills", query)).await
}

pub async fn create_skill(api: Api, req: &SkillRequest) -> Result<Skill, ApiError> {
    api.post("/api/skills", req).await
}

pub async fn rename_skill(api: Api, id: Uuid, req: &SkillRequest) -> Result<Skill, ApiError> {
    api.patch(&format!("/api/skills/{id}"), req).await
}

pub async fn delete_skill(api: Api, id: Uuid) -> Result<(), ApiError> {
    api.delete(&format!("/api/skills/{id}")).await
}
