// Random sequences of registry actions and time jumps through the ledger runtime: after every block the
// invariants hold (TestChain.commit runs checkInvariants, which covers the registry state), records only
// move forward (an ended life stays ended, a listing is never dropped and a removal never undone, a
// certificate's history only grows), and what the views say block time has brought about is exactly what
// the contract records when it next touches the enterprise.
import type { Value, ValueMap } from '@gongxin/ledger';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  accounts,
  call,
  demoGenesis,
  hash32,
  suite,
  type TestAccount,
  TestChain,
  testAccount,
} from '../../test/chain';
import { civilDateOf, startOfDayMs, withChinaCalendars } from '../calendar/calendar';
import { completeUscc, orgCodeCheckChar } from './codes';
import { registryContract } from './contract';
import {
  type Certificate,
  certificateOf,
  type Enterprise,
  enterpriseAt,
  enterpriseOf,
  listingStatusOf,
} from './views';

const { alice, bob, carol } = accounts;
const registrar = testAccount(suite, 40);
const cqc = testAccount(suite, 41);
const reps = [alice, bob, carol];
const USCCS = [0, 1, 2].map((n) => {
  const org8 = String(30_000_000 + n * 7);
  return completeUscc(`91310115${org8}${orgCodeCheckChar(org8)}`);
});
const DAY = 86_400_000;

function genesis(): Record<string, Value> {
  const g = demoGenesis() as {
    governance: { authorities: Value[] };
    identity: { accounts: Value[]; roles: Value[] };
  } & Record<string, Value>;
  g.governance.authorities.push({
    address: registrar.address,
    name: '上海市浦东新区市场监督管理局',
    scopes: ['registry'],
  });
  g.identity.accounts.push({ address: cqc.address, kind: 'organization' });
  g.identity.roles.push({ subject: cqc.address, app: 'registry', role: 'certifier' });
  return withChinaCalendars(g);
}

const op = fc.record({
  kind: fc.nat({ max: 13 }),
  e: fc.nat({ max: 2 }),
  a: fc.nat({ max: 1000 }),
  days: fc.integer({ min: 1, max: 400 }),
});

describe('registry invariants under random actions', () => {
  it('hold after every block; records only move forward; views agree with what the contract records', () => {
    const succeeded = new Map<string, number>();
    fc.assert(
      fc.property(fc.array(op, { minLength: 10, maxLength: 40 }), (ops) => {
        const chain = new TestChain({ contracts: genesis(), extra: [registryContract] });
        chain.skip(startOfDayMs('2024-02-01') - chain.time);
        const send = (who: TestAccount, name: string, params: Record<string, unknown>) => {
          const outcome = chain.run(who, call('registry', name, params as ValueMap));
          if (outcome.receipt.ok) succeeded.set(name, (succeeded.get(name) ?? 0) + 1);
          return outcome;
        };
        USCCS.forEach((uscc, i) => {
          send(reps[i]!, 'register', {
            uscc,
            name: `企业${i}`,
            legalForm: 'limited_company',
            capital: 1_000_000,
            address: '上海市浦东新区',
            industry: 'C3841',
            establishedOn: '2020-01-01',
            authority: registrar.address,
          });
          send(registrar, 'decideRegistration', { uscc, decision: 'accept', reason: 'ok' });
        });
        const certs: string[] = [];
        const orders: string[] = [];
        const posts: string[] = [];
        let before = snapshot(chain);
        for (const o of ops) {
          const uscc = USCCS[o.e]!;
          const rep = enterpriseOf(chain.store, uscc)?.representative === alice.address ? alice : reps[o.e]!;
          const year = Number(civilDateOf(chain.time).slice(0, 4)) - 1 - (o.a % 2);
          const certId = certs[o.a % Math.max(certs.length, 1)];
          const idOf = (r: { receipt: { ok: boolean; txId: Uint8Array } }) =>
            r.receipt.ok ? Buffer.from(r.receipt.txId).toString('hex') : undefined;
          switch (o.kind) {
            case 0:
            case 1: {
              // Views first: what block time has brought about must be what a sweep records.
              chain.skip(o.days * DAY);
              const viewed = enterpriseAt(chain.store, uscc, chain.time + 1000)!;
              send(carol, 'sweep', { uscc });
              expect(enterpriseOf(chain.store, uscc)!.listings).toEqual(viewed.listings);
              break;
            }
            case 2:
              send(rep, 'fileAnnualReport', { uscc, year, hash: hash32(o.a + 1) });
              break;
            case 3: {
              // Cure one listing first (its missing report) half the time, then ask.
              const open = enterpriseAt(chain.store, uscc, chain.time + 1000)?.listings.find(
                (l) => l.removedAt === undefined && l.year !== undefined,
              );
              if (open && o.a % 2 === 0)
                send(rep, 'fileAnnualReport', { uscc, year: open.year, hash: hash32(3) });
              send(rep, 'requestRemoval', { uscc });
              break;
            }
            case 4: {
              const id = idOf(send(registrar, 'orderDisclosure', { uscc, matter: '股权变更' }));
              if (id) orders.push(id);
              break;
            }
            case 5:
              if (orders.length)
                send(rep, 'discloseInstant', { orderId: orders[o.a % orders.length]!, hash: hash32(7) });
              break;
            case 6:
              send(registrar, 'listAbnormal', { uscc, cause: 'unreachable', decisionNo: `异${o.a}` });
              break;
            case 7:
              send(registrar, 'removeListing', { uscc, index: o.a % 4, reason: '核查' });
              break;
            case 8: {
              const id = idOf(
                send(cqc, 'issueCertificate', {
                  holder: uscc,
                  no: `CQC${o.a}-${chain.height}`,
                  scheme: 'CCC',
                  scope: '电池',
                  standard: 'GB 43854-2024',
                  product: '电池组',
                  industry: 'C3841',
                  classification: 'CPC 46410',
                  validFrom: chain.time,
                  validUntil: chain.time + (1 + (o.a % 5)) * 365 * DAY,
                }),
              );
              if (id) certs.push(id);
              break;
            }
            case 9:
              if (certId)
                send(cqc, 'suspendCertificate', {
                  id: certId,
                  until: chain.time + o.days * DAY,
                  reason: '抽查',
                });
              break;
            case 10:
              if (certId)
                send(cqc, ['restoreCertificate', 'revokeCertificate', 'cancelCertificate'][o.a % 3]!, {
                  id: certId,
                  reason: '决定',
                });
              break;
            case 11: {
              const id = idOf(
                send(rep, 'post', {
                  uscc,
                  kind: o.a % 2 ? 'offer' : 'need',
                  industry: 'C3841',
                  classification: 'CPC 46410',
                  item: '电池组',
                  quantity: 1 + o.a,
                  unit: '套',
                  region: '310115',
                  deliverFrom: civilDateOf(chain.time),
                  deliverUntil: civilDateOf(chain.time + o.days * DAY),
                  priceMin: o.a,
                  priceMax: o.a * 2,
                }),
              );
              if (id) posts.push(id);
              break;
            }
            case 12:
              if (posts.length) send(rep, 'closePost', { id: posts[o.a % posts.length]! });
              break;
            default:
              if (o.a % 7 === 0) {
                const id = idOf(
                  send(rep, 'fileDeregistration', {
                    uscc,
                    effectiveOn: civilDateOf(chain.time),
                    reason: '解散',
                  }),
                );
                if (id) send(registrar, 'decideFiling', { id, decision: 'accept', reason: '核准' });
              }
              chain.skip(o.days * DAY);
          }
          const after = snapshot(chain, certs);
          movesForward(before, after);
          before = after;
        }
      }),
      { numRuns: 50 },
    );
    for (const name of [
      'sweep',
      'fileAnnualReport',
      'requestRemoval',
      'orderDisclosure',
      'issueCertificate',
      'suspendCertificate',
      'post',
    ])
      expect(succeeded.get(name) ?? 0, name).toBeGreaterThan(0);
  }, 120_000);
});

interface Snapshot {
  enterprises: Map<string, Enterprise>;
  certs: Map<string, Certificate>;
}

function snapshot(chain: TestChain, certs: readonly string[] = []): Snapshot {
  return {
    enterprises: new Map(USCCS.map((u) => [u, enterpriseOf(chain.store, u)!])),
    certs: new Map(certs.map((id) => [id, certificateOf(chain.store, id)!])),
  };
}

function movesForward(before: Snapshot, after: Snapshot): void {
  for (const [uscc, a] of after.enterprises) {
    const b = before.enterprises.get(uscc);
    if (!b) continue;
    if (b.life !== 'active' && b.life !== 'pending') expect(a.life).toBe(b.life);
    expect(a.listings.length).toBeGreaterThanOrEqual(b.listings.length);
    b.listings.forEach((l, i) => {
      const now = a.listings[i]!;
      expect(now.since).toBe(l.since);
      if (l.removedAt !== undefined) expect(now.removedAt).toBe(l.removedAt);
      if (l.seriousAt !== undefined) expect(now.seriousAt).toBe(l.seriousAt);
    });
    expect(a.reports.slice(0, b.reports.length)).toEqual(b.reports);
    if (listingStatusOf(b.listings) === 'serious' && a.life === 'active')
      expect(listingStatusOf(a.listings)).toBe('serious');
  }
  for (const [id, a] of after.certs) {
    const b = before.certs.get(id);
    if (b) expect(a.history.slice(0, b.history.length)).toEqual(b.history);
  }
}
