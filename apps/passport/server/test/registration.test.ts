// Registration → liveness → application → officer approval (attest signed by the officer's key) → the
// indexer marks it approved. Then: the clear ID number is nowhere in the chain's data nor in the logs.
import { toHex } from '@gongxin/ledger';
import { TRPCError } from '@trpc/server';
import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { residentCheckDigit } from '../src/idNumber';
import { applyMessage } from '../src/messages';
import { freshAccount, type Harness, startHarness } from './harness';

// An invented number that appears nowhere else: if it shows up in chain data or logs, it leaked.
const BASE = '51010619870723531';
const ID_NUMBER = BASE + residentCheckDigit(BASE);
const TYPO = ID_NUMBER.slice(0, 10) + (ID_NUMBER[10] === '1' ? '0' : '1') + ID_NUMBER.slice(11);

let h: Harness;
beforeAll(async () => {
  h = await startHarness();
});
afterAll(async () => {
  await h?.close();
});

async function register(seed: number) {
  const person = freshAccount(h.suite, seed);
  const receipt = await h.send(person.privateKey, [
    { contract: 'identity', name: 'register', params: { kind: 'person' } },
  ]);
  expect(receipt.ok).toBe(true);
  return person;
}

async function passLiveness(address: string) {
  const pub = h.caller(null);
  const started = await pub.registration.startLiveness({ address });
  expect(started.verifier).toEqual({ name: 'development', development: true });
  const result = await pub.registration.submitLiveness({
    sessionId: started.sessionId,
    response: String(started.prompt['code']),
  });
  expect(result.passed).toBe(true);
  return started.sessionId;
}

function signedApply(
  person: { address: string; privateKey: Uint8Array; publicKey: Uint8Array },
  livenessSessionId: string,
) {
  const signature = h.suite.sign(
    applyMessage({ origin: h.publicUrl, address: person.address, livenessSessionId }),
    person.privateKey,
  );
  return { publicKey: toHex(person.publicKey), signature: toHex(signature) };
}

describe('registration and review', () => {
  let applicationId = '';
  let person: Awaited<ReturnType<typeof register>>;

  it('refuses a typo in the ID number with a 400 that names the field and never echoes the number', async () => {
    person = await register(1);
    const sessionId = await passLiveness(person.address);
    const error = await h
      .caller(null)
      .registration.submit({
        address: person.address,
        kind: 'person',
        realName: '测试人',
        idNumber: TYPO,
        livenessSessionId: sessionId,
        ...signedApply(person, sessionId),
      })
      .catch((e: unknown) => e);
    expect(error).toBeInstanceOf(TRPCError);
    expect((error as TRPCError).code).toBe('BAD_REQUEST');
    expect(JSON.stringify(error)).not.toContain(TYPO);
    expect((error as Error).message).not.toContain(TYPO);
    expect((error as Error).message).toContain('idNumber');

    // The same over HTTP, through app-kit's tRPC middleware, error formatter and request logging.
    const session2 = await passLiveness(person.address);
    const res = await fetch(`${h.url}/passport/api/trpc/registration.submit`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({
        address: person.address,
        kind: 'person',
        realName: '测试人',
        idNumber: TYPO,
        livenessSessionId: session2,
        ...signedApply(person, session2),
      }),
    });
    expect(res.status).toBe(400);
    const body = await res.text();
    expect(body).not.toContain(TYPO);
    expect(JSON.parse(body).error.data.zodError.fieldErrors.idNumber).toHaveLength(1);
  });

  it('files an application (pending) after the checks', async () => {
    const sessionId = await passLiveness(person.address);
    const result = await h.caller(null).registration.submit({
      address: person.address,
      kind: 'person',
      realName: '测试人',
      idNumber: ID_NUMBER,
      livenessSessionId: sessionId,
      ...signedApply(person, sessionId),
    });
    expect(result).toMatchObject({ status: 'pending', duplicate: false });
    applicationId = result.id;

    // One pending application per address; the liveness session is single-use anyway.
    const again = await passLiveness(person.address);
    await expect(
      h.caller(null).registration.submit({
        address: person.address,
        kind: 'person',
        realName: '测试人',
        idNumber: ID_NUMBER,
        livenessSessionId: again,
        ...signedApply(person, again),
      }),
    ).rejects.toMatchObject({ code: 'CONFLICT' });
  });

  it('refuses an application not signed by the address’s key, and one for an unregistered account', async () => {
    const other = freshAccount(h.suite, 2);
    const sessionId = await passLiveness(person.address);
    await expect(
      h.caller(null).registration.submit({
        address: person.address,
        kind: 'person',
        realName: '冒名',
        idNumber: ID_NUMBER,
        livenessSessionId: sessionId,
        ...signedApply({ ...other, address: person.address }, sessionId),
      }),
    ).rejects.toMatchObject({ code: 'UNAUTHORIZED' });

    const unregistered = freshAccount(h.suite, 3);
    const s2 = await passLiveness(unregistered.address);
    await expect(
      h.caller(null).registration.submit({
        address: unregistered.address,
        kind: 'person',
        realName: '未注册',
        idNumber: ID_NUMBER,
        livenessSessionId: s2,
        ...signedApply(unregistered, s2),
      }),
    ).rejects.toMatchObject({ code: 'PRECONDITION_FAILED' });
  });

  it('flags a second application with the same ID number as a duplicate', async () => {
    const second = await register(4);
    const sessionId = await passLiveness(second.address);
    const result = await h.caller(null).registration.submit({
      address: second.address,
      kind: 'person',
      realName: '另一个人',
      idNumber: ` ${ID_NUMBER.toLowerCase()} `,
      livenessSessionId: sessionId,
      ...signedApply(second, sessionId),
    });
    expect(result.duplicate).toBe(true);
    const listed = await h
      .caller(h.userOf(second.address, ['passport:officer']))
      .review.get({ id: result.id });
    expect(listed.duplicateOf).toContain(applicationId);
  });

  it('shows officers the name and a masked number only', async () => {
    const authority = h.demoAccount('identity-authority');
    const officer = h.caller(h.userOf(authority.address));
    const pending = await officer.review.list({ status: 'pending' });
    const mine = pending.find((a) => a.id === applicationId);
    expect(mine).toMatchObject({
      name: '测试人',
      idMasked: `${ID_NUMBER.slice(0, 4)}**********${ID_NUMBER.slice(-4)}`,
    });
    expect(JSON.stringify(pending)).not.toContain(ID_NUMBER);
    // The demo applicant waiting for review is there too.
    expect(pending.some((a) => a.address === h.demoAccount('citizen-chen').address)).toBe(true);
  });

  it('approves: the officer signs identity.attest, the indexer records the outcome from the chain', async () => {
    const authority = h.demoAccount('identity-authority');
    const officer = h.caller(h.userOf(authority.address));
    const prepared = await officer.review.prepareApproval({ id: applicationId });
    expect(prepared.actions[0]).toMatchObject({ contract: 'identity', name: 'attest' });
    expect(JSON.stringify(prepared)).not.toContain(ID_NUMBER);

    const receipt = await h.send(authority.privateKey, prepared.actions);
    expect(receipt.ok).toBe(true);
    const approved = await officer.review.get({ id: applicationId });
    expect(approved).toMatchObject({
      status: 'approved',
      decidedBy: authority.address,
      attestedHeight: receipt.height,
    });

    const status = await h.caller(null).registration.status({ address: person.address });
    expect(status).toMatchObject({ registered: true, verified: true, application: { status: 'approved' } });

    // The person's own passport names the authority that attested and the transaction that wrote it.
    const { authority: held } = await officer.profile.me();
    expect(held?.name).toBeTruthy();
    const mine = await h.caller(h.userOf(person.address)).profile.me();
    expect(mine.attestation).toMatchObject({
      by: authority.address,
      genesis: false,
      byName: held!.name,
      at: receipt.height,
      txId: receipt.id,
    });
  });

  it('says a demo person’s attestation was written at genesis, with no transaction', async () => {
    const li = h.demoAccount('citizen-li');
    const mine = await h.caller(h.userOf(li.address)).profile.me();
    expect(mine.attestation).toMatchObject({ by: 'genesis', genesis: true, byName: null, at: 0, txId: null });
  });

  it('an attest by someone who is not an identity authority fails on chain and changes nothing', async () => {
    const welfare = h.demoAccount('welfare-caseworker');
    const second = (
      await h.caller(h.userOf(welfare.address, ['passport:officer'])).review.list({ status: 'pending' })
    ).find((a) => a.duplicateOf.length > 0)!;
    const prepared = await h
      .caller(h.userOf(welfare.address, ['passport:officer']))
      .review.prepareApproval({ id: second.id });
    const receipt = await h.send(welfare.privateKey, prepared.actions);
    expect(receipt).toMatchObject({ ok: false, code: 'not_authorized' });
    expect(
      (await h.caller(h.userOf(welfare.address, ['passport:officer'])).review.get({ id: second.id })).status,
    ).toBe('pending');
  });

  it('rejects with a reason', async () => {
    const authority = h.demoAccount('identity-authority');
    const officer = h.caller(h.userOf(authority.address));
    const chen = (await officer.review.list({ status: 'pending' })).find(
      (a) => a.address === h.demoAccount('citizen-chen').address,
    )!;
    const rejected = await officer.review.reject({ id: chen.id, reason: '照片不清晰 / photo unclear' });
    expect(rejected).toMatchObject({
      status: 'rejected',
      reason: '照片不清晰 / photo unclear',
      decidedBy: authority.address,
    });
    await expect(officer.review.reject({ id: chen.id, reason: 'again' })).rejects.toMatchObject({
      code: 'CONFLICT',
    });
  });

  it('grants and revokes roles through the chain; the read model follows', async () => {
    const authority = h.demoAccount('identity-authority');
    const officer = h.caller(h.userOf(authority.address));
    const grant = await officer.roles.prepareGrant({
      subject: person.address,
      app: 'welfare',
      role: 'auditor',
    });
    expect((await h.send(authority.privateKey, grant.actions)).ok).toBe(true);
    expect(await officer.roles.ofAccount({ address: person.address })).toEqual([
      { app: 'welfare', role: 'auditor' },
    ]);
    expect(await officer.roles.list({ subject: person.address })).toMatchObject([
      { app: 'welfare', role: 'auditor' },
    ]);

    const revoke = await officer.roles.prepareRevoke({
      subject: person.address,
      app: 'welfare',
      role: 'auditor',
      reason: 'test',
    });
    expect((await h.send(authority.privateKey, revoke.actions)).ok).toBe(true);
    expect(await officer.roles.list({ subject: person.address })).toEqual([]);
  });

  it('a rebuild of the read models gives the same rows', async () => {
    const read = async () => ({
      applications: await h.database.query(
        sql`select id, status, attested_height from passport.applications order by id`,
      ),
      roles: await h.database.query(sql`select * from passport.roles order by subject, app, role`),
      attestations: await h.database.query(sql`select * from passport.attestations order by subject`),
    });
    const before = await read();
    await h.mounted.indexer!.rebuild();
    expect(await read()).toEqual(before);
  });

  it('never puts the clear ID number into chain data or logs', async () => {
    const needles = [
      ID_NUMBER,
      TYPO,
      Buffer.from(ID_NUMBER, 'utf8').toString('hex'),
      Buffer.from(TYPO, 'utf8').toString('hex'),
    ];
    const tables = await h.database.query<{ table_name: string }>(
      sql`select table_name from information_schema.tables where table_schema = 'chain'`,
    );
    expect(tables.length).toBeGreaterThan(3);
    let scanned = 0;
    for (const { table_name } of tables) {
      const rows = await h.database.query<{ row: string }>(
        sql.raw(`select t::text as row from chain."${table_name}" t`),
      );
      for (const { row } of rows) {
        scanned++;
        const lower = row.toLowerCase();
        for (const needle of needles)
          expect(lower.includes(needle.toLowerCase()), `${table_name} contains the ID number`).toBe(false);
      }
    }
    expect(scanned).toBeGreaterThan(10);
    // The scan does see what is on chain: the applicant's address and the idHash are there.
    const everything = (
      await Promise.all(
        tables.map(({ table_name }) =>
          h.database.query<{ row: string }>(sql.raw(`select t::text as row from chain."${table_name}" t`)),
        ),
      )
    )
      .flat()
      .map((r) => r.row)
      .join('\n');
    expect(everything).toContain(person.address);

    // Passport's own tables keep it only encrypted.
    const own = await h.database.query<{ row: string }>(
      sql`select t::text as row from passport.applications t`,
    );
    for (const { row } of own) for (const needle of needles) expect(row.includes(needle)).toBe(false);

    const logs = h.logs.join('');
    expect(logs.length).toBeGreaterThan(100);
    for (const needle of needles) expect(logs.includes(needle)).toBe(false);
  });
});
