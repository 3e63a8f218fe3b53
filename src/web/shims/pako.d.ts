/** The part of pako (v2, no bundled types) the zlib shim uses. */
declare module 'pako' {
  export class Inflate {
    constructor(options?: { chunkSize?: number });
    onData: (chunk: Uint8Array) => void;
    push(data: Uint8Array, flush?: number | boolean): boolean;
    err: number;
    msg: string;
  }
}
