import '@gin-deploy/action/stop-on-cancel';
import { runStep } from '@gin-deploy/action';
import { main } from './main.js';

await runStep(main);
