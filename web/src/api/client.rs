//! HTTP to the API: an anonymous [`PublicApi`] for signing in, and the authorized [`Api`]
//! that exists only inside a session, renews its access token before it expires (see
//! [`session::renewal_margin_ms`]) and once more on a 401, and turns problem+json answers
//! into [`ApiError`]s.
//!
//! Renewal is single-flight across the browser: the server treats a second use of a
//! rotated refresh token as theft and ends the session, and every tab holds the same
//! tokens. So concurrent calls of one tab wait for one renewal and share it, and tabs take
//! turns through a cross-tab lock; inside it, a tab first re-reads the stored tokens and
//! adopts them when another tab renewed already.

use std::rc::Rc;

use cc_types::auth::{RefreshRequest, TokenResponse};
use cc_types::{Language, Problem};
use futures::lock::Mutex;
use gloo_net::http::{Method, RequestBuilder};
use leptos::prelude::*;
use serde::Serialize;
use serde::de::DeserializeOwned;

use super::error::ApiError;
use super::session::{self, SignedOutReason, Tokens};
use super::tab_lock;

/// The cross-tab lock that renewals of this origin take turns on.
const RENEWAL_LOCK: &str = "cc-lite-refresh";

/// A raw answer: status and body text.
struct Reply {
    status: u16,
    text: String,
    retry_after: Option<u32>,
}

async fn exchange(
    method: Method,
    path: &str,
    token: Option<&str>,
    lang: Language,
    body: Option<&str>,
) -> Result<Reply, ApiError> {
    let mut req = RequestBuilder::new(path)
        .method(method)
        .header("Accept", "application/json")
        .header("Accept-Language", lang.as_str());
    if let Some(token) = token {
        req = req.header("Authorization", &format!("Bearer {token}"));
    }
    let req = match body {
        Some(b) => req
            .header("Content-Type", "application/json")
            .body(b.to_owned()),
        None => req.build(),
    }
    .map_err(|e| ApiError::Unexpected(e.to_string()))?;
    let res = req.send().await.map_err(|_| ApiError::Network)?;
    let retry_after = res
        .headers()
        .get("retry-after")
        .and_then(|v| v.parse().ok());
    let status = res.status();
    let text = res.text().await.map_err(|_| ApiError::Network)?;
    Ok(Reply {
        status,
        text,
        retry_after,
    })
}

fn decode<T: DeserializeOwned>(reply: Reply) -> Result<T, ApiError> {
    if (200..300).contains(&reply.status) {
        let text = if reply.text.is_empty() {
            "null"
        } else {
            &reply.text
        };
        return serde_json::from_str(text).map_err(|e| ApiError::Unexpected(e.to_string()));
    }
    match serde_json::from_str::<Problem>(&reply.text) {
        Ok(p) if reply.status == 429 => Err(ApiError::Throttled(p, reply.retry_after.unwrap_or(1))),
        Ok(p) => Err(ApiError::Problem(p)),
        Err(_) => Err(ApiError::Unexpected(format!("HTTP {}", reply.status))),
    }
}

/// `path` with `query` as its query string (none when every field is empty).
pub(super) fn with_query<Q: Serialize>(path: &str, query: &Q) -> String {
    match serde_urlencoded::to_string(query) {
        Ok(q) if !q.is_empty() => format!("{path}?{q}"),
        _ => path.to_owned(),
    }
}

fn encode<B: Serialize>(body: &B) -> Result<String, ApiError> {
    serde_json::to_string(body).map_err(|e| ApiError::Unexpected(e.to_string()))
}

/// Calls that need no session.
#[derive(Clone, Copy)]
pub struct PublicApi {
    pub lang: Language,
}

impl PublicApi {
    pub async fn post<B: Serialize, T: DeserializeOwned>(
        self,
        path: &str,
        body: &B,
    ) -> Result<T, ApiError> {
        let body = encode(body)?;
        decode(exchange(Method::POST, path, None, self.lang, Some(&body)).await?)
    }

    async fn refresh(self, refresh_token: &str) -> Result<TokenResponse, ApiError> {
        let body = RefreshRequest {
            refresh_token: refresh_token.to_owned(),
        };
        self.post("/api/auth/refresh", &body).await
    }
}

/// The authorized client of one session. Provided as context by the signed-in shell only,
/// so a screen that needs a token cannot be reached without one.
#[derive(Clone, Copy)]
pub struct Api {
    tokens: RwSignal<Option<Tokens>>,
    lang: RwSignal<Language>,
    signed_out: RwSignal<Option<SignedOutReason>>,
    lock: StoredValue<Rc<Mutex<()>>, LocalStorage>,
}

impl Api {
    pub fn new(
        tokens: RwSignal<Option<Tokens>>,
        lang: RwSignal<Language>,
        signed_out: RwSignal<Option<SignedOutReason>>,
    ) -> Api {
        Api {
            tokens,
            lang,
            signed_out,
            lock: StoredValue::new_local(Rc::new(Mutex::new(()))),
        }
    }

    pub async fn get<T: DeserializeOwned>(self, path: &str) -> Result<T, ApiError> {
        self.call(Method::GET, path, None).await
    }

    pub async fn post<B: Serialize, T: DeserializeOwned>(
        self,
        path: &str,
        body: &B,
    ) -> Result<T, ApiError> {
        self.call(Method::POST, path, Some(encode(body)?)).await
    }

    pub async fn patch<B: Serialize, T: DeserializeOwned>(
        self,
        path: &str,
        body: &B,
    ) -> Result<T, ApiError> {
        self.call(Method::PATCH, path, Some(encode(body)?)).await
    }

    pub async fn put<B: Serialize, T: DeserializeOwned>(
        self,
        path: &str,
        body: &B,
    ) -> Result<T, ApiError> {
        self.call(Method::PUT, path, Some(encode(body)?)).await
    }

    pub async fn delete<T: DeserializeOwned>(self, path: &str) -> Result<T, ApiError> {
        self.call(Method::DELETE, path, None).await
    }

    async fn call<T: DeserializeOwned>(
        self,
        method: Method,
        path: &str,
        body: Option<String>,
    ) -> Result<T, ApiError> {
        let tokens = self.fresh().await?;
        let lang = self.lang.get_untracked();
        let reply = exchange(
            method.clone(),
            path,
            Some(&tokens.access),
            lang,
            body.as_deref(),
        )
        .await?;
        if reply.status != 401 {
            return decode(reply);
        }
        // The token was revoked or the clock is off: renew once and try again.
        let tokens = self.refresh(&tokens).await?;
        let reply = exchange(method, path, Some(&tokens.access), lang, body.as_deref()).await?;
        if reply.status == 401 {
            self.end(Some(SignedOutReason::Expired));
            return Err(ApiError::SessionExpired);
        }
        decode(reply)
    }

    async fn fresh(self) -> Result<Tokens, ApiError> {
        let tokens = self
            .tokens
            .get_untracked()
            .ok_or(ApiError::SessionExpired)?;
        if tokens.needs_refresh() {
            self.refresh(&tokens).await
        } else {
            Ok(tokens)
        }
    }

    /// New tokens in place of `stale` (the ones a call found too old or the server refused).
    async fn refresh(self, stale: &Tokens) -> Result<Tokens, ApiError> {
        let in_tab = self.lock.get_value();
        let _one_at_a_time = in_tab.lock().await;
        // Another call of this tab may have renewed while this one waited.
        match self.tokens.get_untracked() {
            None => return Err(ApiError::SessionExpired),
            Some(current) if current.refresh != stale.refresh && !current.needs_refresh() => {
                return Ok(current);
            }
            Some(_) => {}
        }
        let stale = stale.clone();
        tab_lock::exclusive(RENEWAL_LOCK, async move { self.renew_shared(&stale).await })
            .await
            .unwrap_or_else(|| Err(ApiError::Unexpected("token renewal lost its answer".into())))
    }

    /// Inside the cross-tab lock: adopts what another tab stored since this one read it, or
    /// renews and stores the result for every tab.
    async fn renew_shared(self, stale: &Tokens) -> Result<Tokens, ApiError> {
        let current = match session::load_shared() {
            Ok(Some(stored)) => stored,
            // Another tab signed out, or its renewal was refused: the session is over.
            Ok(None) => {
                self.forget(None);
                return Err(ApiError::SessionExpired);
            }
            // Without storage no other tab shares this session.
            Err(session::NoStorage) => self
                .tokens
                .get_untracked()
                .ok_or(ApiError::SessionExpired)?,
        };
        if current.refresh != stale.refresh && !current.needs_refresh() {
            self.tokens.set(Some(current.clone()));
            return Ok(current);
        }
        let public = PublicApi {
            lang: self.lang.get_untracked(),
        };
        match public.refresh(&current.refresh).await {
            Ok(reply) => {
                let tokens = Tokens::from_response(reply);
                session::save(&tokens);
                self.tokens.set(Some(tokens.clone()));
                Ok(tokens)
            }
            Err(ApiError::Network) => Err(ApiError::Network),
            Err(_) => {
                self.end(Some(SignedOutReason::Expired));
                Err(ApiError::SessionExpired)
            }
        }
    }

    /// Signs out on the server (best effort) and forgets the tokens.
    pub async fn logout(self) {
        if let Some(tokens) = self.tokens.get_untracked() {
            let lang = self.lang.get_untracked();
            let _ = exchange(
                Method::POST,
                "/api/auth/logout",
                Some(&tokens.access),
                lang,
                None,
            )
            .await;
        }
        self.end(None);
    }

    /// Ends the session in every tab: the shell gives way to the login form, which says why.
    pub fn end(self, reason: Option<SignedOutReason>) {
        session::clear();
        self.forget(reason);
    }

    /// Ends the session in this tab only (another tab already cleared the storage).
    fn forget(self, reason: Option<SignedOutReason>) {
        self.signed_out.set(reason);
        self.tokens.set(None);
    }
}
