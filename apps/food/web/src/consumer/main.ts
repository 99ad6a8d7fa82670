// Entry of the consumer page's script (no framework: the page itself is rendered by the server). Verifies
// every anchored event of the journey against the chain and says what was checked.
import { type AnchorProof, type AnchorVerdict, verifyAnchor } from './verify-anchors';

const section = document.getElementById('verify');
const status = document.getElementById('verify-status');
const list = document.getElementById('verify-steps');
const data = document.getElementById('proofs');

const CHECKS: Record<string, string> = {
  record: '链上锚定的哈希与该记录一致 the anchored hash is this record’s',
  chain: '区块属于本链 the block is of this chain',
  inclusion: '默克尔证明：记录在区块中 Merkle proof: the record is in the block',
  validators: '验证节点集合已知 validator set known',
  certificate: '超过三分之二验证节点签名 signed by more than 2/3 of the validators',
};

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

async function run(): Promise<void> {
  if (!section || !status || !list || !data) return;
  const proofs = JSON.parse(data.textContent || '[]') as AnchorProof[];
  const chainBase = section.dataset.chain || '/chain';
  const explorer = section.dataset.explorer || '/explorer/';
  if (proofs.length === 0) {
    status.textContent = '尚无上链记录 · nothing anchored yet';
    return;
  }
  const sets = new Map();
  const verdicts: AnchorVerdict[] = await Promise.all(
    proofs.map((p) => verifyAnchor(p, chainBase, (url) => fetch(url), sets)),
  );
  const ok = verdicts.filter((v) => v.ok);
  section.dataset.verified = ok.length === verdicts.length ? 'true' : 'false';
  status.textContent =
    ok.length === verdicts.length
      ? `✓ 已在本机验证 ${ok.length} 条链上记录 · ${ok.length} of ${verdicts.length} records verified in this browser`
      : `✗ ${verdicts.length - ok.length} 条记录验证失败 · ${verdicts.length - ok.length} of ${verdicts.length} records failed verification`;
  status.className = ok.length === verdicts.length ? 'ok' : 'bad';
  const first = ok[0];
  if (first) for (const check of first.checks) list.append(item(CHECKS[check] ?? check, true));
  for (const v of verdicts.filter((x) => !x.ok))
    list.append(item(`${v.proof.hash.slice(0, 12)}…: ${v.failed}`, false, `${explorer}#/tx/${v.proof.txId}`));
  for (const v of ok) {
    const li = document.querySelector(`li[data-event="${CSS.escape(v.proof.hash)}"] .muted:last-child`);
    if (li) li.prepend('✓ ');
  }
}

run().catch((error: unknown) => {
  if (status) status.textContent = `无法验证 · could not verify: ${(error as Error).message}`;
});
