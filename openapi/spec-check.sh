#!/usr/bin/env bash
# spec-check: compare the project's OpenAPI document (the base) with a Kestra
# server's own document (the revision) using oasdiff, and fail on every
# difference that would break this client against that server.
#
# Environment (the Makefile sets all of them):
#   UPSTREAM             the server's document: a path or an http(s) URL
#   SPEC                 our document (default openapi/kestra.yml)
#   GO                   the go command (default go)
#   OASDIFF              the oasdiff module to `go run` (pinned in the Makefile)
#   SPEC_CHECK_REQUIRED  1: a missing UPSTREAM file fails instead of skipping
#   REPORT_ONLY          1: print the report and always exit 0
#
# oasdiff's `breaking` check runs with:
#   --flatten-allof              compare structure, whatever the allOf nesting
#   --severity-levels            openapi/oasdiff-levels.txt raises the info and
#                                warning checks that matter to a client to error
#   openapi/spec-exceptions.txt  differences that come only from known defects
#                                of the server's document, tolerated (filtered
#                                by check id + message regex)
set -euo pipefail

here="$(cd "$(dirname "$0")" && pwd)"
SPEC="${SPEC:-openapi/kestra.yml}"
GO="${GO:-go}"
OASDIFF="${OASDIFF:-github.com/oasdiff/oasdiff@v1.30.0}"
UPSTREAM="${UPSTREAM:-../shared/upstream/kestra-openapi.yml}"
SPEC_CHECK_REQUIRED="${SPEC_CHECK_REQUIRED:-}"
REPORT_ONLY="${REPORT_ONLY:-}"
LEVELS="${here}/oasdiff-levels.txt"
EXCEPTIONS="${here}/spec-exceptions.txt"

# finish STATUS: exit with STATUS, or 0 in report-only mode.
finish() {
	if [ "${REPORT_ONLY}" = "1" ]; then exit 0; fi
	exit "$1"
}

case "${UPSTREAM}" in
http://* | https://*) ;;
*)
	if [ ! -f "${UPSTREAM}" ]; then
		if [ "${SPEC_CHECK_REQUIRED}" = "1" ]; then
			echo "spec-check FAILED: no upstream spec at ${UPSTREAM} (SPEC_CHECK_REQUIRED=1)" >&2
			finish 1
		fi
		echo "spec-check skipped: no upstream spec at ${UPSTREAM} (set UPSTREAM to a path or URL to run it)"
		exit 0
	fi
	;;
esac

echo "spec-check: ${SPEC} against ${UPSTREAM}"

tmp="$(mktemp -d)"
trap 'rm -rf "${tmp}"' EXIT

# No --fail-on: the verdict is ours, after the exceptions. A non-zero status
# here means oasdiff itself failed (unreadable document, bad flag...).
if ! "${GO}" run "${OASDIFF}" breaking "${SPEC}" "${UPSTREAM}" \
	--flatten-allof --color never --format singleline \
	--severity-levels "${LEVELS}" >"${tmp}/out" 2>"${tmp}/err"; then
	echo "spec-check FAILED: oasdiff could not compare the documents:" >&2
	cat "${tmp}/err" "${tmp}/out" >&2
	finish 2
fi

# Split oasdiff's one-line findings into breaking / tolerated / warnings.
# A line looks like:
#   error at <source>, in API GET /api/v1/... <text> [<check-id>].
awk -v exceptions="${EXCEPTIONS}" -v dir="${tmp}" '
	BEGIN {
		n = 0
		while ((getline line < exceptions) > 0) {
			if (line ~ /^[ \t]*(#|$)/) continue
			split(line, f, /[ \t]+/)
			id[n] = f[1]
			re[n] = substr(line, index(line, f[1]) + length(f[1]))
			sub(/^[ \t]+/, "", re[n])
			n++
		}
	}
	/^(error|warning) / {
		level = $1
		msg = $0
		sub(/^(error|warning) at [^,]*, /, "", msg)
		sub(/[ \t]+$/, "", msg)
		# the check id is the last "[id]." (some messages go on after it)
		check = ""
		rest = msg
		while (match(rest, /\[[a-z0-9-]+\]\./)) {
			check = substr(rest, RSTART + 1, RLENGTH - 3)
			rest = substr(rest, RSTART + RLENGTH)
		}
		if (level == "warning") { print msg > (dir "/warnings"); next }
		for (i = 0; i < n; i++) {
			if (check == id[i] && msg ~ re[i]) { print msg > (dir "/tolerated"); next }
		}
		print msg > (dir "/breaking")
	}
' "${tmp}/out"

count() { if [ -f "$1" ]; then wc -l <"$1" | tr -d ' '; else echo 0; fi; }
breaking="$(count "${tmp}/breaking")"
tolerated="$(count "${tmp}/tolerated")"
warnings="$(count "${tmp}/warnings")"

if [ "${tolerated}" -gt 0 ]; then
	echo "${tolerated} difference(s) tolerated as known defects of the server's document (openapi/spec-exceptions.txt):"
	sed 's/^/  /' "${tmp}/tolerated"
fi
if [ "${warnings}" -gt 0 ]; then
	echo "${warnings} warning(s) (not failing):"
	sed 's/^/  /' "${tmp}/warnings"
fi
if [ "${breaking}" -gt 0 ]; then
	echo "${breaking} breaking difference(s) between ${SPEC} and ${UPSTREAM}:"
	sed 's/^/  /' "${tmp}/breaking"
	if [ "${REPORT_ONLY}" = "1" ]; then
		echo "spec-check report: ${breaking} breaking difference(s) (report only, not failing)"
	else
		echo "spec-check FAILED: fix openapi/kestra.yml (see openapi/README.md, \"When the server API changes\")" >&2
	fi
	finish 1
fi
echo "spec-check OK: no breaking difference"
