// The keyring: the person's chain keys on this device, encrypted with their password (see vault.ts), one of
// them current. A decrypted key lives only in this closure — never in reactive state, storage or devtools —
// and is forgotten on lock(), after `autoLockMs` without use, and when another key is unlocked. Every tx
// goes through signAndSend, which first shows the person what they sign in the <SignRequestDialog> and
// only signs after they confirm: no code path signs a tx without that dialog. The tx itself is built,
// numbered and submitted by @gongxin/client's sendTx, like a server's; the chain identity and the account's
// nonce count are cached, so after the first tx a confirmation goes straight to submit.
import { type ChainClient, type CommittedTxJson, NonceBook, sendTx, type TxSigner } from '@gongxin/client';
import { type Action, type Address, decodeCanonical, fromHex, type SuiteId, signTx } from '@gongxin/ledger';
import { getSuite } from '@gongxin/ledger/crypto/browser';
import { defineStore } from 'pinia';
import { computed, ref, shallowRef } from 'vue';
import { assetDecimals, createUiChainClient } from '../chain/client';
import { noteCommitted } from '../chain/seen';
import { uiConfig } from '../config';
import { backupFileName, KeyringError, openVault, parseVault, sealVault, type Vault } from './vault';

export const KEYRING_STORAGE_KEY = 'gongxin.keyring';

export interface KeyringAccount {
  address: Address;
  label: string;
  suite: SuiteId;
  publicKey: string;
  createdAt: number;
}

export interface SignOptions {
  memo?: string;
  /** The app's own one-line summary, shown above the decoded actions (which remain what is signed). */
  describe?: string;
  /** Default: the configured chain base (`/chain`). */
  chainBase?: string;
  /** Default: the current account. */
  from?: Address;
}

/** A tx waiting for the person's decision in the sign dialog. */
export interface SignRequest {
  id: number;
  address: Address;
  label: string;
  chainId: string;
  actions: readonly Action[];
  memo?: string;
  describe?: string;
  /** Decimals of the assets the actions name, for showing amounts. */
  decimals: Readonly<Record<string, number>>;
}

interface PendingRequest extends SignRequest {
  resolve(): void;
  reject(error: Error): void;
}

export interface SignedChallenge {
  address: Address;
  suite: SuiteId;
  publicKey: Uint8Array;
  signature: Uint8Array;
}

interface Stored {
  v: 1;
  current: Address | null;
  vaults: unknown[];
}

const SYMBOL = /^[A-Z][A-Z0-9]{1,11}$/;

/**
 * The assets an action's amounts are in: every `symbol` of its params, top level (a transfer) or nested
 * (a channel's deposits, balances and proofs each name their asset).
 */
function symbolsOf(actions: readonly Action[]): string[] {
  const found = new Set<string>();
  const walk = (value: unknown, depth: number): void => {
    if (value === null || typeof value !== 'object' || value instanceof Uint8Array || depth > 8) return;
    if (Array.isArray(value)) {
      for (const item of value) walk(item, depth + 1);
      return;
    }
    for (const [key, item] of Object.entries(value)) {
      if (key === 'symbol' && typeof item === 'string' && SYMBOL.test(item)) found.add(item);
      else walk(item, depth + 1);
    }
  };
  for (const action of actions) walk(action.params, 0);
  return [...found];
}

export const useKeyring = defineStore('gongxin-keyring', () => {
  const vaults = ref<Vault[]>([]);
  // Read-only outside the store (exposed as computed): select() and unlock() are the ways to change them.
  const currentRef = ref<Address | null>(null);
  const unlockedRef = ref<Address | null>(null);
  const queue = shallowRef<PendingRequest[]>([]);

  let unlocked: { address: Address; key: Uint8Array } | null = null;
  let lockTimer: ReturnType<typeof setTimeout> | undefined;
  let dialogs = 0;
  let nextRequestId = 1;
  // One client and nonce count per chain mount, for the life of the page.
  const chains = new Map<string, { client: ChainClient; nonces: NonceBook }>();
  function chainAt(base: string = uiConfig.chainBase) {
    let chain = chains.get(base);
    if (!chain) {
      const client = createUiChainClient(base);
      chain = { client, nonces: new NonceBook(client) };
      chains.set(base, chain);
    }
    return chain;
  }
  // Entries this version cannot read (a newer vault format) are written back untouched, never dropped.
  let unreadable: unknown[] = [];

  function load(): void {
    let stored: Partial<Stored> | null = null;
    try {
      stored = JSON.parse(globalThis.localStorage?.getItem(KEYRING_STORAGE_KEY) ?? 'null');
    } catch {
      stored = null;
    }
    const readable: Vault[] = [];
    unreadable = [];
    for (const entry of Array.isArray(stored?.vaults) ? stored.vaults : []) {
      try {
        readable.push(parseVault(entry));
      } catch {
        unreadable.push(entry);
      }
    }
    vaults.value = readable;
    const saved = stored?.current;
    currentRef.value = readable.some((v) => v.address === saved)
      ? (saved as Address)
      : (readable[0]?.address ?? null);
    if (unlocked && !readable.some((v) => v.address === unlocked?.address)) lock();
  }

  function save(): void {
    const stored: Stored = { v: 1, current: currentRef.value, vaults: [...vaults.value, ...unreadable] };
    globalThis.localStorage?.setItem(KEYRING_STORAGE_KEY, JSON.stringify(stored));
  }

  load();
  // Another tab created, imported or removed an account.
  globalThis.addEventListener?.('storage', (event: StorageEvent) => {
    if (event.key === KEYRING_STORAGE_KEY) load();
  });

  const current = computed(() => currentRef.value);
  const unlockedAddress = computed(() => unlockedRef.value);
  const accounts = computed<KeyringAccount[]>(() =>
    vaults.value.map(({ address, label, suite, publicKey, createdAt }) => ({
      address,
      label,
      suite,
      publicKey,
      createdAt,
    })),
  );
  const currentAccount = computed(() => accounts.value.find((a) => a.address === current.value) ?? null);
  const pendingRequest = computed<SignRequest | null>(() => queue.value[0] ?? null);

  function vaultOf(address: Address): Vault {
    const vault = vaults.value.find((v) => v.address === address);
    if (!vault) throw new KeyringError('not_found', `no account ${address} on this device`);
    return vault;
  }

  /** Restart the idle clock: the key stays in memory for `autoLockMs` after its last use. */
  function touch(): void {
    clearTimeout(lockTimer);
    lockTimer = setTimeout(lock, uiConfig.autoLockMs);
  }

  function keep(address: Address, privateKey: Uint8Array): void {
    if (unlocked && unlocked.key !== privateKey) unlocked.key.fill(0);
    unlocked = { address, key: privateKey };
    unlockedRef.value = address;
    touch();
  }

  /** Forget the decrypted key (its bytes are overwritten, best effort in a garbage-collected language). */
  function lock(): void {
    clearTimeout(lockTimer);
    unlocked?.key.fill(0);
    unlocked = null;
    unlockedRef.value = null;
  }

  function isUnlocked(address: Address | null = currentRef.value): boolean {
    return address !== null && unlockedRef.value === address;
  }

  function keyFor(address: Address): Uint8Array {
    if (!unlocked || unlocked.address !== address)
      throw new KeyringError('locked', `account ${address} is locked`);
    touch();
    return unlocked.key;
  }

  async function unlock(address: Address, password: string): Promise<void> {
    keep(address, await openVault(vaultOf(address), password));
  }

  function select(address: Address): void {
    vaultOf(address);
    currentRef.value = address;
    save();
  }

  function add(vault: Vault, privateKey: Uint8Array): KeyringAccount {
    vaults.value = [...vaults.value.filter((v) => v.address !== vault.address), vault];
    currentRef.value = vault.address;
    save();
    // The person just proved the password: the new account is ready to sign.
    keep(vault.address, privateKey);
    return accounts.value.find((a) => a.address === vault.address)!;
  }

  async function chainSuite(chainBase?: string): Promise<SuiteId> {
    return (await chainAt(chainBase).client.identity()).suite.id;
  }

  /** A new account from the suite's CSPRNG; the suite defaults to the chain's. */
  async function create(opts: {
    label: string;
    password: string;
    suite?: SuiteId;
    chainBase?: string;
  }): Promise<KeyringAccount> {
    const suite = getSuite(opts.suite ?? (await chainSuite(opts.chainBase)));
    const privateKey = suite.randomPrivateKey();
    const vault = await sealVault({
      suite: suite.id,
      privateKey,
      label: opts.label,
      password: opts.password,
      kdf: uiConfig.kdf,
    });
    return add(vault, privateKey);
  }

  /** Add an account from a backup file; the password must open it (which also proves the file intact). */
  async function importBackup(file: string | object, password: string): Promise<KeyringAccount> {
    const vault = parseVault(file);
    if (vaults.value.some((v) => v.address === vault.address))
      throw new KeyringError('exists', `account ${vault.address} is already on this device`);
    return add(vault, await openVault(vault, password));
  }

  /**
   * A private key the person holds in a key file (a validator operator's, say), sealed at once under a
   * password on this device: the page keeps only the sealed vault. The key must be valid for its suite.
   * An existing vault of that account is replaced.
   */
  async function importPrivateKey(
    privateKeyHex: string,
    label: string,
    password: string,
    suiteId?: SuiteId,
  ): Promise<KeyringAccount> {
    let privateKey: Uint8Array;
    try {
      privateKey = fromHex(privateKeyHex);
    } catch {
      throw new KeyringError('bad_key', 'a private key is hex');
    }
    const suite = suiteId ?? (await chainSuite());
    try {
      getSuite(suite).publicKeyFromPrivate(privateKey);
    } catch {
      throw new KeyringError('bad_key', `not a private key of ${suite}`);
    }
    return add(await sealVault({ suite, privateKey, label, password, kdf: uiConfig.kdf }), privateKey);
  }

  /**
   * A known private key (a demo account's) sealed under a password. Only demo pages use this: a key that
   * was ever typed or shipped in a page is not a secret.
   */
  function importDemoKey(
    privateKeyHex: string,
    label: string,
    password: string,
    suiteId?: SuiteId,
  ): Promise<KeyringAccount> {
    return importPrivateKey(privateKeyHex, label, password, suiteId);
  }

  /**
   * Replace an account's key: a fresh key is created here, the account's current key signs
   * `identity.rotateKey` for it, and once the chain has committed that, the new key is sealed under the same
   * address and password (the old backup stops working for signing). Nothing changes if the tx fails.
   */
  async function rotateKey(
    address: Address,
    opts: { password: string; chainBase?: string },
  ): Promise<CommittedTxJson> {
    const vault = vaultOf(address);
    if (!isUnlocked(address)) await unlock(address, opts.password);
    else await openVault(vault, opts.password); // the password seals the new vault: check it first
    const suite = getSuite(vault.suite);
    const newKey = suite.randomPrivateKey();
    const newPublicKey = suite.publicKeyFromPrivate(newKey);
    select(address);
    const receipt = await signAndSend(
      [{ contract: 'identity', name: 'rotateKey', params: { newKey: newPublicKey } }],
      {
        chainBase: opts.chainBase,
        from: address,
      },
    );
    if (!receipt.ok) return receipt;
    const sealed = await sealVault({
      suite: vault.suite,
      privateKey: newKey,
      label: vault.label,
      password: opts.password,
      kdf: uiConfig.kdf,
      address,
    });
    add(sealed, newKey);
    return receipt;
  }

  /** The vault as a backup file's text (still encrypted: the file is as safe as its password). */
  function exportBackup(address: Address): string {
    return `${JSON.stringify(vaultOf(address), null, 2)}\n`;
  }

  /** Save the backup file through the browser's download. */
  function downloadBackup(address: Address): void {
    const url = URL.createObjectURL(new Blob([exportBackup(address)], { type: 'application/json' }));
    const link = document.createElement('a');
    link.href = url;
    link.download = backupFileName(vaultOf(address));
    link.click();
    setTimeout(() => URL.revokeObjectURL(url), 0);
  }

  /** Remove the account from this device. Without a backup elsewhere, its key is gone for good. */
  function remove(address: Address): void {
    vaultOf(address);
    if (unlocked?.address === address) lock();
    vaults.value = vaults.value.filter((v) => v.address !== address);
    if (currentRef.value === address) currentRef.value = vaults.value[0]?.address ?? null;
    save();
  }

  /**
   * Sign a passport login challenge with the current, unlocked account. Only canonical maps of type
   * `gongxin-login` are signed, so this can never be used to sign a tx past the sign dialog.
   */
  function signChallenge(bytes: Uint8Array): SignedChallenge {
    let challenge: unknown;
    try {
      challenge = decodeCanonical(bytes);
    } catch {
      challenge = null;
    }
    if ((challenge as { type?: unknown } | null)?.type !== 'gongxin-login')
      throw new KeyringError(
        'not_a_challenge',
        'only canonical {type: "gongxin-login", …} challenges are signed',
      );
    const address = currentRef.value;
    if (!address) throw new KeyringError('no_account', 'no account on this device');
    const vault = vaultOf(address);
    const suite = getSuite(vault.suite);
    return {
      address,
      suite: suite.id,
      publicKey: fromHex(vault.publicKey),
      signature: suite.sign(bytes, keyFor(address)),
    };
  }

  /** Called by a mounted <SignRequestDialog>; the returned function detaches it. */
  function attachDialog(): () => void {
    dialogs++;
    return () => {
      dialogs--;
      // With no dialog left nobody can answer: the waiting callers must not hang forever.
      if (dialogs === 0)
        while (queue.value.length > 0) settle(new KeyringError('cancelled', 'the sign dialog was closed'));
    };
  }

  function settle(error?: Error): void {
    const [first, ...rest] = queue.value;
    if (!first) return;
    queue.value = rest;
    if (error) first.reject(error);
    else first.resolve();
  }

  /** The dialog's "sign": unlocks with `password` first when the account is locked (errors propagate). */
  async function confirmRequest(password?: string): Promise<void> {
    const request = queue.value[0];
    if (!request) return;
    if (!isUnlocked(request.address)) {
      if (!password) throw new KeyringError('locked', `account ${request.address} is locked`);
      await unlock(request.address, password);
    }
    settle();
  }

  function cancelRequest(): void {
    settle(new KeyringError('cancelled', 'the person cancelled signing'));
  }

  function askPerson(request: Omit<SignRequest, 'id'>): Promise<void> {
    if (dialogs === 0)
      throw new KeyringError('no_dialog', 'mount <SignRequestDialog> (SuiteLayout does) before signing');
    return new Promise<void>((resolve, reject) => {
      queue.value = [...queue.value, { ...request, id: nextRequestId++, resolve, reject }];
    });
  }

  /**
   * Show the person the actions, get their confirmation (and password if locked), then build the tx with
   * the chain's id and the account's next nonce, sign it and submit it, waiting for its block. Resolves
   * with the receipt (`ok: false` when the tx was recorded as failed: its `code` says why); rejects with
   * KeyringError('cancelled') when the person says no and ChainError when the node refuses the tx. A nonce
   * the node calls stale (another tab or device used it) is renumbered and the tx sent once more: the
   * person agreed to the actions, not to a number.
   */
  async function signAndSend(actions: Action[], opts: SignOptions = {}): Promise<CommittedTxJson> {
    const address = opts.from ?? currentRef.value;
    if (!address) throw new KeyringError('no_account', 'no account on this device');
    const vault = vaultOf(address);
    if (dialogs === 0)
      throw new KeyringError('no_dialog', 'mount <SignRequestDialog> (SuiteLayout does) before signing');
    const chain = chainAt(opts.chainBase);
    const [identity, decimals] = await Promise.all([
      chain.client.identity(),
      assetDecimals(chain.client, symbolsOf(actions)),
    ]);
    if (identity.suite.id !== vault.suite)
      throw new KeyringError(
        'wrong_suite',
        `the chain uses ${identity.suite.id}, this account ${vault.suite}`,
      );
    await askPerson({
      address,
      label: vault.label,
      chainId: identity.chainId,
      actions,
      memo: opts.memo,
      describe: opts.describe,
      decimals,
    });
    const suite = getSuite(vault.suite);
    const signer: TxSigner = {
      address,
      suiteId: suite.id,
      publicKey: fromHex(vault.publicKey),
      sign: (body) => signTx(suite, body, keyFor(address)),
    };
    const receipt = await sendTx(chain.client, chain.nonces, signer, actions, {
      memo: opts.memo,
      retryStaleNonce: true,
    });
    // The suite's own chain: the app APIs' reads from now on wait for this block (see chain/seen).
    if ((opts.chainBase ?? uiConfig.chainBase) === uiConfig.chainBase) noteCommitted(receipt.height);
    return receipt;
  }

  return {
    accounts,
    current,
    currentAccount,
    unlockedAddress,
    pendingRequest,
    isUnlocked,
    select,
    create,
    importBackup,
    importDemoKey,
    importPrivateKey,
    rotateKey,
    exportBackup,
    downloadBackup,
    unlock,
    lock,
    remove,
    signChallenge,
    signAndSend,
    attachDialog,
    confirmRequest,
    cancelRequest,
  };
});

export type KeyringStore = ReturnType<typeof useKeyring>;
