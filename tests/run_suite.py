"""``make test``: the whole suite in four streams at once, on the two cores we have.

The streams, by folder so that every test is in exactly one of them whatever its
markers:

- ``tests/integration``: a real Celery worker, SMTP sink, web server subprocesses and
  200-client races — mostly waiting on other processes;
- ``tests/browser``: Chromium against a live server;
- the B2B side (``tests/matchmaking``, ``tests/orga``, ``tests/api``, ``tests/demo``);
- the rest.

The first two spend much of their time waiting, the last two on the CPU: run side by
side they fill both cores, and the suite takes the time of its longest stream instead of
the sum (measured in CI: docs/benchmarks.md, "The test suite"). Each stream has its own
test database (``test_<name>_<stream>`` on PostgreSQL; SQLite's is in memory) and its own
Redis databases, so that none sees another's rows, queues or rate limits. Same tests, same
markers, same strictness (``CI=true`` still fails what would skip). The first stream prints
as it goes, the others' output follows when they end. With arguments (``make test
PYTEST_ARGS=tests/agenda``) it is one plain pytest run.
"""

import contextlib
import os
import re
import subprocess
import sys
import tempfile

import redis

NO_TESTS = 5  # pytest's exit code when a selection holds no test
REDIS_DATABASES = 16  # a Redis server's default number of databases

# (name, folders); the last stream runs what no other stream names.
STREAMS = [
    ("integration", ["tests/integration"]),
    ("browser", ["tests/browser"]),
    ("b2b", ["tests/matchmaking", "tests/orga", "tests/api", "tests/demo"]),
]


def shifted_redis_db(url: str, step: int) -> str:
    """The same Redis server, ``4 × step`` databases away (modulo 16), so that four streams
    from any pair of databases (``.ci/run`` takes 14 and 15) never share one."""
    match = re.search(r"/(\d+)$", url)
    if not match or step == 0:
        return url
    number = (int(match.group(1)) - 4 * step) % REDIS_DATABASES
    return f"{url[: match.start()]}/{number}"


def stream_env(name: str, step: int) -> dict:
    env = dict(os.environ)
    if env.get("DATABASE_URL", "").startswith("postgres"):
        env["TEST_DATABASE_SUFFIX"] = name
    for variable in ("CELERY_BROKER_URL", "REDIS_URL"):
        if env.get(variable):
            env[variable] = shifted_redis_db(env[variable], step)
            redis.Redis.from_url(env[variable]).flushdb()
    return env


def main(args: list[str]) -> int:
    pytest = [sys.executable, "-m", "pytest"]
    if args:
        return subprocess.call([*pytest, *args])
    named = [folder for _name, folders in STREAMS for folder in folders]
    rest = [*pytest, *(f"--ignore={folder}" for folder in named)]
    with contextlib.ExitStack() as stack:
        started = []
        for step, (name, folders) in enumerate(STREAMS, start=1):
            log = stack.enter_context(tempfile.TemporaryFile(mode="w+"))
            command = [*pytest, "-p", "no:cacheprovider", *folders]
            env = stream_env(name, step)
            process = subprocess.Popen(command, env=env, stdout=log, stderr=subprocess.STDOUT)
            started.append((name, process, log))
        codes = [subprocess.call(rest)]
        for name, process, log in started:
            codes.append(process.wait())
            log.seek(0)
            print(f"\n== {name} tests (run beside the rest)\n", flush=True)
            sys.stdout.write(log.read())
    failed = [code for code in codes if code not in (0, NO_TESTS)]
    return failed[0] if failed else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
