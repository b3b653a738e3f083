// The console's shell: sign-in screen, header, navigation by hash, and the view in #view. The queue is part of the
// first screen; the administrators' views are loaded on demand from admin.js.
//
// Views get a context (stable interface, admin.js relies on it):
//   { api, announce(message), session, config, openStream, isAdmin, showNotAllowed(detail) }
// A view may return (or resolve to) a function, called when the view is left.

import * as auth from './auth.js';
import { api, ApiError, configureApi, openStream } from './api.js';
import { renderQueue } from './queue.js';

const VIEWS = { queue: 'Queue' };
const ADMIN_VIEWS = { bans: 'Bans', settings: 'Settings', audit: 'Audit', 'dead-letters': 'Dead letters', stats: 'Statistics' };
// as the server's local sign-in checks it
const NAME = /^[\p{L}\p{N}][\p{L}\p{N} ._@-]{0,59}$/u;

const $ = (id) => document.getElementById(id);

let config = null;
let consoleShown = false;
let leaveView = null;
let routeTicket = 0;
// why the next sign-out happens (set just before it): shown on the sign-in screen
let signOutReason = null;

export function announce(message) {
  // a fresh text node, so that a repeated message is read out again
  $('status').replaceChildren(document.createTextNode(message));
}

function isAdmin(session) {
  return Boolean(session && session.roles.includes('ADMIN'));
}

function mayModerate(session) {
  return Boolean(session && (session.roles.includes('MODERATOR') || session.roles.includes('ADMIN')));
}

function roleLabel(session) {
  if (isAdmin(session)) {
    return 'ADMIN';
  }
  return mayModerate(session) ? 'MODERATOR' : 'no moderator role';
}

// ---- signing in and out ----

function showSignIn(message) {
  teardownView();
  consoleShown = false;
  $('loading').hidden = true;
  $('header').hidden = true;
  $('view').hidden = true;
  $('view').replaceChildren();
  $('sign-in').hidden = false;
  const note = $('signed-out-message');
  note.textContent = message || '';
  note.hidden = !message;
  const oidc = Boolean(config && config.issuer);
  const local = Boolean(config && config.localSignIn);
  $('oidc-sign-in').hidden = !oidc;
  $('local-sign-in').hidden = !local;
  $('no-sign-in').hidden = !config || oidc || local;
  $('sign-in-submit').disabled = false;
  document.title = 'Sign in – Talkback moderation';
  if (local) {
    $('sign-in-name').focus();
  } else if (oidc) {
    $('oidc-sign-in').focus();
  }
}

function endSession(message) {
  signOutReason = message;
  if (auth.currentSession()) {
    // the view lets go (its claim, its stream) while the token still works
    teardownView();
    auth.signOut();
  } else {
    showSignIn(message);
  }
}

function onSessionChange(session) {
  if (!session) {
    const message = signOutReason || 'Your session has expired. Sign in again.';
    signOutReason = null;
    showSignIn(message);
  } else if (consoleShown) {
    // a renewal: same moderator, new token
    renderHeader(session);
  } else {
    showConsole(session);
  }
}

async function submitLocalSignIn(event) {
  event.preventDefault();
  const name = $('sign-in-name').value.trim();
  const error = $('sign-in-error');
  if (!NAME.test(name)) {
    error.textContent = 'Name: 1 to 60 letters, digits, spaces or . _ @ -, starting with a letter or digit.';
    $('sign-in-name').setAttribute('aria-invalid', 'true');
    $('sign-in-name').focus();
    return;
  }
  error.textContent = '';
  $('sign-in-name').removeAttribute('aria-invalid');
  $('sign-in-submit').disabled = true;
  try {
    await auth.signInLocally(name, $('sign-in-role').value);
  } catch (e) {
    error.textContent = e.message;
    $('sign-in-submit').disabled = false;
  }
}

async function startProviderSignIn() {
  $('oidc-sign-in').disabled = true;
  try {
    await auth.signInWithProvider();
  } catch (e) {
    $('oidc-sign-in').disabled = false;
    const note = $('signed-out-message');
    note.textContent = e.message;
    note.hidden = false;
  }
}

// ---- the signed-in console ----

function renderHeader(session) {
  $('signed-in-as').textContent = `${session.name} (${roleLabel(session)})`;
  const nav = $('views');
  const links = [];
  const entries = { ...VIEWS, ...(isAdmin(session) ? ADMIN_VIEWS : {}) };
  for (const [view, label] of Object.entries(entries)) {
    const link = document.createElement('a');
    link.href = `#/${view}`;
    link.dataset.view = view;
    link.textContent = label;
    links.push(link);
  }
  nav.replaceChildren(...links);
  markCurrentNav();
}

function showConsole(session) {
  consoleShown = true;
  $('loading').hidden = true;
  $('sign-in').hidden = true;
  $('header').hidden = false;
  renderHeader(session);
  route();
}

function currentView() {
  const match = /^#\/([a-z-]+)/.exec(location.hash);
  return match ? match[1] : 'queue';
}

function markCurrentNav() {
  const view = currentView();
  for (const link of $('views').querySelectorAll('a[data-view]')) {
    if (link.dataset.view === view) {
      link.setAttribute('aria-current', 'page');
    } else {
      link.removeAttribute('aria-current');
    }
  }
}

function teardownView() {
  const leave = leaveView;
  leaveView = null;
  if (typeof leave === 'function') {
    try {
      leave();
    } catch (e) {
      console.warn('Leaving the view failed', e);
    }
  }
}

function notice(container, id, title, text) {
  const section = document.createElement('section');
  section.id = id;
  section.className = 'notice-view';
  section.setAttribute('role', 'alert');
  const heading = document.createElement('h1');
  heading.textContent = title;
  const paragraph = document.createElement('p');
  paragraph.textContent = text;
  const back = document.createElement('a');
  back.href = '#/queue';
  back.textContent = 'Back to the queue';
  section.append(heading, paragraph, back);
  container.replaceChildren(section);
  return section;
}

function showNotAllowed(container, detail) {
  const session = auth.currentSession();
  notice(container, 'not-allowed', 'Not allowed',
    detail || `This view is for administrators; you are signed in as ${session ? session.name : '?'} (${roleLabel(session)}).`);
  document.title = 'Not allowed – Talkback moderation';
}

function context(session, container) {
  return {
    api,
    announce,
    // the current session: a renewal brings a new token under the same name
    get session() {
      return auth.currentSession() || session;
    },
    config,
    openStream,
    isAdmin: isAdmin(session),
    showNotAllowed: (detail) => showNotAllowed(container, detail),
  };
}

async function route() {
  const session = auth.currentSession();
  if (!session) {
    return;
  }
  const view = currentView();
  if (!location.hash.startsWith('#/')) {
    history.replaceState(null, '', `#/${view}`);
  }
  teardownView();
  markCurrentNav();
  const ticket = ++routeTicket;
  const container = $('view');
  container.replaceChildren();
  container.hidden = false;
  const label = VIEWS[view] || ADMIN_VIEWS[view];
  document.title = `${label || 'Not found'} – Talkback moderation`;
  const ctx = context(session, container);

  if (!label) {
    notice(container, 'not-found', 'No such view', `There is no view "${view}".`);
    return;
  }
  if (!mayModerate(session)) {
    showNotAllowed(container, `You are signed in as ${session.name}, without the MODERATOR or ADMIN role.`);
    return;
  }
  if (view === 'queue') {
    leaveView = renderQueue(container, ctx);
    return;
  }
  if (!isAdmin(session)) {
    showNotAllowed(container);
    return;
  }
  let module;
  try {
    module = await import('./admin.js');
  } catch (e) {
    if (ticket === routeTicket) {
      notice(container, 'view-unavailable', `${label} is not available`,
        'The administration views could not be loaded (admin.js is missing or failed to load). Reload to try again.');
    }
    return;
  }
  if (ticket !== routeTicket) {
    return;
  }
  try {
    const leave = await module.renderAdmin(view, container, ctx);
    if (ticket === routeTicket) {
      leaveView = typeof leave === 'function' ? leave : null;
    } else if (typeof leave === 'function') {
      leave();
    }
  } catch (e) {
    if (ticket !== routeTicket) {
      return;
    }
    if (e instanceof ApiError && e.status === 403) {
      showNotAllowed(container, e.message);
    } else if (!(e instanceof ApiError && e.status === 401)) {
      notice(container, 'view-error', `${label} could not be shown`, e.message || String(e));
    }
  }
}

async function start() {
  configureApi({
    getToken: () => {
      const session = auth.currentSession();
      return session ? session.token : null;
    },
    onUnauthorized: () => {
      if (auth.currentSession()) {
        endSession('The server no longer accepts your session (it may have expired). Sign in again.');
      }
    },
  });
  auth.onSessionChange(onSessionChange);
  $('local-sign-in').addEventListener('submit', submitLocalSignIn);
  $('oidc-sign-in').addEventListener('click', startProviderSignIn);
  $('sign-out').addEventListener('click', () => endSession('You are signed out.'));
  window.addEventListener('hashchange', () => {
    if (consoleShown) {
      route();
    }
  });

  try {
    config = await auth.loadConfig();
  } catch (e) {
    showSignIn(`${e.message} Reload to try again.`);
    return;
  }
  let session = null;
  let problem = null;
  try {
    session = await auth.restoreSession();
  } catch (e) {
    problem = e.message;
  }
  if (session) {
    if (!consoleShown) {
      showConsole(session);
    }
  } else {
    showSignIn(problem);
  }
}

start();
