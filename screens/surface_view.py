"""The loss-surface panel the two-parameter lessons share (cost functions, batch size,
normalisation): the surface as a log-scale map, each optimiser's path over it in its own
colour with its current point, and the exact minimum marked. It reads the views
``core.surface.surface_views`` writes; a lesson adds only its own panels beside it.

    surface_panel(T("loss surface", "손실 곡면"), labels=(T("SGD", "SGD"), ...))
"""

from __future__ import annotations

from typing import Any, Callable, Sequence

import numpy as np

from nndojo.core.experiment import Snapshot
from nndojo.tui.widgets.colors import format_value
from nndojo.tui.widgets.surface import SurfaceMap

from .layout import Texts, Title, WidgetPanel, in_lang, view

#: The views the panel reads (core/surface.py ``surface_views``).
SURFACE_VIEWS = ("surface", "surface_extent", "surface_paths", "surface_points", "surface_minimum", "surface_floor")


#: The legend's name of the mark (+): the exact minimum.
MINIMUM = {"en": "min", "ko": "최소"}


def unlog(value: float) -> str:
    """A legend end of the log10 map, as the loss above the floor it stands for."""
    with np.errstate(over="ignore"):
        return format_value(float(np.power(10.0, value)))


class SurfaceView(SurfaceMap):
    """A SurfaceMap that draws itself from a snapshot (a WidgetPanel's widget)."""

    def __init__(self, labels: Sequence[Texts] | Callable[[Snapshot, str], Sequence[str]] = (),
                 legend: str = "J−Jmin", **kwargs: Any) -> None:
        super().__init__(**kwargs)
        self.labels = labels
        self.legend = legend

    def draw(self, snap: Snapshot, lang: str) -> None:
        self.set_lang(lang)
        self.set_data(np.asarray(view(snap, "surface")), cmap="sequential", title=self.legend, legend_format=unlog)
        labels = self.labels(snap, lang) if callable(self.labels) else [in_lang(t, lang) for t in self.labels]
        self.set_paths(view(snap, "surface_paths"), view(snap, "surface_points"), view(snap, "surface_extent"), labels)
        minimum = view(snap, "surface_minimum")
        self.set_marks(None if minimum is None else np.asarray(minimum).reshape(1, 2))
        self.mark_label = in_lang(MINIMUM, lang)


def surface_panel(title: Title, *, labels: Sequence[Texts] | Callable[[Snapshot, str], Sequence[str]] = (),
                  legend: str = "J−Jmin", id: str = "surface", width: str | int = "1fr",  # noqa: A002
                  subtitle: Title | None = None) -> WidgetPanel:
    """The shared surface panel: ``labels`` name the paths in the legend (in order)."""
    return WidgetPanel(title, id=id, width=width, subtitle=subtitle, reads=SURFACE_VIEWS,
                       widget=lambda: SurfaceView(labels=labels, legend=legend))
