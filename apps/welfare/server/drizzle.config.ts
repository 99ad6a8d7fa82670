// drizzle-kit generates the welfare app's migrations from src/db/schema.ts (`npm run db:generate -w
// @gongxin/welfare-server`). They are applied at start-up by app-kit's mountApp (database.migrate), never
// with drizzle-kit migrate/push.
import { defineConfig } from 'drizzle-kit';

export default defineConfig({
  dialect: 'postgresql',
  schema: './src/db/schema.ts',
  out: './drizzle',
  schemaFilter: ['welfare'],
  strict: true,
});
