#!/usr/bin/env node
// The `keyline` command: runs the TypeScript CLI directly (Node >= 22.18 strips types).
import '../src/cli/main.ts';
