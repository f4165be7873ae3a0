#!/usr/bin/env python3
"""The peer of online_retail_rfm_kmeans: the same features (sql/online_retail_rfm.sql) with pandas, the
same preparation (log1p of frequency and monetary, standard scaling) and KMeans(k=5, n_init=10) with
scikit-learn, members written out. Usage: online_retail_rfm.py IN.csv[.gz] OUT.csv"""
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
invoices = rows.groupby(["customer_id", "InvoiceNo"]).agg(invoice_time=("InvoiceDate", "max"),
                                                          invoice_total=("line", "sum")).reset_index()
as_of = pd.Timestamp("2011-12-10")
customers = invoices.groupby("customer_id").agg(last=("invoice_time", "max"), frequency=("InvoiceNo", "size"),
                                                monetary=("invoice_total", "sum"))
customers["recency_days"] = (as_of - customers["last"]).dt.days
points = np.column_stack([customers["recency_days"], np.log1p(customers["frequency"]), np.log1p(customers["monetary"])])
model = KMeans(n_clusters=5, n_init=10, random_state=42).fit(StandardScaler().fit_transform(points))
pd.DataFrame({"customer_id": customers.index, "segment_id": model.labels_}).to_csv(sys.argv[2], index=False)
print(f"customers={len(customers)}")
