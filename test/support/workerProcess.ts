import { spawn, type ChildProcess } from 'node:child_process';

/** A worker started as its own process, as in production. */
export interface WorkerProcess {
  child: ChildProcess;
  exited: Promise<number | null>;
  output(): string;
  waitFor(text: string, timeoutMs?: number): Promise<void>;
}

/**
 * Starts `src/main.ts worker` with the test environment plus overrides.
 * @param env extra variables.
 * @returns the process handle.
 */
export function startWorkerProcess(env: Record<string, string> = {}): WorkerProcess {
  const child = spawn('node', ['--import', 'tsx', 'src/main.ts', 'worker'], {
    env: { ...process.env, LOG_LEVEL: 'info', ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let output = '';
  child.stdout!.on('data', (d: Buffer) => (output += d.toString()));
  child.stderr!.on('data', (d: Buffer) => (output += d.toString()));
  const exited = new Promise<number | null>((resolve) => child.on('exit', resolve));
  return {
    child,
    exited,
    output: () => output,
    async waitFor(text, timeoutMs = 15_000) {
      for (let waited = 0; waited < timeoutMs && !output.includes(text); waited += 50) await new Promise((r) => setTimeout(r, 50));
      if (!output.includes(text)) throw new Error(`worker never logged "${text}":\n${output.slice(-2000)}`);
    },
  };
}
