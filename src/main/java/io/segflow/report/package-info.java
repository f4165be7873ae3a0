/**
 * {@code segflow report}: one self-contained HTML page that explains a run from its folder alone (run.json,
 * model.json, segments, the seeded sample, transitions), so it needs neither Beam nor the definition's
 * sources, and is the same size for ten thousand customers or ten million.
 */
package io.segflow.report;
