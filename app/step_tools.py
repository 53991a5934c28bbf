"""The inspector's send-step preview and Send test, wired to the engine (engine.step_message)
and run off the GUI thread by the program's one job class (app.bridge.Task)."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from PySide6.QtCore import Qt

from app.bridge import Task
from designer.step_preview import MessageTools
from engine import step_message
from engine.db import Engine


def message_tools(engine: Engine) -> MessageTools:
    def background(
        work: Callable[[], Any],
        on_success: Callable[[Any], None],
        on_failure: Callable[[str], None],
    ) -> None:
        job = Task(lambda _progress: work())
        job.succeeded.connect(on_success, Qt.ConnectionType.QueuedConnection)
        job.failed.connect(on_failure, Qt.ConnectionType.QueuedConnection)
        job.start()

    return MessageTools(
        contacts=lambda search: step_message.preview_contacts(engine, search),
        render=lambda node_type, params, contact_id: step_message.render_step_message(
            engine, node_type, params, contact_id
        ),
        send_test=lambda to, node_type, params, contact_id: step_message.send_step_test(
            engine, to, node_type, params, contact_id
        ),
        background=background,
    )
