//! What a server's readiness check and metrics read from the store: whether the database
//! answers with every migration this fika knows applied, and how its connections are used.

use crate::StoreError;
use crate::backend::Runner;

/// The database's migrations against this fika's.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct SchemaState {
    /// Versions this fika knows that the database has not applied.
    pub missing: Vec<i64>,
    /// Versions the database has applied that this fika does not know: a newer fika
    /// migrated it.
    pub unknown: Vec<i64>,
}

impl SchemaState {
    /// Every known migration applied and none unknown.
    pub fn is_current(&self) -> bool {
        self.missing.is_empty() && self.unknown.is_empty()
    }
}

/// Reads the applied versions in one short read transaction (one statement, no table but
/// `schema_version`, nothing personal).
pub(crate) fn schema_state<R: Runner>(runner: &R) -> Result<SchemaState, StoreError> {
    let known = runner.migrations();
    let applied = runner.run(false, |tx| {
        let mut applied = Vec::new();
        tx.for_each(
            "SELECT CAST(version AS TEXT) FROM schema_version ORDER BY version",
            &[],
            &mut |row| {
                if let Some(v) = row[0].and_then(|v| v.parse::<i64>().ok()) {
                    applied.push(v);
                }
                Ok(())
            },
        )?;
        Ok((applied, false))
    })?;
    Ok(SchemaState {
        missing: known
            .iter()
            .map(|m| m.0)
            .filter(|v| !applied.contains(v))
            .collect(),
        unknown: applied
            .into_iter()
            .filter(|v| !known.iter().any(|m| m.0 == *v))
            .collect(),
    })
}
