// The custody log's pure primitives: event format, keys, chain verification, Merkle tree.
export * from './keys';
export * from './event';
export * from './verify-chain';
export * from './verify-parallel';
export * from './merkle';
