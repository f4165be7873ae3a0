/** What segflow's composite transforms hand back: several named PCollections behind typed accessors. */
package io.segflow.transforms.values;
