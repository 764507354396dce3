"""What Kestra's Python client does for one message, in a loop.

Written for this benchmark (not copied from the client): format() is
"::" + json.dumps(message) + "::" and send() is print(), as the client's
Kestra.format and Kestra._send do; the logger is a logging.Logger with a
handler whose formatter builds the client's logs frame (UTC ISO time with
milliseconds, " - ", the message). Run with stdout redirected to /dev/null;
the rates (messages per second of wall time, then of process CPU time) go to
stderr as "name rate cpu_rate" lines.
"""
import datetime
import json
import logging
import sys
import time


def fmt(message):
    return "::" + json.dumps(message) + "::"


def send(message):
    print(fmt(message))


def outputs():
    send({"outputs": {"rows": 42, "table": "orders", "ok": True}})


def counter():
    send({"metrics": [{"name": "rows", "type": "counter", "value": 42, "tags": {"table": "orders"} or {}}]})


# The same messages with the dicts built once, for the Go *Prebuilt
# benchmarks.
OUTPUTS = {"outputs": {"rows": 42, "table": "orders", "ok": True}}
TAGS = {"table": "orders"}


def outputs_prebuilt():
    send(OUTPUTS)


def counter_prebuilt():
    send({"metrics": [{"name": "rows", "type": "counter", "value": 42, "tags": TAGS or {}}]})


def log_frame():
    # The logs frame alone: json.dumps + print, as for the other kinds.
    send({"logs": [{"level": "INFO", "message": "2026-01-02T03:04:05.000Z - hello rows=42"}]})


LEVELS = {logging.DEBUG: "DEBUG", logging.INFO: "INFO", logging.WARNING: "WARN",
          logging.ERROR: "ERROR", logging.CRITICAL: "ERROR"}


class FrameFormatter(logging.Formatter):
    def format(self, record):
        when = datetime.datetime.fromtimestamp(record.created, datetime.timezone.utc)
        text = when.isoformat(timespec="milliseconds").replace("+00:00", "Z") + " - " + record.getMessage()
        return fmt({"logs": [{"level": LEVELS.get(record.levelno, "TRACE"), "message": text}]})


def make_logger():
    logger = logging.getLogger("Kestra")
    logger.setLevel(logging.DEBUG)
    handler = logging.StreamHandler(sys.stdout)
    handler.setFormatter(FrameFormatter())
    logger.addHandler(handler)
    logger.propagate = False
    return logger


def main():
    n = int(sys.argv[1]) if len(sys.argv) > 1 else 200_000
    logger = make_logger()
    cases = [
        ("outputs", outputs),
        ("outputs_prebuilt", outputs_prebuilt),
        ("counter", counter),
        ("counter_prebuilt", counter_prebuilt),
        ("log_frame", log_frame),
        ("logger_info", lambda: logger.info("hello rows=%d", 42)),
    ]
    for name, fn in cases:
        for _ in range(n // 10):  # warm up
            fn()
        start, cpu_start = time.perf_counter(), time.process_time()
        for _ in range(n):
            fn()
        sys.stdout.flush()
        elapsed, cpu = time.perf_counter() - start, time.process_time() - cpu_start
        print(f"{name} {n / elapsed:.0f} {n / cpu:.0f}", file=sys.stderr)


if __name__ == "__main__":
    main()
