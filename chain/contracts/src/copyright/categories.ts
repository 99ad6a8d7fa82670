// What may be registered (作品登记 categories, 著作权法 Art. 3) and what the law does not protect (Art. 5).
// Kept apart from the contract so event catalogs and browser bundles can name categories without
// pulling in contract code.

/** Categories of 作品登记 (著作权法 Art. 3). */
export const WORK_CATEGORIES = [
  'text',
  'oral',
  'music',
  'drama',
  'quyi',
  'dance',
  'acrobatics',
  'fine_art',
  'architecture',
  'photography',
  'audiovisual',
  'graphic',
  'model',
  'software',
  'other',
] as const;
export type WorkCategory = (typeof WORK_CATEGORIES)[number];

export const WORK_CATEGORY_NAMES_ZH: Readonly<Record<WorkCategory, string>> = {
  text: '文字作品',
  oral: '口述作品',
  music: '音乐作品',
  drama: '戏剧作品',
  quyi: '曲艺作品',
  dance: '舞蹈作品',
  acrobatics: '杂技艺术作品',
  fine_art: '美术作品',
  architecture: '建筑作品',
  photography: '摄影作品',
  audiovisual: '视听作品',
  graphic: '图形作品',
  model: '模型作品',
  software: '计算机软件',
  other: '其他作品',
};

/** What the law does not protect (著作权法 Art. 5): named so a refusal can say why. */
export const REFUSED_CATEGORIES = {
  law: '法律、法规，国家机关的决议、决定、命令和其他具有立法、行政、司法性质的文件及其官方正式译文',
  news: '单纯事实消息（时事新闻）',
  calendar: '历法',
  numeric_table: '通用数表',
  form: '通用表格',
  formula: '公式',
} as const;
export type RefusedCategory = keyof typeof REFUSED_CATEGORIES;
