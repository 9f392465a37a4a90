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

const INSTANCES: [&str; 2] = ["cc-api", "cc-api-2"];

#[test]
fn compose_has_postgres_redis_two_instances_a_proxy_and_prometheus() {
    let c = compose();
    for name in [
        "postgres",
        "redis",
        "cc-api",
        "cc-api-2",
        "proxy",
        "prometheus",
    ] {
        assert!(c["services"][name].is_mapping(), "service {name} missing");
    }
}

/// An instance's environment as a map, checked to be settings cc-api accepts.
fn instance_env(c: &Value, name: &str) -> std::collections::HashMap<String, String> {
    let mut vars = std::collections::HashMap::new();
    for (k, v) in c["services"][name]["environment"].as_mapping().unwrap() {
        vars.insert(
            k.as_str().unwrap().to_owned(),
            v.as_str().unwrap().to_owned(),
        );
    }
    let dir = tempfile::tempdir().unwrap();
    let config = cc_api::config::Config::load_from(&vars, dir.path()).unwrap();
    assert_eq!(config.bind.port(), 8080, "{name}");
    vars
}

#[test]
fn both_instances_share_the_compose_database_redis_and_data_directory() {
    let c = compose();
    let pg = &c["services"]["postgres"]["environment"];
    let expected = format!(
        "postgres://{}:{}@postgres:5432/{}",
        pg["POSTGRES_USER"].as_str().unwrap(),
        pg["POSTGRES_PASSWORD"].as_str().unwrap(),
        pg["POSTGRES_DB"].as_str().unwrap()
    );
    let first = instance_env(&c, INSTANCES[0]);
    assert_eq!(first["CC_DATABASE_URL"], expected);
    assert_eq!(first["CC_REDIS_URL"], "redis://redis:6379");
    assert_eq!(first["CC_BIND"], "0.0.0.0:8080");
    for name in INSTANCES {
        let api = &c["services"][name];
        // The same settings (database, Redis, signing key location): one deployment.
        assert_eq!(instance_env(&c, name), first, "{name}");
        assert_eq!(
            api["volumes"], c["services"][INSTANCES[0]]["volumes"],
            "{name}"
        );
        for dep in ["postgres", "redis"] {
            assert_eq!(
                api["depends_on"][dep]["condition"].as_str(),
                Some("service_healthy"),
                "{name}"
            );
        }
        // Reached through the proxy only.
        assert!(api["ports"].is_null(), "{name} publishes a port");
    }
}

#[test]
fn the_proxy_fronts_both_instances_and_is_the_only_proxy_they_trust() {
    let c = compose();
    let proxy = &c["services"]["proxy"];
    let mounts: Vec<&str> = proxy["volumes"]
        .as_sequence()
        .unwrap()
        .iter()
        .filter_map(|v| v.as_str())
        .collect();
    assert!(
        mounts.contains(&"./deploy/Caddyfile:/etc/caddy/Caddyfile:ro"),
        "{mounts:?}"
    );
    assert_eq!(proxy["ports"][0].as_str(), Some("8080:80"));
    let caddyfile = std::fs::read_to_string(root().join("deploy/Caddyfile")).unwrap();
    for (i, name) in INSTANCES.iter().enumerate() {
        assert!(
            caddyfile.contains(&format!("{{$CC_UPSTREAM_{}:{name}:8080}}", i + 1)),
            "the Caddyfile does not default to {name}"
        );
        assert!(
            proxy["depends_on"]
                .as_sequence()
                .unwrap()
                .iter()
                .any(|d| d.as_str() == Some(name))
        );
    }
    let address = proxy["networks"]["default"]["ipv4_address"]
        .as_str()
        .unwrap();
    let subnet: ipnet::IpNet = c["networks"]["default"]["ipam"]["config"][0]["subnet"]
        .as_str()
        .unwrap()
        .parse()
        .unwrap();
    assert!(subnet.contains(&address.parse::<std::net::IpAddr>().unwrap()));
    let env = instance_env(&c, INSTANCES[0]);
    assert_eq!(env["CC_TRUST_FORWARDED"], "true");
    assert_eq!(env["CC_TRUSTED_PROXIES"], format!("{address}/32"));
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
    let targets: Vec<&str> = job["static_configs"][0]["targets"]
        .as_sequence()
        .unwrap()
        .iter()
        .filter_map(|t| t.as_str())
        .collect();
    assert_eq!(targets, INSTANCES.map(|i| format!("{i}:8080")));
    // The alert rules are loaded from where the compose file mounts them.
    let rules = prom["rule_files"][0].as_str().unwrap();
    let mounts = c["services"]["prometheus"]["volumes"]
        .as_sequence()
        .unwrap();
    assert!(
        mounts
            .iter()
            .filter_map(|m| m.as_str())
            .any(|m| m.starts_with(&format!("./deploy/alerts.yml:{rules}"))),
        "{rules} is not mounted from deploy/alerts.yml"
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

#[test]
fn grafana_is_provisioned_with_the_dashboard_and_the_compose_prometheus() {
    let c = compose();
    let grafana = &c["services"]["grafana"];
    let mounts: Vec<&str> = grafana["volumes"]
        .as_sequence()
        .unwrap()
        .iter()
        .filter_map(|v| v.as_str())
        .collect();
    for (host, container) in [
        ("./deploy/grafana/provisioning", "/etc/grafana/provisioning"),
        ("./deploy/grafana/dashboards", "/var/lib/grafana/dashboards"),
    ] {
        assert!(
            mounts
                .iter()
                .any(|m| m.starts_with(&format!("{host}:{container}"))),
            "{host} mounted at {container}: {mounts:?}"
        );
        assert!(
            root().join(host.trim_start_matches("./")).is_dir(),
            "{host}"
        );
    }
    let provider: Value = serde_yaml::from_str(
        &std::fs::read_to_string(root().join("deploy/grafana/provisioning/dashboards/cc-lite.yml"))
            .unwrap(),
    )
    .unwrap();
    assert_eq!(
        provider["providers"][0]["options"]["path"].as_str(),
        Some("/var/lib/grafana/dashboards")
    );
    let source: Value = serde_yaml::from_str(
        &std::fs::read_to_string(
            root().join("deploy/grafana/provisioning/datasources/prometheus.yml"),
        )
        .unwrap(),
    )
    .unwrap();
    assert_eq!(
        source["datasources"][0]["url"].as_str(),
        Some("http://prometheus:9090")
    );
    assert!(c["services"]["prometheus"].is_mapping());
}

/// The metrics the server's code records, by kind (`counter!("name"` and the like).
fn exported_metrics() -> std::collections::HashMap<String, String> {
    let mut found = std::collections::HashMap::new();
    let mut stack = vec![root().join("crates/api/src")];
    while let Some(dir) = stack.pop() {
        for entry in std::fs::read_dir(dir).unwrap().flatten() {
            let path = entry.path();
            if path.is_dir() {
                stack.push(path);
                continue;
            }
            let text = std::fs::read_to_string(&path).unwrap_or_default();
            for kind in ["counter", "gauge", "histogram"] {
                for part in text.split(&format!("{kind}!(")).skip(1) {
                    let name = part
                        .trim_start()
                        .strip_prefix('"')
                        .and_then(|r| r.split('"').next());
                    if let Some(name) = name {
                        found.insert(name.to_owned(), kind.to_owned());
                    }
                }
            }
        }
    }
    found
}

/// The metric names in a PromQL expression: identifiers followed by a selector, a range
/// or a closing parenthesis, outside label matchers and `by (...)` lists.
fn metric_names(expr: &str) -> Vec<String> {
    let chars: Vec<char> = expr.chars().collect();
    let mut names = Vec::new();
    let mut i = 0;
    while i < chars.len() {
        if !chars[i].is_ascii_lowercase() {
            i += 1;
            continue;
        }
        let start = i;
        while i < chars.len() && (chars[i].is_ascii_alphanumeric() || chars[i] == '_') {
            i += 1;
        }
        let word: String = chars[start..i].iter().collect();
        let before: String = chars[..start].iter().collect();
        let next = chars[i..].iter().find(|c| !c.is_whitespace()).copied();
        let inside_labels = before.matches('{').count() > before.matches('}').count();
        let grouping = before.trim_end().ends_with("by (") || before.trim_end().ends_with(',');
        let known = word == "up" || word.contains('_');
        if known
            && !inside_labels
            && !grouping
            && matches!(next, Some('{' | '[' | ')') | None)
            && !matches!(word.as_str(), "histogram_quantile")
        {
            names.push(word);
        }
    }
    names
}

/// Fails unless every metric `expr` names is one the server exports (a `_bucket` of a
/// histogram); answers how many it checked. `up` is Prometheus' own.
fn check_exported(
    expr: &str,
    exported: &std::collections::HashMap<String, String>,
    from: &str,
) -> usize {
    let names = metric_names(expr);
    assert!(!names.is_empty(), "no metric found in {expr}");
    for name in &names {
        if name == "up" {
            continue;
        }
        let (base, want) = match name.strip_suffix("_bucket") {
            Some(base) => (base.to_owned(), "histogram"),
            None => (name.clone(), ""),
        };
        let kind = exported
            .get(&base)
            .unwrap_or_else(|| panic!("{from} queries {name}, which the server does not export"));
        if !want.is_empty() {
            assert_eq!(kind, want, "{name} needs a histogram");
        }
    }
    names.len()
}

#[test]
fn the_dashboard_queries_only_metrics_the_server_exports() {
    let exported = exported_metrics();
    assert!(exported.len() >= 10, "{exported:?}");
    let dash: serde_json::Value = serde_json::from_str(
        &std::fs::read_to_string(root().join("deploy/grafana/dashboards/cc-lite.json")).unwrap(),
    )
    .unwrap();
    let mut queried = 0;
    for panel in dash["panels"].as_array().unwrap() {
        for target in panel["targets"].as_array().into_iter().flatten() {
            queried += check_exported(target["expr"].as_str().unwrap(), &exported, "the dashboard");
        }
    }
    assert!(queried >= 15, "{queried} metric references");
}

#[test]
fn the_alert_rules_read_only_metrics_the_server_exports() {
    let exported = exported_metrics();
    let rules: Value =
        serde_yaml::from_str(&std::fs::read_to_string(root().join("deploy/alerts.yml")).unwrap())
            .unwrap();
    let mut alerts = 0;
    for group in rules["groups"].as_sequence().unwrap() {
        for rule in group["rules"].as_sequence().unwrap() {
            let name = rule["alert"].as_str().unwrap();
            check_exported(rule["expr"].as_str().unwrap(), &exported, name);
            assert!(
                rule["annotations"]["summary"].is_string(),
                "{name} has no summary"
            );
            alerts += 1;
        }
    }
    assert!(alerts >= 6, "{alerts} alerts");
}

#[test]
fn metric_names_are_read_off_promql() {
    assert_eq!(
        metric_names("sum by (le, route) (rate(http_request_duration_seconds_bucket[5m]))"),
        ["http_request_duration_seconds_bucket"]
    );
    assert_eq!(metric_names(r#"up{job="cc-api"} == 0"#), ["up"]);
    assert_eq!(
        metric_names(r#"sum(rate(a_total{status=~"5.."}[5m])) / sum(rate(b_total[5m]))"#),
        ["a_total", "b_total"]
    );
}

/// Every setting the configuration documents on its fields (`CC_…` in backticks).
fn documented_settings() -> Vec<String> {
    let source = std::fs::read_to_string(root().join("crates/api/src/config/mod.rs")).unwrap();
    let mut names = Vec::new();
    for line in source.lines().filter(|l| l.trim_start().starts_with("///")) {
        for part in line.split('`').skip(1).step_by(2) {
            let is_name = part.starts_with("CC_")
                && part[3..]
                    .chars()
                    .all(|c| c.is_ascii_uppercase() || c.is_ascii_digit() || c == '_');
            if is_name && !names.iter().any(|n| n == part) {
                names.push(part.to_owned());
            }
        }
    }
    names
}

#[test]
fn every_setting_is_in_the_configuration_reference() {
    let settings = documented_settings();
    assert!(settings.len() >= 30, "{settings:?}");
    let ops = std::fs::read_to_string(root().join("docs/OPERATIONS.md")).unwrap();
    let reference = ops
        .split("## Configuration reference")
        .nth(1)
        .and_then(|rest| rest.split("\n## ").next())
        .expect("docs/OPERATIONS.md has a configuration reference");
    let missing: Vec<&String> = settings
        .iter()
        .filter(|s| !reference.contains(&format!("`{s}`")))
        .collect();
    assert!(
        missing.is_empty(),
        "not in the configuration reference: {missing:?}"
    );
}
