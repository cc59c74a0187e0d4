#!/usr/bin/env bash
# Nightly-patrol benchmark (issue 17). Serves the synthetic site
# (bench/sitegen, LAYOUT=cms by default: home, 20 columns, articles) and
# scans it into one database: a full crawl; the unchanged site the next
# night, full again (the baseline) and as the schedule patrols it
# (scan --nightly); then, after 1 % of the pages changed and 1 % new ones
# appeared (POST /admin/version?n=1), a nightly patrol and a full crawl.
# For each: wall time, requests sent, bytes read, pages fetched, peak RSS,
# and the nightly's share of the full crawl's requests and time.
#
#   bash bench/nightly.sh                       # PAGES=20000, 10 connections, no delay
#   PAGES=100000 bash bench/nightly.sh
#   PAGES=1000 CONC=2 DELAY=200ms bash bench/nightly.sh   # politeness: requests are the night's cost
#   LAYOUT=graph bash bench/nightly.sh          # pages linking all over the site (bench/run.sh's)
set -euo pipefail
cd "$(dirname "$0")/.."
PAGES=${PAGES:-20000}
CONC=${CONC:-10}
DELAY=${DELAY:-0s}
LAYOUT=${LAYOUT:-cms}
out=bench/out/nightly
mkdir -p "$out"
. bench/lib.sh
go build -o "$out/xunjian" ./cmd/xunjian
start_site "$out" "$PAGES" "$LAYOUT"
write_config "$out" "$PAGES" "$CONC" "$DELAY"

printf '%-22s %9s %9s %9s %9s %9s\n' scan seconds requests MB pages "RSS MiB"
# night NAME [FLAGS]: one scan, its figures on one line.
night() {
  local name=$1; shift
  /usr/bin/time -f "%e %M" -o "$out/$name.time" "$out/xunjian" scan --config "$out/bench.yaml" --quiet "$@" > "$out/$name.out" 2>&1 || true
  read -r secs kib < <(tail -n 1 "$out/$name.time")
  local line pages reqs mb
  line=$(grep -m1 '页面 [0-9]* 个' "$out/$name.out" || true)
  pages=$(grep -o '页面 [0-9]*' <<<"$line" | grep -o '[0-9]*' || echo 0)
  reqs=$(grep -o '请求 [0-9]*' <<<"$line" | grep -o '[0-9]*' || echo 0)
  mb=$(grep -o '[0-9.]* MB' <<<"$line" | grep -o '[0-9.]*' || echo 0)
  printf '%-22s %9s %9s %9s %9s %9s\n' "$name" "$secs" "$reqs" "$mb" "$pages" "$((kib / 1024))"
  eval "${name//[^a-z]/_}_secs=$secs ${name//[^a-z]/_}_reqs=$reqs"
}
ratio() { awk -v a="$1" -v b="$2" 'BEGIN { printf "%.1f %%", 100 * a / b }'; }
speed() { awk -v a="$1" -v b="$2" 'BEGIN { printf "%.1f×", a / b }'; }
night full
night unchanged-full
night unchanged-nightly --nightly
curl -fsS -X POST "${site}admin/version?n=1" >/dev/null
night changed-nightly --nightly
night changed-full
echo "unchanged night: nightly sends $(ratio "$unchanged_nightly_reqs" "$unchanged_full_reqs") of a full crawl's requests, $(speed "$unchanged_full_secs" "$unchanged_nightly_secs") faster"
echo "1 % changed + 1 % new: nightly sends $(ratio "$changed_nightly_reqs" "$changed_full_reqs") of a full crawl's requests, $(speed "$changed_full_secs" "$changed_nightly_secs") faster"
grep -h '增量巡检：' "$out"/*-nightly.out || true
