/**
 * Child process of the sync benchmarks: connects an org to the simulator (first run), then runs
 * the contacts sync once in this process and prints {"counts", "seconds", "peakRss"} as JSON.
 * Usage: syncOrg.ts <orgId>
 */
import { closeDb } from '../../src/db/client.js';
import { runSync } from '../../src/sync/runSync.js';
import { SYNCERS } from '../../src/sync/syncers.js';

let peak = 0;
const sampler = setInterval(() => (peak = Math.max(peak, process.memoryUsage().rss)), 50);
const orgId = Number(process.argv[2]);
const started = performance.now();
const outcome = await runSync(orgId, SYNCERS.contacts, { force: true });
const seconds = (performance.now() - started) / 1000;
clearInterval(sampler);
const before = process.memoryUsage();
(globalThis as { gc?: () => void }).gc?.();
console.log(JSON.stringify({ outcome, seconds, peakRss: Math.max(peak, before.rss), memory: before, afterGc: process.memoryUsage() }));
await closeDb();
process.exit(0);
