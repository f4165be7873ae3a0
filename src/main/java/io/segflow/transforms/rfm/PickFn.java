package io.segflow.transforms.rfm;

import java.util.Arrays;
import java.util.List;
import org.apache.beam.sdk.transforms.DoFn;
import org.apache.beam.sdk.values.KV;
import org.apache.beam.sdk.values.PCollectionView;
import org.apache.commons.math3.util.ResizableDoubleArray;

/**
 * A bound's value, from every partial of its bracket: the counts added up, the values inside sorted (one
 * bound's values inside its bracket, read once), and the one at the bound's rank picked.
 */
final class PickFn extends DoFn<KV<Integer, Iterable<CutCounts>>, Cut> {
  private final PCollectionView<Brackets> brackets;
  private final List<String> measures;

  PickFn(PCollectionView<Brackets> brackets, List<String> measures) {
    this.brackets = brackets;
    this.measures = List.copyOf(measures);
  }

  @ProcessElement
  public void process(@Element KV<Integer, Iterable<CutCounts>> partials, ProcessContext c) {
    Brackets b = c.sideInput(brackets);
    int key = partials.getKey();
    int m = b.measureOf(key);
    int s = b.boundOf(key);
    long below = 0;
    long atLow = 0;
    long atHigh = 0;
    ResizableDoubleArray inside = new ResizableDoubleArray();
    for (CutCounts part : partials.getValue()) {
      below += part.below();
      atLow += part.atLow();
      atHigh += part.atHigh();
      inside.addElements(part.inside());
    }
    double[] sorted = inside.getElements();
    Arrays.sort(sorted);
    double bound = CutCounts.boundAtRank(b.ranks()[m][s], below, atLow, b.low()[m][s], sorted, atHigh,
        b.high()[m][s], measures.get(m));
    c.output(new Cut(m, s, b.entities(), bound));
  }
}
