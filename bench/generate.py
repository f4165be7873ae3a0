#!/usr/bin/env python3
"""Seeded benchmark inputs, as files a user would have.

  generate.py blobs N OUT.csv        N customers x 8 numeric features around 8 centres (customer_id, f1..f8)
  generate.py retail FACTOR OUT.csv  the bundled Online Retail data FACTOR times over: each copy gets new
                                     customer and invoice ids, dates jittered by up to 3 days and quantities
                                     by up to +-1 (never below 1 for a purchase), so copies are not duplicates
Needs Debian's python3-numpy and python3-pandas. Same seed, same bytes.
"""
import sys
from pathlib import Path

import numpy as np
import pandas as pd

SEED = 42
RETAIL = Path(__file__).resolve().parent.parent / "segment-definitions/data/online_retail.csv.gz"


def blobs(n, out):
    rng = np.random.default_rng(SEED)
    centres = rng.uniform(-10, 10, size=(8, 8))
    points = centres[rng.integers(0, 8, size=n)] + rng.normal(size=(n, 8))
    frame = pd.DataFrame(points, columns=[f"f{i}" for i in range(1, 9)])
    frame.insert(0, "customer_id", np.arange(n))
    frame.to_csv(out, index=False, float_format="%.6f")


def retail(factor, out):
    rng = np.random.default_rng(SEED)
    base = pd.read_csv(RETAIL, dtype=str, keep_default_na=False)
    dates = pd.to_datetime(base["InvoiceDate"])
    quantity = base["Quantity"].astype(int)
    customer = pd.to_numeric(base["CustomerID"], errors="coerce")
    with open(out, "w", encoding="utf-8") as f:
        for copy in range(factor):
            frame = base.copy()
            if copy > 0:
                shift = pd.to_timedelta(rng.integers(-3, 4, size=len(frame)), unit="D")
                frame["InvoiceDate"] = (dates + shift).dt.strftime("%Y-%m-%d %H:%M:%S")
                jitter = rng.integers(-1, 2, size=len(frame))
                frame["Quantity"] = np.where(quantity > 0, np.maximum(1, quantity + jitter), quantity).astype(str)
                frame["CustomerID"] = (customer + copy * 100000).map(lambda c: "" if np.isnan(c) else f"{c:.1f}")
                frame["InvoiceNo"] = frame["InvoiceNo"].map(lambda i: f"{i}-{copy}")
            frame.to_csv(f, index=False, header=copy == 0)


if __name__ == "__main__":
    kind, size, out = sys.argv[1], int(sys.argv[2]), sys.argv[3]
    {"blobs": blobs, "retail": retail}[kind](size, out)
