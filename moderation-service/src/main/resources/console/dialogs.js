// The queue's dialogs that are not on the first screen's path: ban the author, the keys, the author's history.
// Loaded by queue.js on first use (a dynamic import, as admin.js is for administrators), so that the first screen
// does not carry them. Every value from a comment is inserted as text (textContent), never as markup.

import { button, el, outcomeText } from './queue.js';

const KEYS = [
  ['j / k', 'Next / previous comment'],
  ['a', 'Approve'],
  ['r', 'Reject (with an optional reason and the ground told to the author)'],
  ['s', 'Reject as spam'],
  ['h', 'Approve as not spam (ham)'],
  ['b', 'Ban the author (administrators)'],
  ['u', 'Undo the last decision (within 10 seconds)'],
  ['x', 'Select or unselect the comment (shift-click a checkbox selects a range)'],
  ['?', 'Show these keys'],
];
const BAN_EXPIRY = [['1', '1 day'], ['7', '7 days'], ['30', '30 days'], ['never', 'Never']];

const dateFormat = new Intl.DateTimeFormat(undefined, { dateStyle: 'medium', timeStyle: 'short' });

/**
 * Builds the dialogs into the queue's view (container) once: { openBan(item, submit), showKeys(), openHistory(email,
 * name) }. submit(request) creates the ban; if it throws, the dialog shows the API's message and stays open.
 */
export function buildDialogs(container, ctx) {
  const nodes = [];

  // ban
  const banDialog = el('dialog');
  banDialog.id = 'ban-dialog';
  banDialog.setAttribute('aria-labelledby', 'ban-title');
  const banForm = el('form');
  banForm.noValidate = true;
  const banTitle = el('h2', null, 'Ban the author');
  banTitle.id = 'ban-title';
  const field = (id, label, control) => {
    const labelNode = el('label', null, label);
    labelNode.htmlFor = id;
    control.id = id;
    return [labelNode, control];
  };
  const banType = el('select');
  for (const [value, label] of [['EMAIL', 'Email address'], ['DOMAIN', 'Email domain'], ['IP', 'IP address']]) {
    const option = el('option', null, label);
    option.value = value;
    banType.append(option);
  }
  const banValue = el('input');
  banValue.autocomplete = 'off';
  banValue.required = true;
  const banReason = el('input');
  banReason.autocomplete = 'off';
  banReason.required = true;
  banReason.maxLength = 500;
  const banExpiry = el('select');
  for (const [value, label] of BAN_EXPIRY) {
    const option = el('option', null, label);
    option.value = value;
    banExpiry.append(option);
  }
  banExpiry.value = '30';
  const rejectLabel = el('label', 'check');
  const rejectExisting = el('input');
  rejectExisting.type = 'checkbox';
  rejectExisting.id = 'ban-reject-existing';
  rejectLabel.append(rejectExisting, document.createTextNode('Also reject this author\'s existing comments'));
  const banError = el('p', 'field-error');
  banError.id = 'ban-error';
  banError.setAttribute('role', 'alert');
  const banActions = el('div', 'dialog-actions');
  const banCancel = button('Cancel');
  const banConfirm = el('button', 'primary', 'Ban');
  banConfirm.type = 'submit';
  banConfirm.id = 'ban-confirm';
  banActions.append(banCancel, banConfirm);
  banForm.append(banTitle, ...field('ban-type', 'Ban by', banType), ...field('ban-value', 'Value', banValue),
    ...field('ban-reason', 'Reason (required)', banReason), ...field('ban-expiry', 'Expires after', banExpiry),
    rejectLabel, banError, banActions);
  banDialog.append(banForm);
  nodes.push(banDialog);
  let banItem = null;
  let banSubmit = null;
  const prefill = () => {
    if (!banItem) {
      return;
    }
    const email = banItem.author.email || '';
    banValue.value = banType.value === 'EMAIL' ? email
      : banType.value === 'DOMAIN' ? email.slice(email.lastIndexOf('@') + 1) : (banItem.clientIp || '');
  };
  banType.addEventListener('change', prefill);
  banCancel.addEventListener('click', () => banDialog.close());
  banForm.addEventListener('submit', async (event) => {
    event.preventDefault();
    banError.textContent = '';
    if (!banValue.value.trim() || !banReason.value.trim()) {
      banError.textContent = !banValue.value.trim() ? 'Value: what to ban is required.' : 'Reason: a reason is required.';
      (banValue.value.trim() ? banReason : banValue).focus();
      return;
    }
    const days = banExpiry.value;
    const request = {
      type: banType.value,
      value: banValue.value.trim(),
      reason: banReason.value.trim(),
      expiresAt: days === 'never' ? null : new Date(Date.now() + Number(days) * 86_400_000).toISOString(),
      rejectExisting: rejectExisting.checked,
    };
    banConfirm.disabled = true;
    try {
      await banSubmit(request);
      banDialog.close();
    } catch (e) {
      const errors = e.problem && Array.isArray(e.problem.errors) ? e.problem.errors : [];
      banError.textContent = errors.length ? errors.map((error) => `${error.field}: ${error.message}`).join('; ') : e.message;
    } finally {
      banConfirm.disabled = false;
    }
  });
  function openBan(item, submit) {
    banItem = item;
    banSubmit = submit;
    banTitle.textContent = `Ban ${item.author.name || 'the author'}`;
    banType.value = 'EMAIL';
    banReason.value = '';
    rejectExisting.checked = false;
    banError.textContent = '';
    prefill();
    banDialog.showModal();
    banValue.focus();
  }

  // keys
  const help = el('dialog');
  help.id = 'help';
  help.setAttribute('aria-labelledby', 'help-title');
  const helpTitle = el('h2', null, 'Keyboard');
  helpTitle.id = 'help-title';
  const keys = el('dl');
  for (const [key, text] of KEYS) {
    keys.append(el('dt', null, key), el('dd', null, text));
  }
  const helpNote = el('p', 'hint', 'Keys work when no text field has focus. Every key has a button as well.');
  const helpActions = el('div', 'dialog-actions');
  const helpClose = button('Close', { className: 'primary' });
  helpClose.addEventListener('click', () => help.close());
  helpActions.append(helpClose);
  help.append(helpTitle, keys, helpNote, helpActions);
  nodes.push(help);

  // author history
  const drawerDialog = el('dialog');
  drawerDialog.id = 'author-drawer';
  drawerDialog.setAttribute('aria-labelledby', 'drawer-title');
  const drawerTitle = el('h2');
  drawerTitle.id = 'drawer-title';
  const drawerEmail = el('p', 'hint');
  const drawerList = el('ol');
  const drawerClose = button('Close', { className: 'primary' });
  drawerClose.addEventListener('click', () => drawerDialog.close());
  drawerDialog.append(drawerTitle, drawerEmail, drawerList, drawerClose);
  nodes.push(drawerDialog);

  container.append(...nodes);

  async function openHistory(email, name) {
    drawerTitle.textContent = `Recent comments by ${name || email}`;
    drawerEmail.textContent = email;
    drawerList.replaceChildren(el('li', null, 'Loading…'));
    drawerDialog.showModal();
    try {
      const params = new URLSearchParams({ status: 'ALL', email, sort: 'newest', limit: '20' });
      const page = await ctx.api(`comments?${params}`);
      const rows = (page.items || []).map((item) => {
        const row = el('li');
        const head_ = el('div', null);
        head_.append(
          el('span', `item-outcome outcome-${item.decision.outcome}`, outcomeText(item.decision)),
          document.createTextNode(` ${dateFormat.format(new Date(item.submittedAt))} · ${item.articleId}`),
        );
        const reasons = (item.decision.reasons || []).map((reason) => reason.ruleId).join(', ');
        row.append(head_, el('p', 'drawer-text', item.text.length > 400 ? `${item.text.slice(0, 400)}…` : item.text));
        if (reasons) {
          row.append(el('small', null, `Reasons: ${reasons}`));
        }
        return row;
      });
      drawerList.replaceChildren(...(rows.length ? rows : [el('li', null, 'No comments found.')]));
    } catch (e) {
      drawerList.replaceChildren(el('li', null, `The history could not be loaded: ${e.message}`));
    }
  }

  return { openBan, showKeys: () => help.showModal(), openHistory };
}
