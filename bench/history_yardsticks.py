"""Yardsticks for the history's paths in bench/compare.sh: what a short Python script does with the
same data, timed in the same run, and the inputs both read.

  trends FILE ROWS             write a Docker Hub Insights trends report (gzipped CSV) of ROWS rows
  read-trends FILE             read it with the csv module, summing pulls per repository and week
  openmetrics FILE SERIES DAYS write the Flask exporter's gauge as OpenMetrics, for promtool
  read-prometheus URL DAYS     read those samples back from Prometheus, a day of 5 minutes at a time
  report DB ORG OUT            read a history file's observations of ORG with sqlite3 and write each
                               repository's pulls per UTC day over the last year as JSON

Each reading command prints "SECONDS COUNT" on one line.
"""
import csv
import gzip
import io
import json
import sqlite3
import sys
import time
import urllib.request
from datetime import date, datetime, timedelta, timezone

SPLITS = [("US", "aws", "docker"), ("US", "gcp", "containerd"), ("DE", "no csp", "docker"),
          ("DE", "azure", "containerd"), ("IN", "aws", "docker"), ("GB", "no csp", "docker"),
          ("FR", "gcp", "docker"), ("BR", "aws", "containerd"), ("JP", "no csp", "docker"),
          ("CN", "azure", "docker")]


def trends(path, rows):
    weeks, tags = 10, 20
    repositories = max(1, rows // (weeks * tags * len(SPLITS)))
    today = date.today()
    last = today - timedelta(days=today.weekday()) - timedelta(weeks=1)
    with gzip.open(path, "wt", encoding="utf-8", newline="") as out:
        out.write("DATE_GRANULARITY,DATE_REFERENCE,PUBLISHER_NAME,IMAGE_REPOSITORY,NAMESPACE,"
                  "IP_COUNTRY,CLOUD_SERVICE_PROVIDER,USER_AGENT,TAG,DATA_DOWNLOADS,VERSION_CHECKS,"
                  "PULLS,UNIQUE_AUTHENTICATED_USERS,UNIQUE_UNAUTHENTICATED_USERS\n")
        for w in range(weeks - 1, -1, -1):
            week = (last - timedelta(weeks=w)).isoformat()
            for r in range(repositories):
                for t in range(tags):
                    for country, cloud, agent in SPLITS:
                        dl = (r * 31 + t * 7 + w) % 1000
                        vc = (r + t) % 300
                        out.write("weekly,%s,Big Org,bigorg/repo%d,bigorg,%s,%s,%s,1.%d.0,%d,%d,%d,1,3\n"
                                  % (week, r, country, cloud, agent, t, dl, vc, dl + vc))


def read_trends(path):
    start = time.time()
    pulls = {}
    rows = 0
    with gzip.open(path, "rt", encoding="utf-8", newline="") as f:
        for row in csv.DictReader(f):
            key = (row["IMAGE_REPOSITORY"], row["DATE_REFERENCE"])
            pulls[key] = pulls.get(key, 0) + int(row["PULLS"])
            rows += 1
    print("%.3f %d" % (time.time() - start, rows))


def openmetrics(path, series, days):
    end = int(datetime.now(timezone.utc).replace(hour=0, minute=0, second=0,
                                                 microsecond=0).timestamp())
    start = end - days * 86400
    with open(path, "w") as out:
        out.write("# TYPE docker_image_pulls gauge\n")
        for r in range(series):
            count = 1_000_000 * (r + 1)
            for t in range(start, end + 1, 300):
                out.write('docker_image_pulls{organization="bigorg",image="repo%d",'
                          'instance="flask:2113",job="flask"} %d %d\n' % (r, count, t))
                count += r % 7 + 1
        out.write("# EOF\n")
    print(start)


def read_prometheus(url, start, days):
    begin = time.time()
    samples = 0
    for d in range(days + 1):
        lo = start + d * 86400
        query = "query=docker_image_pulls&start=%d&end=%d&step=300" % (lo, lo + 86400 - 300)
        with urllib.request.urlopen(url + "/api/v1/query_range?" + query, timeout=120) as r:
            for s in json.load(r)["data"]["result"]:
                samples += len(s["values"])
    print("%.3f %d" % (time.time() - begin, samples))


def report(db, org, out_path):
    begin = time.time()
    con = sqlite3.connect("file:%s?mode=ro" % db, uri=True)
    names = dict(con.execute("SELECT id, name FROM repository WHERE namespace = ?", (org,)))
    until = int(time.time()) // 86400 * 86400 + 86400
    since = until - 366 * 86400
    days = list(range(since, until, 86400))
    values = 0
    # The newest observations are kept by time: read once, not once per repository.
    newest = {}
    for rid, at, growth in con.execute(
            "SELECT repository_id, observed_at, growth FROM recent ORDER BY observed_at"):
        newest.setdefault(rid, []).append((at, growth))
    with open(out_path, "w") as out:
        out.write('{"repositories":[')
        for n, (rid, name) in enumerate(sorted(names.items(), key=lambda x: x[1])):
            rows = con.execute(
                "SELECT observed_at, growth FROM observation WHERE repository_id = ? "
                "ORDER BY observed_at", (rid,)).fetchall() + newest.get(rid, [])
            series, i, at = [], 0, None
            for day in days:
                # the running total at the day's start: the last observation at or before it
                while i < len(rows) and rows[i][0] <= day:
                    at = rows[i][1]
                    i += 1
                series.append(at)
            pulls = [None if a is None or b is None else b - a for a, b in zip(series, series[1:])]
            values += len(pulls)
            out.write(("," if n else "") + json.dumps({
                "repository": org + "/" + name,
                "series": [{"start": datetime.fromtimestamp(d, timezone.utc).isoformat(),
                            "pulls": p} for d, p in zip(days, pulls)]}))
        out.write("]}\n")
    print("%.3f %d" % (time.time() - begin, values))


if __name__ == "__main__":
    cmd, args = sys.argv[1], sys.argv[2:]
    if cmd == "trends":
        trends(args[0], int(args[1]))
    elif cmd == "read-trends":
        read_trends(args[0])
    elif cmd == "openmetrics":
        openmetrics(args[0], int(args[1]), int(args[2]))
    elif cmd == "read-prometheus":
        read_prometheus(args[0], int(args[1]), int(args[2]))
    elif cmd == "report":
        report(args[0], args[1], args[2])
    else:
        sys.exit("unknown command " + cmd)
