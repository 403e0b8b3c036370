import { categoriseNumber } from '../../definitions/inference.js';
import { hash, Stream, unit } from '../random.js';
import { US_PER_HOUR, US_PER_MINUTE, US_PER_SECOND } from '../time.js';
import type { FlowSpec, QuestionSpec } from './flowCatalog.js';

/** One question a run reached: when it was asked and, if it was, how it was answered. */
export interface RunStep {
  question: QuestionSpec;
  promptUs: number;
  answer: { input: string; value: string; category: string; atUs: number; timedOut: boolean } | null;
}

/** The whole life of a run, including the part still in the virtual future. */
export interface Timeline {
  steps: RunStep[];
  exitUs: number;
  exitType: 'completed' | 'interrupted' | 'expired';
}

/** What the answer model needs about a run. */
export interface RunFacts {
  seed: number;
  run: number;
  panel: number;
  week: number;
  createdUs: number;
  flow: FlowSpec;
}

const OPEN_ANSWERS = ['All good this week', 'We need more books', 'The roof leaks', 'Thanks', 'No comment', 'Teachers were on strike on Tuesday'];
const YES = ['yes', 'Yes it works', 'ok', 'Y'];
const NO = ['no', 'No it is broken', 'n', 'broken'];

function matchedWords(input: string, words: string): string {
  const wanted = new Set(words.toLowerCase().split(/\s+/));
  return input
    .split(/[^\p{L}\p{N}]+/u)
    .filter((word) => wanted.has(word.toLowerCase()))
    .join(' ');
}

function answerFor(facts: RunFacts, q: QuestionSpec, step: number): { input: string; value: string; category: string } {
  const h = (field: number): number => hash(facts.seed, Stream.run, facts.run, 40 + step * 8 + field);
  if (q.kind === 'open') {
    const input = OPEN_ANSWERS[h(1) % OPEN_ANSWERS.length]!;
    return { input, value: input, category: q.defaultCategory };
  }
  if (h(2) % 100 < 7) return { input: "don't know", value: "don't know", category: q.defaultCategory };
  if (q.kind === 'categorical') {
    const yesRate = 0.3 + 0.6 * unit(facts.seed, Stream.group, facts.panel, 5);
    const list = h(3) / 4294967296 < yesRate ? YES : NO;
    const input = list[h(4) % list.length]!;
    for (const c of q.cases) {
      const value = matchedWords(input, c.args[0] ?? '');
      if (value) return { input, value, category: c.category };
    }
    return { input, value: input, category: q.defaultCategory };
  }
  const scale = Number(q.cases.at(-1)?.args[0] ?? '100');
  const mean = scale * (0.3 + 0.6 * unit(facts.seed, Stream.group, facts.panel, 2)) + facts.week * (unit(facts.seed, Stream.group, facts.panel, 3) - 0.5) * scale * 0.03;
  const number = Math.max(0, Math.round(mean + (h(5) / 4294967296 - 0.5) * scale * 0.6));
  const input = [`about ${number}`, `${number} pupils`, String(number)][h(6) % 3]!;
  const rules = q.cases.map((c) => ({ test: c.type, args: c.args, category: c.category }));
  return { input, value: String(number), category: categoriseNumber({ rules, defaultCategory: q.defaultCategory }, number) ?? q.defaultCategory };
}

/**
 * Computes a run's full timeline from the seed: who answers, when, with what, and how it exits.
 * @param facts the run's coordinates.
 * @returns steps in order and the exit.
 */
export function runTimeline(facts: RunFacts): Timeline {
  const { seed, run, flow } = facts;
  const h = (field: number): number => hash(seed, Stream.run, run, field);
  const expiryUs = flow.expiresMinutes * US_PER_MINUTE;
  const rate = 0.4 + 0.5 * unit(seed, Stream.group, facts.panel, 1);
  const interruptAt = h(1) % 100 < 3 ? h(2) % Math.max(1, flow.questions.length) : -1;
  const steps: RunStep[] = [];
  let t = facts.createdUs;
  for (let i = 0; i < flow.questions.length; i++) {
    const q = flow.questions[i]!;
    const promptUs = t + US_PER_SECOND;
    if (i === interruptAt) {
      steps.push({ question: q, promptUs, answer: null });
      return { steps, exitUs: promptUs + US_PER_HOUR + (h(3) % (6 * US_PER_HOUR)), exitType: 'interrupted' };
    }
    const responds = h(10 + i) / 4294967296 < (i === 0 ? rate : 0.85);
    if (responds) {
      const atUs = promptUs + US_PER_MINUTE + Math.floor((h(20 + i) / 4294967296) ** 2 * 6 * US_PER_HOUR);
      steps.push({ question: q, promptUs, answer: { ...answerFor(facts, q, i), atUs, timedOut: false } });
      t = atUs;
      continue;
    }
    if (q.timeoutCategory) {
      const atUs = promptUs + 12 * US_PER_HOUR;
      steps.push({ question: q, promptUs, answer: { input: '', value: '', category: q.timeoutCategory, atUs, timedOut: true } });
      t = atUs;
      continue;
    }
    steps.push({ question: q, promptUs, answer: null });
    return { steps, exitUs: facts.createdUs + expiryUs, exitType: 'expired' };
  }
  return { steps, exitUs: t + 2 * US_PER_SECOND, exitType: 'completed' };
}

/**
 * The instant of the last event of a timeline at or before `nowUs` (the run's modified_on).
 * @returns microseconds.
 */
export function lastEventAt(timeline: Timeline, createdUs: number, nowUs: number): number {
  if (timeline.exitUs <= nowUs) return timeline.exitUs;
  let last = createdUs;
  for (const step of timeline.steps) if (step.answer && step.answer.atUs <= nowUs) last = step.answer.atUs;
  return last;
}

/**
 * The first event strictly after `nowUs`, or null when the run is over.
 * @returns microseconds or null.
 */
export function nextEventAfter(timeline: Timeline, nowUs: number): number | null {
  for (const step of timeline.steps) if (step.answer && step.answer.atUs > nowUs) return step.answer.atUs;
  return timeline.exitUs > nowUs ? timeline.exitUs : null;
}
