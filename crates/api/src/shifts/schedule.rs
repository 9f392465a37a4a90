//! A weekly pattern applied to a span of dates: the template's shift for every agent on
//! every chosen weekday, in each agent's time zone, skipping the exceptions. One
//! transaction: an overlap anywhere refuses everything, naming it.

use std::collections::BTreeSet;

use cc_types::ErrorCode;
use cc_types::shifts::{MAX_SCHEDULE_DAYS, ScheduleRequest, ScheduleResult, Weekday};
use chrono::{Datelike, Days, NaiveDate};
use sea_orm::TransactionTrait;

use super::service::{NewShift, agent_zone, announce, insert, managed_agent, to_dto, zone_of};
use super::templates::{breaks_of, get as template};
use super::time::from_template;
use crate::agents::scope::Reach;
use crate::auth::Principal;
use crate::db::lock_organization;
use crate::error::{ApiError, ApiResult, FieldIssue};
use crate::state::AppState;

/// The dates from `from` to `to` (inclusive) on the chosen weekdays, less the exceptions;
/// or the field issue with the span.
pub fn dates(req: &ScheduleRequest) -> Result<Vec<NaiveDate>, FieldIssue> {
    let days = (req.to - req.from).num_days();
    if days < 0 {
        return Err(FieldIssue::new("to", "after_from"));
    }
    if days > MAX_SCHEDULE_DAYS {
        return Err(FieldIssue {
            max: Some(MAX_SCHEDULE_DAYS),
            ..FieldIssue::new("to", "max_days")
        });
    }
    let wanted: BTreeSet<u8> = req.weekdays.iter().map(|d| *d as u8).collect();
    let except: BTreeSet<NaiveDate> = req.except.iter().copied().collect();
    Ok((0..=days)
        .filter_map(|i| req.from.checked_add_days(Days::new(i as u64)))
        .filter(|d| wanted.contains(&(Weekday::from(d.weekday()) as u8)))
        .filter(|d| !except.contains(d))
        .collect())
}

/// Creates the shifts of the pattern, all or none.
pub async fn apply(
    state: &AppState,
    caller: &Principal,
    req: ScheduleRequest,
) -> ApiResult<ScheduleResult> {
    let org = caller.organization_id;
    let tx = state.infra.db.begin().await?;
    lock_organization(&tx, org).await?;
    let tpl = template(&tx, org, req.template_id)
        .await
        .map_err(|e| match e {
            ApiError::Client(ErrorCode::NotFound) => ApiError::MissingReference("template_id"),
            other => other,
        })?;
    let reach = Reach::of(&tx, caller).await?;
    let mut agents = Vec::new();
    for id in req.agent_ids.iter().collect::<BTreeSet<_>>() {
        agents.push(managed_agent(&tx, caller, &reach, *id).await?);
    }
    let days = dates(&req).map_err(|i| ApiError::Validation(vec![i]))?;
    let breaks = breaks_of(&tpl);
    let now = state.infra.clock.now();
    let mut created = Vec::new();
    for agent in agents {
        let time_zone = agent_zone(&agent, req.time_zone.as_deref());
        let tz = zone_of(&time_zone);
        for day in &days {
            let (start, end, cut) =
                from_template(tz, *day, &tpl.start_time, &tpl.end_time, &breaks);
            let row = insert(
                &tx,
                org,
                now,
                NewShift {
                    agent: agent.clone(),
                    start,
                    end,
                    breaks: cut,
                    template_id: Some(tpl.id),
                    time_zone: time_zone.clone(),
                },
            )
            .await?;
            created.push(to_dto(row));
        }
    }
    tx.commit().await?;
    let agents = created.iter().map(|s| s.agent_id).collect();
    announce(state, org, "schedule", agents, created.len()).await;
    Ok(ScheduleResult { created })
}
