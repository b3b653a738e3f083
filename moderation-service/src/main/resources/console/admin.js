// The moderator console's administration pages (ADMIN): bans, settings, audit log, dead letters, statistics.
// Everything the API returns is inserted as text (textContent / createElement), never as markup: ban reasons,
// audit details and dead-letter values are written by people and systems we do not trust.

const SVG_NS = 'http://www.w3.org/2000/svg';
const API = '/api/moderation';

const VIEWS = {
  bans: renderBans,
  settings: renderSettings,
  audit: renderAudit,
  'dead-letters': renderDeadLetters,
  stats: renderStats,
};

const TITLES = {
  bans: 'Bans',
  settings: 'Settings',
  audit: 'Audit log',
  'dead-letters': 'Dead letters',
  stats: 'Statistics',
};

/**
 * Renders one administration view into the container (emptied by main.js). The view's section is appended at once,
 * so a later navigation that empties the container simply drops it, late answers included.
 */
export async function renderAdmin(view, container, ctx) {
  addStylesheet();
  const section = el('section', { id: `view-${view}`, class: 'admin-view', 'aria-labelledby': `view-${view}-title` });
  section.append(el('h1', { id: `view-${view}-title`, tabindex: '-1', text: TITLES[view] ?? 'Administration' }));
  container.append(section);
  const render = VIEWS[view];
  if (!render) {
    section.append(el('p', { class: 'admin-problem', role: 'alert', text: `There is no page "${view}".` }));
    return;
  }
  if (!isAdmin(ctx.session)) {
    // main.js shows its own "not allowed" page; this is the fallback, so a page is never blank
    section.append(el('p', {
      id: document.getElementById('not-allowed') ? null : 'not-allowed',
      class: 'admin-problem', role: 'alert',
      text: 'Not allowed: only administrators can open this page.',
    }));
    return;
  }
  try {
    await render(section, ctx);
  } catch (error) {
    // a bug or an unexpected answer: say so rather than leave half a page
    section.append(problemBox(error, `Could not show ${TITLES[view].toLowerCase()}`));
    ctx.announce(`Could not show ${TITLES[view].toLowerCase()}: ${problemText(error)}`);
  }
  // called by main.js when the view is left: a question asked on this page must not outlive it
  return () => document.getElementById('admin-confirm')?.close();
}

function addStylesheet() {
  if (document.querySelector('link[data-admin-stylesheet]')) {
    return;
  }
  const link = document.createElement('link');
  link.rel = 'stylesheet';
  link.href = new URL('admin.css', import.meta.url).href;
  link.dataset.adminStylesheet = '';
  document.head.append(link);
}

function isAdmin(session) {
  return Array.isArray(session?.roles) && session.roles.includes('ADMIN');
}

// ---------------------------------------------------------------------------------------------------------------
// Bans

const BAN_TYPES = [
  ['EMAIL', 'Email address'],
  ['DOMAIN', 'Email domain'],
  ['IP', 'IP address'],
  ['CIDR', 'IP range (CIDR)'],
];

const BAN_VALUE_HINTS = {
  EMAIL: 'e.g. troll@example.org',
  DOMAIN: 'e.g. example.org (its subdomains too)',
  IP: 'e.g. 203.0.113.7 or 2001:db8::7',
  CIDR: 'e.g. 203.0.113.0/24',
};

async function renderBans(section, ctx) {
  const form = el('form', { id: 'ban-form', class: 'admin-form', novalidate: '' });
  const formProblem = el('div', { class: 'form-problem' });
  const type = select('type', 'ban-form-type', BAN_TYPES);
  const valueHint = el('span', { id: 'ban-form-value-hint', class: 'hint', text: BAN_VALUE_HINTS.EMAIL });
  const value = el('input', { id: 'ban-form-value', name: 'value', type: 'text', maxlength: '254', autocomplete: 'off' });
  const reason = el('input', { id: 'ban-form-reason', name: 'reason', type: 'text', maxlength: '500', autocomplete: 'off' });
  const expiry = select('expiry', 'ban-form-expiry', [
    ['never', 'Never'], ['1', '1 day'], ['7', '7 days'], ['30', '30 days'], ['date', 'Until a date…'],
  ]);
  const expiryDate = el('input', {
    id: 'ban-form-expiry-date', name: 'expiryDate', type: 'date', 'aria-describedby': 'ban-form-expiry-error',
  });
  const dateRow = field('Last day of the ban', expiryDate);
  dateRow.hidden = true;
  const rejectExisting = el('input', { id: 'ban-form-reject-existing', name: 'rejectExisting', type: 'checkbox' });
  const submit = el('button', { type: 'submit', id: 'ban-form-submit', class: 'primary', text: 'Add ban' });
  const result = el('p', { id: 'ban-result', class: 'admin-result', hidden: '' });

  type.addEventListener('change', () => {
    valueHint.textContent = BAN_VALUE_HINTS[type.value];
  });
  expiry.addEventListener('change', () => {
    dateRow.hidden = expiry.value !== 'date';
  });

  form.append(
    el('h2', { text: 'Add a ban' }),
    formProblem,
    field('Type', type, 'type'),
    field('Value', value, 'value', valueHint),
    field('Reason (moderators see it)', reason, 'reason'),
    field('Expires', expiry, 'expiry'),
    dateRow,
    el('div', { class: 'check' },
      rejectExisting,
      el('label', { for: 'ban-form-reject-existing', text: 'Also reject the comments it catches now (held and published)' })),
    el('div', { class: 'actions' }, submit),
    result,
  );

  const listHeading = el('h2', { id: 'bans-heading', tabindex: '-1', text: 'Current bans' });
  const list = el('div', { class: 'admin-list', 'aria-live': 'off' });
  section.append(form, listHeading, list);

  async function load() {
    list.replaceChildren(loading('Loading the bans…'));
    try {
      const data = await ctx.api(`${API}/bans`);
      list.replaceChildren(bansTable(data?.items ?? [], remove));
    } catch (error) {
      list.replaceChildren(problemBox(error, 'Could not load the bans'));
      ctx.announce(`Could not load the bans: ${problemText(error)}`);
    }
  }

  async function remove(ban, button) {
    const confirmed = await confirmDialog(
      `Remove the ban on ${ban.type.toLowerCase()} ${ban.value}? New comments it catches will no longer be rejected for it (comments already rejected stay rejected).`,
      'Remove ban', button);
    if (!confirmed) {
      return;
    }
    button.disabled = true;
    try {
      await ctx.api(`${API}/bans/${encodeURIComponent(ban.id)}`, { method: 'DELETE' });
      ctx.announce(`Ban on ${ban.value} removed.`);
      await load();
      listHeading.focus();
    } catch (error) {
      button.disabled = false;
      ctx.announce(`Ban on ${ban.value} not removed: ${problemText(error)}`);
      button.closest('tr')?.querySelector('.row-problem')?.replaceChildren(problemBox(error, 'Not removed'));
    }
  }

  form.addEventListener('submit', async (event) => {
    event.preventDefault();
    clearErrors(form, formProblem);
    result.hidden = true;
    const expiresAt = expiryFrom(expiry.value, expiryDate.value);
    if (expiresAt === undefined) {
      showErrors(form, formProblem, [{ field: 'expiry', message: 'Choose the last day of the ban.' }], BAN_FIELDS);
      ctx.announce('Ban not added: choose the last day of the ban.');
      return;
    }
    const body = {
      type: type.value,
      value: value.value.trim(),
      reason: reason.value.trim(),
      expiresAt,
      rejectExisting: rejectExisting.checked,
    };
    submit.disabled = true;
    try {
      const created = await ctx.api(`${API}/bans`, { method: 'POST', body });
      const message = banCreatedMessage(created, body.rejectExisting);
      result.textContent = message;
      result.hidden = false;
      ctx.announce(message);
      value.value = '';
      reason.value = '';
      rejectExisting.checked = false;
      await load();
    } catch (error) {
      showErrors(form, formProblem, error, BAN_FIELDS, 'Ban not added');
      ctx.announce(`Ban not added: ${problemText(error)}`);
    } finally {
      submit.disabled = false;
    }
  });

  await load();
}

/** Where the API's field names are shown in the ban form. */
const BAN_FIELDS = { expiresAt: 'expiry', rejectExisting: 'expiry' };

function banCreatedMessage(created, rejectExisting) {
  const ban = created?.ban ?? {};
  let message = `Ban on ${ban.value ?? 'the author'} added.`;
  if (rejectExisting) {
    const rejected = created?.existing?.rejected?.length ?? 0;
    const failed = created?.existing?.failed ?? [];
    message += ` ${plural(rejected, 'existing comment')} rejected.`;
    if (failed.length) {
      message += ` ${plural(failed.length, 'comment')} not (yet) rejected: `
        + failed.map((f) => `${f.id} (${f.problem ?? f.reason ?? 'failed'})`).join(', ') + '.';
    }
  }
  return message;
}

/** ISO instant, null for never, undefined when a date is wanted but missing. */
function expiryFrom(choice, date) {
  if (choice === 'never') {
    return null;
  }
  if (choice === 'date') {
    if (!/^\d{4}-\d{2}-\d{2}$/.test(date)) {
      return undefined;
    }
    const [year, month, day] = date.split('-').map(Number);
    // through the chosen day: it ends at the next local midnight
    return new Date(year, month - 1, day + 1).toISOString();
  }
  return new Date(Date.now() + Number(choice) * 86_400_000).toISOString();
}

function bansTable(bans, remove) {
  const columns = ['Type', 'Value', 'Reason', 'Created by', 'Created', 'Expires', 'Active', 'Action'];
  const table = tableWith('bans-table', 'Bans, oldest first', columns);
  const body = table.tBodies[0];
  for (const ban of bans) {
    const row = el('tr', { 'data-ban-id': ban.id, class: ban.active ? 'active' : 'inactive' });
    const button = el('button', {
      type: 'button', class: 'remove-ban danger', text: 'Remove',
      'aria-label': `Remove the ban on ${ban.value}`,
    });
    button.addEventListener('click', () => remove(ban, button));
    row.append(
      cell('Type', ban.type, 'ban-type'),
      cell('Value', ban.value, 'ban-value'),
      cell('Reason', ban.reason, 'ban-reason'),
      cell('Created by', ban.createdBy, 'ban-created-by'),
      cell('Created', time(ban.createdAt), 'ban-created-at'),
      cell('Expires', ban.expiresAt ? time(ban.expiresAt) : 'Never', 'ban-expires'),
      cell('Active', ban.active ? 'Active' : 'Expired', 'ban-active'),
      cell('Action', [button, el('div', { class: 'row-problem' })]),
    );
    body.append(row);
  }
  if (!bans.length) {
    body.append(el('tr', { class: 'empty' }, el('td', { colspan: String(columns.length), text: 'No bans.' })));
  }
  return table;
}

// ---------------------------------------------------------------------------------------------------------------
// Settings

/**
 * The members of a settings document (rules/Settings.java), named as the API names them (and its field errors).
 * kind: select | list (one per line) | integer | decimal.
 */
const SETTINGS_GROUPS = [
  {
    legend: 'Moderation',
    hint: 'Pre-moderation: every comment waits for a moderator. Post-moderation: published unless a rule objects. '
      + 'Closed: new comments are rejected.',
    fields: [
      { name: 'mode', label: 'Mode', kind: 'select', options: [
        ['PRE', 'Pre-moderation'], ['POST', 'Post-moderation'],
      ], siteDefault: 'post-moderation' },
      { name: 'closed', label: 'Comments', kind: 'select', options: [
        ['false', 'Open'], ['true', 'Closed'],
      ], siteDefault: 'open' },
    ],
  },
  {
    legend: 'Spam thresholds',
    hint: 'Spam probability, 0 to 1: from "hold" a comment is held, from "reject" it is rejected. Give both or neither.',
    fields: [
      { name: 'thresholds.hold', label: 'Hold from', kind: 'decimal' },
      { name: 'thresholds.reject', label: 'Reject from', kind: 'decimal' },
    ],
  },
  {
    legend: 'Words',
    hint: 'One word or phrase a line.',
    fields: [
      { name: 'bannedWords', label: 'Banned words (reject)', kind: 'list', article: 'added to the site\'s' },
      { name: 'suspectWords', label: 'Suspect words (hold)', kind: 'list', article: 'added to the site\'s' },
    ],
  },
  {
    legend: 'Links',
    fields: [
      { name: 'maxLinks', label: 'Links allowed before a comment is held', kind: 'integer' },
      { name: 'blockedLinkDomains', label: 'Blocked link domains (reject), one a line', kind: 'list',
        article: 'added to the site\'s' },
      { name: 'shortenerDomains', label: 'URL shorteners (hold), one a line', kind: 'list',
        site: 'empty: the 20 common ones', article: 'replaces the site\'s' },
    ],
  },
  {
    legend: 'Email checks',
    fields: [
      { name: 'disposableEmail', label: 'Throwaway mailbox address', kind: 'select', options: [
        ['APPROVE', 'Approve'], ['HOLD', 'Hold'], ['REJECT', 'Reject'],
      ] },
      { name: 'dnsUnavailable', label: 'Mail domain could not be checked', kind: 'select', options: [
        ['APPROVE', 'Approve'], ['HOLD', 'Hold'],
      ] },
    ],
  },
  {
    legend: 'Floods',
    hint: 'Too many comments from one address or IP within the window hold the next one. Give all three or none.',
    fields: [
      { name: 'floods.windowMinutes', label: 'Window (minutes)', kind: 'integer' },
      { name: 'floods.maxPerEmail', label: 'Comments per email address', kind: 'integer' },
      { name: 'floods.maxPerIp', label: 'Comments per IP address', kind: 'integer' },
    ],
  },
  {
    legend: 'Duplicates',
    hint: 'The same or a nearly the same text within the window. Give both or neither.',
    fields: [
      { name: 'duplicates.windowHours', label: 'Window (hours)', kind: 'integer' },
      { name: 'duplicates.maxDistanceBits', label: 'Near-duplicate distance (bits of 64, 0 to 7)', kind: 'integer' },
    ],
  },
  {
    legend: 'Trust and abuse',
    fields: [
      { name: 'trustedAfter', label: 'Approved comments that make an author trusted', kind: 'integer' },
      { name: 'abuseHoldFrom', label: 'Abuse score from which a comment is held', kind: 'decimal' },
      { name: 'abuseRejectFrom', label: 'Abuse score from which it is rejected', kind: 'decimal',
        site: 'empty: never rejected for abuse' },
    ],
  },
  {
    legend: 'Readers\' reports',
    hint: 'A published comment goes to the reported queue once this many readers (distinct addresses) reported it, or '
      + 'this many filed a notice of illegal content. Each field on its own.',
    fields: [
      { name: 'reports.threshold', label: 'Reports (1 to 100)', kind: 'integer' },
      { name: 'reports.noticeThreshold', label: 'Notices of illegal content (1 to 100)', kind: 'integer' },
      { name: 'reports.hideWhileReported', label: 'While it waits for a moderator', kind: 'select', boolean: true,
        options: [['false', 'Keep it published'], ['true', 'Hide it']] },
    ],
  },
];

const SETTINGS_FIELDS = SETTINGS_GROUPS.flatMap((group) => group.fields);

/** Field errors the API names differently from any one input. */
const SETTINGS_ERROR_FIELDS = {
  'thresholds.ordered': 'thresholds.reject',
  abuseOrdered: 'abuseRejectFrom',
};

async function renderSettings(section, ctx) {
  const site = settingsForm('settings-form', 'site', 'Site settings');
  const article = settingsForm('article-settings-form', 'article', 'Article settings');
  section.append(site.form, article.form);

  site.form.addEventListener('submit', async (event) => {
    event.preventDefault();
    await save(site, `${API}/settings`, 'Site settings', ctx);
  });

  let loadedArticle = null;
  const articleId = el('input', {
    id: 'article-settings-article-id', name: 'articleId', type: 'text', maxlength: '200', autocomplete: 'off',
  });
  const loadButton = el('button', { type: 'submit', value: 'load', id: 'article-settings-load', class: 'primary', text: 'Load' });
  article.fields.before(el('div', { class: 'lookup' }, field('Article id', articleId, 'articleId'), loadButton));
  article.fields.disabled = true;
  article.info.textContent = 'Load an article\'s settings to change them. Empty fields follow the site.';
  articleId.addEventListener('input', () => {
    // the fields belong to the loaded article: another id must be loaded before saving
    article.fields.disabled = articleId.value.trim() !== loadedArticle;
  });

  article.form.addEventListener('submit', async (event) => {
    event.preventDefault();
    const id = articleId.value.trim();
    const path = `${API}/articles/${encodeURIComponent(id)}/settings`;
    if (event.submitter === loadButton || id !== loadedArticle) {
      clearErrors(article.form, article.problem);
      if (!id) {
        showErrors(article.form, article.problem, [{ field: 'articleId', message: 'Enter an article id.' }]);
        return;
      }
      loadedArticle = null;
      article.fields.disabled = true;
      if (await load(article, path, `Settings of article ${id}`, ctx)) {
        loadedArticle = id;
        article.fields.disabled = false;
        article.fields.querySelector('select, input, textarea')?.focus();
      }
      return;
    }
    await save(article, path, `Settings of article ${id}`, ctx);
  });

  await load(site, `${API}/settings`, 'Site settings', ctx);
}

function settingsForm(id, scope, title) {
  const form = el('form', { id, class: 'admin-form settings-form', novalidate: '', 'data-scope': scope });
  const problem = el('div', { class: 'form-problem' });
  const info = el('p', { class: 'settings-info' });
  const emptyMeans = el('p', {
    class: 'hint',
    text: scope === 'site' ? 'An empty field means the service default.' : 'An empty field means: as the site.',
  });
  const fields = el('fieldset', { class: 'settings-fields' }, el('legend', { class: 'visually-hidden', text: title }));
  const inherit = scope === 'site' ? 'service default' : 'as the site';
  for (const group of SETTINGS_GROUPS) {
    const groupBox = el('fieldset', { class: 'settings-group' }, el('legend', { text: group.legend }));
    if (group.hint) {
      groupBox.append(el('p', { class: 'hint', text: group.hint }));
    }
    for (const spec of group.fields) {
      const inputId = `${id}-${spec.name.replace('.', '-')}`;
      const control = settingsControl(spec, inputId, scope, inherit);
      const note = spec[scope];
      const hint = note ? el('span', { id: `${inputId}-hint`, class: 'hint', text: note }) : null;
      groupBox.append(field(spec.label, control, spec.name, hint));
    }
    fields.append(groupBox);
  }
  fields.append(el('div', { class: 'actions' }, el('button', { type: 'submit', class: 'primary', text: `Save ${title.toLowerCase()}` })));
  form.append(el('h2', { text: title }), info, emptyMeans, problem, fields);
  return { form, fields, problem, info, scope };
}

function settingsControl(spec, inputId, scope, inherit) {
  if (spec.kind === 'select') {
    const fallback = scope === 'site' && spec.siteDefault ? `Service default (${spec.siteDefault})` : capitalised(inherit);
    return select(spec.name, inputId, [['', fallback], ...spec.options]);
  }
  if (spec.kind === 'list') {
    return el('textarea', { id: inputId, name: spec.name, rows: '3', spellcheck: 'false' });
  }
  // text, not number: the API checks the value and says what is wrong, in the same words for every client
  return el('input', {
    id: inputId, name: spec.name, type: 'text', autocomplete: 'off',
    inputmode: spec.kind === 'integer' ? 'numeric' : 'decimal',
  });
}

async function load(settings, path, what, ctx) {
  settings.info.textContent = `Loading ${what.toLowerCase()}…`;
  try {
    const data = await ctx.api(path);
    fillSettings(settings, data);
    return true;
  } catch (error) {
    settings.info.textContent = '';
    showErrors(settings.form, settings.problem, error, {}, `Could not load ${what.toLowerCase()}`);
    ctx.announce(`Could not load ${what.toLowerCase()}: ${problemText(error)}`);
    return false;
  }
}

async function save(settings, path, what, ctx) {
  clearErrors(settings.form, settings.problem);
  const button = settings.fields.querySelector('button[type=submit]');
  button.disabled = true;
  try {
    const saved = await ctx.api(path, { method: 'PUT', body: collectSettings(settings.form) });
    fillSettings(settings, saved);
    ctx.announce(`${what} saved.`);
  } catch (error) {
    const count = showErrors(settings.form, settings.problem, error, SETTINGS_ERROR_FIELDS, `${what} not saved`);
    ctx.announce(count
      ? `${what} not saved: ${plural(count, 'field')} to correct.`
      : `${what} not saved: ${problemText(error)}`);
  } finally {
    button.disabled = false;
  }
}

function fillSettings(settings, data) {
  for (const spec of SETTINGS_FIELDS) {
    const control = settings.form.elements.namedItem(spec.name);
    const value = spec.name.split('.').reduce((object, key) => object?.[key], data);
    if (value === null || value === undefined) {
      control.value = '';
    } else if (spec.kind === 'list') {
      control.value = value.join('\n');
    } else {
      control.value = String(value);
    }
  }
  settings.info.textContent = data?.updatedAt
    ? `Last changed by ${data.updatedBy ?? 'someone'} on ${formatInstant(data.updatedAt)}.`
    : 'Never changed: every value is the default.';
}

/** The PUT body: empty fields are left out (default, or as the site); a group is sent when any member is given. */
function collectSettings(form) {
  const body = {};
  for (const spec of SETTINGS_FIELDS) {
    const raw = form.elements.namedItem(spec.name).value.trim();
    let value;
    if (spec.kind === 'list') {
      const items = raw.split('\n').map((line) => line.trim()).filter(Boolean);
      value = items.length ? items : undefined;
    } else if (raw === '') {
      value = undefined;
    } else if (spec.name === 'closed' || spec.boolean) {
      value = raw === 'true';
    } else if (spec.kind === 'integer') {
      value = /^[+-]?\d+$/.test(raw) ? Number(raw) : raw;
    } else if (spec.kind === 'decimal') {
      const number = Number(raw.replace(',', '.'));
      // not a number: sent as typed, so the API's message for the field is the one shown
      value = Number.isFinite(number) ? number : raw;
    } else {
      value = raw;
    }
    const [group, member] = spec.name.split('.');
    if (member) {
      body[group] ??= {};
      body[group][member] = value ?? null;
    } else if (value !== undefined) {
      body[group] = value;
    }
  }
  for (const [key, value] of Object.entries(body)) {
    if (value && typeof value === 'object' && !Array.isArray(value) && Object.values(value).every((v) => v === null)) {
      delete body[key];
    }
  }
  return body;
}

// ---------------------------------------------------------------------------------------------------------------
// Audit log

async function renderAudit(section, ctx) {
  const filters = el('form', { id: 'audit-filters', class: 'admin-form filters', novalidate: '' });
  const who = el('input', { id: 'audit-who', name: 'who', type: 'text', autocomplete: 'off' });
  const target = el('input', { id: 'audit-target', name: 'target', type: 'text', autocomplete: 'off' });
  const limit = select('limit', 'audit-limit', [['25', '25'], ['50', '50'], ['100', '100'], ['200', '200']]);
  // the API's default, and what "Clear" goes back to
  limit.querySelector('option[value="50"]').defaultSelected = true;
  const problem = el('div', { class: 'form-problem' });
  filters.append(
    problem,
    field('Who (user name)', who, 'who'),
    field('Target', target, 'target', el('span', {
      id: 'audit-target-hint', class: 'hint', text: 'a comment id, ban:<id>, site or article:<id>',
    })),
    field('Entries a page', limit, 'limit'),
    el('div', { class: 'actions' },
      el('button', { type: 'submit', class: 'primary', text: 'Show' }),
      el('button', { type: 'reset', text: 'Clear' })),
  );
  const summary = el('p', { id: 'audit-summary', class: 'admin-result' });
  const table = tableWith('audit-table', 'Audit log, newest first', ['When', 'Who', 'Action', 'Target', 'Details']);
  const more = el('button', { type: 'button', id: 'audit-more', text: 'Show older entries', hidden: '' });
  section.append(filters, summary, table, more);

  let query = null;
  let next = null;
  let shown = 0;

  async function fetchPage(append) {
    const params = new URLSearchParams(query);
    if (append && next) {
      params.set('before', next);
    }
    more.disabled = true;
    if (!append) {
      table.tBodies[0].replaceChildren(loadingRow(5, 'Loading the audit log…'));
    }
    try {
      const page = await ctx.api(`${API}/audit?${params}`);
      const rows = (page?.items ?? []).map(auditRow);
      if (!append) {
        table.tBodies[0].replaceChildren();
        shown = 0;
      }
      table.tBodies[0].append(...rows);
      shown += rows.length;
      next = page?.next ?? null;
      more.hidden = !next;
      summary.textContent = shown === 0 ? 'No entries.' : `${plural(shown, 'entry', 'entries')} shown${next ? '; there are older ones' : ''}.`;
      if (append) {
        ctx.announce(`${plural(rows.length, 'older entry', 'older entries')} shown.`);
        rows[0]?.querySelector('td')?.focus();
      }
    } catch (error) {
      if (!append) {
        table.tBodies[0].replaceChildren();
      }
      showErrors(filters, problem, error, { before: 'limit' }, 'Could not load the audit log');
      summary.textContent = '';
      ctx.announce(`Could not load the audit log: ${problemText(error)}`);
    } finally {
      more.disabled = false;
    }
  }

  filters.addEventListener('submit', async (event) => {
    event.preventDefault();
    clearErrors(filters, problem);
    query = { limit: limit.value };
    if (who.value.trim()) {
      query.who = who.value.trim();
    }
    if (target.value.trim()) {
      query.target = target.value.trim();
    }
    next = null;
    await fetchPage(false);
  });
  filters.addEventListener('reset', () => {
    // after the fields are cleared
    setTimeout(() => filters.requestSubmit(), 0);
  });
  more.addEventListener('click', () => fetchPage(true));

  query = { limit: limit.value };
  await fetchPage(false);
}

function auditRow(entry) {
  const details = el('ul', { class: 'details' });
  for (const [key, value] of Object.entries(entry.details ?? {})) {
    details.append(el('li', { text: `${key}: ${typeof value === 'object' && value !== null ? JSON.stringify(value) : String(value)}` }));
  }
  const when = cell('When', time(entry.at));
  when.tabIndex = -1;
  return el('tr', { 'data-audit-id': entry.id },
    when,
    cell('Who', entry.who, 'audit-who'),
    cell('Action', entry.action, 'audit-action'),
    cell('Target', entry.target, 'audit-target'),
    cell('Details', details.childElementCount ? details : '—'));
}

// ---------------------------------------------------------------------------------------------------------------
// Dead letters

const DLT_TOPICS = ['comments.submitted.v1-dlt', 'comments.moderated.v1-dlt'];

async function renderDeadLetters(section, ctx) {
  const filters = el('form', { id: 'dead-letter-filters', class: 'admin-form filters', novalidate: '' });
  const topic = select('topic', 'dead-letter-topic', [['all', 'Both topics'], ...DLT_TOPICS.map((t) => [t, t])]);
  const force = el('input', { id: 'redrive-force', name: 'force', type: 'checkbox' });
  const problem = el('div', { class: 'form-problem' });
  const redriveAll = el('button', { type: 'button', id: 'redrive-all', text: 'Re-drive all' });
  filters.append(
    problem,
    field('Topic', topic, 'topic'),
    el('div', { class: 'check' }, force,
      el('label', { for: 'redrive-force', text: 'Re-drive again those re-driven before' })),
    el('div', { class: 'actions' }, el('button', { type: 'submit', class: 'primary', text: 'Show' }), redriveAll),
  );
  const report = el('p', { id: 'redrive-report', class: 'admin-result', hidden: '' });
  const table = tableWith('dead-letters-table', 'Dead letters',
    ['Dead letter', 'Comment', 'Dead-lettered', 'Failure', 'Value', 'Re-drive', 'Action']);
  const more = el('button', { type: 'button', id: 'dead-letters-more', text: 'Show more', hidden: '' });
  section.append(filters, report, table, more);

  let shownTopic = topic.value;
  let next = null;

  async function list(append) {
    const params = new URLSearchParams({ topic: shownTopic, limit: '20' });
    if (append && next) {
      params.set('after', next);
    }
    if (!append) {
      table.tBodies[0].replaceChildren(loadingRow(7, 'Loading the dead letters…'));
    }
    more.disabled = true;
    try {
      const page = await ctx.api(`${API}/dead-letters?${params}`);
      const rows = (page?.items ?? []).map((item) => deadLetterRow(item, redriveOne));
      if (!append) {
        table.tBodies[0].replaceChildren();
        if (!rows.length) {
          table.tBodies[0].append(el('tr', { class: 'empty' }, el('td', { colspan: '7', text: 'No dead letters.' })));
        }
      }
      table.tBodies[0].append(...rows);
      next = page?.next ?? null;
      more.hidden = !next;
    } catch (error) {
      if (!append) {
        table.tBodies[0].replaceChildren();
      }
      showErrors(filters, problem, error, {}, 'Could not load the dead letters');
      ctx.announce(`Could not load the dead letters: ${problemText(error)}`);
    } finally {
      more.disabled = false;
    }
  }

  async function redriveOne(item, button, resultCell, stateCell) {
    button.disabled = true;
    try {
      const answer = await ctx.api(`${API}/dead-letters/redrive`, {
        method: 'POST', body: { ids: [item.id], force: force.checked },
      });
      const one = answer?.results?.[0];
      const text = one ? redriveResultText(one) : redriveReportText([answer]);
      resultCell.replaceChildren(text);
      ctx.announce(`${item.id}: ${text}`);
      if (one?.redrive) {
        stateCell.textContent = redriveViewText(one.redrive);
        button.textContent = 'Re-drive again';
      }
    } catch (error) {
      resultCell.replaceChildren(problemBox(error, 'Not re-driven'));
      ctx.announce(`${item.id} not re-driven: ${problemText(error)}`);
    } finally {
      button.disabled = false;
    }
  }

  filters.addEventListener('submit', async (event) => {
    event.preventDefault();
    clearErrors(filters, problem);
    shownTopic = topic.value;
    next = null;
    await list(false);
  });
  more.addEventListener('click', () => list(true));

  redriveAll.addEventListener('click', async () => {
    const topics = topic.value === 'all' ? DLT_TOPICS : [topic.value];
    const confirmed = await confirmDialog(
      `Re-drive every dead letter of ${topics.join(' and ')}${force.checked ? ', including those re-driven before' : ''}?`,
      'Re-drive all', redriveAll);
    if (!confirmed) {
      return;
    }
    clearErrors(filters, problem);
    redriveAll.disabled = true;
    const reports = [];
    try {
      for (const name of topics) {
        reports.push(await ctx.api(`${API}/dead-letters/redrive`, {
          method: 'POST', body: { all: true, topic: name, force: force.checked },
        }));
      }
      const text = redriveReportText(reports);
      report.textContent = text;
      report.hidden = false;
      ctx.announce(text);
      await list(false);
    } catch (error) {
      if (reports.length) {
        report.textContent = redriveReportText(reports);
        report.hidden = false;
      }
      showErrors(filters, problem, error, {}, 'Re-drive failed');
      ctx.announce(`Re-drive failed: ${problemText(error)}`);
    } finally {
      redriveAll.disabled = false;
    }
  });

  await list(false);
}

function deadLetterRow(item, redrive) {
  const failure = el('div', { class: 'failure' },
    el('span', { class: 'failure-exception', text: item.failure?.exception ?? 'unknown' }),
    item.failure?.message ? el('span', { class: 'failure-message', text: item.failure.message }) : '',
    item.failure?.cause ? el('span', { class: 'failure-message', text: `cause: ${item.failure.cause}` }) : '');
  const value = item.value === null || item.value === undefined
    ? `${plural(item.valueBytes ?? 0, 'byte')}, not text`
    : el('details', {},
      el('summary', { text: `${plural(item.valueBytes ?? 0, 'byte')}${item.valueTruncated ? ', cut' : ''}` }),
      el('pre', { text: item.value }));
  const state = el('span', { class: 'redrive-state', text: item.redriven ? redriveViewText(item.redrive) : 'Not re-driven' });
  const result = el('span', { class: 'redrive-result' });
  const button = el('button', {
    type: 'button', class: 'redrive', text: item.redriven ? 'Re-drive again' : 'Re-drive',
    'aria-label': `Re-drive ${item.id}`,
  });
  button.addEventListener('click', () => redrive(item, button, result, state));
  const original = item.original?.topic ? `from ${item.original.topic}` : '';
  return el('tr', { 'data-dead-letter-id': item.id },
    cell('Dead letter', [el('span', { class: 'mono', text: item.id }), original ? el('span', { class: 'hint', text: original }) : '']),
    cell('Comment', item.key ?? '—', 'mono dead-letter-key'),
    cell('Dead-lettered', time(item.deadLetteredAt)),
    cell('Failure', failure),
    cell('Value', value),
    cell('Re-drive', [state, result]),
    cell('Action', button));
}

function redriveViewText(redrive) {
  if (!redrive) {
    return 'Re-driven';
  }
  const times = redrive.count > 1 ? ` (${redrive.count} times)` : '';
  const state = redrive.state === 'REDRIVING' ? 'Re-drive began' : 'Re-driven';
  return `${state} by ${redrive.by} on ${formatInstant(redrive.at)}${times}${redrive.target ? ` to ${redrive.target}` : ''}`;
}

const REDRIVE_RESULTS = {
  REDRIVEN: 'Re-driven',
  ALREADY_REDRIVEN: 'Already re-driven (tick "Re-drive again" to send it once more)',
  NOT_FOUND: 'Not found',
  FAILED: 'Failed',
};

function redriveResultText(result) {
  return `${REDRIVE_RESULTS[result.result] ?? result.result}${result.detail ? `: ${result.detail}` : ''}.`;
}

function redriveReportText(reports) {
  const totals = { REDRIVEN: 0, ALREADY_REDRIVEN: 0, NOT_FOUND: 0, FAILED: 0 };
  let more = false;
  for (const report of reports) {
    for (const [key, count] of Object.entries(report?.counts ?? {})) {
      totals[key] = (totals[key] ?? 0) + Number(count);
    }
    more ||= Boolean(report?.more);
  }
  const parts = [`${plural(totals.REDRIVEN, 'dead letter')} re-driven`];
  if (totals.ALREADY_REDRIVEN) {
    parts.push(`${totals.ALREADY_REDRIVEN} already re-driven before`);
  }
  if (totals.NOT_FOUND) {
    parts.push(`${totals.NOT_FOUND} not found`);
  }
  if (totals.FAILED) {
    parts.push(`${totals.FAILED} failed`);
  }
  return `${parts.join(', ')}.${more ? ' There are more: re-drive all again.' : ''}`;
}

// ---------------------------------------------------------------------------------------------------------------
// Statistics

/** Bottom to top in the chart's bars. */
const OUTCOMES = [
  ['approved', 'Approved'],
  ['held', 'Held'],
  ['rejected', 'Rejected'],
];

const OUTCOMES_IN_TABLE = ['held', 'approved', 'rejected'];

async function renderStats(section, ctx) {
  const refresh = el('button', { type: 'button', id: 'stats-refresh', text: 'Refresh' });
  const body = el('div', { class: 'stats-body' }, loading('Loading the statistics…'));
  section.append(el('div', { class: 'actions' }, refresh), body);

  async function load() {
    refresh.disabled = true;
    try {
      const stats = await ctx.api(`${API}/stats`);
      body.replaceChildren(...statsContent(stats, section.clientWidth));
      return true;
    } catch (error) {
      body.replaceChildren(problemBox(error, 'Could not load the statistics'));
      ctx.announce(`Could not load the statistics: ${problemText(error)}`);
      return false;
    } finally {
      refresh.disabled = false;
    }
  }

  refresh.addEventListener('click', async () => {
    if (await load()) {
      ctx.announce('Statistics refreshed.');
    }
  });
  await load();
}

function statsContent(stats, width) {
  const summary = el('dl', { id: 'stats-summary', class: 'stats-summary' });
  const age = stats?.oldestHeldAgeSeconds;
  summary.append(
    el('div', {}, el('dt', { text: 'Held comments waiting' }),
      el('dd', { class: 'stats-queue-size', text: String(stats?.queueSize ?? 0) })),
    el('div', {}, el('dt', { text: 'Oldest held comment' }),
      el('dd', { class: 'stats-oldest-age' },
        age === null || age === undefined
          ? 'None waiting'
          : [`waiting ${humanDuration(age)}`, stats.oldestHeldSubmittedAt
            ? el('span', { class: 'hint' }, ' (posted ', time(stats.oldestHeldSubmittedAt), ')') : ''])),
  );
  const perStatus = Object.entries(stats?.perStatus ?? {});
  if (perStatus.length) {
    summary.append(el('div', {}, el('dt', { text: 'Comments by current outcome' }),
      el('dd', { class: 'stats-per-status', text: perStatus.map(([k, v]) => `${capitalised(k.toLowerCase())} ${v}`).join(' · ') })));
  }

  const perDay = Array.isArray(stats?.perDay) ? stats.perDay : [];
  const parts = [summary];
  const dailyHeading = el('h2', { text: 'Comments per day and what became of them, last 30 days (UTC)' });
  parts.push(dailyHeading);
  if (perDay.length) {
    parts.push(statsChart(perDay, width), statsTable(perDay));
  } else {
    parts.push(el('p', { id: 'stats-chart', class: 'empty', text: 'The server sent no figures per day.' }));
  }
  parts.push(el('h2', { text: 'Current decisions per reason' }), reasonsTable(stats?.decisionsPerReason ?? {}));
  return parts;
}

function totalsOf(perDay) {
  const totals = { held: 0, approved: 0, rejected: 0 };
  for (const day of perDay) {
    for (const [key] of OUTCOMES) {
      totals[key] += Number(day[key] ?? 0);
    }
  }
  return totals;
}

function dayTotal(day) {
  return OUTCOMES.reduce((sum, [key]) => sum + Number(day[key] ?? 0), 0);
}

function percent(part, whole) {
  return whole ? `${Math.round((part / whole) * 100)} %` : '–';
}

function statsChart(perDay, availableWidth) {
  // the drawing is as wide as the page, so its text stays readable at 360 px instead of shrinking with a fixed viewBox
  const width = Math.max(300, Math.min(760, Math.floor(availableWidth || 600)));
  const height = 260;
  const margin = { top: 44, right: 8, bottom: 26, left: 36 };
  const plotWidth = width - margin.left - margin.right;
  const plotHeight = height - margin.top - margin.bottom;
  const totals = totalsOf(perDay);
  const all = totals.held + totals.approved + totals.rejected;
  const max = niceMax(Math.max(1, ...perDay.map(dayTotal)));

  const svg = svgEl('svg', {
    class: 'stats-chart-svg', viewBox: `0 0 ${width} ${height}`, role: 'img',
    'aria-labelledby': 'stats-chart-title stats-chart-desc', preserveAspectRatio: 'xMidYMid meet',
  });
  svg.append(
    svgEl('title', { id: 'stats-chart-title' }, 'Comments per day by current outcome, last 30 days'),
    svgEl('desc', { id: 'stats-chart-desc' },
      `${plural(all, 'comment')} in ${perDay.length} days: held ${percent(totals.held, all)}, `
      + `approved ${percent(totals.approved, all)}, rejected ${percent(totals.rejected, all)}. `
      + 'The table below gives every figure.'));

  // the share over the whole period: one bar across the top
  const share = svgEl('g', { class: 'chart-share' });
  let x = margin.left;
  for (const [key, label] of OUTCOMES) {
    const w = all ? (totals[key] / all) * plotWidth : 0;
    if (w > 0) {
      share.append(svgEl('rect', { class: `seg seg-${key}`, x: fixed(x), y: '8', width: fixed(w), height: '18' },
        svgEl('title', {}, `${label}: ${totals[key]} (${percent(totals[key], all)})`)));
    }
    x += w;
  }
  if (!all) {
    share.append(svgEl('rect', { class: 'seg seg-none', x: String(margin.left), y: '8', width: fixed(plotWidth), height: '18' }));
  }
  svg.append(share);

  const axis = svgEl('g', { class: 'chart-axis' });
  for (const tick of [0, max / 2, max]) {
    const y = margin.top + plotHeight - (tick / max) * plotHeight;
    axis.append(
      svgEl('line', { class: 'grid', x1: String(margin.left), x2: String(width - margin.right), y1: fixed(y), y2: fixed(y) }),
      svgEl('text', { class: 'tick', x: String(margin.left - 4), y: fixed(y + 4), 'text-anchor': 'end' }, String(tick)));
  }
  svg.append(axis);

  const slot = plotWidth / perDay.length;
  const barWidth = Math.max(2, slot * 0.7);
  // a label every few days, as many as fit without touching ("Nov 28" is about 45 px wide)
  const labelEvery = Math.ceil(56 / slot);
  const bars = svgEl('g', { class: 'chart-bars' });
  perDay.forEach((day, index) => {
    const group = svgEl('g', { class: 'day', 'data-date': day.date });
    const left = margin.left + index * slot + (slot - barWidth) / 2;
    let bottom = margin.top + plotHeight;
    for (const [key] of OUTCOMES) {
      const count = Number(day[key] ?? 0);
      const h = (count / max) * plotHeight;
      if (h > 0) {
        bottom -= h;
        group.append(svgEl('rect', { class: `seg seg-${key}`, x: fixed(left), y: fixed(bottom), width: fixed(barWidth), height: fixed(h) }));
      }
    }
    group.append(svgEl('title', {}, `${day.date}: ${day.held ?? 0} held, ${day.approved ?? 0} approved, ${day.rejected ?? 0} rejected`));
    if ((perDay.length - 1 - index) % labelEvery === 0) {
      const last = index === perDay.length - 1;
      group.append(svgEl('text', {
        class: 'tick', x: fixed(last ? left + barWidth : left + barWidth / 2), y: String(height - 8),
        'text-anchor': last ? 'end' : 'middle',
      }, shortDate(day.date)));
    }
    bars.append(group);
  });
  svg.append(bars);

  const legend = el('ul', { class: 'chart-legend' });
  for (const [key, label] of OUTCOMES) {
    legend.append(el('li', {}, el('span', { class: `swatch seg-${key}`, 'aria-hidden': 'true' }),
      `${label}: ${totals[key]} (${percent(totals[key], all)})`));
  }
  return el('figure', { id: 'stats-chart', class: 'stats-chart' }, svg,
    el('figcaption', {}, 'Top: the share of each outcome over the 30 days. Bars: the comments posted each day, by their '
      + 'outcome now.'), legend);
}

function statsTable(perDay) {
  // a real table at every width (five narrow columns fit 360 px): each outcome's count with its share of the day
  const table = tableWith('stats-table', 'Comments posted per day by current outcome, oldest first: count and share of the day',
    ['Date', 'Held', 'Approved', 'Rejected', 'Total'], 1);
  table.classList.add('compact');
  const row = (label, counts, total, attributes) => el('tr', attributes,
    el('th', { scope: 'row' }, label),
    ...OUTCOMES_IN_TABLE.map((key) => el('td', { class: `number ${key}` },
      el('span', { class: 'count', text: String(counts[key] ?? 0) }),
      el('span', { class: 'share', text: percent(counts[key] ?? 0, total) }))),
    el('td', { class: 'number total', text: String(total) }));
  for (const day of perDay) {
    const date = el('time', { datetime: day.date, text: shortDate(day.date) });
    table.tBodies[0].append(row(date, day, dayTotal(day), { 'data-date': day.date }));
  }
  const totals = totalsOf(perDay);
  table.createTFoot().append(row('All days', totals, totals.held + totals.approved + totals.rejected, {}));
  return table;
}

function reasonsTable(perReason) {
  const entries = Object.entries(perReason).sort((a, b) => b[1] - a[1] || a[0].localeCompare(b[0]));
  if (!entries.length) {
    return el('p', { id: 'stats-reasons', class: 'empty', text: 'No decisions with a reason yet.' });
  }
  const table = tableWith('stats-reasons', 'Current decisions per rule', ['Rule', 'Decisions'], 1);
  table.classList.add('compact');
  for (const [rule, count] of entries) {
    table.tBodies[0].append(el('tr', { 'data-rule': rule },
      el('th', { scope: 'row', text: rule }),
      el('td', { class: 'number', text: String(count) })));
  }
  return table;
}

function niceMax(value) {
  const magnitude = 10 ** Math.floor(Math.log10(value));
  for (const step of [1, 2, 5, 10]) {
    if (step * magnitude >= value) {
      const candidate = step * magnitude;
      // half-way ticks should be whole numbers
      return candidate % 2 === 0 ? candidate : candidate * 2;
    }
  }
  return value;
}

function shortDate(date) {
  const [year, month, day] = String(date).split('-').map(Number);
  if (!year || !month || !day) {
    return String(date);
  }
  return new Date(Date.UTC(year, month - 1, day)).toLocaleDateString(undefined, { day: 'numeric', month: 'short', timeZone: 'UTC' });
}

/** "3 hours 5 minutes": the two largest units, enough to judge how long someone has waited. */
export function humanDuration(seconds) {
  let rest = Math.max(0, Math.floor(Number(seconds) || 0));
  if (rest < 60) {
    return plural(rest, 'second');
  }
  const parts = [];
  for (const [size, unit] of [[86_400, 'day'], [3_600, 'hour'], [60, 'minute']]) {
    const count = Math.floor(rest / size);
    rest %= size;
    if (count > 0 || parts.length) {
      parts.push(count > 0 ? plural(count, unit) : null);
    }
    if (parts.length === 2) {
      break;
    }
  }
  return parts.filter(Boolean).join(' ');
}

// ---------------------------------------------------------------------------------------------------------------
// Problems and field errors

/** A problem detail (or any error) in words, for the live region. */
function problemText(error) {
  const problem = error?.problem;
  if (problem) {
    const fields = Array.isArray(problem.errors) && problem.errors.length
      ? ` (${problem.errors.map((e) => `${e.field}: ${e.message}`).join('; ')})` : '';
    return `${problem.detail || problem.title || `error ${error.status}`}${fields}`;
  }
  if (error?.status) {
    return `the server answered ${error.status}`;
  }
  return error?.message || 'something went wrong';
}

/** A failed request as a visible block: title, detail and the fields at fault. */
function problemBox(error, what) {
  const problem = error?.problem;
  const box = el('div', { class: 'admin-problem', role: 'alert' });
  const status = error?.status ? ` (${error.status}${problem?.title ? ` ${problem.title}` : ''})` : '';
  box.append(el('p', { class: 'admin-problem-title', text: `${what}${status}.` }));
  const detail = problem?.detail ?? (problem ? null : error?.message);
  if (detail) {
    box.append(el('p', { class: 'admin-problem-detail', text: detail }));
  }
  if (Array.isArray(problem?.errors) && problem.errors.length) {
    box.append(el('ul', {}, ...problem.errors.map((e) => el('li', { text: `${e.field}: ${e.message}` }))));
  }
  return box;
}

function clearErrors(form, problem) {
  problem?.replaceChildren();
  for (const error of form.querySelectorAll('.field-error')) {
    error.textContent = '';
    error.hidden = true;
  }
  for (const invalid of form.querySelectorAll('[aria-invalid="true"]')) {
    invalid.removeAttribute('aria-invalid');
  }
}

/**
 * Shows the API's field errors next to their fields (an error for a list member, e.g. {@code bannedWords[2]}, next to
 * the list; {@code aliases} names a field by another name), and the rest of the problem above the form. Returns the
 * number of fields marked; the first is focused.
 */
function showErrors(form, problem, errorOrList, aliases = {}, what = 'Not saved') {
  const list = Array.isArray(errorOrList) ? errorOrList : errorOrList?.problem?.errors ?? [];
  const unplaced = [];
  let first = null;
  let marked = 0;
  for (const { field: name, message } of list) {
    const target = fieldErrorFor(form, String(name ?? ''), aliases);
    if (!target) {
      unplaced.push({ field: name, message });
      continue;
    }
    const index = /\[(\d+)\]/.exec(String(name));
    const prefix = index ? `line ${Number(index[1]) + 1}: ` : '';
    target.textContent = target.textContent ? `${target.textContent} ${prefix}${message}` : `${prefix}${message}`;
    target.hidden = false;
    const control = form.elements.namedItem(target.dataset.field);
    if (control && typeof control.setAttribute === 'function') {
      control.setAttribute('aria-invalid', 'true');
      first ??= control;
    }
    marked += 1;
  }
  if (!Array.isArray(errorOrList) && (unplaced.length || !marked)) {
    const shown = {
      status: errorOrList?.status,
      message: errorOrList?.message,
      problem: errorOrList?.problem ? { ...errorOrList.problem, errors: unplaced } : null,
    };
    problem?.replaceChildren(problemBox(shown, what));
  } else if (unplaced.length) {
    problem?.replaceChildren(el('ul', { class: 'admin-problem' }, ...unplaced.map((e) => el('li', { text: `${e.field}: ${e.message}` }))));
  }
  if (first && !first.disabled) {
    first.focus();
  }
  return marked;
}

function fieldErrorFor(form, name, aliases) {
  const find = (n) => (n ? form.querySelector(`.field-error[data-field="${CSS.escape(n)}"]`) : null);
  const alias = aliases[name] ?? aliases[name.replace(/\[\d+\]$/, '')];
  return find(name) ?? find(alias) ?? find(name.replace(/\[\d+\].*$/, '')) ?? find(name.split('.')[0]);
}

// ---------------------------------------------------------------------------------------------------------------
// DOM helpers

/** createElement with attributes; "text" sets textContent; null/undefined attributes are left out. */
function el(tag, attributes = {}, ...children) {
  const element = document.createElement(tag);
  for (const [name, value] of Object.entries(attributes)) {
    if (value === null || value === undefined || value === false) {
      continue;
    }
    if (name === 'text') {
      element.textContent = String(value);
    } else if (name === 'hidden') {
      element.hidden = true;
    } else {
      element.setAttribute(name, String(value));
    }
  }
  append(element, children);
  return element;
}

function svgEl(tag, attributes = {}, ...children) {
  const element = document.createElementNS(SVG_NS, tag);
  for (const [name, value] of Object.entries(attributes)) {
    element.setAttribute(name, String(value));
  }
  append(element, children);
  return element;
}

function append(element, children) {
  for (const child of children.flat()) {
    if (child === null || child === undefined || child === '') {
      continue;
    }
    element.append(child instanceof Node ? child : document.createTextNode(String(child)));
  }
}

function fixed(number) {
  return number.toFixed(1);
}

/** A labelled field with its error slot (.field-error[data-field]). */
function field(label, control, name, hint = null) {
  const wrapper = el('div', { class: 'field' }, el('label', { for: control.id, text: label }));
  const describedBy = new Set((control.getAttribute('aria-describedby') ?? '').split(/\s+/).filter(Boolean));
  if (hint) {
    wrapper.append(hint);
    describedBy.add(hint.id);
  }
  wrapper.append(control);
  if (name) {
    wrapper.append(el('span', {
      id: `${control.id}-error`, class: 'field-error', 'data-field': name, hidden: '',
    }));
    describedBy.add(`${control.id}-error`);
  }
  if (describedBy.size) {
    control.setAttribute('aria-describedby', [...describedBy].join(' '));
  }
  return wrapper;
}

function select(name, id, options) {
  const element = el('select', { id, name });
  for (const [value, label] of options) {
    element.append(el('option', { value, text: label }));
  }
  return element;
}

/** A table with a caption and column headers; headers from numberFrom on are numeric (right-aligned). */
function tableWith(id, caption, columns, numberFrom = columns.length) {
  const table = el('table', { id, class: 'admin-table' }, el('caption', { text: caption }));
  table.append(el('thead', {}, el('tr', {}, ...columns.map((c, i) => el('th', {
    scope: 'col', class: i >= numberFrom ? 'number' : null, text: c,
  })))));
  table.append(el('tbody'));
  return table;
}

function cell(label, content, className = null) {
  return el('td', { 'data-label': label, class: className }, content);
}

function loading(text) {
  return el('p', { class: 'loading', role: 'status', text });
}

function loadingRow(columns, text) {
  return el('tr', { class: 'loading' }, el('td', { colspan: String(columns), text }));
}

function time(iso) {
  if (!iso) {
    return '—';
  }
  return el('time', { datetime: iso, text: formatInstant(iso) });
}

function formatInstant(iso) {
  const date = new Date(iso);
  return Number.isNaN(date.getTime())
    ? String(iso)
    : date.toLocaleString(undefined, { dateStyle: 'medium', timeStyle: 'short' });
}

function plural(count, singular, pluralForm = `${singular}s`) {
  return `${count} ${count === 1 ? singular : pluralForm}`;
}

function capitalised(text) {
  return text.charAt(0).toUpperCase() + text.slice(1);
}

/** A modal yes/no question; resolves true when confirmed. Focus returns to the opener. */
function confirmDialog(message, confirmLabel, opener) {
  return new Promise((resolve) => {
    const confirmButton = el('button', { type: 'button', id: 'admin-confirm-ok', class: 'danger', text: confirmLabel });
    const cancelButton = el('button', { type: 'button', id: 'admin-confirm-cancel', text: 'Cancel' });
    const dialog = el('dialog', { id: 'admin-confirm', class: 'admin-dialog', 'aria-labelledby': 'admin-confirm-message' },
      el('p', { id: 'admin-confirm-message', text: message }),
      el('div', { class: 'actions' }, confirmButton, cancelButton));
    let confirmed = false;
    confirmButton.addEventListener('click', () => {
      confirmed = true;
      dialog.close();
    });
    cancelButton.addEventListener('click', () => dialog.close());
    dialog.addEventListener('close', () => {
      dialog.remove();
      if (opener?.isConnected) {
        opener.focus();
      }
      resolve(confirmed);
    });
    document.body.append(dialog);
    dialog.showModal();
    cancelButton.focus();
  });
}
