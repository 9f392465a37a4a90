//! Words for the domain's enums in the reader's language, and the mapping between the
//! API's `Language` and the i18n `Locale`.

use cc_types::presence::{NotReadyReasonDef, PresenceState};
use cc_types::{Language, Role};

use crate::i18n::*;
use leptos_i18n::I18nContext;

pub fn role(i18n: I18nContext<Locale>, role: Role) -> String {
    match role {
        Role::Admin => t_string!(i18n, common.roles.admin),
        Role::Supervisor => t_string!(i18n, common.roles.supervisor),
        Role::Agent => t_string!(i18n, common.roles.agent),
        Role::Analyst => t_string!(i18n, common.roles.analyst),
    }
    .to_string()
}

/// An agent state in the reader's language.
pub fn presence_state(i18n: I18nContext<Locale>, state: PresenceState) -> String {
    match state {
        PresenceState::Offline => t_string!(i18n, presence.states.offline),
        PresenceState::Available => t_string!(i18n, presence.states.available),
        PresenceState::Reserved => t_string!(i18n, presence.states.reserved),
        PresenceState::OnCall => t_string!(i18n, presence.states.on_call),
        PresenceState::WrapUp => t_string!(i18n, presence.states.wrap_up),
        PresenceState::NotReady => t_string!(i18n, presence.states.not_ready),
    }
    .to_string()
}

/// A not-ready reason: built-in ones in the reader's language, the organization's own by
/// their name, anything else by its code.
pub fn reason_name(i18n: I18nContext<Locale>, code: &str, defs: &[NotReadyReasonDef]) -> String {
    match code {
        "break" => t_string!(i18n, presence.reasons.short_break).to_string(),
        "lunch" => t_string!(i18n, presence.reasons.lunch).to_string(),
        "training" => t_string!(i18n, presence.reasons.training).to_string(),
        "meeting" => t_string!(i18n, presence.reasons.meeting).to_string(),
        "unspecified" => t_string!(i18n, presence.reasons.unspecified).to_string(),
        "disconnected" => t_string!(i18n, presence.reasons.disconnected).to_string(),
        other => defs
            .iter()
            .find(|d| d.code == other)
            .and_then(|d| d.name.clone())
            .unwrap_or_else(|| other.to_owned()),
    }
}

/// Every role as (wire value, label), for selects.
pub fn role_options(i18n: I18nContext<Locale>) -> Vec<(String, String)> {
    Role::ALL
        .into_iter()
        .map(|r| (r.as_str().to_owned(), role(i18n, r)))
        .collect()
}

/// Languages are named in themselves, so a reader finds their own.
pub fn language_options() -> Vec<(String, String)> {
    Language::ALL
        .into_iter()
        .map(|l| {
            let name = match l {
                Language::En => "English",
                Language::Es => "Español",
                Language::Cs => "Čeština",
            };
            (l.as_str().to_owned(), name.to_owned())
        })
        .collect()
}

/// [`language_options`] after a first, empty choice: no language of one's own, the
/// browser's decides.
pub fn chosen_language_options(i18n: I18nContext<Locale>) -> Vec<(String, String)> {
    let browser = (
        String::new(),
        t_string!(i18n, common.browser_language).to_string(),
    );
    std::iter::once(browser).chain(language_options()).collect()
}

/// The browser's own language among those the interface speaks (English otherwise).
pub fn browser_locale() -> Locale {
    let tags = web_sys::window()
        .map(|w| w.navigator().languages().to_vec())
        .unwrap_or_default();
    tags.iter()
        .filter_map(|t| t.as_string())
        .find_map(|t| Language::from_tag(&t.to_lowercase()))
        .map_or(Locale::en, locale_of)
}

pub fn locale_of(language: Language) -> Locale {
    match language {
        Language::En => Locale::en,
        Language::Es => Locale::es,
        Language::Cs => Locale::cs,
    }
}

pub fn language_of(locale: Locale) -> Language {
    match locale {
        Locale::en => Language::En,
        Locale::es => Language::Es,
        Locale::cs => Language::Cs,
    }
}
