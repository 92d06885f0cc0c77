// Development OpenID Connect provider (oidc-provider 9.x) for local dev and e2e tests.
// NOT FOR PRODUCTION: static demo accounts with known passwords, in-memory storage.
// Env: OP_ISSUER, OP_CONFIG, OP_KEYS, OP_STATE_DIR, OP_COOKIE_KEY (see README.md).
import * as crypto from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:http';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import Provider, { interactionPolicy } from 'oidc-provider';

const here = dirname(fileURLToPath(import.meta.url));
const env = process.env;
const ISSUER = env.OP_ISSUER || 'http://127.0.0.1:4444';
const CONFIG = resolve(env.OP_CONFIG || join(here, 'dev-config.json'));
const STATE_DIR = env.OP_STATE_DIR ? resolve(env.OP_STATE_DIR) : here;
const KEYS = resolve(env.OP_KEYS || join(STATE_DIR, 'dev-jwks.json'));
const COOKIE_KEY = env.OP_COOKIE_KEY || 'dev-idp-cookie-key-not-a-secret';
const ACR_1FA = 'urn:dev:loa:1fa';
const ACR_2FA = 'urn:dev:loa:2fa';

const fail = (msg) => { console.error(`dev-idp: ${msg}`); process.exit(2); };
const issuerUrl = URL.parse(ISSUER);
if (!issuerUrl || issuerUrl.protocol !== 'http:' || issuerUrl.pathname !== '/' || ISSUER.endsWith('/')) {
  fail(`OP_ISSUER must look like http://127.0.0.1:4444 (http, no path, no trailing slash), got ${ISSUER}`);
}
const host = issuerUrl.hostname.replace(/^\[|\]$/g, '');
if (!/^(127\.\d+\.\d+\.\d+|::1|localhost)$/.test(host)) fail(`refusing non-loopback issuer host ${host}`);
const port = Number(issuerUrl.port || 80);

let clients;
let accounts;
try {
  ({ clients, accounts } = JSON.parse(readFileSync(CONFIG, 'utf8')));
} catch (err) {
  fail(`cannot read OP_CONFIG ${CONFIG}: ${err.message}`);
}
const bySub = new Map(accounts.map((a) => [a.sub, a]));
const byUsername = new Map(accounts.map((a) => [a.username, a]));

// Signing key: generated once, persisted so the kid (and RPs' cached JWKS) stay valid across restarts.
function loadOrCreateJwks(file) {
  if (existsSync(file)) return JSON.parse(readFileSync(file, 'utf8'));
  const { privateKey } = crypto.generateKeyPairSync('rsa', { modulusLength: 2048 });
  const jwk = privateKey.export({ format: 'jwk' });
  const kid = crypto.hash('sha256', JSON.stringify({ e: jwk.e, kty: 'RSA', n: jwk.n }), 'base64url');
  const jwks = { keys: [{ ...jwk, kid, alg: 'RS256', use: 'sig' }] };
  mkdirSync(dirname(file), { recursive: true });
  writeFileSync(`${file}.tmp`, `${JSON.stringify(jwks, null, 2)}\n`, { mode: 0o600 });
  renameSync(`${file}.tmp`, file);
  console.error(`dev-idp: generated signing key ${kid} in ${file}`);
  return jwks;
}

const esc = (s) => String(s ?? '').replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);

// The pages speak the relying party's user's language (`ui_locales`), as a real provider does.
const TEXTS = {
  en: {
    signIn: 'Sign in', to: 'to', otpNeeded: 'this sign-in requires a one-time code', username: 'Username',
    password: 'Password', otp: 'One-time code (if required)', cancel: 'Cancel and return to the application',
    signOut: 'Sign out', signingOut: 'Signing you out of the development identity provider…',
    signedOut: 'You have been signed out', note: 'Development identity provider — demo accounts only.',
    badLogin: 'Invalid username or password.', badOtp: 'Invalid one-time code.', otpRequired: 'One-time code required.',
  },
  fi: {
    signIn: 'Kirjaudu sisään', to: 'palveluun', otpNeeded: 'tämä kirjautuminen vaatii kertakäyttökoodin',
    username: 'Käyttäjätunnus', password: 'Salasana', otp: 'Kertakäyttökoodi (jos vaaditaan)',
    cancel: 'Peruuta ja palaa palveluun', signOut: 'Kirjaudu ulos',
    signingOut: 'Sinua kirjataan ulos kehityskäytön tunnistuspalvelusta…', signedOut: 'Olet kirjautunut ulos',
    note: 'Kehityskäytön tunnistuspalvelu – vain esittelytunnuksia.',
    badLogin: 'Väärä käyttäjätunnus tai salasana.', badOtp: 'Väärä kertakäyttökoodi.', otpRequired: 'Kertakäyttökoodi vaaditaan.',
  },
  sv: {
    signIn: 'Logga in', to: 'till', otpNeeded: 'den här inloggningen kräver en engångskod', username: 'Användarnamn',
    password: 'Lösenord', otp: 'Engångskod (om det krävs)', cancel: 'Avbryt och återvänd till tjänsten',
    signOut: 'Logga ut', signingOut: 'Du loggas ut från identifieringstjänsten för utveckling…',
    signedOut: 'Du har loggats ut', note: 'Identifieringstjänst för utveckling – endast demokonton.',
    badLogin: 'Fel användarnamn eller lösenord.', badOtp: 'Fel engångskod.', otpRequired: 'Engångskod krävs.',
  },
};
const langOf = (uiLocales) => (String(uiLocales ?? '').split(' ')
  .map((tag) => tag.split('-')[0].toLowerCase()).find((l) => TEXTS[l])) || 'en';

const page = (title, body, lang = 'en') => `<!DOCTYPE html>
<html lang="${lang}"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">
<title>${esc(title)} · dev-idp</title>
<style>body{font-family:system-ui,sans-serif;max-width:26rem;margin:2rem auto;padding:0 1rem;line-height:1.4}
label{display:block;margin-top:.8rem}input{display:block;width:100%;box-sizing:border-box;padding:.4rem;font-size:1rem}
button{margin-top:1rem;padding:.5rem 1rem;font-size:1rem}[role=alert]{color:#a00;font-weight:bold}
pre{white-space:pre-wrap;word-break:break-word;background:#f4f4f4;padding:.5rem}.note{color:#555;font-size:.9rem}</style>
</head><body><main>
<p class="note">${TEXTS[lang].note}</p>
${body}
</main></body></html>`;

function loginPage(uid, { username = '', error, stepUp, client, lang = 'en' }) {
  const t = TEXTS[lang];
  return page(t.signIn, `<h1>${t.signIn}</h1>
<p>${t.to} <strong>${esc(client)}</strong>${stepUp ? ` — ${t.otpNeeded}` : ''}</p>
${error ? `<p id="login-error" role="alert">${esc(error)}</p>` : ''}
<form id="login-form" method="post" action="/interaction/${esc(uid)}/login" autocomplete="off">
<label for="username">${t.username}</label>
<input id="username" name="login" type="text" value="${esc(username)}" required autocapitalize="off"${username ? '' : ' autofocus'}>
<label for="password">${t.password}</label>
<input id="password" name="password" type="password" required${username ? ' autofocus' : ''}>
<label for="otp">${t.otp}</label>
<input id="otp" name="otp" type="text" inputmode="numeric" autocomplete="one-time-code">
<button id="sign-in" type="submit">${t.signIn}</button>
</form>
<p><a id="abort" href="/interaction/${esc(uid)}/abort">${t.cancel}</a></p>`, lang);
}

const errorPage = (out) => page('Error', `<h1>Something went wrong</h1>
<pre id="op-error">${esc(JSON.stringify(out, null, 2))}</pre>`);

const sameSecret = (a, b) => crypto.timingSafeEqual(
  crypto.hash('sha256', String(a), 'buffer'), crypto.hash('sha256', String(b), 'buffer'));

// Step-up: the RP asked for 2FA via acr_values but the current session is only 1FA.
const policy = interactionPolicy.base();
policy.get('login').checks.add(new interactionPolicy.Check(
  'acr_step_up', 'requested authentication level requires a one-time code', (ctx) => {
    const requested = ctx.oidc.params.acr_values?.split(' ') ?? [];
    if (!requested.includes(ACR_2FA) || ctx.oidc.result?.login) return false;
    return ctx.oidc.session.acr !== ACR_2FA;
  },
));

const provider = new Provider(ISSUER, {
  clients,
  jwks: loadOrCreateJwks(KEYS),
  cookies: {
    keys: [COOKIE_KEY],
    names: { session: 'op_session', interaction: 'op_interaction', resume: 'op_resume' },
  },
  findAccount(ctx, sub) {
    const account = bySub.get(sub);
    if (!account) return undefined;
    return { accountId: sub, claims: async () => ({ sub, preferred_username: account.username, ...account.claims }) };
  },
  scopes: ['openid', 'offline_access', 'profile', 'email', 'org'],
  claims: {
    openid: ['sub', 'acr', 'amr', 'auth_time'],
    profile: ['name', 'preferred_username'],
    email: ['email', 'email_verified'],
    org: ['org_id', 'org_name'],
    sid: null,
    iss: null,
  },
  acrValues: [ACR_1FA, ACR_2FA],
  conformIdTokenClaims: false,
  responseTypes: ['code'],
  pkce: { required: () => true }, // S256 is the only method oidc-provider 9 supports
  allowOmittingSingleRegisteredRedirectUri: false,
  clientBasedCORS: () => false,
  clientAuthMethods: ['client_secret_basic', 'client_secret_post', 'none'],
  issueRefreshToken: async (ctx, client) => client.grantTypeAllowed('refresh_token'),
  // First-party clients only: grant whatever was requested, never show a consent page.
  async loadExistingGrant(ctx) {
    const { Grant } = ctx.oidc.provider;
    const grantId = ctx.oidc.result?.consent?.grantId || ctx.oidc.session.grantIdFor(ctx.oidc.client.clientId);
    const grant = (grantId && await Grant.find(grantId))
      || new Grant({ clientId: ctx.oidc.client.clientId, accountId: ctx.oidc.session.accountId });
    grant.addOIDCScope([...ctx.oidc.requestParamOIDCScopes].join(' '));
    if (ctx.oidc.requestParamClaims.size) grant.addOIDCClaims([...ctx.oidc.requestParamClaims]);
    await grant.save();
    return grant;
  },
  features: {
    devInteractions: { enabled: false },
    revocation: { enabled: true },
    rpInitiatedLogout: {
      enabled: true,
      // No question the user could dismiss ("stay signed in" left the provider session alive
      // behind an app that said it had signed out): the sign-out form submits itself, and
      // without scripts its only button signs out.
      async logoutSource(ctx, form) {
        const lang = langOf(ctx.oidc.params.ui_locales);
        const t = TEXTS[lang];
        ctx.body = page(t.signOut, `<h1>${t.signOut}</h1>
<p>${t.signingOut}</p>
${form}
<input type="hidden" name="logout" value="yes" form="op.logoutForm">
<button id="logout-yes" type="submit" form="op.logoutForm" name="logout" value="yes" autofocus>${t.signOut}</button>
<script>document.getElementById('op.logoutForm').submit();</script>`, lang);
      },
      async postLogoutSuccessSource(ctx) {
        const lang = langOf(ctx.oidc.params.ui_locales);
        ctx.body = page(TEXTS[lang].signedOut, `<h1 id="signed-out">${TEXTS[lang].signedOut}</h1>`, lang);
      },
    },
  },
  interactions: { policy, url: (ctx, interaction) => `/interaction/${interaction.uid}` },
  async renderError(ctx, out) {
    ctx.type = 'html';
    ctx.body = errorPage(out);
  },
  ttl: {
    AuthorizationCode: 60,
    AccessToken: 600,
    IdToken: 600,
    RefreshToken: 8 * 3600,
    Session: 8 * 3600,
    Grant: 8 * 3600,
    Interaction: 600,
  },
});
provider.on('server_error', (ctx, err) => console.error('dev-idp server_error:', err));

function send(res, status, html) {
  res.writeHead(status, {
    'content-type': 'text/html; charset=utf-8', 'cache-control': 'no-store', 'x-frame-options': 'DENY',
  });
  res.end(html);
}

async function readForm(req) {
  let body = '';
  for await (const chunk of req) {
    body += chunk;
    if (body.length > 16384) throw new Error('request body too large');
  }
  return new URLSearchParams(body);
}

function checkLogin(account, password, otp, stepUp) {
  if (!account || !sameSecret(account.password, password)) return { error: 'badLogin' };
  if (otp) {
    if (!account.otp || !sameSecret(account.otp, otp)) return { error: 'badOtp' };
    return { acr: ACR_2FA, amr: ['pwd', 'otp', 'mfa'] };
  }
  if (stepUp) return { error: 'otpRequired' };
  return { acr: ACR_1FA, amr: ['pwd'] };
}

async function interaction(req, res, uid, action) {
  const details = await provider.interactionDetails(req, res);
  if (details.uid !== uid) return send(res, 400, errorPage({ error: 'invalid_request', error_description: 'interaction mismatch' }));
  if (action === 'abort') {
    return provider.interactionFinished(req, res, {
      error: 'access_denied', error_description: 'End-User aborted interaction',
    }, { mergeWithLastSubmission: false });
  }
  if (details.prompt.name !== 'login') {
    return send(res, 400, errorPage({ error: 'server_error', error_description: `unexpected prompt ${details.prompt.name}` }));
  }
  const stepUp = (details.params.acr_values ?? '').split(' ').includes(ACR_2FA);
  const lang = langOf(details.params.ui_locales);
  const client = (await provider.Client.find(details.params.client_id))?.clientName || details.params.client_id;
  if (req.method === 'GET' && !action) {
    const username = details.params.login_hint || bySub.get(details.session?.accountId)?.username;
    return send(res, 200, loginPage(uid, { username, stepUp, client, lang }));
  }
  if (req.method !== 'POST' || action !== 'login') return send(res, 405, errorPage({ error: 'invalid_request' }));
  const form = await readForm(req);
  const username = (form.get('login') ?? '').trim();
  const account = byUsername.get(username);
  const result = checkLogin(account, form.get('password') ?? '', (form.get('otp') ?? '').trim(),
    stepUp || Boolean(account?.mfa_required));
  if (result.error) return send(res, 200, loginPage(uid, { username, error: TEXTS[lang][result.error], stepUp, client, lang }));
  return provider.interactionFinished(req, res, {
    login: { accountId: account.sub, acr: result.acr, amr: result.amr, remember: false },
  }, { mergeWithLastSubmission: false });
}

const callback = provider.callback();
const server = createServer(async (req, res) => {
  const m = /^\/interaction\/([\w-]+)(?:\/(login|abort))?\/?$/.exec(URL.parse(req.url, ISSUER)?.pathname ?? '');
  if (!m) return callback(req, res);
  try {
    await interaction(req, res, m[1], m[2]);
  } catch (err) {
    const expired = err.name === 'SessionNotFound';
    if (!expired) console.error('dev-idp interaction error:', err);
    if (!res.headersSent) {
      send(res, expired ? 400 : 500, errorPage({
        error: expired ? 'invalid_request' : 'server_error',
        error_description: expired ? 'the sign-in request has expired or its cookie is missing; start again from the application' : 'internal error',
      }));
    }
  }
});

server.listen(port, host, () => console.log(`dev-idp listening on ${ISSUER}`));
server.on('error', (err) => fail(`cannot listen on ${host}:${port}: ${err.message}`));

function shutdown(signal) {
  console.error(`dev-idp: ${signal}, closing`);
  server.close(() => process.exit(0));
  server.closeAllConnections();
  setTimeout(() => process.exit(0), 2000).unref();
}
process.on('SIGTERM', () => shutdown('SIGTERM'));
process.on('SIGINT', () => shutdown('SIGINT'));
