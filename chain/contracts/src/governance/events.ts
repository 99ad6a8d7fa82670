// The governance contract's events (docs/contracts.md, "governance"): proposals and votes, and for an
// executed change the change itself.
import { attrs, defineEvents } from '../catalog';
import type { ProposalChange } from './views';

// Keyed by kind so that a proposal kind added to ProposalChange without being listed here does not compile.
const kinds: { readonly [K in ProposalChange['kind']]: K } = {
  addValidator: 'addValidator',
  removeValidator: 'removeValidator',
  setPower: 'setPower',
  grantAuthority: 'grantAuthority',
  revokeAuthority: 'revokeAuthority',
  activateContract: 'activateContract',
  setParam: 'setParam',
  setCalendar: 'setCalendar',
};
export const PROPOSAL_KINDS = Object.values(kinds) as readonly ProposalChange['kind'][];

const id = attrs.text();
const kind = attrs.oneOf(PROPOSAL_KINDS);
const tally = { id, kind, yes: attrs.int(), no: attrs.int(), total: attrs.int() };

export const governanceEvents = defineEvents('governance', {
  proposed: { id, kind, proposer: attrs.address(), deadline: attrs.int() },
  voted: { id, voter: attrs.address(), approve: attrs.bool(), power: attrs.int() },
  passed: tally,
  rejected: tally,
  expired: { id, kind, deadline: attrs.int() },
  /** The whole set that signs from `height` on. */
  validatorSetChanged: {
    id,
    change: attrs.oneOf(['addValidator', 'removeValidator', 'setPower']),
    height: attrs.int(),
    validators: attrs.list(
      attrs.struct({ key: attrs.bytes(), power: attrs.int(), name: attrs.text(), operator: attrs.address() }),
    ),
  },
  authorityGranted: { id, address: attrs.address(), name: attrs.text(), scopes: attrs.list(attrs.text()) },
  authorityRevoked: { id, address: attrs.address() },
  contractActivated: { id, contract: attrs.text(), version: attrs.int(), height: attrs.int() },
  /** `value` null: the parameter was removed. */
  paramChanged: { id, name: attrs.text(), value: attrs.value() },
  /** The year's working-day calendar as it now stands: days as MM-DD. */
  calendarSet: {
    id,
    year: attrs.int(),
    holidays: attrs.list(attrs.monthDay()),
    workdays: attrs.list(attrs.monthDay()),
  },
});
