/** Checks of the windowing a transform is applied in. */
package io.segflow.transforms.windowing;
