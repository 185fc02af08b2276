// Saves like actions/cache/save: a key that exists already is a warning, not a failure.
import { cache, core, paths } from '../actions-cache.mjs';

const key = core.getInput('key', { required: true });
try {
  await cache.saveCache(paths(), key);
  core.info(`Cache saved with key: ${key}`);
} catch (error) {
  core.warning(`Failed to save: ${error.message}`);
}
