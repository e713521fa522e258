// The only platform globals shared/ may use: both Node and browsers have them.
declare class TextEncoder {
  encode(input?: string): Uint8Array;
}
declare class TextDecoder {
  decode(input?: Uint8Array): string;
}
declare function queueMicrotask(callback: () => void): void;
