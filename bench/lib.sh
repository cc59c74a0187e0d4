# Shared by the benchmark scripts: source it after `cd` to the repository.

# start_site OUT PAGES [LAYOUT]: builds sitegen, serves a PAGES-page site
# (LAYOUT graph, the default, or cms) on loopback (stopped when the script
# exits) and sets $site to its URL.
start_site() {
  local out=$1 pages=$2 layout=${3:-graph}
  go build -o "$out/sitegen" ./bench/sitegen
  rm -f "$out/addr"
  "$out/sitegen" -pages "$pages" -layout "$layout" -addr-file "$out/addr" &
  site_pid=$!
  trap 'kill $site_pid 2>/dev/null || true' EXIT
  for _ in $(seq 50); do [ -s "$out/addr" ] && break; sleep 0.1; done
  site=$(sed -n 1p "$out/addr")
}

# write_config OUT PAGES CONC DELAY: a configuration of the site in
# $out/bench.yaml, its database $out/bench.db (removed).
write_config() {
  local out=$1 pages=$2 conc=$3 delay=$4
  cat > "$out/bench.yaml" <<YAML
database: $out/bench.db
crawl:
  user_agent: "xunjian-bench"
  concurrency: $conc
  delay: $delay
  timeout: 15s
  max_pages: $((pages * 2))
  max_depth: 0
  recheck_after: 0s
sites:
  - name: bench
    url: $site
YAML
  rm -f "$out"/bench.db*
}
