//! Audio from peers: WAV files (arbitrary bytes and valid files with edited header fields,
//! inserted chunks and cuts), base64 µ-law frames from a carrier, G.711 decoding, the
//! resamplers a provider's audio goes through, and 20 ms framing at any announced rate.

use base64::Engine as _;
use base64::engine::general_purpose::STANDARD as BASE64;
use proptest::prelude::*;

use super::config;
use crate::audio::frame::{Framer, samples_per_frame};
use crate::audio::g711::{decode_alaw_into, decode_ulaw_into, encode_ulaw_into};
use crate::audio::resample::Resampler;
use crate::audio::wav::{WavSpec, read_wav, write_wav};
use crate::twilio::frame::Inbound;
use crate::twilio::stream::StreamError;

/// The rate pairs provider audio is converted between.
const RATES: &[(u32, u32)] = &[
    (24_000, 8_000),
    (8_000, 16_000),
    (16_000, 8_000),
    (8_000, 24_000),
    (8_000, 8_000),
];

/// One edit of a valid WAV file.
#[derive(Debug, Clone)]
enum WavEdit {
    /// Overwrite a little-endian u16 at a byte offset (header fields live in the first 44).
    U16(usize, u16),
    /// Overwrite a little-endian u32 at a byte offset.
    U32(usize, u32),
    /// Insert a chunk with this id, declared length and body before the data chunk.
    Chunk([u8; 4], u32, Vec<u8>),
    /// Cut the file.
    Truncate(usize),
    /// Flip one bit.
    Flip(usize, u8),
}

fn extreme_u32() -> impl Strategy<Value = u32> {
    prop_oneof![
        Just(0),
        Just(1),
        Just(u32::MAX),
        Just(u32::MAX - 1),
        Just(0x8000_0000),
        any::<u32>()
    ]
}

fn wav_edit() -> impl Strategy<Value = WavEdit> {
    let id = prop_oneof![
        Just(*b"fmt "),
        Just(*b"data"),
        Just(*b"LIST"),
        any::<[u8; 4]>()
    ];
    prop_oneof![
        3 => (0..44usize, prop_oneof![Just(0u16), Just(u16::MAX), Just(32_768u16), any::<u16>()])
            .prop_map(|(at, v)| WavEdit::U16(at, v)),
        3 => (0..44usize, extreme_u32()).prop_map(|(at, v)| WavEdit::U32(at, v)),
        1 => (id, extreme_u32(), prop::collection::vec(any::<u8>(), 0..24))
            .prop_map(|(id, len, body)| WavEdit::Chunk(id, len, body)),
        1 => any::<usize>().prop_map(WavEdit::Truncate),
        1 => (any::<usize>(), any::<u8>()).prop_map(|(at, b)| WavEdit::Flip(at, b)),
    ]
}

fn edited_wav() -> impl Strategy<Value = Vec<u8>> {
    let spec = (
        1..=2u16,
        prop_oneof![Just(8_000u32), Just(16_000), 1..=96_000u32],
    );
    let samples = prop::collection::vec(any::<i16>(), 0..64);
    let edits = prop::collection::vec(wav_edit(), 0..4);
    (spec, samples, edits).prop_map(|((channels, sample_rate), samples, edits)| {
        let mut bytes = write_wav(
            WavSpec {
                channels,
                sample_rate,
            },
            &samples,
        );
        for edit in edits {
            match edit {
                WavEdit::U16(at, v) => {
                    if let Some(field) = bytes.get_mut(at..at + 2) {
                        field.copy_from_slice(&v.to_le_bytes());
                    }
                }
                WavEdit::U32(at, v) => {
                    if let Some(field) = bytes.get_mut(at..at + 4) {
                        field.copy_from_slice(&v.to_le_bytes());
                    }
                }
                WavEdit::Chunk(id, len, body) => {
                    let at = 36.min(bytes.len());
                    let chunk = [id.as_slice(), &len.to_le_bytes(), &body].concat();
                    bytes.splice(at..at, chunk);
                }
                WavEdit::Truncate(at) => bytes.truncate(at % (bytes.len() + 1)),
                WavEdit::Flip(at, bit) => {
                    if !bytes.is_empty() {
                        let at = at % bytes.len();
                        bytes[at] ^= 1 << (bit % 8);
                    }
                }
            }
        }
        bytes
    })
}

proptest! {
    #![proptest_config(config())]

    #[test]
    fn wav_files_read_and_write_back_or_fail_cleanly(
        bytes in prop_oneof![3 => edited_wav(), 1 => prop::collection::vec(any::<u8>(), 0..80)],
    ) {
        if let Ok(wav) = read_wav(&bytes) {
            for channel in 0..wav.spec.channels.min(3) {
                let _ = wav.channel(channel);
            }
            let _ = wav.duration_ms();
            let again = read_wav(&write_wav(wav.spec, &wav.samples));
            prop_assert_eq!(again.as_ref(), Ok(&wav));
        }
    }

    #[test]
    fn carrier_payloads_decode_like_base64_or_are_bad_payloads(
        payload in prop_oneof![
            prop::collection::vec(any::<u8>(), 0..400).prop_map(|b| BASE64.encode(b)),
            "[A-Za-z0-9+/=]{0,20}",
            "\\PC{0,20}",
        ],
    ) {
        let text = format!(
            r#"{{"event":"media","sequenceNumber":"2","media":{{"track":"inbound","chunk":"1","timestamp":"0","payload":{}}},"streamSid":"MZ1"}}"#,
            serde_json::Value::from(payload.clone())
        );
        let Ok(Inbound::Media(frame)) = Inbound::parse(&text) else {
            panic!("a media message with any string payload parses: {text}");
        };
        let mut mulaw = vec![1];
        let decoded = frame.decode_into(&mut mulaw);
        match BASE64.decode(payload.as_bytes()) {
            Ok(expected) => {
                prop_assert_eq!(decoded, Ok(()));
                prop_assert_eq!(&mulaw[1..], expected.as_slice());
            }
            Err(_) => prop_assert_eq!(decoded, Err(StreamError::BadPayload)),
        }
        let mut pcm = Vec::new();
        decode_ulaw_into(&mulaw, &mut pcm);
        prop_assert_eq!(pcm.len(), mulaw.len());
        let mut alaw = Vec::new();
        decode_alaw_into(&mulaw, &mut alaw);
        let mut back = Vec::new();
        encode_ulaw_into(&pcm, &mut back);
        prop_assert_eq!(back.len(), mulaw.len());
    }

    #[test]
    fn provider_audio_resamples_in_any_chunking(
        chunks in prop::collection::vec(prop::collection::vec(any::<i16>(), 0..200), 0..6),
        rates in prop::sample::select(RATES),
    ) {
        let mut resampler = Resampler::new(rates.0, rates.1).unwrap();
        let mut out = Vec::new();
        let mut fed = 0usize;
        for chunk in &chunks {
            resampler.process(chunk, &mut out);
            fed += chunk.len();
        }
        // Over the whole input the output is `fed * to / from`, give or take one sample.
        let expected = fed as u64 * u64::from(rates.1) / u64::from(rates.0);
        prop_assert!(out.len() as u64 <= expected + 1, "{} from {}", out.len(), fed);
    }

    #[test]
    fn framing_works_at_any_announced_rate(
        rate in any::<u32>(),
        frame_len in 1..400usize,
        chunks in prop::collection::vec(prop::collection::vec(any::<u8>(), 0..500), 0..5),
    ) {
        let per_frame = samples_per_frame(rate);
        prop_assert_eq!(per_frame as u64, u64::from(rate) * 20 / 1000);
        let mut framer = Framer::with_frame_len(frame_len);
        let mut total = 0;
        for chunk in &chunks {
            for frame in framer.push(chunk) {
                prop_assert_eq!(frame.len(), frame_len);
                total += frame.len();
            }
        }
        prop_assert_eq!(total + framer.pending(), chunks.iter().map(Vec::len).sum::<usize>());
    }
}
