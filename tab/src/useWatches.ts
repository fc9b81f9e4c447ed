/**
 * "Notify me in chat when available": the watches I hold (read once the view is shown), and starting or
 * stopping one from a card. The bot sends the message; without its chat there is nothing to send to, so
 * the tab says how to add it and opens that chat rather than pretend a watch exists.
 */
import { useCallback, useEffect, useRef, useState } from 'react';
import type { WatchView } from '../../shared/api';
import type { DelegationEntry } from '../../shared/domain/delegationView';
import { ApiRequestError, createWatch, deleteWatch, fetchWatches } from './api';
import type { TeamsHost } from './teams';

/** What a card says about its person's watch, after the person acted on it. */
export type WatchNote =
  | { kind: 'watching'; text: string }
  | { kind: 'availableNow'; text: string }
  | { kind: 'stopped'; text: string }
  | { kind: 'problem'; text: string; botChatUrl?: string };

export interface WatchState {
  /** Watches by person id (lower case). */
  watching: Record<string, WatchView>;
  notes: Record<string, WatchNote>;
  busy: Record<string, boolean>;
  /** The server offers watches (false on an older server, where the button is not shown). */
  supported: boolean;
  notify(entry: DelegationEntry): Promise<void>;
  stop(entry: DelegationEntry): Promise<void>;
}

export interface WatchDeps {
  fetcher?: typeof fetchWatches;
  creator?: typeof createWatch;
  deleter?: typeof deleteWatch;
}

const untilWords = (iso: string) => {
  const d = new Date(iso);
  return Number.isNaN(d.getTime()) ? '' : ` (until ${d.toLocaleTimeString([], { hour: '2-digit', minute: '2-digit' })})`;
};

/** Words for a failed request: the server's own, with a way forward for the codes that have one. */
function problemOf(e: unknown, name: string): WatchNote {
  if (!(e instanceof ApiRequestError))
    return { kind: 'problem', text: `Delegate Desk could not reach its server to watch ${name}. Try again.` };
  const { code, message, botChatUrl } = e.body;
  switch (code) {
    case 'botNotInstalled':
      return {
        kind: 'problem',
        text: `To be told in chat, add the Delegate Desk bot first: select Open the bot chat (or find Delegate Desk under Apps in Teams and open its Chat), select Add if Teams asks, send it any message, then ask again here.`,
        botChatUrl,
      };
    case 'watchLimit':
      return { kind: 'problem', text: `${message} Stop notifying about someone else first.` };
    default:
      return { kind: 'problem', text: message || `Delegate Desk could not watch ${name}.` };
  }
}

/**
 * `token`: the SSO token the view was loaded with; the list is read with it once a view is shown (asking
 * Teams again could lose a step-up's claims). Starting and stopping ask Teams for a token as usual.
 */
export function useWatches(host: TeamsHost | null, token: string | null, deps: WatchDeps = {}): WatchState {
  const { fetcher = fetchWatches, creator = createWatch, deleter = deleteWatch } = deps;
  const [watching, setWatching] = useState<Record<string, WatchView>>({});
  const [notes, setNotes] = useState<Record<string, WatchNote>>({});
  const [busy, setBusy] = useState<Record<string, boolean>>({});
  const [supported, setSupported] = useState(true);

  const loadedWith = token !== null;
  const firstToken = useRef(token);
  if (firstToken.current === null) firstToken.current = token;
  useEffect(() => {
    const t = firstToken.current;
    if (!loadedWith || !t) return;
    let live = true;
    void (async () => {
      try {
        const list = await fetcher(t);
        if (live) setWatching(Object.fromEntries(list.watches.map((w) => [w.personId.toLowerCase(), w])));
      } catch (e) {
        // An older server without watches: no button. Any other failure: the button stays and says what went wrong.
        if (live && e instanceof ApiRequestError && (e.status === 404 || e.status === 405 || e.status === 501)) setSupported(false);
      }
    })();
    return () => {
      live = false;
    };
  }, [loadedWith, fetcher]);

  const run = useCallback(async (id: string, work: () => Promise<void>) => {
    setBusy((b) => ({ ...b, [id]: true }));
    try {
      await work();
    } finally {
      setBusy((b) => ({ ...b, [id]: false }));
    }
  }, []);

  const notify = useCallback(
    async (entry: DelegationEntry) => {
      if (!host) return;
      const id = entry.person.id.toLowerCase();
      const name = entry.person.displayName;
      await run(id, async () => {
        try {
          const result = await creator(await host.getToken(), { personId: entry.person.id, condition: 'free' });
          if (result.outcome === 'watching') {
            setWatching((w) => ({ ...w, [id]: result.watch }));
            setNotes((n) => ({
              ...n,
              [id]: { kind: 'watching', text: `I'll message you in chat when ${name} is available${untilWords(result.watch.until)}.` },
            }));
          } else {
            setNotes((n) => ({
              ...n,
              [id]: {
                kind: 'availableNow',
                text: `${name} is available now${result.presence ? ` (${result.presence.description})` : ''}: no need to wait.`,
              },
            }));
          }
        } catch (e) {
          const note = problemOf(e, name);
          setNotes((n) => ({ ...n, [id]: note }));
        }
      });
    },
    [host, creator, run],
  );

  const stop = useCallback(
    async (entry: DelegationEntry) => {
      if (!host) return;
      const id = entry.person.id.toLowerCase();
      await run(id, async () => {
        try {
          await deleter(await host.getToken(), entry.person.id);
          setWatching((w) => {
            const next = { ...w };
            delete next[id];
            return next;
          });
          setNotes((n) => ({ ...n, [id]: { kind: 'stopped', text: `You will not be notified about ${entry.person.displayName}.` } }));
        } catch (e) {
          const note = problemOf(e, entry.person.displayName);
          setNotes((n) => ({ ...n, [id]: note }));
        }
      });
    },
    [host, deleter, run],
  );

  return { watching, notes, busy, supported, notify, stop };
}
