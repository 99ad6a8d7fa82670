// Anchoring a captured bundle at once, and the offline receipt. The copyright contract has no evidence
// action, so the bundle's root goes on chain as a `notary.anchor` (type `evidence.web`), sent through the
// app's anchor outbox with the service key: queued durably first, so a crash between capture and anchor
// leaves the anchor to the outbox's retry rather than losing it. Courts presume data untampered from the
// moment it was anchored, so nothing waits between the capture and the anchor.
import type { Outbox } from '@gongxin/app-kit';
import type { ChainClient } from '@gongxin/client';
import type { Action } from '@gongxin/ledger';
import type { BundleManifest } from './bundle';
import { CaptureError } from './capture';
import { type EvidenceReceipt, RECEIPT_KIND } from './verify';

export const EVIDENCE_ANCHOR_TYPE = 'evidence.web';

export function evidenceAnchorAction(manifest: BundleManifest): Action {
  const printable = manifest.url.replace(/[^\x20-\x7e]/g, '?').slice(0, 128);
  return {
    contract: 'notary',
    name: 'anchor',
    params: {
      hash: manifest.root,
      type: EVIDENCE_ANCHOR_TYPE,
      meta: { url: printable, files: manifest.files.length },
    },
  };
}

export interface AnchorDeps {
  outbox: Outbox;
  client: ChainClient;
  /** Address of the service key the outbox holds. */
  signer: string;
}

/** Anchors the bundle's root and returns the receipt once its block has committed. */
export async function anchorEvidence(deps: AnchorDeps, manifest: BundleManifest): Promise<EvidenceReceipt> {
  const record = {
    id: `evidence/${manifest.root}`,
    signer: deps.signer,
    action: evidenceAnchorAction(manifest),
  };
  const queued = await deps.outbox.enqueue([record]);
  if (queued.length > 0) {
    const result = await deps.outbox.send(queued);
    if (result.anchored === 0)
      throw new CaptureError(
        'the evidence could not be anchored now; the outbox retries it in the background',
        503,
        'anchor_pending',
        { root: manifest.root },
      );
  }
  return receiptFor(deps.client, manifest);
}

/** The receipt of a bundle whose root is anchored: read back from the chain, proof included. */
export async function receiptFor(client: ChainClient, manifest: BundleManifest): Promise<EvidenceReceipt> {
  let entry: Awaited<ReturnType<ChainClient['state']>>;
  try {
    entry = await client.state(`notary/anchor/${manifest.root}`);
  } catch {
    throw new CaptureError(`root ${manifest.root} is not anchored yet`, 503, 'anchor_pending', {
      root: manifest.root,
    });
  }
  const anchor = entry.value as { txId: string; at: number; time: number; type: string };
  const [proof, validators] = await Promise.all([
    client.proveTx(anchor.txId),
    client.validatorsAt(anchor.at),
  ]);
  return {
    kind: RECEIPT_KIND,
    version: 1,
    manifest,
    anchor: { contract: 'notary', action: 'anchor', hash: manifest.root, type: anchor.type },
    tx: { id: anchor.txId, height: anchor.at, index: proof.proof.index },
    block: {
      height: proof.height,
      hash: proof.blockHash,
      time: proof.header.time,
      chainId: validators.chainId,
    },
    proof: proof.bundle,
    validators: {
      chainId: validators.chainId,
      suite: validators.suite,
      height: validators.height,
      validators: validators.validators.map((v) => ({
        key: v.key,
        power: v.power,
        ...(v.name !== undefined && { name: v.name }),
        ...(v.operator !== undefined && { operator: v.operator }),
      })),
    },
  };
}
