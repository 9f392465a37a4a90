//! The screens of the signed-in app, in one table: path, view, the roles that may open
//! it, and its navigation entry. The shell builds both the router and the navigation from
//! [`SCREENS`], so a screen is added in one place.
//!
//! The login form is not a route: it stands in for the whole shell at any path while
//! nobody is signed in, so a deep link still opens its screen after signing in.

use cc_types::Role;
use leptos::children::ToChildren;
use leptos::prelude::*;
use leptos::tachys::view::iterators::StaticVec;
use leptos_i18n::I18nContext;
use leptos_router::components::{RouteChildren, Routes, RoutesProps};
use leptos_router::{NestedRoute, StaticSegment};

use crate::i18n::*;
use crate::pages::{
    agents::AgentsPage, api_keys::ApiKeysPage, audit::AuditPage, home::HomePage,
    not_found::NotFound, profile::ProfilePage, shifts::ShiftsPage, skills::SkillsPage,
    teams::TeamsPage, users::UsersPage,
};

/// One screen of the shell.
pub struct Screen {
    /// The path's one segment (`""` for the start page).
    pub segment: &'static str,
    /// Names the screen in `data-test` attributes (`nav-<name>`).
    pub name: &'static str,
    /// Who may open it. Anyone else gets "not found", as the API answers them.
    pub roles: &'static [Role],
    /// Its label in the navigation; `None` for a screen reached only by link.
    pub nav_label: Option<fn(I18nContext<Locale>) -> String>,
    pub view: fn() -> AnyView,
}

const EVERYONE: &[Role] = &Role::ALL;
const ADMIN: &[Role] = &[Role::Admin];

/// Every screen, in navigation order.
pub static SCREENS: &[Screen] = &[
    Screen {
        segment: "",
        name: "home",
        roles: EVERYONE,
        nav_label: Some(|i18n| t_string!(i18n, nav.home).to_string()),
        view: || view! { <HomePage /> }.into_any(),
    },
    Screen {
        segment: "users",
        name: "users",
        roles: ADMIN,
        nav_label: Some(|i18n| t_string!(i18n, nav.users).to_string()),
        view: || view! { <UsersPage /> }.into_any(),
    },
    Screen {
        segment: "teams",
        name: "teams",
        roles: EVERYONE,
        nav_label: Some(|i18n| t_string!(i18n, nav.teams).to_string()),
        view: || view! { <TeamsPage /> }.into_any(),
    },
    Screen {
        segment: "agents",
        name: "agents",
        roles: EVERYONE,
        nav_label: Some(|i18n| t_string!(i18n, nav.agents).to_string()),
        view: || view! { <AgentsPage /> }.into_any(),
    },
    Screen {
        segment: "shifts",
        name: "shifts",
        roles: EVERYONE,
        nav_label: Some(|i18n| t_string!(i18n, nav.shifts).to_string()),
        view: || view! { <ShiftsPage /> }.into_any(),
    },
    Screen {
        segment: "skills",
        name: "skills",
        roles: EVERYONE,
        nav_label: Some(|i18n| t_string!(i18n, nav.skills).to_string()),
        view: || view! { <SkillsPage /> }.into_any(),
    },
    Screen {
        segment: "api-keys",
        name: "api-keys",
        roles: ADMIN,
        nav_label: Some(|i18n| t_string!(i18n, nav.api_keys).to_string()),
        view: || view! { <ApiKeysPage /> }.into_any(),
    },
    Screen {
        segment: "audit",
        name: "audit",
        roles: ADMIN,
        nav_label: Some(|i18n| t_string!(i18n, nav.audit).to_string()),
        view: || view! { <AuditPage /> }.into_any(),
    },
    Screen {
        segment: "profile",
        name: "profile",
        roles: EVERYONE,
        nav_label: Some(|i18n| t_string!(i18n, nav.profile).to_string()),
        view: || view! { <ProfilePage /> }.into_any(),
    },
];

impl Screen {
    pub fn href(&self) -> String {
        format!("/{}", self.segment)
    }

    pub fn allows(&self, role: Role) -> bool {
        self.roles.contains(&role)
    }

    /// The screen's view for a user of `role`, or "not found" when the role may not use it.
    pub fn open(&self, role: Role) -> AnyView {
        if self.allows(role) {
            (self.view)()
        } else {
            view! { <NotFound /> }.into_any()
        }
    }
}

/// The router: one route per screen, each behind its role gate (`role` is read when a
/// screen opens), and "not found" for any other path.
pub fn router(role: impl Fn() -> Role + Clone + Send + Sync + 'static) -> impl IntoView {
    let routes: Vec<_> = SCREENS
        .iter()
        .map(|screen| {
            let role = role.clone();
            NestedRoute::new(StaticSegment(screen.segment), move || screen.open(role()))
        })
        .collect();
    let routes = StaticVec::from(routes);
    Routes(
        RoutesProps::builder()
            .fallback(NotFound)
            .children(RouteChildren::to_children(move || routes))
            .build(),
    )
}

/// The navigation entries a user of `role` may follow: (screen, label).
pub fn navigation(i18n: I18nContext<Locale>, role: Role) -> Vec<(&'static Screen, String)> {
    SCREENS
        .iter()
        .filter(|s| s.allows(role))
        .filter_map(|s| Some((s, (s.nav_label?)(i18n))))
        .collect()
}
