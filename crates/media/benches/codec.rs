//! Throughput of the telephony hot path per 20 ms frame: µ-law decode, 8 → 16 kHz resample,
//! µ-law encode; against a plain copy of the same 160 bytes as the floor; and the whole
//! per-frame step of the media relay (Twilio message in, mixed reply message out).
//!
//! Criterion reports elements per second; one element is one 20 ms frame, so the figure is
//! frames per second on one core. Real time needs 50 frames/s per call direction.

use std::hint::black_box;

use base64::Engine as _;
use cc_media::audio::g711::{decode_ulaw_into, encode_ulaw_into, ulaw_encode};
use cc_media::audio::mix::Gain;
use cc_media::audio::resample::Resampler;
use cc_media::audio::tone::Tone;
use cc_media::twilio::relay::MixingRelay;
use criterion::{BatchSize, Criterion, Throughput, criterion_group, criterion_main};

fn frame() -> Vec<u8> {
    (0..160)
        .map(|n| {
            let t = f64::from(n) / 8000.0;
            ulaw_encode((8000.0 * (2.0 * std::f64::consts::PI * 440.0 * t).sin()) as i16)
        })
        .collect()
}

fn codec(c: &mut Criterion) {
    let input = frame();
    let mut group = c.benchmark_group("frame_20ms");
    group.throughput(Throughput::Elements(1));

    let mut copy = vec![0u8; input.len()];
    group.bench_function("memcpy_160_bytes", |b| {
        b.iter(|| {
            copy.copy_from_slice(black_box(&input));
            black_box(&copy);
        })
    });

    let mut pcm = Vec::with_capacity(160);
    let mut out = Vec::with_capacity(160);
    group.bench_function("ulaw_decode_encode", |b| {
        b.iter(|| {
            pcm.clear();
            out.clear();
            decode_ulaw_into(black_box(&input), &mut pcm);
            encode_ulaw_into(&pcm, &mut out);
            black_box(&out);
        })
    });

    let Ok(mut resampler) = Resampler::new(8_000, 16_000) else {
        return;
    };
    let mut wide = Vec::with_capacity(330);
    let mut encoded = Vec::with_capacity(330);
    group.bench_function("ulaw_decode_resample_8k_16k_encode", |b| {
        b.iter(|| {
            pcm.clear();
            wide.clear();
            encoded.clear();
            decode_ulaw_into(black_box(&input), &mut pcm);
            resampler.process(&pcm, &mut wide);
            encode_ulaw_into(&wide, &mut encoded);
            black_box(&encoded);
        })
    });

    // The relay's whole step per frame: parse the Twilio message, base64-decode, µ-law
    // decode, mix a second leg, encode, write the reply message.
    let mut relay = MixingRelay::new(Tone::new(440, 8_000, 3_000), Gain::db(-20.0));
    let mut sink = String::new();
    for opening in [CONNECTED, START] {
        let _ = relay.on_text(opening, &mut sink);
    }
    let payload = base64::engine::general_purpose::STANDARD.encode(&input);
    let mut sequence = 2u64;
    let mut reply = String::with_capacity(320);
    group.bench_function("twilio_relay_step_parse_mix_reply", |b| {
        b.iter_batched_ref(
            || {
                let text = format!(
                    r#"{{"event":"media","sequenceNumber":"{sequence}","media":{{"track":"inbound","chunk":"{sequence}","timestamp":"0","payload":"{payload}"}},"streamSid":"MZ1"}}"#
                );
                sequence += 1;
                text
            },
            |text| {
                reply.clear();
                let _ = black_box(relay.on_text(black_box(text), &mut reply));
            },
            BatchSize::SmallInput,
        )
    });
    group.finish();
}

const CONNECTED: &str = r#"{"event":"connected","protocol":"Call","version":"1.0.0"}"#;
const START: &str = r#"{"event":"start","sequenceNumber":"1","start":{"accountSid":"AC1","streamSid":"MZ1","callSid":"CA1","tracks":["inbound"],"mediaFormat":{"encoding":"audio/x-mulaw","sampleRate":8000,"channels":1},"customParameters":{}},"streamSid":"MZ1"}"#;

criterion_group! {
    name = benches;
    config = Criterion::default().warm_up_time(std::time::Duration::from_secs(1)).measurement_time(std::time::Duration::from_secs(3));
    targets = codec
}
criterion_main!(benches);
