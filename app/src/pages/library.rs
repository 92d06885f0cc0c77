//! The document library: forms, permit terms and guides, each with its versions (the newest in
//! force, older ones still listed), for every signed-in user; registry staff add documents and
//! new versions. Uploads are plain form posts to `/api/upload/library` (origin-checked like every
//! `/api` call) that come back here saying what happened; downloads are attachments.

mod texts;
use texts as t;

use crate::error::AppError;
use crate::i18n::{strings, text, tr, use_lang};
use crate::pages::inline_error;
use domain::library::{Document, DocumentCategory, FileVersion, Library, UploadProblem};
use domain::{Field, Lang};
use leptos::prelude::*;
use leptos::server_fn::codec::Json;
use leptos_meta::Title;
use leptos_router::hooks::use_query_map;

/// The library for the signed-in user.
#[server(prefix = "/api", endpoint = "library", input = Json)]
pub async fn load_library() -> Result<Library, AppError> {
    let cx = crate::cx::Cx::current()?;
    cx.engine
        .library(&cx.actor)
        .await
        .map_err(|e| AppError::from_engine(e, cx.reference()))
}

/// A version's size and type in words (`PDF, 120 kt`).
pub fn file_text(v: &FileVersion) -> String {
    let kb = v.size.div_ceil(1024);
    format!("{}, {kb} kB", v.file_type.extension().to_uppercase())
}

fn version_link(doc: &Document, v: &FileVersion, lang: RwSignal<Lang>) -> AnyView {
    let href = format!("/files/library/{}/{}", doc.id, v.number);
    let (number, details) = (v.number, file_text(v));
    view! {
        <a href=href download>
            {move || format!("{} {} {number} ({details})", t::DOWNLOAD.get(lang.get()), t::VERSION.get(lang.get()))}
        </a>
    }
    .into_any()
}

fn rows(library: &Library, lang: RwSignal<Lang>) -> AnyView {
    library
        .documents
        .iter()
        .map(|doc| {
            let latest = doc.latest().map(|v| version_link(doc, v, lang));
            let updated = doc.latest().map(|v| v.uploaded.finnish_local());
            let older: Vec<AnyView> = doc
                .versions
                .iter()
                .rev()
                .skip(1)
                .map(|v| {
                    let link = version_link(doc, v, lang);
                    let when = v.uploaded.finnish_local();
                    view! { <li>{move || t::VERSION.get(lang.get())}" "{v.number}", "{when}": "{link}</li> }.into_any()
                })
                .collect();
            let older = (!older.is_empty()).then(|| {
                view! {
                    <details class="history">
                        <summary>{text(t::OLDER)}</summary>
                        <ul>{older}</ul>
                    </details>
                }
            });
            view! {
                <tr>
                    <th scope="row">{doc.title.clone()}</th>
                    <td data-label=text(t::KIND)>{text(doc.category.text())}</td>
                    <td data-label=text(t::UPDATED)>{updated}</td>
                    <td data-label=text(Field::File.label())>{latest}{older}</td>
                </tr>
            }
        })
        .collect_view()
        .into_any()
}

fn upload_form(library: &Library) -> AnyView {
    let categories = DocumentCategory::ALL
        .into_iter()
        .map(|c| view! { <option value=c.slug()>{text(c.text())}</option> })
        .collect_view();
    let documents = library
        .documents
        .iter()
        .map(|d| view! { <option value=d.id.to_string()>{d.title.clone()}</option> })
        .collect_view();
    view! {
        <form class="upload" method="post" action="/api/upload/library" enctype="multipart/form-data"
            aria-labelledby="upload-h">
            <h2 id="upload-h">{text(t::UPLOAD)}</h2>
            <div class="field">
                <label for="upload-document">{text(t::NEW_VERSION_OF)}</label>
                <select id="upload-document" name="document">
                    <option value="">{text(t::NEW_DOCUMENT)}</option>
                    {documents}
                </select>
            </div>
            <div class="field">
                <label for="upload-title">{text(Field::Title.label())}</label>
                <input type="text" id="upload-title" name="title" required minlength="3" maxlength="120" />
            </div>
            <div class="field">
                <label for="upload-category">{text(t::KIND)}</label>
                <select id="upload-category" name="category">{categories}</select>
            </div>
            <div class="field">
                <label for="upload-file">{text(Field::File.label())}</label>
                <input type="file" id="upload-file" name="file" required
                    accept="application/pdf,image/png,image/jpeg,text/plain" />
                <p class="hint">{text(t::ALLOWED)}</p>
            </div>
            <button type="submit">{text(t::SAVE)}</button>
        </form>
    }
    .into_any()
}

/// What the upload that brought the user back here did.
pub fn upload_notice() -> impl Fn() -> Option<AnyView> {
    let query = use_query_map();
    let lang = use_lang();
    move || {
        let q = query.read();
        if let Some(p) = q.get("error").and_then(|e| UploadProblem::from_slug(&e)) {
            let t = p.text();
            // A step-up comes back to the library, with the form to fill again.
            let step_up = (p == UploadProblem::StepUp).then(|| {
                let href = domain::signin::sign_in_path("/library", true);
                view! { " "<a href=href rel="external" id="step-up">{move || crate::pages::STEP_UP.get(lang.get())}</a> }
            });
            Some(
                view! { <p class="notice" role="alert">{move || t.get(lang.get())}{step_up}</p> }
                    .into_any(),
            )
        } else {
            q.get("saved").map(|_| {
                view! { <p class="done" role="status">{move || t::SAVED.get(lang.get())}</p> }
                    .into_any()
            })
        }
    }
}

#[component]
pub fn LibraryPage() -> impl IntoView {
    let lang = use_lang();
    let data = LocalResource::new(load_library);
    view! {
        <Title text=move || format!("{} – {}", t::TITLE.get(lang.get()), strings(lang.get()).app) />
        <section class="library">
            <h1>{text(t::TITLE)}</h1>
            <p class="intro">{text(t::INTRO)}</p>
            {upload_notice()}
            <Transition fallback=move || view! { <p class="loading">{tr(|s| s.loading)}</p> }>
                {move || data.get().map(|r| match r {
                    Ok(library) => view! {
                        <table class="manage-table" id="library">
                            <caption>{text(t::DOCUMENTS)}</caption>
                            <thead><tr>
                                <th scope="col">{text(Field::Title.label())}</th>
                                <th scope="col">{text(t::KIND)}</th>
                                <th scope="col">{text(t::UPDATED)}</th>
                                <th scope="col">{text(Field::File.label())}</th>
                            </tr></thead>
                            <tbody>{rows(&library, lang)}</tbody>
                        </table>
                        {library.documents.is_empty().then(|| view! { <p>{text(t::NONE)}</p> })}
                        {library.may_upload.then(|| upload_form(&library))}
                    }
                    .into_any(),
                    Err(e) => inline_error(e),
                })}
            </Transition>
        </section>
    }
}
