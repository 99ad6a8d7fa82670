// Links into the explorer app, the one place every chain record can be looked at. Its routes are hash
// routes, so these links work from any page of any app without server-side routing.
import { uiConfig } from './config';

const base = () => uiConfig.explorerBase;

export const explorerLinks = {
  account: (address: string) => `${base()}#/account/${encodeURIComponent(address)}`,
  tx: (id: string) => `${base()}#/tx/${encodeURIComponent(id)}`,
  block: (height: number) => `${base()}#/block/${height}`,
};

/** `gx1abc…wxyz`, `bf3c89…4d62`: enough to recognise, never enough to copy by hand. */
export function shortenMiddle(text: string, head: number, tail: number): string {
  return text.length <= head + tail + 1 ? text : `${text.slice(0, head)}…${text.slice(-tail)}`;
}
