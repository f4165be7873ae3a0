#!/usr/bin/env python3
"""The peer of shapes_dbscan: pandas reads the customers, StandardScaler, scikit-learn's DBSCAN on every
customer, members written out. Usage: shapes_dbscan.py IN.csv OUT.csv EPS MIN_SAMPLES"""
import sys

import pandas as pd
from sklearn.cluster import DBSCAN
from sklearn.preprocessing import StandardScaler

customers = pd.read_csv(sys.argv[1])
points = StandardScaler().fit_transform(customers[["x", "y"]])
labels = DBSCAN(eps=float(sys.argv[3]), min_samples=int(sys.argv[4])).fit_predict(points)
pd.DataFrame({"customer_id": customers["customer_id"], "segment_id": labels}).to_csv(sys.argv[2], index=False)
print(f"customers={len(customers)} clusters={labels.max() + 1} noise={(labels == -1).mean():.4f}")
