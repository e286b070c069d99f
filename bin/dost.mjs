#!/usr/bin/env node
// Entry point for the `dost` CLI and `npm start`: TypeScript sources run through tsx.
import { register } from 'tsx/esm/api';
register();
await import('../src/cli/main.ts');
