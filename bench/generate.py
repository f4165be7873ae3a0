#!/usr/bin/env python3
"""Seeded benchmark inputs, as files a user would have.

  generate.py blobs N OUT.csv        N customers x 8 numeric features around 8 centres (customer_id, f1..f8)
  generate.py shapes N OUT.csv       N customers x 2 features: two interleaved half-moons, three round blobs and
                                     5% scattered noise; the true shape of each (-1: noise) in OUT.truth.csv
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


def shapes(n, out):
    rng = np.random.default_rng(SEED)
    kind = rng.choice(6, size=n, p=[0.2, 0.2, 0.15, 0.15, 0.25, 0.05])
    t = rng.uniform(0, np.pi, size=n)
    x = np.empty(n)
    y = np.empty(n)
    upper, lower = kind == 0, kind == 1
    x[upper], y[upper] = np.cos(t[upper]), np.sin(t[upper])
    x[lower], y[lower] = 1 - np.cos(t[lower]), 0.5 - np.sin(t[lower])
    for shape, centre in zip((2, 3, 4), ((4.0, 2.5), (4.0, -1.5), (-2.5, -2.0))):
        at = kind == shape
        x[at], y[at] = centre[0] + 0.3 * rng.normal(size=at.sum()), centre[1] + 0.3 * rng.normal(size=at.sum())
    moons = kind <= 1
    x[moons] += 0.06 * rng.normal(size=moons.sum())
    y[moons] += 0.06 * rng.normal(size=moons.sum())
    noise = kind == 5
    x[noise], y[noise] = rng.uniform(-4, 6, size=noise.sum()), rng.uniform(-4, 4, size=noise.sum())
    ids = np.arange(n)
    pd.DataFrame({"customer_id": ids, "x": x, "y": y}).to_csv(out, index=False, float_format="%.6f")
    truth = np.where(noise, -1, kind)
    pd.DataFrame({"customer_id": ids, "shape": truth}).to_csv(out.replace(".csv", ".truth.csv"), index=False)


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
    {"blobs": blobs, "shapes": shapes, "retail": retail}[kind](size, out)
