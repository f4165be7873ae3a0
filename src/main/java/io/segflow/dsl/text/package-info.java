/** Text decoding shared by the loaders. */
package io.segflow.dsl.text;
