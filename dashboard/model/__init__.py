"""The data the app serves: the store in memory (events), the view a URL names, counts and where the map looks."""
