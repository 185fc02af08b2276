// Shared by the actions/cache stand-ins (restore/, save/): @actions/core and @actions/cache — the library the
// real actions/cache is built on — from gin-deploy's node_modules. act copies a --local-repository folder
// into its action cache, so they are imported from the working tree act.ts names in GIN_DEPLOY_TEST_ROOT.
import path from 'node:path';
import { pathToFileURL } from 'node:url';

const root = process.env.GIN_DEPLOY_TEST_ROOT;
if (!root) throw new Error('GIN_DEPLOY_TEST_ROOT is not set (test/examples/act.ts sets it)');
const load = (file) => import(pathToFileURL(path.join(root, 'node_modules', file)).href);

export const core = await load('@actions/core/lib/core.js');
export const cache = await load('@actions/cache/lib/cache.js');

/** The `path` input: one path per line, as actions/cache reads it. */
export const paths = () => core.getMultilineInput('path', { required: true });
