"""dlib's face descriptor in a process of its own, for the live session.

Why: dlib's Python binding holds the GIL for the whole ResNet pass (measured: a thread describing faces in a loop
stops every other Python thread for ~190 ms each time, on the 2026-12-02 build machine). On a thread of its own the
identity check therefore still froze the GUI, the video worker and the audio worker every few seconds (the live
bench's GUI stall: 289 ms). In a child process it freezes nothing: the parent aligns the face (dlib's 5-point shape
predictor, about a millisecond) and sends the 150x150 face chip; the child runs the network and sends back the 128
numbers, the same descriptor dlib computes from the image and the shape (it cuts the same chip inside).

The child is started with "spawn" (the same on every platform, no fork of a process running Qt), loads only the
recogniser model, talks through two one-way multiprocessing Pipes (OS pipes; a two-way Pipe would be a Unix socket
pair, and the app opens no socket) and ends with its parent (daemon) or on close().
"""

from __future__ import annotations

import multiprocessing
from typing import Any

import numpy as np

REPLY_TIMEOUT_S = 30.0   # a child that answers nothing in this long is taken for dead (first answer: model loading)


class DescriptorProcessError(RuntimeError):
    """The descriptor process died or did not answer."""


def _serve(requests: Any, replies: Any, model_path: str) -> None:   # pragma: no cover - runs in the child
    import dlib

    recogniser = dlib.face_recognition_model_v1(model_path)
    replies.send(("ready", None))
    while True:
        try:
            chip = requests.recv()
        except EOFError:
            return
        if chip is None:
            return
        try:
            vec = np.asarray(recogniser.compute_face_descriptor(chip), dtype=np.float32)
            replies.send(("ok", vec))
        except Exception as exc:  # noqa: BLE001 - told to the parent, which decides
            replies.send(("error", f"{type(exc).__name__}: {exc}"))


class DescriptorProcess:
    """`describe_chip(chip_rgb)` -> the 128-number descriptor, computed in a child process. Not thread-safe: one
    caller (the identity thread)."""

    def __init__(self) -> None:
        from proctorprep.perception.identity import model_folder    # one way only: identity never imports this

        ctx = multiprocessing.get_context("spawn")
        child_requests, self._requests = ctx.Pipe(duplex=False)     # (reader, writer): OS pipes, not sockets
        self._replies, child_replies = ctx.Pipe(duplex=False)
        self._proc = ctx.Process(target=_serve, name="identity-descriptor", daemon=True,
                                 args=(child_requests, child_replies,
                                       str(model_folder() / "dlib_face_recognition_resnet_model_v1.dat")))
        self._proc.start()
        child_requests.close()
        child_replies.close()
        self._ready = False

    def _reply(self) -> Any:
        if not self._replies.poll(REPLY_TIMEOUT_S):
            raise DescriptorProcessError("the face descriptor process did not answer")
        try:
            kind, value = self._replies.recv()
        except (EOFError, OSError) as exc:
            raise DescriptorProcessError("the face descriptor process ended") from exc
        if kind == "error":
            raise DescriptorProcessError(value)
        return value

    def describe_chip(self, chip_rgb: np.ndarray) -> np.ndarray:
        if not self._ready:
            self._reply()                  # "ready": the model is loaded
            self._ready = True
        try:
            self._requests.send(np.ascontiguousarray(chip_rgb, dtype=np.uint8))
        except (OSError, ValueError) as exc:
            raise DescriptorProcessError("the face descriptor process ended") from exc
        return self._reply()

    @property
    def pid(self) -> int | None:
        return self._proc.pid

    def close(self, timeout_s: float = 5.0) -> None:
        try:
            self._requests.send(None)
        except (OSError, ValueError):
            pass
        self._proc.join(timeout_s)
        if self._proc.is_alive():
            self._proc.kill()
            self._proc.join(timeout_s)
        self._requests.close()
        self._replies.close()
