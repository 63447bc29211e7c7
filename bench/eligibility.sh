#!/usr/bin/env bash
# POST /api/v1/eligibility against a bare net/http handler that returns the
# same bytes, with the same load tool (wrk) on the same machine, side by side.
# Usage: bench/eligibility.sh [seconds] [connections]
# Needs wrk (apt-get install wrk). Nothing is pinned to a CPU: a Go server
# pinned to one core (GOMAXPROCS 1) serves a CPU-heavy handler unfairly
# (connections whose bytes arrive wait for the netpoller), which is not how
# it runs.
set -euo pipefail
cd "$(dirname "$0")/.."
secs=${1:-10}
conns=${2:-32}
out=$(mktemp -d)
pids=()
trap 'kill "${pids[@]}" 2>/dev/null || true; rm -rf "$out"' EXIT

go build -o "$out/aftersale" ./cmd/aftersale
go build -o "$out/baseline" ./bench/baseline
facts='{"request":"defect","category":"servo_motor","purchased_on":"2026-01-28","delivered_on":"2026-01-31","reported_on":"2026-04-30","proof_of_purchase":true}'
printf '%s' "$facts" > "$out/facts.json"
printf '%s' "$facts" | "$out/aftersale" eligibility | tr -d '\n' > "$out/decision.json"

"$out/aftersale" serve --addr 127.0.0.1:18080 >/dev/null 2>&1 & pids+=($!)
"$out/baseline" -addr 127.0.0.1:18081 -body "$out/decision.json" >/dev/null 2>&1 & pids+=($!)
for port in 18080 18081; do
  for _ in $(seq 50); do curl -s -o /dev/null "http://127.0.0.1:$port/" && break; sleep 0.1; done
done

load() { BODY="$out/facts.json" wrk -t1 -c"$conns" -d"${secs}s" --latency -s bench/post.lua "$1"; }
rps() { awk '/Requests\/sec/ {print $2}'; }
p99() { awk '/ 99%/ {print $2}'; }
echo "== warm-up"; load http://127.0.0.1:18080/api/v1/eligibility >/dev/null; load http://127.0.0.1:18081/ >/dev/null
echo "== aftersale POST /api/v1/eligibility"; a=$(load http://127.0.0.1:18080/api/v1/eligibility | tee /dev/stderr)
echo "== bare net/http, same bytes";           b=$(load http://127.0.0.1:18081/ | tee /dev/stderr)
ra=$(echo "$a" | rps); rb=$(echo "$b" | rps)
printf '\naftersale %s req/s (p99 %s), bare %s req/s (p99 %s): ratio %.2f\n' \
  "$ra" "$(echo "$a" | p99)" "$rb" "$(echo "$b" | p99)" "$(echo "$ra / $rb" | bc -l)"
