import * as path from 'path';
import { requireWithCodeCache } from './codeCache';
import type * as Main from './main';

// The command line's entry (dist/cli.js): loads the bundle (dist/cli-main.js) through V8's code cache.
const main = requireWithCodeCache(path.join(__dirname, 'cli-main.js')) as typeof Main;
main.runFromProcess();
