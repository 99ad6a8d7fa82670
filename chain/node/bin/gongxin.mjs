#!/usr/bin/env node
// Runs the TypeScript CLI through tsx's loader, so the node runs from its sources like the rest of the suite.
import { register } from 'tsx/esm/api';

register();
const { main } = await import('../src/cli.ts');
main(process.argv.slice(2)).then(
  (code) => {
    if (code >= 0) process.exit(code);
  },
  (error) => {
    console.error(`gongxin: ${error.message}`);
    process.exit(1);
  },
);
