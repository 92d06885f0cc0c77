//! Files in the register's database: the document library (every signed-in user reads it,
//! registry staff add documents and new versions; older versions stay) and the documents an
//! applicant attaches to their application (seen by the applicant and registry staff, as the
//! application itself is). A file is kept only if its content passes
//! [`domain::library::check_file`]; each upload is audited with the file's SHA-256 before it is
//! committed.

use crate::error::EngineError;
use crate::eservice::party_of;
use crate::gate::Engine;
use crate::registry::{is_registry_staff, principal_of as principal, staff_decision};
use crate::store::{APPLICATION_FILES, APPLICATIONS, DOCUMENT_FILES, DOCUMENTS};
use domain::access::Denied;
use domain::audit::{AuditEvent, RecordRef};
use domain::eservice::ApplicationId;
use domain::eservice::Party;
use domain::library::{
    ATTACHMENTS_MAX, Attachment, Document, DocumentCategory, FileVersion, Library, check_file,
    parse_title,
};
use domain::{Actor, Principal};
use redb::{ReadableDatabase, ReadableTable, TableError};
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
    fn staff(&self, principal: &Principal) -> Result<bool, EngineError> {
        let txn = self.register().begin_read()?;
        is_registry_staff(&txn, principal, self.clock().now().date_in_finland())
    }

    /// The library: every document with its versions, for any signed-in user.
    pub async fn library(&self, actor: &Actor) -> Result<Library, EngineError> {
        let principal = principal(actor)?;
        let may_upload = self.staff(principal)?;
        let txn = self.register().begin_read()?;
        let table = match txn.open_table(DOCUMENTS.definition()) {
            Ok(t) => t,
            Err(TableError::TableDoesNotExist(_)) => {
                return Ok(Library {
                    documents: Vec::new(),
                    may_upload,
                });
            }
            Err(e) => return Err(e.into()),
        };
        let mut documents = Vec::new();
        for item in table.iter()? {
            let (_, bytes) = item?;
            documents.push(DOCUMENTS.decode(bytes.value())?);
        }
        documents.sort_by(|a: &Document, b: &Document| {
            (a.category as u8, &a.title).cmp(&(b.category as u8, &b.title))
        });
        Ok(Library {
            documents,
            may_upload,
        })
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
        let principal = principal(actor)?;
        let today = self.clock().now().date_in_finland();
        if let Err(reason) = staff_decision(&self.register().begin_read()?, principal, today)? {
            let event = AuditEvent::FileRefused {
                application: None,
                reason,
            };
            self.audit()
                .append(self.entry(actor, actor.purpose, event))
                .await?;
            return Err(EngineError::Denied(reason));
        }
        let title = parse_title(title).map_err(|e| EngineError::Rejected(vec![e]))?;
        let now = self.clock().now();
        let txn = self.write().await?;
        let (id, file) = {
            let mut documents = DOCUMENTS.writer(&txn)?;
            let mut document = match existing {
                Some(id) => match documents.get(id)? {
                    Some(document) => document,
                    None => {
                        drop(documents);
                        drop(txn);
                        let record = RecordRef::Document { id, version: None };
                        return self.not_found(actor, record).await;
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
            let file = version(number, principal, bytes, now)?;
            document.title = title;
            document.category = category;
            document.versions.push(file.clone());
            documents.insert(document.id, &document)?;
            txn.open_table(DOCUMENT_FILES)?
                .insert((document.id, number), bytes)?;
            (document.id, file)
        };
        let event = AuditEvent::DocumentUploaded {
            document: id,
            version: file.number,
            sha256: file.sha256.clone(),
        };
        self.audit()
            .append(self.entry(actor, actor.purpose, event))
            .await?;
        txn.commit()?;
        Ok((id, file.number))
    }

    /// One version of a library document, for any signed-in user; the download is on record
    /// (with the file's SHA-256) before the bytes leave.
    pub async fn document_file(
        &self,
        actor: &Actor,
        id: u64,
        number: u32,
    ) -> Result<FileDownload, EngineError> {
        principal(actor)?;
        let record = RecordRef::Document {
            id,
            version: Some(number),
        };
        let found = {
            let txn = self.register().begin_read()?;
            match DOCUMENTS.get(&txn, id)?.and_then(|document| {
                let version = document.versions.iter().find(|v| v.number == number)?;
                Some((document.title.clone(), version.clone()))
            }) {
                Some((title, version)) => match txn.open_table(DOCUMENT_FILES) {
                    Ok(table) => table.get((id, number))?.map(|b| FileDownload {
                        title,
                        version,
                        bytes: b.value().to_vec(),
                    }),
                    Err(TableError::TableDoesNotExist(_)) => None,
                    Err(e) => return Err(e.into()),
                },
                None => None,
            }
        };
        match found {
            Some(file) => self.handed_out(actor, record, file).await,
            None => self.not_found(actor, record).await,
        }
    }

    /// Records a download, then hands the file out.
    async fn handed_out(
        &self,
        actor: &Actor,
        file: RecordRef,
        download: FileDownload,
    ) -> Result<FileDownload, EngineError> {
        let event = AuditEvent::FileDownloaded {
            file,
            sha256: download.version.sha256.clone(),
        };
        self.audit()
            .append(self.entry(actor, actor.purpose, event))
            .await?;
        Ok(download)
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
        let principal = principal(actor)?;
        let title = parse_title(title).map_err(|e| EngineError::Rejected(vec![e]))?;
        let now = self.clock().now();
        let txn = self.write().await?;
        let attached = {
            let mut applications = APPLICATIONS.writer(&txn)?;
            let Some(mut app) = applications
                .get(id.0)?
                .filter(|app| party_of(app, principal, false) == Some(Party::Applicant))
            else {
                drop(applications);
                drop(txn);
                return self.not_found(actor, RecordRef::Application(id)).await;
            };
            if app.state.decided() || app.attachments.len() >= ATTACHMENTS_MAX {
                Err(Denied::NotFromThisState)
            } else {
                let number = u32::try_from(app.attachments.len()).unwrap_or(u32::MAX) + 1;
                let file = version(number, principal, bytes, now)?;
                app.attachments.push(Attachment {
                    number,
                    title,
                    file: file.clone(),
                });
                applications.insert(id.0, &app)?;
                txn.open_table(APPLICATION_FILES)?
                    .insert((id.0, number), bytes)?;
                Ok(file)
            }
        };
        let (event, outcome) = match attached {
            Ok(file) => (
                AuditEvent::ApplicationAttachment {
                    application: id,
                    number: file.number,
                    sha256: file.sha256.clone(),
                },
                Ok(file.number),
            ),
            Err(reason) => (
                AuditEvent::FileRefused {
                    application: Some(id),
                    reason,
                },
                Err(reason),
            ),
        };
        self.audit()
            .append(self.entry(actor, actor.purpose, event))
            .await?;
        match outcome {
            Ok(number) => {
                txn.commit()?;
                Ok(number)
            }
            Err(reason) => Err(EngineError::Denied(reason)),
        }
    }

    /// One attachment of an application, for whoever may see the application.
    pub async fn application_file(
        &self,
        actor: &Actor,
        id: ApplicationId,
        number: u32,
    ) -> Result<FileDownload, EngineError> {
        // Seen exactly as the application is (its applicant; registry staff once submitted);
        // someone else's is on record as not found there.
        let view = self.application(actor, id).await?;
        let record = RecordRef::Attachment {
            application: id,
            number,
        };
        let found = match view
            .application
            .attachments
            .into_iter()
            .find(|a| a.number == number)
        {
            Some(attachment) => {
                let txn = self.register().begin_read()?;
                let table = txn.open_table(APPLICATION_FILES)?;
                table.get((id.0, number))?.map(|b| FileDownload {
                    title: attachment.title,
                    version: attachment.file,
                    bytes: b.value().to_vec(),
                })
            }
            None => None,
        };
        match found {
            Some(file) => self.handed_out(actor, record, file).await,
            None => self.not_found(actor, record).await,
        }
    }
}
