//! `fika export --pseudonymise` (the research export) and the privacy commands.

use std::path::Path;

use anyhow::Context;
use fika_interchange::pseudonym::{Options, Pseudonymiser, StudyKey};

/// The pseudonymiser of a study key file. The key is held only in memory; errors name the
/// file, never its content.
pub(crate) fn pseudonymiser(key_file: &Path, options: Options) -> anyhow::Result<Pseudonymiser> {
    let bytes = std::fs::read(key_file)
        .with_context(|| format!("cannot read the key file {}", key_file.display()))?;
    let key = StudyKey::from_file_bytes(&bytes)
        .with_context(|| format!("the key file {} cannot be used", key_file.display()))?;
    Ok(Pseudonymiser::new(&key, options))
}
