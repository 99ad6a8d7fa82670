// app-kit's own migrations (schema `appkit`), applied by mountApp before the app's own.
import { appMigrations } from '@gongxin/db';

export const appkitMigrations = appMigrations('appkit', new URL('../../drizzle', import.meta.url));
