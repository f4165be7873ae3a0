package io.segflow.transforms.profile;

import io.segflow.transforms.sampling.ValueSample;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import org.apache.beam.sdk.coders.Coder;
import org.apache.beam.sdk.coders.CustomCoder;

/**
 * One segment's members read once ({@link SegmentProfiles#summaries}): the size and, per feature, the
 * count, exact sum, minimum and maximum of the values, and a bounded seeded sample of the members. The
 * segment's profile row ({@link SegmentProfiles#fromSummaries}), the features' drift ({@link
 * FeatureDrift}) and a sample of members across segments ({@link SampledMembers}) are all read from the
 * summaries, so the members are not read again for each. Not to be changed once made.
 */
public final class SegmentSummary {
  final ProfileFn.Profile profile;

  SegmentSummary(ProfileFn.Profile profile) {
    this.profile = profile;
  }

  public int segmentId() {
    return profile.segment;
  }

  public long size() {
    return profile.size;
  }

  /** How many features it summarises. */
  public int features() {
    return profile.count.length;
  }

  /**
   * The sampled members, for a reader of {@code features} features that needs the {@code capacity}
   * smallest-hash members of each segment; {@code reader} names it in the error if they are not there.
   */
  ValueSample sampleFor(int features, int capacity, String reader) {
    ValueSample sample = profile.sample;
    if (sample.features() != features || sample.capacity() < capacity) {
      throw new IllegalArgumentException("Invalid " + reader + ": it reads " + features + " features of "
          + capacity + " members, and needs summaries of as many features sampling as many members each; a"
          + " summary has " + sample.features() + " features and samples " + sample.capacity());
    }
    return sample;
  }

  public static Coder<SegmentSummary> coder() {
    return SummaryCoder.INSTANCE;
  }

  /** The profile's own coder. */
  private static final class SummaryCoder extends CustomCoder<SegmentSummary> {
    private static final SummaryCoder INSTANCE = new SummaryCoder();
    private static final ProfileFn.ProfileCoder PROFILE = new ProfileFn.ProfileCoder();

    @Override
    public void encode(SegmentSummary summary, OutputStream out) throws IOException {
      PROFILE.encode(summary.profile, out);
    }

    @Override
    public SegmentSummary decode(InputStream in) throws IOException {
      return new SegmentSummary(PROFILE.decode(in));
    }
  }
}
