#!/usr/bin/env bash
# The README's claim walkthrough, end to end, on a fresh database: an
# in-warranty repair, a replacement within 7 days, a change-of-mind return and
# a paid repair, with curl. Usage: scripts/walkthrough.sh [postgres://URL]
# (default: an embedded SQLite database in a temporary directory).
set -euo pipefail
cd "$(dirname "$0")/.."
dir=$(mktemp -d)
trap 'kill $server 2>/dev/null || true; rm -rf "$dir"' EXIT
go build -o "$dir/aftersale" ./cmd/aftersale
export AFTERSALE_DATA_DIR="$dir/data" AFTERSALE_ADDR=127.0.0.1:18090
[ -n "${1:-}" ] && export AFTERSALE_DB="$1"
as() { "$dir/aftersale" "$@"; }

as demo-data --orders 200 >/dev/null 2>&1          # products, kits, orders, serials
for who in agent inspector manager; do
  printf 'correct horse battery staple\n' | as user add --email "$who@shop.example" --name "$who" --role "$who" --password-stdin >/dev/null 2>&1
  declare "${who^^}=$(as token create --user "$who@shop.example" --name walkthrough 2>/dev/null)"
done
"$dir/aftersale" serve >"$dir/serve.log" 2>&1 & server=$!
for _ in $(seq 100); do curl -sf -o /dev/null http://127.0.0.1:18090/healthz && break; sleep 0.1; done

api() { # api TOKEN METHOD PATH [BODY]
  curl -sS -X "$2" "http://127.0.0.1:18090$3" -H "Authorization: Bearer $1" -H 'Content-Type: application/json' ${4:+-d "$4"}
}
show() { grep -o "\"$1\":\"[^\"]*\"" | head -1; }
act() { # act TOKEN CLAIM VERSION BODY-FIELDS: prints the new status, or the problem
  local out; out=$(api "$1" POST "/api/v1/claims/$2/actions" "{\"version\":$3,$4}")
  echo "$out" | grep -o '"status":"[^"]*"' | head -1 | grep . || { echo "$out" >&2; return 1; }
}
days_ago() { date -u -d "$1 days ago" +%F; }

echo "== 1. In-warranty repair: a servo bought 40 days ago"
c=$(api "$AGENT" POST /api/v1/claims "{\"request\":\"defect\",\"description\":\"jitters under load\",\"customer_email\":\"ann@example.com\",
  \"lines\":[{\"sku\":\"SV-LX16A\",\"purchased_on\":\"$(days_ago 40)\",\"proof_document\":\"INV-881\"}]}")
n=$(echo "$c" | show number | cut -d'"' -f4); echo "$n $(echo "$c" | show outcome) $(echo "$c" | grep -o '"remedies":\[[^]]*\]' | head -1)"
# A photo of the fault (a 1x1 PNG here), a reply the customer sees and a note he does not.
printf 'iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mP8z8BQDwAEhQGAhKmMIQAAAABJRU5ErkJggg==' | base64 -d > "$dir/servo.png"
curl -sS "http://127.0.0.1:18090/api/v1/claims/$n/evidence?name=servo.png" -H "Authorization: Bearer $AGENT" \
  -H "Content-Type: image/png" --data-binary @"$dir/servo.png" | grep -o '"content_type":"[^"]*"'
api "$AGENT" POST "/api/v1/claims/$n/messages" '{"body":"Thanks, we have your photo."}' | grep -o '"internal":false'
api "$AGENT" POST "/api/v1/claims/$n/messages" '{"body":"Batch 2026-09 again?","internal":true}' | grep -o '"internal":true'
act "$AGENT" "$n" 1 '"action":"start_review"'
act "$AGENT" "$n" 2 '"action":"approve","remedy":"free_repair"'
act "$AGENT" "$n" 3 '"action":"await_return"'
act "$INSPECTOR" "$n" 4 '"action":"receive"'
act "$INSPECTOR" "$n" 5 '"action":"inspect","findings":[{"line":1,"cause":"quality_defect","notes":"worn gear"}]'
act "$AGENT" "$n" 6 '"action":"resolve","resolution":"repaired_shipped"'
act "$AGENT" "$n" 7 '"action":"close"'
api "$AGENT" GET "/api/v1/claims/$n/events" | grep -o '"kind":"[^"]*"' | tr '\n' ' '; echo

echo "== 2. Replacement within 7 days: a board received 3 days ago"
c=$(api "$AGENT" POST /api/v1/claims "{\"request\":\"defect\",\"customer_email\":\"bo@example.com\",
  \"lines\":[{\"sku\":\"EM-ESP32\",\"purchased_on\":\"$(days_ago 5)\",\"delivered_on\":\"$(days_ago 3)\",\"proof_document\":\"INV-882\"}]}")
n=$(echo "$c" | show number | cut -d'"' -f4); echo "$n $(echo "$c" | show outcome) $(echo "$c" | grep -o '"remedies":\[[^]]*\]' | head -1)"
act "$AGENT" "$n" 1 '"action":"start_review"'
act "$AGENT" "$n" 2 '"action":"approve","remedy":"free_replacement"'
act "$AGENT" "$n" 3 '"action":"await_return"'
act "$INSPECTOR" "$n" 4 '"action":"receive"'
act "$INSPECTOR" "$n" 5 '"action":"inspect","findings":[{"line":1,"cause":"quality_defect"}]'
act "$AGENT" "$n" 6 '"action":"resolve","resolution":"replacement_shipped"'

echo "== 3. Change-of-mind return: bought 2 days ago"
c=$(api "$AGENT" POST /api/v1/claims "{\"request\":\"return\",\"customer_email\":\"cy@example.com\",
  \"lines\":[{\"sku\":\"SV-SG90\",\"purchased_on\":\"$(days_ago 2)\",\"proof_document\":\"INV-883\"}]}")
n=$(echo "$c" | show number | cut -d'"' -f4); echo "$n $(echo "$c" | show outcome) $(echo "$c" | grep -o '"remedies":\[[^]]*\]' | head -1) $(echo "$c" | show shipping_paid_by)"
act "$AGENT" "$n" 1 '"action":"start_review"'
act "$AGENT" "$n" 2 '"action":"await_return"'
act "$INSPECTOR" "$n" 3 '"action":"receive"'
act "$INSPECTOR" "$n" 4 '"action":"inspect","findings":[{"line":1,"resellable":true}]'
act "$AGENT" "$n" 5 '"action":"approve","remedy":"refund"'
act "$AGENT" "$n" 6 '"action":"resolve","resolution":"refunded"'

echo "== 4. Paid repair: a servo bought 200 days ago"
c=$(api "$AGENT" POST /api/v1/claims "{\"request\":\"defect\",\"customer_email\":\"di@example.com\",
  \"lines\":[{\"sku\":\"SV-LX16A\",\"purchased_on\":\"$(days_ago 200)\",\"proof_document\":\"INV-884\"}]}")
n=$(echo "$c" | show number | cut -d'"' -f4); echo "$n $(echo "$c" | show outcome) $(echo "$c" | grep -o '"remedies":\[[^]]*\]' | head -1) $(echo "$c" | show shipping_paid_by)"
act "$AGENT" "$n" 1 '"action":"start_review"'
act "$MANAGER" "$n" 2 '"action":"send_quote","quote":{"currency":"EUR","lines":[{"kind":"parts","description":"gear set","amount":1200},{"kind":"labour","description":"30 min","amount":1500},{"kind":"freight","description":"return parcel","amount":700}]}'
act "$AGENT" "$n" 3 '"action":"accept_quote","note":"accepted by phone"'
act "$AGENT" "$n" 4 '"action":"await_return"'
act "$INSPECTOR" "$n" 5 '"action":"receive"'
act "$INSPECTOR" "$n" 6 '"action":"inspect","findings":[{"line":1,"cause":"quality_defect","notes":"worn gear"}]'
act "$AGENT" "$n" 7 '"action":"resolve","resolution":"repaired_shipped"'

echo "== The queue: what is due first"
api "$AGENT" GET '/api/v1/claims?open=true' | grep -o '"number":"[^"]*","status":"[^"]*"' | head
