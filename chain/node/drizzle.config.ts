// drizzle-kit generates the node's migrations from src/storage/schema.ts (`npm run db:generate -w @gongxin/node`).
// They are applied at start-up by the node itself, never with drizzle-kit migrate/push.
import { defineConfig } from 'drizzle-kit';

export default defineConfig({
  dialect: 'postgresql',
  schema: './src/storage/schema.ts',
  out: './drizzle',
  schemaFilter: ['chain'],
  strict: true,
});
