//! Fidelity reviews: kept whole, as one JSON document each (see migration 0002).

use fika_core::ProgramId;
use fika_core::review::FidelityReview;

use crate::StoreError;
use crate::backend::Tx;
use crate::sql::{exec, now};

fn document(review: &FidelityReview) -> Result<String, StoreError> {
    serde_json::to_string(review).map_err(|e| StoreError::Corrupt(format!("review: {e}")))
}

fn parse(id: &str, text: &str) -> Result<FidelityReview, StoreError> {
    serde_json::from_str(text).map_err(|e| StoreError::Corrupt(format!("review {id}: {e}")))
}

/// Stores a new review under the next free ID (`R1`, `R2`, …) and returns the ID. `None`
/// when its program does not exist.
pub(crate) fn create(
    tx: &mut dyn Tx,
    review: &FidelityReview,
) -> Result<Option<String>, StoreError> {
    let mut exists = false;
    tx.for_each(
        "SELECT program_id FROM program WHERE program_id = $1",
        &[review.program.as_str()],
        &mut |_| {
            exists = true;
            Ok(())
        },
    )?;
    if !exists {
        return Ok(None);
    }
    let n = tx.query_i64("SELECT COUNT(*) FROM fidelity_review")?;
    let id = format!("R{}", n + 1);
    let b = tx.backend();
    let sql = format!(
        "INSERT INTO fidelity_review (review_id, program_id, review_date, kind, document, updated_at) \
         VALUES ($1, $2, {}, $4, $5, {})",
        b.date_param(3),
        now(b)
    );
    let date = review.date.to_string();
    let kind = serde_json::to_value(review.kind)
        .ok()
        .and_then(|v| v.as_str().map(str::to_owned))
        .unwrap_or_default();
    exec(
        tx,
        &sql,
        &[
            &id,
            review.program.as_str(),
            &date,
            &kind,
            &document(review)?,
        ],
    )?;
    Ok(Some(id))
}

/// Replaces a stored review's document; `false` when there is no such review. The program
/// and date of a review never change.
pub(crate) fn update(
    tx: &mut dyn Tx,
    id: &str,
    review: &FidelityReview,
) -> Result<bool, StoreError> {
    let Some(old) = get(tx, id)? else {
        return Ok(false);
    };
    if old.program != review.program || old.date != review.date {
        return Err(StoreError::Corrupt(format!(
            "review {id} belongs to {} on {}; it cannot be moved",
            old.program, old.date
        )));
    }
    let sql = format!(
        "UPDATE fidelity_review SET document = $2, updated_at = {} WHERE review_id = $1",
        now(tx.backend())
    );
    exec(tx, &sql, &[id, &document(review)?])?;
    Ok(true)
}

pub(crate) fn get(tx: &mut dyn Tx, id: &str) -> Result<Option<FidelityReview>, StoreError> {
    read(tx, id, "")
}

/// A review read to be changed in the same transaction: on PostgreSQL its row is locked
/// until the transaction ends, so that two reviewers saving at once both keep their ratings
/// (SQLite's write transactions run one at a time already).
pub(crate) fn get_to_change(
    tx: &mut dyn Tx,
    id: &str,
) -> Result<Option<FidelityReview>, StoreError> {
    let lock = match tx.backend() {
        crate::Backend::Postgres => " FOR UPDATE",
        crate::Backend::Sqlite => "",
    };
    read(tx, id, lock)
}

fn read(tx: &mut dyn Tx, id: &str, lock: &str) -> Result<Option<FidelityReview>, StoreError> {
    let mut found = None;
    tx.for_each(
        &format!("SELECT document FROM fidelity_review WHERE review_id = $1{lock}"),
        &[id],
        &mut |cells| {
            found = Some(parse(id, cells[0].unwrap_or_default())?);
            Ok(())
        },
    )?;
    Ok(found)
}

/// A program's reviews, oldest first.
pub(crate) fn of_program(
    tx: &mut dyn Tx,
    program: &ProgramId,
) -> Result<Vec<(String, FidelityReview)>, StoreError> {
    let mut out = Vec::new();
    tx.for_each(
        "SELECT review_id, document FROM fidelity_review WHERE program_id = $1 \
         ORDER BY review_date, review_id",
        &[program.as_str()],
        &mut |cells| {
            let id = cells[0].unwrap_or_default().to_owned();
            let review = parse(&id, cells[1].unwrap_or_default())?;
            out.push((id, review));
            Ok(())
        },
    )?;
    Ok(out)
}
