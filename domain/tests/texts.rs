//! Every text a user reads lives in a table: the app's language tables (`app/src/i18n/`), a
//! module's own `texts.rs` beside the code that shows it, or the register's data (the screen
//! catalogue and the code lists). This test reads the code of every crate in the workspace and
//! fails on a trilingual text made anywhere else, in any of the shapes one can be made in:
//! `Text::new(…)`, a `Text { fi, sv, en }` or `Texts { … }` literal, or `Text` imported under
//! another name (which would hide the first two) — and on Finnish or Swedish words written
//! straight into a string, the shape a message put together with `format!` takes.

mod source;

use source::{Failure, code, sources, test_only};
use std::path::{Path, PathBuf};

/// The crates of the workspace, beside this one.
const CRATES: &[&str] = &["domain", "engine", "app", "server"];

/// Files that may make texts, by path below the workspace root, with why.
fn is_table(rel: &str) -> bool {
    rel.ends_with("/texts.rs")
        // The app's own language tables.
        || rel.starts_with("app/src/i18n/")
        // Where `Text` is defined.
        || rel == "domain/src/lang.rs"
        // Register data: screen titles, column labels and code values travel with the
        // catalogue and the code lists they name.
        || rel == "domain/src/catalogue.rs"
        || rel.starts_with("domain/src/catalogue/")
        || rel == "domain/src/codes.rs"
}

/// The shapes that make a text in a piece of code, as `(offset, shape)`.
fn made_texts(code: &str) -> Vec<(usize, &'static str)> {
    let ident = |c: char| c.is_alphanumeric() || c == '_';
    let mut out = Vec::new();
    for word in ["Text", "Texts"] {
        for (at, _) in code.match_indices(word) {
            let before = code[..at].chars().next_back();
            let rest = &code[at + word.len()..];
            if before.is_some_and(ident) || rest.starts_with(ident) {
                continue;
            }
            let rest = rest.trim_start();
            let called = rest
                .strip_prefix("::")
                .is_some_and(|r| r.trim_start().starts_with("new"));
            if word == "Text" && called {
                out.push((at, "Text::new"));
            } else if let Some(fields) = rest.strip_prefix('{') {
                let first = fields.trim_start();
                let field: String = first.chars().take_while(|c| ident(*c)).collect();
                let after = first[field.len()..].trim_start();
                let is_literal = ["fi", "sv", "en"].contains(&field.as_str())
                    && after.starts_with([':', ',', '}']);
                // Words written in the literal, not values carried from data (a
                // municipality's names from the code list are register data).
                if is_literal && braced(fields).contains('"') {
                    out.push((at, "a struct literal"));
                }
            } else if rest.starts_with("as ") {
                out.push((at, "an alias"));
            }
        }
    }
    out
}

/// Register data generated for the demo and load tests (people's, places' and organisations'
/// names), not words of the user interface.
fn is_register_data(rel: &str) -> bool {
    rel == "engine/src/population.rs" || rel.starts_with("engine/src/population/")
}

/// String literals in a piece of code that hold a letter only Finnish or Swedish words have
/// (ä, ö, å): words written for a user in a file that is no table. `(offset, literal)`.
fn nordic_words(code: &str) -> Vec<(usize, String)> {
    let mut out = Vec::new();
    let mut chars = code.char_indices().peekable();
    while let Some((at, c)) = chars.next() {
        match c {
            // A char literal such as '"' or 'ä' is not a string.
            '\'' => {
                let rest = &code[at + 1..];
                let mut inner = rest.chars();
                let first = inner.next();
                let len = match (first, inner.next(), inner.next()) {
                    (Some('\\'), Some(_), Some('\'')) => 3,
                    (Some(_), Some('\''), _) => 2,
                    _ => 0,
                };
                for _ in 0..len {
                    chars.next();
                }
            }
            '"' => {
                let mut literal = String::new();
                while let Some((_, c)) = chars.next() {
                    match c {
                        '\\' => {
                            chars.next();
                        }
                        '"' => break,
                        c => literal.push(c),
                    }
                }
                if literal.contains(['ä', 'ö', 'å', 'Ä', 'Ö', 'Å']) {
                    out.push((at, literal));
                }
            }
            _ => {}
        }
    }
    out
}

/// What stands inside braces up to the one that closes them (`fields` starts after the `{`).
fn braced(fields: &str) -> &str {
    let mut depth = 0usize;
    for (i, c) in fields.char_indices() {
        match c {
            '{' => depth += 1,
            '}' if depth == 0 => return &fields[..i],
            '}' => depth -= 1,
            _ => {}
        }
    }
    fields
}

/// A text made outside the tables: where (`file: code line n`) and in which shape.
type Finding = (String, &'static str);

/// Every text made outside the tables under `root`, and how many files were read.
fn outside_tables(root: &Path) -> Result<(Vec<Finding>, usize), Failure> {
    let mut found = Vec::new();
    let mut read = 0;
    for krate in CRATES {
        let src = root.join(krate).join("src");
        let mut files: Vec<PathBuf> = Vec::new();
        sources(&src, &mut files)?;
        let tests = test_only(&src, &files)?;
        for file in files.iter().filter(|f| !tests.contains(f)) {
            let rel = file
                .strip_prefix(root)?
                .to_string_lossy()
                .replace('\\', "/");
            read += 1;
            if is_table(&rel) {
                continue;
            }
            let code = code(&std::fs::read_to_string(file)?);
            let line = |at: usize| code[..at].matches('\n').count() + 1;
            for (at, shape) in made_texts(&code) {
                found.push((format!("{rel}: code line {}", line(at)), shape));
            }
            if !is_register_data(&rel) {
                for (at, _) in nordic_words(&code) {
                    found.push((
                        format!("{rel}: code line {}", line(at)),
                        "words in a string",
                    ));
                }
            }
        }
    }
    Ok((found, read))
}

#[test]
fn texts_live_only_in_the_tables() -> Result<(), Failure> {
    let root = Path::new(env!("CARGO_MANIFEST_DIR"))
        .parent()
        .ok_or("the workspace root")?;
    let (found, read) = outside_tables(root)?;
    // The walk reads the workspace, not an empty directory.
    assert!(read > 100, "only {read} files read");
    assert!(
        found.is_empty(),
        "texts made outside the tables (move them to the module's texts.rs):\n{}",
        found
            .iter()
            .map(|(at, shape)| format!("{at}: {shape}"))
            .collect::<Vec<_>>()
            .join("\n")
    );
    Ok(())
}

/// The test can fail: each shape is seen, in code and not in comments, and names that merely
/// contain the word are not.
#[test]
fn every_shape_of_a_made_text_is_seen() {
    let shapes = |text: &str| -> Vec<&'static str> {
        made_texts(&code(text))
            .into_iter()
            .map(|(_, s)| s)
            .collect()
    };
    assert_eq!(
        shapes("const A: Text = Text::new(\"a\", \"b\", \"c\");"),
        ["Text::new"]
    );
    assert_eq!(
        shapes("let a = domain::Text :: new(x, y, z);"),
        ["Text::new"]
    );
    assert_eq!(
        shapes("Text { fi: \"a\", sv: \"b\", en: \"c\" }"),
        ["a struct literal"]
    );
    assert_eq!(
        shapes("Text { en: \"x\", fi: A, sv: B }"),
        ["a struct literal"]
    );
    assert_eq!(
        shapes("Texts {\n fi: \"Kunta\".into(), sv, en }"),
        ["a struct literal"]
    );
    // Names carried from data are not words written here.
    assert!(shapes("Texts { fi: m.name(Lang::Fi).to_owned(), sv, en }").is_empty());
    assert_eq!(shapes("use domain::Text as Words;"), ["an alias"]);
    assert!(shapes("fn label(self) -> Text {\n match self { _ => t::A } }").is_empty());
    assert!(shapes("// Text::new(\"a\", \"b\", \"c\")\nlet x = TextBox::new();").is_empty());
    let words = |text: &str| -> Vec<String> {
        nordic_words(&code(text))
            .into_iter()
            .map(|(_, w)| w)
            .collect()
    };
    assert_eq!(
        words("let m = format!(\"Päivää {day} ei ole.\");"),
        ["Päivää {day} ei ole."]
    );
    assert_eq!(words("let s = \"a \\\"Å\\\" b\";"), ["a Å b"]);
    assert!(
        words("match c { 'ä' => 'a', '\"' => 'q', _ => c }; let e = \"Enter a code.\";").is_empty()
    );
    assert!(
        shapes("#[cfg(test)]\nmod tests {\n let t = Text::new(\"a\", \"b\", \"c\");\n}").is_empty()
    );
}

/// A text made in a page file is found; the same text in the page's `texts.rs` is not.
#[test]
fn a_text_in_a_page_is_found_and_in_its_table_is_not() -> Result<(), Failure> {
    let root = std::env::temp_dir().join(format!("texts-{}", std::process::id()));
    for krate in CRATES {
        std::fs::create_dir_all(root.join(krate).join("src"))?;
    }
    std::fs::create_dir_all(root.join("app/src/pages/fees"))?;
    let made = "pub const TITLE: Text = Text::new(\"Maksut\", \"Avgifter\", \"Fees\");\n";
    std::fs::write(
        root.join("app/src/pages/fees.rs"),
        format!("mod texts;\n{made}"),
    )?;
    std::fs::write(root.join("app/src/pages/fees/texts.rs"), made)?;
    let (found, read) = outside_tables(&root)?;
    std::fs::remove_dir_all(&root)?;
    assert_eq!(read, 2);
    assert_eq!(found.len(), 1, "{found:?}");
    assert!(found[0].0.starts_with("app/src/pages/fees.rs"), "{found:?}");
    Ok(())
}
