// The registry contract's actions and events in words in this app's sign dialog: the same decoder pack the
// explorer loads from /registry/explorer-decoders.js.
import { installDecoderPack, type MessageTarget } from '@gongxin/ui';
import pack from './explorer-decoders';

export function registerRegistryDecoders(i18n: MessageTarget): void {
  installDecoderPack(pack, i18n);
}
