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
