#!/usr/bin/env python3
"""Where a predict job's CPU goes, from a JFR recording: each execution sample (Java code) and native-method sample
(zlib's inflate/deflate run in native code) is put in the first category whose pattern matches a frame, innermost
frame first. Native samples are weighted by the ratio of the two sampling periods of JFR's 'profile' settings
(10 ms Java, 20 ms native). Usage: bench/jfr_split.py recording.jfr  (needs the JDK's `jfr` on PATH or JAVA_HOME)"""
import json, os, subprocess, sys
from collections import Counter

CATEGORIES = [  # (name, substrings of a frame's class.method), checked innermost frame first
    ("gunzip input (inflate)", ["Inflater", "GZIPInputStream", "InflaterInputStream"]),
    ("gzip output (deflate)", ["Deflater", "GZIPOutputStream", "CRC32"]),
    ("sha256", ["DigestBase", "SHA2", "MessageDigest", "DigestInputStream", "DigestOutputStream"]),
    ("scorer (trees)", ["io.scoreline.model.trees", "SmileScorer", "smile."]),
    ("vectorize", ["Vectorizer"]),
    ("serialize prediction", ["PredictionRecord", "writeValueAsString", "PredictionLines", "NdjsonWriter"]),
    ("parse document", ["readValue", "BatchScoring.parse", "PlainDocument", "DocumentFields", "WholeTree.parse", "readTree"]),
    ("split lines, UTF-8 check", ["ByteLines", "NdjsonReader", "LineChunk"]),
    ("JIT compiler", ["C2 CompilerThread", "C1 CompilerThread"]),
    ("GC", ["GC Thread", "G1"]),
]

def frames(event):
    st = event.get("values", {}).get("stackTrace") or {}
    for f in st.get("frames", []):
        m = f["method"]
        yield m["type"]["name"].replace("/", ".") + "." + m["name"]

def classify(event):
    for name in frames(event):
        for cat, pats in CATEGORIES:
            if any(p in name for p in pats):
                return cat
    return "other"

def main(path):
    jfr = os.path.join(os.environ["JAVA_HOME"], "bin", "jfr") if "JAVA_HOME" in os.environ else "jfr"
    counts = Counter()
    for kind, weight in (("jdk.ExecutionSample", 1), ("jdk.NativeMethodSample", 2)):
        out = subprocess.run([jfr, "print", "--json", "--stack-depth", "64", "--events", kind, path],
                             check=True, capture_output=True, text=True).stdout
        for e in json.loads(out)["recording"]["events"]:
            c = classify(e)
            if kind == "jdk.NativeMethodSample" and c == "other":
                continue  # threads parked in native waits (sockets, polls) are not CPU
            counts[c] += weight
    total = sum(counts.values())
    for cat, n in counts.most_common():
        print(f"{cat:28s} {n:6d} {100 * n / total:5.1f}%")
    print(f"{'total (weighted samples)':28s} {total:6d}")

main(sys.argv[1])
