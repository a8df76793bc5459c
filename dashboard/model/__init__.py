"""The data the app serves, no Dash: the event source and the store in memory, the view a URL names, counts, where
the map looks, and the store checks before serving."""
