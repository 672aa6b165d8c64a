"""The reference: what the Flask exporter this project replaces does, for side-by-side figures.

On every scrape of /metrics it asks Docker Hub for the organization's repositories (following
the pages) and answers the docker_image_pulls gauge; DOCKERHUB_ORGANIZATION names the
organization, DOCKERHUB_API_URL the Hub (the fake one, in benchmarks), PORT the port (2113).
"""
import os

import requests
from flask import Flask, Response

app = Flask(__name__)
ORG = os.environ["DOCKERHUB_ORGANIZATION"]
HUB = os.environ.get("DOCKERHUB_API_URL", "https://hub.docker.com")


@app.route("/")
def index():
    return "Docker image pulls metric exporter is running"


@app.route("/metrics")
def metrics():
    lines = ["# HELP docker_image_pulls The total number of Docker image pulls",
             "# TYPE docker_image_pulls gauge"]
    url = "%s/v2/repositories/%s/?page_size=100" % (HUB, ORG)
    while url:
        r = requests.get(url, timeout=30)
        if r.status_code != 200:
            return Response("error\n", status=502)
        body = r.json()
        for repo in body["results"]:
            lines.append('docker_image_pulls{image="%s",organization="%s"} %d'
                         % (repo["name"], ORG, repo["pull_count"]))
        url = body.get("next")
    return Response("\n".join(lines) + "\n", mimetype="text/plain")


if __name__ == "__main__":
    app.run(host="127.0.0.1", port=int(os.environ.get("PORT", "2113")), threaded=True)
