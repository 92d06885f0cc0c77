//! The browser's static files (`/pkg`): the WASM, its JS glue and the style sheet under
//! content-hashed names written by `cargo leptos build --release` (`hash-files`), compressed
//! with brotli and gzip at build time (`--precompress`) and served as they are, never
//! compressed per request. Hashed files never change, so they are cached for a year as
//! immutable; anything else (a development build) must be revalidated.

use axum::Router;
use axum::extract::Request;
use axum::http::{HeaderValue, header};
use axum::middleware::Next;
use axum::response::Response;
use std::path::{Path, PathBuf};
use tower_http::services::{ServeDir, ServeFile};

/// The hashed names of this build, read once at start-up from the hash file cargo-leptos
/// writes beside the server binary.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Hashes {
    pub js: Option<String>,
    pub wasm: Option<String>,
    pub css: Option<String>,
    /// The loader of the lazily loaded WASM chunks (`__wasm_split.<hash>.js`) and their
    /// manifest (`--split` builds).
    pub split: Option<String>,
    pub manifest: Option<String>,
}

impl Hashes {
    /// Reads `hash.txt` beside the running binary; `None` when this build has no hashes.
    pub fn beside_binary() -> Option<Hashes> {
        let exe = std::env::current_exe().ok()?;
        let text = std::fs::read_to_string(exe.parent()?.join("hash.txt")).ok()?;
        Some(Hashes::parse(&text))
    }

    /// `js: <hash>` lines, as cargo-leptos writes them.
    pub fn parse(text: &str) -> Hashes {
        let mut h = Hashes::default();
        for line in text.lines() {
            if let Some((kind, hash)) = line.split_once(':') {
                let hash = Some(hash.trim().to_owned()).filter(|s| !s.is_empty());
                match kind.trim() {
                    "js" => h.js = hash,
                    "wasm" => h.wasm = hash,
                    "css" => h.css = hash,
                    "split" => h.split = hash,
                    "manifest" => h.manifest = hash,
                    _ => {}
                }
            }
        }
        h
    }
}

/// Whether a file name under `/pkg` carries a content hash (`kysely.<hash>.wasm`; a lazily
/// loaded chunk, `split_<name>.<hash>.wasm`, always does).
fn is_hashed(path: &str, hashes: Option<&Hashes>) -> bool {
    let Some(h) = hashes else {
        return false;
    };
    path.starts_with("/split_")
        || [&h.js, &h.wasm, &h.css, &h.split, &h.manifest]
            .into_iter()
            .flatten()
            .any(|hash| path.contains(&format!(".{hash}.")))
}

/// The `/pkg` service: precompressed files, and caching by whether the name is hashed.
pub fn pkg_router(site_root: &Path, output_name: &str, hashes: Option<Hashes>) -> Router {
    let pkg: PathBuf = site_root.join("pkg");
    let files = ServeDir::new(&pkg).precompressed_br().precompressed_gzip();
    let mut router = Router::new();
    // The sign-in pages outside the app ask for the unhashed style sheet name.
    if let Some(css) = hashes.as_ref().and_then(|h| h.css.clone()) {
        let hashed = pkg.join(format!("{output_name}.{css}.css"));
        router = router.route_service(
            &format!("/{output_name}.css"),
            ServeFile::new(hashed)
                .precompressed_br()
                .precompressed_gzip(),
        );
    }
    router
        .fallback_service(files)
        .layer(axum::middleware::from_fn(
            move |req: Request, next: Next| {
                let hashed = is_hashed(req.uri().path(), hashes.as_ref());
                async move { cache_control(hashed, next.run(req).await) }
            },
        ))
}

fn cache_control(hashed: bool, mut res: Response) -> Response {
    let value = if hashed && res.status().is_success() {
        "public, max-age=31536000, immutable"
    } else {
        "no-cache"
    };
    res.headers_mut()
        .insert(header::CACHE_CONTROL, HeaderValue::from_static(value));
    res
}

#[cfg(test)]
mod tests {
    use super::*;

    #[tokio::test]
    async fn hashed_files_are_served_precompressed_and_immutable()
    -> Result<(), Box<dyn std::error::Error>> {
        use tower::ServiceExt;
        let dir = tempfile::tempdir()?;
        let pkg = dir.path().join("pkg");
        std::fs::create_dir_all(&pkg)?;
        std::fs::write(pkg.join("kysely.DeF.wasm"), b"plain wasm")?;
        std::fs::write(pkg.join("kysely.DeF.wasm.br"), b"brotli wasm")?;
        std::fs::write(pkg.join("kysely.GhI.css"), b"css")?;
        std::fs::write(pkg.join("other.txt"), b"other")?;
        let hashes = Hashes::parse("js: AbC\nwasm: DeF\ncss: GhI\n");
        let router = pkg_router(dir.path(), "kysely", Some(hashes));
        let get = |path: &str, encoding: &str| {
            axum::http::Request::get(path)
                .header(header::ACCEPT_ENCODING, encoding)
                .body(axum::body::Body::empty())
        };
        let res = router
            .clone()
            .oneshot(get("/kysely.DeF.wasm", "br, gzip")?)
            .await?;
        assert_eq!(res.status(), 200);
        assert_eq!(
            res.headers()[header::CONTENT_ENCODING],
            "br",
            "the file compressed at build time"
        );
        assert_eq!(
            res.headers()[header::CACHE_CONTROL],
            "public, max-age=31536000, immutable"
        );
        let body = axum::body::to_bytes(res.into_body(), 1 << 20).await?;
        assert_eq!(&body[..], b"brotli wasm");
        let res = router
            .clone()
            .oneshot(get("/kysely.DeF.wasm", "identity")?)
            .await?;
        assert!(res.headers().get(header::CONTENT_ENCODING).is_none());
        // The unhashed style sheet name leads to this build's hashed file, revalidated.
        let res = router
            .clone()
            .oneshot(get("/kysely.css", "identity")?)
            .await?;
        assert_eq!(res.status(), 200);
        assert_eq!(res.headers()[header::CACHE_CONTROL], "no-cache");
        let body = axum::body::to_bytes(res.into_body(), 1 << 20).await?;
        assert_eq!(&body[..], b"css");
        let res = router
            .clone()
            .oneshot(get("/other.txt", "identity")?)
            .await?;
        assert_eq!(res.headers()[header::CACHE_CONTROL], "no-cache");
        let res = router
            .oneshot(get("/missing.DeF.wasm", "identity")?)
            .await?;
        assert_eq!(res.status(), 404);
        assert_eq!(res.headers()[header::CACHE_CONTROL], "no-cache");
        Ok(())
    }

    #[test]
    fn hash_file_lines_and_hashed_names() {
        let h = Hashes::parse("js: AbC\nwasm: DeF\ncss: GhI\nmanifest: JkL\nsplit: MnO\n");
        assert_eq!(h.wasm.as_deref(), Some("DeF"));
        assert!(is_hashed("/__wasm_split.MnO.js", Some(&h)));
        assert!(is_hashed("/__wasm_split_manifest.JkL.json", Some(&h)));
        assert!(is_hashed("/split___manage_route_view_1.PqR.wasm", Some(&h)));
        assert!(!is_hashed("/__wasm_split_manifest.json", Some(&h)));
        assert!(is_hashed("/kysely.DeF.wasm", Some(&h)));
        assert!(is_hashed("/kysely.GhI.css", Some(&h)));
        assert!(!is_hashed("/kysely.wasm", Some(&h)));
        assert!(!is_hashed("/kysely.DeF.wasm", None));
        assert_eq!(Hashes::parse(""), Hashes::default());
    }
}
