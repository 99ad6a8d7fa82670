// The inbox between officers and recipients: a recipient writes to their case worker, the case worker
// answers, each sees only their own messages with the unread count, marking read touches only what one
// received, and nobody writes to a stranger who is not an officer.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startWelfareHarness, type WelfareHarness } from './harness';

let h: WelfareHarness;
beforeAll(async () => {
  h = await startWelfareHarness();
});
afterAll(async () => {
  await h?.close();
});

describe('messages', () => {
  it('goes both ways, with unread counts and mark read, each seeing only their own', async () => {
    const zhao = h.callerAs('zhao-guilan');
    const worker = h.callerAs('he-caseworker');
    const neighbour = h.callerAs('neighbour');
    const workerAddr = h.person('he-caseworker').address;
    const zhaoAddr = h.person('zhao-guilan').address;

    await expect(h.caller(null).messages.unread()).rejects.toMatchObject({ code: 'UNAUTHORIZED' });
    // A citizen may not write to another citizen who never wrote to them.
    await expect(neighbour.messages.send({ to: zhaoAddr, body: '你好' })).rejects.toMatchObject({
      code: 'FORBIDDEN',
    });
    await expect(zhao.messages.send({ to: workerAddr, body: '   ' })).rejects.toMatchObject({
      code: 'BAD_REQUEST',
    });
    // Nobody writes to themselves: the refusal says why as a key the page words in its own language.
    await expect(worker.messages.send({ to: workerAddr, body: '备忘' })).rejects.toMatchObject({
      code: 'BAD_REQUEST',
      message: 'to: not to yourself',
      reason: { key: 'message_to_self', params: {} },
    });

    const q = await zhao.messages.send({
      to: workerAddr,
      body: '请问本月保障金何时到账？',
      topic: 'payment',
    });
    expect(q).toMatchObject({ sender: zhaoAddr, recipient: workerAddr, readAt: null });
    expect(await worker.messages.unread()).toEqual({ unread: 1 });
    expect(await zhao.messages.unread()).toEqual({ unread: 0 });

    // Only the recipient can mark it read.
    expect(await zhao.messages.markRead({ ids: [q.id] })).toEqual({ marked: 0 });
    expect(await worker.messages.markRead({ ids: [q.id] })).toEqual({ marked: 1 });
    expect(await worker.messages.markRead({ ids: [q.id] })).toEqual({ marked: 0 });
    expect(await worker.messages.unread()).toEqual({ unread: 0 });

    await worker.messages.send({ to: zhaoAddr, body: '本月 10 日前到账。' });
    expect(await zhao.messages.unread()).toEqual({ unread: 1 });
    const thread = await zhao.messages.list({ with: workerAddr, limit: 10 });
    expect(thread.map((m) => m.body)).toEqual(['本月 10 日前到账。', '请问本月保障金何时到账？']);
    expect((await zhao.messages.list({ unread: true, limit: 10 })).map((m) => m.body)).toEqual([
      '本月 10 日前到账。',
    ]);
    // The recipient may answer the officer's message; a third person sees nothing of it.
    await zhao.messages.send({ to: workerAddr, body: '谢谢' });
    expect(await neighbour.messages.list({ limit: 50 })).toEqual([]);
    expect(await worker.messages.list({ limit: 50 })).toHaveLength(3);
  });
});
