/**
 * Where the bot can reach each user without being asked: the conversation reference of their chat with
 * the bot, by Entra object id, saved on install and on every turn (one write: a turn after a reinstall
 * must restore it whichever instance forgot it), forgotten when the connector says the bot is no longer
 * in that chat. Opaque here (the bot's framework knows its shape).
 */
import { getJson, setJson, type Store } from '../store/store';

const key = (oid: string) => `conv:ref:${oid.toLowerCase()}`;

export interface ConversationReferences {
  save(oid: string, reference: object): Promise<void>;
  get(oid: string): Promise<object | undefined>;
  delete(oid: string): Promise<void>;
}

export function conversationReferences(store: Store): ConversationReferences {
  return {
    save: (oid, reference) => setJson(store, key(oid), reference),
    get: (oid) => getJson<object>(store, key(oid)),
    delete: (oid) => store.delete(key(oid)),
  };
}
