import { redis } from '../../db/redis.js';
import { recomputeMetricsTask } from '../../jobs/tasks/RecomputeMetricsTask.js';
import { reconcileMetricsTask } from '../../jobs/tasks/ReconcileMetricsTask.js';
import { orgDb } from '../../tenancy/orgDb.js';
import { loadConfig } from '../config.js';
import { computeMetrics } from './generator.js';
import { metricKeys } from './keys.js';
import { buildCatalogue, parseMetricName, type CatalogueEntry } from './names.js';
import { planRecompute, RECOMPUTE_WARNING_EVALUATIONS, RecomputeParamsSchema, type RecomputeParams } from './recomputer.js';

/**
 * The org's metric catalogue (spec §4.4).
 * @param orgId the org.
 * @returns the entries.
 */
export async function catalogueFor(orgId: number): Promise<CatalogueEntry[]> {
  const sources = await orgDb(orgId).registrationSource.findMany({ select: { slug: true }, orderBy: { slug: 'asc' } });
  return buildCatalogue(await loadConfig(orgId), sources.map((s) => s.slug));
}

/**
 * Live values: totals and lifetime sums from the Redis counters; a counter Redis does not hold yet
 * (cold cache) is read from the applied rows in Postgres instead of showing 0.
 * @param orgId the org.
 * @param names metric names (aliases accepted).
 * @returns name → value, or the names that are not metrics.
 */
export async function currentValues(orgId: number, names: string[]): Promise<{ values: Record<string, number>; unknown: string[] }> {
  const unknown = names.filter((n) => !parseMetricName(n));
  if (unknown.length) return { values: {}, unknown };
  const metrics = names.map((n) => parseMetricName(n)!);
  const held = metrics.length ? await redis().mget(...metrics.map((m) => metricKeys.counter(orgId, m.name))) : [];
  const cold = await computeMetrics(orgId, metrics.filter((_, i) => held[i] === null || held[i] === undefined), { applied: true });
  const values = Object.fromEntries(metrics.map((metric, i) => [names[i]!, held[i] !== null && held[i] !== undefined ? Number(held[i]) : cold.get(metric.name)!]));
  return { values, unknown: [] };
}

/**
 * Starts a recompute: checks the plan, records a JobRun and queues it (job id = JobRun id).
 * @param orgId the org.
 * @param input the request.
 * @returns the JobRun id and the plan size, or an error.
 */
export async function startRecompute(orgId: number, input: Omit<RecomputeParams, 'now'>): Promise<{ jobId: string; evaluations: number; warning: boolean } | { error: string; message: string }> {
  const params = RecomputeParamsSchema.parse({ ...input, now: new Date().toISOString() });
  const plan = await planRecompute(orgId, params);
  if ('error' in plan) return plan;
  const evaluations = plan.metrics.length * plan.buckets.length;
  const run = await orgDb(orgId).metricJobRun.create({ data: { orgId, kind: 'recompute', params: params as object } });
  await recomputeMetricsTask.schedule({ orgId, jobRunId: run.id }, { jobId: `recompute-${run.id}` });
  return { jobId: run.id, evaluations, warning: evaluations > RECOMPUTE_WARNING_EVALUATIONS };
}

/**
 * Starts a reconciliation now (spec §4.4).
 * @param orgId the org.
 * @returns the JobRun id.
 */
export async function startReconcile(orgId: number): Promise<string> {
  const run = await orgDb(orgId).metricJobRun.create({ data: { orgId, kind: 'reconcile', params: { trigger: 'request' } } });
  await reconcileMetricsTask.schedule({ orgId, jobRunId: run.id }, { jobId: `reconcile-${run.id}` });
  return run.id;
}

/**
 * Prometheus text exposition of every live counter of the org (decision 8).
 * @param orgId the org.
 * @returns the text.
 */
export async function prometheusText(orgId: number): Promise<string> {
  const catalogue = await catalogueFor(orgId);
  const { values } = await currentValues(orgId, catalogue.map((e) => e.name));
  const lines: string[] = [];
  const families = new Map<string, CatalogueEntry[]>();
  for (const entry of catalogue) families.set(`${entry.family}|${entry.aggregation}`, [...(families.get(`${entry.family}|${entry.aggregation}`) ?? []), entry]);
  for (const entries of families.values()) {
    const first = entries[0]!;
    const metric = `tracpro_${first.family.replace(/\./g, '_')}_${first.aggregation === 'sum' ? 'events_total' : 'total'}`;
    lines.push(`# HELP ${metric} ${first.family} (${first.aggregation === 'sum' ? 'events since the start' : 'running total'})`);
    lines.push(`# TYPE ${metric} ${first.aggregation === 'sum' ? 'counter' : 'gauge'}`);
    for (const e of entries) {
      const label = e.dimension === null ? '' : `{value="${e.dimension.replace(/["\\\n]/g, '_')}"}`;
      lines.push(`${metric}${label} ${values[e.name] ?? 0}`);
    }
  }
  return `${lines.join('\n')}\n`;
}
