import os, sys, requests
hub = os.environ.get("DOCKERHUB_API_URL", "https://hub.docker.com")
r = requests.get("%s/v2/namespaces/%s/repositories/%s" % ((hub,) + tuple(sys.argv[1].split("/"))), timeout=30).json()
print("%s/%s %d" % (r["namespace"], r["name"], r["pull_count"]))
