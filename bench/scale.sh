#!/usr/bin/env bash
# Scale-out benchmark (issue 18): SITES synthetic sites of PAGES pages, each
# on its own loopback port (a host of its own: bench/sitegen -sites), one
# PostgreSQL database per run, `xunjian serve` enqueueing the nightly patrol
# (one job per host) and 1, 2 and 4 `xunjian worker` processes doing it.
# For each run: wall time from enqueue to the last job, pages per second,
# the speed-up over one worker, the jobs' wait in the queue and run time
# (p50/p95, from River's river_job), CPU seconds per 1,000 pages, and the
# database's size after the night.
#
#   bash bench/scale.sh                                  # 100 sites × 60 pages, 200 ms delay, 4 hosts per worker
#   SITES=2000 PAGES=200 bash bench/scale.sh             # the issue's size (hours on 2 cores)
#   DELAY=0s WORKERS="1 2" bash bench/scale.sh           # CPU-bound: what the machine's cores allow
#   PGURL=postgres://postgres@127.0.0.1:5432/postgres bash bench/scale.sh   # an existing server
#
# Without PGURL it starts a throwaway PostgreSQL cluster (Debian's
# postgresql package; as root it runs the server as the postgres user).
set -euo pipefail
cd "$(dirname "$0")/.."
SITES=${SITES:-100}
PAGES=${PAGES:-60}
DELAY=${DELAY:-200ms}
CONC=${CONC:-2}
SCANS=${SCANS:-4}
WORKERS=${WORKERS:-1 2 4}
out=bench/out/scale
mkdir -p "$out"
out=$(cd "$out" && pwd)
go build -o "$out/xunjian" ./cmd/xunjian
go build -o "$out/sitegen" ./bench/sitegen

pids=()
cleanup() {
  for p in "${pids[@]}"; do kill "$p" 2>/dev/null || true; done
  wait 2>/dev/null || true
  if [ -n "${pgdir:-}" ]; then "${as_pg[@]}" "$pgbin/pg_ctl" -D "$pgdir/data" -m fast stop >/dev/null 2>&1 || true; fi
}
trap cleanup EXIT

if [ -z "${PGURL:-}" ]; then
  pgbin=$(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -n 1)
  [ -n "$pgbin" ] || { echo "PostgreSQL is not installed (apt-get install postgresql), or set PGURL"; exit 1; }
  pgdir=$(mktemp -d /tmp/xunjian-scale-pg.XXXXXX)
  as_pg=()
  if [ "$(id -u)" = 0 ]; then
    id postgres >/dev/null 2>&1 || useradd --system --home-dir "$pgdir" postgres
    chown postgres "$pgdir"
    as_pg=(runuser -u postgres --)
  fi
  "${as_pg[@]}" "$pgbin/initdb" -D "$pgdir/data" -A trust -U postgres >/dev/null
  port=55499
  "${as_pg[@]}" "$pgbin/pg_ctl" -D "$pgdir/data" -l "$pgdir/log" -w -t 30 \
    -o "-p $port -k $pgdir -c listen_addresses=127.0.0.1 -c max_connections=300 -c shared_buffers=512MB" start >/dev/null
  PGURL="postgres://postgres@127.0.0.1:$port/postgres?sslmode=disable"
fi
psql() { command psql -X -q -t -A "$@"; }

rm -f "$out/addr"
"$out/sitegen" -sites "$SITES" -pages "$PAGES" -layout cms -addr-file "$out/addr" &
pids+=($!)
for _ in $(seq 100); do [ -s "$out/addr" ] && break; sleep 0.1; done
mapfile -t urls < <(sed '2d' "$out/addr") # line 2 is the external site

echo "sites $SITES × $PAGES pages (cms layout), delay $DELAY, $CONC connections per host, $SCANS hosts per worker"
printf '%-8s %9s %9s %9s %8s %13s %13s %11s %9s\n' workers seconds pages "pages/s" speedup "wait p50/p95" "run p50/p95" "CPU s/1k pg" "DB MiB"
base=""
for w in $WORKERS; do
  db="xunjian_scale_w$w"
  psql "$PGURL" -c "DROP DATABASE IF EXISTS $db" -c "CREATE DATABASE $db"
  dsn=$(sed "s#/postgres?#/$db?#" <<<"$PGURL")
  {
    cat <<YAML
database: $dsn
listen: 127.0.0.1:0
crawl:
  user_agent: "xunjian-bench"
  concurrency: $CONC
  delay: $DELAY
  timeout: 15s
  max_pages: $((PAGES * 2))
  check_external: false
jobs:
  scans: $SCANS
sites:
YAML
    i=0
    for u in "${urls[@]}"; do
      i=$((i + 1))
      printf '  - name: 站点%04d\n    url: %s\n' "$i" "$u"
    done
  } > "$out/scale.yaml"
  # serve enqueues the night at start (its first nightly run is due).
  "$out/xunjian" serve --config "$out/scale.yaml" > "$out/serve-w$w.log" 2>&1 &
  serve_pid=$!
  pids+=($serve_pid)
  for _ in $(seq 600); do grep -q '已放入队列' "$out/serve-w$w.log" && break; sleep 0.1; done
  start=$(date +%s.%N)
  wpids=()
  for n in $(seq "$w"); do
    "$out/xunjian" worker --config "$out/scale.yaml" --id "w$n" > "$out/worker-w$w-$n.log" 2>&1 &
    wpids+=($!)
    pids+=($!)
  done
  while :; do
    left=$(psql "$dsn" -c "SELECT count(*) FROM river_job WHERE kind = 'xunjian_patrol' AND state NOT IN ('completed', 'cancelled', 'discarded')")
    [ "$left" = 0 ] && break
    sleep 0.5
  done
  end=$(date +%s.%N)
  # The workers' CPU time (user + system), read before they stop.
  ticks=0
  for p in "${wpids[@]}"; do
    ticks=$((ticks + $(awk '{print $14 + $15}' "/proc/$p/stat")))
  done
  cpu=$(echo "$ticks / $(getconf CLK_TCK)" | bc -l)
  for p in "${wpids[@]}" "$serve_pid"; do kill -TERM "$p" 2>/dev/null || true; done
  for p in "${wpids[@]}" "$serve_pid"; do wait "$p" 2>/dev/null || true; done
  secs=$(echo "$end - $start" | bc -l)
  pages=$(psql "$dsn" -c "SELECT coalesce(sum(pages), 0) FROM scans WHERE kind = 'crawl'")
  lat=$(psql "$dsn" -c "SELECT
      round(percentile_cont(0.5) WITHIN GROUP (ORDER BY extract(epoch FROM attempted_at - created_at))::numeric, 1) || '/' ||
      round(percentile_cont(0.95) WITHIN GROUP (ORDER BY extract(epoch FROM attempted_at - created_at))::numeric, 1),
      round(percentile_cont(0.5) WITHIN GROUP (ORDER BY extract(epoch FROM finalized_at - attempted_at))::numeric, 1) || '/' ||
      round(percentile_cont(0.95) WITHIN GROUP (ORDER BY extract(epoch FROM finalized_at - attempted_at))::numeric, 1)
    FROM river_job WHERE kind = 'xunjian_patrol' AND state = 'completed'")
  wait_q=${lat%%|*}
  run_q=${lat##*|}
  size=$(psql "$dsn" -c "SELECT pg_database_size(current_database()) / 1048576")
  rate=$(echo "$pages / $secs" | bc -l)
  [ -n "$base" ] || base=$rate
  printf '%-8s %9.1f %9d %9.1f %7.2fx %13s %13s %11.2f %9d\n' "$w" "$secs" "$pages" "$rate" "$(echo "$rate / $base" | bc -l)" \
    "${wait_q}s" "${run_q}s" "$(echo "$cpu * 1000 / $pages" | bc -l)" "$size"
done
