/** Checks of data a pipeline must not go on with, failing it with a message that names what is wrong. */
package io.segflow.transforms.quality;
