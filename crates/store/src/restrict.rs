//! Restriction (GDPR Art. 18): a participant's record is kept but not used (docs/privacy.md).
//!
//! A restricted participant leaves the day view (the caseload and its talk requests), is
//! counted in no figure computed from now on (the fidelity items and the outcomes read the
//! records without them: [`drop_restricted`]; kept outcome figures of their program are
//! deleted by the triggers on `participant`, which restricting and lifting touch), and a
//! staff read of their record states one of the reasons Art. 18(2) allows
//! ([`ReadReason`]), written to the audit row `participant.read_restricted`. Final figures
//! (store/src/finals.rs) stay as published. Nothing new is recorded for them (rule
//! `record-restricted`, [`allowed_while_restricted`]); corrections, the exit and the
//! person's own writes still are. The record can still be erased.

use std::collections::HashSet;

use fika_core::*;

use crate::backend::{Runner, Tx};
use crate::caseload::{Actor, ParticipantRecord, Reach, read_participant, within_reach};
use crate::erasure::{MAX_REFERENCE, Refused};
use crate::sql::{audit, exec, texts};
use crate::{Db, FidelityData, StoreError};

/// Why a restricted record is read: the grounds of GDPR Art. 18(2), and checking the
/// request that led to the restriction (Art. 18(1)(a): the accuracy contested).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ReadReason {
    /// The person asked for it or consented.
    Consent,
    /// To establish, exercise or defend a legal claim.
    LegalClaim,
    /// To protect the rights of another person.
    RightsOfAnother,
    /// An important public interest.
    PublicInterest,
    /// To check what the restriction was asked for (accuracy, objection).
    CheckRequest,
}

impl ReadReason {
    pub const ALL: &'static [ReadReason] = &[
        ReadReason::Consent,
        ReadReason::LegalClaim,
        ReadReason::RightsOfAnother,
        ReadReason::PublicInterest,
        ReadReason::CheckRequest,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            ReadReason::Consent => "consent",
            ReadReason::LegalClaim => "legal_claim",
            ReadReason::RightsOfAnother => "rights_of_another",
            ReadReason::PublicInterest => "public_interest",
            ReadReason::CheckRequest => "check_request",
        }
    }

    pub fn parse(s: &str) -> Option<ReadReason> {
        ReadReason::ALL.iter().copied().find(|r| r.as_str() == s)
    }
}

/// A restriction in force.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Restriction {
    pub reference: String,
    pub by: String,
    pub at: String,
}

/// Restricting a record, lifting it, and reading a restricted one.
pub trait Restrictions {
    /// Restricts a participant's record within `reach` (a lead's program), with the
    /// request's reference (audited as `participant.restrict`); restricting one restricted
    /// already changes nothing and says so (`Ok(false)`).
    fn restrict(
        &self,
        actor: &Actor,
        reach: &Reach,
        participant: &ParticipantId,
        reference: &str,
    ) -> Result<Result<bool, Refused>, StoreError>;

    /// Lifts a restriction (audited as `participant.restriction_lift`); `Ok(false)` when the
    /// record was not restricted.
    fn lift_restriction(
        &self,
        actor: &Actor,
        reach: &Reach,
        participant: &ParticipantId,
        reference: &str,
    ) -> Result<Result<bool, Refused>, StoreError>;

    /// The restriction of a participant within `reach`, if one is in force.
    fn restriction(
        &self,
        reach: &Reach,
        participant: &ParticipantId,
    ) -> Result<Option<Restriction>, StoreError>;

    /// A participant's record read with a stated reason, as
    /// [`Records::participant`](crate::Records::participant) reads it, audited as
    /// `participant.read_restricted` with the reason; `None` out of reach.
    fn read_restricted(
        &self,
        actor: &Actor,
        reach: &Reach,
        participant: &ParticipantId,
        today: Date,
        reason: ReadReason,
    ) -> Result<Option<ParticipantRecord>, StoreError>;
}

/// Whether a write may touch a restricted record: staff put it right (corrections, a
/// dropped step), end it (the exit, undoing one, ending the person's access) — the person's
/// own writes (their reach) are theirs to make. Anything else records something new, and
/// is refused with rule `record-restricted`.
pub(crate) fn allowed_while_restricted(reach: &Reach, action: &str) -> bool {
    matches!(reach, Reach::Own(_))
        || action.ends_with(".correct")
        || action.ends_with(".remove")
        || matches!(
            action,
            "next_step.drop"
                | "participant.exit"
                | "participant.reopen"
                | "participant_access.end"
                | "invitation.withdraw"
        )
}

/// Whether one participant is restricted.
pub(crate) fn is_restricted(tx: &mut dyn Tx, participant: &str) -> Result<bool, StoreError> {
    Ok(crate::sql::count(tx, "restriction WHERE participant_id = $1", &[participant])? > 0)
}

/// The IDs of the restricted participants.
pub(crate) fn restricted(tx: &mut dyn Tx) -> Result<HashSet<String>, StoreError> {
    Ok(texts(tx, "SELECT participant_id FROM restriction", &[])?
        .into_iter()
        .filter_map(|r| r.into_iter().next().flatten())
        .collect())
}

/// Leaves the restricted participants, and every record of theirs, out of what a figure
/// reads. Nothing changes when no record is restricted.
pub(crate) fn drop_restricted(
    tx: &mut dyn Tx,
    data: &mut [FidelityData],
) -> Result<(), StoreError> {
    let set = restricted(tx)?;
    if set.is_empty() {
        return Ok(());
    }
    let out = |p: &ParticipantId| set.contains(p.as_str());
    for d in data {
        d.participants.retain(|p| !out(&p.id));
        d.meetings.retain(|m| !out(&m.participant));
        d.employer_contacts
            .retain(|c| c.by.participant().is_none_or(|p| !out(p)));
        d.jobs.retain(|j| !out(&j.participant));
    }
    Ok(())
}

/// The same for the outcomes' participants and jobs.
pub(crate) fn drop_restricted_people(
    tx: &mut dyn Tx,
    participants: &mut Vec<Participant>,
    jobs: &mut Vec<Job>,
) -> Result<(), StoreError> {
    let set = restricted(tx)?;
    if set.is_empty() {
        return Ok(());
    }
    participants.retain(|p| !set.contains(p.id.as_str()));
    jobs.retain(|j| !set.contains(j.participant.as_str()));
    Ok(())
}

fn reference(r: &str) -> Result<&str, Refused> {
    let r = r.trim();
    if r.is_empty() || r.chars().count() > MAX_REFERENCE || r.chars().any(char::is_control) {
        return Err(Refused::BadReference);
    }
    Ok(r)
}

/// Touches the participant's row, so that the triggers of migration 0010 delete the kept
/// outcome figures of their program: they are computed again with or without them.
fn touch(tx: &mut dyn Tx, participant: &str) -> Result<(), StoreError> {
    exec(
        tx,
        "UPDATE participant SET program_id = program_id WHERE participant_id = $1 \
         RETURNING CAST(1 AS TEXT)",
        &[participant],
    )?;
    Ok(())
}

fn lead_reach(tx: &mut dyn Tx, reach: &Reach, participant: &str) -> Result<bool, StoreError> {
    Ok(matches!(reach, Reach::Program(_)) && within_reach(tx, reach, participant)?)
}

impl<R: Runner> Restrictions for Db<R> {
    fn restrict(
        &self,
        actor: &Actor,
        reach: &Reach,
        participant: &ParticipantId,
        reference_given: &str,
    ) -> Result<Result<bool, Refused>, StoreError> {
        let reference = match reference(reference_given) {
            Ok(r) => r,
            Err(e) => return Ok(Err(e)),
        };
        let id = participant.as_str();
        self.0.run(true, |tx| {
            if !lead_reach(tx, reach, id)? {
                return Ok((Err(Refused::NotFound), false));
            }
            let added = exec(
                tx,
                "INSERT INTO restriction (participant_id, reference, restricted_by, restricted_at) \
                 VALUES ($1, $2, $3, $4) ON CONFLICT (participant_id) DO NOTHING \
                 RETURNING CAST(1 AS TEXT)",
                &[id, reference, &actor.user, &actor.at],
            )?;
            if added == 0 {
                return Ok((Ok(false), false));
            }
            touch(tx, id)?;
            audit(
                tx,
                &actor.user,
                &actor.at,
                "participant.restrict",
                Some(id),
                &format!("reference {reference}"),
            )?;
            Ok((Ok(true), true))
        })
    }

    fn lift_restriction(
        &self,
        actor: &Actor,
        reach: &Reach,
        participant: &ParticipantId,
        reference_given: &str,
    ) -> Result<Result<bool, Refused>, StoreError> {
        let reference = match reference(reference_given) {
            Ok(r) => r,
            Err(e) => return Ok(Err(e)),
        };
        let id = participant.as_str();
        self.0.run(true, |tx| {
            if !lead_reach(tx, reach, id)? {
                return Ok((Err(Refused::NotFound), false));
            }
            let removed = exec(
                tx,
                "DELETE FROM restriction WHERE participant_id = $1 RETURNING CAST(1 AS TEXT)",
                &[id],
            )?;
            if removed == 0 {
                return Ok((Ok(false), false));
            }
            touch(tx, id)?;
            audit(
                tx,
                &actor.user,
                &actor.at,
                "participant.restriction_lift",
                Some(id),
                &format!("reference {reference}"),
            )?;
            Ok((Ok(true), true))
        })
    }

    fn restriction(
        &self,
        reach: &Reach,
        participant: &ParticipantId,
    ) -> Result<Option<Restriction>, StoreError> {
        let id = participant.as_str();
        self.0.run(false, |tx| {
            if !within_reach(tx, reach, id)? {
                return Ok((None, false));
            }
            let r = texts(
                tx,
                "SELECT reference, restricted_by, restricted_at FROM restriction WHERE participant_id = $1",
                &[id],
            )?
            .pop()
            .and_then(|r| {
                Some(Restriction {
                    reference: r[0].clone()?,
                    by: r[1].clone()?,
                    at: r[2].clone()?,
                })
            });
            Ok((r, false))
        })
    }

    fn read_restricted(
        &self,
        actor: &Actor,
        reach: &Reach,
        participant: &ParticipantId,
        today: Date,
        reason: ReadReason,
    ) -> Result<Option<ParticipantRecord>, StoreError> {
        read_participant(
            self,
            actor,
            reach,
            participant,
            today,
            "participant.read_restricted",
            &format!("reason {}", reason.as_str()),
        )
    }
}
