// Grievances (申诉): a living member files one about their household's file or a decision on it, with a
// category and the hash of its words (and an attachment's); the deadline is 15 working days of the
// chain calendar; a case worker or reviewer answers once, marked late after the deadline.
import { describe, expect, it } from 'vitest';
import { accounts, hash32 } from '../../test/chain';
import { calendarOf, workingDayDeadlineMs } from '../calendar/calendar';
import { GRIEVANCE_DEADLINE_WORKING_DAYS, grievanceKey } from './contract';
import { approve, auditor, member, reviewer, setUpArea, WelfareChain, worker } from './fixture';

const { alice, bob, carol } = accounts;

describe('grievances', () => {
  it('are filed by a member, due by the working-day calendar, answered once by an officer', () => {
    const chain = new WelfareChain();
    setUpArea(chain);
    const house = approve(chain, [member(1, alice.address), member(2, bob.address)], 600_000);
    const other = approve(chain, [member(3, carol.address)], 0);
    const g = { household: house, category: 'amount', textHash: hash32(9), attachment: hash32(10) };

    chain.refuses('not_authorized', carol, 'fileGrievance', g);
    chain.refuses('invalid_params', alice, 'fileGrievance', { ...g, category: 'bribes' });
    chain.refuses('invalid_params', alice, 'fileGrievance', { ...g, textHash: 'words in clear' });
    chain.refuses('invalid_params', alice, 'fileGrievance', { ...g, decision: other });
    chain.refuses('not_found', alice, 'fileGrievance', { ...g, household: 'ab'.repeat(32) });

    const expected = workingDayDeadlineMs(
      calendarOf(chain.store),
      chain.time,
      GRIEVANCE_DEADLINE_WORKING_DAYS,
    );
    const filed = chain.act(bob, 'fileGrievance', { ...g, decision: house });
    expect(filed.map(([n]) => n)).toEqual(['grievanceFiled']);
    const e = filed[0]![1];
    expect(e).toMatchObject({
      household: house,
      category: 'amount',
      textHash: hash32(9),
      attachment: hash32(10),
      decision: house,
      by: bob.address,
      deadline: expected,
    });
    expect(expected).toBeGreaterThan(chain.time + 15 * 86_400_000);

    chain.refuses('not_authorized', alice, 'answerGrievance', {
      id: e.id,
      answerHash: hash32(11),
      upheld: true,
    });
    chain.refuses('not_authorized', auditor, 'answerGrievance', {
      id: e.id,
      answerHash: hash32(11),
      upheld: true,
    });
    chain.refuses('not_found', worker, 'answerGrievance', {
      id: 'cd'.repeat(32),
      answerHash: hash32(11),
      upheld: true,
    });
    const answered = chain.act(worker, 'answerGrievance', { id: e.id, answerHash: hash32(11), upheld: true });
    expect(answered[0]).toEqual([
      'grievanceAnswered',
      expect.objectContaining({ upheld: true, late: false }),
    ]);
    expect(chain.store.get(grievanceKey(e.id as string))).toMatchObject({
      answerHash: hash32(11),
      upheld: true,
    });
    chain.refuses('not_allowed', reviewer, 'answerGrievance', {
      id: e.id,
      answerHash: hash32(12),
      upheld: false,
    });

    // Past its deadline, an answer is marked late.
    const late = chain.act(alice, 'fileGrievance', g)[0]![1];
    chain.skip(40 * 86_400_000);
    const lateAnswer = chain.act(reviewer, 'answerGrievance', {
      id: late.id,
      answerHash: hash32(13),
      upheld: false,
    });
    expect(lateAnswer[0]![1]).toMatchObject({ late: true });
  });
});
