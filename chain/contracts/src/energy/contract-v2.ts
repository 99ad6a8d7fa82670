// Energy contract v2: v1 plus owner points (总积分). Every anchored Wh of export a plant adds earns its
// owner points in a mintable asset the grid operator issued (0 decimals, so the wallet shows them like
// any other balance): one point per kWh, the Wh remainder carried per plant to the next interval, the
// way certificates carry theirs. A true-up that lowers an interval's export lowers the carry (below zero
// if need be) so the next export pays it back: points × 1,000 + carry = Wh anchored since points began.
// v1 stays as it was so that old blocks replay to the same state; a chain runs v2 from the height
// governance activates it at (a new chain from genesis, see NEW_CHAIN_ACTIVATIONS).
import {
  type ActionDefinition,
  type ContractContext,
  ContractError,
  type ContractModule,
  defineAction,
} from '@gongxin/ledger';
import { credit } from '../assets/library';
import { type Asset, assetOf, isFrozen } from '../assets/views';
import { parseGenesis, zSymbol } from '../common';
import {
  energyContract,
  requireOperator,
  zConfigureParams,
  zEnergyGenesis,
  zEnergyGenesisConfig,
} from './contract';
import { energyEvents } from './events';
import {
  type EnergyConfig,
  energyConfigOf,
  energyKeys,
  intervalOf,
  meterOf,
  type PlantPoints,
  plantOf,
  plantPointsOf,
  WH_PER_POINT,
} from './views';

/** v1's genesis config with `points`: the asset owners earn points in (absent: none are earned). */
const zEnergyGenesisV2 = zEnergyGenesis.extend({
  config: zEnergyGenesisConfig.extend({ points: zSymbol.optional() }).optional(),
});

/** Why an asset cannot carry points, or null: it must be mintable, whole units, and the operator's own. */
function pointsAssetProblem(asset: Asset | undefined, symbol: string, operator: string): string | null {
  if (!asset) return `no asset ${symbol}`;
  if (asset.policy !== 'mintable') return `points asset ${symbol} has a fixed supply; it must be mintable`;
  if (asset.decimals !== 0) return `points asset ${symbol} has ${asset.decimals} decimals; points are whole`;
  if (asset.issuer !== operator)
    return `points asset ${symbol} was issued by ${asset.issuer}, not by the grid operator ${operator}`;
  return null;
}

/**
 * A plant's anchored export changed by `deltaWh`: its owner earns the whole kWh of carry + delta as
 * points and the remainder is carried. Points wait in the carry while the owner's points are frozen or
 * the asset's maximum supply is reached, so anchoring never fails for them.
 */
function earnPoints(ctx: ContractContext, config: EnergyConfig, plantId: string, deltaWh: bigint): void {
  if (!config.points || deltaWh === 0n) return;
  const plant = plantOf(ctx, plantId);
  if (!plant) return;
  const before = plantPointsOf(ctx, plantId);
  const pool = before.carryWh + deltaWh;
  let points = pool > 0n ? pool / WH_PER_POINT : 0n;
  const asset = assetOf(ctx, config.points);
  if (
    points > 0n &&
    (!asset ||
      isFrozen(ctx, config.points, plant.owner) ||
      (asset.maxSupply !== undefined && asset.supply + points > asset.maxSupply))
  )
    points = 0n;
  const carryWh = pool - points * WH_PER_POINT;
  const record: PlantPoints = {
    ...before,
    earned: before.earned + points,
    carryWh,
    ...(points > 0n && { at: ctx.height, txId: ctx.txIdHex }),
  };
  ctx.set(energyKeys.points(plantId), record as never);
  if (points === 0n) return;
  credit(ctx, config.points, plant.owner, points);
  energyEvents.emit(ctx, 'pointsCredited', {
    plant: plantId,
    owner: plant.owner,
    symbol: config.points,
    points,
    earned: record.earned,
    carryWh: Number(carryWh),
  });
}

const anchorV1 = energyContract.actions.anchorInterval as unknown as ActionDefinition<
  Record<string, unknown>
>;

export const energyContractV2: ContractModule = {
  ...energyContract,
  version: 2,
  /** As v1, and the market's points asset may be named (it must be issued at genesis, by the operator). */
  genesis(ctx, section) {
    const { config } = parseGenesis('energy', zEnergyGenesisV2, section);
    if (!config) return;
    if (!assetOf(ctx, config.currency))
      throw new Error(`genesis section "energy": no asset ${config.currency}`);
    if (config.points) {
      const problem = pointsAssetProblem(assetOf(ctx, config.points), config.points, config.operator);
      if (problem) throw new Error(`genesis section "energy": ${problem}`);
    }
    ctx.set(energyKeys.config(), config as never);
  },
  actions: {
    ...energyContract.actions,
    /** As v1, with `points`: the asset owners earn points in from now on (absent: none are earned). */
    configure: defineAction(zConfigureParams.extend({ points: zSymbol.optional() }), (ctx, p) => {
      requireOperator(ctx, 'configure the energy market');
      if (!assetOf(ctx, p.currency)) throw new ContractError('not_found', `no asset ${p.currency}`);
      if (p.points) {
        const problem = pointsAssetProblem(assetOf(ctx, p.points), p.points, ctx.sender);
        if (problem)
          throw new ContractError(problem.startsWith('no asset') ? 'not_found' : 'not_allowed', problem);
      }
      const config: EnergyConfig = { ...p, operator: ctx.sender };
      ctx.set(energyKeys.config(), config as never);
      energyEvents.emit(ctx, 'configured', config);
    }),
    /** As v1, and the plant's owner earns points from the export the anchor adds. */
    anchorInterval: defineAction(anchorV1.params, (ctx, p) => {
      const params = p as { meter: string; start: number; exportWh: bigint };
      const previous = intervalOf(ctx, params.meter, params.start);
      anchorV1.run(ctx, p as never);
      const config = energyConfigOf(ctx);
      const meter = meterOf(ctx, params.meter);
      if (!config || !meter) return;
      earnPoints(ctx, config, meter.plant, params.exportWh - (previous?.exportWh ?? 0n));
    }),
  },
};
