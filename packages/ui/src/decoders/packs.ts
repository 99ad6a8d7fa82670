// Decoder packs: how an app's contract (food, welfare, parking…) comes to read in words in a front end that
// does not import the app. A pack is an ES module the app serves from its own path, e.g.
// `/food/explorer-decoders.js`, whose default export is a DecoderPack; the app's own web installs the same
// object for its sign dialog. The explorer's host (the portal) lists the packs of the apps it mounts
// (`createExplorerApp({ decoderPacks })`); at start the explorer asks its server for the list and imports
// each. A pack that fails to load is skipped: its records show as JSON, nothing else breaks. Packs run as
// the importing page's own code (same origin, CSP script-src 'self'): only the suite's apps provide them.
// A pack must be self-contained: it takes `t` and `ctx` from the registry and its event catalog from
// `@gongxin/contracts/events`, and imports no Vue and nothing of this kit at run time (types only).
import { ref } from 'vue';
import {
  type ActionDecoder,
  type EventDecoder,
  registerActionDecoder,
  registerEventDecoder,
} from './registry';

type Messages = Record<string, unknown>;

export interface DecoderPack {
  /** Strings the decoders use, merged into the explorer's messages: keep them under the app's own key. */
  messages?: { 'zh-CN'?: Messages; en?: Messages };
  /** `<contract>.<action>` → decoder, as `registerActionDecoder` takes them. */
  actions?: Record<string, ActionDecoder>;
  /** `<contract>.<event>` → decoder, as `registerEventDecoder` takes them. */
  events?: Record<string, EventDecoder>;
}

/** What installing a pack needs from the i18n instance (vue-i18n's global composer). */
export interface MessageTarget {
  mergeLocaleMessage(locale: string, messages: Messages): void;
}

export function installDecoderPack(pack: DecoderPack, i18n: MessageTarget): void {
  for (const [locale, messages] of Object.entries(pack.messages ?? {})) {
    if (messages) i18n.mergeLocaleMessage(locale, messages);
  }
  for (const [key, decoder] of Object.entries(pack.actions ?? {})) registerActionDecoder(key, decoder);
  for (const [key, decoder] of Object.entries(pack.events ?? {})) registerEventDecoder(key, decoder);
}

/** Packs that could not be loaded, so the page can say why some records show as raw data. */
export const failedPacks = ref<string[]>([]);

/** Imports and installs each pack; resolves with the URLs that failed (also in `failedPacks`). */
export async function loadDecoderPacks(
  urls: string[],
  i18n: MessageTarget,
  load: (url: string) => Promise<{ default?: DecoderPack }> = (url) => import(/* @vite-ignore */ url),
): Promise<string[]> {
  const failed: string[] = [];
  await Promise.all(
    urls.map(async (url) => {
      try {
        const module = await load(url);
        if (!module.default) throw new Error('the module has no default export');
        installDecoderPack(module.default, i18n);
      } catch (error) {
        failed.push(url);
        failedPacks.value = [...failedPacks.value, url];
        console.warn(`explorer: decoder pack ${url} not loaded`, error);
      }
    }),
  );
  return failed;
}
