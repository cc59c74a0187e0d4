#!/usr/bin/env bash
# Nightly-patrol benchmark (issue 17's baseline). Serves the synthetic site
# (bench/sitegen) and scans it three times into one database: a full scan,
# a re-scan of the unchanged site (the next night), and a re-scan after 1 %
# of the pages changed and 1 % new ones appeared (POST /admin/version?n=1).
# For each: wall time, requests sent, bytes read, pages read, peak RSS.
#
#   bash bench/nightly.sh                       # PAGES=20000, 10 connections, no delay
#   PAGES=100000 bash bench/nightly.sh
#   PAGES=2000 CONC=2 DELAY=200ms bash bench/nightly.sh   # politeness: requests are the night's cost
set -euo pipefail
cd "$(dirname "$0")/.."
PAGES=${PAGES:-20000}
CONC=${CONC:-10}
DELAY=${DELAY:-0s}
out=bench/out/nightly
mkdir -p "$out"
. bench/lib.sh
go build -o "$out/xunjian" ./cmd/xunjian
start_site "$out" "$PAGES"
write_config "$out" "$PAGES" "$CONC" "$DELAY"

printf '%-22s %9s %9s %9s %9s %9s\n' scan seconds requests MB pages "RSS MiB"
# night NAME: one scan, its figures on one line.
night() {
  local name=$1
  /usr/bin/time -f "%e %M" -o "$out/$name.time" "$out/xunjian" scan --config "$out/bench.yaml" --quiet > "$out/$name.out" 2>&1 || true
  read -r secs kib < <(tail -n 1 "$out/$name.time")
  local line pages reqs mb
  line=$(grep -m1 '页面 [0-9]* 个' "$out/$name.out" || true)
  pages=$(grep -o '页面 [0-9]*' <<<"$line" | grep -o '[0-9]*' || echo 0)
  reqs=$(grep -o '请求 [0-9]*' <<<"$line" | grep -o '[0-9]*' || echo 0)
  mb=$(grep -o '[0-9.]* MB' <<<"$line" | grep -o '[0-9.]*' || echo 0)
  printf '%-22s %9s %9s %9s %9s %9s\n' "$name" "$secs" "$reqs" "$mb" "$pages" "$((kib / 1024))"
}
night full
night unchanged
curl -fsS -X POST "${site}admin/version?n=1" >/dev/null
night changed-1%-new-1%
