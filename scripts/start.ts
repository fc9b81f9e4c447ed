/**
 * `npm start`: the whole app on the dev tenant. Today that is the dev tenant itself (Entra ID and
 * Graph on loopback); the product server joins here once it exists, started with the dev tenant's
 * CA trusted through NODE_EXTRA_CA_CERTS (read only when a Node process starts).
 */
import { main } from '../devtenant/main';

const devtenant = await main();

const stop = async () => {
  await devtenant.close();
  process.exit(0);
};
process.on('SIGINT', () => void stop());
process.on('SIGTERM', () => void stop());
