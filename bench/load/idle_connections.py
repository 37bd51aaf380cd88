#!/usr/bin/env python3
"""Opens N keep-alive client connections to HOST:PORT, sends one GET on each and reads its response, so every
connection is past its first request and idle in the proxy, then prints "ready OPENED FAILED" and holds them
until its stdin closes. run.sh reads the proxy's resident memory before and while they are held."""
import socket
import sys

host, port, count = sys.argv[1], int(sys.argv[2]), int(sys.argv[3])
request = f"GET / HTTP/1.1\r\nHost: {host}:{port}\r\n\r\n".encode()
held, failed = [], 0
for _ in range(count):
    try:
        s = socket.create_connection((host, port), timeout=10)
        s.sendall(request)
        data = b""
        while b"\r\n\r\n" not in data:
            chunk = s.recv(65536)
            if not chunk:
                raise ConnectionError("closed before a response")
            data += chunk
        head, _, body = data.partition(b"\r\n\r\n")
        length = 0
        for line in head.split(b"\r\n")[1:]:
            name, _, value = line.partition(b":")
            if name.strip().lower() == b"content-length":
                length = int(value)
        while len(body) < length:
            chunk = s.recv(65536)
            if not chunk:
                raise ConnectionError("closed inside the body")
            body += chunk
        if not head.startswith(b"HTTP/1.1 2"):
            raise ConnectionError(head.split(b"\r\n")[0].decode(errors="replace"))
        held.append(s)
    except (OSError, ConnectionError, ValueError) as e:
        failed += 1
        if failed == 1:
            print(f"first failure: {e}", file=sys.stderr)
print(f"ready {len(held)} {failed}", flush=True)
sys.stdin.read()
for s in held:
    s.close()
