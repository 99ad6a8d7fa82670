// A test harness whose logs are silent still keeps the chain's and the app's warnings and errors, and a
// wait that times out can print where things stand (`diagnose`).
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type AppHarness, startAppHarness } from '../src/testing';
import { notesApp, type notesRouter } from './fixture/notes-app';

describe('AppHarness.diagnose', () => {
  let h: AppHarness<typeof notesRouter, unknown>;
  beforeAll(async () => {
    h = await startAppHarness(notesApp);
  }, 60_000);
  afterAll(() => h?.close());

  it("keeps the app's warnings and the node's errors while the logs are silent, and says where the chain is", async () => {
    h.services.logger.warn({ lot: 'hq-p2' }, 'gate event refused');
    h.services.logger.info('not kept');
    let thrown = false;
    const off = h.node.onBlock(() => {
      if (thrown) return;
      thrown = true;
      throw new Error('listener broke');
    });
    const alice = h.account(7);
    await h.send(alice, [{ contract: 'assets', name: 'noop', params: {} }]).catch(() => undefined);
    // The node reports a throwing block listener as an error; it may need the next block.
    const end = Date.now() + 20_000;
    while (!h.recentLog.lines.some((l) => l.includes('block listener failed')) && Date.now() < end)
      await new Promise((r) => setTimeout(r, 50));
    off();
    const text = await h.diagnose();
    expect(text).toMatch(new RegExp(`^chain: head ${h.node.head.height}, healthy`));
    expect(text).toContain('mempool 0');
    expect(text).toContain('gate event refused');
    expect(text).toContain('"lot":"hq-p2"');
    expect(text).not.toContain('not kept');
    expect(text).toContain('chain error: block listener failed');
    expect(text).toContain('listener broke');
  }, 60_000);
});
