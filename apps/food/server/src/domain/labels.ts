// CBV 2.0 business steps and dispositions in words, Chinese and English: what the consumer page and the
// staff pages show for an identifier such as `killing` or `in_transit`. No imports, so browser bundles
// take it as it is (`@gongxin/food-server/labels`).

export type Words = readonly [zhCN: string, en: string];

export const BIZ_STEP_WORDS: Readonly<Record<string, Words>> = {
  commissioning: ['采收 / 生产', 'Harvested / produced'],
  inspecting: ['检验检疫', 'Inspected'],
  sampling: ['抽样检验', 'Sampled'],
  shipping: ['发货', 'Shipped'],
  receiving: ['收货', 'Received'],
  accepting: ['验收', 'Accepted'],
  transporting: ['冷链运输', 'Transported'],
  departing: ['离港', 'Departed'],
  arriving: ['到港', 'Arrived'],
  loading: ['装车', 'Loaded'],
  unloading: ['卸货', 'Unloaded'],
  repackaging: ['加工包装', 'Processed and packed'],
  killing: ['屠宰分割', 'Slaughtered and cut'],
  assembling: ['组装加工', 'Assembled'],
  packing: ['装箱', 'Packed'],
  unpacking: ['拆箱', 'Unpacked'],
  picking: ['拣货', 'Picked'],
  storing: ['仓储', 'Stored'],
  stocking: ['上架', 'Stocked'],
  retail_selling: ['零售', 'Sold'],
  sensor_reporting: ['传感器记录', 'Sensor readings'],
  holding: ['暂扣', 'Held'],
  recalling: ['召回', 'Recalled'],
  returning: ['退货', 'Returned'],
  destroying: ['销毁', 'Destroyed'],
  decommissioning: ['注销', 'Decommissioned'],
  disposing: ['处置', 'Disposed of'],
};

export const DISPOSITION_WORDS: Readonly<Record<string, Words>> = {
  active: ['已赋码', 'active'],
  in_progress: ['处理中', 'in progress'],
  in_transit: ['在途', 'in transit'],
  conformant: ['合格', 'passed'],
  non_conformant: ['不合格', 'failed'],
  sellable_accessible: ['可售', 'on sale'],
  sellable_not_accessible: ['可售（未上架）', 'sellable, not on the shelf'],
  non_sellable_other: ['不可售', 'not for sale'],
  retail_sold: ['已售', 'sold'],
  recalled: ['已召回', 'recalled'],
  damaged: ['已损坏', 'damaged'],
  expired: ['已过期', 'expired'],
  destroyed: ['已销毁', 'destroyed'],
  disposed: ['已处置', 'disposed of'],
  returned: ['已退货', 'returned'],
  container_closed: ['已封箱', 'case closed'],
  container_open: ['已开箱', 'case open'],
  needs_replacement: ['待更换', 'needs replacement'],
};

/** A processing step recorded without a known business step. */
export const TRANSFORMATION_WORDS: Words = ['加工', 'Processed'];

/** The words for a business step or disposition in one language; undefined when there are none. */
export function wordsFor(
  table: Readonly<Record<string, Words>>,
  id: string | null | undefined,
  locale: string,
): string | undefined {
  const words = id ? table[id] : undefined;
  if (!words) return undefined;
  return locale === 'en' ? words[1] : words[0];
}

/**
 * The words for what an event did: its business step's, else "processed" for a transformation; undefined
 * when neither says (show the identifier as written).
 */
export function stepWords(
  event: { bizStep?: string | null; type: string },
  locale: string,
): string | undefined {
  const words =
    (event.bizStep ? BIZ_STEP_WORDS[event.bizStep] : undefined) ??
    (event.type === 'TransformationEvent' ? TRANSFORMATION_WORDS : undefined);
  if (!words) return undefined;
  return locale === 'en' ? words[1] : words[0];
}
