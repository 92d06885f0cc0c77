//! The audit trail's public face: the latest signed tree head, as JSON (with the public key it
//! verifies under) and as a checkpoint note. Public like a Certificate Transparency log's
//! heads: a size, a root and a signature, no entry. Whoever keeps a head can later ask the
//! registry for a consistency proof (`server audit prove`) and hold it to what it signed.

use crate::state::AppState;
use axum::extract::State;
use axum::http::{StatusCode, header};
use axum::response::{IntoResponse, Response};
use base64::Engine as _;

const NO_HEAD: &str = "No tree head has been signed yet: heads are signed once the trail holds entries, at least every minute while it grows.";

/// `GET /audit/tree-head`: the latest head as JSON.
pub async fn tree_head(State(state): State<AppState>) -> Response {
    let audit = state.engine.audit();
    let (Some(head), Some(key)) = (audit.latest_head(), audit.head_key()) else {
        return (StatusCode::NOT_FOUND, NO_HEAD).into_response();
    };
    let body = serde_json::json!({
        "origin": head.origin,
        "size": head.size,
        "root": head.root,
        "time": head.time,
        "key_id": head.key_id,
        "signature": head.signature,
        "public_key": base64::engine::general_purpose::STANDARD.encode(key),
        "checkpoint": head.note(),
    });
    (
        [
            (header::CONTENT_TYPE, "application/json"),
            (header::CACHE_CONTROL, "no-cache"),
        ],
        body.to_string(),
    )
        .into_response()
}

/// `GET /audit/checkpoint`: the latest head as a signed note (C2SP tlog-checkpoint).
pub async fn checkpoint(State(state): State<AppState>) -> Response {
    match state.engine.audit().latest_head() {
        Some(head) => (
            [
                (header::CONTENT_TYPE, "text/plain; charset=utf-8"),
                (header::CACHE_CONTROL, "no-cache"),
            ],
            head.note(),
        )
            .into_response(),
        None => (StatusCode::NOT_FOUND, NO_HEAD).into_response(),
    }
}
