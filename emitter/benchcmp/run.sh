#!/bin/sh
# Measure the emitter against Kestra's Python client and against the
# encoding/json floor, side by side on this machine:
#
#   emitter/benchcmp/run.sh            (from anywhere in the repository)
#   ROUNDS=9 BENCHTIME=500ms N=50000 emitter/benchcmp/run.sh
#
# Each round runs the Python side, then the Go side, so that both see the
# same machine load; the summary gives the minimum, median and maximum of
# each ratio over the rounds (the machines here are shared: single figures
# mislead).
#
# Go side: the emitter's benchmarks into io.Discard, with the maps built in
# the loop as a program does (Outputs, Counter), built once (*Prebuilt), the
# map-free OutputPairs, LoggerInfo, and the *Floor twins (encoding/json
# marshal of the same message + one Write). Python side:
# python_client_loop.py, the client's json.dumps + print loop with stdout on
# /dev/null, dicts built in the loop (and once, for the *Prebuilt rows).
# Goal: go/python >= 15 with the maps built in the loop.
set -eu
here=$(cd "$(dirname "$0")" && pwd)
pkg=$(dirname "$here")
GO=${GO:-go}
PYTHON=${PYTHON:-python3}
N=${N:-100000}
BENCHTIME=${BENCHTIME:-1s}
ROUNDS=${ROUNDS:-5}
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT

(cd "$pkg" && "$GO" test -c -o "$tmp/emitter.test" .)
r=1
while [ "$r" -le "$ROUNDS" ]; do
	"$PYTHON" "$here/python_client_loop.py" "$N" 2>"$tmp/py" >/dev/null
	(cd "$pkg" && "$tmp/emitter.test" -test.run '^$' \
		-test.bench '^Benchmark(Outputs|OutputsPrebuilt|OutputPairs|Counter|CounterPrebuilt|LoggerInfo)(Floor)?$' \
		-test.benchmem -test.benchtime "$BENCHTIME") >"$tmp/go"
	echo "round $r"
	grep '^Benchmark' "$tmp/go" | awk '{
		line = sprintf("  %-28s", $1)
		for (i = 3; i < NF; i += 2) if ($(i+1) != "msgs/s") line = line sprintf(" %10s %s", $i, $(i+1))
		print line }'
	awk -v round="$r" '
	FNR == NR { py[$1] = $2; pycpu[$1] = $3; next }    # python: "name rate cpu_rate"
	/^Benchmark/ {
		name = $1; sub(/^Benchmark/, "", name); sub(/-[0-9]+$/, "", name)
		for (i = 2; i < NF; i++) {
			if ($(i+1) == "ns/op") ns[name] = $i
			if ($(i+1) == "cpu-ns/op") cpu[name] = $i
		}
	}
	END {
		n = split("Outputs:outputs:Outputs OutputsPrebuilt:outputs_prebuilt:Outputs OutputPairs:outputs:Outputs Counter:counter:Counter CounterPrebuilt:counter_prebuilt:Counter LoggerInfo:logger_info:LoggerInfo LoggerInfo:log_frame:LoggerInfo", rows, " ")
		for (k = 1; k <= n; k++) {
			split(rows[k], kv, ":"); g = kv[1]; p = kv[2]; f = kv[3]
			label = g; if (p == "log_frame") label = "LoggerInfo/frame"
			cr = (g in cpu && cpu[g] > 0 && pycpu[p] > 0) ? (1e9 / cpu[g]) / pycpu[p] : 0
			printf "RATIO %s %s %.1f %.2f %.0f %.0f %.1f\n", round, label, (1e9 / ns[g]) / py[p], ns[g] / ns[f "Floor"], 1e9 / ns[g], py[p], cr
		}
	}' "$tmp/py" "$tmp/go" >>"$tmp/ratios"
	r=$((r + 1))
done

echo
awk '
# sorted(v, n): sorts v[1..n] (insertion sort; POSIX awk has no sort).
function sortv(v, n,   i, j, t) { for (i = 2; i <= n; i++) for (j = i; j > 1 && v[j] < v[j-1]; j--) { t = v[j]; v[j] = v[j-1]; v[j-1] = t } }
function median(v, c) { return (c % 2) ? v[(c + 1) / 2] : (v[c / 2] + v[c / 2 + 1]) / 2 }
/^RATIO/ {
	l = $3
	if (!(l in cnt)) { order[++n] = l; cnt[l] = 0 }
	c = ++cnt[l]; ratio[l, c] = $4; floor[l, c] = $5; cratio[l, c] = $8
	last[l] = sprintf("%12s %14s", $6, $7)
}
END {
	printf "%-17s %26s %26s %18s %12s %14s\n", "message", "go/python wall min/med/max", "go/python CPU min/med/max", "go/floor min/max", "go msgs/s", "python msgs/s"
	for (i = 1; i <= n; i++) { l = order[i]; c = cnt[l]
		for (k = 1; k <= c; k++) { r[k] = ratio[l, k]; f[k] = floor[l, k]; q[k] = cratio[l, k] }
		sortv(r, c); sortv(f, c); sortv(q, c)
		printf "%-17s %8.1fx %7.1fx %7.1fx %8.1fx %7.1fx %7.1fx %8.2fx %7.2fx %s\n", l, r[1], median(r, c), r[c], q[1], median(q, c), q[c], f[1], f[c], last[l] }
	print ""
	print "go/python: Go messages per second over the Python loop'\''s, over the rounds (goal >= 15x, maps built in the loop),"
	print "  by wall time and by process CPU time (user + system; the load of a shared machine disturbs it less)."
	print "Outputs, Counter: maps built in the loop on both sides; *Prebuilt: built once on both sides;"
	print "OutputPairs: the map-free Go form against the Python loop building its dict."
	print "go/floor: time per Go message over encoding/json marshal + one Write of the same message."
	print "LoggerInfo: against the Python logging.Logger path; LoggerInfo/frame: against a bare json.dumps + print of the finished frame."
	print "msgs/s columns: the last round."
}' "$tmp/ratios"
