/**
 * Every error as one JSON body, {statusCode, error, message}: what the client did wrong with a 4xx that names the
 * field, and a bare 500 (logged in full) for what the server did wrong.
 */
import type { FastifyError, FastifyReply, FastifyRequest } from 'fastify';
import { hasZodFastifySchemaValidationErrors } from 'fastify-type-provider-zod';
import { STATUS_CODES } from 'node:http';
import { InputError, NotFoundError, UsageError } from '../errors.js';
import { HttpError } from './http-error.js';

/** `/favorites/0` in the body → `body field "favorites[0]"`; the whole part when the path is empty. */
function fieldName(part: string, instancePath: string): string {
  const path = instancePath
    .split('/')
    .filter((segment) => segment.length > 0)
    .map((segment, i) => (/^\d+$/.test(segment) ? `[${segment}]` : i === 0 ? segment : `.${segment}`))
    .join('');
  return path ? `${part} field "${path}"` : part;
}

function statusAndMessage(error: unknown): { statusCode: number; message: string } {
  if (hasZodFastifySchemaValidationErrors(error)) {
    const part = (error as { validationContext?: string }).validationContext ?? 'request';
    const issue = error.validation[0]!;
    const unknown = (issue.params as { keys?: string[] }).keys;
    if (issue.keyword === 'unrecognized_keys' && unknown?.length) {
      return { statusCode: 400, message: `${fieldName(part, `${issue.instancePath}/${unknown[0]}`)}: not a field of this request (see /docs)` };
    }
    return { statusCode: 400, message: `${fieldName(part, issue.instancePath)}: ${issue.message}` };
  }
  if (error instanceof HttpError) return { statusCode: error.statusCode, message: error.message };
  if (error instanceof NotFoundError) return { statusCode: 404, message: error.message };
  if (error instanceof UsageError || error instanceof InputError) return { statusCode: 400, message: error.message };
  const statusCode = (error as FastifyError).statusCode;
  if (statusCode !== undefined && statusCode >= 400 && statusCode < 500) return { statusCode, message: (error as Error).message };
  return { statusCode: 500, message: 'internal error: the server logged it' };
}

export function replyWithError(error: unknown, request: FastifyRequest, reply: FastifyReply): FastifyReply {
  const { statusCode, message } = statusAndMessage(error);
  if (statusCode >= 500) request.log.error({ err: error }, 'request failed');
  return reply.code(statusCode).send({ statusCode, error: STATUS_CODES[statusCode] ?? 'Error', message });
}
