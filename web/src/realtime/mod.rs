//! The shell's one WebSocket: ticket authentication, its state for the header, reconnection
//! with exponential backoff and jitter, and the topics the screens use ([`use_topic`]),
//! subscribed while some screen uses them and again after every reconnection.

use std::any::Any;

use cc_types::events::{ClientMessage, ServerMessage, Topic};
use gloo_timers::future::TimeoutFuture;
use leptos::prelude::*;
use leptos::task::spawn_local;
use wasm_bindgen::JsCast;
use wasm_bindgen::closure::Closure;
use web_sys::{CloseEvent, Event, MessageEvent, WebSocket};

use crate::api::realtime::{create_ws_ticket, ws_url};
use crate::api::{Api, ApiError};

mod topics;

use topics::Topics;
pub use topics::{TopicFeed, use_topic};

const MAX_BACKOFF_MS: f64 = 30_000.0;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum WsState {
    Connecting,
    Open,
    Closed,
}

impl WsState {
    pub fn as_str(self) -> &'static str {
        match self {
            WsState::Connecting => "connecting",
            WsState::Open => "open",
            WsState::Closed => "closed",
        }
    }
}

struct Conn {
    socket: WebSocket,
    _handlers: Vec<Box<dyn Any>>,
}

#[derive(Clone, Copy)]
pub struct Realtime {
    pub state: RwSignal<WsState>,
    /// Topics the server confirmed on the current connection.
    pub confirmed: RwSignal<Vec<Topic>>,
    topics: StoredValue<Topics, LocalStorage>,
    attempt: RwSignal<u32>,
    stopped: RwSignal<bool>,
    conn: StoredValue<Option<Conn>, LocalStorage>,
    api: Api,
}

impl Realtime {
    pub fn new(api: Api) -> Realtime {
        Realtime {
            state: RwSignal::new(WsState::Connecting),
            confirmed: RwSignal::new(Vec::new()),
            topics: StoredValue::new_local(Topics::default()),
            attempt: RwSignal::new(0),
            stopped: RwSignal::new(false),
            conn: StoredValue::new_local(None),
            api,
        }
    }

    pub fn start(self) {
        spawn_local(self.connect());
    }

    /// Closes the socket for good (sign-out). Its handlers go first: they would otherwise
    /// run after the shell, and the signals they write, are gone.
    pub fn stop(self) {
        let _ = self.stopped.try_set(true);
        let _ = self.conn.try_update_value(|c| {
            if let Some(c) = c.take() {
                c.socket.set_onopen(None);
                c.socket.set_onmessage(None);
                c.socket.set_onclose(None);
                let _ = c.socket.close();
            }
        });
    }

    /// Whether the shell that owns this connection is still there and signed in. Tasks
    /// that wake up later (a ticket answer, a backoff timer) check it first.
    fn live(self) -> bool {
        self.stopped.try_get_untracked() == Some(false)
    }

    /// A screen starts using `topic` (see [`use_topic`]): the first one subscribes.
    fn join(self, topic: Topic) -> TopicFeed {
        let Some((feed, first)) = self.topics.try_update_value(|t| t.join(topic)) else {
            return TopicFeed::idle();
        };
        if first && self.state.get_untracked() == WsState::Open {
            self.send(&ClientMessage::Subscribe { topic });
        }
        feed
    }

    /// A screen stops using `topic`: the last one unsubscribes. Also runs when the whole
    /// shell goes away, after the connection may be gone.
    fn leave(self, topic: Topic) {
        let last = self.topics.try_update_value(|t| t.leave(topic)) == Some(true);
        if last && self.state.try_get_untracked() == Some(WsState::Open) {
            self.send(&ClientMessage::Unsubscribe { topic });
        }
    }

    fn send(self, msg: &ClientMessage) {
        let Ok(text) = serde_json::to_string(msg) else {
            return;
        };
        self.conn.try_with_value(|c| {
            if let Some(c) = c {
                let _ = c.socket.send_with_str(&text);
            }
        });
    }

    async fn connect(self) {
        if !self.live() {
            return;
        }
        self.state.set(WsState::Connecting);
        self.confirmed.set(Vec::new());
        let ticket = create_ws_ticket(self.api).await;
        if !self.live() {
            return;
        }
        let ticket = match ticket {
            Ok(t) => t,
            Err(ApiError::SessionExpired) => return self.stop(),
            Err(_) => return self.retry_later(),
        };
        match open_socket(&ticket.ticket) {
            Some(socket) => self.attach(socket),
            None => self.retry_later(),
        }
    }

    fn attach(self, socket: WebSocket) {
        let on_open = Closure::<dyn FnMut(Event)>::new(move |_: Event| {
            self.state.set(WsState::Open);
            self.attempt.set(0);
            for topic in self.topics.try_with_value(Topics::all).unwrap_or_default() {
                self.send(&ClientMessage::Subscribe { topic });
            }
        });
        let on_message = Closure::<dyn FnMut(MessageEvent)>::new(move |e: MessageEvent| {
            if let Some(text) = e.data().as_string() {
                self.receive(&text);
            }
        });
        let on_close = Closure::<dyn FnMut(CloseEvent)>::new(move |_: CloseEvent| {
            self.state.set(WsState::Closed);
            self.confirmed.set(Vec::new());
            self.retry_later();
        });
        socket.set_onopen(Some(on_open.as_ref().unchecked_ref()));
        socket.set_onmessage(Some(on_message.as_ref().unchecked_ref()));
        socket.set_onclose(Some(on_close.as_ref().unchecked_ref()));
        let handlers: Vec<Box<dyn Any>> =
            vec![Box::new(on_open), Box::new(on_message), Box::new(on_close)];
        self.conn.set_value(Some(Conn {
            socket,
            _handlers: handlers,
        }));
    }

    fn receive(self, text: &str) {
        match serde_json::from_str::<ServerMessage>(text) {
            Ok(ServerMessage::Event { topic, event, .. }) => {
                if let Some(screens) = self.topics.try_with_value(|t| t.of(topic)).flatten() {
                    screens.event(event);
                }
            }
            Ok(ServerMessage::Resync { .. }) => {
                for screens in self
                    .topics
                    .try_with_value(Topics::every)
                    .unwrap_or_default()
                {
                    screens.changed();
                }
            }
            Ok(ServerMessage::Subscribed { topic }) => {
                self.confirmed.update(|t| {
                    if !t.contains(&topic) {
                        t.push(topic);
                    }
                });
                if let Some(screens) = self
                    .topics
                    .try_update_value(|t| t.confirmed(topic))
                    .flatten()
                {
                    screens.changed();
                }
            }
            Ok(ServerMessage::Unsubscribed { topic }) => {
                self.confirmed.update(|t| t.retain(|x| *x != topic))
            }
            _ => {}
        }
    }

    fn retry_later(self) {
        if !self.live() {
            return;
        }
        self.state.set(WsState::Closed);
        let attempt = self.attempt.get_untracked();
        self.attempt.set(attempt.saturating_add(1));
        let ceiling = (500.0 * 2f64.powi(attempt.min(10) as i32)).min(MAX_BACKOFF_MS);
        let delay = ceiling * (0.5 + js_sys::Math::random() / 2.0);
        spawn_local(async move {
            TimeoutFuture::new(delay as u32).await;
            self.connect().await;
        });
    }
}

fn open_socket(ticket: &str) -> Option<WebSocket> {
    WebSocket::new(&ws_url(ticket)?).ok()
}
