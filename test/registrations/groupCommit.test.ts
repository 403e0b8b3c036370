import { describe, expect, it } from 'vitest';
import { GroupCommit } from '../../src/registrations/groupCommit.js';

/** A promise settled from outside, to hold a write or an afterWrite open. */
function gate() {
  let open!: () => void;
  let fail!: (error: Error) => void;
  const promise = new Promise<void>((resolve, reject) => {
    open = resolve;
    fail = reject;
  });
  return { promise, open, fail };
}

/** Lets the timers and promises queued so far run (the window is 0 ms here). */
const settle = () => new Promise((resolve) => setTimeout(resolve, 5));

describe('GroupCommit', () => {
  it('settles a submitter only once its batch is written and its afterWrite is done', async () => {
    const after = gate();
    const commit = new GroupCommit<number, number>({
      write: async (_key, items) => items.map((n) => n * 10),
      afterWrite: () => after.promise,
      windowMs: 0, maxItems: 10, maxInFlight: 1,
    });
    let result: number | undefined;
    const submitted = commit.submit(1, 4).then((r) => (result = r));
    await settle();
    expect(result).toBeUndefined();
    after.open();
    await submitted;
    expect(result).toBe(40);
  });

  it('writes the next batch while the previous one is still in afterWrite (the in-flight limit counts writes only)', async () => {
    const after = gate();
    const written: number[][] = [];
    const commit = new GroupCommit<number, number>({
      write: async (_key, items) => (written.push(items), items),
      afterWrite: () => after.promise,
      windowMs: 0, maxItems: 10, maxInFlight: 1,
    });
    const first = commit.submit(1, 1);
    await settle();
    const second = commit.submit(1, 2);
    await settle();
    expect(written).toEqual([[1], [2]]);
    after.open();
    expect(await Promise.all([first, second])).toEqual([1, 2]);
  });

  it('holds items back while maxInFlight writes are under way and writes them together afterwards', async () => {
    const write = gate();
    const written: number[][] = [];
    const commit = new GroupCommit<number, number>({
      write: async (_key, items) => {
        written.push(items);
        if (written.length === 1) await write.promise;
        return items;
      },
      windowMs: 0, maxItems: 10, maxInFlight: 1,
    });
    const first = commit.submit(1, 1);
    await settle();
    const later = [commit.submit(1, 2), commit.submit(1, 3)];
    await settle();
    expect(written).toEqual([[1]]);
    write.open();
    expect(await Promise.all([first, ...later])).toEqual([1, 2, 3]);
    expect(written).toEqual([[1], [2, 3]]);
  });

  it('rejects every submitter of a batch whose afterWrite fails, and keeps writing later batches', async () => {
    let fail = true;
    const commit = new GroupCommit<number, number>({
      write: async (_key, items) => items,
      afterWrite: async () => {
        if (fail) throw new Error('queue down');
      },
      windowMs: 0, maxItems: 10, maxInFlight: 1,
    });
    const failed = [commit.submit(1, 1), commit.submit(1, 2)];
    await expect(Promise.all(failed)).rejects.toThrow('queue down');
    await Promise.allSettled(failed);
    fail = false;
    expect(await commit.submit(1, 3)).toBe(3);
  });

  it('rejects every submitter of a batch whose write fails', async () => {
    const commit = new GroupCommit<number, number>({
      write: async () => {
        throw new Error('insert failed');
      },
      windowMs: 0, maxItems: 10, maxInFlight: 2,
    });
    const results = await Promise.allSettled([commit.submit(1, 1), commit.submit(2, 2)]);
    expect(results.map((r) => r.status)).toEqual(['rejected', 'rejected']);
  });
});
