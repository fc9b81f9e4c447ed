/**
 * The teams-ai v1 wiring, and only that: activities in, replies out. Understanding, answers and cards
 * live in plain modules (../understanding, ../answers), so a move to a newer SDK touches this folder.
 */
import express, { type Router } from 'express';
import { Application, TeamsAdapter, TurnState } from '@microsoft/teams-ai';
import { ActivityTypes, CardFactory, ConfigurationServiceClientCredentialFactory, MemoryStorage, MessageFactory, TurnContext, type Storage } from 'botbuilder';
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
const AFTER_TURN = Symbol('delegatedesk.afterTurn');

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

interface SendOptions {
  appIdUri: string;
  /** Our /auth-start page: interactive sign-in and consent in the window Teams opens. */
  consentUrl?: string;
  loginHint?: string;
  /** During a token exchange: another exchange would hand over the same token again, so offer the page only. */
  interactiveOnly?: boolean;
}

async function send(context: TurnContext, reply: BotReply, opts: SendOptions): Promise<void> {
  if (reply.kind === 'signIn') {
    const page = opts.consentUrl
      ? `${opts.consentUrl}?${new URLSearchParams({ ...(opts.loginHint ? { loginHint: opts.loginHint } : {}), ...(reply.claims ? { claims: reply.claims } : {}) })}`
      : undefined;
    // Teams answers a card with a tokenExchangeResource with a signin/tokenExchange invoke carrying the
    // user's SSO token, and shows the card's button (the page) when that fails. Missing consent and a
    // claims challenge cannot be fixed by an exchange of the token Teams holds: those cards offer the page
    // only, so Teams cannot loop through silent exchanges.
    const exchange = reply.reason === 'expired' && !opts.interactiveOnly;
    const card = exchange
      ? CardFactory.oauthCard(SSO_CONNECTION, 'Sign in to Delegate Desk', reply.text, page, { id: crypto.randomUUID(), uri: opts.appIdUri, providerId: '' })
      : CardFactory.oauthCard(SSO_CONNECTION, reply.reason === 'consent' ? 'Grant Delegate Desk permission' : 'Sign in to Delegate Desk', reply.text, page);
    await context.sendActivity(MessageFactory.attachment(card));
    return;
  }
  await context.sendActivity(reply.card ? MessageFactory.attachment(CardFactory.adaptiveCard(reply.card), reply.text) : MessageFactory.text(reply.text));
}

export function createBot(options: BotOptions): { router: Router } {
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

  async function answerFor(context: TurnContext, state: BotState, question: PendingQuestion, interactiveOnly = false): Promise<void> {
    const sendOptions = { appIdUri: options.appIdUri, consentUrl: options.consentUrl, interactiveOnly };
    const user = await options.identity.resolve(context, state.user.ssoToken);
    if (!user) {
      state.conversation.pending = question;
      await send(context, { kind: 'signIn', reason: 'expired', text: 'Sign in so I can look at your delegates and their presence.' }, sendOptions);
      return;
    }
    const { command, personId } = commandFrom(question.text, question.value);
    const reply = await respond(command, user, options.desk, { personId });
    if (reply.kind === 'signIn') state.conversation.pending = question;
    await send(context, reply, { ...sendOptions, loginHint: user.upn });
  }

  app.activity(ActivityTypes.Message, async (context, state) => {
    const value = context.activity.value && typeof context.activity.value === 'object' ? (context.activity.value as Record<string, unknown>) : undefined;
    await answerFor(context, state, { text: String(context.activity.text ?? ''), value });
  });

  app.activity(ActivityTypes.ConversationUpdate, async (context) => {
    for (const m of context.activity.membersAdded ?? []) {
      if (m.id !== context.activity.recipient?.id) {
        const intro = 'Hello! I can tell you who covers your calls and who is free to take one.';
        await send(context, { kind: 'message', text: intro, card: helpCard() }, { appIdUri: options.appIdUri });
      }
    }
  });

  // The Teams SSO token exchange, as botbuilder's TeamsSSOTokenExchangeMiddleware does it: validate first (a
  // failure is 412 for every delivery, so Teams shows the card's sign-in page), then deduplicate (a
  // duplicate gets an empty 200), then answer the pending question.
  app.addRoute(
    async (context) => context.activity.type === ActivityTypes.Invoke && context.activity.name === 'signin/tokenExchange',
    async (context, state) => {
      const value = (context.activity.value ?? {}) as { id?: string; token?: string };
      const invokeResponse = (status: number, body?: unknown) => context.sendActivity({ type: 'invokeResponse', value: { status, body } });
      const failed = (failureDetail: string) => invokeResponse(412, { id: value.id, connectionName: SSO_CONNECTION, failureDetail });
      if (!value.id || !value.token) {
        await invokeResponse(400, { id: value.id, connectionName: SSO_CONNECTION, failureDetail: 'The token exchange request has no id or token.' });
        return;
      }
      let user;
      try {
        user = await options.desk.validateSsoToken(value.token);
      } catch {
        await failed('The token could not be validated.');
        return;
      }
      // The token must be the sender's own, in the conversation's tenant.
      const from = String(context.activity.from?.aadObjectId ?? '').toLowerCase();
      const tenant = String(context.activity.conversation?.tenantId ?? (context.activity.channelData as { tenant?: { id?: string } } | undefined)?.tenant?.id ?? '').toLowerCase();
      if ((from && from !== user.oid) || (tenant && tenant !== user.tid)) {
        await failed('The token does not belong to the sender of this conversation.');
        return;
      }
      const key = `tokenExchange/${context.activity.conversation?.id}/${value.id}`;
      try {
        if (seenExchanges.get(key)) throw Object.assign(new Error('eTag conflict'), { statusCode: 412 });
        seenExchanges.set(key, true);
        // A conditional create (botbuilder's own trick): the first write stores the item, any later write
        // with this eTag conflicts, in memory as an eTag conflict, in blob or Cosmos storage as a 412.
        await storage.write({ [key]: { eTag: value.id } });
        setTimeout(() => void storage.delete([key]).catch(() => undefined), 10 * 60_000).unref();
      } catch (e) {
        if (isDuplicateWrite(e)) {
          await invokeResponse(200); // another delivery (or instance) handles this exchange
          return;
        }
        throw e;
      }
      state.user.ssoToken = value.token;
      await invokeResponse(200, { id: value.id, connectionName: SSO_CONNECTION });
      answerPendingAfterTurn(context, state, true);
    },
    true,
  );

  /**
   * Teams waits for an invoke's answer, which is sent when the turn ends: the question pending before
   * sign-in (OBO, Graph) is answered after it, in a turn of its own with its own state, once this turn's
   * state is saved (the router runs AFTER_TURN).
   */
  function answerPendingAfterTurn(context: TurnContext, state: BotState, interactiveOnly: boolean): void {
    const question = state.conversation.pending;
    delete state.conversation.pending;
    if (!question) return;
    const reference = TurnContext.getConversationReference(context.activity);
    context.turnState.set(AFTER_TURN, () =>
      adapter.continueConversationAsync(options.botAuth?.appId ?? '', reference, async (later: TurnContext) => {
        const laterState = new TurnState() as BotState;
        await laterState.load(later, storage);
        await answerFor(later, laterState, question, interactiveOnly);
        await laterState.save(later, storage);
      }),
    );
  }

  // Teams sends verifyState when the sign-in (consent) window reports success: answer what was pending.
  app.addRoute(
    async (context) => context.activity.type === ActivityTypes.Invoke && context.activity.name === 'signin/verifyState',
    async (context, state) => {
      await context.sendActivity({ type: 'invokeResponse', value: { status: 200 } });
      answerPendingAfterTurn(context, state, false);
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
    let after: (() => Promise<void>) | undefined;
    await adapter.process(req, res, async (context) => {
      await app.run(context);
      // Read while the turn lives: botbuilder revokes the context when the turn ends.
      after = context.turnState.get(AFTER_TURN) as (() => Promise<void>) | undefined;
    });
    // Work a turn left for after its answer (and its saved state).
    if (after) void after().catch((e: unknown) => console.error(`[bot] answering after sign-in failed: ${(e as Error)?.stack ?? e}`));
  });
  return { router };
}
