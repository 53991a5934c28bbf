"""Rendering a send node's messages on every core: a share of a large group goes to a
process pool while the runner renders the rest itself; the runner stays the one writer.

A render job is (contact, unsubscribe_url, now); the answer per job is ("ok", subject,
html, text, unsubscribe_url) or ("error", reason, None, None, url) with the same wording as
an inline render. A job without its URL gets one signed where it is rendered (`sign`)."""

from __future__ import annotations

import atexit
import multiprocessing
import os
import sys
import time
from concurrent.futures import Future, ProcessPoolExecutor
from concurrent.futures.process import BrokenProcessPool
from typing import Any

# Groups smaller than this render inline: a pool round trip costs more than it saves.
POOL_MIN_RENDERS = 400
# Share of a group the pool renders while the runner renders the rest (and unpickles).
POOL_SHARE = 0.5
# Processes beside the runner; None: one fewer than the cores this process may use.
WORKERS: int | None = None

RenderJob = tuple[dict[str, Any], str, Any]  # contact, unsubscribe URL, the moment
Rendered = tuple[str, str | None, str | None, str | None, str]  # ("ok", subject, html, text, url)
# (secret, campaign id, node id, URL pattern): how a job without a URL gets its signed link.
Signing = tuple[bytes, int, str, str | None]

RENDERED_IN_POOL = 0  # messages the pool has rendered in this process's life (benchmarks)
# The pool's share with one render process, learned per group from both sides' render rates
# (a second core busy with another program renders slower: the runner then takes more).
_share = POOL_SHARE
_pool: ProcessPoolExecutor | None = None
_pool_pid: int | None = None
_broken = False


def worker_count() -> int:
    """Processes beside the runner: one fewer than the cores this process may use."""
    if WORKERS is not None:
        return WORKERS
    try:
        cores = len(os.sched_getaffinity(0))
    except AttributeError:  # not on Linux
        cores = os.cpu_count() or 1
    return max(cores - 1, 0)


def helpers_possible() -> bool:
    """Helper processes can be used here: another core, and not a frozen build."""
    return worker_count() >= 1 and not getattr(sys, "frozen", False)


def start_helpers(workers: int) -> ProcessPoolExecutor:
    """Helper processes for the runner (rendering here, writing in engine.runner.writer),
    started by a fork server — never a fork of a process that runs threads (the window,
    APScheduler) — and gone as soon as the runner is."""
    method = "forkserver" if "forkserver" in multiprocessing.get_all_start_methods() else "spawn"
    return ProcessPoolExecutor(
        max_workers=workers,
        mp_context=multiprocessing.get_context(method),
        initializer=_watch,
        initargs=(os.getpid(),),
    )


def _get_pool() -> ProcessPoolExecutor | None:
    global _pool, _pool_pid
    if _pool is not None and _pool_pid == os.getpid():
        return _pool
    if _broken or not helpers_possible():
        return None  # one core, a pool that failed before, or a frozen build: render here
    _pool = start_helpers(worker_count())
    _pool_pid = os.getpid()
    return _pool


def alive(pid: int) -> bool:
    """The process `pid` is still there and ours to signal (a reused pid is not)."""
    if os.name == "nt":  # os.kill(pid, 0) there sends CTRL_C_EVENT: no cheap safe check
        return True
    try:
        os.kill(pid, 0)
    except (ProcessLookupError, PermissionError):
        return False
    return True


def _watch(runner_pid: int) -> None:
    """In each render process: leave as soon as the runner is gone. A runner killed
    outright (kill -9, a crash) never says goodbye, and the pool's pipes would keep its
    render process, the fork server and the resource tracker waiting forever."""
    import threading
    import time

    def watch() -> None:
        while True:
            time.sleep(1.0)
            if not alive(runner_pid):  # (a reused pid, someone else's: go too)
                os._exit(0)

    threading.Thread(target=watch, name="runner-watch", daemon=True).start()


def shutdown(broken: bool = False) -> None:
    """Stop the pool; `broken`: it failed, so this process renders alone from now on."""
    global _pool, _broken
    if _pool is not None and _pool_pid == os.getpid():
        _pool.shutdown(wait=not broken, cancel_futures=True)
    _pool = None
    _broken = _broken or broken


atexit.register(shutdown)


def render_jobs(
    channel: str,
    parts: dict[str, str],
    shared: dict[str, Any],
    jobs: list[RenderJob],
    sign: Signing | None = None,
) -> list[Rendered]:
    """Render every job in this process. `shared` is the context every message shares
    (campaign, node); the contact's own values come from the job. A template that fails
    gives ("error", reason, …), worded as the runner words it."""
    from engine.delivery.unsubscribe import make_token, unsubscribe_url
    from engine.runner.messages import _render, contact_context
    from engine.templating import TemplateError

    email = channel == "email"
    out: list[Rendered] = []
    append = out.append
    for contact, link, now in jobs:
        if link is None and sign is not None:  # signed here: the runner's work saved
            secret, campaign_id, node_id, pattern = sign
            link = unsubscribe_url(pattern, make_token(secret, contact["id"], campaign_id, node_id))
        context = dict(shared)
        context["contact"] = contact_context(contact)
        context["unsubscribe_url"] = link
        context["now"] = now
        try:
            if email:
                append(
                    (
                        "ok",
                        _render(parts["subject"], context),
                        _render(parts["html"], context, html=True),
                        _render(parts["text"], context),
                        link,
                    )
                )
            else:
                append(("ok", None, None, _render(parts["text"], context), link))
        except TemplateError as exc:
            append(("error", f"template error: {exc}", None, None, link))
        except Exception as exc:  # anything a template can raise in the sandbox
            append(("error", f"template error: {type(exc).__name__}: {exc}", None, None, link))
    return out


def _timed_render_jobs(
    channel: str,
    parts: dict[str, str],
    shared: dict[str, Any],
    jobs: list[RenderJob],
    sign: Signing | None = None,
) -> tuple[float, list[Rendered]]:
    """render_jobs in a render process, with the seconds it took there."""
    began = time.perf_counter()
    out = render_jobs(channel, parts, shared, jobs, sign)
    return time.perf_counter() - began, out


def next_share(share: float, here: int, here_s: float, pool: int, pool_s: float) -> float:
    """The pool's next share: the one at which both sides would have finished together at
    the rates just measured, half-way from the current one, between 0.1 and 0.9."""
    if here <= 0 or pool <= 0 or here_s <= 0 or pool_s <= 0:
        return share
    pool_rate, here_rate = pool / pool_s, here / here_s
    ideal = pool_rate / (pool_rate + here_rate)
    return min(0.9, max(0.1, (share + ideal) / 2))


class Later:
    """The pool's share of a group, rendered while the runner goes on with its batch;
    `results()` waits for it (rendering it here if the pool failed) and learns from the
    wait: a runner that never waits gives the pool more of the next group, one that waits
    gives it less."""

    def __init__(self, channel, parts, shared, jobs, futures, submitted, sign) -> None:
        self.channel, self.parts, self.shared, self.jobs = channel, parts, shared, jobs
        self.futures, self.submitted, self.sign = futures, submitted, sign

    def results(self) -> list[Rendered]:
        global RENDERED_IN_POOL, _later_share
        began = time.perf_counter()
        out: list[Rendered] = []
        try:
            for future in self.futures:
                out.extend(future.result()[1])
        except Exception as exc:  # a worker died (killed, out of memory): render it here
            if isinstance(exc, (BrokenProcessPool, OSError)):
                shutdown(broken=True)
            return render_jobs(self.channel, self.parts, self.shared, self.jobs, self.sign)
        RENDERED_IN_POOL += len(self.jobs)
        waited = time.perf_counter() - began
        elapsed = time.perf_counter() - self.submitted
        if waited > 0.001 and elapsed > 0:  # the pool was the slower side: take back the wait
            _later_share = max(0.1, _later_share * (1 - waited / elapsed))
        else:
            _later_share = min(1.0, _later_share + LATER_STEP)
        return out


# The share of a group the pool renders while the runner goes on (start_group): it grows
# while the runner never waits for the answers and shrinks by the wait when it does.
LATER_SHARE = 0.5
LATER_STEP = 0.05
_later_share = LATER_SHARE


def _submit(pool, channel, parts, shared, remote, sign) -> list[Future] | None:
    """Hand `remote` to the pool's processes, one chunk each; None when the pool is broken
    (it is shut down: this process renders alone from now on)."""
    step = max(-(-len(remote) // worker_count()), 1)
    try:
        return [
            pool.submit(_timed_render_jobs, channel, parts, shared, remote[i : i + step], sign)
            for i in range(0, len(remote), step)
        ]
    except (BrokenProcessPool, RuntimeError, OSError):
        shutdown(broken=True)
        return None


def start_group(
    channel: str,
    parts: dict[str, str],
    shared: dict[str, Any],
    jobs: list[RenderJob],
    min_for_pool: int = POOL_MIN_RENDERS,
    sign: Signing | None = None,
) -> tuple[list[Rendered], Later | None]:
    """Hand a share of a large group to the pool and render the rest here: (the answers
    for the first jobs, in order; the pool's share for the remaining jobs, or None). The
    runner collects `Later.results()` when it writes the batch, so the pool renders while
    the runner moves the rest of the batch and writes it."""
    pool = _get_pool() if len(jobs) >= min_for_pool else None
    if pool is None:
        return render_jobs(channel, parts, shared, jobs, sign), None
    cut = int(len(jobs) * (1 - _later_share))
    remote = jobs[cut:]
    submitted = time.perf_counter()
    futures = _submit(pool, channel, parts, shared, remote, sign)
    if futures is None:
        return render_jobs(channel, parts, shared, jobs, sign), None
    here = render_jobs(channel, parts, shared, jobs[:cut], sign)
    return here, Later(channel, parts, shared, remote, futures, submitted, sign)


def render_group(
    channel: str,
    parts: dict[str, str],
    shared: dict[str, Any],
    jobs: list[RenderJob],
    min_for_pool: int = POOL_MIN_RENDERS,
    sign: Signing | None = None,
) -> list[Rendered]:
    """Render a node group's jobs, a share in the pool and the rest here, in job order."""
    pool = _get_pool() if len(jobs) >= min_for_pool else None
    if pool is None:
        return render_jobs(channel, parts, shared, jobs, sign)
    global RENDERED_IN_POOL, _share
    workers = worker_count()
    cut = int(len(jobs) * (1 - _share)) if workers == 1 else len(jobs) // (workers + 1)
    remote = jobs[cut:]
    submitted = time.perf_counter()
    futures = _submit(pool, channel, parts, shared, remote, sign)
    if futures is None:
        return render_jobs(channel, parts, shared, jobs, sign)
    began = time.perf_counter()
    here = render_jobs(channel, parts, shared, jobs[:cut], sign)
    finished_here = time.perf_counter()
    try:
        pool_s = 0.0
        for future in futures:
            seconds, out = future.result()
            here.extend(out)
            pool_s = max(pool_s, seconds)
        RENDERED_IN_POOL += len(remote)
        if workers == 1:
            # The runner waited: the pool's share took submit-to-answer (its render, the
            # pickling both ways, a busy core); it did not: its own render time is the cue.
            answered = time.perf_counter()
            if answered - finished_here > 0.001:
                pool_s = answered - submitted
            here_s = finished_here - began
            _share = next_share(_share, cut, here_s, len(remote), pool_s)
    except Exception as exc:  # a worker died (killed, out of memory): render it here
        if isinstance(exc, (BrokenProcessPool, OSError)):
            shutdown(broken=True)
        return here[:cut] + render_jobs(channel, parts, shared, remote, sign)
    return here
