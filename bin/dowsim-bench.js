#!/usr/bin/env node
// `npm run bench [suite…]`: side-by-side measurements printed as ratios.
import { register } from 'tsx/esm/api';
register();
await import('../bench/run.ts');
