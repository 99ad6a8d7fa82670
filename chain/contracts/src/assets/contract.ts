// Assets: verified identities issue tokens (points, vouchers, stable units), holders transfer and burn
// them, issuers mint more of a mintable asset, issuers and regulators freeze accounts, and anyone can
// hand out red packets. It must never create or destroy units except by issue/mint/burn, never let a
// frozen account move units, and never let an amount exceed MAX_AMOUNT.
import {
  type Address,
  type ContractContext,
  ContractError,
  type ContractModule,
  defineAction,
} from '@gongxin/ledger';
import { z } from 'zod';
import {
  checkAmount,
  parseGenesis,
  zAddress,
  zAmount,
  zGenesisInteger,
  zMemo,
  zName,
  zReason,
  zSupply,
  zSymbol,
} from '../common';
import { hasRole, isVerified } from '../identity/views';
import { assetsEvents } from './events';
import { credit, debit, mintUnits, requireAsset, transferBetween } from './library';
import { claimPacket, createPacket, refundPacket, zCreatePacket, zPacketRef } from './packets';
import { type Asset, type AssetPolicy, assetKeys, assetOf, type Freeze, freezeOf } from './views';

/** The app role (identity contract) that may freeze and unfreeze accounts of any asset. */
export const REGULATOR_ROLE = { app: 'assets', role: 'regulator' } as const;

const zAssetDefinition = {
  symbol: zSymbol,
  name: zName,
  decimals: z.number().int().min(0).max(18),
  policy: z.enum(['fixed', 'mintable']),
  maxSupply: zAmount.optional(),
};

/** Creates the asset record with no units yet; units come from mintUnits so the same limits apply. */
function createAsset(
  ctx: ContractContext,
  definition: {
    symbol: string;
    name: string;
    decimals: number;
    policy: AssetPolicy;
    maxSupply?: bigint | undefined;
  },
  issuer: Address,
): Asset {
  const { symbol, name, decimals, policy, maxSupply } = definition;
  if (assetOf(ctx, symbol)) throw new ContractError('already_exists', `asset ${symbol} already exists`);
  if (maxSupply !== undefined) {
    checkAmount(maxSupply, 'maxSupply');
    if (policy !== 'mintable')
      throw new ContractError(
        'invalid_params',
        'maxSupply applies to mintable assets; a fixed supply is the initial one',
      );
  }
  const asset: Asset = {
    symbol,
    name,
    decimals,
    issuer,
    policy,
    supply: 0n,
    ...(maxSupply !== undefined && { maxSupply }),
    createdAt: ctx.height,
  };
  ctx.set(assetKeys.asset(symbol), asset);
  return asset;
}

function requireFreezer(ctx: ContractContext, asset: Asset): void {
  if (ctx.sender !== asset.issuer && !hasRole(ctx, ctx.sender, REGULATOR_ROLE.app, REGULATOR_ROLE.role)) {
    throw new ContractError(
      'not_authorized',
      `only the issuer of ${asset.symbol} or a regulator may freeze or unfreeze it`,
    );
  }
}

const zFreeze = z.object({ symbol: zSymbol, account: zAddress, reason: zReason }).strict();

const zGenesisAmount = zGenesisInteger.refine((v) => v >= 1n, 'an amount must be at least 1');

const zGenesis = z
  .object({
    assets: z
      .array(
        z
          .object({
            ...zAssetDefinition,
            maxSupply: zGenesisAmount.optional(),
            issuer: zAddress,
            balances: z.record(zAddress, zGenesisAmount),
          })
          .strict(),
      )
      .optional(),
  })
  .strict();

export const assetsContract: ContractModule = {
  name: 'assets',
  version: 1,
  actions: {
    issue: defineAction(
      z.object({ ...zAssetDefinition, initialSupply: zSupply }).strict(),
      (ctx, { initialSupply, ...definition }) => {
        if (!isVerified(ctx, ctx.sender)) {
          throw new ContractError(
            'not_authorized',
            'only an identity verified by an authority may issue assets',
          );
        }
        if (definition.policy === 'fixed' && initialSupply === 0n) {
          throw new ContractError(
            'invalid_params',
            'a fixed asset needs an initial supply: none could ever be created later',
          );
        }
        const asset = createAsset(ctx, definition, ctx.sender);
        assetsEvents.emit(ctx, 'issued', {
          symbol: asset.symbol,
          name: asset.name,
          decimals: asset.decimals,
          issuer: asset.issuer,
          policy: asset.policy,
        });
        if (initialSupply > 0n) mintUnits(ctx, asset, ctx.sender, initialSupply);
      },
    ),

    mint: defineAction(
      z.object({ symbol: zSymbol, amount: zAmount, to: zAddress.optional() }).strict(),
      (ctx, { symbol, amount, to }) => {
        const asset = requireAsset(ctx, symbol);
        if (asset.issuer !== ctx.sender)
          throw new ContractError('not_authorized', `only the issuer ${asset.issuer} may mint ${symbol}`);
        credit(ctx, symbol, to ?? ctx.sender, amount);
      },
    ),

    transfer: defineAction(
      z.object({ symbol: zSymbol, to: zAddress, amount: zAmount, memo: zMemo.optional() }).strict(),
      (ctx, { symbol, to, amount, memo }) => transferBetween(ctx, symbol, ctx.sender, to, amount, memo),
    ),

    burn: defineAction(z.object({ symbol: zSymbol, amount: zAmount }).strict(), (ctx, { symbol, amount }) =>
      debit(ctx, symbol, ctx.sender, amount),
    ),

    freeze: defineAction(zFreeze, (ctx, { symbol, account, reason }) => {
      requireFreezer(ctx, requireAsset(ctx, symbol));
      const existing = freezeOf(ctx, symbol, account);
      if (existing)
        throw new ContractError(
          'already_exists',
          `${symbol} of ${account} is already frozen (${existing.reason})`,
        );
      ctx.set(assetKeys.frozen(symbol, account), { by: ctx.sender, reason, at: ctx.height } satisfies Freeze);
      assetsEvents.emit(ctx, 'frozen', { symbol, account, by: ctx.sender, reason });
    }),

    unfreeze: defineAction(zFreeze, (ctx, { symbol, account, reason }) => {
      requireFreezer(ctx, requireAsset(ctx, symbol));
      if (!freezeOf(ctx, symbol, account))
        throw new ContractError('not_found', `${symbol} of ${account} is not frozen`);
      ctx.delete(assetKeys.frozen(symbol, account));
      assetsEvents.emit(ctx, 'unfrozen', { symbol, account, by: ctx.sender, reason });
    }),

    createPacket: defineAction(zCreatePacket, createPacket),
    claimPacket: defineAction(zPacketRef, (ctx, { id }) => claimPacket(ctx, id)),
    refundPacket: defineAction(zPacketRef, (ctx, { id }) => refundPacket(ctx, id)),
  },

  genesis(ctx, section) {
    const config = parseGenesis('assets', zGenesis, section);
    for (const { issuer, balances, ...definition } of config.assets ?? []) {
      let asset = createAsset(ctx, definition, issuer);
      for (const [holder, amount] of Object.entries(balances)) asset = mintUnits(ctx, asset, holder, amount);
    }
  },
};
