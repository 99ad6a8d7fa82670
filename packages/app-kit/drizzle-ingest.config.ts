// drizzle-kit generates the ingest tables' migrations (the `appkit_ingest` schema) from
// src/ingest/schema.ts: `npx drizzle-kit generate --config drizzle-ingest.config.ts` in packages/app-kit.
// The ingest store applies them when it opens (a no-op after the first).
import { defineConfig } from 'drizzle-kit';

export default defineConfig({
  dialect: 'postgresql',
  schema: './src/ingest/schema.ts',
  out: './drizzle-ingest',
  schemaFilter: ['appkit_ingest'],
  strict: true,
});
