import type { AddressInfo } from 'node:net';
import type { Server } from 'node:http';
import { createApp } from '../../src/web/app.js';
import { createLogger } from '../../src/logger.js';
import { TestAgent } from './http.js';

export interface TestServer {
  port: number;
  server: Server;
  agent(): TestAgent;
  close(): Promise<void>;
}

/**
 * Starts the real app on an ephemeral port.
 * @returns the server and a factory of fresh agents (each its own cookie jar).
 */
export async function startTestServer(): Promise<TestServer> {
  const app = createApp(createLogger());
  const server = await new Promise<Server>((resolve) => {
    const s = app.listen(0, '127.0.0.1', () => resolve(s));
  });
  const { port } = server.address() as AddressInfo;
  return {
    port,
    server,
    agent: () => new TestAgent(port),
    close: () => new Promise((resolve) => server.close(() => resolve())),
  };
}
