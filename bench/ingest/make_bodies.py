#!/usr/bin/env python3
"""Writes the bench bodies: examples/requests/pull_request.opened.json with its
pull_request.body padded to an exact size, compact as GitHub sends it.

Usage: make_bodies.py OUT_DIR [SIZE...]   (default sizes 4096 25600; files pr-<SIZE>.json)

Deterministic: the padding is a fixed PR description (Markdown with a code block, quotes,
a checklist and a few non-ASCII characters, so the JSON escapes and UTF-8 paths are exercised)
repeated and cut, then trimmed a character at a time until the file has exactly SIZE bytes.
"""
import json
import os
import sys

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
SOURCE = os.path.join(ROOT, "examples", "requests", "pull_request.opened.json")

PARAGRAPH = (
    "## Summary\n"
    "Retries in the payment client were unbounded: a flapping upstream turned one failed "
    "charge into a storm. This caps them at 3 with full jitter — see the \"retry budget\" "
    "design note (café-review, 2026).\n\n"
    "```go\n"
    "budget := retry.NewBudget(retry.Options{Max: 3, Jitter: retry.Full})\n"
    "if err := budget.Do(ctx, func() error { return client.Charge(ctx, req) }); err != nil {\n"
    "\treturn fmt.Errorf(\"charge %s: %w\", req.ID, err)\n"
    "}\n"
    "```\n\n"
    "- [x] unit tests for the budget\n"
    "- [x] dashboards updated\n"
    "- [ ] load test in staging\n\n"
)


def encode(payload):
    return json.dumps(payload, ensure_ascii=False, separators=(",", ":")).encode("utf-8")


def padded(base, size):
    payload = json.loads(json.dumps(base))
    intro = payload["pull_request"]["body"] + "\n\n"
    text = intro + PARAGRAPH * (size // len(PARAGRAPH) + 2)
    # Cut to roughly the right length, then trim one character at a time (escapes and
    # multi-byte characters make the encoded length move by more than one sometimes).
    overhead = len(encode(payload)) - len(payload["pull_request"]["body"])
    text = text[: max(0, size - overhead)]
    while True:
        payload["pull_request"]["body"] = text
        length = len(encode(payload))
        if length == size:
            return encode(payload)
        if length < size:
            # Short by a byte or two after a multi-byte cut: pad with spaces.
            text += " " * (size - length)
        else:
            text = text[:-1]


def main():
    if len(sys.argv) < 2:
        sys.exit(__doc__)
    out_dir = sys.argv[1]
    sizes = [int(s) for s in sys.argv[2:]] or [4096, 25600]
    with open(SOURCE, "rb") as f:
        base = json.load(f)
    os.makedirs(out_dir, exist_ok=True)
    for size in sizes:
        path = os.path.join(out_dir, "pr-%d.json" % size)
        with open(path, "wb") as f:
            f.write(padded(base, size))
        print(path)


if __name__ == "__main__":
    main()
