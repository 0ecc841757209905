#!/usr/bin/env python3
"""JetStream stream messages and purges for bench/ingest/run.sh, over the plain NATS protocol
(no `nats` CLI in Debian 12): one request to the JetStream API, its JSON reply printed.

  nats_stream.py PORT count STREAM...   prints the message count of each stream
  nats_stream.py PORT purge STREAM...   purges each stream, prints what was purged
"""
import json
import socket
import sys


class Connection:
    def __init__(self, port):
        self.sock = socket.create_connection(("127.0.0.1", port), timeout=30)
        self.buffer = b""
        self.line()  # INFO
        self.sock.sendall(b'CONNECT {"verbose":false,"pedantic":false}\r\nSUB _INBOX.bench 1\r\n')

    def line(self):
        while b"\r\n" not in self.buffer:
            chunk = self.sock.recv(65536)
            if not chunk:
                raise SystemExit("nats_stream.py: the server closed the connection")
            self.buffer += chunk
        line, self.buffer = self.buffer.split(b"\r\n", 1)
        return line.decode()

    def payload(self, size):
        while len(self.buffer) < size + 2:
            self.buffer += self.sock.recv(65536)
        data, self.buffer = self.buffer[:size], self.buffer[size + 2:]
        return data

    def request(self, subject):
        self.sock.sendall(("PUB %s _INBOX.bench 0\r\n\r\n" % subject).encode())
        while True:
            line = self.line()
            if line.startswith("PING"):
                self.sock.sendall(b"PONG\r\n")
            elif line.startswith("MSG "):
                return json.loads(self.payload(int(line.split()[-1])))
            elif line.startswith("-ERR"):
                raise SystemExit("nats_stream.py: " + line)


def main():
    port, verb, streams = int(sys.argv[1]), sys.argv[2], sys.argv[3:]
    connection = Connection(port)
    for stream in streams:
        if verb == "count":
            reply = connection.request("$JS.API.STREAM.INFO." + stream)
            if "error" in reply:
                raise SystemExit("nats_stream.py: %s: %s" % (stream, reply["error"]))
            print(reply["state"]["messages"])
        elif verb == "purge":
            reply = connection.request("$JS.API.STREAM.PURGE." + stream)
            if not reply.get("success"):
                raise SystemExit("nats_stream.py: purging %s: %s" % (stream, reply))
            print(reply.get("purged", 0))
        else:
            raise SystemExit("nats_stream.py: unknown verb " + verb)


if __name__ == "__main__":
    main()
