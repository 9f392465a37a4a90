//! No Docker engine runs here, so the deployment files are checked for structure: the
//! services, their wiring, ports and the environment cc-api needs.
#![allow(clippy::unwrap_used, clippy::expect_used)]

use std::path::Path;

use serde_yaml::Value;

fn root() -> &'static Path {
    Path::new(concat!(env!("CARGO_MANIFEST_DIR"), "/../.."))
}

fn compose() -> Value {
    serde_yaml::from_str(&std::fs::read_to_string(root().join("docker-compose.yml")).unwrap())
        .unwrap()
}

#[test]
fn compose_has_postgres_redis_api_and_prometheus() {
    let c = compose();
    for name in ["postgres", "redis", "cc-api", "prometheus"] {
        assert!(c["services"][name].is_mapping(), "service {name} missing");
    }
}

#[test]
fn the_api_points_at_the_compose_database_and_redis_and_publishes_its_port() {
    let c = compose();
    let api = &c["services"]["cc-api"];
    let env = &api["environment"];
    let db = env["CC_DATABASE_URL"].as_str().unwrap();
    let pg = &c["services"]["postgres"]["environment"];
    let expected = format!(
        "postgres://{}:{}@postgres:5432/{}",
        pg["POSTGRES_USER"].as_str().unwrap(),
        pg["POSTGRES_PASSWORD"].as_str().unwrap(),
        pg["POSTGRES_DB"].as_str().unwrap()
    );
    assert_eq!(db, expected);
    assert_eq!(env["CC_REDIS_URL"].as_str().unwrap(), "redis://redis:6379");
    assert_eq!(env["CC_BIND"].as_str().unwrap(), "0.0.0.0:8080");
    assert!(
        api["ports"]
            .as_sequence()
            .unwrap()
            .iter()
            .any(|p| p.as_str() == Some("8080:8080"))
    );
    for dep in ["postgres", "redis"] {
        assert_eq!(
            api["depends_on"][dep]["condition"].as_str(),
            Some("service_healthy")
        );
    }
    // The environment it sets must be settings cc-api knows.
    let mut vars = std::collections::HashMap::new();
    for (k, v) in env.as_mapping().unwrap() {
        vars.insert(
            k.as_str().unwrap().to_owned(),
            v.as_str().unwrap().to_owned(),
        );
    }
    let dir = tempfile::tempdir().unwrap();
    let config = cc_api::config::Config::load_from(&vars, dir.path()).unwrap();
    assert_eq!(config.bind.port(), 8080);
}

#[test]
fn prometheus_scrapes_the_api_metrics_endpoint() {
    let c = compose();
    let mount = c["services"]["prometheus"]["volumes"][0].as_str().unwrap();
    let local = mount.split(':').next().unwrap();
    let prom: Value =
        serde_yaml::from_str(&std::fs::read_to_string(root().join(local)).unwrap()).unwrap();
    let job = &prom["scrape_configs"][0];
    assert_eq!(job["metrics_path"].as_str(), Some("/metrics"));
    assert_eq!(
        job["static_configs"][0]["targets"][0].as_str(),
        Some("cc-api:8080")
    );
}

#[test]
fn the_dockerfile_builds_in_stages_and_runs_the_server() {
    let d = std::fs::read_to_string(root().join("Dockerfile")).unwrap();
    assert!(d.matches("FROM ").count() >= 2, "multi-stage");
    assert!(d.contains("cargo build --release -p cc-api"));
    assert!(d.contains("CMD [\"serve\"]"));
    assert!(d.contains("USER "), "does not run as root");
}
