//! The protection-order rule over every output path, as properties through the gate on a real
//! register: 10,000 generated screen cases (viewer without the right × subject near a protected
//! person × screen) and 10,000 generated name searches (hit lists, single hits, counts and
//! orderings), each answer checked against what is known independently of the redaction code:
//! which persons are protected (their identity codes come from the generator's own records, the
//! police's unredacted view marks the rest and finds where they live and whom they live with).
//! No part of where a protected person lives or has lived (street, number, postal code, post
//! office, municipality, as the police's view of them says) appears in any cell of a row about
//! them, whatever its column: a contact address in their own postal area was such a leak.

use crate::fixture::{Fixture, TestResult, fixture, user};
use domain::access::Who;
use domain::catalogue::{ProtectedRows, Sensitivity};
use domain::principal::Acr;
use domain::screen::{Cell, ScreenData};
use domain::{Actor, Field, ScreenId, SearchKind, SearchOutcome, SubjectRef};
use rand::seq::IndexedRandom;
use rand::{Rng, SeedableRng};
use rand_chacha::ChaCha8Rng;
use std::collections::{BTreeMap, BTreeSet};

/// Where each protected person lives or has lived, as upper-cased text parts.
type Locations = BTreeMap<SubjectRef, BTreeSet<String>>;

/// Columns that name a place but not where the person lives: where they were born is who they
/// are, not where they can be found (DOMAIN.md §2.2 withholds the residence, addresses, home
/// municipality and contact details).
const IDENTITY_PLACES: [&str; 3] = ["birth_municipality", "birth_country", "birth_place_abroad"];

/// The parts of a place's text worth looking for: each comma-separated segment, a postal code
/// and its post office apart, and a street line's street without its number.
fn parts_of(text: &str) -> Vec<String> {
    let mut out = Vec::new();
    for segment in text.split(',').map(str::trim).filter(|s| !s.is_empty()) {
        let upper = segment.to_uppercase();
        match upper.split_once(' ') {
            Some((code, office)) if code.len() == 5 && code.bytes().all(|b| b.is_ascii_digit()) => {
                out.push(code.to_owned());
                out.push(office.trim().to_owned());
            }
            _ => {
                let street: Vec<&str> = upper
                    .split_whitespace()
                    .take_while(|w| !w.starts_with(|c: char| c.is_ascii_digit()))
                    .collect();
                if street.len() < upper.split_whitespace().count() && !street.is_empty() {
                    out.push(street.join(" "));
                }
                out.push(upper);
            }
        }
    }
    out.retain(|p| p.chars().count() >= 3);
    out
}

/// The text a cell shows, in every language it has.
fn texts(cell: &Cell) -> Vec<String> {
    match cell {
        Cell::Text(t) => vec![t.clone()],
        Cell::Link { label, .. } => vec![label.clone()],
        Cell::Code(c) => vec![
            c.text.get(domain::Lang::Fi).to_owned(),
            c.text.get(domain::Lang::Sv).to_owned(),
            c.text.get(domain::Lang::En).to_owned(),
        ],
        _ => Vec::new(),
    }
}

/// Whether `part` occurs in `text` as a whole (not inside a longer word or number).
fn contains_whole(text: &str, part: &str) -> bool {
    let text = text.to_uppercase();
    let mut from = 0;
    while let Some(at) = text[from..].find(part) {
        let start = from + at;
        let end = start + part.len();
        let before = text[..start].chars().next_back();
        let after = text[end..].chars().next();
        if !before.is_some_and(char::is_alphanumeric) && !after.is_some_and(char::is_alphanumeric) {
            return true;
        }
        from = start + part.len().max(1);
    }
    false
}

/// Where `person` lives or has lived, read off the police's view of them: every address,
/// postal code, post office and home municipality their screens show.
async fn location_of(
    f: &Fixture,
    person: SubjectRef,
) -> Result<BTreeSet<String>, Box<dyn std::error::Error>> {
    const PLACE_COLUMNS: [&str; 6] = [
        "address",
        "permanent_address",
        "postal_code",
        "post_office",
        "home_municipality",
        "municipality",
    ];
    let police = user("poliisi");
    let mut out = BTreeSet::new();
    for screen in [
        ScreenId::PersonBasic,
        ScreenId::PersonAddresses,
        ScreenId::PersonAddressHistory,
        ScreenId::PersonHomeMunicipalityHistory,
    ] {
        let data = f.engine.load_screen(&police, screen, person).await?;
        for row in &data.rows {
            for (column, cell) in screen.spec().columns.iter().zip(&row.cells) {
                if PLACE_COLUMNS.contains(&column.key) {
                    for t in texts(cell) {
                        out.extend(parts_of(&t));
                    }
                }
            }
        }
    }
    if out.is_empty() {
        return Err(format!("the police see no location of {person:?}").into());
    }
    Ok(out)
}

/// No cell of a row about a protected person names any part of where they live.
fn no_location_in(
    engine: &engine::Engine,
    data: &ScreenData,
    locations: &Locations,
    case: &str,
) -> Result<(), String> {
    let spec = data.screen.spec();
    let subject = engine
        .open_link(&data.subject)
        .ok_or(format!("{case}: the screen's own link opens nothing"))?;
    let row_links = links(engine, data)?;
    for (i, row) in data.rows.iter().enumerate() {
        if !row.protected {
            continue;
        }
        // Whom the row is about: the subject on their own screen, the protected people it
        // links to on someone else's.
        let mut whose: Vec<&BTreeSet<String>> = row_links
            .iter()
            .filter(|(r, _)| *r == i)
            .filter_map(|(_, t)| locations.get(t))
            .collect();
        whose.extend(locations.get(&subject));
        for (column, cell) in spec.columns.iter().zip(&row.cells) {
            if IDENTITY_PLACES.contains(&column.key) {
                continue;
            }
            for text in texts(cell) {
                for part in whose.iter().copied().flatten() {
                    if contains_whole(&text, part) {
                        return Err(format!(
                            "{case}: row {i}'s {} ({text:?}) gives away {part:?}",
                            column.key
                        ));
                    }
                }
            }
        }
    }
    Ok(())
}

const CASES: usize = 10_000;

/// The subjects behind the links of every row of a screen (every link the engine made opens).
fn links(engine: &engine::Engine, data: &ScreenData) -> Result<Vec<(usize, SubjectRef)>, String> {
    let mut out = Vec::new();
    for (i, row) in data.rows.iter().enumerate() {
        for cell in &row.cells {
            if let Cell::Link { target, .. } = cell {
                let subject = engine
                    .open_link(target)
                    .ok_or(format!("the engine's own link {target:?} opens nothing"))?;
                out.push((i, subject));
            }
        }
    }
    Ok(out)
}

/// What no viewer without the right may ever get, checked on one answer.
fn check(
    engine: &engine::Engine,
    data: &ScreenData,
    locations: &Locations,
    who: &str,
) -> Result<(), String> {
    let protected: BTreeSet<SubjectRef> = locations.keys().copied().collect();
    let spec = data.screen.spec();
    let case = format!("{who} on {} of {:?}", spec.slug, data.subject);
    no_location_in(engine, data, locations, &case)?;
    for (i, row) in data.rows.iter().enumerate() {
        if !row.protected {
            continue;
        }
        for (column, cell) in spec.columns.iter().zip(&row.cells) {
            if column.sensitivity == Sensitivity::Protected
                && !matches!(cell, Cell::Withheld | Cell::Empty)
            {
                return Err(format!("{case}: row {i} shows protected {}", column.key));
            }
        }
    }
    let subject = engine
        .open_link(&data.subject)
        .ok_or(format!("{case}: the screen's own link opens nothing"))?;
    let own_screen = protected.contains(&subject);
    for (i, target) in links(engine, data)? {
        if !protected.contains(&target) || (own_screen && target == subject) {
            continue;
        }
        // A known protected person on someone else's screen: left out of resident lists, a
        // private person on owner lists, or marked so that the location columns of the row are
        // withheld (checked above).
        if matches!(
            spec.group.spec().protected_rows,
            ProtectedRows::Omit | ProtectedRows::AnonymisePersons
        ) {
            return Err(format!("{case}: a list names protected {target:?}"));
        }
        if !data.rows[i].protected {
            return Err(format!("{case}: row {i} names {target:?} unmarked"));
        }
    }
    Ok(())
}

/// The protected persons the generator recorded, and everything the police see around them:
/// their dwellings, buildings, properties, relatives and neighbours (and a few others).
async fn neighbourhood(
    f: &Fixture,
) -> Result<(Locations, Vec<SubjectRef>), Box<dyn std::error::Error>> {
    let police = user("poliisi");
    let mut protected = Locations::new();
    let mut pool = BTreeSet::new();
    for code in &f.samples.protected {
        let person = f.person(code).await?;
        protected.insert(person, location_of(f, person).await?);
        pool.insert(person);
    }
    for _ in 0..2 {
        for subject in pool.clone() {
            for screen in ScreenId::for_subject(subject.kind()) {
                let data = f.engine.load_screen(&police, screen, subject).await?;
                pool.extend(links(&f.engine, &data)?.into_iter().map(|(_, t)| t));
            }
        }
    }
    for code in f.samples.ordinary.iter().take(3) {
        pool.insert(f.person(code).await?);
    }
    let pool: Vec<SubjectRef> = pool.into_iter().collect();
    assert!(pool.len() > 20, "a neighbourhood to walk: {}", pool.len());
    Ok((protected, pool))
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn no_protected_location_reaches_a_viewer_without_the_right() -> TestResult {
    let f = fixture()?;
    let (protected, pool) = neighbourhood(&f).await?;

    let mut one_factor_registry = user("dvv");
    if let Who::User(p) = &mut one_factor_registry.who {
        p.acr = Acr::OneFactor;
    }
    let viewers: Vec<(&str, Actor)> = vec![
        ("espoo", user("espoo")),
        ("isannointi-oy", user("isannointi-oy")),
        ("dvv signed in with one factor", one_factor_registry),
    ];
    let mut offered = Vec::new();
    for (_, v) in &viewers {
        offered.push(f.engine.allowed(v).await?.screens);
    }

    let protected_list: Vec<SubjectRef> = protected.keys().copied().collect();
    let mut rng = ChaCha8Rng::seed_from_u64(20261201);
    let mut cases = Vec::with_capacity(CASES);
    while cases.len() < CASES {
        let v = rng.random_range(0..viewers.len());
        // A quarter of the cases ask about the protected persons themselves.
        let subject = if rng.random_bool(0.25) {
            *protected_list
                .choose(&mut rng)
                .ok_or("no protected person")?
        } else {
            *pool.choose(&mut rng).ok_or("empty pool")?
        };
        let screens: Vec<ScreenId> = offered[v]
            .iter()
            .copied()
            .filter(|s| s.spec().subject() == subject.kind())
            .collect();
        if let Some(&screen) = screens.choose(&mut rng) {
            cases.push((v, subject, screen));
        }
    }
    // Many at once, as officials work: the audit writer commits them in groups.
    let mut checked = 0usize;
    let mut withheld_or_left_out = 0usize;
    for chunk in cases.chunks(64) {
        let mut tasks = tokio::task::JoinSet::new();
        for &(v, subject, screen) in chunk {
            let engine = f.engine.clone();
            let viewer = viewers[v].1.clone();
            tasks.spawn(async move { (v, engine.load_screen(&viewer, screen, subject).await) });
        }
        while let Some(done) = tasks.join_next().await {
            let (v, answer) = done?;
            let data = answer?;
            check(&f.engine, &data, &protected, viewers[v].0)?;
            if data.rows.iter().any(|r| r.protected)
                || protected.contains_key(&f.opened(&data.subject)?)
            {
                withheld_or_left_out += 1;
            }
            checked += 1;
        }
    }
    assert_eq!(checked, CASES);
    assert!(
        withheld_or_left_out > CASES / 5,
        "the cases reach protected persons often enough to mean something: {withheld_or_left_out}"
    );
    Ok(())
}

#[tokio::test]
async fn the_check_catches_a_protected_location_and_an_unmarked_resident() -> TestResult {
    // The property is only as good as its check: feed it answers that break the rule.
    let f = fixture()?;
    let police = user("poliisi");
    let person = f.person(&f.samples.protected[0]).await?;
    let protected: Locations = [(person, location_of(&f, person).await?)].into();
    // A contact address in the person's own postal area (the generator made one at
    // 7d0db4a): its column is not a location column, the scan still finds it.
    let mut contact = f
        .engine
        .load_screen(&user("espoo"), ScreenId::PersonProtection, person)
        .await?;
    check(&f.engine, &contact, &protected, "espoo")?;
    let at = ScreenId::PersonProtection
        .spec()
        .columns
        .iter()
        .position(|c| c.key == "contact_address")
        .ok_or("no contact column")?;
    let postal = protected[&person]
        .iter()
        .find(|p| p.len() == 5 && p.bytes().all(|b| b.is_ascii_digit()))
        .ok_or("no postal code")?
        .clone();
    contact.rows[0].cells[at] = Cell::Text(format!("PL 893, {postal} JOSSAIN"));
    assert!(
        check(&f.engine, &contact, &protected, "espoo").is_err(),
        "a postal code in a contact address"
    );
    let own = f
        .engine
        .load_screen(&police, ScreenId::PersonAddresses, person)
        .await?;
    assert!(
        check(&f.engine, &own, &protected, "police").is_err(),
        "shown in full"
    );
    let mut around = Vec::new();
    for screen in ScreenId::for_subject(person.kind()) {
        let data = f.engine.load_screen(&police, screen, person).await?;
        around.extend(links(&f.engine, &data)?.into_iter().map(|(_, t)| t));
    }
    let (home, residents_screen) = around
        .into_iter()
        .find_map(|t| match t {
            SubjectRef::Building(_) => Some((t, ScreenId::BuildingResidents)),
            SubjectRef::Dwelling(_) => Some((t, ScreenId::DwellingResidents)),
            _ => None,
        })
        .ok_or("no home linked")?;
    let mut residents = f
        .engine
        .load_screen(&police, residents_screen, home)
        .await?;
    assert!(
        check(&f.engine, &residents, &protected, "police").is_err(),
        "listed"
    );
    for row in &mut residents.rows {
        row.protected = false;
    }
    assert!(check(&f.engine, &residents, &protected, "police").is_err());
    Ok(())
}

/// What a search disclosed, in order: the subjects its answer names, or `None` for "too many".
fn disclosed(
    f: &Fixture,
    outcome: &SearchOutcome,
) -> Result<Option<Vec<SubjectRef>>, Box<dyn std::error::Error>> {
    Ok(match outcome {
        SearchOutcome::NotFound | SearchOutcome::NoSuchStreet { .. } => Some(Vec::new()),
        SearchOutcome::TooMany => None,
        SearchOutcome::Found { subject, .. } => Some(vec![f.opened(subject)?]),
        SearchOutcome::Several(list) => Some(f.first_column_links(&list.rows)?),
    })
}

/// What a name search types, read from the police's view of a person.
struct Typed {
    surname: String,
    first_names: String,
    birth_date: String,
    municipality: String,
}

async fn typed(f: &Fixture, person: SubjectRef) -> Result<Typed, Box<dyn std::error::Error>> {
    let data = f
        .engine
        .load_screen(&user("poliisi"), ScreenId::PersonBasic, person)
        .await?;
    let row = data.rows.first().ok_or("no basic row")?;
    let cell = |key: &str| -> Result<&Cell, Box<dyn std::error::Error>> {
        let at = ScreenId::PersonBasic
            .spec()
            .columns
            .iter()
            .position(|c| c.key == key)
            .ok_or("no column")?;
        Ok(&row.cells[at])
    };
    let text = |c: &Cell| match c {
        Cell::Text(t) => t.clone(),
        Cell::Date(d) => d.to_finnish(),
        Cell::Code(code) => code.code.clone(),
        _ => String::new(),
    };
    Ok(Typed {
        surname: text(cell("surname")?),
        first_names: text(cell("first_names")?),
        birth_date: text(cell("birth_date")?),
        municipality: text(cell("home_municipality")?),
    })
}

/// Name searches, as a property: 10,000 generated searches about protected persons and their
/// neighbours, by viewers without the right. A search that names where someone lives (a
/// municipality) answers exactly as the police's answer would with every protected person taken
/// out: the same persons, in the same order, the same count, so nothing can be found, counted
/// or inferred by location. Without a location, identity is not protected: the same persons in
/// the same order as the police get, the protected ones marked with their location withheld.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn no_name_search_finds_counts_or_orders_a_protected_person_by_where_they_live() -> TestResult
{
    let f = fixture()?;
    let (protected, pool) = neighbourhood(&f).await?;
    let mut people = Vec::new();
    for &p in pool
        .iter()
        .filter(|p| p.kind() == domain::SubjectKind::Person)
    {
        let t = typed(&f, p).await?;
        if !t.municipality.is_empty() {
            people.push((p, t));
        }
    }
    assert!(people.iter().any(|(p, _)| protected.contains_key(p)));
    let municipalities: Vec<String> = people.iter().map(|(_, t)| t.municipality.clone()).collect();
    let mut one_factor_registry = user("dvv");
    if let Who::User(p) = &mut one_factor_registry.who {
        p.acr = Acr::OneFactor;
    }
    let mut county = user("lansi-uusimaa");
    if let Who::User(p) = &mut county.who {
        p.acr = Acr::TwoFactor;
    }
    let viewers = [user("espoo"), one_factor_registry, county];
    let police = user("poliisi");
    // Whether a person is protected, as the police's screen marks them (the generator's list
    // of samples names only some of them).
    let mut known: std::collections::BTreeMap<SubjectRef, bool> =
        protected.keys().map(|p| (*p, true)).collect();
    let mut rng = ChaCha8Rng::seed_from_u64(20261202);
    let mut checked = 0usize;
    let mut about_protected = 0usize;
    // Generated first, then searched many at once (as officials work), checked in order.
    let mut cases = Vec::with_capacity(CASES);
    while cases.len() < CASES {
        let (person, t) = people.choose(&mut rng).ok_or("no people")?;
        let viewer = rng.random_range(0..viewers.len());
        let first = t.first_names.split_whitespace().next().unwrap_or("");
        // Where they live, somewhere else, or nowhere.
        let municipality = match rng.random_range(0..3) {
            0 => t.municipality.clone(),
            1 => municipalities.choose(&mut rng).cloned().unwrap_or_default(),
            _ => String::new(),
        };
        // One first name or all of them.
        let firsts = if rng.random_bool(0.5) {
            first
        } else {
            t.first_names.as_str()
        };
        let mut values = vec![
            (Field::Surname, t.surname.clone()),
            (Field::FirstNames, firsts.to_owned()),
            (Field::BirthDate, t.birth_date.clone()),
        ];
        if !municipality.is_empty() {
            values.push((Field::Municipality, municipality));
        }
        cases.push((*person, viewer, values));
    }
    let mut answers = Vec::with_capacity(CASES);
    for chunk in cases.chunks(64) {
        let mut tasks = tokio::task::JoinSet::new();
        for (i, (_, viewer, values)) in chunk.iter().enumerate() {
            let (engine, police, viewer) =
                (f.engine.clone(), police.clone(), viewers[*viewer].clone());
            let typed: Vec<(Field, &str)> = values.iter().map(|(k, v)| (*k, v.as_str())).collect();
            let search = crate::fixture::form(SearchKind::Name, &typed)
                .validate(crate::fixture::today())
                .map_err(|e| format!("{e:?}"))?;
            tasks.spawn(async move {
                let theirs = engine.search(&police, search.clone()).await;
                let mine = engine.search(&viewer, search).await;
                (i, theirs, mine)
            });
        }
        let mut done = Vec::with_capacity(chunk.len());
        while let Some(joined) = tasks.join_next().await {
            let (i, theirs, mine) = joined?;
            done.push((i, theirs?, mine?));
        }
        done.sort_by_key(|(i, _, _)| *i);
        answers.extend(done.into_iter().map(|(_, t, m)| (t, m)));
    }
    for ((person, _, values), (theirs, mine)) in cases.iter().zip(answers) {
        let municipality = values.iter().any(|(k, _)| *k == Field::Municipality);
        let (theirs, mine_list) = (disclosed(&f, &theirs)?, disclosed(&f, &mine)?);
        let case = format!("{values:?} for {person:?}");
        for s in theirs.iter().flatten().chain(mine_list.iter().flatten()) {
            if !known.contains_key(s) {
                let basic = f
                    .engine
                    .load_screen(&police, ScreenId::PersonBasic, *s)
                    .await?;
                known.insert(*s, basic.header.protection_order);
            }
        }
        let protected = |s: &SubjectRef| known.get(s).copied().unwrap_or(false);
        if !municipality {
            assert_eq!(mine_list, theirs, "{case}: identity is not protected");
            if let SearchOutcome::Several(list) = &mine {
                let subjects = f.first_column_links(&list.rows)?;
                for (row, subject) in list.rows.iter().zip(subjects) {
                    assert_eq!(row.protected, protected(&subject), "{case}");
                    if row.protected {
                        for (col, cell) in list.kind.columns().iter().zip(&row.cells) {
                            if col.sensitivity == Sensitivity::Protected {
                                assert!(matches!(cell, Cell::Withheld), "{case}: {}", col.key);
                            }
                        }
                    }
                }
            }
        } else {
            let mine_list = mine_list.ok_or(format!("{case}: too many for the viewer"))?;
            assert!(
                mine_list.iter().all(|s| !protected(s)),
                "{case}: a protected person found by where they live"
            );
            if let Some(theirs) = theirs {
                let expected: Vec<SubjectRef> =
                    theirs.into_iter().filter(|s| !protected(s)).collect();
                assert_eq!(
                    mine_list, expected,
                    "{case}: count and order without the protected"
                );
            }
        }
        if protected(person) {
            about_protected += 1;
        }
        checked += 1;
    }
    assert_eq!(checked, CASES);
    assert!(
        about_protected > CASES / 10,
        "protected persons searched for: {about_protected}"
    );
    Ok(())
}

/// The buildings and units the neighbourhood of the protected persons reaches, with a few
/// dozen others of the register (through the sampled flats' buildings).
async fn places(
    f: &Fixture,
    pool: &[SubjectRef],
) -> Result<(Vec<SubjectRef>, Vec<SubjectRef>), Box<dyn std::error::Error>> {
    let police = user("poliisi");
    let mut buildings = BTreeSet::new();
    let mut properties = BTreeSet::new();
    let mut seen = BTreeSet::new();
    let mut todo: Vec<SubjectRef> = pool.to_vec();
    for flat in &f.samples.flats {
        todo.push(SubjectRef::Building(flat.prt.parse()?));
    }
    // Where the sampled people live, and what stands on the sampled units.
    for code in f.samples.ordinary.iter().chain(&f.samples.families) {
        let person = f.person(code).await?;
        let home = f
            .engine
            .load_screen(&police, ScreenId::PersonResidence, person)
            .await?;
        todo.extend(links(&f.engine, &home)?.into_iter().map(|(_, t)| t));
    }
    for id in &f.samples.properties {
        let found = f
            .search(&police, SearchKind::Property, &[(Field::PropertyId, id)])
            .await?;
        if let SearchOutcome::Found { subject, .. } = found {
            let unit = f.opened(&subject)?;
            let on = f
                .engine
                .load_screen(&police, ScreenId::PropertyBuildings, unit)
                .await?;
            todo.push(unit);
            todo.extend(links(&f.engine, &on)?.into_iter().map(|(_, t)| t));
        }
    }
    while let Some(s) = todo.pop() {
        if !seen.insert(s) {
            continue;
        }
        match s {
            SubjectRef::Building(_) => {
                buildings.insert(s);
            }
            SubjectRef::Property(_) => {
                properties.insert(s);
            }
            _ => {}
        }
        // One step from dwellings to their building and from buildings to their unit.
        let screen = match s {
            SubjectRef::Dwelling(_) => ScreenId::DwellingBasic,
            SubjectRef::Building(_) => ScreenId::BuildingBasic,
            _ => continue,
        };
        let data = f.engine.load_screen(&police, screen, s).await?;
        for (_, t) in links(&f.engine, &data)? {
            if matches!(t, SubjectRef::Building(_) | SubjectRef::Property(_)) {
                todo.push(t);
            }
        }
    }
    Ok((
        buildings.into_iter().collect(),
        properties.into_iter().collect(),
    ))
}

/// Point 3 of the review of 7d0db4a: an empty owner list (or an owner count of 0) marked the
/// houses where every owner was protected. Owner lists are now shown to a viewer without the
/// right exactly as the police's would be with every natural person a private person: the
/// answer is a function of what the police see that does not look at protection at all, so a
/// building or unit with a protected owner cannot be told from one without. Residents are
/// left out (the law); a flat whose residents are all protected then looks empty, so empty
/// flats must be common enough, in every building that has such a flat, that an empty one
/// says nothing: the generator's register has unoccupied dwellings as Finland does.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn no_building_or_unit_tells_a_protected_owner_or_resident_apart() -> TestResult {
    let f = fixture()?;
    let (locations, pool) = neighbourhood(&f).await?;
    let (buildings, properties) = places(&f, &pool).await?;
    let police = user("poliisi");
    let mut one_factor_registry = user("dvv");
    if let Who::User(p) = &mut one_factor_registry.who {
        p.acr = Acr::OneFactor;
    }
    let viewers = [
        ("espoo", user("espoo")),
        ("isannointi-oy", user("isannointi-oy")),
        ("dvv signed in with one factor", one_factor_registry),
    ];
    let is_protected = |s: &SubjectRef| locations.contains_key(s);
    // Owners: the viewer's answer, predicted from the police's without knowing who is
    // protected.
    let mut with_protected_owner = 0;
    let mut compared = 0;
    for (subject, screens) in buildings
        .iter()
        .map(|b| {
            (
                *b,
                [
                    ScreenId::BuildingOwners,
                    ScreenId::BuildingOwnersNarrow,
                    ScreenId::BuildingBasicWide,
                ],
            )
        })
        .chain(properties.iter().map(|p| {
            (
                *p,
                [
                    ScreenId::PropertyOwners,
                    ScreenId::PropertyOwnersNarrow,
                    ScreenId::PropertyBasicWide,
                ],
            )
        }))
    {
        for screen in screens {
            let theirs = f.engine.load_screen(&police, screen, subject).await?;
            if screen == screens[0] && f.first_column_links(&theirs.rows)?.iter().any(is_protected)
            {
                with_protected_owner += 1;
            }
            let expected: Vec<(bool, Vec<Cell>)> = theirs
                .rows
                .iter()
                .map(|r| {
                    let cells = screen
                        .spec()
                        .columns
                        .iter()
                        .zip(&r.cells)
                        .map(|(c, cell)| match (c.key, cell) {
                            ("owner", Cell::Link { .. }) => Cell::Private,
                            (_, other) => other.clone(),
                        })
                        .collect();
                    (false, cells)
                })
                .collect();
            for (who, viewer) in &viewers {
                if !f.engine.allowed(viewer).await?.screens.contains(&screen) {
                    continue;
                }
                let mine = f.engine.load_screen(viewer, screen, subject).await?;
                let got: Vec<(bool, Vec<Cell>)> = mine
                    .rows
                    .iter()
                    .map(|r| (r.protected, r.cells.clone()))
                    .collect();
                // Links are sealed per subject, the same for every viewer.
                assert_eq!(
                    got,
                    expected,
                    "{who} on {} of {subject:?}",
                    screen.spec().slug
                );
                compared += 1;
            }
        }
    }
    assert!(
        with_protected_owner > 0,
        "the neighbourhood reaches protected owners"
    );
    assert!(compared > 20, "owner answers compared: {compared}");

    // Residents: left out (the law), so a dwelling whose residents are all protected looks
    // empty to the viewer, as an empty one does: that an empty-looking flat or house is
    // seldom a protected household's home is the generator's property
    // (`population::tests::an_empty_looking_home_is_seldom_a_protected_households`).
    let mut hidden_homes = 0usize;
    for &b in &buildings {
        let list = f
            .engine
            .load_screen(&police, ScreenId::BuildingDwellings, b)
            .await?;
        for d in f.first_column_links(&list.rows)? {
            let residents = f
                .engine
                .load_screen(&police, ScreenId::DwellingResidents, d)
                .await?;
            let people = f.first_column_links(&residents.rows)?;
            if !people.is_empty() && people.iter().all(is_protected) {
                hidden_homes += 1;
                let seen = f
                    .engine
                    .load_screen(&user("isannointi-oy"), ScreenId::DwellingResidents, d)
                    .await?;
                assert!(seen.rows.is_empty(), "the protected are left out");
                let empty_dwelling = f
                    .engine
                    .load_screen(&user("isannointi-oy"), ScreenId::DwellingBasic, d)
                    .await?;
                assert!(
                    !empty_dwelling.has_withheld(),
                    "nothing on the dwelling's own screen marks it"
                );
            }
        }
    }
    assert!(
        hidden_homes > 0,
        "the neighbourhood reaches homes of protected persons"
    );
    Ok(())
}

/// Point 2 of the review of 7d0db4a, at the mechanism: whatever the register holds, a contact
/// address that shares a part with where its person lives is withheld from a viewer without
/// the right (and shown to one with it); one that shares nothing is shown to anyone.
#[tokio::test]
async fn a_contact_address_at_the_persons_own_post_office_is_withheld_like_the_location()
-> TestResult {
    let f = fixture()?;
    let person = f.person(&f.samples.protected[0]).await?;
    let location = location_of(&f, person).await?;
    let postal = location
        .iter()
        .find(|p| p.len() == 5 && p.bytes().all(|b| b.is_ascii_digit()))
        .ok_or("no postal code")?
        .clone();
    let at = ScreenId::PersonProtection
        .spec()
        .columns
        .iter()
        .position(|c| c.key == "contact_address")
        .ok_or("no contact column")?;
    let contact = |viewer: &'static str| {
        let f = &f;
        let viewer = user(viewer);
        async move {
            let data = f
                .engine
                .load_screen(&viewer, ScreenId::PersonProtection, person)
                .await?;
            Ok::<Cell, Box<dyn std::error::Error>>(data.rows[0].cells[at].clone())
        }
    };
    // As generated: elsewhere, shown to anyone.
    assert!(matches!(contact("espoo").await?, Cell::Text(t) if t.starts_with("PL ")));
    // A PO box at the person's own post office.
    f.engine.edit_person(person, |p| {
        if let Some(order) = p.protection_order.as_mut() {
            order.contact_address = Some(domain::model::AddressPlace::Domestic {
                street: "PL 893".into(),
                dwelling: String::new(),
                postal_code: postal.clone(),
                post_office_fi: "JOSSAIN".into(),
                post_office_sv: "NÅGONSTANS".into(),
            });
        }
    })?;
    for viewer in ["espoo", "lansi-uusimaa"] {
        assert_eq!(contact(viewer).await?, Cell::Withheld, "{viewer}");
    }
    assert_eq!(
        contact("poliisi").await?,
        Cell::Text(format!("PL 893, {postal} JOSSAIN")),
        "the police see it"
    );
    Ok(())
}
