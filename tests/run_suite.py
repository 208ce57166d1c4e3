"""``make test``: the whole suite in two halves at once, on the two cores we have.

One half is ``tests/integration`` (a real Celery worker, SMTP sink, web server
subprocesses and 200-client races: mostly waiting on other processes) with
``tests/browser``; the other half is the rest (about as long, measured in CI). Each
half has its own test database and its own Redis databases, so that neither sees the
other's rows, queues or rate limits. Same tests, same markers, same strictness
(``CI=true`` still fails what would skip); the suite takes the time of its longer half
instead of the sum. With arguments (``make test PYTEST_ARGS=tests/agenda``) it is one
plain pytest run.
"""

import os
import re
import shlex
import subprocess
import sys
import tempfile

import redis

NO_TESTS = 5  # pytest's exit code when a selection holds no test


def other_redis_db(url: str) -> str:
    """The same Redis server, four databases away (``.ci/run`` takes 14 and 15)."""
    match = re.search(r"/(\d+)$", url)
    if not match:
        return url
    number = int(match.group(1))
    return f"{url[: match.start()]}/{number - 4 if number >= 4 else number + 4}"


def integration_env() -> dict:
    env = dict(os.environ)
    if env.get("DATABASE_URL", "").startswith("postgres"):
        env["TEST_DATABASE_SUFFIX"] = "integration"
    for name in ("CELERY_BROKER_URL", "REDIS_URL"):
        if env.get(name):
            env[name] = other_redis_db(env[name])
            redis.Redis.from_url(env[name]).flushdb()
    return env


def main(args: list[str]) -> int:
    pytest = [sys.executable, "-m", "pytest"]
    if args:
        return subprocess.call([*pytest, *args])
    # By folder, so that every test is in exactly one half whatever its markers.
    beside_paths = ["tests/integration", "tests/browser"]
    beside = [[*pytest, "-p", "no:cacheprovider", *beside_paths]]
    rest = [*pytest, *(f"--ignore={path}" for path in beside_paths)]
    codes: list[int] = []
    with tempfile.TemporaryFile(mode="w+") as log:
        env = integration_env()
        # A shell runs the other half's commands in turn, its output kept aside.
        other = subprocess.Popen(
            " ; ".join(f'{shlex.join(command)} ; echo "exit=$?"' for command in beside),
            shell=True,
            env=env,
            stdout=log,
            stderr=subprocess.STDOUT,
        )
        codes.append(subprocess.call(rest))
        other.wait()
        log.seek(0)
        output = log.read()
        print("\n== integration and browser tests (run beside the rest)\n", flush=True)
        sys.stdout.write(output)
    codes += [int(code) for code in re.findall(r"^exit=(\d+)$", output, flags=re.M)]
    if len(codes) != 1 + len(beside):
        return 1
    failed = [code for code in codes if code not in (0, NO_TESTS)]
    return failed[0] if failed else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
