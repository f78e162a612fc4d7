// The Report as JSON, rule metadata embedded (like eslint's json-with-metadata).
import type { Reporter } from './index.js';

export const renderJson: Reporter = (report) => JSON.stringify(report, null, 2);
