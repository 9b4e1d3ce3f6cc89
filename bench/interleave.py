#!/usr/bin/env python3
"""Times commands in rounds, each round in a rotated order, so that a machine that speeds up or slows down
during a benchmark (VMs do) weighs on every command alike; hyperfine runs all of one command first.

Usage: interleave.py RUNS OUT.json PREPARE NAME COMMAND [NAME COMMAND ...]
PREPARE runs (through sh) before every timed command. OUT.json has hyperfine's shape: results[].command and
results[].median, in seconds, so the same jq reads both.
"""
import json, statistics, subprocess, sys, time

runs, out, prepare = int(sys.argv[1]), sys.argv[2], sys.argv[3]
pairs = list(zip(sys.argv[4::2], sys.argv[5::2]))
times = {name: [] for name, _ in pairs}
for r in range(runs):
    for name, command in pairs[r % len(pairs):] + pairs[:r % len(pairs)]:
        subprocess.run(prepare, shell=True, check=True)
        start = time.perf_counter()
        done = subprocess.run(command, shell=True, stdout=subprocess.DEVNULL)
        elapsed = time.perf_counter() - start
        if done.returncode != 0:
            sys.exit(f"interleave: '{command}' failed with {done.returncode}")
        times[name].append(elapsed)
json.dump({"results": [{"command": name, "median": statistics.median(times[name]), "times": times[name]} for name, _ in pairs]},
          open(out, "w"), indent=1)
