"""Widgets for nndojo's lesson screens: plots, heatmaps and histograms of a live network."""

from .filtergrid import FilterGrid
from .heatmap import Heatmap
from .histogram import Histogram
from .lineplot import LinePlot

__all__ = ["FilterGrid", "Heatmap", "Histogram", "LinePlot"]
