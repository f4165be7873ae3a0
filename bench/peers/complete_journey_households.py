#!/usr/bin/env python3
"""The peer of complete_journey_households: the same three-source features (sql/complete_journey_households.sql)
with pandas, log1p of the counts and spend, standard scaling and KMeans(k=5, n_init=10) with scikit-learn,
members written out. Usage: complete_journey_households.py DATA_DIR OUT.csv"""
import sys
from pathlib import Path

import numpy as np
import pandas as pd
from sklearn.cluster import KMeans
from sklearn.preprocessing import StandardScaler

data = Path(sys.argv[1])
crm = pd.read_csv(data / "complete_journey_demographics.csv.gz", dtype=str)
lines = pd.read_csv(data / "complete_journey_transactions_sample.csv.gz")
targets = pd.read_csv(data / "complete_journey_campaigns.csv.gz")
redemptions = pd.read_csv(data / "complete_journey_coupon_redemptions.csv.gz")

lines["transaction_timestamp"] = pd.to_datetime(lines["transaction_timestamp"], utc=True)
as_of = pd.Timestamp("2018-01-01", tz="UTC")
bought = lines.groupby("household_id").agg(last=("transaction_timestamp", "max"), baskets=("basket_id", "nunique"),
                                           spend=("sales_value", "sum"))
bought["recency_days"] = (as_of - bought["last"]).dt.days
crm["household_id"] = crm["household_id"].astype("int64")
crm["household_size"] = crm["household_size"].str.replace("5+", "5", regex=False).astype(int)
households = (crm.set_index("household_id")[["household_size"]].join(bought, how="inner")
              .join(targets.groupby("household_id").size().rename("campaigns_received"))
              .join(redemptions.groupby("household_id").size().rename("coupons_redeemed"))
              .fillna({"campaigns_received": 0, "coupons_redeemed": 0}))
points = np.column_stack([households["recency_days"], np.log1p(households["baskets"]), np.log1p(households["spend"]),
                          np.log1p(households["campaigns_received"]), np.log1p(households["coupons_redeemed"]),
                          households["household_size"]])
model = KMeans(n_clusters=5, n_init=10, random_state=42).fit(StandardScaler().fit_transform(points))
pd.DataFrame({"household_id": households.index, "segment_id": model.labels_}).to_csv(sys.argv[2], index=False)
print(f"households={len(households)}")
