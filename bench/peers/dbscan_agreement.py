#!/usr/bin/env python3
"""How a segflow DBSCAN run compares with scikit-learn's on the same customers: the adjusted Rand index
between the two (noise counted as one more group), and of each against the true shapes when given.
Usage: dbscan_agreement.py SEGFLOW_MEMBERS.csv PEER_MEMBERS.csv [TRUTH.csv]"""
import sys

import pandas as pd
from sklearn.metrics import adjusted_rand_score

ours = pd.read_csv(sys.argv[1], usecols=["customer_id", "segment_id"]).set_index("customer_id")["segment_id"]
peer = pd.read_csv(sys.argv[2]).set_index("customer_id")["segment_id"].reindex(ours.index)
if peer.isna().any():
    sys.exit("the two runs did not segment the same customers")
line = (f"customers={len(ours)} segflow: {ours.max() + 1} clusters, noise {(ours == -1).mean():.4f}; "
        f"peer: {peer.max() + 1} clusters, noise {(peer == -1).mean():.4f}; "
        f"ARI(segflow, peer)={adjusted_rand_score(peer, ours):.4f}")
if len(sys.argv) > 3:
    truth = pd.read_csv(sys.argv[3]).set_index("customer_id")["shape"].reindex(ours.index)
    a, b = adjusted_rand_score(truth, ours), adjusted_rand_score(truth, peer)
    line += f"; ARI vs truth: segflow {a:.4f}, peer {b:.4f}, difference {a - b:+.4f}"
print(line)
