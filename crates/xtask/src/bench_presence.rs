//! The state endpoint under load, for `cargo xtask bench`: 64 agents, each on its own
//! connection (one wrk thread each, so every agent's requests are sequential): log in,
//! then not ready (break) and ready in turn, each chosen from the state the last answer
//! gave, so every change is a valid transition.
//! Answers requests/s and p99 of `POST /api/agents/me/state`.

use anyhow::Context;

use crate::server::curl;

/// Agents (and connections) in the run.
pub const AGENTS: u32 = 64;

/// The value of `"key":"…"` in a JSON answer.
fn field(json: &str, key: &str) -> anyhow::Result<String> {
    let tag = format!("\"{key}\":\"");
    let start = json
        .find(&tag)
        .with_context(|| format!("no {key} in {json}"))?
        + tag.len();
    let end = json[start..].find('"').context("unterminated value")? + start;
    Ok(json[start..end].to_owned())
}

fn post(base: &str, token: Option<&str>, path: &str, body: &str) -> anyhow::Result<String> {
    let auth = token.map(|t| format!("Authorization: Bearer {t}"));
    let mut args = vec!["-H", "Content-Type: application/json", "-d", body];
    if let Some(a) = auth.as_deref() {
        args.extend(["-H", a]);
    }
    let url = format!("{base}{path}");
    args.push(&url);
    curl(&args)
}

/// One agent with a profile, signed in: their access token.
fn agent(base: &str, admin: &str, i: u32) -> anyhow::Result<String> {
    let email = format!("state{i}@bench.cc-lite.test");
    let password = format!("bench-password-{i}");
    let user = post(
        base,
        Some(admin),
        "/api/users",
        &format!(
            r#"{{"email":"{email}","display_name":"State {i}","role":"agent","password":"{password}"}}"#
        ),
    )?;
    let id = field(&user, "id")?;
    post(
        base,
        Some(admin),
        "/api/agents",
        &format!(r#"{{"user_id":"{id}"}}"#),
    )?;
    let login = post(
        base,
        None,
        "/api/auth/login",
        &format!(r#"{{"email":"{email}","password":"{password}"}}"#),
    )?;
    field(&login, "access_token")
}

/// The wrk script: thread `n` acts as agent `n`.
pub fn script(base: &str, admin: &str) -> anyhow::Result<String> {
    let tokens = (0..AGENTS)
        .map(|i| agent(base, admin, i).map(|t| format!("\"{t}\"")))
        .collect::<anyhow::Result<Vec<_>>>()?
        .join(",\n");
    Ok(format!(
        r#"local tokens = {{ {tokens} }}
local next_agent = 0
function setup(thread)
  next_agent = next_agent + 1
  thread:set("token", tokens[next_agent])
end
function init(args)
  state = "offline"
end
function request()
  local body
  if state == "offline" then
    body = '{{"event":"log_in"}}'
  elseif state == "available" then
    body = '{{"event":"set_not_ready","reason":"break"}}'
  else
    body = '{{"event":"set_ready"}}'
  end
  return wrk.format("POST", "/api/agents/me/state",
    {{ ["Content-Type"] = "application/json", ["Authorization"] = "Bearer " .. token }}, body)
end
function response(status, headers, body)
  local now = string.match(body, '"state":"([a-z_]+)"')
  if now then
    state = now
  end
  if status ~= 200 and not told then
    told = true
    io.stderr:write("state change answered " .. status .. ": " .. body .. "\n")
  end
end
"#
    ))
}
