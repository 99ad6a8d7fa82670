// The explorer's migrations (drizzle-kit output in ../../drizzle), applied by mountApp at start-up.
import { appMigrations } from '@gongxin/db';

export const explorerMigrations = appMigrations('explorer', new URL('../../drizzle', import.meta.url));
