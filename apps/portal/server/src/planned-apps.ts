// The apps the landing page shows as coming: the suite's roadmap. Everything mounted comes from the app
// modules themselves (apps.ts); an app leaves this list the day its module joins that one.
import type { Audience, LocalizedText } from '@gongxin/app-kit';

export interface PlannedApp {
  id: string;
  title: LocalizedText;
  summary: LocalizedText;
  audience: Audience;
}

export const plannedApps: readonly PlannedApp[] = [];
