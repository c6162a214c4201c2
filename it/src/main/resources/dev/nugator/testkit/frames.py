#!/usr/bin/env python3
"""Raw Ethernet frames on one interface of the namespace this runs in (an AF_PACKET socket),
for the tests' L2 checks: what a user would see with tcpdump, frame by frame.

  frames.py send IFNAME HEX          send one frame, given whole (destination MAC first) in hex
  frames.py recv IFNAME SECONDS HEX  wait up to SECONDS for a frame that starts with HEX and
                                     print it in hex; exit 1 when none came

A VLAN tag the kernel took off into the packet's metadata (as it does on receive) is put back
in place from PACKET_AUXDATA, so a received frame reads as it was on the wire.
"""
import socket
import struct
import sys
import time

ETH_P_ALL = 0x0003
SOL_PACKET = 263
PACKET_AUXDATA = 8
TP_STATUS_VLAN_VALID = 1 << 4
TP_STATUS_VLAN_TPID_VALID = 1 << 6


def send(ifname, frame):
    with socket.socket(socket.AF_PACKET, socket.SOCK_RAW, 0) as s:
        s.bind((ifname, 0))
        s.send(frame)


def receive(ifname, seconds, prefix):
    with socket.socket(socket.AF_PACKET, socket.SOCK_RAW, socket.htons(ETH_P_ALL)) as s:
        s.setsockopt(SOL_PACKET, PACKET_AUXDATA, 1)
        s.bind((ifname, 0))
        print("ready", flush=True)
        until = time.monotonic() + seconds
        while True:
            left = until - time.monotonic()
            if left <= 0:
                return None
            s.settimeout(left)
            try:
                data, ancillary, _, address = s.recvmsg(65536, socket.CMSG_SPACE(20))
            except socket.timeout:
                return None
            if address[2] == socket.PACKET_OUTGOING:
                continue
            frame = with_tag(data, ancillary)
            if frame.startswith(prefix):
                return frame


def with_tag(data, ancillary):
    for level, kind, value in ancillary:
        if level == SOL_PACKET and kind == PACKET_AUXDATA and len(value) >= 20:
            status, _, _, _, _, tci, tpid = struct.unpack("IIIHHHH", value[:20])
            if status & TP_STATUS_VLAN_VALID:
                if not status & TP_STATUS_VLAN_TPID_VALID:
                    tpid = 0x8100
                return data[:12] + struct.pack("!HH", tpid, tci) + data[12:]
    return data


def main(argv):
    if len(argv) == 4 and argv[1] == "send":
        send(argv[2], bytes.fromhex(argv[3]))
        return 0
    if len(argv) == 5 and argv[1] == "recv":
        frame = receive(argv[2], float(argv[3]), bytes.fromhex(argv[4]))
        if frame is None:
            return 1
        print(frame.hex(), flush=True)
        return 0
    print(__doc__, file=sys.stderr)
    return 2


if __name__ == "__main__":
    sys.exit(main(sys.argv))
