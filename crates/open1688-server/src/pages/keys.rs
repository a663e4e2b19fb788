//! `/keys` (admin): the service's API keys — list, make (its text shown once), revoke.

use axum::Form;
use axum::extract::{Path, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Redirect, Response};
use chrono::Utc;
use maud::{Markup, html};
use open1688_store::{ApiKey, Scope};
use serde::Deserialize;

use super::form::{FieldErrors, FieldProblem, field_error};
use super::layout::page;
use super::session::Viewer;
use super::text::Text;
use super::trouble::Trouble;
use crate::state::ServiceState;

/// `GET /keys`.
pub async fn list(viewer: Viewer, State(state): State<ServiceState>) -> Result<Response, Trouble> {
    if let Some(refused) = viewer.refusal(Scope::Admin) {
        return Ok(refused);
    }
    let keys = state.store.api_keys().await?;
    Ok(keys_page(&viewer, &keys, &NewKeyForm::default(), &FieldErrors::default(), None).into_response())
}

/// The new-key form as sent.
#[derive(Debug, Default, Deserialize)]
#[serde(default)]
pub struct NewKeyForm {
    name: String,
    scope: String,
}

/// `POST /keys`: makes a key and shows its text once.
pub async fn add(
    viewer: Viewer,
    State(state): State<ServiceState>,
    Form(form): Form<NewKeyForm>,
) -> Result<Response, Trouble> {
    if let Some(refused) = viewer.refusal(Scope::Admin) {
        return Ok(refused);
    }
    let mut errors = FieldErrors::default();
    let scope =
        form.scope.parse::<Scope>().map_err(|_| errors.add("scope", FieldProblem::NotAChoice(form.scope.clone()))).ok();
    let made = match scope {
        Some(scope) => match state.store.add_api_key(form.name.trim(), scope, Utc::now().timestamp_millis()).await {
            Ok(made) => Some(made),
            Err(open1688_store::StoreError::Invalid(why)) => {
                errors.add("name", FieldProblem::Said(why));
                None
            }
            Err(other) => return Err(other.into()),
        },
        None => None,
    };
    let keys = state.store.api_keys().await?;
    Ok(match made {
        Some(made) => {
            tracing::info!(key = made.key.id, by = viewer.key.id, "API key made on the dashboard");
            (StatusCode::CREATED, keys_page(&viewer, &keys, &NewKeyForm::default(), &errors, Some(&made.text)))
                .into_response()
        }
        None => (StatusCode::BAD_REQUEST, keys_page(&viewer, &keys, &form, &errors, None)).into_response(),
    })
}

/// `POST /keys/{id}/revoke`.
pub async fn revoke(
    viewer: Viewer,
    State(state): State<ServiceState>,
    Path(id): Path<i64>,
) -> Result<Response, Trouble> {
    if let Some(refused) = viewer.refusal(Scope::Admin) {
        return Ok(refused);
    }
    if state.store.revoke_api_key(id, Utc::now().timestamp_millis()).await? {
        state.verified_keys.forget_all();
        state.revocations.revoke(id);
        tracing::info!(key = id, by = viewer.key.id, "API key revoked on the dashboard");
    }
    Ok(Redirect::to("/keys").into_response())
}

fn keys_page(viewer: &Viewer, keys: &[ApiKey], form: &NewKeyForm, errors: &FieldErrors, made: Option<&str>) -> Markup {
    let t = viewer.lang.text();
    page(
        viewer,
        t.nav_keys,
        html! {
            h1 { (t.nav_keys) }
            @if let Some(text) = made {
                section.card.made role="status" {
                    p { (t.key_shown_once) }
                    input.secret type="text" readonly value=(text) aria-label=(t.api_key);
                }
            }
            (new_key_form(t, form, errors))
            section.card aria-labelledby="key-list" {
                h2 #key-list { (t.nav_keys) " (" (keys.len()) ")" }
                div.scroll tabindex="0" {
                    table {
                        thead { tr {
                            th scope="col" { "#" } th.text scope="col" { (t.name) } th.text scope="col" { (t.scope) }
                            th scope="col" { (t.created) } th scope="col" { span.visually-hidden { (t.revoke) } }
                        } }
                        tbody {
                            @for key in keys {
                                tr class=[key.revoked_ms.map(|_| "revoked")] {
                                    td { (key.id) }
                                    td { (key.name) }
                                    td { (key.scope.as_str()) }
                                    td { (moment(t, key.created_ms)) }
                                    td {
                                        @if key.revoked_ms.is_some() { (t.revoked) }
                                        @else if key.id == viewer.key.id { (t.active) }
                                        @else {
                                            form method="post" action=(format!("/keys/{}/revoke", key.id)) {
                                                button.danger type="submit" aria-label=(format!("{} {}", t.revoke, key.name)) { (t.revoke) }
                                            }
                                        }
                                    }
                                }
                            }
                        }
                    }
                }
            }
        },
    )
}

fn new_key_form(t: &Text, form: &NewKeyForm, errors: &FieldErrors) -> Markup {
    html! {
        form.card method="post" action="/keys" {
            h2 { (t.new_key) }
            div.row {
                div.field.grow {
                    label for="name" { (t.name) }
                    input #name name="name" maxlength="100" required value=(form.name)
                        aria-invalid=[errors.get("name").map(|_| "true")] aria-describedby=[errors.get("name").map(|_| "name-error")];
                    (field_error(t, "name", errors))
                }
                div.field {
                    label for="scope" { (t.scope) }
                    select #scope name="scope" {
                        @for scope in [Scope::Read, Scope::Write, Scope::Admin] {
                            option value=(scope.as_str()) selected[form.scope == scope.as_str()] { (scope.as_str()) }
                        }
                    }
                    (field_error(t, "scope", errors))
                }
                div.field.action { button type="submit" { (t.create) } }
            }
        }
    }
}

fn moment(t: &Text, ms: i64) -> String {
    chrono::DateTime::from_timestamp_millis(ms).map_or_else(|| "—".to_owned(), |at| super::dates::long_time(t, at))
}
