// How the preload learns the contract's method names. A sandboxed preload is CommonJS that may
// require 'electron' and nothing else at runtime, so it cannot import shared/contract.ts. The
// main process, which can, hands the names over in the window's `additionalArguments`: they
// are appended to the renderer process's argv, which the preload reads synchronously before
// any page script runs, with no extra IPC round trip and nothing the page can change.
// electron/preload.ts parses this argument with its own inlined copy of the prefix and name
// pattern; test/unit/ipc-preload.test.ts checks that the two agree.
import { METHOD_NAME_PATTERN, METHOD_NAMES, type MethodName } from '../../shared/contract';

export const METHODS_ARG_PREFIX = '--kesi-methods=';

export function methodsArgument(names: readonly MethodName[] = METHOD_NAMES): string {
  for (const n of names) {
    if (!METHOD_NAME_PATTERN.test(n)) throw new Error(`not a method name: ${n}`);
  }
  return `${METHODS_ARG_PREFIX}${names.join(',')}`;
}
