#!/usr/bin/env bash
# make demo: deploy the example flow and run it with kestra-go, with inputs,
# labels, live logs and the JSON result.
#
#   make demo                                   # against a test server started here
#   KESTRA_HOSTNAME=https://kestra.example.com KESTRA_USER=... KESTRA_PASSWORD=... make demo
#
# Against a real server the demo creates or updates the flow
# company.team/hello-kestra-go there: it asks first (on a terminal), or needs
# DEMO_DEPLOY=yes (make demo DEMO_DEPLOY=yes).
set -euo pipefail
cd "$(dirname "$0")/../.."
GO="${GO:-go}"

work="$(mktemp -d)"
server_pid=""
cleanup() {
	if [ -n "$server_pid" ]; then kill "$server_pid" 2>/dev/null || true; wait "$server_pid" 2>/dev/null || true; fi
	rm -rf "$work"
}
trap cleanup EXIT

echo "building kestra-go (go build ./cmd/kestra-go)"
"$GO" build -o "$work/kestra-go" ./cmd/kestra-go
kestra-go() { "$work/kestra-go" "$@"; }

if [ -z "${KESTRA_HOSTNAME:-}" ]; then
	"$GO" build -o "$work/kestra-dev-server" ./cmd/kestra-dev-server
	"$work/kestra-dev-server" -addr 127.0.0.1:0 >"$work/server.log" 2>&1 &
	server_pid=$!
	url=""
	for _ in $(seq 100); do
		url="$(sed -n 's/.* listening on \(http[^ ]*\).*/\1/p' "$work/server.log")"
		[ -n "$url" ] && break
		sleep 0.1
	done
	if [ -z "$url" ]; then
		echo "the test server did not start:" >&2
		cat "$work/server.log" >&2
		exit 1
	fi
	export KESTRA_HOSTNAME="$url"
	unset KESTRA_USER KESTRA_PASSWORD KESTRA_API_TOKEN KESTRA_TENANT
	echo "KESTRA_HOSTNAME is not set: started the test server at $url"
	echo "(cmd/kestra-dev-server: an in-process test double of Kestra with no web UI, so the"
	echo " execution links printed below answer 404 there; on a real Kestra they open the execution)"
elif [ "${DEMO_DEPLOY:-}" != "yes" ]; then
	question="This creates or updates the flow company.team/hello-kestra-go on $KESTRA_HOSTNAME. Go on? [y/N] "
	if [ -t 0 ]; then
		read -r -p "$question" answer
		case "$answer" in
		y | Y | yes) ;;
		*) echo "nothing was changed on $KESTRA_HOSTNAME"; exit 1 ;;
		esac
	else
		echo "refusing to create or update company.team/hello-kestra-go on $KESTRA_HOSTNAME without a confirmation:" >&2
		echo "run 'make demo DEMO_DEPLOY=yes' to allow it" >&2
		exit 2
	fi
fi

# show prints each command as one would type it, then runs it.
show() {
	local line='$' arg
	for arg in "$@"; do
		if [[ "$arg" =~ ^[A-Za-z0-9_./:=@+-]+$ ]]; then line+=" $arg"; else line+=" '$arg'"; fi
	done
	printf '\n%s\n' "$line"
	"$@"
}

show kestra-go deploy examples/quickstart/flow.yaml
set +e
show kestra-go run company.team hello-kestra-go \
	-i name=Gopher -i count=3 -i 'tags=["go","kestra","cli"]' -l source:demo -o json
code=$?
set -e
echo "(exit code $code: 0 = SUCCESS; logs went to stderr, the JSON result to stdout)"
exit "$code"
