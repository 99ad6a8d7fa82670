// The one list of the suite's apps. The portal page, its links and (later) the mounting of each app's
// server all read from here, so an app appears everywhere the moment it is registered.

export type LocalizedText = { 'zh-CN': string; en: string };

export interface SuiteApp {
  id: string;
  /** Where the app is served within the suite, e.g. `/passport/`. */
  path: string;
  title: LocalizedText;
  summary: LocalizedText;
  /** `planned` apps are listed so people see what is coming; `live` apps are mounted and linked. */
  status: 'planned' | 'live';
  /** Audience the app is for, shown as a tag. */
  audience: 'public' | 'government' | 'enterprise' | 'everyone';
}

export const suiteApps: readonly SuiteApp[] = [
  {
    id: 'passport',
    path: '/passport/',
    title: { 'zh-CN': '护照', en: 'Passport' },
    summary: {
      'zh-CN': '实名链上身份与统一登录：一次认证，登录所有应用',
      en: 'Verified on-chain identity and single sign-on for every app',
    },
    status: 'planned',
    audience: 'everyone',
  },
  {
    id: 'explorer',
    path: '/explorer/',
    title: { 'zh-CN': '区块浏览器', en: 'Explorer' },
    summary: {
      'zh-CN': '追溯每一笔交易，在浏览器中验证每一条记录',
      en: 'Trace every transaction and verify every record in your browser',
    },
    status: 'planned',
    audience: 'public',
  },
  {
    id: 'wallet',
    path: '/wallet/',
    title: { 'zh-CN': '钱包', en: 'Wallet' },
    summary: {
      'zh-CN': '持有与转移多种数字资产，发行资产，发红包',
      en: 'Hold and move digital assets, issue your own, send red packets',
    },
    status: 'planned',
    audience: 'everyone',
  },
  {
    id: 'welfare',
    path: '/welfare/',
    title: { 'zh-CN': '低保', en: 'Welfare' },
    summary: {
      'zh-CN': '低保对象登记、专户发放、预算统计与违规监测',
      en: 'Recipient registry, dedicated accounts, budgets and violation alerts',
    },
    status: 'planned',
    audience: 'government',
  },
  {
    id: 'registry',
    path: '/registry/',
    title: { 'zh-CN': '企业链', en: 'Enterprise registry' },
    summary: {
      'zh-CN': '企业登记、产品与服务认证、公示与供需对接',
      en: 'Enterprise registration, certification, public notices, supply and demand',
    },
    status: 'planned',
    audience: 'enterprise',
  },
  {
    id: 'copyright',
    path: '/copyright/',
    title: { 'zh-CN': '版权', en: 'Copyright' },
    summary: {
      'zh-CN': '作品登记与存在证明、授权、转让质押与侵权取证',
      en: 'Work registration with proof of existence, licensing, transfer and evidence',
    },
    status: 'planned',
    audience: 'everyone',
  },
  {
    id: 'food',
    path: '/food/',
    title: { 'zh-CN': '食品溯源', en: 'Food traceability' },
    summary: {
      'zh-CN': '从农田到餐桌的 EPCIS 追溯，消费者扫码验证',
      en: 'Farm-to-fork EPCIS traceability with QR codes consumers scan',
    },
    status: 'planned',
    audience: 'everyone',
  },
  {
    id: 'solar',
    path: '/solar/',
    title: { 'zh-CN': '能源链', en: 'Solar energy trading' },
    summary: {
      'zh-CN': '光伏电站直售电力，电表网关实时上报发电量',
      en: 'Solar plants sell power directly; meter gateways report generation live',
    },
    status: 'planned',
    audience: 'everyone',
  },
  {
    id: 'parking',
    path: '/parking/',
    title: { 'zh-CN': '智慧停车', en: 'Parking' },
    summary: {
      'zh-CN': '分散停车场统一接入，按费率计费，终端支付实时上链结算',
      en: 'Scattered lots in one system, fees by tariff, payments settled on chain',
    },
    status: 'planned',
    audience: 'public',
  },
];
