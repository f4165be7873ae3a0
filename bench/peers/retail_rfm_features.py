"""The Online Retail features of sql/online_retail_rfm.sql, with pandas, for the peers of the retail jobs:
recency in days to 2011-12-10, invoices and money spent per customer; the prepared points (recency, log1p of
frequency and monetary) before scaling."""
import numpy as np
import pandas as pd


def rfm_points(path):
    """(customer ids, points): one row per customer of the invoice lines in path."""
    rows = pd.read_csv(path, usecols=["InvoiceNo", "Quantity", "InvoiceDate", "UnitPrice", "CustomerID"],
                       dtype={"InvoiceNo": str})
    rows = rows[rows["CustomerID"].notna() & (rows["Quantity"] > 0) & (rows["UnitPrice"] > 0)]
    rows = rows.assign(customer_id=rows["CustomerID"].astype("int64"), line=rows["Quantity"] * rows["UnitPrice"],
                       InvoiceDate=pd.to_datetime(rows["InvoiceDate"]))
    as_of = pd.Timestamp("2011-12-10")
    rows = rows[rows["InvoiceDate"] < as_of]  # as the SQL: a copy's jittered dates can pass @as_of
    invoices = rows.groupby(["customer_id", "InvoiceNo"]).agg(invoice_time=("InvoiceDate", "max"),
                                                              invoice_total=("line", "sum")).reset_index()
    customers = invoices.groupby("customer_id").agg(last=("invoice_time", "max"), frequency=("InvoiceNo", "size"),
                                                    monetary=("invoice_total", "sum"))
    customers["recency_days"] = (as_of - customers["last"]).dt.days
    points = np.column_stack([customers["recency_days"], np.log1p(customers["frequency"]),
                              np.log1p(customers["monetary"])])
    return customers.index, points
