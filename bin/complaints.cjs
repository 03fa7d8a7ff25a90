#!/usr/bin/env node
'use strict';
// `npx complaints …`: the staff command-line client. tsx compiles the TypeScript in cli/ as it is required,
// so the CLI runs from the repository as checked out, with no build step.
require('tsx/cjs/api').register();
require('../cli/main.ts').run();
