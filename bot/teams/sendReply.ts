/** A BotReply as activities: a message with its Adaptive Card, or a sign-in (OAuth) card. */
import { CardFactory, MessageFactory, type TurnContext } from 'botbuilder';
import type { BotReply } from '../answers/respond';

/** The OAuth connection the sign-in cards name; Teams echoes it in the signin/tokenExchange invoke. */
export const SSO_CONNECTION = 'DelegateDeskSso';

export interface SendOptions {
  appIdUri: string;
  /** Our /auth-start page: interactive sign-in and consent in the window Teams opens. */
  consentUrl?: string;
  loginHint?: string;
  /** During a token exchange: another exchange would hand over the same token again, so offer the page only. */
  interactiveOnly?: boolean;
}

export async function sendReply(context: TurnContext, reply: BotReply, opts: SendOptions): Promise<void> {
  if (reply.kind === 'signIn') {
    await context.sendActivity(MessageFactory.attachment(signInCard(reply, opts)));
    return;
  }
  const activity = reply.card
    ? MessageFactory.attachment(CardFactory.adaptiveCard(reply.card), reply.text)
    : MessageFactory.text(reply.text);
  // Our texts carry names, status messages and what people typed: Teams shows plain text as it is,
  // where markdown (its default for bots) would turn "[x](https://…)" into a link.
  activity.textFormat = 'plain';
  await context.sendActivity(activity);
}

function signInCard(reply: Extract<BotReply, { kind: 'signIn' }>, opts: SendOptions) {
  const page = opts.consentUrl
    ? `${opts.consentUrl}?${new URLSearchParams({ ...(opts.loginHint ? { loginHint: opts.loginHint } : {}), ...(reply.claims ? { claims: reply.claims } : {}) })}`
    : undefined;
  // Teams answers a card with a tokenExchangeResource with a signin/tokenExchange invoke carrying the
  // user's SSO token, and shows the card's button (the page) when that fails. Missing consent and a
  // claims challenge cannot be fixed by an exchange of the token Teams holds: those cards offer the page
  // only, so Teams cannot loop through silent exchanges.
  const exchange = reply.reason === 'expired' && !opts.interactiveOnly;
  return exchange
    ? CardFactory.oauthCard(SSO_CONNECTION, 'Sign in to Delegate Desk', reply.text, page, {
        id: crypto.randomUUID(),
        uri: opts.appIdUri,
        providerId: '',
      })
    : CardFactory.oauthCard(
        SSO_CONNECTION,
        reply.reason === 'consent' ? 'Grant Delegate Desk permission' : 'Sign in to Delegate Desk',
        reply.text,
        page,
      );
}
