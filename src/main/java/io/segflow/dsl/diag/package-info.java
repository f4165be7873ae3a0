/** Diagnostics: located problems with stable codes (SF1xx shape, SF2xx meaning, SF3xx SQL, SF4xx environments). */
package io.segflow.dsl.diag;
