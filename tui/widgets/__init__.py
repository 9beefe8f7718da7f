"""Widgets for nndojo's lesson screens: plots, heatmaps, decision maps and histograms of a live network."""

from .decisionmap import DecisionMap
from .filtergrid import FilterGrid
from .heatmap import Heatmap
from .histogram import Histogram
from .lineplot import LinePlot
from .xyplot import XYPlot

__all__ = ["DecisionMap", "FilterGrid", "Heatmap", "Histogram", "LinePlot", "XYPlot"]
