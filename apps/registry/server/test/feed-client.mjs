// A change-feed follower as a third party writes one: it appends each change it handles to its output
// file (one line each, the cursor inside) and, when started again, resumes after the last complete line.
// Used by feed.test.ts, which kills it with SIGKILL mid-stream. Usage: node feed-client.mjs <base> <out> [delayMs]
import { appendFileSync, existsSync, readFileSync, truncateSync } from 'node:fs';

const [base, out, delay = '0'] = process.argv.slice(2);
let cursor;
if (existsSync(out)) {
  const text = readFileSync(out, 'utf8');
  // A line cut short by the kill is not handled: drop it.
  const complete = text.slice(0, text.lastIndexOf('\n') + 1);
  if (complete.length !== text.length) truncateSync(out, Buffer.byteLength(complete));
  const lines = complete.split('\n').filter(Boolean);
  if (lines.length > 0) cursor = JSON.parse(lines[lines.length - 1]).cursor;
}
const res = await fetch(`${base}/registry/api/feed?follow=1${cursor ? `&after=${cursor}` : ''}`);
if (!res.ok) throw new Error(`feed answered ${res.status}`);
const decoder = new TextDecoder();
let buffer = '';
for await (const chunk of res.body) {
  buffer += decoder.decode(chunk, { stream: true });
  let nl = buffer.indexOf('\n');
  while (nl >= 0) {
    const line = buffer.slice(0, nl);
    buffer = buffer.slice(nl + 1);
    if (Number(delay) > 0) await new Promise((r) => setTimeout(r, Number(delay)));
    appendFileSync(out, `${line}\n`);
    nl = buffer.indexOf('\n');
  }
}
