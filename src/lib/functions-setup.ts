// Process-wide options of the Functions programming model, set once (ES modules run once) before the
// triggers register. HTTP streaming lets request bodies (BES inputs) reach handlers as streams instead of
// being buffered whole by the worker; every trigger module imports this file.
import { app } from '@azure/functions';

app.setup({ enableHttpStream: true });
