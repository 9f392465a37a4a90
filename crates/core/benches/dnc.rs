//! Do-not-call lookups with 10 million numbers on the list, and the memory the list takes,
//! against std's `HashSet<u64>` as the baseline. Memory is printed once before timing:
//! the table's own size and the growth of the process's resident set.

use std::collections::HashSet;
use std::hint::black_box;

use cc_core::dialer::sim::SeededRng;
use cc_core::dnc::{DncList, DncRegistry, NumberSet};
use cc_core::phone::PhoneE164;
use criterion::{Criterion, Throughput, criterion_group, criterion_main};

const LIST: usize = 10_000_000;
const BATCH: usize = 1_000;

/// A random North American number as E.164 digits: 1 NXX NXX XXXX.
fn nanp(rng: &mut SeededRng) -> u64 {
    let area = 200 + rng.next_u64() % 800;
    let exchange = 200 + rng.next_u64() % 800;
    let line = rng.next_u64() % 10_000;
    10_000_000_000 + area * 10_000_000 + exchange * 10_000 + line
}

/// `LIST` different numbers (random draws repeat now and then).
fn distinct_numbers(rng: &mut SeededRng) -> Vec<u64> {
    let mut seen = NumberSet::with_capacity(LIST);
    let mut numbers = Vec::with_capacity(LIST);
    while numbers.len() < LIST {
        let n = nanp(rng);
        if seen.insert(n) {
            numbers.push(n);
        }
    }
    numbers
}

/// Resident memory of this process in bytes (Linux), 0 elsewhere.
fn resident_bytes() -> u64 {
    let statm = std::fs::read_to_string("/proc/self/statm").unwrap_or_default();
    let pages: u64 = statm
        .split_whitespace()
        .nth(1)
        .and_then(|p| p.parse().ok())
        .unwrap_or(0);
    pages * 4096
}

fn mib(bytes: u64) -> f64 {
    bytes as f64 / (1024.0 * 1024.0)
}

fn dnc(c: &mut Criterion) {
    let mut rng = SeededRng::new(2026);
    let numbers = distinct_numbers(&mut rng);
    let probes: Vec<u64> = (0..BATCH)
        .map(|i| {
            if i % 2 == 0 {
                numbers[(i * 7_919) % LIST]
            } else {
                nanp(&mut rng)
            }
        })
        .collect();

    let before = resident_bytes();
    let ours: NumberSet = numbers.iter().copied().collect();
    let after_ours = resident_bytes();
    let std_set: HashSet<u64> = numbers.iter().copied().collect();
    let after_std = resident_bytes();
    println!(
        "dnc memory, {} numbers: NumberSet table {:.1} MiB (resident +{:.1} MiB); std HashSet resident +{:.1} MiB",
        ours.len(),
        mib(ours.heap_bytes() as u64),
        mib(after_ours.saturating_sub(before)),
        mib(after_std.saturating_sub(after_ours)),
    );

    let mut group = c.benchmark_group("dnc lookups, 10M numbers");
    group.throughput(Throughput::Elements(BATCH as u64));
    group.bench_function("NumberSet", |b| {
        b.iter(|| {
            probes
                .iter()
                .filter(|p| ours.contains(black_box(**p)))
                .count()
        })
    });
    group.bench_function("std HashSet<u64> (baseline)", |b| {
        b.iter(|| {
            probes
                .iter()
                .filter(|p| std_set.contains(black_box(*p)))
                .count()
        })
    });
    group.finish();
    drop(std_set);

    // The dial-time path: parse the number as typed, then check both lists.
    let mut registry: DncRegistry<u32> = DncRegistry::new();
    registry.set_organization_list(ours);
    let typed = "(415) 555-0134";
    if let Ok(number) = PhoneE164::parse(typed, Some("US")) {
        registry.add(DncList::Campaign(1), &number);
    }
    c.bench_function("dnc parse + check, 10M on the organization list", |b| {
        b.iter(|| PhoneE164::parse(black_box(typed), Some("US")).map(|n| registry.check(1, &n)))
    });
}

criterion_group!(benches, dnc);
criterion_main!(benches);
