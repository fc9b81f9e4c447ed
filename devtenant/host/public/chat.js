/* global AdaptiveCards */
// The chat pane: the person's messages go to the bot through the host; replies (text and Adaptive
// Cards rendered with the adaptivecards package) are polled from the host's Bot Connector store.
const log = document.getElementById('chat-log');
const form = document.getElementById('chat-form');
const input = document.getElementById('chat-input');
const userSelect = document.getElementById('user');
const tabs = { delegates: document.getElementById('tab-delegates'), chat: document.getElementById('tab-chat') };
const frame = document.getElementById('tab');
const chat = document.getElementById('chat');
let shown = new Set();

function select(which) {
  tabs.delegates.setAttribute('aria-selected', String(which === 'delegates'));
  tabs.chat.setAttribute('aria-selected', String(which === 'chat'));
  frame.hidden = which !== 'delegates';
  chat.hidden = which !== 'chat';
  if (which === 'chat') input.focus();
}
tabs.delegates.addEventListener('click', () => select('delegates'));
tabs.chat.addEventListener('click', () => select('chat'));

const user = () => userSelect.value;

async function send(body) {
  await fetch('/api/chat/send', {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ user: user(), ...body }),
  });
  await refresh();
}

async function record(type, detail) {
  await fetch('/api/events', {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ type, user: user(), detail }),
  }).catch(() => {});
}

function renderCard(content) {
  const card = new AdaptiveCards.AdaptiveCard();
  card.hostConfig = new AdaptiveCards.HostConfig({ fontFamily: 'Segoe UI, system-ui, sans-serif' });
  card.onExecuteAction = (action) => {
    if (action instanceof AdaptiveCards.OpenUrlAction) {
      record('deepLink', { url: action.url, from: 'chat' });
      const note = document.createElement('li');
      note.className = 'bot notice-line';
      note.textContent = `Teams would open ${action.url}`;
      log.append(note);
    } else if (action instanceof AdaptiveCards.SubmitAction) {
      const data = action.data ?? {};
      if (data.msteams && data.msteams.type === 'imBack') send({ text: data.msteams.value });
      else send({ value: data });
    }
  };
  card.parse(content);
  return card.render();
}

function renderMessage(m) {
  const li = document.createElement('li');
  li.className = m.from;
  li.dataset.id = m.id;
  if (m.text) {
    const p = document.createElement('div');
    p.textContent = m.text;
    li.append(p);
  }
  for (const a of m.attachments ?? []) {
    if (a.contentType === 'application/vnd.microsoft.card.adaptive') li.append(renderCard(a.content));
    else if (a.contentType === 'application/vnd.microsoft.card.oauth') {
      const b = document.createElement('button');
      b.textContent = a.content?.buttons?.[0]?.title ?? 'Sign in';
      b.addEventListener('click', () => send({ text: 'help' }));
      li.append(document.createTextNode(a.content?.text ?? 'Sign-in is needed.'), b);
    }
  }
  return li;
}

async function refresh() {
  const res = await fetch(`/api/chat/messages?user=${encodeURIComponent(user())}`);
  const { value } = await res.json();
  for (const m of value) {
    if (shown.has(m.id)) continue;
    shown.add(m.id);
    log.append(renderMessage(m));
    log.scrollTop = log.scrollHeight;
  }
}

form.addEventListener('submit', (e) => {
  e.preventDefault();
  const text = input.value.trim();
  if (!text) return;
  input.value = '';
  send({ text });
});
userSelect.addEventListener('change', () => {
  shown = new Set();
  log.replaceChildren();
  refresh();
});
setInterval(refresh, 700);
refresh();
