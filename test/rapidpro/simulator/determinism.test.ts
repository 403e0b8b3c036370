import { createHash } from 'node:crypto';
import { afterEach, describe, expect, it } from 'vitest';
import type { RapidProClient } from '../../../src/rapidpro/client/index.js';
import type { RunningSimulator } from '../../../src/rapidpro/simulator/index.js';
import { startTestSimulator, testClient } from '../support.js';

async function walkHash(client: RapidProClient): Promise<string> {
  const hash = createHash('sha256');
  const add = (label: string, rows: unknown[]): void => void hash.update(`${label}:${JSON.stringify(rows)}\n`);
  add('workspace', [await client.workspace()]);
  add('groups', await client.groups().all());
  add('fields', await client.fields().all());
  add('boundaries', await client.boundaries().all());
  const flows = await client.flows().all();
  add('flows', flows);
  add('definitions', [...(await client.definitions(flows.map((f) => f.uuid))).flows.entries()]);
  for (const deleted of [false, true]) add(`contacts${deleted}`, await client.contacts({ deleted, reverse: true }).all());
  add('runs', await client.runs({ reverse: true }).all());
  for (const folder of ['inbox', 'flows', 'archived', 'sent']) add(folder, await client.messages({ folder }).all());
  add('starts', await client.flowStarts().all());
  add('archives', (await client.archives().all()).map((a) => ({ ...a, downloadUrl: null })));
  return hash.digest('hex');
}

describe('deterministic generation', () => {
  let sim: RunningSimulator;
  afterEach(async () => sim?.close());

  it('two full walks of a 5,000-contact, 26-week workspace hash identically (reset between them)', async () => {
    sim = await startTestSimulator({ contacts: 5000, weeks: 26, seed: 42 });
    const client = testClient(sim);
    const first = await walkHash(client);
    sim.reset();
    const second = await walkHash(client);
    expect(second).toBe(first);
    sim.reset(43);
    expect(await walkHash(client)).not.toBe(first);
  }, 120_000); // three walks of 5,000 contacts: slow on a loaded 2-core machine, but bounded
});
