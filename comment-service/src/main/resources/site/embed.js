/*! Talkback comment widget. Embed: <div id="comments" data-article-id="…"></div>
    <script src="https://comments.example/embed.js" async></script>
    Plain JavaScript, no dependencies, no inline script or style (works under a strict CSP). Readers' names and the
    service's messages are inserted as text nodes; a comment's body is the service's rendering (its html), parsed into
    an inert document and copied node by node through an allow-list, never handed to the page as markup. */
(function () {
  'use strict';

  var script = document.currentScript || document.querySelector('script[src$="/embed.js"]');
  var BASE = new URL(script ? script.src : '/embed.js', location.href).origin;
  var LABELS = { name: 'Name', email: 'Email', website: 'Website', text: 'Comment' };
  var MAX_DEPTH = 3;
  var PAGE_SIZE = 20;
  var STORE_KEY = 'talkback.pending';
  // the rel the service puts on every link in a comment (CommentRenderer.LINK_REL)
  var LINK_REL = 'nofollow ugc noopener';
  var seq = 0;

  // ---------- small DOM helpers: every piece of reader text goes through textContent or a text node ----------

  function el(tag, cls, text) {
    var e = document.createElement(tag);
    if (cls) e.className = cls;
    if (text != null) e.textContent = text;
    return e;
  }

  function attrs(e, map) {
    for (var k in map) if (Object.prototype.hasOwnProperty.call(map, k)) e.setAttribute(k, map[k]);
    return e;
  }

  function webUrl(value) {
    try {
      var u = new URL(value);
      return (u.protocol === 'http:' || u.protocol === 'https:') && u.hostname ? u.href : null;
    } catch (e) {
      return null;
    }
  }

  // ---------- a comment's body: the service's html, through an allow-list of what CommentRenderer produces ----------

  /**
   * Copies the html's paragraphs, line breaks, http(s) links and text into target. The html is parsed by DOMParser
   * into a document that runs no script and loads nothing; only the allowed nodes are created anew in the page.
   * The service never sends anything else; should it, an element outside the list is left out with its content,
   * and a link to anything but an http(s) URL is kept as its text.
   */
  function renderHtml(target, html) {
    copyAllowed(new DOMParser().parseFromString(html, 'text/html').body, target);
  }

  function copyAllowed(from, to) {
    Array.prototype.forEach.call(from.childNodes, function (node) {
      if (node.nodeType === Node.TEXT_NODE) {
        to.appendChild(document.createTextNode(node.nodeValue));
      } else if (node.nodeType === Node.ELEMENT_NODE && node.namespaceURI === 'http://www.w3.org/1999/xhtml') {
        var tag = node.localName;
        if (tag === 'p') {
          copyAllowed(node, to.appendChild(el('p')));
        } else if (tag === 'br') {
          to.appendChild(el('br'));
        } else if (tag === 'a') {
          var href = webUrl(node.getAttribute('href') || '');
          var a = href ? to.appendChild(attrs(el('a'), { href: href, rel: LINK_REL })) : to;
          copyAllowed(node, a);
        }
      }
    });
  }

  var relative = window.Intl && Intl.RelativeTimeFormat ? new Intl.RelativeTimeFormat('en', { numeric: 'auto' }) : null;

  function ago(iso) {
    var seconds = (Date.parse(iso) - Date.now()) / 1000;
    if (!relative || isNaN(seconds)) return new Date(iso).toLocaleString();
    if (Math.abs(seconds) < 45) return 'just now';
    var units = [['year', 31536000], ['month', 2592000], ['week', 604800], ['day', 86400], ['hour', 3600], ['minute', 60]];
    for (var i = 0; i < units.length; i++) {
      if (Math.abs(seconds) >= units[i][1] || units[i][0] === 'minute') {
        return relative.format(Math.round(seconds / units[i][1]), units[i][0]);
      }
    }
  }

  // ---------- the author's pending comments, kept in this browser with their status link ----------

  function loadPending() {
    try {
      return JSON.parse(localStorage.getItem(STORE_KEY) || '[]');
    } catch (e) {
      return [];
    }
  }

  function savePending(list) {
    try {
      localStorage.setItem(STORE_KEY, JSON.stringify(list));
    } catch (e) { /* private mode or full: the comment is still shown until the page is left */ }
  }

  function updatePending(id, change) {
    savePending(loadPending().map(function (p) { return p.id === id ? Object.assign(p, change) : p; })
      .filter(function (p) { return !p.done; }));
  }

  // ---------- the widget ----------

  function Widget(root) {
    this.root = root;
    this.articleId = root.getAttribute('data-article-id');
    this.api = BASE + '/api/articles/' + encodeURIComponent(this.articleId) + '/comments';
    this.shown = {};      // comment id → {li, depth, list, name, pending}
    this.total = 0;
    this.next = null;
    this.replyTo = null;
    this.queue = [];      // stream events that arrived before the first page
    this.polling = {};    // ids of the author's comments whose status is being checked
    this.nudge = true;    // ask the draft check before posting, until the service says it has none (404)
    this.nudged = null;   // the text the author was last prompted about: posting it unchanged is "Post anyway"
    this.ready = false;
    this.n = ++seq;
    this.build();
  }

  Widget.prototype.build = function () {
    var self = this, n = this.n;
    this.box = el('div', 'tb');
    this.heading = attrs(el('h2', 'tb-count', 'Comments'), { id: 'tb-count-' + n });
    this.live = attrs(el('p', 'tb-live'), { role: 'status', 'aria-live': 'polite' });
    this.list = attrs(el('ol', 'tb-list'), { 'aria-labelledby': 'tb-count-' + n });
    this.more = attrs(el('button', 'tb-more', 'Load more comments'), { type: 'button' });
    this.more.hidden = true;
    this.more.addEventListener('click', function () { self.load(); });

    this.respond = attrs(el('div', 'tb-respond'), { id: 'respond' });
    var title = attrs(el('h3', 'tb-reply-title', 'Leave a Reply'), { id: 'tb-reply-title-' + n });
    this.replyingTo = el('span', 'tb-replying-to');
    this.cancel = attrs(el('button', 'tb-cancel', 'Cancel reply'), { type: 'button' });
    this.cancel.hidden = true;
    this.cancel.addEventListener('click', function () { self.cancelReply(true); });
    title.appendChild(this.replyingTo);
    title.appendChild(document.createTextNode(' '));
    title.appendChild(this.cancel);

    var form = this.form = attrs(el('form', 'tb-form'), { novalidate: '', 'aria-labelledby': title.id });
    var note = el('p', 'tb-note', 'Your email address will not be published. Required fields are marked ');
    note.appendChild(el('span', 'tb-req', '*'));
    form.appendChild(note);
    this.fields = {};
    this.field('name', 'input', { type: 'text', autocomplete: 'name' }, true);
    this.field('email', 'input', { type: 'email', autocomplete: 'email' }, true);
    this.field('website', 'input', { type: 'url', autocomplete: 'url' }, false);
    this.field('text', 'textarea', { rows: '6' }, true);
    // Both off by default: the site mails an address only when its owner asked (and confirmed it).
    this.notify = this.checkbox('notifyReplies', 'tb-notify-' + n, 'Notify me of follow-up comments by email');
    this.notifyPublished = this.checkbox('notifyPublished', 'tb-notify-published-' + n,
      'Notify me when my comment is published');
    this.prompt = this.nudgePrompt();
    form.appendChild(this.prompt);
    var actions = el('p', 'tb-actions');
    this.submit = attrs(el('button', 'tb-submit', 'Post Comment'), { type: 'submit' });
    actions.appendChild(this.submit);
    form.appendChild(actions);
    this.formStatus = attrs(el('p', 'tb-form-status'), { role: 'status', 'aria-live': 'polite' });
    form.appendChild(this.formStatus);
    form.addEventListener('submit', function (e) { e.preventDefault(); self.post(); });
    form.addEventListener('keydown', function (e) { if (e.key === 'Escape' && self.replyTo) self.cancelReply(true); });
    this.respond.appendChild(title);
    this.respond.appendChild(form);

    [this.heading, this.live, this.list, this.more, this.respond].forEach(function (e) { self.box.appendChild(e); });
    this.root.textContent = '';
    this.root.appendChild(this.box);
  };

  /** The "think again" prompt, hidden until a draft check names a category; the author may still post. */
  Widget.prototype.nudgePrompt = function () {
    var self = this, id = 'tb-nudge-' + this.n;
    var box = attrs(el('div', 'tb-nudge'), { role: 'group', 'aria-labelledby': id });
    this.promptText = attrs(el('p', 'tb-nudge-text'), { id: id, tabindex: '-1' });
    this.promptAdvice = el('ul', 'tb-nudge-advice');
    var buttons = el('p', 'tb-nudge-actions');
    var edit = attrs(el('button', 'tb-nudge-edit', 'Edit my comment'), { type: 'button' });
    var anyway = attrs(el('button', 'tb-nudge-post', 'Post anyway'), { type: 'button' });
    edit.addEventListener('click', function () {
      self.hidePrompt();
      self.fields.text.input.focus();
    });
    // the fields as they are now: the text prompted about is posted without asking again, an edited one is checked
    anyway.addEventListener('click', function () { self.post(); });
    buttons.appendChild(edit);
    buttons.appendChild(document.createTextNode(' '));
    buttons.appendChild(anyway);
    [this.promptText, this.promptAdvice, buttons].forEach(function (e) { box.appendChild(e); });
    box.hidden = true;
    return box;
  };

  Widget.prototype.hidePrompt = function () {
    this.prompt.hidden = true;
  };

  Widget.prototype.checkbox = function (name, id, text) {
    var p = el('p', 'tb-field tb-check'), input = attrs(el('input'), { type: 'checkbox', id: id, name: name });
    p.appendChild(input);
    p.appendChild(attrs(el('label', null, text), { for: id }));
    this.form.appendChild(p);
    return input;
  };

  Widget.prototype.field = function (name, tag, extra, required) {
    var id = 'tb-' + name + '-' + this.n, p = el('p', 'tb-field tb-field-' + name);
    var label = attrs(el('label', null, LABELS[name]), { for: id });
    if (required) {
      label.appendChild(document.createTextNode(' '));
      label.appendChild(attrs(el('span', 'tb-req', '*'), { 'aria-hidden': 'true' }));
    }
    var input = attrs(el(tag), extra);
    attrs(input, { id: id, name: name, 'aria-describedby': id + '-error' });
    if (required) input.required = true;
    var error = attrs(el('span', 'tb-error'), { id: id + '-error', 'data-field': name });
    input.addEventListener('input', function () { if (input.getAttribute('aria-invalid')) showError(input, error, null); });
    p.appendChild(label);
    p.appendChild(input);
    p.appendChild(error);
    this.form.appendChild(p);
    this.fields[name] = { input: input, error: error };
  };

  function showError(input, error, message, suggestion, apply) {
    error.textContent = '';
    if (!message) {
      input.removeAttribute('aria-invalid');
      return;
    }
    input.setAttribute('aria-invalid', 'true');
    error.appendChild(document.createTextNode(message));
    if (suggestion) {
      error.appendChild(document.createTextNode(' Did you mean '));
      var b = attrs(el('button', 'tb-suggestion', suggestion), { type: 'button' });
      b.addEventListener('click', function () { apply(suggestion); });
      error.appendChild(b);
      error.appendChild(document.createTextNode('?'));
    }
  }

  Widget.prototype.fieldError = function (name, message, suggestion) {
    var f = this.fields[name];
    showError(f.input, f.error, message && LABELS[name] + ' ' + message + (/[.?!]$/.test(message) ? '' : '.'), suggestion,
      function (value) {
        f.input.value = value;
        showError(f.input, f.error, null);
        f.input.focus();
      });
  };

  // ---------- reading ----------

  Widget.prototype.start = function () {
    var self = this;
    this.pending = loadPending().filter(function (p) { return p.articleId === self.articleId; });
    var started = false;
    function first() {
      if (!started) {
        started = true;
        self.load();
      }
    }
    this.connect(first);
    // the first page is read once the stream is open, so no comment falls between the two; not later than 1.5 s
    setTimeout(first, 1500);
    setInterval(function () { self.refreshTimes(); }, 60000);
    window.addEventListener('hashchange', function () { self.highlight(0); });
    // a page left for another keeps no connection open (the browser may keep it in its back/forward cache, and a
    // browser opens only a few connections per host): the stream is closed, and resumed if the page is shown again
    window.addEventListener('pagehide', function () { if (self.es) self.es.close(); });
    window.addEventListener('pageshow', function (e) { if (e.persisted) self.connect(function () {}, self.lastId); });
  };

  Widget.prototype.load = function () {
    var self = this, url = this.api + '?limit=' + PAGE_SIZE + (this.next ? '&cursor=' + encodeURIComponent(this.next) : '');
    this.more.disabled = true;
    return fetch(url, { headers: { Accept: 'application/json' } })
      .then(function (r) {
        if (!r.ok) throw new Error('HTTP ' + r.status);
        return r.json();
      })
      .then(function (page) {
        page.comments.forEach(function (c) { self.add(c, null); });
        self.next = page.next;
        self.total = page.total;
        self.more.hidden = !page.next;
        self.more.disabled = false;
        if (!self.ready) {
          self.ready = true;
          self.pending.forEach(function (p) { self.addPending(p); });
          self.queue.splice(0).forEach(function (f) { f(); });
          self.root.setAttribute('data-state', 'ready');
          self.highlight(0);
        }
        self.updateCount();
      })
      .catch(function () {
        self.more.disabled = false;
        self.say('The comments could not be loaded. Please try again later.');
      });
  };

  /** Shows the comments afresh from the first page; the author's own comments awaiting moderation stay. */
  Widget.prototype.reload = function () {
    var self = this;
    this.list.textContent = '';
    this.shown = {};
    this.next = null;
    this.total = 0;
    this.ready = false;
    this.pending = loadPending().filter(function (p) { return p.articleId === self.articleId; });
    return this.load();
  };

  Widget.prototype.connect = function (opened, lastId) {
    var self = this;
    if (!window.EventSource) return opened();
    var es = this.es = new EventSource(this.api + '/stream' + (lastId ? '?lastEventId=' + encodeURIComponent(lastId) : ''));
    this.lastId = lastId;
    es.onopen = opened;
    function handle(fn) {
      return function (e) {
        self.lastId = e.lastEventId || self.lastId;
        var data = JSON.parse(e.data);
        if (self.ready) fn(data); else self.queue.push(function () { fn(data); });
      };
    }
    es.addEventListener('comment', handle(function (c) {
      if (self.publish(c, true)) self.say('New comment by ' + c.name + '.');
    }));
    es.addEventListener('removed', handle(function (r) { self.remove(r.id); }));
    // the server cannot replay what was missed (away too long, or too much changed): read the comments afresh
    es.addEventListener('reload', function (e) {
      self.lastId = e.lastEventId || self.lastId;
      if (self.ready) self.reload();
    });
    es.onerror = function () {
      // the browser reconnects by itself (with Last-Event-ID) unless the server answered with an error: retry later
      if (es.readyState === EventSource.CLOSED && self.es === es) {
        setTimeout(function () { if (self.es === es) self.connect(function () {}, self.lastId); }, 10000);
      }
    };
  };

  /** Shows a published comment (from a page, the stream or the author's status check); false when already shown. */
  Widget.prototype.publish = function (c, live) {
    var known = this.shown[c.id];
    if (known && !known.pending) {
      if (c.text === '') this.erase(known, c);   // its author had it erased: it keeps its place in the thread
      return false;
    }
    if (known) {
      known.li.parentNode.removeChild(known.li);
      delete this.shown[c.id];
      updatePending(c.id, { done: true });
      if (/awaiting/.test(this.formStatus.textContent)) this.formStatus.textContent = 'Your comment is published.';
    }
    var parent = c.parentId && this.shown[c.parentId];
    if (c.parentId && !parent) {
      this.total++;   // a reply under a comment on a page not loaded yet
      this.updateCount();
      return false;
    }
    if (!c.parentId && live && this.next && !known) {
      this.total++;   // its place is after the pages not loaded yet: "Load more" brings it
      this.updateCount();
      return false;
    }
    this.add(c, parent);
    this.total++;
    this.updateCount();
    return true;
  };

  Widget.prototype.erase = function (entry, c) {
    var body = entry.li.querySelector('.tb-body');
    body.querySelector('.tb-author').textContent = c.name;
    var text = body.querySelector('.tb-text');
    text.textContent = '';
    text.appendChild(el('p', 'tb-deleted', 'This comment was deleted.'));
    var flag = body.querySelector('.tb-report');
    if (flag) flag.parentNode.removeChild(flag);
    entry.name = c.name;
  };

  Widget.prototype.remove = function (id) {
    var known = this.shown[id];
    if (!known || known.pending) return;
    var gone = known.li.querySelectorAll('.tb-comment:not(.tb-pending)').length + 1;
    known.li.parentNode.removeChild(known.li);
    delete this.shown[id];
    this.total = Math.max(0, this.total - gone);
    this.updateCount();
  };

  Widget.prototype.add = function (c, parent, pending) {
    if (this.shown[c.id]) return;
    var self = this, depth = parent ? parent.depth + 1 : 1, list = this.list;
    if (parent) {
      if (parent.depth >= MAX_DEPTH) {
        depth = parent.depth;      // deeper replies are flattened under the deepest level
        list = parent.li.parentNode;
      } else {
        if (!parent.list) parent.list = parent.li.insertBefore(el('ol', 'tb-children'), parent.moreReplies || null);
        list = parent.list;
      }
    }
    var li = attrs(el('li', 'tb-comment tb-depth-' + depth + (pending ? ' tb-pending' : '')), { id: 'comment-' + c.id });
    var body = el('article', 'tb-body');
    var meta = el('p', 'tb-meta');
    var author = el('span', 'tb-author');
    var site = c.website && webUrl(c.website);
    if (site) {
      var a = attrs(el('a', null, c.name), { rel: 'nofollow ugc' });
      a.href = site;
      author.appendChild(a);
    } else {
      author.textContent = c.name;
    }
    meta.appendChild(author);
    if (parent && parent.depth >= MAX_DEPTH) {
      // the API lists a reply nested deeper than its cap under an ancestor: name the comment it answers
      var answered = (c.parentId && this.shown[c.parentId]) || parent;
      meta.appendChild(el('span', 'tb-in-reply', ' in reply to ' + answered.name));
    }
    if (c.publishedAt) {
      var link = attrs(el('a', 'tb-permalink'), { href: '#comment-' + c.id });
      var time = attrs(el('time', null, ago(c.publishedAt)), { datetime: c.publishedAt, title: new Date(c.publishedAt).toLocaleString() });
      link.appendChild(time);
      meta.appendChild(document.createTextNode(' '));
      meta.appendChild(link);
    }
    body.appendChild(meta);
    var text = el('div', 'tb-text');
    var erased = c.text === '';   // erased at its author's request: the thread keeps its place
    if (erased) {
      text.appendChild(el('p', 'tb-deleted', 'This comment was deleted.'));
    } else if (typeof c.html === 'string') {
      renderHtml(text, c.html);
    } else {
      text.appendChild(el('p', null, c.text));   // from an earlier version of the service, or kept by one of the widget
    }
    body.appendChild(text);
    var state = el('p', 'tb-state');
    body.appendChild(state);
    if (!pending) {
      var reply = attrs(el('button', 'tb-reply', 'Reply'), { type: 'button', 'aria-label': 'Reply to ' + c.name });
      reply.addEventListener('click', function () { self.startReply(c.id, reply); });
      body.appendChild(reply);
    }
    if (!pending && !erased) {
      body.appendChild(document.createTextNode(' '));
      var flag = attrs(el('button', 'tb-report', 'Report'), { type: 'button', 'aria-label': 'Report the comment by ' + c.name,
        'aria-expanded': 'false' });
      flag.addEventListener('click', function () { self.toggleReport(c.id, flag); });
      body.appendChild(flag);
    }
    li.appendChild(body);
    list.appendChild(li);
    var entry = this.shown[c.id] = { li: li, depth: depth, list: null, name: c.name, pending: !!pending, state: state };
    (c.replies || []).forEach(function (r) { self.add(r, entry); });
    if (c.repliesNext) this.moreReplies(entry, c);
    return entry;
  };

  /** "Show N more replies": the rest of a thread, in batches, each reply placed under the comment it answers. */
  Widget.prototype.moreReplies = function (entry, c) {
    var self = this, next = c.repliesNext, left = c.moreReplies || 0;
    var button = entry.moreReplies = attrs(el('button', 'tb-more-replies'), { type: 'button' });
    function label() {
      button.textContent = left > 1 ? 'Show ' + left + ' more replies' : left === 1 ? 'Show 1 more reply' : 'Show more replies';
    }
    label();
    entry.li.appendChild(button);
    entry.loadReplies = function () {
      button.disabled = true;
      return fetch(self.api + '/' + encodeURIComponent(c.id) + '/replies?cursor=' + encodeURIComponent(next),
        { headers: { Accept: 'application/json' } })
        .then(function (r) {
          if (!r.ok) throw new Error('HTTP ' + r.status);
          return r.json();
        })
        .then(function (batch) {
          batch.comments.forEach(function (r) { self.add(r, self.shown[r.parentId] || entry); });
          next = batch.next;
          left = Math.max(0, left - batch.comments.length);
          button.disabled = false;
          if (next) {
            label();
          } else {
            button.parentNode.removeChild(button);
            entry.loadReplies = null;
          }
        })
        .catch(function () {
          button.disabled = false;
          self.say('The replies could not be loaded. Please try again later.');
        });
    };
    button.addEventListener('click', function () { entry.loadReplies(); });
  };

  Widget.prototype.updateCount = function () {
    this.heading.textContent = this.total === 0 ? 'No comments yet' : this.total + (this.total === 1 ? ' Comment' : ' Comments');
  };

  Widget.prototype.refreshTimes = function () {
    Array.prototype.forEach.call(this.list.querySelectorAll('time[datetime]'), function (t) {
      t.textContent = ago(t.getAttribute('datetime'));
    });
  };

  Widget.prototype.say = function (message) {
    this.live.textContent = message;
  };

  /** Scrolls to and marks the comment named by #comment-{id}, loading further pages and replies to find it. */
  Widget.prototype.highlight = function (pagesLoaded) {
    var m = /^#comment-([0-9A-Za-z]+)$/.exec(location.hash), self = this;
    if (!m) return;
    var target = this.shown[m[1]];
    if (target) {
      var prev = this.list.querySelector('.tb-highlight');
      if (prev) prev.classList.remove('tb-highlight');
      target.li.classList.add('tb-highlight');
      target.li.setAttribute('tabindex', '-1');
      target.li.scrollIntoView({ block: 'center' });
      target.li.focus({ preventScroll: true });
    } else if (pagesLoaded < 20) {
      // further pages first, then the further replies of the threads shown, in their order
      var thread = null;
      for (var id in this.shown) if (!thread && this.shown[id].loadReplies) thread = this.shown[id];
      var more = this.next ? this.load() : thread && thread.loadReplies();
      if (more) more.then(function () { self.highlight(pagesLoaded + 1); });
    }
  };

  // ---------- reporting ----------

  var REASONS = [
    ['spam', 'Spam or advertising'],
    ['abuse', 'Abusive, insulting or hateful'],
    ['off-topic', 'Off-topic'],
    ['personal-information', 'Shares someone\'s personal information'],
    ['illegal-content', 'Illegal content (a legal notice)'],
    ['other', 'Something else']
  ];
  var REPORT_LABELS = { reason: 'Reason', note: 'Note', explanation: 'Why the content is illegal', name: 'Your name',
    email: 'Your email', goodFaith: 'Statement' };

  /** Opens (or closes) the report form under a comment; one form at a time per comment. */
  Widget.prototype.toggleReport = function (id, button) {
    var entry = this.shown[id];
    if (entry.report) {
      entry.report.parentNode.removeChild(entry.report);
      entry.report = null;
      button.setAttribute('aria-expanded', 'false');
      button.focus();
      return;
    }
    entry.report = this.reportForm(id, entry, button);
    button.parentNode.appendChild(entry.report);
    button.setAttribute('aria-expanded', 'true');
    entry.report.querySelector('input[type=radio]').focus();
  };

  /**
   * The report form: a reason, an optional note and, for a notice of illegal content, what the law asks of one (an
   * explanation, the notifier's name and address, a statement of good faith). What is wrong is the service's answer.
   */
  Widget.prototype.reportForm = function (id, entry, button) {
    var self = this, n = this.n + '-' + id;
    var form = attrs(el('form', 'tb-report-form'), { novalidate: '', 'aria-label': 'Report the comment by ' + entry.name });
    var reasons = attrs(el('fieldset', 'tb-report-reasons'), { 'aria-describedby': 'tb-report-reason-' + n + '-error' });
    reasons.appendChild(el('legend', null, 'Why should the moderators look at this comment?'));
    REASONS.forEach(function (r, i) {
      var rid = 'tb-report-' + n + '-' + i, p = el('p', 'tb-field tb-check');
      p.appendChild(attrs(el('input'), { type: 'radio', id: rid, name: 'reason', value: r[0] }));
      p.appendChild(attrs(el('label', null, r[1]), { for: rid }));
      reasons.appendChild(p);
    });
    var fields = {};
    fields.reason = { input: reasons, error: attrs(el('span', 'tb-error'), { id: 'tb-report-reason-' + n + '-error' }) };
    reasons.appendChild(fields.reason.error);
    form.appendChild(reasons);
    function field(name, tag, extra, parent) {
      var fid = 'tb-report-' + name + '-' + n, p = el('p', 'tb-field');
      var input = attrs(el(tag), extra);
      attrs(input, { id: fid, name: name, 'aria-describedby': fid + '-error' });
      var error = attrs(el('span', 'tb-error'), { id: fid + '-error' });
      p.appendChild(attrs(el('label', null, REPORT_LABELS[name]), { for: fid }));
      p.appendChild(input);
      p.appendChild(error);
      parent.appendChild(p);
      fields[name] = { input: input, error: error };
    }
    field('note', 'textarea', { rows: '3', maxlength: '1000' }, form);
    var notice = attrs(el('div', 'tb-report-notice'), { role: 'group', 'aria-label': 'Notice of illegal content' });
    notice.appendChild(el('p', 'tb-note', 'A notice of illegal content is sent to the site with your name and email '
      + 'address, which are not shown to the comment\'s author. You will be told what was decided.'));
    field('explanation', 'textarea', { rows: '4', maxlength: '5000' }, notice);
    field('name', 'input', { type: 'text', autocomplete: 'name' }, notice);
    field('email', 'input', { type: 'email', autocomplete: 'email' }, notice);
    var faith = el('p', 'tb-field tb-check'), fid = 'tb-report-faith-' + n;
    var faithBox = attrs(el('input'), { type: 'checkbox', id: fid, name: 'goodFaith', 'aria-describedby': fid + '-error' });
    faith.appendChild(faithBox);
    faith.appendChild(attrs(el('label', null, 'I believe in good faith that this notice is accurate and complete.'),
      { for: fid }));
    fields.goodFaith = { input: faithBox, error: attrs(el('span', 'tb-error'), { id: fid + '-error' }) };
    faith.appendChild(fields.goodFaith.error);
    notice.appendChild(faith);
    notice.hidden = true;
    form.appendChild(notice);
    reasons.addEventListener('change', function () {
      notice.hidden = !form.querySelector('input[value=illegal-content]').checked;
    });
    var actions = el('p', 'tb-actions');
    var send = attrs(el('button', 'tb-report-send', 'Send report'), { type: 'submit' });
    var cancel = attrs(el('button', 'tb-report-cancel', 'Cancel'), { type: 'button' });
    cancel.addEventListener('click', function () { self.toggleReport(id, button); });
    actions.appendChild(send);
    actions.appendChild(document.createTextNode(' '));
    actions.appendChild(cancel);
    form.appendChild(actions);
    var status = attrs(el('p', 'tb-form-status'), { role: 'status', 'aria-live': 'polite' });
    form.appendChild(status);
    form.addEventListener('keydown', function (e) { if (e.key === 'Escape') self.toggleReport(id, button); });
    form.addEventListener('submit', function (e) {
      e.preventDefault();
      var chosen = form.querySelector('input[name=reason]:checked');
      var body = { reason: chosen ? chosen.value : null, note: fields.note.input.value.trim() || null };
      if (body.reason === 'illegal-content') {
        body.explanation = fields.explanation.input.value.trim() || null;
        body.name = fields.name.input.value.trim() || null;
        body.email = fields.email.input.value.trim() || null;
        body.goodFaith = faithBox.checked;
      }
      Object.keys(fields).forEach(function (name) { showError(fields[name].input, fields[name].error, null); });
      send.disabled = true;
      status.textContent = 'Sending your report…';
      fetch(BASE + '/api/comments/' + encodeURIComponent(id) + '/reports', { method: 'POST',
        headers: { 'Content-Type': 'application/json', Accept: 'application/json' }, body: JSON.stringify(body) })
        .then(function (r) {
          return r.json().catch(function () { return {}; }).then(function (json) {
            if (r.status === 202) {
              entry.report = null;
              form.parentNode.removeChild(form);
              button.disabled = true;
              button.setAttribute('aria-expanded', 'false');
              button.textContent = 'Reported';
              self.say(body.reason === 'illegal-content'
                ? 'Thank you. Your notice was received; you will be told what is decided.'
                : 'Thank you. The moderators will look at this comment.');
              return;
            }
            (Array.isArray(json.errors) ? json.errors : []).forEach(function (e) {
              var f = e && fields[e.field];
              if (f && typeof e.message === 'string') {
                showError(f.input, f.error, REPORT_LABELS[e.field] + ' ' + e.message + (/[.?!]$/.test(e.message) ? '' : '.'));
              }
            });
            status.textContent = r.status === 422 ? 'Please correct the fields marked above.'
              : typeof json.detail === 'string' ? json.detail : 'The report could not be sent. Please try again later.';
            var invalid = form.querySelector('[aria-invalid=true]');
            if (invalid) (invalid.tagName === 'FIELDSET' ? invalid.querySelector('input') : invalid).focus();
          });
        })
        .catch(function () {
          status.textContent = 'The comment server could not be reached. Check your connection and try again.';
        })
        .then(function () { send.disabled = false; });
    });
    return form;
  };

  // ---------- replying ----------

  Widget.prototype.startReply = function (id, button) {
    var entry = this.shown[id];
    this.replyTo = id;
    this.replyButton = button;
    entry.li.insertBefore(this.respond, entry.li.children[1] || null);
    this.replyingTo.textContent = ' to ' + entry.name;
    this.cancel.hidden = false;
    this.fields.text.input.focus();
  };

  Widget.prototype.cancelReply = function (focusBack) {
    this.replyTo = null;
    this.replyingTo.textContent = '';
    this.cancel.hidden = true;
    this.box.appendChild(this.respond);
    if (focusBack && this.replyButton && this.replyButton.isConnected) this.replyButton.focus();
  };

  // ---------- posting ----------

  Widget.prototype.values = function () {
    var f = this.fields;
    return {
      name: f.name.input.value.trim(),
      email: f.email.input.value.trim(),
      website: f.website.input.value.trim(),
      text: f.text.input.value.trim()
    };
  };

  /**
   * Posts the comment; what is wrong with a field is said by the service's answer (its rules and messages, in one
   * place), shown under the field. A comment missing a required field is not worth a draft check first.
   */
  Widget.prototype.post = function () {
    var self = this, v = this.values();
    var complete = Object.keys(this.fields).every(function (name) { return v[name] || !self.fields[name].input.required; });
    // an empty field is sent as none, which the service names as required
    var body = { name: v.name || null, email: v.email || null, website: v.website || null, text: v.text || null,
      parentId: this.replyTo, notifyReplies: this.notify.checked, notifyPublished: this.notifyPublished.checked };
    this.hidePrompt();
    if (complete && this.nudge && this.nudged !== body.text) this.check(body); else this.send(body);
  };

  /**
   * Asks the draft check first. Any failure (network, 429, 503, an answer it cannot read) posts the comment as if
   * there were no check; a 404 means the site has none: the widget stops asking.
   */
  Widget.prototype.check = function (body) {
    var self = this;
    this.submit.disabled = true;
    this.formStatus.textContent = 'Posting your comment…';
    fetch(this.api + '/check', { method: 'POST', headers: { 'Content-Type': 'application/json', Accept: 'application/json' },
      body: JSON.stringify({ text: body.text }) })
      .then(function (r) {
        if (r.status === 404) self.nudge = false;
        return r.ok ? r.json() : null;
      })
      .catch(function () { return null; })
      .then(function (answer) {
        var found = answer && Array.isArray(answer.categories) ? answer.categories.filter(function (c) {
          return c && typeof c.description === 'string' && typeof c.advice === 'string';
        }) : [];
        if (found.length) self.showPrompt(found, body); else self.send(body);
      });
  };

  function listed(words) {
    return words.length < 2 ? words.join('') : words.slice(0, -1).join(', ') + ' and ' + words[words.length - 1];
  }

  Widget.prototype.showPrompt = function (categories, body) {
    var self = this;
    this.submit.disabled = false;
    this.formStatus.textContent = '';
    this.nudged = body.text;
    this.promptText.textContent = 'Your comment may read as '
      + listed(categories.map(function (c) { return c.description; })) + '.';
    this.promptAdvice.textContent = '';
    categories.forEach(function (c) { self.promptAdvice.appendChild(el('li', null, c.advice)); });
    this.prompt.hidden = false;
    this.promptText.focus();
  };

  Widget.prototype.send = function (body) {
    var self = this;
    this.submit.disabled = true;
    this.formStatus.textContent = 'Posting your comment…';
    fetch(this.api, { method: 'POST', headers: { 'Content-Type': 'application/json', Accept: 'application/json' },
      body: JSON.stringify(body) })
      .then(function (r) {
        return r.json().catch(function () { return {}; }).then(function (json) { self.answered(r, json, body); });
      })
      .catch(function () {
        self.formStatus.textContent = 'The comment server could not be reached. Check your connection and try again.';
      })
      .then(function () { self.submit.disabled = false; });
  };

  Widget.prototype.answered = function (response, json, body) {
    var self = this;
    Object.keys(this.fields).forEach(function (name) { self.fieldError(name, null); });
    if (response.status === 202) {
      var p = { id: json.id, statusUrl: json.statusUrl, articleId: this.articleId, parentId: body.parentId,
        name: body.name, website: body.website, text: body.text, html: json.html, at: new Date().toISOString() };
      savePending(loadPending().concat([p]));
      this.fields.text.input.value = '';
      this.cancelReply(false);
      this.formStatus.textContent = 'Thank you! Your comment is awaiting moderation.';
      var entry = this.addPending(p);
      if (entry) {
        entry.li.setAttribute('tabindex', '-1');
        entry.li.focus();
      }
      return;
    }
    var unnamed = [];
    (json.errors || []).forEach(function (e) {
      if (self.fields[e.field]) self.fieldError(e.field, e.message, e.suggestion);
      else unnamed.push(e.message);
    });
    var bad = (json.errors || []).filter(function (e) { return self.fields[e.field]; })[0];
    if (bad) self.fields[bad.field].input.focus();
    var retry = response.headers.get('Retry-After');
    if (response.status === 429) {
      this.formStatus.textContent = 'You are posting too fast; try again in ' + (retry || 'a few') + ' seconds.';
      return;
    }
    this.formStatus.textContent = bad ? 'Please correct the marked fields.'
      : (json.detail || 'The comment could not be posted.') + (unnamed.length ? ' (' + unnamed.join('; ') + ')' : '')
        + (retry ? ' Please try again in ' + retry + ' seconds.' : '');
  };

  /** The author's own comment, marked as awaiting moderation, its status checked until it is decided. */
  Widget.prototype.addPending = function (p) {
    var parent = p.parentId && this.shown[p.parentId];
    if (this.shown[p.id]) {
      updatePending(p.id, { done: true });   // published meanwhile: the page shows it as any other
      return null;
    }
    var entry = this.add({ id: p.id, name: p.name, website: p.website, text: p.text, html: p.html }, parent || null, true);
    if (p.rejected != null) {
      this.rejected(entry, p);
    } else {
      entry.state.textContent = 'Your comment is awaiting moderation.';
      if (!this.polling[p.id]) {   // already checked when shown again after a reload
        this.polling[p.id] = true;
        this.poll(p, 2000);
      }
    }
    return entry;
  };

  Widget.prototype.poll = function (p, delay) {
    var self = this;
    setTimeout(function () {
      var entry = self.shown[p.id];
      if (!entry || !entry.pending) {
        delete self.polling[p.id];
        return;
      }
      fetch(BASE + p.statusUrl, { headers: { Accept: 'application/json' } })
        .then(function (r) {
          if (r.status === 404) {
            updatePending(p.id, { done: true });
            return null;
          }
          return r.ok ? r.json() : { status: 'PENDING' };
        })
        .catch(function () { return { status: 'PENDING' }; })
        .then(function (s) {
          if (!s || s.status !== 'PENDING') delete self.polling[p.id];
          if (!s) return;
          if (s.status === 'PUBLISHED') {
            self.publish({ id: p.id, parentId: p.parentId, name: p.name, website: p.website, text: p.text,
              html: s.html || p.html, publishedAt: new Date().toISOString() }, false);
            self.say('Your comment is published.');
          } else if (s.status === 'REJECTED') {
            p.rejected = s.reason || '';
            p.statement = s.statement && typeof s.statement === 'object' ? s.statement : null;
            p.appealable = s.appealable === true;
            updatePending(p.id, { rejected: p.rejected, statement: p.statement, appealable: p.appealable });
            self.rejected(entry, p);
          } else {
            // a comment held for what it says carries what the author could change (as text, never HTML)
            if (s.reason) entry.state.textContent = 'Your comment is awaiting moderation. ' + s.reason;
            self.poll(p, Math.min(delay * 1.5, 15000));
          }
        });
    }, delay);
  };

  Widget.prototype.rejected = function (entry, p) {
    var self = this;
    entry.li.classList.add('tb-rejected');
    entry.state.textContent = 'Your comment was not published.' + (p.rejected ? ' ' + p.rejected : '') + ' ';
    var dismiss = attrs(el('button', 'tb-dismiss', 'Dismiss'), { type: 'button' });
    dismiss.addEventListener('click', function () {
      updatePending(p.id, { done: true });
      entry.li.parentNode.removeChild(entry.li);
      delete self.shown[p.id];
    });
    entry.state.appendChild(dismiss);
    if (p.statement) {
      var why = statementOf(p.statement);
      if (p.appealed) {
        why.appendChild(el('p', 'tb-appeal', UNDER_REVIEW));
        this.pollReview(p, 5000);
      } else if (p.reviewed) {
        why.appendChild(el('p', 'tb-appeal', UPHELD));
      } else if (p.appealable) {
        why.appendChild(this.appealButton(p));
      }
      entry.state.parentNode.insertBefore(why, entry.state.nextSibling);
    }
    this.say('Your comment was not published.');
  };

  var UNDER_REVIEW = 'Your request for a human review was received. A moderator will decide again.';
  var UPHELD = 'A moderator reviewed your comment and kept the decision.';

  /** After an appeal: the status is checked until a moderator has decided again; the author sees the outcome. */
  Widget.prototype.pollReview = function (p, delay) {
    var self = this;
    if (this.polling[p.id]) return;
    this.polling[p.id] = true;
    setTimeout(function () {
      delete self.polling[p.id];
      var entry = self.shown[p.id];
      if (!entry || !entry.pending) return;   // gone, or published meanwhile by the live stream
      fetch(BASE + p.statusUrl, { headers: { Accept: 'application/json' } })
        .then(function (r) { return r.status === 404 ? { gone: true } : r.ok ? r.json() : null; })
        .catch(function () { return null; })
        .then(function (s) {
          if (s && s.gone) {
            updatePending(p.id, { done: true });
          } else if (s && s.status === 'PUBLISHED') {
            entry.li.parentNode.removeChild(entry.li);
            delete self.shown[p.id];
            updatePending(p.id, { done: true });
            self.publish({ id: p.id, parentId: p.parentId, name: p.name, website: p.website, text: p.text,
              html: s.html || p.html, publishedAt: new Date().toISOString() }, false);
            self.say('After a human review, your comment is published.');
          } else if (s && s.review === 'DECIDED') {
            p.appealed = false;
            p.reviewed = true;
            p.statement = s.statement && typeof s.statement === 'object' ? s.statement : p.statement;
            updatePending(p.id, { appealed: false, reviewed: true, statement: p.statement });
            var old = entry.li.querySelector('.tb-statement');
            if (old) old.parentNode.removeChild(old);
            self.rejected(entry, p);
            self.say(UPHELD);
          } else {
            self.pollReview(p, Math.min(delay * 1.5, 60000));
          }
        });
    }, delay);
  };

  /** "Ask for a human review": once, within six months; the service says whether it still may be asked. */
  Widget.prototype.appealButton = function (p) {
    var self = this, box = el('p', 'tb-appeal');
    var ask = attrs(el('button', 'tb-appeal-ask', 'Ask for a human review'), { type: 'button' });
    ask.addEventListener('click', function () {
      ask.disabled = true;
      fetch(BASE + p.statusUrl.replace('/status?', '/appeal?'), { method: 'POST', headers: { Accept: 'application/json' } })
        .then(function (r) {
          return r.json().catch(function () { return {}; }).then(function (json) {
            if (r.status === 202) {
              p.appealable = false;
              p.appealed = true;
              updatePending(p.id, { appealable: false, appealed: true });
              box.textContent = UNDER_REVIEW;
              self.say(box.textContent);
              self.pollReview(p, 5000);
            } else {
              ask.disabled = false;
              box.appendChild(el('span', 'tb-error', typeof json.detail === 'string' ? json.detail
                : 'The request could not be sent. Please try again later.'));
            }
          });
        })
        .catch(function () {
          ask.disabled = false;
          self.say('The comment server could not be reached. Check your connection and try again.');
        });
    });
    box.appendChild(ask);
    return box;
  };

  var FACTS = {
    AUTOMATED_CHECK: 'the automatic check every comment goes through',
    OWN_REVIEW: 'a review by the site\'s moderators',
    REPORT: 'reports by other readers',
    NOTICE: 'a notice that the comment is illegal'
  };

  /**
   * The statement of reasons of a rejection, as the service gives it: what led to the decision, whether it was
   * automated, the rule or law it relies on, and how to contest it. Every part is inserted as text.
   */
  function statementOf(st) {
    var box = el('details', 'tb-statement');
    box.appendChild(el('summary', null, 'Why was it not published?'));
    var list = el('dl');
    function item(term, text) {
      if (typeof text !== 'string' || !text) return;
      list.appendChild(el('dt', null, term));
      list.appendChild(el('dd', null, text));
    }
    item('Decision', typeof st.explanation === 'string' ? st.explanation : 'The comment was not published.');
    item('Following', FACTS[st.facts] || null);
    item('Automation', st.automatedDecision ? 'Decided by automated means.'
      : st.automatedDetection ? 'Detected by automated means, decided by a person.' : 'Detected and decided by people.');
    item(st.ground === 'LAW' ? 'Legal ground' : 'Rule', st.reference);
    item('Your options', st.redress);
    box.appendChild(list);
    return box;
  }

  // ---------- start ----------

  function init() {
    if (!document.querySelector('link[data-talkback]')) {
      document.head.appendChild(attrs(el('link'), { rel: 'stylesheet', href: BASE + '/embed.css', 'data-talkback': '' }));
    }
    var root = document.getElementById('comments');
    if (root && root.getAttribute('data-article-id') && !root.getAttribute('data-state')) {
      root.setAttribute('data-state', 'loading');
      new Widget(root).start();
    }
  }

  if (document.readyState === 'loading') document.addEventListener('DOMContentLoaded', init); else init();
})();
