/** Turns validated definitions into what runs: plans their SQL with Beam SQL (over empty inputs of the declared schemas, so what validates also plans) and checks the features against the planned output. */
package io.segflow.compile;
