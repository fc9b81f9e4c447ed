/**
 * The teams-ai v1 wiring, and only that: activities in, replies out. Understanding, answers and cards
 * live in plain modules (../understanding, ../answers), so a move to a newer SDK touches this folder.
 */
import express, { type Router } from 'express';
import { Application, TeamsAdapter, TurnState } from '@microsoft/teams-ai';
import { ActivityTypes, CardFactory, ConfigurationServiceClientCredentialFactory, MemoryStorage, MessageFactory, type Storage, type TurnContext } from 'botbuilder';
import type { DelegateDesk } from '../../shared';
import { TtlCache } from '../../shared/cache';
import { parseCommand, type Command } from '../understanding/parseCommand';
import { respond, type BotReply } from '../answers/respond';
import { helpCard } from '../answers/cards';
import type { IdentityResolver } from './identity';

export interface BotOptions {
  desk: DelegateDesk;
  identity: IdentityResolver;
  /** api://<domain>/botid-<app id>: what the Teams client exchanges an SSO token for. */
  appIdUri: string;
  storage?: Storage;
  /** Page that starts the consent flow (the server's /auth-start); the consent card's button opens it. */
  consentUrl?: string;
  /** Production: Bot Framework authentication for a single-tenant app. Absent: local, unauthenticated. */
  botAuth?: { appId: string; password: string; tenantId: string };
}

interface PendingQuestion {
  text: string;
  value?: Record<string, unknown>;
}

const SSO_CONNECTION = 'DelegateDeskSso';

type BotState = TurnState<{ pending?: PendingQuestion }, { ssoToken?: string }>;

/** Both an in-memory eTag conflict and a storage's HTTP 412 mean another instance got there first. */
export function isDuplicateWrite(e: unknown): boolean {
  const err = e as { statusCode?: number; code?: number | string; message?: string };
  return err?.statusCode === 412 || err?.code === 412 || /etag conflict|precondition/i.test(String(err?.message ?? ''));
}

function commandFrom(text: string, value: Record<string, unknown> | undefined): { command: Command; personId?: string } {
  if (value?.verb === 'pickPerson' && typeof value.personId === 'string' && typeof value.query === 'string') {
    const name = value.query;
    const intent = String(value.intent);
    const command: Command =
      intent === 'call' ? { intent: 'call', target: { kind: 'person', name }, video: false } : intent === 'meetNow' ? { intent: 'meetNow', target: { kind: 'person', name } } : { intent: 'presence', name };
    return { command, personId: value.personId };
  }
  return { command: parseCommand(text) };
}

async function send(context: TurnContext, reply: BotReply, appIdUri: string, consentUrl?: string): Promise<void> {
  if (reply.kind === 'signIn') {
    // Teams answers a card with a tokenExchangeResource with a signin/tokenExchange invoke carrying the
    // user's SSO token. Missing consent cannot be fixed by an exchange, so that card asks for sign-in only.
    const card =
      reply.reason === 'consent'
        ? CardFactory.oauthCard(SSO_CONNECTION, 'Grant Delegate Desk permission', reply.text, consentUrl ? `${consentUrl}?${new URLSearchParams({ loginHint: String(context.activity.from?.name ?? '') })}` : undefined)
        : CardFactory.oauthCard(SSO_CONNECTION, 'Sign in to Delegate Desk', reply.text, undefined, { id: crypto.randomUUID(), uri: appIdUri, providerId: '' });
    await context.sendActivity(MessageFactory.attachment(card));
    return;
  }
  await context.sendActivity(reply.card ? MessageFactory.attachment(CardFactory.adaptiveCard(reply.card), reply.text) : MessageFactory.text(reply.text));
}

export function createBot(options: BotOptions): { router: Router; adapter: TeamsAdapter; app: Application<BotState> } {
  const storage = options.storage ?? new MemoryStorage();
  const adapter = options.botAuth
    ? new TeamsAdapter(
        {},
        new ConfigurationServiceClientCredentialFactory({
          MicrosoftAppId: options.botAuth.appId,
          MicrosoftAppPassword: options.botAuth.password,
          MicrosoftAppType: 'SingleTenant',
          MicrosoftAppTenantId: options.botAuth.tenantId,
        }),
      )
    : new TeamsAdapter();
  const app = new Application<BotState>({ storage, adapter });
  // Exchanges seen by this instance; the storage write below catches other instances (412 / eTag conflict).
  const seenExchanges = new TtlCache<true>(10 * 60_000, 10_000);

  async function answerFor(context: TurnContext, state: BotState, question: PendingQuestion): Promise<void> {
    const user = await options.identity.resolve(context, state.user.ssoToken);
    if (!user) {
      state.conversation.pending = question;
      await send(context, { kind: 'signIn', reason: 'expired', text: 'Sign in so I can look at your delegates and their presence.' }, options.appIdUri);
      return;
    }
    const { command, personId } = commandFrom(question.text, question.value);
    const reply = await respond(command, user, options.desk, { personId });
    if (reply.kind === 'signIn') state.conversation.pending = question;
    await send(context, reply, options.appIdUri, options.consentUrl);
  }

  app.activity(ActivityTypes.Message, async (context, state) => {
    const value = context.activity.value && typeof context.activity.value === 'object' ? (context.activity.value as Record<string, unknown>) : undefined;
    await answerFor(context, state, { text: String(context.activity.text ?? ''), value });
  });

  app.activity(ActivityTypes.ConversationUpdate, async (context) => {
    for (const m of context.activity.membersAdded ?? []) {
      if (m.id !== context.activity.recipient?.id) {
        const intro = 'Hello! I can tell you who covers your calls and who is free to take one.';
        await send(context, { kind: 'message', text: intro, card: helpCard() }, options.appIdUri);
      }
    }
  });

  // The Teams SSO token exchange: validate, deduplicate across instances, then answer the pending question.
  app.addRoute(
    async (context) => context.activity.type === ActivityTypes.Invoke && context.activity.name === 'signin/tokenExchange',
    async (context, state) => {
      const value = (context.activity.value ?? {}) as { id?: string; token?: string };
      const invokeResponse = (status: number, body?: unknown) => context.sendActivity({ type: 'invokeResponse', value: { status, body } });
      if (!value.id || !value.token) {
        await invokeResponse(400, { id: value.id, connectionName: SSO_CONNECTION, failureDetail: 'The token exchange request has no id or token.' });
        return;
      }
      const key = `tokenExchange/${context.activity.conversation?.id}/${value.id}`;
      try {
        if (seenExchanges.get(key)) throw Object.assign(new Error('eTag conflict'), { statusCode: 412 });
        seenExchanges.set(key, true);
        const existing = await storage.read([key]);
        if (existing[key]) throw Object.assign(new Error('eTag conflict'), { statusCode: 412 });
        await storage.write({ [key]: { at: Date.now(), eTag: '*' } });
      } catch (e) {
        if (isDuplicateWrite(e)) {
          // Another instance (or an earlier delivery) handles this exchange.
          await invokeResponse(412, { id: value.id, connectionName: SSO_CONNECTION, failureDetail: 'The bot is unable to exchange token. Proceed with regular login.' });
          return;
        }
        throw e;
      }
      try {
        await options.desk.validateSsoToken(value.token);
      } catch {
        await invokeResponse(412, { id: value.id, connectionName: SSO_CONNECTION, failureDetail: 'The token could not be validated.' });
        return;
      }
      state.user.ssoToken = value.token;
      await invokeResponse(200, { id: value.id, connectionName: SSO_CONNECTION });
      const pending = state.conversation.pending;
      delete state.conversation.pending;
      if (pending) await answerFor(context, state, pending);
    },
    true,
  );

  // Teams sends verifyState when the sign-in (consent) window reports success: answer what was pending.
  app.addRoute(
    async (context) => context.activity.type === ActivityTypes.Invoke && context.activity.name === 'signin/verifyState',
    async (context, state) => {
      await context.sendActivity({ type: 'invokeResponse', value: { status: 200 } });
      const pending = state.conversation.pending;
      delete state.conversation.pending;
      if (pending) await answerFor(context, state, pending);
    },
    true,
  );

  app.error(async (context, error) => {
    console.error(`[bot] turn failed: ${error.stack ?? error.message}`);
    if (context.activity.type === ActivityTypes.Message) await context.sendActivity('Something went wrong on my side. Please try again.');
  });

  const router = express.Router();
  router.post('/', express.json({ limit: '1mb' }), async (req, res) => {
    if (!req.body || typeof req.body !== 'object' || typeof req.body.type !== 'string') {
      res.status(400).json({ error: { code: 'badRequest', message: 'The body is not a Bot Framework activity.' } });
      return;
    }
    await adapter.process(req, res, async (context) => {
      await app.run(context);
    });
  });
  return { router, adapter, app };
}
