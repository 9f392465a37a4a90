//! The demo organization: one user per role, all with the same password. Idempotent.

use cc_types::Role;
use cc_types::users::CreateUserRequest;
use sea_orm::{ColumnTrait, EntityTrait, QueryFilter};

use crate::error::ApiError;
use crate::organizations::service as organizations;
use crate::state::AppState;
use crate::users::{entity as user, service as users};

/// Name of the demo organization.
pub const DEMO_ORG: &str = "Demo Contact Center";
/// Password of every demo user.
pub const DEMO_PASSWORD: &str = "cc-lite-demo";

/// The demo login of a role.
pub fn demo_email(role: Role) -> String {
    format!("{}@demo.cc-lite.test", role.as_str())
}

/// Creates whatever of the demo organization is missing; answers the logins.
pub async fn demo(state: &AppState) -> anyhow::Result<Vec<(Role, String)>> {
    let org = match organizations::find_by_name(state, DEMO_ORG)
        .await
        .map_err(to_anyhow)?
    {
        Some(o) => o.id,
        None => organizations::create_with_admin(
            state,
            DEMO_ORG,
            &demo_email(Role::Admin),
            DEMO_PASSWORD,
        )
        .await
        .map_err(to_anyhow)?,
    };
    for role in Role::ALL {
        let email = demo_email(role);
        let exists = user::Entity::find()
            .filter(user::Column::Email.eq(&email))
            .one(&state.infra.db)
            .await?
            .is_some();
        if !exists {
            let display_name = format!("Demo {}", role.as_str());
            let req = CreateUserRequest {
                email,
                display_name,
                role,
                password: DEMO_PASSWORD.into(),
                language: None,
            };
            users::insert(state, org, req).await.map_err(to_anyhow)?;
        }
    }
    Ok(Role::ALL.into_iter().map(|r| (r, demo_email(r))).collect())
}

fn to_anyhow(e: ApiError) -> anyhow::Error {
    anyhow::anyhow!("{e}")
}
