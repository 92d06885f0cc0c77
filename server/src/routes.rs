//! The router: auth routes, health, the Leptos pages and server functions with the engine, the
//! CSP nonce and the language in context, the precompressed static files, and the middleware
//! stack.

use crate::auth;
use crate::files;
use crate::middleware::{CspNonce, request_lang, security_headers, session_gate};
use crate::state::AppState;
use app::{App, shell};
use axum::Router;
use axum::extract::State;
use axum::http::StatusCode;
use axum::response::IntoResponse;
use axum::routing::{get, post};
use leptos::prelude::{provide_context, use_context};
use leptos_axum::{AxumRouteListing, LeptosRoutes, generate_route_list};
use tower_http::compression::CompressionLayer;

/// Liveness and fail-closed state: 503 once the audit writer has stopped; degraded (still
/// serving: new entries are durable) when the trail no longer matches a head signed before.
async fn healthz(State(state): State<AppState>) -> impl IntoResponse {
    if state.engine.audit().is_failed() {
        (StatusCode::SERVICE_UNAVAILABLE, "audit trail unavailable")
    } else if state.engine.audit().heads_problem().is_some() {
        (
            StatusCode::OK,
            "degraded: the audit trail does not match a signed tree head",
        )
    } else {
        (StatusCode::OK, "ok")
    }
}

/// An upload's body: the largest file kept, and room for the form around it.
fn upload_limit() -> axum::extract::DefaultBodyLimit {
    axum::extract::DefaultBodyLimit::max(domain::library::MAX_FILE_BYTES + 64 * 1024)
}

/// An error in the `AppError` JSON shape the client reads.
pub fn api_error(status: StatusCode, error: &app::error::AppError) -> axum::response::Response {
    (
        status,
        [(http::header::CONTENT_TYPE, "application/json")],
        serde_json::to_string(error).unwrap_or_default(),
    )
        .into_response()
}

/// The page routes, listed once per process. Listing them runs the app with resource loads
/// suppressed through a process-wide flag, and a resource first polled while that flag is set
/// never loads (leptos issue #4773): a second router built while another serves (tests build
/// one each) would leave a page render waiting forever. Once listed, no later router lists
/// again, so no render can overlap a listing.
fn page_routes() -> Vec<AxumRouteListing> {
    static ROUTES: std::sync::OnceLock<Vec<AxumRouteListing>> = std::sync::OnceLock::new();
    ROUTES.get_or_init(|| generate_route_list(App)).clone()
}

pub fn router(state: AppState) -> Router {
    let routes = page_routes();
    let engine = state.engine.clone();
    let sessions = state.sessions.clone();
    let mail = app::cx::MailStatus {
        smtp: state.config.smtp_url.is_some(),
    };
    let public_url = app::cx::PublicUrl(state.config.public_url.clone());
    let context = move || {
        provide_context(engine.clone());
        provide_context(sessions.clone());
        provide_context(mail);
        provide_context(public_url.clone());
        if let Some(parts) = use_context::<http::request::Parts>() {
            if let Some(nonce) = parts.extensions.get::<CspNonce>() {
                provide_context(leptos::nonce::Nonce::from_value(nonce.0.clone()));
            }
            provide_context(request_lang(&parts.headers));
        }
    };
    let options = (*state.leptos).clone();
    let hashes = state
        .leptos
        .hash_files
        .then(crate::assets::Hashes::beside_binary)
        .flatten();
    let pkg = crate::assets::pkg_router(
        std::path::Path::new(state.leptos.site_root.as_ref()),
        &state.leptos.output_name,
        hashes,
    );
    Router::new()
        .route("/healthz", get(healthz))
        .route("/audit/tree-head", get(crate::transparency::tree_head))
        .route("/audit/checkpoint", get(crate::transparency::checkpoint))
        .nest_service("/pkg", pkg)
        .route("/auth/login", get(auth::login))
        .route("/auth/callback", get(auth::callback))
        .route("/auth/logout", post(auth::logout))
        .route("/auth/logged-out", get(auth::logged_out))
        .route(app::EXPIRED_PATH, get(auth::expired))
        .route(
            "/api/upload/library",
            post(files::upload_document).layer(upload_limit()),
        )
        .route(
            "/api/upload/application/{id}",
            post(files::upload_attachment).layer(upload_limit()),
        )
        .route("/files/library/{id}/{version}", get(files::library_file))
        .route(
            "/files/application/{id}/{number}",
            get(files::application_file),
        )
        .route("/files/fees/{month}", get(files::fees_csv))
        .route("/files/trail.csv", get(files::trail_csv))
        .leptos_routes_with_context(&state, routes, context.clone(), move || {
            shell(options.clone())
        })
        .route(
            "/api/{*fn_name}",
            post({
                let context = context.clone();
                move |req: axum::extract::Request| {
                    let context = context.clone();
                    async move {
                        // Only the registered functions: anything else is a 404 the client
                        // reads, not the framework's developer message.
                        if !app::api::is_endpoint(req.uri().path()) {
                            return api_error(
                                StatusCode::NOT_FOUND,
                                &app::error::AppError::NotFound,
                            );
                        }
                        leptos_axum::handle_server_fns_with_context(context, req)
                            .await
                            .into_response()
                    }
                }
            }),
        )
        .fallback(leptos_axum::file_and_error_handler_with_context::<
            AppState,
            _,
        >(context, shell))
        .layer(axum::middleware::from_fn_with_state(
            state.clone(),
            session_gate,
        ))
        .layer(CompressionLayer::new())
        .layer(axum::middleware::from_fn_with_state(
            state.clone(),
            security_headers,
        ))
        .with_state(state)
}
