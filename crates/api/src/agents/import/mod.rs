//! Bulk create and update of agent profiles from CSV (admins): every row is checked
//! against the organization's users, teams, skills and extensions before anything is
//! written; one wrong cell and nothing changes, with every wrong cell in the report. A dry
//! run checks and reports only. The whole file is one transaction.

mod csv;

use std::collections::{HashMap, HashSet};

use cc_types::agent_import::{AgentImportReport, AgentImportRequest, ImportIssue, MAX_IMPORT_ROWS};
use cc_types::agents::{AgentSkill, LanguageTag};
use cc_types::events::{DomainEvent, Topic};
use sea_orm::{
    ActiveModelTrait, ColumnTrait, DatabaseTransaction, EntityTrait, IntoActiveModel, QueryFilter,
    Set, TransactionTrait,
};
use uuid::Uuid;

use super::entity::agent;
use super::service::writes::{languages_json, put_skills};
use crate::auth::Principal;
use crate::db::{enums::DbRole, lock_organization};
use crate::error::ApiResult;
use crate::skills::entity as skill;
use crate::state::AppState;
use crate::teams::entity as team;
use crate::users::entity as user;

const COLUMNS: [&str; 6] = ["email", "name", "team", "skills", "languages", "extension"];

/// What one row changes; `None` keeps what the profile has.
struct Plan {
    user_id: Uuid,
    agent: Option<agent::Model>,
    name: Option<String>,
    team: Option<Option<Uuid>>,
    skills: Option<Vec<AgentSkill>>,
    languages: Option<Vec<LanguageTag>>,
    extension: Option<Option<String>>,
}

/// The organization's rows the checks look names up in.
struct World {
    users: HashMap<String, user::Model>,
    teams: HashMap<String, Uuid>,
    skills: HashMap<String, Uuid>,
    agents: HashMap<Uuid, agent::Model>,
    extensions: HashMap<String, Uuid>,
}

async fn world(tx: &DatabaseTransaction, org: Uuid) -> ApiResult<World> {
    let users = user::Entity::find()
        .filter(user::Column::OrganizationId.eq(org))
        .all(tx)
        .await?;
    let agents = agent::Entity::find()
        .filter(agent::Column::OrganizationId.eq(org))
        .all(tx)
        .await?;
    let teams = team::Entity::find()
        .filter(team::Column::OrganizationId.eq(org))
        .all(tx)
        .await?;
    let skills = skill::Entity::find()
        .filter(skill::Column::OrganizationId.eq(org))
        .all(tx)
        .await?;
    Ok(World {
        users: users
            .into_iter()
            .map(|u| (u.email.to_lowercase(), u))
            .collect(),
        teams: teams.into_iter().map(|t| (t.name_key, t.id)).collect(),
        skills: skills.into_iter().map(|s| (s.name_key, s.id)).collect(),
        extensions: agents
            .iter()
            .filter_map(|a| a.extension.clone().map(|e| (e, a.user_id)))
            .collect(),
        agents: agents.into_iter().map(|a| (a.user_id, a)).collect(),
    })
}

/// Collects the issues of one file.
struct Issues(Vec<ImportIssue>);

impl Issues {
    fn add(&mut self, row: u32, column: Option<&str>, code: &str, value: &str) {
        self.0.push(ImportIssue {
            row,
            column: column.map(str::to_owned),
            code: code.to_owned(),
            value: value.chars().take(200).collect(),
        });
    }
}

fn list(cell: &str) -> impl Iterator<Item = &str> {
    cell.split([';', '|'])
        .map(str::trim)
        .filter(|s| !s.is_empty())
}

fn skills_of(w: &World, cell: &str, row: u32, issues: &mut Issues) -> Vec<AgentSkill> {
    let mut out = Vec::new();
    for pair in list(cell) {
        let (name, level) = pair.rsplit_once(':').unwrap_or((pair, ""));
        let Some(&skill_id) = w.skills.get(&name.trim().to_lowercase()) else {
            issues.add(row, Some("skills"), "unknown_skill", pair);
            continue;
        };
        match level.trim().parse::<u8>() {
            Ok(level @ 1..=10) => out.push(AgentSkill { skill_id, level }),
            _ => issues.add(row, Some("skills"), "range", pair),
        }
    }
    out
}

/// Checks one row and plans its change.
fn plan_row(
    w: &World,
    header: &[String],
    (row, cells): &(u32, Vec<String>),
    taken: &mut HashMap<String, Uuid>,
    seen: &mut HashSet<String>,
    issues: &mut Issues,
) -> Option<Plan> {
    let row = *row;
    if cells.len() != header.len() {
        issues.add(row, None, "columns", &cells.join(","));
        return None;
    }
    let cell = |name: &str| {
        header
            .iter()
            .position(|h| h == name)
            .map(|i| cells[i].trim())
    };
    let email = cell("email").unwrap_or("").to_lowercase();
    let Some(u) = w.users.get(&email) else {
        let code = if email.is_empty() {
            "required"
        } else {
            "unknown_user"
        };
        issues.add(row, Some("email"), code, &email);
        return None;
    };
    if !seen.insert(email.clone()) {
        issues.add(row, Some("email"), "duplicate", &email);
    }
    if !u.active || !matches!(u.role, DbRole::Agent | DbRole::Supervisor) {
        issues.add(row, Some("email"), "wrong_role", &email);
    }
    let before = issues.0.len();
    let name = cell("name").filter(|n| !n.is_empty()).map(str::to_owned);
    if let Some(n) = &name
        && (n.chars().count() > 80 || n.chars().any(char::is_control))
    {
        issues.add(row, Some("name"), "length", n);
    }
    let team = cell("team").map(|t| match t {
        "" => None,
        t => {
            let found = w.teams.get(&t.to_lowercase()).copied();
            if found.is_none() {
                issues.add(row, Some("team"), "unknown_team", t);
            }
            found
        }
    });
    let skills = cell("skills").map(|s| skills_of(w, s, row, issues));
    let languages = cell("languages").map(|cell| {
        list(cell)
            .filter(|t| {
                let ok = LanguageTag::is_valid(t);
                if !ok {
                    issues.add(row, Some("languages"), "language_tag", t);
                }
                ok
            })
            .map(|t| LanguageTag(t.to_owned()))
            .collect()
    });
    let extension = cell("extension").map(|e| match e {
        "" => None,
        e if e.len() > 16 || !e.bytes().all(|b| b.is_ascii_digit()) => {
            issues.add(row, Some("extension"), "digits", e);
            None
        }
        e => {
            let holder = taken.entry(e.to_owned()).or_insert(u.id);
            if *holder != u.id {
                issues.add(row, Some("extension"), "extension_taken", e);
            }
            Some(e.to_owned())
        }
    });
    (issues.0.len() == before).then(|| Plan {
        user_id: u.id,
        agent: w.agents.get(&u.id).cloned(),
        name,
        team,
        skills,
        languages,
        extension,
    })
}

/// Checks the header: known columns, `email` among them.
fn check_header(header: &[String], issues: &mut Issues) {
    for h in header {
        if !COLUMNS.contains(&h.as_str()) {
            issues.add(1, Some(h), "unknown_column", h);
        }
    }
    if !header.iter().any(|h| h == "email") {
        issues.add(1, Some("email"), "required", "");
    }
}

/// Writes one planned change.
async fn apply(
    tx: &DatabaseTransaction,
    org: Uuid,
    p: Plan,
    now: chrono::DateTime<chrono::Utc>,
) -> ApiResult<Uuid> {
    let id = p.agent.as_ref().map_or_else(Uuid::now_v7, |a| a.id);
    let exists = p.agent.is_some();
    let mut active = match p.agent {
        Some(a) => a.into_active_model(),
        None => agent::ActiveModel {
            id: Set(id),
            organization_id: Set(org),
            user_id: Set(p.user_id),
            team_id: Set(None),
            extension: Set(None),
            languages: Set("[]".into()),
            time_zone: Set(None),
            wrap_up_secs: Set(None),
            accepts_ai_handoff: Set(true),
            created_at: Set(now),
            updated_at: Set(now),
        },
    };
    if let Some(team) = p.team {
        active.team_id = Set(team);
    }
    if let Some(extension) = p.extension {
        active.extension = Set(extension);
    }
    if let Some(languages) = &p.languages {
        active.languages = Set(languages_json(languages));
    }
    active.updated_at = Set(now);
    if exists {
        active.update(tx).await?;
    } else {
        active.insert(tx).await?;
    }
    if let Some(skills) = &p.skills {
        put_skills(tx, org, id, skills).await?;
    }
    if let Some(name) = p.name {
        user::ActiveModel {
            id: Set(p.user_id),
            display_name: Set(name),
            ..Default::default()
        }
        .update(tx)
        .await?;
    }
    Ok(id)
}

/// Checks the file and, when every row is right and it is not a dry run, applies it.
pub async fn run(
    state: &AppState,
    caller: &Principal,
    req: AgentImportRequest,
) -> ApiResult<AgentImportReport> {
    let org = caller.organization_id;
    let mut issues = Issues(Vec::new());
    let mut report = AgentImportReport {
        dry_run: req.dry_run,
        applied: false,
        rows: 0,
        created: 0,
        updated: 0,
        issues: Vec::new(),
    };
    let lines = match csv::read(&req.csv) {
        Ok(lines) => lines,
        Err(csv::OpenQuote(row)) => {
            issues.add(row, None, "quotes", "");
            report.issues = issues.0;
            return Ok(report);
        }
    };
    let Some(((_, header), rows)) = lines.split_first() else {
        issues.add(1, Some("email"), "required", "");
        report.issues = issues.0;
        return Ok(report);
    };
    let header: Vec<String> = header.iter().map(|h| h.trim().to_lowercase()).collect();
    check_header(&header, &mut issues);
    report.rows = u32::try_from(rows.len()).unwrap_or(u32::MAX);
    if rows.len() > MAX_IMPORT_ROWS {
        issues.add(1, None, "too_many_rows", &rows.len().to_string());
    }
    if !issues.0.is_empty() {
        report.issues = issues.0;
        return Ok(report);
    }
    let tx = state.infra.db.begin().await?;
    lock_organization(&tx, org).await?;
    let w = world(&tx, org).await?;
    let (mut taken, mut seen) = (w.extensions.clone(), HashSet::new());
    let plans: Vec<Plan> = rows
        .iter()
        .filter_map(|r| plan_row(&w, &header, r, &mut taken, &mut seen, &mut issues))
        .collect();
    report.created = plans.iter().filter(|p| p.agent.is_none()).count() as u32;
    report.updated = plans.len() as u32 - report.created;
    report.issues = issues.0;
    if !report.issues.is_empty() || req.dry_run {
        tx.rollback().await?;
        return Ok(report);
    }
    let now = state.infra.clock.now();
    let mut changed = Vec::with_capacity(plans.len());
    for p in plans {
        changed.push(apply(&tx, org, p, now).await?);
    }
    tx.commit().await?;
    report.applied = true;
    metrics::counter!("workforce_agent_imports_total").increment(1);
    metrics::counter!("workforce_agent_changes_total", "action" => "import")
        .increment(changed.len() as u64);
    tracing::info!(
        rows = report.rows,
        created = report.created,
        "agents imported"
    );
    for agent_id in changed {
        let event = DomainEvent::AgentChanged { agent_id };
        state
            .infra
            .bus
            .publish(org, Topic::Organization, event)
            .await;
    }
    Ok(report)
}
