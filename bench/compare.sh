#!/bin/sh
# Side-by-side: dockerpulls against a minimal Flask exporter (what the project replaces) and a
# Python one-shot, on the same fake Docker Hub on loopback, in the same run. Prints a table of
# scrapes/s and latency on kept-alive connections (wrk), resident memory, and start-up.
#
#   bench/compare.sh            # 45 and 5,047 repositories
#   REPOS="45" bench/compare.sh
#   REPOS=none bench/compare.sh # the history's paths alone
#
# Besides the Flask reference, rows compare dockerpulls with itself and with the JVM's floor:
# `java -jar` without flags beside the launcher (resident memory 15 s after the scrapes), an
# export with the history beside one without (5,047 repositories, alternating runs), the export of
# every repository beside one repository against a Hub answering in 50 ms, and the one-repository
# export beside `java -version`.
#
# Then the history's paths (HISTORY=0 leaves them out), each beside a short Python script that
# does the same with the same data (bench/history_yardsticks.py): the report and /api/v1/history
# of 5,000 repositories x 1 year by day in a 64 MB heap (the history is filled by the history
# module's HistoryBenchmark through Maven), the import of 200 series x 3 days from a real
# Prometheus, and the import of a 1,000,000-row Insights trends report.
#
# Installs Debian's python3-flask, python3-requests and wrk when missing (as root), and prometheus
# (with promtool) for the history's paths.
set -eu

root=$(CDPATH='' cd -- "$(dirname -- "$0")/.." && pwd)
bench="$root/bench"
py=/usr/bin/python3
repos_list=${REPOS:-"45 5047"}
[ "$repos_list" = none ] && repos_list="" # the history's paths alone
duration=${DURATION:-10s}
runs=${RUNS:-9}
work=$(mktemp -d)
pids=""

cleanup() {
  for p in $pids; do kill "$p" 2>/dev/null || true; done
  wait 2>/dev/null || true
  rm -rf "$work"
}
trap cleanup EXIT INT TERM

need=""
[ -x "$py" ] && "$py" -c 'import flask, requests' 2>/dev/null || need="$need python3-flask python3-requests"
command -v wrk >/dev/null 2>&1 || need="$need wrk"
history=${HISTORY:-1}
if [ "$history" != 0 ]; then
  { command -v prometheus && command -v promtool; } >/dev/null 2>&1 || need="$need prometheus"
fi
if [ -n "$need" ]; then
  if [ "$(id -u)" -ne 0 ]; then
    echo "compare.sh: install$need (Debian packages) and run again" >&2
    exit 1
  fi
  echo "compare.sh: installing$need" >&2
  DEBIAN_FRONTEND=noninteractive apt-get install -y -q $need </dev/null >"$work/apt.log" 2>&1 \
    || { apt-get update -q </dev/null >>"$work/apt.log" 2>&1 \
      && DEBIAN_FRONTEND=noninteractive apt-get install -y -q $need </dev/null >>"$work/apt.log" 2>&1; } \
    || { echo "compare.sh: apt-get failed, see $work/apt.log" >&2; cat "$work/apt.log" >&2; exit 1; }
fi

free_port() { "$py" -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])'; }

wait_for() { # URL
  i=0
  while ! "$py" -c "import urllib.request,sys; urllib.request.urlopen(sys.argv[1], timeout=2)" "$1" 2>/dev/null; do
    i=$((i + 1)); [ $i -gt 300 ] && { echo "compare.sh: $1 did not answer" >&2; exit 1; }
    sleep 0.1
  done
}

rss_mib() { awk '/^VmRSS:/ { printf "%.1f", $2 / 1024 }' "/proc/$1/status"; }

# wrk's requests/s, p50 and p99 in ms
wrk_figures() { # URL [header]
  if [ $# -gt 1 ]; then out=$(wrk -t2 -c8 -d"$duration" --latency -H "$2" "$1"); else out=$(wrk -t2 -c8 -d"$duration" --latency "$1"); fi
  echo "$out" | awk '
    function ms(v) { if (v ~ /us$/) return v / 1000; if (v ~ /ms$/) return v + 0; if (v ~ /s$/) return v * 1000; return v }
    /Requests\/sec/ { rps = $2 }
    $1 == "50%" { p50 = ms($2) }
    $1 == "99%" { p99 = ms($2) }
    END { printf "%.0f %.3f %.3f\n", rps, p50, p99 }'
}

ratio() { echo "$1 $2" | awk '{ if ($2 > 0) printf "%.2f", $1 / $2; else print "-" }'; }

median() { sort -n | awk '{ a[NR] = $1 } END { print a[int((NR + 1) / 2)] }'; }

timed() { # command...: seconds, one run
  s=$(date +%s.%N); "$@" >/dev/null 2>&1; e=$(date +%s.%N)
  awk -v s="$s" -v e="$e" 'BEGIN { printf "%.4f\n", e - s }' 
}

# Build the jar once, outside the measurements.
"$root/dockerpulls" --version >/dev/null

printf '%s\n' "machine: $(nproc) cores, $(awk '/MemTotal/ { printf "%.0f GiB", $2 / 1048576 }' /proc/meminfo), $(java -version 2>&1 | head -1), $("$py" --version)"
[ -n "$repos_list" ] &&
  printf '\n| repositories | what | dockerpulls | Flask reference | ratio |\n|---|---|---|---|---|\n'

for n in $repos_list; do
  hub_port=$(free_port)
  "$py" "$bench/fake_hub.py" --port "$hub_port" --repos "$n" & pids="$pids $!"
  wait_for "http://127.0.0.1:$hub_port/v2/namespaces/bench/repositories?page_size=1"
  hub="http://127.0.0.1:$hub_port"

  dp_port=$(free_port)
  "$root/dockerpulls" serve --hub-url "$hub" --org bench --no-history --port "$dp_port" \
    --listen-address 127.0.0.1 --interval 1h 2>"$work/serve.log" & dp=$!; pids="$pids $dp"
  wait_for "http://127.0.0.1:$dp_port/-/ready"

  fl_port=$(free_port)
  DOCKERHUB_ORGANIZATION=bench DOCKERHUB_API_URL="$hub" PORT=$fl_port \
    "$py" "$bench/flask_exporter.py" >"$work/flask.log" 2>&1 & fl=$!; pids="$pids $fl"
  wait_for "http://127.0.0.1:$fl_port/"

  header=""
  [ "$n" -gt 1000 ] && header="Accept-Encoding: gzip"
  if [ -n "$header" ]; then
    set -- $(wrk_figures "http://127.0.0.1:$dp_port/metrics" "$header"); d_rps=$1 d_p50=$2 d_p99=$3
    set -- $(wrk_figures "http://127.0.0.1:$fl_port/metrics" "$header"); f_rps=$1 f_p50=$2 f_p99=$3
  else
    set -- $(wrk_figures "http://127.0.0.1:$dp_port/metrics"); d_rps=$1 d_p50=$2 d_p99=$3
    set -- $(wrk_figures "http://127.0.0.1:$fl_port/metrics"); f_rps=$1 f_p50=$2 f_p99=$3
  fi
  d_rss=$(rss_mib "$dp"); f_rss=$(rss_mib "$fl")
  sleep 15; d_rss15=$(rss_mib "$dp")
  label="$n"; [ -n "$header" ] && label="$n (gzip)"
  echo "| $label | scrapes/s, 8 kept-alive connections | $d_rps | $f_rps | $(ratio "$d_rps" "$f_rps") |"
  echo "| $label | p50 ms | $d_p50 | $f_p50 | $(ratio "$d_p50" "$f_p50") |"
  echo "| $label | p99 ms | $d_p99 | $f_p99 | $(ratio "$d_p99" "$f_p99") |"
  echo "| $label | resident MiB after the scrapes | $d_rss | $f_rss | $(ratio "$d_rss" "$f_rss") |"
  echo "| $label | resident MiB 15 s after the scrapes | $d_rss15 | | |"
  kill "$dp" 2>/dev/null || true

  # The same exporter as people run a jar: `java -jar`, no flags (dockerpulls sets its own).
  jar_port=$(free_port)
  java -jar "$root/distribution/target/dockerpulls.jar" serve --hub-url "$hub" --org bench \
    --no-history --port "$jar_port" --listen-address 127.0.0.1 --interval 1h \
    2>"$work/serve-jar.log" & jp=$!; pids="$pids $jp"
  wait_for "http://127.0.0.1:$jar_port/-/ready"
  if [ -n "$header" ]; then
    wrk_figures "http://127.0.0.1:$jar_port/metrics" "$header" >/dev/null
  else
    wrk_figures "http://127.0.0.1:$jar_port/metrics" >/dev/null
  fi
  j_rss=$(rss_mib "$jp"); sleep 15; j_rss15=$(rss_mib "$jp")
  echo "| $label | \`java -jar\`, no flags: resident MiB after the scrapes / 15 s after | $j_rss / $j_rss15 | | |"
  kill "$jp" 2>/dev/null || true

  if [ "$n" -gt 1000 ]; then
    # Recording into the history in a new process: alternate runs with and without it.
    data="$work/history-$n"
    "$root/dockerpulls" export --org bench --hub-url "$hub" --data-dir "$data" >/dev/null 2>&1
    : >"$work/with"; : >"$work/without"
    for i in $(seq "$runs"); do
      timed "$root/dockerpulls" export --org bench --hub-url "$hub" --data-dir "$data" >>"$work/with"
      timed "$root/dockerpulls" export --org bench --hub-url "$hub" --no-history >>"$work/without"
    done
    e_with=$(median <"$work/with"); e_without=$(median <"$work/without")
    echo "| $n | export of every repository, history on / \`--no-history\` (median of $runs), s | $(printf %.3f "$e_with") | $(printf %.3f "$e_without") (\`--no-history\`) | $(ratio "$e_with" "$e_without") |"
    echo "| $n | what recording into the history adds, s | $(echo "$e_with $e_without" | awk '{ printf "%.3f", $1 - $2 }') | | |"
    # Every repository beside one, against a Hub that answers in 50 ms, the history on.
    slow_port=$(free_port)
    "$py" "$bench/fake_hub.py" --port "$slow_port" --repos "$n" --delay-ms 50 & pids="$pids $!"
    wait_for "http://127.0.0.1:$slow_port/v2/namespaces/bench/repositories?page_size=1"
    slow="http://127.0.0.1:$slow_port"
    s_all=$(for i in $(seq "$runs"); do timed "$root/dockerpulls" export --org bench --hub-url "$slow" --data-dir "$work/slow-all"; done | median)
    s_one=$(for i in $(seq "$runs"); do timed "$root/dockerpulls" export --repo bench/repo-00001 --hub-url "$slow" --data-dir "$work/slow-one"; done | median)
    echo "| $n | Hub at 50 ms, history on: every repository / one (median of $runs), s | $(printf %.3f "$s_all") | $(printf %.3f "$s_one") (one repository) | $(ratio "$s_all" "$s_one") |"
    echo "| $n | what the other repositories add, s | $(echo "$s_all $s_one" | awk '{ printf "%.3f", $1 - $2 }') | | |"
  fi

  if [ "$n" = "$(echo $repos_list | awk '{ print $1 }')" ]; then
    # Start-up as an installed dockerpulls starts: the tarball's launcher with its CDS archive
    # (the first run writes the archive), not the checkout's wrapper, which checks sources first.
    mkdir -p "$work/installed"
    tar xzf "$root"/distribution/target/dockerpulls-*.tar.gz -C "$work/installed"
    launcher=$(ls "$work"/installed/*/bin/dockerpulls)
    "$launcher" export --repo bench/repo-00001 --hub-url "$hub" --no-history >/dev/null 2>&1
    t_start=$(for i in $(seq "$runs"); do timed "$launcher" export --repo bench/repo-00001 --hub-url "$hub" --no-history; done | median)
    d_start=$(for i in $(seq "$runs"); do timed "$root/dockerpulls" export --repo bench/repo-00001 --hub-url "$hub" --no-history; done | median)
    p_start=$(for i in $(seq "$runs"); do timed env DOCKERHUB_API_URL="$hub" "$py" "$bench/oneshot.py" bench/repo-00001; done | median)
    v_start=$(for i in $(seq "$runs"); do timed "$root/dockerpulls" --version; done | median)
    echo "| 1 | one repository, start to exit (median of $runs), s | $(printf %.3f "$d_start") | $(printf %.3f "$p_start") (Python one-shot) | $(ratio "$d_start" "$p_start") |"
    echo "| - | \`--version\` (median of $runs), s | $(printf %.3f "$v_start") | | |"
    j_floor=$(for i in $(seq "$runs"); do timed java -version; done | median)
    echo "| 1 | one repository through the tarball's launcher, beside \`java -version\` (median of $runs), s | $(printf %.3f "$t_start") | $(printf %.3f "$j_floor") (\`java -version\`) | $(ratio "$t_start" "$j_floor") |"
  fi
  kill "$fl" 2>/dev/null || true
done

if [ "$history" != 0 ]; then
  printf '\n| history | what | dockerpulls | Python script (bench/history_yardsticks.py) | ratio |\n|---|---|---|---|---|\n'
  jar="$root/distribution/target/dockerpulls.jar"
  # The launcher's flags with the heap held to 64 MB, as in docs/benchmarks.md.
  heap="-XX:MaxRAM=256m -Xmx64m -XX:+UseSerialGC -XX:TieredStopAtLevel=1"
  year="$work/history-year"
  (cd "$root" && ./mvnw -q -B -DskipTests -Dspotless.check.skip=true install -pl history -am \
    && ./mvnw -q -B -pl history exec:java \
      -Dexec.mainClass=io.github.dockerpulls.history.benchmark.HistoryBenchmark \
      -Dexec.classpathScope=test -Dexec.args="5000 365 $year") >"$work/fill.log" 2>&1 \
    || { echo "compare.sh: filling the history failed, see below" >&2; cat "$work/fill.log" >&2; exit 1; }
  r_dp=$(timed java $heap -jar "$jar" report --org bigorg --since 1y --by day -f json \
    --data-dir "$year" -o "$work/report.json")
  set -- $("$py" "$bench/history_yardsticks.py" report "$year/dockerpulls.db" bigorg "$work/report-py.json")
  r_py=$1
  echo "| 5000 x 1y | \`report --by day -f json\`, 64 MB heap, s | $(printf %.3f "$r_dp") | $(printf %.3f "$r_py") | $(ratio "$r_dp" "$r_py") |"

  api_port=$(free_port)
  java $heap -jar "$jar" serve --org bigorg --data-dir "$year" --port "$api_port" \
    --listen-address 127.0.0.1 --hub-url http://127.0.0.1:9 --interval 1h >"$work/serve-year.log" 2>&1 &
  api=$!; pids="$pids $api"
  wait_for "http://127.0.0.1:$api_port/-/healthy"
  a_dp=$(timed curl -fsS -o "$work/api.json" "http://127.0.0.1:$api_port/api/v1/history?org=bigorg&since=1y&by=day")
  a_rss=$(rss_mib "$api")
  kill "$api" 2>/dev/null || true
  echo "| 5000 x 1y | \`/api/v1/history?by=day\`, 64 MB heap, s (resident MiB after: $a_rss) | $(printf %.3f "$a_dp") | $(printf %.3f "$r_py") | $(ratio "$a_dp" "$r_py") |"

  series=200; days=3
  start=$("$py" "$bench/history_yardsticks.py" openmetrics "$work/flask.om" "$series" "$days")
  promtool tsdb create-blocks-from openmetrics "$work/flask.om" "$work/prometheus" >"$work/promtool.log" 2>&1
  prom_port=$(free_port)
  printf 'global:\n  scrape_interval: 1m\n' >"$work/prometheus.yml"
  prometheus --config.file="$work/prometheus.yml" --storage.tsdb.path="$work/prometheus" \
    --storage.tsdb.retention.time=3650d --web.listen-address="127.0.0.1:$prom_port" \
    --log.level=warn >"$work/prometheus.log" 2>&1 & pids="$pids $!"
  wait_for "http://127.0.0.1:$prom_port/-/ready"
  since=$(date -u -d "@$start" +%Y-%m-%dT%H:%M:%SZ)
  p_dp=$(timed java $heap -jar "$jar" import prometheus --prometheus-url "http://127.0.0.1:$prom_port" \
    --since "$since" --data-dir "$work/history-prometheus")
  set -- $("$py" "$bench/history_yardsticks.py" read-prometheus "http://127.0.0.1:$prom_port" "$start" "$days")
  p_py=$1 samples=$2
  echo "| $series x $days days | \`import prometheus\` of $samples samples, 64 MB heap, samples/s (Python: reading them) | $(echo "$samples $p_dp" | awk '{ printf "%.0f", $1 / $2 }') | $(echo "$samples $p_py" | awk '{ printf "%.0f", $1 / $2 }') | $(ratio "$p_py" "$p_dp") |"

  "$py" "$bench/history_yardsticks.py" trends "$work/trends.csv.gz" 1000000
  i_dp=$(timed java $heap -jar "$jar" import insights --file "$work/trends.csv.gz" \
    --data-dir "$work/history-insights")
  set -- $("$py" "$bench/history_yardsticks.py" read-trends "$work/trends.csv.gz")
  i_py=$1 rows=$2
  echo "| 1,000,000 rows | \`import insights --file\`, 64 MB heap, rows/s (Python: csv reading them) | $(echo "$rows $i_dp" | awk '{ printf "%.0f", $1 / $2 }') | $(echo "$rows $i_py" | awk '{ printf "%.0f", $1 / $2 }') | $(ratio "$i_py" "$i_dp") |"
fi
