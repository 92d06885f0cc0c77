//! The domain's modules in layers: a module names only modules below it, so basic words (dates,
//! texts, ids, subjects, purposes, roles) never depend on the rules that use them, and no two
//! modules import each other, directly or round a circle. The order below is the design; this
//! test reads every module's code (not its comments, not its tests) and fails on a name of a
//! module at its own level or above.

use std::collections::BTreeMap;
use std::path::Path;

/// From the bottom up. A module may name any module before it in this list.
const LAYERS: &[&str] = &[
    // Words that need nothing.
    "date",
    "lang",
    "check_char",
    "signin",
    "names",
    "purpose",
    "disclosure",
    // The audit trail's Merkle tree: hashes only.
    "merkle",
    // Identifiers and who someone is.
    "hetu",
    "ids",
    "principal",
    "validation",
    "subject",
    // The catalogue of screens and what crosses the wire.
    "catalogue",
    "codes",
    "screen",
    "model",
    "search",
    // Changes to the register as its source sends them.
    "changes",
    // Rules.
    "fees",
    "access",
    "registry",
    "library",
    "eservice",
    "contact",
    "alert_rule",
    "audit",
    "usage",
    "trail",
    "alerts",
];

mod source;

use source::{Failure, code, sources, test_only};

/// The top-level module a source file belongs to (`ids/satu.rs` → `ids`).
fn module_of(src: &Path, file: &Path) -> Option<String> {
    let rel = file.strip_prefix(src).ok()?;
    let first = rel.components().next()?.as_os_str().to_string_lossy();
    Some(first.trim_end_matches(".rs").to_owned())
}

/// The modules a piece of code names: `crate::x…` paths, and the heads of `crate::{x, y::…}`.
fn named(code: &str) -> Vec<String> {
    let mut out = Vec::new();
    let ident = |c: char| c.is_alphanumeric() || c == '_';
    for (at, _) in code.match_indices("crate::") {
        let rest = &code[at + "crate::".len()..];
        if let Some(group) = rest.strip_prefix('{') {
            // Each element at depth 0 of the group.
            let mut depth = 0;
            let mut start = true;
            for (i, c) in group.char_indices() {
                match c {
                    '{' => depth += 1,
                    '}' if depth == 0 => break,
                    '}' => depth -= 1,
                    ',' if depth == 0 => start = true,
                    c if start && ident(c) => {
                        let name: String = group[i..].chars().take_while(|c| ident(*c)).collect();
                        out.push(name);
                        start = false;
                    }
                    _ => {}
                }
            }
        } else {
            out.push(rest.chars().take_while(|c| ident(*c)).collect());
        }
    }
    out
}

/// What the crate root re-exports, by name: `Lang` → `lang` (so `crate::Lang` names `lang`).
fn root_exports(lib: &str) -> BTreeMap<String, String> {
    let mut out = BTreeMap::new();
    for item in code(lib).split(';') {
        let Some(rest) = item.trim().strip_prefix("pub use ") else {
            continue;
        };
        let Some((module, names)) = rest.split_once("::") else {
            continue;
        };
        let names = names.trim_start_matches('{').trim_end_matches('}');
        for name in names.split(',') {
            let name = name.trim();
            if !name.is_empty() {
                out.insert(name.to_owned(), module.trim().to_owned());
            }
        }
    }
    out
}

/// Every naming of a module at or above the namer's own level: `(file, named)`.
fn upward(src: &Path) -> Result<Vec<(String, String)>, Failure> {
    let rank: BTreeMap<&str, usize> = LAYERS.iter().enumerate().map(|(i, m)| (*m, i)).collect();
    let exports = std::fs::read_to_string(src.join("lib.rs"))
        .map(|lib| root_exports(&lib))
        .unwrap_or_default();
    let mut files = Vec::new();
    sources(src, &mut files)?;
    let tests = test_only(src, &files)?;
    let mut out = Vec::new();
    for file in files.iter().filter(|f| !tests.contains(f)) {
        let Some(module) = module_of(src, file) else {
            continue;
        };
        if module == "lib" {
            continue;
        }
        let own = *rank
            .get(module.as_str())
            .ok_or_else(|| format!("{module} is in no layer: add it to LAYERS"))?;
        for name in named(&code(&std::fs::read_to_string(file)?)) {
            let name = exports.get(&name).cloned().unwrap_or(name);
            if name == module {
                continue;
            }
            let other = *rank
                .get(name.as_str())
                .ok_or_else(|| format!("{name} (named in {}) is in no layer", file.display()))?;
            if other >= own {
                out.push((file.display().to_string(), name));
            }
        }
    }
    Ok(out)
}

#[test]
fn every_module_names_only_modules_below_it() -> Result<(), Failure> {
    let src = Path::new(env!("CARGO_MANIFEST_DIR")).join("src");
    let found = upward(&src)?;
    assert!(
        found.is_empty(),
        "modules naming their own level or above:\n{}",
        found
            .iter()
            .map(|(f, n)| format!("{f} → {n}"))
            .collect::<Vec<_>>()
            .join("\n")
    );
    Ok(())
}

#[test]
fn the_reader_sees_paths_groups_and_skips_comments_and_tests() {
    let text = "use crate::{access::Denied, date::{Date, Timestamp}, lang};\n\
                // crate::audit in a comment\n\
                fn f() { crate::ids::check(); }\n\
                #[cfg(test)]\nfn helper() { crate::names::fold(); }\n\
                #[cfg(test)]\nmod tests {\n    use crate::usage;\n}\n";
    let mut names = named(&code(text));
    names.sort();
    assert_eq!(names, ["access", "date", "ids", "lang", "names"]);
}

/// The test can fail: an upward name in a module is found (the access rules named by a date
/// would be a circle through everything).
#[test]
fn an_upward_name_is_found() -> Result<(), Failure> {
    let dir = std::env::temp_dir().join(format!("layers-{}", std::process::id()));
    std::fs::create_dir_all(dir.join("ids"))?;
    std::fs::write(dir.join("date.rs"), "use crate::access::Denied;\n")?;
    std::fs::write(dir.join("ids/satu.rs"), "use crate::lang::Text;\n")?;
    let found = upward(&dir)?;
    std::fs::remove_dir_all(&dir)?;
    assert_eq!(found.len(), 1, "{found:?}");
    assert_eq!(found[0].1, "access");
    Ok(())
}
