#!/usr/bin/env python3
"""What a refresh looks like with scikit-learn: the online_retail_rfm_kmeans features as of two days (see
online_retail_rfm.py), KMeans(k=5, n_init=10) fitted on each, and for each cluster of the later fit the
earlier cluster most of its customers were in. Cluster numbers that keep their meaning print as i -> i.
Usage: online_retail_refresh.py IN.csv[.gz] EARLIER_DAY LATER_DAY"""
import sys

import numpy as np
import pandas as pd
from sklearn.cluster import KMeans
from sklearn.preprocessing import StandardScaler

rows = pd.read_csv(sys.argv[1], usecols=["InvoiceNo", "Quantity", "InvoiceDate", "UnitPrice", "CustomerID"],
                   dtype={"InvoiceNo": str})
rows = rows[rows["CustomerID"].notna() & (rows["Quantity"] > 0) & (rows["UnitPrice"] > 0)]
rows = rows.assign(customer_id=rows["CustomerID"].astype("int64"), line=rows["Quantity"] * rows["UnitPrice"],
                   InvoiceDate=pd.to_datetime(rows["InvoiceDate"]))


def segments(as_of):
    known = rows[rows["InvoiceDate"] < as_of]
    invoices = known.groupby(["customer_id", "InvoiceNo"]).agg(invoice_time=("InvoiceDate", "max"),
                                                               invoice_total=("line", "sum")).reset_index()
    customers = invoices.groupby("customer_id").agg(last=("invoice_time", "max"),
                                                    frequency=("InvoiceNo", "size"),
                                                    monetary=("invoice_total", "sum"))
    recency = (as_of - customers["last"]).dt.days
    points = np.column_stack([recency, np.log1p(customers["frequency"]), np.log1p(customers["monetary"])])
    labels = KMeans(n_clusters=5, n_init=10, random_state=42).fit_predict(StandardScaler().fit_transform(points))
    return pd.Series(labels, index=customers.index)


earlier = segments(pd.Timestamp(sys.argv[2]))
later = segments(pd.Timestamp(sys.argv[3]))
both = pd.DataFrame({"earlier": earlier, "later": later}).dropna().astype(int)
kept = 0
for cluster, group in both.groupby("later"):
    origin = group["earlier"].value_counts()
    kept += int(origin.index[0] == cluster)
    print(f"cluster {cluster}: most ({origin.iloc[0]} of {len(group)}) were in earlier cluster {origin.index[0]}")
print(f"clusters whose number kept its meaning: {kept} of {both['later'].nunique()}")
