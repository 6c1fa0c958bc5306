"""Connection-exhaustion attackers and a legitimate client for
tests/e2e/bsf_dos.sh (python3 stdlib, asyncio; loopback only).

usage: attack.py MODE PORT PKI_DIR ARGS...
  idle SRC N SECONDS
      open N plain TCP connections from address SRC, send nothing, keep
      them until SECONDS have passed (no reconnect); print "held K" (the
      most that were open at once)
  churn SRC N SECONDS
      keep up to N plain TCP connections from SRC open, each reconnected
      as soon as the server closes it, for SECONDS; print "opened K"
  dribble SRC N SECONDS NAME
      keep up to N TLS connections from SRC with client certificate NAME,
      each sending one byte of a request head every 3 s, reconnected when
      the server closes it, for SECONDS; print "handshakes K"
  drip SRC NAME PART GAP SECONDS
      one TLS connection with certificate NAME; PART "head": send a
      request head one byte every GAP seconds; "body": the whole head
      (Content-Length 200) at once, then the body one byte every GAP s;
      "none": nothing (an idle authenticated connection);
      print "closed T" (seconds after the first byte) when the server
      closes it, "answered T" if it answers, or "open" after SECONDS
  legit SRC COUNT TIMEOUT NAME BODY [MAXFAIL [SECONDS [GAP]]]
      COUNT requests, one new TLS connection each, certificate NAME, each
      with a TIMEOUT-second budget; stop early after MAXFAIL (2) failures
      or SECONDS; GAP seconds between requests (0); print "served S of COUNT (A attempted)" (S = HTTP 200
      answers)
"""
import asyncio
import os
import ssl
import sys
import time

mode, port, pki = sys.argv[1], int(sys.argv[2]), sys.argv[3]
HOST = "127.0.0.1"


def tls_ctx(name):
    ctx = ssl.create_default_context(cafile=os.path.join(pki, "ca.pem"))
    ctx.load_cert_chain(os.path.join(pki, name + ".pem"),
                        os.path.join(pki, name + ".key"))
    return ctx


async def hold_until_closed(reader, end):
    try:
        await asyncio.wait_for(reader.read(1024), max(0.0, end - time.time()))
    except (asyncio.TimeoutError, OSError, ssl.SSLError):
        pass


async def idle(src, n, secs):
    end = time.time() + secs
    writers = []
    for _ in range(n):
        try:
            _, w = await asyncio.wait_for(asyncio.open_connection(
                HOST, port, local_addr=(src, 0)), 1.0)
            writers.append(w)
        except (OSError, asyncio.TimeoutError):
            pass
    await asyncio.sleep(max(0.0, end - time.time()))
    print("held %d" % len(writers))
    for w in writers:
        w.close()


async def churn_one(src, end, count):
    while time.time() < end:
        try:
            r, w = await asyncio.wait_for(asyncio.open_connection(
                HOST, port, local_addr=(src, 0)), 1.0)
        except (OSError, asyncio.TimeoutError):
            await asyncio.sleep(0.01)
            continue
        count[0] += 1
        await hold_until_closed(r, end)
        w.close()


async def dribble_one(src, end, ctx, count):
    head = b"POST /nbsp-gba/v1/push-info-retrieval HTTP/1.1\r\nHost: x\r\n"
    while time.time() < end:
        try:
            r, w = await asyncio.wait_for(asyncio.open_connection(
                HOST, port, local_addr=(src, 0), ssl=ctx,
                server_hostname="localhost"), 3.0)
        except (OSError, asyncio.TimeoutError, ssl.SSLError):
            await asyncio.sleep(0.05)
            continue
        count[0] += 1
        i = 0
        try:
            while time.time() < end:
                w.write(head[i % len(head):i % len(head) + 1])
                await w.drain()
                i += 1
                try:
                    d = await asyncio.wait_for(r.read(1024),
                                               min(3.0, max(0.01, end - time.time())))
                    if not d:
                        break
                except asyncio.TimeoutError:
                    pass
        except (OSError, ssl.SSLError):
            pass
        w.close()


async def many(n, secs, mk):
    end = time.time() + secs
    count = [0]
    await asyncio.gather(*(mk(end, count) for _ in range(n)))
    return count[0]


async def legit(src, count, timeout, name, body, maxfail, secs, gap):
    ctx = tls_ctx(name)
    req = (b"POST /nbsp-gba/v1/push-info-retrieval HTTP/1.1\r\nHost: x\r\n"
           b"Content-Type: application/json\r\nConnection: close\r\n"
           b"Content-Length: %d\r\n\r\n" % len(body)) + body
    served = failed = attempted = 0
    end = time.time() + secs

    async def one():
        r, w = await asyncio.open_connection(HOST, port, local_addr=(src, 0),
                                             ssl=ctx, server_hostname="localhost")
        w.write(req)
        await w.drain()
        line = await r.readline()
        w.close()
        return line.split(b" ")[1] if line.startswith(b"HTTP/1.1 ") else b""

    for _ in range(count):
        if time.time() >= end:
            break
        if attempted and gap:
            await asyncio.sleep(gap)
        attempted += 1
        try:
            st = await asyncio.wait_for(one(), timeout)
        except (OSError, ssl.SSLError, asyncio.TimeoutError, IndexError):
            st = b""
        if st == b"200":
            served += 1
        else:
            failed += 1
            if failed >= maxfail:
                break
    print("served %d of %d (%d attempted)" % (served, count, attempted))


async def drip(src, name, part, gap, secs):
    r, w = await asyncio.open_connection(HOST, port, local_addr=(src, 0),
                                         ssl=tls_ctx(name),
                                         server_hostname="localhost")
    head = (b"POST /nbsp-gba/v1/push-info-retrieval HTTP/1.1\r\nHost: x\r\n"
            b"Content-Type: application/json\r\nContent-Length: 200\r\n\r\n")
    if part == "none":
        try:
            got = await asyncio.wait_for(r.read(1024), secs)
            print("closed" if not got else "answered")
        except asyncio.TimeoutError:
            print("open")
        except (OSError, ssl.SSLError):
            print("closed")
        return
    if part == "head":
        drops = [head[i:i + 1] for i in range(len(head))]
    else:
        w.write(head)
        drops = [b" "] * 200
    t0 = time.time()
    for d in drops:
        if time.time() - t0 > secs:
            break
        try:
            w.write(d)
            await w.drain()
            got = await asyncio.wait_for(r.read(1024), gap)
            print("%s %.1f" % ("answered" if got else "closed", time.time() - t0))
            return
        except asyncio.TimeoutError:
            pass
        except (OSError, ssl.SSLError):
            print("closed %.1f" % (time.time() - t0))
            return
    print("open")


def main():
    a = sys.argv[4:]
    if mode == "idle":
        asyncio.run(idle(a[0], int(a[1]), float(a[2])))
    elif mode == "churn":
        print("opened %d" % asyncio.run(many(int(a[1]), float(a[2]),
                                             lambda e, c: churn_one(a[0], e, c))))
    elif mode == "dribble":
        ctx = tls_ctx(a[3])
        print("handshakes %d" % asyncio.run(many(int(a[1]), float(a[2]),
                                                 lambda e, c: dribble_one(a[0], e, ctx, c))))
    elif mode == "drip":
        asyncio.run(drip(a[0], a[1], a[2], float(a[3]), float(a[4])))
    elif mode == "legit":
        asyncio.run(legit(a[0], int(a[1]), float(a[2]), a[3], a[4].encode(),
                          int(a[5]) if len(a) > 5 else 2,
                          float(a[6]) if len(a) > 6 else 1e9,
                          float(a[7]) if len(a) > 7 else 0.0))
    else:
        sys.exit("unknown mode")


main()
