// What the food app's HTTP routes share: a 4xx error type, one-valued query parameters, and the answer
// to bad input (a 4xx naming what was wrong, counted in `gongxin_bad_input_total`).
import type { AppServices } from '@gongxin/app-kit';
import { sendError } from '@gongxin/app-kit';
import type { Response } from 'express';
import { CaptureError } from '../capture';
import { Gs1Error } from '../domain';

export class BadRequest extends Error {
  constructor(
    message: string,
    readonly status = 400,
    readonly code = 'bad_request',
  ) {
    super(message);
  }
}

export function one(value: unknown, name: string): string | undefined {
  if (value === undefined) return undefined;
  if (typeof value !== 'string') throw new BadRequest(`${name} is given more than once`);
  return value;
}

/** Answers bad input as JSON (machine clients); rethrows anything else. */
export function failWith(services: AppServices) {
  return (res: Response, error: unknown, source: string) => {
    if (error instanceof CaptureError) {
      services.metrics.badInput.inc({ source, reason: error.status === 403 ? 'forbidden' : 'epcis_invalid' });
      res.status(error.status).json({
        type:
          error.status === 403
            ? 'epcisException:SecurityException'
            : error.status === 413
              ? 'epcisException:CaptureLimitExceededException'
              : 'epcisException:ValidationException',
        title: error.status === 403 ? 'Not allowed' : 'The document is not valid EPCIS 2.0',
        status: error.status,
        detail: error.message,
        issues: error.issues,
      });
      return;
    }
    if (error instanceof BadRequest || error instanceof Gs1Error) {
      const status = error instanceof BadRequest ? error.status : 400;
      services.metrics.badInput.inc({ source, reason: error instanceof Gs1Error ? 'gs1_key' : 'query' });
      sendError(res, status, error instanceof BadRequest ? error.code : 'bad_gs1_key', error.message);
      return;
    }
    throw error;
  };
}
