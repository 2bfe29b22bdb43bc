import { ERROR_CODES, type ErrorBody, type ErrorCode } from '@parley/contract';
import type { FastifyError, FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { AppError, type ErrorDetail } from './app-error.js';

const FASTIFY_CODES: Record<string, ErrorCode> = {
  FST_ERR_CTP_INVALID_JSON_BODY: 'INVALID_JSON',
  FST_ERR_CTP_EMPTY_JSON_BODY: 'INVALID_JSON',
  FST_ERR_CTP_INVALID_CONTENT_LENGTH: 'INVALID_JSON',
  FST_ERR_CTP_BODY_TOO_LARGE: 'BODY_TOO_LARGE',
  FST_ERR_CTP_INVALID_MEDIA_TYPE: 'UNSUPPORTED_MEDIA_TYPE',
};

export function sendError(
  reply: FastifyReply,
  code: ErrorCode,
  message: string,
  extra: { details?: ErrorDetail[]; retryAfterSeconds?: number } = {},
): FastifyReply {
  const body: ErrorBody = { error: { code, message, ...extra } };
  if (extra.retryAfterSeconds !== undefined) reply.header('retry-after', String(extra.retryAfterSeconds));
  return reply.status(ERROR_CODES[code]).send(body);
}

function toAppError(err: FastifyError): AppError {
  if (err instanceof AppError) return err;
  if (err.validation) {
    const details = err.validation.map((v) => {
      const extraField = (v.params as { additionalProperty?: string }).additionalProperty;
      const where = `${err.validationContext ?? 'body'}${v.instancePath}`;
      return extraField
        ? { path: `${where}/${extraField}`, message: 'unknown field' }
        : { path: where, message: v.message ?? 'invalid' };
    });
    return new AppError('VALIDATION_FAILED', 'The request is not valid', { details });
  }
  const mapped = err.code ? FASTIFY_CODES[err.code] : undefined;
  if (mapped) return new AppError(mapped, err.message);
  if (err instanceof SyntaxError) return new AppError('INVALID_JSON', 'The body is not valid JSON');
  if (err.statusCode && err.statusCode >= 400 && err.statusCode < 500) {
    return new AppError('VALIDATION_FAILED', err.message);
  }
  return new AppError('INTERNAL', 'Something went wrong on our side');
}

export function registerErrorHandling(app: FastifyInstance): void {
  app.setErrorHandler((err: FastifyError, request: FastifyRequest, reply: FastifyReply) => {
    const appError = toAppError(err);
    if (appError.code === 'INTERNAL') request.log.error({ err }, 'unhandled error');
    return sendError(reply, appError.code, appError.message, appError.extra);
  });
}
