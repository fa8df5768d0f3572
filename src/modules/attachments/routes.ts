import type { FastifyError, FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { anyFileResponse, errorResponses, idParam } from '../../contracts/common.ts';
import * as contract from '../../contracts/attachments.ts';
import { actorOf } from '../../server/request.ts';
import { rawBody } from '../../server/raw-body.ts';
import * as attachments from './service.ts';
import { needs } from '../../server/access.ts';

export default async function attachmentRoutes(app: FastifyInstance) {
  // The file is the raw body, whatever its type (a .json or .txt file stays bytes); only in this plugin.
  app.removeAllContentTypeParsers();
  app.addContentTypeParser('*', rawBody(attachments.MAX_ATTACHMENT_BYTES));
  // Fastify refuses an oversized body before the handler runs: name the field like every other error.
  app.setErrorHandler((error: FastifyError) => {
    if (error.code === 'FST_ERR_CTP_BODY_TOO_LARGE') throw attachments.tooLarge();
    throw error;
  });
  const routes = app.withTypeProvider<ZodTypeProvider>();
  const { db } = app;

  routes.post(
    '/attachments',
    {
      config: { access: needs('opportunities.write') },
      bodyLimit: attachments.MAX_ATTACHMENT_BYTES,
      schema: {
        tags: ['attachments'],
        summary:
          'Upload a file (any type, at most 10 MB) as the raw request body, e.g. stage evidence (docs/sales-process.md); give it to a stage move as attachmentId',
        upload: {
          mediaTypes: ['*/*'],
          description: "the file's bytes (at most 10 MB); its Content-Type is kept and sent back on download",
        },
        querystring: contract.uploadQuery,
        response: { 201: contract.attachmentSchema, ...errorResponses, 413: errorResponses[400] },
      },
    },
    async (req, reply) => {
      const data = Buffer.isBuffer(req.body) ? req.body : undefined;
      return reply.code(201).send(
        await attachments.uploadAttachment(db, actorOf(req), {
          fileName: req.query.fileName,
          contentType: req.headers['content-type'],
          data,
        }),
      );
    },
  );

  routes.get(
    '/attachments/:id',
    {
      config: { access: needs('opportunities.read') },
      schema: {
        tags: ['attachments'],
        summary: 'Download a file: its uploader, or anyone who can see the opportunity it is evidence for',
        params: idParam,
        response: { ...anyFileResponse, ...errorResponses },
      },
    },
    async (req, reply) => {
      const file = await attachments.downloadAttachment(db, actorOf(req), req.params.id);
      const ascii = file.fileName.replace(/[^\x20-\x7e]/g, '_').replace(/["\\]/g, '_');
      return (
        reply
          .type(file.contentType)
          .header(
            'content-disposition',
            `attachment; filename="${ascii}"; filename*=UTF-8''${encodeURIComponent(file.fileName)}`,
          )
          .header('x-content-type-options', 'nosniff')
          .header('content-security-policy', 'sandbox')
          .header('cache-control', 'private, no-store')
          // Bytes are sent as they are; the schema documents them as a binary string.
          .send(file.data as unknown as string)
      );
    },
  );
}
