//! A screen's heading: it names the document and takes focus when the screen opens, so a
//! screen-reader user hears where a navigation led.

use leptos::html::H1;
use leptos::prelude::*;

#[component]
pub fn PageTitle(#[prop(into)] text: Signal<String>) -> impl IntoView {
    let heading = NodeRef::<H1>::new();
    Effect::new(move |_| {
        let title = text.get();
        if let Some(doc) = web_sys::window().and_then(|w| w.document()) {
            doc.set_title(&format!("{title} · CC-Lite"));
        }
    });
    Effect::new(move |_| {
        if let Some(h) = heading.get() {
            let _ = h.focus();
        }
    });
    view! {
        <h1 node_ref=heading tabindex="-1" data-test="page-title">{text}</h1>
    }
}
