#!/usr/bin/env bash
# GET /api/v1/warranty?serial=... with ORDERS orders loaded in SQLite, against
# a bare net/http handler that returns the same bytes, with the same load tool
# (wrk, 64 connections) on the same machine, side by side.
# Usage: bench/warranty.sh [orders] [seconds] [connections]
# The data set is generated once into bench/out/warranty-<orders> and reused.
# Nothing is pinned to a CPU (see bench/eligibility.sh).
set -euo pipefail
cd "$(dirname "$0")/.."
orders=${1:-1000000}
secs=${2:-10}
conns=${3:-64}
data="bench/out/warranty-$orders"
out=$(mktemp -d)
pids=()
trap 'kill "${pids[@]}" 2>/dev/null || true; rm -rf "$out"' EXIT

go build -o "$out/aftersale" ./cmd/aftersale
go build -o "$out/baseline" ./bench/baseline
go build -o "$out/sample" ./bench/sample
if [ ! -f "$data/aftersale.db" ]; then
  mkdir -p "$data"
  "$out/aftersale" --data-dir "$data" demo-data --orders "$orders" --seed 1 --today 2026-11-24
fi
"$out/sample" -db "$data/aftersale.db" -n 20000 > "$out/serials.txt"
one=$(head -1 "$out/serials.txt")

"$out/aftersale" --data-dir "$data" serve --addr 127.0.0.1:18080 >/dev/null 2>&1 & pids+=($!)
for _ in $(seq 100); do curl -sf -o /dev/null "http://127.0.0.1:18080/healthz" && break; sleep 0.1; done
curl -sf "http://127.0.0.1:18080/api/v1/warranty?serial=$one" > "$out/body.json"
"$out/baseline" -addr 127.0.0.1:18081 -body "$out/body.json" >/dev/null 2>&1 & pids+=($!)
for _ in $(seq 50); do curl -s -o /dev/null "http://127.0.0.1:18081/" && break; sleep 0.1; done

load() { SERIALS="$out/serials.txt" wrk -t1 -c"$conns" -d"${secs}s" --latency -s bench/warranty.lua "$1"; }
rps() { awk '/Requests\/sec/ {print $2}'; }
p99() { awk '/ 99%/ {print $2}'; }
echo "== warm-up"; load http://127.0.0.1:18080 >/dev/null; load http://127.0.0.1:18081 >/dev/null
echo "== aftersale GET /api/v1/warranty, $orders orders"; a=$(load http://127.0.0.1:18080 | tee /dev/stderr)
echo "== bare net/http, same bytes";                        b=$(load http://127.0.0.1:18081 | tee /dev/stderr)
ra=$(echo "$a" | rps); rb=$(echo "$b" | rps)
printf '\naftersale %s req/s (p99 %s), bare %s req/s (p99 %s): ratio %.2f\n' \
  "$ra" "$(echo "$a" | p99)" "$rb" "$(echo "$b" | p99)" "$(echo "$ra / $rb" | bc -l)"
