// The moderation queue: tabs with counts, filters and sort, items with everything a decision needs, the keyboard,
// claims, decisions with conflict handling and undo, bulk decisions, and live updates from the stream.
// Every value from a comment is inserted as text (textContent), never as markup.

const TABS = [['HELD', 'Held'], ['REPORTED', 'Reported'], ['APPEALED', 'Appealed'], ['APPROVED', 'Approved'],
  ['REJECTED', 'Rejected'], ['ALL', 'All']];
const SORTS = [['oldest', 'Oldest first'], ['newest', 'Newest first'], ['spam', 'Spam score'], ['abuse', 'Abuse score']];
const FILTERS = [
  ['reason', 'Reason (rule id)', 'text', 'e.g. abuse.insult'],
  ['articleId', 'Article', 'text', 'article id'],
  ['email', 'Author email', 'email', 'name@example.org'],
  ['ip', 'IP address', 'text', '203.0.113.7'],
  ['from', 'Submitted from', 'datetime-local', ''],
  ['to', 'Submitted until', 'datetime-local', ''],
];
const ACTIONS = [
  ['APPROVE', 'Approve', 'a'],
  ['REJECT', 'Reject', 'r'],
  ['SPAM', 'Spam', 's'],
  ['HAM', 'Not spam', 'h'],
];
const ACTION_DONE = { APPROVE: 'Approved', REJECT: 'Rejected', SPAM: 'Rejected as spam', HAM: 'Approved as not spam', HOLD: 'Held again' };
const OUTCOME_LABEL = { HELD: 'Held', APPROVED: 'Approved', REJECTED: 'Rejected' };
const PAGE_SIZE = 50;
const UNDO_MS = 10_000;
const CLAIM_DELAY_MS = 250;

export function el(tag, className, text) {
  const node = document.createElement(tag);
  if (className) {
    node.className = className;
  }
  if (text !== undefined && text !== null) {
    node.textContent = text;
  }
  return node;
}

export function button(text, attributes = {}) {
  const node = el('button', attributes.className, text);
  node.type = 'button';
  for (const [name, value] of Object.entries(attributes)) {
    if (name !== 'className') {
      node.setAttribute(name, value);
    }
  }
  return node;
}

function relativeTime(iso, now) {
  const seconds = Math.round((now - Date.parse(iso)) / 1000);
  if (!Number.isFinite(seconds)) {
    return '';
  }
  if (seconds < 60) {
    return 'just now';
  }
  const minutes = Math.round(seconds / 60);
  if (minutes < 60) {
    return `${minutes} min ago`;
  }
  const hours = Math.round(minutes / 60);
  if (hours < 48) {
    return `${hours} h ago`;
  }
  return `${Math.round(hours / 24)} days ago`;
}

function abuseScore(scores) {
  let max = 0;
  for (const [key, value] of Object.entries(scores || {})) {
    if (key.startsWith('abuse') && value > max) {
      max = value;
    }
  }
  return max;
}

/** The order the server sorts in, for live insertion. */
function comparator(sort) {
  const byTime = (a, b) => (a.submittedAt < b.submittedAt ? -1 : a.submittedAt > b.submittedAt ? 1 : (a.id < b.id ? -1 : 1));
  switch (sort) {
    case 'newest':
      return (a, b) => byTime(b, a);
    case 'spam':
      return (a, b) => ((b.decision.scores || {}).spam || 0) - ((a.decision.scores || {}).spam || 0) || byTime(a, b);
    case 'abuse':
      return (a, b) => abuseScore(b.decision.scores) - abuseScore(a.decision.scores) || byTime(a, b);
    default:
      return byTime;
  }
}

function articleLink(template, articleId) {
  if (!template) {
    return null;
  }
  try {
    const url = new URL(template.replace('{articleId}', encodeURIComponent(articleId)), location.href);
    return url.protocol === 'https:' || url.protocol === 'http:' ? url.href : null;
  } catch {
    return null;
  }
}

export function outcomeText(decision) {
  const label = OUTCOME_LABEL[decision.outcome] || decision.outcome;
  return decision.human && decision.decidedBy ? `${label} by ${decision.decidedBy}` : label;
}

function isTyping(target) {
  if (!(target instanceof Element)) {
    return false;
  }
  if (target.isContentEditable || target.closest('textarea, select')) {
    return true;
  }
  return target.tagName === 'INPUT' && !['checkbox', 'radio', 'button', 'submit', 'reset'].includes(target.type);
}

export function renderQueue(container, ctx) {
  const state = {
    tab: 'HELD',
    filters: {},
    sort: 'oldest',
    next: null,
    entries: new Map(), // id -> { item, li }
    current: null,
    selected: new Set(),
    anchor: null, // the last checkbox clicked, for shift-click ranges
    me: ctx.session.name,
    claim: null, // { id, timer } the claim this moderator holds
    claimTimer: null,
    undo: null, // { id, name, action, previous, revision, timer, ticker, deadline }
    loadController: null,
    countsTimer: null,
    parents: new Map(),
    alive: true,
  };
  const articleTemplate = ctx.config && ctx.config.articleUrl;

  // ---- the static markup ----
  const root = el('section', 'queue-view');
  root.id = 'view-queue';
  root.setAttribute('aria-labelledby', 'queue-title');

  const head = el('div', 'queue-head');
  const title = el('h1', null, 'Moderation queue');
  title.id = 'queue-title';
  const helpButton = button('Keys', { className: 'quiet', 'aria-keyshortcuts': '?' });
  helpButton.append(el('span', 'key', '?'));
  head.append(title, helpButton);

  const tabs = el('div', 'tabs');
  tabs.setAttribute('role', 'tablist');
  tabs.setAttribute('aria-label', 'Queues');
  const tabButtons = new Map();
  for (const [tab, label] of TABS) {
    const tabButton = button(label, { role: 'tab', 'aria-controls': 'queue', 'data-tab': tab, id: `tab-${tab}` });
    const count = el('span', 'count', '…');
    tabButton.append(count);
    tabButtons.set(tab, tabButton);
    tabs.append(tabButton);
  }

  const filters = el('form', null);
  filters.id = 'filters';
  filters.setAttribute('role', 'search');
  filters.setAttribute('aria-label', 'Filter and sort');
  filters.noValidate = true;
  for (const [name, label, type, placeholder] of FILTERS) {
    const field = el('div', 'field');
    const input = el('input');
    input.id = `filter-${name}`;
    input.name = name;
    input.type = type;
    if (placeholder) {
      input.placeholder = placeholder;
    }
    input.autocomplete = 'off';
    const labelNode = el('label', null, label);
    labelNode.htmlFor = input.id;
    field.append(labelNode, input);
    filters.append(field);
  }
  const sortField = el('div', 'field');
  const sortSelect = el('select');
  sortSelect.id = 'sort';
  sortSelect.name = 'sort';
  for (const [value, label] of SORTS) {
    const option = el('option', null, label);
    option.value = value;
    sortSelect.append(option);
  }
  const sortLabel = el('label', null, 'Sort');
  sortLabel.htmlFor = 'sort';
  sortField.append(sortLabel, sortSelect);
  const filterActions = el('div', 'filter-actions');
  const applyButton = el('button', 'primary', 'Apply');
  applyButton.type = 'submit';
  const clearButton = button('Clear');
  filterActions.append(applyButton, clearButton);
  filters.append(sortField, filterActions);

  // on a phone the filters fold away behind a button; on wider screens they are always shown
  const filtersToggle = button('Filters and sort', { id: 'filters-toggle', 'aria-controls': 'filters', 'aria-expanded': 'false' });
  filters.classList.add('folded');
  filtersToggle.addEventListener('click', () => {
    const folded = filters.classList.toggle('folded');
    filtersToggle.setAttribute('aria-expanded', String(!folded));
  });

  const toolbar = el('div', 'toolbar');
  const summary = el('span', null, '');
  summary.id = 'queue-summary';
  const selectAll = button('Select all shown', { id: 'select-all' });
  const spacer = el('span', 'spacer');
  const undoButton = button('Undo', { id: 'undo', 'aria-keyshortcuts': 'u' });
  undoButton.hidden = true;
  toolbar.append(summary, spacer, undoButton, selectAll);

  const bulk = el('div');
  bulk.id = 'bulk';
  bulk.setAttribute('role', 'region');
  bulk.setAttribute('aria-label', 'Decide the selected comments');
  bulk.hidden = true;
  const bulkCount = el('span', null, '');
  bulkCount.id = 'bulk-count';
  bulk.append(bulkCount);
  for (const [action, label] of ACTIONS) {
    bulk.append(button(label, { 'data-bulk': action }));
  }
  const clearSelection = button('Clear selection', { className: 'quiet', id: 'bulk-clear' });
  bulk.append(clearSelection);
  const bulkResults = el('ol');
  bulkResults.id = 'bulk-results';
  bulkResults.setAttribute('aria-label', 'Results of the last bulk decision');

  const list = el('ul');
  list.id = 'queue';
  list.setAttribute('role', 'listbox');
  list.setAttribute('aria-label', 'Comments');
  list.setAttribute('aria-multiselectable', 'false');
  list.tabIndex = 0;
  const empty = el('p', 'empty', '');
  empty.id = 'queue-empty';
  empty.hidden = true;
  const loadMore = button('Load more', { id: 'load-more' });
  loadMore.hidden = true;

  const dialogs = buildRejectDialog();
  root.append(head, tabs, filtersToggle, filters, toolbar, bulk, bulkResults, list, empty, loadMore, dialogs.dialog);
  container.append(root);

  // ban, keys and author history are not on the first screen's path: dialogs.js is loaded when one is first opened
  let moreDialogs = null;
  function withDialogs(use) {
    if (!moreDialogs) {
      moreDialogs = import('./dialogs.js').then((module) => module.buildDialogs(root, ctx));
      moreDialogs.catch(() => {
        moreDialogs = null;
      });
    }
    moreDialogs.then((built) => state.alive && use(built),
      () => ctx.announce('The dialog could not be loaded (dialogs.js). Try again.'));
  }

  // ---- items ----

  // the parts every item has, built once and cloned: far faster than building each element anew
  const skeleton = (() => {
    const li = el('li', 'item');
    li.setAttribute('role', 'option');
    li.setAttribute('aria-selected', 'false');
    const top = el('div', 'item-top');
    const selectLabel = el('label', 'select');
    const checkbox = el('input', 'item-select');
    checkbox.type = 'checkbox';
    selectLabel.append(checkbox);
    const time = el('time', 'item-time');
    top.append(selectLabel, el('span', 'item-author-name'), el('span', 'item-outcome'), el('span', 'item-claim'), time);
    const meta = el('div', 'item-meta');
    meta.append(el('span', 'item-email'), el('span', 'item-ip'));
    const actions = el('div', 'item-actions');
    actions.append(button('History', { className: 'item-history' }));
    for (const [action, label, key] of ACTIONS) {
      const actionButton = button(label, { 'data-action': action, 'aria-keyshortcuts': key });
      actionButton.append(el('span', 'key', key));
      actions.append(actionButton);
    }
    if (ctx.isAdmin) {
      const banButton = button('Ban author', { 'data-action': 'BAN', 'aria-keyshortcuts': 'b' });
      banButton.append(el('span', 'key', 'b'));
      actions.append(banButton);
    }
    li.append(top, meta, el('p', 'item-text'), actions);
    return li;
  })();

  function buildItem(item, now) {
    const li = skeleton.cloneNode(true);
    const outcomeName = item.decision.outcome;
    li.className = `item outcome-${outcomeName}`;
    li.id = `item-${item.id}`;
    li.dataset.id = item.id;
    const author = item.author || {};
    const [top, meta, text, actions] = li.children;

    const [selectLabel, name, outcome, claim, time] = top.children;
    const checkbox = selectLabel.firstChild;
    checkbox.checked = state.selected.has(item.id);
    checkbox.setAttribute('aria-label', `Select the comment by ${author.name || 'unknown'}`);
    name.textContent = author.name || '(no name)';
    outcome.className = `item-outcome outcome-${outcomeName}`;
    outcome.textContent = outcomeText(item.decision);
    claim.textContent = claimText(item.claim);
    time.dateTime = item.submittedAt;
    time.textContent = relativeTime(item.submittedAt, now);
    time.title = item.submittedAt.slice(0, 16).replace('T', ' ') + ' UTC';

    meta.firstChild.textContent = author.email || '';
    meta.children[1].textContent = item.clientIp ? `IP ${item.clientIp}` : 'IP unknown';
    if (author.website) {
      // shown as text only: a moderator must not be one click away from an author's page
      meta.append(el('span', 'item-website', author.website));
    }
    const href = articleLink(articleTemplate, item.articleId);
    const article = el(href ? 'a' : 'span', 'item-article', `Article: ${item.articleId}`);
    if (href) {
      article.href = href;
      article.target = '_blank';
      article.rel = 'noopener noreferrer';
    }
    meta.append(article);

    text.textContent = item.text;
    if (item.parentId) {
      const parent = el('p', 'item-parent', 'In reply to another comment…');
      parent.dataset.parentId = item.parentId;
      li.insertBefore(parent, text);
    }

    const reasons = item.decision.reasons || [];
    const scores = item.decision.scores || {};
    const evidence = item.decision.evidence || {};
    const shown = new Set();
    if (reasons.length) {
      const reasonList = el('ul', 'item-reasons');
      reasonList.setAttribute('aria-label', 'Reasons');
      for (const reason of reasons) {
        const row = el('li');
        row.append(el('span', 'reason-rule', reason.ruleId), el('span', 'reason-message', reason.message));
        const key = reason.ruleId in scores ? reason.ruleId : reason.ruleId.split('.')[0];
        if (key in scores) {
          shown.add(key);
          row.append(el('span', 'reason-score', `score ${Number(scores[key]).toFixed(2)}`));
        }
        const words = evidence[reason.ruleId] || evidence[key];
        if (words && words.length) {
          const marks = el('span', 'reason-evidence');
          marks.setAttribute('aria-label', 'Evidence');
          for (const word of words) {
            marks.append(el('mark', null, word));
          }
          row.append(marks);
        }
        reasonList.append(row);
      }
      li.insertBefore(reasonList, actions);
    }
    const otherScores = Object.entries(scores).filter(([key, value]) => !shown.has(key) && value >= 0.01);
    if (otherScores.length) {
      li.insertBefore(el('p', 'item-scores',
        `Scores: ${otherScores.map(([key, value]) => `${key} ${Number(value).toFixed(2)}`).join(' · ')}`), actions);
    }

    if (item.reported) {
      li.insertBefore(reportedSummary(item), actions);
    }
    if (item.appeal && !item.appeal.resolvedAt) {
      const appeal = el('div', 'item-reported item-appeal');
      appeal.append(el('p', null, 'The author asks for a human review of this decision'));
      if (item.appeal.explanation) {
        appeal.append(el('p', 'appeal-explanation', item.appeal.explanation));
      }
      li.insertBefore(appeal, actions);
    }

    const history = item.authorHistory;
    const historyButton = actions.firstChild;
    historyButton.textContent = history ? `History: ${history.approved} approved, ${history.rejected} rejected` : 'History';
    historyButton.dataset.email = author.email || '';
    li.setAttribute('aria-label', `${author.name || 'Unknown'}: ${item.text.slice(0, 80)}`);
    return li;
  }

  /** How often and why readers reported the comment, and a button that lists their reports. */
  function reportedSummary(item) {
    const reported = item.reported;
    const box = el('div', 'item-reported');
    const reasons = Object.entries(reported.reasons || {})
      .map(([reason, count]) => `${reason.toLowerCase().replace(/_/g, ' ')} ${count}`).join(', ');
    box.append(el('p', null, `Reported ${reported.reports} ${reported.reports === 1 ? 'time' : 'times'}`
      + (reasons ? ` (${reasons})` : '') + (reported.notice ? ' · includes a notice of illegal content' : '')));
    const show = button('Show reports', { 'aria-expanded': 'false' });
    show.addEventListener('click', async () => {
      const open = show.getAttribute('aria-expanded') === 'true';
      const shown = box.querySelector('.report-list');
      if (shown) {
        shown.remove();
      }
      show.setAttribute('aria-expanded', String(!open));
      if (open) {
        return;
      }
      try {
        const reports = await ctx.api(`comments/${encodeURIComponent(item.id)}/reports`);
        const list = el('ul', 'report-list');
        for (const report of reports) {
          const row = el('li');
          row.append(el('span', 'report-reason', report.reason.toLowerCase().replace(/_/g, ' ')));
          if (report.note) {
            row.append(el('span', 'report-note', report.note));
          }
          if (report.notice) {
            row.append(el('span', 'report-notice',
              `Notice by ${report.notice.name} <${report.notice.email}>: ${report.notice.explanation}`));
          }
          list.append(row);
        }
        box.append(list);
      } catch (e) {
        show.setAttribute('aria-expanded', 'false');
        ctx.announce('The reports could not be loaded.');
      }
    });
    box.append(show);
    return box;
  }

  function claimText(claim) {
    if (!claim || !claim.moderator || claim.moderator === state.me) {
      return '';
    }
    if (claim.until && Date.parse(claim.until) <= Date.now()) {
      return '';
    }
    return `${claim.moderator} is reviewing`;
  }

  /** Puts the items in the list, replacing what was there (or after it, with append). */
  function renderItems(items, append) {
    const now = Date.now();
    const fragment = document.createDocumentFragment();
    if (!append) {
      state.entries.clear();
    }
    for (const item of items) {
      if (state.entries.has(item.id)) {
        continue;
      }
      const li = buildItem(item, now);
      state.entries.set(item.id, { item, li });
      fragment.append(li);
    }
    if (append) {
      list.append(fragment);
    } else {
      list.replaceChildren(fragment);
    }
    observeParents();
  }

  function itemIds() {
    return Array.from(list.children, (li) => li.dataset.id);
  }

  function replaceItem(item) {
    const entry = state.entries.get(item.id);
    if (!entry) {
      return;
    }
    const li = buildItem(item, Date.now());
    const hadFocus = entry.li.contains(document.activeElement);
    entry.li.replaceWith(li);
    entry.item = item;
    entry.li = li;
    if (state.current === item.id) {
      markCurrent(li);
    }
    if (hadFocus) {
      list.focus();
    }
    observeParents();
  }

  function removeItem(id) {
    const entry = state.entries.get(id);
    if (!entry) {
      return;
    }
    const ids = itemIds();
    const index = ids.indexOf(id);
    const hadFocus = entry.li.contains(document.activeElement);
    entry.li.remove();
    state.entries.delete(id);
    state.selected.delete(id);
    updateBulk();
    if (state.current === id) {
      const rest = itemIds();
      setCurrent(rest.length ? rest[Math.min(index, rest.length - 1)] : null, { scroll: true });
    }
    if (hadFocus) {
      list.focus();
    }
    updateEmpty();
  }

  function insertSorted(item) {
    if (state.entries.has(item.id)) {
      replaceItem(item);
      return;
    }
    const compare = comparator(state.sort);
    let before = null;
    for (const li of list.children) {
      const other = state.entries.get(li.dataset.id);
      if (other && compare(item, other.item) < 0) {
        before = li;
        break;
      }
    }
    if (!before && state.next) {
      // it sorts after the last loaded item: the next page brings it
      return;
    }
    const li = buildItem(item, Date.now());
    state.entries.set(item.id, { item, li });
    list.insertBefore(li, before);
    observeParents();
    updateEmpty();
    if (!state.current) {
      setCurrent(item.id, { scroll: false });
    }
  }

  function updateEmpty() {
    const none = list.children.length === 0;
    empty.hidden = !none;
    if (none) {
      const label = TABS.find(([tab]) => tab === state.tab)[1].toLowerCase();
      empty.textContent = Object.keys(state.filters).length
        ? `No ${label} comments match these filters.`
        : (state.tab === 'HELD' ? 'Nothing is waiting for a decision. New held comments appear here as they arrive.'
          : `No ${label} comments.`);
    }
    summary.textContent = `${list.children.length} shown${state.next ? ', more to load' : ''}`;
    loadMore.hidden = !state.next;
  }

  // the parent of a reply is loaded when the reply comes into view
  const parentObserver = 'IntersectionObserver' in window ? new IntersectionObserver((entries) => {
    for (const entry of entries) {
      if (entry.isIntersecting) {
        parentObserver.unobserve(entry.target);
        loadParent(entry.target);
      }
    }
  }) : null;

  function observeParents() {
    for (const node of list.querySelectorAll('.item-parent:not([data-observed])')) {
      node.dataset.observed = 'true';
      if (parentObserver) {
        parentObserver.observe(node);
      } else {
        loadParent(node);
      }
    }
  }

  function loadParent(node) {
    const id = node.dataset.parentId;
    if (!state.parents.has(id)) {
      state.parents.set(id, ctx.api(`comments/${encodeURIComponent(id)}`).catch(() => null));
    }
    state.parents.get(id).then((parent) => {
      node.textContent = parent
        ? `In reply to ${parent.author ? parent.author.name : 'unknown'}: ${parent.text}`
        : 'In reply to a comment that could not be loaded.';
    });
  }

  // ---- the current item and claims ----

  function markCurrent(li) {
    li.classList.add('current');
    li.setAttribute('aria-selected', 'true');
    list.setAttribute('aria-activedescendant', li.id);
  }

  function setCurrent(id, { scroll = true } = {}) {
    if (id && state.current === id) {
      markCurrent(state.entries.get(id).li);
      return;
    }
    const previous = state.current && state.entries.get(state.current);
    if (previous) {
      previous.li.classList.remove('current');
      previous.li.setAttribute('aria-selected', 'false');
    }
    state.current = id;
    if (!id) {
      list.removeAttribute('aria-activedescendant');
      releaseClaim();
      return;
    }
    const entry = state.entries.get(id);
    markCurrent(entry.li);
    if (scroll) {
      entry.li.scrollIntoView({ block: 'nearest' });
    }
    if (!state.claim || state.claim.id !== id) {
      releaseClaim();
      clearTimeout(state.claimTimer);
      // moving through the list quickly claims only where the moderator stops
      state.claimTimer = setTimeout(() => claim(id), CLAIM_DELAY_MS);
    }
  }

  async function claim(id) {
    const entry = state.entries.get(id);
    if (!state.alive || state.current !== id || !entry || entry.item.decision.outcome !== 'HELD') {
      return;
    }
    try {
      const claimed = await ctx.api(`comments/${encodeURIComponent(id)}/claim`, { method: 'POST' });
      if (claimed && claimed.moderator) {
        state.me = claimed.moderator;
      }
      if (!state.alive || state.current !== id) {
        release(id);
        return;
      }
      state.claim = { id };
      // a claim is a lease: renewed while the moderator stays on the comment
      const until = claimed && Date.parse(claimed.until);
      const renewIn = Number.isFinite(until) ? Math.max(5_000, until - Date.now() - 15_000) : 60_000;
      state.claim.timer = setTimeout(() => {
        if (state.claim && state.claim.id === id) {
          state.claim = null;
          claim(id);
        }
      }, renewIn);
    } catch (e) {
      if (e.status === 409 && e.problem && e.problem.claim) {
        const current = state.entries.get(id);
        if (current) {
          current.item = { ...current.item, claim: e.problem.claim };
          current.li.querySelector('.item-claim').textContent = claimText(e.problem.claim);
        }
        ctx.announce(`${e.problem.claim.moderator} is reviewing this comment.`);
      } else if (e.status === 404) {
        removeItem(id);
      }
    }
  }

  function releaseClaim() {
    clearTimeout(state.claimTimer);
    if (state.claim) {
      clearTimeout(state.claim.timer);
      const { id } = state.claim;
      state.claim = null;
      release(id);
    }
  }

  /** A decision ends the claim on the server: nothing is left to release. */
  function forgetClaim(id) {
    if (state.claim && state.claim.id === id) {
      clearTimeout(state.claim.timer);
      state.claim = null;
    }
  }

  function release(id, keepalive) {
    if (keepalive) {
      // the page is going away: fetch with keepalive outlives it (sendBeacon cannot send the token)
      const token = ctx.session.token;
      fetch(`/api/moderation/comments/${encodeURIComponent(id)}/claim`, {
        method: 'DELETE', keepalive: true, headers: { Authorization: `Bearer ${token}` },
      }).catch(() => {});
      return;
    }
    ctx.api(`comments/${encodeURIComponent(id)}/claim`, { method: 'DELETE' }).catch(() => {});
  }

  function move(step) {
    const ids = itemIds();
    if (!ids.length) {
      return;
    }
    const index = ids.indexOf(state.current);
    const next = index < 0 ? 0 : Math.min(ids.length - 1, Math.max(0, index + step));
    setCurrent(ids[next]);
    if (index === ids.length - 1 && step > 0 && state.next) {
      loadPage(true);
    }
  }

  // ---- loading ----

  function query(extra = {}) {
    const params = new URLSearchParams({ status: state.tab, sort: state.sort, limit: String(PAGE_SIZE), ...extra });
    for (const [name, value] of Object.entries(state.filters)) {
      params.set(name, value);
    }
    return `comments?${params}`;
  }

  async function loadPage(append) {
    if (state.loadController) {
      state.loadController.abort();
    }
    const controller = new AbortController();
    state.loadController = controller;
    list.setAttribute('aria-busy', 'true');
    loadMore.disabled = true;
    try {
      const page = await ctx.api(query(append && state.next ? { cursor: state.next } : {}), { signal: controller.signal });
      if (controller.signal.aborted || !state.alive) {
        return;
      }
      state.next = page.next || null;
      if (!append) {
        releaseClaim();
        state.current = null;
        state.selected.clear();
        updateBulk();
      }
      renderItems(page.items || [], append);
      if (!state.current && list.firstElementChild) {
        setCurrent(list.firstElementChild.dataset.id, { scroll: false });
      }
      updateEmpty();
    } catch (e) {
      if (e.name === 'AbortError' || !state.alive) {
        return;
      }
      if (e.status === 403) {
        ctx.showNotAllowed(e.message);
      } else if (e.problem && Array.isArray(e.problem.errors) && e.problem.errors.length) {
        ctx.announce(`Filters: ${e.problem.errors.map((error) => `${error.field} ${error.message}`).join('; ')}`);
      } else if (e.status !== 401) {
        empty.hidden = false;
        empty.textContent = `The queue could not be loaded: ${e.message}`;
        ctx.announce(`The queue could not be loaded: ${e.message}`);
      }
    } finally {
      if (state.loadController === controller) {
        state.loadController = null;
        list.removeAttribute('aria-busy');
        loadMore.disabled = false;
      }
    }
  }

  async function loadCounts() {
    try {
      const counts = await ctx.api('counts');
      for (const [tab, tabButton] of tabButtons) {
        const count = tabButton.querySelector('.count');
        const value = counts && Number.isFinite(counts[tab]) ? counts[tab] : null;
        count.textContent = value === null ? '–' : String(value);
      }
    } catch {
      // the counts are a convenience: the queue works without them
    }
  }

  function refreshCountsSoon() {
    clearTimeout(state.countsTimer);
    state.countsTimer = setTimeout(loadCounts, 400);
  }

  function selectTab(tab, focus) {
    state.tab = tab;
    for (const [name, tabButton] of tabButtons) {
      const selected = name === tab;
      tabButton.setAttribute('aria-selected', String(selected));
      tabButton.tabIndex = selected ? 0 : -1;
    }
    list.setAttribute('aria-label', `${TABS.find(([name]) => name === tab)[1]} comments`);
    if (focus) {
      tabButtons.get(tab).focus();
    }
    loadPage(false);
  }

  function readFilters() {
    const values = {};
    for (const [name, , type] of FILTERS) {
      const raw = filters.elements[name].value.trim();
      if (!raw) {
        continue;
      }
      if (type === 'datetime-local') {
        const date = new Date(raw);
        if (!Number.isNaN(date.getTime())) {
          values[name] = date.toISOString();
        }
      } else {
        values[name] = raw;
      }
    }
    return values;
  }

  /** Whether the item belongs to the tab: the reported tab holds published comments readers reported. */
  function inTab(item) {
    if (state.tab === 'REPORTED') {
      return Boolean(item.reported);
    }
    if (state.tab === 'APPEALED') {
      return Boolean(item.appeal && !item.appeal.resolvedAt);
    }
    return state.tab === 'ALL' || item.decision.outcome === state.tab;
  }

  function passesFilters(item) {
    const f = state.filters;
    if (!inTab(item)) {
      return false;
    }
    if (f.reason && !(item.decision.reasons || []).some((reason) => reason.ruleId === f.reason)) {
      return false;
    }
    if (f.articleId && item.articleId !== f.articleId) {
      return false;
    }
    if (f.email && (item.author.email || '').toLowerCase() !== f.email.toLowerCase()) {
      return false;
    }
    if (f.ip && item.clientIp !== f.ip) {
      return false;
    }
    if (f.from && item.submittedAt < f.from) {
      return false;
    }
    return !(f.to && item.submittedAt > f.to);
  }

  // ---- decisions ----

  function entryOrAnnounce(id) {
    const entry = id && state.entries.get(id);
    if (!entry) {
      ctx.announce('No comment is selected.');
    }
    return entry;
  }

  function applyDecided(id, detailOrDecision) {
    forgetClaim(id);
    const entry = state.entries.get(id);
    if (!entry) {
      return;
    }
    const item = detailOrDecision.decision && detailOrDecision.id
      ? { ...entry.item, ...detailOrDecision }
      : { ...entry.item, decision: detailOrDecision, claim: null };
    if (!inTab(item)) {
      removeItem(id);
    } else {
      replaceItem(item);
    }
  }

  function describe(entry) {
    return `the comment by ${entry.item.author.name || 'unknown'}`;
  }

  function setBusy(entry, busy) {
    for (const actionButton of entry.li.querySelectorAll('[data-action]')) {
      actionButton.disabled = busy;
    }
  }

  /** fields: reason, ground, reference. From the reject dialog (inDialog), a 422 is thrown for the dialog to show. */
  async function decide(id, action, fields = {}, { undoOf, inDialog } = {}) {
    const entry = entryOrAnnounce(id);
    if (!entry) {
      return;
    }
    const previous = entry.item.decision;
    const body = { action, expectedRevision: undoOf ? undoOf.revision : previous.revision };
    for (const [name, value] of Object.entries(fields)) {
      if (value) {
        body[name] = value;
      }
    }
    setBusy(entry, true);
    try {
      const detail = await ctx.api(`comments/${encodeURIComponent(id)}/decision`, { method: 'POST', body });
      const done = `${ACTION_DONE[action] || action}: ${describe(entry)}.`;
      applyDecided(id, detail);
      ctx.announce(done);
      offerUndo(undoOf ? null : { id, name: entry.item.author.name, action, previous: previous.outcome, revision: detail.decision.revision });
      return true;
    } catch (e) {
      setBusy(entry, false);
      if (inDialog && e.status === 422) {
        throw e;
      }
      return handleDecisionError(id, entry, action, e, undoOf);
    } finally {
      refreshCountsSoon();
    }
  }

  function handleDecisionError(id, entry, action, e, undoOf) {
    const problem = e.problem || {};
    if (e.status === 503 && problem.decision) {
      applyDecided(id, problem.decision);
      ctx.announce(`${ACTION_DONE[action] || action}: ${describe(entry)}. It is stored and will be published shortly.`);
      offerUndo(undoOf ? null : { id, name: entry.item.author.name, action, previous: entry.item.decision.outcome, revision: problem.decision.revision });
      return true;
    } else if (e.status === 409 && problem.decision) {
      // someone decided meanwhile: theirs stands, and the item shows it rather than an error
      const winner = problem.decision;
      replaceItem({ ...entry.item, decision: winner, claim: null });
      ctx.announce(`Already decided by ${winner.decidedBy || 'automatic moderation'}: ${winner.outcome}.`);
    } else if (e.status === 409 && problem.claim) {
      const current = state.entries.get(id);
      if (current) {
        current.item = { ...current.item, claim: problem.claim };
        current.li.querySelector('.item-claim').textContent = claimText(problem.claim);
      }
      ctx.announce(`${problem.claim.moderator} is reviewing this comment.`);
    } else if (e.status === 404) {
      removeItem(id);
      ctx.announce('That comment no longer exists.');
    } else if (e.status === 403) {
      ctx.announce(`Not allowed: ${e.message}`);
    } else if (e.status !== 401) {
      ctx.announce(`The decision failed: ${e.message}`);
    }
    return false;
  }

  function offerUndo(undo) {
    if (state.undo) {
      clearTimeout(state.undo.timer);
      clearInterval(state.undo.ticker);
      state.undo = null;
    }
    if (!undo) {
      undoButton.hidden = true;
      return;
    }
    undo.deadline = Date.now() + UNDO_MS;
    const label = () => {
      const seconds = Math.max(0, Math.ceil((undo.deadline - Date.now()) / 1000));
      undoButton.textContent = `Undo ${ACTION_DONE[undo.action].toLowerCase()} (${seconds} s)`;
    };
    label();
    undoButton.hidden = false;
    undo.ticker = setInterval(label, 1000);
    undo.timer = setTimeout(() => offerUndo(null), UNDO_MS);
    state.undo = undo;
  }

  async function undoLast() {
    const undo = state.undo;
    if (!undo || Date.now() > undo.deadline) {
      ctx.announce('Nothing to undo.');
      return;
    }
    offerUndo(null);
    // a new decision restoring the previous outcome
    const action = undo.previous === 'HELD' ? 'HOLD' : undo.previous === 'APPROVED' ? 'APPROVE' : 'REJECT';
    let entry = state.entries.get(undo.id);
    if (!entry) {
      // it left the list: fetch it, to decide on it and show it again
      try {
        const item = await ctx.api(`comments/${encodeURIComponent(undo.id)}`);
        const li = buildItem(item, Date.now());
        entry = { item, li };
        state.entries.set(item.id, entry);
        const compare = comparator(state.sort);
        const before = Array.from(list.children).find((node) => compare(item, state.entries.get(node.dataset.id).item) < 0);
        list.insertBefore(li, before || null);
        updateEmpty();
      } catch (e) {
        ctx.announce(`The undo failed: ${e.message}`);
        return;
      }
    }
    if (!(await decide(undo.id, action, { reason: 'Undo' }, { undoOf: undo }))) {
      return;
    }
    if (state.entries.has(undo.id)) {
      setCurrent(undo.id);
    }
    ctx.announce(`Undone: the comment by ${undo.name} is ${OUTCOME_LABEL[undo.previous].toLowerCase()} again.`);
  }

  async function act(id, action) {
    const entry = entryOrAnnounce(id);
    if (!entry) {
      return;
    }
    if (action === 'BAN') {
      openBan(entry);
      return;
    }
    if (action === 'REJECT') {
      // with the ground of the removal, for the author's statement of reasons
      dialogs.askReject(`Reject ${describe(entry)}`, true, (fields) => decide(id, action, fields, { inDialog: true }));
      return;
    }
    await decide(id, action);
  }

  // ---- bulk ----

  function updateBulk() {
    const count = state.selected.size;
    bulk.hidden = count === 0;
    bulkCount.textContent = `${count} selected`;
  }

  function toggleSelected(id, selected) {
    const entry = state.entries.get(id);
    if (!entry) {
      return;
    }
    const value = selected === undefined ? !state.selected.has(id) : selected;
    if (value) {
      state.selected.add(id);
    } else {
      state.selected.delete(id);
    }
    entry.li.querySelector('.item-select').checked = value;
    entry.li.classList.toggle('selected', value);
    updateBulk();
  }

  function decideSelected(action) {
    const ids = itemIds().filter((id) => state.selected.has(id));
    if (!ids.length) {
      return;
    }
    if (action === 'REJECT') {
      // the bulk decision takes a reason only: its statements of reasons name the site's terms
      dialogs.askReject(`Reject ${ids.length} comments`, false, ({ reason }) => decideBulk(ids, action, reason));
      return;
    }
    decideBulk(ids, action);
  }

  async function decideBulk(ids, action, reason) {
    // the names now: live updates may take decided comments off the list before the answer arrives
    const names = new Map(ids.map((id) => [id, state.entries.get(id).item.author.name]));
    const body = { ids: ids.slice(0, 100), action };
    if (reason) {
      body.reason = reason;
    }
    for (const button_ of bulk.querySelectorAll('[data-bulk]')) {
      button_.disabled = true;
    }
    try {
      const result = await ctx.api('comments/decisions', { method: 'POST', body });
      const rows = [];
      for (const row of result.results || []) {
        const entry = state.entries.get(row.id);
        const who = names.get(row.id) || row.id;
        let text = `${who}: ${row.result}`;
        if (row.result === 'CONFLICT' && row.decision) {
          text += ` (already decided by ${row.decision.decidedBy || 'automatic moderation'}: ${row.decision.outcome})`;
        } else if (row.detail && row.result !== 'OK') {
          text += ` (${row.detail})`;
        }
        const li = el('li', `result-${row.result}`, text);
        li.dataset.id = row.id;
        rows.push(li);
        if (row.decision && entry) {
          state.selected.delete(row.id);
          applyDecided(row.id, row.decision);
        }
      }
      bulkResults.replaceChildren(...rows);
      updateBulk();
      ctx.announce(`${ACTION_DONE[action]}: ${result.ok} of ${ids.length} comments${result.failed ? `; ${result.failed} not decided (see the results)` : ''}.`);
    } catch (e) {
      if (e.status === 403) {
        ctx.announce(`Not allowed: ${e.message}`);
      } else if (e.status !== 401) {
        ctx.announce(`The bulk decision failed: ${e.message}`);
      }
    } finally {
      for (const button_ of bulk.querySelectorAll('[data-bulk]')) {
        button_.disabled = false;
      }
      refreshCountsSoon();
    }
  }

  // ---- ban ----

  function openBan(entry) {
    if (!ctx.isAdmin) {
      ctx.announce('Only administrators can ban.');
      return;
    }
    withDialogs((built) => built.openBan(entry.item, async (request) => {
      const created = await ctx.api('bans', { method: 'POST', body: request });
      const rejected = (created.existing && created.existing.rejected) || [];
      const failed = (created.existing && created.existing.failed) || [];
      for (const id of rejected) {
        if (state.entries.has(id)) {
          const current = state.entries.get(id).item;
          applyDecided(id, { ...current.decision, outcome: 'REJECTED', revision: current.decision.revision + 1 });
        }
      }
      refreshCountsSoon();
      ctx.announce(`Banned ${request.type.toLowerCase()} ${request.value}`
        + `${request.rejectExisting ? `; ${rejected.length} existing comment${rejected.length === 1 ? '' : 's'} rejected` : ''}`
        + `${failed.length ? `, ${failed.length} could not be rejected` : ''}.`);
    }));
  }

  // ---- live updates ----

  const stream = ctx.openStream((type, data) => {
    if (!state.alive) {
      return;
    }
    if (type === 'connected') {
      loadCounts();
      if (state.connectedBefore) {
        // events may have been missed while reconnecting: what arrived meanwhile is added, and when the list is
        // re-read whole (one page covers it), what was decided meanwhile leaves it
        const limit = Math.min(100, Math.max(PAGE_SIZE, state.entries.size + 10));
        ctx.api(query({ limit: String(limit) })).then((page) => {
          if (!state.alive) {
            return;
          }
          const items = page.items || [];
          const found = new Set(items.map((item) => item.id));
          if (!page.next) {
            const gone = [...state.entries.keys()].filter((id) => !found.has(id));
            if (gone.includes(state.current)) {
              ctx.announce('The comment you had open was decided while the live queue was reconnecting.');
            }
            gone.forEach(removeItem);
          }
          items.forEach((item) => {
            const known = state.entries.get(item.id);
            if (!known) {
              insertSorted(item);
            } else if (known.item.decision.revision < item.decision.revision) {
              replaceItem(item);
            }
          });
        }).catch(() => {});
      }
      state.connectedBefore = true;
      return;
    }
    if (type === 'claimed' || type === 'released') {
      const entry = state.entries.get(data.id);
      if (entry) {
        const claimNow = type === 'claimed' ? { moderator: data.moderator, until: data.until } : null;
        if (type === 'released' && entry.item.claim && entry.item.claim.moderator !== data.moderator) {
          return;
        }
        entry.item = { ...entry.item, claim: claimNow };
        entry.li.querySelector('.item-claim').textContent = claimText(claimNow);
      }
      return;
    }
    if (type !== 'decided') {
      return;
    }
    refreshCountsSoon();
    const entry = state.entries.get(data.id);
    if (entry) {
      if (data.revision <= entry.item.decision.revision) {
        return; // already shown (our own decision)
      }
      forgetClaim(data.id);
      // a moderator's decision takes a comment out of the reported queue, whatever it decides
      if (state.tab === 'REPORTED' || state.tab === 'APPEALED'
        ? data.human : state.tab !== 'ALL' && data.outcome !== state.tab) {
        if (state.current === data.id && data.human) {
          ctx.announce(`Decided by ${data.decidedBy || 'a colleague'}: ${data.outcome}. The comment left the list.`);
        }
        removeItem(data.id);
        return;
      }
    } else if (state.tab === 'REPORTED' || state.tab === 'APPEALED' || (state.tab !== 'ALL' && data.outcome !== state.tab)) {
      return;
    }
    ctx.api(`comments/${encodeURIComponent(data.id)}`).then((item) => {
      if (!state.alive) {
        return;
      }
      const known = state.entries.get(item.id);
      if (known && known.item.decision.revision >= item.decision.revision) {
        return;
      }
      if (!passesFilters(item)) {
        if (known) {
          removeItem(item.id);
        }
        return;
      }
      if (known) {
        replaceItem(item);
      } else {
        insertSorted(item);
        if (item.decision.outcome === 'HELD' && data.revision === 1) {
          ctx.announce(`New held comment by ${item.author.name}.`);
        }
      }
    }).catch(() => {});
  });

  // ---- events ----

  tabs.addEventListener('click', (event) => {
    const tabButton = event.target.closest('[data-tab]');
    if (tabButton && tabButton.dataset.tab !== state.tab) {
      selectTab(tabButton.dataset.tab, false);
    }
  });
  tabs.addEventListener('keydown', (event) => {
    const order = TABS.map(([tab]) => tab);
    const index = order.indexOf(state.tab);
    const moves = { ArrowRight: 1, ArrowLeft: -1, Home: -index, End: order.length - 1 - index };
    if (event.key in moves) {
      event.preventDefault();
      selectTab(order[(index + moves[event.key] + order.length) % order.length], true);
    }
  });
  filters.addEventListener('submit', (event) => {
    event.preventDefault();
    state.filters = readFilters();
    state.sort = sortSelect.value;
    loadPage(false);
  });
  sortSelect.addEventListener('change', () => {
    state.sort = sortSelect.value;
    loadPage(false);
  });
  clearButton.addEventListener('click', () => {
    filters.reset();
    state.filters = {};
    state.sort = 'oldest';
    loadPage(false);
  });
  loadMore.addEventListener('click', () => loadPage(true));
  undoButton.addEventListener('click', undoLast);
  helpButton.addEventListener('click', () => withDialogs((built) => built.showKeys()));
  selectAll.addEventListener('click', () => {
    const ids = itemIds();
    const all = ids.length > 0 && ids.every((id) => state.selected.has(id));
    ids.forEach((id) => toggleSelected(id, !all));
  });
  clearSelection.addEventListener('click', () => itemIds().forEach((id) => toggleSelected(id, false)));
  bulk.addEventListener('click', (event) => {
    const bulkButton = event.target.closest('[data-bulk]');
    if (bulkButton) {
      decideSelected(bulkButton.dataset.bulk);
    }
  });

  list.addEventListener('click', (event) => {
    const li = event.target.closest('li.item');
    if (!li) {
      return;
    }
    const id = li.dataset.id;
    const checkbox = event.target.closest('.item-select');
    if (checkbox) {
      if (event.shiftKey && state.anchor && state.entries.has(state.anchor)) {
        const ids = itemIds();
        const [from, to] = [ids.indexOf(state.anchor), ids.indexOf(id)].sort((a, b) => a - b);
        ids.slice(from, to + 1).forEach((rangeId) => toggleSelected(rangeId, checkbox.checked));
      } else {
        toggleSelected(id, checkbox.checked);
      }
      state.anchor = id;
      setCurrent(id, { scroll: false });
      return;
    }
    const actionButton = event.target.closest('[data-action]');
    if (actionButton) {
      setCurrent(id, { scroll: false });
      act(id, actionButton.dataset.action);
      return;
    }
    const historyButton = event.target.closest('.item-history');
    if (historyButton) {
      setCurrent(id, { scroll: false });
      const { email } = historyButton.dataset;
      withDialogs((built) => built.openHistory(email, state.entries.get(id)?.item.author.name));
      return;
    }
    if (!event.target.closest('a')) {
      setCurrent(id, { scroll: false });
    }
  });

  function onKeydown(event) {
    if (event.defaultPrevented || event.ctrlKey || event.metaKey || event.altKey || event.isComposing) {
      return;
    }
    if (isTyping(event.target) || document.querySelector('dialog[open]')) {
      return;
    }
    const handlers = {
      j: () => move(1),
      k: () => move(-1),
      a: () => act(state.current, 'APPROVE'),
      r: () => act(state.current, 'REJECT'),
      s: () => act(state.current, 'SPAM'),
      h: () => act(state.current, 'HAM'),
      b: () => (ctx.isAdmin ? act(state.current, 'BAN') : ctx.announce('Only administrators can ban.')),
      u: () => undoLast(),
      x: () => {
        if (state.current) {
          toggleSelected(state.current);
          state.anchor = state.current;
        }
      },
      '?': () => withDialogs((built) => built.showKeys()),
    };
    const handler = handlers[event.key];
    if (handler) {
      event.preventDefault();
      handler();
    }
  }
  document.addEventListener('keydown', onKeydown);

  function onPageHide() {
    if (state.claim) {
      release(state.claim.id, true);
      state.claim = null;
    }
  }
  window.addEventListener('pagehide', onPageHide);

  // the render benchmark of the browser tests: only with ?benchmark in the address
  if (new URLSearchParams(location.search).has('benchmark')) {
    // renders `count` real comments from the API (repeated under new ids when there are fewer) with the queue's
    // own rendering, and says how long that took
    window.__renderBenchmark = async (count = 100) => {
      const page = await ctx.api(`comments?status=ALL&sort=newest&limit=${Math.min(count, 100)}`);
      const source = page.items || [];
      if (!source.length) {
        throw new Error('no comments to render');
      }
      const items = Array.from({ length: count }, (_, i) => ({ ...source[i % source.length], id: `bench-${i}` }));
      const start = performance.now();
      renderItems(items, false);
      const built = performance.now();
      // layout included: what the moderator waits for
      void list.offsetHeight;
      const end = performance.now();
      return { count: list.children.length, distinct: source.length, buildMs: built - start, totalMs: end - start };
    };
  }

  // ---- start ----
  selectTab('HELD', false);
  loadCounts();

  return () => {
    state.alive = false;
    stream.close();
    // the view may be going because the moderator signs out at the provider: a keepalive request outlives the page
    if (state.claim) {
      clearTimeout(state.claim.timer);
    }
    onPageHide();
    releaseClaim();
    offerUndo(null);
    clearTimeout(state.countsTimer);
    if (state.loadController) {
      state.loadController.abort();
    }
    if (parentObserver) {
      parentObserver.disconnect();
    }
    document.removeEventListener('keydown', onKeydown);
    window.removeEventListener('pagehide', onPageHide);
    for (const dialog of root.querySelectorAll('dialog[open]')) {
      dialog.close();
    }
    delete window.__renderBenchmark;
  };
}

// ---- the reject dialog: a reason for the moderators; the ground and reference of the removal for its author ----

function buildRejectDialog() {
  const dialog = el('dialog');
  dialog.id = 'reason-dialog';
  dialog.setAttribute('aria-labelledby', 'reason-title');
  const form = el('form');
  form.noValidate = true;
  const title = el('h2', null, 'Reject');
  title.id = 'reason-title';
  const error = el('p', 'field-error');
  error.id = 'reason-error';
  error.setAttribute('role', 'alert');
  const input = (id, max, text) => {
    const field = el('input');
    field.id = id;
    field.maxLength = max;
    field.autocomplete = 'off';
    field.setAttribute('aria-describedby', error.id);
    const label = el('label', null, text);
    label.htmlFor = id;
    return [label, field];
  };
  const [reasonLabel, reason] = input('reason-input', 500, 'Reason (optional, for the other moderators and the audit log)');
  // the author's statement of reasons names the ground and the reference, never the reason above
  const ground = el('fieldset', 'ground');
  const legend = el('legend', null, 'Ground, told to the author');
  ground.append(legend);
  const radios = {};
  for (const [value, text] of [['TERMS', 'Against the site\'s terms'], ['LAW', 'Illegal content']]) {
    const radio = el('input');
    radio.type = 'radio';
    radio.name = 'ground';
    radio.value = value;
    radio.id = `ground-${value.toLowerCase()}`;
    const label = el('label', 'check');
    label.append(radio, document.createTextNode(text));
    ground.append(label);
    radios[value] = radio;
  }
  const [referenceLabel, reference] = input('reference-input', 200, '');
  ground.append(referenceLabel, reference);
  const actions = el('div', 'dialog-actions');
  const cancel = button('Cancel');
  const confirm = el('button', 'primary', 'Reject');
  confirm.type = 'submit';
  confirm.id = 'reason-confirm';
  actions.append(cancel, confirm);
  form.append(title, reasonLabel, reason, ground, error, actions);
  dialog.append(form);

  const labels = { reason: reasonLabel, ground: legend, reference: referenceLabel };
  const law = () => !ground.hidden && radios.LAW.checked;
  const showGround = () => {
    referenceLabel.textContent = law() ? 'Which law (required)' : 'Which clause of the terms (optional)';
    reference.setAttribute('aria-required', String(law()));
  };
  const clear = () => {
    error.textContent = '';
    reason.removeAttribute('aria-invalid');
    reference.removeAttribute('aria-invalid');
  };
  ground.addEventListener('change', showGround);
  let submit = null;
  form.addEventListener('submit', async (event) => {
    event.preventDefault();
    if (!submit || confirm.disabled) {
      return;
    }
    const values = { reason: reason.value.trim() };
    if (!ground.hidden) {
      values.ground = law() ? 'LAW' : 'TERMS';
      values.reference = reference.value.trim();
    }
    clear();
    confirm.disabled = true;
    try {
      await submit(values);
      submit = null;
      dialog.close();
    } catch (e) {
      // the API refused the decision for what was entered: its message, with the field's label, and the dialog stays
      const errors = (e.problem && e.problem.errors) || [];
      error.textContent = errors.length
        ? errors.map((p) => `${labels[p.field] ? labels[p.field].textContent : p.field}: ${p.message}`).join(' ')
        : e.message;
      const field = errors.some((p) => p.field === 'reference' || p.field === 'ground') ? reference : reason;
      field.setAttribute('aria-invalid', 'true');
      field.focus();
    } finally {
      confirm.disabled = false;
    }
  });
  cancel.addEventListener('click', () => dialog.close());
  dialog.addEventListener('close', () => {
    submit = null;
  });

  /** Opens the dialog; onSubmit(values) decides, and a 422 it throws is shown in the dialog, which stays open. */
  function askReject(heading, withGround, onSubmit) {
    title.textContent = heading;
    reason.value = '';
    reference.value = '';
    radios.TERMS.checked = true;
    ground.hidden = !withGround;
    showGround();
    clear();
    submit = onSubmit;
    dialog.showModal();
    reason.focus();
  }

  return { dialog, askReject };
}
