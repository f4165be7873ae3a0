#!/usr/bin/env python3
"""The peer of shapes_dbscan: pandas reads the customers, StandardScaler, scikit-learn's DBSCAN, members
written out. With SAMPLE, the job segflow does when the data does not fit its sample: DBSCAN on a seeded
sample of SAMPLE customers, then every customer to the cluster of its nearest core point within eps, else
noise (-1); without, DBSCAN on every customer (which scikit-learn cannot hold in 24 GB at 1M here).
Usage: shapes_dbscan.py IN.csv OUT.csv EPS MIN_SAMPLES [SAMPLE]"""
import sys

import numpy as np
import pandas as pd
from sklearn.cluster import DBSCAN
from sklearn.neighbors import NearestNeighbors
from sklearn.preprocessing import StandardScaler

customers = pd.read_csv(sys.argv[1])
points = StandardScaler().fit_transform(customers[["x", "y"]])
eps, min_samples = float(sys.argv[3]), int(sys.argv[4])
if len(sys.argv) > 5:
    sample = points[np.random.default_rng(42).choice(len(points), int(sys.argv[5]), replace=False)]
    fitted = DBSCAN(eps=eps, min_samples=min_samples).fit(sample)
    cores = sample[fitted.core_sample_indices_]
    distance, nearest = NearestNeighbors(n_neighbors=1).fit(cores).kneighbors(points)
    labels = np.where(distance[:, 0] <= eps, fitted.labels_[fitted.core_sample_indices_][nearest[:, 0]], -1)
else:
    labels = DBSCAN(eps=eps, min_samples=min_samples).fit_predict(points)
pd.DataFrame({"customer_id": customers["customer_id"], "segment_id": labels}).to_csv(sys.argv[2], index=False)
print(f"customers={len(customers)} clusters={labels.max() + 1} noise={(labels == -1).mean():.4f}")
