//! The `cc-api` command line: demo seed (idempotent, fixed logins), organization creation,
//! the OpenAPI printout and configuration errors that name the setting.
#![allow(clippy::unwrap_used, clippy::expect_used)]

use std::process::Command;

use crate::common::{sqlite_config, start};

/// The `cc-api` binary with `args`, its data in `dir/data`, cheap password hashing and
/// no other `CC_` setting from the caller's environment.
fn command(dir: &std::path::Path, args: &[&str]) -> Command {
    let mut cmd = Command::new(env!("CARGO_BIN_EXE_cc-api"));
    cmd.args(args)
        .current_dir(dir)
        .env_clear()
        .env("CC_DATA_DIR", dir.join("data"))
        .env("CC_ARGON2_MEMORY_KIB", "8192")
        .env("CC_ARGON2_ITERATIONS", "1");
    cmd
}

pub fn cc_api(dir: &std::path::Path, args: &[&str], env: &[(&str, &str)]) -> std::process::Output {
    command(dir, args)
        .envs(env.iter().copied())
        .output()
        .unwrap()
}

/// `org create` with the admin password read from `file` (`-`: standard input).
fn org_from_file(dir: &std::path::Path, name: &str, email: &str, file: &str) -> Command {
    command(
        dir,
        &[
            "org",
            "create",
            "--name",
            name,
            "--admin-email",
            email,
            "--admin-password-file",
            file,
        ],
    )
}

#[actix_web::test]
async fn seed_demo_is_idempotent_and_its_logins_work() {
    let dir = tempfile::tempdir().unwrap();
    for _ in 0..2 {
        let out = cc_api(dir.path(), &["seed", "--demo"], &[]);
        assert!(
            out.status.success(),
            "{}",
            String::from_utf8_lossy(&out.stderr)
        );
        assert!(String::from_utf8_lossy(&out.stdout).contains("agent@demo.cc-lite.test"));
    }
    let app = start(sqlite_config(dir.path()), tempfile::tempdir().unwrap()).await;
    for role in ["admin", "supervisor", "agent", "analyst"] {
        let token = app
            .login(&format!("{role}@demo.cc-lite.test"), "cc-lite-demo")
            .await;
        assert_eq!(
            app.get("/api/auth/me", &token).await.body["user"]["role"],
            role
        );
    }
    let admin = app.login("admin@demo.cc-lite.test", "cc-lite-demo").await;
    assert_eq!(
        app.get("/api/users", &admin).await.body["total"],
        4,
        "a second seed adds nobody"
    );
}

#[test]
fn org_create_prints_a_generated_password_once_and_refuses_a_bad_email() {
    let dir = tempfile::tempdir().unwrap();
    let out = cc_api(
        dir.path(),
        &[
            "org",
            "create",
            "--name",
            "Acme",
            "--admin-email",
            "ops@acme.test",
        ],
        &[],
    );
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let stdout = String::from_utf8_lossy(&out.stdout);
    assert!(stdout.contains("admin password (shown once): "), "{stdout}");
    let again = cc_api(
        dir.path(),
        &[
            "org",
            "create",
            "--name",
            "Acme",
            "--admin-email",
            "other@acme.test",
        ],
        &[],
    );
    assert!(
        !again.status.success(),
        "a second organization with the same name is refused"
    );
    let bad = cc_api(
        dir.path(),
        &[
            "org",
            "create",
            "--name",
            "Beta",
            "--admin-email",
            "not-an-email",
            "--admin-password",
            "long-enough-pw",
        ],
        &[],
    );
    assert!(!bad.status.success());
}

#[test]
fn a_bad_setting_stops_start_up_with_its_name() {
    let dir = tempfile::tempdir().unwrap();
    let out = cc_api(dir.path(), &["migrate"], &[("CC_BIND", "nowhere")]);
    assert!(!out.status.success());
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(
        stderr.contains("CC_BIND") && stderr.contains("nowhere"),
        "{stderr}"
    );
}

#[test]
fn openapi_prints_the_document() {
    let dir = tempfile::tempdir().unwrap();
    let out = cc_api(dir.path(), &["openapi"], &[]);
    let doc: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(doc["openapi"], "3.1.0");
    assert!(doc["paths"]["/api/auth/login"]["post"].is_object());
}

#[actix_web::test]
async fn the_first_admin_password_can_come_from_a_file_or_stdin_never_the_process_list() {
    use std::io::Write;
    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join("pw");
    std::fs::write(&file, "from-a-file-pw\n").unwrap();
    let out = org_from_file(
        dir.path(),
        "Filed",
        "filed@org.test",
        file.to_str().unwrap(),
    )
    .output()
    .unwrap();
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    assert!(!String::from_utf8_lossy(&out.stdout).contains("shown once"));

    let mut child = org_from_file(dir.path(), "Piped", "piped@org.test", "-")
        .stdin(std::process::Stdio::piped())
        .stdout(std::process::Stdio::piped())
        .stderr(std::process::Stdio::piped())
        .spawn()
        .unwrap();
    child
        .stdin
        .take()
        .unwrap()
        .write_all(b"from-stdin-pw\n")
        .unwrap();
    let out = child.wait_with_output().unwrap();
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );

    let app = start(sqlite_config(dir.path()), tempfile::tempdir().unwrap()).await;
    app.login("filed@org.test", "from-a-file-pw").await;
    app.login("piped@org.test", "from-stdin-pw").await;
    let empty = dir.path().join("empty");
    std::fs::write(&empty, "\n").unwrap();
    let out = org_from_file(dir.path(), "Empty", "e@org.test", empty.to_str().unwrap())
        .output()
        .unwrap();
    assert!(!out.status.success());
}
