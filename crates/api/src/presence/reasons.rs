//! The organization's not-ready reasons: the four built-in ones (break, lunch, training,
//! meeting; their longest duration can be changed, they cannot be deleted) and its own.

use std::collections::BTreeMap;

use cc_types::ErrorCode;
use cc_types::presence::{BUILT_IN_REASONS, NotReadyReasonDef, NotReadyReasonRequest};
use sea_orm::{ActiveModelTrait, ColumnTrait, ConnectionTrait, EntityTrait, QueryFilter, Set};
use uuid::Uuid;

use super::entity::reason;
use crate::error::{ApiError, ApiResult};
use crate::state::AppState;

/// Most reasons an organization may define (besides the built-in ones).
pub const MAX_REASONS: usize = 100;

/// The code a not-ready change without a reason records; limited only if the organization
/// defines it.
pub const UNSPECIFIED: &str = "unspecified";

fn built_in(code: &str) -> Option<Option<u32>> {
    BUILT_IN_REASONS
        .iter()
        .find(|(c, _)| *c == code)
        .map(|(_, max)| *max)
}

/// Every reason of the organization: built-in first, then its own by code.
pub async fn list<C: ConnectionTrait>(db: &C, org: Uuid) -> ApiResult<Vec<NotReadyReasonDef>> {
    let stored: BTreeMap<String, reason::Model> = reason::Entity::find()
        .filter(reason::Column::OrganizationId.eq(org))
        .all(db)
        .await?
        .into_iter()
        .map(|r| (r.code.clone(), r))
        .collect();
    let max = |r: &reason::Model| r.max_duration_secs.and_then(|s| u32::try_from(s).ok());
    let mut out: Vec<NotReadyReasonDef> = BUILT_IN_REASONS
        .iter()
        .map(|(code, default)| NotReadyReasonDef {
            code: (*code).to_owned(),
            name: None,
            max_duration_secs: stored.get(*code).map_or(*default, max),
            built_in: true,
        })
        .collect();
    out.extend(
        stored
            .values()
            .filter(|r| built_in(&r.code).is_none())
            .map(|r| NotReadyReasonDef {
                code: r.code.clone(),
                name: r.name.clone(),
                max_duration_secs: max(r),
                built_in: false,
            }),
    );
    Ok(out)
}

/// True when the organization has the reason (or it is `unspecified`).
pub async fn exists<C: ConnectionTrait>(db: &C, org: Uuid, code: &str) -> ApiResult<bool> {
    Ok(code == UNSPECIFIED || list(db, org).await?.iter().any(|r| r.code == code))
}

/// The longest duration of a reason, if it has one.
pub async fn max_duration<C: ConnectionTrait>(
    db: &C,
    org: Uuid,
    code: &str,
) -> ApiResult<Option<u32>> {
    Ok(list(db, org)
        .await?
        .into_iter()
        .find(|r| r.code == code)
        .and_then(|r| r.max_duration_secs))
}

/// Adds a reason or changes one; a custom reason needs a name.
pub async fn put(
    state: &AppState,
    org: Uuid,
    code: &str,
    req: NotReadyReasonRequest,
) -> ApiResult<NotReadyReasonDef> {
    let db = &state.infra.db;
    let is_built_in = built_in(code).is_some();
    let existing = reason::Entity::find_by_id((org, code.to_owned()))
        .one(db)
        .await?;
    let name = (!is_built_in).then(|| req.name.trim().to_owned());
    match existing {
        Some(row) => {
            let mut active: reason::ActiveModel = row.into();
            active.name = Set(name);
            active.max_duration_secs = Set(req.max_duration_secs.map(|s| s as i32));
            active.update(db).await?;
        }
        None => {
            let own = list(db, org).await?.iter().filter(|r| !r.built_in).count();
            if !is_built_in && own >= MAX_REASONS {
                return Err(ErrorCode::LimitReached.into());
            }
            reason::ActiveModel {
                organization_id: Set(org),
                code: Set(code.to_owned()),
                name: Set(name),
                max_duration_secs: Set(req.max_duration_secs.map(|s| s as i32)),
                created_at: Set(state.infra.clock.now()),
            }
            .insert(db)
            .await?;
        }
    }
    list(db, org)
        .await?
        .into_iter()
        .find(|r| r.code == code)
        .ok_or(ApiError::Client(ErrorCode::NotFound))
}

/// Deletes one of the organization's own reasons; agents not ready for it stay so.
pub async fn delete(state: &AppState, org: Uuid, code: &str) -> ApiResult<()> {
    if built_in(code).is_some() {
        return Err(ErrorCode::ReasonBuiltIn.into());
    }
    let done = reason::Entity::delete_many()
        .filter(reason::Column::OrganizationId.eq(org))
        .filter(reason::Column::Code.eq(code))
        .exec(&state.infra.db)
        .await?;
    if done.rows_affected == 0 {
        return Err(ErrorCode::NotFound.into());
    }
    Ok(())
}
