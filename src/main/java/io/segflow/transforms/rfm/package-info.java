/** RFM scores: recency, frequency and monetary ranked into quantile scores, exactly and on any runner. */
package io.segflow.transforms.rfm;
