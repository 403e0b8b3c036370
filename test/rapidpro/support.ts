import { RapidProClient, type TransportOptions } from '../../src/rapidpro/client/index.js';
import { startSimulator, type RunningSimulator, type SimulatorOptionsInput } from '../../src/rapidpro/simulator/index.js';

/** A 40-character token in RapidPro's alphabet. */
export const TOKEN = 'ABCDEFGHJKLMNPQRSTUVWXYZ23456789ABCDEFGH';

/**
 * Starts a small simulator on an ephemeral loopback port (frozen clock, throttling off unless asked).
 * @returns the running simulator; close it in afterEach/afterAll.
 */
export function startTestSimulator(options: SimulatorOptionsInput = {}): Promise<RunningSimulator> {
  return startSimulator({ contacts: 200, weeks: 4, throttle: 'off', workspaces: [{ name: 'demo', token: TOKEN }], ...options });
}

/** Sleeps recorded by a client whose waits are instant. */
export interface RecordedSleeps {
  sleeps: number[];
}

/**
 * Builds a real client talking to the simulator over HTTP, with millisecond backoffs, no budget
 * and instant sleeps that are recorded for assertions.
 */
export function testClient(sim: RunningSimulator, overrides: Partial<TransportOptions> = {}): RapidProClient & RecordedSleeps {
  const sleeps: number[] = [];
  const client = new RapidProClient({
    baseUrl: sim.url,
    token: TOKEN,
    budget: null,
    timeoutMs: 2_000,
    retry: { baseMs: 1, capMs: 20, throttleBaseMs: 5, maxAttempts: 4, maxThrottles: 5 },
    sleep: async (ms) => {
      sleeps.push(ms);
    },
    random: () => 0.5,
    ...overrides,
  });
  return Object.assign(client, { sleeps });
}
