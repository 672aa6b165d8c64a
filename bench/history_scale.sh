#!/bin/sh
# The history's read paths at 5,000 repositories x 1 year by day, in the launcher's default heap
# (held to 64 MB), against the history HistoryBenchmark fills (docs/benchmarks.md):
#   report -f json|csv|table, and /api/v1/history from a running serve, with 20 clients that ask
#   for the same answer and never read it while /-/healthy is probed.
# Usage: bench/history_scale.sh HISTORY_DIR [JAR]
set -eu
dir=${1:?usage: bench/history_scale.sh HISTORY_DIR [JAR]}
jar=${2:-distribution/target/dockerpulls.jar}
# The launcher's flags, with the heap held to 64 MB: -XX:MaxRAM=256m alone gives JDK 17 a 126 MB
# heap (MinRAMPercentage applies on such small machines).
heap="-XX:MaxRAM=256m -Xmx64m -XX:+UseSerialGC -XX:TieredStopAtLevel=1"
out=$(mktemp -d)
trap 'kill $serve 2>/dev/null || true; rm -rf "$out"' EXIT INT TERM

for f in json csv table; do
  /usr/bin/time -f "report -f $f, 5,000 repositories x 1y by day: %e s, max RSS %M KB" \
    java $heap -Xlog:gc:file="$out/gc-$f.log" -jar "$jar" report --org bigorg --since 1y --by day \
    -f "$f" --data-dir "$dir" > "$out/report.$f"
  python3 - "$out/gc-$f.log" "$out/report.$f" <<'PY'
import re, sys, os
peak = max([int(m.group(1)) for m in (re.search(r'(\d+)M->\d+M\(\d+M\)', l) for l in open(sys.argv[1])) if m] or [0])
print(f"  peak heap before a collection: {peak} MB; output {os.path.getsize(sys.argv[2]) / 1e6:.1f} MB")
PY
done
python3 -c "import json,sys; d=json.load(open('$out/report.json')); print('  json parses:', len(d['repositories']), 'repositories,', len(d['repositories'][0]['series']), 'periods each')"

port=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])')
java $heap -jar "$jar" serve --org bigorg --data-dir "$dir" --port "$port" \
  --listen-address 127.0.0.1 --hub-url http://127.0.0.1:9 --interval 1h > "$out/serve.log" 2>&1 &
serve=$!
python3 - "$port" "$serve" <<'PY'
import socket, sys, time, urllib.request, threading
port, pid = int(sys.argv[1]), sys.argv[2]
base = f"http://127.0.0.1:{port}"
for _ in range(100):
    try:
        urllib.request.urlopen(base + "/-/healthy", timeout=1).read(); break
    except Exception:
        time.sleep(0.2)
def rss():
    for l in open(f"/proc/{pid}/status"):
        if l.startswith("VmRSS"): return int(l.split()[1]) // 1024
path = "/api/v1/history?org=bigorg&since=1y&by=day"
t = time.time(); body = urllib.request.urlopen(base + path, timeout=120).read(); took = time.time() - t
print(f"/api/v1/history 5,000 x 1y by day: 200, {len(body) / 1e6:.1f} MB in {took:.2f} s; resident {rss()} MiB")
PY
python3 - "$port" "$serve" <<'PY'
import socket, sys, time, urllib.request, urllib.error
port, pid = int(sys.argv[1]), sys.argv[2]
base = f"http://127.0.0.1:{port}"
t = time.time()
try:
    urllib.request.urlopen(base + "/api/v1/history?since=0001-01-01", timeout=5)
except urllib.error.HTTPError as e:
    print(f"since=0001-01-01: {e.code} in {(time.time() - t) * 1000:.0f} ms")
stuck = []
for _ in range(20):
    s = socket.create_connection(("127.0.0.1", port))
    s.setsockopt(socket.SOL_SOCKET, socket.SO_RCVBUF, 4096)
    s.sendall(b"GET /api/v1/history?org=bigorg&since=1y&by=day HTTP/1.1\r\nHost: x\r\n\r\n")
    stuck.append(s)
time.sleep(3)
worst = 0
for _ in range(50):
    t = time.time(); urllib.request.urlopen(base + "/-/healthy", timeout=5).read()
    worst = max(worst, time.time() - t); time.sleep(0.05)
rss = [int(l.split()[1]) // 1024 for l in open(f"/proc/{pid}/status") if l.startswith("VmRSS")][0]
print(f"20 clients that never read: /-/healthy worst of 50 {worst * 1000:.1f} ms; resident {rss} MiB")
for s in stuck: s.close()
PY
