// The categories of 作品登记 a person may choose (著作权法 Art. 3), in the contract's words.
export const CATEGORIES = [
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
