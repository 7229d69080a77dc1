//! Transcripts from plain text, Markdown, WebVTT and SRT.

use fika_qual::transcript::{TranscriptError, TranscriptFormat, parse_transcript};

#[test]
fn plain_text_and_markdown_are_kept_exactly() {
    for (format, text) in [
        (
            TranscriptFormat::PlainText,
            "Intervjuare: Hej!\r\nDeltagare: Hej 😀\n",
        ),
        (
            TranscriptFormat::Markdown,
            "# Intervju 3\n\n**Coach:** Vi tar en *fika*?\n",
        ),
    ] {
        let s = parse_transcript("x", text, format).unwrap();
        assert_eq!(s.text, text);
        assert!(s.turns.is_empty());
    }
}

#[test]
fn webvtt_voices_become_turns_with_times() {
    let vtt = "WEBVTT - intervju\n\nNOTE exported by a transcription tool\n\n1\n00:00:01.000 --> 00:00:04.500 align:start\n<v Åsa>Hej, ska vi ta en fika?</v>\n\n00:00:05.000 --> 00:00:07.250\n<v.loud Kim Berg>Ja &amp; gärna!</v>\n\n00:00:07.250 --> 00:00:09.000\n<v Kim Berg>På café 😀</v>\n";
    let s = parse_transcript("Intervju", vtt, TranscriptFormat::WebVtt).unwrap();
    assert_eq!(
        s.text,
        "Åsa: Hej, ska vi ta en fika?\nKim Berg: Ja & gärna! På café 😀"
    );
    let turns: Vec<_> = s
        .turns
        .iter()
        .map(|t| (t.speaker.as_deref(), t.start_ms, t.end_ms))
        .collect();
    assert_eq!(
        turns,
        [
            (Some("Åsa"), 1_000, 4_500),
            (Some("Kim Berg"), 5_000, 9_000)
        ]
    );
    // Turn spans are code points into the text.
    let t = &s.turns[1];
    assert_eq!(
        s.slice(t.text_start, t.text_end),
        Some("Kim Berg: Ja & gärna! På café 😀")
    );
    assert_eq!(t.text_end, s.len_chars());
}

#[test]
fn srt_with_speaker_labels() {
    let srt = "1\r\n00:00:01,000 --> 00:00:03,000\r\nCoach: Hur gick intervjun?\r\n\r\n2\r\n00:00:03,500 --> 00:00:06,000\r\nDeltagare: Bra,\r\ntror jag.\r\n\r\n3\r\n00:00:06,000 --> 00:00:07,000\r\n<i>skratt</i>\r\n";
    let s = parse_transcript("Intervju", srt, TranscriptFormat::Srt).unwrap();
    assert_eq!(
        s.text,
        "Coach: Hur gick intervjun?\nDeltagare: Bra, tror jag.\nskratt"
    );
    let speakers: Vec<_> = s.turns.iter().map(|t| t.speaker.as_deref()).collect();
    assert_eq!(speakers, [Some("Coach"), Some("Deltagare"), None]);
    assert_eq!((s.turns[1].start_ms, s.turns[1].end_ms), (3_500, 6_000));
}

#[test]
fn bad_cue_files_say_where() {
    assert_eq!(
        parse_transcript("x", "hello", TranscriptFormat::WebVtt).unwrap_err(),
        TranscriptError::NotWebVtt
    );
    let err = parse_transcript(
        "x",
        "1\n00:00:01 --> 00:00:02\nHej\n",
        TranscriptFormat::Srt,
    )
    .unwrap_err();
    assert!(err.to_string().starts_with("line 2:"), "{err}");
}

#[test]
fn format_from_file_name() {
    assert_eq!(
        TranscriptFormat::from_file_name("intervju.VTT"),
        Some(TranscriptFormat::WebVtt)
    );
    assert_eq!(
        TranscriptFormat::from_file_name("a.srt"),
        Some(TranscriptFormat::Srt)
    );
    assert_eq!(
        TranscriptFormat::from_file_name("a.md"),
        Some(TranscriptFormat::Markdown)
    );
    assert_eq!(
        TranscriptFormat::from_file_name("Intervju 3.DOCX"),
        Some(TranscriptFormat::Docx)
    );
    assert_eq!(TranscriptFormat::from_file_name("a.doc"), None);
    assert_eq!(TranscriptFormat::from_file_name("a.rtf"), None);
}

/// Found by fuzzing (fuzz/corpus/transcript/crash_end_before_start): a cue that ended before
/// it started was read as a turn ending before it starts.
#[test]
fn a_cue_that_ends_before_it_starts_is_refused_with_its_line() {
    let vtt = "WEBVTT\n\n00:00:01.000 --> 00:00:02.000\n<v Kim>Hej</v>\n\n15:00:07.250 --> 00:00:07.250\n<v Kim>Då</v>\n";
    let err = parse_transcript("x", vtt, TranscriptFormat::WebVtt).unwrap_err();
    assert_eq!(
        err,
        TranscriptError::BadTiming {
            line: 6,
            text: "15:00:07.250 --> 00:00:07.250".into()
        }
    );
    let srt = "1\n00:00:05,000 --> 00:00:04,999\nHej\n";
    let err = parse_transcript("x", srt, TranscriptFormat::Srt).unwrap_err();
    assert!(err.to_string().starts_with("line 2:"), "{err}");
    // A cue of no length is a timing.
    let ok = "1\n00:00:05,000 --> 00:00:05,000\nHej\n";
    let s = parse_transcript("x", ok, TranscriptFormat::Srt).unwrap();
    assert_eq!((s.turns[0].start_ms, s.turns[0].end_ms), (5_000, 5_000));
}

/// One speaker's cues out of order make one turn from the first start to the latest end.
#[test]
fn a_speakers_turn_ends_at_the_latest_of_its_cues() {
    let vtt = "WEBVTT\n\n00:00:10.000 --> 00:00:12.000\n<v Kim>Hej</v>\n\n00:00:01.000 --> 00:00:02.000\n<v Kim>igen</v>\n";
    let s = parse_transcript("x", vtt, TranscriptFormat::WebVtt).unwrap();
    assert_eq!(s.turns.len(), 1);
    assert_eq!((s.turns[0].start_ms, s.turns[0].end_ms), (10_000, 12_000));
}

/// Hours past what a u64 of milliseconds holds are not a time (they overflowed).
#[test]
fn a_time_too_large_to_hold_is_refused() {
    let srt = "1\n18446744073709551615:00:00,000 --> 18446744073709551615:00:01,000\nHej\n";
    let err = parse_transcript("x", srt, TranscriptFormat::Srt).unwrap_err();
    assert!(
        matches!(err, TranscriptError::BadTiming { line: 2, .. }),
        "{err}"
    );
}
