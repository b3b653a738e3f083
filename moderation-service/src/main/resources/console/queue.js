// The moderation queue (first version: the shell's placeholder while the queue is written).

export function renderQueue(container, ctx) {
  const heading = document.createElement('h1');
  heading.textContent = 'Queue';
  const list = document.createElement('ul');
  list.id = 'queue';
  list.setAttribute('role', 'listbox');
  list.setAttribute('aria-label', 'Comments');
  container.append(heading, list);
  ctx.api('comments?status=HELD&limit=20').then((page) => {
    for (const item of page.items) {
      const li = document.createElement('li');
      li.className = 'item';
      li.dataset.id = item.id;
      li.textContent = item.text;
      list.append(li);
    }
  }).catch((e) => ctx.announce(e.message));
  return () => {};
}
