/**
 * The part of the WebAssembly JS API the ruby filter uses. The project compiles with lib ES2023
 * only (no DOM), whose typings leave the global WebAssembly namespace out.
 */
declare global {
  namespace WebAssembly {
    // eslint-disable-next-line @typescript-eslint/no-empty-interface -- an opaque compiled module
    interface Module {}
    function compile(bytes: Uint8Array): Promise<Module>;
  }
}
export {};
