// drizzle-kit generates passport's migrations from src/schema.ts (`npm run db:generate -w @gongxin/passport-server`).
// They are applied at start-up by app-kit's mountApp (database.migrate), never with drizzle-kit migrate/push.
import { defineConfig } from 'drizzle-kit';

export default defineConfig({
  dialect: 'postgresql',
  schema: './src/schema.ts',
  out: './drizzle',
  schemaFilter: ['passport'],
  strict: true,
});
