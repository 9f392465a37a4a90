//! A realistic support-line flow used by the validation and interpreter tests.

use std::collections::BTreeMap;

use cc_types::call_flow::{CallFlow, FlowNode, GatherInput, InputBranches, NodeKind, Prompt};
use uuid::Uuid;

pub fn prompt(en: &str, cs: &str) -> Prompt {
    BTreeMap::from([
        ("en".to_string(), en.to_string()),
        ("cs".to_string(), cs.to_string()),
    ])
}

pub fn node(id: &str, kind: NodeKind) -> FlowNode {
    FlowNode {
        id: id.into(),
        kind,
    }
}

pub fn branches(retries: u8, no_input: &str, invalid: &str) -> InputBranches {
    InputBranches {
        retries,
        timeout_secs: 5,
        no_input: Some(no_input.into()),
        invalid: Some(invalid.into()),
    }
}

pub fn s(x: &str) -> String {
    x.to_string()
}

pub const CALENDAR: Uuid = Uuid::from_u128(0xCA1);
pub const SUPPORT: Uuid = Uuid::from_u128(0x51);
pub const MAILBOX: Uuid = Uuid::from_u128(0xB0C);
pub const BOT: Uuid = Uuid::from_u128(0xA1);

/// start → hours check → (closed: voicemail) open: language select → menu
/// menu 1 → account gather → lookup webhook → vip condition → enqueue
/// menu 2 → AI agent → handed off → enqueue with the summary; menu 9 → repeat menu
pub fn support_flow() -> CallFlow {
    use NodeKind::*;
    let nodes = vec![
        node("start", Start { next: s("hours") }),
        node(
            "hours",
            BusinessHours {
                calendar: CALENDAR,
                open: s("lang"),
                closed: s("closed_msg"),
                holiday: s("closed_msg"),
            },
        ),
        node(
            "closed_msg",
            Say {
                text: prompt("We are closed.", "Máme zavřeno."),
                next: s("vm"),
            },
        ),
        node("vm", Voicemail { mailbox: MAILBOX }),
        node(
            "lang",
            LanguageSelect {
                prompt: prompt("For English press 1.", "Pro češtinu stiskněte 2."),
                options: BTreeMap::from([(s("1"), s("en")), (s("2"), s("cs"))]),
                next: s("menu"),
                input: branches(1, "menu", "menu"),
            },
        ),
        node(
            "menu",
            Menu {
                prompt: prompt("Billing 1, technical 2.", "Fakturace 1, technika 2."),
                options: BTreeMap::from([
                    (s("1"), s("account")),
                    (s("2"), s("bot")),
                    (s("9"), s("menu")),
                ]),
                input: branches(2, "bye", "bye"),
            },
        ),
        node(
            "account",
            Gather {
                prompt: prompt(
                    "Enter your account number and hash.",
                    "Zadejte číslo účtu a mřížku.",
                ),
                collect: GatherInput::Digits {
                    min_length: 4,
                    max_length: 8,
                    terminator: Some(s("#")),
                },
                variable: s("account"),
                next: s("lookup"),
                input: branches(1, "billing_queue", "billing_queue"),
            },
        ),
        node(
            "lookup",
            Webhook {
                function: s("crm.lookup"),
                timeout_ms: 3000,
                result_variable: s("tier"),
                next: s("is_vip"),
                failure: s("billing_queue"),
            },
        ),
        node(
            "is_vip",
            Condition {
                expression: s("tier == 'gold' || tags contains 'vip'"),
                then: s("vip_queue"),
                otherwise: s("billing_queue"),
            },
        ),
        node(
            "vip_queue",
            Enqueue {
                queue: SUPPORT,
                priority: 9,
                skills: vec![],
            },
        ),
        node(
            "billing_queue",
            Enqueue {
                queue: SUPPORT,
                priority: 5,
                skills: vec![],
            },
        ),
        node(
            "bot",
            AiAgent {
                profile: BOT,
                allowed_tools: vec![s("crm.lookup")],
                summary_variable: s("ai_summary"),
                handed_off: Some(s("tech_queue")),
                finished: Some(s("bye")),
                failed: Some(s("tech_queue")),
            },
        ),
        node(
            "tech_queue",
            Enqueue {
                queue: SUPPORT,
                priority: 6,
                skills: vec![],
            },
        ),
        node("bye", Hangup),
    ];
    CallFlow {
        id: Uuid::from_u128(0xF10),
        version: 1,
        name: s("Support line"),
        languages: vec![s("en"), s("cs")],
        nodes,
    }
}

pub fn replace(flow: &mut CallFlow, id: &str, kind: NodeKind) {
    if let Some(n) = flow.nodes.iter_mut().find(|n| n.id == id) {
        n.kind = kind;
    }
}
