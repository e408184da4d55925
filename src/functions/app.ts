// The app's triggers, every one registered from the operations table (src/lib/app/operations), with the app's
// lifecycle (src/lib/app/lifecycle.ts). Nothing else is needed here: handlers load on their first call.
import { startApp } from '../lib/app/lifecycle.js';

startApp();
