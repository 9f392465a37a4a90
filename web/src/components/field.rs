//! Labelled form fields that show their error next to the input.
//!
//! Errors come from two places with the same rules: the `validator` rules on the cc-types
//! DTO, checked before sending, and the server's problem+json field errors.

use leptos::prelude::*;
use validator::ValidationErrors;

use crate::api::ApiError;
use crate::i18n::*;
use leptos_i18n::I18nContext;

/// Messages per field name, from local validation or the server.
#[derive(Clone, Copy)]
pub struct FieldErrors(RwSignal<Vec<(String, String)>>);

impl Default for FieldErrors {
    fn default() -> Self {
        FieldErrors(RwSignal::new(Vec::new()))
    }
}

impl FieldErrors {
    pub fn clear(self) {
        self.0.set(Vec::new());
    }

    pub fn get(self, field: &'static str) -> Signal<Option<String>> {
        let list = self.0;
        Signal::derive(move || {
            list.with(|l| l.iter().find(|(f, _)| f == field).map(|(_, m)| m.clone()))
        })
    }

    /// Translates the rules a DTO failed.
    pub fn set_local(self, i18n: I18nContext<Locale>, errors: &ValidationErrors) {
        let list = errors
            .field_errors()
            .into_iter()
            .filter_map(|(field, errs)| {
                let e = errs.first()?;
                let param = |k: &str| {
                    e.params
                        .get(k)
                        .map(|v| v.to_string())
                        .unwrap_or_else(|| "…".into())
                };
                let msg = match e.code.as_ref() {
                    "email" => t_string!(i18n, common.validation.email).to_string(),
                    "control_characters" => {
                        t_string!(i18n, common.validation.single_line).to_string()
                    }
                    "length" => {
                        let (min, max) = (param("min"), param("max"));
                        t_string!(i18n, common.validation.length, min = min, max = max).to_string()
                    }
                    _ => t_string!(i18n, common.validation.required).to_string(),
                };
                Some((field.to_string(), msg))
            })
            .collect();
        self.0.set(list);
    }

    /// Takes the server's field errors; `true` when there were any.
    pub fn set_server(self, error: &ApiError) -> bool {
        let list: Vec<_> = error
            .fields()
            .iter()
            .map(|f| (f.field.clone(), f.message.clone()))
            .collect();
        let any = !list.is_empty();
        self.0.set(list);
        any
    }

    /// Replaces what is said about `field` with a sentence of the screen's own.
    pub fn replace(self, field: &str, message: String) {
        self.0.update(|l| {
            l.retain(|(f, _)| f != field);
            l.push((field.to_owned(), message));
        });
    }

    pub fn push(self, field: &str, message: String) {
        self.0.update(|l| l.push((field.to_owned(), message)));
    }
}

/// A text-like `<input>` with its label and error.
#[component]
pub fn TextField(
    /// The `id` and `data-test` of the input.
    id: &'static str,
    /// The DTO field this input fills (its errors show here).
    field: &'static str,
    #[prop(into)] label: Signal<String>,
    value: RwSignal<String>,
    #[prop(default = "text")] kind: &'static str,
    #[prop(default = "off")] autocomplete: &'static str,
    #[prop(optional)] required: bool,
    errors: FieldErrors,
) -> impl IntoView {
    let error = errors.get(field);
    let error_id = format!("{id}-error");
    let described = error_id.clone();
    view! {
        <div class="field">
            <label for=id>{label}</label>
            <input
                id=id
                data-test=id
                type=kind
                autocomplete=autocomplete
                required=required
                aria-invalid=move || error.with(Option::is_some).to_string()
                aria-describedby=move || error.with(Option::is_some).then(|| described.clone())
                prop:value=move || value.get()
                on:input=move |ev| value.set(event_target_value(&ev))
            />
            {move || {
                error
                    .get()
                    .map(|m| {
                        view! {
                            <span class="field-error" id=error_id.clone() data-test=format!("field-error-{field}")>
                                {m}
                            </span>
                        }
                    })
            }}
        </div>
    }
}

/// A `<select>` with its label; `options` are (value, label) pairs.
#[component]
pub fn SelectField(
    id: &'static str,
    #[prop(into)] label: Signal<String>,
    value: RwSignal<String>,
    #[prop(into)] options: Signal<Vec<(String, String)>>,
) -> impl IntoView {
    view! {
        <div class="field">
            <label for=id>{label}</label>
            <select
                id=id
                data-test=id
                prop:value=move || value.get()
                on:change=move |ev| value.set(event_target_value(&ev))
            >
                {move || {
                    options
                        .get()
                        .into_iter()
                        .map(|(v, l)| {
                            let selected = value.get_untracked() == v;
                            view! { <option value=v selected=selected>{l}</option> }
                        })
                        .collect_view()
                }}
            </select>
        </div>
    }
}
