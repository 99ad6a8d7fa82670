// `/healthz`: liveness plus named readiness checks (database reachable, broker connected, chain height
// moving). A failing check answers 503 with which check failed, so an orchestrator or a person knows why.
import type { RequestHandler } from 'express';

export type HealthCheck = () => Promise<unknown> | unknown;

export interface HealthReport {
  status: 'ok' | 'failing';
  checks: Record<string, { ok: boolean; detail?: unknown; error?: string }>;
}

export async function runHealthChecks(
  checks: Record<string, HealthCheck>,
  timeoutMs = 2000,
): Promise<HealthReport> {
  const entries = await Promise.all(
    Object.entries(checks).map(async ([name, check]) => {
      let timer: NodeJS.Timeout | undefined;
      try {
        const detail = await Promise.race([
          Promise.resolve().then(check),
          new Promise((_, reject) => {
            timer = setTimeout(() => reject(new Error(`no answer within ${timeoutMs} ms`)), timeoutMs);
          }),
        ]);
        return [name, detail === undefined ? { ok: true } : { ok: true, detail }] as const;
      } catch (error) {
        return [name, { ok: false, error: error instanceof Error ? error.message : String(error) }] as const;
      } finally {
        clearTimeout(timer);
      }
    }),
  );
  const report: HealthReport = { status: 'ok', checks: Object.fromEntries(entries) };
  if (entries.some(([, result]) => !result.ok)) report.status = 'failing';
  return report;
}

export function healthHandler(checks: Record<string, HealthCheck>): RequestHandler {
  return async (_req, res) => {
    const report = await runHealthChecks(checks);
    res.status(report.status === 'ok' ? 200 : 503).json(report);
  };
}
