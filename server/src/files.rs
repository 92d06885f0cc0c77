//! File uploads and downloads: the document library and application attachments. Uploads are
//! plain HTML form posts (`multipart/form-data`) under `/api/upload/…`, so the origin check every
//! `/api` call passes applies to them too; they answer with a redirect back to the page, which
//! says what happened in the user's language. Downloads (`/files/…`, signed in) are always
//! attachments (`Content-Disposition: attachment`, `nosniff`, the type the content was checked
//! to be) under a name the server makes, never rendered inline.

use crate::state::AppState;
use app::cx::RequestIdentity;
use axum::Extension;
use axum::extract::{Multipart, Path, State};
use axum::http::{HeaderValue, StatusCode, header};
use axum::response::{IntoResponse, Redirect, Response};
use domain::eservice::ApplicationId;
use domain::library::{DocumentCategory, UploadProblem, download_name};
use domain::{Actor, ValidationError};
use engine::{EngineError, FileDownload};

fn actor(identity: RequestIdentity) -> Actor {
    Actor::user(identity.principal, identity.request_id, identity.source)
        .with_choice(identity.purpose, identity.case_ref)
}

/// The form's fields: texts by name, and the file's bytes.
#[derive(Default)]
struct Upload {
    title: String,
    category: String,
    document: String,
    file: Vec<u8>,
}

async fn read_upload(mut form: Multipart) -> Result<Upload, UploadProblem> {
    let mut out = Upload::default();
    while let Some(field) = form.next_field().await.map_err(|e| {
        // The body limit (or a broken form) ends the read: the file was too large or cut.
        tracing::info!(error = ?e.to_string(), "upload not read");
        UploadProblem::TooLarge
    })? {
        let name = field.name().unwrap_or_default().to_owned();
        let bytes = field.bytes().await.map_err(|_| UploadProblem::TooLarge)?;
        let text = || String::from_utf8_lossy(&bytes).chars().take(500).collect();
        match name.as_str() {
            "file" => out.file = bytes.to_vec(),
            "title" => out.title = text(),
            "category" => out.category = text(),
            "document" => out.document = text(),
            _ => {}
        }
    }
    Ok(out)
}

/// What an engine error means for the uploader (detail to the log with the request id).
fn problem(e: EngineError, request_id: &str) -> UploadProblem {
    match e {
        EngineError::Rejected(fields) => match fields.first().map(|f| &f.error) {
            Some(ValidationError::FileType) => UploadProblem::FileType,
            Some(ValidationError::FileTooLarge) => UploadProblem::TooLarge,
            Some(ValidationError::Required(domain::Field::File)) => UploadProblem::NoFile,
            _ => UploadProblem::Title,
        },
        EngineError::Denied(d) if d.asks_for_step_up() => UploadProblem::StepUp,
        EngineError::Denied(_) | EngineError::NotFound => UploadProblem::NotAllowed,
        other => {
            tracing::error!(%request_id, error = %other, "upload failed");
            UploadProblem::Unavailable
        }
    }
}

fn back(page: &str, outcome: Result<String, UploadProblem>) -> Response {
    let query = match outcome {
        Ok(done) => format!("saved={done}"),
        Err(p) => format!("error={}", p.slug()),
    };
    Redirect::to(&format!("{page}?{query}")).into_response()
}

/// `POST /api/upload/library`: a new document, or a new version of `document` (registry staff).
pub async fn upload_document(
    State(state): State<AppState>,
    Extension(identity): Extension<RequestIdentity>,
    form: Multipart,
) -> Response {
    let request_id = identity.request_id.clone();
    let outcome = async {
        let upload = read_upload(form).await?;
        let category = DocumentCategory::from_slug(&upload.category).ok_or(UploadProblem::Title)?;
        let existing = upload.document.trim().parse::<u64>().ok();
        state
            .engine
            .upload_document(
                &actor(identity),
                existing,
                &upload.title,
                category,
                &upload.file,
            )
            .await
            .map(|(id, version)| format!("{id}-{version}"))
            .map_err(|e| problem(e, &request_id))
    }
    .await;
    back("/library", outcome)
}

/// `POST /api/upload/application/{id}`: a document attached to the applicant's application.
pub async fn upload_attachment(
    State(state): State<AppState>,
    Extension(identity): Extension<RequestIdentity>,
    Path(id): Path<u64>,
    form: Multipart,
) -> Response {
    let request_id = identity.request_id.clone();
    let outcome = async {
        let upload = read_upload(form).await?;
        state
            .engine
            .attach_to_application(
                &actor(identity),
                ApplicationId(id),
                &upload.title,
                &upload.file,
            )
            .await
            .map(|n| n.to_string())
            .map_err(|e| problem(e, &request_id))
    }
    .await;
    back(&format!("/eservice/{id}"), outcome)
}

fn download(file: FileDownload) -> Response {
    let name = download_name(&file.title, file.version.number, file.version.file_type);
    let mut res = (StatusCode::OK, file.bytes).into_response();
    let h = res.headers_mut();
    h.insert(
        header::CONTENT_TYPE,
        HeaderValue::from_static(file.version.file_type.media_type()),
    );
    if let Ok(v) = HeaderValue::from_str(&format!("attachment; filename=\"{name}\"")) {
        h.insert(header::CONTENT_DISPOSITION, v);
    }
    h.insert(
        header::X_CONTENT_TYPE_OPTIONS,
        HeaderValue::from_static("nosniff"),
    );
    res
}

fn not_found(e: EngineError, request_id: &str) -> Response {
    match e {
        EngineError::NotFound | EngineError::Denied(_) => StatusCode::NOT_FOUND.into_response(),
        EngineError::Throttled { retry_after } => (
            StatusCode::TOO_MANY_REQUESTS,
            [(header::RETRY_AFTER, retry_after.to_string())],
        )
            .into_response(),
        other => {
            tracing::error!(%request_id, error = %other, "download failed");
            StatusCode::SERVICE_UNAVAILABLE.into_response()
        }
    }
}

/// `GET /files/library/{id}/{version}`: one version of a library document.
pub async fn library_file(
    State(state): State<AppState>,
    Extension(identity): Extension<RequestIdentity>,
    Path((id, version)): Path<(u64, u32)>,
) -> Response {
    let request_id = identity.request_id.clone();
    match state
        .engine
        .document_file(&actor(identity), id, version)
        .await
    {
        Ok(file) => download(file),
        Err(e) => not_found(e, &request_id),
    }
}

/// `GET /files/application/{id}/{number}`: one attachment, for whoever sees the application.
pub async fn application_file(
    State(state): State<AppState>,
    Extension(identity): Extension<RequestIdentity>,
    Path((id, number)): Path<(u64, u32)>,
) -> Response {
    let request_id = identity.request_id.clone();
    match state
        .engine
        .application_file(&actor(identity), ApplicationId(id), number)
        .await
    {
        Ok(file) => download(file),
        Err(e) => not_found(e, &request_id),
    }
}

/// `GET /files/fees/{month}.csv`: every organisation's invoice basis for the month, for
/// registry staff, as a CSV attachment. Anyone else: 404, as for a file that is not there.
pub async fn fees_csv(
    State(state): State<AppState>,
    Extension(identity): Extension<RequestIdentity>,
    Path(file): Path<String>,
) -> Response {
    let request_id = identity.request_id.clone();
    let Some(month) = file
        .strip_suffix(".csv")
        .and_then(|m| domain::fees::Month::parse(m).ok())
    else {
        return StatusCode::NOT_FOUND.into_response();
    };
    match state.engine.fees(&actor(identity), Some(month)).await {
        Ok(report) if report.registry => {
            let mut res = (StatusCode::OK, domain::fees::csv(&report.rows)).into_response();
            let h = res.headers_mut();
            h.insert(
                header::CONTENT_TYPE,
                HeaderValue::from_static("text/csv; charset=utf-8"),
            );
            if let Ok(v) = HeaderValue::from_str(&format!(
                "attachment; filename=\"kysely-laskutus-{month}.csv\""
            )) {
                h.insert(header::CONTENT_DISPOSITION, v);
            }
            h.insert(
                header::X_CONTENT_TYPE_OPTIONS,
                HeaderValue::from_static("nosniff"),
            );
            res
        }
        Ok(_) => StatusCode::NOT_FOUND.into_response(),
        Err(e) => not_found(e, &request_id),
    }
}

/// `GET /files/trail.csv?subject=…&from=…`: the rows of a search of the audit trail as CSV in
/// the reader's language (registry staff, and a responsible user for their own organisation;
/// anyone else: 404, as for a file that is not there), at most
/// [`domain::trail::EXPORT_MAX`] rows. The export is recorded as one. A search that breaks a
/// field's rule is answered 422 with what to mend.
pub async fn trail_csv(
    State(state): State<AppState>,
    Extension(identity): Extension<RequestIdentity>,
    headers: axum::http::HeaderMap,
    axum::extract::RawQuery(query): axum::extract::RawQuery,
) -> Response {
    let request_id = identity.request_id.clone();
    let lang = crate::middleware::request_lang(&headers);
    let form = domain::trail::TrailForm::from_query(query.as_deref().unwrap_or(""));
    let query = match form.validate() {
        Ok(q) => q,
        Err(errors) => {
            let message = errors
                .iter()
                .map(|e| e.error.message(lang))
                .collect::<Vec<_>>()
                .join(" ");
            return (StatusCode::UNPROCESSABLE_ENTITY, message).into_response();
        }
    };
    match state.engine.trail_export(&actor(identity), query).await {
        Ok(page) => {
            let mut res = (StatusCode::OK, domain::trail::csv(&page.rows, lang)).into_response();
            let h = res.headers_mut();
            h.insert(
                header::CONTENT_TYPE,
                HeaderValue::from_static("text/csv; charset=utf-8"),
            );
            h.insert(
                header::CONTENT_DISPOSITION,
                HeaderValue::from_static("attachment; filename=\"kysely-loki.csv\""),
            );
            h.insert(
                header::X_CONTENT_TYPE_OPTIONS,
                HeaderValue::from_static("nosniff"),
            );
            res
        }
        Err(e) => not_found(e, &request_id),
    }
}
