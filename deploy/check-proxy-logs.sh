#!/usr/bin/env bash
# Proves that Caddy's access log keeps no secrets: runs the real deploy/Caddyfile (unchanged, with
# its environment placeholders pointed at localhost over plain http) in front of a stand-in
# upstream, sends a webhook POST with X-Telegram-Bot-Api-Secret-Token and a dashboard login with
# ?ticket=, then fails if either value is in the log. Prints "ok" otherwise.
#
#   deploy/check-proxy-logs.sh            (installs Debian's caddy package with apt-get if missing)
set -euo pipefail

here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"

if ! command -v caddy >/dev/null; then
	apt-get install -y caddy >/dev/null
fi
command -v python3 >/dev/null || { echo "python3 is needed for the stand-in upstream" >&2; exit 2; }
command -v curl >/dev/null || { echo "curl is needed" >&2; exit 2; }

work="$(mktemp -d)"
pids=()
cleanup() {
	for pid in "${pids[@]}"; do kill "$pid" 2>/dev/null || true; done
	wait 2>/dev/null || true
	rm -rf "$work"
}
trap cleanup EXIT

free_port() {
	python3 -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])'
}

# Stand-in for a Baoming instance: 200 to everything, including Caddy's health check of /readyz.
upstream_port="$(free_port)"
python3 - "$upstream_port" >"$work/upstream.log" 2>&1 <<'EOF' &
import sys
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

class Ok(BaseHTTPRequestHandler):
    def answer(self):
        length = int(self.headers.get("Content-Length") or 0)
        self.rfile.read(length)
        self.send_response(200)
        self.send_header("Content-Length", "2")
        self.end_headers()
        self.wfile.write(b"ok")
    do_GET = do_POST = answer

ThreadingHTTPServer(("127.0.0.1", int(sys.argv[1])), Ok).serve_forever()
EOF
pids+=("$!")

proxy_port="$(free_port)"
admin_port="$(free_port)"
secret="check-proxy-logs-secret-$(date +%s%N)"
ticket="check-proxy-logs-ticket-$(date +%s%N)"

# An http:// site address needs no certificate: no TLS, no ACME. Caddy's own storage goes to $work.
HOME="$work" XDG_DATA_HOME="$work/data" XDG_CONFIG_HOME="$work/config" \
	BAOMING_DOMAIN="http://127.0.0.1:$proxy_port" \
	BAOMING_WEBHOOK_PATH="/telegram/webhook" \
	BAOMING_UPSTREAMS="127.0.0.1:$upstream_port" \
	BAOMING_CADDY_ADMIN="127.0.0.1:$admin_port" \
	caddy run --config "$here/Caddyfile" --adapter caddyfile >"$work/access.log" 2>"$work/caddy.log" &
pids+=("$!")

for _ in $(seq 1 100); do
	curl -s -o /dev/null "http://127.0.0.1:$proxy_port/" && break
	sleep 0.1
done

webhook_status="$(curl -s -o /dev/null -w '%{http_code}' -X POST \
	-H "X-Telegram-Bot-Api-Secret-Token: $secret" -H 'Content-Type: application/json' \
	--data '{"update_id":1}' "http://127.0.0.1:$proxy_port/telegram/webhook")"
login_status="$(curl -s -o /dev/null -w '%{http_code}' \
	"http://127.0.0.1:$proxy_port/dashboard/login?ticket=$ticket&lang=en")"
sleep 0.5

fail=0
if [[ "$webhook_status" != 200 || "$login_status" != 200 ]]; then
	echo "FAIL: requests did not reach the stand-in upstream (webhook $webhook_status, login $login_status)"
	fail=1
fi
# The check means nothing unless both requests were logged at all.
if ! grep -q '/telegram/webhook' "$work/access.log" || ! grep -q '/dashboard/login' "$work/access.log"; then
	echo "FAIL: the access log does not show both requests"
	fail=1
fi
if grep -q -- "$secret" "$work/access.log" "$work/caddy.log"; then
	echo "FAIL: the webhook secret (X-Telegram-Bot-Api-Secret-Token) is in Caddy's log:"
	grep -h -- "$secret" "$work/access.log" "$work/caddy.log" | head -n 1
	fail=1
fi
if grep -q -- "$ticket" "$work/access.log" "$work/caddy.log"; then
	echo "FAIL: the dashboard login ticket is in Caddy's log:"
	grep -h -- "$ticket" "$work/access.log" "$work/caddy.log" | head -n 1
	fail=1
fi

if [[ "$fail" != 0 ]]; then
	echo "--- caddy stderr (tail)"
	tail -n 5 "$work/caddy.log"
	exit 1
fi
echo ok
