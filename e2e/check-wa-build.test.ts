/**
 * The compatibility check (`npm run check:wa-build`) run end to end on a fake dump of our own
 * modules, so CI needs no copy of WhatsApp's code. The spec lives beside the checker's unit tests
 * (test/scripts/wa-build/check-wa-build.e2e.ts); this file puts it in the e2e project (built extension,
 * Chromium, simulator).
 */
import "../test/scripts/wa-build/check-wa-build.e2e";
