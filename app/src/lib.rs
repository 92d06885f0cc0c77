//! Kysely's user interface: routes, pages, the generic screen renderer and the server-function
//! declarations. Built twice: `hydrate` for the browser (WASM, never links the engine) and `ssr`
//! for the server, where the server functions delegate to the engine through [`cx::Cx`].

#![recursion_limit = "256"]

pub mod api;
#[cfg(feature = "ssr")]
pub mod cx;
pub mod error;
pub mod i18n;
mod pages;
mod render;

pub use pages::sessions::EXPIRED_PATH;
pub use pages::{App, shell};

#[cfg(feature = "hydrate")]
#[wasm_bindgen::prelude::wasm_bindgen]
pub fn hydrate() {
    console_error_panic_hook::set_once();
    leptos::mount::hydrate_body(App);
}
