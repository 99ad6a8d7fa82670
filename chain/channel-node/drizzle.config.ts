// drizzle-kit generates the channel node's migrations from src/schema.ts (`npm run db:generate -w
// @gongxin/channel-node`). The node applies them itself at start-up.
import { defineConfig } from 'drizzle-kit';

export default defineConfig({
  dialect: 'postgresql',
  schema: './src/schema.ts',
  out: './drizzle',
  schemaFilter: ['channel_node'],
  strict: true,
});
