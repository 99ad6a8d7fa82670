// The food contract's events (apps/food). `anchored` carries the EPCs (or their Merkle root and count) so
// the app's indexer answers "events of this EPC" from events alone.
import { attrs, defineEvents } from '../catalog';
import { ALERT_SEVERITIES, EPCIS_EVENT_TYPES } from './views';

export const foodEvents = defineEvents('food', {
  anchored: {
    hash: attrs.hash(),
    eventType: attrs.oneOf(EPCIS_EVENT_TYPES),
    bizStep: attrs.text().optional(),
    epcs: attrs.list(attrs.text()).optional(),
    epcsRoot: attrs.hash().optional(),
    epcCount: attrs.int(),
    by: attrs.address(),
  },
  productRegistered: { gtin: attrs.text(), name: attrs.text(), category: attrs.text(), by: attrs.address() },
  /** Coordinates in millionths of a degree, both or neither. */
  locationRegistered: {
    gln: attrs.text(),
    name: attrs.text(),
    latE6: attrs.int().optional(),
    lonE6: attrs.int().optional(),
    by: attrs.address(),
  },
  recalled: { id: attrs.text(), lots: attrs.list(attrs.text()), reason: attrs.text(), by: attrs.address() },
  alertRaised: {
    id: attrs.text(),
    kind: attrs.text(),
    subject: attrs.text(),
    severity: attrs.oneOf(ALERT_SEVERITIES),
    by: attrs.address(),
  },
  alertResolved: { id: attrs.text(), by: attrs.address(), resolution: attrs.text() },
  /** An EPCIS error declaration beside the untouched anchor; `corrective` are the corrective events' hashes. */
  eventErrorDeclared: {
    hash: attrs.hash(),
    declarationTime: attrs.int(),
    reason: attrs.text().optional(),
    corrective: attrs.list(attrs.hash()),
    by: attrs.address(),
  },
});
