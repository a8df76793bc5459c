"""The page: component ids, the layout, the first view drawn with it, and the controls <-> view rules."""
