"""A webhook receiver for the tests: a real HTTP server in a process of its own.

    python receiver.py PORT LOG [STATUS]

Appends one JSON line per POST to LOG (headers that matter and the body as received) and
answers STATUS (default 204). Stdlib only, like a subscriber's smallest possible endpoint.
"""

from __future__ import annotations

import json
import sys
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer


def main() -> None:
    port, log_path = int(sys.argv[1]), sys.argv[2]
    status = int(sys.argv[3]) if len(sys.argv) > 3 else 204

    class Handler(BaseHTTPRequestHandler):
        def do_POST(self) -> None:
            length = int(self.headers.get("Content-Length") or 0)
            body = self.rfile.read(length)
            entry = {
                "path": self.path,
                "event": self.headers.get("X-Rcphub-Event"),
                "delivery": self.headers.get("X-Rcphub-Delivery"),
                "signature": self.headers.get("X-Rcphub-Signature"),
                "content_type": self.headers.get("Content-Type"),
                "body": body.decode("utf-8"),
            }
            with open(log_path, "a", encoding="utf-8") as log:
                log.write(json.dumps(entry) + "\n")
            self.send_response(status)
            self.send_header("Content-Length", "0")
            self.end_headers()

        def log_message(self, *args: object) -> None:
            pass

    server = ThreadingHTTPServer(("127.0.0.1", port), Handler)
    print("ready", flush=True)
    server.serve_forever()


if __name__ == "__main__":
    main()
