// GS1 check digits as typed in the forms (the server and the chain check them again).
export function gs1CheckOk(digits: string): boolean {
  if (!/^\d{8,18}$/.test(digits)) return false;
  let sum = 0;
  for (let i = digits.length - 2, weight = 3; i >= 0; i--, weight = 4 - weight)
    sum += Number(digits[i]) * weight;
  return (10 - (sum % 10)) % 10 === Number(digits.at(-1));
}

/** An EPCIS 2.0 ObjectEvent from the simple form. */
export interface EventForm {
  action: 'ADD' | 'OBSERVE' | 'DELETE';
  bizStep: string;
  disposition: string;
  epc: string;
  quantity: string;
  gln: string;
  lotNumber: string;
  temperatures: string;
  eventTime: string;
}

export function documentFromForm(form: EventForm): Record<string, unknown> {
  const place = form.gln ? { id: `https://id.gs1.org/414/${form.gln}` } : undefined;
  const isLot = /\/10\//.test(form.epc) && !/\/21\//.test(form.epc);
  const temps = form.temperatures
    .split(/\s+/)
    .filter(Boolean)
    .map((v) => ({ type: 'Temperature', value: Number(v), uom: 'CEL' }));
  const event: Record<string, unknown> = {
    type: 'ObjectEvent',
    action: form.action,
    eventTime: new Date(form.eventTime || Date.now()).toISOString(),
    eventTimeZoneOffset: '+08:00',
    ...(form.bizStep && { bizStep: form.bizStep }),
    ...(form.disposition && { disposition: form.disposition }),
    ...(isLot
      ? { quantityList: [{ epcClass: form.epc, quantity: Number(form.quantity || 1), uom: 'KGM' }] }
      : { epcList: [form.epc] }),
    ...(place && { readPoint: place, bizLocation: place }),
    ...(form.lotNumber && form.action === 'ADD' && { ilmd: { 'cbvmda:lotNumber': form.lotNumber } }),
    ...(temps.length && { sensorElementList: [{ sensorReport: temps }] }),
  };
  return {
    '@context': ['https://ref.gs1.org/standards/epcis/2.0.0/epcis-context.jsonld'],
    type: 'EPCISDocument',
    schemaVersion: '2.0',
    creationDate: new Date().toISOString(),
    epcisBody: { eventList: [event] },
  };
}
