// Restores like actions/cache/restore: exact key first, then the newest entry matching a restore key.
import { cache, core, paths } from '../actions-cache.mjs';

const key = core.getInput('key', { required: true });
const matched = await cache.restoreCache(paths(), key, core.getMultilineInput('restore-keys'));
core.setOutput('cache-primary-key', key);
core.setOutput('cache-matched-key', matched ?? '');
core.setOutput('cache-hit', String(matched !== undefined && matched.toLowerCase() === key.toLowerCase()));
core.info(matched ? `Cache restored from key: ${matched}` : `Cache not found for input keys: ${key}`);
