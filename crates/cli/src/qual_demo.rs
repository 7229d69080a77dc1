//! The demo's qualitative project: nine synthetic interviews coded by two coders
//! (`fika_qual::demo`), owned by the demo evaluator with the comparison open, so that
//! `fika demo` shows the coders side by side and their agreement at once.

use anyhow::Context;
use fika_store::{QualRole, Store};

/// Stores the demo project unless the database already holds a qualitative project, and
/// makes `owner` its owner with the comparison open. Returns its ID when it was added.
pub fn add(store: &dyn Store, owner: &str) -> anyhow::Result<Option<String>> {
    if !store.qual_projects()?.is_empty() {
        return Ok(None);
    }
    let project = fika_qual::demo::project();
    let Some(id) = store.create_qual_project(&project)? else {
        return Ok(None);
    };
    store
        .add_qual_member(&id, None, owner, QualRole::Owner)
        .with_context(|| format!("{owner:?} could not own the demo project {id}"))?;
    store
        .open_qual_comparison(&id, owner)
        .with_context(|| format!("the comparison of the demo project {id} did not open"))?;
    Ok(Some(id))
}
