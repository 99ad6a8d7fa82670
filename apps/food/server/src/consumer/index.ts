// The consumer page of a scanned GS1 Digital Link: what it shows (view.ts) and how (render.ts).
export {
  builtEntry,
  type ConsumerLocale,
  consumerLocale,
  localTime,
  type PageAssets,
  renderConsumerError,
  renderConsumerPage,
  verifyScriptFrom,
} from './render';
export { type ConsumerView, consumerView, type JourneyStep } from './view';
