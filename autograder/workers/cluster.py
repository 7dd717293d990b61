"""Opening the Dask cluster that grades: an embedded LocalCluster, or a running scheduler.

A LocalCluster has ``workers`` processes of one thread each, TensorFlow's pools included (the
sandbox itself is one more process per notebook, with one BLAS thread). With ``--scheduler`` the
work goes to workers started elsewhere with ``dask worker tcp://HOST:PORT`` on machines that have
this project installed; a GPU machine's worker declares ``--resources GPU=1``. Every worker gets
the GradingWorker plugin (Keras imported once per worker). A LocalCluster's scheduler, nanny and
workers listen on loopback only; its dashboard where ``settings.dashboard`` says (loopback by default),
and its address is printed on stderr.
"""
import logging
import os
import socket
import sys
from contextlib import contextmanager

from distributed import Client, LocalCluster

from autograder.workers.worker import ONE_FRAMEWORK_THREAD, GradingWorker

GPU = "GPU"
LOOPBACK = "127.0.0.1"


class ClusterError(Exception):
    """The cluster cannot be opened or cannot serve the requested device (a one-line reason)."""


def machine_has_gpu():
    """An NVIDIA GPU visible on this machine (its device nodes), without importing a framework."""
    return os.path.exists("/dev/nvidiactl") or os.path.exists("/dev/nvidia0")


@contextmanager
def open_cluster(settings):
    """A Client for ``settings`` (ClusterSettings) with warm workers; closes what it started."""
    cluster = None
    try:
        if settings.scheduler:
            try:
                client = Client(settings.scheduler, timeout="15s")
            except OSError as exc:
                raise ClusterError(f"Dask 스케줄러 {settings.scheduler}에 연결할 수 없습니다 "
                                   f"(cannot reach the scheduler: {exc})") from None
        else:
            gpu = settings.device == "gpu" or (settings.device == "auto" and machine_has_gpu())
            if settings.device == "gpu" and not machine_has_gpu():
                raise ClusterError("--device gpu: 이 컴퓨터에 GPU가 없습니다 (no GPU on this machine)")
            env = {} if gpu else {"CUDA_VISIBLE_DEVICES": ""}
            _check_can_listen(settings.dashboard)
            try:
                cluster = LocalCluster(n_workers=settings.workers, threads_per_worker=1, processes=True, host=LOOPBACK,
                                       resources={GPU: 1} if gpu else None, dashboard_address=settings.dashboard,
                                       silence_logs=logging.CRITICAL, env={**env, **ONE_FRAMEWORK_THREAD,
                                                                              "TF_FORCE_GPU_ALLOW_GROWTH": "true"})
            except (OSError, ValueError, RuntimeError) as exc:  # RuntimeError: "Cluster failed to start"
                raise ClusterError(f"로컬 Dask 클러스터를 열 수 없습니다 (cannot start the local cluster: {exc})") from None
            everywhere = settings.dashboard.rpartition(":")[0].strip("[]") in ("", "0.0.0.0", "::")
            where = " (모든 네트워크 인터페이스 / on every interface)" if everywhere else ""
            print(f"Dask 대시보드 (dashboard): {cluster.dashboard_link}{where}", file=sys.stderr, flush=True)
            client = Client(cluster)
        try:
            client.register_plugin(GradingWorker())
            yield client
        finally:
            with _quiet_shutdown():
                client.close()
    finally:
        if cluster is not None:
            with _quiet_shutdown():
                cluster.close()


@contextmanager
def _quiet_shutdown():
    """Dask's own logs silenced while it closes: a LocalCluster restores its log level as it starts to close,
    and a worker already gone (Ctrl-C reaches the whole process group) is then logged with a traceback
    ("Batched Comm Closed") that is no fault."""
    logger = logging.getLogger("distributed")
    level = logger.level
    logger.setLevel(logging.CRITICAL)
    try:
        yield
    finally:
        logger.setLevel(level)


def _check_can_listen(address):
    """ClusterError unless HOST:PORT is an address this machine can listen on (port 0: any free port)."""
    host, _, port = address.rpartition(":")
    host = host.strip("[]")
    try:
        with socket.socket(socket.AF_INET6 if ":" in host else socket.AF_INET) as probe:
            probe.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
            probe.bind((host, int(port)))
    except (OSError, ValueError, OverflowError) as exc:
        raise ClusterError(f"--dashboard {address}: 그 주소에서 들을 수 없습니다 (cannot listen there, HOST:PORT: {exc})") from None


def require_sandbox_on_workers(client, settings):
    """Every worker's sandbox check for GradingSettings ``settings``; ClusterError naming the workers where it
    fails (the first one's reason: the cause and the fix)."""
    from autograder.sandbox.check import require_sandbox

    answers = client.run(require_sandbox, settings.isolation, settings.memory_mb, settings.scratch_mb, warm=True,
                         on_error="return")
    failed = {worker: answer for worker, answer in answers.items() if isinstance(answer, Exception)}
    if failed:
        worker, reason = next(iter(sorted(failed.items())))
        raise ClusterError(f"워커 {len(failed)}개에서 채점할 수 없습니다 (the sandbox fails on {', '.join(sorted(failed))}): "
                           f"{reason}")


def task_resources(client, device):
    """The resources a grading task asks for: {"GPU": 1} on GPU workers, None for any worker.

    "auto" picks GPU workers when some worker declares a GPU; "gpu" requires one (ClusterError).
    """
    declared = any(GPU in (w.get("resources") or {}) for w in client.scheduler_info()["workers"].values())
    if device == "gpu" and not declared:
        raise ClusterError("--device gpu: GPU 자원을 선언한 워커가 없습니다 "
                           "(no worker declares a GPU: start workers with `dask worker ... --resources GPU=1`)")
    return {GPU: 1} if device != "cpu" and declared else None
