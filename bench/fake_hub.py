"""A fake Docker Hub for benchmarks: one organization of N repositories on loopback.

Serves the listing both ways the exporters ask for it (/v2/namespaces/ORG/repositories and the
legacy /v2/repositories/ORG/), pages of up to 100, and single repositories. Every answer can be
held back by --delay-ms, as a distant server would. Each answer is encoded once and kept: made
anew for every request, ten pages asked at once took Python's one interpreter lock about 50 ms
to make, so a "50 ms" Hub answered them in 100 ms.
"""
import argparse
import json
import threading
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from urllib.parse import parse_qs, urlparse


def main():
    p = argparse.ArgumentParser()
    p.add_argument("--port", type=int, required=True)
    p.add_argument("--org", default="bench")
    p.add_argument("--repos", type=int, default=45)
    p.add_argument("--delay-ms", type=int, default=0)
    a = p.parse_args()

    def repo(i):
        return {
            "name": "repo-%05d" % i,
            "namespace": a.org,
            "repository_type": "image",
            "status": 1,
            "description": "benchmark repository %d" % i,
            "is_private": False,
            "star_count": i % 50,
            "pull_count": 1_000_000 + 7919 * i,
            "last_updated": "2026-11-20T08:15:30.123456Z",
            "date_registered": "2019-01-01T00:00:00Z",
            "affiliation": "",
            "media_types": ["application/vnd.docker.container.image.v1+json"],
            "content_types": ["image"],
        }

    answers = {}
    answers_lock = threading.Lock()

    def encoded(key, make):
        with answers_lock:
            data = answers.get(key)
        if data is None:
            data = json.dumps(make()).encode()
            with answers_lock:
                answers[key] = data
        return data

    class Handler(BaseHTTPRequestHandler):
        protocol_version = "HTTP/1.1"
        # The head and the body go out in two writes: with Nagle's algorithm on, the body then
        # waits for the client's delayed acknowledgement of the head, 40 ms on Linux, which a
        # client would be charged for on every request.
        disable_nagle_algorithm = True

        def log_message(self, *args):
            pass

        def answer(self, code, body):
            self.send_bytes(code, json.dumps(body).encode())

        def send_bytes(self, code, data):
            if a.delay_ms:
                time.sleep(a.delay_ms / 1000)
            self.send_response(code)
            self.send_header("Content-Type", "application/json")
            self.send_header("Content-Length", str(len(data)))
            self.end_headers()
            self.wfile.write(data)

        def do_GET(self):
            url = urlparse(self.path)
            q = parse_qs(url.query)
            parts = [x for x in url.path.split("/") if x]
            # /v2/namespaces/ORG/repositories[/NAME] or /v2/repositories/ORG[/NAME]
            if parts[:2] == ["v2", "namespaces"] and len(parts) >= 4 and parts[3] == "repositories":
                ns, name = parts[2], parts[4] if len(parts) > 4 else None
                base = "/v2/namespaces/%s/repositories" % ns
            elif parts[:2] == ["v2", "repositories"] and len(parts) >= 3:
                ns, name = parts[2], parts[3] if len(parts) > 3 else None
                base = "/v2/repositories/%s/" % ns
            else:
                return self.answer(404, {"message": "object not found", "errinfo": {}})
            if ns != a.org:
                return self.answer(404, {"message": "object not found", "errinfo": {}})
            if name is not None:
                i = int(name.split("-")[-1]) if name.startswith("repo-") else -1
                if not 0 <= i < a.repos:
                    return self.answer(404, {"message": "object not found", "errinfo": {}})
                return self.send_bytes(
                    200, encoded(("repo", i), lambda: dict(repo(i), collaborator_count=0)))
            page = int(q.get("page", ["1"])[0])
            size = min(100, int(q.get("page_size", ["10"])[0]))
            first = (page - 1) * size
            if first >= a.repos and page > 1:
                return self.answer(404, {"message": "object not found", "errinfo": {}})

            def listing():
                items = [repo(i) for i in range(first, min(a.repos, first + size))]
                more = first + size < a.repos
                host = "http://127.0.0.1:%d" % a.port
                nxt = "%s%s?page=%d&page_size=%d" % (host, base, page + 1, size) if more else None
                return {"count": a.repos, "next": nxt, "previous": None, "results": items}

            return self.send_bytes(200, encoded((base, page, size), listing))

    class Server(ThreadingHTTPServer):
        # socketserver listens with a backlog of 5: ten clients connecting at once then lose
        # SYNs and wait a second for the retransmission, which would be measured as the client's.
        request_queue_size = 128

    Server(("127.0.0.1", a.port), Handler).serve_forever()


if __name__ == "__main__":
    main()
