"""Writes two minimal Leptos 0.8 hydrate crates that show the app's UI strings in three
languages: `own` with per-language tables of a struct (as app/src/i18n does), `li18n` with
leptos_i18n 0.6 and one JSON file per language. `--touch` changes one string in both."""
import json, os, re, sys

src, out = sys.argv[1], sys.argv[2]
touch = "--touch" in sys.argv
langs = {}
for lang in ["fi", "sv", "en"]:
    text = open(os.path.join(src, f"{lang}.rs"), encoding="utf8").read()
    langs[lang] = dict(re.findall(r'^\s+(\w+): "((?:[^"\\]|\\.)*)",$', text, re.M))
if touch:
    langs["fi"]["skip"] += "!"
keys = list(langs["fi"])
os.makedirs(f"{out}/own/src", exist_ok=True)
os.makedirs(f"{out}/li18n/src", exist_ok=True)
os.makedirs(f"{out}/li18n/locales", exist_ok=True)
open(f"{out}/Cargo.toml", "w").write("""[workspace]
resolver = "3"
members = ["own", "li18n"]

[profile.release]
opt-level = "z"
lto = true
codegen-units = 1
panic = "abort"
""")
deps = """leptos = { version = "=0.8.23", features = ["hydrate"] }
wasm-bindgen = "=0.2.130"
console_error_panic_hook = "0.1"
"""
package = """[package]
name = "{name}"
version = "0.1.0"
edition = "2024"

[lib]
crate-type = ["cdylib"]

[dependencies]
"""
open(f"{out}/own/Cargo.toml", "w").write(package.format(name="own") + deps)
open(f"{out}/li18n/Cargo.toml", "w").write(
    package.format(name="li18n") + deps
    + 'leptos_i18n = { version = "=0.6.2", default-features = false, features = ["hydrate", "cookie"] }\n'
    + '\n[build-dependencies]\nleptos_i18n_build = "=0.6.2"\n')
fields = "\n".join(f"    pub {k}: &'static str," for k in keys)
tables = "".join(
    f"pub const {l.upper()}: Strings = Strings {{\n"
    + "\n".join(f"    {k}: {json.dumps(v, ensure_ascii=False)}," for k, v in langs[l].items())
    + "\n};\n" for l in langs)
uses = "\n".join(f"            <p>{{move || s().{k}}}</p>" for k in keys)
hydrate = """
#[wasm_bindgen::prelude::wasm_bindgen]
pub fn hydrate() {
    console_error_panic_hook::set_once();
    leptos::mount::hydrate_body(App);
}
"""
open(f"{out}/own/src/lib.rs", "w").write(f"""use leptos::prelude::*;

pub struct Strings {{
{fields}
}}

{tables}
#[derive(Clone, Copy, PartialEq)]
enum Lang {{ Fi, Sv, En }}

#[component]
fn App() -> impl IntoView {{
    let lang = RwSignal::new(Lang::Fi);
    let s = move || match lang.get() {{ Lang::Fi => &FI, Lang::Sv => &SV, Lang::En => &EN }};
    view! {{
        <button on:click=move |_| lang.set(Lang::Fi)>"fi"</button>
        <button on:click=move |_| lang.set(Lang::Sv)>"sv"</button>
        <button on:click=move |_| lang.set(Lang::En)>"en"</button>
        <div>
{uses}
        </div>
    }}
}}
""" + hydrate)
for l in langs:
    json.dump(langs[l], open(f"{out}/li18n/locales/{l}.json", "w", encoding="utf8"),
              ensure_ascii=False, indent=1)
uses2 = "\n".join(f"            <p>{{t!(i18n, {k})}}</p>" for k in keys)
open(f"{out}/li18n/build.rs", "w").write("""use leptos_i18n_build::{Config, TranslationsInfos};
use std::path::PathBuf;

fn main() {
    let out = PathBuf::from(std::env::var_os("OUT_DIR").unwrap()).join("i18n");
    let cfg = Config::new("fi").unwrap().add_locale("sv").unwrap().add_locale("en").unwrap();
    let infos = TranslationsInfos::parse(cfg).unwrap();
    infos.rerun_if_locales_changed();
    infos.generate_i18n_module(out).unwrap();
}
""")
open(f"{out}/li18n/src/lib.rs", "w").write(f"""include!(concat!(env!("OUT_DIR"), "/i18n/mod.rs"));
use i18n::*;
use leptos::prelude::*;

#[component]
fn App() -> impl IntoView {{
    view! {{ <I18nContextProvider><Inner/></I18nContextProvider> }}
}}

#[component]
fn Inner() -> impl IntoView {{
    let i18n = use_i18n();
    view! {{
        <button on:click=move |_| i18n.set_locale(Locale::fi)>"fi"</button>
        <button on:click=move |_| i18n.set_locale(Locale::sv)>"sv"</button>
        <button on:click=move |_| i18n.set_locale(Locale::en)>"en"</button>
        <div>
{uses2}
        </div>
    }}
}}
""" + hydrate)
