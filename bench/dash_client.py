"""A Dash page as the browser's renderer holds it, without a browser: every component prop's value, the server-side
callbacks, and the exact request body the renderer posts to ``/_dash-update-component`` when props change."""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from typing import Any

Prop = tuple[str, str]  # (component id, property)


@dataclass(frozen=True)
class Callback:
    """One server-side callback, as ``/_dash-dependencies`` describes it."""

    output: str  # Dash's key for the outputs: "map.figure" or "..a.b...c.d.."
    outputs: tuple[Prop, ...]
    inputs: tuple[Prop, ...]
    state: tuple[Prop, ...]

    @property
    def multi(self) -> bool:
        return self.output.startswith("..")

    @property
    def name(self) -> str:
        """The first output's component id: what the load test calls this callback."""
        return self.outputs[0][0]


def server_callbacks(dependencies: list[dict[str, Any]]) -> list[Callback]:
    """The callbacks the server answers (clientside ones run in the browser and are skipped)."""
    return [
        Callback(
            output=dep["output"],
            outputs=tuple(_split_output(dep["output"])),
            inputs=tuple((i["id"], i["property"]) for i in dep["inputs"]),
            state=tuple((s["id"], s["property"]) for s in dep.get("state", [])),
        )
        for dep in dependencies
        if not dep.get("clientside_function")
    ]


def layout_props(layout: Any) -> dict[Prop, Any]:
    """Every prop of every component with an id in a ``/_dash-layout`` tree."""
    found: dict[Prop, Any] = {}
    for component in _components(layout):
        props = component["props"]
        if isinstance(props.get("id"), str):
            found.update({(props["id"], name): value for name, value in props.items() if name != "id"})
    return found


class Page:
    """One browser tab's view of the app: the props it holds and the callbacks it can fire."""

    def __init__(self, layout: Any, dependencies: list[dict[str, Any]]) -> None:
        self.props = layout_props(layout)
        self.callbacks = server_callbacks(dependencies)

    def writer_of(self, prop: Prop) -> Callback:
        """The callback that outputs ``prop``."""
        return next(c for c in self.callbacks if prop in c.outputs)

    def readers_of(self, prop: Prop) -> list[Callback]:
        """The callbacks that ``prop`` triggers."""
        return [c for c in self.callbacks if prop in c.inputs]

    def request(self, callback: Callback, changed: Iterable[Prop]) -> dict[str, Any]:
        """The JSON body the renderer posts for ``callback`` after ``changed`` props changed."""
        changed_ids = [f"{i}.{p}" for i, p in changed if (i, p) in callback.inputs]
        outputs = [{"id": i, "property": p} for i, p in callback.outputs]
        body: dict[str, Any] = {
            "output": callback.output,
            "outputs": outputs if callback.multi else outputs[0],
            "inputs": [self._value(prop) for prop in callback.inputs],
            "changedPropIds": changed_ids,
            "parsedChangedPropsIds": changed_ids,
        }
        if callback.state:
            body["state"] = [self._value(prop) for prop in callback.state]
        return body

    def apply(self, answer: dict[str, Any]) -> set[Prop]:
        """Store a callback's answer (``{"response": {id: {prop: value}}}``); the props it set."""
        changed = set()
        for component, values in answer.get("response", {}).items():
            for name, value in values.items():
                self.props[(component, name)] = value
                changed.add((component, name))
        return changed

    def _value(self, prop: Prop) -> dict[str, Any]:
        entry: dict[str, Any] = {"id": prop[0], "property": prop[1]}
        if prop in self.props:  # the renderer leaves "value" out for props that were never set
            entry["value"] = self.props[prop]
        return entry


def _split_output(output: str) -> Iterator[Prop]:
    parts = output[2:-2].split("...") if output.startswith("..") else [output]
    for part in parts:
        component, prop = part.rsplit(".", 1)
        yield component, prop


def _components(node: Any) -> Iterator[dict[str, Any]]:
    if isinstance(node, list):
        for child in node:
            yield from _components(child)
    elif isinstance(node, dict) and "props" in node and "type" in node:
        yield node
        for value in node["props"].values():
            yield from _components(value)
