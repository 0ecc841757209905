#!/usr/bin/env python3
"""Sends signed GitHub pull_request.opened webhooks and waits until workers finished them.

bench/e2e/run.sh's load generator (bench/README.md). Sends --events webhooks, each with a
fresh X-GitHub-Delivery, over --connections keep-alive connections, as fast as they are
answered or paced at --rate per second; then polls the workers' /metrics (the sum of
aof_worker_events_total{outcome="succeeded"} over every --metrics URL) until all of them ran.
Prints one JSON object: events, non_202, send_secs, total_secs (first send → last finished,
measured by polling every 50 ms) and events_per_sec = events / total_secs.
"""
import argparse
import hashlib
import hmac
import http.client
import json
import re
import sys
import threading
import time
import urllib.request
import uuid

SUCCEEDED = re.compile(r'^aof_worker_events_total\{outcome="succeeded"\} (\d+)$', re.M)


def succeeded(urls):
    total = 0
    for url in urls:
        with urllib.request.urlopen(url, timeout=10) as reply:
            total += sum(int(n) for n in SUCCEEDED.findall(reply.read().decode()))
    return total


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--port", type=int, required=True)
    parser.add_argument("--events", type=int, required=True)
    parser.add_argument("--rate", type=float, default=0, help="per second; 0 = as fast as answered")
    parser.add_argument("--connections", type=int, default=16)
    parser.add_argument("--metrics", action="append", required=True)
    parser.add_argument("--secret", required=True)
    parser.add_argument("--body", required=True)
    parser.add_argument("--timeout", type=float, default=600)
    args = parser.parse_args()

    body = open(args.body, "rb").read()
    signature = "sha256=" + hmac.new(args.secret.encode(), body, hashlib.sha256).hexdigest()
    before = succeeded(args.metrics)
    next_index = iter(range(args.events))
    lock = threading.Lock()
    non_202 = []
    start = time.monotonic()

    def sender():
        connection = http.client.HTTPConnection("127.0.0.1", args.port, timeout=30)
        while True:
            with lock:
                i = next(next_index, None)
            if i is None:
                return
            if args.rate > 0:
                delay = start + i / args.rate - time.monotonic()
                if delay > 0:
                    time.sleep(delay)
            connection.request("POST", "/webhook/github", body, {
                "Content-Type": "application/json",
                "X-GitHub-Event": "pull_request",
                "X-GitHub-Delivery": str(uuid.uuid4()),
                "X-Hub-Signature-256": signature,
            })
            reply = connection.getresponse()
            reply.read()
            if reply.status != 202:
                with lock:
                    non_202.append(reply.status)

    threads = [threading.Thread(target=sender) for _ in range(args.connections)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    sent = time.monotonic()
    accepted = args.events - len(non_202)
    while succeeded(args.metrics) - before < accepted:
        if time.monotonic() - start > args.timeout:
            print(f"drive.py: only {succeeded(args.metrics) - before} of {accepted} events ran "
                  f"within {args.timeout} s", file=sys.stderr)
            return 1
        time.sleep(0.05)
    done = time.monotonic()
    print(json.dumps({
        "events": accepted,
        "non_202": len(non_202),
        "send_secs": round(sent - start, 3),
        "total_secs": round(done - start, 3),
        "events_per_sec": round(accepted / (done - start), 1),
    }))
    return 0


if __name__ == "__main__":
    sys.exit(main())
