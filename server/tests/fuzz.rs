//! Generated bad input against every server function: at least 10,000 bodies each (binary,
//! truncated JSON, wrong types, missing fields, deep nesting, long strings, wrong top-level
//! types, wrong content types). None may answer 5xx or panic, every answer is an `AppError`
//! in the shape the client reads, and the service answers a real query afterwards. Unknown
//! `/api` routes answer 404 in the same shape. The generator is seeded: a failure names the
//! body that caused it and repeats.

mod common;

use app::api::ENDPOINTS;
use app::error::AppError;
use axum::body::Body;
use axum::http::{Request, StatusCode, header};
use common::{Fixture, ORIGIN, TestResult, args_for, fixture};
use rand::rngs::StdRng;
use rand::{Rng, SeedableRng};
use serde_json::{Value, json};
use std::sync::Arc;

/// Bodies per server function (the floor).
const BODIES: usize = 10_000;
/// Requests in flight at once: the audit trail's group commit batches the valid ones.
const IN_FLIGHT: usize = 32;

/// Every leaf path of a JSON value.
fn leaves(v: &Value, path: &mut Vec<Value>, out: &mut Vec<Vec<Value>>) {
    match v {
        Value::Object(m) if !m.is_empty() => {
            for (k, child) in m {
                path.push(json!(k));
                leaves(child, path, out);
                path.pop();
            }
        }
        Value::Array(a) if !a.is_empty() => {
            for (i, child) in a.iter().enumerate() {
                path.push(json!(i));
                leaves(child, path, out);
                path.pop();
            }
        }
        _ => out.push(path.clone()),
    }
}

fn at<'a>(v: &'a mut Value, path: &[Value]) -> Option<&'a mut Value> {
    let mut cur = v;
    for step in path {
        cur = match step {
            Value::String(k) => cur.get_mut(k.as_str())?,
            Value::Number(n) => cur.get_mut(usize::try_from(n.as_u64()?).ok()?)?,
            _ => return None,
        };
    }
    Some(cur)
}

fn random_value(rng: &mut StdRng) -> Value {
    match rng.random_range(0..12) {
        0 => Value::Null,
        1 => json!(rng.random::<bool>()),
        2 => json!(rng.random::<i64>()),
        3 => json!(rng.random::<f64>() * 1e300),
        4 => json!(u64::MAX),
        5 => json!(-1),
        6 => json!(""),
        7 => json!("x".repeat(rng.random_range(1..20_000))),
        8 => json!("\u{0}\u{202e}<script>ä\u{fffd}"),
        9 => json!([1, "a", null]),
        10 => json!({ "unexpected": { "nested": [true] } }),
        _ => json!("31.02.2026"),
    }
}

fn nested(depth: usize, object: bool) -> String {
    if object {
        format!("{}1{}", "{\"a\":".repeat(depth), "}".repeat(depth))
    } else {
        format!("{}{}", "[".repeat(depth), "]".repeat(depth))
    }
}

/// One generated request body and its content type.
fn body(rng: &mut StdRng, valid: &Value) -> (Vec<u8>, &'static str) {
    let text = valid.to_string();
    let mut paths = Vec::new();
    leaves(valid, &mut Vec::new(), &mut paths);
    let json = "application/json";
    match rng.random_range(0..8) {
        0 => {
            let len = rng.random_range(0..2_000);
            ((0..len).map(|_| rng.random::<u8>()).collect(), json)
        }
        1 => {
            let cut = rng.random_range(0..text.len().max(1));
            (text.as_bytes()[..cut].to_vec(), json)
        }
        2 | 3 => {
            let mut v = valid.clone();
            for _ in 0..rng.random_range(1..3) {
                if paths.is_empty() {
                    break;
                }
                let p = &paths[rng.random_range(0..paths.len())];
                if let Some(slot) = at(&mut v, p) {
                    *slot = random_value(rng);
                }
            }
            (v.to_string().into_bytes(), json)
        }
        4 => {
            let mut v = valid.clone();
            if let Some(m) = v.as_object_mut()
                && !m.is_empty()
            {
                let keys: Vec<String> = m.keys().cloned().collect();
                m.remove(&keys[rng.random_range(0..keys.len())]);
            }
            (v.to_string().into_bytes(), json)
        }
        5 => {
            let depth = rng.random_range(100..5_000);
            (nested(depth, rng.random()).into_bytes(), json)
        }
        6 => {
            let top = [
                json!(null),
                json!(42),
                json!("text"),
                json!([valid.clone()]),
                json!(true),
            ];
            (
                top[rng.random_range(0..top.len())].to_string().into_bytes(),
                json,
            )
        }
        _ => {
            let types = [
                "text/plain",
                "application/x-www-form-urlencoded",
                "multipart/form-data; boundary=x",
                "application/octet-stream",
                "",
            ];
            (text.into_bytes(), types[rng.random_range(0..types.len())])
        }
    }
}

async fn post(
    f: &Fixture,
    endpoint: &str,
    cookie: &str,
    bytes: Vec<u8>,
    content_type: &str,
) -> Result<(StatusCode, Vec<u8>), Box<dyn std::error::Error + Send + Sync>> {
    let mut req = Request::post(endpoint)
        .header(header::ORIGIN, ORIGIN)
        .header("sec-fetch-site", "same-origin")
        .header(header::ACCEPT, "application/json")
        .header(header::COOKIE, cookie);
    if !content_type.is_empty() {
        req = req.header(header::CONTENT_TYPE, content_type);
    }
    let (status, _, body) = f
        .call(req.body(Body::from(bytes))?)
        .await
        .map_err(|e| e.to_string())?;
    Ok((status, body))
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn generated_bad_bodies_never_answer_5xx_and_the_service_stays_healthy() -> TestResult {
    let mut rng = StdRng::seed_from_u64(20261201);
    let mut statuses = std::collections::BTreeMap::<u16, usize>::new();
    for endpoint in ENDPOINTS.iter().map(|e| e.path) {
        // A fresh register and trail per function: what one function's well-formed bodies
        // change (a permit suspended, a trail grown) does not slow or skew the next one's.
        let f = Arc::new(fixture()?);
        // A query user and registry staff: between them most functions get past
        // authorisation.
        let cookies = [f.session("bob", "espoo")?, f.session("dora", "dvv")?];
        let valid = args_for(endpoint, &f, None);
        let permit = f.state.engine.permit_of("espoo")?.ok_or("espoo's permit")?;
        let right = f
            .state
            .engine
            .right("espoo", "u-bob")?
            .ok_or("bob's right")?;
        let mut pending = tokio::task::JoinSet::new();
        for i in 0..BODIES {
            let (bytes, content_type) = body(&mut rng, &valid);
            let cookie = cookies[i % 2].clone();
            let f = f.clone();
            let shown = String::from_utf8_lossy(&bytes[..bytes.len().min(200)]).into_owned();
            pending.spawn(async move {
                let (status, answer) = post(&f, endpoint, &cookie, bytes, content_type).await?;
                Ok::<_, Box<dyn std::error::Error + Send + Sync>>((
                    status,
                    answer,
                    shown,
                    content_type,
                ))
            });
            if pending.len() >= IN_FLIGHT || i + 1 == BODIES {
                while let Some(done) = pending.join_next().await {
                    let (status, answer, shown, content_type) = done
                        .map_err(|e| format!("{endpoint}: a request panicked: {e}"))?
                        .map_err(|e| e.to_string())?;
                    *statuses.entry(status.as_u16()).or_default() += 1;
                    assert!(
                        !status.is_server_error(),
                        "{endpoint} answered {status} to {content_type:?} {shown:?}: {}",
                        String::from_utf8_lossy(&answer)
                    );
                    if !status.is_success() {
                        let parsed = serde_json::from_slice::<AppError>(&answer);
                        assert!(
                            parsed.is_ok(),
                            "{endpoint} answered {status} outside the AppError shape to {shown:?}: {}",
                            String::from_utf8_lossy(&answer)
                        );
                    }
                }
            }
        }
        // Still healthy: the health check and a real query (what the bodies changed put
        // back first).
        f.state.engine.put_permit(&permit)?;
        f.state.engine.put_right(&right)?;
        let (status, _, _) = f
            .call(Request::get("/healthz").body(Body::empty())?)
            .await?;
        assert_eq!(status, StatusCode::OK, "{endpoint}: health afterwards");
        // An hour on, past any query-rate wait or sweep block the bodies earned, with a new
        // session (the old one has idled out).
        f.clock.advance_seconds(3601);
        let bob = f.session("bob", "espoo")?;
        let (status, _) = f
            .api("/api/search", Some(&bob), args_for("/api/search", &f, None))
            .await?;
        assert_eq!(status, StatusCode::OK, "{endpoint}: a query afterwards");
    }
    println!(
        "{} bodies to {} server functions; answers by status: {statuses:?}",
        BODIES * ENDPOINTS.len(),
        ENDPOINTS.len()
    );
    Ok(())
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn unknown_api_routes_and_methods_answer_in_the_apperror_shape() -> TestResult {
    let f = fixture()?;
    let bob = f.session("bob", "espoo")?;
    let (status, body) = f
        .api("/api/no_such_function", Some(&bob), json!({}))
        .await?;
    assert_eq!(status, StatusCode::NOT_FOUND);
    assert_eq!(
        serde_json::from_slice::<AppError>(&body)?,
        AppError::NotFound
    );
    let (status, _, body) = f
        .call(
            Request::get("/api/search")
                .header(header::COOKIE, &bob)
                .header("sec-fetch-site", "same-origin")
                .body(Body::empty())?,
        )
        .await?;
    assert_eq!(status, StatusCode::METHOD_NOT_ALLOWED);
    assert_eq!(
        serde_json::from_slice::<AppError>(&body)?,
        AppError::BadRequest
    );
    Ok(())
}
