#!/usr/bin/env python3
"""The peer of online_retail_rfm_kmeans: the same features (sql/online_retail_rfm.sql) with pandas, the
same preparation (log1p of frequency and monetary, standard scaling) and KMeans(k=5, n_init=10) with
scikit-learn, members written out. Usage: online_retail_rfm.py IN.csv[.gz] OUT.csv"""
import sys

import pandas as pd
from sklearn.cluster import KMeans
from sklearn.preprocessing import StandardScaler

from retail_rfm_features import rfm_points

customers, points = rfm_points(sys.argv[1])
model = KMeans(n_clusters=5, n_init=10, random_state=42).fit(StandardScaler().fit_transform(points))
pd.DataFrame({"customer_id": customers, "segment_id": model.labels_}).to_csv(sys.argv[2], index=False)
print(f"customers={len(customers)}")
