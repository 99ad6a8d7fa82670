// The apps the landing page shows as coming: the suite's roadmap. Everything mounted comes from the app
// modules themselves (apps.ts); an app leaves this list the day its module joins that one.
import type { Audience, LocalizedText } from '@gongxin/app-kit';

export interface PlannedApp {
  id: string;
  title: LocalizedText;
  summary: LocalizedText;
  audience: Audience;
}

export const plannedApps: readonly PlannedApp[] = [
  {
    id: 'parking',
    title: { 'zh-CN': '智慧停车', en: 'Parking' },
    summary: {
      'zh-CN': '分散停车场统一接入，按费率计费，终端支付实时上链结算',
      en: 'Scattered lots in one system, fees by tariff, payments settled on chain',
    },
    audience: 'public',
  },
];
