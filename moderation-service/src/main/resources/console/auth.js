// Sign-in for the moderator console: the local sign-in of a development stack, and OpenID Connect (authorization code
// with PKCE S256) against the site's identity provider. Tokens live in this module's variables only: a reload or a
// closed tab forgets them. Only the PKCE verifier, state and nonce survive the redirect, in sessionStorage.

const CONFIG_URL = '/moderate/config.json';
const LOCAL_SIGN_IN_URL = '/moderate/local-sign-in';
const PENDING_KEY = 'talkback.console.oidc';
// renew this long before expiry, so that no request goes out with a token about to lapse
const RENEW_BEFORE_MS = 60_000;

let configPromise = null;
let session = null;
let expiryTimer = null;
let renewTimer = null;
const listeners = new Set();

export async function loadConfig() {
  if (!configPromise) {
    configPromise = fetch(CONFIG_URL, { headers: { Accept: 'application/json' }, cache: 'no-store' })
      .then(async (response) => {
        if (!response.ok) {
          throw new Error(`The console's configuration could not be loaded (HTTP ${response.status}).`);
        }
        return response.json();
      })
      .catch((error) => {
        // a failed load must not stick: the next call tries again
        configPromise = null;
        throw error;
      });
  }
  return configPromise;
}

export function currentSession() {
  if (session && session.expiresAt <= Date.now()) {
    // a timer may fire late (a sleeping laptop): the clock decides
    expire();
  }
  return session;
}

export function onSessionChange(listener) {
  listeners.add(listener);
  return () => listeners.delete(listener);
}

/**
 * Ends the session here and, after a provider sign-in, at the provider too when it offers RP-initiated logout
 * (end_session_endpoint): on a shared computer the next person must not be one click away from the last one's
 * session. The provider sends the browser back to the console's sign-in screen.
 */
export async function signOut() {
  const hint = idToken;
  const atProvider = session && session.provider === 'oidc';
  setSession(null);
  if (!atProvider) {
    return;
  }
  try {
    const [config, provider] = [await loadConfig(), await discovery()];
    if (provider.end_session_endpoint) {
      const url = new URL(provider.end_session_endpoint);
      if (hint) {
        url.searchParams.set('id_token_hint', hint);
      }
      url.searchParams.set('client_id', config.clientId);
      url.searchParams.set('post_logout_redirect_uri', redirectUri());
      location.assign(url.toString());
    }
  } catch {
    // signed out here in any case; the provider's session ends with its own timeout
  }
}

export async function signInLocally(name, role) {
  const response = await fetch(LOCAL_SIGN_IN_URL, {
    method: 'POST',
    headers: { 'Content-Type': 'application/json', Accept: 'application/json' },
    body: JSON.stringify({ name, role }),
  });
  const body = await response.json().catch(() => null);
  if (!response.ok) {
    if (response.status === 404) {
      throw new Error('Local sign-in is not available on this server.');
    }
    const fieldErrors = (body && Array.isArray(body.errors))
      ? body.errors.map((e) => `${e.field}: ${e.message}`).join('; ') : '';
    throw new Error(fieldErrors || (body && (body.detail || body.title)) || `Sign-in failed (HTTP ${response.status}).`);
  }
  const claims = decodeJwt(body.accessToken) || {};
  setSession({
    token: body.accessToken,
    name: body.name || nameOf(claims),
    roles: Array.isArray(body.roles) ? body.roles : rolesOf(claims),
    expiresAt: expiryOf(body.expiresIn, claims),
    provider: 'local',
  });
  return session;
}

// ---- OpenID Connect (self-contained below: discovery, PKCE, code exchange, renewal) ----

let discoveryPromise = null;
let refreshToken = null;
// the provider's identity token of this session, for its logout (id_token_hint); in memory like the rest
let idToken = null;

async function discovery() {
  const config = await loadConfig();
  if (!config.issuer) {
    throw new Error('No identity provider is configured.');
  }
  if (!discoveryPromise) {
    const url = config.issuer.replace(/\/+$/, '') + '/.well-known/openid-configuration';
    discoveryPromise = fetch(url, { headers: { Accept: 'application/json' } })
      .then(async (response) => {
        if (!response.ok) {
          throw new Error(`The identity provider could not be reached (HTTP ${response.status}).`);
        }
        const document = await response.json();
        if (!document.authorization_endpoint || !document.token_endpoint) {
          throw new Error("The identity provider's discovery document names no authorization or token endpoint.");
        }
        // OpenID Connect Discovery 4.3: the document must name the issuer it was fetched for (the server checks the
        // same for its tokens); endpoints from a document of another issuer are not to be trusted with a code
        if (document.issuer !== config.issuer) {
          throw new Error(`The identity provider's discovery document is for another issuer (${document.issuer}).`);
        }
        return document;
      })
      .catch((error) => {
        discoveryPromise = null;
        if (error instanceof TypeError) {
          throw new Error('The identity provider could not be reached.');
        }
        throw error;
      });
  }
  return discoveryPromise;
}

function redirectUri() {
  return location.origin + '/moderate/';
}

export async function signInWithProvider() {
  const config = await loadConfig();
  const provider = await discovery();
  const verifier = randomString(32);
  const state = randomString(16);
  const nonce = randomString(16);
  const challenge = base64Url(new Uint8Array(await crypto.subtle.digest('SHA-256', new TextEncoder().encode(verifier))));
  sessionStorage.setItem(PENDING_KEY, JSON.stringify({ verifier, state, nonce, returnTo: location.hash }));
  const url = new URL(provider.authorization_endpoint);
  url.searchParams.set('response_type', 'code');
  url.searchParams.set('client_id', config.clientId);
  url.searchParams.set('redirect_uri', redirectUri());
  url.searchParams.set('scope', config.scope || 'openid');
  url.searchParams.set('state', state);
  url.searchParams.set('nonce', nonce);
  url.searchParams.set('code_challenge', challenge);
  url.searchParams.set('code_challenge_method', 'S256');
  location.assign(url.toString());
}

export async function restoreSession() {
  const params = new URLSearchParams(location.search);
  if (!params.has('state') || !(params.has('code') || params.has('error'))) {
    return session;
  }
  const pending = JSON.parse(sessionStorage.getItem(PENDING_KEY) || 'null');
  sessionStorage.removeItem(PENDING_KEY);
  // the code is single-use and must not stay in the address bar or the history
  history.replaceState(null, '', location.pathname + ((pending && pending.returnTo) || ''));
  if (params.has('error')) {
    throw new Error(`The identity provider did not sign you in: ${params.get('error_description') || params.get('error')}`);
  }
  if (!pending || pending.state !== params.get('state')) {
    throw new Error('This sign-in response was not started here (state mismatch); sign in again.');
  }
  const config = await loadConfig();
  const tokens = await tokenRequest({
    grant_type: 'authorization_code',
    code: params.get('code'),
    redirect_uri: redirectUri(),
    client_id: config.clientId,
    code_verifier: pending.verifier,
  });
  const idClaims = tokens.id_token ? decodeJwt(tokens.id_token) : null;
  if (idClaims && idClaims.nonce !== pending.nonce) {
    throw new Error('The identity token does not answer this sign-in (nonce mismatch); sign in again.');
  }
  // the identity token names who signed in: only if this issuer issued it for this console (OpenID Connect Core
  // 3.1.3.7; its signature is not checked here: it came straight from the token endpoint over the connection)
  const audience = idClaims && (Array.isArray(idClaims.aud) ? idClaims.aud : [idClaims.aud]);
  if (idClaims && (idClaims.iss !== (await discovery()).issuer || !audience.includes(config.clientId))) {
    throw new Error('The identity token was not issued for this console; sign in again.');
  }
  acceptTokens(tokens, idClaims);
  return session;
}

async function tokenRequest(form) {
  const provider = await discovery();
  let response;
  try {
    response = await fetch(provider.token_endpoint, {
      method: 'POST',
      headers: { 'Content-Type': 'application/x-www-form-urlencoded', Accept: 'application/json' },
      body: new URLSearchParams(form).toString(),
    });
  } catch {
    throw new Error('The identity provider could not be reached.');
  }
  const body = await response.json().catch(() => null);
  if (!response.ok || !body || !body.access_token) {
    const why = body && (body.error_description || body.error);
    throw new Error(`The identity provider refused the token request${why ? ': ' + why : ` (HTTP ${response.status})`}.`);
  }
  return body;
}

function acceptTokens(tokens, idClaims) {
  // an opaque access token carries no claims: the identity token names the moderator then
  const claims = decodeJwt(tokens.access_token) || idClaims || {};
  const named = idClaims ? { ...idClaims, ...claims } : claims;
  refreshToken = tokens.refresh_token || refreshToken;
  idToken = tokens.id_token || idToken;
  setSession({
    token: tokens.access_token,
    name: nameOf(named),
    roles: rolesOf(claims).length ? rolesOf(claims) : rolesOf(idClaims || {}),
    expiresAt: expiryOf(tokens.expires_in, claims),
    provider: 'oidc',
  });
}

async function renew() {
  if (!refreshToken || !session) {
    return;
  }
  const config = await loadConfig();
  try {
    const tokens = await tokenRequest({ grant_type: 'refresh_token', refresh_token: refreshToken, client_id: config.clientId });
    if (!tokens.refresh_token) {
      // the provider may rotate refresh tokens; one not rotated stays valid
      tokens.refresh_token = refreshToken;
    }
    acceptTokens(tokens, tokens.id_token ? decodeJwt(tokens.id_token) : null);
  } catch {
    // the session ends at its expiry, with the "signed out" screen; nothing to do now
    refreshToken = null;
  }
}

// ---- the session ----

function setSession(next) {
  clearTimeout(expiryTimer);
  clearTimeout(renewTimer);
  session = next;
  if (!next) {
    refreshToken = null;
    idToken = null;
  } else {
    const remaining = next.expiresAt - Date.now();
    expiryTimer = setTimeout(expire, Math.max(0, Math.min(remaining, 2 ** 31 - 1)));
    if (refreshToken) {
      const at = Math.max(remaining - RENEW_BEFORE_MS, remaining * 0.75);
      renewTimer = setTimeout(renew, Math.max(0, Math.min(at, 2 ** 31 - 1)));
    }
  }
  for (const listener of listeners) {
    listener(session);
  }
}

function expire() {
  if (session) {
    setSession(null);
  }
}

function expiryOf(expiresIn, claims) {
  const candidates = [];
  if (Number.isFinite(Number(expiresIn)) && Number(expiresIn) > 0) {
    candidates.push(Date.now() + Number(expiresIn) * 1000);
  }
  if (claims && Number.isFinite(claims.exp)) {
    candidates.push(claims.exp * 1000);
  }
  return candidates.length ? Math.min(...candidates) : Date.now() + 5 * 60_000;
}

function nameOf(claims) {
  return claims.preferred_username || claims.name || claims.sub || 'unknown';
}

function rolesOf(claims) {
  const roles = new Set();
  const add = (value) => {
    if (Array.isArray(value)) {
      value.forEach((role) => typeof role === 'string' && role && roles.add(role));
    } else if (typeof value === 'string') {
      value.split(/[\s,]+/).filter(Boolean).forEach((role) => roles.add(role));
    }
  };
  add(claims.roles);
  add(claims.realm_access && claims.realm_access.roles);
  return [...roles];
}

function decodeJwt(token) {
  const parts = typeof token === 'string' ? token.split('.') : [];
  if (parts.length !== 3) {
    return null;
  }
  try {
    const base64 = parts[1].replace(/-/g, '+').replace(/_/g, '/');
    const bytes = Uint8Array.from(atob(base64 + '='.repeat((4 - (base64.length % 4)) % 4)), (c) => c.charCodeAt(0));
    return JSON.parse(new TextDecoder().decode(bytes));
  } catch {
    return null;
  }
}

function randomString(bytes) {
  return base64Url(crypto.getRandomValues(new Uint8Array(bytes)));
}

function base64Url(bytes) {
  let binary = '';
  bytes.forEach((b) => { binary += String.fromCharCode(b); });
  return btoa(binary).replace(/\+/g, '-').replace(/\//g, '_').replace(/=+$/, '');
}
