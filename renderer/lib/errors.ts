import { layerOf, WarrenError } from '../../shared/errors.js';

/** Anything thrown or rejected, as the one error type the UI shows. */
export function asWarrenError(e: unknown): WarrenError {
  if (e instanceof WarrenError) return e;
  return new WarrenError('INTERNAL', e instanceof Error ? e.message : String(e));
}

/** `Layer: message`, the one-line form used by toasts and banners. */
export function describeError(e: unknown): string {
  const error = asWarrenError(e);
  return `${layerOf[error.code]}: ${error.message}`;
}
