// The portal's one tRPC instance. Inputs are validated with zod; a bad input is a 400 with the zod issues
// flattened so a person (or a test) sees which field is wrong.
import type { SuiteAppInfo } from '@gongxin/app-kit';
import { initTRPC } from '@trpc/server';
import { ZodError, z } from 'zod';
import type { ChainStatus } from './chain';

export interface PortalContext {
  demo: boolean;
  services: { database: string; broker: string };
  startedAt: Date;
  /** The chain's state for the portal page; null when a followed node does not answer. */
  chainStatus(): Promise<ChainStatus | null>;
  /** The apps mounted in this process, as their manifests describe them. */
  apps: readonly SuiteAppInfo[];
}

// isDev false and no `stack` in the shape: an error body must never show the server's files.
const t = initTRPC.context<PortalContext>().create({
  isDev: false,
  errorFormatter({ shape, error }) {
    const { stack: _stack, ...data } = shape.data;
    return {
      ...shape,
      data: {
        ...data,
        zodError: error.cause instanceof ZodError ? z.flattenError(error.cause) : null,
      },
    };
  },
});

export const router = t.router;
export const publicProcedure = t.procedure;
export const createCallerFactory = t.createCallerFactory;
