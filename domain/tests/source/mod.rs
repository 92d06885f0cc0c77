//! Reading the workspace's own source for the tests that check its shape: every `.rs` file
//! under a directory, a file's code without comments and inline test modules, and the files of
//! test-only child modules.

use std::path::{Path, PathBuf};

pub type Failure = Box<dyn std::error::Error>;

pub fn sources(dir: &Path, out: &mut Vec<PathBuf>) -> std::io::Result<()> {
    for entry in std::fs::read_dir(dir)? {
        let path = entry?.path();
        if path.is_dir() {
            sources(&path, out)?;
        } else if path.extension().is_some_and(|e| e == "rs") {
            out.push(path);
        }
    }
    Ok(())
}

/// The code of a file without its comments and its test modules (tests may use anything).
pub fn code(text: &str) -> String {
    let mut out = String::new();
    let lines: Vec<&str> = text.lines().collect();
    for (i, line) in lines.iter().enumerate() {
        let t = line.trim_start();
        // An inline test module ends the code (test modules come last); any other
        // test-only item is read like code.
        let next = lines.get(i + 1).map_or("", |l| l.trim_start());
        if t.starts_with("#[cfg(test)]") && next.starts_with("mod ") && next.ends_with('{') {
            break;
        }
        if t.starts_with("//") {
            continue;
        }
        out.push_str(line.split(" //").next().unwrap_or_default());
        out.push('\n');
    }
    out
}

/// The files of test-only child modules (`#[cfg(test)] mod tests;` in `fees.rs` →
/// `fees/tests.rs`): like a test module written inline, they may use anything.
pub fn test_only(src: &Path, files: &[PathBuf]) -> Result<Vec<PathBuf>, Failure> {
    let mut out = Vec::new();
    for file in files {
        let text = std::fs::read_to_string(file)?;
        let lines: Vec<&str> = text.lines().map(str::trim).collect();
        for pair in lines.windows(2) {
            if pair[0] == "#[cfg(test)]"
                && let Some(name) = pair[1]
                    .strip_prefix("mod ")
                    .and_then(|m| m.strip_suffix(';'))
            {
                let dir = match file.file_stem().map(|s| s.to_string_lossy()) {
                    Some(stem) if stem != "lib" && stem != "mod" => file.with_extension(""),
                    _ => file.parent().unwrap_or(src).to_path_buf(),
                };
                out.push(dir.join(format!("{name}.rs")));
            }
        }
    }
    Ok(out)
}
