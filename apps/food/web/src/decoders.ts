// The food actions in words in this app's sign dialog: the same decoders and strings as the explorer pack.
import { registerActionDecoder } from '@gongxin/ui';
import type { Composer } from 'vue-i18n';
import pack from './explorer-decoders';

export function registerFoodDecoders(i18n: Pick<Composer, 'mergeLocaleMessage'>): void {
  for (const [locale, messages] of Object.entries(pack.messages)) i18n.mergeLocaleMessage(locale, messages);
  for (const [key, decoder] of Object.entries(pack.actions))
    registerActionDecoder(key, (params, t) => decoder(params as never, t));
}
