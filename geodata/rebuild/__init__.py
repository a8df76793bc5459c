"""Rebuilding the bundled data from its published sources (run by hand, never at run time): the boundary layers
(``python -m geodata.rebuild.boundaries``) and the offline basemap (``python -m geodata.rebuild.basemap``)."""
