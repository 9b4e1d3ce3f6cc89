"""Sends COUNT DNS A queries for NAME to SERVER one after another (UDP, each waiting for its answer, 1 s timeout
each) and prints the median and 99th percentile round trip in microseconds: `p50 p99`."""
import socket
import struct
import sys
import time

server, name, count = sys.argv[1], sys.argv[2], int(sys.argv[3])
question = b"".join(bytes([len(p)]) + p.encode() for p in name.split(".")) + b"\0" + struct.pack(">HH", 1, 1)
s = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
s.settimeout(1.0)
s.connect((server, 53))
times = []
for i in range(count):
    query = struct.pack(">HHHHHH", i & 0xFFFF, 0x0100, 1, 0, 0, 0) + question
    start = time.perf_counter_ns()
    s.send(query)
    answer = s.recv(512)
    times.append((time.perf_counter_ns() - start) / 1000)
    if answer[:2] != query[:2] or struct.unpack(">H", answer[6:8])[0] != 1:
        sys.exit(f"bad answer to query {i}")
times.sort()
print(f"{times[len(times) // 2]:.0f} {times[len(times) * 99 // 100]:.0f}")
