// How staff pages name a household: by its head's name in the page's language (the server gives staff
// `head { account, name }`; the public pages get masked names only), else the head's account shortened.
import { shortenMiddle } from '@gongxin/ui';

export interface HouseholdHead {
  account: string | null;
  name: { 'zh-CN': string; en: string } | null;
}

/** The head's name in `locale`, the account shortened where the server knows no name, else —. */
export function headName(head: HouseholdHead | null | undefined, locale: string): string {
  if (head?.name) return head.name[locale === 'en' ? 'en' : 'zh-CN'];
  return head?.account ? shortenMiddle(head.account, 8, 4) : '—';
}
