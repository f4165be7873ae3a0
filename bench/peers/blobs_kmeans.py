#!/usr/bin/env python3
"""The peer of the blobs job: pandas reads the CSV, scikit-learn KMeans(k=8, n_init=10) fits it, and each
customer's cluster is written out. Usage: blobs_kmeans.py IN.csv OUT.csv"""
import sys

import pandas as pd
from sklearn.cluster import KMeans

frame = pd.read_csv(sys.argv[1])
features = frame[[f"f{i}" for i in range(1, 9)]].to_numpy()
model = KMeans(n_clusters=8, n_init=10, random_state=42).fit(features)
pd.DataFrame({"customer_id": frame["customer_id"], "segment_id": model.labels_}).to_csv(sys.argv[2], index=False)
print(f"inertia={model.inertia_:.6f}")
