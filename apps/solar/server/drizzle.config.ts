// drizzle-kit generates the solar app's migrations from src/db/schema.ts (`npm run db:generate -w
// @gongxin/solar-server`). They are applied at start-up by app-kit's mountApp, never with drizzle-kit.
import { defineConfig } from 'drizzle-kit';

export default defineConfig({
  dialect: 'postgresql',
  schema: './src/db/schema.ts',
  out: './drizzle',
  schemaFilter: ['solar'],
  strict: true,
});
