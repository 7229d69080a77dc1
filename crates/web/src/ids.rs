//! IDs of records created in the app: a one-letter prefix of the kind of record and the
//! first 12 hex digits of a random (v4) UUID, e.g. `M-3f2a9c01b7de`. 48 random bits make a
//! collision within one database practically impossible (and a unique index would refuse
//! one), while staying short enough to read out on the phone. Imported records keep the IDs
//! of their folder; the prefixes keep the two kinds apart at a glance.

/// A new ID with the given prefix (`M` meeting, `S` next step, `C` employer contact,
/// `J` job, `E` employer, `G` goal, `D` participant (deltagare), `P` program, `K` coach, `U` user, `SI` stand-in).
pub fn new_id(prefix: &str) -> String {
    let uuid = uuid::Uuid::new_v4().simple().to_string();
    format!("{prefix}-{}", &uuid[..12])
}

/// Whether `id` is an ID this app makes with `prefix`: the prefix, `-`, 12 lowercase hex
/// digits. A form that creates a record carries its new ID (see [`once_id`]).
pub fn is_new_id(id: &str, prefix: &str) -> bool {
    id.strip_prefix(prefix)
        .and_then(|rest| rest.strip_prefix('-'))
        .is_some_and(|hex| {
            hex.len() == 12 && hex.bytes().all(|b| matches!(b, b'0'..=b'9' | b'a'..=b'f'))
        })
}

/// The new record's ID a form carries in its `once` field, made when the form was shown, so
/// that sending the form twice (a double tap, a reload after a slow network) names the same
/// record and the store keeps it once; a new one when the form carries none.
pub fn once_id(f: &[(String, String)], prefix: &str) -> String {
    f.iter()
        .find(|(k, _)| k == "once")
        .map(|(_, v)| v.trim())
        .filter(|v| is_new_id(v, prefix))
        .map_or_else(|| new_id(prefix), str::to_owned)
}
