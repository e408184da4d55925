// The app's one instance: built from the settings on the first call that needs it, then shared by every
// function of this process. The only module that holds it; handlers receive a getter for it (app/register.ts).
import { readSettings } from '../settings/settings.js';
import { createApp, type App } from './app.js';

let built: App | undefined;

export function getApp(): App {
  built ??= createApp(readSettings());
  return built;
}

/** The instance if something already built it (shutdown must not build one only to close it). */
export function builtApp(): App | undefined {
  return built;
}
