package io.segflow.transforms.rfm;

import java.io.Serializable;

/** One score bound: of measure {@code measure}, the {@code index}-th (from 0), over {@code entities} entities. */
record Cut(int measure, int index, long entities, double bound) implements Serializable {}
