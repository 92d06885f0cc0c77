//! Private files: the register, the audit trail and its index, the sessions and everything else
//! the service writes hold personal data or the trail of who read it, so they are created
//! readable by the service's own user only (files 0600, directories 0700), and a file or
//! directory that is open wider is named so that production refuses to start on it.

use std::fs::{DirBuilder, File, OpenOptions};
use std::io;
use std::os::unix::fs::{DirBuilderExt, OpenOptionsExt, PermissionsExt};
use std::path::Path;

/// The mode bits a private file or directory must not have: anything for group or others.
const OPEN_BITS: u32 = 0o077;

/// Everything this process creates from now on is its own user's only (umask 077): a file
/// created by a library (redb, a temporary copy) gets 0600 and a directory 0700 without each
/// call having to say so.
pub fn keep_new_files_private() {
    rustix::process::umask(rustix::fs::Mode::from_raw_mode(OPEN_BITS));
}

/// Opens `path` for reading and writing, creating it 0600 if it is not there (an existing
/// file keeps its mode: [`too_open`] tells whether it is private).
pub fn private_file(path: &Path) -> io::Result<File> {
    OpenOptions::new()
        .read(true)
        .write(true)
        .create(true)
        .truncate(false)
        .mode(0o600)
        .open(path)
}

/// Creates `dir` and its missing parents, each new one 0700.
pub fn private_dir(dir: &Path) -> io::Result<()> {
    DirBuilder::new().recursive(true).mode(0o700).create(dir)
}

/// What is wrong with the mode of `path`, if it exists and group or others may use it.
pub fn too_open(path: &Path) -> io::Result<Option<String>> {
    let mode = match std::fs::metadata(path) {
        Ok(m) => m.permissions().mode(),
        Err(e) if e.kind() == io::ErrorKind::NotFound => return Ok(None),
        Err(e) => return Err(e),
    };
    Ok((mode & OPEN_BITS != 0).then(|| {
        format!(
            "{} has mode {:o}: it must be readable by the service's user only (chmod {} {})",
            path.display(),
            mode & 0o777,
            if path.is_dir() { "700" } else { "600" },
            path.display()
        )
    }))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn new_files_and_directories_are_the_owners_only() -> Result<(), Box<dyn std::error::Error>> {
        let tmp = tempfile::tempdir()?;
        let dir = tmp.path().join("a/b");
        private_dir(&dir)?;
        let file = dir.join("f.redb");
        drop(private_file(&file)?);
        for p in [tmp.path().join("a"), dir.clone(), file.clone()] {
            assert_eq!(too_open(&p)?, None, "{}", p.display());
        }
        assert_eq!(
            std::fs::metadata(&file)?.permissions().mode() & 0o777,
            0o600
        );
        assert_eq!(std::fs::metadata(&dir)?.permissions().mode() & 0o777, 0o700);
        std::fs::set_permissions(&file, std::fs::Permissions::from_mode(0o640))?;
        let problem = too_open(&file)?.ok_or("0640 passed")?;
        assert!(
            problem.contains("640") && problem.contains("chmod 600"),
            "{problem}"
        );
        std::fs::set_permissions(&dir, std::fs::Permissions::from_mode(0o701))?;
        assert!(too_open(&dir)?.is_some_and(|p| p.contains("chmod 700")));
        assert_eq!(too_open(&tmp.path().join("missing"))?, None);
        Ok(())
    }
}
