/**
 * The bot bench's peer: a bare teams-ai echo bot (Application + TeamsAdapter + MemoryStorage, as the
 * teams-ai "echo bot" sample), in a process of its own on PORT (GET /health answers once it listens).
 */
import express from 'express';
import { Application, TeamsAdapter, TurnState } from '@microsoft/teams-ai';
import { MemoryStorage } from 'botbuilder';

const adapter = new TeamsAdapter();
const app = new Application<TurnState>({ storage: new MemoryStorage(), adapter });
app.activity('message', async (context) => void (await context.sendActivity(`you said: ${context.activity.text}`)));

const server = express();
server.get('/health', (_req, res) => void res.send('ok'));
server.post('/api/messages', express.json(), (req, res) => void adapter.process(req, res, async (c) => void (await app.run(c))));
const listener = server.listen(Number(process.env.PORT), '127.0.0.1');
process.once('SIGTERM', () => listener.close(() => process.exit(0)));
