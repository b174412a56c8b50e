// Layering (DESIGN.md): renderer/ and shared/ never import Node or electron; on the privileged
// side only main.ts, preload.ts and ipc.ts import electron. Enforced here, not by memory.
import js from '@eslint/js';
import tseslint from 'typescript-eslint';
import globals from 'globals';
import { builtinModules } from 'node:module';

const nodeBuiltins = [...builtinModules, ...builtinModules.map((m) => `node:${m}`)];
const electronFiles = ['electron/main.ts', 'electron/preload.ts', 'electron/ipc.ts'];

const noNode = {
  paths: [
    ...nodeBuiltins.map((name) => ({ name, message: 'Node built-ins stay in electron/.' })),
    { name: 'electron', message: 'Only electron/main.ts, preload.ts and ipc.ts import electron.' },
  ],
  patterns: [
    { group: ['**/electron/**', '../electron', '../../electron'], message: 'Talk to window.kesi.' },
    {
      group: ['better-sqlite3*', 'sharp', 'fs-extra'],
      message: 'Native modules stay in electron/.',
    },
  ],
};

export default tseslint.config(
  {
    ignores: ['node_modules', 'dist', 'dist-renderer', 'release', 'test-artifacts', 'coverage'],
  },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    languageOptions: { globals: { ...globals.node } },
    rules: {
      '@typescript-eslint/no-unused-vars': [
        'error',
        { argsIgnorePattern: '^_', varsIgnorePattern: '^_' },
      ],
      '@typescript-eslint/consistent-type-imports': 'error',
      'no-console': 'off',
      eqeqeq: ['error', 'always'],
    },
  },
  {
    files: ['shared/**/*.ts'],
    languageOptions: { globals: {} },
    rules: {
      'no-restricted-imports': [
        'error',
        {
          ...noNode,
          patterns: [
            ...noNode.patterns,
            { group: ['**/renderer/**'], message: 'shared imports nothing of its users.' },
          ],
        },
      ],
    },
  },
  {
    files: ['renderer/**/*.ts', 'renderer/**/*.tsx'],
    languageOptions: { globals: { ...globals.browser } },
    rules: { 'no-restricted-imports': ['error', noNode] },
  },
  {
    files: ['electron/**/*.ts'],
    ignores: electronFiles,
    rules: {
      'no-restricted-imports': [
        'error',
        {
          paths: [
            { name: 'electron', message: 'Only main.ts, preload.ts and ipc.ts import electron.' },
          ],
          patterns: [
            { group: ['**/renderer/**'], message: 'The privileged side never imports the UI.' },
          ],
        },
      ],
    },
  },
);
