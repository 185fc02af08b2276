import { runStep } from '@gin-deploy/action';
import { releaseLeftLease } from './cleanup.js';

await runStep(releaseLeftLease);
