// Monitoring's bank-account cross-check: the same account (by the authority's keyed hash) for
// households that share no member raises an alert on chain, owned by the area's alert owner, with a
// deadline from the working-day calendar, the account hash and the households as evidence; related
// households (a shared member) are not reported; only auditors report; the owner records the outcome.
import { describe, expect, it } from 'vitest';
import { accounts, hash32 } from '../../test/chain';
import { approve, auditor, member, reviewer, setUpArea, WelfareChain, worker } from './fixture';
import { welfareAlertOf } from './views';

const { alice, bob, carol } = accounts;
const ACCOUNT = hash32(4242);

describe('shared bank account cross-check', () => {
  it('raises an alert with the account hash and the households, resolved with an outcome', () => {
    const chain = new WelfareChain();
    setUpArea(chain);
    const one = approve(chain, [member(1, alice.address)], 0);
    const two = approve(chain, [member(2, bob.address)], 0, 'single');
    const three = approve(chain, [member(3, carol.address)], 0);

    chain.refuses('not_authorized', worker, 'reportSharedAccount', {
      accountHash: ACCOUNT,
      households: [one, two],
    });
    chain.refuses('invalid_params', auditor, 'reportSharedAccount', {
      accountHash: 'not-a-hash',
      households: [one, two],
    });
    chain.refuses('invalid_params', auditor, 'reportSharedAccount', {
      accountHash: ACCOUNT,
      households: [one],
    });
    chain.refuses('invalid_params', auditor, 'reportSharedAccount', {
      accountHash: ACCOUNT,
      households: [one, one],
    });
    chain.refuses('not_found', auditor, 'reportSharedAccount', {
      accountHash: ACCOUNT,
      households: [one, 'ab'.repeat(32)],
    });

    const events = chain.act(auditor, 'reportSharedAccount', {
      accountHash: ACCOUNT,
      households: [one, two, three],
    });
    expect(events.map(([n]) => n)).toEqual(['alertRaised']);
    const raised = events[0]![1];
    expect(raised).toMatchObject({
      kind: 'shared_account',
      subject: ACCOUNT,
      detail: `households ${one} ${two} ${three}`,
      owner: auditor.address,
    });
    expect(raised.deadline as number).toBeGreaterThan(chain.time);
    const stored = welfareAlertOf(chain.store, raised.id as string)!;
    expect(stored).toMatchObject({ kind: 'shared_account', subject: ACCOUNT });
    expect(stored.outcome).toBeUndefined();

    chain.refuses('not_authorized', reviewer, 'resolveAlert', { id: raised.id, outcome: 'x' });
    chain.act(auditor, 'resolveAlert', { id: raised.id, outcome: '已核实：代管账户，已更正' });
    expect(welfareAlertOf(chain.store, raised.id as string)!.outcome).toBe('已核实：代管账户，已更正');
  });

  it('does not report related households: a file and its survivors share a member', () => {
    const chain = new WelfareChain();
    setUpArea(chain);
    const house = approve(chain, [member(1, alice.address), member(2, bob.address)], 600_000);
    const events = chain.act(worker, 'recordDeath', { idHash: hash32(1001), survivorsAnnualIncome: 0 });
    const successor = events.find(([n]) => n === 'householdClosed')![1].successor as string;
    chain.refuses('not_allowed', auditor, 'reportSharedAccount', {
      accountHash: ACCOUNT,
      households: [house, successor],
    });
  });
});
