// drizzle-kit generates app-kit's own migrations (the `appkit` schema) from src/db/schema.ts:
// `npm run db:generate -w @gongxin/app-kit`. Every mounted app applies them at start-up (a no-op after the
// first), never with drizzle-kit migrate/push.
import { defineConfig } from 'drizzle-kit';

export default defineConfig({
  dialect: 'postgresql',
  schema: './src/db/schema.ts',
  out: './drizzle',
  schemaFilter: ['appkit'],
  strict: true,
});
