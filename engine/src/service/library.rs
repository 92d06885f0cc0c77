//! Files in the register's database: the document library (every signed-in user reads it,
//! registry staff add documents and new versions; older versions stay) and the documents an
//! applicant attaches to their application (seen by the applicant and registry staff, as the
//! application itself is). A file is kept only if its content passes
//! [`domain::library::check_file`]; each upload is audited with the file's SHA-256 before it is
//! committed.

use crate::error::EngineError;
use crate::gate::Engine;
use crate::gate::command::{Command, Query, Records, Verdict};
use crate::gate::standing::{Standing, principal_of as principal};
use crate::service::eservice::party_of;
use crate::store::Recording;
use crate::store::{APPLICATION_FILES, APPLICATIONS, DOCUMENT_FILES, DOCUMENTS, open_or_empty};
use domain::access::Denied;
use domain::audit::{AuditEvent, RecordRef};
use domain::eservice::ApplicationId;
use domain::eservice::Party;
use domain::library::{
    ATTACHMENTS_MAX, Attachment, Document, DocumentCategory, FileVersion, Library, check_file,
    parse_title,
};
use domain::{Actor, Principal};
use redb::ReadableTable;
use sha2::{Digest, Sha256};

/// A file as it is handed out: its record and its bytes.
pub struct FileDownload {
    pub title: String,
    pub version: FileVersion,
    pub bytes: Vec<u8>,
}

fn version(
    number: u32,
    principal: &Principal,
    bytes: &[u8],
    now: domain::Timestamp,
) -> Result<FileVersion, EngineError> {
    let file_type = check_file(bytes).map_err(|e| EngineError::Rejected(vec![e]))?;
    Ok(FileVersion {
        number,
        uploaded: now,
        by_name: principal.name.clone(),
        file_type,
        size: bytes.len() as u64,
        sha256: hex::encode(Sha256::digest(bytes)),
    })
}

impl Engine {
    /// The library: every document with its versions, for any signed-in user.
    pub async fn library(&self, actor: &Actor) -> Result<Library, EngineError> {
        self.look(actor, Shelf).await
    }

    /// Adds a document, or a new version of `existing`, to the library (registry staff).
    /// Answers the document's id and the version's number.
    pub async fn upload_document(
        &self,
        actor: &Actor,
        existing: Option<u64>,
        title: &str,
        category: DocumentCategory,
        bytes: &[u8],
    ) -> Result<(u64, u32), EngineError> {
        self.act(
            actor,
            Upload {
                existing,
                title,
                category,
                bytes,
            },
        )
        .await
    }

    /// One version of a library document, for any signed-in user; the download is on record
    /// (with the file's SHA-256) before the bytes leave.
    pub async fn document_file(
        &self,
        actor: &Actor,
        id: u64,
        number: u32,
    ) -> Result<FileDownload, EngineError> {
        self.look(actor, DocumentFile { id, number }).await
    }

    /// Attaches a document to the actor's own application while it is with the applicant or
    /// the registry (not after the decision). Answers the attachment's number.
    pub async fn attach_to_application(
        &self,
        actor: &Actor,
        id: ApplicationId,
        title: &str,
        bytes: &[u8],
    ) -> Result<u32, EngineError> {
        principal(actor)?;
        let title = parse_title(title).map_err(|e| EngineError::Rejected(vec![e]))?;
        self.act(actor, Attach { id, title, bytes }).await
    }

    /// One attachment of an application, for whoever may see the application (its
    /// applicant; registry staff once submitted); the download is on record.
    pub async fn application_file(
        &self,
        actor: &Actor,
        id: ApplicationId,
        number: u32,
    ) -> Result<FileDownload, EngineError> {
        self.look(actor, AttachmentFile { id, number }).await
    }
}

/// Hands a file out, on record with its SHA-256.
fn handed_out(file: RecordRef, download: FileDownload) -> Verdict<FileDownload> {
    let event = AuditEvent::FileDownloaded {
        file,
        sha256: download.version.sha256.clone(),
    };
    Verdict::done(event, download)
}

/// The library's documents.
struct Shelf;

impl Query for Shelf {
    type Output = Library;

    fn read(self, records: &Records<'_>, who: &Standing) -> Result<Verdict<Library>, EngineError> {
        let may_upload = who.is_staff();
        let mut documents = Vec::new();
        if let Some(table) = open_or_empty(records.txn, DOCUMENTS.definition())? {
            for item in table.iter()? {
                let (_, bytes) = item?;
                documents.push(DOCUMENTS.decode(bytes.value())?);
            }
        }
        documents.sort_by(|a: &Document, b: &Document| {
            (a.category as u8, &a.title).cmp(&(b.category as u8, &b.title))
        });
        Ok(Verdict::quiet(Library {
            documents,
            may_upload,
        }))
    }
}

/// A document or a new version of one, uploaded by registry staff.
struct Upload<'a> {
    existing: Option<u64>,
    title: &'a str,
    category: DocumentCategory,
    bytes: &'a [u8],
}

impl Command for Upload<'_> {
    type Output = (u64, u32);

    fn apply(
        self,
        txn: &Recording<'_>,
        who: &Standing,
    ) -> Result<Verdict<(u64, u32)>, EngineError> {
        let Upload {
            existing,
            title,
            category,
            bytes,
        } = self;
        if let Err(reason) = who.staff_decision() {
            let event = AuditEvent::FileRefused {
                application: None,
                reason,
            };
            return Ok(Verdict::refused(event, reason));
        }
        let title = parse_title(title).map_err(|e| EngineError::Rejected(vec![e]))?;
        let mut documents = DOCUMENTS.writer(txn)?;
        let mut document = match existing {
            Some(id) => match documents.get(id)? {
                Some(document) => document,
                None => {
                    return Ok(Verdict::not_found(RecordRef::Document {
                        id,
                        version: None,
                    }));
                }
            },
            None => Document {
                id: documents.last_key()?.map_or(1, |k| k + 1),
                title: title.clone(),
                category,
                versions: Vec::new(),
            },
        };
        let number = u32::try_from(document.versions.len()).unwrap_or(u32::MAX) + 1;
        let file = version(number, who.principal(), bytes, who.now())?;
        document.title = title;
        document.category = category;
        document.versions.push(file.clone());
        documents.insert(document.id, &document)?;
        txn.open_table(DOCUMENT_FILES)?
            .insert((document.id, number), bytes)?;
        Ok(Verdict::done(
            AuditEvent::DocumentUploaded {
                document: document.id,
                version: file.number,
                sha256: file.sha256,
            },
            (document.id, file.number),
        ))
    }
}

/// One version of a library document.
struct DocumentFile {
    id: u64,
    number: u32,
}

impl Query for DocumentFile {
    type Output = FileDownload;

    fn read(
        self,
        records: &Records<'_>,
        _who: &Standing,
    ) -> Result<Verdict<FileDownload>, EngineError> {
        let (txn, id, number) = (records.txn, self.id, self.number);
        let record = RecordRef::Document {
            id,
            version: Some(number),
        };
        let Some((title, version)) = DOCUMENTS.get(txn, id)?.and_then(|document| {
            let version = document.versions.iter().find(|v| v.number == number)?;
            Some((document.title.clone(), version.clone()))
        }) else {
            return Ok(Verdict::not_found(record));
        };
        let Some(table) = open_or_empty(txn, DOCUMENT_FILES)? else {
            return Ok(Verdict::not_found(record));
        };
        Ok(match table.get((id, number))? {
            Some(b) => handed_out(
                record,
                FileDownload {
                    title,
                    version,
                    bytes: b.value().to_vec(),
                },
            ),
            None => Verdict::not_found(record),
        })
    }
}

/// A document attached to the applicant's own application.
struct Attach<'a> {
    id: ApplicationId,
    title: String,
    bytes: &'a [u8],
}

impl Command for Attach<'_> {
    type Output = u32;

    fn apply(self, txn: &Recording<'_>, who: &Standing) -> Result<Verdict<u32>, EngineError> {
        let (id, principal) = (self.id, who.principal());
        let mut applications = APPLICATIONS.writer(txn)?;
        let Some(mut app) = applications
            .get(id.0)?
            .filter(|app| party_of(app, principal, false) == Some(Party::Applicant))
        else {
            return Ok(Verdict::not_found(RecordRef::Application(id)));
        };
        if app.state.decided() || app.attachments.len() >= ATTACHMENTS_MAX {
            let reason = Denied::NotFromThisState;
            let event = AuditEvent::FileRefused {
                application: Some(id),
                reason,
            };
            return Ok(Verdict::refused(event, reason));
        }
        let number = u32::try_from(app.attachments.len()).unwrap_or(u32::MAX) + 1;
        let file = version(number, principal, self.bytes, who.now())?;
        app.attachments.push(Attachment {
            number,
            title: self.title,
            file: file.clone(),
        });
        applications.insert(id.0, &app)?;
        txn.open_table(APPLICATION_FILES)?
            .insert((id.0, number), self.bytes)?;
        Ok(Verdict::done(
            AuditEvent::ApplicationAttachment {
                application: id,
                number,
                sha256: file.sha256,
            },
            number,
        ))
    }
}

/// One attachment of an application, seen exactly as the application is.
struct AttachmentFile {
    id: ApplicationId,
    number: u32,
}

impl Query for AttachmentFile {
    type Output = FileDownload;

    fn read(
        self,
        records: &Records<'_>,
        who: &Standing,
    ) -> Result<Verdict<FileDownload>, EngineError> {
        let (txn, id, number) = (records.txn, self.id, self.number);
        // Someone else's application is on record as not found there, as when it is opened.
        let Some(app) = APPLICATIONS
            .get(txn, id.0)?
            .filter(|app| party_of(app, who.principal(), who.is_staff()).is_some())
        else {
            return Ok(Verdict::not_found(RecordRef::Application(id)));
        };
        let record = RecordRef::Attachment {
            application: id,
            number,
        };
        let Some(attachment) = app.attachments.into_iter().find(|a| a.number == number) else {
            return Ok(Verdict::not_found(record));
        };
        let Some(table) = open_or_empty(txn, APPLICATION_FILES)? else {
            return Ok(Verdict::not_found(record));
        };
        Ok(match table.get((id.0, number))? {
            Some(b) => handed_out(
                record,
                FileDownload {
                    title: attachment.title,
                    version: attachment.file,
                    bytes: b.value().to_vec(),
                },
            ),
            None => Verdict::not_found(record),
        })
    }
}
