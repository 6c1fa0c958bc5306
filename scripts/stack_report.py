#!/usr/bin/env python3
"""Worst-case stack of the UE agent entry points from GCC call graphs.

Reads every *.ci file (gcc -fcallgraph-info=su, written next to the
objects of the firmware build) under BUILD_DIR and prints, for each entry
point, the deepest call chain with each frame's static stack size.

What this is and is not:
  * frame sizes are GCC's own figures (-fstack-usage); a "dynamic" frame
    is flagged, none is expected (no VLAs, no alloca: -Wvla);
  * indirect calls cannot be resolved from the call graph: the agent's
    USIM calls (found by their source line) are bounded by the deepest of
    the USIM implementations in this tree (software USIM and UICC hook);
    the platform's own hooks (clock, storage, log, transmit, RNG) are NOT
    included and must be added by the porter;
  * C library calls (memcpy, memset, strlen, ...) count as 0 bytes;
  * recursion would make the bound infinite and is reported as an error.
Usage: stack_report.py [--exclude FUNC]... [--max] BUILD_DIR
  --exclude FUNC  drop calls to FUNC (e.g. gba_tuak: a Milenage-only USIM)
  --max           print only the deepest figure over all entry points
"""
import os
import re
import sys

NODE = re.compile(r'node: \{ title: "([^"]+)" label: "([^"]*)"')
EDGE = re.compile(r'edge: \{ sourcename: "([^"]+)" targetname: "([^"]+)"'
                  r'(?: label: "([^"]+)")?')
# call sites of the USIM ops in the agent (resolved to the USIM
# implementations); every other indirect call is a platform hook
USIM_CALL = re.compile(r'usim->(authenticate|naf_derive|finish)\(')
SIZE = re.compile(r'\\n(\d+) bytes \(([a-z, ]+)\)')
INDIRECT_TARGETS = ["susim_authenticate", "susim_naf_derive", "susim_finish",
                    "uicc_authenticate", "uicc_naf_derive"]
ROOTS = ["gbaue_init", "gbaue_reset", "gbaue_pdu_in", "gbaue_datagram_in",
         "gbaue_gpi_in"]


def load(build, usim_sites):
    size, kind, edges, by_short = {}, {}, {}, {}
    for root, _, files in os.walk(build):
        for f in files:
            if not f.endswith(".ci"):
                continue
            for line in open(os.path.join(root, f), errors="replace"):
                m = NODE.search(line)
                if m:
                    title, label = m.groups()
                    s = SIZE.search(label)
                    if s:
                        size[title] = int(s.group(1))
                        kind[title] = s.group(2)
                        short = title.split(":")[-1].split(".")[0]
                        by_short.setdefault(short, []).append(title)
                    continue
                m = EDGE.search(line)
                if m:
                    tgt = m.group(2)
                    if tgt == "__indirect_call":
                        site = (m.group(3) or "").rsplit(":", 1)[0]
                        tgt = "__usim_call" if site in usim_sites \
                            else "__platform_hook"
                    edges.setdefault(m.group(1), []).append(tgt)
    return size, kind, edges, by_short


def usim_call_sites(src):
    """file:line of every USIM op call in ue-agent/src/agent.c"""
    path = os.path.join(os.path.abspath(src), "ue-agent", "src", "agent.c")
    sites = set()
    for n, line in enumerate(open(path), 1):
        if USIM_CALL.search(line):
            sites.add("%s:%d" % (path, n))
    return sites


def main():
    args, exclude, only_max = sys.argv[1:], set(), False
    while args and args[0].startswith("--"):
        if args[0] == "--exclude" and len(args) > 1:
            exclude.add(args[1])
            args = args[2:]
        elif args[0] == "--max":
            only_max = True
            args = args[1:]
        else:
            print(__doc__)
            return 2
    build = args[0] if args else "build-cross"
    src = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
    sites = usim_call_sites(src)
    size, kind, edges, by_short = load(build, sites)
    if not size:
        print("no .ci files under %s (build with GBA_FIRMWARE=ON)" % build)
        return 1
    indirect = [t for n in INDIRECT_TARGETS for t in by_short.get(n, [])]
    memo, active = {}, set()

    def targets(t):
        if t.split(":")[-1].split(".")[0] in exclude:
            return []
        if t == "__usim_call":
            return indirect
        if t == "__platform_hook":
            return []
        if t in size:
            return [t]
        return by_short.get(t, [])  # external: defined in another file

    def worst(fn):
        if fn in memo:
            return memo[fn]
        if fn in active:
            raise RuntimeError("recursion through " + fn)
        active.add(fn)
        best, chain = 0, []
        for t in edges.get(fn, []):
            for d in targets(t):
                s, c = worst(d)
                if s > best:
                    best, chain = s, c
        active.discard(fn)
        memo[fn] = (size.get(fn, 0) + best, [fn] + chain)
        return memo[fn]

    dyn = [f for f, k in kind.items() if k != "static"]
    status = 0
    if only_max:
        print(max(worst(r)[0] for r in ROOTS if r in size))
        return 0 if all(r in size for r in ROOTS) else 1
    for r in ROOTS:
        if r not in size:
            print("%s: not found" % r)
            status = 1
            continue
        total, chain = worst(r)
        print("%-18s worst case %5d bytes:" % (r, total))
        for f in chain:
            print("    %5d  %s" % (size.get(f, 0), f.split(":")[-1]))
    if dyn:
        print("frames not static: " + ", ".join(dyn))
    print("excluded: platform hooks (clock, storage, log, card transmit, "
          "RNG) and C library calls")
    return status


if __name__ == "__main__":
    sys.exit(main())
