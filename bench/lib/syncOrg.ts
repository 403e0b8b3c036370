/**
 * Child process of the sync benchmarks: connects an org to the simulator (first run), then runs
 * one sync (contacts unless named) once in this process and prints {"counts", "seconds", "peakRss"} as JSON.
 * Usage: syncOrg.ts <orgId> [resource]
 */
import { closeDb } from '../../src/db/client.js';
import { runSync } from '../../src/sync/runSync.js';
import { SYNCERS } from '../../src/sync/syncers.js';
import type { SyncResource } from '../../src/sync/resources.js';

let peak = 0;
const rssTimeline: number[] = [];
// memoryUsage.rss() reads the RSS alone: the full memoryUsage() walks the heap, a cost of its own at 20 a second.
const sampler = setInterval(() => (peak = Math.max(peak, process.memoryUsage.rss())), 50);
const recorder = setInterval(() => rssTimeline.push(process.memoryUsage.rss()), 1000);
const orgId = Number(process.argv[2]);
const started = performance.now();
const resource = (process.argv[3] ?? 'contacts') as SyncResource;
const outcome = await runSync(orgId, SYNCERS[resource], { force: true });
const seconds = (performance.now() - started) / 1000;
clearInterval(sampler);
clearInterval(recorder);
const before = process.memoryUsage();
(globalThis as { gc?: () => void }).gc?.();
console.log(JSON.stringify({ outcome, seconds, peakRss: Math.max(peak, before.rss), rssTimeline, memory: before, afterGc: process.memoryUsage() }));
await closeDb();
process.exit(0);
