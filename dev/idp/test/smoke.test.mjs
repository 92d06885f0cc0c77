// Smoke tests for the dev IdP: start server.mjs on a free loopback port and drive it
// like a browser (manual redirects, own cookie jar) plus a confidential RP back channel.
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import * as crypto from 'node:crypto';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { after, before, test } from 'node:test';
import { fileURLToPath } from 'node:url';

const SERVER = join(dirname(fileURLToPath(import.meta.url)), '..', 'server.mjs');
const CLIENT_ID = 'kysely-dev';
const CLIENT_SECRET = 'kysely-dev-secret-change-me';
const REDIRECT_URI = 'http://127.0.0.1:3000/auth/callback';
const POST_LOGOUT_URI = 'http://127.0.0.1:3000/auth/logged-out';
const ACR_1FA = 'urn:dev:loa:1fa';
const ACR_2FA = 'urn:dev:loa:2fa';

let child;
let stateDir;
let issuer;
let discovery;
let stderr = '';

function freePort() {
  return new Promise((resolve, reject) => {
    const srv = createServer().once('error', reject);
    srv.listen(0, '127.0.0.1', () => {
      const { port } = srv.address();
      srv.close(() => resolve(port));
    });
  });
}

before(async () => {
  stateDir = mkdtempSync(join(tmpdir(), 'dev-idp-test-'));
  issuer = `http://127.0.0.1:${await freePort()}`;
  child = spawn(process.execPath, [SERVER], {
    // Hermetic: ignore any OP_* settings of the caller's shell.
    env: {
      ...Object.fromEntries(Object.entries(process.env).filter(([k]) => !k.startsWith('OP_'))),
      OP_ISSUER: issuer,
      OP_STATE_DIR: stateDir,
    },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  child.stderr.setEncoding('utf8').on('data', (d) => { stderr += d; });
  // Readiness: the server's one stdout line, then discovery must answer. It starts in about a
  // second; on a busy shared machine it once took over 15 s (a fresh clone's `make test`), so
  // the limit is generous: it catches a provider that never starts, not a slow one.
  await new Promise((resolve, reject) => {
    let out = '';
    const timer = setTimeout(() => reject(new Error(`dev-idp not ready in 60 s\n${stderr}`)), 60000);
    child.stdout.setEncoding('utf8').on('data', (d) => {
      out += d;
      if (out.includes(`dev-idp listening on ${issuer}\n`)) { clearTimeout(timer); resolve(); }
    });
    child.once('exit', (code) => { clearTimeout(timer); reject(new Error(`dev-idp exited (${code})\n${stderr}`)); });
  });
  const res = await fetch(`${issuer}/.well-known/openid-configuration`);
  assert.equal(res.status, 200);
  discovery = await res.json();
});

after(async () => {
  if (child && child.exitCode === null && child.signalCode === null) {
    const exited = new Promise((resolve) => child.once('exit', resolve));
    child.kill('SIGTERM');
    await exited;
  }
  if (stateDir) rmSync(stateDir, { recursive: true, force: true });
});

// --- a tiny user agent --------------------------------------------------------------------
class Jar {
  cookies = new Map();

  store(res) {
    for (const line of res.headers.getSetCookie()) {
      const [pair, ...attrs] = line.split(';');
      const eq = pair.indexOf('=');
      const name = pair.slice(0, eq).trim();
      const value = pair.slice(eq + 1).trim();
      const expired = attrs.some((a) => {
        const [k, v] = a.trim().split('=');
        return (k.toLowerCase() === 'expires' && Date.parse(v) <= Date.now())
          || (k.toLowerCase() === 'max-age' && Number(v) <= 0);
      });
      if (expired || value === '') this.cookies.delete(name);
      else this.cookies.set(name, value);
    }
  }

  header() {
    return [...this.cookies].map(([k, v]) => `${k}=${v}`).join('; ');
  }
}

async function browse(jar, url, { method = 'GET', form } = {}) {
  const headers = { cookie: jar.header() };
  let body;
  if (form) {
    headers['content-type'] = 'application/x-www-form-urlencoded';
    body = new URLSearchParams(form).toString();
  }
  const res = await fetch(url, { method, headers, body, redirect: 'manual' });
  jar.store(res);
  const location = res.headers.get('location');
  return { status: res.status, location: location && new URL(location, url).href, html: await res.text() };
}

// Follow redirects while they stay on the OP; stop at the first page or at a URL off the OP.
async function follow(jar, start, init) {
  let r = await browse(jar, start, init);
  while (r.location && r.location.startsWith(`${issuer}/`)) r = await browse(jar, r.location);
  return r;
}

const b64url = (buf) => Buffer.from(buf).toString('base64url');

function authRequest(extra = {}) {
  const verifier = b64url(crypto.randomBytes(32));
  const params = {
    response_type: 'code',
    client_id: CLIENT_ID,
    redirect_uri: REDIRECT_URI,
    scope: 'openid profile email org',
    state: b64url(crypto.randomBytes(12)),
    nonce: b64url(crypto.randomBytes(12)),
    code_challenge: crypto.hash('sha256', verifier, 'base64url'),
    code_challenge_method: 'S256',
    ...extra,
  };
  for (const [k, v] of Object.entries(params)) if (v === undefined) delete params[k];
  return { verifier, params, url: `${discovery.authorization_endpoint}?${new URLSearchParams(params)}` };
}

const formAction = (html) => new URL(/<form id="login-form"[^>]*action="([^"]+)"/.exec(html)[1], issuer).href;
const inputValue = (html, id) => new RegExp(`<input id="${id}"[^>]*value="([^"]*)"`).exec(html)?.[1];
const unescape = (s) => s.replace(/&#(\d+);/g, (_, n) => String.fromCharCode(Number(n)));

async function openLogin(jar, extra) {
  const auth = authRequest(extra);
  const page = await follow(jar, auth.url);
  assert.equal(page.status, 200, `expected the login page, got ${page.status} ${page.location ?? ''}`);
  assert.match(page.html, /<form id="login-form"/);
  return { auth, page };
}

const submit = (jar, page, login, password, otp = '') => follow(jar, formAction(page.html), {
  method: 'POST', form: { login, password, otp },
});

function assertCallback(r, auth) {
  assert.equal(r.status, 303);
  const cb = new URL(r.location);
  assert.equal(`${cb.origin}${cb.pathname}`, REDIRECT_URI);
  assert.equal(cb.searchParams.get('iss'), issuer, 'RFC 9207 iss on the callback');
  assert.equal(cb.searchParams.get('state'), auth.params.state);
  return cb.searchParams;
}

const basicAuth = `Basic ${Buffer.from(
  `${encodeURIComponent(CLIENT_ID)}:${encodeURIComponent(CLIENT_SECRET)}`,
).toString('base64')}`;

async function token(form) {
  const res = await fetch(discovery.token_endpoint, {
    method: 'POST',
    headers: { authorization: basicAuth, 'content-type': 'application/x-www-form-urlencoded' },
    body: new URLSearchParams(form),
  });
  return { status: res.status, body: await res.json() };
}

const exchange = (code, verifier) => token({
  grant_type: 'authorization_code', code, redirect_uri: REDIRECT_URI, code_verifier: verifier,
});

async function verifyIdToken(jwt) {
  const [h, p, s] = jwt.split('.');
  const header = JSON.parse(Buffer.from(h, 'base64url'));
  const jwks = await (await fetch(discovery.jwks_uri)).json();
  const jwk = jwks.keys.find((k) => k.kid === header.kid);
  assert.ok(jwk, 'kid of the ID token is in the JWKS');
  assert.equal(header.alg, 'RS256');
  const ok = crypto.verify('sha256', Buffer.from(`${h}.${p}`), crypto.createPublicKey({ key: jwk, format: 'jwk' }),
    Buffer.from(s, 'base64url'));
  assert.ok(ok, 'ID token signature verifies');
  return JSON.parse(Buffer.from(p, 'base64url'));
}

async function fullLogin(jar, username, password, otp, extra) {
  const { auth, page } = await openLogin(jar, extra);
  const cb = assertCallback(await submit(jar, page, username, password, otp), auth);
  const tok = await exchange(cb.get('code'), auth.verifier);
  assert.equal(tok.status, 200, JSON.stringify(tok.body));
  return { auth, tok, claims: await verifyIdToken(tok.body.id_token) };
}

// --- tests ---------------------------------------------------------------------------------
test('discovery and persisted signing key', async () => {
  assert.equal(discovery.issuer, issuer);
  assert.deepEqual(discovery.code_challenge_methods_supported, ['S256']);
  assert.deepEqual(discovery.response_types_supported, ['code']);
  assert.deepEqual(discovery.acr_values_supported, [ACR_1FA, ACR_2FA]);
  assert.ok(discovery.end_session_endpoint && discovery.revocation_endpoint);
  assert.equal(discovery.authorization_response_iss_parameter_supported, true);
  const file = join(stateDir, 'dev-jwks.json');
  assert.ok(existsSync(file), 'dev-jwks.json written to OP_STATE_DIR');
  const saved = JSON.parse(readFileSync(file, 'utf8')).keys[0];
  const jwks = await (await fetch(discovery.jwks_uri)).json();
  assert.deepEqual(jwks.keys.map((k) => k.kid), [saved.kid]);
  assert.equal(jwks.keys[0].d, undefined, 'no private parts published');
});

test('bob: code flow with PKCE gives ID token with org claims', async () => {
  const jar = new Jar();
  const { auth, page } = await openLogin(jar, { login_hint: 'bob' });
  assert.equal(inputValue(page.html, 'username'), 'bob', 'login_hint prefills #username');
  for (const id of ['password', 'otp', 'abort']) assert.match(page.html, new RegExp(`id="${id}"`));
  assert.match(page.html, /<label for="otp">One-time code \(if required\)<\/label>/);
  assert.match(page.html, /<button id="sign-in" type="submit">Sign in<\/button>/);
  assert.match(page.html, /<html lang="en">/);

  const cb = assertCallback(await submit(jar, page, 'bob', 'bob-pw'), auth);
  assert.ok(cb.get('code'));
  const tok = await exchange(cb.get('code'), auth.verifier);
  assert.equal(tok.status, 200, JSON.stringify(tok.body));
  assert.ok(tok.body.access_token && tok.body.refresh_token);
  assert.equal(tok.body.expires_in, 600);
  const c = await verifyIdToken(tok.body.id_token);
  assert.equal(c.iss, issuer);
  assert.equal(c.aud, CLIENT_ID);
  assert.equal(c.sub, 'u-bob');
  assert.equal(c.name, 'Bob Backman');
  assert.equal(c.preferred_username, 'bob');
  assert.equal(c.email, 'bob@espoo.example');
  assert.equal(c.org_id, 'espoo');
  assert.equal(c.org_name, 'Espoon kaupunki');
  assert.equal(c.roles, undefined, 'no roles claim: rights come from the registry, not the token');
  assert.equal(c.acr, ACR_1FA);
  assert.deepEqual(c.amr, ['pwd']);
  assert.equal(c.nonce, auth.params.nonce);
  assert.equal(c.exp - c.iat, 600);
  assert.ok(jar.cookies.has('op_session'), 'OP session cookie is named op_session');

  // The code is single-use.
  const replay = await exchange(cb.get('code'), auth.verifier);
  assert.equal(replay.status, 400);
  assert.equal(replay.body.error, 'invalid_grant');
});

test('refresh token and revocation', async () => {
  const { tok, claims } = await fullLogin(new Jar(), 'carol', 'carol-pw');
  const refreshed = await token({ grant_type: 'refresh_token', refresh_token: tok.body.refresh_token });
  assert.equal(refreshed.status, 200, JSON.stringify(refreshed.body));
  const c2 = await verifyIdToken(refreshed.body.id_token);
  assert.equal(c2.sub, claims.sub);
  assert.equal(c2.org_id, 'isannointi-oy');

  const rev = await fetch(discovery.revocation_endpoint, {
    method: 'POST',
    headers: { authorization: basicAuth, 'content-type': 'application/x-www-form-urlencoded' },
    body: new URLSearchParams({ token: tok.body.refresh_token, token_type_hint: 'refresh_token' }),
  });
  assert.equal(rev.status, 200);
  const revoked = await token({ grant_type: 'refresh_token', refresh_token: tok.body.refresh_token });
  assert.equal(revoked.status, 400);
  assert.equal(revoked.body.error, 'invalid_grant');
});

test('wrong password shows #login-error and keeps the username', async () => {
  const jar = new Jar();
  const { page } = await openLogin(jar);
  const r = await submit(jar, page, 'bob', 'not-the-password');
  assert.equal(r.status, 200);
  assert.match(r.html, /<p id="login-error" role="alert">Invalid username or password\.<\/p>/);
  assert.equal(inputValue(r.html, 'username'), 'bob');
  assert.match(r.html, /<form id="login-form"/);
});

test('alice (mfa_required): refused without one-time code, 2FA with it', async () => {
  const jar = new Jar();
  const { auth, page } = await openLogin(jar);
  const noOtp = await submit(jar, page, 'alice', 'alice-pw');
  assert.equal(noOtp.status, 200);
  assert.match(noOtp.html, /id="login-error" role="alert">One-time code required\./);
  const wrongOtp = await submit(jar, noOtp, 'alice', 'alice-pw', '000000');
  assert.match(wrongOtp.html, /id="login-error" role="alert">Invalid one-time code\./);

  const cb = assertCallback(await submit(jar, wrongOtp, 'alice', 'alice-pw', '123456'), auth);
  const tok = await exchange(cb.get('code'), auth.verifier);
  const c = await verifyIdToken(tok.body.id_token);
  assert.equal(c.sub, 'u-alice');
  assert.equal(c.acr, ACR_2FA);
  assert.deepEqual(c.amr, ['pwd', 'otp', 'mfa']);
  assert.equal(c.roles, undefined);
});

test('step-up: acr_values=2fa requires the code, also over an existing 1FA session', async () => {
  const jar = new Jar();
  const first = await fullLogin(jar, 'dora', 'dora-pw');
  assert.equal(first.claims.acr, ACR_1FA);

  // Same browser session, RP now asks for 2FA: the login page must come back (no silent SSO).
  const { auth, page } = await openLogin(jar, { acr_values: ACR_2FA });
  assert.equal(inputValue(page.html, 'username'), 'dora', 'session user prefilled');
  const noOtp = await submit(jar, page, 'dora', 'dora-pw');
  assert.match(noOtp.html, /id="login-error" role="alert">One-time code required\./);
  const cb = assertCallback(await submit(jar, noOtp, 'dora', 'dora-pw', '111111'), auth);
  const c = await verifyIdToken((await exchange(cb.get('code'), auth.verifier)).body.id_token);
  assert.equal(c.sub, 'u-dora');
  assert.equal(c.acr, ACR_2FA);
  assert.deepEqual(c.amr, ['pwd', 'otp', 'mfa']);

  // Now the session is 2FA: SSO without a login page.
  const again = authRequest({ acr_values: ACR_2FA });
  assertCallback(await follow(jar, again.url), again);
});

test('abort returns access_denied to the RP', async () => {
  const jar = new Jar();
  const { auth, page } = await openLogin(jar);
  const abortHref = /<a id="abort" href="([^"]+)"/.exec(page.html)[1];
  const cb = assertCallback(await follow(jar, new URL(abortHref, issuer).href), auth);
  assert.equal(cb.get('error'), 'access_denied');
  assert.equal(cb.get('code'), null);
});

test('missing PKCE challenge is refused', async () => {
  const auth = authRequest({ code_challenge: undefined, code_challenge_method: undefined });
  const cb = assertCallback(await follow(new Jar(), auth.url), auth);
  assert.equal(cb.get('error'), 'invalid_request');
  assert.match(cb.get('error_description'), /PKCE/);
  assert.equal(cb.get('code'), null);

  const plain = authRequest({ code_challenge_method: 'plain' });
  const cb2 = assertCallback(await follow(new Jar(), plain.url), plain);
  assert.equal(cb2.get('error'), 'invalid_request');
});

test('wrong code_verifier gives invalid_grant', async () => {
  const jar = new Jar();
  const { auth, page } = await openLogin(jar);
  const cb = assertCallback(await submit(jar, page, 'carol', 'carol-pw'), auth);
  const tok = await exchange(cb.get('code'), b64url(crypto.randomBytes(32)));
  assert.equal(tok.status, 400);
  assert.equal(tok.body.error, 'invalid_grant');
});

test('unregistered redirect_uri is refused without redirecting', async () => {
  const auth = authRequest({ redirect_uri: 'http://127.0.0.1:3000/evil' });
  const r = await browse(new Jar(), auth.url);
  assert.equal(r.status, 400);
  assert.equal(r.location, null);
  const err = JSON.parse(unescape(/<pre id="op-error">([^<]*)<\/pre>/.exec(r.html)[1]));
  assert.equal(err.error, 'invalid_redirect_uri');
});

test('RP-initiated logout with post_logout_redirect_uri and state', async () => {
  const jar = new Jar();
  const { tok } = await fullLogin(jar, 'bob', 'bob-pw');
  const state = b64url(crypto.randomBytes(8));
  const url = `${discovery.end_session_endpoint}?${new URLSearchParams({
    id_token_hint: tok.body.id_token, post_logout_redirect_uri: POST_LOGOUT_URI, state,
  })}`;
  const confirm = await browse(jar, url);
  assert.equal(confirm.status, 200);
  assert.match(confirm.html, /<button id="logout-yes"[^>]*>Sign out<\/button>/);
  assert.doesNotMatch(confirm.html, /id="logout-no"/, 'no "stay signed in" to choose');
  assert.match(confirm.html, /<input type="hidden" name="logout" value="yes" form="op.logoutForm">/);
  assert.match(confirm.html, /\.submit\(\)/, 'the form submits itself');
  const action = /<form id="op.logoutForm" method="post" action="([^"]+)"/.exec(confirm.html)[1];
  const xsrf = /name="xsrf" value="([^"]+)"/.exec(confirm.html)[1];

  const r = await browse(jar, action, { method: 'POST', form: { xsrf, logout: 'yes' } });
  assert.equal(r.status, 303);
  assert.equal(r.location, `${POST_LOGOUT_URI}?state=${state}`);
  assert.ok(!jar.cookies.has('op_session'), 'op_session cookie cleared');

  // The OP session is gone: prompt=none now fails with login_required.
  const silent = authRequest({ prompt: 'none' });
  assert.equal(assertCallback(await follow(jar, silent.url), silent).get('error'), 'login_required');
  // The refresh token died with the session (no offline_access).
  const refreshed = await token({ grant_type: 'refresh_token', refresh_token: tok.body.refresh_token });
  assert.equal(refreshed.body.error, 'invalid_grant');
});

test('the pages speak the language the application asks for (ui_locales)', async () => {
  const fi = await openLogin(new Jar(), { ui_locales: 'fi' });
  assert.match(fi.page.html, /<html lang="fi">/);
  assert.match(fi.page.html, /<button id="sign-in" type="submit">Kirjaudu sisään<\/button>/);
  const sv = await openLogin(new Jar(), { ui_locales: 'sv-FI en' });
  assert.match(sv.page.html, /<button id="sign-in" type="submit">Logga in<\/button>/);
  const jar = new Jar();
  await fullLogin(jar, 'carol', 'carol-pw');
  const confirm = await browse(jar, `${discovery.end_session_endpoint}?${new URLSearchParams({
    client_id: CLIENT_ID, post_logout_redirect_uri: POST_LOGOUT_URI, state: 's1', ui_locales: 'fi',
  })}`);
  assert.equal(confirm.status, 200);
  assert.match(confirm.html, /<html lang="fi">/);
  assert.match(confirm.html, />Kirjaudu ulos<\/button>/);
});

test('logout without post_logout_redirect_uri ends on #signed-out', async () => {
  const jar = new Jar();
  await fullLogin(jar, 'carol', 'carol-pw');
  const confirm = await browse(jar, discovery.end_session_endpoint);
  const action = /<form id="op.logoutForm" method="post" action="([^"]+)"/.exec(confirm.html)[1];
  const xsrf = /name="xsrf" value="([^"]+)"/.exec(confirm.html)[1];
  const r = await follow(jar, action, { method: 'POST', form: { xsrf, logout: 'yes' } });
  assert.equal(r.status, 200);
  assert.match(r.html, /id="signed-out"/);
});

test('SSO reuses the session; prompt=login and max_age=0 force the login page; userinfo', async () => {
  const jar = new Jar();
  const { tok } = await fullLogin(jar, 'bob', 'bob-pw', '654321');
  const sso = authRequest();
  assertCallback(await follow(jar, sso.url), sso);
  for (const extra of [{ prompt: 'login' }, { max_age: '0' }]) {
    const r = await follow(jar, authRequest(extra).url);
    assert.equal(r.status, 200, JSON.stringify(extra));
    assert.match(r.html, /<form id="login-form"/);
  }
  const me = await fetch(discovery.userinfo_endpoint, {
    headers: { authorization: `Bearer ${tok.body.access_token}` },
  });
  assert.equal(me.status, 200);
  const info = await me.json();
  assert.equal(info.sub, 'u-bob');
  assert.equal(info.org_name, 'Espoon kaupunki');
  assert.equal(info.roles, undefined);
});
