//! Streaming uploads: a `multipart/form-data` file part is received chunk by chunk into a
//! temporary file under the data folder — never whole in memory — and refused with 413 as
//! soon as it passes `CC_UPLOAD_LIMIT` (the JSON body limit stays for everything else).
//! An import route takes the request and its `web::Payload`, calls [`receive_file`], and
//! hands the [`Upload`] to a durable job; the file is deleted when the `Upload` is dropped
//! (persist it first to keep it).

use std::io::Write;
use std::path::Path;

use actix_multipart::Multipart;
use actix_web::{HttpRequest, web};
use cc_types::ErrorCode;
use futures_util::StreamExt;
use sha2::Digest;

use crate::error::{ApiError, ApiResult, FieldIssue};

/// A received file.
#[derive(Debug)]
pub struct Upload {
    /// The bytes, in a temporary file (deleted on drop).
    pub file: tempfile::NamedTempFile,
    /// Its size.
    pub bytes: u64,
    /// SHA-256 of the content, hex (to recognise a file uploaded twice).
    pub sha256: String,
    /// The name the client gave the file, if any (display only: never a path).
    pub filename: Option<String>,
}

/// Receives the file part named `field` of a multipart request into `dir`, at most `limit`
/// bytes. Other parts are skipped. 415 when the request is not multipart, 413 past the
/// limit, 400 for a broken body, 422 when the part is missing.
pub async fn receive_file(
    req: &HttpRequest,
    payload: web::Payload,
    field: &'static str,
    limit: u64,
    dir: &Path,
) -> ApiResult<Upload> {
    let is_multipart = req
        .headers()
        .get(actix_web::http::header::CONTENT_TYPE)
        .and_then(|v| v.to_str().ok())
        .is_some_and(|v| v.to_ascii_lowercase().starts_with("multipart/form-data"));
    if !is_multipart {
        return Err(ErrorCode::UnsupportedMediaType.into());
    }
    let mut parts = Multipart::new(req.headers(), payload);
    while let Some(part) = parts.next().await {
        let mut part = part.map_err(|_| ApiError::Client(ErrorCode::MalformedBody))?;
        if part.name() != Some(field) {
            while let Some(chunk) = part.next().await {
                chunk.map_err(|_| ApiError::Client(ErrorCode::MalformedBody))?;
            }
            continue;
        }
        let filename = part
            .content_disposition()
            .and_then(|d| d.get_filename())
            .map(|n| n.chars().filter(|c| !c.is_control()).take(255).collect());
        std::fs::create_dir_all(dir).map_err(anyhow::Error::from)?;
        let mut file = tempfile::NamedTempFile::new_in(dir).map_err(anyhow::Error::from)?;
        let mut digest = sha2::Sha256::new();
        let mut bytes: u64 = 0;
        while let Some(chunk) = part.next().await {
            let chunk = chunk.map_err(|_| ApiError::Client(ErrorCode::MalformedBody))?;
            bytes = bytes.saturating_add(chunk.len() as u64);
            if bytes > limit {
                metrics::counter!("uploads_refused_total", "reason" => "too_large").increment(1);
                return Err(ErrorCode::PayloadTooLarge.into());
            }
            digest.update(&chunk);
            // Chunks are small (tens of KiB) and land in the page cache.
            file.write_all(&chunk).map_err(anyhow::Error::from)?;
        }
        file.flush().map_err(anyhow::Error::from)?;
        metrics::counter!("uploads_received_total").increment(1);
        metrics::counter!("uploads_received_bytes_total").increment(bytes);
        return Ok(Upload {
            file,
            bytes,
            sha256: hex::encode(digest.finalize()),
            filename,
        });
    }
    Err(ApiError::Validation(vec![FieldIssue::new(
        field, "required",
    )]))
}

#[cfg(test)]
#[allow(clippy::unwrap_used, clippy::expect_used)]
mod tests {
    use super::*;
    use actix_web::{App, HttpResponse, test};

    const BOUNDARY: &str = "cc-lite-test-boundary";

    fn multipart(parts: &[(&str, Option<&str>, &[u8])]) -> Vec<u8> {
        let mut body = Vec::new();
        for (name, filename, content) in parts {
            body.extend_from_slice(format!("--{BOUNDARY}\r\n").as_bytes());
            let disposition = match filename {
                Some(f) => format!("form-data; name=\"{name}\"; filename=\"{f}\""),
                None => format!("form-data; name=\"{name}\""),
            };
            body.extend_from_slice(
                format!("Content-Disposition: {disposition}\r\n\r\n").as_bytes(),
            );
            body.extend_from_slice(content);
            body.extend_from_slice(b"\r\n");
        }
        body.extend_from_slice(format!("--{BOUNDARY}--\r\n").as_bytes());
        body
    }

    async fn upload(
        dir: &Path,
        limit: u64,
        content_type: &str,
        body: Vec<u8>,
    ) -> (u16, serde_json::Value) {
        let dir = dir.to_path_buf();
        let app = test::init_service(App::new().route(
            "/upload",
            web::post().to(move |req: HttpRequest, payload: web::Payload| {
                let dir = dir.clone();
                async move {
                    let up = receive_file(&req, payload, "file", limit, &dir).await?;
                    let on_disk = std::fs::read(up.file.path()).unwrap();
                    Ok::<_, ApiError>(HttpResponse::Ok().json(serde_json::json!({
                        "bytes": up.bytes,
                        "sha256": up.sha256,
                        "filename": up.filename,
                        "on_disk": on_disk.len(),
                    })))
                }
            }),
        ))
        .await;
        let req = test::TestRequest::post()
            .uri("/upload")
            .insert_header(("content-type", content_type))
            .set_payload(body)
            .to_request();
        let res = test::call_service(&app, req).await;
        let status = res.status().as_u16();
        let bytes = test::read_body(res).await;
        (status, serde_json::from_slice(&bytes).unwrap_or_default())
    }

    fn multipart_type() -> String {
        format!("multipart/form-data; boundary={BOUNDARY}")
    }

    #[actix_web::test]
    async fn a_file_part_streams_to_disk_with_its_digest_and_other_parts_are_skipped() {
        let dir = tempfile::tempdir().unwrap();
        let csv = b"phone,name\n+420601123456,Jana\n".repeat(1000);
        let body = multipart(&[
            ("note", None, b"ignored"),
            ("file", Some("leads.csv"), &csv),
        ]);
        let (status, json) = upload(dir.path(), 1 << 20, &multipart_type(), body).await;
        assert_eq!(status, 200, "{json}");
        assert_eq!(json["bytes"], csv.len());
        assert_eq!(json["on_disk"], csv.len());
        assert_eq!(json["filename"], "leads.csv");
        assert_eq!(json["sha256"], hex::encode(sha2::Sha256::digest(&csv)));
        assert_eq!(
            std::fs::read_dir(dir.path()).unwrap().count(),
            0,
            "the temporary file is gone once the upload is dropped"
        );
    }

    #[actix_web::test]
    async fn too_large_wrong_type_and_missing_parts_are_clear_errors() {
        let dir = tempfile::tempdir().unwrap();
        let big = vec![b'x'; 10_000];
        let body = multipart(&[("file", Some("big.csv"), &big)]);
        let (status, _) = upload(dir.path(), 4096, &multipart_type(), body).await;
        assert_eq!(status, 413);
        let (status, _) = upload(dir.path(), 4096, "text/csv", b"a,b\n".to_vec()).await;
        assert_eq!(status, 415);
        let body = multipart(&[("other", None, b"x")]);
        let (status, json) = upload(dir.path(), 4096, &multipart_type(), body).await;
        assert_eq!(status, 422);
        assert_eq!(json["errors"][0]["field"], "file");
        assert_eq!(std::fs::read_dir(dir.path()).unwrap().count(), 0);
    }
}
