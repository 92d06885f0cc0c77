//! The registry's own records of permits and personal rights: their changes (one command
//! for every change, by a responsible user or registry staff, decided by
//! [`domain::registry::authorize_change`] from the changer's standing read in the writing
//! transaction), attestation rounds, and the management page (a query). The
//! gate makes each entry durable before the change is committed; because the gate reads the
//! permit and the right on every request, a change decides the very next request of everyone it
//! concerns, signed-in sessions included, and a block ends the blocked user's sessions too.

use crate::error::EngineError;
use crate::gate::Engine;
use crate::gate::command::{Command, Effect, Query, Records, Verdict};
use crate::gate::standing::{Standing, principal_of};
use crate::store::Recording;
use crate::store::{
    AMENDMENTS, APPLICATIONS, APPLICATIONS_BY_ORG, ATTESTATIONS, CHANGES, KNOWN_USERS,
    ORGANISATIONS, PERMITS, REVEALS, RIGHTS, open_or_empty,
};
use domain::access::Permit;
use domain::access::{Denied, PersonalRight, RightState};
use domain::audit::AuditEvent;
use domain::date::Date;
use domain::eservice::ApplicationState;
use domain::principal::Role;
use domain::registry::{
    Amendment, Attestation, Change, ChangeRecord, Changer, Current, HISTORY_SHOWN, KnownUser,
    Management, Organisation, PermitAction, PermitView, Reason, RecordState, RightAction,
    RightView, attestation_deadline, authorize_change, change_decisions, permit_actions,
    permit_key, proposed_right, right_actions, right_after, right_key,
};
use domain::{Actor, Principal};
use redb::{ReadTransaction, ReadableTable};

/// A record's latest [`HISTORY_SHOWN`] changes, oldest first, and how many it has in all (its
/// changes are numbered from 0 without gaps): a right ended and restored a thousand times
/// costs the page no more than one changed once.
fn history(txn: &ReadTransaction, key: &str) -> Result<(Vec<ChangeRecord>, u32), EngineError> {
    let Some(table) = open_or_empty(txn, CHANGES.definition())? else {
        return Ok((Vec::new(), 0));
    };
    let mut out = Vec::with_capacity(HISTORY_SHOWN);
    let mut total = 0;
    for item in table
        .range((key, 0)..=(key, u64::MAX))?
        .rev()
        .take(HISTORY_SHOWN)
    {
        let (k, bytes) = item?;
        total = total.max(k.value().1 + 1);
        out.push(CHANGES.decode(bytes.value())?);
    }
    out.reverse();
    Ok((out, u32::try_from(total).unwrap_or(u32::MAX)))
}

/// Whether `principal` may nominate their organisation's first responsible user: they applied
/// for its granted permit (or municipal order) and nobody holds the responsible-user right there
/// in force.
pub(crate) fn nominates(
    by_org: &impl ReadableTable<(&'static str, u64), ()>,
    applications: &impl ReadableTable<u64, &'static [u8]>,
    rights: &impl ReadableTable<(&'static str, &'static str), &'static [u8]>,
    principal: &Principal,
) -> Result<bool, EngineError> {
    let org = principal.organisation.as_str();
    for item in rights.range((org, "")..)? {
        let (key, bytes) = item?;
        if key.value().0 != org {
            break;
        }
        let right = RIGHTS.decode(bytes.value())?;
        if right.state == RightState::Active && right.has_role(Role::ResponsibleUser) {
            return Ok(false);
        }
    }
    for item in by_org.range((org, 0)..=(org, u64::MAX))? {
        let (key, _) = item?;
        let Some(bytes) = applications.get(key.value().1)? else {
            continue;
        };
        let app = APPLICATIONS.decode(bytes.value())?;
        if app.state == ApplicationState::Granted && app.applicant == principal.subject {
            return Ok(true);
        }
    }
    Ok(false)
}

/// A permit or a right as a decided change leaves it.
pub(crate) enum Written {
    Permit(Permit),
    Right(PersonalRight),
}

/// Writes a permit or a right as a change decided it, with the change's line in the record's
/// history. Every write of a permit or a right passes here: a responsible user's or the
/// registry's step ([`authorize_change`]) and an e-service decision's grant
/// ([`domain::eservice::granted_permit`], [`domain::registry::nominated_right`]).
pub(crate) fn write_record(
    txn: &Recording<'_>,
    who: &Standing,
    change: Change,
    states: (Option<RecordState>, RecordState),
    reason: Option<Reason>,
    written: Option<Written>,
) -> Result<(), EngineError> {
    match written {
        Some(Written::Permit(permit)) => PERMITS
            .writer(txn)?
            .insert(permit.organisation.as_str(), &permit)?,
        Some(Written::Right(right)) => RIGHTS
            .writer(txn)?
            .insert((right.organisation.as_str(), right.user.as_str()), &right)?,
        None => {}
    }
    let line = ChangeRecord::new(who.principal(), who.now(), change.clone(), states, reason);
    append_history(txn, &change.target_key(), &line)
}

/// A change's states before and after, and what it writes.
type Decided = ((Option<RecordState>, RecordState), Option<Written>);

/// Decides a change inside `txn`: the state before and after, and the permit or right it
/// leaves (a proposed change of a right writes its amendment here, and a decision on one
/// removes it).
fn decide(
    txn: &Recording<'_>,
    who: &Standing,
    change: &Change,
    reason: Option<&Reason>,
) -> Result<Result<Decided, Denied>, EngineError> {
    let (principal, now, today) = (who.principal(), who.now(), who.today());
    // Read before the tables below are opened (redb opens a table once per transaction).
    let nominating = match change {
        Change::Propose { .. } => nominates(
            &*txn.open_table(APPLICATIONS_BY_ORG)?,
            &*txn.open_table(APPLICATIONS.definition())?,
            &*txn.open_table(RIGHTS.definition())?,
            principal,
        )?,
        _ => false,
    };
    let changer = who.changer(nominating);
    let organisation = change.organisation().as_str();
    let (right, permit) = match change.user() {
        Some(user) => (
            RIGHTS.writer(txn)?.get((organisation, user.as_str()))?,
            None,
        ),
        None => (None, PERMITS.writer(txn)?.get(organisation)?),
    };
    let target = (right.as_ref().map(Current::Right))
        .or_else(|| permit.as_ref().map(|p| Current::Permit(p.state)));
    let current = target.map(Current::state);
    let to = match authorize_change(&changer, change, target, reason, today) {
        Ok(to) => to,
        Err(denied) => return Ok(Err(denied)),
    };
    let mut amendments = AMENDMENTS.writer(txn)?;
    let written = match (change, to, right, permit) {
        (
            Change::Propose {
                organisation,
                user,
                roles,
            },
            RecordState::Right(_),
            _,
            _,
        ) => {
            // Only a person the provider has signed in can be proposed: the right is keyed by
            // their subject, and their name comes from the provider, not from the form.
            let Some(known) = KNOWN_USERS
                .writer(txn)?
                .get((organisation.as_str(), user.as_str()))?
            else {
                return Ok(Err(Denied::NoSuchRecord));
            };
            Some(Written::Right(proposed_right(&known, roles)))
        }
        (
            Change::Amend {
                organisation,
                user,
                roles,
                screens,
            },
            RecordState::Right(_),
            Some(right),
            _,
        ) => {
            // Only screens of the organisation's own permit, and a change that changes
            // something.
            let offered = who.permit().map(|p| p.screens.clone()).unwrap_or_default();
            if let Some(s) = screens.iter().flatten().find(|s| !offered.contains(s)) {
                return Ok(Err(Denied::ScreenNotInPermit(*s)));
            }
            if *roles == right.roles && *screens == right.screens {
                return Ok(Err(Denied::NotFromThisState));
            }
            amendments.insert(
                (organisation.as_str(), user.as_str()),
                &Amendment {
                    roles: roles.clone(),
                    screens: screens.clone(),
                    at: now,
                    by_name: principal.name.clone(),
                },
            )?;
            None
        }
        (Change::Right { action, .. }, RecordState::Right(_), Some(right), _)
            if action.decides_change() =>
        {
            let key = (right.organisation.as_str(), right.user.as_str());
            let Some(amendment) = amendments.get(key)? else {
                return Ok(Err(Denied::NoSuchRecord));
            };
            amendments.remove(key)?;
            (*action == RightAction::ApproveChange)
                .then(|| Written::Right(amendment.applied_to(&right)))
        }
        (Change::Right { action, .. }, RecordState::Right(state), Some(right), _) => {
            // A right that leaves force takes no pending change with it into a later restore.
            if state != RightState::Active {
                amendments.remove((right.organisation.as_str(), right.user.as_str()))?;
            }
            Some(Written::Right(right_after(
                &changer, &right, *action, state,
            )))
        }
        (Change::Permit { action, .. }, RecordState::Permit(state), _, Some(mut permit)) => {
            // A sign-in step that would change nothing is refused like any step out of place.
            if !action.changes_sign_in(permit.two_factor_required) {
                return Ok(Err(Denied::NotFromThisState));
            }
            match action {
                PermitAction::RequireTwoFactor => permit.two_factor_required = true,
                PermitAction::AllowOneFactor => permit.two_factor_required = false,
                _ => {}
            }
            permit.state = state;
            Some(Written::Permit(permit))
        }
        _ => return Ok(Err(Denied::NoSuchRecord)),
    };
    Ok(Ok(((current, to), written)))
}

/// Appends one entry to a record's history.
fn append_history(txn: &Recording<'_>, key: &str, entry: &ChangeRecord) -> Result<(), EngineError> {
    let mut changes = txn.open_table(CHANGES.definition())?;
    let next = match changes.range((key, 0)..=(key, u64::MAX))?.next_back() {
        Some(last) => last?.0.value().1 + 1,
        None => 0,
    };
    let bytes = CHANGES.encode(entry)?;
    changes.insert((key, next), bytes.as_slice())?;
    Ok(())
}

/// The people of `org` who have signed in and hold no right in force, proposed or blocked:
/// whom a responsible user (or a nominating applicant) can propose.
pub(crate) fn candidates(
    txn: &ReadTransaction,
    org: &domain::principal::OrgId,
) -> Result<Vec<KnownUser>, EngineError> {
    let Some(table) = open_or_empty(txn, KNOWN_USERS.definition())? else {
        return Ok(Vec::new());
    };
    let org = org.as_str();
    let mut out = Vec::new();
    for item in table.range((org, "")..)? {
        let (key, bytes) = item?;
        let (o, user) = key.value();
        if o != org {
            break;
        }
        let open = RIGHTS
            .get(txn, (org, user))?
            .is_some_and(|r| r.state != RightState::Ended);
        if !open {
            out.push(KNOWN_USERS.decode(bytes.value())?);
        }
    }
    out.sort_by(|a, b| a.name.cmp(&b.name));
    Ok(out)
}

/// How many of the latest reveals the registry's page lists.
const REVEALS_LISTED: usize = 50;

impl Engine {
    /// Records a reveal of protected data for registry staff (the audit entry is already
    /// durable: this is the notice, not the record).
    pub(crate) async fn notify_reveal(
        &self,
        actor: &Actor,
        screen: domain::ScreenId,
        subject: domain::SubjectRef,
        reason: Reason,
    ) -> Result<(), EngineError> {
        self.act(
            actor,
            Reveal {
                screen,
                subject,
                reason,
            },
        )
        .await
    }

    /// Makes one change to a permit or a personal right, if the changer's records allow it;
    /// audited either way. Answers the record's new state. A block also ends the blocked
    /// user's sessions in that organisation.
    pub async fn change(
        &self,
        actor: &Actor,
        change: Change,
        reason: Option<Reason>,
    ) -> Result<RecordState, EngineError> {
        self.act(actor, ChangeRecordOf { change, reason }).await
    }

    /// The rights and permits the actor manages, each with the actions open to them and its
    /// history: a responsible user sees their organisation's users, registry staff everyone's
    /// and every permit. Anyone else is refused.
    pub async fn management(&self, actor: &Actor) -> Result<Management, EngineError> {
        self.management_page(actor, 0).await
    }

    /// The management page with page `page` of the rights ([`domain::registry::RIGHTS_PAGE`]
    /// at a time): only that page's rights are decoded and given their actions and history.
    pub async fn management_page(
        &self,
        actor: &Actor,
        page: u32,
    ) -> Result<Management, EngineError> {
        self.look(actor, ManagementPage { page }).await
    }

    /// Starts an attestation round in the responsible user's organisation: every colleague's
    /// right in force ends on `deadline` (typed d.m.yyyy, 7–90 days ahead) unless confirmed
    /// before. Answers how many rights it covers.
    pub async fn start_attestation(
        &self,
        actor: &Actor,
        deadline: &str,
    ) -> Result<u32, EngineError> {
        principal_of(actor)?;
        let today = self.clock().now().date_in_finland();
        let deadline =
            attestation_deadline(deadline, today).map_err(|e| EngineError::Rejected(vec![e]))?;
        self.act(actor, StartAttestation { deadline }).await
    }

    /// Confirms, in the round in progress, that `user` still needs their right: its last
    /// valid day is what it was before the round.
    pub async fn confirm_attestation(&self, actor: &Actor, user: &str) -> Result<(), EngineError> {
        self.act(
            actor,
            ConfirmAttestation {
                user: user.to_owned(),
            },
        )
        .await
    }
}

/// One change of a permit or a personal right, by whoever makes it.
struct ChangeRecordOf {
    change: Change,
    reason: Option<Reason>,
}

impl Command for ChangeRecordOf {
    type Output = RecordState;

    fn apply(
        self,
        txn: &Recording<'_>,
        who: &Standing,
    ) -> Result<Verdict<RecordState>, EngineError> {
        let ChangeRecordOf { change, reason } = self;
        let ((from, to), written) = match decide(txn, who, &change, reason.as_ref())? {
            Ok(decided) => decided,
            Err(denied) => {
                return Ok(Verdict::refused(
                    AuditEvent::ChangeRefused {
                        change,
                        reason: denied,
                    },
                    denied,
                ));
            }
        };
        write_record(
            txn,
            who,
            change.clone(),
            (from, to),
            reason.clone(),
            written,
        )?;
        // A block (suspected misuse) stops the user's queries at once (the gate reads the
        // right on every request); their sessions in that organisation end too, so that
        // nothing they already have open stays on screen.
        let stops = match &change {
            Change::Right {
                organisation,
                user,
                action: RightAction::Block,
            } => Some(Effect::EndSessions {
                organisation: organisation.clone(),
                user: user.clone(),
                by_name: who.principal().name.clone(),
            }),
            _ => None,
        };
        let verdict = Verdict::done(
            AuditEvent::RecordChanged {
                change,
                from,
                to,
                reason,
            },
            to,
        );
        Ok(match stops {
            Some(effect) => verdict.then(effect),
            None => verdict,
        })
    }
}

/// The latest reveals, newest first, with sealed links to their subjects.
fn latest_reveals(
    txn: &ReadTransaction,
    links: &crate::links::Links,
) -> Result<Vec<domain::registry::RevealNotice<domain::SubjectLink>>, EngineError> {
    let Some(table) = open_or_empty(txn, REVEALS.definition())? else {
        return Ok(Vec::new());
    };
    let mut out = Vec::new();
    for item in table.iter()?.rev().take(REVEALS_LISTED) {
        let (_, bytes) = item?;
        let n = REVEALS.decode(bytes.value())?;
        out.push(domain::registry::RevealNotice {
            subject: links.seal(n.subject)?,
            at: n.at,
            by: n.by,
            by_name: n.by_name,
            organisation: n.organisation,
            screen: n.screen,
            reason: n.reason,
        });
    }
    Ok(out)
}

/// One page of the management view.
struct ManagementPage {
    page: u32,
}

impl Query for ManagementPage {
    type Output = Management;

    fn read(
        self,
        records: &Records<'_>,
        who: &Standing,
    ) -> Result<Verdict<Management>, EngineError> {
        let (txn, page) = (records.txn, self.page);
        let (principal, today) = (who.principal(), who.today());
        // The management page is for responsible users and staff; a nominating applicant
        // proposes on the e-service page.
        let changer = who.changer(false);
        let staff = who.is_staff();
        if let Err(reason) = who.manages() {
            return Ok(Verdict::service_refused(reason));
        }
        let mut out = Management {
            candidates: candidates(txn, &principal.organisation)?,
            ..Management::default()
        };
        if let Some(table) = open_or_empty(txn, RIGHTS.definition())? {
            let org = principal.organisation.as_str();
            let range = if staff {
                table.range::<(&str, &str)>(..)?
            } else {
                table.range((org, "")..)?
            };
            let per_page = domain::registry::RIGHTS_PAGE as usize;
            let first = usize::try_from(page)
                .unwrap_or(usize::MAX)
                .saturating_mul(per_page);
            let mut total = 0usize;
            for item in range {
                let (key, bytes) = item?;
                if !staff && key.value().0 != org {
                    break;
                }
                total += 1;
                if total <= first || total > first + per_page {
                    continue;
                }
                let right = RIGHTS.decode(bytes.value())?;
                let pending =
                    AMENDMENTS.get(txn, (right.organisation.as_str(), right.user.as_str()))?;
                let mut actions = right_actions(&changer, &right, today);
                if pending.is_some() {
                    actions.extend(change_decisions(&changer, &right, today));
                }
                let (history, history_total) =
                    history(txn, &right_key(&right.organisation, &right.user))?;
                out.rights.push(RightView {
                    ends_soon: domain::registry::ends_soon(&right, today),
                    actions,
                    history,
                    history_total,
                    pending,
                    right,
                });
            }
            out.rights_total = u32::try_from(total).unwrap_or(u32::MAX);
            out.page = page;
        }
        if staff {
            out.reveals = latest_reveals(txn, records.links)?;
            if let Some(table) = open_or_empty(txn, PERMITS.definition())? {
                for item in table.iter()? {
                    let (_, bytes) = item?;
                    let permit = PERMITS.decode(bytes.value())?;
                    let Some(organisation) =
                        ORGANISATIONS.get(txn, permit.organisation.as_str())?
                    else {
                        return Err(EngineError::Corrupt {
                            table: ORGANISATIONS.name(),
                            detail: format!(
                                "no organisation {} for its permit",
                                permit.organisation.as_str()
                            ),
                        });
                    };
                    out.permits
                        .push(permit_view(txn, &changer, permit, organisation, today)?);
                }
            }
        } else {
            if let (Some(permit), Some(organisation)) = (who.permit(), who.organisation()) {
                out.own_permit = Some(permit_view(
                    txn,
                    &changer,
                    permit.clone(),
                    organisation.clone(),
                    today,
                )?);
            }
            out.screens_on_offer = who.permit().map(|p| p.screens.clone()).unwrap_or_default();
            out.attestation = ATTESTATIONS.get(txn, principal.organisation.as_str())?;
        }
        Ok(Verdict::quiet(out))
    }
}

/// A permit as the management page shows it, with the steps open to the viewer.
fn permit_view(
    txn: &ReadTransaction,
    changer: &Changer<'_>,
    permit: Permit,
    organisation: Organisation,
    today: Date,
) -> Result<PermitView, EngineError> {
    let (history, history_total) = history(txn, &permit_key(&permit.organisation))?;
    Ok(PermitView {
        organisation,
        actions: permit_actions(changer, &permit, today),
        history,
        history_total,
        purposes: permit.purpose_list(),
        two_factor_required: permit.two_factor_required,
        number: permit.number,
        state: permit.state,
        valid_from: permit.valid_from,
        valid_until: permit.valid_until,
    })
}

/// An attestation round started by a responsible user.
struct StartAttestation {
    deadline: Date,
}

impl Command for StartAttestation {
    type Output = u32;

    fn apply(self, txn: &Recording<'_>, who: &Standing) -> Result<Verdict<u32>, EngineError> {
        let (principal, now, today) = (who.principal(), who.now(), who.today());
        if !who.is_responsible() {
            return Ok(Verdict::service_refused(Denied::NotResponsibleUser));
        }
        let org = principal.organisation.clone();
        let mut rounds = ATTESTATIONS.writer(txn)?;
        if rounds.get(org.as_str())?.is_some_and(|r| r.open(today)) {
            return Ok(Verdict::service_refused(Denied::NotFromThisState));
        }
        let mut all = Vec::new();
        {
            let table = txn.open_table(RIGHTS.definition())?;
            for item in table.range((org.as_str(), "")..)? {
                let (key, bytes) = item?;
                if key.value().0 != org.as_str() {
                    break;
                }
                all.push(RIGHTS.decode(bytes.value())?);
            }
        }
        let round = Attestation::start(
            org.clone(),
            principal.name.clone(),
            now,
            self.deadline,
            &all,
            &principal.subject,
        );
        if round.entries.is_empty() {
            // Nobody to confirm: no round to hold.
            return Ok(Verdict::service_refused(Denied::NoSuchRecord));
        }
        let mut rights = RIGHTS.writer(txn)?;
        for entry in &round.entries {
            let key = (org.as_str(), entry.user.as_str());
            if let Some(mut right) = rights.get(key)? {
                right.valid_until = round.until_during(entry.previous_until);
                rights.insert(key, &right)?;
            }
        }
        rounds.insert(org.as_str(), &round)?;
        let covered = u32::try_from(round.entries.len()).unwrap_or(u32::MAX);
        Ok(Verdict::done(
            AuditEvent::AttestationStarted {
                organisation: org,
                deadline: self.deadline,
                rights: covered,
            },
            covered,
        ))
    }
}

/// A responsible user's confirmation, in the round in progress, that a colleague still needs
/// their right.
struct ConfirmAttestation {
    user: String,
}

impl Command for ConfirmAttestation {
    type Output = ();

    fn apply(self, txn: &Recording<'_>, who: &Standing) -> Result<Verdict<()>, EngineError> {
        let (now, today, user) = (who.now(), who.today(), self.user.as_str());
        if !who.is_responsible() {
            return Ok(Verdict::service_refused(Denied::NotResponsibleUser));
        }
        let org = who.principal().organisation.clone();
        let mut rounds = ATTESTATIONS.writer(txn)?;
        let mut rights = RIGHTS.writer(txn)?;
        let Some(mut round) = rounds.get(org.as_str())?.filter(|r| r.open(today)) else {
            return Ok(Verdict::service_refused(Denied::NotFromThisState));
        };
        let Some(i) = round
            .entries
            .iter()
            .position(|e| e.user == user && e.confirmed.is_none())
        else {
            return Ok(Verdict::service_refused(Denied::NotFromThisState));
        };
        let previous = round.entries[i].previous_until;
        let during = round.until_during(previous);
        round.entries[i].confirmed = Some(now);
        let key = (org.as_str(), user);
        // A right changed since the round began (ended, given another end date) keeps that
        // change.
        if let Some(mut right) = rights.get(key)?
            && right.state == RightState::Active
            && right.valid_until == during
        {
            right.valid_until = previous;
            rights.insert(key, &right)?;
        }
        rounds.insert(org.as_str(), &round)?;
        Ok(Verdict::done(
            AuditEvent::AttestationConfirmed {
                organisation: org,
                user: self.user,
            },
            (),
        ))
    }
}

/// The registry's notice of a reveal of protected data (break glass), beside its audit entry.
struct Reveal {
    screen: domain::ScreenId,
    subject: domain::SubjectRef,
    reason: Reason,
}

impl Command for Reveal {
    type Output = ();

    fn apply(self, txn: &Recording<'_>, who: &Standing) -> Result<Verdict<()>, EngineError> {
        let principal = who.principal();
        let notice = domain::registry::RevealNotice {
            at: who.now(),
            by: principal.subject.clone(),
            by_name: principal.name.clone(),
            organisation: principal.organisation.clone(),
            screen: self.screen,
            subject: self.subject,
            reason: self.reason,
        };
        let mut table = txn.open_table(REVEALS.definition())?;
        let next = match table.last()? {
            Some((key, _)) => key.value() + 1,
            None => 0,
        };
        let bytes = REVEALS.encode(&notice)?;
        table.insert(next, bytes.as_slice())?;
        // The read that revealed is on record already (its entry names the reason).
        Ok(Verdict::quiet(()))
    }
}
