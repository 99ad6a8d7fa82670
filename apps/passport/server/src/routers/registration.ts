// Registration: liveness check, then the application. Public: the applicant is not signed in yet; the
// application itself is signed with the key of the address it is for.
import { isAddress } from '@gongxin/ledger';
import { z } from 'zod';
import { attestationState, identityAccount } from '../chain';
import { checkIdNumber } from '../idNumber';
import { publicProcedure, router } from '../trpc';

export const zAddress = z.string().refine((v) => isAddress(v), 'must be a gx1… address in lowercase');
const zHex = (bytes: number, what: string) =>
  z.string().regex(new RegExp(`^[0-9a-fA-F]{${bytes * 2}}$`), `${what} must be ${bytes} bytes as hex`);
const zName = z
  .string()
  .trim()
  .min(1, 'enter the name')
  .max(64, 'at most 64 characters')
  .regex(/^[^\p{Cc}]*$/u, 'no control characters');

// The number is checked here so a typo is a 400 naming the field; the message never contains the number
// (zod does not report input values), and the server's log never sees the input.
export const zApply = z
  .object({
    address: zAddress,
    kind: z.enum(['person', 'organization']),
    realName: zName,
    idNumber: z.string().max(64, 'too long'),
    livenessSessionId: z.uuid('not a liveness session id'),
    publicKey: z.string().regex(/^[0-9a-fA-F]{64,66}$/, 'publicKey must be a public key as hex'),
    signature: zHex(64, 'signature'),
  })
  .superRefine((value, ctx) => {
    const check = checkIdNumber(value.kind, value.idNumber);
    if (!check.ok) ctx.addIssue({ code: 'custom', path: ['idNumber'], message: check.message });
  });

export const registrationRouter = router({
  /** Which liveness verifier runs (a development verifier checks nothing: the UI says so). */
  info: publicProcedure.query(async ({ ctx }) => {
    const rt = ctx.app;
    return {
      verifier: { name: rt.verifier.name, development: rt.verifier.development },
      origins: rt.origins,
      demo: rt.demo,
      chainId: ctx.services.chain.chainId,
      suite: ctx.services.chain.suite,
    };
  }),

  startLiveness: publicProcedure.input(z.object({ address: zAddress })).mutation(async ({ ctx, input }) => {
    const rt = ctx.app;
    return rt.registration.startLiveness(input.address);
  }),

  submitLiveness: publicProcedure
    .input(z.object({ sessionId: z.uuid(), response: z.string().min(1).max(2048) }))
    .mutation(async ({ ctx, input }) => {
      const rt = ctx.app;
      return rt.registration.submitLiveness(input.sessionId, input.response);
    }),

  // `apply` is a reserved word in tRPC routers (Function.prototype.apply): the application is `submit`.
  submit: publicProcedure.input(zApply).mutation(async ({ ctx, input }) => {
    const rt = ctx.app;
    const result = await rt.registration.apply(input);
    rt.logger.info(
      { application: result.id, address: input.address, duplicate: result.duplicate },
      'application filed',
    );
    return result;
  }),

  /** What anyone can know about an address: the chain's view, and whether an application is open. */
  status: publicProcedure.input(z.object({ address: zAddress })).query(async ({ ctx, input }) => {
    const rt = ctx.app;
    const client = ctx.services.chain.client;
    const [account, attestation, latest] = await Promise.all([
      identityAccount(client, input.address),
      attestationState(client, input.address),
      rt.registration.latestFor(input.address),
    ]);
    return {
      address: input.address,
      registered: account !== undefined,
      kind: account?.kind ?? null,
      verified: attestation !== undefined && attestation.revoked === undefined,
      attestation: attestation
        ? {
            by: attestation.by,
            at: attestation.at,
            time: attestation.time,
            revoked: attestation.revoked ?? null,
          }
        : null,
      application: latest
        ? { status: latest.status, submittedAt: latest.submittedAt.toISOString(), reason: latest.reason }
        : null,
    };
  }),
});
