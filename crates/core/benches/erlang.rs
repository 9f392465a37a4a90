//! Erlang C and Erlang A at scale: 10,000 Erlangs, the load the issue asks to stay stable at.

use std::hint::black_box;

use cc_core::staffing::{
    agents_for_service_level, erlang_a_agents_for_service_level, erlang_a_wait_probability,
    erlang_c_wait_probability,
};
use criterion::{Criterion, criterion_group, criterion_main};

fn erlang(c: &mut Criterion) {
    c.bench_function("agents_for_service_level 10k Erlangs 80/20", |b| {
        b.iter(|| agents_for_service_level(black_box(10_000.0), 180.0, 20.0, 0.8))
    });
    c.bench_function("agents_for_service_level 10 Erlangs 80/20", |b| {
        b.iter(|| agents_for_service_level(black_box(10.0), 180.0, 20.0, 0.8))
    });
    c.bench_function("erlang_c_wait_probability 10,100 agents 10k Erlangs", |b| {
        b.iter(|| erlang_c_wait_probability(black_box(10_100), 10_000.0))
    });
    c.bench_function("erlang_a_wait_probability 10,100 agents 10k Erlangs", |b| {
        b.iter(|| erlang_a_wait_probability(black_box(10_100), 10_000.0, 180.0, 120.0))
    });
    c.bench_function("erlang_a_agents_for_service_level 100 Erlangs 80/20", |b| {
        b.iter(|| {
            erlang_a_agents_for_service_level(black_box(100.0), 180.0, 90.0, 20.0, 0.8, 1 << 20)
        })
    });
    c.bench_function("erlang_a_agents_for_service_level 2k Erlangs 80/20", |b| {
        b.iter(|| {
            erlang_a_agents_for_service_level(black_box(2_000.0), 180.0, 90.0, 20.0, 0.8, 1 << 20)
        })
    });
}

criterion_group!(benches, erlang);
criterion_main!(benches);
