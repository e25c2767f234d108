#!/usr/bin/env python3
"""CPU time of a process by kind of thread (JIT compilers, GC, the scoring pool, gzip, the main thread): runs the command,
reads /proc/PID/task/*/stat every 20 ms, keeps each thread's last reading, and prints the sums on stderr. A thread
that ends between two readings loses at most 20 ms. Linux only.
Usage: bench/thread_cpu.py command [args...]   (exit code: the command's)"""
import collections, os, re, subprocess, sys, time

TICK = os.sysconf("SC_CLK_TCK")

def main(command):
    child = subprocess.Popen(command)
    last = {}
    while child.poll() is None:
        try:
            tasks = os.listdir(f"/proc/{child.pid}/task")
        except FileNotFoundError:
            break
        for tid in tasks:
            try:
                with open(f"/proc/{child.pid}/task/{tid}/stat") as f:
                    stat = f.read()
            except OSError:
                continue
            name, rest = re.match(r"\d+ \((.*)\) (.*)", stat, re.S).groups()
            fields = rest.split()
            last[tid] = (name, (int(fields[11]) + int(fields[12])) / TICK)
        time.sleep(0.02)
    kinds = collections.Counter()
    for name, cpu in last.values():
        kind = re.sub(r"[-#\s]*\d+$", "", name)
        kinds["scoring pool" if kind.startswith("ForkJoinPool") else "main" if kind == "java" else kind] += cpu
    print("thread CPU s: " + ", ".join(f"{k} {v:.2f}" for k, v in kinds.most_common() if v >= 0.01)
          + f"; total {sum(kinds.values()):.2f}", file=sys.stderr)
    return child.wait()

sys.exit(main(sys.argv[1:]))
