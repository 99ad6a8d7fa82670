// Entry of the consumer page's script (no framework: the page itself is rendered by the server, in the
// consumer's language, which this script follows). Verifies every anchored event of the journey: its hash
// recomputed here from the record, then against the chain's proofs; and says what was checked.
import { createChainClient } from '@gongxin/client';
import { type AnchorProof, type AnchorVerdict, verifyAnchor } from './verify-anchors';

const section = document.getElementById('verify');
const status = document.getElementById('verify-status');
const list = document.getElementById('verify-steps');
const data = document.getElementById('proofs');
const en = document.documentElement.lang === 'en';

const CHECKS: Record<string, [string, string]> = {
  hash: [
    '本机根据记录重新计算的哈希与列出的一致',
    'this browser recomputed the record’s hash: it is the one listed',
  ],
  record: ['链上锚定的正是这条记录的哈希', 'the chain anchors this very record’s hash'],
  chain: ['区块属于本链', 'the block is of this chain'],
  inclusion: ['默克尔证明：记录在区块中', 'Merkle proof: the record is in the block'],
  validators: ['验证节点集合已知', 'the validator set is known'],
  certificate: ['超过三分之二验证节点签名', 'signed by more than two thirds of the validators'],
};
/** Why a check failed, in words (the verifier's own reason follows, for whoever looks into it). */
const FAILURES: Record<string, [string, string]> = {
  hash: ['记录的哈希对不上', 'the record’s hash does not match'],
  record: ['链上的记录不是这一条', 'the chain anchors another record'],
  proof: ['无法取得证明', 'the proof could not be fetched'],
  validators: ['无法取得验证节点集合', 'the validator set could not be fetched'],
};
const say = (words: [string, string]) => (en ? words[1] : words[0]);

function item(text: string, ok: boolean, href?: string): HTMLLIElement {
  const li = document.createElement('li');
  li.className = ok ? 'ok' : 'bad';
  li.textContent = `${ok ? '✓' : '✗'} ${text}`;
  if (href) {
    const a = document.createElement('a');
    a.href = href;
    a.textContent = ' ↗';
    li.append(a);
  }
  return li;
}

function failure(reason: string | undefined): string {
  const kind = reason?.split(':')[0] ?? '';
  return FAILURES[kind] ? say(FAILURES[kind]) : say(['验证未通过', 'did not verify']);
}

async function run(): Promise<void> {
  if (!section || !status || !list || !data) return;
  const proofs = JSON.parse(data.textContent || '[]') as AnchorProof[];
  const chainBase = section.dataset.chain || '/chain';
  const explorer = section.dataset.explorer || '/explorer/';
  const eventsBase = section.dataset.events || undefined;
  if (proofs.length === 0) {
    status.textContent = say(['尚无上链记录', 'nothing anchored yet']);
    return;
  }
  const chain = createChainClient({ url: chainBase });
  const sets = new Map();
  const verdicts: AnchorVerdict[] = await Promise.all(
    proofs.map((p) => verifyAnchor(p, chain, (url) => fetch(url), sets, eventsBase)),
  );
  const ok = verdicts.filter((v) => v.ok);
  const all = ok.length === verdicts.length;
  section.dataset.verified = all ? 'true' : 'false';
  const failed = verdicts.length - ok.length;
  status.textContent = all
    ? say([
        `✓ 已在本机验证全部 ${ok.length} 条链上记录`,
        `✓ all ${ok.length} records verified in this browser`,
      ])
    : say([
        `✗ ${failed} 条记录验证失败（共 ${verdicts.length} 条）`,
        `✗ ${failed} of ${verdicts.length} records failed verification`,
      ]);
  status.className = all ? 'ok' : 'bad';
  const first = ok[0];
  if (first)
    for (const check of first.checks) list.append(item(CHECKS[check] ? say(CHECKS[check]) : check, true));
  for (const v of verdicts.filter((x) => !x.ok)) {
    const li = item(
      `${v.proof.hash.slice(0, 12)}…: ${failure(v.failed)}`,
      false,
      `${explorer}#/tx/${v.proof.txId}`,
    );
    li.title = v.failed ?? '';
    list.append(li);
  }
  for (const v of ok) {
    const li = document.querySelector(`li[data-event="${CSS.escape(v.proof.hash)}"] .muted:last-child`);
    if (li) li.prepend('✓ ');
  }
}

run().catch(() => {
  if (status) status.textContent = say(['暂时无法验证，请稍后再试', 'could not verify now; try again later']);
});
