#!/usr/bin/env bash
# Whole-scan benchmark. Serves a synthetic 20,000-page district site on
# loopback (bench/sitegen: ~30 internal and 2 external links per page, ~1 %
# broken), scans it with 10 connections and no politeness delay, and reports
# pages/s and peak RSS against a baseline run on the same site in the same
# run. The default baseline is bench/floor (GET every internal URL with the
# same connections, no parsing, no checks, no database): the ratio is what
# xunjian's work costs over bare fetching. BASELINE=linkchecker (Debian's
# linkchecker, `apt-get install linkchecker`) or BASELINE=muffet with
# MUFFET=/path/to/muffet compare with another link checker instead.
#
#   bash bench/run.sh                          # PAGES=20000 by default
#   PAGES=2000 BASELINE=linkchecker bash bench/run.sh
set -euo pipefail
cd "$(dirname "$0")/.."
PAGES=${PAGES:-20000}
out=bench/out
mkdir -p "$out"
. bench/lib.sh
go build -o "$out/xunjian" ./cmd/xunjian
go build -o "$out/floor" ./bench/floor
start_site "$out" "$PAGES"
write_config "$out" "$PAGES" 10 0s

# measure NAME COMMAND...: wall seconds and peak RSS (MiB) from GNU time.
measure() {
  local name=$1; shift
  /usr/bin/time -f "%e %M" -o "$out/$name.time" "$@" > "$out/$name.out" 2>&1 || true
  read -r secs kib < <(tail -n 1 "$out/$name.time")
  echo "$secs $((kib / 1024))"
}

read -r x_secs x_mib < <(measure xunjian "$out/xunjian" scan --config "$out/bench.yaml" --quiet)
x_pages=$(grep -o '页面 [0-9]*' "$out/xunjian.out" | grep -o '[0-9]*' || echo 0)
x_rate=$(awk -v p="$x_pages" -v s="$x_secs" 'BEGIN { printf "%.0f", p / s }')
echo "xunjian: $x_pages pages in ${x_secs}s = $x_rate pages/s, peak RSS ${x_mib} MiB"
grep -E '链接|问题' "$out/xunjian.out" | sed 's/^/  /'

BASELINE=${BASELINE:-floor}
case "$BASELINE" in
  floor) base=("$out/floor" -c 10 "$site") ;;
  muffet) base=("${MUFFET:?set MUFFET to a muffet binary}" --max-connections-per-host=10 --timeout=15 "$site") ;;
  linkchecker)
    # linkchecker limits itself to 10 requests/s per host by default; lift it.
    printf '[checking]\nmaxrequestspersecond=1000\n' > "$out/linkcheckerrc"
    base=(linkchecker --config="$out/linkcheckerrc" --threads=10 --timeout=15 --check-extern --no-status --no-warnings -o none "$site") ;;
  *) echo "unknown BASELINE=$BASELINE (floor, muffet or linkchecker)" >&2; exit 2 ;;
esac
read -r b_secs b_mib < <(measure baseline "${base[@]}")
b_rate=$(awk -v p="$x_pages" -v s="$b_secs" 'BEGIN { printf "%.0f", p / s }')
echo "$BASELINE: same site in ${b_secs}s = $b_rate pages/s, peak RSS ${b_mib} MiB"
awk -v xs="$x_secs" -v bs="$b_secs" -v xm="$x_mib" -v bm="$b_mib" -v n="$BASELINE" \
  'BEGIN { printf "xunjian / %s: %.2fx the time, %.2fx the peak memory\n", n, xs / bs, xm / bm }'
