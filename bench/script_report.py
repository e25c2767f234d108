"""The table of bench/vs-script.sh from its times file ("round cycle side stage wall cpu rss_kib" lines): per cycle and
stage, each side's median wall / CPU seconds and peak RSS, and the ratio script / Scoreline per round (median, range).
Usage: script_report.py TIMES N C ROUNDS"""
import statistics
import sys
from collections import defaultdict

STAGES = ["start", "fetch", "predict", "publish", "end-to-end"]


def main(path, n, c, rounds):
    # times[cycle][side][stage] = [(wall, cpu, rss_kib) per round]
    times = defaultdict(lambda: defaultdict(lambda: defaultdict(list)))
    for line in open(path):
        _, cycle, side, stage, wall, cpu, peak = line.split()
        times[cycle][side][stage].append((float(wall), float(cpu), int(peak)))
    for cycle in times.values():  # Scoreline's end to end: its three jobs, one after the other
        jobs = [cycle["scoreline"][j] for j in ("fetch", "predict", "publish")]
        cycle["scoreline"]["end-to-end"] = [(sum(r[0] for r in rs), sum(r[1] for r in rs), max(r[2] for r in rs))
                                            for rs in zip(*jobs)]
    title = {"full": f"full load of {int(n):,} documents", "incremental": f"incremental: {int(c):,} changes on {int(n):,}"}
    for name, cycle in times.items():
        print(f"\n| {title[name]} (median of {rounds}) | Scoreline wall / CPU s | script wall / CPU s"
              " | script / Scoreline, wall | script / Scoreline, CPU | peak RSS MiB, Scoreline / script |")
        print("|---|---|---|---|---|---|")
        for stage in STAGES:
            s, p = cycle["scoreline"].get(stage), cycle["script"][stage]
            print(f"| {stage} | {cell(s)} | {cell(p)} | {ratio(s, p, 0)} | {ratio(s, p, 1)} "
                  f"| {rss(s)} / {rss(p)} |")


def cell(runs):
    if not runs:
        return "(in each job)"
    return f"{statistics.median(r[0] for r in runs):.2f} / {statistics.median(r[1] for r in runs):.2f}"


def ratio(scoreline, script, i):
    if not scoreline:
        return "-"
    ratios = [p[i] / s[i] for s, p in zip(scoreline, script) if s[i] > 0]
    return f"{statistics.median(ratios):.2f} ({min(ratios):.2f}–{max(ratios):.2f})"


def rss(runs):
    return f"{max(r[2] for r in runs) / 1024:.0f}" if runs else "-"


if __name__ == "__main__":
    main(*sys.argv[1:])
