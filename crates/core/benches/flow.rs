//! Call-flow speed: validation of a 500-node flow, and interpreter steps per second on a
//! call that walks the whole flow (each digit event runs a condition, a set variable, a
//! say and the next menu).

use std::collections::BTreeMap;
use std::hint::black_box;
use std::time::{Duration, Instant};

use cc_core::flow::{CallState, FlowEnv, FlowEvent, PublishedFlow, step, validate};
use cc_types::call_flow::{CallFlow, FlowNode, InputBranches, NodeKind};
use chrono::DateTime;
use criterion::Criterion;
use uuid::Uuid;

const SEGMENTS: usize = 100;

fn node(id: String, kind: NodeKind) -> FlowNode {
    FlowNode { id, kind }
}

fn text(en: String) -> BTreeMap<String, String> {
    BTreeMap::from([
        ("cs".to_string(), format!("cs: {en}")),
        ("en".to_string(), en),
    ])
}

/// 100 segments of say → menu → condition → set variable (+ a queue exit): 502 nodes.
fn big_flow() -> CallFlow {
    let mut nodes = vec![node(
        "start".into(),
        NodeKind::Start {
            next: "say_0".into(),
        },
    )];
    for k in 0..SEGMENTS {
        let next = if k + 1 == SEGMENTS {
            "bye".to_string()
        } else {
            format!("say_{}", k + 1)
        };
        let expression = if k == 0 {
            "caller contains '+420'".to_string()
        } else {
            format!("v_{} == 'seen' && caller contains '+420'", k - 1)
        };
        let input = InputBranches {
            retries: 1,
            timeout_secs: 5,
            no_input: Some("bye".into()),
            invalid: Some(format!("menu_{k}")),
        };
        let options = BTreeMap::from([
            ("1".to_string(), format!("cond_{k}")),
            ("2".to_string(), format!("queue_{k}")),
        ]);
        nodes.push(node(
            format!("say_{k}"),
            NodeKind::Say {
                text: text(format!("Step {k}")),
                next: format!("menu_{k}"),
            },
        ));
        nodes.push(node(
            format!("menu_{k}"),
            NodeKind::Menu {
                prompt: text(format!("Menu {k}")),
                options,
                input,
            },
        ));
        nodes.push(node(
            format!("cond_{k}"),
            NodeKind::Condition {
                expression,
                then: format!("set_{k}"),
                otherwise: format!("queue_{k}"),
            },
        ));
        nodes.push(node(
            format!("set_{k}"),
            NodeKind::SetVariable {
                name: format!("v_{k}"),
                value: "'seen'".into(),
                next,
            },
        ));
        nodes.push(node(
            format!("queue_{k}"),
            NodeKind::Enqueue {
                queue: Uuid::from_u128(1),
                priority: 5,
                skills: vec![],
            },
        ));
    }
    nodes.push(node("bye".into(), NodeKind::Hangup));
    CallFlow {
        id: Uuid::from_u128(7),
        version: 1,
        name: "big".into(),
        languages: vec!["en".into(), "cs".into()],
        nodes,
    }
}

/// Runs one call through the whole flow; answers the number of steps taken.
fn walk(flow: &PublishedFlow, env: &FlowEnv) -> usize {
    let started = FlowEvent::Started {
        caller: "+420601000000".into(),
        called: "+420800000000".into(),
        tags: vec![],
    };
    let Ok((mut call, _)) = step(
        flow,
        CallState::new(flow.id(), flow.version()),
        started,
        env,
    ) else {
        return 0;
    };
    let mut steps = 1;
    for _ in 0..SEGMENTS {
        match step(flow, call, FlowEvent::Digits { digits: "1".into() }, env) {
            Ok((next, actions)) => {
                black_box(actions);
                call = next;
                steps += 1;
            }
            Err(_) => break,
        }
    }
    steps
}

fn main() {
    let flow = big_flow();
    let problems = validate(&flow);
    assert!(problems.is_empty(), "bench flow is invalid: {problems:?}");
    let mut times: Vec<Duration> = (0..200)
        .map(|_| {
            let start = Instant::now();
            black_box(validate(black_box(&flow)));
            start.elapsed()
        })
        .collect();
    times.sort();
    println!(
        "flow validate {} nodes: p50 {:?} p99 {:?} (n=200)",
        flow.nodes.len(),
        times[100],
        times[198]
    );

    let published = match PublishedFlow::publish(flow.clone()) {
        Ok(p) => p,
        Err(e) => panic!("cannot publish: {e}"),
    };
    let env = FlowEnv::at(DateTime::UNIX_EPOCH);
    let start = Instant::now();
    let mut steps = 0;
    let mut calls = 0;
    while start.elapsed() < Duration::from_secs(2) {
        steps += walk(&published, &env);
        calls += 1;
    }
    let secs = start.elapsed().as_secs_f64();
    assert_eq!(
        steps,
        calls * (SEGMENTS + 1),
        "every call walks the whole flow"
    );
    println!(
        "flow interpreter: {:.0} steps/s ({calls} calls of {} steps, 4 nodes per step)",
        steps as f64 / secs,
        SEGMENTS + 1
    );

    let mut c = Criterion::default()
        .sample_size(20)
        .measurement_time(Duration::from_secs(3))
        .configure_from_args();
    c.bench_function("flow/validate_502_nodes", |b| {
        b.iter(|| black_box(validate(black_box(&flow))))
    });
    c.bench_function("flow/walk_101_steps", |b| {
        b.iter(|| black_box(walk(&published, &env)))
    });
    c.final_summary();
}
