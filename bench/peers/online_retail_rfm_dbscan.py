#!/usr/bin/env python3
"""The peer of online_retail_rfm_density: the same features as online_retail_rfm.py, the same preparation
(log1p of frequency and monetary, standard scaling) and scikit-learn's DBSCAN at the eps segflow chose and
its min_points, members written out. Usage: online_retail_rfm_dbscan.py IN.csv[.gz] OUT.csv EPS MIN_SAMPLES"""
import sys

import pandas as pd
from sklearn.cluster import DBSCAN
from sklearn.preprocessing import StandardScaler

from retail_rfm_features import rfm_points

customers, points = rfm_points(sys.argv[1])
labels = DBSCAN(eps=float(sys.argv[3]), min_samples=int(sys.argv[4])).fit_predict(StandardScaler().fit_transform(points))
pd.DataFrame({"customer_id": customers, "segment_id": labels}).to_csv(sys.argv[2], index=False)
print(f"customers={len(customers)} clusters={labels.max() + 1} noise={(labels == -1).mean():.4f}")
