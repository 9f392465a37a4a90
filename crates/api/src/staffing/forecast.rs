//! A team's forecast of one local day: saved whole (replacing the day), read back with the
//! day's bounds in UTC. Days are resolved in their zone, so a day of a daylight-saving
//! change has 23 or 25 hours of intervals.

use cc_types::shifts::local_instant;
use cc_types::staffing::{ForecastDayRequest, ForecastQuery, TeamForecast};
use cc_types::workforce::IntervalLength;
use cc_types::{Conflict, ErrorCode};
use chrono::{DateTime, NaiveDate, NaiveTime, TimeDelta, Utc};
use chrono_tz::Tz;
use sea_orm::{
    ActiveModelTrait, ColumnTrait, ConnectionTrait, EntityTrait, IntoActiveModel, ModelTrait,
    QueryFilter, QueryOrder, QuerySelect, TransactionTrait,
};
use uuid::Uuid;

use super::entity as row;
use crate::auth::Principal;
use crate::db::lock_organization;
use crate::error::{ApiError, ApiResult, FieldIssue};
use crate::shifts::service::zone_of;
use crate::state::AppState;
use crate::teams::{entity as team, service as teams};

/// Defaults shown for a day nobody has forecast yet: 30-minute intervals, 80 % within
/// 20 seconds, 3-minute calls, a minute of patience.
const DEFAULTS: (IntervalLength, f64, f64, f64, f64) =
    (IntervalLength::Minutes30, 180.0, 0.8, 20.0, 60.0);

/// Local midnight of `date` and of the next day, in UTC.
pub fn day_bounds(tz: Tz, date: NaiveDate) -> (DateTime<Utc>, DateTime<Utc>) {
    let start = local_instant(tz, date.and_time(NaiveTime::MIN));
    let next = date.succ_opt().unwrap_or(date);
    (start, local_instant(tz, next.and_time(NaiveTime::MIN)))
}

/// The interval length of a stored row.
pub fn interval_of(secs: i32) -> IntervalLength {
    [
        IntervalLength::Minutes15,
        IntervalLength::Minutes30,
        IntervalLength::Hour,
    ]
    .into_iter()
    .find(|i| i64::from(i.secs()) == i64::from(secs))
    .unwrap_or(IntervalLength::Minutes30)
}

fn to_dto(m: &row::Model) -> TeamForecast {
    TeamForecast {
        team_id: m.team_id,
        date: m.local_date.parse().unwrap_or_default(),
        time_zone: m.time_zone.clone(),
        start: m.start_at,
        end: m.end_at,
        interval: interval_of(m.interval_secs),
        calls: m.calls(),
        aht_secs: m.aht_secs,
        service_level: m.service_level,
        answer_within_secs: m.answer_within_secs,
        patience_secs: m.patience_secs,
        updated_by: m.updated_by,
        updated_at: Some(m.updated_at),
    }
}

/// The team, when the caller sees it; else `not_found`.
pub async fn visible_team<C: ConnectionTrait>(
    db: &C,
    caller: &Principal,
    id: Uuid,
) -> ApiResult<team::Model> {
    let (rows, scope) = teams::scope_of(db, caller).await?;
    teams::visible(&scope, &rows, id).cloned()
}

/// The team's forecast of a day, or an empty one with the defaults.
pub async fn get(
    state: &AppState,
    caller: &Principal,
    team_id: Uuid,
    q: &ForecastQuery,
) -> ApiResult<TeamForecast> {
    let db = &state.infra.db;
    visible_team(db, caller, team_id).await?;
    let zone = q.time_zone.clone().unwrap_or_else(|| "UTC".to_owned());
    let today = state
        .infra
        .clock
        .now()
        .with_timezone(&zone_of(&zone))
        .date_naive();
    let date = q.date.unwrap_or(today);
    let saved = row::Entity::find()
        .filter(row::Column::OrganizationId.eq(caller.organization_id))
        .filter(row::Column::TeamId.eq(team_id))
        .filter(row::Column::LocalDate.eq(date.to_string()))
        .one(db)
        .await?;
    if let Some(m) = saved {
        return Ok(to_dto(&m));
    }
    let (start, end) = day_bounds(zone_of(&zone), date);
    let (interval, aht, level, within, patience) = DEFAULTS;
    Ok(TeamForecast {
        team_id,
        date,
        time_zone: zone,
        start,
        end,
        interval,
        calls: Vec::new(),
        aht_secs: aht,
        service_level: level,
        answer_within_secs: within,
        patience_secs: patience,
        updated_by: None,
        updated_at: None,
    })
}

/// Refuses more calls than the day has intervals.
fn check_length(
    body: &ForecastDayRequest,
    start: DateTime<Utc>,
    end: DateTime<Utc>,
) -> ApiResult<()> {
    let secs = (end - start).num_seconds();
    let step = i64::from(body.interval.secs());
    let intervals = (secs + step - 1) / step;
    if body.calls.len() as i64 > intervals {
        return Err(ApiError::Validation(vec![FieldIssue {
            max: Some(intervals),
            ..FieldIssue::new("calls", "day_intervals")
        }]));
    }
    Ok(())
}

/// Another day of the team's forecast that overlaps this one (saved in another zone).
async fn refuse_overlap<C: ConnectionTrait>(
    tx: &C,
    org: Uuid,
    team_id: Uuid,
    date: &str,
    span: (DateTime<Utc>, DateTime<Utc>),
) -> ApiResult<()> {
    let clashes = row::Entity::find()
        .filter(row::Column::OrganizationId.eq(org))
        .filter(row::Column::TeamId.eq(team_id))
        .filter(row::Column::LocalDate.ne(date))
        .filter(row::Column::StartAt.lt(span.1))
        .filter(row::Column::EndAt.gt(span.0))
        .order_by_asc(row::Column::StartAt)
        .limit(5)
        .all(tx)
        .await?;
    if clashes.is_empty() {
        return Ok(());
    }
    Err(ApiError::Blocked {
        code: ErrorCode::ForecastOverlap,
        conflicts: clashes
            .iter()
            .map(|m| Conflict {
                kind: "forecast".into(),
                id: m.id,
                name: format!("{} {}", m.local_date, m.time_zone),
            })
            .collect(),
    })
}

/// Saves the team's forecast of a day, replacing what was there; an empty `calls` removes
/// it. Only admins and the supervisors who manage the team (or a team above it).
pub async fn put(
    state: &AppState,
    caller: &Principal,
    team_id: Uuid,
    body: ForecastDayRequest,
) -> ApiResult<TeamForecast> {
    let zone = body.time_zone.clone().unwrap_or_else(|| "UTC".to_owned());
    let (start, end) = day_bounds(zone_of(&zone), body.date);
    check_length(&body, start, end)?;
    let org = caller.organization_id;
    let date = body.date.to_string();
    let tx = state.infra.db.begin().await?;
    lock_organization(&tx, org).await?;
    visible_team(&tx, caller, team_id).await?;
    refuse_overlap(&tx, org, team_id, &date, (start, end)).await?;
    let old = row::Entity::find()
        .filter(row::Column::OrganizationId.eq(org))
        .filter(row::Column::TeamId.eq(team_id))
        .filter(row::Column::LocalDate.eq(date.clone()))
        .one(&tx)
        .await?;
    let created_at = old.as_ref().map(|m| m.created_at);
    if let Some(old) = old {
        old.delete(&tx).await?;
    }
    let now = state.infra.clock.now();
    let model = row::Model {
        id: Uuid::now_v7(),
        organization_id: org,
        team_id,
        local_date: date,
        time_zone: zone,
        start_at: start,
        end_at: end,
        interval_secs: i32::try_from(body.interval.secs()).unwrap_or(1800),
        calls: serde_json::to_string(&body.calls).unwrap_or_else(|_| "[]".into()),
        aht_secs: body.aht_secs,
        service_level: body.service_level,
        answer_within_secs: body.answer_within_secs,
        patience_secs: body.patience_secs,
        updated_by: caller.user_id,
        created_at: created_at.unwrap_or(now),
        updated_at: now,
    };
    let mut dto = to_dto(&model);
    if body.calls.is_empty() {
        dto.updated_at = None;
    } else {
        model.into_active_model().reset_all().insert(&tx).await?;
    }
    tx.commit().await?;
    let action = if body.calls.is_empty() {
        "clear"
    } else {
        "save"
    };
    metrics::counter!("workforce_forecast_changes_total", "action" => action).increment(1);
    tracing::info!(action, %team_id, date = %body.date, "forecast changed");
    Ok(dto)
}

/// Forecasts of the team that overlap the span, by start.
pub async fn overlapping<C: ConnectionTrait>(
    db: &C,
    org: Uuid,
    team_id: Uuid,
    span: (DateTime<Utc>, DateTime<Utc>),
) -> ApiResult<Vec<row::Model>> {
    Ok(row::Entity::find()
        .filter(row::Column::OrganizationId.eq(org))
        .filter(row::Column::TeamId.eq(team_id))
        .filter(row::Column::StartAt.lt(span.1))
        .filter(row::Column::EndAt.gt(span.0))
        .order_by_asc(row::Column::StartAt)
        .all(db)
        .await?)
}

/// Intervals of a stored day: `(start, end, calls)`.
pub fn slices(m: &row::Model) -> Vec<(DateTime<Utc>, DateTime<Utc>, f64)> {
    let step = TimeDelta::seconds(i64::from(m.interval_secs.max(60)));
    let mut at = m.start_at;
    m.calls()
        .into_iter()
        .map_while(|calls| {
            let end = (at + step).min(m.end_at);
            let slice = (at < m.end_at).then_some((at, end, calls));
            at = end;
            slice
        })
        .collect()
}
