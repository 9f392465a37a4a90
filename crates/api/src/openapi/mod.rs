//! The OpenAPI document: info, tags, security schemes and the shared error responses.
//! Paths are collected from the handlers as they are registered (utoipa-actix-web),
//! so a route cannot exist undocumented.

use std::collections::HashMap;

use utoipa::openapi::security::{
    ApiKey, ApiKeyValue, HttpAuthScheme, HttpBuilder, SecurityRequirement, SecurityScheme,
};
use utoipa::{Modify, OpenApi};

use crate::auth::Access;

mod responses;
pub use responses::apply_error_responses;

/// Every domain's table of who may call its operations.
pub fn policies() -> HashMap<&'static str, Access> {
    [
        crate::auth::routes::POLICIES,
        crate::users::routes::POLICIES,
        crate::teams::routes::POLICIES,
        crate::skills::routes::POLICIES,
        crate::agents::routes::POLICIES,
        crate::presence::routes::POLICIES,
        crate::shifts::routes::POLICIES,
        crate::shifts::time_off_routes::POLICIES,
        crate::staffing::routes::POLICIES,
        crate::performance::routes::POLICIES,
        crate::api_keys::routes::POLICIES,
        crate::audit::routes::POLICIES,
        crate::realtime::routes::POLICIES,
    ]
    .into_iter()
    .flatten()
    .copied()
    .collect()
}

/// What the generated document gets after the handlers are collected: security from the
/// policies, then the error answers derived from each operation's shape.
pub fn finish(doc: &mut utoipa::openapi::OpenApi) {
    let policies = policies();
    apply_policies(doc, &policies);
    apply_error_responses(doc, &policies);
}

/// Every operation of the document with its path template.
pub(crate) fn operations_mut(
    doc: &mut utoipa::openapi::OpenApi,
) -> impl Iterator<Item = (&str, &mut utoipa::openapi::path::Operation)> {
    doc.paths.paths.iter_mut().flat_map(|(path, item)| {
        [
            &mut item.get,
            &mut item.put,
            &mut item.post,
            &mut item.delete,
            &mut item.patch,
            &mut item.head,
            &mut item.options,
        ]
        .into_iter()
        .flatten()
        .map(move |op| (path.as_str(), op))
    })
}

/// Writes each operation's security requirements from its policy: the roles as scopes of
/// the bearer scheme, and of the API-key scheme unless the policy is for people only. An
/// operation without a policy is public.
pub fn apply_policies(doc: &mut utoipa::openapi::OpenApi, policies: &HashMap<&str, Access>) {
    for (_, op) in operations_mut(doc) {
        {
            let Some(access) = op.operation_id.as_deref().and_then(|id| policies.get(id)) else {
                continue;
            };
            let roles: Vec<&str> = access.roles.iter().map(|r| r.as_str()).collect();
            let mut security = vec![SecurityRequirement::new("bearer", roles.clone())];
            if !access.people_only {
                security.push(SecurityRequirement::new("api_key", roles));
            }
            op.security = Some(security);
        }
    }
}

/// Document-level metadata and schemas not reachable from a handler signature.
#[derive(OpenApi)]
#[openapi(
    info(
        title = "CC-Lite API",
        description = "REST + WebSocket API of CC-Lite, the AI contact-center platform. Errors are RFC 7807 `application/problem+json` with a stable `code`; `detail` follows `Accept-Language` (en, es, cs). Security scopes on each operation name the roles that may call it.",
        license(name = "Apache-2.0")
    ),
    modifiers(&SecuritySchemes),
    tags(
        (name = "auth", description = "Sign-in, sessions, profile"),
        (name = "users", description = "Users of the organization (admin)"),
        (name = "teams", description = "The team hierarchy (workforce)"),
        (name = "skills", description = "The skill catalogue (workforce)"),
        (name = "agents", description = "Agent profiles (workforce)"),
        (name = "presence", description = "Agents' live states and not-ready reasons (workforce)"),
        (name = "shifts", description = "Shift templates, shifts and who is scheduled now (workforce)"),
        (name = "performance", description = "Time in state, occupancy, utilization and calls handled per agent and team (workforce)"),
        (name = "staffing", description = "Forecasts and agents required by Erlang C and Erlang A against the schedule (workforce)"),
        (name = "api-keys", description = "Integrator API keys (admin)"),
        (name = "audit", description = "Audit trail (admin)"),
        (name = "realtime", description = "WebSocket events"),
        (name = "system", description = "Health, readiness and metrics")
    ),
    components(schemas(cc_types::Problem, cc_types::Conflict, cc_types::events::ClientMessage, cc_types::events::ServerMessage, cc_types::ErrorCode))
)]
pub struct ApiDoc;

struct SecuritySchemes;

impl Modify for SecuritySchemes {
    fn modify(&self, openapi: &mut utoipa::openapi::OpenApi) {
        let components = openapi.components.get_or_insert_with(Default::default);
        components.add_security_scheme(
            "bearer",
            SecurityScheme::Http(
                HttpBuilder::new()
                    .scheme(HttpAuthScheme::Bearer)
                    .bearer_format("JWT")
                    .description(Some(
                        "Ed25519 access token from /api/auth/login; scopes list the roles admitted",
                    ))
                    .build(),
            ),
        );
        components.add_security_scheme(
            "api_key",
            SecurityScheme::ApiKey(ApiKey::Header(ApiKeyValue::with_description(
                "X-API-Key",
                "Integrator key (also accepted as Authorization: Bearer); scopes list the roles admitted",
            ))),
        );
    }
}

#[cfg(test)]
mod tests {
    #[test]
    fn every_policy_names_an_operation_of_the_document() {
        let doc = serde_json::to_value(crate::startup::document()).unwrap_or_default();
        let ids: Vec<String> = doc["paths"]
            .as_object()
            .into_iter()
            .flat_map(|p| p.values())
            .flat_map(|item| item.as_object().into_iter().flat_map(|m| m.values()))
            .filter_map(|op| op["operationId"].as_str().map(str::to_owned))
            .collect();
        for id in super::policies().keys() {
            assert!(
                ids.iter().any(|i| i == id),
                "policy for unknown operation {id}"
            );
        }
    }
}
