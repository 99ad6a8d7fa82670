// The browser run's global setup: a directory for the demo suite its files share (shared-suite.ts), and
// the teardown that stops that suite when every file is done.
import type { TestProject } from 'vitest/node';
import { openRun } from './shared-suite';

export default function setup(project: TestProject) {
  const run = openRun();
  project.provide('e2eRunDir', run.runDir);
  return run.close;
}
