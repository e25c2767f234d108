#!/usr/bin/env python3
"""Freshness simulation: five-minute cron cycles on an accelerated clock, driving the real jars.

Each simulated slot runs the cycle of crontab-notes.md (fetch -> predict -> publish with --data-interval-end on the
simulated clock, exit 3/4 retried twice, fallback when a job fails for good), then the freshness check
(`publish.jar status --max-age 10m`). The store is the S3 test server behind a local proxy that can answer
`503 SlowDown`; alerts go to a local webhook receiver. A scripted schedule injects faults. Every simulated minute,
data age = that minute - data_interval_end of the latest/manifest.json the backend would read (as printed by
`publish.jar status`); a minute is flagged when the manifest is stale or the status check exits 6.

Limit: status measures its --max-age against the real clock, which runs much slower than the simulated one, so in
this simulation a status exit 6 comes from the manifest's stale flag; the age rule is applied by reading the same
manifest (data_interval_end) on the simulated clock.

Usage: source testenv/run/env.sh; python3 faults/freshness.py --cycles 288 --out target/freshness
Only the standard library.
"""
import argparse
import gzip
import http.client
import http.server
import json
import os
import random
import secrets
import shutil
import socketserver
import subprocess
import sys
import threading
import time
import urllib.parse
from xml.etree import ElementTree
from datetime import datetime, timedelta, timezone
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
SLOT = 300
MAX_AGE = 600

# Distinctive test credentials: the secrets scan looks for them in every log, alert and stored object.
S3_SECRET = "sl-s3-secret-" + secrets.token_hex(12)
HOOK_TOKEN = "sl-hook-token-" + secrets.token_hex(12)


def iso(t):
    return t.strftime("%Y-%m-%dT%H:%M:%SZ")


# ---------------------------------------------------------------- local servers

class Alerts(http.server.BaseHTTPRequestHandler):
    received = []

    def do_POST(self):
        body = self.rfile.read(int(self.headers.get("Content-Length", 0))).decode("utf-8", "replace")
        Alerts.received.append({"path": self.path, "body": body})
        self.send_response(200)
        self.end_headers()

    def log_message(self, *args):
        pass


class S3Proxy(http.server.BaseHTTPRequestHandler):
    """Forwards to the S3 server; while `failing` is set, answers every request 503 SlowDown with S3's error body."""
    upstream = None
    failing = False
    protocol_version = "HTTP/1.1"

    def _handle(self):
        length = int(self.headers.get("Content-Length", 0) or 0)
        body = self.rfile.read(length) if length else None
        if S3Proxy.failing:
            payload = (b'<?xml version="1.0" encoding="UTF-8"?>\n<Error><Code>SlowDown</Code>'
                       b'<Message>Please reduce your request rate.</Message><RequestId>sim</RequestId></Error>')
            self.send_response(503)
            self.send_header("Content-Type", "application/xml")
            self.send_header("Content-Length", str(len(payload)))
            self.end_headers()
            if self.command != "HEAD":  # an answer to HEAD has no body (else the next answer on the connection is garbled)
                self.wfile.write(payload)
            return
        if self.headers.get("Transfer-Encoding", "").lower() == "chunked":
            body = self._read_chunked()
        conn = http.client.HTTPConnection(S3Proxy.upstream.hostname, S3Proxy.upstream.port, timeout=60)
        headers = {k: v for k, v in self.headers.items() if k.lower() not in ("transfer-encoding", "connection")}
        if body is not None:
            headers["Content-Length"] = str(len(body))
        conn.request(self.command, self.path, body=body, headers=headers)
        resp = conn.getresponse()
        data = resp.read()
        self.send_response(resp.status)
        for k, v in resp.getheaders():
            if k.lower() not in ("transfer-encoding", "connection", "content-length"):
                self.send_header(k, v)
        self.send_header("Content-Length", str(len(data)))
        self.end_headers()
        if self.command != "HEAD":
            self.wfile.write(data)
        conn.close()

    def _read_chunked(self):
        out = b""
        while True:
            size = int(self.rfile.readline().split(b";")[0], 16)
            if size == 0:
                self.rfile.readline()
                return out
            out += self.rfile.read(size)
            self.rfile.readline()

    do_GET = do_PUT = do_POST = do_DELETE = do_HEAD = _handle

    def log_message(self, *args):
        pass


def serve(handler):
    server = socketserver.ThreadingTCPServer(("127.0.0.1", 0), handler)
    server.daemon_threads = True
    threading.Thread(target=server.serve_forever, daemon=True).start()
    return server


# ---------------------------------------------------------------- the jobs

class Jars:
    def __init__(self, out, env, dist):
        self.dist = dist
        self.java = os.path.join(os.environ.get("JAVA_HOME", "/usr"), "bin", "java")
        self.out = out
        self.env = env
        self.log = open(out / "jobs.log", "a", encoding="utf-8")
        (out / "cds").mkdir(exist_ok=True)

    def command(self, job, args):
        # C1 only, serial GC and a class-data archive per jar (built on first use): cuts each start by about half
        return [self.java, "-Xmx512m", "-XX:TieredStopAtLevel=1", "-XX:+UseSerialGC", "-XX:+AutoCreateSharedArchive",
                f"-XX:SharedArchiveFile={self.out / 'cds' / (job + '.jsa')}", "-Xlog:cds=off", "-Xlog:cds+dynamic=off",
                "-jar", str(self.dist / f"{job}.jar"), *args]

    def start(self, job, *args):
        self.log.write(f"$ {job} {' '.join(args)}\n")
        self.log.flush()
        return subprocess.Popen(self.command(job, args), env=self.env, stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                                text=True)

    def finish(self, proc):
        out, err = proc.communicate()
        self.log.write(out + err + f"-> exit {proc.returncode}\n")
        self.log.flush()
        return proc.returncode, out

    def run(self, job, *args):
        return self.finish(self.start(job, *args))


# ---------------------------------------------------------------- the simulation

def fault_schedule(cycles):
    """Slot index -> fault name. A short run (< 20 slots) gets one S3 outage; a longer one the whole schedule, spread
    out so that each fault's effect has passed before the next one starts."""
    if cycles < 20:
        return {cycles // 2: "s3-slowdown"} if cycles >= 3 else {}
    step = max(3, (cycles - 4) // 6)
    return {2: "source-down", 3: "source-down", 2 + step: "s3-slowdown", 2 + 2 * step: "corrupt-model",
            3 + 2 * step: "rollback-model", 2 + 3 * step: "kill-publish", 2 + 4 * step: "overlap-rerun"}


def write_updates(source, rng, ids, lo, hi, count=40):
    with open(source, "a", encoding="utf-8") as f:
        for _ in range(count):
            t = lo + timedelta(seconds=rng.uniform(1, (hi - lo).total_seconds()))
            f.write(json.dumps({"id": rng.choice(ids), "updated_at": iso(t), "tenure_months": rng.randint(1, 60),
                                "monthly_spend": round(rng.uniform(5, 200), 2), "support_tickets": rng.randint(0, 9),
                                "plan": rng.choice(["basic", "plus", "pro"]), "autopay": rng.random() < 0.5,
                                "region": rng.choice(["north", "south", "east", "west"])}) + "\n")


def main():
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--cycles", type=int, default=288, help="five-minute slots to simulate (288 = one day)")
    ap.add_argument("--out", type=Path, default=ROOT / "target" / "freshness")
    ap.add_argument("--seed", type=int, default=7)
    ap.add_argument("--dist", type=Path, default=ROOT / "dist", help="where fetch.jar, predict.jar, publish.jar are")
    a = ap.parse_args()
    endpoint = os.environ.get("SCORELINE_IT_S3_ENDPOINT")
    if not endpoint:
        sys.exit("SCORELINE_IT_S3_ENDPOINT is not set: source testenv/run/env.sh (a running S3 test server)")
    bucket = os.environ.get("SCORELINE_IT_S3_BUCKET", "scoreline-it")
    out = a.out
    shutil.rmtree(out, ignore_errors=True)
    out.mkdir(parents=True)
    rng = random.Random(a.seed)
    wall0, cpu0 = time.monotonic(), os.times()

    S3Proxy.upstream = urllib.parse.urlparse(endpoint)
    s3 = serve(S3Proxy)
    hooks = serve(Alerts)
    env = {k: v for k, v in os.environ.items() if not k.startswith("SCORELINE_")}
    env.update({
        "SCORELINE_STORE": f"s3://{bucket}/freshness-{secrets.token_hex(6)}",
        "SCORELINE_S3_ENDPOINT": f"http://127.0.0.1:{s3.server_address[1]}",
        "SCORELINE_S3_PATH_STYLE": "true", "SCORELINE_S3_REGION": "us-east-1",
        "AWS_ACCESS_KEY_ID": "sl-s3-key", "AWS_SECRET_ACCESS_KEY": S3_SECRET,
        "SCORELINE_ALERT_WEBHOOK": f"http://127.0.0.1:{hooks.server_address[1]}/hooks/{HOOK_TOKEN}",
    })
    jars = Jars(out, env, a.dist)

    # one model and a pool of documents, 3 hours old at the start of the simulated day
    day0 = datetime(2026, 1, 1, tzinfo=timezone.utc)
    java = jars.java
    subprocess.run([java, str(ROOT / "demo/SampleData.java"), "training", str(out / "training.csv"), "2000", "7"],
                   check=True, capture_output=True)
    source = out / "source" / "documents.ndjson"
    source.parent.mkdir()
    subprocess.run([java, str(ROOT / "demo/SampleData.java"), "documents", str(source), "0", "2000",
                    iso(day0 - timedelta(hours=3)), iso(day0 - timedelta(minutes=1)), "11"], check=True,
                   capture_output=True)
    ids = [json.loads(line)["id"] for line in open(source, encoding="utf-8")]
    for cmd in (("train", "--data", str(out / "training.csv"), "--target", "churned", "--trees", "20", "--out",
                 str(out / "model")),
                ("register", "--model-dir", str(out / "model"), "--model", "churn", "--model-version", "v1",
                 "--alias", "production")):
        rc, _ = jars.run("predict", *cmd)
        if rc != 0:
            sys.exit(f"predict {cmd[0]} failed with exit {rc}: see {out / 'jobs.log'}")
    corrupt = out / "model-corrupt"
    shutil.copytree(out / "model", corrupt)
    spec = json.loads((corrupt / "model.json").read_text())
    spec["features"] = [dict(f, name=f["name"] + "_renamed") for f in spec.get("features", [])]
    (corrupt / "model.json").write_text(json.dumps(spec))

    schedule = fault_schedule(a.cycles)
    timeline = []      # per simulated slot: what happened
    checks = []        # per slot: manifest as read by status, and its exit code
    hidden = out / "source-hidden.ndjson"

    def job(name, *args):   # crontab-notes.md: exit 3/4 retried twice (the back-off is not waited on the fast clock)
        for _ in range(3):
            rc, stdout = jars.run(name, *args)
            if rc not in (3, 4):
                return rc
        return rc

    for i in range(a.cycles):
        slot = day0 + timedelta(seconds=SLOT * (i + 1))
        run = "cron__" + iso(slot)
        fault = schedule.get(i, "")
        alerts_before = len(Alerts.received)
        write_updates(source if source.exists() else hidden, rng, ids, slot - timedelta(seconds=SLOT), slot -
                      timedelta(seconds=31))
        if fault == "source-down" and source.exists():
            source.rename(hidden)
        if fault == "s3-slowdown":
            S3Proxy.failing = True
        if fault == "corrupt-model":
            job("predict", "register", "--model-dir", str(corrupt), "--model", "churn", "--model-version",
                f"bad-{i}", "--alias", "production")
        if fault == "rollback-model":
            job("predict", "register", "--model-dir", str(out / "model"), "--model", "churn", "--model-version",
                f"v1-again-{i}", "--alias", "production")
        if fault == "overlap-rerun" and i > 0:   # a manual rerun of the previous slot, racing this one's publish
            prev = "cron__" + iso(slot - timedelta(seconds=SLOT))
            rerun = jars.start("publish", "--run-id", prev, "--force")
        failed, rc = None, 0
        for step in (("fetch", "--run-id", run, "--data-interval-end", iso(slot), "--source", str(source)),
                     ("predict", "--run-id", run, "--model", "churn"), ("publish", "--run-id", run)):
            if fault == "kill-publish" and step[0] == "publish":
                proc = jars.start(*step)
                time.sleep(rng.uniform(0.3, 1.5))
                proc.kill()
                rc = jars.finish(proc)[0]
                rc = 137 if rc < 0 else rc
            else:
                rc = job(*step)
            if rc != 0:
                failed = step[0]
                break
        fallback_rc = None
        if failed:
            fallback_rc = job("publish", "fallback", "--run-id", run, "--reason", f"{failed} failed with exit {rc}")
        if fault == "overlap-rerun" and i > 0:
            jars.finish(rerun)
        S3Proxy.failing = False
        if hidden.exists() and schedule.get(i + 1) != "source-down":
            hidden.rename(source)
        status_rc, status_out = jars.run("publish", "status", "--max-age", "10m")
        manifest = json.loads(status_out.strip().splitlines()[-1]) if status_out.strip() else None
        timeline.append({"slot": iso(slot), "fault": fault, "failed": failed, "exit": rc, "fallback": fallback_rc})
        checks.append({"slot": slot, "status": status_rc, "manifest": manifest,
                       "alerted": len(Alerts.received) > alerts_before})
        print(f"{iso(slot)} {fault or '-':15} failed={failed} exit={rc} status={status_rc} "
              f"serving={manifest and manifest.get('run_id')} stale={manifest and manifest.get('stale')}", flush=True)

    # ------------------------------------------------------------ per simulated minute
    minutes, fault_minutes = [], set()
    for i, t in enumerate(timeline):
        if t["fault"]:
            fault_minutes.update(range(i * 5, i * 5 + 15))   # the fault's own slot, and the two runs it delays
    # a stale minute is alerted within one run: by this cycle (its jobs or the check) or the next one
    alerted = [c["alerted"] or (n + 1 < len(checks) and checks[n + 1]["alerted"]) for n, c in enumerate(checks)]
    for c, c_alerted in zip(checks, alerted):   # the state each check saw holds until the next slot
        m = c["manifest"]
        for k in range(5):
            minute = c["slot"] + timedelta(minutes=k)
            if m is None:
                minutes.append((minute, None, True, c["status"] == 6, c_alerted))
                continue
            end = datetime.fromisoformat(m["data_interval_end"].replace("Z", "+00:00"))
            age = (minute - end).total_seconds()
            stale = age > MAX_AGE or m.get("stale", False)
            minutes.append((minute, age, stale, m.get("stale", False) or c["status"] == 6, c_alerted))
    outside = [x for n, x in enumerate(minutes) if n not in fault_minutes]
    fresh_outside = sum(1 for x in outside if not x[2])
    stale = [x for x in minutes if x[2]]
    unflagged = [iso(x[0]) for x in stale if not x[3]]
    unalerted = [iso(x[0]) for x in stale if not x[4]]
    leaks = scan_for_secrets(out, Alerts.received, endpoint, bucket, env["SCORELINE_STORE"].split("/", 3)[3])
    wall = time.monotonic() - wall0
    cpu = os.times()
    children_cpu = (cpu.children_user + cpu.children_system) - (cpu0.children_user + cpu0.children_system)
    report = {
        "cycles": a.cycles, "simulated_minutes": len(minutes),
        "fresh_fraction_all": round(sum(1 for x in minutes if not x[2]) / len(minutes), 5),
        "fresh_fraction_outside_faults": round(fresh_outside / len(outside), 5) if outside else None,
        "stale_minutes": len(stale), "stale_minutes_unflagged": unflagged, "stale_minutes_unalerted": unalerted,
        "alerts": len(Alerts.received), "secret_leaks": leaks, "faults": {iso(day0 + timedelta(seconds=SLOT * (i + 1))): f
                                                                          for i, f in schedule.items()},
        "wall_seconds": round(wall), "jvm_cpu_seconds": round(children_cpu),
    }
    (out / "timeline.json").write_text(json.dumps(timeline, indent=1))
    (out / "alerts.json").write_text(json.dumps(Alerts.received, indent=1))
    (out / "report.json").write_text(json.dumps(report, indent=1))
    write_svg(out / "freshness.svg", minutes, timeline)
    print(json.dumps(report))
    ok = not unflagged and not unalerted and not leaks and (report["fresh_fraction_outside_faults"] or 1) >= 0.999
    sys.exit(0 if ok else 1)


def stored_objects(endpoint, bucket, prefix):
    """Every object under the prefix, read straight from the S3 test server (it does not check signatures)."""
    url = urllib.parse.urlparse(endpoint)
    conn = http.client.HTTPConnection(url.hostname, url.port, timeout=60)
    keys, token = [], None
    while True:
        query = {"list-type": "2", "prefix": prefix + "/"} | ({"continuation-token": token} if token else {})
        conn.request("GET", f"/{bucket}?{urllib.parse.urlencode(query)}")
        listing = ElementTree.fromstring(conn.getresponse().read())
        ns = {"s3": listing.tag.split("}")[0].strip("{")} if listing.tag.startswith("{") else {}
        find = (lambda e, t: e.findall("s3:" + t, ns)) if ns else (lambda e, t: e.findall(t))
        keys += [c.text for content in find(listing, "Contents") for c in find(content, "Key")]
        more = find(listing, "NextContinuationToken")
        if not more:
            break
        token = more[0].text
    for key in keys:
        conn.request("GET", f"/{bucket}/{urllib.parse.quote(key)}")
        yield key, conn.getresponse().read()


def scan_for_secrets(out, alerts, endpoint, bucket, prefix):
    """Every log and alert of this run, and every object the jobs stored, must be free of the test credentials."""
    needles = [S3_SECRET, HOOK_TOKEN]
    hits = []
    objects = 0
    for key, data in stored_objects(endpoint, bucket, prefix):
        objects += 1
        if key.endswith(".gz"):
            data = gzip.decompress(data)
        hits += [f"s3 object {key}: {n[:8]}..." for n in needles if n.encode() in data]
    if objects == 0:
        hits.append("no stored objects found to scan: the scan itself is broken")
    for path in out.rglob("*"):
        if path.is_file() and path.suffix not in (".jsa",):
            data = path.read_bytes()
            if path.suffix == ".gz":
                try:
                    data = gzip.decompress(data)
                except OSError:
                    pass
            hits += [f"{path}: {n[:8]}..." for n in needles if n.encode() in data]
    for alert in alerts:
        hits += [f"alert: {n[:8]}..." for n in needles if n in alert["body"]]
    return hits


def write_svg(path, minutes, timeline):
    w, h, pad = max(600, len(minutes) * 2 + 80), 260, 50
    ages = [x[1] / 60 if x[1] is not None else 30 for x in minutes]
    top = max(30, max(ages) if ages else 30)
    y = lambda v: h - pad - (min(v, top) / top) * (h - 2 * pad)
    parts = [f'<svg xmlns="http://www.w3.org/2000/svg" width="{w}" height="{h}" font-family="sans-serif" font-size="11">',
             f'<rect width="{w}" height="{h}" fill="white"/>']
    for i, t in enumerate(timeline):
        if t["fault"]:
            x = pad + i * 10
            parts.append(f'<rect x="{x}" y="{pad}" width="10" height="{h - 2 * pad}" fill="#fdd"/>'
                         f'<text x="{x}" y="{pad - 4 - (i % 3) * 11}" fill="#a00">{t["fault"]}</text>')
    parts.append(f'<line x1="{pad}" x2="{w - 20}" y1="{y(10)}" y2="{y(10)}" stroke="#c00" stroke-dasharray="4"/>'
                 f'<text x="{w - 60}" y="{y(10) - 3}" fill="#c00">10 min</text>')
    pts = " ".join(f"{pad + n * 2},{y(a):.1f}" for n, a in enumerate(ages))
    parts.append(f'<polyline points="{pts}" fill="none" stroke="#06c" stroke-width="1.5"/>')
    for n, x in enumerate(minutes):
        if x[2]:
            parts.append(f'<rect x="{pad + n * 2}" y="{h - pad + 2}" width="2" height="6" fill="#c00"/>')
    parts.append(f'<line x1="{pad}" x2="{pad}" y1="{pad}" y2="{h - pad}" stroke="black"/>'
                 f'<line x1="{pad}" x2="{w - 20}" y1="{h - pad}" y2="{h - pad}" stroke="black"/>'
                 f'<text x="4" y="{pad + 4}">{top:.0f} min</text><text x="4" y="{h - pad}">0</text>'
                 f'<text x="{pad}" y="{h - 12}">data age per simulated minute (from latest/manifest.json); '
                 f'red ticks: stale minutes; shaded: faults</text></svg>')
    path.write_text("\n".join(parts))


if __name__ == "__main__":
    main()
