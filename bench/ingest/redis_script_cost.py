#!/usr/bin/env python3
"""What Redis itself spends per publish (bench/README.md, issue 3 follow-up).

Starts a redis-server (appendonly yes, appendfsync everysec) on a free port, pipelines
calls of 4.3 KB payloads from one connection, 1, 8 and 32 per round trip, and prints Redis's
CPU microseconds per call (from /proc/<pid>/stat) for: a plain XADD, EVALSHA of a script
doing only that XADD, the same plus one SET, the sidecar's real publish script, and its
batch script carrying the round trip's events in one call (both read from
common/queue/redis/redis_scripts.cc). Usage: python3 bench/ingest/redis_script_cost.py
"""
import hashlib
import os
import re
import socket
import subprocess
import sys
import tempfile
import time

CALLS = 20000
BODY = "x" * 4300


def encode(*args):
    out = [b"*%d\r\n" % len(args)]
    for a in args:
        a = a.encode() if isinstance(a, str) else a
        out.append(b"$%d\r\n%s\r\n" % (len(a), a))
    return b"".join(out)


def main():
    source = open(os.path.join(os.path.dirname(__file__), "../../common/queue/redis/redis_scripts.cc")).read()
    lua = lambda name: re.search(name + r' = R"lua\((.*?)\)lua";', source, re.S).group(1)
    publish = lua("kPublishOne") + lua("kPublish")
    publish_batch = lua("kPublishOne") + lua("kPublishBatch")
    probe = socket.socket()
    probe.bind(("127.0.0.1", 0))
    port = probe.getsockname()[1]
    probe.close()
    work = tempfile.mkdtemp(prefix="aof-redis-cost.")
    server = subprocess.Popen(["redis-server", "--port", str(port), "--bind", "127.0.0.1",
                               "--dir", work, "--appendonly", "yes", "--appendfsync", "everysec",
                               "--save", "", "--logfile", work + "/redis.log"])
    try:
        for _ in range(100):
            try:
                conn = socket.create_connection(("127.0.0.1", port))
                break
            except OSError:
                time.sleep(0.05)

        def round_trip(calls, lines=None):
            conn.sendall(b"".join(calls))
            buf = b""
            # Every reply here is a bulk string (two lines), or an array of them (batch).
            while buf.count(b"\r\n") < (lines or 2 * len(calls)):
                buf += conn.recv(1 << 20)
            if buf.startswith(b"-") or b"\r\n-" in buf:
                sys.exit("redis error: %r" % buf[:200])

        def cpu_us():
            fields = open("/proc/%d/stat" % server.pid).read().split()
            return (int(fields[13]) + int(fields[14])) * 1e6 / os.sysconf("SC_CLK_TCK")

        scripts = {
            "EVALSHA: XADD": "redis.call('XADD', KEYS[1], '*', 'e', ARGV[1]) return 'accepted'",
            "EVALSHA: XADD + SET": "redis.call('XADD', KEYS[1], '*', 'e', ARGV[1]) "
                                   "redis.call('SET', KEYS[2], ARGV[2]) return 'accepted'",
            "EVALSHA: publish script": publish,
        }
        print("%-26s %8s %14s" % ("call", "batch", "redis us/call"))
        for batch in (1, 8, 32):
            cases = [("plain XADD", lambda i: encode("XADD", "plain", "*", "e", BODY))]
            for name, script in scripts.items():
                sha = hashlib.sha1(script.encode()).hexdigest()
                round_trip([encode("SCRIPT", "LOAD", script)], 1)
                tag = "%s-%d" % (sha[:8], batch)
                if name.endswith("publish script"):
                    make = lambda i, sha=sha, tag=tag: encode(
                        "EVALSHA", sha, "8", "s:" + tag, "idx:%s:%d" % (tag, i),
                        "dedup:%s:%d" % (tag, i), "dlv:%s:%d" % (tag, i), "delayed", "env",
                        "dlq", "results", BODY, "0", "ev%d" % i, "86400000", "1", "1", "g",
                        "1000000")
                else:
                    make = lambda i, sha=sha, tag=tag: encode(
                        "EVALSHA", sha, "2", "s:" + tag, "k:%s:%d" % (tag, i), BODY, "v")
                cases.append((name, make))
            # The batch script carrying the round trip's `batch` events in one call.
            sha = hashlib.sha1(publish_batch.encode()).hexdigest()
            round_trip([encode("SCRIPT", "LOAD", publish_batch)], 1)
            tag = "%s-%d" % (sha[:8], batch)

            def make_batch(i, sha=sha, tag=tag, k=batch):
                keys = ["s:" + tag, "delayed", "env", "dlq", "results"]
                args = ["g", "86400000", "1000000"]
                for j in range(i, i + k):
                    keys += ["idx:%s:%d" % (tag, j), "dedup:%s:%d" % (tag, j), "dlv:%s:%d" % (tag, j)]
                    args += [BODY, "0", "ev%d" % j, "1", "1"]
                return encode("EVALSHA", sha, str(len(keys)), *keys, *args)
            cases.append(("EVALSHA: publish_batch", make_batch))
            for name, make in cases:
                before = cpu_us()
                for i in range(0, CALLS, batch):
                    if name.endswith("publish_batch"):
                        round_trip([make(i)], 1 + 2 * batch)
                    else:
                        round_trip([make(i + j) for j in range(batch)])
                print("%-26s %8d %14.1f" % (name, batch, (cpu_us() - before) / CALLS))
    finally:
        server.terminate()
        server.wait()
        subprocess.run(["rm", "-rf", work])


if __name__ == "__main__":
    main()
