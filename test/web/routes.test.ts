import type { Router } from 'express';
import { describe, expect, it } from 'vitest';
import { ACCESS_RULE } from '../../src/web/access.js';
import { routers } from '../../src/web/app.js';

interface Layer {
  route?: { path: string; methods: Record<string, boolean>; stack: Layer[] };
  handle: Router & { stack?: Layer[] };
  name: string;
}

/**
 * Lists every route under a router with the access rule it declares. A sub-router whose first
 * layer is a guard (bull-board) counts as guarded as a whole.
 */
function listRoutes(router: { stack?: Layer[] }, inherited: string | null = null): { route: string; rule: string | null }[] {
  const found: { route: string; rule: string | null }[] = [];
  const stack = router.stack ?? [];
  let guard = inherited;
  for (const layer of stack) {
    if (layer.route) {
      const first = layer.route.stack[0]?.handle as unknown as Record<symbol, string> | undefined;
      const methods = Object.keys(layer.route.methods).join(',').toUpperCase();
      found.push({ route: `${methods} ${layer.route.path}`, rule: first?.[ACCESS_RULE] ?? guard });
    } else if ((layer.handle as unknown as Record<symbol, string>)[ACCESS_RULE]) {
      guard = (layer.handle as unknown as Record<symbol, string>)[ACCESS_RULE]!;
    } else if (layer.handle.stack) {
      found.push(...listRoutes(layer.handle, guard));
    }
  }
  return found;
}

describe('route table', () => {
  it('has an access rule on every route', () => {
    const all = Object.values(routers()).flat().flatMap((router) => listRoutes(router as unknown as { stack: Layer[] }));
    expect(all.length).toBeGreaterThan(30);
    const unguarded = all.filter((r) => !r.rule).map((r) => r.route);
    expect(unguarded).toEqual([]);
  });
});
