// A fake node API for tests of code that talks to a chain (this client, the browser kit): a `fetch` that
// answers the node's tRPC procedures from handlers and records every HTTP request, so a test can count
// round trips. Speaks tRPC's batch wire format without a transformer, as the node does.

export interface FakeCall {
  procedure: string;
  input: unknown;
}

export interface FakeRequest {
  method: string;
  url: string;
  /** The procedures this one HTTP request carried (a batch carries several). */
  calls: FakeCall[];
  init: RequestInit | undefined;
}

/** A node API error as the node reports it: its typed code and HTTP status. */
export class FakeNodeError extends Error {
  constructor(
    readonly code: string,
    message: string,
    readonly status = 400,
  ) {
    super(message);
  }
}

/** A procedure's answer: its data, or throw FakeNodeError. `undefined` (no handler) answers not_found. */
export type FakeHandler = (input: unknown, call: FakeCall) => unknown;

const trpcCodeOf: Record<number, string> = {
  400: 'BAD_REQUEST',
  404: 'NOT_FOUND',
  429: 'TOO_MANY_REQUESTS',
  503: 'SERVICE_UNAVAILABLE',
  504: 'TIMEOUT',
};

export interface FakeNode {
  fetch: typeof globalThis.fetch;
  requests: FakeRequest[];
  /** Replace or add procedure handlers. */
  handle(handlers: Record<string, FakeHandler | undefined>): void;
}

/** Answers `…/trpc/<procedures>` under whatever base the client was given. */
export function fakeNode(handlers: Record<string, FakeHandler | undefined> = {}): FakeNode {
  const table = { ...handlers };
  const requests: FakeRequest[] = [];
  const fetch = async (input: string | URL | Request, init?: RequestInit): Promise<Response> => {
    const url = new URL(String(input), 'http://fake.node');
    const match = /\/trpc\/([^/?]+)$/.exec(url.pathname);
    const method = init?.method ?? 'GET';
    if (!match) {
      requests.push({ method, url: String(input), calls: [], init });
      return new Response(JSON.stringify({ error: { code: 'not_found', message: 'no route' } }), {
        status: 404,
      });
    }
    const procedures = decodeURIComponent(match[1]!).split(',');
    const raw = method === 'GET' ? url.searchParams.get('input') : (init?.body as string | undefined);
    const inputs = (raw ? JSON.parse(raw) : {}) as Record<string, unknown>;
    const calls = procedures.map((procedure, i) => ({ procedure, input: inputs[String(i)] }));
    requests.push({ method, url: String(input), calls, init });
    const answers = await Promise.all(
      calls.map(async (call) => {
        const handler = table[call.procedure];
        try {
          if (!handler) throw new FakeNodeError('not_found', `no procedure ${call.procedure}`, 404);
          return { result: { data: await handler(call.input, call) } };
        } catch (error) {
          const e =
            error instanceof FakeNodeError ? error : new FakeNodeError('internal', String(error), 500);
          return {
            error: {
              message: e.message,
              code: -32600,
              data: {
                code: trpcCodeOf[e.status] ?? 'INTERNAL_SERVER_ERROR',
                httpStatus: e.status,
                path: call.procedure,
                chainError: { code: e.code, message: e.message },
              },
            },
          };
        }
      }),
    );
    return new Response(JSON.stringify(answers), {
      status: 200,
      headers: { 'content-type': 'application/json' },
    });
  };
  return {
    fetch: fetch as typeof globalThis.fetch,
    requests,
    handle: (more) => Object.assign(table, more),
  };
}
