//! Invitations to a participant's own account: a short code, the link that carries it and
//! its QR code. The store keeps only the SHA-256 of the code; the code is shown once, to the
//! coach who made it (on the page, or printed by `fika participant invite`).

use chrono::{DateTime, Duration, Utc};
use fika_core::ParticipantId;
use fika_store::participant_view::NewInvitation;
use fika_store::{Actor, Reach, Store, WriteError};

use crate::auth::sha256_hex;
use crate::clock::stamp;

/// How long an invitation works.
pub const VALID_DAYS: i64 = 14;

/// Crockford's base 32: no I, L, O or U, so that a code read aloud or copied from paper is
/// not mistaken.
const ALPHABET: &[u8; 32] = b"0123456789ABCDEFGHJKMNPQRSTVWXYZ";
/// Twelve characters: 60 random bits, shown as three groups of four.
const LENGTH: usize = 12;

/// A fresh code, as shown: `K7QF-9MXD-2P4T`.
pub fn new_code() -> String {
    let mut bytes = [0u8; LENGTH];
    getrandom::fill(&mut bytes).expect("the operating system gives random bytes");
    let chars: Vec<char> = bytes
        .iter()
        .map(|b| ALPHABET[usize::from(b & 31)] as char)
        .collect();
    chars
        .chunks(4)
        .map(|c| c.iter().collect::<String>())
        .collect::<Vec<_>>()
        .join("-")
}

/// A code as typed: case, spaces and dashes do not matter, and O, I and L read as 0, 1, 1.
/// `None` when it cannot be a code at all.
pub fn normalise(typed: &str) -> Option<String> {
    let s: String = typed
        .chars()
        .filter(|c| !c.is_whitespace() && *c != '-')
        .map(|c| match c.to_ascii_uppercase() {
            'O' => '0',
            'I' | 'L' => '1',
            c => c,
        })
        .collect();
    (s.len() == LENGTH && s.bytes().all(|b| ALPHABET.contains(&b))).then_some(s)
}

/// What the store keeps of a code.
pub fn hash(typed: &str) -> Option<String> {
    normalise(typed).map(|c| sha256_hex(&c))
}

/// The link that carries a code.
pub fn link(base_url: &str, code: &str) -> String {
    format!("{}/join/{code}", base_url.trim_end_matches('/'))
}

/// The link as a QR code, an SVG element to put in a page (no XML declaration).
pub fn qr_svg(link: &str, label: &str) -> String {
    let Ok(code) = qrcode::QrCode::new(link.as_bytes()) else {
        return String::new();
    };
    let svg = code
        .render::<qrcode::render::svg::Color>()
        .min_dimensions(220, 220)
        .build();
    let start = svg.find("<svg").unwrap_or(0);
    let label = crate::error::html_escape(label);
    svg[start..].replacen(
        "<svg ",
        &format!("<svg role=\"img\" aria-label=\"{label}\" "),
        1,
    )
}

/// A new invitation made and stored.
#[derive(Debug, Clone)]
pub struct Made {
    pub code: String,
    pub link: String,
    pub expires_at: String,
}

/// Makes an invitation for a participant within `reach` (audited as `invitation.create`).
pub fn make(
    store: &dyn Store,
    actor: &Actor,
    reach: &Reach,
    participant: &ParticipantId,
    base_url: &str,
    now: DateTime<Utc>,
) -> Result<Made, WriteError> {
    let code = new_code();
    let expires_at = stamp(now + Duration::days(VALID_DAYS));
    store.create_invitation(
        actor,
        reach,
        &NewInvitation {
            id: crate::new_id("I"),
            participant: participant.clone(),
            code_hash: hash(&code).expect("a code made here is a code"),
            expires_at: expires_at.clone(),
        },
    )?;
    Ok(Made {
        link: link(base_url, &code),
        code,
        expires_at,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_code_reads_back_however_it_is_typed() {
        let code = new_code();
        assert_eq!(code.len(), 14);
        let plain = normalise(&code).unwrap();
        assert_eq!(
            normalise(&code.to_lowercase()).as_deref(),
            Some(plain.as_str())
        );
        assert_eq!(
            normalise(&format!(" {} ", plain)).as_deref(),
            Some(plain.as_str())
        );
        assert_eq!(normalise("O1LI-0000-0000").as_deref(), Some("011100000000"));
        assert_eq!(normalise("ABC"), None);
        assert_eq!(
            normalise("UUUU-UUUU-UUUU"),
            None,
            "U is not in the alphabet"
        );
        assert_ne!(new_code(), new_code());
    }

    #[test]
    fn the_qr_code_is_an_svg_element() {
        let svg = qr_svg("https://fika.example/join/ABCD-EFGH-JKMN", "QR");
        assert!(svg.starts_with("<svg role=\"img\" aria-label=\"QR\" "));
        assert!(svg.ends_with("</svg>"));
    }
}
