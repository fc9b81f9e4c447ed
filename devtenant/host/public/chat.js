/* global AdaptiveCards */
// The chat pane: the person's messages go to the bot through the host; the conversation (replies, and
// messages the bot sends by itself later) arrives as a stream from the host's Bot Connector, with text and
// Adaptive Cards rendered by the adaptivecards package in the page's theme.
const log = document.getElementById('chat-log');
const form = document.getElementById('chat-form');
const input = document.getElementById('chat-input');
const userSelect = document.getElementById('user');
const themeSelect = document.getElementById('theme');
const tabs = { delegates: document.getElementById('tab-delegates'), chat: document.getElementById('tab-chat') };
const frame = document.getElementById('tab');
const chat = document.getElementById('chat');
const state = JSON.parse(document.getElementById('host-state').textContent);
/** Messages by id, in the order they came, so a theme change can render them again. */
let messages = new Map();
let stream = null;

function select(which) {
  tabs.delegates.setAttribute('aria-selected', String(which === 'delegates'));
  tabs.chat.setAttribute('aria-selected', String(which === 'chat'));
  frame.hidden = which !== 'delegates' || !document.getElementById('tab-starting').hidden;
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
}

async function record(type, detail) {
  await fetch('/api/events', {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ type, user: user(), detail }),
  }).catch(() => {});
}

// Card colours per theme, from Teams' palettes: text on the card's own background at 4.5:1 or more.
const PALETTES = {
  default: {
    bg: '#ffffff',
    fg: '#242424',
    subtle: '#616161',
    accent: '#4f52b2',
    good: '#0e700e',
    warning: '#835b00',
    attention: '#c4314b',
  },
  dark: { bg: '#2d2d2d', fg: '#ffffff', subtle: '#d6d6d6', accent: '#aaabe5', good: '#92c353', warning: '#f8d22a', attention: '#f9526b' },
  contrast: {
    bg: '#000000',
    fg: '#ffffff',
    subtle: '#ffffff',
    accent: '#ffff01',
    good: '#3ff23f',
    warning: '#ffff01',
    attention: '#ff6d6d',
  },
};

function hostConfig(theme) {
  const p = PALETTES[theme] ?? PALETTES.default;
  const color = (c) => ({ default: c, subtle: c });
  const foregroundColors = {
    default: { default: p.fg, subtle: p.subtle },
    dark: color(p.fg),
    light: color(p.fg),
    accent: color(p.accent),
    good: color(p.good),
    warning: color(p.warning),
    attention: color(p.attention),
  };
  return new AdaptiveCards.HostConfig({
    fontFamily: 'Segoe UI, system-ui, sans-serif',
    containerStyles: {
      default: { backgroundColor: p.bg, foregroundColors },
      emphasis: { backgroundColor: p.bg, foregroundColors },
    },
    // Teams shows up to six actions; the help card has more than the library's default of five.
    actions: { maxActions: 10, actionsOrientation: 'horizontal', actionAlignment: 'left', buttonSpacing: 8, spacing: 'default' },
  });
}

/** The sign-in window Teams opens for an OAuth card's button: the host's own authenticate (public/host.js). */
async function signIn(card) {
  const claims = (() => {
    try {
      return new URL(card.buttons?.[0]?.value ?? '').searchParams.get('claims');
    } catch {
      return null;
    }
  })();
  const q = new URLSearchParams({
    client_id: state.clientId,
    response_type: 'code',
    redirect_uri: `${new URL(state.tabUrl).origin}/auth-end.html`,
    scope: 'https://graph.microsoft.com/.default openid profile offline_access',
    state: crypto.randomUUID(),
    login_hint: user(),
    ...(claims ? { claims } : { prompt: 'consent' }),
  });
  const [ok] = await window.teamsHostAuthenticate(`${state.authorityOrigin}/${state.tenantId}/oauth2/v2.0/authorize?${q}`);
  if (!ok) return;
  await fetch('/api/chat/signed-in', {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ user: user(), state: q.get('state'), ...(claims ? { claims } : {}) }),
  });
}

function renderCard(content) {
  const card = new AdaptiveCards.AdaptiveCard();
  card.hostConfig = hostConfig(document.body.dataset.theme);
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
      b.className = 'signin';
      b.textContent = a.content?.buttons?.[0]?.title ?? 'Sign in';
      b.addEventListener('click', () => void signIn(a.content ?? {}));
      const p = document.createElement('p');
      p.textContent = a.content?.text ?? 'Sign-in is needed.';
      li.append(p, b);
    }
  }
  return li;
}

function show(m) {
  const li = renderMessage(m);
  const old = log.querySelector(`li[data-id="${CSS.escape(m.id)}"]`);
  if (old) old.replaceWith(li);
  else log.append(li);
  messages.set(m.id, m);
  log.scrollTop = log.scrollHeight;
}

function follow() {
  stream?.close();
  messages = new Map();
  log.replaceChildren();
  // EventSource reconnects by itself; the host then sends the whole conversation again (shown once).
  stream = new EventSource(`/api/chat/stream?user=${encodeURIComponent(user())}`);
  stream.addEventListener('message', (e) => show(JSON.parse(e.data)));
  stream.addEventListener('delete', (e) => {
    const { id } = JSON.parse(e.data);
    messages.delete(id);
    log.querySelector(`li[data-id="${CSS.escape(id)}"]`)?.remove();
  });
}

form.addEventListener('submit', (e) => {
  e.preventDefault();
  const text = input.value.trim();
  if (!text) return;
  input.value = '';
  send({ text });
});
userSelect.addEventListener('change', follow);
// Cards take their colours from the theme when rendered: render them again in the new one.
themeSelect.addEventListener('change', () => {
  for (const m of [...messages.values()]) show(m);
});
follow();
