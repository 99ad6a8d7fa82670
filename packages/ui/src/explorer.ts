// Links into the explorer app, the one place every chain record can be looked at. Its routes are hash
// routes, so these links work from any page of any app without server-side routing.
import { uiConfig } from './config';

const base = () => uiConfig.explorerBase;

export const explorerLinks = {
  account: (address: string) => `${base()}#/account/${encodeURIComponent(address)}`,
  tx: (id: string) => `${base()}#/tx/${encodeURIComponent(id)}`,
  block: (height: number) => `${base()}#/block/${height}`,
  /** The explorer's search, which goes straight to the block or tx a hash names. */
  search: (q: string) => `${base()}#/search?q=${encodeURIComponent(q)}`,
};

export type TextPart =
  | { kind: 'text'; text: string }
  | { kind: 'address'; text: string }
  | { kind: 'hash'; text: string };

// An account address, or 40+ hex digits (hashes, ids, keys), standing as a word of their own.
const LONG_VALUE = /(?<![0-9A-Za-z])(gx1[02-9ac-hj-np-z]{38}|(?:0x)?[0-9a-fA-F]{40,})(?![0-9A-Za-z])/g;

/**
 * A record's words split around the long values in them (account addresses, hashes), so a page can show
 * those shortened in the middle, linked, with the full value on hover and copy; the text itself is
 * unchanged, every character is in exactly one part.
 */
export function splitLongValues(text: string): TextPart[] {
  const parts: TextPart[] = [];
  let at = 0;
  for (const match of text.matchAll(LONG_VALUE)) {
    const value = match[0];
    const start = match.index ?? 0;
    if (start > at) parts.push({ kind: 'text', text: text.slice(at, start) });
    parts.push({ kind: value.startsWith('gx1') ? 'address' : 'hash', text: value });
    at = start + value.length;
  }
  if (at < text.length) parts.push({ kind: 'text', text: text.slice(at) });
  return parts;
}

/** `gx1abc…wxyz`, `bf3c89…4d62`: enough to recognise, never enough to copy by hand. */
export function shortenMiddle(text: string, head: number, tail: number): string {
  return text.length <= head + tail + 1 ? text : `${text.slice(0, head)}…${text.slice(-tail)}`;
}
