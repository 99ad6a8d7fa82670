// JSON from the node API back into ledger types.
import { fromHex, type TrustedValidatorSet } from '@gongxin/ledger';
import type { ValidatorSetJson } from '@gongxin/node/api';

export function trustedFromJson(
  set: Pick<ValidatorSetJson, 'chainId' | 'suite' | 'validators'>,
): TrustedValidatorSet {
  return {
    chainId: set.chainId,
    suite: set.suite,
    validators: set.validators.map((v) => ({
      key: fromHex(v.key),
      power: v.power,
      name: v.name,
      operator: v.operator,
    })),
  };
}
