//! The committed OpenAPI document is the contract: it must equal what the code generates,
//! and every operation carries an id, a tag and problem+json error answers.
#![allow(clippy::unwrap_used, clippy::expect_used)]

#[test]
fn the_committed_document_matches_the_code() {
    let generated = cc_api::startup::document().to_pretty_json().unwrap();
    let path = concat!(env!("CARGO_MANIFEST_DIR"), "/../../openapi/openapi.json");
    let committed = std::fs::read_to_string(path).unwrap_or_default();
    assert!(
        generated.trim_end() == committed.trim_end(),
        "openapi/openapi.json is stale: run `cargo xtask openapi`"
    );
}

#[test]
fn every_operation_is_named_tagged_and_documents_its_errors_as_problems() {
    let doc: serde_json::Value = serde_json::to_value(cc_api::startup::document()).unwrap();
    for (path, item) in doc["paths"].as_object().unwrap() {
        for (method, op) in item.as_object().unwrap() {
            let id = op["operationId"].as_str().unwrap_or_default();
            assert!(!id.is_empty(), "{method} {path} has no operationId");
            assert!(
                op["tags"].as_array().is_some_and(|t| !t.is_empty()),
                "{id} has no tag"
            );
            for (status, res) in op["responses"].as_object().unwrap() {
                if status.starts_with('4') && path.starts_with("/api") {
                    assert!(
                        res["content"]["application/problem+json"].is_object(),
                        "{id} {status} is not problem+json"
                    );
                }
            }
        }
    }
    let schemes = &doc["components"]["securitySchemes"];
    assert!(schemes["bearer"].is_object() && schemes["api_key"].is_object());
}
