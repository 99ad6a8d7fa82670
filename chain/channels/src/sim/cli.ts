// The channel network simulator's command line (`npm run sim:channels -- …` from the repository root);
// its options are in report.ts and `--help` lists them.
//
// Every seed runs single-threaded and deterministically; workers only split the seeds. Exit code 1 when
// any violation was found; each violation prints the command that replays its seed.
import { fork } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { runCommand } from '@gongxin/sim';
import { type CliOptions, parse, type Report, simulate, summarize, USAGE } from './report';

function worker(o: CliOptions): void {
  process.on('message', (job: number[] | 'exit') => {
    if (job === 'exit') process.exit(0);
    process.send!(job.map((seed) => simulate(o, seed)));
  });
  process.send!('ready');
}

async function runPool(o: CliOptions, seeds: number[]): Promise<Report[]> {
  const size = Math.min(o.workers, seeds.length);
  const self = fileURLToPath(import.meta.url);
  const args = [
    '--worker',
    ...(o.ackBeforePersist ? ['--ack-before-persist'] : []),
    ...(o.noWatcher ? ['--no-watcher'] : []),
  ];
  const children = Array.from({ length: size }, () => fork(self, args, { execArgv: process.execArgv }));
  const chunk = Math.max(1, Math.min(20, Math.ceil(seeds.length / (size * 8))));
  const chunks: number[][] = [];
  for (let i = 0; i < seeds.length; i += chunk) chunks.push(seeds.slice(i, i + chunk));
  const results: Report[] = [];
  let next = 0;
  try {
    await Promise.all(
      children.map(
        (child) =>
          new Promise<void>((resolve, reject) => {
            child.once('exit', (code) => {
              if (code !== 0) reject(new Error(`a simulator worker exited with code ${code}`));
            });
            const feed = () => {
              if (next >= chunks.length) {
                resolve();
                return;
              }
              const job = chunks[next++]!;
              child.once('message', (reports: Report[]) => {
                results.push(...reports);
                feed();
              });
              child.send(job);
            };
            child.once('message', () => feed());
          }),
      ),
    );
  } finally {
    for (const c of children) c.send('exit');
  }
  return results.sort((a, b) => a.seed - b.seed);
}

async function main(o: CliOptions): Promise<number> {
  const defects = `${o.ackBeforePersist ? ', ACKS BEFORE PERSIST (test-only defect)' : ''}${o.noWatcher ? ', NO WATCHERS (test-only defect)' : ''}`;
  const started = performance.now();
  if (o.seed !== null) {
    const r = simulate(o, o.seed, o.verbose ? (line) => console.log(line) : undefined);
    console.log(`Gongxin channel network simulator: seed ${o.seed}${defects}`);
    const { text, code } = summarize({ ...o, from: o.seed }, [r], performance.now() - started);
    console.log(text);
    console.log(`trace hash       ${r.traceHash}`);
    return code;
  }
  console.log(
    `Gongxin channel network simulator: seeds ${o.from}..${o.from + o.seeds - 1}${defects}, ${o.workers} worker(s)`,
  );
  const seeds = Array.from({ length: o.seeds }, (_, i) => o.from + i);
  const reports = o.workers <= 1 ? seeds.map((s) => simulate(o, s)) : await runPool(o, seeds);
  const { text, code } = summarize(o, reports, performance.now() - started);
  console.log(text);
  return code;
}

runCommand({ name: 'sim:channels', usage: USAGE, parse, main, worker });
