//! Files the service keeps: the document library (forms, permit terms, guides, each with its
//! versions) and the documents an applicant attaches to an application. What a file is, is
//! decided from its content (its first bytes), never from its name or the browser's word: only
//! PDF, PNG, JPEG and plain UTF-8 text are kept, up to [`MAX_FILE_BYTES`]. Files are served as
//! downloads under a name made here, never rendered inline.

mod texts;
use texts as t;

use crate::date::Timestamp;
use crate::lang::Text;
use crate::validation::{Field, FieldError, ValidationError, short_text};
use serde::{Deserialize, Serialize};

/// The largest file kept: 5 MiB.
pub const MAX_FILE_BYTES: usize = 5 * 1024 * 1024;

/// The most documents one application holds (at most 100 MiB with [`MAX_FILE_BYTES`]): an
/// applicant cannot fill the register's disk through their application.
pub const ATTACHMENTS_MAX: usize = 20;

/// The kinds of file kept.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub enum FileType {
    Pdf,
    Png,
    Jpeg,
    Text,
}

impl FileType {
    /// What the content is, by its first bytes; `None` for anything not on the list (Office
    /// files, archives, HTML, scripts, executables, text with control characters).
    pub fn sniff(bytes: &[u8]) -> Option<FileType> {
        if bytes.starts_with(b"%PDF-") {
            Some(FileType::Pdf)
        } else if bytes.starts_with(b"\x89PNG\r\n\x1a\n") {
            Some(FileType::Png)
        } else if bytes.starts_with(&[0xFF, 0xD8, 0xFF]) {
            Some(FileType::Jpeg)
        } else if is_plain_text(bytes) {
            Some(FileType::Text)
        } else {
            None
        }
    }

    /// The media type it is served with (as an attachment, with `nosniff`).
    pub fn media_type(self) -> &'static str {
        match self {
            FileType::Pdf => "application/pdf",
            FileType::Png => "image/png",
            FileType::Jpeg => "image/jpeg",
            FileType::Text => "text/plain; charset=utf-8",
        }
    }

    pub fn extension(self) -> &'static str {
        match self {
            FileType::Pdf => "pdf",
            FileType::Png => "png",
            FileType::Jpeg => "jpg",
            FileType::Text => "txt",
        }
    }
}

/// UTF-8 text that a browser could not take for markup: no control characters but line
/// breaks and tabs, and not starting like HTML or XML.
fn is_plain_text(bytes: &[u8]) -> bool {
    let Ok(text) = std::str::from_utf8(bytes) else {
        return false;
    };
    let start = text.trim_start().to_ascii_lowercase();
    !text.is_empty()
        && !text
            .chars()
            .any(|c| c.is_control() && !matches!(c, '\n' | '\r' | '\t'))
        && !["<!doctype", "<html", "<?xml", "<svg", "<script"]
            .iter()
            .any(|p| start.starts_with(p))
}

/// Checks a file's content: its type, or why it is not kept.
pub fn check_file(bytes: &[u8]) -> Result<FileType, FieldError> {
    if bytes.is_empty() {
        return Err(FieldError::new(
            Field::File,
            ValidationError::Required(Field::File),
        ));
    }
    if bytes.len() > MAX_FILE_BYTES {
        return Err(FieldError::new(Field::File, ValidationError::FileTooLarge));
    }
    FileType::sniff(bytes).ok_or_else(|| FieldError::new(Field::File, ValidationError::FileType))
}

/// What kind of document a library entry is.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub enum DocumentCategory {
    Form,
    Terms,
    Guide,
}

impl DocumentCategory {
    pub const ALL: [DocumentCategory; 3] = [
        DocumentCategory::Form,
        DocumentCategory::Terms,
        DocumentCategory::Guide,
    ];

    pub fn slug(self) -> &'static str {
        match self {
            DocumentCategory::Form => "form",
            DocumentCategory::Terms => "terms",
            DocumentCategory::Guide => "guide",
        }
    }

    pub fn from_slug(s: &str) -> Option<DocumentCategory> {
        DocumentCategory::ALL.into_iter().find(|c| c.slug() == s)
    }

    pub fn text(self) -> Text {
        match self {
            DocumentCategory::Form => t::DOCUMENT_CATEGORY_FORM,
            DocumentCategory::Terms => t::DOCUMENT_CATEGORY_TERMS,
            DocumentCategory::Guide => t::DOCUMENT_CATEGORY_GUIDE,
        }
    }
}

/// A document's title as typed: 3 to 120 printable characters.
pub fn parse_title(input: &str) -> Result<String, FieldError> {
    match short_text(input, Field::Title, 3, 120, |c| !c.is_control()) {
        Ok(Some(t)) => Ok(t),
        Ok(None) => Err(FieldError::new(
            Field::Title,
            ValidationError::Required(Field::Title),
        )),
        Err(e) => Err(e),
    }
}

/// One stored version of a file.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct FileVersion {
    /// From 1.
    pub number: u32,
    pub uploaded: Timestamp,
    pub by_name: String,
    pub file_type: FileType,
    pub size: u64,
    /// SHA-256 of the content, hex: what the audit entry names.
    pub sha256: String,
}

/// A library document and its versions, oldest first; the newest is the one in force.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Document {
    pub id: u64,
    pub title: String,
    pub category: DocumentCategory,
    pub versions: Vec<FileVersion>,
}

impl Document {
    pub fn latest(&self) -> Option<&FileVersion> {
        self.versions.last()
    }
}

/// A document attached to an application (a description of the technical system, say).
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Attachment {
    /// From 1, in the order attached.
    pub number: u32,
    pub title: String,
    pub file: FileVersion,
}

/// The name a file is downloaded under: the title's letters, digits and dashes (ASCII, so
/// every browser and file system takes it), the version, and the extension of what the content
/// is.
pub fn download_name(title: &str, version: u32, file_type: FileType) -> String {
    let mut stem = String::new();
    for c in title.chars() {
        let c = match c {
            'ä' | 'Ä' => 'a',
            'ö' | 'Ö' => 'o',
            'å' | 'Å' => 'a',
            c if c.is_ascii_alphanumeric() => c.to_ascii_lowercase(),
            _ => '-',
        };
        if !(c == '-' && (stem.is_empty() || stem.ends_with('-'))) {
            stem.push(c);
        }
    }
    let stem = stem.trim_end_matches('-');
    let stem = if stem.is_empty() { "document" } else { stem };
    let stem: String = stem.chars().take(60).collect();
    format!("{stem}-v{version}.{}", file_type.extension())
}

/// Why an upload was not kept, as the page it returns to says it.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum UploadProblem {
    NoFile,
    FileType,
    TooLarge,
    /// The title (or the category) is missing or not one.
    Title,
    /// Not the caller's to upload (not registry staff; not their application; decided).
    NotAllowed,
    /// Registry staff signed in with a password only: the library's documents (the terms
    /// among them) are the registry's word, saved with a two-factor sign-in.
    StepUp,
    Unavailable,
}

impl UploadProblem {
    pub const ALL: [UploadProblem; 7] = [
        UploadProblem::NoFile,
        UploadProblem::FileType,
        UploadProblem::TooLarge,
        UploadProblem::Title,
        UploadProblem::NotAllowed,
        UploadProblem::StepUp,
        UploadProblem::Unavailable,
    ];

    pub fn slug(self) -> &'static str {
        match self {
            UploadProblem::NoFile => "no-file",
            UploadProblem::FileType => "file-type",
            UploadProblem::TooLarge => "too-large",
            UploadProblem::Title => "title",
            UploadProblem::NotAllowed => "not-allowed",
            UploadProblem::StepUp => "step-up",
            UploadProblem::Unavailable => "unavailable",
        }
    }

    pub fn from_slug(s: &str) -> Option<UploadProblem> {
        UploadProblem::ALL.into_iter().find(|p| p.slug() == s)
    }

    pub fn text(self) -> Text {
        match self {
            UploadProblem::NoFile => t::UPLOAD_PROBLEM_NO_FILE,
            UploadProblem::FileType => t::UPLOAD_PROBLEM_FILE_TYPE,
            UploadProblem::TooLarge => t::UPLOAD_PROBLEM_TOO_LARGE,
            UploadProblem::Title => t::UPLOAD_PROBLEM_TITLE,
            UploadProblem::NotAllowed => t::UPLOAD_PROBLEM_NOT_ALLOWED,
            UploadProblem::StepUp => t::UPLOAD_PROBLEM_STEP_UP,
            UploadProblem::Unavailable => t::UPLOAD_PROBLEM_UNAVAILABLE,
        }
    }
}

/// The library as its viewer sees it.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Library {
    pub documents: Vec<Document>,
    /// The viewer is registry staff and may upload.
    pub may_upload: bool,
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_type_comes_from_the_content_not_the_name() {
        assert_eq!(FileType::sniff(b"%PDF-1.7\n..."), Some(FileType::Pdf));
        assert_eq!(
            FileType::sniff(b"\x89PNG\r\n\x1a\n\0\0\0\rIHDR"),
            Some(FileType::Png)
        );
        assert_eq!(
            FileType::sniff(&[0xFF, 0xD8, 0xFF, 0xE0, 0, 0x10]),
            Some(FileType::Jpeg)
        );
        assert_eq!(
            FileType::sniff("Lomakkeen ohje\r\n\tkohta 1\n".as_bytes()),
            Some(FileType::Text)
        );
        for refused in [
            &b"<!DOCTYPE html><script>alert(1)</script>"[..],
            b"  <html><body>",
            b"<?xml version=\"1.0\"?><svg onload=alert(1)>",
            b"<svg xmlns=\"http://www.w3.org/2000/svg\">",
            b"PK\x03\x04 a zip or an office file",
            b"MZ\x90\0 an executable",
            b"text with a \x1b[31m terminal escape",
            b"\xff\xfe not utf-8",
            b"",
        ] {
            assert_eq!(FileType::sniff(refused), None, "{refused:?}");
        }
    }

    #[test]
    fn a_file_is_checked_for_emptiness_size_and_type() {
        let field = |r: Result<FileType, FieldError>| r.err().map(|e| e.error);
        assert_eq!(
            field(check_file(b"")),
            Some(ValidationError::Required(Field::File))
        );
        let mut big = b"%PDF-".to_vec();
        big.resize(MAX_FILE_BYTES + 1, b' ');
        assert_eq!(field(check_file(&big)), Some(ValidationError::FileTooLarge));
        big.truncate(MAX_FILE_BYTES);
        assert_eq!(check_file(&big), Ok(FileType::Pdf), "exactly the limit");
        assert_eq!(
            field(check_file(b"PK\x03\x04")),
            Some(ValidationError::FileType)
        );
    }

    #[test]
    fn download_names_are_plain_ascii() {
        assert_eq!(
            download_name("Käyttöehdot 2026 (VTJkysely)", 3, FileType::Pdf),
            "kayttoehdot-2026-vtjkysely-v3.pdf"
        );
        assert_eq!(
            download_name("\"; filename=evil.html", 1, FileType::Text),
            "filename-evil-html-v1.txt"
        );
        assert_eq!(download_name("–––", 2, FileType::Png), "document-v2.png");
        assert!(download_name(&"x".repeat(500), 1, FileType::Jpeg).len() < 80);
    }

    #[test]
    fn titles_and_categories() {
        assert_eq!(parse_title("  Tilauslomake "), Ok("Tilauslomake".into()));
        assert!(parse_title("ab").is_err());
        assert!(parse_title("").is_err());
        assert!(parse_title("a\u{0}bc").is_err());
        for c in DocumentCategory::ALL {
            assert_eq!(DocumentCategory::from_slug(c.slug()), Some(c));
        }
        assert_eq!(DocumentCategory::from_slug("exe"), None);
    }
}
