// The benchmark's HTTP client, in its own process so its work does not slow the server it measures (as
// people's browsers do not run on the server). Reads `{ base, concurrency, pages: [{ name, urls }] }` as
// JSON on stdin; writes `{ <name>: [ms, …] }` (sorted) on stdout. Plain JavaScript: runs on bare node.
let input = '';
for await (const chunk of process.stdin) input += chunk;
const { base, concurrency, pages } = JSON.parse(input);
const results = {};
for (const { name, urls } of pages) {
  const times = [];
  let next = 0;
  const worker = async () => {
    while (next < urls.length) {
      const url = urls[next++];
      const start = performance.now();
      const res = await fetch(base + url);
      const body = await res.text();
      times.push(performance.now() - start);
      if (!res.ok) throw new Error(`${name}: HTTP ${res.status} ${body.slice(0, 300)}`);
    }
  };
  await Promise.all(Array.from({ length: concurrency }, worker));
  results[name] = times.sort((a, b) => a - b);
}
process.stdout.write(JSON.stringify(results));
