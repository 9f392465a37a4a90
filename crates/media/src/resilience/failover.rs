//! Ordered failover across speech-to-speech providers, mid-call.
//!
//! A [`FailoverSession`] holds the organization's providers in order, each with its circuit
//! breaker. It opens a session with the first provider whose breaker allows it; when that
//! session fails in a way another provider could fix ([`ProviderError::warrants_failover`]),
//! it records the failure and opens the next provider with the conversation so far (every
//! final transcript line) replayed as text, so the caller does not have to repeat themselves.
//! The caller sees [`SessionEvent::ProviderChanged`] and keeps streaming audio. Audio that was
//! in flight to the failed provider is lost; the caller may repeat a few words at most. The
//! failed provider itself is tried last, so with one provider (or every other one's breaker
//! open) a dropped socket is reconnected, again with the conversation replayed; its breaker
//! counts the failure, so a provider that keeps dropping is left alone once it opens.

use std::sync::{Arc, Mutex};

use super::breaker::{CircuitBreaker, acquire_shared, record_shared};
use crate::capability::agent::{AgentEvent, AgentSession, AgentSessionConfig, SpeechToSpeechAgent};
use crate::capability::{ConversationTurn, ProviderError};

/// One provider in the failover order, with its (shared, per-provider) breaker.
#[derive(Clone)]
pub struct ProviderSlot {
    /// The provider.
    pub agent: Arc<dyn SpeechToSpeechAgent>,
    /// Its breaker, shared by every call using the provider.
    pub breaker: Arc<Mutex<CircuitBreaker>>,
}

/// What a failover session reports.
#[derive(Debug, Clone, PartialEq)]
pub enum SessionEvent {
    /// An event from the current provider.
    Agent(AgentEvent),
    /// The session moved to another provider, or reconnected to the same one (`from == to`);
    /// the transcript so far was replayed to it.
    ProviderChanged {
        /// The provider that failed.
        from: String,
        /// The provider now serving the call.
        to: String,
    },
}

/// A speech-to-speech session that survives the loss of its provider.
pub struct FailoverSession {
    slots: Vec<ProviderSlot>,
    config: AgentSessionConfig,
    index: usize,
    current: Box<dyn AgentSession>,
    history: Vec<ConversationTurn>,
}

fn acquire(slot: &ProviderSlot) -> bool {
    acquire_shared(&slot.breaker)
}

fn record(slot: &ProviderSlot, ok: bool) {
    record_shared(&slot.breaker, ok);
}

/// Connects to the first slot whose breaker allows it, trying them in order from `start` and
/// wrapping around, so the slot before `start` (the one that just failed) comes last: with
/// no other provider left, a dropped provider is reconnected.
async fn connect_from(
    slots: &[ProviderSlot],
    start: usize,
    config: &AgentSessionConfig,
) -> Result<(usize, Box<dyn AgentSession>), ProviderError> {
    let mut last = ProviderError::Unavailable {
        provider: "failover".into(),
        detail: "no provider available".into(),
    };
    let order = (start..slots.len()).chain(0..start.min(slots.len()));
    for index in order {
        let slot = &slots[index];
        if !acquire(slot) {
            continue;
        }
        match slot.agent.connect(config.clone()).await {
            Ok(session) => {
                record(slot, true);
                return Ok((index, session));
            }
            Err(e) => {
                record(slot, false);
                tracing::warn!(provider = slot.agent.name(), error = %e, "speech-to-speech provider failed to connect");
                last = e;
            }
        }
    }
    Err(last)
}

impl FailoverSession {
    /// Opens a session on the first available provider.
    pub async fn start(
        slots: Vec<ProviderSlot>,
        config: AgentSessionConfig,
    ) -> Result<Self, ProviderError> {
        let (index, current) = connect_from(&slots, 0, &config).await?;
        let history = config.history.clone();
        Ok(Self {
            slots,
            config,
            index,
            current,
            history,
        })
    }

    /// The provider serving the call now.
    pub fn provider(&self) -> &str {
        self.slots
            .get(self.index)
            .map(|s| s.agent.name())
            .unwrap_or("")
    }

    /// Final transcript lines so far, including any history the session started with.
    pub fn history(&self) -> &[ConversationTurn] {
        &self.history
    }

    /// Moves to the next provider after `error`, or returns the error if none can take over.
    async fn fail_over(&mut self, error: ProviderError) -> Result<SessionEvent, ProviderError> {
        if !error.warrants_failover() {
            return Err(error);
        }
        let from = self.provider().to_owned();
        if let Some(slot) = self.slots.get(self.index) {
            record(slot, false);
        }
        let mut config = self.config.clone();
        config.history = self.history.clone();
        let (index, session) = connect_from(&self.slots, self.index + 1, &config)
            .await
            .map_err(|_| error)?;
        self.index = index;
        self.current = session;
        let to = self.provider().to_owned();
        tracing::warn!(%from, %to, turns = self.history.len(), "speech-to-speech failover");
        crate::observe::failover(&from, &to);
        Ok(SessionEvent::ProviderChanged { from, to })
    }

    /// Sends caller audio; a failed send fails over and is then dropped (it was live audio).
    pub async fn send_audio(
        &mut self,
        mulaw: &[u8],
    ) -> Result<Option<SessionEvent>, ProviderError> {
        match self.current.send_audio(mulaw).await {
            Ok(()) => Ok(None),
            Err(e) => self.fail_over(e).await.map(Some),
        }
    }

    /// The next event, failing over transparently when the provider drops.
    pub async fn next_event(&mut self) -> Result<Option<SessionEvent>, ProviderError> {
        match self.current.next_event().await {
            Ok(Some(event)) => {
                if let AgentEvent::Transcript {
                    turn,
                    is_final: true,
                } = &event
                {
                    self.history.push(turn.clone());
                }
                Ok(Some(SessionEvent::Agent(event)))
            }
            Ok(None) => Ok(None),
            Err(e) => self.fail_over(e).await.map(Some),
        }
    }

    /// Ends the session with the current provider.
    pub async fn close(&mut self) -> Result<(), ProviderError> {
        self.current.close().await
    }
}

#[cfg(test)]
#[path = "failover_tests.rs"]
mod tests;
