//! Where a person stands on their way to a first query, and what they are told: the landing
//! page's next step for someone who may not query yet ([`next_step`]), and the mail an
//! applicant gets when the registry moves their application ([`status_mail`]). Pure: the
//! engine reads the records, this decides what they mean for the person.

use super::texts as t;
use super::{ApplicationAction, ApplicationId, ApplicationKind, ApplicationState, MyApplications};
use crate::access::{Denied, RightState};
use crate::lang::{Lang, Text};
use serde::{Deserialize, Serialize};

/// An undecided application of the viewer's organisation that a colleague made: the viewer
/// learns their organisation is on its way, and from whom.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct ColleagueApplication {
    pub id: ApplicationId,
    pub kind: ApplicationKind,
    pub state: ApplicationState,
    pub applicant_name: String,
}

/// The one next step of a person who may not query, worst blocker first.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum NextStep {
    /// Their own application is a draft: finish and send it.
    ContinueDraft(ApplicationId),
    /// The registry asked them for more, or negotiates: answer on the application.
    AnswerRegistry(ApplicationId, ApplicationState),
    /// Their application is with the registry: nothing to do but wait (the state says where).
    WithRegistry(ApplicationId, ApplicationState),
    /// The user's queries are blocked (by the registry or their responsible user).
    Blocked,
    /// Their application was granted: nominate the organisation's responsible user.
    Nominate(ApplicationId),
    /// The nomination of the responsible user waits for the registry's approval.
    NominationPending,
    /// A colleague's application for the organisation is on its way.
    ColleagueApplied(ColleagueApplication),
    /// The organisation has no permit: apply for one (or order the municipalities' permit).
    Apply(Vec<ApplicationKind>),
    /// Their right is proposed (or ended): the registry approves a proposal; the responsible
    /// users know.
    RightNotInForce,
    /// Ask a responsible user (the names are in `Allowed::contacts`).
    AskResponsible,
    /// The organisation has no responsible user yet: its permit's applicant nominates one.
    NoResponsibleYet,
}

/// The next step of someone with nothing to query, from why nothing is allowed, whether the
/// organisation has responsible users to ask, and their e-service standing.
/// `None` when nothing is allowed for another reason than where the person stands (a purpose
/// to choose, a second factor, a sweep block): the refusal's own words say what to do.
pub fn next_step(
    refusal: Option<Denied>,
    has_contacts: bool,
    mine: &MyApplications,
) -> Option<NextStep> {
    let standing = matches!(
        refusal,
        None | Some(
            Denied::NoQueryRight
                | Denied::NoPermit
                | Denied::PermitExpired
                | Denied::PermitSuspended
                | Denied::PermitEnded
                | Denied::PermitNotYetValid
                | Denied::NoRight
                | Denied::RightNotActive
                | Denied::RightExpired
                | Denied::UserBlocked
        )
    );
    standing.then(|| step_of(refusal, has_contacts, mine))
}

fn step_of(refusal: Option<Denied>, has_contacts: bool, mine: &MyApplications) -> NextStep {
    // Their own newest undecided application comes first: it is theirs to move or to wait on.
    if let Some(a) = mine
        .applications
        .iter()
        .map(|v| &v.application)
        .find(|a| !a.state.decided())
    {
        return match a.state {
            ApplicationState::Draft => NextStep::ContinueDraft(a.id),
            ApplicationState::SupplementRequested | ApplicationState::InNegotiation => {
                NextStep::AnswerRegistry(a.id, a.state)
            }
            s => NextStep::WithRegistry(a.id, s),
        };
    }
    if refusal == Some(Denied::UserBlocked) {
        return NextStep::Blocked;
    }
    if let Some(granted) = mine
        .applications
        .iter()
        .map(|v| &v.application)
        .find(|a| a.state == ApplicationState::Granted)
    {
        // A nomination waiting for the registry comes before nominating (the people to
        // nominate are still offered until one is approved).
        let active = mine
            .responsible
            .iter()
            .any(|r| r.state == RightState::Active);
        if !active
            && mine
                .responsible
                .iter()
                .any(|r| r.state == RightState::Proposed)
        {
            return NextStep::NominationPending;
        }
        if !mine.nominate.is_empty() {
            return NextStep::Nominate(granted.id);
        }
    }
    if let Some(c) = &mine.colleague {
        return NextStep::ColleagueApplied(c.clone());
    }
    // A new permit may be started only while the organisation has none in force and nothing
    // in progress, whatever the gate named first (no right, or no permit).
    let new: Vec<ApplicationKind> = mine
        .may_start
        .iter()
        .copied()
        .filter(|k| *k != ApplicationKind::PermitChange)
        .collect();
    if !new.is_empty() {
        return NextStep::Apply(new);
    }
    if refusal == Some(Denied::RightNotActive) {
        return NextStep::RightNotInForce;
    }
    if has_contacts {
        NextStep::AskResponsible
    } else {
        NextStep::NoResponsibleYet
    }
}

impl NextStep {
    /// What the person is told.
    pub fn text(&self) -> Text {
        match self {
            NextStep::ContinueDraft(_) => t::NEXT_CONTINUE_DRAFT,
            NextStep::AnswerRegistry(_, ApplicationState::InNegotiation) => t::NEXT_NEGOTIATION,
            NextStep::AnswerRegistry(..) => t::NEXT_SUPPLEMENT,
            NextStep::WithRegistry(..) => t::NEXT_WITH_REGISTRY,
            NextStep::Blocked => t::NEXT_BLOCKED,
            NextStep::Nominate(_) => t::NEXT_NOMINATE,
            NextStep::NominationPending => t::NEXT_NOMINATION_PENDING,
            NextStep::ColleagueApplied(_) => t::NEXT_COLLEAGUE_APPLIED,
            NextStep::Apply(kinds) if kinds.contains(&ApplicationKind::MunicipalOrder) => {
                t::NEXT_APPLY_OR_ORDER
            }
            NextStep::Apply(_) => t::NEXT_APPLY,
            NextStep::RightNotInForce => t::NEXT_RIGHT_NOT_IN_FORCE,
            NextStep::AskResponsible => t::NEXT_ASK_RESPONSIBLE,
            NextStep::NoResponsibleYet => t::NEXT_NO_RESPONSIBLE_YET,
        }
    }

    /// The link the step offers (a path of this service) and its words; `None` when there is
    /// nothing to open (waiting, asking a person).
    pub fn link(&self) -> Option<(String, Text)> {
        match self {
            NextStep::ContinueDraft(id) | NextStep::AnswerRegistry(id, _) => {
                Some((format!("/eservice/{}", id.0), t::NEXT_OPEN_APPLICATION))
            }
            NextStep::WithRegistry(id, _) => {
                Some((format!("/eservice/{}", id.0), t::NEXT_SEE_APPLICATION))
            }
            NextStep::Nominate(_) | NextStep::NominationPending | NextStep::Apply(_) => {
                Some(("/eservice".to_owned(), t::NEXT_OPEN_ESERVICE))
            }
            _ => None,
        }
    }
}

/// The mail an applicant's contacts get when the registry takes a step on the application:
/// what happened and what to do, in Finnish, Swedish and English (the application does not
/// record a language). No link: the applicant signs in as always and finds it in Asiointi,
/// so a forged mail has nothing to offer.
pub fn status_mail(
    id: ApplicationId,
    organisation: &str,
    action: ApplicationAction,
    to: ApplicationState,
) -> (String, String) {
    let what = match action {
        ApplicationAction::RequestSupplement => t::MAIL_SUPPLEMENT,
        ApplicationAction::Negotiate => t::MAIL_NEGOTIATION,
        ApplicationAction::Evaluate => t::MAIL_EVALUATION,
        ApplicationAction::Grant => t::MAIL_GRANTED,
        ApplicationAction::Reject => t::MAIL_REJECTED,
        ApplicationAction::Submit | ApplicationAction::Supplement => t::MAIL_RECEIVED,
    };
    let subject = format!(
        "Kysely: {id} – {} / {} / {}",
        to.text().get(Lang::Fi),
        to.text().get(Lang::Sv),
        to.text().get(Lang::En)
    );
    let body = Lang::ALL
        .iter()
        .map(|&l| {
            format!(
                "{} {id} ({organisation}): {}\n\n{}\n\n{}",
                t::MAIL_APPLICATION.get(l),
                to.text().get(l),
                what.get(l),
                t::MAIL_HOW.get(l),
            )
        })
        .collect::<Vec<_>>()
        .join("\n\n----\n\n");
    (subject, body + "\n")
}

#[cfg(test)]
mod tests;
