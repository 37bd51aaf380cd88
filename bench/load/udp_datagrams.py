#!/usr/bin/env python3
"""UDP load for the NLB scenario: keeps WINDOW datagrams in flight to HOST:PORT for SECONDS, each answered by
the target with one datagram, and prints one line in wrk-summary.awk's shape: answered datagrams/s, p50 ms and
p99 ms of the round trip, lost datagrams, 0. One Python process tops out near a few tens of thousands a second,
so this measures the proxies only while they are slower than that; the report says so."""
import socket
import sys
import time

target, window, seconds = sys.argv[1], int(sys.argv[2]), float(sys.argv[3])
host, port = target.rsplit(":", 1)
sock = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
sock.connect((host, int(port)))
sock.settimeout(0.2)
sent, answered, lost, rtts = 0, 0, 0, []
in_flight = {}
deadline = time.monotonic() + seconds
while time.monotonic() < deadline:
    while len(in_flight) < window:
        sent += 1
        in_flight[sent] = time.monotonic()
        sock.send(sent.to_bytes(8, "big"))
    try:
        sock.recv(2048)
    except socket.timeout:
        # Nothing came back for 200 ms: count what is in flight as lost and start a new window.
        lost += len(in_flight)
        in_flight.clear()
        continue
    # The target answers "ok" without echoing the sequence number, so answers are matched oldest first.
    oldest = next(iter(in_flight))
    rtts.append(time.monotonic() - in_flight.pop(oldest))
    answered += 1
rtts.sort()
def pct(p):
    return rtts[min(len(rtts) - 1, int(len(rtts) * p))] * 1000 if rtts else 0
print(f"{answered / seconds:.0f}\t{pct(0.5):.2f}\t{pct(0.99):.2f}\t{lost}\t0")
