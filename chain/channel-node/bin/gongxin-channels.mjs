#!/usr/bin/env node
// The channel node's command line, run from the TypeScript sources through tsx's loader.
import { register } from 'tsx/esm/api';

register();
const { main } = await import('../src/cli.ts');
main(process.argv.slice(2)).then(
  (code) => {
    if (code >= 0) process.exit(code);
  },
  (error) => {
    console.error(`gongxin-channels: ${error.message}`);
    process.exit(1);
  },
);
