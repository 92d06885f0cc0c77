//! The sign-in link: where the browser goes to sign in (or to sign in again with a second
//! factor) and come back to the page it was on. The server and the pages build it the same
//! way; the server accepts the return path only after its own same-origin check.

/// The path that starts a sign-in and returns to `return_to` (a local path with its query).
/// `step_up` asks the provider for a two-step sign-in.
pub fn sign_in_path(return_to: &str, step_up: bool) -> String {
    format!(
        "/auth/login?{}return_to={}",
        if step_up { "step_up=1&" } else { "" },
        encode_component(return_to)
    )
}

/// Percent-encodes a query parameter's value (RFC 3986 unreserved characters and `/` kept).
pub fn encode_component(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for b in s.bytes() {
        match b {
            b'A'..=b'Z' | b'a'..=b'z' | b'0'..=b'9' | b'-' | b'_' | b'.' | b'~' | b'/' => {
                out.push(char::from(b))
            }
            _ => out.push_str(&format!("%{b:02X}")),
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_return_path_survives_as_one_parameter() {
        assert_eq!(
            sign_in_path("/henkilo/AB?x=1&y=ä #z", false),
            "/auth/login?return_to=/henkilo/AB%3Fx%3D1%26y%3D%C3%A4%20%23z"
        );
        assert_eq!(sign_in_path("/", true), "/auth/login?step_up=1&return_to=/");
        assert_eq!(encode_component("a-Z_0.~/%\t"), "a-Z_0.~/%25%09");
    }
}
