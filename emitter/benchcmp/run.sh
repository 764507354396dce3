#!/bin/sh
# Re-measure the emitter against Kestra's Python client and against the
# encoding/json floor, on this machine, in one go:
#
#   emitter/benchcmp/run.sh            (from anywhere in the repository)
#   BENCHTIME=3s N=500000 emitter/benchcmp/run.sh
#
# Go side: the Outputs, Counter and LoggerInfo benchmarks of the emitter
# package and their *Floor twins (encoding/json marshal of the same message +
# one Write), all into io.Discard. Python side: python_client_loop.py, the
# client's json.dumps + print loop with stdout on /dev/null. Prints messages
# per second of each side, the Go/Python ratio (goal >= 20) and the time of a
# message relative to the floor (goal <= 2).
set -eu
here=$(cd "$(dirname "$0")" && pwd)
pkg=$(dirname "$here")
GO=${GO:-go}
PYTHON=${PYTHON:-python3}
N=${N:-200000}
BENCHTIME=${BENCHTIME:-1s}
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT

"$PYTHON" "$here/python_client_loop.py" "$N" 2>"$tmp/py" >/dev/null
(cd "$pkg" && "$GO" test -run '^$' -bench '^Benchmark(Outputs|Counter|LoggerInfo)(Floor)?$' \
	-benchmem -benchtime "$BENCHTIME" .) >"$tmp/go"

grep '^Benchmark' "$tmp/go"
echo
awk '
FNR == NR { py[$1] = $2; next }            # python: "name rate"
/^Benchmark/ {
	name = $1; sub(/^Benchmark/, "", name); sub(/-[0-9]+$/, "", name)
	for (i = 2; i < NF; i++) if ($(i+1) == "ns/op") ns[name] = $i
}
END {
	printf "%-12s %14s %14s %10s %14s %10s\n", "message", "go msgs/s", "python msgs/s", "go/python", "floor msgs/s", "go/floor"
	split("Outputs:outputs Counter:counter LoggerInfo:logger_info LoggerInfo:log_frame", rows, " ")
	for (r = 1; r in rows; r++) {
		split(rows[r], kv, ":"); g = kv[1]; p = kv[2]
		go = 1e9 / ns[g]; fl = 1e9 / ns[g "Floor"]
		label = (p == "log_frame") ? "log (frame)" : (p == "logger_info") ? "logger" : p
		printf "%-12s %14.0f %14.0f %9.1fx %14.0f %9.2fx\n", label, go, py[p], go / py[p], fl, ns[g] / ns[g "Floor"]
	}
	print ""
	print "go/python: Go messages per second over the Python loop'\''s (goal >= 20x)."
	print "go/floor: time per Go message over encoding/json marshal + one Write (goal <= 2x)."
	print "logger: Python logging.Logger path; log (frame): Python json.dumps + print of the same frame."
}' "$tmp/py" "$tmp/go"
