//! The application form's editor and its read-only summary. The editor writes every keystroke
//! into one form signal and saves the draft to the server shortly after the typing pauses, so
//! a reload loses nothing; the same `domain` rules that the server applies on submission are
//! shown here before anything is sent. Sections that appear with a tick (a purpose's legal
//! basis, a data group's justification) are keyed by what was ticked, not by position, and
//! re-drawn only when the ticks change, so typing never loses the focus.

use super::texts as t;
use crate::i18n::{text, use_lang};
use crate::pages::kind_name;
use domain::catalogue::DataGroup;
use domain::eservice::{
    ApplicationForm, ApplicationKind, Contact, GroupNeed, PurposeRequest, TERMS_VERSION,
    groups_on_offer, terms,
};
use domain::registry::{KnownUser, OrgKind};
use domain::{Field, Lang, Purpose, SearchKind, SubjectKind, Text};
use leptos::prelude::*;

/// One text of the form an input is bound to. The inputs share one non-generic builder keyed by
/// this (rather than a closure per input), which keeps the page's share of the WASM small.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Slot {
    OrgName,
    Address,
    ContactName(usize),
    ContactEmail(usize),
    ContactPhone(usize),
    LegalBasis(Purpose),
    Justification(Purpose),
    Why(DataGroup),
    Users,
    Location,
    AccessControl,
    Retention,
    Other,
}

impl Slot {
    fn get(self, f: &ApplicationForm) -> String {
        let purpose = |p: Purpose| f.purposes.iter().find(|x| x.purpose == p);
        let contact = |i: usize| f.organisation.contacts.get(i);
        match self {
            Slot::OrgName => f.organisation.name.clone(),
            Slot::Address => f.organisation.address.clone(),
            Slot::ContactName(i) => contact(i).map(|c| c.name.clone()).unwrap_or_default(),
            Slot::ContactEmail(i) => contact(i).map(|c| c.email.clone()).unwrap_or_default(),
            Slot::ContactPhone(i) => contact(i).map(|c| c.phone.clone()).unwrap_or_default(),
            Slot::LegalBasis(p) => purpose(p)
                .map(|x| x.legal_basis.clone())
                .unwrap_or_default(),
            Slot::Justification(p) => purpose(p)
                .map(|x| x.justification.clone())
                .unwrap_or_default(),
            Slot::Why(g) => f
                .needs
                .iter()
                .find(|n| n.group == g)
                .map(|n| n.why.clone())
                .unwrap_or_default(),
            Slot::Users => f.protection.users.clone(),
            Slot::Location => f.protection.location.clone(),
            Slot::AccessControl => f.protection.access_control.clone(),
            Slot::Retention => f.protection.retention.clone(),
            Slot::Other => f.protection.other.clone(),
        }
    }

    fn set(self, f: &mut ApplicationForm, v: String) {
        let target: Option<&mut String> = match self {
            Slot::OrgName => Some(&mut f.organisation.name),
            Slot::Address => Some(&mut f.organisation.address),
            Slot::ContactName(i) => f.organisation.contacts.get_mut(i).map(|c| &mut c.name),
            Slot::ContactEmail(i) => f.organisation.contacts.get_mut(i).map(|c| &mut c.email),
            Slot::ContactPhone(i) => f.organisation.contacts.get_mut(i).map(|c| &mut c.phone),
            Slot::LegalBasis(p) => f
                .purposes
                .iter_mut()
                .find(|x| x.purpose == p)
                .map(|x| &mut x.legal_basis),
            Slot::Justification(p) => f
                .purposes
                .iter_mut()
                .find(|x| x.purpose == p)
                .map(|x| &mut x.justification),
            Slot::Why(g) => f
                .needs
                .iter_mut()
                .find(|n| n.group == g)
                .map(|n| &mut n.why),
            Slot::Users => Some(&mut f.protection.users),
            Slot::Location => Some(&mut f.protection.location),
            Slot::AccessControl => Some(&mut f.protection.access_control),
            Slot::Retention => Some(&mut f.protection.retention),
            Slot::Other => Some(&mut f.protection.other),
        };
        if let Some(t) = target {
            *t = v;
        }
    }
}

impl Slot {
    /// The form field whose rule the text answers to (what a refusal names); `None` for a
    /// text no rule asks for.
    fn field(self) -> Option<Field> {
        Some(match self {
            Slot::OrgName => Field::OrgName,
            Slot::Address => Field::Address,
            Slot::ContactName(_) => Field::ContactName,
            Slot::ContactEmail(_) => Field::Email,
            Slot::ContactPhone(_) => Field::Phone,
            Slot::LegalBasis(_) => Field::LegalBasis,
            Slot::Justification(_) => Field::Justification,
            Slot::Why(_) => Field::NeedWhy,
            Slot::Users => Field::Users,
            Slot::Location => Field::Location,
            Slot::AccessControl => Field::AccessControl,
            Slot::Retention => Field::Retention,
            Slot::Other => return None,
        })
    }
}

/// What the last check of the form found missing or wrong, shared by the page: each input
/// says so at itself (`aria-invalid`, its message tied by `aria-describedby`).
#[derive(Clone, Copy)]
pub struct Missing(pub RwSignal<Vec<domain::FieldError>>);

/// The message for the input of `field` holding `value`, when the last check named it: a
/// "required" names the empty ones of its kind, any other rule every one.
fn problem(
    field: Option<Field>,
    empty: impl Fn() -> bool + Copy + Send + Sync + 'static,
) -> impl Fn() -> Option<domain::ValidationError> + Copy + Send + Sync + 'static {
    let missing = use_context::<Missing>();
    move || {
        let (m, field) = (missing?, field?);
        m.0.with(|list| {
            list.iter()
                .find(|e| {
                    e.field == field
                        && (!matches!(e.error, domain::ValidationError::Required(_)) || empty())
                })
                .map(|e| e.error.clone())
        })
    }
}

/// A yes/no of the form a tick box is bound to.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Choice {
    Purpose(Purpose),
    Group(DataGroup),
    Search(SearchKind),
    NoOnwardDisclosure,
    TwoFactor,
    Terms,
}

impl Choice {
    fn get(self, f: &ApplicationForm) -> bool {
        match self {
            Choice::Purpose(p) => f.purposes.iter().any(|x| x.purpose == p),
            Choice::Group(g) => f.needs.iter().any(|n| n.group == g),
            Choice::Search(k) => f.searches.contains(&k),
            Choice::NoOnwardDisclosure => f.protection.no_onward_disclosure,
            Choice::TwoFactor => f.protection.two_factor,
            Choice::Terms => f.terms_accepted.as_deref() == Some(TERMS_VERSION),
        }
    }

    fn set(self, f: &mut ApplicationForm, on: bool) {
        match self {
            Choice::Purpose(purpose) => {
                f.purposes.retain(|p| p.purpose != purpose);
                if on {
                    f.purposes.push(PurposeRequest {
                        purpose,
                        legal_basis: String::new(),
                        justification: String::new(),
                    });
                }
            }
            Choice::Group(group) => {
                f.needs.retain(|n| n.group != group);
                if on {
                    f.needs.push(GroupNeed {
                        group,
                        why: String::new(),
                    });
                }
            }
            Choice::Search(kind) => {
                f.searches.retain(|k| *k != kind);
                if on {
                    f.searches.push(kind);
                }
            }
            Choice::NoOnwardDisclosure => f.protection.no_onward_disclosure = on,
            Choice::TwoFactor => f.protection.two_factor = on,
            Choice::Terms => f.terms_accepted = on.then(|| TERMS_VERSION.to_owned()),
        }
    }
}

/// A labelled text input or text area bound to one text of the form.
fn field(
    label: Signal<String>,
    id: String,
    multiline: bool,
    form: RwSignal<ApplicationForm>,
    slot: Slot,
    touch: Callback<()>,
) -> AnyView {
    let lang = use_lang();
    let value = move || form.with(|f| slot.get(f));
    let input = move |ev: leptos::ev::Event| {
        let v = event_target_value(&ev);
        form.update(|f| slot.set(f, v));
        touch.run(());
    };
    let problem = problem(slot.field(), move || {
        form.with(|f| slot.get(f).trim().is_empty())
    });
    let error_id = format!("{id}-error");
    let described = {
        let error_id = error_id.clone();
        move || problem().map(|_| error_id.clone())
    };
    let invalid = move || problem().map(|_| "true");
    let control = if multiline {
        view! {
            <textarea id=id.clone() rows="3" prop:value=value on:input=input
                aria-invalid=invalid aria-describedby=described.clone()></textarea>
        }
        .into_any()
    } else {
        view! {
            <input type="text" id=id.clone() prop:value=value on:input=input
                aria-invalid=invalid aria-describedby=described />
        }
        .into_any()
    };
    view! {
        <div class="field">
            <label for=id>{label}</label>
            {control}
            {move || problem().map(|e| view! {
                <p class="field-error" id=error_id.clone()>{e.message(lang.get())}</p>
            })}
        </div>
    }
    .into_any()
}

fn label_of(f: Field) -> Signal<String> {
    let lang = use_lang();
    Signal::derive(move || f.label().get(lang.get()).to_owned())
}

fn label_text(t: Text) -> Signal<String> {
    let lang = use_lang();
    Signal::derive(move || t.get(lang.get()).to_owned())
}

fn label_with(base: Text, detail: Text) -> Signal<String> {
    let lang = use_lang();
    Signal::derive(move || format!("{}: {}", base.get(lang.get()), detail.get(lang.get())))
}

/// A tick box bound to one yes/no of the form.
fn tick(
    label: Signal<String>,
    id: String,
    form: RwSignal<ApplicationForm>,
    choice: Choice,
    touch: Callback<()>,
) -> AnyView {
    let lang = use_lang();
    // The promises a form must make are marked at their box when missing.
    let field = match choice {
        Choice::Terms => Some(Field::Terms),
        Choice::NoOnwardDisclosure => Some(Field::NoOnwardDisclosure),
        _ => None,
    };
    let problem = problem(field, move || !form.with(|f| choice.get(f)));
    let error_id = format!("{id}-error");
    let described = {
        let error_id = error_id.clone();
        move || problem().map(|_| error_id.clone())
    };
    view! {
        <div class="tick">
            <input
                type="checkbox"
                id=id.clone()
                aria-invalid=move || problem().map(|_| "true")
                aria-describedby=described
                prop:checked=move || form.with(|f| choice.get(f))
                on:change=move |ev| {
                    let on = event_target_checked(&ev);
                    form.update(|f| choice.set(f, on));
                    touch.run(());
                }
            />
            <label for=id>{label}</label>
            {move || problem().map(|e| view! {
                <p class="field-error" id=error_id.clone()>{e.message(lang.get())}</p>
            })}
        </div>
    }
    .into_any()
}

const KINDS: [OrgKind; 5] = [
    OrgKind::StateAgency,
    OrgKind::Municipality,
    OrgKind::JointMunicipalAuthority,
    OrgKind::WellbeingServicesCounty,
    OrgKind::Company,
];

fn organisation_section(form: RwSignal<ApplicationForm>, touch: Callback<()>) -> AnyView {
    let lang = use_lang();
    let id_error = RwSignal::new(None::<String>);
    let check_id = move |_| {
        let typed = form.with(|f| f.organisation.business_id.trim().to_owned());
        id_error.set(match typed.parse::<domain::BusinessId>() {
            Err(e) if !typed.is_empty() => {
                Some(domain::ValidationError::from(e).message(lang.get()))
            }
            _ => None,
        });
    };
    let kind_options = KINDS
        .into_iter()
        .map(|k| {
            view! {
                <option value=format!("{k:?}") selected=move || form.with(|f| f.organisation.kind == Some(k))>
                    {text(k.text())}
                </option>
            }
        })
        .collect_view();
    let kind_problem = problem(Some(Field::OrgKind), move || {
        form.with(|f| f.organisation.kind.is_none())
    });
    let count = Memo::new(move |_| form.with(|f| f.organisation.contacts.len()));
    let contacts = move || {
        (0..count.get())
            .map(|i| {
                let n = i + 1;
                let remove = move |_| {
                    form.update(|f| {
                        if i < f.organisation.contacts.len() {
                            f.organisation.contacts.remove(i);
                        }
                    });
                    touch.run(());
                };
                let with_n = |f: Field| {
                    let lang = use_lang();
                    Signal::derive(move || format!("{} {n}", f.label().get(lang.get())))
                };
                view! {
                    <fieldset class="contact">
                        {field(with_n(Field::ContactName), format!("contact-{n}-name"), false, form, Slot::ContactName(i), touch)}
                        {field(with_n(Field::Email), format!("contact-{n}-email"), false, form, Slot::ContactEmail(i), touch)}
                        {field(with_n(Field::Phone), format!("contact-{n}-phone"), false, form, Slot::ContactPhone(i), touch)}
                        <button type="button" class="link" on:click=remove>
                            {move || format!("{} ({n})", t::REMOVE.get(lang.get()))}
                        </button>
                    </fieldset>
                }
            })
            .collect_view()
    };
    view! {
        <fieldset class="section" id="section-organisation">
            <legend>{text(t::ORGANISATION)}</legend>
            {field(label_of(Field::OrgName), "org-name".into(), false, form, Slot::OrgName, touch)}
            <div class="field" on:focusout=check_id>
                <label for="business-id">{move || Field::BusinessId.label().get(lang.get())}</label>
                <input type="text" id="business-id" inputmode="numeric" maxlength="20"
                    prop:value=move || form.with(|f| f.organisation.business_id.clone())
                    on:input=move |ev| {
                        let v = event_target_value(&ev);
                        form.update(|f| f.organisation.business_id = v);
                        touch.run(());
                    } />
                {move || id_error.get().map(|m| view! { <p class="field-error" role="alert">{m}</p> })}
            </div>
            <div class="field">
                <label for="org-kind">{move || Field::OrgKind.label().get(lang.get())}</label>
                <select id="org-kind"
                    aria-invalid=move || kind_problem().map(|_| "true")
                    aria-describedby=move || kind_problem().map(|_| "org-kind-error")
                    on:change=move |ev| {
                    let v = event_target_value(&ev);
                    form.update(|f| f.organisation.kind = KINDS.into_iter().find(|k| format!("{k:?}") == v));
                    touch.run(());
                }>
                    <option value="">{text(t::CHOOSE)}</option>
                    {kind_options}
                </select>
                {move || kind_problem().map(|e| view! {
                    <p class="field-error" id="org-kind-error">{e.message(lang.get())}</p>
                })}
            </div>
            {field(label_of(Field::Address), "address".into(), false, form, Slot::Address, touch)}
            <h2 class="subhead">{text(t::CONTACTS)}</h2>
            {contacts}
            <button type="button" disabled={move || count.get() >= domain::eservice::CONTACTS_MAX}
                on:click=move |_| {
                    form.update(|f| f.organisation.contacts.push(Contact::default()));
                    touch.run(());
                }>
                {text(t::ADD_CONTACT)}
            </button>
        </fieldset>
    }
    .into_any()
}

fn purposes_section(form: RwSignal<ApplicationForm>, touch: Callback<()>) -> AnyView {
    let items = Purpose::ALL
        .into_iter()
        .map(|purpose| {
            let slug = purpose.slug();
            let chosen = Memo::new(move |_| form.with(|f| Choice::Purpose(purpose).get(f)));
            let details = move || {
                chosen.get().then(|| {
                    view! {
                        <div class="details">
                            {field(label_with(Field::LegalBasis.label(), purpose.text()), format!("legal-basis-{slug}"), false, form, Slot::LegalBasis(purpose), touch)}
                            {field(label_with(Field::Justification.label(), purpose.text()), format!("justification-{slug}"), true, form, Slot::Justification(purpose), touch)}
                        </div>
                    }
                })
            };
            view! {
                <div class="choice">
                    {tick(label_text(purpose.text()), format!("purpose-{slug}"), form, Choice::Purpose(purpose), touch)}
                    {details}
                </div>
            }
        })
        .collect_view();
    view! {
        <fieldset class="section" id="section-purposes">
            <legend>{text(Field::Purposes.label())}</legend>
            <p class="hint">{text(t::PURPOSES_INTRO)}</p>
            {items}
        </fieldset>
    }
    .into_any()
}

fn group_choice(group: DataGroup, form: RwSignal<ApplicationForm>, touch: Callback<()>) -> AnyView {
    let title = group.spec().title;
    let key = format!("{group:?}").to_lowercase();
    let chosen = Memo::new(move |_| form.with(|f| Choice::Group(group).get(f)));
    let why_id = format!("why-{key}");
    let details = move || {
        chosen.get().then(|| {
            field(
                label_with(t::WHY, title),
                why_id.clone(),
                true,
                form,
                Slot::Why(group),
                touch,
            )
        })
    };
    view! {
        <div class="choice">
            {tick(label_text(title), format!("group-{key}"), form, Choice::Group(group), touch)}
            {details}
        </div>
    }
    .into_any()
}

fn groups_section(form: RwSignal<ApplicationForm>, touch: Callback<()>) -> AnyView {
    let lang = use_lang();
    let offer = groups_on_offer();
    let by_kind = SubjectKind::ALL
        .into_iter()
        .map(|kind| {
            let items = offer
                .iter()
                .filter(|(_, k)| *k == kind)
                .map(|(g, _)| group_choice(*g, form, touch))
                .collect_view();
            view! {
                <fieldset class="groups">
                    <legend>{move || kind_name(kind, lang.get())}</legend>
                    {items}
                </fieldset>
            }
        })
        .collect_view();
    let searches = SearchKind::ALL
        .iter()
        .map(|kind| {
            let kind = *kind;
            tick(
                label_text(kind.title()),
                format!("search-{}", kind.short_slug()),
                form,
                Choice::Search(kind),
                touch,
            )
        })
        .collect_view();
    view! {
        <fieldset class="section" id="section-data-groups">
            <legend>{text(Field::DataGroups.label())}</legend>
            <p class="hint">{text(t::GROUPS_INTRO)}</p>
            {by_kind}
        </fieldset>
        <fieldset class="section" id="section-searches">
            <legend>{text(Field::Searches.label())}</legend>
            {searches}
        </fieldset>
    }
    .into_any()
}

fn protection_section(form: RwSignal<ApplicationForm>, touch: Callback<()>) -> AnyView {
    view! {
        <fieldset class="section" id="section-protection">
            <legend>{text(t::PROTECTION)}</legend>
            {field(label_of(Field::Users), "users".into(), true, form, Slot::Users, touch)}
            {field(label_of(Field::Location), "location".into(), true, form, Slot::Location, touch)}
            {field(label_of(Field::AccessControl), "access-control".into(), true, form, Slot::AccessControl, touch)}
            {field(label_of(Field::Retention), "retention".into(), true, form, Slot::Retention, touch)}
            {tick(label_text(t::NO_ONWARD), "no-onward".into(), form, Choice::NoOnwardDisclosure, touch)}
            {tick(label_text(t::TWO_FACTOR), "two-factor".into(), form, Choice::TwoFactor, touch)}
            {field(label_text(t::OTHER), "other".into(), true, form, Slot::Other, touch)}
        </fieldset>
    }
    .into_any()
}

fn nominee_section(
    candidates: Vec<KnownUser>,
    form: RwSignal<ApplicationForm>,
    touch: Callback<()>,
) -> AnyView {
    let lang = use_lang();
    let options = candidates
        .into_iter()
        .map(|k| {
            let subject = k.subject.clone();
            view! {
                <option value=k.subject.to_string()
                    selected=move || form.with(|f| f.nominee.as_deref() == Some(subject.as_str()))>
                    {k.name}
                </option>
            }
        })
        .collect_view();
    view! {
        <fieldset class="section" id="section-nominee">
            <legend>{text(Field::Nominee.label())}</legend>
            <p class="hint">{text(t::NOMINEE_INTRO)}</p>
            <label for="nominee">{move || Field::Nominee.label().get(lang.get())}</label>
            <select id="nominee" on:change=move |ev| {
                let v = event_target_value(&ev);
                form.update(|f| f.nominee = (!v.is_empty()).then_some(v));
                touch.run(());
            }>
                <option value="">{text(t::CHOOSE)}</option>
                {options}
            </select>
        </fieldset>
    }
    .into_any()
}

fn terms_section(form: RwSignal<ApplicationForm>, touch: Callback<()>) -> AnyView {
    let lang = use_lang();
    let items = terms()
        .into_iter()
        .map(|term| view! { <li>{text(term)}</li> })
        .collect_view();
    view! {
        <fieldset class="section" id="section-terms">
            <legend>{text(Field::Terms.label())}</legend>
            <p>{move || format!("{} {TERMS_VERSION}", t::TERMS_INTRO.get(lang.get()))}</p>
            <ol class="terms">{items}</ol>
            {tick(Signal::derive(move || format!("{} ({TERMS_VERSION})", t::ACCEPT_TERMS.get(lang.get()))), "accept-terms".into(), form, Choice::Terms, touch)}
        </fieldset>
    }
    .into_any()
}

/// A part of the application form, as the overview at its top names it.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Section {
    Organisation,
    Purposes,
    DataGroups,
    Searches,
    Nominee,
    Protection,
    Terms,
}

impl Section {
    /// The sections a form of `kind` has, in the page's order.
    fn of(kind: ApplicationKind) -> Vec<Section> {
        if kind.own_scope() {
            vec![
                Section::Organisation,
                Section::Purposes,
                Section::DataGroups,
                Section::Searches,
                Section::Protection,
                Section::Terms,
            ]
        } else {
            vec![
                Section::Organisation,
                Section::Nominee,
                Section::Protection,
                Section::Terms,
            ]
        }
    }

    /// The fieldset's `id`.
    fn id(self) -> &'static str {
        match self {
            Section::Organisation => "section-organisation",
            Section::Purposes => "section-purposes",
            Section::DataGroups => "section-data-groups",
            Section::Searches => "section-searches",
            Section::Nominee => "section-nominee",
            Section::Protection => "section-protection",
            Section::Terms => "section-terms",
        }
    }

    /// Its legend.
    fn title(self) -> Text {
        match self {
            Section::Organisation => t::ORGANISATION,
            Section::Purposes => Field::Purposes.label(),
            Section::DataGroups => Field::DataGroups.label(),
            Section::Searches => Field::Searches.label(),
            Section::Nominee => Field::Nominee.label(),
            Section::Protection => t::PROTECTION,
            Section::Terms => Field::Terms.label(),
        }
    }

    /// The section whose inputs a rule about `field` is about.
    fn holding(field: Field) -> Section {
        match field {
            Field::Purposes | Field::LegalBasis | Field::Justification => Section::Purposes,
            Field::DataGroups | Field::NeedWhy => Section::DataGroups,
            Field::Searches => Section::Searches,
            Field::Nominee => Section::Nominee,
            Field::Users
            | Field::Location
            | Field::AccessControl
            | Field::Retention
            | Field::NoOnwardDisclosure => Section::Protection,
            Field::Terms => Section::Terms,
            _ => Section::Organisation,
        }
    }
}

/// The form's parts at its top, each a link to itself with what is still to fill in there,
/// counted by the same rules the submission meets and kept current as the user types.
fn overview(kind: ApplicationKind, form: RwSignal<ApplicationForm>) -> AnyView {
    let lang = use_lang();
    let open = Memo::new(move |_| {
        form.with(|f| f.check(kind).err().unwrap_or_default())
            .into_iter()
            .map(|e| Section::holding(e.field))
            .collect::<Vec<_>>()
    });
    let items = Section::of(kind)
        .into_iter()
        .map(|section| {
            let count = move || open.with(|o| o.iter().filter(|s| **s == section).count());
            let state = move || match count() {
                0 => t::SECTION_DONE.get(lang.get()).to_owned(),
                n => format!("{}: {n}", t::SECTION_TODO.get(lang.get())),
            };
            view! {
                <li class:done=move || count() == 0>
                    <a href=format!("#{}", section.id())>{text(section.title())}</a>
                    " – "<span class="state">{state}</span>
                </li>
            }
        })
        .collect_view();
    view! {
        <nav class="form-overview" aria-label=text(t::SECTIONS)>
            <ol>{items}</ol>
        </nav>
    }
    .into_any()
}

/// The editable form of an application of `kind`.
pub fn editor(
    kind: ApplicationKind,
    candidates: Vec<KnownUser>,
    form: RwSignal<ApplicationForm>,
    touch: Callback<()>,
) -> AnyView {
    let permit = kind.own_scope();
    view! {
        <div class="application-form">
            {overview(kind, form)}
            {organisation_section(form, touch)}
            {permit.then(|| purposes_section(form, touch))}
            {permit.then(|| groups_section(form, touch))}
            {(!permit).then(|| nominee_section(candidates, form, touch))}
            {protection_section(form, touch)}
            {terms_section(form, touch)}
        </div>
    }
    .into_any()
}

/// The form as submitted, for reading (the registry, or the applicant once it is sent).
pub fn summary(form: &ApplicationForm, lang: Lang) -> AnyView {
    let o = &form.organisation;
    let row = |label: String, value: String| {
        view! { <tr><th scope="row">{label}</th><td class="answer">{value}</td></tr> }
    };
    let yes_no = |b: bool| if b { t::YES } else { t::NO }.get(lang).to_owned();
    let mut rows = vec![
        row(Field::OrgName.label().get(lang).into(), o.name.clone()),
        row(
            Field::BusinessId.label().get(lang).into(),
            o.business_id.clone(),
        ),
        row(
            Field::OrgKind.label().get(lang).into(),
            o.kind
                .map(|k| k.text().get(lang).to_owned())
                .unwrap_or_default(),
        ),
        row(Field::Address.label().get(lang).into(), o.address.clone()),
    ];
    for c in &o.contacts {
        rows.push(row(
            Field::ContactName.label().get(lang).into(),
            format!("{}, {} {}", c.name, c.email, c.phone)
                .trim()
                .to_owned(),
        ));
    }
    for p in &form.purposes {
        rows.push(row(
            p.purpose.text().get(lang).into(),
            format!("{} – {}", p.legal_basis, p.justification),
        ));
    }
    for n in &form.needs {
        rows.push(row(n.group.spec().title.get(lang).into(), n.why.clone()));
    }
    if !form.searches.is_empty() {
        rows.push(row(
            Field::Searches.label().get(lang).into(),
            form.searches
                .iter()
                .map(|k| k.title().get(lang))
                .collect::<Vec<_>>()
                .join(", "),
        ));
    }
    let a = &form.protection;
    rows.push(row(Field::Users.label().get(lang).into(), a.users.clone()));
    rows.push(row(
        Field::Location.label().get(lang).into(),
        a.location.clone(),
    ));
    rows.push(row(
        Field::AccessControl.label().get(lang).into(),
        a.access_control.clone(),
    ));
    rows.push(row(
        Field::Retention.label().get(lang).into(),
        a.retention.clone(),
    ));
    rows.push(row(
        Field::NoOnwardDisclosure.label().get(lang).into(),
        yes_no(a.no_onward_disclosure),
    ));
    if !a.other.is_empty() {
        rows.push(row(t::OTHER.get(lang).into(), a.other.clone()));
    }
    if let Some(n) = &form.nominee {
        rows.push(row(Field::Nominee.label().get(lang).into(), n.clone()));
    }
    rows.push(row(
        Field::Terms.label().get(lang).into(),
        form.terms_accepted.clone().unwrap_or_else(|| yes_no(false)),
    ));
    view! {
        <table class="manage-table summary">
            <caption>{t::SUMMARY.get(lang)}</caption>
            <tbody>{rows}</tbody>
        </table>
    }
    .into_any()
}
