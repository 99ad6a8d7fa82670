// Times as people read them: an EPCIS event's time on the clock where it happened (its own offset), in
// the page's language, to the minute; never an ISO string.
export function eventTimeText(iso: string, offset: string | undefined, locale: string): string {
  const ms = Date.parse(iso);
  if (!Number.isFinite(ms)) return iso;
  const m = /^([+-])(\d{2}):(\d{2})$/.exec(offset ?? '+08:00');
  const minutes = m ? (m[1] === '-' ? -1 : 1) * (Number(m[2]) * 60 + Number(m[3])) : 480;
  const local = new Date(ms + minutes * 60_000);
  const pad = (n: number) => String(n).padStart(2, '0');
  const hm = `${pad(local.getUTCHours())}:${pad(local.getUTCMinutes())}`;
  if (locale === 'en') {
    const month = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec'][
      local.getUTCMonth()
    ];
    return `${local.getUTCDate()} ${month} ${local.getUTCFullYear()}, ${hm}`;
  }
  return `${local.getUTCFullYear()}年${local.getUTCMonth() + 1}月${local.getUTCDate()}日 ${hm}`;
}
