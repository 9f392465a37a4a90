//! Deepgram text-to-speech over REST as a [`SpeechSynthesizer`].
//!
//! `POST {base}/speak?model=…&encoding=mulaw&sample_rate=8000&container=none` with
//! `{"text": …}` returns raw µ-law bytes, ready for a carrier stream; they are decoded to PCM16
//! here because the capability hands out PCM (for mixing and recording).

use serde_json::json;

use crate::audio::g711::decode_ulaw_into;
use crate::capability::synthesis::{SpeechSynthesizer, SynthesisRequest, SynthesizedAudio};
use crate::capability::{BoxFuture, ProviderError};
use crate::http::join;

/// Production REST root.
pub const DEFAULT_BASE_URL: &str = "https://api.deepgram.com/v1";

/// Deepgram Aura TTS.
#[derive(Debug, Clone)]
pub struct DeepgramSpeaker {
    http: reqwest::Client,
    base_url: String,
    api_key: String,
    default_voice: String,
}

impl DeepgramSpeaker {
    /// A synthesizer using `api_key` with the `aura-2-thalia-en` voice by default.
    pub fn new(api_key: impl Into<String>) -> Self {
        Self {
            http: reqwest::Client::new(),
            base_url: DEFAULT_BASE_URL.to_owned(),
            api_key: api_key.into(),
            default_voice: "aura-2-thalia-en".to_owned(),
        }
    }

    /// Points at another REST root (cc-sim).
    pub fn with_base_url(mut self, base_url: impl Into<String>) -> Self {
        self.base_url = base_url.into();
        self
    }

    async fn render(&self, request: SynthesisRequest) -> Result<SynthesizedAudio, ProviderError> {
        let model = request.voice.as_deref().unwrap_or(&self.default_voice);
        let query = form_urlencoded::Serializer::new(String::new())
            .append_pair("model", model)
            .append_pair("encoding", "mulaw")
            .append_pair("sample_rate", "8000")
            .append_pair("container", "none")
            .finish();
        let unavailable = |detail: String| ProviderError::Unavailable {
            provider: "deepgram".into(),
            detail,
        };
        let response = self
            .http
            .post(format!("{}?{query}", join(&self.base_url, "speak")))
            .header("Authorization", format!("Token {}", self.api_key))
            .json(&json!({"text": request.text}))
            .send()
            .await
            .map_err(|e| unavailable(e.to_string()))?;
        let status = response.status().as_u16();
        let body = response
            .bytes()
            .await
            .map_err(|e| unavailable(e.to_string()))?;
        match status {
            200..=299 => {
                let mut samples = Vec::with_capacity(body.len());
                decode_ulaw_into(&body, &mut samples);
                Ok(SynthesizedAudio {
                    sample_rate: 8_000,
                    samples,
                })
            }
            401 | 403 => Err(ProviderError::Unauthorized {
                provider: "deepgram".into(),
            }),
            429 => Err(ProviderError::RateLimited {
                provider: "deepgram".into(),
                retry_after: None,
            }),
            400..=499 => Err(ProviderError::Rejected {
                provider: "deepgram".into(),
                detail: String::from_utf8_lossy(&body).into_owned(),
            }),
            _ => Err(unavailable(format!("HTTP {status}"))),
        }
    }
}

impl SpeechSynthesizer for DeepgramSpeaker {
    fn name(&self) -> &str {
        "deepgram"
    }

    fn synthesize(
        &self,
        request: SynthesisRequest,
    ) -> BoxFuture<'_, Result<SynthesizedAudio, ProviderError>> {
        Box::pin(self.render(request))
    }
}

#[cfg(test)]
#[allow(clippy::unwrap_used, clippy::expect_used)]
mod tests {
    use super::*;
    use crate::capability::Language;
    use crate::test_http::serve_once;

    fn request(text: &str) -> SynthesisRequest {
        SynthesisRequest {
            text: text.into(),
            language: Language::En,
            voice: None,
        }
    }

    #[tokio::test]
    async fn speech_is_requested_as_raw_mulaw_and_decoded() {
        // Two µ-law bytes: negative zero and −8.
        let (base, peer) = serve_once(200, "\u{7f}\u{7e}").await;
        let audio = DeepgramSpeaker::new("k")
            .with_base_url(format!("{base}/v1"))
            .synthesize(request("Hello there"))
            .await
            .unwrap();
        assert_eq!(audio.sample_rate, 8_000);
        assert_eq!(audio.samples, vec![0, -8]);
        let sent = peer.await.unwrap();
        assert_eq!(
            sent.path,
            "/v1/speak?model=aura-2-thalia-en&encoding=mulaw&sample_rate=8000&container=none"
        );
        assert_eq!(sent.header("authorization"), Some("Token k"));
        assert_eq!(sent.json(), serde_json::json!({"text":"Hello there"}));
    }

    #[tokio::test]
    async fn errors_map_to_what_failover_needs() {
        let (base, _peer) = serve_once(401, r#"{"err_code":"INVALID_AUTH"}"#).await;
        let err = DeepgramSpeaker::new("bad")
            .with_base_url(&base)
            .synthesize(request("x"))
            .await
            .unwrap_err();
        assert!(matches!(err, ProviderError::Unauthorized { .. }));
        let (base, _peer) = serve_once(400, r#"{"err_code":"Bad Request"}"#).await;
        let err = DeepgramSpeaker::new("k")
            .with_base_url(&base)
            .synthesize(request(""))
            .await
            .unwrap_err();
        assert!(!err.warrants_failover(), "{err:?}");
        let (base, _peer) = serve_once(503, "{}").await;
        let err = DeepgramSpeaker::new("k")
            .with_base_url(&base)
            .synthesize(request("x"))
            .await
            .unwrap_err();
        assert!(err.warrants_failover());
    }
}
