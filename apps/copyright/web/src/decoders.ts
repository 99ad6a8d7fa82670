// The copyright contract's actions and events in words in this app's own pages (the sign dialog): the same
// decoder pack the explorer loads from /copyright/explorer-decoders.js, installed into the ui kit's registry.
import { installDecoderPack, type MessageTarget } from '@gongxin/ui';
import pack from './explorer-decoders';

export function registerCopyrightDecoders(i18n: MessageTarget): void {
  installDecoderPack(pack, i18n);
}
